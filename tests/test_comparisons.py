"""Comparison words and rates against their two figures (``verify.narrative.comparisons`` and the
year-over-year checks of ``shares`` that call it): 决算数大于／小于预算数 (``narrative.comparison_word``),
增加／减少／持平 against the two years' figures (``narrative.yoy_direction``), percentages of a zero
base (``narrative.zero_base``) and the completion rate's denominator (``narrative.completion_base``).
Real documents with the figures read off the PDF pages, copies with planted errors, and 望都 (004)."""
from __future__ import annotations

from conftest import DOCUMENTS, REAL_PDFS, WILD, needs_real_pdfs
import pytest

from tests.plant import failures, plant

BUMEN = REAL_PDFS / "shanghai-putuo-sfj-2026-bumen-yusuan.pdf"
DANWEI = REAL_PDFS / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"
XFJ = REAL_PDFS / "national-xfj-2024-bumen-juesuan.pdf"
PUTUO_FINAL = REAL_PDFS / "shanghai-putuo-czj-2024-juesuan.pdf"
WORD, DIRECTION, ZERO, BASE, RATE = ("narrative.comparison_word", "narrative.yoy_direction", "narrative.zero_base",
                                     "narrative.completion_base", "narrative.completion_rate")
MINE = (WORD, DIRECTION, ZERO, BASE)


def found(doc, check):
    return [(c.source_page, c.expected, c.actual) for c in failures(doc, check)]


@needs_real_pdfs
def test_putuo_unit_budget_percent_changes_against_their_figures():
    """普陀司法局 2026 单位预算 p. 6: ``2025年当年预算执行数为57.43万元，2026年预算安排57.8万元，比2025年
    预算执行数减少2.27%`` and p. 7 ``…241.76万元，2026年预算安排170.03万元，比2025年预算执行数增加
    21.74%``: the word goes against the two figures; ``1690.69 … 1434.89 … 减少1.10%`` (p. 6) has the
    right word (its 1.10% is wrong: ``narrative.yoy_percent``)."""
    doc = plant(DANWEI)
    assert found(doc, DIRECTION) == [(6, "增加", "减少"), (7, "减少", "增加")]
    (c, _) = failures(doc, DIRECTION)
    assert c.quote == "2025年当年预算执行数为57.43万元,2026年预算安排57.8万元,比2025年预算执行数减少2.27%"
    assert [x for x in doc.checks if x.check == DIRECTION and "1434.89" in x.message][0].status == "pass"


@needs_real_pdfs
def test_putuo_department_budget_prints_a_wrong_year_before_figure():
    """普陀司法局 2026 部门预算 p. 9: ``2025年当年预算执行数为43269.3万元，2026年预算安排3845.49万元，
    比2025年预算执行数增加17.62%`` (3845.49 ÷ 3269.3 − 1 = 17.62%: the 4 is a slip)."""
    assert found(plant(BUMEN), DIRECTION) == [(9, "减少", "增加")]


@needs_real_pdfs
def test_finals_final_vs_budget_words_agree():
    """国家信访局 2024 p. 21–23 (``年初预算为5717.32万元，支出决算为5757.63万元…。决算数大于预算数的
    主要原因是…``) and 普陀财政局 2024 p. 21–23 (``年初预算为10.00万元，支出决算为10.00万元。决算数
    与预算数基本持平``; ``“三公”经费…决算数小于预算数``, 0.00 < 0.95; p. 21 ``…支出决算具体情况一般公共预算
    财政拨款支出年初预算为2993.92万元，支出决算为2940.05万元…。决算数小于预算数``) say it right every time."""
    for path, n in ((XFJ, 15), (PUTUO_FINAL, 13)):
        doc = plant(path)
        assert [c.status for c in doc.checks if c.check == WORD] == ["pass"] * n
        assert [c for c in failures(doc) if c.check in MINE] == []


@needs_real_pdfs
def test_planted_final_vs_budget_word():
    """普陀财政局 p. 21: 年初预算 2993.92, 支出决算 2940.05, ``决算数小于预算数`` planted as 大于."""
    doc = plant(PUTUO_FINAL, ("决算数小于预算数", "决算数大于预算数"), page=21)
    (c,) = failures(doc, WORD)
    assert (c.source_page, c.expected, c.actual) == (21, "小于", "大于")
    assert "2993.92" in c.message and "2940.05" in c.message and c.quote.endswith("决算数大于预算数")


