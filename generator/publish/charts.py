"""Charts of the site: bar charts of a bureau's figures, as SVG files with their data as CSV.

Input: a :class:`~generator.publish.Catalog` (the committed data packages). Output:
:class:`Chart` records — an SVG image, the CSV of exactly the plotted rows, a Chinese text
alternative stating every figure, and the tables and pages the figures come from — plus
:func:`chart_html`, the HTML block a page embeds for one chart.

How a chart is made, in three steps:

1. a ``_*_chart`` builder picks the rows of one table (e.g. the 类 rows of the
   一般公共预算支出表) and turns each into a :class:`Point`: a category on the axis, an
   optional series (colour), the amount as the exact decimal string of the package, and
   the CSV columns;
2. :func:`_make_chart` writes the CSV and the text alternative from the points and
   renders an Altair spec (:func:`_spec`) to SVG with vl-convert (:func:`render_svg`);
3. :func:`chart_html` wraps the SVG link, the caption, the download links and the sources
   in one ``<figure>`` block.

A chart whose data is missing is not made (never an empty chart). Amounts are never
rounded: the CSV and the text alternative carry the package's strings (``3617.46``), the
bar labels the same figure with thousands separators (``3,617.46``); only the bar lengths
use floats. Text from the documents (item and bureau names) never becomes markup: the SVG
renderer escapes ``<`` ``&`` ``>`` and :func:`_inert_svg` turns the characters of links,
URL schemes and templates into character references; :func:`chart_html` escapes with
``html.escape``. Rendering is deterministic: same catalog, same bytes.
"""
from __future__ import annotations

import csv
import functools
import hashlib
import html
import io
import itertools
import json
import os
import re
from collections import Counter
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import altair as alt
import vl_convert

from ..atomic import KEEP_UNUSED_SECONDS, remove_unused
from .pages import PHASES, TABLE_NAMES, THREE_PUBLIC_ITEMS, Catalog, doc_label, fmt_amount, parse_amount, process_pool

#: the CJK font: registered with vl-convert once per process, named in every chart's config
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
FONT = "Noto Sans CJK SC"
UNIT = "万元"
TOP_ITEMS = 10  # the item chart (项) shows the largest ten

WIDTH = 440  # plot width in pixels; labels and titles come on top
STEP = 22  # pixels per bar
LABEL_CHARS = 26  # longer axis and legend labels are cut with "…" (the CSV and alt keep all)
COLOR = "#4c78a8"

#: rendered with every spec: the font, no ARIA attributes (the page's ``alt`` text is the
#: accessible description; ARIA labels would repeat every datum inside the file)
CONFIG = {
    "font": FONT,
    "aria": False,
    "view": {"stroke": None},
    "axis": {"labelFontSize": 11, "titleFontSize": 11, "titleFontWeight": "normal"},
    "legend": {"labelFontSize": 11, "titleFontSize": 11},
    "title": {"fontSize": 13, "anchor": "start", "fontWeight": "bold"},
}

#: summary lines that state the year's total spending
TOTAL_ITEMS = ("本年支出合计", "支出合计")
MEASURES = {"budget": "预算", "final": "决算"}


# ------------------------------------------------------------------------------ records


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


@dataclass(frozen=True)
class Figure:
    """One amount as printed in a package, and where it was printed."""

    amount: str  # exact decimal string in 万元, as in the package ("3617.46", "170")
    document_id: str
    table: str  # canonical table id ("general_public_function", "narrative", ...)
    page: int | None  # page of the source PDF; None for text sources

    @property
    def value(self) -> Decimal:
        return Decimal(self.amount)

    @property
    def source(self) -> tuple[str, str, int | None]:
        return (self.document_id, self.table, self.page)


@dataclass(frozen=True)
class Point:
    """One bar: its category on the axis, its series (colour; '' for single-series charts),
    the figure, and the chart's CSV columns for this row (the last one is the amount)."""

    category: str
    figure: Figure
    columns: tuple[tuple[str, str], ...]
    series: str = ""


@dataclass(frozen=True)
class _Draft:
    """What a builder decides; :func:`_make_chart` renders it."""

    slug: str
    title: str
    kind: str  # "bars" (one series), "grouped" (series side by side), "stacked100"
    points: list[Point]
    alt: str
    document_id: str | None
    axis_title: str = f"金额（{UNIT}）"
    series_order: tuple[str, ...] = ()  # colour order of the series (default: as they come)
    note: str = ""  # shown under the title and appended to the text alternative


# ----------------------------------------------------------------------------- figures


def _page(row: dict) -> int | None:
    page = (row.get("source_page") or "").strip()
    return int(page) if page.isdigit() else None


