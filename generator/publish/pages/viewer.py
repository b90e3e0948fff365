"""Every figure to its page of the original: links from a figure to the page of the source PDF
it was read from, with the figure's cell highlighted.

(Interface first; the page viewer is being built: until then a figure links to the PDF page.)"""
from __future__ import annotations

from ..catalog import Catalog
from .sources import source_page_link


def figure_link(cat: Catalog, doc: dict, page: str | int | None, amount: str | None, text: str,
                prefix: str) -> str:
    """Markdown: ``text`` (already escaped) linked to the page of ``doc``'s source where the
    figure ``amount`` (the package's exact decimal string, 万元) is printed; ``text`` alone when
    the source is not published or the page is unknown."""
    link = source_page_link(cat, doc, page, prefix)
    if not link.startswith("["):
        return text
    return f"[{text}]{link[link.index('('):]}"
