"""The "三公" tables of wild-dev disclosures, read by hand off their pages, against the packages.

* 上海 w0009 上海市戒毒康复中心 2026 单位预算, p. 19 “三公”经费和机关运行经费预算表 (万元; columns
  checked on the rendered page): 合计 30.75 | 因公出国(境)费 blank | 公务接待费 2.50 | 公务用车购置及
  运行费: 小计 28.25, 购置费 20.00, 运行费 8.25 | 机关运行经费预算数 1,547.40. The car columns are
  headed 小计 | 购置费 | 运行费 under 公务用车购置及运行费, and the row goes on with the 机关运行经费.
* 上海 w0012 上海市审计局 2026 单位预算, p. 19, the same table: 237.92 | 201.80 | 8.12 | 28.00,
  购置费 blank, 28.00 | 2,180.26; p. 20 states 机关运行经费预算为2,180.26万元.
* 西安 w0202 西安市安全生产监督管理局 2019 部门预算, p. 32 (万元; rendered page): 2018年 | 2019年 |
  增减变化情况, each 合计 | “三公” 小计 | 因公出国 | 公务接待费 | 公务用车 小计, 购置经费, 运行维护 |
  会议费 | 培训费. 2019: 83.74 | 28.38 | blank | 4.38 | 24.00, blank, 24.00 | 19.06 | 36.30. The
  header prints 公务用车运行维护 without 费; the 三公 合计 is 28.38, not the 83.74 that adds 会议费
  and 培训费.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import WILD, Package, D, build_wild_files

FILES = ("w0009.pdf", "w0012.pdf", "w0202.pdf")
JIEDU = "shanghai-jiedukangfuzhongxin-2026-budget-unit"
SHENJI = "shanghai-shenjiju-2026-budget-unit"
ANJIAN = "xian-anquanshengchanjianduguanliju-2019-budget"

pytestmark = pytest.mark.skipif(not WILD.is_dir(),
                                reason=f"wild development corpus not available: {WILD} is absent")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Package:
    return build_wild_files(tmp_path_factory, FILES, "--jobs", "1")


def items(pkg: Package, doc: str) -> dict[str, tuple[Decimal | None, str]]:
    return {r["item"]: (D(r["amount"]), r["source_page"])
            for r in pkg.rows("three_public", document_id=doc, measure="budget")}


def test_shanghai_car_columns_headed_purchase_and_running(built):
    # p. 19: 小计 | 购置费 | 运行费 under 公务用车购置及运行费; 因公出国 blank
    assert items(built, JIEDU) == {
        "total": (Decimal("30.75"), "19"), "reception": (Decimal("2.50"), "19"),
        "vehicle_purchase": (Decimal("20.00"), "19"), "vehicle_operation": (Decimal("8.25"), "19"),
    }
    assert items(built, SHENJI) == {
        "total": (Decimal("237.92"), "19"), "overseas_travel": (Decimal("201.80"), "19"),
        "reception": (Decimal("8.12"), "19"), "vehicle_operation": (Decimal("28.00"), "19"),
    }


def test_shanghai_operating_costs_column_is_the_operating_costs_total(built):
    # the 7th figure of the row, 机关运行经费预算数, is no 三公 item: it is the 机关运行经费
    for doc, amount in ((JIEDU, "1547.40"), (SHENJI, "2180.26")):
        tables = built.rows("tables", document_id=doc, table="operating_costs")
        assert [(D(t["total"]), t["source_page"]) for t in tables] == [(Decimal(amount), "19")]
    # p. 20 states 机关运行经费预算为2,180.26万元: compared with that column, and equal
    checks = built.rows("checks", document_id=SHENJI, check="narrative.operating_costs")
    assert checks and {c["status"] for c in checks} == {"pass"}, checks


def test_xian_2019_running_costs_without_fee_and_the_three_public_total(built):
    # p. 32, the 2019 block: 三公 28.38 = 接待 4.38 + 公务用车 24.00 (运行维护 24.00); 83.74 is the
    # 合计 with 会议费 19.06 and 培训费 36.30
    assert items(built, ANJIAN) == {
        "total": (Decimal("28.38"), "32"), "reception": (Decimal("4.38"), "32"),
        "vehicle_operation": (Decimal("24.00"), "32"),
    }
