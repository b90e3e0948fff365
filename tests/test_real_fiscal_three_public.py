"""行次 columns of the final-account 收支总表 / 财政拨款收支总表 and the "三公" tables of the
final accounts, checked against the figures printed in the sources (万元, with their page).

* 国家信访局 2024 决算 (``national-xfj-2024-bumen-juesuan.pdf``) and the sample 海东 互助 2024
  决算 (``documents/002_*.txt``) print a 行次 column beside every label; the right-hand label is
  blank on the lines under 年末结转和结余, so its 行次 (61, 62, 63) must not become the amount of
  the left-hand line (政府性基金预算财政拨款).
* 普陀区财政局 2024 决算 prints 预算数 | 决算数 under every "三公" item (page 18); 国家信访局's
  决算数 add up within rounding only (46.21 ≈ 4.69 + 40.61 + 0.90, page 15).

The real-PDF tests skip, naming the reason, where ../shared/real-pdfs is absent.
"""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import DOCUMENTS, Package, D, needs_real_pdfs
from generator.recognize.summary import summary_lines
from generator.recognize.three_public import adds_up, three_public_rows
from generator.records import Bureau, DocumentMeta, Line, ParsedDocument
from generator.recognize.regions import Region

XFJ = "cn-xinfangju-2024-final"
PUTUO = "shanghai-putuo-caizhengju-2024-final"
HAIDONG = "haidong-huzhu-ybj-2024-final"



@pytest.fixture(scope="module")
def finals(real_packages) -> Package:
    """The real PDFs' packages, built once per session (``conftest.real_packages``)."""
    return real_packages


def summary(pkg: Package, doc: str, table: str, item: str) -> list[tuple[Decimal | None, str]]:
    return [(D(r["amount"]), r["source_page"])
            for r in pkg.rows("summary", document_id=doc, table=table, item=item)]


def three_public(pkg: Package, doc: str) -> dict[tuple[str, str], tuple[Decimal, int | None]]:
    return {(r["item"], r["measure"]): (D(r["amount"]), int(r["source_page"]) if r["source_page"] else None)
            for r in pkg.rows("three_public", document_id=doc, table="three_public")}


def whole_numbers(pkg: Package, doc: str) -> list[tuple[str, str, str]]:
    """Summary lines whose amount is printed as a bare integer (no decimals)."""
    return [(r["table"], r["item"], r["amount"]) for r in pkg.rows("summary", document_id=doc)
            if r["table"] in ("summary", "fiscal_summary") and r["amount"] and "." not in r["amount"]
            and D(r["amount"]) != 0]


def printed_line_numbers(path: Path, title: str) -> set[int]:
    """The 行次 printed in a text document's table: the cells of the columns headed 行次."""
    numbers: set[int] = set()
    columns: list[int] = []
    inside = False
    for raw in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in raw.split("\t")]
        if re.sub(r"\s+", "", raw) == title:
            inside = True
            continue
        if not inside:
            continue
        if "行次" in cells:
            columns = [i for i, c in enumerate(cells) if c == "行次"]
        elif columns and len(cells) == 1 and cells[0].endswith("表"):
            break  # the next table's title
        for i in columns:
            if i < len(cells) and re.fullmatch(r"\d{1,3}", cells[i]):
                numbers.add(int(cells[i]))
    return numbers


# --------------------------------------------------------------- 行次: the sample (海东)

def test_haidong_fiscal_summary_has_no_amount_equal_to_a_line_number(all_package):
    source = next(DOCUMENTS.glob("002_*.txt"))
    numbers = printed_line_numbers(source, "财政拨款收入支出决算总表")
    assert {29, 30, 31, 61, 62, 63} <= numbers  # the table prints its 行次 (left 1…32, right 33…64)
    amounts = [D(r["amount"]) for r in all_package.rows("summary", document_id=HAIDONG, table="fiscal_summary")
               if r["amount"]]
    assert amounts, "no fiscal_summary amounts"
    assert [a for a in amounts if a == a.to_integral_value() and int(a) in numbers] == []
    assert whole_numbers(all_package, HAIDONG) == []


def test_haidong_carry_over_lines_are_blank_not_their_line_numbers(all_package):
    # 年初财政拨款结转和结余 is blank and so are its three parts: `政府性基金预算财政拨款 | 30 | | | 62`
    for item in ("一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"):
        assert summary(all_package, HAIDONG, "fiscal_summary", item) == [(None, "")], item
    assert summary(all_package, HAIDONG, "fiscal_summary", "一、一般公共预算财政拨款") == [(Decimal("341.39"), "")]
    assert summary(all_package, HAIDONG, "fiscal_summary", "总计")[0] == (Decimal("341.39"), "")


