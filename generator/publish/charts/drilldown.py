"""Drill-down of one document's spending: 类 → 款 → 项 as a treemap, with links to the code pages.

What is drawn: the document's ``facts`` of the function classification (part ``total``, the
document's own measure; :func:`generator.publish.figures.facts`). Every rectangle is a 项 (or
the 款 / 类 itself where the document prints nothing below it), its area in proportion to its
amount; the rectangles of a 款 lie together, and those of a 类 too, in the 类's colour, with
the 类's code, name and amount on a band at its top and in the key under the treemap. Where
the printed 项 of a 款 (or 款 of a 类) add up to less than it, the rest is a grey rectangle
“未列出到下级” (the areas stay honest: a 类 covers its printed amount). Figures no table prints
(``basis`` derived) carry ``※`` and the note says so; conflicting ones ``≠``.

How: a squarified treemap (Bruls, Huizing & van Wijk 2000) laid out here in a few lines of
Python and written as SVG by hand, rather than Vega's treemap transform through vl-convert,
because the block needs (1) links that resolve from the page, inline in its HTML (an
``<img>`` follows no link, and links inside an ``<object>`` resolve against the SVG file and
open inside the box), (2) two layouts, one for a 360-390 px phone (328 px wide, text ≥ 12 px),
one for a desktop column (660 px), (3) labels cut to their rectangle, and (4) text that
follows the page's colours in dark mode (``currentColor``): all simpler to write directly
than to coax out of a Vega spec; and the SVG is the same bytes on every run (coordinates
rounded to 0.1 px, ties ordered by code) without a browser engine or a font in the loop.
Each SVG is kept in the chart cache by the digest of what it draws, as
:mod:`.render` keeps its charts, and :func:`drilldown_files` writes it as a file of the site
(``charts/<bureau_id>/<slug>-drilldown[-narrow].svg`` and the CSV of the facts drawn).

Every text from a document is escaped (:func:`generator.publish.format.esc`: ``<`` ``&`` and
the Markdown / template specials become character references); link targets are built only
from the digits of a code.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ...vocabulary import TABLE_NAMES, UNIT
from ..catalog import Catalog
from ..figures import Figure, facts, marks, marks_note
from ..format import SAFE_ID, doc_label, esc, fmt_amount, percent
from ..pages.codes import code_page_uri
from ..pages.links import CHARTS_DIR
from .wording import slug_prefix

#: the two layouts: (width, treemap height); the narrow one fits a 360 px phone (328 px of text;
#: 358 px on a 390 px one)
WIDE = (660, 360)
NARROW = (328, 420)
FONT_SIZE = 12  # every text of the chart; class bands are bold
BAND = 20  # height of the class band over the top of a class's rectangle
KEY_ROW = 20  # one row of the key under the treemap
FONT = "'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
RESIDUAL = "未列出到下级"
#: class colours (light tints: dark text reads on them in both themes), by 类 code so that a
#: class has one colour on every page; other classes take the rest in order of size
CLASS_COLORS = {"210": "#9ecae9", "208": "#ffbf79", "201": "#a6d69a", "221": "#f4a6a2",
                "229": "#c9b3dc", "213": "#d8c09a", "212": "#f7b8d9", "205": "#bfe3e0",
                "206": "#e2e29a", "224": "#c7c7c7"}
SPARE_COLORS = ("#b9d7f0", "#ffd6a5", "#cfe8c5", "#f9cdc9", "#ddd0ea", "#eadfc8")
RESIDUAL_COLOR = "#e3e3e3"
TEXT_COLOR = "#1a1a1a"
#: the block's own style: one layout per screen width (Material's text column is under 660 px
#: below a 720 px viewport; the narrow SVG then fits, or scrolls inside its box)
STYLE = ("<style>.budget-drilldown .drilldown-box{overflow-x:auto;max-width:100%}"
         ".budget-drilldown svg{max-width:none;height:auto}"
         ".budget-drilldown .drilldown-narrow{display:none}"
         "@media (max-width:44.99em){.budget-drilldown .drilldown-wide{display:none}"
         ".budget-drilldown .drilldown-narrow{display:block}}"
         ".budget-drilldown a:hover rect,.budget-drilldown a:focus rect{opacity:.75}"
         ".budget-drilldown rect[stroke='#fff']{stroke:var(--md-default-bg-color,#fff)}</style>")
_CODE = re.compile(r"[0-9]{3}(?:[0-9]{2}){0,2}")

# --------------------------------------------------------------------------- the tree


@dataclass
class Node:
    """A 类, 款 or 项 (or the grey rest of one): its fact (None where the document prints none
    and the chart adds up its children), children, and the rectangle laid out for it."""

    code: str
    figure: Figure | None
    children: list[Node] = field(default_factory=list)
    rest: bool = False  # the part of the parent its printed children do not cover ...
    gap: Decimal = Decimal(0)  # ... and its amount
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)

    @property
    def name(self) -> str:
        return RESIDUAL if self.rest else (self.figure.name if self.figure is not None else "")

    @property
    def amount(self) -> Decimal:
        """The printed amount, else the sum of the children; the rest's own amount."""
        if self.rest:
            return self.gap
        if self.figure is not None:
            return self.figure.value
        return sum((c.amount for c in self.children), Decimal(0))

    def size(self) -> Decimal:
        """What the rectangle's area stands for: the amount, at least the children's sum."""
        below = sum((c.size() for c in self.children), Decimal(0))
        return max(self.amount, below)

    def leaves(self) -> list[Node]:
        return [self] if not self.children else [n for c in self.children for n in c.leaves()]


