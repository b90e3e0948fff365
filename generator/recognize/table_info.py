"""The ``TableInfo`` record of a recognized table: title, page, row count, unit, whether it is
published empty (and the note saying why), and the figures of its printed 合计 row."""
from __future__ import annotations

from ..numbers import to_wan
from ..records import ParsedDocument, TableInfo
from .columns import column_value
from .regions import Region, empty_reason
from .rows import Row



def add_table(parsed: ParsedDocument, region: Region, rows: int, unit: str, totals: Row | None = None,
              columns: list[str] | None = None, force_empty: bool = False, totals_only: bool = False) -> None:
    """Append the ``TableInfo`` of ``region`` (``rows`` recognized rows; ``totals``: its 合计 row,
    read through ``columns``) to ``parsed.tables``."""
    empty = rows == 0 or force_empty
    reason = empty_reason(region) if empty else None
    sums = {}
    if totals is not None and columns:
        sums = {k: to_wan(column_value(totals, columns, k), unit)
                for k in ("total", "basic", "project", "personnel", "public", "reserve")}
    parsed.tables.append(TableInfo(
        parsed.meta.document_id, region.table, region.title, region.page, rows, empty, reason, unit,
        **sums, totals_only=totals_only))
