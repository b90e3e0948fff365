"""Recognize one document: ``IngestedDocument`` → ``ParsedDocument`` (``ingested_to_parsed``).

Metadata from the content (``metadata``), the table regions (``regions``), each recognized by
the recognizer of its table (``recognizers``); then the narrative's facts, item figures the
tables do not give, and the tables a disclosure lists as published empty. Amounts are
converted to 万元 exactly (``2021528.40`` 元 → ``202.15284``).
"""
from __future__ import annotations

from decimal import Decimal

from ..records import DocumentMeta, IngestedDocument, IngestError, Line, ParsedDocument, TableInfo, ThreePublicRow
from .metadata import MetadataError, document_id, lines_to_metadata, metadata_to_bureau
from .narrative import add_narrative_economic, add_narrative_items, lines_to_facts, lines_to_glossary, sentence_pages
from .recognizers import recognize_region
from .regions import Region, classify_title, lines_to_regions, title_of
from .rows import economic_codes_by_name



def ingested_to_parsed(doc: IngestedDocument) -> ParsedDocument:
    """The contract's records of one disclosure (raises ``IngestError`` for a file that is none)."""
    parsed, regions = parsed_and_regions(doc)
    economic_names = economic_codes_by_name(regions)
    for region in regions:
        recognize_region(parsed, region, economic_names)
    drop_repeated_rows(parsed)
    parsed.narrative = lines_to_facts(parsed.meta.document_id, doc.lines)
    parsed.glossary = lines_to_glossary(doc.lines)
    pieces = list(sentence_pages(doc.lines))
    parsed.sentences = [(text, page) for text, page, _ in pieces]
    parsed.sentence_breaks = [breaks for _, _, breaks in pieces]
    add_narrative_items(parsed)
    add_narrative_economic(parsed)
    add_listed_empty_tables(parsed, doc.lines)
    return parsed


def parsed_and_regions(doc: IngestedDocument) -> tuple[ParsedDocument, list[Region]]:
    """An empty ``ParsedDocument`` with the document's metadata and bureau, and its table regions."""
    first = doc.sources[0].name
    try:
        meta = lines_to_metadata(doc.lines)
    except MetadataError as exc:
        raise IngestError(first, f"not a budget disclosure: {exc}") from exc
    regions = lines_to_regions(doc.lines)
    if not regions:
        raise IngestError(first, "not a budget disclosure: no standard budget table found")
    bureau = metadata_to_bureau(meta)
    parsed = ParsedDocument(
        meta=DocumentMeta(
            document_id=document_id(bureau, meta), bureau_id=bureau.bureau_id, title=meta.title,
            year=meta.year, phase=meta.phase, scope=meta.scope,
            source_files=tuple(s.name for s in doc.sources),
            source_sha256=tuple(s.sha256 for s in doc.sources),
            source_format=source_format(doc.sources),
            source_unit=meta.unit, **dict(doc.provenance),
        ),
        bureau=bureau,
        control_characters=doc.control_characters,
        waivers=list(doc.waivers),
        ocr_pages=frozenset(line.page for line in doc.lines if line.ocr),
    )
    return parsed, regions


def source_format(sources) -> str:  # type: ignore[no-untyped-def]
    """``pdf-ocr`` when any file was (partly) read by OCR, else ``pdf`` when any is a PDF, else ``text``."""
    formats = {s.format for s in sources}
    return "pdf-ocr" if "pdf-ocr" in formats else "pdf" if "pdf" in formats else "text"


def drop_repeated_rows(parsed: ParsedDocument) -> None:
    """A table printed twice (江苏's economic table, 深圳's project table) must not count twice:
    a row identical to an earlier row of the same table (code, name and every figure) is dropped,
    and the document records a warning."""
    for attr in ("function_rows", "economic_rows", "projects"):
        rows = getattr(parsed, attr)
        seen: set = set()
        kept = []
        for r in rows:
            key = tuple(v for k, v in vars(r).items() if k != "source_page")
            if key in seen:
                continue
            seen.add(key)
            kept.append(r)
        if len(kept) < len(rows):
            parsed.warnings.append(f"{attr}: {len(rows) - len(kept)} rows printed twice were counted once")
            setattr(parsed, attr, kept)


def add_listed_empty_tables(parsed: ParsedDocument, lines) -> None:
    """Tables a disclosure lists as published empty (``表9 …政府性基金收支表 是 不涉及``)."""
    present = {t.table for t in parsed.tables}
    for line in lines:
        cells = [c.strip() for c in line.cells if c.strip()]
        if not line.positional or len(cells) < 3 or "是" not in cells[2:3]:
            continue
        title = title_of(Line((cells[1],), cells[1]))
        table = classify_title(title) if title else None
        if table is None or table in present:
            continue
        present.add(table)
        reason = cells[3] if len(cells) > 3 else None
        parsed.tables.append(TableInfo(parsed.meta.document_id, table, cells[1], line.page, 0, True,
                                       reason, parsed.meta.source_unit))
        if table == "three_public":
            parsed.three_public.append(ThreePublicRow(
                parsed.meta.document_id, "total", "final" if parsed.meta.phase == "final" else "budget",
                Decimal(0), line.page))