def function_tree(cat: Catalog, document_id: str) -> list[Node]:
    """The 类 of a document with their 款 and 项 (facts: function, part total, the document's
    measure), largest first; amounts ≤ 0 are left out (no area to draw). A 项 without its 款
    hangs from its 类, one without its 类 under a 类 the chart adds up."""
    figs = [f for f in facts(cat, document_id, "function") if _CODE.fullmatch(f.code) and f.value > 0]
    nodes = {f.code: Node(f.code, f) for f in figs}
    roots: dict[str, Node] = {}
    for code in sorted(nodes, key=len):
        node = nodes[code]
        if len(code) == 3:
            roots[code] = node
            continue
        parent = nodes.get(code[:5]) if len(code) == 7 else None
        if parent is None:
            parent = nodes.get(code[:3]) or roots.setdefault(code[:3], Node(code[:3], None))
        parent.children.append(node)

    def finish(node: Node) -> None:
        for c in node.children:
            finish(c)
        if node.children and node.figure is not None:
            gap = node.figure.value - sum((c.size() for c in node.children), Decimal(0))
            if gap > node.figure.value * Decimal("0.005"):  # more than rounding: the rest, in grey
                node.children.append(Node(node.code, None, rest=True, gap=gap))
        node.children.sort(key=lambda n: (n.rest, -n.size(), n.code))

    for root in roots.values():
        finish(root)
    return sorted(roots.values(), key=lambda n: (-n.size(), n.code))


# ------------------------------------------------------------------------- the layout


def squarify(values: list[float], x: float, y: float, w: float, h: float) -> list[tuple[float, float, float, float]]:
    """Rectangles of ``values`` (largest first, all > 0) tiling (x, y, w, h), areas in
    proportion to the values, rows chosen so that the rectangles stay close to squares
    (Bruls, Huizing & van Wijk, “Squarified treemaps”, 2000)."""
    total = sum(values)
    if total <= 0 or w <= 0 or h <= 0:
        return [(x, y, 0.0, 0.0) for _ in values]
    areas = [v * w * h / total for v in values]
    out: list[tuple[float, float, float, float]] = []

    def worst(row: list[float], side: float) -> float:
        s = sum(row)
        return max(max(side * side * r / (s * s), s * s / (side * side * r)) for r in row)

    i = 0
    while i < len(areas):
        side = min(w, h)
        row = [areas[i]]
        i += 1
        while i < len(areas) and worst(row + [areas[i]], side) <= worst(row, side):
            row.append(areas[i])
            i += 1
        s = sum(row)
        if w >= h:  # a column on the left
            cw = s / h if h else 0.0
            yy = y
            for a in row:
                rh = a / cw if cw else 0.0
                out.append((x, yy, cw, rh))
                yy += rh
            x, w = x + cw, w - cw
        else:  # a row on top
            rh = s / w if w else 0.0
            xx = x
            for a in row:
                rw = a / rh if rh else 0.0
                out.append((xx, y, rw, rh))
                xx += rw
            y, h = y + rh, h - rh
    return out


