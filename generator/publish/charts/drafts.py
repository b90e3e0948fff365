"""Which points each chart of a bureau page shows: one builder per chart, each asking the
``facts`` of a document (through :mod:`generator.publish.figures`) one question and turning
each answer into a :class:`~generator.publish.charts.records.Point`. A chart whose data is
missing is not made (never an empty chart)."""
from __future__ import annotations

from decimal import Decimal

from ...vocabulary import PHASES, TABLE_NAMES, THREE_PUBLIC_ITEMS, UNIT
from ..catalog import Catalog
from ..figures import Figure, basic_project, fact, facts, table_total, three_public_facts, total_spending
from ..format import doc_label
from .records import Draft, Point
from .wording import basis_note, by_category, join_notes, largest_first, shares, slug_prefix, unique

TOP_ITEMS = 10  # the item chart (项) shows the largest ten


def _coded_points(figs: list[Figure], code_in_label: bool = False) -> list[Point]:
    """Points of classification facts (功能 / 经济分类): labelled by name (``2101202 name`` when
    ``code_in_label``), CSV columns code, name, amount."""
    names = [f.name or f.code for f in figs]
    codes = [f.code for f in figs]
    labels = [f"{c} {n}" for c, n in zip(codes, names)] if code_in_label else unique(names, codes)
    return [Point(label, f, (("code", f.code), ("name", f.name), ("amount", f.amount)))
            for label, f in zip(labels, figs)]


def _class_chart(doc: dict, figs: list[Figure], slug: str, what: str) -> Draft | None:
    """Sorted bars of the class facts (类) of one classification: ``what`` names it."""
    did = doc["document_id"]
    points = largest_first(_coded_points(figs))
    if not points:
        return None
    note = basis_note(points)
    return Draft(f"{slug_prefix(doc)}-{slug}", f"{doc_label(doc)}：{what}（类）（{UNIT}）", "bars", points,
                 f"{doc_label(doc)}{what}（类）：{shares(points)}。", did, note=note)


def _function_class_chart(cat: Catalog, doc: dict) -> Draft | None:
    return _class_chart(doc, facts(cat, doc["document_id"], "function", level="class"),
                        "function-classes", "支出功能分类")


def _function_item_chart(cat: Catalog, doc: dict) -> Draft | None:
    did = doc["document_id"]
    points = largest_first(_coded_points(facts(cat, did, "function", level="item"), code_in_label=True))
    if not points:
        return None
    top = points[:TOP_ITEMS]
    whole = sum((p.figure.value for p in points), Decimal(0))  # shares are of all items
    if len(points) > len(top):
        title = f"{doc_label(doc)}：支出功能分类（项）前 {len(top)} 位（{UNIT}）"
        head = f"共 {len(points)} 项，金额最大的 {len(top)} 项"
    else:
        title, head = f"{doc_label(doc)}：支出功能分类（项）（{UNIT}）", f"共 {len(points)} 项"
    note = join_notes(basis_note(top), _unitemized_note(table_total(cat, points[0].figure), whole))
    return Draft(f"{slug_prefix(doc)}-function-items", title, "bars", top,
                 f"{doc_label(doc)}按支出功能分类（项），{head}：{shares(top, whole)}。", did, note=note)


