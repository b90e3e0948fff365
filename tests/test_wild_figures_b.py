"""Key figures of one disclosure of each of six cities of ../shared/wild-dev, read by hand off the
PDF pages (text printed with pdfplumber, the page image looked at for the column), against what
the build publishes (万元, as the data contract says).

Per document: the 一般公共预算支出 合计 and its 基本支出 / 项目支出 of the function-classified
一般公共预算支出表, two of its 类 totals, 人员经费 and 公用经费 of basic spending, the 三公 total
and one of its items, and the 收支总表's income grand total. Where the build publishes another
figure (or none), the test is a strict xfail naming the cause; the expected figure stays the
printed one.

* w0141 杭州市司法局 2026 部门预算: function tables by name only (no codes); 表5 (p. 30) wraps
  its 项目支出 合计 over two lines (``21,118.5`` / ``1``).
* w0153 无锡市应急管理局 2026 部门预算 (公开01–13表).
* w0165 长沙职业教育基地综合协调办公室 2026 部门预算: a 类 | 款 | 项 code per cell, one 类 only.
* w0180 福州市民政局(本级) 2026 单位预算: the 基本支出经济分类表 prints 预算数 only; 人员经费 and
  公用经费 are printed in the narrative, and asserted as the 类 rows they add up (301 + 303, 302).
* w0209 西安市统计局 2026 部门综合预算, printed in 元: 表5 heads its columns 人员经费支出 |
  公用经费支出 | 专项业务经费支出; 表13 prints last year, this year and the change side by side.
* w0215 泉州市市场监管综合监测与技术保障中心 2026 单位预算: the 一般公共预算拨款支出预算表
  (p. 12) prints 项 rows only; the 类 totals are printed in the 收支预算总表 (p. 8).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, NamedTuple

import pytest

from conftest import TABLE_FACTS, D, Package, build_wild_files, document_of, one_fact

FILES = ("w0141.pdf", "w0153.pdf", "w0165.pdf", "w0180.pdf", "w0209.pdf", "w0215.pdf")


@pytest.fixture(scope="module")
def pkg(tmp_path_factory) -> Package:
    """The six PDFs built together through the real command line (``--strict``)."""
    return build_wild_files(tmp_path_factory, FILES, "--strict")


def document_id(pkg: Package, source: str) -> str:
    return document_of(pkg, source)


Found = tuple[Decimal | None, object]
Getter = Callable[[Package, str], Found]


def table(table_id: str, field: str, page: int) -> Getter:
    """``field`` of the ``tables`` row of ``table_id`` that starts on ``page``."""
    def get(pkg: Package, doc: str) -> Found:
        rows = pkg.rows("tables", document_id=doc, table=table_id)
        on_page = [r for r in rows if r["source_page"] == str(page)]
        if len(on_page) != 1:
            return None, f"{table_id} tables on pages {[r['source_page'] for r in rows]}"
        return D(on_page[0][field]), page
    get.fact = TABLE_FACTS.get((table_id, field))
    return get


def function_class(code: str) -> Getter:
    """The total of the 3-digit row ``code`` of the 一般公共预算支出表, with its page."""
    def get(pkg: Package, doc: str) -> Found:
        rows = pkg.rows("function_expenditure", document_id=doc, table="general_public_function",
                        code=code)
        if len(rows) != 1:
            return None, f"{len(rows)} rows"
        return D(rows[0]["total"]), int(rows[0]["source_page"])
    get.fact = ("function", code, "total")
    return get


def economic_classes(*codes: str) -> Getter:
    """The sum of the 类 rows ``codes`` of the 基本支出 table, with the page of the first: where
    the table prints one 预算数 column, 人员经费 is printed as 301 + 303 and 公用经费 as 302 (the
    narrative states the sums; the contract's labelled totals stay empty, nothing is derived)."""
    def get(pkg: Package, doc: str) -> Found:
        rows = [pkg.rows("economic_expenditure", document_id=doc, table="basic_economic", code=c)
                for c in codes]
        if any(len(r) != 1 for r in rows):
            return None, f"{[len(r) for r in rows]} rows"
        return sum(D(r[0]["total"]) for r in rows), int(rows[0][0]["source_page"])
    return get


def three_public(item: str) -> Getter:
    def get(pkg: Package, doc: str) -> Found:
        rows = pkg.rows("three_public", document_id=doc, item=item, measure="budget")
        if len(rows) != 1:
            return None, f"{len(rows)} rows"
        return D(rows[0]["amount"]), int(rows[0]["source_page"])
    get.fact = ("three_public", item, "total")
    return get


def summary(item: str, side: str = "income") -> Getter:
    """The line ``item`` (as printed, whitespace removed) of the 收支总表."""
    def get(pkg: Package, doc: str) -> Found:
        rows = pkg.rows("summary", document_id=doc, table="summary", side=side, item=item)
        if len(rows) != 1:
            return None, f"{len(rows)} rows"
        return D(rows[0]["amount"]), int(rows[0]["source_page"])
    return get


class Figure(NamedTuple):
    source: str
    what: str
    printed: str  # as printed, with its page
    expected: Decimal  # 万元
    page: int  # the page the published row must name
    get: Getter


def fig(source, what, printed, expected, page, get, xfail: str | None = None):
    marks = [pytest.mark.xfail(strict=True, reason=xfail)] if xfail else []
    return pytest.param(Figure(source, what, printed, Decimal(expected), page, get),
                        id=f"{source[:5]}-{what}", marks=marks)


HZ, WX, CS, FZ, XA, QZ = FILES
FIGURES = [
    # ------------------------------------------------------------ 杭州市司法局 (w0141)
    fig(HZ, "gp_total", "表5 p. 30 合计 91,842.80", "91842.80", 30,
        table("general_public_function", "total", 30)),
    fig(HZ, "gp_basic", "表5 p. 30 基本支出 小计 70,724.29", "70724.29", 30,
        table("general_public_function", "basic", 30)),
    fig(HZ, "gp_project", "表5 p. 30 项目支出 21,118.51", "21118.51", 30,
        table("general_public_function", "project", 30)),
    fig(HZ, "class_201", "表5 p. 30 一般公共服务支出 12,868.19", "12868.19", 30,
        function_class("201")),
    fig(HZ, "class_204", "表5 p. 30 公共安全支出 69,081.15", "69081.15", 30,
        function_class("204")),
    fig(HZ, "personnel", "表6 p. 32 合计 人员经费 58,486.35", "58486.35", 32,
        table("basic_economic", "personnel", 32)),
    fig(HZ, "public", "表6 p. 32 合计 日常公用支出 12,237.94", "12237.94", 32,
        table("basic_economic", "public", 32)),
    fig(HZ, "three_public_total", "表7 p. 34 “三公”经费合计 413.68", "413.68", 34,
        three_public("total")),
    fig(HZ, "three_public_reception", "表7 p. 34 公务接待费 74.00", "74.00", 34,
        three_public("reception")),
    fig(HZ, "income_total", "表1 p. 24 收 入 总 计 99,230.46", "99230.46", 24,
        summary("收入总计")),
    # ------------------------------------------------------------ 无锡市应急管理局 (w0153)
    fig(WX, "gp_total", "公开07表 p. 19 合计 8,326.11", "8326.11", 19,
        table("general_public_function", "total", 19)),
    fig(WX, "gp_basic", "公开07表 p. 19 基本支出 小计 3,604.32", "3604.32", 19,
        table("general_public_function", "basic", 19)),
    fig(WX, "gp_project", "公开07表 p. 19 项目支出 4,721.79", "4721.79", 19,
        table("general_public_function", "project", 19)),
    fig(WX, "class_224", "公开07表 p. 19 224 灾害防治及应急管理支出 7,045.77", "7045.77", 19,
        function_class("224")),
    fig(WX, "class_221", "公开07表 p. 19 221 住房保障支出 754.94", "754.94", 19,
        function_class("221")),
    fig(WX, "personnel", "公开08表 p. 21 合计 人员经费 3,407.38", "3407.38", 21,
        table("basic_economic", "personnel", 21)),
    fig(WX, "public", "公开08表 p. 21 合计 公用经费 196.94", "196.94", 21,
        table("basic_economic", "public", 21)),
    fig(WX, "three_public_total", "公开09表 p. 22 “三公”经费合计 14.93", "14.93", 22,
        three_public("total")),
    fig(WX, "three_public_reception", "公开09表 p. 22 公务接待费 5.90", "5.90", 22,
        three_public("reception")),
    fig(WX, "income_total", "公开01表 p. 10 收入总计 9,096.11", "9096.11", 10,
        summary("收入总计")),
    # ---------------------------------------- 长沙职业教育基地综合协调办公室 (w0165)
    fig(CS, "gp_total", "一般公共预算支出情况表 p. 17 合计 656.73", "656.73", 17,
        table("general_public_function", "total", 17)),
    fig(CS, "gp_basic", "p. 17 基本支出 386.73", "386.73", 17,
        table("general_public_function", "basic", 17)),
    fig(CS, "gp_project", "p. 17 项目支出 270.00", "270.00", 17,
        table("general_public_function", "project", 17)),
    # the table has one 类 only (205 教育支出 → 03 职业教育 → 99 其他职业教育支出)
    fig(CS, "class_205", "p. 17 205 教育支出 656.73", "656.73", 17, function_class("205")),
    fig(CS, "personnel", "基本支出情况表 p. 18 合计 人员类 356.76", "356.76", 18,
        table("basic_economic", "personnel", 18)),
    fig(CS, "public", "p. 18 合计 公用经费 29.97", "29.97", 18,
        table("basic_economic", "public", 18)),
    fig(CS, "three_public_total", "“三公”经费支出情况表 p. 20 合计 小计 0.50", "0.50", 20,
        three_public("total")),
    fig(CS, "three_public_reception", "p. 20 公务接待费 0.50", "0.50", 20,
        three_public("reception")),
    fig(CS, "income_total", "部门收支总体情况表 p. 12 收 入 总 计 656.73", "656.73", 12,
        summary("收入总计")),
    # ------------------------------------------------------ 福州市民政局(本级) (w0180)
    fig(FZ, "gp_total", "一般公共预算拨款支出预算表 p. 16 合计 2144.92", "2144.92", 16,
        table("general_public_function", "total", 16)),
    fig(FZ, "gp_basic", "p. 16 基本支出 1451.64", "1451.64", 16,
        table("general_public_function", "basic", 16)),
    fig(FZ, "gp_project", "p. 16 项目支出 693.28", "693.28", 16,
        table("general_public_function", "project", 16)),
    fig(FZ, "class_208", "p. 16 208 社会保障和就业支出 1984.77", "1984.77", 16,
        function_class("208")),
    fig(FZ, "class_221", "p. 16 221 住房保障支出 160.15", "160.15", 16, function_class("221")),
    fig(FZ, "personnel", "narrative p. 26 人员经费 1342.29 (p. 20-21: 301 1122.98 + 303 219.31)",
        "1342.29", 20, economic_classes("301", "303")),
    fig(FZ, "public", "narrative p. 27 公用经费 109.35 (p. 20: 302 109.35)", "109.35", 20,
        economic_classes("302")),
    fig(FZ, "three_public_total", "“三公”经费支出预算表 p. 23 合计 25.05", "25.05", 23,
        three_public("total")),
    fig(FZ, "three_public_overseas", "p. 23 因公出国（境）费用 7.05", "7.05", 23,
        three_public("overseas_travel")),
    fig(FZ, "income_total", "收支预算总表 p. 12 收入合计 2249.92 (本年 2219.92 + 上年结转 30.00)",
        "2249.92", 12, summary("收入合计")),
    # ------------------------------------------------- 西安市统计局 (w0209), printed in 元
    fig(XA, "gp_total", "表5 p. 30 合计 62,109,297.20 元", "6210.92972", 30,
        table("general_public_function", "total", 30)),
    fig(XA, "gp_basic", "表5 p. 30 人员 34,557,893.03 + 公用 2,143,304.17 元", "3670.11972", 30,
        table("general_public_function", "basic", 30)),
    fig(XA, "gp_project", "表5 p. 30 专项业务经费支出 25,408,100.00 元", "2540.81", 30,
        table("general_public_function", "project", 30)),
    fig(XA, "class_201", "表5 p. 30 201 一般公共服务支出 50,037,708.13 元", "5003.770813", 30,
        function_class("201")),
    fig(XA, "class_208", "表5 p. 30 208 社会保障和就业支出 5,404,242.10 元", "540.42421", 30,
        function_class("208")),
    fig(XA, "personnel", "表8 p. 34 合计 人员经费支出 34,557,893.03 元", "3455.789303", 34,
        table("basic_economic", "personnel", 34)),
    fig(XA, "public", "表8 p. 34 合计 公用经费支出 2,143,304.17 元", "214.330417", 34,
        table("basic_economic", "public", 34)),
    fig(XA, "three_public_total", "表13 p. 39 当年 三公 小计 81,000.00 元", "8.1", 39,
        three_public("total")),
    fig(XA, "three_public_reception", "表13 p. 39 当年 公务接待费 15,000.00 元", "1.5", 39,
        three_public("reception")),
    fig(XA, "income_total", "表1 p. 26 收入总计 62,109,297.20 元", "6210.92972", 26,
        summary("收入总计")),
    # ---------------------------- 泉州市市场监管综合监测与技术保障中心 (w0215)
    fig(QZ, "gp_total", "一般公共预算拨款支出预算表 p. 12 合计 1468.70", "1468.70", 12,
        table("general_public_function", "total", 12)),
    fig(QZ, "gp_basic", "p. 12 基本支出 1013.37", "1013.37", 12,
        table("general_public_function", "basic", 12)),
    fig(QZ, "gp_project", "p. 12 项目支出 455.33", "455.33", 12,
        table("general_public_function", "project", 12)),
    # p. 12 prints 项 rows only; the 类 totals are the 收支预算总表's lines (p. 8), equal to the
    # sums of their 项 on p. 12 (2013850 761.56 + 2013899 455.33; 2080502 24.83 + 2080505 88.28)
    fig(QZ, "class_201", "收支预算总表 p. 8 一、一般公共服务支出 1216.89", "1216.89", 8,
        summary("一、一般公共服务支出", side="expenditure")),
    fig(QZ, "class_208", "收支预算总表 p. 8 八、社会保障和就业支出 113.11", "113.11", 8,
        summary("八、社会保障和就业支出", side="expenditure")),
    fig(QZ, "personnel", "narrative p. 21 人员经费 895.17 (p. 16: 301 870.34 + 303 24.83)",
        "895.17", 16, economic_classes("301", "303")),
    fig(QZ, "public", "narrative p. 21 公用经费 118.20 (p. 16: 302 118.20)", "118.20", 16,
        economic_classes("302")),
    fig(QZ, "three_public_total", "“三公”经费支出预算表 p. 17 合计 11.20", "11.20", 17,
        three_public("total")),
    fig(QZ, "three_public_vehicle_operation", "p. 17 公务用车运行费 9.20", "9.20", 17,
        three_public("vehicle_operation")),
    fig(QZ, "income_total", "收支预算总表 p. 8 收入合计 1468.70", "1468.70", 8,
        summary("收入合计")),
]


@pytest.mark.parametrize("figure", FIGURES)
def test_published_figure_is_the_printed_one(pkg, figure: Figure):
    doc = document_id(pkg, figure.source)
    published = figure.get(pkg, doc)
    assert published == (figure.expected, figure.page), (
        f"{figure.source} ({doc}) {figure.what}: printed {figure.printed} → expected "
        f"{figure.expected} 万元 on p. {figure.page}, published {published}")


@pytest.mark.parametrize("figure", [f for f in FIGURES if getattr(f.values[0].get, "fact", None)])
def test_figure_is_one_fact(pkg, figure: Figure):
    """Each figure read by hand is exactly one ``facts`` row, with that amount."""
    doc = document_id(pkg, figure.source)
    assert one_fact(pkg, doc, figure.get.fact) == figure.expected, (
        f"{figure.source} ({doc}) {figure.what}: printed {figure.printed}")