def lay_out(nodes: list[Node], rect: tuple[float, float, float, float]) -> None:
    """Set ``rect`` of every node and its descendants: squarified, level by level."""
    x, y, w, h = rect
    for node, r in zip(nodes, squarify([float(n.size()) for n in nodes], x, y, w, h)):
        node.rect = r
        if node.children:
            lay_out(node.children, r)


# --------------------------------------------------------------------------- the SVG


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """A safe estimate of the drawn width: CJK and full-width characters 1 em, others 0.62 em."""
    return sum(size * (1.0 if ord(c) > 0x2E7F else 0.62) for c in text)


def fit(text: str, width: float, size: float = FONT_SIZE) -> str:
    """``text``, cut with “…” to ``width`` pixels, or '' when not even one character fits."""
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…" if text else ""


def _n(v: float) -> str:
    """A coordinate, 0.1 px: the same bytes on every run."""
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def _color(roots: list[Node]) -> dict[str, str]:
    spare = iter(SPARE_COLORS * (1 + len(roots) // len(SPARE_COLORS)))
    return {n.code: CLASS_COLORS.get(n.code) or next(spare) for n in roots}


def _href(code: str, to_root: str) -> str:
    """The code's page as a URL from the page (directory URLs: ``…/codes/function/2101202/``)."""
    uri = code_page_uri("function", code)
    return to_root + (uri[:-3] + "/" if uri.endswith(".md") else uri)


def _figure_text(node: Node) -> str:
    """``2,832.00`` with its marks (※ derived, ≠ conflict)."""
    if node.rest:
        return fmt_amount(node.amount)
    return fmt_amount(node.amount) + (marks(node.figure) if node.figure is not None else "※")


def _tooltip(node: Node, path: list[Node], whole: Decimal) -> str:
    parts = []
    chain = [p for p in path if not (len(p.children) == 1 and p.children[0].amount == p.amount)]
    for p in [*chain, node]:
        label = f"{p.code} {p.name}".strip() if not p.rest else f"{p.code} 中{RESIDUAL}的部分"
        amount = p.amount
        share = percent(amount, whole)
        parts.append(f"{label}：{_figure_text(p)} {UNIT}" + (f"（占 {share}）" if share else ""))
    return "；".join(parts)


def _leaf_svg(node: Node, path: list[Node], whole: Decimal, fill: str, to_root: str, top_pad: float) -> str:
    x, y, w, h = node.rect
    rect = (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}" '
            f'stroke="#fff" stroke-width="1"/>')
    lines = []
    room = w - 8
    ty = y + top_pad
    usable = h - top_pad
    name = node.name if not node.rest else RESIDUAL
    for text, need, cuttable in ((name, 18, True), (_figure_text(node), 34, False),
                                 ("" if node.rest else node.code, 50, False)):
        if not text or usable < need or room < FONT_SIZE:
            break
        cut = fit(text, room) if cuttable else (text if text_width(text) <= room else "")
        if not cut:  # a figure or code is shown whole or not at all
            break
        lines.append(f'<text x="{_n(x + 4)}" y="{_n(ty + 15 + 15 * len(lines))}">{esc(cut)}</text>')
    body = f"<title>{esc(_tooltip(node, path, whole))}</title>{rect}{''.join(lines)}"
    if node.rest:  # no page of its own
        return f'<g class="drilldown-rest">{body}</g>'
    return f'<a href="{_href(node.code, to_root)}">{body}</a>'


def _class_svg(root: Node, whole: Decimal, fill: str, to_root: str) -> tuple[str, str, str, str]:
    """A class in four layers, so that no rectangle covers a border: its leaves, the borders
    of its 款, its own border, its band (code, name and amount, when it fits)."""
    x, y, w, h = root.rect
    band = h >= 2.5 * BAND and w >= 4 * FONT_SIZE
    leaves, sections = [], []

    def walk(node: Node, path: list[Node]) -> None:
        if not node.children:
            top = BAND if band and abs(node.rect[1] - y) < 0.05 else 0
            leaves.append(_leaf_svg(node, path, whole, RESIDUAL_COLOR if node.rest else fill, to_root, top))
            return
        for c in node.children:
            walk(c, [*path, node])
        if node is not root:
            sx, sy, sw, sh = node.rect
            sections.append(f'<rect x="{_n(sx)}" y="{_n(sy)}" width="{_n(sw)}" height="{_n(sh)}" fill="none" '
                            f'stroke="#fff" stroke-width="2"/>')

    walk(root, [])
    border = (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="none" '
              f'stroke="#fff" stroke-width="3"/>')
    label = ""
    if band:
        text = fit(f"{root.code} {root.name} {_figure_text(root)}", w - 8)
        label = (f'<a href="{_href(root.code, to_root)}" class="drilldown-band">'
                 f'<title>{esc(_tooltip(root, [], whole))}</title>'
                 f'<rect x="{_n(x + 1.5)}" y="{_n(y + 1.5)}" width="{_n(w - 3)}" height="{_n(BAND - 1.5)}" '
                 f'fill="{fill}" stroke="none"/>'
                 f'<text x="{_n(x + 4)}" y="{_n(y + 15)}" font-weight="bold">{esc(text)}</text></a>')
    return "".join(leaves), "".join(sections), border, label


def treemap_svg(roots: list[Node], width: int, height: int, to_root: str, title: str) -> str:
    """The SVG of a laid-out tree: the treemap, then one key row per 类 (colour, code, name,
    amount, share; linked). Text is 12 px, dark on the tinted rectangles, ``currentColor``
    (the page's text colour) in the key."""
    lay_out(roots, (0.0, 0.0, float(width), float(height)))
    whole = sum((r.size() for r in roots), Decimal(0))
    colors = _color(roots)
    drawn = [_class_svg(r, whole, colors[r.code], to_root) for r in roots]
    body = ["".join(layer[i] for layer in drawn) for i in range(4)]
    key = []
    for i, r in enumerate(roots):
        ky = height + 8 + i * KEY_ROW
        share = percent(r.amount, whole)
        text = fit(f"{r.code} {r.name} {_figure_text(r)} {UNIT}" + (f"（{share}）" if share else ""), width - 22)
        key.append(f'<a href="{_href(r.code, to_root)}"><rect x="0" y="{ky + 2}" width="14" height="14" '
                   f'fill="{colors[r.code]}"/><text x="20" y="{ky + 14}" fill="currentColor">{esc(text)}</text></a>')
    total_h = height + 8 + len(roots) * KEY_ROW + 4
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total_h}" '
            f'viewBox="0 0 {width} {total_h}" font-family="{FONT}" font-size="{FONT_SIZE}" '
            f'fill="{TEXT_COLOR}"><title>{esc(title)}</title>'
            + "".join(body) + "".join(key) + "</svg>")


