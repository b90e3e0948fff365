"""Cell validity (verify.cells): shares and proportion indicators over 100 %, negative amounts,
a 合计 printed blank, rows printed with no figure — on real documents (where each rule passes or
fires for real) and on copies of them with the error planted (tests/plant.py)."""
from __future__ import annotations

import pytest

from tests.conftest import DOCUMENTS, REAL_PDFS, WILD, needs_real_pdfs
from tests.plant import failures, plant

NATIONAL = REAL_PDFS / "national-xfj-2024-bumen-juesuan.pdf"  # 国家信访局 2024 部门决算
CHANGSHA = REAL_PDFS / "changsha-xfj-2026-bumen-yusuan.pdf"  # 长沙市信访局 2026 部门预算
WANGDU = DOCUMENTS / "004_1dc876329a8abae6.txt"

needs_wild = pytest.mark.skipif(not WILD.is_dir(), reason=f"wild development corpus not available: {WILD} is absent")


def statuses(doc, check: str) -> list[str]:
    return [c.status for c in doc.checks if c.check == check]


@pytest.fixture(scope="module")
def national():
    if not NATIONAL.is_file():
        pytest.skip(f"real PDFs not available: {REAL_PDFS} is absent")
    return plant(NATIONAL)


def test_wangdu_has_no_failed_cell_checks():
    # the whole document's zero failures is tests' existing 004 test; here: none of ours fails
    doc = plant(WANGDU)
    assert [c for c in failures(doc) if c.check.startswith("cells.")] == []
    assert {c.check for c in doc.checks if c.check.startswith("cells.")} == {
        "cells.share_over_100", "cells.rate_over_100", "cells.negative_amount", "cells.blank_total",
        "cells.blank_row"}


# ------------------------------------------------------------------------------ shares

@needs_real_pdfs
def test_shares_of_a_real_final_account_pass_and_completion_rates_over_100_are_no_shares(national):
    # 国家信访局 2024 决算 p. 19 prints 一般公共服务支出10685.56万元，占比73.33%; p. 21 完成年初预算的
    # 100.71% and p. 18 增长363.96% exceed 100 % legitimately (a completion rate, a change)
    assert statuses(national, "cells.share_over_100") == ["pass"]
    check = next(c for c in national.checks if c.check == "cells.share_over_100")
    assert int(check.actual) >= 20  # shares found and checked
    assert any("100.71%" in s for s, _ in national.sentences) or any("100.71" in s for s, _ in national.sentences)


@needs_real_pdfs
def test_planted_share_over_100_fails_with_page_and_figures():
    doc = plant(NATIONAL, ("73.33%", "173.33%"), page=19)
    [f] = failures(doc, "cells.share_over_100")
    assert (f.source_page, f.expected, f.actual, f.severity) == (19, "≤100%", "173.33%", "error")
    assert "占比173.33%" in f.quote and "10685.56万元" in f.quote


@needs_real_pdfs
def test_planted_share_printed_with_a_fullwidth_percent_sign_fails():
    # p. 18–19: 其中：一般公共预算财政拨款收入19572.91万元，占95.7％ (a full-width ％)
    doc = plant(NATIONAL, ("95.7％", "195.7％"), page=19)
    [f] = failures(doc, "cells.share_over_100")
    assert (f.source_page, f.actual) == (18, "195.7%")  # the sentence starts on p. 18
    assert f.quote.endswith("一般公共预算财政拨款收入19572.91万元,占195.7%")


# ---------------------------------------------------------------- proportion indicators

@needs_real_pdfs
def test_proportion_indicators_of_a_real_final_account_pass(national):
    # p. 30 信访干部培训专项: 培训合格率 ≥98% (target), 100% (result)
    assert statuses(national, "cells.rate_over_100") == ["pass"]


@needs_real_pdfs
def test_planted_proportion_indicator_over_100_fails():
    doc = plant(NATIONAL, ("≥98%", "≥198%"), page=30)
    [f] = failures(doc, "cells.rate_over_100")
    assert (f.source_page, f.actual) == (30, "198%")
    assert f.quote == "培训合格率 ≥198%"


