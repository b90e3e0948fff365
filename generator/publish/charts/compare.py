"""Which points each chart of the comparison page shows: every bureau's latest budget
document side by side (at most :data:`COMPARE_MAX` bureaus, the largest by 支出合计), every
figure a ``facts`` row of that document."""
from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import UNIT
from ..catalog import Catalog
from ..figures import (Figure, basic_project, function_classes, latest_budget, personnel_public,
                       three_public_total, total_spending)
from ..format import doc_label
from .records import Draft, Point
from .wording import amounts, basis_note, largest_first, stack_shares, unique

COMPARE_MAX = 30  # bureaus drawn on a comparison chart


def comparison_drafts(cat: Catalog) -> list[Draft]:
    """Charts of the comparison page, over each bureau's latest budget document: total
    spending, shares by function class, 基本/项目, 人员/公用 and "三公" total. A bureau
    without the figures of a chart is left out of that chart."""
    latest = [(cat.bureaus[bid], doc) for bid in sorted(cat.bureaus)
              if (doc := latest_budget(cat, bid)) is not None]
    if len(latest) > COMPARE_MAX:  # a readable chart: the largest by total spending (all in the tables)
        size = {d["document_id"]: (f.value if (f := total_spending(cat, d["document_id"])) else 0) for _, d in latest}
        keep = {d["document_id"] for _, d in sorted(latest, key=lambda bd: -size[bd[1]["document_id"]])[:COMPARE_MAX]}
        latest = [(b, d) for b, d in latest if d["document_id"] in keep]
    labels = unique([f"{b.get('name') or b['bureau_id']}（{doc_label(d)}）" for b, d in latest],
                     [b["bureau_id"] for b, _ in latest])
    entries = [_Entry(label, b, d) for label, (b, d) in zip(labels, latest)]
    drafts = [_compare_totals(cat, entries), _compare_classes(cat, entries),
              _compare_split(cat, entries, "compare-basic-project", "基本支出与项目支出",
                             basic_project, ("basic", "project"), ("基本支出", "项目支出")),
              _compare_split(cat, entries, "compare-personnel-public", "基本支出中的人员经费与公用经费",
                             personnel_public, ("personnel", "public"), ("人员经费", "公用经费")),
              _compare_three_public(cat, entries)]
    return [d for d in drafts if d is not None]


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


def _compare_totals(cat: Catalog, entries: list[_Entry]) -> Draft | None:
    points = largest_first([Point(e.label, fig, e.columns(fig)) for e in entries
                      if (fig := total_spending(cat, e.doc["document_id"])) is not None])
    if not points:
        return None
    return Draft("compare-total-spending", f"各局最新预算：支出合计（{UNIT}）", "bars", points,
                 f"各局最新预算的支出合计：{amounts(points)}。", None,
                 note="支出合计为收支总表的本年支出合计，无此行时为支出总表的合计。" + basis_note(points))


def _compare_classes(cat: Catalog, entries: list[_Entry]) -> Draft | None:
    points = []
    for e in entries:
        did = e.doc["document_id"]
        for fig in sorted(function_classes(cat, did), key=lambda f: f.code):
            name = fig.name or fig.code
            points.append(Point(e.label, fig, e.columns(fig, ("code", fig.code), ("name", name)), name))
    if not points:
        return None
    by_code = sorted(points, key=lambda p: dict(p.columns)["code"])
    return Draft("compare-function-classes", f"各局最新预算：支出功能分类（类）构成（占比；金额 {UNIT}）",
                  "stacked100", points, f"各局最新预算按支出功能分类（类）的构成：{stack_shares(points)}。",
                  None, axis_title="占比", series_order=tuple(dict.fromkeys(p.series for p in by_code)),
                  note=basis_note(points))


def _compare_split(cat: Catalog, entries: list[_Entry], slug: str, title: str, get,
                   keys: tuple[str, str], names: tuple[str, str]) -> Draft | None:
    """Two parts of a total per bureau (``get`` is :func:`basic_project` or
    :func:`personnel_public`) as 100% stacked bars."""
    points = [Point(e.label, fig, e.columns(fig, ("part", key), ("name", name)), name)
              for e in entries if (parts := get(cat, e.doc["document_id"])) is not None
              for key, name, fig in zip(keys, names, parts)]
    if not points:
        return None
    return Draft(slug, f"各局最新预算：{title}（占比；金额 {UNIT}）", "stacked100", points,
                  f"各局最新预算的{title}：{stack_shares(points)}。", None,
                  axis_title="占比", series_order=names, note=basis_note(points))


def _compare_three_public(cat: Catalog, entries: list[_Entry]) -> Draft | None:
    """The "三公" 合计 (budget) per bureau; 0 is drawn and said."""
    points = [Point(e.label, fig, e.columns(fig)) for e in entries
              if (fig := three_public_total(cat, e.doc["document_id"], "budget")) is not None]
    if not points:
        return None
    points = largest_first(points)
    return Draft("compare-three-public", f"各局最新预算：“三公”经费合计（{UNIT}）", "bars", points,
                  f"各局最新预算的“三公”经费合计：{amounts(points)}。", None, note=basis_note(points))
