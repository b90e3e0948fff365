"""MkDocs hook: the long tables of a page written as HTML by this hook instead of by
Python-Markdown, byte for byte as Python-Markdown and MkDocs write them.

A page that lists every document (核对结果, each code page, 部门比较, 首页, 部门) holds tables of
hundreds or thousands of rows; Python-Markdown runs its inline patterns over every cell and
MkDocs then resolves every link (核对结果 at 500 documents: 8,800 rows, 26,000 links, ~3.5 s of
Markdown alone). These pages change whenever a document is added. For a page the render cache
(``render_cache.py``) did not take from its cache, this hook replaces each top-level table of at
least :data:`MIN_ROWS` rows by a placeholder comment before the Markdown is converted, and puts
the table's HTML in its place after: ``<table>``, ``<thead>``, one ``<tr>`` per row, the
alignment as ``style="text-align: right;"``, each cell's text as it is and each link ``[text](path)``
as ``<a href="...">`` with the URL MkDocs would write (the target file's URL relative to the
page's, the anchor kept, the attribute escaped as Python-Markdown escapes it).

The converted cells are a subset of Markdown whose output is known exactly: page text escaped by
``publish.format.esc`` (character references), inline tags such as ``<br>``, ``<wbr>`` and
``<code class="…">``, links whose text holds no brackets, and ``_`` only after a letter or digit
(never emphasis). A table with any other cell, a link that is absolute or whose target is not a
file of the build (or is excluded from it), or a table inside a raw HTML block is left to
Python-Markdown, so MkDocs warns about a broken link exactly as before and ``mkdocs build
--strict`` fails. Every link is looked up in the build's files as MkDocs looks it up (the render
cache records those lookups and replays them before a hit), and the anchors links point to are
registered on the page as MkDocs registers them, so its anchor validation covers these links too.

Event priorities: the Markdown is converted after the render cache's ``on_page_markdown`` (a page
from the cache is not converted at all) and the HTML put in before its ``on_page_content`` (so
what it stores is the finished page).
"""
from __future__ import annotations

import hashlib
import logging
import posixpath
import re
from urllib.parse import unquote, urlsplit, urlunsplit

from markdown.serializers import _escape_attrib_html
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

#: tables with fewer body rows are left to Python-Markdown (not worth it)
MIN_ROWS = 30

_LINK = r"\[(?P<label>[^\[\]]*)\]\((?P<target>[^()\s<>\"'\\]*)\)"
_TAG = r"</?[a-zA-Z][a-zA-Z0-9]*(?: [a-zA-Z-]+=\"[^\"<>&*_`\\\[\]{}]*\")*>"
_ENTITY = r"&(?:#[0-9]+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);"
_TEXT = r"[^\\`*_\[\]()<>&!{}|\x00-\x1f]+|(?<=[A-Za-z0-9])_"
_CELL = re.compile(f"(?P<link>{_LINK})|(?P<tag>{_TAG})|(?P<entity>{_ENTITY})|(?P<text>{_TEXT})")
_LABEL = re.compile(f"(?:{_TAG}|{_ENTITY}|{_TEXT})*")
_SEPARATOR = re.compile(r"^:?-+:?$")
_OPEN_BLOCK = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b")
_ID = re.compile(r"\sid=")

#: src_uri -> the HTML of each placeholder of the page being rendered, and its anchored links
_pending: dict[str, tuple[dict[str, str], list[tuple[object, str, str]]]] = {}
#: tables written by this hook in this build, on how many pages
_counts = {"tables": 0, "pages": 0}
log = logging.getLogger("mkdocs.hooks.fast_tables")


class NotConverted(Exception):
    """A table this hook leaves to Python-Markdown."""


class _Links:
    """Resolves a page's links as MkDocs' ``_RelativePathTreeprocessor`` does (each target
    looked up once per page), collecting the anchors they point to."""

    def __init__(self, page, files):
        self.page, self.files = page, files
        self.found: dict[str, object] = {}
        self.anchors: list[tuple[object, str, str]] = []
        #: link as written -> (its target file, its anchor, the href written): a page links to the
        #: same target many times (each bureau, each document)
        self.resolved: dict[str, tuple[object, str, str]] = {}

    def href(self, url: str) -> str:
        done = self.resolved.get(url)
        if done is None:
            done = self.resolved[url] = self._resolve(url)
        target, anchor, out = done
        if anchor:
            self.anchors.append((target, anchor, url))
        return out

    def _resolve(self, url: str) -> tuple[object, str, str]:
        scheme, netloc, path, query, anchor = urlsplit(url)
        if scheme or netloc:
            return None, "", url
        if url.startswith(("/", "\\")) or not path:
            raise NotConverted(url)  # absolute (a warning) or only an anchor: left to MkDocs
        target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(self.page.file.src_uri),
                                                       unquote(path)).lstrip("/"))
        if target_uri not in self.found:
            self.found[target_uri] = self.files.get_file_from_path(target_uri)
        target = self.found[target_uri]
        if target is None or target.inclusion.is_excluded():
            raise NotConverted(url)  # MkDocs warns (or logs) about it as before
        return target, anchor, urlunsplit(("", "", get_relative_url(target.url, self.page.file.url), query, anchor))


