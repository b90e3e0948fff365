"""The ``TableInfo`` record of a recognized table: title, page, row count, unit, whether it is
published empty (and the note saying why), and the figures of its printed 合计 row."""
from __future__ import annotations

import re

from ..numbers import to_wan
from ..records import ParsedDocument, TableInfo
from .cells import blank_rows, blank_total_cells, blank_total_row, negative_cells
from .columns import column_value
from .regions import Region, empty_reason
from .rows import Row


def rows_by_unit(region: Region) -> bool:
    """Whether the table lists units, not classification codes, under its 合计 (西安's 收入总表
    and 支出总表: 单位编码 | 单位名称 | 合计 | 一般公共预算拨款 | 政府性基金拨款 …, one row per unit):
    a header cell 单位名称 and no 科目 heading before the first figure."""
    cells = []
    for line in region.lines[:12]:
        if any(re.search(r"\d\.\d|^\d{2,}$", c.strip()) for c in line.cells if c.strip() not in ("**",)):
            break
        cells += [re.sub(r"\s+", "", c) for c in line.cells] if line.positional else []
    return "单位名称" in cells and not any("科目" in c or "分类" in c for c in cells)


def _records_of(parsed: ParsedDocument, table: str) -> bool:
    return any(r.table == table for r in (*parsed.function_rows, *parsed.economic_rows, *parsed.summary_lines))


def add_table(parsed: ParsedDocument, region: Region, rows: int, unit: str, totals: Row | None = None,
              columns: list[str] | None = None, force_empty: bool = False, totals_only: bool = False) -> None:
    """Append the ``TableInfo`` of ``region`` (``rows`` recognized rows; ``totals``: its 合计 row,
    read through ``columns``) to ``parsed.tables``."""
    empty = rows == 0 or force_empty
    # a table of units (no row read as a record) states, for the contract, its 合计 only
    totals_only = totals_only or (totals is not None and not empty and not _records_of(parsed, region.table)
                                  and rows_by_unit(region))
    reason = empty_reason(region) if empty else None
    sums = {}
    if totals is not None and columns:
        sums = {k: to_wan(column_value(totals, columns, k), unit)
                for k in ("total", "basic", "project", "personnel", "public", "reserve")}
    parsed.tables.append(TableInfo(
        parsed.meta.document_id, region.table, region.title, region.page, rows, empty, reason, unit,
        **sums, totals_only=totals_only,
        blank_total=blank_total_row(region), negatives=negative_cells(region),
        blank_total_cells=blank_total_cells(region), blank_rows=blank_rows(region)))
