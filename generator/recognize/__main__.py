"""``python -m generator.recognize FILE``: watch the recognizer read one disclosure.

Ingests FILE (a PDF or a text file) and prints every table region found — its table id, title,
page and unit — then the records recognized from it (code, name and figures in 万元), and for a
coded table the columns its header gave (which header cell or keyword named each) and, row by
row, why each figure went to the column it went to (``columns.ColumnTrace``).
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ..ingest.files import ingest_files
from ..records import ParsedDocument
from .columns import ColumnTrace
from .document import parsed_and_regions
from .recognizers import RECOGNIZERS, recognize_region, recognize_other
from .regions import Region
from .rows import economic_codes_by_name
from .units import table_unit

#: the record lists of a ``ParsedDocument`` a recognizer appends to
_RECORDS = ("function_rows", "economic_rows", "summary_lines", "three_public", "projects",
            "performance_targets")
#: fields left out when a record is printed (the same for every record of a document)
_QUIET = frozenset({"document_id", "table"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.recognize", description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="a disclosure: PDF or text file")
    args = parser.parse_args(argv)
    parsed, regions = parsed_and_regions(ingest_files([args.file]))
    meta = parsed.meta
    print(f"{meta.document_id}: {meta.title} ({meta.year}, {meta.phase}, {meta.scope}), unit {meta.source_unit}, "
          f"{len(regions)} regions")
    economic_names = economic_codes_by_name(regions)
    for number, region in enumerate(regions, 1):
        watch_region(parsed, region, number, economic_names)
    return 0


def watch_region(parsed: ParsedDocument, region: Region, number: int, economic_names: dict[str, str]) -> None:
    """Recognize one region into ``parsed`` and print what it added, and the column decisions."""
    recognizer = RECOGNIZERS.get(region.table, recognize_other)
    print(f"\n== region {number}: {region.table} “{region.title}” page {region.page}, "
          f"{len(region.lines)} lines, unit {table_unit(parsed, region)}, recognizer {recognizer.__name__}")
    before = {name: len(getattr(parsed, name)) for name in _RECORDS}
    trace = ColumnTrace()
    recognize_region(parsed, region, economic_names, trace)
    for name in _RECORDS:
        for record in getattr(parsed, name)[before[name]:]:
            print(f"  {name[:-1] if name.endswith('s') else name}: {_record_text(record)}")
    if trace.columns:
        print("  columns: " + " | ".join(f"{c} ({trace.named_by.get(c, 'the first figure')})"
                                         for c in trace.columns))
    for who, why in trace.notes:
        print(f"    {who}: {why}")


def _record_text(record) -> str:
    fields = (f for f in dataclasses.fields(record) if f.name not in _QUIET)
    return ", ".join(f"{f.name}={getattr(record, f.name)}" for f in fields
                     if getattr(record, f.name) is not None)


if __name__ == "__main__":
    sys.exit(main())