# ------------------------------------------------------------------------- the block

#: a change to the drawing code draws every drill-down again
_CODE_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
_used: set[Path] = set()  # cache files this process drew or read (kept by render.prune_cache's rule)


def _cache_key(roots: list[Node], size: tuple[int, int], to_root: str, title: str) -> str:
    def key(n: Node) -> list:
        return [n.code, n.name, str(n.size()), _figure_text(n), [key(c) for c in n.children]]
    text = json.dumps([[key(r) for r in roots], size, to_root, title, _CODE_DIGEST], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _svg(cat: Catalog, roots: list[Node], size: tuple[int, int], to_root: str, title: str) -> str:
    """:func:`treemap_svg`, read from the chart cache when drawn before, else drawn and kept."""
    cache_dir = cat.settings.chart_cache
    path = cache_dir / f"drilldown-{_cache_key(roots, size, to_root, title)}.svg" if cache_dir else None
    if path is not None:
        _used.add(path)
        if path.is_file():
            try:
                os.utime(path)  # in use: kept by render.prune_cache (it keeps what was used within the hour)
            except OSError:
                pass
            return path.read_text(encoding="utf-8")
    svg = treemap_svg(roots, *size, to_root, title)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)
        except OSError:
            pass
    return svg


def _slug(doc: dict) -> str:
    return f"{slug_prefix(doc)}-drilldown"


def _title(cat: Catalog, doc: dict) -> str:
    bureau = cat.bureaus.get(doc["bureau_id"], {})
    return f"{bureau.get('name') or doc['bureau_id']}（{doc_label(doc)}）：支出功能分类 类→款→项（{UNIT}）"


def _all_nodes(roots: list[Node]) -> list[Node]:
    out = []

    def walk(n: Node) -> None:
        if not n.rest:
            out.append(n)
        for c in n.children:
            walk(c)
    for r in roots:
        walk(r)
    return out


