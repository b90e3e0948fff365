"""The ``facts`` resource: one canonical figure per question, as read off the documents by hand.

For every figure below (the samples in ``documents/`` with their lines, the real PDFs of
../shared/real-pdfs with their pages) exactly one ``facts`` row answers the question
(document, measure, dimension, code, part), with that amount and from the page named.
The primary key holds on every build the test session makes (samples, real PDFs, wild-dev).
The wild-dev figures read by hand are checked against ``facts`` in test_wild_figures_a/b.
"""
from __future__ import annotations

import csv
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import D, Package

WANGDU = "baoding-wangdu-ybj-2024-budget"
SUZHOU = "anhui-suzhou-ybj-2024-budget"
HUZHU = "haidong-huzhu-ybj-2024-final"
LESHAN = "leshan-shizhong-ybj-2023-budget"
FENGXIAN = "baoji-fengxian-ybj-2024-budget-unit"
PK = ("document_id", "measure", "dimension", "code", "part")


class Expected(NamedTuple):
    document_id: str
    measure: str
    dimension: str
    code: str
    part: str
    amount: str  # 万元, as printed (元 sources divided by 10000)
    source_table: str
    page: int | None  # the page the fact must name (the table's first page for a 合计)
    where: str  # where it is printed


def facts_row(pkg: Package, e: Expected) -> dict[str, str]:
    rows = pkg.rows("facts", document_id=e.document_id, measure=e.measure, dimension=e.dimension,
                    code=e.code, part=e.part)
    assert len(rows) == 1, f"{e.where}: {len(rows)} facts rows answer {e[:5]}"
    return rows[0]


SAMPLES = [
    Expected(WANGDU, "budget", "total", "expenditure", "total", "3654.18", "summary", None,
             "004 line 81 收支总表 本年支出合计 3654.18"),
    Expected(WANGDU, "budget", "total", "general_public", "total", "3654.18", "general_public_function", None,
             "004 一般公共预算支出表 合计 3654.18"),
    Expected(WANGDU, "budget", "total", "basic", "total", "321.38", "general_public_function", None,
             "004 一般公共预算支出表 基本支出 321.38"),
    Expected(WANGDU, "budget", "total", "personnel", "total", "291.00", "basic_economic", None,
             "004 基本支出表 人员经费 291.00"),
    Expected(WANGDU, "budget", "function", "2101202", "project", "2832.00", "general_public_function", None,
             "004 line 298 2101202 财政对城乡居民基本医疗保险基金的补助 项目支出 2832.00"),
    Expected(WANGDU, "budget", "function", "21015", "basic", "275.47", "general_public_function", None,
             "004 line 304 21015 医疗保障管理事务 364.47 | 275.47 | 89.00"),
    Expected(WANGDU, "budget", "function", "210", "total", "3617.46", "general_public_function", None,
             "004 210 卫生健康支出 3617.46"),
    Expected(SUZHOU, "budget", "total", "general_public", "total", "1773.19", "general_public_function", None,
             "003 line 172 一般公共预算支出预算表 合计 1,773.19 | 1,088.71 | 684.49"),
    Expected(SUZHOU, "budget", "total", "personnel", "total", "905.71", "narrative", None,
             "003 line 526 其中，人员经费 905.71 万元 (no table prints the split)"),
    Expected(SUZHOU, "budget", "total", "public", "total", "183", "narrative", None,
             "003 line 526 公用经费 183 万元"),
    Expected(HUZHU, "final", "three_public", "total", "total", "2.10", "three_public", None,
             "002 三公 决算数 2.10"),
    Expected(HUZHU, "budget", "three_public", "total", "total", "2.10", "three_public", None,
             "002 三公 预算数 2.10 (a 决算's 预算数 is a budget figure of the same document)"),
    Expected(LESHAN, "budget", "total", "general_public", "total", "515.19", "general_public_function", None,
             "001 line 196 合 计 515.19 | 345.19 | 170.00"),
    Expected(LESHAN, "budget", "total", "personnel", "total", "307.17", "basic_economic", None,
             "001 基本支出表 人员经费 307.17"),
    Expected(LESHAN, "budget", "three_public", "reception", "total", "1.39", "three_public", None,
             "001 三公 公务接待费 1.39"),
    Expected(FENGXIAN, "budget", "total", "expenditure", "total", "202.15284", "summary", None,
             "000 收支总表 本年支出合计 202.15284"),
    Expected(FENGXIAN, "budget", "function", "2101501", "total", "81.3261", "narrative", None,
             "000 line 111 行政运行(2101501)81.3261万元 (no function table)"),
]

