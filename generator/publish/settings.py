"""Where the site reads from and caches to: one typed settings object, made in one place.

The site is configured by seven environment variables (a bare ``mkdocs build`` has no other
way to be told; the README documents ``BUDGET_DATAPACKAGES``, the pipeline and the benchmarks
set the others). :meth:`SiteSettings.from_environ` is the only code that reads them;
everything else takes a :class:`SiteSettings` (the :class:`~generator.publish.catalog.Catalog`
carries it), and :func:`~generator.publish.site.build_site` hands it to the MkDocs process
with :meth:`SiteSettings.to_environ`.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
MKDOCS_YML = REPO / "mkdocs.yml"

DATAPACKAGES_VAR = "BUDGET_DATAPACKAGES"  # the package tree (else datapackages/ next to mkdocs.yml)
DOCUMENTS_VAR = "BUDGET_DOCUMENTS"  # the source files, copied into the site under sources/
STATUS_VAR = "BUDGET_BUILD_STATUS"  # status.json of the build (generator/report.py)
DOWNLOADS_CACHE_VAR = "BUDGET_DOWNLOADS_CACHE"  # zips and workbooks kept by content
CHART_CACHE_VAR = "BUDGET_CHART_CACHE"  # drawn SVGs kept by content; set and empty: no cache
PAGE_CACHE_VAR = "BUDGET_PAGE_CACHE"  # source pages rendered for the viewer; set and empty: no cache
PREVIOUS_SITE_VAR = "BUDGET_PREVIOUS_SITE"  # the published site a staged build replaces (files linked from it)


@dataclass(frozen=True)
class SiteSettings:
    """Inputs and caches of one site build.

    ``datapackages``: the package tree (DATA-CONTRACT.md); ``documents``: the source files the
    pages link to; ``build_status``: the build's ``status.json`` (documents that failed to
    read; may not exist); ``downloads_cache``: where zips and workbooks are kept by content;
    ``chart_cache``: where drawn SVGs are kept by content, None for no cache."""

    datapackages: Path
    documents: Path
    build_status: Path
    downloads_cache: Path
    chart_cache: Path | None
    #: rendered source pages and their numbers, kept by the PDF's sha256 (pdfpages), None for no cache
    page_cache: Path | None = None
    #: the published site the build replaces (the pipeline builds into a staging folder and swaps
    #: it in): a file whose bytes are already there is hard-linked from it instead of written
    #: (``atomic.link_unchanged``); None: every file written
    previous_site: Path | None = None

    @classmethod
    def from_environ(cls, config_file: str | os.PathLike | None = None,
                     environ: Mapping[str, str] | None = None) -> SiteSettings:
        """The settings of the ``BUDGET_*`` variables of ``environ`` (default ``os.environ``);
        an unset variable means: next to ``config_file`` (mkdocs.yml; default this checkout)
        for the inputs, under the checkout's ``.cache/`` for the caches."""
        env = os.environ if environ is None else environ
        base = Path(config_file).resolve().parent if config_file else REPO

        def path(var: str, default: Path) -> Path:
            return Path(env[var]).resolve() if env.get(var) else default

        chart_cache = env.get(CHART_CACHE_VAR, str(REPO / ".cache" / "charts"))
        page_cache = env.get(PAGE_CACHE_VAR, str(REPO / ".cache" / "pages"))
        return cls(datapackages=path(DATAPACKAGES_VAR, base / "datapackages"),
                   documents=path(DOCUMENTS_VAR, base / "documents"),
                   build_status=Path(env[STATUS_VAR]) if env.get(STATUS_VAR) else base / "build" / "status.json",
                   downloads_cache=Path(env[DOWNLOADS_CACHE_VAR]) if env.get(DOWNLOADS_CACHE_VAR)
                   else REPO / ".cache" / "downloads",
                   chart_cache=Path(chart_cache) if chart_cache else None,
                   page_cache=Path(page_cache) if page_cache else None,
                   previous_site=path(PREVIOUS_SITE_VAR, None))

    @classmethod
    def defaults(cls, config_file: str | os.PathLike | None = None) -> SiteSettings:
        """The settings with no variable set."""
        return cls.from_environ(config_file, environ={})

    def to_environ(self) -> dict[str, str]:
        """The variables that make :meth:`from_environ` in another process return these
        settings (absolute paths: that process may run elsewhere)."""
        return {DATAPACKAGES_VAR: str(Path(self.datapackages).resolve()),
                DOCUMENTS_VAR: str(Path(self.documents).resolve()),
                STATUS_VAR: str(Path(self.build_status).resolve()),
                DOWNLOADS_CACHE_VAR: str(Path(self.downloads_cache).resolve()),
                CHART_CACHE_VAR: str(Path(self.chart_cache).resolve()) if self.chart_cache else "",
                PAGE_CACHE_VAR: str(Path(self.page_cache).resolve()) if self.page_cache else "",
                PREVIOUS_SITE_VAR: str(Path(self.previous_site).resolve()) if self.previous_site else ""}


def read_build_status(path: Path) -> list[dict]:
    """The documents of a build's ``status.json``, or [] when there is none or it cannot be
    read."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    docs = data.get("documents") if isinstance(data, dict) else None
    return [d for d in docs if isinstance(d, dict)] if isinstance(docs, list) else []
