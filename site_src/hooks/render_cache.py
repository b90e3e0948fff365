"""MkDocs hook: a page whose inputs did not change since a build is taken from the render cache
instead of being converted and templated again (generator/publish/render_cache.py decides when).

Listed in mkdocs.yml after budget_pages.py (its Markdown is final when this hook sees it) and
before pagefind_attrs.py (the HTML is stored before the Pagefind metas and filters, which depend on
the data and are added to every page, cached or not; the sections it hides from the search are
wrapped in the content, before it is stored). On a hit the page's Markdown becomes empty,
its template the one-line ``render_cache.html`` (site_src/overrides/) and its content the cached
HTML, so MkDocs writes the same bytes without the Markdown conversion or Material's template.

The cache is the folder ``html`` beside the chart cache (``BUDGET_CHART_CACHE``; set and empty:
no chart cache and no render cache). The build logs how many pages came from the cache and how
many were rendered (generator/publish/build.py repeats that line) and, when some of each, which
pages were rendered again.
"""
from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path, PurePath
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from generator.publish.render_cache import TEMPLATE, Entry, RenderCache, environment_fingerprint, page_key  # noqa: E402
from generator.publish.settings import SiteSettings  # noqa: E402

log = logging.getLogger("mkdocs.hooks.render_cache")


class _Warnings(logging.Handler):
    """Counts the warnings MkDocs logs (a page that logs one while it renders is not stored)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


_warnings = _Warnings()
_cache = RenderCache(None)
_fingerprint = ""
#: src_uri -> the page's state between its events: ("hit", entry) or ("miss", key, lookups, warnings)
_pages: dict[str, tuple] = {}
#: src_uri -> what a link to it finds, for every file of this build (made at the first page)
_found_by_uri: dict[str, list | None] | None = None


def on_config(config):
    global _cache, _found_by_uri
    _found_by_uri = None
    settings = SiteSettings.from_environ(config.config_file_path)
    _cache = RenderCache(settings.chart_cache.parent / "html" if settings.chart_cache else None)
    # a plugin (MkDocs' search, for one) may read a page's content or table of contents, which a
    # hit does not have: with any plugin but hooks, every page is rendered
    plugins = [name for name, plugin in config.plugins.items() if not isinstance(plugin, ModuleType)]
    if plugins:
        log.info("render cache off: plugins %s may read what a cached page does not have", plugins)
        _cache = RenderCache(None)
    _pages.clear()
    mkdocs_log = logging.getLogger("mkdocs")
    if _warnings not in mkdocs_log.handlers:
        mkdocs_log.addHandler(_warnings)
    return config


def _nav_text(items, depth: int = 0) -> str:
    out = []
    for item in items:
        url = getattr(item, "url", None) or ""
        out.append(f"{'  ' * depth}{type(item).__name__} {item.title!r} {url}")
        if getattr(item, "children", None):
            out.append(_nav_text(item.children, depth + 1))
    return "\n".join(out)


def on_nav(nav, config, files):
    global _fingerprint
    hooks = sorted(Path(__file__).parent.glob("*.py"))
    _fingerprint = environment_fingerprint(Path(config.config_file_path), config.theme.custom_dir,
                                           hooks, _nav_text(nav.items))
    return nav


def _found(file) -> list | None:
    """What a link's lookup found, as an entry keeps it."""
    return None if file is None else [file.url, file.inclusion.is_excluded()]


@functools.lru_cache(maxsize=None)
def _posix(path: str) -> str:
    """``path`` as the key Files looks a file up by (MkDocs: ``PurePath(path).as_posix()``);
    pages link to the same files over and over."""
    return PurePath(path).as_posix()


def on_page_markdown(markdown: str, page, config, files) -> str:
    global _found_by_uri
    if _found_by_uri is None:  # the files are complete once the pages are read
        _found_by_uri = {f.src_uri: _found(f) for f in files}
    key = page_key(_fingerprint, page.file.src_uri, page.url, page.file.inclusion.name,
                   dict(page.meta), markdown)
    entry = _cache.lookup(key, _found_by_uri.get)
    if entry is not None:
        _pages[page.file.src_uri] = ("hit", entry)
        page.meta["template"] = TEMPLATE
        return ""
    lookups: dict[str, list | None] = {}
    lookup = type(files).get_file_from_path

    def recording(path: str):
        file = lookup(files, path)
        lookups[_posix(path)] = _found(file)  # the key Files looks files up by
        return file

    files.get_file_from_path = recording  # the page's links look their targets up while it renders
    _pages[page.file.src_uri] = ("miss", key, lookups, _warnings.count)
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    state = _pages.get(page.file.src_uri)
    if state is None:
        return html
    if state[0] == "hit":
        entry: Entry = state[1]
        page._title_from_render = entry.title
        page.present_anchor_ids = set(entry.anchors)
        if page.links_to_anchors is not None:  # MkDocs keeps them unless it logs at DEBUG
            page.links_to_anchors = {files.get_file_from_path(src): dict(links)
                                     for src, links in entry.links_to_anchors.items()}
        return entry.html
    files.__dict__.pop("get_file_from_path", None)
    _, key, lookups, warnings = state
    stored = _warnings.count == warnings and all(found is not None for found in lookups.values())
    _pages[page.file.src_uri] = ("miss", key, lookups, warnings,
                                 {"lookups": lookups, "anchors": sorted(page.present_anchor_ids or ()),
                                  "links_to_anchors": {f.src_uri: dict(links) for f, links
                                                       in (page.links_to_anchors or {}).items()},
                                  "title": page._title_from_render} if stored else None)
    return html


def on_page_context(context, page, config, nav):
    state = _pages.get(page.file.src_uri)
    if state is not None and state[0] == "miss":  # the warnings its template may log start here
        _pages[page.file.src_uri] = (*state[:3], _warnings.count, state[4])
    return context


def on_post_page(output: str, page, config) -> str:
    state = _pages.pop(page.file.src_uri, None)
    if state is None:
        return output
    if state[0] == "hit":
        _cache.stats.hits += 1
        return output
    _cache.stats.misses += 1
    _cache.stats.missed.append(page.file.src_uri)
    _, key, _lookups, warnings, parts = state
    if parts is None or _warnings.count != warnings:
        _cache.stats.uncached += 1
    else:
        _cache.store(key, Entry(html=output, **parts))
    return output


def on_post_build(config):
    _cache.prune()
    stats = _cache.stats
    log.info("render cache: %d of %d pages from the cache; rendered %d (%d not stored)",
             stats.hits, stats.hits + stats.misses, stats.misses, stats.uncached)
    if stats.hits and stats.missed:  # a build after a change: which pages it changed
        log.info("render cache: rendered again: %s", ", ".join(sorted(stats.missed)))
    logging.getLogger("mkdocs").removeHandler(_warnings)