@needs_real_pdfs
def test_planted_flat_word_with_different_figures():
    """单位预算 p. 6: ``2149.45 … 2170.39 …比2025年预算执行数增加0.97%`` planted as ``…持平``."""
    doc = plant(DANWEI, ("比2025年预算执行数增加0.97%", "与2025年预算执行数持平"))
    flat = [c for c in failures(doc, DIRECTION) if c.actual == "持平"]
    assert [(c.source_page, c.expected) for c in flat] == [(6, "增加")]
    assert "2170.39" in flat[0].message and "2149.45" in flat[0].message


def test_zero_base_in_a_budget_text():
    """宿州 2024 (003): ``其他社会保障和就业支出(项)2024 年预算 0.22 万元，比 2023 年预算增加 0.22 万元，
    增长 100%`` and two more such: a growth rate of a year-before figure of 0."""
    doc = plant(DOCUMENTS / "003_4c40129985d12d4c.txt")
    quotes = [c.quote for c in failures(doc, ZERO)]
    assert len(quotes) == 3 and any("0.22万元,比2023年预算增加0.22万元,增长100%" in q for q in quotes)


@pytest.mark.skipif(not (WILD / "w0172.pdf").is_file(), reason="wild-dev corpus absent")
def test_zero_base_in_fuzhou():
    """福州市公安局巡特警支队 2026 单位预算 p. 23: ``公务用车购置费200.00万元，比上年增加200.00万元，
    增长100%``."""
    (c,) = failures(plant(WILD / "w0172.pdf"), ZERO)
    assert (c.source_page, c.actual) == (23, "100%") and c.quote.endswith("比上年增加200.00万元,增长100%")


@needs_real_pdfs
def test_planted_zero_bases():
    """国家信访局 p. 22 ``年初预算为222.6万元，支出决算为229.19万元，完成年初预算的102.96%`` with the
    年初预算 planted as 0; 单位预算 p. 7 ``2025年当年预算执行数为0.50万元 … 0.62万元 …增加22.22%`` with
    the year before planted as 0."""
    doc = plant(XFJ, ("初预算为222.6万元", "初预算为0万元"))
    (c,) = failures(doc, ZERO)
    assert (c.source_page, c.actual) == (21, "102.96%") and "年初预算为0" in c.message  # the item begins on p. 21
    assert not [x for x in failures(doc, RATE) if "102.96" in x.message]
    doc = plant(DANWEI, ("执行数为0.50万元", "执行数为0万元"))
    (c,) = failures(doc, ZERO)
    assert (c.source_page, c.actual) == (7, "22.22%") and "上年数为0" in c.message


@needs_real_pdfs
def test_planted_completion_rates_on_the_full_year_budget():
    """普陀财政局 p. 21 ``年初预算为2993.92万元，支出决算为2940.05万元，完成年初预算的98.20%``
    planted as ``完成全年预算的``; 国家信访局 p. 21 ``年初预算为5717.32万元，支出决算为5757.63万元，完成
    年初预算的100.71%`` given a 全年预算 of 5757.63 and a rate of 100.00% (÷ the 全年预算)."""
    doc = plant(PUTUO_FINAL, ("成年初预算的98.20%", "成全年预算的98.20%"))
    (c,) = failures(doc, BASE)
    assert (c.source_page, c.expected, c.actual) == (21, "98.20", "98.20") and "写作完成全年" in c.message
    doc = plant(XFJ, ("初预算为5717.32万元，", "初预算为5717.32万元，全年预算为5757.63万元，"), ("100.71%", "100.00%"))
    (c,) = failures(doc, BASE)
    assert (c.source_page, c.expected, c.actual) == (21, "100.71", "100.00")
    assert "5717.32" in c.message and "5757.63" in c.message


def test_wangdu_has_no_comparison_failures():
    doc = plant(DOCUMENTS / "004_1dc876329a8abae6.txt")
    assert [c for c in failures(doc) if c.check in MINE] == []


@needs_real_pdfs
def test_planted_flat_word_after_a_change():
    """普陀财政局 p. 23 ``机关运行经费支出184.65万元，比2023年度增加2.55万元，增长1.40%``: a 与上年持平
    planted after the change contradicts it."""
    doc = plant(PUTUO_FINAL, ("比2023年度增加2.55万元", "比2023年度增加2.55万元，与上年持平"))
    (c,) = [c for c in failures(doc, DIRECTION) if c.actual == "持平"]
    assert (c.source_page, c.expected) == (23, "增加") and "增加 2.55 万元" in c.message
    assert c.quote.endswith("比2023年度增加2.55万元,与上年持平")
