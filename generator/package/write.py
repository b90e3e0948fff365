"""Package stage, writing: records (or their summaries) → the package tree, atomically.

``write_packages`` writes ``out_dir/<document_id>/`` (one package per document) and
``out_dir/all/`` (every document together), each a ``datapackage.json`` plus one CSV per
resource of ``schemas.RESOURCES`` (DATA-CONTRACT.md). Everything is written to a temporary
sibling directory first and swapped in at the end, so a failed build leaves the previous
``out_dir`` as it was. Output is byte-for-byte deterministic. ``validate_package`` runs
Frictionless on a written package.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..atomic import link_unchanged, swap_in
from ..records import DocumentSummary, ParsedDocument, summarize
from .cache import PackageCache, package_key
from .codelists import codelists
from .descriptors import build_package, document_title, json_text, package_descriptor
from .rows import PackageError, bureau_row, check_definitions, csv_text, document_to_rows
from .schemas import RESOURCES

ALL = "all"  # name of the combined package (and its directory)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

#: resources whose ``all`` rows are the documents' rows one after the other
_CONCATENATED = tuple(spec.name for spec in RESOURCES
                      if spec.name not in ("bureaus", "function_codes", "economic_codes", "check_definitions"))


def _body(csv_bytes: bytes) -> bytes:
    """A CSV without its header line."""
    return csv_bytes.split(b"\n", 1)[1] if b"\n" in csv_bytes else b""


@dataclass
class PackageReport:
    """What ``write_packages`` wrote."""

    out_dir: Path
    packages: list[str] = field(default_factory=list)  # package names: document ids, then "all"
    rows: dict[str, int] = field(default_factory=dict)  # rows per resource in the "all" package


@dataclass
class _Corpus:
    """What every package shares: the corpus-wide code lists and the check definitions."""

    function_codes: list[dict[str, Any]]
    economic_codes: list[dict[str, Any]]
    definitions: list[dict[str, Any]]


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
    corpus = _Corpus(*codelists(ordered), check_definitions())
    per_doc_files: list[tuple[str, dict[str, bytes]]] = []
    counts: dict[str, int] = {name: 0 for name in _CONCATENATED}
    for summary in ordered:
        key = package_key(summary, generator_version, parse_fingerprint) if cache else ""
        hit = cache.get(key) if cache else None
        if cache:
            cache.used.add(key)
        if hit is None:
            doc = records.get(summary.meta.document_id)
            if doc is None:
                doc = _load(summary, load)
            files, doc_counts = _document_package(doc, corpus, generator_version)
            if cache:
                cache.put(key, files, doc_counts)
        else:
            files, doc_counts = hit
        per_doc_files.append((summary.meta.document_id, files))
        for name in _CONCATENATED:
            counts[name] += doc_counts[name]
    combined: dict[str, list[dict[str, Any]]] = {
        "bureaus": _combine_bureaus([(d.meta.document_id, bureau_row(d)) for d in ordered]),
        "function_codes": corpus.function_codes, "economic_codes": corpus.economic_codes,
        "check_definitions": corpus.definitions}
    all_files = _all_package(ordered, combined, per_doc_files, generator_version)
    report = PackageReport(out_dir=out_dir, rows={**counts, **{k: len(v) for k, v in combined.items()}})
    _write_tree(out_dir, [*per_doc_files, (ALL, all_files)], previous, report)
    if cache:
        cache.prune()
    return report


def _load(summary: DocumentSummary, load: Callable[[DocumentSummary], ParsedDocument] | None):
    if load is None:
        raise PackageError(f"document {summary.meta.document_id!r}: only its summary was given, "
                           "and no loader")
    return load(summary)


def _document_package(doc: ParsedDocument, corpus: _Corpus,
                      generator_version: str) -> tuple[dict[str, bytes], dict[str, int]]:
    """The files of one document's package, and its rows per concatenated resource."""
    rows = document_to_rows(doc)
    # its own code lists: the names this document prints, so its package depends on it
    # alone (the corpus-wide lists, with every name variant, are in ``all``)
    own_fn, own_ec = codelists([doc])
    rows.update(function_codes=own_fn, economic_codes=own_ec, check_definitions=corpus.definitions)
    files = build_package(doc.meta.document_id, document_title(doc),
                          f"{doc.meta.title}：开放数据（金额单位：万元）。", [doc], rows, generator_version)
    return files, {name: len(rows[name]) for name in _CONCATENATED}


def _all_package(ordered: list[DocumentSummary], combined: dict[str, list[dict[str, Any]]],
                 per_doc_files: list[tuple[str, dict[str, bytes]]],
                 generator_version: str) -> dict[str, bytes]:
    """The files of the ``all`` package: the combined reference rows, then every document's
    rows of each concatenated resource in document order (from their packages' CSV bodies)."""
    all_files = {f"{spec.name}.csv": csv_text(spec, combined.get(spec.name, ())).encode("utf-8")
                 for spec in RESOURCES}
    for name in _CONCATENATED:  # header once, then every document's rows in document order
        all_files[f"{name}.csv"] += b"".join(_body(files[f"{name}.csv"]) for _, files in per_doc_files)
    descriptor = package_descriptor(
        ALL, "预算决算公开数据（全部文件）",
        f"全部 {len(ordered)} 份预算决算公开文件的开放数据（金额单位：万元）。",
        ordered, all_files, generator_version)
    all_files["datapackage.json"] = json_text(descriptor).encode("utf-8")
    return all_files


def _write_tree(out_dir: Path, packages: list[tuple[str, dict[str, bytes]]],
                previous: Path | None, report: PackageReport) -> None:
    """Write ``packages`` (name, files) into a temporary sibling of ``out_dir``, then swap it in."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        prev = Path(previous) if previous is not None and Path(previous).is_dir() else None
        for name, files in packages:
            _write_files(tmp / name, files, prev / name if prev else None)
            report.packages.append(name)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
        swap_in(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_files(directory: Path, files: dict[str, bytes], previous: Path | None = None) -> None:
    """Write a package's files; a file whose bytes are already in the ``previous`` tree is
    hard-linked from it instead (the old tree is never modified, only its names are removed
    when the new tree is swapped in), which makes rebuilding an unchanged package cheap."""
    directory.mkdir(parents=True)
    for file_name in sorted(files):
        data, path = files[file_name], directory / file_name
        if not link_unchanged(path, previous / file_name if previous is not None else None, data):
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


def _combine_bureaus(per_doc: list[tuple[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per bureau_id; two documents that disagree about a bureau are an error."""
    bureaus: dict[str, tuple[str, dict[str, Any]]] = {}
    for did, row in per_doc:
        bid = row["bureau_id"]
        if bid in bureaus and bureaus[bid][1] != row:
            other, first = bureaus[bid]
            raise PackageError(
                f"bureau {bid!r} differs between documents {other!r} and {did!r}: "
                f"{first} != {row}"
            )
        bureaus.setdefault(bid, (did, row))
    return [row for _, (_, row) in sorted(bureaus.items())]


# ------------------------------------------------------------------------ validation


def validate_package(path: Path) -> list[str]:
    """Frictionless validation of a package directory (or its datapackage.json).

    Returns one message per error, naming resource, row and field; empty when valid.
    """
    import frictionless  # a quarter second to import: only when validating

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
