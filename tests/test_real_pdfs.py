"""The real disclosure PDFs of ../shared/real-pdfs through the real command line.

Figures are the ones printed in the PDFs (万元). The folder is not part of this repository:
the tests skip, naming the reason, where it is absent (CI has it beside the checkout).
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import REAL_PDFS, Package, D, needs_real_pdfs

pytestmark = needs_real_pdfs


@pytest.fixture(scope="module")
def pdfs(real_packages) -> Package:
    """The real PDFs' packages, built once per session (``conftest.real_packages``)."""
    return real_packages


def totals(pkg, doc, table="general_public_function"):
    r = pkg.rows("tables", document_id=doc, table=table, empty="false")[0]
    return D(r["total"]), D(r["basic"]), D(r["project"]), int(r["source_page"])


def row(pkg, doc, code, table="general_public_function"):
    rows = pkg.rows("function_expenditure", document_id=doc, table=table, code=code)
    assert rows, f"{doc}: no {code} in {table}"
    r = rows[0]
    return r["name"], D(r["total"]), D(r["basic"]), D(r["project"]), int(r["source_page"])


def three_public_total(pkg, doc, measure="budget"):
    rows = pkg.rows("three_public", document_id=doc, item="total", measure=measure)
    return [D(r["amount"]) for r in rows]


def test_every_pdf_is_one_document(pdfs):
    ids = sorted(r["document_id"] for r in pdfs.rows("documents"))
    assert ids == [
        "beijing-ybj-2026-budget", "changsha-xinfangju-2026-budget", "cn-xinfangju-2024-final",
        "jiangsu-jcy-2019-budget", "shanghai-putuo-caizhengju-2024-final", "shanghai-putuo-sifaju-2026-budget",
        "shanghai-putuo-sifaju-2026-budget-unit", "shenzhen-ybj-2026-budget", "zhuhai-shangwuju-2026-budget"]
    beijing = pdfs.one("documents", document_id="beijing-ybj-2026-budget")
    assert beijing["source_files"] == (
        "beijing-ybj-2026-bumen-yusuan-baobiao.pdf;beijing-ybj-2026-bumen-yusuan-shuoming.pdf")
    assert pdfs.one("bureaus", bureau_id="cn-xinfangju")["level"] == "central"
    sz = pdfs.one("bureaus", bureau_id="shenzhen-ybj")
    assert (sz["province"], sz["prefecture"], sz["division_code"]) == ("广东省", "深圳市", "440300")


def test_shenzhen_wrapped_names_and_unit_row_as_total(pdfs):
    doc = "shenzhen-ybj-2026-budget"
    assert totals(pdfs, doc) == (Decimal("13754.63"), Decimal("11012.04"), Decimal("2742.59"), 27)
    assert row(pdfs, doc, "2101501") == ("行政运行", Decimal("7517.14"), Decimal("7092.18"),
                                         Decimal("424.96"), 27)
    assert row(pdfs, doc, "210")[1:4] == (Decimal("10097.39"), Decimal("7354.80"), Decimal("2742.59"))
    assert row(pdfs, doc, "221")[1] == Decimal("2555.31")
    assert row(pdfs, doc, "2210203")[:2] == ("购房补贴", Decimal("1888.13"))
    # "三公" table prints 2025 and 2026 rows, each item split by fund: the 2026 total
    assert three_public_total(pdfs, doc) == [Decimal("66.04")]


def test_beijing_six_decimals_and_split_basic_columns(pdfs):
    doc = "beijing-ybj-2026-budget"
    t = pdfs.rows("tables", document_id=doc, table="general_public_function")[0]
    assert (t["total"], t["basic"], t["personnel"], t["public"], t["project"]) == (
        "110896.619602", "11161.558229", "10302.566783", "858.991446", "99735.061373")
    # codes joined to names in the source ("2101501-行政运行" in some tables); the table prints
    # one 2101501 row per budget unit (4247.250789 + 5224.805319), stored as one row per code
    name, total, basic, project, page = row(pdfs, doc, "2101501")
    assert (name, total, basic, project, page) == (
        "行政运行", Decimal("9472.056108"), Decimal("9472.056108"), None, 6)
    assert three_public_total(pdfs, doc) == [Decimal("77.672600")]


def test_shanghai_putuo_sfj_department_budget(pdfs):
    doc = "shanghai-putuo-sifaju-2026-budget"
    assert totals(pdfs, doc)[:3] == (Decimal("9628.221344"), Decimal("2574.166644"), Decimal("7054.0547"))
    # codes split into 类 | 款 | 项 columns
    assert row(pdfs, doc, "2040601")[:4] == ("行政运行", Decimal("1672.672544"), Decimal("1672.672544"),
                                              Decimal("0"))
    assert row(pdfs, doc, "204")[1] == Decimal("8726.727244")
    assert row(pdfs, doc, "221")[1] == Decimal("452.1559")
    assert three_public_total(pdfs, doc) == [Decimal("10.81")]


def test_shanghai_putuo_sfj_unit_budget_error_is_kept(pdfs):
    doc = "shanghai-putuo-sifaju-2026-budget-unit"
    # the printed error: 合计 equals 基本支出 while 项目支出 is also printed
    assert row(pdfs, doc, "2040601")[:4] == ("行政运行", Decimal("1434.885334"), Decimal("1434.885334"),
                                              Decimal("6484.0547"))
    fails = pdfs.rows("checks", document_id=doc, check="function.row_total", status="fail")
    assert any("2040601" in f["message"] for f in fails)


