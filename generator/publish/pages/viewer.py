"""Every figure to its page of the original: links from a figure to the page of the source PDF
it was read from, with the figure's cell highlighted.

A figure links to ``sources/view/<source>/p<N>.html#v=<amount>`` (``&c=<code>`` where it is a
classification row): a static page, made at build time for every page some figure points to,
with the page as an image (:mod:`..pdfpages`) and the boxes of the numbers printed on it as
JSON in the page. ``assets/js/viewer.js`` reads the figure from the address, boxes every number
of the page equal to it — in 万元 as the site shows it, or ×10000 where the page prints 元 —
marks the one on the row of the code, scrolls to it and links to the PDF at that page. The
pages are plain HTML (no MkDocs page, no search entry) and work opened from disk.

The package keeps a row's page but not its file (a document of two PDFs) and, for a row of a
table printed over two pages, the page the table starts on: a link goes to the first file and
page among (page, next page, previous page) that prints the figure, else to the page given.
Text sources have no pages: their figures link to the source file, as before.
"""
from __future__ import annotations

import json
import os
import re
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..catalog import Catalog
from ..format import SAFE_ID, doc_label, esc
from ..pdfpages import canonical, numbers_on, page_data, prune_cache
from ..pool import process_pool
from .sources import published_sources, source_files, source_names, source_page_link, source_uri

VIEW_DIR = "sources/view"
_DIGITS = re.compile(r"[0-9]+")


def _pages(cat: Catalog) -> dict[tuple[str, int, int], None]:
    """The source pages some figure points to: (document_id, source file index, page), in the
    order first linked (a dict as an ordered set), kept on the catalog for the build."""
    return cat.__dict__.setdefault("_viewer_pages", {})


def view_stem(doc: dict, index: int) -> str:
    """``<document_id>[-<n>]``: the source file's name on the site without its extension."""
    return source_uri(doc, index).removeprefix("sources/").rsplit(".", 1)[0]


def view_uri(doc: dict, index: int, page: int) -> str:
    return f"{VIEW_DIR}/{view_stem(doc, index)}/p{page}.html"


def _amount(amount: str | None) -> str | None:
    try:
        return canonical(str(Decimal((amount or "").strip())))
    except InvalidOperation:
        return None


def _scaled(value: str, factor: int) -> str | None:
    return canonical(str(Decimal(value) * factor))


def page_unit(cat: Catalog, doc: dict, page: int) -> str:
    """The unit page ``page`` prints amounts in: that of the last table starting on or before
    it (``tables.unit``), else the document's ``source_unit``."""
    unit = ""
    for t in sorted(cat.rows(doc["document_id"], "tables"),
                    key=lambda t: int(t["source_page"]) if (t.get("source_page") or "").isdigit() else 0):
        start = t.get("source_page") or ""
        if start.isdigit() and int(start) <= page and t.get("unit"):
            unit = t["unit"]
    return unit or doc.get("source_unit") or "万元"


def _pdf_files(cat: Catalog, doc: dict) -> list[int]:
    """Indexes of the document's source files that are published PDFs."""
    published = published_sources(cat)
    return [i for i, _ in enumerate(source_names(doc))
            if source_uri(doc, i).endswith(".pdf") and source_uri(doc, i) in published]


def _source_path(cat: Catalog, doc: dict, index: int) -> Path | None:
    if "_viewer_paths" not in cat.__dict__:
        cat.__dict__["_viewer_paths"] = source_files(cat)
    return cat.__dict__["_viewer_paths"].get(source_uri(doc, index))


def _numbers(cat: Catalog, doc: dict, index: int, page: int):
    path = _source_path(cat, doc, index)
    if path is None:
        return None
    return numbers_on(path, source_names(doc)[index][1], page, cat.settings.page_cache)


def _prints(cat: Catalog, doc: dict, index: int, page: int, value: str) -> bool:
    numbers = _numbers(cat, doc, index, page)
    wanted = {v for v in (value, value.removeprefix("-")) for v in (v, _scaled(v, 10000))}
    return bool(numbers) and any(n[4] in wanted for n in numbers)


