"""Issue 17 item 5 on ../shared/wild-dev: checks that failed in most documents of one template
were the parser's or the check's doing, not the documents'. Each test reads a figure off the PDF
by hand (page given), asserts the check now compares like with like, and plants an error into a
copy of the same document to show the check still fails on a real inconsistency.

Families: performance.funds_vs_project_spending (西安, 重庆), projects.sum_vs_project_spending
(西安), summary.income_grand_total / expenditure_lines_sum (西安), cross.summary_vs_income (西安,
杭州, 福州). What stays failing is real: 杭州 公安 2026's project table (33 rows add to 106,313.00,
its 合计 says 106,512.00), 西安 人社 2020's 支出总计 (182,157.13 ≠ 182,066.56 + 结转下年 0).
"""
from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DOCUMENTS, WILD
from tests.plant import failures, plant

pytestmark = pytest.mark.skipif(not WILD.is_dir(), reason=f"wild development corpus not available: {WILD} is absent")

PERF = "performance.funds_vs_project_spending"
PROJECTS = "projects.sum_vs_project_spending"


@functools.lru_cache(maxsize=None)
def wild(name: str):
    """One wild-dev file parsed, once per module."""
    return plant(WILD / name)


def only(doc, check: str, page: int | None = None):
    found = [c for c in doc.checks if c.check == check and (page is None or c.source_page == page)]
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------ performance.funds_vs_project_spending

def test_chongqing_text_names_the_general_budget_project_spending():
    """重庆科技局 2026 p. 4: "项目支出均实行了绩效目标管理，涉及一般公共预算财政拨款 148,941.8 万元" =
    表五 (p. 16) 合计 项目支出 148,941.80; the 一般性项目 table (p. 28) prints one 一级项目,
    科学事务管理 26,675.34 — a part, not the sum the text names."""
    c = only(wild("w0102.pdf"), PERF)
    assert c.status == "pass", c.message
    assert (Decimal(c.expected), Decimal(c.actual)) == (Decimal("148941.8"), Decimal("148941.80"))
    assert "一般公共预算项目支出" in c.message and "26675.34" in c.message and "部分项目" in c.message


def test_chongqing_key_fund_tables_funds_are_read():
    """重庆商务委 2026 p. 26 表十一: 项目名称 市商务发展专项 | 当年预算 46,794.00 (市级支出 40,624.00 +
    补助区县 6,170.00): a special fund's whole amount, read, but not summed with the projects."""
    doc = wild("w0096.pdf")
    funds = {p.project: (p.amount, p.source_page) for p in doc.projects if p.table == "performance_targets"}
    assert funds["市商务发展专项"] == (Decimal("46794.00"), 26)
    assert funds["市商务发展一般性项目"] == (Decimal("8071.45"), 28)
    c = only(doc, PERF)
    assert c.status == "pass" and (c.expected, c.actual) == ("58397.75", "58397.75")


def test_chongqing_planted_wrong_text_figure_fails():
    doc = plant(WILD / "w0102.pdf", ("148,941.8", "148,491.8"), page=4)
    (c,) = failures(doc, PERF)
    assert (c.expected, c.actual, c.source_page) == ("148491.8", "26675.34", 4)
    assert "148,491.8" in c.quote and "148941.80" in c.message


def test_xian_text_names_the_whole_general_budget():
    """西安统计局 2026 p. 22: "绩效目标管理全覆盖，涉及当年一般公共预算拨款6,210.93万元" is the whole
    一般公共预算 (基本 + 项目, 6,210.92972); its 9 项目 tables (p. 40-49) add to 2,540.81 = the
    专项业务经费支出 of the 收支总表 (p. 26)."""
    c = only(wild("w0209.pdf"), PERF)
    assert c.status == "rounding", c.message
    assert (c.expected, c.actual) == ("6210.93", "6210.92972")
    assert "9 张绩效目标表的项目资金之和 2540.81，= 项目支出 2540.81" in c.message


def test_xian_planted_table_funds_over_project_spending_fails():
    """第四次全国农业普查 (p. 47) 1,607.39 planted as 1,707.39: the 9 tables add to 2,640.81."""
    doc = plant(WILD / "w0209.pdf", ("1,607.39", "1,707.39"), ("1,607.39", "1,707.39"), page=47)
    (c,) = failures(doc, PERF)
    assert (c.expected, c.actual) == ("2540.81", "2640.81")


