"""One recognizer per table kind, in one registry: ``RECOGNIZERS`` maps a table id to the
function that turns a region of that table into the contract's records; ``recognize_region``
dispatches through it (a table without one is counted, its rows not read).

A recognizer takes ``(parsed, region, unit, economic_names, trace)`` and appends to ``parsed``:
its rows and the ``TableInfo`` of the table. ``unit`` is the table's (``units.table_unit``);
``trace``, a ``columns.ColumnTrace`` or None, records the column decisions of coded tables.
"""
from __future__ import annotations

from collections.abc import Callable

from ..records import ParsedDocument, UnreadableFigure
from ..vocabulary import ECONOMIC_TABLES, FUNCTION_TABLES
from .coded import recognize_economic, recognize_function
from .columns import ColumnTrace
from .performance import recognize_performance
from .projects import recognize_projects
from .regions import Region
from .rows import cells_to_row
from .summary import recognize_summary
from .table_info import add_table
from .three_public import recognize_three_public
from .units import table_unit

Recognizer = Callable[[ParsedDocument, Region, str, "dict[str, str] | None", "ColumnTrace | None"], None]


def recognize_other(parsed: ParsedDocument, region: Region, unit: str,
                    economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """A table whose rows the contract does not carry: only its ``TableInfo`` (rows with figures)."""
    data_rows = [r for r in (cells_to_row(list(l.cells), l.positional, False, l.page) for l in region.lines)
                 if r is not None and r.values]
    add_table(parsed, region, len(data_rows), unit)


#: table id → its recognizer
RECOGNIZERS: dict[str, Recognizer] = {
    **{table: recognize_function for table in FUNCTION_TABLES},
    **{table: recognize_economic for table in ECONOMIC_TABLES},
    "summary": recognize_summary,
    "fiscal_summary": recognize_summary,
    "three_public": recognize_three_public,
    "performance_targets": recognize_performance,
    "projects": recognize_projects,
}


def recognize_region(parsed: ParsedDocument, region: Region, economic_names: dict[str, str] | None = None,
                     trace: ColumnTrace | None = None) -> None:
    """Rows of one table region into ``parsed``, by the recognizer of its table; ``economic_names``
    (printed name → code, from the document's coded economic tables) codes an economic table
    that prints names only."""
    recognizer = RECOGNIZERS.get(region.table, recognize_other)
    recognizer(parsed, region, table_unit(parsed, region), economic_names, trace)
    note_unreadable(parsed, region)


def note_unreadable(parsed: ParsedDocument, region: Region) -> None:
    """A figure no amount can be read from (``1,2,3``, ``1e308``, ``NaN``) is read as an empty
    cell in its place (``rows.cells_to_row``); each is recorded for verify to report
    (``text.unreadable_figures``)."""
    for line in region.lines:
        row = cells_to_row(list(line.cells), line.positional, False, line.page)
        if row is not None and row.unreadable:
            label = row.code or row.name or ""
            parsed.unreadable_figures.extend(
                UnreadableFigure(region.table, label, cell, line.page) for cell in row.unreadable)
