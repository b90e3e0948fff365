"""The package tree as the site reads it: :class:`Catalog` and :func:`load_catalog`.

Input: a package tree as in DATA-CONTRACT.md (``all/*.csv`` plus one folder per document);
:data:`READS` lists every column the site reads. Nothing else from the pipeline is read.
"""
from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .format import check_id, year_number
from .settings import DATAPACKAGES_VAR, SiteSettings

#: resources of the contract, in the order the data page lists them
RESOURCES = ("documents", "bureaus", "tables", "function_expenditure", "economic_expenditure",
             "summary", "three_public", "projects", "performance_targets", "checks",
             "narrative", "glossary", "facts")

#: every column this stage reads, per resource of ``all/`` (the package stage must keep them;
#: tests/test_publish.py checks the fixture and, when present, the committed ``datapackages/``).
#: Rows are shown in file order. From each package folder every ``*.csv`` / ``*.json`` is
#: copied to ``data/<folder>/``, and ``datapackage.json`` ``resources[].path`` is listed.
READS = {
    "documents": ("document_id", "bureau_id", "title", "year", "phase", "scope", "source_files",
                  "source_unit", "source_format"),
    "bureaus": ("bureau_id", "name", "province", "prefecture", "county", "level", "division_code"),
    "tables": ("document_id", "table", "title", "source_page", "rows", "empty", "empty_reason"),
    "function_expenditure": ("document_id", "table", "code", "name", "level", "total", "basic",
                             "project"),
    "economic_expenditure": ("document_id", "table", "code", "name", "level", "total", "personnel",
                             "public"),
    "summary": ("document_id", "table", "side", "item", "amount"),
    "three_public": ("document_id", "item", "measure", "amount", "table"),
    "projects": ("document_id", "project", "unit", "amount"),
    "performance_targets": ("document_id", "project", "level1", "level2", "indicator", "target",
                            "actual"),
    "checks": ("document_id", "check", "status", "table", "expected", "actual", "message", "severity",
               "waiver"),
    "narrative": ("document_id", "topic", "amount", "sentence"),
    "glossary": ("document_id", "term", "definition"),
    # every figure outside the table-by-table view of a document (generator.publish.figures)
    "facts": ("document_id", "measure", "dimension", "code", "part", "name", "level", "amount",
              "source_table", "source_page", "basis", "conflict", "read_by", "certainty"),
    "check_definitions": ("check", "description", "severity", "suggestion"),
}


@dataclass
class Catalog:
    """The package tree as read from disk: rows of ``all/`` keyed by resource, grouped by
    document, plus the folders of the per-document packages, and the settings of the build."""

    root: Path
    documents: list[dict] = field(default_factory=list)
    bureaus: dict[str, dict] = field(default_factory=dict)
    by_document: dict[str, dict[str, list[dict]]] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)  # folder names, "all" first
    documents_dir: Path | None = None  # where the source files are, to publish them
    build_status: list[dict] = field(default_factory=list)  # status.json of the build, if any
    #: work done once per build for many pages: drawn charts by bureau (None: comparison),
    #: the source files published
    charts: dict[str | None, list] = field(default_factory=dict, repr=False)
    published_sources: set[str] | None = field(default=None, repr=False)
    #: downloads being made in other processes: (future, package folder, file)
    #: (:func:`generator.publish.site.download_files`)
    pending_downloads: list = field(default_factory=list, repr=False)
    #: check id -> what it checks, in Chinese, in the order of ``all/check_definitions.csv``
    check_definitions: dict[str, str] = field(default_factory=dict)
    #: check id -> its severity (error | warning | note) and the publisher's suggested fix
    check_severity: dict[str, str] = field(default_factory=dict)
    check_suggestions: dict[str, str] = field(default_factory=dict)
    #: caches and inputs of the build (:class:`~generator.publish.settings.SiteSettings`)
    settings: SiteSettings = field(default_factory=SiteSettings.defaults, repr=False)

    def document(self, document_id: str) -> dict:
        return next(d for d in self.documents if d["document_id"] == document_id)

    def rows(self, document_id: str, resource: str) -> list[dict]:
        return self.by_document.get(document_id, {}).get(resource, [])

    def documents_of(self, bureau_id: str) -> list[dict]:
        docs = [d for d in self.documents if d["bureau_id"] == bureau_id]
        return sorted(docs, key=lambda d: (-year_number(d["year"]), d["phase"], d["scope"], d["document_id"]))

    def csv_path(self, package: str, resource: str) -> Path | None:
        path = self.root / package / f"{resource}.csv"
        return path if path.is_file() else None


