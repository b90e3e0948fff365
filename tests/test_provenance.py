"""Provenance sidecars (``<file>.source.yml``, generator/ingest/files.py): through the real
command line, a copy of a sample with a sidecar carries publisher, official address and dates
into documents.csv, the datapackage.json ``sources`` and the document page (escaped); a bad
sidecar fails its document alone, naming the sidecar and the reason; editing only the sidecar
re-parses that document (parse-cache key); a sidecar is never a document."""
from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import generator_build

from generator.cache import content_key
from generator.ingest.files import SIDECAR_MAX_BYTES, document_files, orphan_sidecars, provenance, read_sidecar
from generator.records import IngestError
from tests.test_publish import page, visible

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "documents"
FENGXIAN_FILE = "000_a8cda960e0db61c9.txt"  # 凤县医疗保障局2024年单位预算公开说明
FENGXIAN = "baoji-fengxian-ybj-2024-budget-unit"
LESHAN_FILE = "001_e75bfe8e2417c16e.txt"  # 乐山市市中区医疗保障局 2023 部门预算
WANGDU_FILE = "004_1dc876329a8abae6.txt"
WANGDU = "baoding-wangdu-ybj-2024-budget"

PUBLISHER = "凤县医疗保障局<script>alert(1)</script>"
URL = 'https://www.example.gov.cn/ybj/2024.pdf?a=1&b="><script>x</script>'
GOOD = f"""publisher: '{PUBLISHER}'
url: '{URL}'
published: 2024-02-20
retrieved: 2026-11-30
title: 凤县医疗保障局2024年单位预算公开
note: 取自县政府网站 [信息公开] 栏目
"""
BAD = "pubisher: 乐山市市中区医疗保障局\nurl: https://www.example.gov.cn/a.pdf\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """Copies of three samples: 凤县 with a good sidecar, 乐山 with a sidecar with a typo in a key,
    望都 with none; built into packages and a site, with a parse cache."""
    root = tmp_path_factory.mktemp("provenance")
    docs = root / "documents"
    docs.mkdir()
    for name in (FENGXIAN_FILE, LESHAN_FILE, WANGDU_FILE):
        shutil.copy(SAMPLES / name, docs / name)
    (docs / f"{FENGXIAN_FILE}.source.yml").write_text(GOOD, encoding="utf-8")
    (docs / f"{LESHAN_FILE}.source.yml").write_text(BAD, encoding="utf-8")
    result = generator_build(docs, root / "dp", "--site", str(root / "site"), "--cache", str(root / "cache"))
    return {"root": root, "docs": docs, "result": result}


def documents_rows(dp: Path) -> dict[str, dict]:
    with (dp / "all" / "documents.csv").open(encoding="utf-8", newline="") as f:
        return {r["document_id"]: r for r in csv.DictReader(f)}


def test_the_sidecar_fields_are_in_documents_csv(built):
    assert built["result"].returncode == 0, built["result"].stderr
    rows = documents_rows(built["root"] / "dp")
    assert set(rows) == {FENGXIAN, WANGDU}  # 乐山 failed alone (its bad sidecar)
    f = rows[FENGXIAN]
    assert (f["source_publisher"], f["source_url"], f["source_published"], f["source_retrieved"]) == (
        PUBLISHER, URL, "2024-02-20", "2026-11-30")
    assert f["source_title"] == "凤县医疗保障局2024年单位预算公开"
    assert f["source_note"] == "取自县政府网站 [信息公开] 栏目"
    assert f["title"] == "凤县医疗保障局2024年单位预算公开说明"  # as printed: unchanged
    w = rows[WANGDU]  # no sidecar: every provenance field empty
    assert [w[k] for k in ("source_publisher", "source_title", "source_url", "source_published",
                           "source_retrieved", "source_note")] == [""] * 6
    with (built["root"] / "dp" / FENGXIAN / "documents.csv").open(encoding="utf-8", newline="") as fh:
        assert next(csv.DictReader(fh))["source_url"] == URL  # the document's own package too


def test_the_sidecar_fields_are_in_datapackage_sources(built):
    descriptor = json.loads((built["root"] / "dp" / FENGXIAN / "datapackage.json").read_text(encoding="utf-8"))
    [source] = descriptor["sources"]
    assert source["path"].endswith(f"sources/{FENGXIAN}.txt")  # the mirrored copy, as before
    assert source["file"] == FENGXIAN_FILE
    assert (source["publisher"], source["url"], source["published"], source["retrieved"]) == (
        PUBLISHER, URL, "2024-02-20", "2026-11-30")
    assert source["original_title"] == "凤县医疗保障局2024年单位预算公开"
    fields = {f["name"]: f for r in descriptor["resources"] if r["name"] == "documents"
              for f in r["schema"]["fields"]}
    assert fields["source_published"]["constraints"]["pattern"] == "[0-9]{4}-[0-9]{2}-[0-9]{2}"
    valid = subprocess.run([sys.executable, "-m", "frictionless", "validate",
                            str(built["root"] / "dp" / FENGXIAN / "datapackage.json")],
                           capture_output=True, text=True, check=False)
    assert valid.returncode == 0, valid.stdout + valid.stderr
    wangdu = json.loads((built["root"] / "dp" / WANGDU / "datapackage.json").read_text(encoding="utf-8"))
    assert not {"publisher", "url", "published", "retrieved"} & set(wangdu["sources"][0])


def test_the_document_page_names_the_original_escaped(built):
    raw, p = page(built["root"] / "site", f"documents/{FENGXIAN}/")
    text = visible(p)
    i = text.index("来源 以下来源信息由维护者提供")
    block = text[i:text.index("引用具体数字时", i)]
    assert f"发布单位：{PUBLISHER}" in block  # shown as text …
    assert "<script>alert(1)</script>" not in raw and "&lt;script&gt;alert&#40;1&#41;" in raw  # … never markup
    assert "官方网址：" + URL in block
    assert "发布日期：2024 年 2 月 20 日" in block and "获取日期：2026 年 11 月 30 日" in block
    sha = documents_rows(built["root"] / "dp")[FENGXIAN]["source_sha256"]
    assert f"原文文件：{FENGXIAN_FILE}，本站副本 sources/{FENGXIAN}.txt，SHA-256 {sha}" in block
    # the official address is a link whose target cannot break out of the attribute
    official = [h for h in p.hrefs if h.startswith("https://www.example.gov.cn/")]
    assert official and all(h == "https://www.example.gov.cn/ybj/2024.pdf?a=1&b=%22%3E%3Cscript%3Ex%3C/script%3E"
                            for h in official)
    cite = block[block.index("如何引用"):]
    assert cite.startswith(f"如何引用 {PUBLISHER}：《凤县医疗保障局2024年单位预算公开》，2024 年 2 月 20 日发布，"
                           f"{URL}（2026 年 11 月 30 日获取）。本站副本：")
    assert f"sources/{FENGXIAN}.txt（SHA-256 {sha}）" in cite


def test_without_a_sidecar_the_page_says_so(built):
    _, p = page(built["root"] / "site", f"documents/{WANGDU}/")
    text = visible(p)
    assert "维护者没有提供这份文件的来源信息" in text and "官方网址：来源网址未提供" in text
    assert "发布单位：未提供" in text
    assert "如何引用 望都县医疗保障局：《" in text and "2024 年度，来源网址未提供。" in text


def test_a_bad_sidecar_fails_its_document_alone_with_a_clear_error(built):
    result = built["result"]
    assert (f"error: {LESHAN_FILE}.source.yml: bad provenance sidecar: unknown key(s) 'pubisher'; "
            "allowed: publisher, url, published, retrieved, title, note") in result.stderr
    assert "3 documents: 2 parsed, 1 failed" in result.stdout
    strict = generator_build(built["docs"], built["root"] / "dp-strict", "--no-site", "--strict",
                             "--cache", str(built["root"] / "cache"))
    assert strict.returncode == 1


def test_a_sidecar_is_never_a_document(built, tmp_path):
    groups = document_files(built["docs"])
    assert [[f.name for f in g] for g in groups] == [[FENGXIAN_FILE], [LESHAN_FILE], [WANGDU_FILE]]
    # a sidecar alone (its file gone), even one holding a disclosure's text, is no document
    shutil.copy(SAMPLES / WANGDU_FILE, tmp_path / "orphan.txt.source.yml")
    shutil.copy(SAMPLES / WANGDU_FILE, tmp_path / "x.txt")
    assert [[f.name for f in g] for g in document_files(tmp_path)] == [["x.txt"]]


def test_editing_only_the_sidecar_rebuilds_that_document(built, tmp_path):
    docs = tmp_path / "documents"
    shutil.copytree(built["docs"], docs)
    cache = tmp_path / "cache"
    shutil.copytree(built["root"] / "cache", cache)
    side = docs / f"{FENGXIAN_FILE}.source.yml"
    before = content_key([docs / FENGXIAN_FILE])
    side.write_text(GOOD.replace("retrieved: 2026-11-30", "retrieved: 2026-12-01"), encoding="utf-8")
    assert content_key([docs / FENGXIAN_FILE]) != before
    result = generator_build(docs, tmp_path / "dp", "--no-site", "--cache", str(cache))
    assert result.returncode == 0, result.stderr
    assert "3 documents: 1 parsed, 1 failed, 1 reused" in result.stdout, result.stdout
    log = result.stderr  # one line per document
    assert re.search(rf"^ok +{re.escape(FENGXIAN_FILE)} → {FENGXIAN}: ", log, re.M), log  # re-parsed
    assert re.search(rf"^reused +{re.escape(WANGDU_FILE)} → {WANGDU}: ", log, re.M)
    assert re.search(rf"^FAILED +{re.escape(LESHAN_FILE)}\.source\.yml: .* \(cached\)$", log, re.M)
    assert documents_rows(tmp_path / "dp")[FENGXIAN]["source_retrieved"] == "2026-12-01"


# ------------------------------------------------------------------------------ unit level


@pytest.mark.parametrize("text, reason", [
    ("publisher: A\nurl: ftp://example.gov.cn/a.pdf\n", "url: 'ftp://example.gov.cn/a.pdf' is not an http(s) address"),
    ("url: javascript:alert(1)\n", "url: 'javascript:alert(1)' is not an http(s) address"),
    ("url: https://\n", "url: 'https://' is not an http(s) address"),
    ("published: 2024-13-01\n", "published: '2024-13-01' is not a date (YYYY-MM-DD)"),
    ("retrieved: 昨天\n", "retrieved: '昨天' is not a date (YYYY-MM-DD)"),
    ("retrieved: 2024-02-30\n", "retrieved: '2024-02-30' is not a date (YYYY-MM-DD)"),
    ("published: 2024-02-20 10:00:00\n", "published: '2024-02-20 10:00:00' is not a date (YYYY-MM-DD)"),
    ("published: 20240220\n", "published: 20240220 is not a date (YYYY-MM-DD)"),
    ("- publisher: A\n", "not a mapping of keys to values (a YAML list)"),
    ("just words\n", "not a mapping of keys to values (a YAML str)"),
    ("publisher: [A, B]\n", "publisher: not a text value"),
    ("publisher: 'A\u202eB'\n", "publisher: control or format character"),
    ("publisher: A\n  url: : :\n", "not valid YAML at line 2"),
    ("Publisher: A\n", "unknown key(s) 'Publisher'"),
])
def test_bad_sidecars_name_the_file_and_the_reason(tmp_path, text, reason):
    side = tmp_path / "w0001.pdf.source.yml"
    side.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError) as exc:
        read_sidecar(side)
    assert str(exc.value).startswith(f"w0001.pdf.source.yml: bad provenance sidecar: {reason}")


def test_a_sidecar_over_the_size_limit_is_refused_unread(tmp_path):
    side = tmp_path / "w0001.pdf.source.yml"
    side.write_text("note: " + "长" * SIDECAR_MAX_BYTES + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match=rf"w0001.pdf.source.yml: bad provenance sidecar: "
                                          rf"{side.stat().st_size} bytes, over the limit of 4096"):
        read_sidecar(side)


def test_a_good_sidecar_reads_as_the_documents_fields(tmp_path):
    side = tmp_path / "w0001.pdf.source.yml"
    side.write_text("publisher: 某县医疗保障局\nurl: https://www.example.gov.cn/a.pdf\n"
                    "published: 2024-02-20\nretrieved: '2026-11-30'\nnote:\n", encoding="utf-8")
    assert read_sidecar(side) == {"source_publisher": "某县医疗保障局", "source_url": "https://www.example.gov.cn/a.pdf",
                                  "source_published": "2024-02-20", "source_retrieved": "2026-11-30"}


def test_the_sidecars_of_a_pair_must_agree(tmp_path):
    tables, narrative = tmp_path / "w-baobiao.pdf", tmp_path / "w-shuoming.pdf"
    for f in (tables, narrative):
        f.write_bytes(b"%PDF-1.4")
    (tmp_path / "w-baobiao.pdf.source.yml").write_text("url: https://www.example.gov.cn/a\n", encoding="utf-8")
    (tmp_path / "w-shuoming.pdf.source.yml").write_text("url: https://www.example.gov.cn/a\nretrieved: 2026-11-30\n",
                                                        encoding="utf-8")
    assert provenance([tables, narrative]) == (("source_retrieved", "2026-11-30"),
                                               ("source_url", "https://www.example.gov.cn/a"))
    (tmp_path / "w-shuoming.pdf.source.yml").write_text("url: https://www.example.gov.cn/b\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"^w-shuoming.pdf.source.yml: bad provenance sidecar: url differs "
                                          r"from the other file's sidecar \('https://www.example.gov.cn/a'\)"):
        provenance([tables, narrative])


def test_a_sidecar_next_to_no_file_is_named(tmp_path):
    (tmp_path / "w0001.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "w0001.pdf.source.yml").write_text("url: https://www.example.gov.cn/a\n", encoding="utf-8")
    (tmp_path / "w0001.source.yml").write_text("url: https://www.example.gov.cn/a\n", encoding="utf-8")
    assert orphan_sidecars(tmp_path) == ["w0001.source.yml"]


def test_the_build_warns_of_a_sidecar_next_to_no_file(tmp_path):
    """A misspelt sidecar (000.source.yml beside 000_….txt) is read by nothing: the build says so."""
    docs = tmp_path / "documents"
    docs.mkdir()
    sample = next(p for p in sorted(Path(__file__).resolve().parent.parent.joinpath("documents").glob("000_*.txt")))
    shutil.copy(sample, docs / sample.name)
    (docs / "000.source.yml").write_text("publisher: 凤县医疗保障局\n", encoding="utf-8")
    result = generator_build(docs, tmp_path / "dp", "--no-site")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "warning: 000.source.yml: provenance sidecar next to no file" in result.stderr
