"""Charts of the code pages (:mod:`generator.publish.pages.codes`): for one classification code,
one bar chart per year and phase (预算/决算) that at least two documents have it in, so that a
chart never puts 2019 beside 2026 or a budget beside a final account. Every bar is a ``facts``
row (dimension function/economic, part total, the document's own measure)."""
from __future__ import annotations

from ...vocabulary import PHASES, UNIT
from .records import Draft, Point
from .wording import amounts, basis_note, largest_first, unique

#: bars on one chart (the largest; the table lists every document)
CODE_CHART_MAX = 30
#: charts on one code page: the year-and-phase groups with the most documents, latest first
CODE_CHART_GROUPS = 3


def group_slug(year: str, phase: str) -> str:
    return f"{year}-{phase}"


def code_drafts(code: str, name: str, groups: list[tuple[tuple[str, str], list]]) -> list[Draft]:
    """Drafts of a code page: ``groups`` is ((year, phase), rows) in the page's order, each row a
    :class:`~generator.publish.pages.codes.CodeRow`. Groups of one document get no chart."""
    out = []
    for (year, phase), rows in groups:
        if len(rows) < 2 or len(out) >= CODE_CHART_GROUPS:
            continue
        labels = unique([f"{r.bureau.get('name') or r.bureau['bureau_id']}（{r.scope_label}）" for r in rows],
                        [r.doc["document_id"] for r in rows])
        points = largest_first([
            Point(label, r.fig, (("bureau_id", r.bureau["bureau_id"]), ("bureau", r.bureau.get("name") or ""),
                                 ("document_id", r.doc["document_id"]), ("year", year), ("phase", phase),
                                 ("code", code), ("name", r.fig.name), ("table", r.fig.table),
                                 ("amount", r.fig.amount)))
            for label, r in zip(labels, rows)])[:CODE_CHART_MAX]
        when = f"{year}年{PHASES.get(phase, phase)}"
        # the count of documents is the page's (its table lists all): a document added outside
        # the largest leaves the picture, and the chart cache's copy of it, as they are
        more = f"（最大的 {CODE_CHART_MAX} 份，全部见下表）" if len(rows) > CODE_CHART_MAX else ""
        out.append(Draft(group_slug(year, phase), f"{when}：{code} {name}（{UNIT}）{more}", "bars", points,
                         f"{when}各文件的 {code} {name}：{amounts(points)}。", None, note=basis_note(points)))
    return out


#: fewer charts to draw than this are drawn where they are needed, without a pool
PARALLEL_MIN = 16


def draw_code_charts(cat, drafts: dict[str, list[Draft]]) -> None:
    """Draw the code pages' charts into ``cat.charts`` (key -> charts): those not in the chart
    cache in one process per core first (both layouts, ``render.draw_all``), then every chart
    read from the cache here (so that the cache keeps them). Loads the renderer (Altair,
    vl-convert) only when called."""
    from .render import draw_all, make_chart

    cache_dir = cat.settings.chart_cache
    if cache_dir is not None:
        draw_all([d for ds in drafts.values() for d in ds], cache_dir, PARALLEL_MIN)
    for key, ds in drafts.items():
        cat.charts[key] = [make_chart(d, cache_dir) for d in ds]
