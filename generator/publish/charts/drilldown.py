"""Drill-down of one document's spending: 类 → 款 → 项 as a treemap, with links to the code pages.

(Interface first; the chart is being built.)"""
from __future__ import annotations

from ..catalog import Catalog


def drilldown_html(cat: Catalog, document_id: str, prefix: str) -> str:
    """The drill-down block of a document (Markdown/HTML), or '' when it has no function facts."""
    return ""
