"""Published URLs never disappear: compare a build with the one it replaces.

The previous build is read from the packages it published (``<datapackages>/all/
documents.csv``, ``bureaus.csv``, ``tables.csv``); the new one from the parsed records, before
anything is written. Site URLs, relative to the site root:

* ``bureaus/<bureau_id>/`` — a bureau page;
* ``documents/<document_id>/`` — a document page;
* ``documents/<document_id>/#table-<table>`` — a table on its document page.

Two ways a build can break a link, both refused before any output is touched:

* **removal** — a URL of the previous build is not in the new one (a file deleted or replaced,
  a document whose id changed). Allowed with ``--allow-removal``.
* **regression** — a document the previous build published (matched by source file name: the
  names its package lists in ``sources``, never a string split on a separator) now fails to
  parse, and no other file publishes it. Always an error: fix the parser, or take the file out
  of ``documents/`` and pass ``--allow-removal``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .publish.catalog import dict_reader
from .records import DocumentSummary, ParsedDocument, summarize


def bureau_url(bureau_id: str) -> str:
    return f"bureaus/{bureau_id}/"


def document_url(document_id: str) -> str:
    return f"documents/{document_id}/"


def table_url(document_id: str, table: str) -> str:
    return f"documents/{document_id}/#table-{table}"


@dataclass
class Published:
    """What one build published: its URLs, and which source file made which document."""

    urls: set[str] = field(default_factory=set)
    documents_by_file: dict[str, str] = field(default_factory=dict)  # source file → document_id


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(dict_reader(f))  # fields of any length, as the site reads them


def previous_build(datapackages: Path) -> Published | None:
    """The URLs of the build in ``datapackages`` (None when there is none yet)."""
    all_dir = Path(datapackages) / "all"
    if not (all_dir / "documents.csv").is_file():
        return None
    out = Published()
    for row in _rows(all_dir / "documents.csv"):
        out.urls.add(document_url(row["document_id"]))
        for name in _source_files(Path(datapackages), row):
            out.documents_by_file[name] = row["document_id"]
    if (all_dir / "bureaus.csv").is_file():
        out.urls.update(bureau_url(r["bureau_id"]) for r in _rows(all_dir / "bureaus.csv"))
    if (all_dir / "tables.csv").is_file():
        out.urls.update(table_url(r["document_id"], r["table"]) for r in _rows(all_dir / "tables.csv"))
    return out


def _source_files(datapackages: Path, row: dict[str, str]) -> list[str]:
    """The files of a published document, by its id: the ``sources`` its package lists, one
    entry per file (a name may hold ``;``, the separator of the source_files column). Without a
    readable package, the whole source_files cell, unsplit: a one-file document's name."""
    descriptor = datapackages / row["document_id"] / "datapackage.json"
    try:
        sources = json.loads(descriptor.read_text(encoding="utf-8"))["sources"]
        return [s["file"] for s in sources if isinstance(s.get("file"), str)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return [row["source_files"]] if row.get("source_files") else []


Documents = list[ParsedDocument] | list[DocumentSummary]


def new_build(docs: Documents) -> Published:
    out = Published()
    for d in map(summarize, docs):
        did = d.meta.document_id
        out.urls.add(document_url(did))
        out.urls.add(bureau_url(d.bureau.bureau_id))
        out.urls.update(table_url(did, table) for table in d.tables)
        for name in d.meta.source_files:
            out.documents_by_file[name] = did
    return out


@dataclass
class GuardResult:
    removed: list[str]  # URLs of the previous build missing from the new one, sorted
    regressions: list[str]  # "<file>: was <document_id>, now fails: <error>", sorted

    @property
    def ok(self) -> bool:
        return not self.removed and not self.regressions


class RemovalRefused(Exception):
    """The build would break published URLs; nothing was written."""

    def __init__(self, result: GuardResult, allow_removal: bool):
        self.result = result
        self.allow_removal = allow_removal
        super().__init__(self.message())

    def message(self) -> str:
        lines = []
        if self.result.regressions:
            lines.append(f"{len(self.result.regressions)} published document(s) now fail to parse "
                         "(an error even with --allow-removal):")
            lines += [f"  {r}" for r in self.result.regressions]
        if self.result.removed and not self.allow_removal:
            lines.append(f"this build would remove {len(self.result.removed)} published URL(s); "
                         "pass --allow-removal to remove them:")
            lines += [f"  {u}" for u in self.result.removed]
        return "\n".join(lines)


def compare(previous: Published | None, docs: Documents,
            failures: list[tuple[list[str], str]]) -> GuardResult:
    """``failures``: (source files, error) of every document that failed in the new build."""
    if previous is None:
        return GuardResult([], [])
    new = new_build(docs)
    removed = sorted(previous.urls - new.urls)
    regressions = []
    published_now = {d.meta.document_id for d in docs}
    for files, error in failures:
        for name in [*files, ";".join(files)]:  # the whole cell, where only documents.csv was read
            was = previous.documents_by_file.get(name)
            if was is not None and was not in published_now:
                regressions.append(f"{name}: was {was}, now fails: {error}")
                break
    return GuardResult(removed, sorted(regressions))


def check(datapackages: Path, docs: Documents, failures: list[tuple[list[str], str]],
          *, allow_removal: bool = False) -> GuardResult:
    """Raise ``RemovalRefused`` when the new build would break a published URL."""
    result = compare(previous_build(datapackages), docs, failures)
    if result.regressions or (result.removed and not allow_removal):
        raise RemovalRefused(result, allow_removal)
    return result
