"""Shared helpers of the checks: comparison with rounding tolerance, messages, lookups.

A check family is a function ``family(doc) -> list[Check]``; each ``Check.check`` id is
registered in ``CHECK_DESCRIPTIONS`` with a plain-Chinese explanation (``describe``).
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import exponent, fmt, rounding_tolerance  # noqa: F401 (re-exported)
from ..records import Check, FunctionRow, ParsedDocument, TableInfo

CHECK_DESCRIPTIONS: dict[str, str] = {}
#: severity of every check id: ``error`` (a figure or a statement is wrong: must be corrected before
#: publication), ``warning`` (probably wrong, or a required part missing: a reviewer decides),
#: ``note`` (wording and form: worth fixing, never a wrong figure)
SEVERITIES: tuple[str, ...] = ("error", "warning", "note")
CHECK_SEVERITY: dict[str, str] = {}
#: what the publisher should do when the check fails, in plain Chinese (the reviewer's report)
CHECK_SUGGESTIONS: dict[str, str] = {}
#: the severity of a check id whose ``describe`` names none: by family (the id's first part)
FAMILY_SEVERITY: dict[str, str] = {"text": "note", "codelist": "warning", "completeness": "warning"}

ZERO = Decimal(0)


def describe(check_id: str, text: str, *, severity: str | None = None, suggestion: str | None = None) -> str:
    """Register a check id with its plain-Chinese explanation, its severity (default: by family,
    ``FAMILY_SEVERITY``, else ``error``) and the publisher's suggested fix; returns the id."""
    severity = severity or FAMILY_SEVERITY.get(check_id.split(".", 1)[0], "error")
    assert severity in SEVERITIES, f"{check_id}: unknown severity {severity}"
    CHECK_DESCRIPTIONS[check_id] = text
    CHECK_SEVERITY[check_id] = severity
    if suggestion:
        CHECK_SUGGESTIONS[check_id] = suggestion
    return check_id


def status_of(expected: Decimal, actual: Decimal, terms: int = 1, parts: tuple = (),
              floor: int | None = None, summed: bool = False) -> str:
    """pass, rounding (strictly within (n+1) × half a unit: one figure against another copy of
    itself, n = 1, must agree exactly in the last printed digit) or fail.

    ``summed``: the two figures are printed copies of one total that is a sum of rows (a 合计 row,
    a class over its items), each rounded from the unrounded parts it adds up: they may differ by
    one unit of the last printed digit (普陀财政局 2024 决算: 收支总表 208 326.71, 支出决算表 326.72),
    and by no more. The one place this rule is decided (``one_unit``)."""
    diff = abs(expected - actual)
    if diff == 0:
        return "pass"
    if parts:
        terms = max(1, sum(1 for p in parts if p is not None))
    if diff < rounding_tolerance(expected, actual, *parts, terms=terms, floor=floor):
        return "rounding"
    if summed and not parts and terms == 1 and one_unit(expected, actual, floor):
        return "rounding"
    return "fail"


def one_unit(expected: Decimal, actual: Decimal, floor: int | None = None) -> bool:
    """Do two copies of one total differ by exactly one unit of their last printed digit (the
    coarser of the two)? A figure printed in 元 (``floor`` set) lost its printed zeros in the
    conversion to 万元, so there only a difference of 0.01 元 between two figures that both show
    their 分 digit counts."""
    diff = abs(expected - actual)
    if not expected or not actual:
        return False  # an empty or zero copy is no rounded copy of a total
    if floor is not None:
        cent = Decimal("0.000001")
        return diff == cent and all(exponent(v) == cent.as_tuple().exponent for v in (expected, actual))
    return diff == rounding_tolerance(expected, actual, terms=1) != 0


def status_at_least(printed: Decimal, bound: Decimal, floor: int | None = None) -> str:
    """pass when a printed figure is at least ``bound``; rounding when it is less by no more than
    half a unit of its own last printed digit (a sum rounded down: 普陀司法局 单位预算 p. 20 prints
    公务接待费 0.73 万元 for the 7,315.00 元 of p. 16); else fail."""
    if printed >= bound:
        return "pass"
    return "rounding" if bound - printed <= rounding_tolerance(printed, terms=1, floor=floor) / 2 else "fail"


def sym(status: str) -> str:
    return {"pass": "=", "rounding": "≈", "fail": "≠"}.get(status, "?")


def d(v: Decimal | None) -> str:
    """A figure for a message: exact decimal text, ``空`` when missing."""
    return "空" if v is None else fmt(v)


#: a printed figure as the checks name it: (table, row key, column, page) — made only by the
#: functions below, which ``facts`` uses too, to know which figures a passing check confirms
FigureRef = tuple[str, str, str, "int | None"]


