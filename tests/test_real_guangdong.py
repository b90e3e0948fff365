"""The two Guangdong 2026 部门预算 PDFs (深圳市医疗保障局, 珠海市商务局) through the real command line.

Figures are the ones printed in the PDFs (万元), with the page that prints them. Both templates
print tables without function codes: project tables with a subtotal row per budget unit, a
收入总表 by source of funds, a 基本支出总表 by economic name only (深圳), and 珠海 titles its
收支总表 ``收支总体情况表``. The PDF folder is not part of this repository: those tests skip,
naming the reason, where it is absent. The subtotal rule itself is tested on plain figures.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import Package, D, needs_real_pdfs

SZ = "shenzhen-ybj-2026-budget"
ZH = "zhuhai-shangwuju-2026-budget"



@pytest.fixture(scope="module")
def gd(real_packages) -> Package:
    """The real PDFs' packages, built once per session (``conftest.real_packages``)."""
    return real_packages


def projects(pkg: Package, doc: str) -> list[dict[str, str]]:
    return pkg.rows("projects", document_id=doc, table="projects")


def income(pkg: Package, doc: str) -> dict[str, tuple[Decimal | None, int]]:
    return {r["item"]: (D(r["amount"]), int(r["source_page"]))
            for r in pkg.rows("summary", document_id=doc, table="income")}


def failed(pkg: Package, doc: str) -> list[str]:
    return sorted(c["check"] for c in pkg.rows("checks", document_id=doc, status="fail"))


def check_status(pkg: Package, doc: str, check: str, **where: str) -> list[str]:
    return [c["status"] for c in pkg.rows("checks", document_id=doc, check=check, **where)]


# ------------------------------------------------------------------------------ 深圳


@needs_real_pdfs
def test_shenzhen_project_table_without_the_unit_row(gd):
    """表5 项目支出总表 (p. 24) prints 深圳市医疗保障局（本级） 4,468.22 above its 7 projects."""
    rows = projects(gd, SZ)
    assert len(rows) == 7
    assert sum(D(r["amount"]) for r in rows) == Decimal("4468.22")
    assert {r["unit"] for r in rows} == {"深圳市医疗保障局（本级）"}
    assert {int(r["source_page"]) for r in rows} == {24}
    by_name = {r["project"]: D(r["amount"]) for r in rows}
    assert by_name["中央财政转移支付——医疗服务与保障能力提升补助资金"] == Decimal("1047.61")
    assert by_name["区财政安排项目"] == Decimal("1725.63")
    assert check_status(gd, SZ, "projects.sum_vs_project_spending") == ["pass"]


@needs_real_pdfs
def test_shenzhen_income_table_by_source(gd):
    """表2 收入总表 (p. 18): one row for the bureau, columns by source of funds."""
    lines = income(gd, SZ)
    assert lines["一般公共预算拨款"] == (Decimal("13607.02"), 18)
    assert lines["其他收入"] == (Decimal("1725.63"), 18)
    assert lines["上年结余、结转"] == (Decimal("147.61"), 18)
    assert lines["收入总计"] == (Decimal("15480.26"), 18)
    # the 收入总表's 收入总计 includes 上年结余、结转: it matches the 收支总表's 收入总计 15,480.26,
    # while the 收支总表's 本年收入合计 is 15,332.65 = 13,607.02 + 1,725.63
    summary = {r["item"]: D(r["amount"]) for r in gd.rows("summary", document_id=SZ, table="summary")}
    assert summary["本年收入合计"] == Decimal("15332.65") and summary["收入总计"] == Decimal("15480.26")
    assert check_status(gd, SZ, "cross.summary_vs_income") == ["pass"]
    assert check_status(gd, SZ, "summary.income_lines_sum") == ["pass"]


@needs_real_pdfs
def test_shenzhen_basic_spending_table_by_economic_name(gd):
    """表4 基本支出总表 (pp. 22-23) prints names only; codes come from 表8's coded rows."""
    rows = {r["code"]: r for r in gd.rows("economic_expenditure", document_id=SZ, table="basic_economic")}
    assert len(rows) == 31
    assert (rows["301"]["name"], D(rows["301"]["total"]), rows["301"]["source_page"]) == (
        "工资福利支出", Decimal("9129.36"), "22")
    assert (rows["30101"]["name"], D(rows["30101"]["total"])) == ("基本工资", Decimal("1990.99"))
    assert (rows["30217"]["name"], D(rows["30217"]["total"]), rows["30217"]["source_page"]) == (
        "公务接待费", Decimal("1.44"), "23")
    assert D(rows["302"]["total"]) + D(rows["303"]["total"]) + D(rows["301"]["total"]) == Decimal("11012.04")
    assert set(check_status(gd, SZ, "economic.class_sum")) == {"pass"}
    # 表8 prints 30202 印刷费 41.24 over basic + project; the basic table keeps its own 22.19
    assert D(rows["30202"]["total"]) == Decimal("22.19")