def test_zhuhai_bracketed_codes_and_three_public_by_label(pdfs):
    doc = "zhuhai-shangwuju-2026-budget"
    assert totals(pdfs, doc)[:3] == (Decimal("46402.33"), Decimal("7517.32"), Decimal("38885.01"))
    assert row(pdfs, doc, "2011301")[:4] == ("行政运行", Decimal("4965.28"), Decimal("4965.28"), Decimal("0"))
    assert row(pdfs, doc, "216")[1:4] == (Decimal("2500.00"), Decimal("0"), Decimal("2500.00"))
    items = {r["item"]: D(r["amount"]) for r in pdfs.rows("three_public", document_id=doc)}
    assert items == {"total": Decimal("19.84"), "overseas_travel": Decimal("13.20"),
                     "vehicle_purchase": Decimal("0.00"), "vehicle_operation": Decimal("0.00"),
                     "reception": Decimal("6.64")}


def test_changsha_codes_over_rows(pdfs):
    doc = "changsha-xinfangju-2026-budget"
    assert totals(pdfs, doc)[:3] == (Decimal("1935.36"), Decimal("1517.95"), Decimal("417.41"))
    assert row(pdfs, doc, "201")[1:4] == (Decimal("1935.36"), Decimal("1517.95"), Decimal("417.41"))
    assert row(pdfs, doc, "2014001")[:3] == ("行政运行", Decimal("1517.95"), Decimal("1517.95"))
    assert three_public_total(pdfs, doc) == [Decimal("8.00")]
    items = {r["item"]: D(r["amount"]) for r in pdfs.rows("three_public", document_id=doc)}
    assert (items["reception"], items["vehicle_operation"]) == (Decimal("3.00"), Decimal("5.00"))


def test_national_final_account(pdfs):
    doc = "cn-xinfangju-2024-final"
    assert totals(pdfs, doc)[:3] == (Decimal("13733.80"), Decimal("10234.37"), Decimal("3499.42"))
    assert row(pdfs, doc, "201")[1:4] == (Decimal("9846.82"), Decimal("6527.43"), Decimal("3319.39"))
    assert row(pdfs, doc, "2014001")[:3] == ("行政运行", Decimal("5757.63"), Decimal("5757.63"))
    assert three_public_total(pdfs, doc, "budget") == [Decimal("76.43")]
    assert three_public_total(pdfs, doc, "final") == [Decimal("46.21")]


def test_shanghai_putuo_czj_final_account(pdfs):
    doc = "shanghai-putuo-caizhengju-2024-final"
    assert totals(pdfs, doc)[:3] == (Decimal("2940.05"), Decimal("2336.91"), Decimal("603.14"))
    assert row(pdfs, doc, "2010601")[:4] == ("行政运行", Decimal("1511.89"), Decimal("1503.52"), Decimal("8.37"))
    assert row(pdfs, doc, "201")[1] == Decimal("2106.66")


def test_jiangsu_2019(pdfs):
    doc = "jiangsu-jcy-2019-budget"
    assert totals(pdfs, doc)[0] == Decimal("24169.74")
    assert row(pdfs, doc, "2040401")[:2] == ("行政运行", Decimal("12268.62"))
    assert row(pdfs, doc, "204")[1] == Decimal("16593.12")
    # 合计 1276.7 covers 会议费 and 培训费 too; the "三公" total is 418.26
    assert three_public_total(pdfs, doc) == [Decimal("418.26")]
    items = {r["item"]: D(r["amount"]) for r in pdfs.rows("three_public", document_id=doc)}
    assert items["reception"] == Decimal("101.26") and items["overseas_travel"] == Decimal("80")


def test_jiangsu_economic_table_printed_twice_counts_once(pdfs):
    """江苏 prints its basic-spending economic table twice; 301 is 11960.62 once, and the class
    sums check against the 合计 15844.04 instead of failing on a doubled 23921.24."""
    doc = "jiangsu-jcy-2019-budget"
    rows = pdfs.rows("economic_expenditure", document_id=doc, table="basic_economic", code="301")
    assert [D(r["total"]) for r in rows] == [Decimal("11960.62")]
    checks = pdfs.rows("checks", document_id=doc, check="economic.table_total")
    assert [c["status"] for c in checks] == ["pass"]


def test_document_page_links_the_source_pdf_page(pdfs):
    """The site copies each source PDF (when its sha256 matches the package) and links the
    page a table comes from: 深圳's 一般公共预算支出表 is on page 27 of its PDF."""
    from generator.publish.catalog import load_catalog
    from generator.publish.pages.sources import source_files, source_page_link
    cat = load_catalog(pdfs.root.parent)
    cat.documents_dir = REAL_PDFS
    files = source_files(cat)
    assert files["sources/shenzhen-ybj-2026-budget.pdf"] == REAL_PDFS / "shenzhen-ybj-2026-bumen-yusuan.pdf"
    assert {"sources/beijing-ybj-2026-budget-1.pdf", "sources/beijing-ybj-2026-budget-2.pdf"} <= set(files)
    doc = cat.document("shenzhen-ybj-2026-budget")
    page = totals(pdfs, "shenzhen-ybj-2026-budget")[3]
    assert source_page_link(cat, doc, page, "../") == \
        f"[第 {page} 页](../sources/shenzhen-ybj-2026-budget.pdf#page={page})"
