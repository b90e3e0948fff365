"""The parse stage of one document: its file(s) → ingest → recognize → verify → ``DocumentResult``.

``parse_files`` is a pure function from a disclosure's file(s) to a ``DocumentResult`` (the
``ParsedDocument``, or an error naming the file and the reason), so documents parse in
parallel wherever ``generator.distributed`` runs them. A bad file never raises: it is
reported in the result, and every other document is still packaged.

``DocumentResult`` objects are pickled in the parse cache (``generator.cache``), whose code
fingerprint covers this module.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .ingest.files import ingest_files
from .recognize.document import ingested_to_parsed
from .records import DocumentSummary, IngestError, ParsedDocument, summarize
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
    cacheable: bool = True  # False for internal errors (a bug or a resource limit)
    summary: DocumentSummary | None = None
    key: str | None = None  # parse-cache key, when the build uses the cache

    def __post_init__(self):
        if self.summary is None and self.parsed is not None:
            self.summary = summarize(self.parsed)


def parse_files(files: list[Path]) -> DocumentResult:
    """Parse one document (its file or its tables + narrative pair); never raises."""
    start = time.perf_counter()
    names = [f.name for f in files]
    pages = None
    try:
        ingested = ingest_files(files)
        pdf_pages = [s.pages for s in ingested.sources if s.pages is not None]
        pages = sum(pdf_pages) if pdf_pages else None
        parsed = verify(ingested_to_parsed(ingested))
        return DocumentResult(names, parsed, None, time.perf_counter() - start, pages)
    except IngestError as exc:
        return DocumentResult(names, None, f"{exc.file}: {exc.reason}", time.perf_counter() - start,
                              pages)
    except Exception as exc:  # a bug on one document must not stop the others
        return DocumentResult(names, None, f"{names[0]}: internal error: {type(exc).__name__}: {exc}",
                              time.perf_counter() - start, pages, cacheable=False)
