"""Excel workbooks and package zips (generator/downloads.py) on the committed sample packages."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import time
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from generator.publish import catalog, downloads, pool, site as publish_site
from generator.publish.settings import SiteSettings
from generator.package.schemas import FUNCTION_EXPENDITURE

REPO = Path(__file__).resolve().parent.parent
PACKAGES = REPO / "datapackages"
WANGDU = PACKAGES / "baoding-wangdu-ybj-2024-budget"

pytestmark = pytest.mark.skipif(not (WANGDU / "datapackage.json").is_file(),
                                reason="committed sample packages missing")


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def sheet_xml(data: bytes, wb: openpyxl.Workbook, name: str) -> str:
    """The worksheet XML as written (openpyxl numbers sheets in workbook order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(f"xl/worksheets/sheet{wb.sheetnames.index(name) + 1}.xml").decode()


def sheet_rows(ws) -> tuple[list, list, list[list]]:
    """(Chinese header, field names, data rows) of a resource sheet."""
    rows = [list(r) for r in ws.iter_rows()]
    return [c.value for c in rows[0]], [c.value for c in rows[1]], rows[2:]


@pytest.fixture(scope="module")
def wangdu_workbook() -> bytes:
    return downloads.document_workbook(WANGDU)


def test_function_sheet_has_code_as_text_and_amount_as_number(wangdu_workbook):
    wb = load(wangdu_workbook)
    assert wb.sheetnames[0] == "说明"
    ws = wb["function_expenditure"]
    titles, names, rows = sheet_rows(ws)
    field_title = {f.name: f.title for f in FUNCTION_EXPENDITURE.fields}
    assert names == list(FUNCTION_EXPENDITURE.field_names)
    assert titles == [field_title[n] for n in names]
    assert "科目编码" in titles and "项目支出" in titles
    col = {n: i for i, n in enumerate(names)}
    found = [r for r in rows if r[col["code"]].value == "2101202" and r[col["table"]].value == "general_public_function"]
    assert len(found) == 1
    row = found[0]
    code = row[col["code"]]
    assert code.data_type == "s" and code.number_format == "@"
    project = row[col["project"]]
    assert project.data_type == "n" and project.value == 2832
    assert project.number_format.startswith("#,##0.00")
    assert row[col["name"]].value == "财政对城乡居民基本医疗保险基金的补助"
    assert row[col["basic"]].value is None  # empty in the CSV stays empty
    assert ws.freeze_panes == "A3"


def test_every_amount_is_the_exact_decimal_of_the_csv(wangdu_workbook):
    """The ``<v>`` text of each number cell is the CSV's decimal text, not a float rendering."""
    with (WANGDU / "function_expenditure.csv").open(encoding="utf-8", newline="") as f:
        csv_rows = list(csv.DictReader(f))
    wb = load(wangdu_workbook)
    _, names, rows = sheet_rows(wb["function_expenditure"])
    assert len(rows) == len(csv_rows)
    for cells, expected in zip(rows, csv_rows):
        for name in ("total", "basic", "project"):
            value = cells[names.index(name)].value
            if expected[name] == "":
                assert value is None
            else:
                assert Decimal(str(value)) == Decimal(expected[name])
    xml = sheet_xml(wangdu_workbook, wb, "function_expenditure")
    assert "<v>2832.00</v>" in xml


def test_readme_sheet_names_source_licence_and_unit(wangdu_workbook):
    ws = load(wangdu_workbook)["说明"]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)
    desc = json.loads((WANGDU / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["title"] in text
    assert desc["sources"][0]["file"] in text and desc["sources"][0]["sha256"] in text
    assert desc["licenses"][0]["name"] in text
    # the licence is the first line under the title, with its URL and what it allows
    assert ws["A3"].value == "许可" and "https://opendatacommons.org/licenses/pddl/1-0/" in ws["B3"].value
    assert "可自由使用、修改和再发布" in ws["B3"].value
    assert "万元" in text and "四舍五入" in text
    assert "function_expenditure" in text  # the list of sheets


def test_only_non_empty_resources_get_a_sheet():
    # 互助's final account lists no projects: projects.csv has a header only
    package = PACKAGES / "haidong-huzhu-ybj-2024-final"
    assert (package / "projects.csv").read_text(encoding="utf-8").count("\n") == 1
    wb = load(downloads.document_workbook(package))
    assert "projects" not in wb.sheetnames
    assert "function_expenditure" in wb.sheetnames and "glossary" in wb.sheetnames


def test_resource_longer_than_a_sheet_continues_on_the_next(monkeypatch):
    # Excel holds 1,048,576 rows a sheet; the combined package of a national corpus has more
    # checks than that. With the limit set to 100 data rows, 望都's checks go on several sheets.
    checks = list(csv.DictReader((WANGDU / "checks.csv").open(encoding="utf-8")))
    assert len(checks) > 200
    monkeypatch.setattr(downloads, "EXCEL_MAX_DATA_ROWS", 100)
    wb = load(downloads.document_workbook(WANGDU))
    parts = [n for n in wb.sheetnames if n == "checks" or n.startswith("checks_")]
    assert parts == ["checks"] + [f"checks_{i}" for i in range(2, len(parts) + 1)]
    assert len(parts) == -(-len(checks) // 100)
    got = [row for name in parts for row in wb[name].iter_rows(min_row=3, values_only=True)]
    assert len(got) == len(checks)
    assert [r[1] for r in got] == [c["check"] for c in checks]  # same order, nothing lost
    assert wb[parts[1]]["A2"].value == "document_id"  # every part has both header rows
    listed = {r[0]: r[2] for r in wb["说明"].iter_rows(values_only=True) if r[0] in parts}
    assert sum(listed.values()) == len(checks)


def test_workbook_and_zip_are_byte_identical_on_rebuild(tmp_path):
    assert downloads.document_workbook(WANGDU) == downloads.document_workbook(WANGDU)
    assert downloads.package_zip(WANGDU) == downloads.package_zip(WANGDU)
    a = downloads.write_downloads(PACKAGES, tmp_path / "a")
    b = downloads.write_downloads(PACKAGES, tmp_path / "b")
    assert a.keys() == b.keys()
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name


def test_zip_entries_are_fixed_and_sorted():
    for data in (downloads.package_zip(WANGDU), downloads.document_workbook(WANGDU)):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        for i in infos:
            assert i.date_time == (2020, 1, 1, 0, 0, 0)
            assert i.external_attr >> 16 == 0o100644
            assert i.compress_type == zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(io.BytesIO(downloads.document_workbook(WANGDU))) as z:
        core = z.read("docProps/core.xml").decode()
    assert "2020-01-01T00:00:00Z" in core and core.count("2020-01-01") == 2


def test_zip_holds_exactly_the_package_files_unchanged():
    data = downloads.package_zip(WANGDU)
    on_disk = sorted(p.name for p in WANGDU.iterdir() if p.is_file())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        # the package files, and beside them the licence in words (LICENSE.txt)
        assert sorted(z.namelist()) == sorted([*on_disk, "LICENSE.txt"])
        for name in on_disk:
            assert z.read(name) == (WANGDU / name).read_bytes(), name


def test_zip_carries_the_licence_and_the_source():
    """LICENSE.txt names the descriptor's licence (ODC-PDDL-1.0 and its URL) and 望都's source
    file with its sha256, as the descriptor gives them."""
    desc = json.loads((WANGDU / "datapackage.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(io.BytesIO(downloads.package_zip(WANGDU))) as z:
        text = z.read("LICENSE.txt").decode("utf-8")
    assert desc["licenses"][0]["name"] == "ODC-PDDL-1.0"
    assert "ODC-PDDL-1.0" in text and "https://opendatacommons.org/licenses/pddl/1-0/" in text
    assert "可自由使用、修改和再发布" in text and "free to use, modify and redistribute" in text
    assert desc["sources"][0]["file"] in text and desc["sources"][0]["sha256"] in text
    assert text.startswith(desc["title"] + "\n")


def test_write_downloads_lists_every_package(tmp_path):
    out = downloads.write_downloads(PACKAGES, tmp_path)
    folders = sorted(p.name for p in PACKAGES.iterdir() if (p / "datapackage.json").is_file())
    assert "all" in folders
    for folder in folders:
        # kept by content: <cache>/<package>/<key>/<package>.zip
        assert out[f"downloads/{folder}.zip"].relative_to(tmp_path).parts[::2] == (folder, f"{folder}.zip")
        assert out[f"downloads/{folder}.xlsx"].parent == out[f"downloads/{folder}.zip"].parent
    # and the combined package one Parquet file per resource, beside its zip
    resources = [r["name"] for r in json.loads((PACKAGES / "all" / "datapackage.json")
                                               .read_text(encoding="utf-8"))["resources"]]
    parquets = {f"downloads/parquet/{name}.parquet" for name in resources}
    assert len(parquets) == len(resources) >= 15
    reviews = {f"downloads/{f}-review.xlsx" for f in folders if f != "all"}  # the reviewer's 检查表
    assert set(out) == {f"downloads/{f}.{ext}" for f in folders for ext in ("zip", "xlsx")} | parquets | reviews
    assert {out[p].parent.parent for p in parquets} == {out["downloads/all.zip"].parent}
    assert all(p.is_file() for p in out.values())
    without = downloads.write_downloads(PACKAGES, tmp_path / "b", workbook_for_all=False)
    assert "downloads/all.xlsx" not in without and "downloads/all.zip" in without


def test_unchanged_download_is_not_rewritten(tmp_path):
    out = downloads.write_downloads(PACKAGES, tmp_path)
    path = out["downloads/all.zip"]
    before = path.stat().st_mtime_ns
    os.utime(path, ns=(before - 10**9, before - 10**9))
    downloads.write_downloads(PACKAGES, tmp_path)
    assert path.stat().st_mtime_ns == before - 10**9


# ------------------------------------------------------------------ a hostile package


def make_package(root: Path, rows: list[dict]) -> Path:
    """A one-resource package with a code, a name, an amount and a year column."""
    pkg = root / "hostile"
    pkg.mkdir()
    fields = [
        {"name": "code", "type": "string", "title": "科目编码"},
        {"name": "name", "type": "string", "title": "科目名称"},
        {"name": "total", "type": "number", "title": "合计"},
        {"name": "year", "type": "integer", "title": "年度"},
        {"name": "empty", "type": "boolean", "title": "是否空表"},
    ]
    with (pkg / "items.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, [x["name"] for x in fields], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    (pkg / "datapackage.json").write_text(json.dumps({
        "name": "hostile", "title": "测试=包",
        "resources": [{"name": "items", "path": "items.csv", "title": "科目",
                       "schema": {"fields": fields}}],
    }, ensure_ascii=False), encoding="utf-8")
    return pkg


def test_excel_hostile_text_stays_text(tmp_path):
    names = ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"y\")", " 前后空格 "]
    rows = [{"code": "30101", "name": n, "total": "1", "year": "2024", "empty": "false"} for n in names]
    rows.append({"code": "=cmd|' /C calc'!A0", "name": "控制\x07字符", "total": "", "year": "", "empty": "true"})
    data = downloads.document_workbook(make_package(tmp_path, rows))
    ws = load(data)["items"]
    _, _, cells = sheet_rows(ws)
    assert [r[1].value for r in cells[:len(names)]] == names
    for r in cells:
        assert r[0].data_type == "s" and r[1].data_type == "s"
    assert cells[-1][0].value == "=cmd|' /C calc'!A0"
    assert cells[-1][1].value == "控制字符"  # characters XML cannot hold are dropped
    assert cells[0][4].value is False and cells[-1][4].value is True
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert all("<f>" not in z.read(n).decode() for n in sheets)


def test_exact_large_and_precise_amounts(tmp_path):
    values = ["74440979.8781512", "202.15284", "0.000001", "123456789012345", "1234567890123456.7", "89"]
    rows = [{"code": "2101501", "name": "x", "total": v, "year": "2024", "empty": ""} for v in values]
    data = downloads.document_workbook(make_package(tmp_path, rows))
    wb = load(data)
    _, _, cells = sheet_rows(wb["items"])
    totals = [r[2] for r in cells]
    xml = sheet_xml(data, wb, "items")
    # ≤ 15 significant digits: a number cell holding the decimal text exactly
    for v in ("74440979.8781512", "202.15284", "0.000001", "123456789012345", "89"):
        assert f"<v>{v}</v>" in xml
    assert totals[0].data_type == "n"
    # 17 significant digits cannot be a number in Excel: kept as text
    assert totals[4].data_type == "s" and totals[4].value == "1234567890123456.7"
    # enough optional decimals to show the most precise figure of the column
    assert totals[0].number_format == "#,##0.00#####"  # 7 decimals (74440979.8781512)
    assert cells[0][3].value == 2024 and cells[0][3].number_format == "0"
    assert cells[0][0].value == "2101501" and cells[0][0].data_type == "s"


def test_hostile_resource_path_is_refused(tmp_path):
    pkg = make_package(tmp_path, [])
    desc = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["path"] = "../../etc/passwd"
    (pkg / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    with pytest.raises(ValueError):
        downloads.package_zip(pkg)
    with pytest.raises(ValueError):
        downloads.document_workbook(pkg)


def test_cache_rebuilds_only_changed_packages(tmp_path):
    tree = tmp_path / "datapackages"
    shutil.copytree(WANGDU, tree / WANGDU.name)
    out_dir = tmp_path / "out"
    first = downloads.write_downloads(tree, out_dir)
    xlsx, zpath = first[f"downloads/{WANGDU.name}.xlsx"], first[f"downloads/{WANGDU.name}.zip"]
    before = xlsx.read_bytes()
    assert downloads.write_downloads(tree, out_dir) == first
    assert xlsx.read_bytes() == before
    # the same package in another folder (the pipeline builds in a new staging folder each
    # time) reuses the files: nothing is made again
    moved = tmp_path / "staging-2" / "datapackages"
    shutil.copytree(tree, moved)
    assert downloads.write_downloads(moved, out_dir) == first
    csv_path = tree / WANGDU.name / "glossary.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("财政拨款收入", "财政拨款收入（改）"),
                        encoding="utf-8")
    changed = downloads.write_downloads(tree, out_dir)
    zpath2, xlsx2 = changed[f"downloads/{WANGDU.name}.zip"], changed[f"downloads/{WANGDU.name}.xlsx"]
    assert zpath2 != zpath and zpath.is_file()  # the old slot stays for other trees, for a while
    with zipfile.ZipFile(zpath2) as z:
        assert z.read("glossary.csv") == csv_path.read_bytes()
    terms = [c.value for c in load(xlsx2.read_bytes())["glossary"]["B"]]
    assert "财政拨款收入（改）" in terms
    xlsx2.unlink()  # a lost output is made again
    assert downloads.write_downloads(tree, out_dir)[f"downloads/{WANGDU.name}.xlsx"] == xlsx2
    assert load(xlsx2.read_bytes())["glossary"] is not None


def test_cache_forgets_what_no_build_used_for_an_hour(tmp_path):
    tree = tmp_path / "datapackages"
    shutil.copytree(WANGDU, tree / WANGDU.name)
    out_dir = tmp_path / "out"
    old = downloads.write_downloads(tree, out_dir)[f"downloads/{WANGDU.name}.zip"].parent
    (tree / WANGDU.name / "glossary.csv").write_text("term,definition\n", encoding="utf-8")
    stray = out_dir / WANGDU.name / f".{WANGDU.name}.zip.123.tmp"  # left by a killed build
    stray.write_bytes(b"half")
    new = downloads.write_downloads(tree, out_dir)[f"downloads/{WANGDU.name}.zip"].parent
    assert old.is_dir() and stray.is_file()  # used less than an hour ago: kept
    an_hour_ago = time.time() - downloads.KEEP_UNUSED_SECONDS - 1
    for path in (old, stray, new):
        os.utime(path, (an_hour_ago, an_hour_ago))
    downloads.write_downloads(tree, out_dir)
    assert sorted(p.name for p in (out_dir / WANGDU.name).iterdir()) == [new.name]


# ------------------------------------------------------------- made while MkDocs renders


def test_site_makes_missing_downloads_in_other_processes(tmp_path, monkeypatch):
    """The site hook plans the downloads, has the missing ones made in other processes while
    MkDocs renders the pages, and waits for them before MkDocs copies the files: the bytes are
    those of the plain function."""
    cat = catalog.load_catalog(PACKAGES, replace(SiteSettings.defaults(), downloads_cache=tmp_path / "cache"))
    out = publish_site.download_files(cat)
    n_resources = len(json.loads((PACKAGES / "all" / "datapackage.json").read_text(encoding="utf-8"))["resources"])
    # a zip and a workbook per package, a Parquet file per resource of all: nothing cached yet
    assert len(cat.pending_downloads) == len(out) == 3 * len(cat.packages) - 1 + n_resources
    publish_site.wait_for_downloads(cat)
    assert cat.pending_downloads == []
    plain = downloads.write_downloads(PACKAGES, tmp_path / "plain")
    assert out.keys() == plain.keys()
    for name in out:
        assert out[name].read_bytes() == plain[name].read_bytes(), name
    assert publish_site.download_files(cat) == out and cat.pending_downloads == []  # all cached now


def test_a_download_that_fails_in_another_process_fails_the_wait(tmp_path, monkeypatch):
    tree = tmp_path / "datapackages"
    shutil.copytree(WANGDU, tree / WANGDU.name)
    desc = json.loads((tree / WANGDU.name / "datapackage.json").read_text(encoding="utf-8"))
    desc["resources"][0]["path"] = "../../etc/passwd"
    (tree / WANGDU.name / "datapackage.json").write_text(json.dumps(desc), encoding="utf-8")
    cat = catalog.Catalog(root=tree, packages=[WANGDU.name],
                          settings=replace(SiteSettings.defaults(), downloads_cache=tmp_path / "cache"))
    publish_site.download_files(cat)
    with pytest.raises(ValueError, match="is not a plain file name"):
        publish_site.wait_for_downloads(cat)


def test_without_process_pools_the_downloads_are_made_in_the_build(tmp_path, monkeypatch):
    def no_pool(*args, **kwargs):
        raise OSError(38, "Function not implemented")  # what a machine without /dev/shm says

    monkeypatch.setattr(pool, "ProcessPoolExecutor", no_pool)
    cat = catalog.load_catalog(PACKAGES, replace(SiteSettings.defaults(), downloads_cache=tmp_path / "cache"))
    out = publish_site.download_files(cat)
    assert cat.pending_downloads == [] and all(path.is_file() for path in out.values())
    assert out["downloads/all.zip"].read_bytes() == downloads.package_zip(PACKAGES / "all")
