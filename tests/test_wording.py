"""Narrative wording (``verify.narrative.wording``): 类/款/项 names the text gives against the
tables' and the classification's of the year (``narrative.class_name``), and a unit's budget that
calls itself a department's or the reverse (``narrative.scope_wording``). Real documents with the
words read off the PDF pages, copies with planted errors (``tests.plant``), and 望都 (004)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DOCUMENTS, REAL_PDFS, needs_real_pdfs
from generator.vocabulary import KNOWN_VARIANTS, RETIRED_NAMES
from tests.plant import failures, plant

BUMEN = REAL_PDFS / "shanghai-putuo-sfj-2026-bumen-yusuan.pdf"
DANWEI = REAL_PDFS / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"
XFJ = REAL_PDFS / "national-xfj-2024-bumen-juesuan.pdf"
PUTUO_FINAL = REAL_PDFS / "shanghai-putuo-czj-2024-juesuan.pdf"
CLASS, SCOPE = "narrative.class_name", "narrative.scope_wording"


def found(doc, check):
    return [(c.source_page, c.expected, c.actual, c.quote) for c in failures(doc, check)]


def test_retired_names_are_variants_of_their_codes():
    """One place: every retired name is a known variant of its code, after the present name."""
    for code, old in RETIRED_NAMES.items():
        assert KNOWN_VARIANTS[code][1:] == tuple(name for name, _ in old)
    assert KNOWN_VARIANTS["210"] == ("卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生支出")


@needs_real_pdfs
def test_putuo_budgets_name_210_by_its_pre_2019_name():
    """普陀司法局 2026: 部门预算 p. 9 and 单位预算 p. 7 print ``11、医疗卫生与计划生育支出（210类）
    行政事业单位医疗（11款）行政单位医疗（01项）``; their tables (p. 16 / p. 15) print 210
    卫生健康支出, the name since 2019. The other 类/款/项 they name agree."""
    assert found(plant(BUMEN), CLASS) == [(9, "卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生与计划生育支出（210类）")]
    unit = plant(DANWEI)
    assert found(unit, CLASS) == [(7, "卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生与计划生育支出（210类）")]
    passed = [c for c in unit.checks if c.check == CLASS and c.status == "pass"]
    assert len(passed) == 1 and "2040601 行政运行" in passed[0].message


@needs_real_pdfs
def test_xfj_final_names_20805_by_its_pre_2020_names():
    """国家信访局 2024 决算 p. 22: ``7.社会保障和就业（类）行政事业单位离退休（款）归口管理的行政单位
    离退休（项）``; the 一般公共预算财政拨款支出决算表 (p. 11) prints 20805 行政事业单位养老支出 and
    2080501 行政单位离退休 (renamed in 2020). ``社会保障和就业（类）`` without 支出 is the central
    template's way of naming 208 and agrees."""
    assert found(plant(XFJ), CLASS) == [
        (22, "行政事业单位养老支出", "行政事业单位离退休", "行政事业单位离退休（款）"),
        (22, "行政单位离退休", "归口管理的行政单位离退休", "归口管理的行政单位离退休（项）")]


@needs_real_pdfs
def test_planted_renamed_class_in_a_final_account():
    """普陀财政局 2024 决算 p. 21 prints ``卫生健康支出（类）60.99万元，占2.07%``; planted as the
    pre-2019 name, the check cites the table's name for 210 (p. 15)."""
    assert found(plant(PUTUO_FINAL), CLASS) == []
    doc = plant(PUTUO_FINAL, ("卫生健康支出（类）60.99", "医疗卫生与计划生育支出（类）60.99"))
    (c,) = failures(doc, CLASS)
    assert (c.source_page, c.expected, c.actual, c.quote) == (
        21, "卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生与计划生育支出（类）")
    assert "2019年以前的科目名称" in c.message and "210" in c.message and c.severity == "warning"


@needs_real_pdfs
def test_putuo_unit_budget_calls_itself_a_department_budget():
    """普陀司法局 2026 单位预算 p. 21: ``2026年部门预算安排购置车辆0辆 …；部门预算安排购置单价100万元
    （含）以上设备`` in a unit's budget (the 部门预算 p. 22 says the same, rightly); its table names
    ``部门预算经济分类`` (p. 18) are the classification's name, not a self-designation."""
    (c,) = failures(plant(DANWEI), SCOPE)
    assert (c.source_page, c.expected, c.actual, c.quote) == (21, "单位预算", "部门预算", "2026年部门预算安排购置车辆0辆,其中：")
    assert "“部门预算”" in c.message
    assert failures(plant(BUMEN), SCOPE) == []


