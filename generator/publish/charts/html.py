"""The HTML block a page embeds for one chart (:func:`chart_html`)."""
from __future__ import annotations

import functools
import html

from ...vocabulary import TABLE_NAMES
from .records import Chart


def source_label(source: tuple[str, str, int | None], with_document: bool) -> str:
    """``一般公共预算支出表（功能分类） 第 3 页`` (plain text, not escaped)."""
    document_id, table, page = source
    label = TABLE_NAMES.get(table, table)
    if page is not None:
        label += f" 第 {page} 页"
    return f"{document_id}：{label}" if with_document else label


def chart_html(chart: Chart, href_base: str) -> str:
    """The ``<figure>`` a page embeds: the SVG as ``<img>`` with the text alternative, the
    title, links to the CSV and SVG, and the sources. One raw HTML block, no blank line
    (Markdown leaves it alone without ``md_in_html``); every text from data is escaped."""
    e = functools.partial(html.escape, quote=True)
    with_document = chart.document_id is None
    sources = "；".join(e(source_label(s, with_document)) for s in chart.sources)
    href = e(href_base + chart.slug)
    return (f'<figure class="budget-chart" id="chart-{e(chart.slug)}">\n'
            f'<img src="{href}.svg" alt="{e(chart.alt)}" loading="lazy">\n'
            f'<figcaption>{e(chart.title)}<br>\n'
            + (f'<span class="budget-chart-note">{e(chart.note)}</span><br>\n' if chart.note else '')
            + f'<a href="{href}.csv" download>下载 CSV</a> · <a href="{href}.svg" download>下载 SVG</a><br>\n'
            f'数据来源：{sources or "—"}</figcaption>\n'
            f'</figure>\n')
