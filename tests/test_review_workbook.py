"""The reviewer's report (检查表 workbook, generator/publish/review/) and ``python -m generator
review``: real rows of real documents, read back with openpyxl.

普陀司法局 2026 部门预算 (../shared/real-pdfs/shanghai-putuo-sfj-2026-bumen-yusuan.pdf) prints on
p.9 “2025年当年预算执行数为198.34万元，2026年预算安排201.50万元，比2025年预算执行数增加5.27%”
(201.50 / 198.34 is +1.59 %), its “三公”经费 table on p.21 and its 情况说明 on pp.8–9; its 单位预算
(…-danwei-yusuan.pdf) leaves the template's “增加（减少）” on p.6 (“财政拨款收入支出增加（减少）的主要
原因是业务量增加”) and “主要原因是。” on p.21; 望都 (documents/004) has no failed check at all.
"""
from __future__ import annotations

import csv
import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from generator.publish.review import checklist
from generator.publish.review.workbook import load, review_workbook
from tests.conftest import DOCUMENTS, REAL_PDFS, REPO, WILD, needs_real_pdfs, run_build

PUTUO_PDF = REAL_PDFS / "shanghai-putuo-sfj-2026-bumen-yusuan.pdf"
PUTUO = "shanghai-putuo-sifaju-2026-budget"
PUTUO_UNIT_PDF = REAL_PDFS / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"
PUTUO_UNIT = "shanghai-putuo-sifaju-2026-budget-unit"
WANGDU_TXT = DOCUMENTS / "004_1dc876329a8abae6.txt"
WANGDU = "baoding-wangdu-ybj-2024-budget"
CHECKLIST_HEADER = ["序号", "检查项目", "检查内容", "是否公开", "是否符合要求", "问题数（错误/警告/提示）", "所在页"]
PROBLEM_HEADER = ["序号", "严重程度", "所在表/部分", "页码", "原文", "应为", "实际", "问题说明", "修改建议",
                  "状态", "检查规则"]


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    """望都 and, when the real PDFs are there, 普陀司法局's 2026 部门预算 and 单位预算, built once by
    the real build."""
    docs = tmp_path_factory.mktemp("review-docs")
    (docs / WANGDU_TXT.name).symlink_to(WANGDU_TXT)
    for pdf in (PUTUO_PDF, PUTUO_UNIT_PDF):
        if pdf.is_file():
            (docs / pdf.name).symlink_to(pdf)
    out = tmp_path_factory.mktemp("review-packages") / "datapackages"
    result = run_build(docs, out, "--strict", "--no-cache")
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def checklist_rows(wb) -> dict[str, dict[str, object]]:
    """检查项目 -> its row of sheet 检查表 (header -> value)."""
    rows = list(wb["检查表"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if list(r) == CHECKLIST_HEADER)
    return {r[1]: dict(zip(CHECKLIST_HEADER, r)) for r in rows[start + 1:]}


def problem_rows(wb) -> list[dict[str, object]]:
    rows = list(wb["问题清单"].iter_rows(values_only=True))
    assert list(rows[0]) == PROBLEM_HEADER
    return [dict(zip(PROBLEM_HEADER, r)) for r in rows[1:]]


def failed_checks(folder: Path) -> list[dict]:
    with (folder / "checks.csv").open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["status"] in ("fail", "waived")]


# ------------------------------------------------------------------------ 普陀司法局 2026


@needs_real_pdfs
def test_putuo_problems_carry_page_quote_expected_and_actual(packages):
    folder = packages / PUTUO
    wb = workbook(review_workbook(folder))
    problems = problem_rows(wb)
    # p.9: 住房公积金 201.50 against 198.34 is +1.59 %, the text says 增加5.27%
    row = next(p for p in problems if p["页码"] == 9 and p["应为"] == "1.59" and p["实际"] == "5.27")
    assert row["严重程度"] == "错误" and row["所在表/部分"] == "情况说明（文字）"
    assert "201.50" in row["问题说明"] and "198.34" in row["问题说明"]
    assert row["状态"] == "未处理" and row["检查规则"] == "narrative.yoy_percent"
    assert row["修改建议"]  # the finding's suggestion, else its definition's
    # every failed check of the package is one row, with its page, words and figures
    failed = failed_checks(folder)
    assert len(problems) == len(failed)
    listed = {(p["检查规则"], p["页码"], p["原文"] or "", p["应为"] or "", p["实际"] or "", p["问题说明"])
              for p in problems}
    first_page = {t["table"]: t["source_page"] for t in csv.DictReader(
        (folder / "tables.csv").open(encoding="utf-8", newline=""))}
    for c in failed:  # a finding of no page: its table's first page, marked so
        page = (int(c["source_page"]) if c["source_page"].isdigit()
                else f"{first_page[c['table']]}（表首页）" if first_page.get(c["table"]) else None)
        assert (c["check"], page, c["quote"], c["expected"], c["actual"], c["message"]) in listed, c


