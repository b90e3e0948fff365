"""MkDocs hook: marks each page for Pagefind, the search index built after MkDocs
(generator/publish/build.py runs ``pagefind`` on the built site).

Pagefind indexes what is inside ``data-pagefind-body``; this hook puts it on the article of every
page, so the header, the navigation, the footer and the search dialog are never indexed, and:

* **bureau pages** (``bureaus/<id>/``) get the names a reader types as weighted metadata: the full
  name, the short names (深圳市医保局, 深圳医保局, 深圳 医保) and the region (广东省 深圳市), in the
  metas ``aliases`` and ``region`` (searched with ``metaWeights``, see assets/js/search.js), so the
  bureau page ranks above its documents and every page that only mentions the bureau; and the meta
  ``figure``, the key figures of its latest document from the facts (支出合计, “三公”经费合计),
  which a result shows;
* **code pages** (``codes/<dimension>/<code>/``) weight their ``<h1>`` by how many documents have
  the code (:func:`h1_weight`) and get the meta ``figure``: the largest amounts, from the facts;
* every page gets a ``type`` meta and filter (部门, 文件, 科目, 说明); bureau and code pages get
  the filter ``name``, the exact texts that put the page first when typed as the whole query: the
  bureau's names and its place's short name (深圳, 医保, 深圳医保局) and the names of its key
  figures (支出合计, 三公经费), the code and its item name (2101501, 行政运行);
* sections a page marks ``{ data-search-exclude }`` on their heading (the repeated tables of a
  document page) are wrapped in ``data-pagefind-ignore``: their heading and everything up to the
  next heading that is not marked, at the same or a higher level. That is done on the page's
  content (``on_page_content``, after fast_tables.py's and before render_cache.py's, so the
  render cache stores the page wrapped and a page from the cache is not scanned again). Code
  pages (``codes/…``) index their ``<h1>`` and their table as they are.

Names and figures come from the packages (the catalog, figures.py), escaped; the hook adds
attributes and empty hidden ``<span>`` elements carrying the metas, never page text.
"""
from __future__ import annotations

import html
import math
import re
import sys
from decimal import Decimal
from pathlib import Path

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.publish.figures import fact, shown, total_spending  # noqa: E402
from generator.publish.format import doc_label, fmt_amount  # noqa: E402
from generator.publish.settings import SiteSettings  # noqa: E402
from generator.publish.site import build_catalog  # noqa: E402
from generator.vocabulary import BUREAU_ABBREVIATIONS  # noqa: E402

_bureaus: dict[str, dict[str, str]] = {}
#: bureau id → its key figures as one line (meta ``figure``), from the facts of its latest document
_figures: dict[str, str] = {}
#: bureau id → the names of those figures (filter ``name``: 三公经费 puts the bureau first)
_figure_names: dict[str, list[str]] = {}
#: (dimension, code) → how many documents have the code (weights the code page's <h1>)
_code_documents: dict[tuple[str, str], int] = {}
#: (dimension, code) → the largest amounts of the code (meta ``figure`` of its page), from the facts
_code_figures: dict[tuple[str, str], str] = {}

#: the suffixes a division's short name drops (深圳市 → 深圳, 望都县 → 望都), longest first
_SUFFIXES = ("土族自治县", "自治县", "自治州", "自治区", "特别行政区", "新区", "省", "市", "区", "县", "盟", "旗")

_ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">')
_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def on_config(config):
    _bureaus.clear()
    _figures.clear()
    _figure_names.clear()
    _code_documents.clear()
    _code_figures.clear()
    settings = SiteSettings.from_environ(config.config_file_path)
    if not (Path(settings.datapackages) / "all" / "bureaus.csv").is_file():
        return config
    cat = build_catalog(config, settings)  # the catalog budget_pages.py builds the pages from
    _bureaus.update(cat.bureaus)
    for bureau_id in cat.bureaus:
        docs = cat.documents_of(bureau_id)
        if docs:
            _figures[bureau_id], _figure_names[bureau_id] = key_figures(cat, docs[0])
    rows: dict[tuple[str, str], list[tuple[Decimal, str]]] = {}
    for doc in cat.documents:
        bureau = cat.bureaus.get(doc["bureau_id"], {}).get("name") or doc["bureau_id"]
        for row in cat.rows(doc["document_id"], "facts"):
            if (row["dimension"] not in ("function", "economic") or row["part"] != "total"
                    or row["measure"] != doc.get("phase") or not row["amount"]):
                continue
            rows.setdefault((row["dimension"], row["code"]), []).append(
                (Decimal(row["amount"]), f"{bureau} {doc_label(doc)} {fmt_amount(row['amount'])}"))
    for key, found in rows.items():
        _code_documents[key] = len(found)
        top = [text for _, text in sorted(found, key=lambda r: (-r[0], r[1]))[:3]]
        _code_figures[key] = (f"共 {len(found)} 份文件：" + " · ".join(top)
                              + (" 等" if len(found) > 3 else "") + "（万元）")
    return config


def key_figures(cat, doc: dict) -> tuple[str, list[str]]:
    """(“2026年部门预算：支出合计 15,480.26 万元 · “三公”经费合计 66.04 万元”, the names typed for
    them: 支出合计, 三公经费): the facts of one document (generator/publish/figures.py), as the
    bureau page shows them."""
    did = doc["document_id"]
    parts, names = [], []
    total = total_spending(cat, did)
    if total is not None:
        parts.append(f"支出合计 {shown(total)} 万元")
        names.append("支出合计")
    three = fact(cat, did, "three_public", "total")
    if three is not None:
        parts.append(f"“三公”经费合计 {shown(three)} 万元")
        names += ["三公经费", "三公经费合计"]
    return (f"{doc_label(doc)}：" + " · ".join(parts) if parts else ""), names


def h1_weight(documents: int) -> float:
    """Weight of a code page's <h1> (Pagefind's default for <h1> is 7): up to 10 for a code many
    documents have, so 行政运行 finds 2101501 (7 documents) before 2040601 (1)."""
    return 7.0 + min(3.0, round(math.log2(max(documents, 1)), 1))


def short(division: str) -> str:
    """深圳市 → 深圳, 望都县 → 望都, 互助土族自治县 → 互助; a name of one character stays whole."""
    for suffix in _SUFFIXES:
        if division.endswith(suffix) and len(division) - len(suffix) >= 2:
            return division[: -len(suffix)]
    return division


def aliases(bureau: dict[str, str]) -> list[str]:
    """The names a reader may type for a bureau: the full name, its abbreviation, both with the
    region's short name instead of its full name, short region + abbreviated bureau word apart
    (深圳 医保), the abbreviated bureau word alone (医保) and the region; in a fixed order,
    without repeats."""
    name = bureau.get("name") or ""
    division = bureau.get("county") or bureau.get("prefecture") or bureau.get("province") or ""
    out = [name]
    for full, abbr in BUREAU_ABBREVIATIONS:
        if full in name:
            out.append(name.replace(full, abbr))
    if division and name.startswith(division) and short(division) != division:
        rest = [n[len(division):] for n in list(out)]
        out += [short(division) + r for r in rest]
        out += [f"{short(division)} {r.removesuffix('局')}" for r in rest[1:]]
    # the bureau word alone (医保): a reader looking for every 医保局 types it
    out += [abbr.removesuffix("局") for full, abbr in BUREAU_ABBREVIATIONS if full in name]
    region = " ".join(p for p in (bureau.get("province"), bureau.get("prefecture"), bureau.get("county")) if p)
    if region:
        out.append(region)
    return list(dict.fromkeys(a for a in out if a))


def page_type(url: str) -> str:
    if url.startswith("bureaus/") and url != "bureaus/":
        return "部门"
    if url.startswith("documents/") and url != "documents/":
        return "文件"
    if url.startswith("codes/"):
        return "科目"
    return "说明"