def test_table_number_captions_are_not_summary_lines(all_package):
    # ``表 2`` printed above the next table's title (宿州) is not a line of the 收支总表
    items = [r["item"] for r in all_package.rows("summary") if r["table"] in ("summary", "fiscal_summary")]
    assert [i for i in items if re.fullmatch(r"表\d*", i)] == []


def test_sample_three_public_rows_are_the_printed_ones(all_package):
    # 海东 prints 2.10 (合计) and 2.10 (公务用车运行费) as 预算数 and as 决算数; no blank becomes a row
    assert three_public(all_package, HAIDONG) == {
        (item, measure): (Decimal("2.10"), None)  # a text source: no page
        for item in ("total", "vehicle_operation") for measure in ("budget", "final")
    }


# ------------------------------------------------------------- 行次: 国家信访局 (page 10)

@needs_real_pdfs
def test_xfj_fiscal_summary_line_numbers_are_not_amounts(finals):
    assert summary(finals, XFJ, "fiscal_summary", "政府性基金预算财政拨款") == [(None, "10")]
    assert summary(finals, XFJ, "fiscal_summary", "国有资本经营预算财政拨款") == [(None, "10")]
    # the carried-over general budget is printed: 一般公共预算财政拨款 | 29 | 1,154.62 | | 61
    assert summary(finals, XFJ, "fiscal_summary", "一般公共预算财政拨款") == [(Decimal("1154.62"), "10")]
    assert summary(finals, XFJ, "fiscal_summary", "年初财政拨款结转和结余") == [(Decimal("1154.62"), "10")]
    assert whole_numbers(finals, XFJ) == []
    assert whole_numbers(finals, PUTUO) == []


# ------------------------------------------------------------ "三公": 国家信访局 (page 15)

@needs_real_pdfs
def test_xfj_three_public_final_items_read_within_rounding(finals):
    tp = three_public(finals, XFJ)
    assert tp[("total", "final")] == (Decimal("46.21"), 15)
    assert tp[("overseas_travel", "final")] == (Decimal("4.69"), 15)
    assert tp[("vehicle_operation", "final")] == (Decimal("40.61"), 15)
    assert tp[("reception", "final")] == (Decimal("0.90"), 15)
    assert ("vehicle_purchase", "final") not in tp  # printed blank
    # the 预算数 as before
    assert tp[("total", "budget")] == (Decimal("76.43"), 15)
    assert tp[("overseas_travel", "budget")] == (Decimal("30.00"), 15)
    assert tp[("vehicle_operation", "budget")] == (Decimal("40.63"), 15)
    assert tp[("reception", "budget")] == (Decimal("5.80"), 15)


@needs_real_pdfs
def test_xfj_three_public_total_check_is_rounding(finals):
    checks = finals.rows("checks", document_id=XFJ, check="three_public.total")
    by_expected = {r["expected"]: r for r in checks}
    assert by_expected["46.21"]["status"] == "rounding"
    assert by_expected["46.21"]["actual"] == "46.20"
    assert by_expected["76.43"]["status"] == "pass"
    items = finals.rows("checks", document_id=XFJ, check="narrative.three_public_item")
    assert items and {r["status"] for r in items} == {"pass"}
    assert any("4.69" in r["message"] and "决算" in r["message"] for r in items)


# --------------------------------------------------------- "三公": 普陀区财政局 (page 18)

@needs_real_pdfs
def test_putuo_three_public_alternating_budget_and_final_columns(finals):
    tp = three_public(finals, PUTUO)
    # 合计 预算数 0.95 | 决算数 blank … 公务接待费 预算数 0.95 | 决算数 blank
    assert tp[("total", "budget")] == (Decimal("0.95"), 18)
    assert tp[("reception", "budget")] == (Decimal("0.95"), 18)
    # every 决算数 is blank: the 决算 合计 is 0 and so is every item (narrative, page 23: 0.00)
    for item in ("total", "overseas_travel", "vehicle_purchase", "vehicle_operation", "reception"):
        assert tp[(item, "final")] == (Decimal("0"), 18), item
    # not the second half of the row read as the 决算数 (0.95 would be the 合计 决算数)
    assert ("overseas_travel", "budget") not in tp


@needs_real_pdfs
def test_putuo_three_public_checks(finals):
    checks = finals.rows("checks", document_id=PUTUO, check="three_public.total")
    assert sorted((r["status"], r["expected"]) for r in checks) == [("pass", "0"), ("pass", "0.95")]
    items = finals.rows("checks", document_id=PUTUO, check="narrative.three_public_item")
    assert len(items) == 3 and {r["status"] for r in items} == {"pass"}
    rates = [r["message"] for r in finals.rows("checks", document_id=PUTUO, check="narrative.completion_rate")]
    assert any("公务接待费预算数 0.95" in m for m in rates)