def test_xian_key_project_tables_are_a_part():
    """西安人社局 2020 p. 50: 专项业务经费重点项目绩效目标表 (4 projects, 1,193.00 万元) of the 82
    projects (173,502.61); the text's 181,716.56 (p. 25) = the 一般公共预算 total."""
    c = only(wild("w0189.pdf"), PERF)
    assert c.status == "pass" and (c.expected, c.actual) == ("181716.56", "181716.56")
    assert "4 张绩效目标表的项目资金之和 1193.00，只列出部分项目" in c.message


def test_xian_special_fund_tables_counted_where_they_make_the_sum():
    """西安商务局 2022: the 7 project tables (p. 63-73) add to 53,321.06 = 项目支出 53,321.057; the
    专项资金总体绩效目标表s (外经贸 18,000, 商贸流通 17,000, p. 81-85) are in 专用项目 already.
    西安住建局 2022: the 专项资金 tables (公租房新建续建项目专项资金 200,000, p. 70) are projects of
    the 80 (215,484.3264 with the 5 project tables)."""
    c = only(wild("w0197.pdf"), PERF)
    assert c.status == "rounding" and "7 张绩效目标表的项目资金之和 53321.06，= 项目支出 53321.057" in c.message
    c = only(wild("w0190.pdf"), PERF)
    assert c.status == "rounding" and "8 张绩效目标表（含专项资金绩效目标表）的资金之和 215484.33" in c.message


def test_xian_funds_stated_with_their_unit():
    """西安自然资源局 2022 p. 93: ``其中：财政拨款 | 337700.89万元`` (the cell names its unit)."""
    funds = {p.project: (p.amount, p.source_page) for p in wild("w0210.pdf").projects
             if p.table == "performance_targets"}
    assert funds["其他履职尽责专项业务费"] == (Decimal("337700.89"), 93)
    assert funds["委托咨询业务"] == (Decimal("1910.85"), 95)


def test_hangzhou_project_list_short_of_its_total_still_fails():
    """杭州公安局 2026 p. 32-33: the 33 rows of 表10 add to 106,313.00, its 合计 and the 支出总表's
    项目支出 (p. 23) say 106,512.00 — a real inconsistency (199.00 not listed)."""
    doc = wild("w0140.pdf")
    projects = [(p.project, p.unit, p.amount) for p in doc.projects if p.table == "projects"]
    assert projects[0] == ("执法办案", "杭州市公安局", Decimal("6192.04"))  # 单位名称 | 项目名称 | 总计
    assert ("被监管人员生活保障及改造", "杭州市公安局监所管理支队（留置看护管理支队）", Decimal("5870.33")) in projects
    for check in (PROJECTS, PERF):
        c = only(doc, check)
        assert (c.status, c.expected, c.actual) == ("fail", "106512.00", "106313.00")


# ------------------------------------------------------------------- projects.sum_vs_project_spending

def test_xian_project_name_overflowing_its_column():
    """西安气象局 2022 p. 27 (元): 气象灾害、空气质量、气象影视、农业气象等业务运维 6,540,000 is read
    whole, so the tree of subtotals resolves: 6 projects = 17,159,700 元."""
    doc = wild("w0206.pdf")
    projects = {p.project: p.amount for p in doc.projects if p.table == "projects"}
    assert projects["气象灾害、空气质量、气象影视、农业气象等业务运维"] == Decimal("654")
    assert len(projects) == 6
    assert only(doc, PROJECTS).status == "pass"
    planted = plant(WILD / "w0206.pdf", ("285000", "295000"), page=27)
    (c,) = failures(planted, PROJECTS)
    assert c.expected == "1715.97"


def test_xian_project_table_without_carry_over():
    """西安公安局 2026: 表10 (p. 33) 合计 1,021,500,773.61 元 = 收支总表 (p. 22) 专项业务经费支出
    1,152,527,815.34 − 上年结转 131,027,041.73; the carried-over projects are in 表11."""
    c = only(wild("w0192.pdf"), PROJECTS)
    assert c.status == "pass" and (c.expected, c.actual) == ("102150.077361", "102150.077361")
    assert "不含上年结转" in c.message