def ignore_excluded_sections(body: str) -> str:
    """Wraps each run of top-level elements that starts at a heading marked data-search-exclude
    and ends before the next top-level heading that is not marked (or the end of ``body``) in
    ``<div data-pagefind-ignore>``."""
    if "data-search-exclude" not in body:  # nothing excluded: the body as it is, without the scan
        return body
    depth = 0
    cuts: list[tuple[int, bool]] = []  # (offset of a top-level heading, excluded?)
    for m in _TAG.finditer(body):
        closing, tag, selfclosing = m.group(1), m.group(2).lower(), m.group(3).endswith("/")
        if closing:
            depth -= 1
            continue
        if depth == 0 and re.fullmatch(r"h[1-6]", tag):
            cuts.append((m.start(), "data-search-exclude" in m.group(0)))
        if tag not in _VOID and not selfclosing:
            depth += 1
    out, pos, start = [], 0, None
    for offset, excluded in cuts + [(len(body), False)]:
        if excluded and start is None:
            out.append(body[pos:offset])
            start = pos = offset
        elif not excluded and start is not None:
            out.append("<div data-pagefind-ignore>" + body[start:offset] + "</div>")
            start, pos = None, offset
    out.append(body[pos:])
    return "".join(out)


def annotate(output: str, url: str) -> str:
    """The page ``output`` (HTML) at site path ``url`` (``bureaus/shenzhen-ybj/``) with its
    Pagefind attributes."""
    m = _ARTICLE.search(output)
    end = output.rfind("</article>")
    if not m or end < m.end():
        return output
    kind = page_type(url)
    inner = output[m.end():end]
    # one meta per element, its value in an attribute (data-pagefind-meta="key[data-value]"): no
    # parsing of commas and colons in the value
    meta = {"type": kind}
    bureau_id = url.removeprefix("bureaus/").strip("/")
    bureau = _bureaus.get(bureau_id) if kind == "部门" else None
    if bureau:
        meta["aliases"] = " ".join(aliases(bureau))
        meta["region"] = " ".join(p for p in (bureau.get("province"), bureau.get("prefecture"),
                                               bureau.get("county")) if p)
        meta["figure"] = _figures.get(bureau_id, "")
    names: list[str] = []  # filter ``name``: what a query must equal to put the page first
    if bureau:
        division = bureau.get("county") or bureau.get("prefecture") or bureau.get("province") or ""
        names = aliases(bureau) + ([short(division)] if division else []) + _figure_names.get(bureau_id, [])
    h1 = _H1.search(inner)
    parts = url.strip("/").split("/")
    if kind == "科目" and h1 and len(parts) == 3:
        weight = h1_weight(_code_documents.get((parts[1], parts[2]), 0))
        meta["figure"] = _code_figures.get((parts[1], parts[2]), "")
        title = html.unescape(re.sub(r"<[^>]+>", "", h1.group(0))).strip()
        names = [parts[2]] + ([title.split(" ", 1)[1].strip()] if " " in title else [])
        inner = (inner[:h1.start()] + h1.group(0).replace("<h1", f'<h1 data-pagefind-weight="{weight}"', 1)
                 + inner[h1.end():])
    spans = "".join(f'<span hidden data-pagefind-meta="{k}[data-value]" data-value="{html.escape(v, quote=True)}"></span>'
                    for k, v in meta.items() if v)
    spans += "".join(f'<span hidden data-pagefind-filter="name[data-value]" data-value="{html.escape(n, quote=True)}"></span>'
                     for n in dict.fromkeys(names) if n)
    article = (f'<article class="md-content__inner md-typeset" data-pagefind-body '
               f'data-pagefind-filter="type:{kind}">{spans}')
    return output[:m.start()] + article + inner + output[end:]


@event_priority(10)  # after fast_tables.py's (its tables are in), before render_cache.py's (it stores the page)
def on_page_content(html: str, page, config, files) -> str:
    if page.file.src_uri == "404.md":
        return html
    return ignore_excluded_sections(html)  # a page from the render cache has no content here: ""


def on_post_page(output: str, page, config) -> str:
    if page.file.src_uri == "404.md" or page.url == "404.html":
        return output
    return annotate(output, page.url)