def _figure(row: dict, column: str, document_id: str, table: str | None = None) -> Figure | None:
    """The amount in ``row[column]`` as a Figure, or None when the cell is empty."""
    if parse_amount(row.get(column)) is None:
        return None
    return Figure(row[column].strip(), document_id, table or row.get("table") or "", _page(row))


def _table_row(cat: Catalog, document_id: str, table: str) -> dict:
    """The ``tables`` row (printed 合计 of a table), the first one of its kind, or {}."""
    rows = [t for t in cat.rows(document_id, "tables") if t.get("table") == table]
    rows.sort(key=lambda t: int(t.get("seq") or 1))
    return rows[0] if rows else {}


def _narrative(cat: Catalog, document_id: str, topic: str) -> Figure | None:
    """A figure stated in the document's text (情况说明), e.g. topic ``basic``."""
    for row in cat.rows(document_id, "narrative"):
        if row.get("topic") == topic:
            found = _figure(row, "amount", document_id, "narrative")
            if found is not None:
                return found
    return None


def printed_total(cat: Catalog, document_id: str, table: str) -> Figure | None:
    """The 合计 printed in a table's total row, or None."""
    return _figure(_table_row(cat, document_id, table), "total", document_id, table)


def total_spending(cat: Catalog, document_id: str) -> Figure | None:
    """The document's total spending as printed: 本年支出合计 of the 收支总表, else the 合计
    of the 支出总表, else of the 一般公共预算支出表 (功能分类). Never a computed sum."""
    for row in cat.rows(document_id, "summary"):
        if row.get("table") == "summary" and row.get("side") == "expenditure" \
                and re.sub(r"\s", "", row.get("item") or "") in TOTAL_ITEMS:
            found = _figure(row, "amount", document_id)
            if found is not None:
                return found
    for table in ("expenditure", "general_public_function"):
        found = printed_total(cat, document_id, table)
        if found is not None:
            return found
    return None


def split(cat: Catalog, document_id: str, tables: tuple[str, ...], columns: tuple[str, str]
          ) -> tuple[Figure, Figure] | None:
    """Two parts of a printed 合计 row (e.g. basic and project of the 一般公共预算支出表),
    from the first of ``tables`` printing both, else from the document's text."""
    for table in tables:
        row = _table_row(cat, document_id, table)
        a, b = (_figure(row, c, document_id, table) for c in columns)
        if a is not None and b is not None:
            return a, b
    a, b = (_narrative(cat, document_id, c) for c in columns)
    return (a, b) if a is not None and b is not None else None


def basic_project(cat: Catalog, document_id: str) -> tuple[Figure, Figure] | None:
    """(基本支出, 项目支出) of the 一般公共预算支出表, else of the 支出总表, else of the text."""
    return split(cat, document_id, ("general_public_function", "expenditure"), ("basic", "project"))


def personnel_public(cat: Catalog, document_id: str) -> tuple[Figure, Figure] | None:
    """(人员经费, 公用经费) of the 基本支出表 (or 经济分类表), else of the text."""
    return split(cat, document_id, ("basic_economic", "general_public_economic"),
                 ("personnel", "public"))


def coded_rows(cat: Catalog, document_id: str, resource: str, tables: tuple[str, ...], level: str
               ) -> list[dict]:
    """Rows of one level (``class``, ``item``) with an amount, from the first of ``tables``
    that has such rows."""
    for table in tables:
        rows = [r for r in cat.rows(document_id, resource)
                if r.get("table") == table and r.get("level") == level
                and parse_amount(r.get("total")) is not None]
        if rows:
            return rows
    return []


#: where function / economic class rows are read, first table with rows wins; ``narrative``
#: rows are figures the 情况说明 text states (a document without the tables)
FUNCTION_TABLES = ("general_public_function", "expenditure", "narrative")
ECONOMIC_TABLES = ("basic_economic", "general_public_economic", "narrative")


def function_classes(cat: Catalog, document_id: str) -> list[dict]:
    """类 rows of the 一般公共预算支出表 (功能分类), else of the 支出总表."""
    return coded_rows(cat, document_id, "function_expenditure", FUNCTION_TABLES, "class")


def latest_budget(cat: Catalog, bureau_id: str) -> dict | None:
    """The bureau's latest budget document (部门 before 单位 in the same year), or None."""
    return next((d for d in cat.documents_of(bureau_id) if d.get("phase") == "budget"), None)


# ------------------------------------------------------------------------------ wording


