"""Records → rows: the CSV cells and the rows one document contributes to each resource.

``document_to_rows`` turns a ``ParsedDocument`` into rows per resource name (numbered within
their table, every record checked to carry the document's id); ``csv_text`` writes rows as
CSV (one header row, exact decimals). ``PackageError`` is what every part of the package stage
raises for records that cannot be published as DATA-CONTRACT.md says.
"""
from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal
from typing import Any, Callable, Iterable

from ..records import DocumentSummary, Fact, ParsedDocument
from ..verify import CHECK_DESCRIPTIONS
from ..verify.base import CHECK_SEVERITY, CHECK_SUGGESTIONS
from .schemas import DOCUMENTS, ResourceSpec

#: the documents fields of the maintainer's provenance sidecar (``ingest.files.SIDECAR_KEYS``)
PROVENANCE_FIELDS = tuple(f for f in DOCUMENTS.field_names if f.startswith("source_")
                          and f not in ("source_files", "source_sha256", "source_format", "source_unit"))

#: a parsed document or its summary: all that the descriptors and the bureau rows read
Identified = ParsedDocument | DocumentSummary


class PackageError(ValueError):
    """Records that cannot be published as the contract says; names document and reason."""


# --------------------------------------------------------------------------- cells


def decimal_to_cell(value: Decimal) -> str:
    """Exact decimal text: keeps the printed scale, never exponent notation.

    ``Decimal('202.15284')`` -> ``202.15284``, ``Decimal('2832.00')`` -> ``2832.00``,
    ``Decimal('2.8E+3')`` -> ``2800``, any zero (``0E-8``, ``-0``) -> ``0``.
    """
    if not value.is_finite():
        raise PackageError(f"amount {value!r} is not a finite number")
    if value.is_zero():
        return "0"
    return format(value, "f")


def to_cell(value: Any) -> str:
    """One CSV cell: None -> empty, Decimal exact, bool true/false, ints and strings as-is."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return decimal_to_cell(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        raise PackageError(f"float {value!r} where an exact Decimal is required")
    if isinstance(value, str):
        return value
    raise PackageError(f"cannot write {type(value).__name__} value {value!r} to CSV")


def csv_text(spec: ResourceSpec, rows: Iterable[dict[str, Any]]) -> str:
    """CSV (comma, minimal quoting, ``\\n`` line ends) with one header row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(spec.field_names)
    for row in rows:
        writer.writerow([to_cell(row.get(name)) for name in spec.field_names])
    return buf.getvalue()


# ---------------------------------------------------------------- records to rows


def _numbered(items: Iterable[Any], key: Callable[[Any], str] | None = None):
    """Yield (row number, item): 1-based within the key (the table), in the given order."""
    counts: Counter[str] = Counter()
    for item in items:
        k = key(item) if key else ""
        counts[k] += 1
        yield counts[k], item


def bureau_row(doc: Identified) -> dict[str, Any]:
    b = doc.bureau
    return {"bureau_id": b.bureau_id, "name": b.name, "province": b.province, "prefecture": b.prefecture,
            "county": b.county, "level": b.level, "division_code": b.division_code}


