"""The unit (元 / 万元) a document and each of its tables print, decided here and nowhere else.

``document_unit`` reads the unit most often printed in a document (``单位：万元``,
``金额单位：元`` …; 万元 where none is printed); ``region_unit`` the unit printed above one table,
else the document's. Every recognizer converts its amounts with ``table_unit``.
"""
from __future__ import annotations

import re
from collections import Counter

from ..records import Line, ParsedDocument
from .regions import Region

_UNIT = re.compile(r"单位\s*[:：]\s*(万元|元)|金额单位\s*[:：]?\s*(万元|元)|（(万元|元)）|\((万元|元)\)")
_REGION_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元)|(?:金额|单位)[:：]?\s*\n?\s*(万元|元)")
#: a line printing only the unit
_UNIT_LINES = ("万元", "元", "单位:万元", "单位：元")


def document_unit(lines: tuple[Line, ...] | list[Line]) -> str:
    """The unit a document's tables print most often; 万元 when none is printed."""
    counts: Counter[str] = Counter()
    for line in lines:
        for m in _UNIT.finditer(line.text):
            counts[next(g for g in m.groups() if g)] += 1
    if not counts:
        return "万元"
    return counts.most_common(1)[0][0]


def region_unit(region: Region, default: str) -> str:
    """The unit printed in the first lines of a table, else ``default`` (the document's)."""
    for line in region.lines[:12]:
        m = _REGION_UNIT.search(line.text)
        if m:
            return m.group(1) or m.group(2)
        if re.sub(r"\s+", "", line.text) in _UNIT_LINES:
            return re.sub(r"\s+|单位[:：]", "", line.text)
        # a label cell naming the unit: 资金金额（万元）, 资金情况（万元） (西安's, 北京's 绩效目标表)
        cell = next((m for c in line.cells for m in [_LABEL_UNIT.match(re.sub(r"\s+", "", c))] if m), None)
        if cell:
            return cell.group(1)
    return default


_LABEL_UNIT = re.compile(r"^(?:资金金额|资金情况|金额)?[（(](万元|元)[)）]$")


def table_unit(parsed: ParsedDocument, region: Region) -> str:
    """The unit of one table of a parsed document (its own, else the document's)."""
    return region_unit(region, parsed.meta.source_unit)