def percent(part: Decimal, whole: Decimal) -> str:
    """``98.99%``: a share with two decimals, or '' when the whole is 0."""
    if whole == 0:
        return ""
    return f"{(part / whole * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def _shares(points: list[Point], whole: Decimal | None = None) -> str:
    """``卫生健康支出 3617.46 万元，占 99.00%；…``: share of ``whole`` (default: of the points' sum)."""
    if whole is None:
        whole = sum((p.figure.value for p in points), Decimal(0))
    parts = []
    for p in points:
        share = percent(p.figure.value, whole)
        parts.append(f"{p.category} {p.figure.amount} {UNIT}" + (f"，占 {share}" if share else ""))
    return "；".join(parts)


def _by_category(points: list[Point]) -> str:
    """``公务用车运行维护费：预算 2.10 万元，决算 2.10 万元；…`` for grouped charts."""
    order = list(dict.fromkeys(p.category for p in points))
    return "；".join(f"{c}：" + "，".join(f"{p.series} {p.figure.amount} {UNIT}"
                                         for p in points if p.category == c) for c in order)


def _stack_shares(points: list[Point]) -> str:
    """``望都县医疗保障局：基本支出 321.38 万元（8.79%）、…；…`` for 100% stacked charts."""
    order = list(dict.fromkeys(p.category for p in points))
    out = []
    for c in order:
        mine = [p for p in points if p.category == c]
        whole = sum((p.figure.value for p in mine), Decimal(0))
        out.append(f"{c}：" + "、".join(
            f"{p.series} {p.figure.amount} {UNIT}（{percent(p.figure.value, whole) or '—'}）"
            for p in mine))
    return "；".join(out)


def _label(text: str) -> str:
    """An axis or legend label: at most LABEL_CHARS characters, whitespace collapsed."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1] + "…"


def _labels(texts: list[str]) -> dict[str, str]:
    """Distinct texts -> distinct cut labels (a label that two texts cut to gets `` (2)``)."""
    out: dict[str, str] = {}
    for text in texts:
        label, n = _label(text), 1
        while label in out.values():
            n += 1
            label = f"{_label(text)} ({n})"
        out[text] = label
    return out


def _unique(labels: list[str], fallbacks: list[str]) -> list[str]:
    """Axis labels must be distinct, also once cut (bars with one label are merged): a
    repeated label gets its fallback (e.g. the code) in front."""
    counts = Counter(_label(label) for label in labels)
    return [f"{fb} {label}" if counts[_label(label)] > 1 else label for label, fb in zip(labels, fallbacks)]


def _prefix(doc: dict) -> str:
    """Slug prefix of a document's charts: its id without the bureau id (``2024-budget``)."""
    did, bid = doc["document_id"], doc["bureau_id"]
    return did[len(bid) + 1:] if did.startswith(bid + "-") and len(did) > len(bid) + 1 else did


def _sorted(points: list[Point]) -> list[Point]:
    """Largest first; ties in category order, so the order never depends on input order."""
    return sorted(points, key=lambda p: (-p.figure.value, p.category))


# ----------------------------------------------------------------------------- builders


def _coded_points(rows: list[dict], document_id: str, code_in_label: bool = False) -> list[Point]:
    """Points of coded rows (功能 / 经济分类): labelled by name (``2101202 name`` when
    ``code_in_label``), CSV columns code, name, amount."""
    names = [r.get("name") or r.get("code") or "" for r in rows]
    codes = [r.get("code") or "" for r in rows]
    labels = [f"{c} {n}" for c, n in zip(codes, names)] if code_in_label else _unique(names, codes)
    points = []
    for label, code, row in zip(labels, codes, rows):
        fig = _figure(row, "total", document_id)
        assert fig is not None  # coded_rows keeps rows with an amount
        points.append(Point(label, fig, (("code", code), ("name", row.get("name") or ""), ("amount", fig.amount))))
    return points


def _class_chart(doc: dict, rows: list[dict], slug: str, what: str) -> _Draft | None:
    """Sorted bars of the class rows (类) of one classification: ``what`` names it."""
    did = doc["document_id"]
    points = _sorted(_coded_points(rows, did))
    if not points:
        return None
    return _Draft(f"{_prefix(doc)}-{slug}", f"{doc_label(doc)}：{what}（类）（{UNIT}）", "bars", points,
                  f"{doc_label(doc)}{what}（类）：{_shares(points)}。", did)


def _function_class_chart(cat: Catalog, doc: dict) -> _Draft | None:
    return _class_chart(doc, function_classes(cat, doc["document_id"]), "function-classes", "支出功能分类")