@needs_wild
def test_real_satisfaction_target_of_200_percent_fails():
    # 西安市安全生产监督管理局 2019 p. 38: 指标15：人民群众满意度 200%
    doc = plant(WILD / "w0202.pdf")
    [f] = failures(doc, "cells.rate_over_100")
    assert (f.source_page, f.actual) == (38, "200%")
    assert "人民群众满意度" in f.quote


def test_two_indicators_read_as_one_cell_are_not_a_rate_over_100():
    # documents/002 (互助 2024 决算, OCR) l. 504: ``指标1: 补助享受人数 指标2: 参保率 | 23 100%``:
    # 23 (people) and 100% run together, not a 参保率 of 23100%
    doc = plant(DOCUMENTS / "002_2e4bf1e814f589dd.txt")
    assert any("23100%" in (t.target or "").replace(" ", "") for t in doc.performance_targets)
    assert failures(doc, "cells.rate_over_100") == []


# --------------------------------------------------------------------------- negatives

@needs_real_pdfs
def test_real_amounts_are_not_negative(national):
    assert statuses(national, "cells.negative_amount") == ["pass"]


@needs_real_pdfs
def test_planted_negative_spending_fails():
    # p. 11 一般公共预算财政拨款支出决算表: 2014003 机关服务 229.19 | 229.19 |
    doc = plant(NATIONAL, ("229.19", "-229.19"), page=11)
    [f] = failures(doc, "cells.negative_amount")
    assert (f.source_page, f.table, f.expected, f.actual, f.quote) == (
        11, "general_public_function", "≥0", "-229.19", "-229.19")
    assert "“机关服务”一行" in f.message and "本年支出" in f.message


@needs_real_pdfs
def test_planted_negative_three_public_figure_fails_although_the_row_no_longer_adds_up():
    # p. 15 “三公”经费支出决算表: 决算数 46.21 | 4.69 | 40.61 | | 40.61 | 0.90 (公务接待费)
    doc = plant(NATIONAL, ("0.90", "-0.90"), page=15)
    [f] = failures(doc, "cells.negative_amount")
    assert (f.source_page, f.table, f.actual) == (15, "three_public", "-0.90")
    assert "“决算数公务接待费”一栏" in f.message


@needs_wild
def test_negative_changes_of_a_real_three_public_table_are_not_flagged():
    # 西安市公安局 2026 p. 50 “三公”经费 table: 上年 | 当年 | 增减变化情况, the last block negative
    # (-17,263,335.00 元 …) under its merged heading
    doc = plant(WILD / "w0192.pdf")
    assert statuses(doc, "cells.negative_amount") == ["pass"]


@needs_real_pdfs
def test_planted_negative_amount_in_the_narrative_fails():
    # p. 21–22: 机关服务（项）。年初预算为222.6万元，支出决算为229.19万元
    doc = plant(NATIONAL, ("229.19万元", "-229.19万元"), page=22)
    [f] = failures(doc, "cells.negative_amount")
    assert (f.source_page, f.table, f.actual) == (21, "narrative", "-229.19")  # the sentence starts on p. 21
    assert f.quote.endswith("支出决算为-229.19万元")


@needs_real_pdfs
def test_a_final_accounts_negative_year_end_balance_is_not_flagged():
    # p. 7 收入支出决算总表: 年末结转和结余 7,494.06 — a balance, which may be negative
    doc = plant(NATIONAL, ("7,494.06", "-7,494.06"), page=7)
    line = next(s for s in doc.summary_lines if s.item == "年末结转和结余")
    assert line.amount < 0
    assert failures(doc, "cells.negative_amount") == []


# ------------------------------------------------------------------------ blank totals

@needs_wild
def test_real_blank_grand_total_fails():
    # 上海市审计局 2026 单位预算 p. 7 财务收支预算总表: 收入总计 blank, 一、财政拨款收入 195,774,300 (元)
    doc = plant(WILD / "w0012.pdf")
    [f] = failures(doc, "cells.blank_total")
    assert (f.source_page, f.table, f.quote, f.expected, f.actual) == (7, "summary", "收入总计", "有数字", "空")
    assert "19577.43" in f.message


