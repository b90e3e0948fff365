"""Waivers (``<file>.waivers.yml``, ingest.files + verify.waivers): a maintainer's known finding
is ``waived`` with the reason, through the real command line, on a copy of a real document.

普陀区司法局 2026 单位预算 (shanghai-putuo-sfj-2026-danwei-yusuan.pdf) prints on p.21 “与2025年
预算数持平,主要原因是。其中：公务用车购置费…” (a template leftover) and on p.6 “财政拨款收入支出
增加（减少）的主要原因是…” (another); on p.7 it says 增加 21.74% where 170.03 against 241.76 is
−29.67%. The waivers file waives the p.21 leftover and the p.7 percentage; the p.6 leftover and
the other findings still fail. 望都 (documents/004) builds beside it with zero failures.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.cache import content_key
from generator.ingest.files import read_waivers
from generator.parse import parse_files
from generator.publish.catalog import load_catalog
from generator.publish.pages.checks import checks_page
from generator.publish.pages.document import document_page
from generator.publish.pages.findings import findings_page
from generator.records import IngestError
from tests.conftest import DOCUMENTS, REAL_PDFS, Package, needs_real_pdfs, run_build

pytestmark = needs_real_pdfs

PUTUO = "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"
PUTUO_ID = "shanghai-putuo-sifaju-2026-budget-unit"
WANGDU = "004_1dc876329a8abae6.txt"
WANGDU_ID = "baoding-wangdu-ybj-2024-budget"
REASON = "原文如此，已向发布单位确认"
WAIVERS = f"""# 普陀区司法局 2026 单位预算：已知问题
waivers:
  - check: narrative.template_leftover
    page: 21
    match: "主要原因是。"
    reason: {REASON}
  - check: narrative.yoy_percent
    page: 7
    match: "21.74%"
    reason: 发布单位确认为笔误，下一版更正
  - check: narrative.yoy_percent
    page: 3
    reason: 已不存在的问题
