"""MkDocs hook: add the pages and data files generated from the data packages.

The settings come from the environment (``SiteSettings.from_environ``): the package tree is
``$BUDGET_DATAPACKAGES`` if set, else ``datapackages/`` next to mkdocs.yml. Pages are built by
``generator/publish/``; this file only hands them to MkDocs.

A build that replaces a published site (``SiteSettings.previous_site``: the pipeline's) writes
every file through :mod:`generator.publish.previous_site`, which links the unchanged ones from the
published site: the generated files through :class:`PublishedFile`, MkDocs' pages, theme files
and sitemap through ``mkdocs.utils.write_file`` and ``copy_file``, replaced for the build.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs import utils as mkdocs_utils
from mkdocs.structure.files import File, Files, InclusionLevel

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.publish import site  # noqa: E402
from generator.publish.catalog import Catalog  # noqa: E402
from generator.publish.pages.home import home_listing  # noqa: E402
from generator.publish.previous_site import PreviousSite, previous_site  # noqa: E402
from generator.publish.settings import DATAPACKAGES_VAR, SiteSettings  # noqa: E402

log = logging.getLogger("mkdocs.hooks.budget_pages")
MARKER = "<!-- budget:documents -->"
_catalog: Catalog | None = None
#: writes the files of a build that replaces a published site (SiteSettings.previous_site)
_published: PreviousSite | None = None
#: MkDocs' own writers, which the pages, the theme's files and the sitemap go through
_MKDOCS_WRITERS = {"write_file": mkdocs_utils.write_file, "copy_file": mkdocs_utils.copy_file}


class PublishedFile(File):
    """A generated file (its content made by the generator, or a file on disk) written by
    :data:`_published` when the build replaces a published site (linked from it where the bytes
    are the same): most of a rebuild's ~30,000 files (data, charts, downloads) did not change."""

    def copy_file(self, dirty: bool = False) -> None:
        if _published is None or dirty:
            return super().copy_file(dirty)
        content = self._content
        if content is None:
            _published.copy(self.abs_src_path, self.abs_dest_path)
        else:
            _published.write(self.abs_dest_path, content.encode("utf-8") if isinstance(content, str) else content)


class CopiedFile(PublishedFile):
    """A file published as it is, never rendered as a page, whatever its name ends with: a
    disclosure written in Markdown (``sources/<document_id>.md``) keeps its name and bytes, and
    links to it resolve as to any other file (MkDocs decides "page or not" by this method only:
    ``Files.documentation_pages``, ``copy_static_files`` and the destination path)."""

    def is_documentation_page(self) -> bool:
        return False


def on_files(files: Files, config) -> Files:
    global _catalog, _published
    settings = SiteSettings.from_environ(config.config_file_path)
    _published = previous_site(settings.previous_site, config.site_dir)
    if _published is not None:  # every file of the build goes through it (see previous_site.py)
        mkdocs_utils.write_file = lambda content, output_path: _published.write(output_path, content)
        mkdocs_utils.copy_file = _published.copy
    _catalog = site.build_catalog(config, settings)  # shared with pagefind_attrs.py
    if not _catalog.documents:
        # no packages yet (fresh clone before the package stage): an empty but valid site
        log.info("no data packages at %s; set %s to build from another folder", settings.datapackages,
                 DATAPACKAGES_VAR)
    else:
        log.info("data packages: %s (%d documents)", settings.datapackages, len(_catalog.documents))
    # data files first: the downloads they start are made in other processes meanwhile
    data_files = site.data_files(_catalog)
    for src_uri, content in site.pages(_catalog).items():
        inclusion = InclusionLevel.INCLUDED if src_uri in site.NAV_PAGES else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))  # pages: written by MkDocs
    units = site.bureau_units(_catalog)  # made by site.pages: how many came from the cache
    log.info("unit cache: %d of %d bureaus from the cache (their pages, charts and files); made %d%s",
             units.hits, len(units.units), len(units.made),
             f": {', '.join(units.made)}" if units.hits and units.made else "")
    for src_uri, path in data_files.items():
        files.append(CopiedFile.generated(config, src_uri, abs_src_path=str(path)))
    for src_uri, content in site.generated_files(_catalog).items():
        files.append(PublishedFile.generated(config, src_uri, content=content))
    return files


def on_env(env, config, files):
    """Right before MkDocs copies the files: the downloads made meanwhile must be there."""
    if _catalog is not None:
        site.wait_for_downloads(_catalog)
    return env


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri == "index.md" and MARKER in markdown and _catalog is not None:
        return markdown.replace(MARKER, home_listing(_catalog))
    return markdown


def _restore_writers() -> None:
    global _published
    for name, writer in _MKDOCS_WRITERS.items():
        setattr(mkdocs_utils, name, writer)
    if _published is not None:
        log.info("site files: %d linked from the published site (same bytes), %d written",
                 _published.linked, _published.written)
    _published = None


def on_post_build(config):
    _restore_writers()


def on_build_error(error):
    _restore_writers()
