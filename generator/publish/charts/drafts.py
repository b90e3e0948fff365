"""Which points each chart of a bureau page shows: one builder per chart, each picking the
rows of one table (through :mod:`generator.publish.figures`) and turning each into a
:class:`~generator.publish.charts.records.Point`. A chart whose data is missing is not made
(never an empty chart)."""
from __future__ import annotations

from decimal import Decimal

from ...vocabulary import PHASES, TABLE_NAMES, THREE_PUBLIC_ITEMS, UNIT
from ..catalog import Catalog
from ..figures import (ECONOMIC_ROW_SOURCES, FUNCTION_ROW_SOURCES, Figure, basic_project, coded_rows,
                       figure_of, function_classes, printed_total, printed_total_spending)
from ..format import contract_amount, doc_label
from .records import Draft, Point
from .wording import by_category, largest_first, shares, slug_prefix, unique

TOP_ITEMS = 10  # the item chart (项) shows the largest ten


def _coded_points(rows: list[dict], document_id: str, code_in_label: bool = False) -> list[Point]:
    """Points of coded rows (功能 / 经济分类): labelled by name (``2101202 name`` when
    ``code_in_label``), CSV columns code, name, amount."""
    names = [r.get("name") or r.get("code") or "" for r in rows]
    codes = [r.get("code") or "" for r in rows]
    labels = [f"{c} {n}" for c, n in zip(codes, names)] if code_in_label else unique(names, codes)
    points = []
    for label, code, row in zip(labels, codes, rows):
        fig = figure_of(row, "total", document_id)
        assert fig is not None  # coded_rows keeps rows with an amount
        points.append(Point(label, fig, (("code", code), ("name", row.get("name") or ""), ("amount", fig.amount))))
    return points


def _class_chart(doc: dict, rows: list[dict], slug: str, what: str) -> Draft | None:
    """Sorted bars of the class rows (类) of one classification: ``what`` names it."""
    did = doc["document_id"]
    points = largest_first(_coded_points(rows, did))
    if not points:
        return None
    return Draft(f"{slug_prefix(doc)}-{slug}", f"{doc_label(doc)}：{what}（类）（{UNIT}）", "bars", points,
                  f"{doc_label(doc)}{what}（类）：{shares(points)}。", did)


def _function_class_chart(cat: Catalog, doc: dict) -> Draft | None:
    return _class_chart(doc, function_classes(cat, doc["document_id"]), "function-classes", "支出功能分类")


def _function_item_chart(cat: Catalog, doc: dict) -> Draft | None:
    did = doc["document_id"]
    rows = coded_rows(cat, did, "function_expenditure", FUNCTION_ROW_SOURCES, "item")
    points = largest_first(_coded_points(rows, did, code_in_label=True))
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
    return Draft(f"{slug_prefix(doc)}-function-items", title, "bars", top,
                  f"{doc_label(doc)}按支出功能分类（项），{head}：{shares(top, whole)}。", did, note=note)


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


def _basic_project_chart(cat: Catalog, doc: dict) -> Draft | None:
    did = doc["document_id"]
    parts = basic_project(cat, did)
    if parts is None:
        return None
    points = [Point(name, fig, (("part", key), ("name", name), ("amount", fig.amount)))
              for key, name, fig in zip(("basic", "project"), ("基本支出", "项目支出"), parts)]
    printed = printed_total(cat, did, parts[0].table)
    note = f"（表列合计 {printed.amount} {UNIT}）" if printed is not None else ""
    return Draft(f"{slug_prefix(doc)}-basic-project", f"{doc_label(doc)}：基本支出与项目支出（{UNIT}）",
                  "bars", points, f"{doc_label(doc)}{TABLE_NAMES.get(parts[0].table, '')}"
                  f"：{shares(points)}{note}。", did)


def _economic_chart(cat: Catalog, doc: dict) -> Draft | None:
    rows = coded_rows(cat, doc["document_id"], "economic_expenditure", ECONOMIC_ROW_SOURCES, "class")
    return _class_chart(doc, rows, "basic-economic", "基本支出按经济分类")