#: the longest field a package CSV may hold, for the csv module (its default is 128 KiB, which
#: one long sentence of a narrative passes): as long as a str can be on any platform
FIELD_LIMIT = 2**31 - 1


def no_field_limit() -> None:
    """Let the csv module read a field of any length in this process (pools and workers call
    it too, through the readers below)."""
    if csv.field_size_limit() < FIELD_LIMIT:
        csv.field_size_limit(FIELD_LIMIT)


def csv_reader(lines: Iterable[str]) -> Iterator[list[str]]:
    """Rows of a package CSV (an open file or lines of text), every field read back whole as
    written, however long: with :func:`dict_reader`, the one way the site (and the URL guard)
    reads a package CSV."""
    no_field_limit()
    return csv.reader(lines)


def dict_reader(lines: Iterable[str]) -> csv.DictReader:
    """``csv.DictReader`` of a package CSV, fields read whole as in :func:`csv_reader`."""
    no_field_limit()
    return csv.DictReader(lines)


def read_csv(path: Path) -> list[dict]:
    """The rows of a package CSV file (:func:`dict_reader`)."""
    with path.open(encoding="utf-8", newline="") as f:
        return list(dict_reader(f))


def load_catalog(root: Path, settings: SiteSettings | None = None) -> Catalog:
    """Read ``root/all/*.csv`` and list the package folders; missing optional resources
    (anything but documents and bureaus) read as empty. ``settings`` default: none set."""
    root = Path(root)
    cat = Catalog(root=root, settings=settings or SiteSettings.defaults())
    all_dir = root / "all"
    if not (all_dir / "documents.csv").is_file():
        raise FileNotFoundError(f"{all_dir / 'documents.csv'}: no data packages here "
                                f"(set {DATAPACKAGES_VAR} or run the package stage)")
    cat.documents = read_csv(all_dir / "documents.csv")
    for d in cat.documents:
        check_id("document_id", d["document_id"], all_dir / "documents.csv")
        check_id("bureau_id", d["bureau_id"], all_dir / "documents.csv")
    cat.documents.sort(key=lambda d: (d["bureau_id"], -year_number(d["year"]), d["phase"], d["document_id"]))
    for b in read_csv(all_dir / "bureaus.csv"):
        cat.bureaus[check_id("bureau_id", b["bureau_id"], all_dir / "bureaus.csv")] = b
    for d in cat.documents:  # a document whose bureau row is missing still gets a page
        cat.bureaus.setdefault(d["bureau_id"], {"bureau_id": d["bureau_id"], "name": d["bureau_id"]})
    grouped: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for resource in RESOURCES[2:]:
        path = all_dir / f"{resource}.csv"
        if path.is_file():
            for row in read_csv(path):
                grouped[row.get("document_id", "")][resource].append(row)
    cat.by_document = {k: dict(v) for k, v in grouped.items()}
    folders = sorted(p.name for p in root.iterdir()
                     if p.is_dir() and (p / "datapackage.json").is_file() and p.name != "all")
    for name in folders:
        check_id("package folder", name, root / name)
    cat.packages = ["all"] * (all_dir / "datapackage.json").is_file() + folders
    if (all_dir / "check_definitions.csv").is_file():
        definitions = read_csv(all_dir / "check_definitions.csv")
        cat.check_definitions = {r.get("check", ""): r.get("description", "") for r in definitions}
        cat.check_severity = {r.get("check", ""): r["severity"] for r in definitions if r.get("severity")}
        cat.check_suggestions = {r.get("check", ""): r["suggestion"] for r in definitions if r.get("suggestion")}
    return cat