@needs_real_pdfs
def test_planted_scope_wording_both_ways():
    """The heading ``2026年单位预算编制说明`` (单位预算 p. 6) planted as 部门预算, and ``2026年部门预算
    编制说明`` (部门预算 p. 8) planted as 单位预算."""
    unit = plant(DANWEI, ("单位预算编制说明", "部门预算编制说明"), page=6)
    assert [(c.source_page, c.actual) for c in failures(unit, SCOPE)] == [(6, "部门预算"), (21, "部门预算")]
    dept = plant(BUMEN, ("部门预算编制说明", "单位预算编制说明"), page=8)
    (c,) = failures(dept, SCOPE)
    assert (c.source_page, c.expected, c.actual) == (8, "部门预算", "单位预算")
    assert c.quote.startswith("2026年单位预算编制说明")


@pytest.mark.parametrize("name", ["004_1dc876329a8abae6.txt"])
def test_wangdu_has_no_wording_failures(name):
    """望都 (004): its text names no class by a retired name and calls itself a 部门预算 throughout."""
    doc = plant(Path(DOCUMENTS / name))
    assert failures(doc, CLASS) == [] and failures(doc, SCOPE) == []
    assert {c.status for c in doc.checks if c.check == SCOPE} == {"pass"}


def test_seed_texts_with_retired_names():
    """乐山市中区 2023 (001) explains ``社会保障和就业(类)行政事业单位离退休(款)…`` and ``医疗卫生与
    计划生育(类)行政事业单位医疗(款)…`` (names of before 2020 / 2019); 宿州 2024 (003) ``社会保障和
    就业支出(类)行政事业单位离退休(款)``, its table printing 行政事业单位养老支出."""
    leshan = {(c.expected, c.actual) for c in failures(plant(DOCUMENTS / "001_e75bfe8e2417c16e.txt"), CLASS)}
    assert leshan == {("行政事业单位养老支出", "行政事业单位离退休"), ("卫生健康支出", "医疗卫生与计划生育")}
    suzhou = [(c.expected, c.actual, c.quote) for c in failures(plant(DOCUMENTS / "003_4c40129985d12d4c.txt"), CLASS)]
    assert suzhou == [("行政事业单位养老支出", "行政事业单位离退休", "行政事业单位离退休(款)")]


@needs_real_pdfs
def test_planted_department_heading_in_a_unit_budget():
    """单位预算 p. 1 lists ``一、单位主要职能二、单位机构设置``; the 部门预算's ``一、部门主要职能`` planted in."""
    doc = plant(DANWEI, ("一、单位主要职能", "一、部门主要职能"))
    c = failures(doc, SCOPE)[0]
    assert (c.source_page, c.expected, c.actual) == (1, "单位主要职能", "部门主要职能")
    assert "一、部门主要职能" in c.quote


@needs_real_pdfs
def test_planted_retired_names_without_markers():
    """国家信访局 p. 19 ``卫生健康支出497.53万元，占比3.41%；住房保障支出980.85万元``: 210 planted as
    医疗卫生与计划生育支出 (the table's name cited), 221 as 文化体育与传媒支出 (207's name before 2019;
    no table prints 207, so the 2024 classification's name is cited)."""
    doc = plant(XFJ, ("卫生健康支出497.53", "医疗卫生与计划生育支出497.53"), ("住房保障支出980.85", "文化体育与传媒支出980.85"),
                page=19)
    got = [(c.source_page, c.expected, c.actual, c.quote) for c in failures(doc, CLASS) if c.source_page == 19]
    assert got == [(19, "卫生健康支出", "医疗卫生与计划生育支出", "医疗卫生与计划生育支出"),
                   (19, "文化旅游体育与传媒支出", "文化体育与传媒支出", "文化体育与传媒支出")]
    assert "2024年的政府收支分类科目中 207" in [c for c in failures(doc, CLASS) if c.source_page == 19][1].message