def _three_public_chart(cat: Catalog, doc: dict) -> Draft | None:
    """The "三公" items (budget and, in a 决算, final side by side). Not drawn when the
    document has no "三公" rows or all are 0 (the page's table states the 0)."""
    did = doc["document_id"]
    rows = [r for r in cat.rows(did, "three_public") if contract_amount(r.get("amount")) is not None
            and r.get("item") in THREE_PUBLIC_ITEMS and r.get("measure") in PHASES]
    if not rows or all(contract_amount(r["amount"]) == 0 for r in rows):
        return None
    measures = [m for m in PHASES if any(r["measure"] == m for r in rows)]
    items = [i for i in THREE_PUBLIC_ITEMS if i != "total" and any(r["item"] == i for r in rows)]
    items = items or ["total"]  # no breakdown printed: draw the total
    points = []
    for item in items:
        for measure in measures:
            row = next((r for r in rows if (r["item"], r["measure"]) == (item, measure)), None)
            if row is not None:
                name = THREE_PUBLIC_ITEMS[item]
                fig = figure_of(row, "amount", did)
                assert fig is not None  # rows with an amount only
                points.append(Point(name, fig, (("item", item), ("name", name), ("measure", measure),
                                                ("amount", fig.amount)),
                                    PHASES[measure] if len(measures) > 1 else ""))
    totals = {r["measure"]: r["amount"].strip() for r in reversed(rows) if r["item"] == "total"}
    said = "，".join(f"{PHASES[m] if len(measures) > 1 else ''}合计 {totals[m]} {UNIT}"
                    for m in measures if m in totals)
    body = by_category(points) if len(measures) > 1 else "；".join(
        f"{p.category} {p.figure.amount} {UNIT}" for p in points)
    return Draft(f"{slug_prefix(doc)}-three-public", f"{doc_label(doc)}：“三公”经费（{UNIT}）",
                  "grouped" if len(measures) > 1 else "bars", points,
                  f"{doc_label(doc)}“三公”经费" + (f"{said}：" if said else "：") + body + "。", did,
                  series_order=tuple(PHASES[m] for m in measures))


def _budget_final_charts(cat: Catalog, bureau_id: str) -> list[Draft]:
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
                                      (printed_total_spending(cat, doc["document_id"]), *parts)))
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
        out.append(Draft(f"{year}-budget-vs-final{tail}", f"{year}年预算与决算（{UNIT}）", "grouped",
                          points, f"{year}年预算与决算：{by_category(points)}。", None,
                          series_order=("预算", "决算")))
    return out


def _yearly_chart(cat: Catalog, bureau_id: str) -> Draft | None:
    """Total spending per year (预算 and 决算 as two series), when there are several years."""
    seen: dict[tuple[str, str], Figure] = {}
    for doc in cat.documents_of(bureau_id):  # 部门 before 单位 within a year
        key = (doc["year"], doc["phase"])
        figure = printed_total_spending(cat, doc["document_id"])
        if key not in seen and figure is not None:
            seen[key] = figure
    if len({year for year, _ in seen}) < 2:
        return None
    phases = [p for p in PHASES if any(ph == p for _, ph in seen)]
    points = [Point(f"{year}年", fig, (("year", year), ("phase", phase), ("document_id", fig.document_id),
                                      ("amount", fig.amount)), PHASES[phase] if len(phases) > 1 else "")
              for (year, phase), fig in sorted(seen.items(), key=lambda kv: (int(kv[0][0] or 0), kv[0][1]))]
    alt_text = (by_category(points) if len(phases) > 1 else
                "；".join(f"{p.category}{PHASES[phases[0]]} {p.figure.amount} {UNIT}" for p in points))
    return Draft("spending-by-year", f"历年支出合计（{UNIT}）", "grouped" if len(phases) > 1 else "bars",
                  points, f"历年支出合计：{alt_text}。", None, series_order=tuple(PHASES[p] for p in phases))


def bureau_drafts(cat: Catalog, bureau_id: str) -> list[Draft]:
    """The charts of a bureau page: per document (newest first) spending by function class,
    the ten largest items, 基本/项目, basic spending by economic class and "三公"; then 预算 vs
    决算 per year where both exist, and total spending by year when there are several years.
    Charts without data are left out."""
    drafts: list[Draft | None] = []
    for doc in cat.documents_of(bureau_id):
        for build in (_function_class_chart, _function_item_chart, _basic_project_chart,
                      _economic_chart, _three_public_chart):
            drafts.append(build(cat, doc))
    drafts += _budget_final_charts(cat, bureau_id)
    drafts.append(_yearly_chart(cat, bureau_id))
    return [d for d in drafts if d is not None]
