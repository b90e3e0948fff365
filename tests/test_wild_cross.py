"""The 财政拨款收支总表 against the fund tables, on wild-dev templates: the 一般公共预算 part of the
fiscal summary (not its whole, which holds 政府性基金 and 国有资本经营 money too) equals the
一般公共预算支出表's 合计, and where the 支出 side prints a 政府性基金预算 column, that part equals the
政府性基金预算支出表's 合计.

Every figure was read by hand off the page named with it (pdfplumber text); amounts in 万元, a
table printed in 元 divided by 10000. Each file is parsed alone (``parse_files``), in process.

* 重庆 w0101 重庆市水利局: the 支出 side splits by fund (合计 | 一般公共预算 | 政府性基金预算 | 国有
  资本经营预算).
* 广州 w0123 广州市水务局: one 支出 column; the 收入 side prints 一、一般公共预算 and 二、政府性基金
  预算, no carry-over.
* 杭州 w0140 杭州市公安局: one 支出 column; 一般公共预算 under 一、财政拨款 and again under 二、上年
  结转结余.
* 无锡 w0146 无锡市交通运输局（本级）: one 支出 column; （一）一般公共预算拨款 under 一、本年收入.
* 上海 w0021 上海市海洋监测预报中心 (元): fund columns, 支出总计 only (no 本年支出合计).
* 西安 w0192 西安市公安局 (元): 上年结转 printed as one figure, not by fund: the 一般公共预算
  part is not read and the whole is not compared.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import WILD
from generator.parse import parse_files
from generator.verify.cross_table import fund_part

pytestmark = pytest.mark.skipif(not WILD.is_dir(),
                                reason=f"wild development corpus not available: {WILD} is absent")

_PARSED: dict[str, object] = {}


def parsed(name: str):
    if name not in _PARSED:
        result = parse_files([WILD / name])
        assert result.parsed is not None, result.error
        _PARSED[name] = result.parsed
    return _PARSED[name]


def check(doc, check_id: str):
    found = [c for c in doc.checks if c.check == check_id]
    assert len(found) == 1, [(c.check, c.status, c.message) for c in found]
    return found[0]


def gp_total(doc) -> Decimal:
    return next(t.total for t in doc.tables if t.table == "general_public_function" and t.total is not None)


def fiscal_line(doc, item: str):
    return next(l for l in doc.summary_lines if l.table == "fiscal_summary" and l.item == item)


def test_chongqing_fund_columns():
    """w0101 p. 21 prints 一、本年支出 172,283.15 | 128,148.56 | 44,134.59 | (blank), and （二）教育支出
    23,350.99 | 23,168.99 | 182.00; p. 22 (一般公共预算支出表) 合计 128,148.56; p. 27 (政府性基金预算
    支出表) 合计 44,134.59."""
    doc = parsed("w0101.pdf")
    spent = fiscal_line(doc, "一、本年支出")
    assert spent.amount == Decimal("172283.15")
    assert dict(spent.funds) == {"general_public": Decimal("128148.56"), "government_fund": Decimal("44134.59"),
                                 "state_capital": None}
    assert dict(fiscal_line(doc, "（二）教育支出").funds)["general_public"] == Decimal("23168.99")
    assert gp_total(doc) == Decimal("128148.56")
    assert fund_part(doc, "general_public")[0] == Decimal("128148.56")
    assert check(doc, "cross.fiscal_summary_vs_general_public").status == "pass"
    assert check(doc, "cross.fiscal_summary_vs_government_fund").status == "pass"
    classes = [c for c in doc.checks if c.check == "cross.fiscal_class_vs_general_public"]
    assert classes and all(c.status == "pass" for c in classes)
    assert any(c.expected == "23168.99" for c in classes)  # 205 教育支出: its 一般公共预算 column


def test_guangzhou_income_side():
    """w0123 p. 12 prints 一、一般公共预算 49,961.75 and 二、政府性基金预算 250,223.44; p. 13 本年支出合计
    300,185.19 (both funds); p. 14 (一般公共预算支出表) 合计 49,961.75; p. 20 (政府性基金) 合计
    250,223.44."""
    doc = parsed("w0123.pdf")
    assert fiscal_line(doc, "本年支出合计").amount == Decimal("300185.19")
    assert gp_total(doc) == Decimal("49961.75")
    assert fund_part(doc, "general_public")[0] == Decimal("49961.75")
    assert fund_part(doc, "government_fund")[0] == Decimal("250223.44")
    assert check(doc, "cross.fiscal_summary_vs_general_public").status == "pass"
    assert check(doc, "cross.fiscal_summary_vs_government_fund").status == "pass"
    # the 支出 side does not split by fund and mixes both: classes are not compared one by one
    assert check(doc, "cross.fiscal_class_vs_general_public").status == "not_applicable"


def test_hangzhou_carry_over_by_fund():
    """w0140 p. 25 prints 一般公共预算 366,195.79 under 一、财政拨款 and 一般公共预算 4,023.45 under
    二、上年结转结余 (4,023.45); 一、本年支出合计 377,819.25; p. 26 (一般公共预算支出表) 合计
    370,219.25: 366,195.79 + 4,023.45 = 370,219.24, a cent of rounding."""
    doc = parsed("w0140.pdf")
    assert fiscal_line(doc, "一、本年支出合计").amount == Decimal("377819.25")
    assert gp_total(doc) == Decimal("370219.25")
    assert fund_part(doc, "general_public")[0] == Decimal("370219.24")
    assert check(doc, "cross.fiscal_summary_vs_general_public").status == "rounding"


def test_wuxi_unit_budget():
    """w0146 p. 18 prints （一）一般公共预算拨款 196,278.67, （二）政府性基金预算拨款 143,999.00,
    （三）国有资本经营预算拨款 32,640.00 under 一、本年收入 372,917.67, 二、上年结转 blank; p. 23
    (一般公共预算支出表) 合计 196,278.67; p. 27 (政府性基金预算支出表) 合计 143,999.00."""
    doc = parsed("w0146.pdf")
    assert fiscal_line(doc, "一、本年支出").amount == Decimal("372917.67")
    assert gp_total(doc) == Decimal("196278.67")
    assert fund_part(doc, "general_public")[0] == Decimal("196278.67")
    assert check(doc, "cross.fiscal_summary_vs_general_public").status == "pass"
    assert check(doc, "cross.fiscal_summary_vs_government_fund").status == "pass"


def test_shanghai_grand_total_column():
    """w0021 p. 12 (元) prints 支出总计 178,830,483 | 178,830,483 | (blank) | (blank); p. 13 (一般
    公共预算支出表) 合计 17,883.0483 万元."""
    doc = parsed("w0021.pdf")
    grand = fiscal_line(doc, "支出总计")
    assert dict(grand.funds)["general_public"] == Decimal("17883.0483")
    assert gp_total(doc) == Decimal("17883.0483")
    assert check(doc, "cross.fiscal_summary_vs_general_public").status == "pass"


def test_xian_unsplit_carry_over_is_not_compared():
    """w0192 p. 25 (元) prints 1、一般公共预算拨款 3,246,385,029.74, 上年结转 131,027,041.73 (not by
    fund) and 本年支出合计 3,377,412,071.47; p. 26 (一般公共预算支出表) 合计 3,246,385,029.74. The
    一般公共预算 part of the spending is not printed: no comparison of the whole."""
    doc = parsed("w0192.pdf")
    assert gp_total(doc) == Decimal("324638.502974")
    part, how, _, _ = fund_part(doc, "general_public")
    assert part is None and "上年结转" in how
    assert check(doc, "cross.fiscal_summary_vs_general_public").status == "insufficient_data"
    assert not [c for c in doc.checks if c.check == "cross.fiscal_class_vs_general_public" and c.status == "fail"]


# ------------------------------------------------------------------------------- projects

def test_xian_project_tree():
    """w0209 (西安市统计局 2026, 元) p. 36, 部门综合预算专项业务经费支出表: 合计 25,408,100.00, then
    ``119 | 西安市统计局 | 25,408,100.00`` and ``119001 | 西安市统计局 | 25,139,100.00`` (unit codes,
    not amounts), then 通用项目 8,580,600.00 → 大型活动 750,000.00 → 统计业务培训 750,000.00 … in one
    column: 9 projects remain (统计业务培训 750,000.00 … 社情民意调查 269,000.00), adding up to the
    合计; p. 29 prints 2、专项业务经费支出 25,408,100.00."""
    doc = parsed("w0209.pdf")
    projects = [p for p in doc.projects if p.table == "projects"]
    assert [p.project for p in projects][:2] == ["统计业务培训", "统计资料印刷"]
    assert len(projects) == 9
    assert sum(p.amount for p in projects) == Decimal("2540.81")
    assert check(doc, "projects.sum_vs_project_spending").status == "pass"


def test_nested_subtotals_equal_figures():
    """w0192 (西安市公安局 2026) p. 39 prints, under 西安市公安局公交轨道公安局: 通用项目 6,850,000.00,
    办公场所租赁 550,000.00, 办公技术用房场地租赁 550,000.00, 购买服务（审计、绩效、ppp项目评价）
    200,000.00, 会计、审计、财务及资产管理服务 200,000.00, 维修改造 200,000.00, 集中办公用房维修改造
    200,000.00, 委托咨询业务 5,000,000.00, 勤务安保 5,000,000.00, 专项购置 900,000.00, 办公设备购置
    600,000.00, 家具、营具、厨具、设备购置 300,000.00: four equal figures in a row, of which only
    one reading adds up (购买服务 over 会计…, 维修改造 over 集中办公用房维修改造)."""
    from generator.recognize.projects import nested_subtotals
    amounts = [Decimal(v) for v in ("6850000", "550000", "550000", "200000", "200000", "200000", "200000",
                                    "5000000", "5000000", "900000", "600000", "300000")]
    assert nested_subtotals(amounts, Decimal("6850000")) == [0, 1, 3, 5, 7, 9]
    assert nested_subtotals(amounts, Decimal("6850001")) is None
