"""The bureau pages, their documents' pages and every file made from them alone, kept by content:
a bureau whose inputs did not change since a build is not made again (its Markdown, charts,
drill-downs and table CSVs are read from the cache).

A *unit* is one bureau: ``bureaus/<id>.md``, ``documents/<id>.md`` of each of its documents,
its charts (``charts/<bureau_id>/…``), its documents' drill-downs and per-table CSVs, and the
source pages its figures link to (:mod:`.pages.viewer` registers them for the viewer). A unit is
made from a catalog that holds that bureau and its documents only (:func:`restricted`), so what
it shows can depend on nothing else; its key (:func:`unit_key`) is everything that catalog
holds (the bureau's row, each document's row and rows of every resource, which of its files are
published or annotated, the check definitions), each document's package folder (the file names
and ``datapackage.json``, which carries every resource's sha256: the per-table CSVs and the
package version are read from there), and the code that makes it (every module of
``generator/`` and the versions of the libraries that draw charts and read PDFs).

On a cold build every unit is made (from its restricted catalog) and stored; a new document
makes its bureau's unit again, and only that one. The site-wide pages (home, 部门, comparison,
code pages, data, checks, findings) are made every build from the whole catalog.

The cache is the folder ``units`` beside the chart cache (``BUDGET_CHART_CACHE``; set and
empty: no cache), one pickle per unit key, pruned like the chart cache (entries no build used
for an hour).
"""
from __future__ import annotations

import hashlib
import marshal
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..atomic import KEEP_UNUSED_SECONDS, remove_unused
from .catalog import Catalog
from .charts.compare import comparison_drafts
from .charts.drafts import bureau_drafts
from .charts.drilldown import drilldown_files
from .charts.render import bureau_charts, draw_all
from .pages.bureau import bureau_page
from .pages.document import document_page
from .pages.links import CHARTS_DIR
from .pages.sources import published_sources, source_files, source_names, source_uri, table_files
from .pages.viewer import _pages as viewer_pages
from .pages.viewer import annotated_downloads, annotated_uri

#: bump when an entry's shape or what a unit holds changes
FORMAT = 1
#: libraries whose version changes what a unit holds (charts, the viewer's numbers)
LIBRARIES = ("altair", "vl-convert-python", "vega-datasets", "pdfplumber", "pdfminer.six", "pypdfium2", "pypdf")
GENERATOR = Path(__file__).resolve().parents[1]


