"""Which figure the site shows: every choice of a table, a row or a total, in one place.

The pages and the charts read figures from the package rows through these functions, so a
question ("what is this document's total spending?") is answered here and nowhere else.
Amounts stay exact decimals (:class:`Figure` keeps the package's string).

Two answers are still given to the question of total spending, and they disagree on a
published page: :func:`total_spending_or_class_sum` (the home page, the document headings)
falls back on the sum of the 类 rows, :func:`printed_total_spending` (the charts, the
comparison page) on the printed 合计. Both are kept until the facts resource (a later
issue) makes them one figure; until then the site's bytes must not change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..vocabulary import ALL_FUNDS_FIRST, BASIC_ECONOMIC_FIRST, GENERAL_PUBLIC_FIRST
from .catalog import Catalog
from .format import contract_amount

# ------------------------------------------------------------------------------ checks

CHECK_STATUS = {"pass": "通过", "fail": "未通过", "repaired": "已修复", "rounding": "尾差",
                "not_applicable": "不适用", "insufficient_data": "数据不足"}
#: statuses counted as passed in "N/M 项检查通过"; the others count in M except these:
PASSED = {"pass", "rounding"}
NOT_COUNTED = {"not_applicable", "insufficient_data"}


def check_counts(cat: Catalog, document_id: str) -> tuple[int, int, int]:
    """(passed, counted, failed) over checks.csv rows of the document."""
    statuses = [r.get("status", "") for r in cat.rows(document_id, "checks")]
    counted = [s for s in statuses if s not in NOT_COUNTED]
    return (sum(s in PASSED for s in counted), len(counted), sum(s == "fail" for s in counted))


def check_label(cat: Catalog, document_id: str) -> str:
    """``12/13 项检查通过（1 项未通过）``, or ``无检查``."""
    passed, counted, failed = check_counts(cat, document_id)
    if counted == 0:
        return "无检查"
    label = f"{passed}/{counted} 项检查通过"
    return label + (f"（{failed} 项未通过）" if failed else "")


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """One amount as printed in a package, and where it was printed."""

    amount: str  # exact decimal string in 万元, as in the package ("3617.46", "170")
    document_id: str
    table: str  # canonical table id ("general_public_function", "narrative", ...)
    page: int | None  # page of the source PDF; None for text sources

    @property
    def value(self) -> Decimal:
        return Decimal(self.amount)

    @property
    def source(self) -> tuple[str, str, int | None]:
        return (self.document_id, self.table, self.page)


def _page(row: dict) -> int | None:
    page = (row.get("source_page") or "").strip()
    return int(page) if page.isdigit() else None


def figure_of(row: dict, column: str, document_id: str, table: str | None = None) -> Figure | None:
    """The amount in ``row[column]`` as a Figure, or None when the cell is empty."""
    if contract_amount(row.get(column)) is None:
        return None
    return Figure(row[column].strip(), document_id, table or row.get("table") or "", _page(row))


def total_row(cat: Catalog, document_id: str, table: str) -> dict:
    """The ``tables`` row (printed 合计 of a table), the first one of its kind, or {}."""
    rows = [t for t in cat.rows(document_id, "tables") if t.get("table") == table]
    rows.sort(key=lambda t: int(t.get("seq") or 1))
    return rows[0] if rows else {}


def narrative_figure(cat: Catalog, document_id: str, topic: str) -> Figure | None:
    """A figure stated in the document's text (情况说明), e.g. topic ``basic``."""
    for row in cat.rows(document_id, "narrative"):
        if row.get("topic") == topic:
            found = figure_of(row, "amount", document_id, "narrative")
            if found is not None:
                return found
    return None


def printed_total(cat: Catalog, document_id: str, table: str) -> Figure | None:
    """The 合计 printed in a table's total row, or None."""
    return figure_of(total_row(cat, document_id, table), "total", document_id, table)


#: summary lines that state the year's total spending
TOTAL_ITEMS = ("本年支出合计", "支出合计")


def _summary_total_line(cat: Catalog, document_id: str):
    """Lines of the 收支总表 stating total spending (本年支出合计), in file order."""
    return (line for line in cat.rows(document_id, "summary")
            if line.get("table") == "summary" and line.get("side") == "expenditure"
            and re.sub(r"\s", "", line.get("item") or "") in TOTAL_ITEMS)


def printed_total_spending(cat: Catalog, document_id: str) -> Figure | None:
    """The document's total spending as printed (the charts, the comparison page): 本年支出合计
    of the 收支总表, else the 合计 of the 支出总表, else of the 一般公共预算支出表 (功能分类).
    Never a computed sum."""
    for row in _summary_total_line(cat, document_id):
        found = figure_of(row, "amount", document_id)
        if found is not None:
            return found
    for table in ALL_FUNDS_FIRST:
        found = printed_total(cat, document_id, table)
        if found is not None:
            return found
    return None


def total_spending_or_class_sum(cat: Catalog, document_id: str) -> tuple[Decimal | None, str]:
    """The document's total spending and its label (the home page, the document headings):
    本年支出合计 of the 收支总表; else the sum of the class rows (类) of the 支出总表, else of
    the 一般公共预算支出表 (then labelled 一般公共预算支出)."""
    for line in _summary_total_line(cat, document_id):
        amount = contract_amount(line.get("amount"))
        if amount is not None:
            return amount, "支出合计"
    labels = {"expenditure": "支出合计", "general_public_function": "一般公共预算支出"}
    for table in ALL_FUNDS_FIRST:
        classes = [contract_amount(r.get("total")) for r in cat.rows(document_id, "function_expenditure")
                   if r.get("table") == table and r.get("level") == "class"]
        classes = [a for a in classes if a is not None]
        if classes:
            return sum(classes, Decimal(0)), labels[table]
    return None, ""


