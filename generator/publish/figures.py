"""Which figure the site shows: every figure outside the table-by-table view of a document is
a row of the ``facts`` resource, read here and nowhere else.

The rules for choosing a table, a row or a total live in :mod:`generator.facts` (the stage
before the packages); the site only asks a question — (document, measure, dimension, code,
part) — and shows the one answer, with the table and page it was read from. Where a document
has no answer the pages show “—”. Amounts stay exact decimals (:class:`Figure` keeps the
package's string).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..vocabulary import FACT_BASES, PHASES, SEVERITY_NAMES, THREE_PUBLIC_NAMES
from .catalog import Catalog
from .format import contract_amount, fmt_amount

# ------------------------------------------------------------------------------ checks

CHECK_STATUS = {"pass": "通过", "fail": "未通过", "waived": "已豁免", "repaired": "已修复", "rounding": "尾差",
                "not_applicable": "不适用", "insufficient_data": "数据不足"}
#: statuses counted as passed in "N/M 项检查通过"; the others count in M except these:
PASSED = {"pass", "rounding"}
NOT_COUNTED = {"not_applicable", "insufficient_data"}


def severity_name(cat: Catalog, row: dict) -> str:
    """错误 / 警告 / 提示 of a checks.csv row (its ``severity``, else its check's definition)."""
    severity = row.get("severity") or cat.check_severity.get(row.get("check") or "", "")
    return SEVERITY_NAMES.get(severity, severity)


def check_counts(cat: Catalog, document_id: str) -> tuple[int, int, int]:
    """(passed, counted, failed) over checks.csv rows of the document."""
    statuses = [r.get("status", "") for r in cat.rows(document_id, "checks")]
    counted = [s for s in statuses if s not in NOT_COUNTED]
    return (sum(s in PASSED for s in counted), len(counted), sum(s == "fail" for s in counted))


def check_label(cat: Catalog, document_id: str) -> str:
    """``12/13 项检查通过（1 项未通过）``, ``12/14 项检查通过（1 项未通过，1 项已豁免）``
    (a waived finding is not passed, nor failed), or ``无检查``."""
    passed, counted, failed = check_counts(cat, document_id)
    if counted == 0:
        return "无检查"
    label = f"{passed}/{counted} 项检查通过"
    waived = sum(r.get("status") == "waived" for r in cat.rows(document_id, "checks"))
    notes = [f"{failed} 项未通过"] * bool(failed) + [f"{waived} 项已豁免"] * bool(waived)
    return label + (f"（{'，'.join(notes)}）" if notes else "")


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figure:
    """One amount of the ``facts`` resource, and where it was read."""

    amount: str  # exact decimal string in 万元, as in the package ("3617.46", "170")
    document_id: str
    table: str  # canonical table id the fact is read from ("general_public_function", "narrative", ...)
    page: int | None  # page of the source PDF; None for text sources
    basis: str = "printed"  # printed | derived | repaired (facts.basis)
    conflict: bool = False  # other printed copies disagree (facts.conflict)
    code: str = ""
    name: str = ""
    uncertain: bool = False  # read by OCR and no identity of its tables confirms it (facts.certainty)

    @property
    def value(self) -> Decimal:
        return Decimal(self.amount)

    @property
    def source(self) -> tuple[str, str, int | None]:
        return (self.document_id, self.table, self.page)


def _page(row: dict) -> int | None:
    page = (row.get("source_page") or "").strip()
    return int(page) if page.isdigit() else None


def fact_figure(row: dict) -> Figure | None:
    """A ``facts`` row as a Figure (None when its amount is empty)."""
    if contract_amount(row.get("amount")) is None:
        return None
    return Figure(row["amount"].strip(), row.get("document_id") or "", row.get("source_table") or "",
                  _page(row), row.get("basis") or "printed", row.get("conflict") == "true",
                  row.get("code") or "", row.get("name") or "", row.get("certainty") == "uncertain")


def measure_of(cat: Catalog, document_id: str) -> str:
    """The measure a document's own figures are: ``final`` for a 决算, else ``budget``."""
    phase = cat.document(document_id).get("phase")
    return phase if phase in PHASES else "budget"


def facts(cat: Catalog, document_id: str, dimension: str, measure: str | None = None,
          level: str | None = None, part: str = "total") -> list[Figure]:
    """The facts of one dimension (and level, part) of a document, in the package's order;
    ``measure`` defaults to the document's own (:func:`measure_of`)."""
    measure = measure or measure_of(cat, document_id)
    out = []
    for row in cat.rows(document_id, "facts"):
        if (row.get("dimension"), row.get("measure"), row.get("part")) != (dimension, measure, part):
            continue
        if level is not None and (row.get("level") or "") != level:
            continue
        fig = fact_figure(row)
        if fig is not None:
            out.append(fig)
    return out


def fact(cat: Catalog, document_id: str, dimension: str, code: str, part: str = "total",
         measure: str | None = None) -> Figure | None:
    """The one fact answering (measure, dimension, code, part) of a document, or None."""
    return next((f for f in facts(cat, document_id, dimension, measure, part=part) if f.code == code), None)


def total_spending(cat: Catalog, document_id: str, measure: str | None = None) -> Figure | None:
    """支出合计: the fact (total, expenditure) — 本年支出合计 of the 收支总表, else the 合计 of
    the 支出总表 (all funds), else the sum of its 类 (``derived``)."""
    return fact(cat, document_id, "total", "expenditure", measure=measure)


#: what 支出合计 is, said on every page that shows it
TOTAL_SPENDING_RULE = ("“支出合计”为收支总表的“本年支出合计”，无此行时为支出总表（全部资金）的合计"
                       "（原表未印出合计时由各类相加）；“一般公共预算支出”为一般公共预算支出表（功能分类，"
                       "无此表时经济分类）的合计，无此表时为财政拨款收支总表的一般公共预算支出。无此数字的文件显示“—”。")


def general_public(cat: Catalog, document_id: str, measure: str | None = None) -> Figure | None:
    """一般公共预算支出合计: the fact (total, general_public)."""
    return fact(cat, document_id, "total", "general_public", measure=measure)


def pair(cat: Catalog, document_id: str, codes: tuple[str, str], measure: str | None = None
         ) -> tuple[Figure, Figure] | None:
    """Two total facts (e.g. basic and project) when the document has both, else None."""
    a, b = (fact(cat, document_id, "total", c, measure=measure) for c in codes)
    return (a, b) if a is not None and b is not None else None


def basic_project(cat: Catalog, document_id: str, measure: str | None = None) -> tuple[Figure, Figure] | None:
    """(基本支出, 项目支出): the facts (total, basic) and (total, project)."""
    return pair(cat, document_id, ("basic", "project"), measure)


def personnel_public(cat: Catalog, document_id: str, measure: str | None = None
                     ) -> tuple[Figure, Figure] | None:
    """(人员经费, 公用经费): the facts (total, personnel) and (total, public)."""
    return pair(cat, document_id, ("personnel", "public"), measure)


def table_total(cat: Catalog, figure: Figure) -> Figure | None:
    """The total fact read from the same table as ``figure`` (一般公共预算支出 for the 一般公共
    预算支出表, 支出合计 for the 支出总表), to say what a part is part of; else None."""
    for code in ("general_public", "expenditure"):
        total = fact(cat, figure.document_id, "total", code)
        if total is not None and total.table == figure.table:
            return total
    return None


def function_classes(cat: Catalog, document_id: str) -> list[Figure]:
    """类 of the 支出功能分类 (facts function, level class, part total)."""
    return facts(cat, document_id, "function", level="class")


def three_public_total(cat: Catalog, document_id: str, measure: str | None = None) -> Figure | None:
    """The “三公”经费 合计 of one measure (facts three_public, code total)."""
    return fact(cat, document_id, "three_public", "total", measure=measure)


def three_public_facts(cat: Catalog, document_id: str) -> list[tuple[str, Figure]]:
    """(measure, fact) of the “三公” items and their total, of every measure the document
    prints (a 决算 prints 预算数 and 决算数); 机关运行经费 is not one of them."""
    return [(measure, f) for measure in PHASES for f in facts(cat, document_id, "three_public", measure)
            if f.code in THREE_PUBLIC_NAMES or f.code == "total"]


def latest_budget(cat: Catalog, bureau_id: str) -> dict | None:
    """The bureau's latest budget document (部门 before 单位 in the same year), or None."""
    return next((d for d in cat.documents_of(bureau_id) if d.get("phase") == "budget"), None)


# ------------------------------------------------------------------- marks of a figure

#: marks after a figure that is not simply as printed, and what they mean
DERIVED_MARK, CONFLICT_MARK, UNCERTAIN_MARK = "※", "≠", "？"
MARKS_NOTE = {DERIVED_MARK: f"{DERIVED_MARK} 原表未印出此数，{FACT_BASES['derived']}。",
              CONFLICT_MARK: f"{CONFLICT_MARK} 原文其他表格印出的同一数字与此不同（见数据包 facts 的 alternatives 列）。",
              UNCERTAIN_MARK: f"{UNCERTAIN_MARK} 存疑：此数由扫描件经 OCR 识别，表内勾稽关系未能核实，"
                              "可能有识别错误，请以原文为准（见数据包 facts 的 certainty 列）。"}


def marks(fig: Figure | None) -> str:
    """``※`` for a derived figure, ``≠`` for one that other printed copies contradict, ``？`` for
    one read by OCR that no identity confirms."""
    if fig is None:
        return ""
    return ((DERIVED_MARK if fig.basis == "derived" else "") + (CONFLICT_MARK if fig.conflict else "")
            + (UNCERTAIN_MARK if fig.uncertain else ""))


def marks_note(figs) -> str:
    """The sentences explaining the marks used by ``figs`` ('' when none is marked)."""
    used = "".join(marks(f) for f in figs)
    return "".join(text for mark, text in MARKS_NOTE.items() if mark in used)


def class_sums(rows: list[dict], columns: tuple[str, ...]) -> list[Decimal | None] | None:
    """Sums of the class rows (类) per column (None for a column without figures), or None
    without class rows. For the table-by-table view only (the printed rows of one table)."""
    classes = [r for r in rows if r.get("level") == "class"]
    if not classes:
        return None
    sums: list[Decimal | None] = []
    for col in columns:
        values = [contract_amount(r.get(col)) for r in classes]
        values = [v for v in values if v is not None]
        sums.append(sum(values, Decimal(0)) if values else None)
    return sums


CLASS_COLUMNS = ("201", "208", "210", "221")  # the classes a 医疗保障局 spends in; the rest is 其他


def document_figures(cat: Catalog, document_id: str) -> dict[str, Figure | None]:
    """The facts the comparison page puts side by side for one document (its own measure)."""
    return {"total": total_spending(cat, document_id), "general_public": general_public(cat, document_id),
            **{code: fact(cat, document_id, "total", code) for code in ("basic", "project", "personnel", "public")},
            "three_public": three_public_total(cat, document_id)}


def class_shares(cat: Catalog, document_id: str) -> tuple[Decimal | None, dict[str, Decimal | None]]:
    """The sum of a document's 类 facts (the whole the shares are of) and each listed class's
    amount, plus ``other`` (the rest); (None, {}) without class facts."""
    classes = function_classes(cat, document_id)
    if not classes:
        return None, {}
    whole = sum((f.value for f in classes), Decimal(0))
    by_code = {f.code: f.value for f in classes}
    listed = {c: by_code.get(c) for c in CLASS_COLUMNS}
    other = whole - sum((v for v in listed.values() if v is not None), Decimal(0))
    return whole, {**listed, "other": other}


def shown(fig: Figure | None) -> str:
    """A fact as a page shows it: ``1,774.62※`` (with its marks), or “—” without a fact."""
    return fmt_amount(fig.amount) + marks(fig) if fig is not None else "—"
