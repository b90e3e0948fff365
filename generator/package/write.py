"""Package stage: ``ParsedDocument`` records -> Frictionless data packages.

Input: the verified ``ParsedDocument`` list. Output: ``out_dir/<document_id>/`` (one package
per document) and ``out_dir/all/`` (every document together), each a ``datapackage.json``
plus one CSV per resource in ``generator.schemas.RESOURCES`` (DATA-CONTRACT.md).

Everything is written to a temporary sibling directory first and swapped in at the end, so a
failed build leaves the previous ``out_dir`` as it was. Output is byte-for-byte deterministic.
Entry points: ``write_packages`` and ``validate_package``.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from ..atomic import swap_in
from ..verify import CHECK_DESCRIPTIONS
from .codelists import codelists
from ..records import DocumentSummary, ParsedDocument, summarize
from .schemas import RESOURCES, ResourceSpec

ALL = "all"  # name of the combined package (and its directory)

#: a parsed document or its summary: all that the descriptors and the bureau rows read
Identified = ParsedDocument | DocumentSummary

LICENSE = {
    "name": "ODC-PDDL-1.0",
    "path": "https://opendatacommons.org/licenses/pddl/1-0/",
    "title": "Open Data Commons Public Domain Dedication and License v1.0",
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

_PHASE_ZH = {"budget": "预算", "final": "决算"}
_SCOPE_ZH = {"department": "部门", "unit": "单位"}


@dataclass
class PackageReport:
    """What ``write_packages`` wrote."""

    out_dir: Path
    packages: list[str] = field(default_factory=list)  # package names: document ids, then "all"
    rows: dict[str, int] = field(default_factory=dict)  # rows per resource in the "all" package


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


def _bureau_row(doc: Identified) -> dict[str, Any]:
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
    }]
    rows["bureaus"] = [_bureau_row(doc)]
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
         "expected": c.expected, "actual": c.actual, "message": c.message,
         "source_page": c.source_page}
        for n, c in _numbered(doc.checks)
    ]
    rows["narrative"] = [
        {"document_id": did, "row": n, "topic": f.topic, "amount": f.amount,
         "sentence": f.sentence, "source_page": f.source_page}
        for n, f in _numbered(doc.narrative)
    ]
    rows["glossary"] = [
        {"document_id": did, "row": n, "term": term, "definition": definition}
        for n, (term, definition) in _numbered(doc.glossary)
    ]
    _check_document_ids(doc, rows)
    return rows


def check_definitions() -> list[dict[str, Any]]:
    """One row per check id of the verify stage, with its family and Chinese explanation."""
    return [{"check": cid, "family": cid.split(".", 1)[0], "description": text}
            for cid, text in sorted(CHECK_DESCRIPTIONS.items())]


def _check_document_ids(doc: ParsedDocument, rows: dict[str, list[dict[str, Any]]]) -> None:
    """Every record of a document must carry that document's id (else its keys would lie)."""
    did = doc.meta.document_id
    records: list[tuple[str, Iterable[Any]]] = [
        ("tables", doc.tables), ("function_expenditure", doc.function_rows),
        ("economic_expenditure", doc.economic_rows), ("summary", doc.summary_lines),
        ("three_public", doc.three_public), ("projects", doc.projects),
        ("performance_targets", doc.performance_targets), ("checks", doc.checks),
        ("narrative", doc.narrative),
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


# ---------------------------------------------------------------------- descriptors


def _sources(docs: list[Identified]) -> list[dict[str, str]]:
    sources = []
    for doc in docs:
        m = doc.meta
        if len(m.source_files) != len(m.source_sha256):
            raise PackageError(
                f"document {m.document_id!r}: {len(m.source_files)} source files but "
                f"{len(m.source_sha256)} sha256 values"
            )
        for name, sha in zip(m.source_files, m.source_sha256):
            sources.append({"title": m.title, "file": name, "sha256": sha,
                            "format": m.source_format})
    return sources


def document_title(doc: Identified) -> str:
    """``凤县医疗保障局 2024 年单位预算``: bureau, year, scope and phase."""
    m = doc.meta
    return (f"{doc.bureau.name} {m.year} 年"
            f"{_SCOPE_ZH.get(m.scope, m.scope)}{_PHASE_ZH.get(m.phase, m.phase)}")


def package_descriptor(
    name: str,
    title: str,
    description: str,
    docs: list[Identified],
    files: dict[str, bytes],
    generator_version: str,
) -> dict[str, Any]:
    resources = []
    for spec in RESOURCES:
        data = files[f"{spec.name}.csv"]
        resources.append({
            "name": spec.name,
            "path": f"{spec.name}.csv",
            "profile": "tabular-data-resource",
            "title": spec.title,
            "description": spec.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(data),
            "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": spec.schema_descriptor(),
        })
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "version": generator_version,
        "licenses": [LICENSE],
        "sources": _sources(docs),
        "resources": resources,
    }


