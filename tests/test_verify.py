"""Verify stage: checks on the five sample disclosures, asserting the figures they report."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from generator.verify.base import rounding_tolerance, status_of
from generator.package.codelists import codelists
from generator.ingest.files import ingest_files
from generator.recognize.narrative import sentences
from generator.recognize.document import ingested_to_parsed
from generator.records import Check
from generator.package.schemas import CHECK_STATUSES, ROW_TABLE_IDS
from generator.verify import CHECK_DESCRIPTIONS, CHECKS, verify

DOCS = Path(__file__).resolve().parent.parent / "documents"
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real-pdfs"


def _doc(prefix: str):
    ingested = ingest_files([next(DOCS.glob(f"{prefix}_*.txt"))])
    doc = ingested_to_parsed(ingested)
    if not getattr(doc, "sentences", None):  # until recognize carries the narrative sentences
        doc.sentences = list(sentences(ingested.lines))
    return verify(doc)


@pytest.fixture(scope="module")
def docs():
    return {p: _doc(p) for p in ("000", "001", "002", "003", "004")}


def _by(doc, check, status=None):
    return [c for c in doc.checks if c.check == check and (status is None or c.status == status)]


def test_registry_has_40_running_check_ids(docs):
    ran = {c.check for d in docs.values() for c in d.checks}
    assert CHECKS is CHECK_DESCRIPTIONS
    assert ran <= set(CHECK_DESCRIPTIONS)
    assert len(ran) >= 40, sorted(ran)
    assert all(len(text) > 8 for text in CHECK_DESCRIPTIONS.values())


def test_check_rows_fit_the_schema(docs):
    for d in docs.values():
        for c in d.checks:
            assert isinstance(c, Check)
            assert c.status in CHECK_STATUSES
            assert c.table is None or c.table in ROW_TABLE_IDS, c
            assert c.message and c.document_id == d.meta.document_id
            for v in (c.expected, c.actual):
                assert v is None or isinstance(v, str)


def test_no_findings_is_never_pass(docs):
    # checks that could not run are insufficient_data / not_applicable, and say so
    for d in docs.values():
        for c in d.checks:
            if c.status == "insufficient_data":
                assert c.message


def test_rounding_tolerance():
    two = Decimal("0.01")
    assert rounding_tolerance(Decimal("1.23"), Decimal("2.34"), terms=2) == Decimal("0.015")
    assert status_of(Decimal("10.00"), Decimal("10.01"), terms=2) == "rounding"
    # one figure against a copy of itself must agree to the last digit
    assert status_of(Decimal("38.01"), Decimal("38.02"), terms=1) == "fail"
    assert status_of(Decimal("5"), Decimal("5") + two, terms=1) == "rounding"  # printed as an integer


def test_001_302_row_fails_naming_both_figures(docs):
    fails = [c for c in _by(docs["001"], "economic.row_total", "fail") if "302" in c.message]
    assert len(fails) == 1
    c = fails[0]
    assert (c.expected, c.actual) == ("38.01", "38.02")
    assert "38.01" in c.message and "38.02" in c.message and "商品和服务支出" in c.message
    assert _by(docs["001"], "economic.public_is_302_310", "fail")


def test_002_truncated_summary_figures_are_repaired(docs):
    d = docs["002"]
    repaired = {(c.actual, c.expected) for c in _by(d, "repair.truncated_amount", "repaired")}
    assert {("9.1", "9.18"), ("326.7", "326.78"), ("5.4", "5.43"), ("341.3", "341.39")} <= repaired
    published = {(l.item, l.amount) for l in d.summary_lines if l.table == "summary"}
    assert ("八、社会保障和就业支出", Decimal("9.18")) in published
    assert ("九、卫生健康支出", Decimal("326.78")) in published
    assert ("十九、住房保障支出", Decimal("5.43")) in published
    assert ("本年支出合计", Decimal("341.39")) in published
    assert not any(l.amount in (Decimal("341.3"), Decimal("9.1")) for l in d.summary_lines)
    # after the repair the summary balances
    assert [c.status for c in _by(d, "summary.current_year_balance") if c.table == "summary"] == ["pass"]
    assert not [c for c in d.checks if c.status == "fail" and c.check != "completeness.glossary"]


def test_002_narrative_completion_rate_and_shares(docs):
    d = docs["002"]
    rates = {c.actual: c.status for c in _by(d, "narrative.completion_rate")}
    assert rates["82.41"] == "pass"  # 341.39 ÷ 414.25
    assert rates["123.65"] == "pass"  # 105 ÷ 84.92
    shares = {c.actual: c.status for c in _by(d, "narrative.share")}
    assert shares["29.82"] == "pass" and shares["70.18"] == "pass"
    pct = {c.actual: c.status for c in _by(d, "narrative.yoy_percent")}
    assert pct["35.98"] == "pass"  # 90.34 ÷ (341.39 − 90.34)


def test_003_truncated_codes_are_repaired(docs):
    d = docs["003"]
    rep = {(c.actual, c.expected) for c in _by(d, "repair.code_truncated", "repaired")}
    assert {("201999", "2019999"), ("208010", "2080109"), ("210019", "2100199"),
            ("210159", "2101599"), ("208050", "2080505")} <= rep
    assert all(len(r.code) in (3, 5, 7) for r in d.function_rows)
    income = {r.code for r in d.function_rows if r.table == "income"}
    assert {"2019999", "2080109", "2100199", "2101599", "2080505", "2080506"} <= income
    assert _by(d, "repair.code_lengths", "pass")


def test_unrepairable_code_is_dropped_with_a_fail(docs):
    d = _doc("004")
    row = next(r for r in d.function_rows if r.code == "2101501")
    d.function_rows.append(replace(row, code="299999", name="不存在的科目", table="income"))
    d.checks = []
    verify(d)
    assert not any(r.code == "299999" for r in d.function_rows)
    fail = _by(d, "repair.code_truncated", "fail")
    assert fail and "299999" in fail[0].message and "不予发布" in fail[0].message


def test_003_expenditure_with_non_fiscal_funds_is_not_applicable(docs):
    d = docs["003"]
    na = [c for c in _by(d, "cross.expenditure_vs_general_public.total") if "2101599" in c.message]
    assert na and na[0].status == "not_applicable"
    # the income and expenditure tables agree code by code once the codes are repaired
    assert all(c.status == "pass" for c in _by(d, "cross.income_vs_expenditure"))


def test_003_narrative_percent_on_wrong_base_fails(docs):
    # 99.18 万元, 比 2023 年预算增加 31.03 万元, 增长 31.29%: 31.03 ÷ 68.15 = 45.53%
    c = [c for c in _by(docs["003"], "narrative.yoy_percent", "fail") if c.actual == "31.29"]
    assert c and c[0].expected == "45.53"


def test_004_has_no_fail(docs):
    d = docs["004"]
    assert [c for c in d.checks if c.status == "fail"] == []
    assert _by(d, "function.row_total", "pass")
    assert _by(d, "function.class_sum", "pass") and _by(d, "function.section_sum", "pass")
    assert _by(d, "economic.basic_is_personnel_plus_public", "pass") or _by(d, "narrative.basic_is_personnel_plus_public", "pass")
    listed = {(c.expected, c.status) for c in _by(d, "narrative.listed_parts")}
    assert ("3332.80", "pass") in listed  # 2832.00 + 350.00 + 89 + 61.80
    assert ("65.54", "pass") in listed  # 23.14 + 42.4
    assert _by(d, "narrative.personnel", "pass") and _by(d, "narrative.public", "pass")


def test_000_template_leftovers_flagged(docs):
    fails = _by(docs["000"], "narrative.template_leftover", "fail")
    assert fails and all("增加（减少）" in c.message for c in fails)
    assert _by(docs["004"], "narrative.template_leftover", "pass")


def test_row_total_message_names_row_and_figures():
    d = _doc("004")
    row = next(r for r in d.function_rows if r.code == "2101501" and r.table == "expenditure")
    d.function_rows[d.function_rows.index(row)] = replace(row, total=Decimal("345.47"), project=Decimal("60.00"))
    d.checks = []
    verify(d)
    c = [c for c in _by(d, "function.row_total", "fail") if "2101501" in c.message][0]
    assert c.message == "2101501 行政运行：合计 345.47 ≠ 基本支出 275.47 + 项目支出 60.00"
    assert (c.expected, c.actual) == ("345.47", "335.47")


def test_economic_class_sum_fail_detected():
    d = _doc("004")
    i = next(k for k, r in enumerate(d.economic_rows) if r.code == "30101")
    d.economic_rows[i] = replace(d.economic_rows[i], total=Decimal("179.52"), personnel=Decimal("179.52"))
    d.checks = []
    verify(d)
    assert [c for c in _by(d, "economic.class_sum", "fail") if "301" in c.message]


def test_codelists(docs):
    fn, ec = codelists(list(docs.values()))
    by = {r["code"]: r for r in fn}
    assert by["210"]["name"] == "卫生健康支出" and by["210"]["name_en"] == "Health"
    assert by["2101501"]["level"] == "item" and by["21015"]["level"] == "section"
    assert all(len(r["code"]) in (3, 5, 7) for r in fn)
    eby = {r["code"]: r for r in ec}
    assert eby["301"]["name_en"] == "Wages and benefits" and eby["30101"]["level"] == "item"
    # a name cut by the layout (财政对城乡居) is not a variant
    assert "财政对城乡居" not in by["2101202"]["variants"].split("；")


def test_codelists_name_variants_across_years(docs):
    d = docs["004"]
    old = replace(d, meta=replace(d.meta, year=2018, document_id="x"),
                  function_rows=[replace(r, name="医疗卫生与计划生育支出") if r.code == "210" else r
                                 for r in d.function_rows])
    fn, _ = codelists([d, old])
    row = next(r for r in fn if r["code"] == "210")
    assert row["name"] == "卫生健康支出" and "医疗卫生与计划生育支出" in row["variants"].split("；")


def _pdf_doc(name: str):
    if not (REAL / name).exists():
        pytest.skip(f"real PDFs not available at {REAL}")
    pytest.importorskip("generator.ingest.pdf")
    try:
        ingested = ingest_files([REAL / name])
    except Exception as exc:  # PDF ingest is being written
        pytest.skip(f"PDF ingest does not read {name} yet: {exc}")
    doc = ingested_to_parsed(ingested)
    if not getattr(doc, "sentences", None):
        doc.sentences = list(sentences(ingested.lines))
    return verify(doc)


def test_real_shanghai_danwei_xingzheng_yunxing_row_fails():
    d = _pdf_doc("shanghai-putuo-sfj-2026-danwei-yusuan.pdf")
    assert [c for c in _by(d, "function.row_total", "fail") if "行政运行" in c.message]


def test_real_shanghai_bumen_narrative_slips_fail():
    d = _pdf_doc("shanghai-putuo-sfj-2026-bumen-yusuan.pdf")
    fails = [c for c in d.checks if c.status == "fail" and c.check.startswith("narrative.")]
    # 2026年预算安排201.50万元 (the item is 208.8: 208.7959 in the table), 比2025年(198.34)增加5.27%
    assert any("201.50" in c.message for c in fails if c.check == "narrative.yoy_percent"), fails
    # 比2026年预算增加793.14万元 in the 2026 budget
    assert [c for c in fails if c.check == "narrative.comparison_year" and c.actual == "2026"]



def test_000_performance_tables_contradict_project_spending(docs):
    """凤县: 8 performance tables add to 896,900.00 元; the narrative (and table 1) say 896,867.40 元."""
    doc = docs["000"]
    funds = [p for p in doc.projects if p.table == "performance_targets"]
    assert len(funds) == 8
    assert sum(p.amount for p in funds) * 10000 == Decimal("896900")
    assert {p.project: p.amount * 10000 for p in funds}["村（社区）医保员补助"] == Decimal("420000")
    (c,) = _by(doc, "performance.funds_vs_project_spending")
    assert c.status == "fail"
    assert (Decimal(c.expected), Decimal(c.actual)) == (Decimal("89.68674"), Decimal("89.69"))


def test_003_performance_tables_published_twice_count_once(docs):
    """宿州 prints 2 chosen project tables, then all 8: the 8 add to the narrative's 423.85 万元."""
    (c,) = _by(docs["003"], "performance.funds_vs_project_spending")
    assert c.status == "pass" and c.expected == "423.85" and c.actual == "423.85"


