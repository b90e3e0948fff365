"""MkDocs hook: add the pages and data files generated from the data packages.

The package tree is ``$BUDGET_DATAPACKAGES`` if set, else ``datapackages/`` next to
mkdocs.yml. Pages are built by ``generator/publish.py``; this file only hands them to MkDocs.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.publish import pages as publish  # noqa: E402

log = logging.getLogger("mkdocs.hooks.budget_pages")
MARKER = "<!-- budget:documents -->"
_catalog: publish.Catalog | None = None


def on_files(files: Files, config) -> Files:
    global _catalog
    root = publish.datapackages_dir(config.config_file_path)
    if not (root / "all" / "documents.csv").is_file():
        # no packages yet (fresh clone before the package stage): an empty but valid site
        log.info("no data packages at %s; set %s to build from another folder", root, publish.ENV_VAR)
        _catalog = publish.Catalog(root=root)
    else:
        _catalog = publish.load_catalog(root)
        _catalog.documents_dir = publish.documents_dir(config.config_file_path)
        _catalog.build_status = publish.build_status(config.config_file_path)
        log.info("data packages: %s (%d documents)", root, len(_catalog.documents))
    # data files first: the downloads they start are made in other processes meanwhile
    data_files = publish.data_files(_catalog)
    for src_uri, content in publish.pages(_catalog).items():
        inclusion = InclusionLevel.INCLUDED if src_uri in publish.NAV_PAGES else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, src_uri, content=content, inclusion=inclusion))
    for src_uri, path in data_files.items():
        files.append(File.generated(config, src_uri, abs_src_path=str(path)))
    for src_uri, content in publish.generated_files(_catalog).items():
        files.append(File.generated(config, src_uri, content=content))
    return files


def on_env(env, config, files):
    """Right before MkDocs copies the files: the downloads made meanwhile must be there."""
    if _catalog is not None:
        publish.wait_for_downloads(_catalog)
    return env


def on_page_markdown(markdown: str, page, config, files) -> str:
    if page.file.src_uri == "index.md" and MARKER in markdown and _catalog is not None:
        return markdown.replace(MARKER, publish.home_listing(_catalog))
    return markdown