def _cell(text: str, links: _Links) -> str:
    """One cell's HTML (the cell already stripped), or NotConverted."""
    out, pos = [], 0
    for m in _CELL.finditer(text):
        if m.start() != pos:
            raise NotConverted(text)
        pos = m.end()
        if m.group("link") is None:
            out.append(m.group(0))
            continue
        label = m.group("label")
        if not _LABEL.fullmatch(label):
            raise NotConverted(text)
        out.append(f'<a href="{_escape_attrib_html(links.href(m.group("target")))}">{label}</a>')
    if pos != len(text):
        raise NotConverted(text)
    return "".join(out)


def _cells(line: str) -> list[str]:
    """A row's cells as the tables extension splits and strips them (only ASCII spaces: a
    full-width space that indents a name stays)."""
    line = line.strip(" ")
    if not (line.startswith("|") and line.endswith("|")) or len(line) < 2:
        raise NotConverted(line)
    return [c.strip(" ") for c in line[1:-1].split("|")]


def table_html(lines: list[str], links: _Links) -> str:
    """The HTML Python-Markdown's tables extension and MkDocs make of a pipe table (its lines:
    header, separator, rows), or NotConverted."""
    header, separator, rows = _cells(lines[0]), _cells(lines[1]), [_cells(line) for line in lines[2:]]
    if len(separator) != len(header) or not all(_SEPARATOR.match(s) for s in separator) \
            or any(len(r) != len(header) for r in rows) or not rows:
        raise NotConverted(lines[0])
    styles = []
    for s in separator:
        align = "center" if s.startswith(":") and s.endswith(":") else "left" if s.startswith(":") \
            else "right" if s.endswith(":") else None
        styles.append(f' style="text-align: {align};"' if align else "")
    out = ["<table>\n<thead>\n<tr>\n"]
    out += [f"<th{style}>{_cell(c, links)}</th>\n" for c, style in zip(header, styles)]
    out.append("</tr>\n</thead>\n<tbody>\n")
    for row in rows:
        out.append("<tr>\n")
        out += [f"<td{style}>{_cell(c, links)}</td>\n" for c, style in zip(row, styles)]
        out.append("</tr>\n")
    out.append("</tbody>\n</table>")
    html = "".join(out)
    if _ID.search(html):
        raise NotConverted("id")  # MkDocs would collect it as an anchor of the page
    return html


def convert(markdown: str, links: _Links, min_rows: int = MIN_ROWS) -> tuple[str, dict[str, str]]:
    """``markdown`` with each top-level pipe table of at least ``min_rows`` rows (after a blank
    line, before a blank line or the end) replaced by a placeholder comment on its own line, the
    blank line after it dropped (so the blocks around it join as they did); and placeholder ->
    HTML. A table inside a raw HTML block, or one :func:`table_html` refuses, stays as it is."""
    lines = markdown.split("\n")
    out: list[str] = []
    blocks: dict[str, str] = {}
    raw: str | None = None  # the tag of the raw HTML block we are in
    depth = 0  # its elements open (nested ones of the same name counted)
    i = 0
    while i < len(lines):
        line = lines[i]
        if raw is None and line.startswith("<") and not line.startswith("<!--") \
                and (m := _OPEN_BLOCK.match(line)):
            raw, depth = m.group(1), 0
        if raw is not None:
            depth += len(re.findall(f"<{raw}\\b", line)) - line.count(f"</{raw}>")
            if depth <= 0:
                raw = None
            out.append(line)
            i += 1
            continue
        if not line.startswith("|") or (i > 0 and lines[i - 1] != ""):
            out.append(line)
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].startswith("|"):
            j += 1
        if j - i - 2 < min_rows or (j < len(lines) and lines[j] != ""):
            out += lines[i:j]
            i = j
            continue
        try:
            html = table_html(lines[i:j], links)
        except NotConverted:
            out += lines[i:j]
            i = j
            continue
        key = f"<!--budget-table-{len(blocks)}-{hashlib.sha256(html.encode('utf-8')).hexdigest()[:16]}-->"
        blocks[key] = html
        out.append(key)
        i = j + 1 if j + 1 < len(lines) else j  # the blank line after it (kept at the very end)
    return "\n".join(out), blocks


@event_priority(-50)  # after the render cache's: a page it takes from its cache has no Markdown
def on_page_markdown(markdown: str, page, config, files) -> str:
    _pending.pop(page.file.src_uri, None)
    if not markdown or "\n|" not in markdown:
        return markdown
    links = _Links(page, files)
    converted, blocks = convert(markdown, links)
    if blocks:
        _pending[page.file.src_uri] = (blocks, links.anchors)
        _counts["tables"] += len(blocks)
        _counts["pages"] += 1
    return converted


@event_priority(50)  # before the render cache's: it stores the finished page
def on_page_content(html: str, page, config, files) -> str:
    pending = _pending.pop(page.file.src_uri, None)
    if pending is None:
        return html
    blocks, anchors = pending
    for key, table in blocks.items():
        if html.count(key) != 1:
            raise RuntimeError(f"{page.file.src_uri}: table placeholder {key} found {html.count(key)} times")
        html = html.replace(key, table)
    if page.links_to_anchors is not None:  # as MkDocs registers a link's anchor
        for target, anchor, url in anchors:
            page.links_to_anchors.setdefault(target, {}).setdefault(anchor, url)
    return html


def on_post_build(config):
    log.info("fast tables: %d long tables on %d rendered pages written as HTML", _counts["tables"], _counts["pages"])
    _counts.update(tables=0, pages=0)
