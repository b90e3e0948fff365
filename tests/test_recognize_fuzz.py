"""Odd cells never crash the recognizer: an unreadable amount is a flagged value or a named error.

Hypothesis feeds random rows (codes, names, amounts — including the odd ones disclosures and OCR
print: ``1,2,3``, ``--``, ``—``, ``/``, ``1e308``, ``NaN`` — empty cells, wrong cell counts,
header words) to the row and column functions and, inside a document with a valid title and
year, to ``ingested_to_parsed``: nothing may escape but the project's own errors. Settings are
deterministic (``derandomize``, no example database) so CI is stable; 200 examples each.

And through the real command line: a sample disclosure with one row's amount replaced by each
odd cell still builds.
"""
from __future__ import annotations

import csv
import shutil
from decimal import Decimal

import pytest
from conftest import DOCUMENTS, run_build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.ingest.text import text_to_lines
from generator.package.rows import PackageError
from generator.records import IngestedDocument, IngestError, SourceFile
from generator.recognize import ingested_to_parsed
from generator.recognize.columns import (
    column_value,
    drop_line_numbers,
    economic_columns,
    expenditure_column,
    function_columns,
    line_number_columns,
    resolve_columns,
)
from generator.recognize.metadata import MetadataError
from generator.recognize.regions import Region, lines_to_regions
from generator.recognize.rows import cells_to_row, labelled_totals, merge_rows_by_code, region_to_rows

#: the project's own errors: a file that is no disclosure, metadata that cannot be read, a package
OWN_ERRORS = (IngestError, MetadataError, PackageError)

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ODD = ["1,2,3", "--", "-", "—", "——", "/", "1e308", "-1e308", "NaN", "nan", "inf", "-Infinity", "1E+5",
       "(12.50)", "()", "(", "１２．３４", "341. 39", "1,234.5", ",", ".", "..", "0.00", "-0", "9" * 40,
       "*", "…", "\\", "１,２", "12.3.4", "1..2", "+5", "0x10", "½", "٣"]
CODES = ["201", "20101", "2010101", "208", "20805", "2080505", "210", "21015", "2101501", "05", "01",
         "99", "301", "30101", "302", "30201", "303", "501", "50101", "320001", "201999", "1", "12"]
NAMES = ["合计", "总计", "小计", "行政运行", "基本工资", "办公费", "人员经费合计", "公用经费合计", "人员经费",
         "公用经费", "一般公共服务支出", "收入总计", "支出总计", "本年收入合计", "因公出国（境）费",
         "公务接待费", "公务用车购置及运行费", "50101-工资奖金津补贴", "30101-基本工资", "望都县医疗保障局",
         "2025年", "项目名称", "（一）", "预算数"]
HEADERS = ["合计", "基本支出", "项目支出", "人员经费", "公用经费", "人员类", "类", "款", "项", "栏次", "行次",
           "收入", "支出", "序号", "科目编码", "科目名称", "单位预留机动经费", "金额单位：万元", "单位：元"]
TITLES = ["一般公共预算支出表", "部门支出总表", "部门收入总表", "部门收支总表", "财政拨款收支总表",
          "一般公共预算基本支出表", "一般公共预算支出表（经济分类）", "一般公共预算“三公”经费支出表",
          "项目支出表", "政府性基金预算支出表", "部门整体支出绩效目标表", "政府采购预算表",
          "机关运行经费表", "项目支出表（按经济分类）"]

amounts = st.one_of(st.sampled_from(ODD),
                    st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False).map(str),
                    st.integers(-10**6, 10**9).map(str))
cell = st.one_of(st.just(""), st.sampled_from(CODES), st.sampled_from(NAMES), st.sampled_from(HEADERS),
                 amounts, st.text(alphabet="0123456789.,-—/ ()合计eENa行政", max_size=8))
#: a data row as tables print it: [row number] code name amounts …, sometimes with stray cells
data_row = st.tuples(st.sampled_from(["", "1", "14"]), st.sampled_from(CODES + [""]), st.sampled_from(NAMES + [""]),
                     st.lists(st.one_of(amounts, st.just("")), max_size=6)).map(lambda t: [*t[:3], *t[3]])
cells = st.one_of(st.lists(cell, max_size=12), data_row)


def _row_text(row: list[str], how: str) -> str:
    """One table row as a text disclosure prints it: tab-separated (positional), in a pipe table
    (positional) or split on spaces (empty cells lost)."""
    if how == "tab":
        return "\t".join(row)
    if how == "pipe":
        return "| " + " | ".join(row) + " |"
    return " ".join(c for c in row if c.strip())


table = st.tuples(st.sampled_from(TITLES), st.sampled_from(["单位：万元", "单位：元", ""]),
                  st.lists(st.sampled_from(HEADERS), max_size=6),
                  st.lists(st.tuples(cells, st.sampled_from(["tab", "pipe", "space"])), max_size=14))


def _document(tables) -> IngestedDocument:
    text = ["望都县医疗保障局", "2024年部门预算", "单位：万元"]
    for title, unit, header, rows in tables:
        text += [title, unit, " ".join(header)]
        text += [_row_text(r, how) for r, how in rows]
    lines = tuple(text_to_lines("\n".join(text), "fuzz.txt"))
    return IngestedDocument("fuzz", (SourceFile("fuzz.txt", "0" * 64, "text"),), lines)


@FUZZ
@given(st.lists(table, min_size=1, max_size=4))
def test_a_document_of_random_rows_parses_or_fails_with_a_named_error(tables):
    doc = _document(tables)
    try:
        parsed = ingested_to_parsed(doc)
    except OWN_ERRORS:
        return
    for r in parsed.function_rows + parsed.economic_rows:
        for v in (r.total, *(getattr(r, k, None) for k in ("basic", "project", "personnel", "public"))):
            assert v is None or v.is_finite()


