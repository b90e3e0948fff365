"""The parse stage of one document: its file(s) → ingest → recognize → verify → ``DocumentResult``.

``parse_files`` is a pure function from a disclosure's file(s) to a ``DocumentResult`` (the
``ParsedDocument``, or an error naming the file and the reason), so documents parse in
parallel wherever ``generator.distributed`` runs them. A bad file never raises: it is
reported in the result, and every other document is still packaged.

A file refused alone only for want of its other half — a tables file whose pages print no
year, a narrative that prints no table — comes back with a ``Part``: what it does tell of its
disclosure (bureau, phase, year, the totals it states, which half). ``generator.pairing``
pairs such parts by content and parses each pair as one document.

``DocumentResult`` objects are pickled in the parse cache (``generator.cache``), whose code
fingerprint covers this module.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .ingest.files import ingest_files
from .recognize.document import ingested_to_parsed
from .recognize.metadata import MetadataError, lines_to_metadata
from .recognize.regions import lines_to_regions
from .records import DocumentSummary, IngestedDocument, IngestError, ParsedDocument, summarize

NO_YEAR = "no fiscal year found"
NO_TABLE = "no standard budget table found"


@dataclass(frozen=True)
class Part:
    """One file of a disclosure published as two (tables, narrative), as far as it tells alone."""

    file: str
    half: str  # tables | narrative
    name: str | None  # the bureau, where the file prints it
    year: int | None
    phase: str | None  # budget | final; None where the file does not say
    totals: frozenset[Decimal]  # total income / expenditure it prints, in 万元 to 2 decimals
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
    part: Part | None = None  # refused alone for want of its other half (``generator.pairing``)

    def __post_init__(self):
        if self.summary is None and self.parsed is not None:
            self.summary = summarize(self.parsed)


def parse_files(files: list[Path], *, memory_limit_mb: int | None = None) -> DocumentResult:
    """Parse one document (its file or its tables + narrative pair); never raises.
    ``memory_limit_mb``: the limit the caller set on this process, named when it is hit."""
    start = time.perf_counter()
    names = [f.name for f in files]
    pages = None
    ingested = None
    try:
        ingested = ingest_files(files)
        pdf_pages = [s.pages for s in ingested.sources if s.pages is not None]
        pages = sum(pdf_pages) if pdf_pages else None
        parsed = verify(ingested_to_parsed(ingested))
        return DocumentResult(names, parsed, None, time.perf_counter() - start, pages)
    except Exception as exc:  # a bug on one document must not stop the others
        seconds = time.perf_counter() - start
        if out_of_memory(exc):  # pdfplumber may have wrapped it (then ours: "corrupt PDF")
            return DocumentResult(names, None, memory_error(files, memory_limit_mb), seconds,
                                  pages, cacheable=False)
        if isinstance(exc, IngestError):
            part = part_of(ingested, exc.reason) if ingested is not None and len(files) == 1 else None
            return DocumentResult(names, None, f"{exc.file}: {exc.reason}", seconds, pages,
                                  part=part)
        return DocumentResult(names, None, f"{names[0]}: internal error: {type(exc).__name__}: {exc}",
                              seconds, pages, cacheable=False)


def out_of_memory(exc: BaseException) -> bool:
    """Whether a ``MemoryError`` is ``exc`` or behind it (its cause, context or wrapped first
    argument, as ``PdfminerException(error)`` carries it)."""
    seen: set[int] = set()
    pending: list[object] = [exc]
    while pending:
        item = pending.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        if isinstance(item, MemoryError):
            return True
        seen.add(id(item))
        pending.extend([item.__cause__, item.__context__, *item.args[:1]])
    return False


def memory_error(files: list[Path], memory_limit_mb: int | None) -> str:
    """The error of a document that ran out of memory (under ``memory_limit_mb``, if set)."""
    reason = f"over the memory limit of {memory_limit_mb} MB" if memory_limit_mb else "out of memory"
    return f"{files[0].name}: {reason}"


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