def _function_item_chart(cat: Catalog, doc: dict) -> _Draft | None:
    did = doc["document_id"]
    rows = coded_rows(cat, did, "function_expenditure", FUNCTION_TABLES, "item")
    points = _sorted(_coded_points(rows, did, code_in_label=True))
    if not points:
        return None
    top = points[:TOP_ITEMS]
    whole = sum((p.figure.value for p in points), Decimal(0))  # shares are of all items
    if len(points) > len(top):
        title = f"{doc_label(doc)}：支出功能分类（项）前 {len(top)} 位（{UNIT}）"
        head = f"共 {len(points)} 项，金额最大的 {len(top)} 项"
    else:
        title, head = f"{doc_label(doc)}：支出功能分类（项）（{UNIT}）", f"共 {len(points)} 项"
    note = _unitemized_note(printed_total(cat, did, rows[0].get("table") or ""), whole)
    return _Draft(f"{_prefix(doc)}-function-items", title, "bars", top,
                  f"{doc_label(doc)}按支出功能分类（项），{head}：{_shares(top, whole)}。", did, note=note)


def _unitemized_note(total: Figure | None, items: Decimal) -> str:
    """When the items add up to less than the table's printed 合计 (北京 2026: 29,117.62 of
    110,896.62 万元, the rest printed in no row of the table), say so: the bars alone would
    suggest the items are all the spending. Differences of rounding (under 1 万元) are not
    worth a note."""
    if total is None or total.value - items < 1:
        return ""
    gap = total.value - items
    return (f"各项之和 {items:,} {UNIT}，少于原表合计 {total.value:,} {UNIT}："
            f"其余 {gap:,} {UNIT}原表没有列出属于哪一项，图中未画出。")


def _basic_project_chart(cat: Catalog, doc: dict) -> _Draft | None:
    did = doc["document_id"]
    parts = basic_project(cat, did)
    if parts is None:
        return None
    points = [Point(name, fig, (("part", key), ("name", name), ("amount", fig.amount)))
              for key, name, fig in zip(("basic", "project"), ("基本支出", "项目支出"), parts)]
    printed = printed_total(cat, did, parts[0].table)
    note = f"（表列合计 {printed.amount} {UNIT}）" if printed is not None else ""
    return _Draft(f"{_prefix(doc)}-basic-project", f"{doc_label(doc)}：基本支出与项目支出（{UNIT}）",
                  "bars", points, f"{doc_label(doc)}{TABLE_NAMES.get(parts[0].table, '')}"
                  f"：{_shares(points)}{note}。", did)


def _economic_chart(cat: Catalog, doc: dict) -> _Draft | None:
    rows = coded_rows(cat, doc["document_id"], "economic_expenditure", ECONOMIC_TABLES, "class")
    return _class_chart(doc, rows, "basic-economic", "基本支出按经济分类")


def _three_public_chart(cat: Catalog, doc: dict) -> _Draft | None:
    """The "三公" items (budget and, in a 决算, final side by side). Not drawn when the
    document has no "三公" rows or all are 0 (the page's table states the 0)."""
    did = doc["document_id"]
    rows = [r for r in cat.rows(did, "three_public") if parse_amount(r.get("amount")) is not None
            and r.get("item") in THREE_PUBLIC_ITEMS and r.get("measure") in MEASURES]
    if not rows or all(parse_amount(r["amount"]) == 0 for r in rows):
        return None
    measures = [m for m in MEASURES if any(r["measure"] == m for r in rows)]
    items = [i for i in THREE_PUBLIC_ITEMS if i != "total" and any(r["item"] == i for r in rows)]
    items = items or ["total"]  # no breakdown printed: draw the total
    points = []
    for item in items:
        for measure in measures:
            row = next((r for r in rows if (r["item"], r["measure"]) == (item, measure)), None)
            if row is not None:
                name = THREE_PUBLIC_ITEMS[item]
                fig = _figure(row, "amount", did)
                assert fig is not None  # rows with an amount only
                points.append(Point(name, fig, (("item", item), ("name", name), ("measure", measure),
                                                ("amount", fig.amount)),
                                    MEASURES[measure] if len(measures) > 1 else ""))
    totals = {r["measure"]: r["amount"].strip() for r in reversed(rows) if r["item"] == "total"}
    said = "，".join(f"{MEASURES[m] if len(measures) > 1 else ''}合计 {totals[m]} {UNIT}"
                    for m in measures if m in totals)
    body = _by_category(points) if len(measures) > 1 else "；".join(
        f"{p.category} {p.figure.amount} {UNIT}" for p in points)
    return _Draft(f"{_prefix(doc)}-three-public", f"{doc_label(doc)}：“三公”经费（{UNIT}）",
                  "grouped" if len(measures) > 1 else "bars", points,
                  f"{doc_label(doc)}“三公”经费" + (f"{said}：" if said else "：") + body + "。", did,
                  series_order=tuple(MEASURES[m] for m in measures))


