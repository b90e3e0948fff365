"""收支总表 / 财政拨款收支总表 of wild-dev disclosures, read by hand off the PDF pages.

* 重庆 w0101 重庆市水利局, w0096 重庆市商务委员会, w0102 重庆市科学技术局 (2026 部门预算): the
  收支总表 prints its total ``合计`` as the first row, above 一、…九、, with a note ``注：由于四舍
  五入因素…`` under the table and ``表二`` over the next page's title. In w0096 and w0102 the
  Latin font of the figures, ``、`` and ``( )`` has broken metrics: its boxes hang one em below the
  baseline, so by its box every figure sat half in the row below (``（一）一般公共预算资金`` printed
  with the figure of the row above it); ``ingest.pdf.on_baseline`` puts such boxes back.
* 西安 w0189 西安市人力资源和社会保障局 2020 部门综合预算: the 专项业务经费支出表 lists all funds
  (82 projects, 173502.61 = the 收支总表's 2、专项业务经费支出, p. 29); the 财政拨款收支总表
  (p. 32) and the 一般公共预算 table print 173152.61, without 6、其他收入 350.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import WILD, Package, D, build_wild_files, document_of
from generator.ingest.pdf import _PAGE_NUMBER, on_baseline

FILES = ("w0096.pdf", "w0101.pdf", "w0102.pdf", "w0189.pdf")

wild_only = pytest.mark.skipif(not WILD.is_dir(),
                               reason=f"wild development corpus not available: {WILD} is absent")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory) -> Package:
    return build_wild_files(tmp_path_factory, FILES, "--jobs", "1")


def doc_of(pkg: Package, name: str) -> str:
    return document_of(pkg, name)


def lines(pkg: Package, name: str, table: str, side: str) -> list[tuple[str, Decimal | None, str]]:
    return [(r["item"], D(r["amount"]), r["source_page"])
            for r in pkg.rows("summary", document_id=doc_of(pkg, name), table=table, side=side)]


INCOME_LABELS = ["合计", "一、一般公共预算资金", "二、政府性基金预算资金", "三、国有资本经营预算资金",
                 "四、财政专户管理资金", "五、事业收入资金", "六、上级补助收入资金",
                 "七、附属单位上缴收入资金", "八、事业单位经营收入资金", "九、其他收入资金"]


@wild_only
@pytest.mark.parametrize("name, page, total, general, other", [
    ("w0101.pdf", "12", "186549.30", "128148.56", "1512.04"),   # 表一 p. 12
    ("w0096.pdf", "8", "174900.64", "101833.84", "717.01"),     # 表一 p. 8
    ("w0102.pdf", "8", "168441.81", "154304.22", "10885.00"),   # 表一 p. 8
])
def test_chongqing_summary_income(pkg, name, page, total, general, other):
    """表一 部门收支总体情况表 prints 合计, then 一、一般公共预算资金 … 九、其他收入资金, then a
    note; the next page starts with 表二. Only the ten printed lines are income lines."""
    income = lines(pkg, name, "summary", "income")
    assert [item for item, _, _ in income] == INCOME_LABELS
    assert {p for _, _, p in income} == {page}
    amounts = {item: amount for item, amount, _ in income}
    assert amounts["合计"] == Decimal(total)
    assert amounts["一、一般公共预算资金"] == Decimal(general)
    assert amounts["九、其他收入资金"] == Decimal(other)
    assert amounts["三、国有资本经营预算资金"] is None  # printed blank
    expenditure = lines(pkg, name, "summary", "expenditure")
    assert expenditure[0][:2] == ("合计", Decimal(total))  # 合计 | 合计, both sides the same


@wild_only
def test_chongqing_fiscal_summary_rows_keep_their_figures(pkg):
    """w0096 p. 15 表四 财政拨款收支总体情况表 (checked on the rendered page): each figure on the
    row of its label, not the row below."""
    income = {item: amount for item, amount, _ in lines(pkg, "w0096.pdf", "fiscal_summary", "income")}
    assert income["一、本年收入"] == Decimal("99320.55")
    assert income["(一)一般公共预算资金"] == Decimal("99320.55")
    assert income["(二)政府性基金预算资金"] is None
    assert income["二、上年结转"] == Decimal("44048.03")
    assert income["(一)一般公共预算拨款"] == Decimal("2513.30")
    assert income["(二)政府性基金预算拨款"] == Decimal("41534.73")
    assert income["收入合计"] == Decimal("143368.57")
    assert not any("15" in item for item in income)  # the page number — 1 5 — is no line
    spent = {item: amount for item, amount, _ in lines(pkg, "w0096.pdf", "fiscal_summary", "expenditure")}
    assert spent["(一)一般公共服务支出"] == Decimal("16604.23")
    assert spent["(五)资源勘探工业信息等支出"] == Decimal("41772.73")
    assert spent["(七)住房保障支出"] == Decimal("1811.88")
    # w0102 p. 15: (一)一般公共预算资金 154,023.82; (三)科学技术支出 147,502.38
    income = {item: amount for item, amount, _ in lines(pkg, "w0102.pdf", "fiscal_summary", "income")}
    assert income["(一)一般公共预算资金"] == Decimal("154023.82")
    spent = {item: amount for item, amount, _ in lines(pkg, "w0102.pdf", "fiscal_summary", "expenditure")}
    assert spent["(三)科学技术支出"] == Decimal("147502.38")


@wild_only
def test_chongqing_same_code_same_name(pkg):
    """With the figures on their rows, 商务委 and 科技局 print every code with one name."""
    for name in ("w0096.pdf", "w0102.pdf"):
        failed = [r for r in pkg.rows("checks", document_id=doc_of(pkg, name), status="fail")
                  if r["check"] in ("cross.same_code_same_name", "function.section_sum", "function.class_sum")]
        assert failed == [], name


@wild_only
def test_xian_project_spending_is_all_funds(pkg):
    """w0189 p. 29 收支总表 prints 2、专项业务经费支出 173502.61 (all funds, with 6、其他收入 350);
    the 82 projects of the 专项业务经费支出表 (p. 42) add up to it. The 财政拨款 figure 173152.61
    (p. 32) is not the one to compare."""
    rows = pkg.rows("checks", document_id=doc_of(pkg, "w0189.pdf"), check="projects.sum_vs_project_spending")
    assert len(rows) == 1
    assert rows[0]["status"] == "pass", rows[0]["message"]
    assert D(rows[0]["expected"]) == Decimal("173502.61")
    assert "summary" in rows[0]["message"]


def test_on_baseline_moves_a_box_hung_below_its_baseline():
    """w0096 p. 15: ``9`` of 99,320.55 has its box 247.04–257.33 under a baseline at 246.70 (y0
    338.01, matrix f 348.64 on a page 595.34 high): it is put back to 0.8 em above, 0.2 em below."""
    char = {"text": "9", "top": 247.04, "bottom": 257.33, "y0": 338.01, "size": 10.29,
            "matrix": (1.0, 0.0, 0.0, 1.0, 256.99, 348.64)}
    moved = on_baseline(char)
    assert moved is not char and char["top"] == 247.04
    assert moved["top"] == pytest.approx(246.70 - 0.8 * 10.29, abs=0.01)
    assert moved["bottom"] == pytest.approx(246.70 + 0.2 * 10.29, abs=0.01)
    # the CJK label beside it: box 237.54–247.83, baseline 245.34 inside it — kept
    label = {"text": "一", "top": 237.54, "bottom": 247.83, "y0": 347.51, "size": 10.29,
             "matrix": (1.0, 0.0, 0.0, 1.0, 82.03, 350.0)}
    assert on_baseline(label) is label
    rotated = {**char, "matrix": (0.0, 1.0, -1.0, 0.0, 256.99, 348.64)}
    assert on_baseline(rotated) is rotated


def test_spaced_page_number():
    """w0096 p. 15 prints its page number as ``— 1 5 —``."""
    assert _PAGE_NUMBER.match("— 1 5 —") and _PAGE_NUMBER.match("- 3 -")
    assert not _PAGE_NUMBER.match("1 5")