def test_004_performance_tables_add_to_project_spending(docs):
    doc = docs["004"]
    funds = {p.project: p.amount for p in doc.projects if p.table == "performance_targets"}
    assert funds["城乡居民医疗保险县级配套"] == Decimal("2832.00") and funds["医疗救助"] == Decimal("350.00")
    (c,) = _by(doc, "performance.funds_vs_project_spending")
    assert (c.status, c.expected, c.actual) == ("pass", "3332.80", "3332.80")


def test_performance_targets_levels_and_values(docs):
    t000 = [t for t in docs["000"].performance_targets if t.project == "医疗保障信息业务编码工作经费"]
    assert len(t000) == 8
    cost = next(t for t in t000 if t.level2 == "成本指标")
    assert (cost.level1, cost.indicator, cost.target) == ("产出指标", "县级财政补助", "不高于5万元")
    t004 = docs["004"].performance_targets[0]
    assert (t004.project, t004.level1, t004.level2, t004.indicator, t004.target) == \
        ("城乡居民医疗保险县级配套", "产出指标", "数量指标", "城乡居民参保人数", "≤211269")
    wide = [t for t in docs["001"].performance_targets if t.project == "日常公用经费"]
    assert [(t.level2, t.target) for t in wide[:2]] == [("数量指标", "≤5次"), ("质量指标", "≤5%")]
    # the self-evaluation (决算) carries the actual value beside the target
    dip = next(t for t in docs["002"].performance_targets if t.indicator.startswith("指标2:DIP"))
    assert (dip.target, dip.actual) == ("71.00", "45.52")


def test_yuan_tables_are_exact_to_one_yuan():
    """A 元 figure converted to 万元 loses its trailing zeros (50000.00 元 → 5); its tolerance
    is still that of 元 figures, not of whole 万元."""
    assert rounding_tolerance(Decimal("89.69"), Decimal("89.68674"), terms=8, floor=-4) == Decimal("0.00045")
    assert status_of(Decimal("89.68674"), Decimal("89.69"), terms=8, floor=-4) == "fail"
