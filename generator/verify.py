"""Verify: ``ParsedDocument`` → the same document with ``checks`` filled (and repairs applied).

Each check is a small function ``check_x(doc) -> list[Check]``; ``verify`` runs them all.
Statuses: ``pass``, ``fail``, ``repaired``, ``rounding`` (within the rounding of the printed
figures), ``not_applicable`` / ``insufficient_data`` where a check cannot run.
"""
from __future__ import annotations

from decimal import Decimal

from .numbers import fmt
from .records import Check, ParsedDocument


def rounding_tolerance(*values: Decimal | None, terms: int = 2) -> Decimal:
    """(n+1) × half a unit of the last printed digit of the figures compared."""
    exps = [v.as_tuple().exponent for v in values if v is not None]
    exp = min(exps) if exps else 0
    return (Decimal(terms) + 1) * Decimal(5) * Decimal(10) ** (exp - 1) if isinstance(exp, int) else Decimal(0)


def compare(doc_id: str, check: str, table: str | None, expected: Decimal | None, actual: Decimal | None,
            message: str, page: int | None, terms: int = 2) -> Check:
    if expected is None or actual is None:
        return Check(doc_id, check, "insufficient_data", table, fmt(expected) or None, fmt(actual) or None,
                     message, page)
    diff = abs(expected - actual)
    status = "pass" if diff == 0 else "rounding" if diff <= rounding_tolerance(expected, actual, terms=terms) else "fail"
    return Check(doc_id, check, status, table, fmt(expected), fmt(actual), message, page)


def check_row_total_is_basic_plus_project(doc: ParsedDocument) -> list[Check]:
    """合计 = 基本支出 + 项目支出 for every function row that prints its parts."""
    out = []
    for r in doc.function_rows:
        if r.basic is None and r.project is None:
            continue
        parts = (r.basic or Decimal(0)) + (r.project or Decimal(0))
        out.append(compare(doc.meta.document_id, "function_row_total", r.table, r.total, parts,
                           f"{r.code} {r.name}: 合计 = 基本支出 + 项目支出", r.source_page))
    return out


CHECKS = [check_row_total_is_basic_plus_project]


def verify(doc: ParsedDocument) -> ParsedDocument:
    for check in CHECKS:
        doc.checks.extend(check(doc))
    return doc