def _budget_final_charts(cat: Catalog, bureau_id: str) -> list[_Draft]:
    """预算 vs 决算 of the same year and scope: 支出合计, 基本支出, 项目支出 side by side."""
    docs = cat.documents_of(bureau_id)
    out = []
    pairs = sorted({(d["year"], d["scope"]) for d in docs})
    for year, scope in pairs:
        budget = next((d for d in docs if (d["year"], d["scope"], d["phase"]) == (year, scope, "budget")), None)
        final = next((d for d in docs if (d["year"], d["scope"], d["phase"]) == (year, scope, "final")), None)
        if budget is None or final is None:
            continue
        figures = {}
        for phase, doc in (("budget", budget), ("final", final)):
            parts = basic_project(cat, doc["document_id"]) or (None, None)
            figures[phase] = dict(zip(("total", "basic", "project"),
                                      (total_spending(cat, doc["document_id"]), *parts)))
        names = {"total": "支出合计", "basic": "基本支出", "project": "项目支出"}
        points = [Point(names[k], figures[phase][k],
                        (("figure", k), ("name", names[k]), ("phase", phase),
                         ("document_id", figures[phase][k].document_id),
                         ("amount", figures[phase][k].amount)), PHASES[phase])
                  for k in names if figures["budget"][k] and figures["final"][k]
                  for phase in ("budget", "final")]
        if not points:
            continue
        tail = "" if scope == "department" else f"-{scope}"
        out.append(_Draft(f"{year}-budget-vs-final{tail}", f"{year}年预算与决算（{UNIT}）", "grouped",
                          points, f"{year}年预算与决算：{_by_category(points)}。", None,
                          series_order=("预算", "决算")))
    return out


def _yearly_chart(cat: Catalog, bureau_id: str) -> _Draft | None:
    """Total spending per year (预算 and 决算 as two series), when there are several years."""
    seen: dict[tuple[str, str], Figure] = {}
    for doc in cat.documents_of(bureau_id):  # 部门 before 单位 within a year
        key = (doc["year"], doc["phase"])
        figure = total_spending(cat, doc["document_id"])
        if key not in seen and figure is not None:
            seen[key] = figure
    if len({year for year, _ in seen}) < 2:
        return None
    phases = [p for p in PHASES if any(ph == p for _, ph in seen)]
    points = [Point(f"{year}年", fig, (("year", year), ("phase", phase), ("document_id", fig.document_id),
                                      ("amount", fig.amount)), PHASES[phase] if len(phases) > 1 else "")
              for (year, phase), fig in sorted(seen.items(), key=lambda kv: (int(kv[0][0] or 0), kv[0][1]))]
    alt_text = (_by_category(points) if len(phases) > 1 else
                "；".join(f"{p.category}{PHASES[phases[0]]} {p.figure.amount} {UNIT}" for p in points))
    return _Draft("spending-by-year", f"历年支出合计（{UNIT}）", "grouped" if len(phases) > 1 else "bars",
                  points, f"历年支出合计：{alt_text}。", None, series_order=tuple(PHASES[p] for p in phases))


# ---------------------------------------------------------------------------- public API


def bureau_charts(cat: Catalog, bureau_id: str) -> list[Chart]:
    """The charts of a bureau page: per document (newest first) spending by function class,
    the ten largest items, 基本/项目, basic spending by economic class and "三公"; then 预算 vs
    决算 per year where both exist, and total spending by year when there are several years.
    Charts without data are left out."""
    return [_make_chart(d) for d in _bureau_drafts(cat, bureau_id)]


def _bureau_drafts(cat: Catalog, bureau_id: str) -> list[_Draft]:
    drafts: list[_Draft | None] = []
    for doc in cat.documents_of(bureau_id):
        for build in (_function_class_chart, _function_item_chart, _basic_project_chart,
                      _economic_chart, _three_public_chart):
            drafts.append(build(cat, doc))
    drafts += _budget_final_charts(cat, bureau_id)
    drafts.append(_yearly_chart(cat, bureau_id))
    return [d for d in drafts if d is not None]


COMPARE_MAX = 30  # bureaus drawn on a comparison chart


def comparison_charts(cat: Catalog) -> list[Chart]:
    """Charts of the comparison page, over each bureau's latest budget document: total
    spending, shares by function class, 基本/项目, 人员/公用 and "三公" total. A bureau
    without the figures of a chart is left out of that chart."""
    return [_make_chart(d) for d in _comparison_drafts(cat)]