def test_xian_planted_carry_over_breaks_both():
    doc = plant(WILD / "w0192.pdf", ("131,027,041.73", "131,127,041.73"), page=22)
    (c,) = failures(doc, PROJECTS)
    assert (c.expected, c.actual) == ("115252.781534", "102150.077361")
    (g,) = failures(doc, "summary.income_grand_total")
    assert (g.expected, g.actual, g.source_page) == ("344447.697918", "344457.697918", 22)


# ------------------------------------------------------------------------------ summary lines

def test_xian_cash_balance_is_carried_in():
    """西安公安局 2026 p. 22: 收入总计 3,444,476,979.18 = 本年收入合计 3,280,825,029.74 + 上年实户资金
    余额 32,624,907.71 + 上年结转 131,027,041.73; 西安安监局 2019 p. 3: 3,695.91 = 3,643.37 + 40.93
    + 11.61."""
    c = only(wild("w0192.pdf"), "summary.income_grand_total", page=22)
    assert c.status == "pass" and "上年实户资金余额 3262.490771" in c.message
    c = only(wild("w0202.pdf"), "summary.income_grand_total", page=3)
    assert c.status == "pass" and "40.93" in c.message and "11.61" in c.message


def test_xian_function_column_by_its_numbers():
    """西安公安局 2026 p. 22: 15、资源勘探工业信息等支出 3,689,400.00, a class no 一般公共预算 table
    has, counts in 本年支出合计 3,444,476,979.18; 西安自然资源局 2022 p. 41: 25、其他支出
    48,007,600.00 too (not the economic columns' 其他支出)."""
    c = only(wild("w0192.pdf"), "summary.expenditure_lines_sum", page=22)
    assert c.status == "pass" and "资源勘探工业信息等支出 368.94" in c.message
    c = only(wild("w0210.pdf"), "summary.expenditure_lines_sum", page=41)
    assert c.status == "pass" and "其他支出 4800.76" in c.message
    planted = plant(WILD / "w0210.pdf", ("48007600.00", "48007700.00"), page=41)
    (f,) = failures(planted, "summary.expenditure_lines_sum")
    assert (f.expected, f.source_page) == ("372001.19018", 41)


def test_xian_unbalanced_expenditure_side_is_real():
    """西安人社局 2020 p. 29: 支出总计 182,157.13 but 本年支出合计 182,066.56 and 结转下年 0 — the
    上年结转 90.57 is nowhere on the 支出 side: the document's error, still reported."""
    c = only(wild("w0189.pdf"), "summary.expenditure_grand_total", page=29)
    assert (c.status, c.expected, c.actual) == ("fail", "182157.13", "182066.56")


# ------------------------------------------------------------------------- cross.summary_vs_income

@pytest.mark.parametrize("name, page, total", [
    ("w0202.pdf", 3, "3695.91"),      # 西安安监局 2019: 收入总表 合计 3,695.91 = 收入总计 (p. 3-4)
    ("w0189.pdf", 29, "182157.13"),   # 西安人社局 2020 p. 30: 合计 182,157.13 incl. 上年结转 90.57
    ("w0140.pdf", 20, "404415.23"),   # 杭州公安局 2026 p. 21: 总计 404,415.23 incl. 上年结转结余 4,023.45
    ("w0180.pdf", 12, "2249.92"),     # 福州民政局 2026 p. 12: 收入合计 2,249.92 below 上年结转结余 30.00
])
def test_income_table_total_includes_carry_over(name, page, total):
    c = only(wild(name), "cross.summary_vs_income")
    assert (c.status, c.expected, c.actual, c.source_page) == ("pass", total, total, page)


def test_fuzhou_planted_income_table_total_fails():
    doc = plant(WILD / "w0180.pdf", ("2249.92", "2259.92"), page=13)
    (c,) = failures(doc, "cross.summary_vs_income")
    assert (c.expected, c.actual, c.source_page) == ("2219.92", "2259.92", 12)


def test_wangdu_still_has_no_failures():
    assert failures(plant(DOCUMENTS / "004_1dc876329a8abae6.txt")) == []