def _csv(roots: list[Node]) -> str:
    """The facts drawn, one row per 类 / 款 / 项 (as drawn: a 类 the chart adds up has no
    printed amount and ``basis`` ``chart``)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "name", "level", "amount", "basis", "source_table", "source_page"])
    for n in _all_nodes(roots):
        f = n.figure
        level = {3: "class", 5: "section", 7: "item"}[len(n.code)]
        w.writerow([n.code, n.name, level, f.amount if f else str(n.amount), f.basis if f else "chart",
                    f.table if f else "", "" if f is None or f.page is None else f.page])
    return buf.getvalue()


def _note(roots: list[Node]) -> str:
    nodes = _all_nodes(roots)
    note = marks_note([n.figure for n in nodes if n.figure is not None])
    if any(n.figure is None for n in nodes):
        note += "※ 原表未印出此类的合计，图中由其下各项相加。"
    if any(n.rest for r in roots for n in r.leaves()):
        note += f"灰色方块：上级科目的金额中，原表未列出属于哪一个下级科目的部分（{RESIDUAL}）。"
    return note


def _sources(roots: list[Node]) -> str:
    seen = sorted({(n.figure.table, n.figure.page) for n in _all_nodes(roots) if n.figure is not None},
                  key=lambda s: (s[0], -1 if s[1] is None else s[1]))
    return "；".join(TABLE_NAMES.get(t, t) + (f" 第 {p} 页" if p is not None else "") for t, p in seen)


def drilldown_html(cat: Catalog, document_id: str, prefix: str) -> str:
    """The drill-down block of a document: one raw HTML ``<figure>`` (no blank line, so Markdown
    leaves it alone) with the treemap inline twice, a 660 px layout and a 328 px one for
    phones (the block's ``<style>`` shows one; both kept out of the search index, whose
    pages already hold every figure), the note on marks, download links and the sources;
    '' when the document has no function facts.

    ``prefix`` leads from the page to the site root as its Markdown links do (``../`` on
    ``documents/<id>.md``). A raw HTML link is not rewritten by MkDocs: it resolves against
    the page's URL, one folder deeper (``documents/<id>/``), so the block adds ``../`` and
    links the directory URL of each code page (``../../codes/function/2101202/``).
    """
    doc = cat.document(document_id)
    roots = function_tree(cat, document_id)
    if not roots or not SAFE_ID.match(doc["bureau_id"]):
        return ""
    to_root = "../" + prefix
    title = _title(cat, doc)
    wide = _svg(cat, roots, WIDE, to_root, title)
    narrow = _svg(cat, roots, NARROW, to_root, title)
    href = f"{to_root}{CHARTS_DIR}/{doc['bureau_id']}/{_slug(doc)}"
    note = _note(roots)
    sources = _sources(roots)
    return (f'<figure class="budget-chart budget-drilldown" id="drilldown-{_slug(doc)}">\n'
            f"{STYLE}\n"
            f'<div class="drilldown-box drilldown-wide" data-pagefind-ignore="all">{wide}</div>\n'
            f'<div class="drilldown-box drilldown-narrow" data-pagefind-ignore="all">{narrow}</div>\n'
            f"<figcaption>{esc(title)}<br>\n"
            "每个方块是一项支出，面积与金额成正比，颜色表示所属的类；点击方块或图例可打开该科目的页面，与其他部门比较。<br>\n"
            + (f'<span class="budget-chart-note">{esc(note)}</span><br>\n' if note else "")
            + f'<a href="{href}.csv" download>下载 CSV</a> · <a href="{href}.svg" download>下载 SVG</a><br>\n'
            f"数据来源：{esc(sources) or '—'}</figcaption>\n"
            "</figure>\n")


def drilldown_files(cat: Catalog) -> dict[str, str]:
    """The files of every drill-down: ``charts/<bureau_id>/<slug>-drilldown.svg`` (and
    ``-narrow.svg``) and ``.csv``. The files sit two folders below the root, as the pages
    that embed them (``documents/<id>/``, ``bureaus/<id>/``), so their links are the same."""
    out: dict[str, str] = {}
    for doc in cat.documents:
        roots = function_tree(cat, doc["document_id"])
        if not roots or not SAFE_ID.match(doc["bureau_id"]):
            continue
        stem = f"{CHARTS_DIR}/{doc['bureau_id']}/{_slug(doc)}"
        title = _title(cat, doc)
        out[f"{stem}.svg"] = _svg(cat, roots, WIDE, "../../", title)
        out[f"{stem}-narrow.svg"] = _svg(cat, roots, NARROW, "../../", title)
        out[f"{stem}.csv"] = _csv(roots)
    return out