def _unitemized_note(total: Figure | None, items: Decimal) -> str:
    """When the items add up to less than the total of their table (北京 2026: 29,117.62 of
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
    same_table = parts[0].table == parts[1].table
    printed = table_total(cat, parts[0]) if same_table else None
    said = f"（表列合计 {printed.amount} {UNIT}）" if printed is not None else ""
    where = TABLE_NAMES.get(parts[0].table, "") if same_table else ""
    return Draft(f"{slug_prefix(doc)}-basic-project", f"{doc_label(doc)}：基本支出与项目支出（{UNIT}）",
                 "bars", points, f"{doc_label(doc)}{where}：{shares(points)}{said}。", did,
                 note=basis_note(points))


def _economic_chart(cat: Catalog, doc: dict) -> Draft | None:
    return _class_chart(doc, facts(cat, doc["document_id"], "economic", level="class"),
                        "basic-economic", "基本支出按经济分类")


def _three_public_chart(cat: Catalog, doc: dict) -> Draft | None:
    """The "三公" items (budget and, in a 决算, final side by side). Not drawn when the
    document has no "三公" facts or all are 0 (the page's table states the 0)."""
    did = doc["document_id"]
    by_key = {(f.code, f_measure): f for f_measure, f in three_public_facts(cat, did)}
    if not by_key or all(f.value == 0 for f in by_key.values()):
        return None
    measures = [m for m in PHASES if any(k[1] == m for k in by_key)]
    items = [i for i in THREE_PUBLIC_ITEMS if i != "total" and any(k[0] == i for k in by_key)]
    items = items or ["total"]  # no breakdown: draw the total
    points = []
    for item in items:
        for measure in measures:
            fig = by_key.get((item, measure))
            if fig is not None:
                name = THREE_PUBLIC_ITEMS[item]
                points.append(Point(name, fig, (("item", item), ("name", name), ("measure", measure),
                                                ("amount", fig.amount)),
                                    PHASES[measure] if len(measures) > 1 else ""))
    said = "，".join(f"{PHASES[m] if len(measures) > 1 else ''}合计 {by_key[('total', m)].amount} {UNIT}"
                    for m in measures if ("total", m) in by_key)
    body = by_category(points) if len(measures) > 1 else "；".join(
        f"{p.category} {p.figure.amount} {UNIT}" for p in points)
    return Draft(f"{slug_prefix(doc)}-three-public", f"{doc_label(doc)}：“三公”经费（{UNIT}）",
                 "grouped" if len(measures) > 1 else "bars", points,
                 f"{doc_label(doc)}“三公”经费" + (f"{said}：" if said else "：") + body + "。", did,
                 series_order=tuple(PHASES[m] for m in measures), note=basis_note(points))


def _budget_final_charts(cat: Catalog, bureau_id: str) -> list[Draft]:
    """预算 vs 决算 of the same year and scope: 支出合计, 基本支出, 项目支出 side by side, each
    the fact of its document's own measure."""
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
            did = doc["document_id"]
            figures[phase] = {"total": total_spending(cat, did), "basic": fact(cat, did, "total", "basic"),
                              "project": fact(cat, did, "total", "project")}
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
                         series_order=("预算", "决算"), note=basis_note(points)))
    return out


def _yearly_chart(cat: Catalog, bureau_id: str) -> Draft | None:
    """支出合计 per year (预算 and 决算 as two series), when there are several years: one
    document per year and phase (部门 before 单位: a 部门预算 includes its 单位预算)."""
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
    alt_text = (by_category(points) if len(phases) > 1 else
                "；".join(f"{p.category}{PHASES[phases[0]]} {p.figure.amount} {UNIT}" for p in points))
    return Draft("spending-by-year", f"历年支出合计（{UNIT}）", "grouped" if len(phases) > 1 else "bars",
                 points, f"历年支出合计：{alt_text}。", None, series_order=tuple(PHASES[p] for p in phases),
                 note=basis_note(points))


def _class_point(fig: Figure, label: str, series: str, key: tuple[str, str]) -> Point:
    """A 类 fact in the series ``series``; CSV columns code, name, ``key`` (phase or year),
    document, amount."""
    return Point(label, fig, (("code", fig.code), ("name", fig.name), key, ("document_id", fig.document_id),
                              ("amount", fig.amount)), series)


def _class_labels(by_series: list[dict[str, Figure]]) -> dict[str, str]:
    """The 类 codes of several documents (dicts code -> fact), in chart order: largest first
    in the first document that has them, then by code; each labelled by its name there, or
    ``code name`` where two classes share a name."""
    first: dict[str, tuple[int, Figure]] = {}
    for i, figs in enumerate(by_series):
        for code, fig in figs.items():
            first.setdefault(code, (i, fig))
    order = sorted(first, key=lambda c: (first[c][0], -first[c][1].value, c))
    return dict(zip(order, unique([first[c][1].name or c for c in order], order)))


