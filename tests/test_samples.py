"""Figures of the five sample disclosures, as published in datapackages/all by the real CLI.

Every expected value below was read off the disclosure text in documents/ by hand.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import D

WANGDU = "baoding-wangdu-ybj-2024-budget"
FENGXIAN = "baoji-fengxian-ybj-2024-budget-unit"
LESHAN = "leshan-shizhong-ybj-2023-budget"
HUZHU = "haidong-huzhu-ybj-2024-final"
SUZHOU = "anhui-suzhou-ybj-2024-budget"


def fn(pkg, doc, table, code):
    r = pkg.one("function_expenditure", document_id=doc, table=table, code=code)
    return r["name"], D(r["total"]), D(r["basic"]), D(r["project"])


def econ(pkg, doc, table, code):
    r = pkg.one("economic_expenditure", document_id=doc, table=table, code=code)
    return r["name"], D(r["total"]), D(r["personnel"]), D(r["public"])


def table_totals(pkg, doc, table):
    r = pkg.rows("tables", document_id=doc, table=table, empty="false")[0]
    return tuple(D(r[k]) for k in ("total", "basic", "project", "personnel", "public"))


def summary(pkg, doc, item, table="summary"):
    rows = pkg.rows("summary", document_id=doc, table=table, item=item)
    assert rows, f"no summary line {item!r}"
    return D(rows[0]["amount"])


def three_public(pkg, doc, item="total", measure="budget"):
    return D(pkg.one("three_public", document_id=doc, item=item, measure=measure)["amount"])


# ----------------------------------------------------------------------- documents


@pytest.mark.parametrize("doc, name, province, prefecture, county, code, year, phase, scope, unit", [
    (FENGXIAN, "凤县医疗保障局", "陕西省", "宝鸡市", "凤县", "610330", "2024", "budget", "unit", "元"),
    (LESHAN, "乐山市市中区医疗保障局", "四川省", "乐山市", "市中区", "511102", "2023", "budget",
     "department", "万元"),
    (HUZHU, "互助土族自治县医疗保障局", "青海省", "海东市", "互助土族自治县", "630223", "2024", "final",
     "department", "万元"),
    (SUZHOU, "宿州市医疗保障局", "安徽省", "宿州市", "", "341300", "2024", "budget", "department", "万元"),
    (WANGDU, "望都县医疗保障局", "河北省", "保定市", "望都县", "130631", "2024", "budget", "department",
     "万元"),
])
def test_document_metadata_from_content(all_package, doc, name, province, prefecture, county, code,
                                        year, phase, scope, unit):
    d = all_package.one("documents", document_id=doc)
    assert (d["year"], d["phase"], d["scope"], d["source_unit"]) == (year, phase, scope, unit)
    b = all_package.one("bureaus", bureau_id=d["bureau_id"])
    assert (b["name"], b["province"], b["prefecture"], b["county"], b["division_code"]) == (
        name, province, prefecture, county, code)


def test_sources_named_with_sha256(all_package):
    import hashlib

    from conftest import DOCUMENTS

    d = all_package.one("documents", document_id=WANGDU)
    assert d["source_files"] == "004_1dc876329a8abae6.txt"
    assert d["source_sha256"] == hashlib.sha256(
        (DOCUMENTS / "004_1dc876329a8abae6.txt").read_bytes()).hexdigest()
    assert d["source_format"] == "text"


# ----------------------------------------------------------- 004 望都县 (space-separated)


def test_wangdu_general_public_totals(all_package):
    total, basic, project, _, _ = table_totals(all_package, WANGDU, "general_public_function")
    assert (total, basic, project) == (Decimal("3654.18"), Decimal("321.38"), Decimal("3332.80"))


def test_wangdu_columns_decided_by_arithmetic(all_package):
    # "2101202 财政对城乡居民基本医疗保险基金的补助 2832.00 2832.00" belongs to 项目支出
    for table in ("expenditure", "general_public_function"):
        assert fn(all_package, WANGDU, table, "2101202") == (
            "财政对城乡居民基本医疗保险基金的补助", Decimal("2832.00"), None, Decimal("2832.00"))
        assert fn(all_package, WANGDU, table, "2101501") == (
            "行政运行", Decimal("345.47"), Decimal("275.47"), Decimal("70.00"))
        assert fn(all_package, WANGDU, table, "2101301")[1:] == (Decimal("350.00"), None, Decimal("350.00"))
        assert fn(all_package, WANGDU, table, "2080505")[1:] == (Decimal("21.74"), Decimal("21.74"), None)
        assert fn(all_package, WANGDU, table, "2101101")[1:] == (Decimal("9.19"), Decimal("9.19"), None)


def test_wangdu_class_totals(all_package):
    t = "general_public_function"
    assert fn(all_package, WANGDU, t, "208")[1:] == (Decimal("22.45"), Decimal("22.45"), None)
    assert fn(all_package, WANGDU, t, "210")[1:] == (Decimal("3617.46"), Decimal("284.66"), Decimal("3332.80"))
    assert fn(all_package, WANGDU, t, "221")[1:] == (Decimal("14.27"), Decimal("14.27"), None)
    assert fn(all_package, WANGDU, t, "21015")[1:] == (Decimal("364.47"), Decimal("275.47"), Decimal("89.00"))


def test_wangdu_names_wrapped_over_lines_are_joined(all_package):
    # the income table wraps names over several lines and across a page header
    assert fn(all_package, WANGDU, "income", "2101202")[0] == "财政对城乡居民基本医疗保险基金的补助"
    assert fn(all_package, WANGDU, "income", "2080505")[0] == "机关事业单位基本养老保险缴费支出"
    assert fn(all_package, WANGDU, "income", "20827")[0] == "财政对其他社会保险基金的补助"


def test_wangdu_basic_spending_personnel_and_public(all_package):
    total, _, _, personnel, public = table_totals(all_package, WANGDU, "basic_economic")
    assert (total, personnel, public) == (Decimal("321.38"), Decimal("291.00"), Decimal("30.38"))
    assert econ(all_package, WANGDU, "basic_economic", "301") == (
        "工资福利支出", Decimal("287.68"), Decimal("287.68"), None)
    assert econ(all_package, WANGDU, "basic_economic", "302")[1:] == (Decimal("30.38"), None, Decimal("30.38"))
    assert econ(all_package, WANGDU, "basic_economic", "303")[1:] == (Decimal("3.32"), Decimal("3.32"), None)


def test_wangdu_three_public_empty_is_zero(all_package):
    assert three_public(all_package, WANGDU) == Decimal(0)
    t = all_package.one("tables", document_id=WANGDU, table="three_public")
    assert t["empty"] == "true"
    gf = all_package.one("tables", document_id=WANGDU, table="government_fund")
    assert (gf["empty"], gf["empty_reason"]) == ("true", "无政府基金预算财政拨款预算,空表列示。")


def test_wangdu_summary_balances(all_package):
    assert summary(all_package, WANGDU, "本年收入合计") == Decimal("3654.18")
    assert summary(all_package, WANGDU, "本年支出合计") == Decimal("3654.18")
    assert summary(all_package, WANGDU, "十、卫生健康支出") == Decimal("3617.46")


# --------------------------------------------------------------- 000 凤县 (元, narrative)


def test_fengxian_yuan_converted_exactly(all_package):
    # 2021528.40 元 → 202.15284 万元, never a float
    assert summary(all_package, FENGXIAN, "(1)一般公共预算拨款") == Decimal("202.15284")
    assert summary(all_package, FENGXIAN, "10、卫生健康支出") == Decimal("177.12614")
    assert summary(all_package, FENGXIAN, "8、社会保障和就业支出") == Decimal("16.709")
    assert summary(all_package, FENGXIAN, "20、住房保障支出") == Decimal("8.3177")


def test_fengxian_items_from_narrative(all_package):
    assert fn(all_package, FENGXIAN, "narrative", "2101501") == ("行政运行", Decimal("81.3261"), None, None)
    assert fn(all_package, FENGXIAN, "narrative", "2101506")[:2] == ("医疗保障经办事务", Decimal("46.5000"))
    assert fn(all_package, FENGXIAN, "narrative", "2101504")[:2] == ("信息化建设", Decimal("20.02674"))
    assert econ(all_package, FENGXIAN, "narrative", "301")[:2] == ("工资福利支出", Decimal("111.5661"))


def test_fengxian_listed_empty_tables(all_package):
    assert three_public(all_package, FENGXIAN) == Decimal(0)
    t = all_package.one("tables", document_id=FENGXIAN, table="three_public")
    assert (t["empty"], t["empty_reason"]) == ("true", "不涉及")


# ------------------------------------------------------------ 001 乐山市市中区 (tabs)


def test_leshan_items_and_totals(all_package):
    assert table_totals(all_package, LESHAN, "general_public_function")[0] == Decimal("515.19")
    assert table_totals(all_package, LESHAN, "expenditure")[:3] == (
        Decimal("515.19"), Decimal("345.19"), Decimal("170.00"))
    assert fn(all_package, LESHAN, "expenditure", "2101501") == (
        "行政运行", Decimal("127.42"), Decimal("127.42"), None)
    assert fn(all_package, LESHAN, "expenditure", "2101101")[1:] == (
        Decimal("164.40"), Decimal("4.40"), Decimal("160.00"))
    assert fn(all_package, LESHAN, "expenditure", "2101502")[1:] == (Decimal("10.00"), None, Decimal("10.00"))
    assert summary(all_package, LESHAN, "卫生健康支出", "fiscal_summary") == Decimal("447.76")
    assert summary(all_package, LESHAN, "社会保障和就业支出", "fiscal_summary") == Decimal("38.86")
    assert summary(all_package, LESHAN, "住房保障支出", "fiscal_summary") == Decimal("28.57")


def test_leshan_basic_economic(all_package):
    total, _, _, personnel, public = table_totals(all_package, LESHAN, "basic_economic")
    assert (total, personnel, public) == (Decimal("345.19"), Decimal("307.17"), Decimal("38.02"))
    # codes split over 类 | 款 | 项 cells, and printed as "302 01 | 30201 办公费"
    assert econ(all_package, LESHAN, "basic_economic", "30101")[:2] == ("基本工资", Decimal("77.75"))
    assert econ(all_package, LESHAN, "basic_economic", "30201")[1:] == (Decimal("3.00"), None, Decimal("3.00"))
    # the printed slip the checks must find: 38.01 in 合计, 38.02 under 公用经费
    assert econ(all_package, LESHAN, "basic_economic", "302")[1:] == (Decimal("38.01"), None, Decimal("38.02"))


def test_leshan_three_public_by_arithmetic(all_package):
    # the header lost a column; 合计 1.39 = 公务接待费 1.39
    assert three_public(all_package, LESHAN) == Decimal("1.39")
    assert three_public(all_package, LESHAN, "reception") == Decimal("1.39")


# -------------------------------------------------------------- 002 互助 (OCR noise)


def test_huzhu_ocr_numbers(all_package):
    assert table_totals(all_package, HUZHU, "general_public_function")[:3] == (
        Decimal("341.39"), Decimal("101.80"), Decimal("239.59"))
    t = "general_public_function"
    assert fn(all_package, HUZHU, t, "210")[1:] == (Decimal("326.78"), Decimal("87.19"), Decimal("239.59"))
    assert fn(all_package, HUZHU, t, "208")[1:] == (Decimal("9.18"), Decimal("9.18"), None)
    assert fn(all_package, HUZHU, t, "221")[1:] == (Decimal("5.43"), Decimal("5.43"), None)
    assert fn(all_package, HUZHU, t, "2101501") == ("行政运行", Decimal("80.91"), Decimal("80.91"), None)
    assert fn(all_package, HUZHU, t, "2101101")[1:] == (Decimal("105.00"), Decimal("4.00"), Decimal("101.00"))
    # "138 . 59" and "35 . 16" in the expenditure table
    assert fn(all_package, HUZHU, "expenditure", "21015")[1:] == (
        Decimal("219.50"), Decimal("80.91"), Decimal("138.59"))
    assert fn(all_package, HUZHU, "expenditure", "2101506")[1:] == (Decimal("35.16"), None, Decimal("35.16"))


def test_huzhu_side_by_side_economic_table(all_package):
    assert econ(all_package, HUZHU, "basic_economic", "301")[:2] == ("工资福利支出", Decimal("74.82"))
    assert econ(all_package, HUZHU, "basic_economic", "302")[:2] == ("商品和服务支出", Decimal("26.98"))
    assert econ(all_package, HUZHU, "basic_economic", "30201")[:2] == ("办公费", Decimal("11.86"))


def test_huzhu_three_public_budget_and_final(all_package):
    assert three_public(all_package, HUZHU, "total", "budget") == Decimal("2.10")
    assert three_public(all_package, HUZHU, "total", "final") == Decimal("2.10")
    assert three_public(all_package, HUZHU, "vehicle_operation", "final") == Decimal("2.10")


# --------------------------------------------------------- 003 宿州 (markdown pipes)


def test_suzhou_thousands_separators_and_classes(all_package):
    t = "general_public_function"
    assert table_totals(all_package, SUZHOU, t)[:3] == (
        Decimal("1773.19"), Decimal("1088.71"), Decimal("684.49"))
    assert fn(all_package, SUZHOU, t, "201")[1:] == (Decimal("125.50"), None, Decimal("125.50"))
    assert fn(all_package, SUZHOU, t, "208")[1:] == (Decimal("402.17"), Decimal("402.17"), None)
    assert fn(all_package, SUZHOU, t, "210")[1:] == (Decimal("1127.50"), Decimal("568.51"), Decimal("558.99"))
    assert fn(all_package, SUZHOU, t, "221")[1:] == (Decimal("118.02"), Decimal("118.02"), None)
    assert fn(all_package, SUZHOU, t, "2101501") == ("行政运行", Decimal("416.25"), Decimal("416.25"), None)
    assert fn(all_package, SUZHOU, t, "2101502")[1:] == (Decimal("168.17"), None, Decimal("168.17"))


def test_suzhou_personnel_and_public_from_narrative(all_package):
    facts = {r["topic"]: D(r["amount"]) for r in all_package.rows("narrative", document_id=SUZHOU)
             if r["topic"] in ("personnel", "public")}
    assert facts == {"personnel": Decimal("905.71"), "public": Decimal("183")}


def test_suzhou_projects_with_wrapped_names(all_package):
    projects = {r["project"]: (r["unit"], D(r["amount"]))
                for r in all_package.rows("projects", document_id=SUZHOU) if r["table"] == "projects"}
    assert projects["结转2021年医疗服务与保障能力提升补助资金(第二批)"] == ("宿州市医疗保障局", Decimal("151.16"))
    assert projects["劳务派遣聘用人员经费"] == ("宿州市城镇职工基本医疗保险基金管理中心", Decimal("70.50"))


def test_summary_keeps_no_header_fragments(all_package):
    """望都's summary tables repeat the unit name, 预算年度 and the 序号 / 项 / 目 header on each
    page; those are not budget lines."""
    items = [r["item"] for r in all_package.rows("summary", document_id="baoding-wangdu-ybj-2024-budget")]
    assert not {"望都县医疗保障局", "预算年度：2024", "序号", "项", "目", "拨款"} & set(items)
    assert "一、一般公共预算拨款收入" in items


def test_glossary_of_every_sample(all_package):
    """名词解释 in every layout: numbered ``1.`` / ``(一)`` / ``一、`` or bare terms, ASCII or full
    colons, definitions over several lines, terms carrying their 类/款/项; the same heading in
    the table of contents is skipped."""
    terms = {}
    for r in all_package.rows("glossary"):
        terms.setdefault(r["document_id"], []).append(r["term"])
    assert {d: len(t) for d, t in terms.items()} == {
        "baoji-fengxian-ybj-2024-budget-unit": 2, "leshan-shizhong-ybj-2023-budget": 18,
        "haidong-huzhu-ybj-2024-final": 15, "anhui-suzhou-ybj-2024-budget": 9,
        "baoding-wangdu-ybj-2024-budget": 10}
    assert terms["baoji-fengxian-ybj-2024-budget-unit"] == ["公用经费", "机关运行经费"]
    assert "住房保障(类)住房改革支出(款)住房公积金(项)" in terms["leshan-shizhong-ybj-2023-budget"]
    assert "使用非财政拨款结余(含专用结余)" in terms["haidong-huzhu-ybj-2024-final"]
    rest = all_package.one("glossary", document_id="anhui-suzhou-ybj-2024-budget", term="上年结转")
    assert rest["definition"] == "指以前年度安排、结转到本年仍按原用途继续使用的资金。"  # two lines joined



def test_summary_line_side_from_its_column(all_package):
    """A line of a two-sided summary table printing only its 支出 label (预备费, no amount) is on
    the 支出 side because of the column it is printed in, not because of its words."""
    def side(doc, table, item):
        return all_package.one("summary", document_id=doc, table=table, item=item)["side"]
    assert side("anhui-suzhou-ybj-2024-budget", "fiscal_summary", "(二十四)预备费") == "expenditure"
    assert side("anhui-suzhou-ybj-2024-budget", "fiscal_summary", "(二十三)灾害防治及应急管理") == "expenditure"
    assert side("leshan-shizhong-ybj-2023-budget", "summary", "二十四、预备费") == "expenditure"
    assert side("leshan-shizhong-ybj-2023-budget", "summary", "一、一般公共预算拨款收入") == "income"


def test_summary_with_three_column_groups_keeps_every_group(all_package):
    """凤县's 收支总表 prints 收入 | 支出 by function | 支出 by economic class | 支出 by use side by
    side: every group is read, on the side its column is under (the 12th function class was read
    as income, and the economic groups were lost)."""
    def lines(item):
        return [(r["side"], r["amount"]) for r in all_package.rows(
            "summary", document_id="baoji-fengxian-ybj-2024-budget-unit", table="summary", item=item)]
    assert lines("12、城乡社区支出") == [("expenditure", "")]
    assert lines("1、人员经费和公用经费支出") == [("expenditure", "112.4661")]
    assert lines("2、专项业务经费支出") == [("expenditure", "89.68674")]
    assert lines("10、卫生健康支出") == [("expenditure", "177.12614")]
    assert lines("1、财政拨款") == [("income", "202.15284")]