def _comparison_drafts(cat: Catalog) -> list[_Draft]:
    latest = [(cat.bureaus[bid], doc) for bid in sorted(cat.bureaus)
              if (doc := latest_budget(cat, bid)) is not None]
    if len(latest) > COMPARE_MAX:  # a readable chart: the largest by total spending (all in the tables)
        size = {d["document_id"]: (f.value if (f := total_spending(cat, d["document_id"])) else 0) for _, d in latest}
        keep = {d["document_id"] for _, d in sorted(latest, key=lambda bd: -size[bd[1]["document_id"]])[:COMPARE_MAX]}
        latest = [(b, d) for b, d in latest if d["document_id"] in keep]
    labels = _unique([f"{b.get('name') or b['bureau_id']}（{doc_label(d)}）" for b, d in latest],
                     [b["bureau_id"] for b, _ in latest])
    entries = [_Entry(label, b, d) for label, (b, d) in zip(labels, latest)]
    drafts = [_compare_totals(cat, entries), _compare_classes(cat, entries),
              _compare_split(cat, entries, "compare-basic-project", "基本支出与项目支出",
                             basic_project, ("basic", "project"), ("基本支出", "项目支出")),
              _compare_split(cat, entries, "compare-personnel-public", "基本支出中的人员经费与公用经费",
                             personnel_public, ("personnel", "public"), ("人员经费", "公用经费")),
              _compare_three_public(cat, entries)]
    return [d for d in drafts if d is not None]


#: fewer charts to draw than this are drawn where they are needed, without a pool
PARALLEL_MIN = 32


def draw_missing(cat: Catalog) -> int:
    """Draw every chart of the site whose SVG is not in the cache yet, in one process per core
    (~50 ms a chart: a first build of 500 bureaus draws ~2,500), so that the bureau and
    comparison pages then read them all from the cache. Returns how many were drawn here;
    0 without a cache, with few to draw, or where no process pool can be made."""
    if not _cache_on():
        return 0
    drafts = [d for bid in sorted(cat.bureaus) for d in _bureau_drafts(cat, bid)] + _comparison_drafts(cat)
    todo = list({key: d for d in drafts
                 if not (CACHE_DIR / f"{(key := _cache_key(d))}.svg").is_file()}.values())
    if len(todo) < PARALLEL_MIN:
        return 0
    pool = process_pool(os.cpu_count() or 1)
    if pool is None:
        return 0
    try:
        with pool:
            for _ in pool.map(_draw_into, todo, itertools.repeat(CACHE_DIR), chunksize=8):
                pass
    except BrokenProcessPool:  # a pool process died: what it did not draw is drawn in place
        return 0
    return len(todo)


def _draw_into(d: _Draft, cache_dir: Path) -> None:
    """In a pool process: draw ``d`` into the cache folder of the process that asked."""
    global CACHE_DIR
    CACHE_DIR = cache_dir
    render_svg(d)


@dataclass(frozen=True)
class _Entry:
    """A bureau on the comparison page: its axis label, bureau row and latest budget."""

    label: str
    bureau: dict
    doc: dict

    def columns(self, fig: Figure, *more: tuple[str, str]) -> tuple[tuple[str, str], ...]:
        """CSV columns of a comparison row: who, which document and table, then ``more``."""
        return (("bureau_id", self.bureau["bureau_id"]), ("bureau", self.bureau.get("name") or ""),
                ("document_id", self.doc["document_id"]), ("table", fig.table), *more,
                ("amount", fig.amount))


def _compare_totals(cat: Catalog, entries: list[_Entry]) -> _Draft | None:
    points = _sorted([Point(e.label, fig, e.columns(fig)) for e in entries
                      if (fig := total_spending(cat, e.doc["document_id"])) is not None])
    if not points:
        return None
    return _Draft("compare-total-spending", f"各局最新预算：支出合计（{UNIT}）", "bars", points,
                  f"各局最新预算的支出合计：{_amounts(points)}。", None)


def _compare_classes(cat: Catalog, entries: list[_Entry]) -> _Draft | None:
    points = []
    for e in entries:
        did = e.doc["document_id"]
        for row in sorted(function_classes(cat, did), key=lambda r: r.get("code") or ""):
            fig = _figure(row, "total", did)
            assert fig is not None  # function_classes keeps rows with an amount
            name = row.get("name") or row.get("code") or ""
            points.append(Point(e.label, fig, e.columns(fig, ("code", row.get("code") or ""),
                                                         ("name", name)), name))
    if not points:
        return None
    by_code = sorted(points, key=lambda p: dict(p.columns)["code"])
    return _Draft("compare-function-classes", f"各局最新预算：支出功能分类（类）构成（占比；金额 {UNIT}）",
                  "stacked100", points, f"各局最新预算按支出功能分类（类）的构成：{_stack_shares(points)}。",
                  None, axis_title="占比", series_order=tuple(dict.fromkeys(p.series for p in by_code)))