"""


def _docs(root: Path, waivers: str | None = WAIVERS) -> Path:
    docs = root / "documents"
    docs.mkdir(parents=True)
    shutil.copy(REAL_PDFS / PUTUO, docs / PUTUO)
    shutil.copy(DOCUMENTS / WANGDU, docs / WANGDU)
    if waivers is not None:
        (docs / f"{PUTUO}.waivers.yml").write_text(waivers, encoding="utf-8")
    return docs


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("waivers")
    docs = _docs(root)
    result = run_build(docs, root / "dp", "--strict", "--cache", str(root / "cache"))
    assert result.returncode == 0, result.stderr[-3000:]
    return {"root": root, "docs": docs, "result": result, "all": Package(root / "dp" / "all")}


def _checks(pkg: Package, **where) -> list[dict]:
    return pkg.rows("checks", document_id=PUTUO_ID, **where)


def test_a_waived_finding_is_waived_with_its_reason_and_the_others_still_fail(built):
    pkg = built["all"]
    leftovers = {r["source_page"]: r for r in _checks(pkg, check="narrative.template_leftover")}
    assert leftovers["21"]["status"] == "waived"
    assert leftovers["21"]["waiver"] == REASON
    assert leftovers["21"]["actual"] == "主要原因是。"
    assert leftovers["21"]["severity"] == "warning"
    assert leftovers["6"]["status"] == "fail" and leftovers["6"]["waiver"] == ""  # 增加（减少）: not waived
    percents = {(r["source_page"], r["actual"]): r for r in _checks(pkg, check="narrative.yoy_percent")}
    assert percents[("7", "21.74")]["status"] == "waived"
    assert percents[("7", "21.74")]["waiver"] == "发布单位确认为笔误，下一版更正"
    assert percents[("6", "-1.10")]["status"] == "fail"  # 1434.89 against 1690.69 is −15.13 %, not 1.10
    assert percents[("6", "-1.10")]["severity"] == "error"
    # only failures are waived: nothing else of the document carries a waiver
    assert {r["status"] for r in _checks(pkg) if r["waiver"]} == {"waived"}
    assert len(_checks(pkg, status="waived")) == 2
    assert not pkg.rows("checks", document_id=WANGDU_ID, status="fail")  # 望都: zero failures


def test_the_build_report_counts_waived_apart_from_failed(built):
    report = json.loads((built["root"] / "build" / "report.json").read_text(encoding="utf-8"))
    entry = next(e for e in report["documents"] if e["document_id"] == PUTUO_ID)
    failed = len(_checks(built["all"], status="fail"))
    assert entry["checks_failed"] == failed == len(entry["failed_checks"])
    assert entry["checks_waived"] == 2
    assert not any("主要原因是。" in f["message"] for f in entry["failed_checks"])
    assert report["summary"]["checks_waived"] == 2
    assert [w.split(" (")[0] for w in entry["stale_waivers"]] == [f"stale waiver: {PUTUO}.waivers.yml: entry 3"]
    status = json.loads((built["root"] / "build" / "status.json").read_text(encoding="utf-8"))
    assert status["summary"]["checks_waived"] == 2
    assert "2 waived" in built["result"].stdout  # the summary line
    assert re.search(rf"^ok +{re.escape(PUTUO)} → {PUTUO_ID}: .*\d+ failed, 2 waived\)", built["result"].stderr, re.M)


def test_a_stale_waiver_is_a_warning_of_the_build(built):
    warnings = [line for line in built["result"].stderr.splitlines() if line.startswith("warning: stale waiver")]
    assert warnings == [f"warning: stale waiver: {PUTUO}.waivers.yml: entry 3 (line 11) (narrative.yoy_percent, "
                        "page 3) matches no failed check: the finding is gone or the entry is wrong; remove or "
                        "correct it"]


def test_the_site_shows_severity_and_waived_findings(built):
    cat = load_catalog(built["root"] / "dp")
    page = document_page(cat, PUTUO_ID)
    quality = page[page.index("## 数据质量"):]
    assert "2 项已豁免" in quality
    waived = quality[quality.index("### 已豁免（2 项）"):]
    assert f"已豁免：{REASON}" in waived.split("###")[1]
    failed = quality[quality.index("### 未通过"):quality.index("### 已豁免")]
    assert "主要原因是。" not in failed  # the waived finding is not listed as failed
    row = next(line for line in failed.splitlines() if "本年 1434.89 比上年 1690.69" in line)
    assert "| 错误 |" in row  # narrative.yoy_percent
    row = next(line for line in failed.splitlines() if "增加（减少）" in line)
    assert "| 警告 |" in row  # narrative.template_leftover
    findings = findings_page(cat)
    row = next(line for line in findings.splitlines() if f"已豁免：{REASON}" in line)
    assert row.startswith("| 已豁免 | 警告 |")
    rules = checks_page(cat)
    section = rules[rules.index("### `narrative.yoy_percent`"):]
    section = section[:section.index("\n### ")]
    assert "严重程度：**错误**。" in section
    assert "修改建议：按增减额 ÷ 上年数重新计算增减百分比并改正。" in section
    assert "已豁免的文件：" in section


def test_editing_the_waivers_file_rebuilds_that_document(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built["root"], root, symlinks=True)
    docs = root / "documents"
    before = content_key([docs / PUTUO])
    (docs / f"{PUTUO}.waivers.yml").write_text(WAIVERS.replace(REASON, "已核实：原文遗漏原因"), encoding="utf-8")
    assert content_key([docs / PUTUO]) != before
    result = run_build(docs, root / "dp", "--strict", "--cache", str(root / "cache"))
    assert result.returncode == 0, result.stderr[-3000:]
    if len([p for p in (root / "cache").iterdir() if p.is_dir()]) == 1:  # the code did not change meanwhile
        assert "2 documents: 1 parsed, 0 failed, 1 reused" in result.stdout, result.stdout
    assert re.search(rf"^ok +{re.escape(PUTUO)} → ", result.stderr, re.M)
    row = next(r for r in _checks(Package(root / "dp" / "all"), check="narrative.template_leftover")
               if r["source_page"] == "21")
    assert (row["status"], row["waiver"]) == ("waived", "已核实：原文遗漏原因")  # the package too, not a cached one


def test_a_bad_waivers_file_fails_its_document_alone_naming_file_entry_and_line(tmp_path):
    """A misspelt check id in a waivers file of 望都's neighbour (documents/000, a text extract: the
    file is checked before the source is read) fails that document alone; 望都 builds."""
    docs = tmp_path / "documents"
    docs.mkdir()
    other = "000_a8cda960e0db61c9.txt"
    for name in (other, WANGDU):
        shutil.copy(DOCUMENTS / name, docs / name)
    (docs / f"{other}.waivers.yml").write_text(WAIVERS.replace("narrative.yoy_percent\n    page: 7",
                                                               "narrative.yoy_percnt\n    page: 7"), encoding="utf-8")
    (docs / "orphan.pdf.waivers.yml").write_text("waivers:\n", encoding="utf-8")
    result = run_build(docs, tmp_path / "dp", "--no-cache")
    assert re.search(rf"^FAILED +{re.escape(other)}\.waivers\.yml: bad waivers file: entry 2 \(line 7\): check "
                     r"'narrative\.yoy_percnt' is not a known check id; did you mean narrative\.yoy_percent\?$",
                     result.stderr, re.M), result.stderr
    assert "warning: orphan.pdf.waivers.yml: waivers file next to no file" in result.stderr
    assert re.search(rf"^ok +{re.escape(WANGDU)} → {WANGDU_ID}: ", result.stderr, re.M)  # the other builds
    assert not Package(tmp_path / "dp" / "all").rows("checks", document_id=WANGDU_ID, status="fail")


@pytest.mark.parametrize("text, reason", [
    ("waivers:\n  - check: narrative.yoy_percent\n", "entry 1 (line 2): reason: missing or empty"),
    ("waivers:\n  - check: narrative.share\n    reason: x\n    pages: 3\n",
     "entry 1 (line 2): unknown key(s) 'pages'; allowed: check, page, match, reason"),
    ("waivers:\n  - check: narrative.share\n    reason: x\n  - reason: y\n", "entry 2 (line 4): check: missing"),
    ("waivers:\n  - check: narrative.share\n    reason: x\n    page: '9'\n", "page: '9' is not a page number"),
    ("waivers:\n  - check: narrative.share\n    reason: x\n    match: 17.62\n",
     "match: 17.62 is not text (write it in quotes)"),
    ("waivers: [\n", "not valid YAML at line 2"),
    ("- check: narrative.share\n", "expected one key, waivers"),
    ("waivers:\n  check: narrative.share\n", "waivers: not a list of entries"),
    ("waivers:\n" + "  - check: narrative.share\n    reason: x\n" * 700, "bytes, over the limit of 16384"),
])
def test_a_malformed_waivers_file_says_which_entry_and_why(tmp_path, text, reason):
    path = tmp_path / "x.pdf.waivers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as err:
        read_waivers(path)
    assert err.value.file == "x.pdf.waivers.yml"
    assert err.value.reason.startswith("bad waivers file: ") and reason in err.value.reason, err.value.reason


def test_an_empty_waivers_file_waives_nothing(tmp_path):
    for text in ("", "# none yet\n", "waivers:\n"):
        (tmp_path / "x.pdf.waivers.yml").write_text(text, encoding="utf-8")
        assert read_waivers(tmp_path / "x.pdf.waivers.yml") == ()


def test_waivers_of_either_file_of_a_pair_apply(tmp_path):
    """北京医保局 2026 is a tables file and a narrative file; its 收支总表 (p.1) prints 九、卫生健康支出
    101857.847222 where the 支出总表's 210 items add up to 20078.847222."""
    tables, narrative = (tmp_path / f"beijing-ybj-2026-bumen-yusuan-{h}.pdf" for h in ("baobiao", "shuoming"))
    for path in (tables, narrative):
        shutil.copy(REAL_PDFS / path.name, path)
    (narrative.parent / f"{narrative.name}.waivers.yml").write_text(
        "waivers:\n  - check: codelist.assigned_class_vs_items\n    page: 1\n    match: '101857.847222'\n"
        "    reason: 收支总表含医保基金\n", encoding="utf-8")
    (tables.parent / f"{tables.name}.waivers.yml").write_text(
        "waivers:\n  - check: codelist.assigned_class_vs_items\n    match: government_fund\n"
        "    reason: 财政拨款收支总表同上\n  - check: narrative.share\n    reason: 不会用到\n", encoding="utf-8")
    result = parse_files([tables, narrative])
    assert result.error is None, result.error
    waived = {c.table: c.waiver for c in result.parsed.checks if c.status == "waived"}
    assert waived == {"summary": "收支总表含医保基金", "fiscal_summary": "财政拨款收支总表同上"}
    assert [c.check for c in result.parsed.checks if c.status == "fail" and c.check == "codelist.assigned_class_vs_items"] == []
    assert result.summary.stale_waivers == (
        f"stale waiver: {tables.name}.waivers.yml: entry 2 (line 5) (narrative.share) matches no failed check: "
        "the finding is gone or the entry is wrong; remove or correct it",)