@needs_real_pdfs
def test_shenzhen_has_no_failed_check(gd):
    assert failed(gd, SZ) == []


# ------------------------------------------------------------------------------ 珠海


@needs_real_pdfs
def test_zhuhai_project_table_three_units(gd):
    """表12 (pp. 22-29): 合计 58,788.54, then 珠海市商务局 58,446.21, 珠海市贸易服务中心 20.60 and
    珠海市会议展览局 321.73, each above its projects."""
    rows = projects(gd, ZH)
    assert len(rows) == 76
    names = {r["project"] for r in rows}
    assert not names & {"珠海市商务局", "珠海市贸易服务中心", "珠海市会议展览局", "合计"}
    by_unit: dict[str, Decimal] = {}
    for r in rows:
        by_unit[r["unit"]] = by_unit.get(r["unit"], Decimal(0)) + D(r["amount"])
    # each project printed to the cent: 58,446.22 added against 58,446.21 printed
    assert by_unit == {"珠海市商务局": Decimal("58446.22"), "珠海市贸易服务中心": Decimal("20.60"),
                       "珠海市会议展览局": Decimal("321.73")}
    last = next(r for r in rows if r["project"] == "会展购买服务经费")
    assert (D(last["amount"]), last["unit"], last["source_page"]) == (Decimal("21.73"), "珠海市会议展览局", "28")
    assert check_status(gd, ZH, "projects.sum_vs_project_spending") == ["rounding"]


@needs_real_pdfs
def test_zhuhai_project_spending_by_economic_class_is_not_a_project_list(gd):
    """表7 一般公共预算项目支出情况表（按经济分类科目） (p. 17) is coded economic rows."""
    rows = {r["code"]: r for r in gd.rows("economic_expenditure", document_id=ZH, table="project_economic")}
    assert (rows["31204"]["name"], D(rows["31204"]["total"]), rows["31204"]["source_page"]) == (
        "费用补贴", Decimal("9450.00"), "17")
    table = gd.one("tables", document_id=ZH, table="project_economic")
    assert D(table["total"]) == Decimal("38885.01")


@needs_real_pdfs
def test_zhuhai_summary_and_income_tables(gd):
    """表1 收支总体情况表 (pp. 6-7) and 表2 收入总体情况表 (p. 8)."""
    table = gd.one("tables", document_id=ZH, table="summary")
    assert (table["title"], table["source_page"]) == ("收支总体情况表", "6")
    summary = {r["item"]: (D(r["amount"]), r["source_page"])
               for r in gd.rows("summary", document_id=ZH, table="summary")}
    assert summary["一、预算拨款"] == (Decimal("46402.33"), "6")
    assert summary["本年收入合计"] == (Decimal("46403.97"), "7")
    assert summary["收入总计"] == (Decimal("66307.98"), "7")
    lines = income(gd, ZH)
    assert lines["合计"] == (Decimal("66307.98"), 8)
    assert lines["一般公共预算"] == (Decimal("46402.33"), 8)
    assert lines["上年结转结余"] == (Decimal("19904.01"), 8)
    for check in ("summary.income_lines_sum", "summary.income_grand_total", "cross.summary_vs_income",
                  "cross.summary_vs_expenditure"):
        assert check_status(gd, ZH, check, table="summary") == ["pass"], check


@needs_real_pdfs
def test_zhuhai_operating_costs_from_the_administrative_costs_line(gd):
    """表8 (p. 18) prints 行政经费 10,884.55, the 机关运行经费 of the narrative (p. 31)."""
    table = gd.one("tables", document_id=ZH, table="operating_costs")
    assert (D(table["total"]), table["source_page"]) == (Decimal("10884.55"), "18")
    assert check_status(gd, ZH, "narrative.operating_costs") == ["pass"]


@needs_real_pdfs
def test_zhuhai_has_no_failed_check(gd):
    assert failed(gd, ZH) == []


# ------------------------------------------------------------------- the subtotal rule


def test_unit_subtotals_found_by_arithmetic():
    from generator.recognize.projects import unit_subtotals
    amounts = [Decimal(v) for v in ("10.00", "4.00", "6.00", "3.00", "1.00", "2.00")]
    assert unit_subtotals(amounts) == [0, 3]
    # within printed rounding: 5.01 over 2.00 + 3.00, trailing zero project kept in its group
    amounts = [Decimal(v) for v in ("5.01", "2.00", "3.00", "0.00", "1.00", "1.00")]
    assert unit_subtotals(amounts) == [0, 4]


def test_plain_project_list_has_no_subtotals():
    from generator.recognize.projects import unit_subtotals
    assert unit_subtotals([Decimal(v) for v in ("612.10", "1725.63", "306.07", "594.21")]) == []
    assert unit_subtotals([Decimal(v) for v in ("5.00", "3.00", "2.00", "7.00")]) == []
    assert unit_subtotals([]) == []
