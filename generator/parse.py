"""The parse stage of one document: its file(s) → ingest → recognize → verify → facts →
``DocumentResult``.

``parse_files`` is a pure function from a disclosure's file(s) to a ``DocumentResult`` (the
``ParsedDocument``, or an error naming the file and the reason), so documents parse in
parallel wherever ``generator.distributed`` runs them. A bad file never raises: it is
reported in the result, and every other document is still packaged.

A file refused alone only for want of its other half — a tables file whose pages print no
year, a narrative that prints no table — comes back with a ``Part``: what it does tell of its
disclosure (bureau, phase, year, the totals it states, which half; read by
``generator.recognize.halves``). ``generator.pairing``
pairs such parts by content and parses each pair as one document.

``DocumentResult`` objects are pickled in the parse cache (``generator.cache``), whose code
fingerprint covers this module. A refusal (``IngestError``: not a budget disclosure, scanned,
damaged, a half alone) is a fact about the file's bytes: cached by content like a parsed
document, so a rebuild does not read the file again. A failure of the system instead of the file
is not (``cacheable`` False): an internal error (a bug), out of memory, a read error behind a
refusal (pdfminer wraps it: "corrupt PDF"), and the time limit and dead workers of
``generator.workers``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .facts import decide
from .ingest.files import ingest_files
from .recognize.document import ingested_to_parsed
from .recognize.halves import part_of
from .records import DocumentSummary, IngestError, ParsedDocument, Part, summarize
from .verify import verify



@dataclass
class DocumentResult:
    """One document after the parse stage. ``summary`` is set whenever it parsed; ``parsed``
    (the whole record) only when parsed in this build: a document reused from the parse cache
    comes as its summary, and its record is read from the cache (``key``) only if needed."""

    files: list[str]
    parsed: ParsedDocument | None
    error: str | None
    seconds: float
    pages: int | None = None  # pages of the PDF source(s); None for text extracts
    reused: bool = False  # taken from the parse cache in this build
    cacheable: bool = True  # False for internal errors (a bug, a resource limit, a failed read)
    summary: DocumentSummary | None = None
    key: str | None = None  # parse-cache key, when the build uses the cache
    part: Part | None = None  # refused alone for want of its other half (``generator.pairing``)

    def __post_init__(self):
        if self.summary is None and self.parsed is not None:
            self.summary = summarize(self.parsed)


def parse_files(files: list[Path], *, memory_limit_mb: int | None = None, ocr: bool = True) -> DocumentResult:
    """Parse one document (its file or its tables + narrative pair); never raises.
    ``memory_limit_mb``: the limit the caller set on this process, named when it is hit;
    ``ocr`` False (``--no-ocr``): pages without a text layer are not read by OCR."""
    start = time.perf_counter()
    names = [f.name for f in files]
    pages = None
    ingested = None
    try:
        ingested = ingest_files(files, ocr=ocr)
        pdf_pages = [s.pages for s in ingested.sources if s.pages is not None]
        pages = sum(pdf_pages) if pdf_pages else None
        parsed = decide(verify(ingested_to_parsed(ingested)))
        return DocumentResult(names, parsed, None, time.perf_counter() - start, pages)
    except Exception as exc:  # a bug on one document must not stop the others
        seconds = time.perf_counter() - start
        if out_of_memory(exc):  # pdfplumber may have wrapped it (then ours: "corrupt PDF")
            return DocumentResult(names, None, memory_error(files, memory_limit_mb), seconds,
                                  pages, cacheable=False)
        if isinstance(exc, IngestError):
            part = part_of(ingested, exc.reason) if ingested is not None and len(files) == 1 else None
            # a refusal is a fact about the file's bytes, cached by content; one behind which
            # the system failed (a read error pdfminer wrapped: "corrupt PDF") is tried again
            return DocumentResult(names, None, f"{exc.file}: {exc.reason}", seconds, pages,
                                  part=part, cacheable=not caused_by(exc, OSError))
        return DocumentResult(names, None, f"{names[0]}: internal error: {type(exc).__name__}: {exc}",
                              seconds, pages, cacheable=False)


def out_of_memory(exc: BaseException) -> bool:
    """Whether a ``MemoryError`` is ``exc`` or behind it."""
    return caused_by(exc, MemoryError)


def caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether an exception of type ``kind`` is ``exc`` or behind it (its cause, context or
    wrapped first argument, as ``PdfminerException(error)`` carries it)."""
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        if isinstance(item, kind):
            return True
        seen.add(id(item))
        pending.extend([item.__cause__, item.__context__, *item.args[:1]])
    return False


def memory_error(files: list[Path], memory_limit_mb: int | None) -> str:
    """The error of a document that ran out of memory (under ``memory_limit_mb``, if set)."""
    reason = f"over the memory limit of {memory_limit_mb} MB" if memory_limit_mb else "out of memory"
    return f"{files[0].name}: {reason}"
