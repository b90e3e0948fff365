"""What a chart is: the points a builder chooses (:class:`Draft`) and the drawn chart
(:class:`Chart`). No drawing library is imported here."""
from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import UNIT
from ..figures import Figure


@dataclass(frozen=True)
class Chart:
    """One chart of a page.

    ``slug`` is the ASCII file stem (``2024-budget-function-classes``), unique per bureau
    page (per site for the comparison charts); ``csv`` holds exactly the plotted rows;
    ``sources`` lists (document_id, table id, page or None) of every figure drawn;
    ``document_id`` is None for charts that span documents."""

    slug: str
    title: str
    alt: str
    svg: str
    csv: str
    sources: tuple[tuple[str, str, int | None], ...]
    document_id: str | None
    note: str = ""  # what a reader must know to read the chart right (plain text), or ''
    #: the other drawings of the chart, (file suffix, SVG): ``-narrow`` (phones), ``-dark`` and
    #: ``-narrow-dark`` (Material's slate scheme); ``svg`` is the wide light one
    variants: tuple[tuple[str, str], ...] = ()

    def files(self, folder: str) -> dict[str, str]:
        """Its files in ``folder``: ``<slug>.svg``, the variants (``<slug>-narrow.svg`` …) and
        ``<slug>.csv``."""
        out = {f"{folder}/{self.slug}.svg": self.svg}
        out.update((f"{folder}/{self.slug}{suffix}.svg", svg) for suffix, svg in self.variants)
        out[f"{folder}/{self.slug}.csv"] = self.csv
        return out


@dataclass(frozen=True)
class Point:
    """One bar: its category on the axis, its series (colour; '' for single-series charts),
    the figure, and the chart's CSV columns for this row (the last one is the amount)."""

    category: str
    figure: Figure
    columns: tuple[tuple[str, str], ...]
    series: str = ""


@dataclass(frozen=True)
class Draft:
    """What a builder decides; :func:`generator.publish.charts.render.make_chart` renders it."""

    slug: str
    title: str
    kind: str  # "bars" (one series), "grouped" (series side by side), "stacked100"
    points: list[Point]
    alt: str
    document_id: str | None
    axis_title: str = f"金额（{UNIT}）"
    series_order: tuple[str, ...] = ()  # colour order of the series (default: as they come)
    note: str = ""  # shown under the title and appended to the text alternative

