"""Printed numbers → exact decimals.

Disclosures print amounts with thousands separators (``1,773.19``), full-width digits
(``３４１．３９``), OCR gaps around the decimal point (``341. 39``, ``138 . 59``) and placeholders
for empty cells (``-``, ``—``, ``/``). Everything here is exact ``Decimal`` arithmetic.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
_EMPTY = frozenset({"", "-", "--", "—", "——", "－", "/", "…", "…", "*", "**", "\\"})
_AMOUNT = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# OCR puts spaces around the decimal point: "341. 39", "138 . 59", "2. 10"
_SPACED_POINT = re.compile(r"(?<![\d.])(\d+)\s*\.\s+(\d+)(?![\d.])|(?<![\d.])(\d+)\s+\.\s*(\d+)(?![\d.])")

TEN_THOUSAND = Decimal(10000)
#: no budget prints a figure with more digits; more would not convert to 万元 exactly
#: (``decimal``'s 28-digit precision), so such a cell is not read as an amount
MAX_DIGITS = 20


def fullwidth_to_ascii(text: str) -> str:
    return text.translate(_FULLWIDTH)


def close_spaced_points(text: str) -> str:
    """``341. 39`` → ``341.39`` (only where a space touches the point)."""

    def join(m: re.Match[str]) -> str:
        a, b = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4))
        return f"{a}.{b}"

    return _SPACED_POINT.sub(join, text)


def parse_amount(cell: str) -> Decimal | None:
    """Parse one printed amount; None for an empty cell; raises ValueError for non-numbers."""
    text = close_spaced_points(fullwidth_to_ascii(cell.strip()))
    text = re.sub(r"\s+", "", text)
    if text in _EMPTY:
        return None
    if text.startswith("(") and text.endswith(")"):  # accounting negative
        text = "-" + text[1:-1]
    if not _AMOUNT.match(text):
        raise ValueError(f"not an amount: {cell!r}")
    if sum(ch.isdigit() for ch in text) > MAX_DIGITS:
        raise ValueError(f"not an amount (more than {MAX_DIGITS} digits): {cell!r}")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError(f"not an amount: {cell!r}") from exc


def is_amount(cell: str) -> bool:
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False


def is_blank(cell: str) -> bool:
    return re.sub(r"\s+", "", cell) in _EMPTY


def to_wan(amount: Decimal | None, unit: str) -> Decimal | None:
    """Convert an amount printed in ``unit`` (元 or 万元) to 万元, exactly."""
    if amount is None:
        return None
    if unit == "元":
        return normalize(amount / TEN_THOUSAND)
    return amount


def normalize(d: Decimal) -> Decimal:
    """Drop trailing zeros introduced by division, never the printed scale of a 万元 figure."""
    if d == 0:
        return Decimal(0)
    n = d.normalize()
    # normalize() may produce exponent notation for integers (2E+3): quantize back.
    if n.as_tuple().exponent > 0:
        n = n.quantize(Decimal(1))
    return n


def exponent(v: Decimal) -> int | None:
    e = v.as_tuple().exponent
    return e if isinstance(e, int) else None


def rounding_tolerance(*values: Decimal | None, terms: int = 1, floor: int | None = None) -> Decimal:
    """(n+1) × half a unit of the last printed digit (the coarsest of the figures compared).

    ``terms`` is n, the number of figures added on one side. Zeros carry no printed precision
    and are ignored; with no non-zero figure the tolerance is 0. ``floor`` caps each figure's
    exponent: a table printed in 元 is exact to at least 1 元 (10⁻⁴ 万元), although the
    conversion to 万元 dropped its trailing zeros (50000.00 元 → 5 万元).
    """
    exps = [exponent(v) for v in values if v is not None and v != 0]
    exps = [e if floor is None else min(e, floor) for e in exps if e is not None]
    if not exps:
        return Decimal(0)
    return (Decimal(max(terms, 1)) + 1) * Decimal(5) * Decimal(10) ** (max(exps) - 1)


def fmt(d: Decimal | None) -> str:
    """Decimal → plain string without exponent (``0E-8`` → ``0``)."""
    if d is None:
        return ""
    if d == 0:
        return "0" if d.as_tuple().exponent >= 0 else format(d, "f")
    return format(d, "f")
