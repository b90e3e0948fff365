"""Every generated page and file of the site, handed to MkDocs by the hook
``site_src/hooks/budget_pages.py`` (:func:`.build.build_site` runs MkDocs).

The hook calls, in this order: :func:`load_site` (the catalog of the configured package tree),
:func:`data_files` (files copied into the site; starts making the missing downloads in other
processes), :func:`pages` (the Markdown pages; draws the charts first), :func:`generated_files`
(table CSVs, chart SVGs and CSVs), and, before MkDocs copies the files,
:func:`wait_for_downloads`. This module loads the chart renderer (Altair, vl-convert);
:mod:`.build` runs MkDocs without loading it.
"""
from __future__ import annotations

import os
import weakref
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import downloads
from .catalog import Catalog, load_catalog
from .charts.codes import draw_code_charts
from .charts.records import Chart
from .charts.render import bureau_charts, comparison_charts, prune_cache
from .format import SAFE_ID
from .pages.bureau import bureaus_index_page
from .pages.changelog import changelog_page
from .pages.checks import checks_page
from .pages.codes import all_code_drafts, code_files, code_pages
from .pages.comparison import comparison_page
from .pages.data import data_page
from .pages.dictionary import dictionary_page
from .pages.findings import FINDINGS_PAGE, findings_page
from .pages.glossary import glossary_page
from .pages.links import CHARTS_DIR
from .pages.sources import source_files
from .pages.viewer import annotated_downloads, viewer_files
from .pool import process_pool
from .settings import REPO, SiteSettings, read_build_status
from .unit_cache import bureau_units

#: generated pages that mkdocs.yml lists in its nav (the others are reached by links)
NAV_PAGES = ("bureaus/index.md", "comparison.md", "codes/index.md", "data.md", "checks.md", "glossary.md",
             "dictionary.md", "changelog.md", "findings.md")
#: the reference pages, all at the site root
REFERENCE_PAGES = ("checks.md", "glossary.md", "dictionary.md", "changelog.md")


def load_site(settings: SiteSettings) -> Catalog:
    """The catalog of ``settings.datapackages`` with the build's source files and status; an
    empty catalog where there are no packages yet (a fresh clone: an empty but valid site)."""
    root = settings.datapackages
    if not (root / "all" / "documents.csv").is_file():
        return Catalog(root=root, settings=settings)
    cat = load_catalog(root, settings)
    cat.documents_dir = settings.documents
    cat.build_status = read_build_status(settings.build_status)
    return cat


#: (a weak reference to the config of the MkDocs build, its catalog)
_build: tuple[weakref.ref, Catalog] | None = None


def build_catalog(config, settings: SiteSettings) -> Catalog:
    """The catalog of the MkDocs build whose config is ``config`` (:func:`load_site`), read
    once per build: its hooks (the pages, the search attributes) share it; the next build
    (``mkdocs serve`` makes a config per build) reads the packages again."""
    global _build
    if _build is None or _build[0]() is not config:
        _build = (weakref.ref(config), load_site(settings))
    return _build[1]


# ------------------------------------------------------------------------------- pages


def charts_of(cat: Catalog, bureau_id: str | None) -> list[Chart]:
    """The charts of a bureau page (or of the comparison page for None), drawn once per build."""
    if bureau_id not in cat.charts:
        cat.charts[bureau_id] = comparison_charts(cat) if bureau_id is None \
            else bureau_charts(cat, bureau_id)
    return cat.charts[bureau_id]


def reference_pages(cat: Catalog, repo: Path) -> dict[str, str]:
    """src_uri -> Markdown of the four reference pages (all at the site root)."""
    return {"checks.md": checks_page(cat), "glossary.md": glossary_page(cat),
            "dictionary.md": dictionary_page(), "changelog.md": changelog_page(repo, cat)}