def json_text(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- writing


def build_package(
    name: str,
    title: str,
    description: str,
    docs: list[Identified],
    rows: dict[str, list[dict[str, Any]]],
    generator_version: str,
) -> dict[str, bytes]:
    """File name -> bytes of one package (CSV resources and datapackage.json)."""
    files = {
        f"{spec.name}.csv": csv_text(spec, rows.get(spec.name, ())).encode("utf-8")
        for spec in RESOURCES
    }
    descriptor = package_descriptor(name, title, description, docs, files, generator_version)
    files["datapackage.json"] = json_text(descriptor).encode("utf-8")
    return files


def _write_files(directory: Path, files: dict[str, bytes], previous: Path | None = None) -> None:
    """Write a package's files; a file whose bytes are already in the ``previous`` tree is
    hard-linked from it instead (the old tree is never modified, only its names are removed
    when the new tree is swapped in), which makes rebuilding an unchanged package cheap."""
    directory.mkdir(parents=True)
    for file_name in sorted(files):
        data, path = files[file_name], directory / file_name
        old = previous / file_name if previous is not None else None
        try:
            if old is not None and old.stat().st_size == len(data) and old.read_bytes() == data:
                os.link(old, path)
                continue
        except OSError:
            pass  # no old file, another filesystem, no hard links: write it
        path.write_bytes(data)


def _ordered(docs: list[DocumentSummary]) -> list[DocumentSummary]:
    seen: dict[str, DocumentSummary] = {}
    for doc in docs:
        did = doc.meta.document_id
        if not _SLUG.match(did) or did == ALL:
            raise PackageError(
                f"document_id {did!r} is not a lowercase ASCII slug usable as a package name "
                f"(letters, digits, '.', '_', '-'; not {ALL!r})"
            )
        if did in seen:
            raise PackageError(f"document_id {did!r} appears twice")
        seen[did] = doc
    return [seen[did] for did in sorted(seen)]


def _combine_bureaus(per_doc: list[tuple[str, dict[str, list[dict[str, Any]]]]]):
    """One row per bureau_id; two documents that disagree about a bureau are an error."""
    bureaus: dict[str, tuple[str, dict[str, Any]]] = {}
    for did, rows in per_doc:
        row = rows["bureaus"][0]
        bid = row["bureau_id"]
        if bid in bureaus and bureaus[bid][1] != row:
            other, first = bureaus[bid]
            raise PackageError(
                f"bureau {bid!r} differs between documents {other!r} and {did!r}: "
                f"{first} != {row}"
            )
        bureaus.setdefault(bid, (did, row))
    return [row for _, (_, row) in sorted(bureaus.items())]


def _package_key(doc: Identified, generator_version: str, parse_fingerprint: str) -> str:
    """What a document's package bytes depend on: its source files (name + sha256) and the parse
    code (which make its records and the check definitions), and the code that writes them
    (this module, the schemas, the code lists). Nothing of the other documents."""
    h = hashlib.sha256()
    h.update(f"{generator_version}\0{parse_fingerprint}\0".encode())
    for module in _WRITER_MODULES:
        h.update(hashlib.sha256(module.read_bytes()).digest())
    m = doc.meta
    h.update("\0".join([m.document_id, *m.source_files, *m.source_sha256]).encode())
    return h.hexdigest()


_WRITER_MODULES = tuple(sorted(Path(__file__).parent.glob("*.py")))  # the whole package stage


class PackageCache:
    """Per-document package bytes by ``_package_key``: a rebuild re-serializes only the documents
    that changed, and the ``all`` package is assembled from the cached CSV bodies. A damaged
    entry is a miss."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.used: set[str] = set()

    def prune(self) -> None:
        """Drop the entries this build did not use (documents removed or changed, old code)."""
        for path in self.dir.glob("*/*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def get(self, key: str) -> tuple[dict[str, bytes], dict[str, int]] | None:
        try:
            with (self.dir / key[:2] / f"{key}.pickle").open("rb") as f:
                files, counts = pickle.load(f)
            return files, counts
        except Exception:  # missing, truncated or from another version: parse again
            return None

    def put(self, key: str, files: dict[str, bytes], counts: dict[str, int]) -> None:
        path = self.dir / key[:2] / f"{key}.pickle"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((files, counts), protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache only costs time


#: resources whose ``all`` rows are the documents' rows one after the other
_CONCATENATED = tuple(spec.name for spec in RESOURCES
                      if spec.name not in ("bureaus", "function_codes", "economic_codes", "check_definitions"))


def _body(csv_bytes: bytes) -> bytes:
    """A CSV without its header line."""
    return csv_bytes.split(b"\n", 1)[1] if b"\n" in csv_bytes else b""


def write_packages(
    docs: list[ParsedDocument] | list[DocumentSummary], out_dir: Path, *, generator_version: str,
    load: Callable[[DocumentSummary], ParsedDocument] | None = None,
    cache_dir: Path | None = None, parse_fingerprint: str = "", previous: Path | None = None,
) -> PackageReport:
    """Write every document's package and the combined ``all`` package, atomically.

    The new tree is built in ``out_dir.parent/.<name>.tmp-*`` and swapped in at the end;
    packages of documents no longer given disappear with the old tree. Raises
    ``PackageError`` (before touching ``out_dir``) when records break the contract's keys.
    With ``cache_dir``, a document's package bytes are reused when nothing they depend on
    changed (``parse_fingerprint`` identifies the parse code that made the records); the
    output is the same bytes either way. Files identical to those of the ``previous`` tree
    (the packages in place) are hard-linked from it.

    ``docs`` may be summaries (``records.DocumentSummary``): the whole record of a document is
    then read with ``load`` only when its package is not in the cache, so a rebuild never
    loads the records of unchanged documents.
    """
    out_dir = Path(out_dir)
    records = {d.meta.document_id: d for d in docs if isinstance(d, ParsedDocument)}
    ordered = _ordered([summarize(d) for d in docs])
    cache = PackageCache(cache_dir) if cache_dir is not None else None
    # reference lists: the code lists of the corpus and every check definition
    function_codes, economic_codes = codelists(ordered)
    definitions = check_definitions()
    bureau_rows: list[tuple[str, dict[str, list[dict[str, Any]]]]] = []
    per_doc_files: list[tuple[str, dict[str, bytes]]] = []
    counts: dict[str, int] = {name: 0 for name in _CONCATENATED}
    for summary in ordered:
        did = summary.meta.document_id
        key = _package_key(summary, generator_version, parse_fingerprint) if cache else ""
        hit = cache.get(key) if cache else None
        if cache:
            cache.used.add(key)
        if hit is None:
            doc = records.get(did)
            if doc is None:
                if load is None:
                    raise PackageError(f"document {did!r}: only its summary was given, and no loader")
                doc = load(summary)
            rows = document_to_rows(doc)
            # its own code lists: the names this document prints, so its package depends on it
            # alone (the corpus-wide lists, with every name variant, are in ``all``)
            own_fn, own_ec = codelists([doc])
            rows.update(function_codes=own_fn, economic_codes=own_ec, check_definitions=definitions)
            files = build_package(did, document_title(doc), f"{doc.meta.title}：开放数据（金额单位：万元）。",
                                  [doc], rows, generator_version)
            doc_counts = {name: len(rows[name]) for name in _CONCATENATED}
            if cache:
                cache.put(key, files, doc_counts)
        else:
            files, doc_counts = hit
        per_doc_files.append((did, files))
        for name in _CONCATENATED:
            counts[name] += doc_counts[name]
        bureau_rows.append((did, {"bureaus": [_bureau_row(summary)]}))

    combined: dict[str, list[dict[str, Any]]] = {
        "bureaus": _combine_bureaus(bureau_rows), "function_codes": function_codes,
        "economic_codes": economic_codes, "check_definitions": definitions}
    all_files = {f"{spec.name}.csv": csv_text(spec, combined.get(spec.name, ())).encode("utf-8")
                 for spec in RESOURCES}
    for name in _CONCATENATED:  # header once, then every document's rows in document order
        all_files[f"{name}.csv"] += b"".join(_body(files[f"{name}.csv"]) for _, files in per_doc_files)
    descriptor = package_descriptor(
        ALL, "预算决算公开数据（全部文件）",
        f"全部 {len(ordered)} 份预算决算公开文件的开放数据（金额单位：万元）。",
        ordered, all_files, generator_version)
    all_files["datapackage.json"] = json_text(descriptor).encode("utf-8")

    report = PackageReport(out_dir=out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        prev = Path(previous) if previous is not None and Path(previous).is_dir() else None
        for did, files in per_doc_files:
            _write_files(tmp / did, files, prev / did if prev else None)
            report.packages.append(did)
        _write_files(tmp / ALL, all_files, prev / ALL if prev else None)
        report.packages.append(ALL)
        report.rows = {**counts, **{k: len(v) for k, v in combined.items()}}
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if cache:
        cache.prune()
    return report


# ------------------------------------------------------------------------ validation


def validate_package(path: Path) -> list[str]:
    """Frictionless validation of a package directory (or its datapackage.json).

    Returns one message per error, naming resource, row and field; empty when valid.
    """
    import frictionless

    path = Path(path)
    descriptor = path / "datapackage.json" if path.is_dir() else path
    report = frictionless.validate(str(descriptor))
    messages = [f"{descriptor}: {error.message}" for error in report.errors]
    for task in report.tasks:
        for error in task.errors:
            where = [task.name]
            row = getattr(error, "row_number", None)
            if row is not None:
                where.append(f"row {row}")
            field_name = getattr(error, "field_name", None)
            if field_name:
                where.append(f"field {field_name}")
            messages.append(f"{' '.join(where)}: [{error.type}] {error.message}")
    return messages