def _compare_split(cat: Catalog, entries: list[_Entry], slug: str, title: str, get,
                   keys: tuple[str, str], names: tuple[str, str]) -> _Draft | None:
    """Two parts of a total per bureau (``get`` is :func:`basic_project` or
    :func:`personnel_public`) as 100% stacked bars."""
    points = [Point(e.label, fig, e.columns(fig, ("part", key), ("name", name)), name)
              for e in entries if (parts := get(cat, e.doc["document_id"])) is not None
              for key, name, fig in zip(keys, names, parts)]
    if not points:
        return None
    return _Draft(slug, f"各局最新预算：{title}（占比；金额 {UNIT}）", "stacked100", points,
                  f"各局最新预算的{title}：{_stack_shares(points)}。", None,
                  axis_title="占比", series_order=names)


def _compare_three_public(cat: Catalog, entries: list[_Entry]) -> _Draft | None:
    """The printed "三公" 合计 (budget) per bureau; 0 is drawn and said."""
    points = []
    for e in entries:
        did = e.doc["document_id"]
        row = next((r for r in cat.rows(did, "three_public")
                    if r.get("item") == "total" and r.get("measure") == "budget"
                    and parse_amount(r.get("amount")) is not None), None)
        if row is not None:
            fig = _figure(row, "amount", did, row.get("table") or "three_public")
            assert fig is not None
            points.append(Point(e.label, fig, e.columns(fig)))
    if not points:
        return None
    points = _sorted(points)
    return _Draft("compare-three-public", f"各局最新预算：“三公”经费合计（{UNIT}）", "bars", points,
                  f"各局最新预算的“三公”经费合计：{_amounts(points)}。", None)


def _amounts(points: list[Point]) -> str:
    return "；".join(f"{p.category} {p.figure.amount} {UNIT}" for p in points)


def chart_files(charts: list[Chart]) -> dict[str, str]:
    """``{slug}.svg`` and ``{slug}.csv`` of each chart, for the site to write next to the page."""
    out: dict[str, str] = {}
    for c in charts:
        out[f"{c.slug}.svg"] = c.svg
        out[f"{c.slug}.csv"] = c.csv
    return out


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


# ---------------------------------------------------------------------------- rendering


