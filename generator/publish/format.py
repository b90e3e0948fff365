"""Text of the pages: escaping, amounts, Markdown tables, front matter, labels.

Every text taken from a document goes through :func:`esc` (HTML and Markdown specials become
numeric character references), so a printed name can never become markup, a link or a
template expression on the page. Amounts are never rounded: :func:`fmt_amount` only adds
thousands separators and pads to two decimals.
"""
from __future__ import annotations

import html
import json
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from ..vocabulary import PHASES, SCOPES

#: document_id, bureau_id, package folders and resource paths become URLs and file names
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

#: Markdown / Jinja / extension syntax; `-`, `+` and `.` only matter at a line start, where
#: escaped text never stands (cells and headings start with `|`, `#` or a label)
_ESCAPES = {c: f"&#{ord(c)};" for c in "\\`*_{}[]()#!|~^$=%:\"'"}
_ESCAPES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def esc(text: object) -> str:
    """Text of a document as inert page text: HTML-escaped, Markdown and Jinja specials as
    character references, newlines as spaces. ``esc('[x](y)')`` shows ``[x](y)`` literally."""
    return " ".join(("" if text is None else str(text)).split()).translate(_ESCAPE_TABLE)


def contract_amount(value: str | None) -> Decimal | None:
    """An amount cell of a package CSV (an exact decimal in 万元) or None for an empty cell.

    Not :func:`generator.numbers.parse_amount`, which reads amounts as documents print them
    (separators, full-width digits, placeholders such as ``-``): a package cell is a plain
    decimal, and anything else is an error of the package."""
    if value is None or value.strip() == "":
        return None
    try:
        return Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None


def fmt_amount(value: Decimal | str | None) -> str:
    """Chinese-style figure: thousands separators, at least two decimals, never rounded.

    ``fmt_amount('3654.18') == '3,654.18'``, ``fmt_amount('202.15284') == '202.15284'``,
    ``fmt_amount('89') == '89.00'``, empty -> ''.
    """
    if isinstance(value, str):
        value = contract_amount(value)
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        return f"{value.normalize():,f}"
    return f"{value:,.2f}"


def percent(part: Decimal, whole: Decimal) -> str:
    """``98.99%``: a share with two decimals, or '' when the whole is 0."""
    if whole == 0:
        return ""
    return f"{(part / whole * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def share(part: Decimal | None, whole: Decimal | None) -> str:
    """:func:`percent`, or '' when either figure is missing."""
    return percent(part, whole) if part is not None and whole is not None else ""


def code_span(value: str) -> str:
    """``<code>value</code>``, the value escaped."""
    return f"<code>{esc(value)}</code>"


def md_table(header: list[str], rows: list[list[str]], align: str = "") -> str:
    """A Markdown pipe table; cells must already be escaped (or be trusted markup).

    ``align`` has one letter per column: ``l`` or ``r`` (numbers)."""
    align = align.ljust(len(header), "l")
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(c if c != "" else " " for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def front_matter(title: str, hide: tuple[str, ...] = (), search_boost: float | None = None) -> str:
    """YAML front matter; ``hide`` names Material's sidebars to hide (``navigation``, ``toc``)
    on pages whose wide tables need the room; ``search_boost`` below 1 ranks the page lower in
    Material's search (reference pages, so that a query finds the figures first)."""
    # JSON strings are valid YAML; the title is shown by the theme, so it is escaped too
    hidden = "".join(f"  - {h}\n" for h in hide)
    return (f"---\ntitle: {json.dumps(html.escape(title), ensure_ascii=False)}\n"
            + (f"hide:\n{hidden}" if hidden else "")
            + (f"search:\n  boost: {search_boost}\n" if search_boost is not None else "") + "---\n\n")


def check_id(kind: str, value: str, source: Path) -> str:
    """document_id / bureau_id become URLs and folder names: ASCII slugs only."""
    if not SAFE_ID.match(value or ""):
        raise ValueError(f"{source}: {kind} {value!r} is not an ASCII slug "
                         f"(DATA-CONTRACT.md: letters, digits, '.', '_', '-')")
    return value


def year_number(value: str | None) -> int:
    """A year (or count) cell as a number, 0 when empty or not a number."""
    try:
        return int(value or 0)
    except ValueError:
        return 0


def doc_label(doc: dict) -> str:
    """``2024年部门预算``: year, scope and phase of a document."""
    return f"{doc.get('year', '')}年{SCOPES.get(doc.get('scope'), '')}{PHASES.get(doc.get('phase'), '')}"