@FUZZ
@given(cells, st.booleans(), st.booleans())
def test_one_row_of_random_cells(row_cells, positional, economic):
    row = cells_to_row(row_cells, positional, economic, 1)
    if row is not None:
        assert all(v is None or isinstance(v, Decimal) and v.is_finite() for v in row.values)


def _region(rows, title: str) -> Region:
    text = "\n".join([title, *(_row_text(r, how) for r, how in rows)])
    return Region("general_public_function", title, text_to_lines(text, "fuzz.txt"), None)


@FUZZ
@given(st.lists(st.tuples(cells, st.sampled_from(["tab", "pipe", "space"])), max_size=16),
       st.lists(st.sampled_from(HEADERS), max_size=6), st.booleans())
def test_rows_and_columns_of_a_random_region(rows, header, economic):
    region = _region([(header, "space"), *rows], "一般公共预算支出表")
    got = merge_rows_by_code([r for r in region_to_rows(region, economic=economic) if r.code or r.total])
    header_words = " ".join(header)
    for columns in (function_columns(header_words, region), economic_columns(header_words),
                    ["total", "basic", "project"], ["total", "personnel", "public"]):
        resolve_columns(got, columns)
        for r in got:
            for key in ("total", "basic", "project", "personnel", "public"):
                column_value(r, columns, key)
    numbers = line_number_columns(region)
    for line in region.lines:
        drop_line_numbers(list(line.cells), numbers)
    expenditure_column(region)
    labelled_totals(region.lines)


def test_the_fuzz_document_gets_past_metadata():
    """The generated documents reach the recognizers (a valid title and year), so the test above
    exercises them and not only the metadata check."""
    doc = _document([("一般公共预算支出表", "单位：万元", ["合计", "基本支出", "项目支出"],
                      [(["201", "一般公共服务支出", "--", "1e308"], "space")])])
    parsed = ingested_to_parsed(doc)
    assert parsed.meta.year == 2024
    assert [r.table for r in lines_to_regions(list(doc.lines))] == ["general_public_function"]


WANGDU = "004_1dc876329a8abae6.txt"
#: a 款 row of 望都's space-separated 一般公共预算财政拨款支出表 (合计 | 基本支出 | 项目支出)
WANGDU_ROW = "14 21015 医疗保障管理事务 364.47 275.47 89.00"


@pytest.mark.parametrize("odd", ["1,2,3", "--", "-", "—", "/", "1e308", "NaN"])
def test_an_odd_cell_in_a_text_disclosure_does_not_drop_the_document(tmp_path, odd):
    docs = tmp_path / "documents"
    docs.mkdir()
    text = (DOCUMENTS / WANGDU).read_text(encoding="utf-8")
    assert WANGDU_ROW in text
    (docs / WANGDU).write_text(text.replace(WANGDU_ROW, WANGDU_ROW.replace("275.47", odd)), encoding="utf-8")
    shutil.copy(DOCUMENTS / "000_a8cda960e0db61c9.txt", docs)
    result = run_build(docs, tmp_path / "datapackages", "--jobs", "1", "--no-cache", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "internal error" not in result.stdout + result.stderr
    assert "2 documents: 2 parsed, 0 failed" in result.stdout
    # the odd cell is an empty 基本支出 in its place (89.00 stays 项目支出), and the checks say so
    with (tmp_path / "datapackages" / "all" / "function_expenditure.csv").open(encoding="utf-8") as f:
        row = next(r for r in csv.DictReader(f) if r["table"] == "general_public_function" and r["code"] == "21015")
    assert (row["total"], row["basic"], row["project"]) == ("364.47", "", "89.00")
    with (tmp_path / "datapackages" / "all" / "checks.csv").open(encoding="utf-8") as f:
        failed = [r["message"] for r in csv.DictReader(f) if r["status"] == "fail"]
    assert "21015 医疗保障管理事务：合计 364.47 ≠ 基本支出 0 + 项目支出 89.00" in failed
    with (tmp_path / "datapackages" / "all" / "checks.csv").open(encoding="utf-8") as f:
        unreadable = [(r["document_id"], r["status"], r["table"], r["actual"], r["message"])
                      for r in csv.DictReader(f) if r["check"] == "text.unreadable_figures"]
    if odd in ("1,2,3", "1e308", "NaN"):  # printed, but not an amount: a failed check names it
        assert ("baoding-wangdu-ybj-2024-budget", "fail", "general_public_function", odd,
                f"21015：印出的“{odd}”无法读作金额，按空值处理。") in unreadable
    else:  # a placeholder (--, -, —, /) is an empty cell as printed
        assert ("baoding-wangdu-ybj-2024-budget", "pass", "", "", "表格中应为金额的单元格都能读出数值。") in unreadable


def test_an_unreadable_figure_is_read_as_empty_in_its_place_and_named():
    doc = _document([("一般公共预算支出表", "单位：万元", ["合计", "基本支出", "项目支出"],
                      [(["201", "一般公共服务支出", "1e308", "5.00", "--"], "space"),
                       (["20101", "人大事务", "NaN", "", "7"], "tab")])])
    parsed = ingested_to_parsed(doc)
    assert [(r.code, r.total, r.basic, r.project) for r in parsed.function_rows] == [
        ("201", None, Decimal("5.00"), None), ("20101", None, None, Decimal("7"))]
    assert [(f.table, f.label, f.text) for f in parsed.unreadable_figures] == [
        ("general_public_function", "201", "1e308"), ("general_public_function", "20101", "NaN")]