REAL = [
    Expected("shenzhen-ybj-2026-budget", "budget", "total", "expenditure", "total", "15480.26", "summary", 17,
             "深圳 p. 17 收支总表 本年支出合计 15,480.26"),
    Expected("shenzhen-ybj-2026-budget", "budget", "total", "general_public", "total", "13754.63",
             "general_public_function", 27, "深圳 p. 27 一般公共预算支出表 the unit row 13,754.63"),
    Expected("shenzhen-ybj-2026-budget", "budget", "function", "2101501", "basic", "7092.18",
             "general_public_function", 27, "深圳 p. 27 2101501 行政运行 7,517.14 | 7,092.18 | 424.96"),
    Expected("shenzhen-ybj-2026-budget", "budget", "function", "2210203", "total", "1888.13",
             "general_public_function", 28, "深圳 p. 28 2210203 购房补贴 1,888.13"),
    Expected("shenzhen-ybj-2026-budget", "budget", "three_public", "total", "total", "66.04", "three_public", 32,
             "深圳 p. 32 “三公” 2026 合计 66.04"),
    Expected("beijing-ybj-2026-budget", "budget", "total", "general_public", "total", "110896.619602",
             "general_public_function", 6, "北京 p. 6 一般公共预算支出表 合计 110,896.619602"),
    Expected("beijing-ybj-2026-budget", "budget", "total", "personnel", "total", "10302.566783",
             "basic_economic", 7, "北京 基本支出表 (pp. 7–8) 人员经费 10,302.566783"),
    Expected("beijing-ybj-2026-budget", "budget", "function", "2101501", "total", "9472.056108",
             "general_public_function", 6, "北京 p. 6 2101501 行政运行 4,247.250789 + 5,224.805319 (two units)"),
    Expected("beijing-ybj-2026-budget", "budget", "function", "210", "total", "101857.847222",
             "fiscal_summary", 5, "北京 p. 5 财政拨款收支总表 卫生健康支出 101,857.847222 (the 一般公共预算支出表 "
             "prints 项 only, adding up to 20,078.847222)"),
    Expected("beijing-ybj-2026-budget", "budget", "three_public", "total", "total", "77.672600", "three_public", 11,
             "北京 p. 11 “三公” 合计 77.672600"),
    Expected("shanghai-putuo-sifaju-2026-budget", "budget", "function", "204", "total", "8726.727244",
             "general_public_function", 15, "普陀司法局 p. 15 204 公共安全支出 87,267,272.44 元"),
    Expected("shanghai-putuo-sifaju-2026-budget-unit", "budget", "function", "2040601", "total", "1434.885334",
             "general_public_function", 14, "普陀司法局单位 p. 14 2040601 合计 14,348,853.34 元 (printed "
             "equal to 基本支出 while 项目支出 64,840,547 is printed too: the document's error, kept)"),
    Expected("zhuhai-shangwuju-2026-budget", "budget", "function", "216", "project", "2500.00",
             "general_public_function", 14, "珠海商务局 p. 14 216 商业服务业等支出 2,500.00 项目支出"),
    Expected("zhuhai-shangwuju-2026-budget", "budget", "three_public", "overseas_travel", "total", "13.20",
             "three_public", 18, "珠海商务局 p. 18 因公出国（境）费 13.20"),
    Expected("changsha-xinfangju-2026-budget", "budget", "total", "personnel", "total", "1394.97",
             "basic_economic", 18, "长沙信访局 p. 18 基本支出表 合计 人员经费 1,394.97"),
    Expected("changsha-xinfangju-2026-budget", "budget", "total", "public", "total", "122.98",
             "basic_economic", 18, "长沙信访局 p. 18 基本支出表 合计 公用经费 122.98"),
    Expected("cn-xinfangju-2024-final", "final", "total", "general_public", "total", "13733.80",
             "general_public_function", 11, "国家信访局 2024 决算 p. 11 一般公共预算财政拨款支出决算表 13,733.80"),
    Expected("cn-xinfangju-2024-final", "final", "function", "201", "basic", "6527.43",
             "general_public_function", 11, "国家信访局 p. 11 201 一般公共服务支出 基本支出 6,527.43"),
    Expected("cn-xinfangju-2024-final", "budget", "three_public", "total", "total", "76.43", "three_public", 15,
             "国家信访局 p. 15 “三公” 预算数 76.43"),
    Expected("cn-xinfangju-2024-final", "final", "three_public", "total", "total", "46.21", "three_public", 15,
             "国家信访局 p. 15 “三公” 决算数 46.21"),
    Expected("shanghai-putuo-caizhengju-2024-final", "final", "function", "2010601", "basic", "1503.52",
             "general_public_function", 15, "普陀财政局 2024 决算 p. 15 2010601 行政运行 基本支出 1,503.52"),
    Expected("jiangsu-jcy-2019-budget", "budget", "function", "204", "total", "16593.12",
             "general_public_function", 18, "江苏检察院 2019 p. 18 一般公共预算支出预算表 204 16,593.12"),
    Expected("jiangsu-jcy-2019-budget", "budget", "three_public", "reception", "total", "101.26",
             "three_public", 20, "江苏检察院 p. 20 公务接待费 101.26"),
]


