"""Planted errors: a copy of a real document with an error a test writes into it, parsed the way
the pipeline parses it (recognize → verify → facts).

The copy is made on the ingested lines: ``plant(path, ("减少", "增加"))`` reads ``path`` with the
real ingest (pdfplumber for a PDF, the text reader for an extract), replaces the first printed
``减少`` by ``增加`` — in the line's text and in the cell that holds it — and parses the result.
Each edit must apply (else the test is wrong about the document, and ``plant`` says so), so a
test names words the document really prints, and the planted document differs from the real one
by exactly those words. A PDF is ingested once per test session (``ingested``).
"""
from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

from generator.facts import decide
from generator.ingest.files import ingest_files
from generator.recognize.document import ingested_to_parsed
from generator.records import Check, IngestedDocument, Line, ParsedDocument
from generator.verify import verify


@functools.lru_cache(maxsize=None)
def ingested(*paths: Path) -> IngestedDocument:
    """The real ingest of a document's file(s), once per session."""
    return ingest_files(list(paths))


def _edit_line(line: Line, old: str, new: str) -> Line | None:
    if old not in line.text:
        return None
    cells = list(line.cells)
    for i, cell in enumerate(cells):
        if old in cell:
            cells[i] = cell.replace(old, new, 1)
            break
    else:  # the words span cells: a prose line is one cell, so this is a table line
        raise AssertionError(f"planted edit {old!r} spans cells of {line.text!r}; name one cell's words")
    return dataclasses.replace(line, cells=tuple(cells), text=line.text.replace(old, new, 1))


def planted_lines(doc: IngestedDocument, *edits: tuple[str, str], page: int | None = None) -> IngestedDocument:
    """``doc`` with each (old, new) applied to the first line printing ``old`` (on ``page``, if
    given). Raises AssertionError when an edit finds nothing to replace."""
    lines = list(doc.lines)
    for old, new in edits:
        for i, line in enumerate(lines):
            if page is not None and line.page != page:
                continue
            edited = _edit_line(line, old, new)
            if edited is not None:
                lines[i] = edited
                break
        else:
            raise AssertionError(f"planted edit: {old!r} is not printed in {doc.document_key}"
                                 + (f" on page {page}" if page is not None else ""))
    return dataclasses.replace(doc, lines=tuple(lines))


def parse_ingested(doc: IngestedDocument) -> ParsedDocument:
    return decide(verify(ingested_to_parsed(doc)))


def plant(paths: Path | tuple[Path, ...], *edits: tuple[str, str], page: int | None = None) -> ParsedDocument:
    """The document at ``paths`` with ``edits`` planted, parsed; with no edits, the document itself."""
    paths = (paths,) if isinstance(paths, Path) else tuple(paths)
    return parse_ingested(planted_lines(ingested(*paths), *edits, page=page))


def failures(doc: ParsedDocument, check: str | None = None) -> list[Check]:
    """The failed checks of ``doc`` (of one check id, if given)."""
    return [c for c in doc.checks if c.status == "fail" and (check is None or c.check == check)]
