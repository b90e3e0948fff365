"""Text checks: what the ingest removed from a document's text before reading it.

``text.control_characters``: NUL, bidi overrides and isolates and the other control characters
are removed where text enters (``generator/ingest/clean.py``); a document that held some reports
``repaired`` with how many (expected = after, 0; actual = before), every other ``pass``.
"""
from __future__ import annotations

from ..records import Check, ParsedDocument
from .base import describe, mk

CONTROL_CHARACTERS = describe(
    "text.control_characters",
    "原文不含控制字符（空字符 NUL、改变文字方向的双向控制符如 U+202E 等）；若含有，读取时已删除并记录删除的个数，"
    "不会出现在数据和网页中。")


def control_characters(doc: ParsedDocument) -> list[Check]:
    removed = doc.control_characters
    if removed:
        return [mk(doc, CONTROL_CHARACTERS, "repaired", None, "0", str(removed),
                   f"原文含 {removed} 个控制字符（空字符、双向控制符等），读取时已删除。")]
    return [mk(doc, CONTROL_CHARACTERS, "pass", None, "0", "0", "原文不含控制字符。")]


FAMILY = [control_characters]
