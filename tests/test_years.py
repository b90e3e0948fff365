"""Years and dates (verify.years; the 与…持平 form of narrative.comparison_year): titles, table
titles, year-end dates, 上年 and compared years naming another year than the document's — on real
documents (where each rule passes or fires for real) and on copies with the error planted."""
from __future__ import annotations

from tests.conftest import DOCUMENTS, WILD
from tests.plant import failures, plant
from tests.shared_docs import NATIONAL, PUTUO, national, need, putuo, statuses, wangdu  # noqa: F401 (fixtures)

XIAN_ZIRAN = WILD / "w0210.pdf"  # 西安市自然资源和规划局 2022 部门综合预算
LESHAN = DOCUMENTS / "001_e75bfe8e2417c16e.txt"  # 乐山市市中区医疗保障局 2023 部门预算 (text)
IDS = ("years.heading", "years.table_title", "years.year_end_date", "years.prior_year", "years.stale_comparison",
       "years.statement")


def test_wangdu_runs_every_year_check_and_fails_none(wangdu):
    # the whole document's zero failures: tests/test_wild_false_failures.py (as planted) and
    # tests/test_verify.py (verify alone)
    assert set(IDS) <= {c.check for c in wangdu.checks}
    assert [f for f in failures(wangdu) if f.check in IDS] == []


# ------------------------------------------------------------------ the year compared with

def test_putuo_compares_with_its_own_year_on_page_8(putuo):
    # 普陀司法局 2026 p. 8 prints 比2026年预算增加793.14万元 (the 比 form, narrative.changes) and
    # 政府性基金拨款支出预算0万元，与2026年预算持平 and 国有资本经营预算拨款支出预算0万元，与2026年预算持平
    found = failures(putuo, "narrative.comparison_year")
    same = [f for f in found if f.quote == "与2026年预算持平"]
    assert [(f.source_page, f.actual, f.severity) for f in same] == [(8, "2026", "error")] * 2
    assert any("比2026年" in f.message for f in found)
    # p. 22 与2025年预算持平 (因公出国（境）费0万元) is the year before: no finding
    assert not any("2025" in (f.quote or "") for f in found)
    assert statuses(putuo, "years.stale_comparison") == ["pass"]


def test_planted_stale_comparison_is_a_warning():
    need(PUTUO)
    doc = plant(PUTUO, ("比2025年预算执行数减少1.07%", "比2024年预算执行数减少1.07%"), page=8)
    [f] = failures(doc, "years.stale_comparison")
    assert (f.source_page, f.expected, f.actual, f.quote, f.severity) == (8, "2025", "2024", "比2024年", "warning")


def test_planted_prior_year_with_the_wrong_year():
    need(PUTUO)
    doc = plant(PUTUO, ("比2025年预算执行数减少1.07%", "比上年（2024年）预算执行数减少1.07%"), page=8)
    [f] = failures(doc, "years.prior_year")
    assert (f.source_page, f.expected, f.actual, f.quote, f.severity) == (8, "2025", "2024", "上年（2024年）", "error")


# ---------------------------------------------------------------------------- titles

def test_putuo_titles_name_2026(putuo):
    assert statuses(putuo, "years.heading") == ["pass"]
    assert statuses(putuo, "years.table_title") == ["pass"]


def test_planted_last_years_heading_left_in():
    # 普陀司法局 2026 p. 8 heads its narrative 2026年部门预算编制说明
    need(PUTUO)
    doc = plant(PUTUO, ("2026年部门预算编制说明", "2025年部门预算编制说明"), page=8)
    [f] = failures(doc, "years.heading")
    assert (f.source_page, f.expected, f.actual, f.quote, f.severity) == (8, "2026", "2025", "2025年部门预算编制说明", "error")


def test_planted_cover_title_of_last_year():
    # 普陀司法局 2026 p. 1: 上海市普陀区2026年区级部门预算 / 预算主管部门：上海市普陀区司法局. The
    # document's year is read from this title; its ten table titles say 2026, so the title is the
    # one finding and every other year is checked against 2026
    need(PUTUO)
    doc = plant(PUTUO, ("上海市普陀区2026年区级部门预算", "上海市普陀区2025年区级部门预算"), page=1)
    assert doc.meta.year == 2025
    [f] = failures(doc, "years.heading")
    assert (f.source_page, f.expected, f.actual) == (1, "2026", "2025")
    assert "2025年区级部门预算" in f.quote
    assert failures(doc, "years.table_title") == [] and failures(doc, "years.year_end_date") == []


