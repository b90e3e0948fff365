"""A real final account with errors planted one at a time, as a finance bureau's reviewer would
meet them: each must be caught by the rule family made for it, on the page it is printed on,
and nothing else may change.

The document: 上海市普陀区财政局 2024年度部门决算 (``../shared/real-pdfs/shanghai-putuo-czj-2024-juesuan.pdf``).
Read by hand: p. 21–24 the 情况说明, p. 10 the 支出决算表. It has two failures of its own, both
real slips of the printed text (p. 21): 财政拨款收入支出总计 printed as 0.3万元, and 一般公共服务支出
2106.66 of 2940.05 printed as 71.73% (it is 71.65%).
"""
from __future__ import annotations

import pytest

from tests.conftest import REAL_PDFS, needs_real_pdfs
from tests.plant import failures, plant

pytestmark = needs_real_pdfs

FINAL = REAL_PDFS / "shanghai-putuo-czj-2024-juesuan.pdf"

#: (what is planted, (printed words, planted words), page of the edit, check id, severity, page reported)
PLANTS = [
    ("comparison word flipped", ("决算数小于预算数的主要原因：人员进出", "决算数大于预算数的主要原因：人员进出"), 22,
     "narrative.comparison_word", "error", 22),
    ("compared with its own year", ("与2023年度相比，收入", "与2024年度相比，收入"), 21,
     "narrative.comparison_year", "error", 21),
    ("completion rate", ("成年初预算的98.20%", "成年初预算的98.40%"), 21, "narrative.completion_rate", "error", 21),
    ("share of income", ("占99.79%", "占99.97%"), 21, "narrative.share", "error", 21),
    ("personnel cost", ("人员经费2152.26万元", "人员经费2125.26万元"), 23, "narrative.personnel", "error", 23),
    ("retired class name", ("卫生健康支出（类）60.99万元", "医疗卫生与计划生育支出（类）60.99万元"), 21,
     "narrative.class_name", "warning", 21),
    ("doubled full stop", ("下降1.87%。主要原因", "下降1.87%。。主要原因"), 21, "hygiene.doubled_punctuation", "note", 21),
    ("percentage without %", ("下降1.87%", "下降1.87"), 21, "hygiene.unit_missing", "note", 21),
    ("template leftover", ("主要原因是", "主要原因是XX"), 24, "narrative.template_leftover", "warning", 24),
    ("share over 100 %", ("占79.49%", "占179.49%"), 21, "cells.share_over_100", "error", 21),
    ("direction of a change", ("增长1.40%", "下降1.40%"), 24, "narrative.yoy_direction", "error", 24),
    ("year-end of another year", ("截至2024年12月31日", "截至2023年12月31日"), 24, "years.year_end_date", "warning", 24),
    ("a table cell", ("8.37", "18.37"), 10, "function.row_total", "error", 10),
]


def _key(check):
    return check.check, check.source_page, check.message


@pytest.fixture(scope="module")
def own_failures():
    return {_key(c) for c in failures(plant(FINAL))}


def test_the_real_final_fails_only_on_its_two_printed_slips(own_failures):
    assert sorted((check, page) for check, page, _ in own_failures) == [
        ("narrative.share", 21), ("narrative.total", 21)]
    messages = " ".join(m for _, _, m in own_failures)
    assert "0.3" in messages and "71.73%" in messages


@pytest.mark.parametrize("what, edit, page, check, severity, reported", PLANTS, ids=[p[0] for p in PLANTS])
def test_each_planted_error_is_caught_where_it_is_printed(own_failures, what, edit, page, check, severity,
                                                          reported):
    doc = plant(FINAL, edit, page=page)
    new = [c for c in failures(doc) if _key(c) not in own_failures]
    assert check in {c.check for c in new}, f"{what}: not caught; new failures {[(c.check, c.message) for c in new]}"
    found = [c for c in new if c.check == check]
    assert {c.source_page for c in found} == {reported}
    assert {c.severity for c in found} == {severity}