@needs_real_pdfs
def test_putuo_problems_sorted_by_severity_then_page(packages):
    problems = problem_rows(workbook(review_workbook(packages / PUTUO)))
    rank = {name: i for i, name in enumerate(checklist.SEVERITY_NAMES.values())}
    keys = [(rank[p["严重程度"]], p["页码"] if isinstance(p["页码"], int) else 10**6) for p in problems]
    assert keys == sorted(keys)
    assert [p["序号"] for p in problems] == list(range(1, len(problems) + 1))


@needs_real_pdfs
def test_putuo_checklist_rows(packages):
    wb = workbook(review_workbook(packages / PUTUO))
    rows = checklist_rows(wb)
    assert [r["检查项目"] for r in rows.values()] == [s.name for s in checklist.SECTIONS]
    three = rows["“三公”经费支出表（含机关运行经费）"]
    assert (three["是否公开"], three["是否符合要求"], three["所在页"]) == ("是", "是", "21")
    assert "因公出国（境）费" in three["检查内容"]  # three_public.total's definition
    narrative = rows["情况说明（文字）"]
    assert narrative["是否公开"] == "是" and narrative["是否符合要求"] == "否"
    assert {"8", "9"} <= set(narrative["所在页"].split("、"))
    errors = sum(1 for c in failed_checks(packages / PUTUO)
                 if c["severity"] == "error" and c["status"] == "fail")
    assert int(narrative["问题数（错误/警告/提示）"].split(" / ")[0]) <= errors
    # every problem is counted in exactly one row
    total = sum(sum(map(int, r["问题数（错误/警告/提示）"].split(" / "))) for r in rows.values()
                if r["问题数（错误/警告/提示）"] != "—")
    assert total == sum(1 for c in failed_checks(packages / PUTUO) if c["status"] == "fail")
    assert rows["收支总表"]["所在页"] == "10" and rows["收支总表"]["是否符合要求"] == "是"
    header = {r[0]: r[2] for r in wb["检查表"].iter_rows(min_row=2, max_row=7, values_only=True)}
    assert header["单位名称"] == "上海市普陀区司法局" and header["年度"] == "2026"
    assert header["类型"] == "部门预算" and header["检查日期"].startswith("20")
    assert PUTUO_PDF.name in header["公开文件"]
    assert wb["检查表"].freeze_panes == "A10" and wb["问题清单"].freeze_panes == "A2"


@needs_real_pdfs
def test_putuo_unit_template_leftovers_on_their_pages(packages):
    """The 单位预算's two leftovers of the template, each on its page with the words printed."""
    wb = workbook(review_workbook(packages / PUTUO_UNIT))
    leftovers = [p for p in problem_rows(wb) if p["检查规则"] == "narrative.template_leftover"]
    words = {p["页码"]: f"{p['原文'] or ''} {p['实际'] or ''} {p['问题说明']}" for p in leftovers}
    assert "增加（减少）" in words[6] and "主要原因是。" in words[21]
    assert all(p["所在表/部分"] == "情况说明（文字）" and p["修改建议"] for p in leftovers)
    assert checklist_rows(wb)["情况说明（文字）"]["是否符合要求"] == "否"


# ------------------------------------------------------------------------------ 望都 (004)


def test_wangdu_every_row_is_yes_and_no_problem(packages):
    wb = workbook(review_workbook(packages / WANGDU))
    rows = checklist_rows(wb)
    for name, row in rows.items():
        if name == "部门概况（职责、机构设置）":  # no check reads it: the reviewer does
            assert row["是否符合要求"] == "人工核对"
            continue
        assert row["是否符合要求"] == "是", row
        assert row["问题数（错误/警告/提示）"] == "0 / 0 / 0"
    for name in ("收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表", "一般公共预算基本支出表",
                 "“三公”经费支出表（含机关运行经费）", "政府性基金预算支出表", "国有资本经营预算支出表",
                 "情况说明（文字）", "名词解释"):
        assert rows[name]["是否公开"] == "是", name  # 望都 prints its empty tables with a note
    ws = wb["问题清单"]
    assert ws.max_row == 2 and ws["A2"].value.startswith("未发现问题")
    readme = {r[0]: r[1] for r in wb["说明"].iter_rows(values_only=True) if r[0]}
    assert {"错误", "警告", "提示", "许可"} <= set(readme) and "ODC-PDDL-1.0" in readme["许可"]