# ------------------------------------------------- the rules, on made-up table lines

def _parsed(phase: str = "final") -> ParsedDocument:
    meta = DocumentMeta("t-doc", "t", "测试局2024年部门决算", 2024, phase, "department", ("t.txt",),
                        ("0" * 64,), "text", "万元")
    return ParsedDocument(meta=meta, bureau=Bureau("t", "测试局", None, None, None, "county", None))


def _region(table: str, rows: list[list[str]]) -> Region:
    lines = [Line(tuple(cells), " ".join(c for c in cells if c), 3, True) for cells in rows]
    return Region(table, "财政拨款收入支出决算总表", lines, 3)


def test_line_number_column_dropped_whole_number_amounts_kept():
    region = _region("fiscal_summary", [
        ["项目", "行次", "金额", "项目", "行次", "金额"],
        ["一、一般公共预算财政拨款", "1", "62.00", "一、一般公共服务支出", "33", "0"],
        ["二、政府性基金预算财政拨款", "2", "0", "二、外交支出", "34", "62.00"],
        ["政府性基金预算财政拨款", "30", "", "", "62", ""],
        ["总计", "32", "62.00", "总计", "64", "62.00"],
    ])
    got = [(s.item, s.amount) for s in summary_lines(_parsed(), region, "万元")]
    assert ("一、一般公共预算财政拨款", Decimal("62.00")) in got
    assert ("一、一般公共服务支出", Decimal("0")) in got  # a printed 0 stays 0
    assert ("二、政府性基金预算财政拨款", Decimal("0")) in got
    assert ("政府性基金预算财政拨款", None) in got  # not 62, its neighbour's 行次
    # every amount read is a printed amount, never a 行次 (whole numbers without decimals, but 0)
    assert [a for _, a in got if a is not None and a != 0 and a.as_tuple().exponent >= 0] == []


def test_line_number_column_found_by_counting_without_a_header():
    # no 行次 header cell: the column counts up by one, line after line
    region = _region("fiscal_summary", [
        ["本年收入合计", "27", "19,572.91", "本年支出合计", "59", "13,733.80"],
        ["年初财政拨款结转和结余", "28", "1,154.62", "年末财政拨款结转和结余", "60", "6,993.74"],
        ["一般公共预算财政拨款", "29", "1,154.62", "", "61", ""],
        ["政府性基金预算财政拨款", "30", "", "", "62", ""],
    ])
    got = {(s.side, s.item): s.amount for s in summary_lines(_parsed(), region, "万元")}
    assert got[("income", "政府性基金预算财政拨款")] is None
    assert got[("income", "一般公共预算财政拨款")] == Decimal("1154.62")
    assert got[("expenditure", "年末财政拨款结转和结余")] == Decimal("6993.74")


def test_alternating_budget_and_final_columns():
    header = ["合计", "", "因公出国（境）费", "", "公务用车购置及运行费", "", "", "", "", "", "公务接待费", ""]
    sub = ["", "", "", "", "小计", "", "公务用车购置费", "", "公务用车运行费", "", "", ""]
    measures = ["预算数", "决算数"] * 6
    figures = ["10.00", "8.50", "2.00", "1.50", "5.00", "4.00", "1.00", "0.50", "4.00", "3.50", "3.00", "3.00"]
    region = Region("three_public", "财政拨款“三公”经费支出决算表",
                    [Line(tuple(c), " ".join(x for x in c if x), 18, True) for c in (header, sub, measures, figures)],
                    18)
    rows, printed = three_public_rows(_parsed(), region)
    got = {(r.item, r.measure): r.amount for r in rows}
    assert printed
    assert got == {
        ("total", "budget"): Decimal("10.00"), ("overseas_travel", "budget"): Decimal("2.00"),
        ("vehicle_purchase", "budget"): Decimal("1.00"), ("vehicle_operation", "budget"): Decimal("4.00"),
        ("reception", "budget"): Decimal("3.00"),
        ("total", "final"): Decimal("8.50"), ("overseas_travel", "final"): Decimal("1.50"),
        ("vehicle_purchase", "final"): Decimal("0.50"), ("vehicle_operation", "final"): Decimal("3.50"),
        ("reception", "final"): Decimal("3.00"),
    }


def test_adds_up_within_the_rounding_of_the_printed_decimals():
    parts = [Decimal("4.69"), Decimal("40.61"), Decimal("0.90")]
    assert adds_up(Decimal("46.21"), parts)  # 46.20: one cent of rounding over three items
    assert adds_up(Decimal("46.20"), parts)
    assert not adds_up(Decimal("46.25"), parts)
    assert not adds_up(Decimal("46.30"), parts)
    assert not adds_up(None, parts)