def _place_of(cat: Catalog, doc: dict, files: list[int], page: int, value: str | None) -> tuple[int, int]:
    """(file, page) where the figure is printed. The package keeps the page, not the file, of
    a document of several PDFs: the first file whose page ``page`` prints the figure. And a
    row keeps the page its table starts on (a sentence: the page it starts on): where that
    page does not print the figure but the next one does, the next one (then the previous).
    Else the page as given, of the first file."""
    if value is None:
        return files[0], page
    for p in (page, page + 1, page - 1):
        for i in files:
            if p >= 1 and _prints(cat, doc, i, p, value):
                return i, p
    return files[0], page


def figure_link(cat: Catalog, doc: dict, page: str | int | None, amount: str | None, text: str,
                prefix: str, code: str = "") -> str:
    """Markdown: ``text`` (already escaped) linked to the page of ``doc``'s source where the
    figure ``amount`` (the package's exact decimal string, 万元) is printed, with the figure
    boxed (and the one on the row of ``code``, when given, marked); ``text`` alone when the
    source is not published or the page is unknown — a text source's figure links to the
    file."""
    page_text = str(page or "").strip()
    files = _pdf_files(cat, doc) if page_text.isdigit() else []
    if not files:
        link = source_page_link(cat, doc, page, prefix)
        return f"[{text}]{link[link.index('('):]}" if link.startswith("[") else text
    value = _amount(amount)
    index, n = _place_of(cat, doc, files, int(page_text), value)
    _pages(cat).setdefault((doc["document_id"], index, n), None)
    parts = ([f"v={value}"] if value is not None else []) + ([f"c={code}"] if value and _DIGITS.fullmatch(code) else [])
    fragment = "#" + "&".join(parts) if parts else ""
    return f"[{text}]({prefix}{view_uri(doc, index, n)}{fragment})"


# ------------------------------------------------------------------------------ pages

_STYLE = """
:root{color-scheme:light dark;--bg:#fff;--fg:#222;--muted:#666;--box:#e8590c;--hit:rgba(255,200,0,.25)}
@media (prefers-color-scheme:dark){:root{--bg:#1e2129;--fg:#e6e6e6;--muted:#aaa;--box:#ff922b}}
body{margin:0;font:15px/1.5 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;
background:var(--bg);color:var(--fg)}
header{padding:.6rem 1rem;position:sticky;top:0;background:var(--bg);border-bottom:1px solid #8884;z-index:2}
header h1{font-size:1rem;margin:0 0 .2rem}
header p{margin:.1rem 0;color:var(--muted);font-size:.9rem}
a{color:#1a73e8}
#status{color:var(--fg);font-weight:600}
.page{position:relative;max-width:1200px;margin:.5rem auto 2rem;box-shadow:0 0 0 1px #8886}
.page img{display:block;width:100%;height:auto;background:#fff}
.box{position:absolute;outline:2px solid var(--box);background:var(--hit);border-radius:2px;pointer-events:none}
.box.primary{outline-width:3px;box-shadow:0 0 0 4px rgba(232,89,12,.35)}
.scroller{overflow-x:auto;-webkit-overflow-scrolling:touch}
@media (max-width:600px){body{font-size:13px}header{position:static;padding:.4rem .6rem}
.page{width:960px;max-width:none;margin:.5rem 0 2rem}}
"""


