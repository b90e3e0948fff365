"""The HTML block a page embeds for one chart (:func:`chart_html`)."""
from __future__ import annotations

import functools
import html
import re

from ...vocabulary import TABLE_NAMES
from .records import Chart


#: the dark variant of a drawn chart (:func:`dark_svg`): colours of the light drawing -> those
#: readable on Material's slate background (``--md-default-bg-color`` ≈ #1e2129), which shows
#: through (the white background becomes transparent)
DARK_COLORS = {
    "white": "none",  # the background rectangle
    "#000": "#e2e4e9", "black": "#e2e4e9", "#000000": "#e2e4e9",  # titles, labels, bar values
    "#888": "#9aa0ab",  # axis lines
    "#ddd": "#3b3f4a",  # grid lines
    # Tableau 10 (Vega's default palette) lightened for a dark background
    "#4c78a8": "#79a7dc", "#f58518": "#ffa64d", "#e45756": "#ff8a88", "#72b7b2": "#8fd6d0",
    "#54a24b": "#7fcb75", "#eeca3b": "#f2d45c", "#b279a2": "#d39ec4", "#ff9da6": "#ffb3ba",
    "#9d755d": "#c49c84", "#bab0ac": "#cfc7c3",
}
_COLOR_ATTR = re.compile(r'\b(fill|stroke)="([^"]*)"')
_TAG = re.compile(r"<[^<>]+>")


def dark_svg(svg: str) -> str:
    """The dark variant of an SVG drawn by Vega (or any SVG with these colours in ``fill`` and
    ``stroke`` attributes): transparent background, light text and axes, a lighter palette.
    Pure text substitution: deterministic, ~1 ms, nothing drawn again. The drill-down can call
    it on its own SVGs."""
    def tag(m: re.Match) -> str:  # only in tags: a text node that reads fill="white" stays as it is
        return _COLOR_ATTR.sub(lambda a: f'{a.group(1)}="{DARK_COLORS.get(a.group(2).lower(), a.group(2))}"', m.group(0))
    return _TAG.sub(tag, svg)


def source_label(source: tuple[str, str, int | None], with_document: bool) -> str:
    """``一般公共预算支出表（功能分类） 第 3 页`` (plain text, not escaped)."""
    document_id, table, page = source
    label = TABLE_NAMES.get(table, table)
    if page is not None:
        label += f" 第 {page} 页"
    return f"{document_id}：{label}" if with_document else label


#: the phone layout is shown below Material's tablet breakpoint (the width where it hides the
#: table of contents too); budget.css shows the ``-dark`` pictures in the slate scheme only
NARROW_MEDIA = "(max-width: 44.984375em)"


def picture(href: str, alt: str, chart: Chart) -> str:
    """Two ``<picture>`` elements, light and dark (budget.css shows one: a reader's toggle sets
    ``data-md-color-scheme`` on ``<body>``, which no ``media`` query sees); each has the narrow
    drawing as a ``<source>`` for phones and the wide one as its ``<img>``, with their sizes,
    so that the page does not move as they load. ``href`` and ``alt`` are escaped by the
    caller. The dark one is left out of the search index (the same text twice)."""
    svgs = {"": chart.svg, **dict(chart.variants)}
    out = []
    for scheme, dark in (("light", ""), ("dark", "-dark")):
        nw, nh = svg_size(svgs.get(f"-narrow{dark}", ""))
        ww, wh = svg_size(svgs.get(dark, ""))
        out.append(f'<picture class="budget-chart-{scheme}"' + (" data-pagefind-ignore" if dark else "") + ">"
                   f'<source media="{NARROW_MEDIA}" srcset="{href}-narrow{dark}.svg"'
                   + (f' width="{nw}" height="{nh}"' if nw else "") + ">"
                   f'<img src="{href}{dark}.svg" alt="{alt}"'
                   + (f' width="{ww}" height="{wh}"' if ww else "") + ' loading="lazy"></picture>\n')
    return "".join(out)


def svg_size(svg: str) -> tuple[int, int] | tuple[None, None]:
    """``width`` and ``height`` of an SVG's root element (pixels), or (None, None)."""
    m = re.match(r'<svg[^>]*?\swidth="(\d+)"[^>]*?\sheight="(\d+)"', svg)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def chart_html(chart: Chart, href_base: str) -> str:
    """The ``<figure>`` a page embeds: the SVG as ``<img>`` with the text alternative (as
    :func:`picture` of its variants where it has them: phone and dark scheme), the
    title, links to the CSV and SVG, and the sources. One raw HTML block, no blank line
    (Markdown leaves it alone without ``md_in_html``); every text from data is escaped."""
    e = functools.partial(html.escape, quote=True)
    with_document = chart.document_id is None
    sources = "；".join(e(source_label(s, with_document)) for s in chart.sources)
    href = e(href_base + chart.slug)
    return (f'<figure class="budget-chart" id="chart-{e(chart.slug)}">\n'
            + (picture(href, e(chart.alt), chart) if chart.variants
               else f'<img src="{href}.svg" alt="{e(chart.alt)}" loading="lazy">\n')
            + f'<figcaption>{e(chart.title)}<br>\n'
            + (f'<span class="budget-chart-note">{e(chart.note)}</span><br>\n' if chart.note else '')
            + f'<a href="{href}.csv" download>下载 CSV</a> · <a href="{href}.svg" download>下载 SVG</a><br>\n'
            f'数据来源：{sources or "—"}</figcaption>\n'
            f'</figure>\n')