def test_rebuild_is_byte_identical_with_fixed_dates(packages):
    data = review_workbook(packages / WANGDU)
    assert review_workbook(packages / WANGDU) == data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2020, 1, 1, 0, 0, 0)}
        assert "2020-01-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_hostile_quote_stays_text_and_waived_finding_does_not_count(packages, tmp_path):
    """A quote starting with = is a text cell, never a formula; a waived failure is listed with
    its reason and leaves its row 是."""
    folder = tmp_path / WANGDU
    shutil.copytree(packages / WANGDU, folder)
    path = folder / "checks.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    hostile = next(r for r in rows if r["check"] == "three_public.total" or r["table"] == "three_public")
    hostile.update(status="fail", quote="=1+1", expected="=SUM(A1:A2)", actual="@cmd", source_page="3")
    waived = next(r for r in rows if r["check"] == "completeness.glossary")
    waived.update(status="waived", waiver="原文如此，已向发布单位确认", quote="名词解释")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    data = review_workbook(folder)
    wb = workbook(data)
    problems = problem_rows(wb)
    planted = next(p for p in problems if p["原文"] == "=1+1")
    assert planted["应为"] == "=SUM(A1:A2)" and planted["页码"] == 3
    assert wb["问题清单"].cell(row=problems.index(planted) + 2, column=5).data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert not any("<f>" in z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/"))
    gloss = next(p for p in problems if p["检查规则"] == "completeness.glossary")
    assert gloss["状态"] == "已豁免：原文如此，已向发布单位确认"
    rows_by_name = checklist_rows(wb)
    assert rows_by_name["名词解释"]["是否符合要求"] == "是"
    assert rows_by_name[checklist.BY_KEY[checklist.section_of(hostile["check"], "three_public")].name][
        "是否符合要求"] == "否"
    assert load(folder).counts()["waived"] == 1


def test_every_check_id_has_a_row():
    """Each registered check id goes to a row of the 检查表 for each table it can name."""
    from generator.verify import CHECK_DESCRIPTIONS
    from generator.vocabulary import TABLE_ORDER
    keys = {s.key for s in checklist.SECTIONS}
    for cid in CHECK_DESCRIPTIONS:
        for table in (None, *TABLE_ORDER):
            assert checklist.section_of(cid, table) in keys
    assert checklist.section_of("narrative.yoy_percent", "narrative") == "narrative"
    assert checklist.section_of("completeness.glossary", None) == "glossary"
    assert checklist.section_of("three_public.total", "three_public") == "three_public"
    assert checklist.section_of("completeness.table_present", "state_capital") == "state_capital"
    assert checklist.section_of("text.control_characters", None) == "whole"


# ------------------------------------------------------------------------------- the CLI


def review(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "review", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600, check=False)


@needs_real_pdfs
def test_cli_writes_the_sites_bytes_and_prints_counts(packages, tmp_path):
    result = review(str(PUTUO_PDF), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    target = tmp_path / "out" / f"{PUTUO}-检查表.xlsx"
    assert target.read_bytes() == review_workbook(packages / PUTUO)  # one path: the site's bytes
    counts = load(packages / PUTUO).counts()
    assert f"{PUTUO}: 错误 {counts['error']}，警告 {counts['warning']}，提示 {counts['note']}" in result.stdout
    assert counts["error"] >= 1 and str(target) in result.stdout
    marked = tmp_path / "out" / f"{PUTUO}-标注原文.pdf"  # the source with its problems boxed
    assert marked.read_bytes().startswith(b"%PDF") and str(marked) in result.stdout
    assert "/tmp/review-" not in result.stderr  # the build's log of its temporary folders is not shown


def test_cli_refuses_a_file_that_is_not_a_budget(tmp_path):
    notes = tmp_path / "会议纪要.txt"
    notes.write_text("会议纪要\n一、关于办公用房调整的事项。\n二、关于年度培训计划的事项。\n", encoding="utf-8")
    result = review(str(notes), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "会议纪要.txt" in result.stderr and "not a budget disclosure" in result.stderr
    assert not (tmp_path / "out").exists()
    missing = review(str(tmp_path / "nothing.pdf"), "--out", str(tmp_path / "out"))
    assert missing.returncode == 2 and "nothing.pdf: no such file" in missing.stderr


@pytest.mark.skipif(not (WILD / "w0178.pdf").is_file(), reason=f"wild-dev corpus absent: {WILD}")
def test_cli_refuses_a_real_report_that_is_not_a_budget(tmp_path):
    """w0178.pdf is 福州商务局's 2025年福州市物流业运行情况报告, not a disclosure."""
    result = review(str(WILD / "w0178.pdf"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "w0178.pdf" in result.stderr


# ------------------------------------------------------------------------------- the site


def test_document_page_links_the_review_workbook(sample_site):
    page = (sample_site / "documents" / WANGDU / "index.html").read_text(encoding="utf-8")
    assert "审核报告（Excel）" in page
    assert f"downloads/{WANGDU}-review.xlsx" in page
    published = sample_site / "downloads" / f"{WANGDU}-review.xlsx"
    assert checklist_rows(workbook(published.read_bytes()))["收支总表"]["是否公开"] == "是"
    data_page = (sample_site / "data" / "index.html").read_text(encoding="utf-8")
    assert f"downloads/{WANGDU}-review.xlsx" in data_page
