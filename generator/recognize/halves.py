"""One half of a disclosure published as two files: a tables file whose pages print no year,
or a narrative that prints no table. ``part_of`` reads what such a file tells of its disclosure
(bureau, phase, year, the totals it prints or states) into a ``Part`` record, which
``generator.pairing`` uses to find its other half.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..records import IngestedDocument, Part
from .metadata import MetadataError, lines_to_metadata
from .regions import lines_to_regions

NO_YEAR = "no fiscal year found"
NO_TABLE = "no standard budget table found"

_TABLE_TOTAL = re.compile(r"(?:本年)?(?:收入|支出)(?:总计|合计)(\d[\d,]*\.\d+)")
_STATED_TOTAL = re.compile(
    r"20\d{2}年度?(?:部门)?(?:收入|支出)(?:预算|决算)(?:总额|总计|合计|为|：|:)*(\d[\d,]*(?:\.\d+)?)万元")
_NAMED = re.compile(r"^(?:部门|单位)名称[:：]?(\S{4,40})$")
_YEAR = re.compile(r"(20\d{2})年度")


def part_of(ingested: IngestedDocument, reason: str) -> Part | None:
    """The ``Part`` of a file refused alone with ``reason``, when it is one half of a disclosure:
    tables without a year that print their totals, or a narrative (its bureau, year and phase
    read) that states the totals of its tables; None for any other refusal."""
    lines = [re.sub(r"\s+", "", line.text) for line in ingested.lines]
    file = ingested.sources[0].name
    if NO_YEAR in reason:
        totals = _amounts(_TABLE_TOTAL, lines[:400])
        if not totals or not lines_to_regions(ingested.lines):
            return None
        names = {m.group(1) for text in lines if (m := _NAMED.match(text))}
        years = {int(m.group(1)) for text in lines for m in _YEAR.finditer(text)}
        head = "".join(lines[:80])
        phase = ("final" if head.count("决算") > head.count("预算") else "budget") if (
            "预算" in head or "决算" in head) else None
        return Part(file, "tables", min(names) if len(names) == 1 else None,
                    min(years) if len(years) == 1 else None, phase, totals)
    if NO_TABLE in reason:
        totals = _amounts(_STATED_TOTAL, lines)
        try:
            meta = lines_to_metadata(ingested.lines)
        except MetadataError:
            return None
        return Part(file, "narrative", meta.name, meta.year, meta.phase, totals) if totals else None
    return None


def _amounts(pattern: re.Pattern, lines: list[str]) -> frozenset[Decimal]:
    """Every amount ``pattern`` finds in ``lines``, rounded to 2 decimals (万元 as narratives
    state them)."""
    return frozenset(Decimal(m.group(1).replace(",", "")).quantize(Decimal("0.01"), ROUND_HALF_UP)
                     for text in lines for m in pattern.finditer(text))