def code_fingerprint() -> str:
    """sha256 of every module of ``generator/``, the versions of :data:`LIBRARIES` and Python."""
    h = hashlib.sha256(f"unit-cache {FORMAT}\0{sys.version_info[:2]}\0".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\0".encode())
    for path in sorted(GENERATOR.rglob("*.py")):
        h.update(path.relative_to(GENERATOR).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def _source_uris(doc: dict) -> list[str]:
    return [source_uri(doc, i) for i in range(len(source_names(doc)))]


def restricted(cat: Catalog, bureau_id: str, docs: list[dict] | None = None) -> Catalog:
    """A catalog of one bureau and its documents (``docs``: those of ``cat.documents`` whose
    bureau it is, in that order), with what the whole build decided for them (which source
    files are published, which annotated PDFs exist): what its unit is made from."""
    if docs is None:
        docs = [d for d in cat.documents if d["bureau_id"] == bureau_id]
    ids = [d["document_id"] for d in docs]
    uris = {u for d in docs for u in _source_uris(d)}
    annotated = {annotated_uri(d, i) for d in docs for i in range(len(source_names(d)))}
    paths = _viewer_paths(cat)
    if cat.published_sources is None:  # the same files: found once
        cat.published_sources = set(paths)
    sub = Catalog(root=cat.root, documents=docs, bureaus={bureau_id: cat.bureaus[bureau_id]},
                  by_document={k: cat.by_document[k] for k in ids if k in cat.by_document},
                  packages=[p for p in cat.packages if p in ids or p == "all"],
                  documents_dir=cat.documents_dir,
                  published_sources=published_sources(cat) & uris,
                  check_definitions=cat.check_definitions, check_severity=cat.check_severity,
                  check_suggestions=cat.check_suggestions, settings=cat.settings)
    sub.__dict__["_viewer_paths"] = {u: p for u, p in paths.items() if u in uris}
    sub.__dict__["_annotated"] = {u: p for u, p in annotated_downloads(cat).items() if u in annotated}
    return sub


def _viewer_paths(cat: Catalog) -> dict[str, Path]:
    """The published source files (uri -> path), found once per build (:mod:`.pages.viewer`)."""
    if "_viewer_paths" not in cat.__dict__:
        cat.__dict__["_viewer_paths"] = source_files(cat)
    return cat.__dict__["_viewer_paths"]


def _package_state(cat: Catalog, document_id: str) -> bytes:
    """The names of the files of a document's package folder and its ``datapackage.json``
    (every resource's sha256 and the version): what the pages read from that folder."""
    if document_id not in cat.packages:
        return b"-"
    folder = cat.root / document_id
    names = sorted(p.name for p in folder.iterdir())
    try:
        descriptor = (folder / "datapackage.json").read_bytes()
    except OSError:
        descriptor = b""
    return "\0".join(names).encode("utf-8") + b"\0\0" + descriptor


def unit_key(common: bytes, cat: Catalog, sub: Catalog, bureau_id: str) -> str:
    """The key of a unit: ``common`` (code and check definitions), then everything its
    restricted catalog ``sub`` holds and its documents' package folders."""
    h = hashlib.sha256(common)
    state = (bureau_id, sub.bureaus[bureau_id], sub.documents, sub.packages, sub.documents_dir is None,
             sorted(sub.published_sources or ()), sorted(sub.__dict__["_viewer_paths"]),
             sorted(sub.__dict__["_annotated"]))
    h.update(pickle.dumps(state, 5))
    for doc in sub.documents:
        did = doc["document_id"]
        h.update(marshal.dumps(sub.by_document.get(did)))  # 2× faster than pickle: ~80 MB at 500
        h.update(_package_state(cat, did))
    return h.hexdigest()


def _common(cat: Catalog) -> bytes:
    defs = (cat.check_definitions, cat.check_severity, cat.check_suggestions)
    return code_fingerprint().encode() + pickle.dumps(defs, 5)


@dataclass
class Unit:
    """What one bureau contributes to the site: pages (src_uri -> Markdown), its chart files,
    its documents' drill-down and table CSV files (site path -> text or bytes), and the source
    pages its figures link to ([document_id, file index, page])."""

    pages: dict[str, str]
    charts: dict[str, str | bytes]
    drilldowns: dict[str, str | bytes]
    tables: dict[str, str | bytes]
    viewer: list[list]


@dataclass
class Units:
    """Every unit of a build, in bureau order, and how many came from the cache."""

    units: dict[str, Unit] = field(default_factory=dict)
    hits: int = 0
    made: list[str] = field(default_factory=list)


class UnitCache:
    """A folder of :class:`Unit` pickles named by :func:`unit_key`; ``root`` None: no cache.
    Pickles (3× faster to read than JSON: ~230 KB a bureau, most of it chart SVGs): the folder
    is trusted like the code, as the parse cache is (generator/cache.py)."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root is not None else None
        self.used: set[Path] = set()

    def lookup(self, key: str) -> Unit | None:
        if self.root is None:
            return None
        path = self.root / f"{key}.pickle"
        try:
            unit = pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # absent, or written by another version: made again
        if not isinstance(unit, Unit):
            return None
        self.used.add(path)
        try:
            os.utime(path)  # last used: a concurrent build's pruning keeps it
        except OSError:
            pass
        return unit

    def store(self, key: str, unit: Unit) -> None:
        """Write ``unit`` under ``key`` atomically (a reader sees all of it or nothing)."""
        if self.root is None:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(unit, f, protocol=5)
            os.replace(tmp, self.root / f"{key}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.used.add(self.root / f"{key}.pickle")

    def prune(self) -> None:
        if self.root is not None and self.root.is_dir():
            remove_unused(sorted(self.root.iterdir()), self.used, KEEP_UNUSED_SECONDS)


def cache_of(cat: Catalog) -> UnitCache:
    chart_cache = cat.settings.chart_cache
    return UnitCache(chart_cache.parent / "units" if chart_cache is not None else None)


def make_unit(sub: Catalog, bureau_id: str) -> Unit:
    """Make a unit from its restricted catalog (its charts read from the chart cache, or drawn)."""
    sub.charts[bureau_id] = bureau_charts(sub, bureau_id)
    pages = {f"bureaus/{bureau_id}.md": bureau_page(sub, bureau_id)}
    for d in sub.documents:
        pages[f"documents/{d['document_id']}.md"] = document_page(sub, d["document_id"])
    charts: dict[str, str | bytes] = {}
    for c in sub.charts[bureau_id]:
        charts.update(c.files(f"{CHARTS_DIR}/{bureau_id}"))
    return Unit(pages=pages, charts=charts, drilldowns=drilldown_files(sub), tables=table_files(sub),
                viewer=[list(p) for p in viewer_pages(sub)])


def bureau_units(cat: Catalog) -> Units:
    """Every bureau's unit, from the cache where its key is there, else made and stored. The
    charts of the units to make (and the comparison charts) missing from the chart cache are
    drawn first, in parallel. The source pages the units' figures link to are registered on
    ``cat`` for the viewer. Kept on ``cat`` for the build."""
    if "_units" in cat.__dict__:
        return cat.__dict__["_units"]
    cache = cache_of(cat)
    annotated_downloads(cat)  # once, for the whole build (its pruning needs every document)
    common = _common(cat) if cache.root is not None else b""
    result, todo = Units(), []
    by_bureau: dict[str, list[dict]] = {}
    for d in cat.documents:
        by_bureau.setdefault(d["bureau_id"], []).append(d)
    for bid in sorted(cat.bureaus):
        sub = restricted(cat, bid, by_bureau.get(bid, []))
        key = unit_key(common, cat, sub, bid) if cache.root is not None else ""
        unit = cache.lookup(key) if key else None
        if unit is None:
            todo.append((bid, sub, key))
            result.units[bid] = None  # keeps the bureau order
        else:
            result.units[bid] = unit
            result.hits += 1
    if todo and cat.packages and cat.settings.chart_cache is not None:
        drafts = [d for bid, sub, _ in todo for d in bureau_drafts(sub, bid)] + comparison_drafts(cat)
        draw_all(drafts, cat.settings.chart_cache)
    for bid, sub, key in todo:
        unit = make_unit(sub, bid)
        if key:
            cache.store(key, unit)
        result.units[bid] = unit
        result.made.append(bid)
    for unit in result.units.values():
        for did, index, page in unit.viewer:
            viewer_pages(cat).setdefault((did, index, page), None)
    cache.prune()
    cat.__dict__["_units"] = result
    return result