def document_to_rows(doc: ParsedDocument) -> dict[str, list[dict[str, Any]]]:
    """All rows one document contributes, per resource name, in the order given."""
    m = doc.meta
    did = m.document_id
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["documents"] = [{
        "document_id": did,
        "bureau_id": m.bureau_id,
        "title": m.title,
        "year": m.year,
        "phase": m.phase,
        "scope": m.scope,
        "source_files": ";".join(m.source_files),
        "source_sha256": ";".join(m.source_sha256),
        "source_format": m.source_format,
        "source_unit": m.source_unit,
        **{f: getattr(m, f, None) for f in PROVENANCE_FIELDS},
    }]
    rows["bureaus"] = [bureau_row(doc)]
    rows["tables"] = [
        {"document_id": did, "table": t.table, "seq": n, "title": t.title,
         "source_page": t.source_page, "rows": t.rows, "empty": t.empty,
         "empty_reason": t.empty_reason, "unit": t.unit, "total": t.total, "basic": t.basic,
         "project": t.project, "personnel": t.personnel, "public": t.public,
         "reserve": t.reserve}
        for n, t in _numbered(doc.tables, lambda t: t.table)
    ]
    rows["function_expenditure"] = [
        {"document_id": did, "table": r.table, "row": n, "code": r.code, "name": r.name,
         "level": r.level, "total": r.total, "basic": r.basic, "project": r.project,
         "source_page": r.source_page}
        for n, r in _numbered(doc.function_rows, lambda r: r.table)
    ]
    rows["economic_expenditure"] = [
        {"document_id": did, "table": r.table, "row": n, "code": r.code, "name": r.name,
         "level": r.level, "total": r.total, "personnel": r.personnel, "public": r.public,
         "source_page": r.source_page}
        for n, r in _numbered(doc.economic_rows, lambda r: r.table)
    ]
    rows["summary"] = [
        {"document_id": did, "table": r.table, "row": n, "side": r.side, "item": r.item,
         "amount": r.amount, "source_page": r.source_page}
        for n, r in _numbered(doc.summary_lines, lambda r: r.table)
    ]
    rows["three_public"] = [
        {"document_id": did, "table": r.table, "row": n, "item": r.item, "measure": r.measure,
         "amount": r.amount, "source_page": r.source_page}
        for n, r in _numbered(doc.three_public, lambda r: r.table)
    ]
    rows["projects"] = [
        {"document_id": did, "table": r.table, "row": n, "project": r.project, "unit": r.unit,
         "amount": r.amount, "source_page": r.source_page}
        for n, r in _numbered(doc.projects, lambda r: r.table)
    ]
    rows["performance_targets"] = [
        {"document_id": did, "row": n, "project": r.project, "level1": r.level1,
         "level2": r.level2, "indicator": r.indicator, "target": r.target, "actual": r.actual,
         "source_page": r.source_page}
        for n, r in _numbered(doc.performance_targets)
    ]
    rows["checks"] = [
        {"document_id": did, "row": n, "check": c.check, "status": c.status, "table": c.table,
         "severity": c.severity, "expected": c.expected, "actual": c.actual, "message": c.message,
         "source_page": c.source_page, "quote": c.quote, "suggestion": c.suggestion,
         "waiver": c.waiver}
        for n, c in _numbered(doc.checks)
    ]
    rows["narrative"] = [
        {"document_id": did, "row": n, "topic": f.topic, "amount": f.amount,
         "sentence": f.sentence, "source_page": f.source_page}
        for n, f in _numbered(doc.narrative)
    ]
    rows["facts"] = [fact_row(f, m.year) for f in doc.facts]
    rows["glossary"] = [
        {"document_id": did, "row": n, "term": term, "definition": definition}
        for n, (term, definition) in _numbered(doc.glossary)
    ]
    _check_document_ids(doc, rows)
    return rows


def fact_row(f: Fact, year: int) -> dict[str, Any]:
    """A ``facts`` row: the fact, its year, and its code split into the classification levels."""
    function, economic = f.dimension == "function", f.dimension == "economic"
    return {"document_id": f.document_id, "measure": f.measure, "dimension": f.dimension, "code": f.code,
            "part": f.part, "name": f.name, "level": f.level, "amount": f.amount,
            "source_table": f.source_table, "source_page": f.source_page, "basis": f.basis,
            "repair": f.repair, "conflict": f.conflict,
            "alternatives": ";".join(f"{t}:{p if p is not None else ''}:{decimal_to_cell(a)}"
                                     for t, p, a in f.alternatives) or None,
            "year": year,
            "function_class": f.code[:3] if function else None,
            "function_section": f.code[:5] if function and len(f.code) >= 5 else None,
            "function_item": f.code if function and len(f.code) == 7 else None,
            "economic_class": f.code[:3] if economic else None,
            "economic_item": f.code if economic and len(f.code) == 5 else None,
            "read_by": f.read_by, "certainty": f.certainty}


def check_definitions() -> list[dict[str, Any]]:
    """One row per check id of the verify stage, with its family and Chinese explanation."""
    return [{"check": cid, "family": cid.split(".", 1)[0], "description": text,
             "severity": CHECK_SEVERITY[cid], "suggestion": CHECK_SUGGESTIONS.get(cid)}
            for cid, text in sorted(CHECK_DESCRIPTIONS.items())]


def _check_document_ids(doc: ParsedDocument, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Every record of a document must carry that document's id (else its keys would lie)."""
    did = doc.meta.document_id
    records: list[tuple[str, Iterable[Any]]] = [
        ("tables", doc.tables), ("function_expenditure", doc.function_rows),
        ("economic_expenditure", doc.economic_rows), ("summary", doc.summary_lines),
        ("three_public", doc.three_public), ("projects", doc.projects),
        ("performance_targets", doc.performance_targets), ("checks", doc.checks),
        ("narrative", doc.narrative), ("facts", doc.facts),
    ]
    for resource, items in records:
        for item in items:
            if item.document_id != did:
                raise PackageError(
                    f"document {did!r}: a {resource} record names document "
                    f"{item.document_id!r}: {item!r}"
                )
    if doc.meta.bureau_id != doc.bureau.bureau_id:
        raise PackageError(
            f"document {did!r}: meta.bureau_id {doc.meta.bureau_id!r} differs from "
            f"bureau.bureau_id {doc.bureau.bureau_id!r}"
        )