def split(cat: Catalog, document_id: str, tables: tuple[str, ...], columns: tuple[str, str]
          ) -> tuple[Figure, Figure] | None:
    """Two parts of a printed 合计 row (e.g. basic and project of the 一般公共预算支出表),
    from the first of ``tables`` printing both, else from the document's text."""
    for table in tables:
        row = total_row(cat, document_id, table)
        a, b = (figure_of(row, c, document_id, table) for c in columns)
        if a is not None and b is not None:
            return a, b
    a, b = (narrative_figure(cat, document_id, c) for c in columns)
    return (a, b) if a is not None and b is not None else None


def basic_project(cat: Catalog, document_id: str) -> tuple[Figure, Figure] | None:
    """(基本支出, 项目支出) of the 一般公共预算支出表, else of the 支出总表, else of the text."""
    return split(cat, document_id, GENERAL_PUBLIC_FIRST, ("basic", "project"))


def personnel_public(cat: Catalog, document_id: str) -> tuple[Figure, Figure] | None:
    """(人员经费, 公用经费) of the 基本支出表 (or 经济分类表), else of the text."""
    return split(cat, document_id, BASIC_ECONOMIC_FIRST, ("personnel", "public"))


def coded_rows(cat: Catalog, document_id: str, resource: str, tables: tuple[str, ...], level: str
               ) -> list[dict]:
    """Rows of one level (``class``, ``item``) with an amount, from the first of ``tables``
    that has such rows."""
    for table in tables:
        rows = [r for r in cat.rows(document_id, resource)
                if r.get("table") == table and r.get("level") == level
                and contract_amount(r.get("total")) is not None]
        if rows:
            return rows
    return []


#: where the charts read function / economic class rows, first table with rows wins;
#: ``narrative`` rows are figures the 情况说明 text states (a document without the tables)
FUNCTION_ROW_SOURCES = (*GENERAL_PUBLIC_FIRST, "narrative")
ECONOMIC_ROW_SOURCES = (*BASIC_ECONOMIC_FIRST, "narrative")


def function_classes(cat: Catalog, document_id: str) -> list[dict]:
    """类 rows of the 一般公共预算支出表 (功能分类), else of the 支出总表, else of the text."""
    return coded_rows(cat, document_id, "function_expenditure", FUNCTION_ROW_SOURCES, "class")


def latest_budget(cat: Catalog, bureau_id: str) -> dict | None:
    """The bureau's latest budget document (部门 before 单位 in the same year), or None."""
    return next((d for d in cat.documents_of(bureau_id) if d.get("phase") == "budget"), None)


def three_public_total_row(cat: Catalog, document_id: str, measure: str = "budget") -> dict | None:
    """The "三公" 合计 row of one measure (budget / final) with an amount, or None."""
    return next((r for r in cat.rows(document_id, "three_public")
                 if r.get("item") == "total" and r.get("measure") == measure
                 and contract_amount(r.get("amount")) is not None), None)


def class_sums(rows: list[dict], columns: tuple[str, ...]) -> list[Decimal | None] | None:
    """Sums of the class rows (类) per column (None for a column without figures), or None
    without class rows."""
    classes = [r for r in rows if r.get("level") == "class"]
    if not classes:
        return None
    sums: list[Decimal | None] = []
    for col in columns:
        values = [contract_amount(r.get(col)) for r in classes]
        values = [v for v in values if v is not None]
        sums.append(sum(values, Decimal(0)) if values else None)
    return sums


CLASS_COLUMNS = ("201", "208", "210", "221")  # the classes a 医疗保障局 spends in; the rest is 其他


def _sum(rows: list[dict], column: str) -> Decimal | None:
    values = [contract_amount(r.get(column)) for r in rows]
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def _value(fig: Figure | None) -> Decimal | None:
    return fig.value if fig is not None else None


def document_figures(cat: Catalog, document_id: str) -> dict[str, Decimal | None]:
    """The figures the comparison page puts side by side, chosen as the charts choose them
    (printed 合计 rows first, the 情况说明 text where no table prints them)."""
    parts = basic_project(cat, document_id)
    basic, project = parts if parts else (None, None)
    total = _value(printed_total_spending(cat, document_id))
    if basic is not None and basic.table != "narrative":  # the total of the table the parts come from
        total = _value(printed_total(cat, document_id, basic.table)) or total
    personnel, public = personnel_public(cat, document_id) or (None, None)
    measure = "final" if cat.document(document_id).get("phase") == "final" else "budget"
    three_public = next((contract_amount(r.get("amount")) for r in cat.rows(document_id, "three_public")
                         if r.get("item") == "total" and r.get("measure") == measure), None)
    classes = [r for r in function_classes(cat, document_id) if r.get("table") != "narrative"]
    by_code = {r.get("code"): contract_amount(r.get("total")) for r in classes}
    class_total = _sum(classes, "total")
    listed = sum((v for c, v in by_code.items() if c in CLASS_COLUMNS and v is not None), Decimal(0))
    return {"total": total, "basic": _value(basic), "project": _value(project),
            "personnel": _value(personnel), "public": _value(public), "three_public": three_public,
            **{code: by_code.get(code) for code in CLASS_COLUMNS}, "class_total": class_total,
            "other": class_total - listed if class_total is not None else None}