def _budget_final_class_charts(cat: Catalog, bureau_id: str) -> list[Draft]:
    """预算 vs 决算 of the same year and scope by 类 of the function classification: each 类
    fact of the 预算 (its measure budget) beside the one of the 决算 (measure final)."""
    docs = cat.documents_of(bureau_id)
    out = []
    for year, scope in sorted({(d["year"], d["scope"]) for d in docs}):
        pair = [next((d for d in docs if (d["year"], d["scope"], d["phase"]) == (year, scope, phase)), None)
                for phase in ("budget", "final")]
        if None in pair:
            continue
        figs = [{f.code: f for f in facts(cat, d["document_id"], "function", level="class")} for d in pair]
        if not all(figs):
            continue
        points = [_class_point(by_code[code], label, PHASES[phase], ("phase", phase))
                  for code, label in _class_labels(figs).items()
                  for phase, by_code in zip(("budget", "final"), figs) if code in by_code]
        tail = "" if scope == "department" else f"-{scope}"
        out.append(Draft(f"{year}-budget-vs-final-function-classes{tail}",
                         f"{year}年预算与决算：支出功能分类（类）（{UNIT}）", "grouped", points,
                         f"{year}年支出功能分类（类）预算与决算：{by_category(points)}。", None,
                         series_order=("预算", "决算"), note=basis_note(points)))
    return out


def _yearly_class_charts(cat: Catalog, bureau_id: str) -> list[Draft]:
    """The 类 of the function classification year by year, one chart per phase with several
    years: one document per year (部门 before 单位, as :func:`_yearly_chart`), the years as
    series, oldest first."""
    out = []
    for phase in PHASES:
        by_year: dict[str, dict[str, Figure]] = {}
        for doc in cat.documents_of(bureau_id):  # newest first; 部门 before 单位 within a year
            if doc["phase"] != phase or doc["year"] in by_year:
                continue
            figs = {f.code: f for f in facts(cat, doc["document_id"], "function", level="class")}
            if figs:
                by_year[doc["year"]] = figs
        if len(by_year) < 2:
            continue
        years = sorted(by_year, key=lambda y: (int(y) if y.isdigit() else 0, y))
        labels = _class_labels([by_year[y] for y in reversed(years)])  # in the newest year's order
        points = [_class_point(by_year[year][code], label, f"{year}年", ("year", year))
                  for code, label in labels.items() for year in years if code in by_year[year]]
        out.append(Draft(f"function-classes-by-year-{phase}", f"历年{PHASES[phase]}：支出功能分类（类）（{UNIT}）",
                         "grouped", points, f"历年{PHASES[phase]}支出功能分类（类）：{by_category(points)}。", None,
                         series_order=tuple(f"{y}年" for y in years), note=basis_note(points)))
    return out


def bureau_drafts(cat: Catalog, bureau_id: str) -> list[Draft]:
    """The charts of a bureau page: per document (newest first) spending by function class,
    the ten largest items, 基本/项目, basic spending by economic class and "三公"; then 预算 vs
    决算 per year where both exist (支出合计/基本/项目, then by 类), and 支出合计 and the 类 by
    year when there are several years. Charts without data are left out."""
    drafts: list[Draft | None] = []
    for doc in cat.documents_of(bureau_id):
        for build in (_function_class_chart, _function_item_chart, _basic_project_chart,
                      _economic_chart, _three_public_chart):
            drafts.append(build(cat, doc))
    drafts += _budget_final_charts(cat, bureau_id)
    drafts += _budget_final_class_charts(cat, bureau_id)
    drafts.append(_yearly_chart(cat, bureau_id))
    drafts += _yearly_class_charts(cat, bureau_id)
    return [d for d in drafts if d is not None]
