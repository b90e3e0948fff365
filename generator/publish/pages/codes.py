"""A page per classification code: every document that has it, side by side.

(Interface first; the pages are being built.)"""
from __future__ import annotations

CODES_DIR = "codes"  # codes/function/<code>.md, codes/economic/<code>.md


def code_page_uri(dimension: str, code: str) -> str:
    """The page of a function or economic code, from the site root (``codes/function/2101501.md``)."""
    return f"{CODES_DIR}/{dimension}/{code}.md"


def compare_link(dimension: str, code: str, prefix: str) -> str:
    """Markdown link “与其他部门比较” to the code's page."""
    return f"[与其他部门比较]({prefix}{code_page_uri(dimension, code)})"