def viewer_page(cat: Catalog, doc: dict, index: int, page: int, width: int, height: int,
                numbers, prefix: str = "../../../") -> str:
    """The viewer of one source page (``prefix`` leads from it to the site root)."""
    did = doc["document_id"]
    name = source_names(doc)[index][0]
    pdf = source_uri(doc, index).removeprefix("sources/")
    unit = page_unit(cat, doc, page)
    bureau = cat.bureaus.get(doc["bureau_id"], {}).get("name") or doc["bureau_id"]
    data = {"page": page, "pdf": f"../../{pdf}", "scales": [10000, 1] if unit == "元" else [1, 10000],
            "unit": unit, "numbers": [list(n) for n in numbers]}
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    title = f"{bureau} {doc_label(doc)} 原文第 {page} 页"
    doc_page = f"{prefix}documents/{did}/" if SAFE_ID.match(did) else f"{prefix}"
    return (
        "<!doctype html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"robots\" content=\"noindex\">\n"
        f"<title>{esc(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n<header>\n"
        f"<h1>{esc(bureau)} {esc(doc_label(doc))} · 原文第 {page} 页</h1>\n"
        f"<p id=\"status\" data-unit=\"{esc(unit)}\">本页是原文的图像；方框标出链接所指的数字。</p>\n"
        f"<p>原文：{esc(name)}（原表单位：{esc(unit)}） · "
        f"<a id=\"pdf-link\" href=\"../../{pdf}#page={page}\">打开 PDF 第 {page} 页</a> · "
        f"<a href=\"{doc_page}\">返回文件页</a></p>\n</header>\n"
        # on a phone the page keeps a legible width and scrolls sideways inside its frame
        + (f"<div class=\"scroller\"><div class=\"page\" id=\"page\"><img src=\"p{page}.png\" "
           f"width=\"{width}\" height=\"{height}\" alt=\"{esc(name)} 第 {page} 页的图像\"></div></div>\n" if width else
           f"<p>原文没有第 {page} 页。</p>\n")
        + f"<script type=\"application/json\" id=\"page-data\">{payload}</script>\n"
        f"<script src=\"{prefix}assets/js/viewer.js\"></script>\n</body>\n</html>\n")


def viewer_files(cat: Catalog) -> dict[str, str | bytes]:
    """The viewer page and image of every source page some figure links to (call after the
    pages are made: they register the pages they link)."""
    out: dict[str, str | bytes] = {}
    docs = {d["document_id"]: d for d in cat.documents}
    for did, index, page in sorted(_pages(cat)):
        doc = docs[did]
        path = _source_path(cat, doc, index)
        data = None if path is None else page_data(path, source_names(doc)[index][1], page,
                                                  cat.settings.page_cache)
        uri = view_uri(doc, index, page)
        if data is None:  # no such page: the viewer still says so and links the PDF
            out[uri] = viewer_page(cat, doc, index, page, 0, 0, ())
            continue
        out[uri] = viewer_page(cat, doc, index, page, data.width, data.height, data.numbers)
        out[uri.removesuffix(".html") + ".png"] = data.png
    if _pages(cat):
        prune_cache(cat.settings.page_cache)
    return out


def check_value(cat: Catalog, doc: dict, row: dict) -> str | None:
    """The figure of a check result to box on its page: its ``actual`` or ``expected`` number,
    whichever the page prints (a failed sum prints the total, a repair the figure as printed),
    else ``actual``; None when neither is a number."""
    candidates = [v for v in (_amount(row.get("actual")), _amount(row.get("expected"))) if v is not None]
    page = str(row.get("source_page") or "").strip()
    files = _pdf_files(cat, doc) if page.isdigit() else []
    if len(candidates) > 1 and files:
        for value in candidates:
            if any(_prints(cat, doc, i, int(page), value) for i in files):
                return value
    return candidates[0] if candidates else None


def check_page_link(cat: Catalog, doc: dict, row: dict, prefix: str) -> str:
    """``第 N 页`` of a check result linked to its page of the original with its figure boxed
    (:func:`check_value`); the source file where there is no page (text sources)."""
    page = str(row.get("source_page") or "").strip()
    if not page.isdigit():
        return source_page_link(cat, doc, page, prefix)
    return figure_link(cat, doc, page, check_value(cat, doc, row), f"第 {page} 页", prefix)


# ------------------------------------------------------------------- annotated sources

