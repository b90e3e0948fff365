"""The figures the tables print for what a narrative sentence states, and a stated figure
matched against them (``match``: pass, rounding, fail or insufficient_data)."""
from __future__ import annotations

import re
from decimal import Decimal

from ...records import Check, ParsedDocument
from ...vocabulary import PERSONNEL_CLASSES, THREE_PUBLIC_NAMES
from ..base import d, mk, rounding_tolerance, table_sum, top_level, total

#: the 三公 items a clause names, most specific first
TP_ITEMS = [
    (re.compile(r"公务用车购置[及和]运行(?:维护)?费"), ("vehicle_purchase", "vehicle_operation")),
    (re.compile(r"公务用车运行维护费|公务用车运行费"), ("vehicle_operation",)),
    (re.compile(r"公务用车购置费|公务用车购置"), ("vehicle_purchase",)),
    (re.compile(r"因公出国"), ("overseas_travel",)),
    (re.compile(r"公务接待费"), ("reception",)),
]


def fn_total(doc: ParsedDocument, table: str, key: str) -> Decimal | None:
    """A function table's 合计 of column ``key``: the printed 合计 row, else its top rows' sum."""
    v = table_sum(doc, table, key)
    if v is not None:
        return v
    top = top_level([r for r in doc.function_rows if r.table == table])
    if top and any(getattr(r, key) is not None for r in top):
        return total(getattr(r, key) for r in top)
    return None


def econ_total(doc: ParsedDocument, key: str) -> Decimal | None:
    """The basic economic table's 合计 (``total``), 人员经费 (``personnel``) or 公用经费
    (``public``): the printed 合计 row, else the sum of its classes."""
    rows = [r for r in doc.economic_rows if r.table == "basic_economic"]
    v = table_sum(doc, "basic_economic", key)
    if v is not None:
        return v
    classes = [r for r in rows if len(r.code) == 3]
    if not classes:
        return None
    if key == "personnel":
        return total(r.total for r in classes if r.code in PERSONNEL_CLASSES)
    if key == "public":
        return total(r.total for r in classes if r.code not in PERSONNEL_CLASSES)
    return total(r.total for r in classes)


def three_public_total(doc: ParsedDocument, measure: str, items) -> Decimal | None:
    """The 三公 table's figure (``measure`` budget or final) for ``items`` (``("total",)`` for
    the 合计)."""
    rows = {r.item: r.amount for r in doc.three_public if r.measure == measure and r.table == "three_public"}
    if not rows:
        return None
    if "total" in items:
        return rows.get("total")
    if not any(k in rows for k in THREE_PUBLIC_NAMES):
        return None
    return total(rows.get(k) for k in items)


def three_public_item_budget(doc: ParsedDocument, label: str) -> tuple[Decimal, str] | None:
    """The 预算数 the "三公" table prints for the item a clause names (因公出国（境）费 …), with a
    description of where it comes from; None if the clause names no item or the table lacks it."""
    items = next((items for pat, items in TP_ITEMS if pat.search(label)), None)
    if items is None:
        return None
    rows = {r.item: r for r in doc.three_public if r.measure == "budget" and r.table == "three_public"}
    if not any(k in rows for k in items):
        return None
    names = "、".join(THREE_PUBLIC_NAMES[k] for k in items)
    page = next(rows[k].source_page for k in items if k in rows)
    return total(rows[k].amount for k in items if k in rows), f"“三公”经费表（第 {page} 页）{names}预算数"


def match(doc, check, value, cands, what, page) -> Check:
    """A stated ``value`` against the candidates ``(table, figure)``: pass if one is equal,
    rounding if one is within rounding, else fail citing the first."""
    if not cands:
        return mk(doc, check, "insufficient_data", "narrative", None, value,
                  f"文字说明中的{what} {d(value)} 在表中找不到可核对的数字。", page)
    for table, v in cands:
        if v == value:
            return mk(doc, check, "pass", "narrative", v, value, f"文字说明中的{what} {d(value)} = {table} {d(v)}", page)
    for table, v in cands:
        if abs(v - value) <= rounding_tolerance(v, value):
            return mk(doc, check, "rounding", "narrative", v, value,
                      f"文字说明中的{what} {d(value)} ≈ {table} {d(v)}（舍入差）", page)
    table, v = cands[0]
    return mk(doc, check, "fail", "narrative", v, value,
              f"文字说明中的{what} {d(value)} ≠ {table} {d(v)}", page)