@pytest.mark.parametrize("e", SAMPLES, ids=lambda e: f"{e.document_id[:12]}-{e.dimension}-{e.code}-{e.part}")
def test_sample_figure_is_one_fact(all_package, e: Expected):
    row = facts_row(all_package, e)
    assert (D(row["amount"]), row["source_table"]) == (Decimal(e.amount), e.source_table), e.where


@pytest.mark.parametrize("e", REAL, ids=lambda e: f"{e.document_id[:12]}-{e.measure}-{e.code}-{e.part}")
def test_real_pdf_figure_is_one_fact(real_packages, e: Expected):
    row = facts_row(real_packages, e)
    assert (D(row["amount"]), row["source_table"], int(row["source_page"])) == (
        Decimal(e.amount), e.source_table, e.page), e.where


def test_basis_says_how_a_figure_was_obtained(all_package, real_packages):
    # 互助 002 line 106: the 收支总表 prints 本年支出合计 "341. 3" (OCR cut a digit); line 199 prints 341.39
    huzhu = facts_row(all_package, Expected(HUZHU, "final", "total", "expenditure", "total", "341.39", "summary",
                                            None, "002 line 106"))
    assert (huzhu["amount"], huzhu["basis"], huzhu["repair"]) == ("341.39", "repaired", "repair.truncated_amount")
    # 宿州 003 line 363: the 支出总表's 合计 row prints no label (1,774.62 | 1,088.71 | 685.92), and no
    # 收支总表 line says 本年支出合计: the sum of its 类 rows, said to be derived
    suzhou = facts_row(all_package, Expected(SUZHOU, "budget", "total", "expenditure", "total", "1774.62",
                                             "expenditure", None, "003 line 363"))
    assert (suzhou["amount"], suzhou["basis"]) == ("1774.62", "derived")
    # 北京 p. 5: 卫生健康支出 has no code printed; verify gave it 210 (repair.code_assigned)
    beijing = facts_row(real_packages, REAL[8])
    assert (beijing["basis"], beijing["repair"]) == ("repaired", "repair.code_assigned")


def test_copies_that_differ_by_rounding_are_alternatives_not_conflicts(real_packages):
    """普陀司法局 单位预算 2026 prints 基本支出 2,211.8861 (p. 14, 一般公共预算支出表, to four decimals of
    万元) and 22,118,861.34 元 (p. 18, 基本支出表): one figure, no conflict."""
    row = facts_row(real_packages, Expected("shanghai-putuo-sifaju-2026-budget-unit", "budget", "total", "basic",
                                            "total", "2211.8861", "general_public_function", 14, "p. 14"))
    assert (row["amount"], row["conflict"], row["alternatives"]) == (
        "2211.8861", "false", "basic_economic:18:2211.886134")


# ------------------------------------------------------------------ the key, on every build


def assert_primary_key(root: Path) -> int:
    """The facts of the ``all`` package under ``root`` and of each document's package: no two rows
    answer one question, every document's rows are its package's; returns the row count."""
    with (root / "all" / "facts.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    keys = Counter(tuple(r[k] for k in PK) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    for package in sorted(p for p in root.iterdir() if p.is_dir() and p.name != "all"):
        with (package / "facts.csv").open(encoding="utf-8", newline="") as f:
            own = list(csv.DictReader(f))
        assert own == [r for r in rows if r["document_id"] == package.name]
    return len(rows)


def test_primary_key_holds_on_the_samples(sample_packages):
    assert assert_primary_key(sample_packages) > 0


def test_primary_key_holds_on_the_real_pdfs(real_packages):
    assert assert_primary_key(real_packages.root.parent) > 0


def test_primary_key_holds_on_wild_dev(wild_build):
    root, _ = wild_build
    assert assert_primary_key(root.parent) > 0


def test_wild_dev_facts_have_no_conflict_the_pdf_does_not_show(wild_build):
    """西安 prints its 收支总表's 支出总计 (本年支出合计 3,643.37 + 结转下年 52.54 = 3,695.91, w0202
    p. 3) as the 合计 of its 支出总表 (p. 5): a copy of 支出总计, not a conflicting 本年支出合计."""
    root, _ = wild_build
    pkg = Package(root)
    conflicts = [(r["document_id"], r["dimension"], r["code"], r["part"]) for r in pkg.rows("facts", conflict="true")]
    assert conflicts == []
    row = pkg.one("facts", document_id="xian-anquanshengchanjianduguanliju-2019-budget", dimension="total",
                  code="expenditure")
    assert (row["amount"], row["source_table"], row["source_page"]) == ("3643.37", "summary", "3")
