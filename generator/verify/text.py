"""Text checks: what the ingest removed from a document's text before reading it.

``text.control_characters``: NUL, bidi overrides and isolates and the other control characters
are removed where text enters (``generator/ingest/clean.py``); a document that held some reports
``repaired`` with how many (expected = after, 0; actual = before), every other ``pass``.

``text.unreadable_figures``: a cell printed where a figure stands that no amount can be read
from (``1,2,3``, ``1e308``, ``NaN``) is read as empty by recognize; each is a ``fail`` naming
the table, the row, the cell as printed and its page, so a reader never takes the empty figure
for one the document printed. A document without any reports ``pass``.
"""
from __future__ import annotations

from ..records import Check, ParsedDocument
from .base import describe, mk

CONTROL_CHARACTERS = describe(
    "text.control_characters",
    "原文不含控制字符（空字符 NUL、改变文字方向的双向控制符如 U+202E 等）；若含有，读取时已删除并记录删除的个数，"
    "不会出现在数据和网页中。",
    suggestion="从原文中删除控制字符（空字符、双向控制符等），重新生成 PDF 或文本。")


def control_characters(doc: ParsedDocument) -> list[Check]:
    removed = doc.control_characters
    if removed:
        return [mk(doc, CONTROL_CHARACTERS, "repaired", None, "0", str(removed),
                   f"原文含 {removed} 个控制字符（空字符、双向控制符等），读取时已删除。")]
    return [mk(doc, CONTROL_CHARACTERS, "pass", None, "0", "0", "原文不含控制字符。")]


UNREADABLE = describe(
    "text.unreadable_figures",
    "表格中应为金额的单元格都能读出数值；印出的内容无法读作金额（如 1,2,3、NaN）时，该单元格按空值处理并在此列出。",
    severity="warning",
    suggestion="改正无法读作金额的单元格，印出规范的数字（如 1,234.56）。")


def unreadable_figures(doc: ParsedDocument) -> list[Check]:
    if not doc.unreadable_figures:
        return [mk(doc, UNREADABLE, "pass", None, None, None, "表格中应为金额的单元格都能读出数值。")]
    return [mk(doc, UNREADABLE, "fail", f.table, None, f.text,
               f"{f.label or '（无名称的行）'}：印出的“{f.text}”无法读作金额，按空值处理。", f.source_page)
            for f in doc.unreadable_figures]


FAMILY = [control_characters, unreadable_figures]