@needs_real_pdfs
def test_planted_blank_current_year_total_of_a_final_account_fails():
    # p. 7 收入支出决算总表: 本年收入合计 | 27 | 20,451.35 → blank
    doc = plant(NATIONAL, ("20,451.35", ""), page=7)
    [f] = failures(doc, "cells.blank_total")
    assert (f.source_page, f.table, f.quote, f.actual) == (7, "summary", "本年收入合计", "空")
    assert "一般公共预算财政拨款收入”印有 19572.91 万元" in f.message


@needs_real_pdfs
def test_planted_blank_total_cells_fail():
    # p. 15 “三公”经费支出决算表: 预算数 合计 76.43 | 30.00 | 40.63 | | 40.63 | 5.80 → 合计 blank
    doc = plant(NATIONAL, ("76.43", ""), page=15)
    [f] = failures(doc, "cells.blank_total")
    assert (f.source_page, f.table, f.quote) == (15, "three_public", "预算数合计")
    # p. 11: 2014099 其他信访事务支出 | 1,788.46 | 540.61 | 1,247.85 → its 合计 blank
    doc = plant(NATIONAL, ("1,788.46", ""), page=11)
    [f] = failures(doc, "cells.blank_total")
    assert (f.source_page, f.table, f.quote) == (11, "general_public_function", "其他信访事务支出")


@needs_wild
def test_a_total_glued_to_the_next_label_is_not_a_blank_total():
    # 杭州市司法局 2026 p. 29 is read as text: ``收入总计 | 91,842.80支出总计 | 91,842.80``
    doc = plant(WILD / "w0141.pdf")
    assert any(s.item == "收入总计" and s.amount is None for s in doc.summary_lines)
    assert failures(doc, "cells.blank_total") == []


@needs_real_pdfs
def test_planted_blank_total_row_fails():
    # 长沙市信访局 p. 17 一般公共预算支出情况表: 合计 | 1,935.36 | 1,517.95 | 417.41, all three blanked
    real = plant(CHANGSHA)
    assert statuses(real, "cells.blank_total") == ["pass"]
    doc = plant(CHANGSHA, ("1,935.36", ""), ("1,517.95", ""), ("417.41", ""), page=17)
    [f] = failures(doc, "cells.blank_total")
    assert (f.source_page, f.table, f.quote) == (17, "general_public_function", "合计")


# -------------------------------------------------------------------------- blank rows

@needs_wild
def test_real_rows_printed_with_no_figure_are_notes():
    # 重庆市科学技术局 2026 p. 17: 2060201 机构运行, 2060302 社会公益研究, 2060502 技术创新服务体系
    # printed with every figure cell blank
    doc = plant(WILD / "w0102.pdf")
    found = failures(doc, "cells.blank_row")
    assert [(f.source_page, f.quote) for f in found] == [
        (17, "2060201 机构运行"), (17, "2060302 社会公益研究"), (17, "2060502 技术创新服务体系")]
    assert {f.severity for f in found} == {"note"}


@needs_wild
def test_a_row_printing_the_other_classification_s_code_and_no_figure_is_blank():
    # 西安市统计局 2026 p. 33 basic spending by function: 2010505 专项统计业务, 2010507 专项普查活动
    # blank; p. 34 by economic class: 30202 | 印刷费 | 50201 | 办公经费 | | | |
    doc = plant(WILD / "w0209.pdf")
    assert [(f.source_page, f.quote) for f in failures(doc, "cells.blank_row")] == [
        (33, "2010505 专项统计业务"), (33, "2010507 专项普查活动"), (34, "30202 印刷费")]


@needs_real_pdfs
def test_a_fixed_template_listing_every_item_is_not_flagged(national):
    # p. 12 财政拨款基本支出决算表 lists every economic item, funded or not (30701 国内债务付息 blank)
    assert any(r.code == "30701" and r.total is None for r in national.economic_rows)
    assert statuses(national, "cells.blank_row") == ["pass"]


@needs_real_pdfs
def test_planted_row_with_no_figure_is_a_note():
    # p. 11: 2014002 一般行政管理事务 | 4.70 | | 4.70 → both figures blanked
    doc = plant(NATIONAL, ("4.70", ""), ("4.70", ""), page=11)
    [f] = failures(doc, "cells.blank_row")
    assert (f.source_page, f.table, f.quote, f.severity) == (11, "general_public_function", "2014002 一般行政管理事务",
                                                             "note")