def pages(cat: Catalog) -> dict[str, str]:
    """Every generated Markdown page: src_uri -> content (home listing excluded, see hook).
    The bureau and document pages come from their units (:mod:`.unit_cache`: kept by content,
    made again only where their inputs changed)."""
    units = bureau_units(cat)  # draws the charts missing from the chart cache first, in parallel
    charts_of(cat, None)  # the comparison page shows them
    if cat.packages:
        draw_code_charts(cat, all_code_drafts(cat))  # the code pages' charts (pages.codes)
    out = {"bureaus/index.md": bureaus_index_page(cat), "data.md": data_page(cat),
           "comparison.md": comparison_page(cat)}
    out.update(reference_pages(cat, REPO))
    for bid in sorted(cat.bureaus):
        out[f"bureaus/{bid}.md"] = units.units[bid].pages[f"bureaus/{bid}.md"]
    for unit in units.units.values():
        out.update((uri, md) for uri, md in unit.pages.items() if uri.startswith("documents/"))
    out.update(code_pages(cat))
    out[FINDINGS_PAGE] = findings_page(cat)  # every failed, repaired and rounding check
    return out


# ------------------------------------------------------------------------------- files


def generated_files(cat: Catalog) -> dict[str, str | bytes]:
    """Files made at build time: the CSV of each table, each chart's SVG and CSV, each
    document's drill-down (:func:`.charts.drilldown.drilldown_files`)."""
    units = bureau_units(cat).units.values()  # each bureau's files, as its pages
    out: dict[str, str | bytes] = {}
    for unit in units:
        out.update(unit.tables)
    for unit in units:
        out.update(unit.charts)  # its SVG, phone and dark drawings, CSV
    for c in charts_of(cat, None):
        out.update(c.files(f"{CHARTS_DIR}/comparison"))
    for unit in units:
        out.update(unit.drilldowns)  # the treemap of each document, its narrow layout and CSV
    out.update(code_files(cat))  # the code pages' CSVs and charts (pages.codes)
    out.update(viewer_files(cat))  # the source pages the figures link to (pages.viewer)
    if cat.packages:  # every chart of the site is drawn: the cache can forget the others
        prune_cache(cat.settings.chart_cache)
    return out


def data_files(cat: Catalog) -> dict[str, Path]:
    """Files copied into the site: package files ``data/<package>/<file>`` and the source
    files ``sources/<document_id>.<ext>`` and the downloads -> path on disk."""
    out = dict(source_files(cat))
    out.update(download_files(cat))
    out.update(annotated_downloads(cat))  # the source PDFs with their failed checks boxed
    for package in cat.packages:
        for path in sorted((cat.root / package).iterdir()):
            if path.is_file() and path.suffix in (".csv", ".json") and SAFE_ID.match(path.name):
                out[f"data/{package}/{path.name}"] = path
    return out


def download_files(cat: Catalog) -> dict[str, Path]:
    """A zip of every package, an Excel workbook per package and the Parquet files of the
    package ``all`` (:mod:`.downloads`), kept in the cache folder of ``cat.settings`` by each
    package's content. Those not in the cache yet are made in other processes while MkDocs
    renders the pages (the combined workbook alone takes ~36 s for 500 documents): call
    :func:`wait_for_downloads` before the files are copied."""
    if not cat.packages:
        return {}
    out, missing = downloads.plan_downloads(cat.root, cat.settings.downloads_cache)
    if not missing:
        return out
    missing.sort(key=lambda item: item[0].name != "all")  # the combined package first: the largest
    pool = process_pool(max(1, min(len(missing), (os.cpu_count() or 1) - 1)))
    if pool is None:
        for folder, path in missing:
            downloads.make_download(folder, path)
        return out
    cat.pending_downloads = [(pool.submit(downloads.make_download, folder, path), folder, path)
                             for folder, path in missing]
    pool.shutdown(wait=False)  # the submitted files are still made
    return out


def wait_for_downloads(cat: Catalog) -> None:
    """Wait until the downloads :func:`download_files` started are written; raises the first
    error of any of them. One whose process died (the pool broke) is made here instead."""
    pending, cat.pending_downloads = cat.pending_downloads, []
    for future, folder, path in pending:
        try:
            future.result()
        except BrokenProcessPool:
            downloads.make_download(folder, path)
