"""Which points each chart of the comparison page shows: like with like — one set of charts
per year and phase (2026年预算, 2024年决算, …), each bureau's document of that year and phase
side by side (部门 before 单位; at most :data:`COMPARE_MAX` bureaus, the largest by 支出合计),
every figure a ``facts`` row of that document in the document's own measure. Chart slugs are
``compare-<year>-<phase>-<kind>``."""
from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import PHASES, UNIT
from ..catalog import Catalog
from ..figures import (Figure, basic_project, function_classes, personnel_public, three_public_total,
                       total_spending)
from ..format import doc_label, year_number
from .records import Draft, Point
from .wording import amounts, basis_note, largest_first, stack_shares, unique

COMPARE_MAX = 30  # bureaus drawn on a comparison chart
COMPARE_MIN = 2  # a year and phase of one bureau gets no comparison chart (its figures are in the tables)


def comparison_groups(cat: Catalog) -> list[tuple[tuple[str, str], list[tuple[dict, dict]]]]:
    """((year, phase), [(bureau, document)]) for every year and phase of the documents, latest
    year first, budget before final; one document per bureau (部门 before 单位)."""
    groups: dict[tuple[str, str], dict[str, dict]] = {}
    for bid in sorted(cat.bureaus):
        for d in cat.documents_of(bid):  # 部门 before 单位 within a year and phase
            groups.setdefault((d.get("year") or "", d.get("phase") or ""), {}).setdefault(bid, d)
    order = sorted(groups, key=lambda k: (-year_number(k[0]), k[1] != "budget", k))
    return [(k, [(cat.bureaus[bid], d) for bid, d in sorted(groups[k].items())]) for k in order]


def group_prefix(year: str, phase: str) -> str:
    """Slug prefix of a year and phase's comparison charts: ``compare-2026-budget-``."""
    return f"compare-{year}-{phase}-"


def comparison_drafts(cat: Catalog) -> list[Draft]:
    """Charts of the comparison page, per year and phase (:func:`comparison_groups`) of at
    least :data:`COMPARE_MIN` bureaus: total
    spending, shares by function class, 基本/项目, 人员/公用 and "三公" total. A bureau
    without the figures of a chart is left out of that chart."""
    out = []
    for (year, phase), latest in comparison_groups(cat):
        if len(latest) >= COMPARE_MIN:
            out += _group_drafts(cat, year, phase, latest)
    return out


def _group_drafts(cat: Catalog, year: str, phase: str, latest: list[tuple[dict, dict]]) -> list[Draft]:
    if len(latest) > COMPARE_MAX:  # a readable chart: the largest by total spending (all in the tables)
        size = {d["document_id"]: (f.value if (f := total_spending(cat, d["document_id"])) else 0) for _, d in latest}
        keep = {d["document_id"] for _, d in sorted(latest, key=lambda bd: -size[bd[1]["document_id"]])[:COMPARE_MAX]}
        latest = [(b, d) for b, d in latest if d["document_id"] in keep]
    labels = unique([f"{b.get('name') or b['bureau_id']}（{doc_label(d)}）" for b, d in latest],
                     [b["bureau_id"] for b, _ in latest])
    entries = [_Entry(label, b, d) for label, (b, d) in zip(labels, latest)]
    g = _Group(group_prefix(year, phase), f"{year}年{PHASES.get(phase, phase)}", phase)
    drafts = [_compare_totals(cat, g, entries), _compare_classes(cat, g, entries),
              _compare_split(cat, g, entries, "basic-project", "基本支出与项目支出",
                             basic_project, ("basic", "project"), ("基本支出", "项目支出")),
              _compare_split(cat, g, entries, "personnel-public", "基本支出中的人员经费与公用经费",
                             personnel_public, ("personnel", "public"), ("人员经费", "公用经费")),
              _compare_three_public(cat, g, entries)]
    return [d for d in drafts if d is not None]


@dataclass(frozen=True)
class _Group:
    """A year and phase of the comparison page: slug prefix, words (``2026年预算``), measure."""

    prefix: str
    words: str
    measure: str


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


def _compare_totals(cat: Catalog, g: _Group, entries: list[_Entry]) -> Draft | None:
    points = largest_first([Point(e.label, fig, e.columns(fig)) for e in entries
                      if (fig := total_spending(cat, e.doc["document_id"])) is not None])
    if not points:
        return None
    return Draft(g.prefix + "total-spending", f"{g.words}：支出合计（{UNIT}）", "bars", points,
                 f"{g.words}各部门的支出合计：{amounts(points)}。", None,
                 note="支出合计为收支总表的本年支出合计，无此行时为支出总表的合计。" + basis_note(points))


def _compare_classes(cat: Catalog, g: _Group, entries: list[_Entry]) -> Draft | None:
    points = []
    for e in entries:
        did = e.doc["document_id"]
        for fig in sorted(function_classes(cat, did), key=lambda f: f.code):
            name = fig.name or fig.code
            points.append(Point(e.label, fig, e.columns(fig, ("code", fig.code), ("name", name)), name))
    if not points:
        return None
    by_code = sorted(points, key=lambda p: dict(p.columns)["code"])
    return Draft(g.prefix + "function-classes", f"{g.words}：支出功能分类（类）构成（占比；金额 {UNIT}）",
                  "stacked100", points, f"{g.words}各部门按支出功能分类（类）的构成：{stack_shares(points)}。",
                  None, axis_title="占比", series_order=tuple(dict.fromkeys(p.series for p in by_code)),
                  note=basis_note(points))


def _compare_split(cat: Catalog, g: _Group, entries: list[_Entry], slug: str, title: str, get,
                   keys: tuple[str, str], names: tuple[str, str]) -> Draft | None:
    """Two parts of a total per bureau (``get`` is :func:`basic_project` or
    :func:`personnel_public`) as 100% stacked bars."""
    points = [Point(e.label, fig, e.columns(fig, ("part", key), ("name", name)), name)
              for e in entries if (parts := get(cat, e.doc["document_id"])) is not None
              for key, name, fig in zip(keys, names, parts)]
    if not points:
        return None
    return Draft(g.prefix + slug, f"{g.words}：{title}（占比；金额 {UNIT}）", "stacked100", points,
                  f"{g.words}各部门的{title}：{stack_shares(points)}。", None,
                  axis_title="占比", series_order=names, note=basis_note(points))


def _compare_three_public(cat: Catalog, g: _Group, entries: list[_Entry]) -> Draft | None:
    """The "三公" 合计 per bureau, in the group's measure (预算数 of budgets, 决算数 of final
    accounts); 0 is drawn and said."""
    points = [Point(e.label, fig, e.columns(fig)) for e in entries
              if (fig := three_public_total(cat, e.doc["document_id"], g.measure)) is not None]
    if not points:
        return None
    points = largest_first(points)
    return Draft(g.prefix + "three-public", f"{g.words}：“三公”经费合计（{UNIT}）", "bars", points,
                  f"{g.words}各部门的“三公”经费合计：{amounts(points)}。", None, note=basis_note(points))