def _csv(points: list[Point]) -> str:
    """The CSV of the plotted rows: header from the first point's columns, ``\\n`` endings."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([name for name, _ in points[0].columns])
    for p in points:
        writer.writerow([value for _, value in p.columns])
    return buf.getvalue()


def _make_chart(d: _Draft) -> Chart:
    sources = tuple(sorted({p.figure.source for p in d.points},
                           key=lambda s: (s[0], s[1], -1 if s[2] is None else s[2])))
    alt = f"{d.alt}{d.note}" if d.note else d.alt
    return Chart(slug=d.slug, title=d.title, alt=alt, svg=render_svg(d), csv=_csv(d.points),
                 sources=sources, document_id=d.document_id, note=d.note)


def _spec(d: _Draft) -> dict:
    """The Vega-Lite spec of a draft (horizontal bars; see :class:`_Draft` ``kind``)."""
    cat_label = _labels(list(dict.fromkeys(p.category for p in d.points)))
    present = list(dict.fromkeys(p.series for p in d.points))
    rank = {name: i for i, name in enumerate(d.series_order)}
    series_label = _labels(sorted(present, key=lambda s: rank.get(s, len(rank))))
    values = [{"category": cat_label[p.category], "series": series_label[p.series],
               "value": float(p.figure.value), "label": fmt_amount(p.figure.amount), "order": i}
              for i, p in enumerate(d.points)]  # floats only for bar lengths; labels exact
    categories, series = list(cat_label.values()), list(series_label.values())
    # labels are cut in Python (:func:`_label`), so Vega need not measure them against a limit
    y = alt.Y("category:N", sort=categories, title=None,
              axis=alt.Axis(labelLimit=0, ticks=False, domain=False))
    legend = alt.Legend(orient="bottom", title=None, columns=4, labelLimit=0)
    color = alt.Color("series:N", sort=series, scale=alt.Scale(domain=series), legend=legend)
    base = alt.Chart(alt.Data(values=values))
    if d.kind == "stacked100":
        x = alt.X("value:Q", stack="normalize", title=d.axis_title, axis=alt.Axis(format=".0%"))
        chart = base.mark_bar().encode(x=x, y=y, color=color, order=alt.Order("order:Q"))
        height = alt.Step(STEP)
    else:
        x = alt.X("value:Q", title=d.axis_title, axis=alt.Axis(format=",.2f", tickCount=5),
                  scale=alt.Scale(nice=True))
        grouped = d.kind == "grouped"
        extra = {"yOffset": alt.YOffset("series:N", sort=series), "color": color} if grouped else {}
        bars = base.mark_bar(**({} if grouped else {"color": COLOR})).encode(x=x, y=y, **extra)
        text = base.mark_text(align="left", baseline="middle", dx=3, fontSize=10).encode(
            x="value:Q", y=y, text="label:N", **({"yOffset": extra["yOffset"]} if grouped else {}))
        chart = alt.layer(bars, text)
        height = alt.Step(STEP)  # with yOffset the step is per bar, not per category
    return chart.properties(title=d.title, width=WIDTH, height=height).to_dict(validate=False)


@functools.cache
def _register_font() -> None:
    """Register the CJK font directory with vl-convert (once per process)."""
    if not FONT_DIR.is_dir():
        raise FileNotFoundError(f"{FONT_DIR}: the CJK font ({FONT}) is needed to measure Chinese labels")
    vl_convert.register_font_directory(str(FONT_DIR))


#: rendered SVGs by content: the same spec, renderer and font give the same bytes (tested), so a
#: rebuild redraws only the charts whose data changed. ``BUDGET_CHART_CACHE=`` (empty) turns it off.
CACHE_DIR = Path(os.environ.get("BUDGET_CHART_CACHE", Path(__file__).resolve().parents[2] / ".cache" / "charts"))


_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()  # a change here redraws every chart


_used: set[Path] = set()  # cache files this process drew or read (kept by :func:`prune_cache`)


def _cache_on() -> bool:
    """``BUDGET_CHART_CACHE=`` (set, empty) turns the cache off."""
    return bool(os.environ.get("BUDGET_CHART_CACHE", "x"))


def _cache_key(d: _Draft) -> str:
    """Digest of everything the drawing depends on: what :func:`_spec` reads of the draft (not
    its slug, text alternative or sources), this module, Altair, vl-convert and the font. A hit
    skips building the Altair chart too (~20 ms a chart, more than reading the SVG)."""
    drawn = [d.kind, d.title, d.axis_title, list(d.series_order),
             [(p.category, p.series, p.figure.amount) for p in d.points]]
    text = json.dumps([drawn, CONFIG, alt.__version__, vl_convert.__version__, FONT, str(FONT_DIR), _CODE],
                      sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def render_svg(d: _Draft) -> str:
    """The draft's chart as SVG text, with the CJK font, made inert (:func:`_inert_svg`)."""
    path = CACHE_DIR / f"{_cache_key(d)}.svg" if _cache_on() else None
    if path is not None:
        _used.add(path)
        if path.is_file():
            try:
                os.utime(path)  # in use: kept by prune_cache
            except OSError:
                pass
            return path.read_text(encoding="utf-8")
    _register_font()
    svg = _inert_svg(vl_convert.vegalite_to_svg(_spec(d), config=CONFIG))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)  # atomic: a parallel build never reads half a file
        except OSError:
            pass  # a read-only checkout still builds, without the cache
    return svg


def prune_cache() -> None:
    """Drop cached SVGs (and leftover temporary files) that this process did not use and no
    build used for :data:`KEEP_UNUSED_SECONDS`: charts of data or code that has changed."""
    if CACHE_DIR.is_dir():
        remove_unused(sorted(CACHE_DIR.iterdir()), _used, KEEP_UNUSED_SECONDS)


#: characters of Markdown links, URL schemes and templates, written as references in text
_TEXT_SPECIALS = {c: f"&#{ord(c)};" for c in "{}[]():`\\"}
_TEXT = re.compile(r">([^<]+)<")


def _inert_svg(svg: str) -> str:
    """Text nodes of the SVG with ``{ } [ ] ( ) : ` \\`` as numeric character references: the
    drawing is the same, but ``javascript:``, ``](`` or ``{{`` never stand in the file.
    (The renderer already escaped ``< & >``; with ARIA off no data text is in an attribute.)"""
    return _TEXT.sub(lambda m: ">" + "".join(_TEXT_SPECIALS.get(c, c) for c in m.group(1)) + "<", svg)