DOWNLOADS = "downloads"


def annotated_uri(doc: dict, index: int) -> str:
    return f"{DOWNLOADS}/{view_stem(doc, index)}-review.pdf"


def annotated_downloads(cat: Catalog) -> dict[str, Path]:
    """The published source PDFs of every document with failed (or waived) checks, annotated for
    a reviewer (:mod:`..review.annotate`): ``downloads/<source stem>-review.pdf`` (beside the
    document's ``<document_id>-review.xlsx``) -> the file, kept by content in a folder beside the
    downloads' cache; those not there yet made in other processes, once per build."""
    if "_annotated" not in cat.__dict__:
        from ..review.annotate import cached_annotations, drawn, prune_cache as prune_annotated
        cache = cat.settings.downloads_cache.parent / f"{cat.settings.downloads_cache.name}-review"
        jobs: list[tuple[dict, list[int], dict]] = []
        for doc in cat.documents:
            rows = drawn(cat.rows(doc["document_id"], "checks"))
            files = _pdf_files(cat, doc) if rows else []
            paths = [_source_path(cat, doc, i) for i in files]
            if files and None not in paths:
                jobs.append((doc, files, {"pdfs": paths, "checks": rows, "cache_dir": cache,
                                          "source_unit": doc.get("source_unit") or "万元",
                                          "table_pages": _table_pages(cat, doc),
                                          "page_cache": cat.settings.page_cache}))
        made = [cached_annotations(**args, make=False) for _, _, args in jobs]
        missing = [n for n, m in enumerate(made) if m is None]
        pool = process_pool(min(len(missing), os.cpu_count() or 1)) if len(missing) > 1 else None
        if pool is not None:
            with pool:
                futures = {n: pool.submit(cached_annotations, **jobs[n][2]) for n in missing}
                for n, future in futures.items():
                    try:
                        made[n] = future.result()
                    except BrokenProcessPool:  # its process died: made here instead
                        pass
        made = [cached_annotations(**args) if m is None else m for (_, _, args), m in zip(jobs, made)]
        cat.__dict__["_annotated"] = {annotated_uri(doc, i): p for (doc, files, _), paths in zip(jobs, made)
                                      for i, p in zip(files, paths) if p}
        if jobs:
            prune_annotated(cache)
    return cat.__dict__["_annotated"]


def _table_pages(cat: Catalog, doc: dict) -> dict[str, int]:
    """Table id -> its first page: where a finding that names no page is looked for."""
    pages: dict[str, int] = {}
    for t in cat.rows(doc["document_id"], "tables"):
        if (t.get("source_page") or "").isdigit() and t.get("table"):
            pages[t["table"]] = min(pages.get(t["table"], 10**9), int(t["source_page"]))
    return pages


def annotated_line(cat: Catalog, doc: dict, prefix: str) -> str:
    """``标注原文（PDF）：`` the annotated source file(s) of the document, or 未发现问题 where no
    check failed; empty for a document without a published PDF."""
    if not _pdf_files(cat, doc):
        return ""
    from ..review.annotate import drawn

    links = annotated_links(cat, doc, prefix)
    if len(links) == 1 and len(_pdf_files(cat, doc)) == 1:
        return links[0]
    if not links and drawn(cat.rows(doc["document_id"], "checks")):
        return "标注原文（PDF）：未能生成（原文 PDF 无法写入批注）"
    return "标注原文（PDF）：" + ("、".join(links) or "未发现问题")


def annotated_links(cat: Catalog, doc: dict, prefix: str) -> list[str]:
    """Markdown links to the document's annotated source files (the file's name after
    标注原文 where the document has several)."""
    files, names = annotated_downloads(cat), source_names(doc)
    several = len(_pdf_files(cat, doc)) > 1
    return [f"[{esc(names[i][0]) if several else '标注原文（PDF）'}]({prefix}{uri})"
            for i in range(len(names)) if (uri := annotated_uri(doc, i)) in files]
