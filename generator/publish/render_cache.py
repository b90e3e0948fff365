"""Rendered pages kept by content: which page MkDocs must render again and which it can take
from the cache, byte for byte (the hook ``site_src/hooks/render_cache.py`` applies it).

MkDocs has no incremental build: every page's Markdown is converted and put in Material's
template on every build (~60 ms a page, ~60 s for the ~1,000 pages of 500 documents). A page's
HTML (before the Pagefind metas and filters, which ``pagefind_attrs.py`` adds afterwards from the data)
depends on:

* its Markdown after the hooks (and its front matter), its source path, URL and inclusion;
* the build's environment (:func:`environment_fingerprint`): mkdocs.yml, every file of the
  theme overrides (``custom_dir``), the hooks that shape pages, this module, the versions of
  MkDocs, Material, Markdown, pymdown-extensions and Jinja2, and the nav (titles and URLs);
* every file the page's links look up while its Markdown is converted: whether it exists, its
  URL, whether it is excluded. Those lookups are recorded on a render and replayed before a hit
  (:meth:`RenderCache.lookup`): a page whose link target disappeared (or moved) is rendered
  again, so MkDocs warns about it as before and ``--strict`` fails.

A page whose render logged a warning, or one of whose links found nothing, is never stored, so
its warning comes back on every build. On a hit the hook also restores what MkDocs keeps from a
render for the whole-site checks (the anchors the page has, the anchors it links to, its
title), so the anchor validation after the pages runs as on a render.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from ..atomic import KEEP_UNUSED_SECONDS, remove_unused

#: bump when an entry's shape or what it stores changes
FORMAT = 1
#: the packages whose code makes a page's HTML (their versions are part of every key)
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe")
#: the one-line template that outputs a cached page as it is (site_src/overrides/)
TEMPLATE = "render_cache.html"

#: what a link's lookup found: None (no such file) or [url, excluded]
Found = list | None


def _hash_files(h: "hashlib._Hash", paths: list[Path], base: Path) -> None:
    for path in sorted(paths):
        h.update(str(path.relative_to(base)).encode("utf-8") + b"\0")
        h.update(path.read_bytes() + b"\0")


def environment_fingerprint(config_file: Path, overrides: Path | None, hooks: list[Path],
                            nav: str) -> str:
    """sha256 of everything outside a page that its HTML depends on: ``config_file``
    (mkdocs.yml), every file under ``overrides`` (the theme's custom_dir), the ``hooks``' source,
    this module, the versions of :data:`PACKAGES` and Python, and ``nav`` (the nav's titles and
    URLs, as the hook writes them)."""
    h = hashlib.sha256(f"render-cache {FORMAT}\0{sys.version_info[:2]}\0".encode())
    for name in PACKAGES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}={version}\0".encode())
    config_file = Path(config_file)
    _hash_files(h, [config_file], config_file.parent)
    if overrides is not None and Path(overrides).is_dir():
        _hash_files(h, [p for p in Path(overrides).rglob("*") if p.is_file()], Path(overrides))
    _hash_files(h, [Path(p) for p in hooks] + [Path(__file__)], Path("/"))
    h.update(nav.encode("utf-8"))
    return h.hexdigest()


def page_key(fingerprint: str, src_uri: str, url: str, inclusion: str, meta: dict, markdown: str) -> str:
    """The key of one page's inputs (its links' targets are checked apart, on lookup)."""
    head = json.dumps([FORMAT, fingerprint, src_uri, url, inclusion, meta], ensure_ascii=False,
                      sort_keys=True, default=repr)
    return hashlib.sha256(head.encode("utf-8") + b"\0" + markdown.encode("utf-8")).hexdigest()


@dataclass
class Entry:
    """One rendered page: its HTML (before the Pagefind metas), the lookups of its links
    (target source path -> what was found), its anchors, the anchors it links to in other pages
    (target source path -> anchor -> link as written) and the title its render found."""

    html: str
    lookups: dict[str, Found]
    anchors: list[str]
    links_to_anchors: dict[str, dict[str, str]]
    title: str | None


@dataclass
class Stats:
    """Counts of one build, for its log line."""

    hits: int = 0
    misses: int = 0
    uncached: int = 0  # rendered and not stored: a warning or a link that found nothing
    missed: list[str] = field(default_factory=list)


class RenderCache:
    """A folder of :class:`Entry` files named by :func:`page_key`; ``root`` None: no cache
    (every lookup misses, nothing is stored)."""

    def __init__(self, root: Path | None):
        self.root = Path(root) if root is not None else None
        self.used: set[Path] = set()
        self.stats = Stats()

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / f"{key}.json"

    def lookup(self, key: str, find) -> Entry | None:
        """The entry of ``key`` if there is one and every lookup it recorded finds the same
        today (``find(src_path)`` -> :data:`Found`); else None."""
        if self.root is None:
            return None
        path = self._path(key)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entry = Entry(**data)
        except (OSError, ValueError, TypeError):
            return None  # absent, or written by another version: rendered again
        if any(find(target) != found for target, found in entry.lookups.items()):
            return None
        self.used.add(path)
        try:
            os.utime(path)  # last used: a concurrent build's pruning keeps it
        except OSError:
            pass
        return entry

    def store(self, key: str, entry: Entry) -> None:
        """Write ``entry`` under ``key`` (atomically: a reader sees all of it or nothing)."""
        if self.root is None:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(entry.__dict__, f, ensure_ascii=False, sort_keys=True)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.used.add(path)

    def prune(self) -> None:
        """Drop the entries this build did not use that no build used for an hour (pages
        whose content or environment changed), as the chart and download caches do."""
        if self.root is not None and self.root.is_dir():
            remove_unused(sorted(self.root.iterdir()), self.used, KEEP_UNUSED_SECONDS)