def test_planted_table_title_of_last_year():
    # p. 11 prints the title 2026年部门收入预算总表
    need(PUTUO)
    doc = plant(PUTUO, ("2026年部门收入预算总表", "2025年部门收入预算总表"), page=11)
    [f] = failures(doc, "years.table_title")
    assert (f.source_page, f.table, f.actual, f.quote) == (11, "income", "2025", "2025年部门收入预算总表")
    assert failures(doc, "years.heading") == []  # the same words are reported once, as the table's


def test_real_table_titles_of_the_year_before():
    # 西安市自然资源和规划局 2022 部门综合预算: p. 94 2021年部门预算专项业务经费绩效目标表 and p. 97
    # 2021年部门整体支出绩效目标表, whose targets are 2022's (指标1：2022年完成收储土地的面积 4825亩)
    need(XIAN_ZIRAN)
    doc = plant(XIAN_ZIRAN)
    found = failures(doc, "years.table_title")
    assert [(f.source_page, f.expected, f.actual, f.quote) for f in found] == [
        (94, "2022", "2021", "2021年部门预算专项业务经费绩效目标表"),
        (97, "2022", "2021", "2021年部门整体支出绩效目标表")]


def test_planted_this_years_total_under_last_years_name(putuo):
    # 普陀司法局 2026 p. 8: 2026年，上海市普陀区司法局收入预算9628.22万元 (收入预算总表 合计 9628.221344)
    assert failures(putuo, "years.statement") == []  # its other years' amounts are 执行数, compared
    doc = plant(PUTUO, ("2026年，上海市普陀区司法局收入预算", "2025年，上海市普陀区司法局收入预算"), page=8)
    [f] = failures(doc, "years.statement")
    assert (f.source_page, f.expected, f.actual, f.severity) == (8, "2026", "2025", "error")
    assert f.quote.startswith("2025年") and f.quote.endswith("9628.22万元")


# ------------------------------------------------------------------------ year-end dates

def test_year_end_dates_of_real_documents_pass(putuo, national):
    # 普陀司法局 2026 预算 p. 22: 截至2025年8月31日，…共有车辆3辆; 国家信访局 2024 决算 p. 26:
    # 截至2024年12月31日，国家信访局共有车辆15辆
    [p] = [c for c in putuo.checks if c.check == "years.year_end_date"]
    assert (p.status, p.source_page, p.quote) == ("pass", 22, "截至2025年8月31日")
    [n] = [c for c in national.checks if c.check == "years.year_end_date"]
    assert (n.status, n.source_page, n.quote) == ("pass", 26, "截至2024年12月31日")


def test_leshan_2023_budget_states_its_vehicles_at_the_end_of_2023():
    # 乐山 2023 部门预算 (line 678): 截至 2023 年底，区医保局所属各预算单位共有车辆 0 辆 — a budget
    # compiled before its year cannot state the end of that year (the 2024 budget of 宿州, 003,
    # says 截至 2023 年 12 月 31 日)
    [f] = failures(plant(LESHAN), "years.year_end_date")
    assert (f.quote, f.severity) == ("截至 2023 年底", "warning")
    [p] = [c for c in plant(DOCUMENTS / "003_4c40129985d12d4c.txt").checks if c.check == "years.year_end_date"]
    assert (p.status, p.quote) == ("pass", "截至 2023 年 12 月 31 日")


def test_planted_final_account_dated_at_the_year_before():
    need(NATIONAL)
    doc = plant(NATIONAL, ("截至2024年12月31日", "截至2023年12月31日"), page=26)
    [f] = failures(doc, "years.year_end_date")
    assert (f.source_page, f.expected, f.actual, f.severity) == (26, "2024年12月31日", "截至2023年12月31日", "warning")


def test_planted_budget_dated_two_years_back():
    need(PUTUO)
    doc = plant(PUTUO, ("截至2025年8月31日", "截至2024年8月31日"), page=22)
    [f] = failures(doc, "years.year_end_date")
    assert (f.source_page, f.quote) == (22, "截至2024年8月31日")