def row_figure(row, column: str) -> FigureRef:
    """A cell of a function or economic row: ``column`` total, basic, project, personnel, public."""
    return (row.table, row.code, column, row.source_page)


def total_figure(table: str, column: str = "total") -> FigureRef:
    """A cell of a table's printed 合计 row (``TableInfo``); the row key is empty."""
    return (table, "", column, None)


def line_figure(line, fund: str | None = None) -> FigureRef:
    """A summary table's line (its amount, or its column of ``fund``)."""
    return (line.table, line.item, fund or line.side, line.source_page)


def three_public_figure(row) -> FigureRef:
    """A “三公” row of one measure."""
    return (row.table, row.item, row.measure, row.source_page)


def mk(doc: ParsedDocument, check: str, status: str, table: str | None, expected, actual,
       message: str, page: int | None = None, *, quote: str | None = None,
       suggestion: str | None = None, figures: tuple = ()) -> Check:
    """A check result; ``quote``: the document's words the finding is about; ``suggestion``: the
    fix for this finding, where it says more than the check's definition (``CHECK_SUGGESTIONS``);
    ``figures``: the ``FigureRef`` of each printed figure the check's identity compares."""
    assert check in CHECK_DESCRIPTIONS, f"undescribed check id {check}"
    e = fmt(expected) if isinstance(expected, Decimal) else expected
    a = fmt(actual) if isinstance(actual, Decimal) else actual
    return Check(doc.meta.document_id, check, status, table, e or None, a or None, message, page,
                 CHECK_SEVERITY[check], quote or None, suggestion or None, figures=tuple(figures))


def compare(doc: ParsedDocument, check: str, table: str | None, expected: Decimal | None,
            actual: Decimal | None, message: str, page: int | None = None, terms: int = 1,
            parts: tuple = (), summed: bool = False, figures: tuple = ()) -> Check:
    """``message`` may hold ``{op}`` (=, ≈, ≠) between the two sides; ``summed``: both sides are
    printed copies of one total that adds up rows (see ``status_of``); ``figures``: the printed
    figures compared (``FigureRef``), confirmed by a pass."""
    if expected is None or actual is None:
        return mk(doc, check, "insufficient_data", table, expected, actual,
                  message.replace("{op}", "?") + "（缺少数据，无法核对）", page)
    floor = -4 if doc.meta.source_unit == "元" else None
    status = status_of(expected, actual, terms, parts, floor, summed)
    text = message.replace("{op}", sym(status))
    if status == "rounding" and status_of(expected, actual, terms, parts, floor) == "fail":
        text += (f"（差额 {fmt(abs(expected - actual))} 为末位数字的一个单位：两处印的是同一个合计，"
                 f"各由未舍入的明细相加后舍入，属舍入差异）")
    elif status == "rounding":
        text += f"（差额 {fmt(abs(expected - actual))} 在印刷数字的舍入范围内）"
    return mk(doc, check, status, table, expected, actual, text, page, figures=figures)


def on_page(page: int | None) -> str:
    """``第 N 页`` for a message, nothing for a text source (no pages)."""
    return f"第 {page} 页" if page is not None else ""


def total(values) -> Decimal:
    return sum((v or ZERO for v in values), ZERO)


def table_info(doc: ParsedDocument, table: str) -> TableInfo | None:
    found = [t for t in doc.tables if t.table == table and not t.empty]
    return found[0] if found else None


def table_sum(doc: ParsedDocument, table: str, key: str = "total") -> Decimal | None:
    """The printed 合计 row of a table (carried in TableInfo), if any."""
    for t in doc.tables:
        if t.table == table and getattr(t, key, None) is not None:
            return getattr(t, key)
    return None


def function_rows(doc: ParsedDocument, table: str) -> list[FunctionRow]:
    return [r for r in doc.function_rows if r.table == table]


def top_level(rows: list) -> list:
    """The rows of the shortest code length present (classes, else sections, else items)."""
    coded = [r for r in rows if r.code]
    if not coded:
        return []
    n = min(len(r.code) for r in coded)
    return [r for r in coded if len(r.code) == n]


def compact(s: str) -> str:
    return re.sub(r"\s+", "", s or "")


_ENUM = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[一二三四五六七八九十]+、|\d+、)+")


def strip_enum(item: str) -> str:
    """``八、社会保障和就业支出`` → ``社会保障和就业支出``; ``(十)卫生健康支出`` → ``卫生健康支出``."""
    s = compact(item)
    for _ in range(2):
        s = _ENUM.sub("", s)
    return s.strip("：:")


def same_name(a: str, b: str) -> bool:
    a, b = compact(a).strip("（）()"), compact(b).strip("（）()")
    return bool(a) and bool(b) and (a == b or (min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))))
