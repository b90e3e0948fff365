"""The rules of ``generator.facts``: copies of each figure, in order of trust, and the one chosen."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..recognize.assign_codes import printed_names
from ..records import Fact, ParsedDocument
from ..verify.arithmetic import _EXP_CUR, find_line, summary_lines_of
from ..verify.base import line_figure, row_figure, status_of, three_public_figure, total_figure
from ..verify.cross_table import fund_part, grand_spending
from ..vocabulary import (ECONOMIC_FACT_SOURCES, FUNCTION_FACT_SOURCES, KNOWN_VARIANTS,
                          OFFICIAL_CLASS_NAMES, PHASES, THREE_PUBLIC_FACTS, THREE_PUBLIC_NAMES,
                          TOTAL_NAMES, economic_level, function_level)
from .certainty import Reading, Readings, combined

FUNCTION_PARTS = ("total", "basic", "project")
ECONOMIC_PARTS = ("total", "personnel", "public")


@dataclass(frozen=True)
class Copy:
    """One printed copy of a figure: where, how much, the repair that made it, if any, and how the
    checks name it (``verify.base.FigureRef``)."""

    amount: Decimal
    table: str
    page: int | None
    repair: str = ""
    ref: tuple = ()


def decide(doc: ParsedDocument) -> ParsedDocument:
    """``doc`` with its ``facts`` filled (the stage after verify)."""
    doc.facts = facts_of(doc)
    return doc


def facts_of(doc: ParsedDocument) -> list[Fact]:
    """Every canonical figure of ``doc``, one per (measure, dimension, code, part), in a stable order."""
    measure = doc.meta.phase if doc.meta.phase in PHASES else "budget"
    rd = Readings(doc)
    facts = [*_totals(doc, rd, measure), *_classified(doc, rd, measure, "function"),
             *_classified(doc, rd, measure, "economic"), *_three_public(doc, rd)]
    keys = [(f.measure, f.dimension, f.code, f.part) for f in facts]
    if len(set(keys)) != len(keys):  # a bug here, never a choice by order
        raise AssertionError(f"{doc.meta.document_id}: two facts answer one question")
    return facts


# ------------------------------------------------------------------------------ choosing


def _fact(doc: ParsedDocument, rd: Readings, measure: str, dimension: str, code: str, part: str, name: str,
          level: str | None, groups: Sequence[Sequence[Copy | None]]) -> Fact | None:
    """The first copy of the first group that has one; the other copies of that group are the
    same figure printed elsewhere: those that differ are its ``alternatives``, and a
    ``conflict`` when one differs by more than verify's rounding tolerance; one that is equal
    confirms it (``certainty``)."""
    for group in groups:
        copies = [c for c in group if c is not None]
        if not copies:
            continue
        first = copies[0]
        others = tuple(dict.fromkeys((c.table, c.page, c.amount) for c in copies[1:] if c.amount != first.amount))
        conflict = any(status_of(first.amount, amount) == "fail" for _, _, amount in others)
        reading = rd.of(first.ref, first.page, first.amount, [(c.table, c.amount) for c in copies[1:]],
                        (dimension, code, name))
        return Fact(doc.meta.document_id, measure, dimension, code, part, name, level, first.amount,
                    first.table, first.page, "repaired" if first.repair else "printed",
                    first.repair or None, others, conflict, reading.read_by, reading.certainty)
    return None


def _reading(rd: Readings, copy: Copy, others=()) -> Reading:
    return rd.of(copy.ref, copy.page, copy.amount, others)


def _derived(doc: ParsedDocument, measure: str, dimension: str, code: str, part: str, name: str,
             level: str | None, amounts: Iterable[Decimal | None], table: str, page: int | None,
             readings: Sequence[Reading]) -> Fact | None:
    """A figure no table prints, as the sum of printed children (all of them must have a value);
    ``readings``: the children's (``certainty.combined``)."""
    values = list(amounts)
    if not values or any(v is None for v in values):
        return None
    reading = combined(readings)
    return Fact(doc.meta.document_id, measure, dimension, code, part, name, level,
                sum(values, Decimal(0)), table, page, "derived",
                read_by=reading.read_by, certainty=reading.certainty)


def _table_copy(doc: ParsedDocument, table: str, column: str = "total") -> Copy | None:
    """The printed 合计 row of ``table`` (its first occurrence that prints ``column``)."""
    for t in doc.tables:
        if t.table == table and getattr(t, column, None) is not None:
            return Copy(getattr(t, column), table, t.source_page, ref=total_figure(table, column))
    return None


def _row_copy(r, part: str) -> Copy | None:
    """The ``part`` of a function or economic row, where it prints one."""
    v = getattr(r, part)
    return Copy(v, r.table, r.source_page, getattr(r, "repair", ""), row_figure(r, part)) if v is not None else None


def _narrative_copy(doc: ParsedDocument, topic: str) -> Copy | None:
    return next((Copy(f.amount, "narrative", f.source_page, ref=("narrative", topic, "", f.source_page))
                 for f in doc.narrative if f.topic == topic), None)


# ------------------------------------------------------------------------------ totals


def _totals(doc: ParsedDocument, rd: Readings, measure: str) -> list[Fact]:
    lines = summary_lines_of(doc, "summary")
    line = find_line(lines, _EXP_CUR, "expenditure")
    spent = Copy(line.amount, "summary", line.source_page, line.repair, line_figure(line)) if line is not None else None
    listed = _table_copy(doc, "expenditure")
    grand = grand_spending(lines)
    if listed is not None and grand is not None and spent is not None and listed.amount == grand.amount != spent.amount:
        listed = None  # 西安's 支出总表 prints 支出总计 (with 结转下年) as its 合计: not a copy of 本年支出合计
    fiscal, how, page, cells = fund_part(doc, "general_public")
    # the 财政拨款收支总表's 一般公共预算 part counts as a printed copy only when it is one cell
    fiscal_gp = Copy(fiscal, "fiscal_summary", page, ref=cells[0]) if fiscal is not None and " + " not in how else None
    gp_fn, gp_ec = "general_public_function", "general_public_economic"
    groups: dict[str, list[list[Copy | None]]] = {
        "expenditure": [[spent, listed]],
        "general_public": [[_table_copy(doc, gp_fn), _table_copy(doc, gp_ec), fiscal_gp]],
        "basic": [[_table_copy(doc, gp_fn, "basic"), _table_copy(doc, "basic_economic")],
                  [_table_copy(doc, "expenditure", "basic")], [_narrative_copy(doc, "basic")]],
        "project": [[_table_copy(doc, gp_fn, "project"), _table_copy(doc, "project_economic")],
                    [_table_copy(doc, "expenditure", "project")], [_narrative_copy(doc, "project")]],
        "personnel": [[_table_copy(doc, "basic_economic", "personnel"), _table_copy(doc, gp_ec, "personnel")],
                      [_narrative_copy(doc, "personnel")]],
        "public": [[_table_copy(doc, "basic_economic", "public"), _table_copy(doc, gp_ec, "public")],
                   [_narrative_copy(doc, "public")]],
    }
    # where nothing prints the figure: the sum of the 类 rows of the table it would come from
    derived_from = {"expenditure": ("expenditure", "total"), "general_public": (gp_fn, "total"),
                    "basic": (gp_fn, "basic"), "project": (gp_fn, "project"),
                    "personnel": ("basic_economic", "personnel"), "public": ("basic_economic", "public")}
    out = []
    for code, name in TOTAL_NAMES.items():
        fact = _fact(doc, rd, measure, "total", code, "total", name, None, groups[code])
        if fact is None:
            table, column = derived_from[code]
            rows = doc.function_rows if table in FUNCTION_FACT_SOURCES else doc.economic_rows
            classes = [r for r in rows if r.table == table and r.level == "class"]
            copies = [_row_copy(r, column) for r in classes]
            fact = _derived(doc, measure, "total", code, "total", name, None,
                            (getattr(r, column) for r in classes), table,
                            classes[0].source_page if classes else None,
                            [_reading(rd, c) for c in copies if c is not None])
        if fact is not None:
            out.append(fact)
    return out


# ------------------------------------------------------------------------------ classifications


def _classified(doc: ParsedDocument, rd: Readings, measure: str, dimension: str) -> list[Fact]:
    """One fact per code and part of the rows of one table (the first of the dimension's
    sources that has rows; with the 类 lines of the summary table of the same money as copies,
    and, where that table is a summary table, the codes of later sources it does not print),
    then the 类 and 款 printed only as their children, derived."""
    function = dimension == "function"
    rows = doc.function_rows if function else doc.economic_rows
    sources = FUNCTION_FACT_SOURCES if function else ECONOMIC_FACT_SOURCES
    parts = FUNCTION_PARTS if function else ECONOMIC_PARTS
    level_of = function_level if function else economic_level
    table = next((t for t in sources if any(r.table == t for r in rows)), None)
    if table is None:
        return []
    mine = [r for r in rows if r.table == table]
    by_code: dict[str, list] = {}
    for r in mine:
        by_code.setdefault(r.code, []).append(r)
    if function:  # the 类 a summary table prints for the same money: a copy, or the figure itself
        for r in _class_peers(doc, table):
            by_code.setdefault(r.code, []).append(r)
    if table in _CLASS_LINES:  # 类 lines only (凤县 2024): the 项 the text states fill in the rest
        for r in rows:
            if r.table in sources[sources.index(table) + 1:] and r.code not in by_code:
                by_code[r.code] = [r]
    mine = [r for copies in by_code.values() for r in copies[:1]]
    out: list[Fact] = []
    for code, copies in by_code.items():
        first = copies[0]
        for part in parts:
            fact = _fact(doc, rd, measure, dimension, code, part, first.name, level_of(code),
                         [[_row_copy(r, part) for r in copies]])
            if fact is not None:
                out.append(fact)
    readings = {(f.code, f.part): Reading(f.read_by == "ocr", f.certainty == "confirmed") for f in out}
    out.extend(_parents(doc, measure, dimension, mine, parts, readings))
    return sorted(out, key=lambda f: (f.code, parts.index(f.part)))


#: the summary tables, whose 类 lines verify publishes as function rows (no 款 or 项)
_CLASS_LINES = ("fiscal_summary", "summary")
#: the summary table whose 类 lines are the same money as a function table's 类 rows
_PEERS = {"expenditure": "summary", "general_public_function": "fiscal_summary"}


def _class_peers(doc: ParsedDocument, table: str) -> list:
    """The 类 lines of the summary table that speaks of the same money as ``table`` (published by
    verify as function rows with an assigned code): the 收支总表's for the 支出总表 (all funds);
    the 财政拨款收支总表's for the 一般公共预算支出表 when all its money is 一般公共预算 (its
    本年支出合计 is the 一般公共预算支出表's 合计). 北京医保局 2026 prints 卫生健康支出 101,857.847222
    there while its 一般公共预算支出表 lists 项 adding up to 20,078.847222 only."""
    peer = _PEERS.get(table)
    if peer is None:
        return []
    if peer == "fiscal_summary":
        spent = find_line(summary_lines_of(doc, peer), _EXP_CUR, "expenditure")
        whole = _table_copy(doc, table)
        if spent is None or whole is None or spent.amount != whole.amount:
            return []
    return [r for r in doc.function_rows if r.table == peer and r.level == "class"]


def _parents(doc: ParsedDocument, measure: str, dimension: str, rows: list, parts: tuple[str, ...],
             readings: dict[tuple[str, str], Reading]) -> list[Fact]:
    """The 款 (then 类) a table prints only through their children: the sum of the children at
    the next level down (printed or themselves derived); ``readings``: (code, part) -> the
    reading of each fact so far (those derived here are added)."""
    function = dimension == "function"
    lengths = (7, 5, 3) if function else (5, 3)
    level_of = function_level if function else economic_level
    # code -> {part: amount}, printed rows first (the first copy of a code)
    known: dict[str, dict[str, Decimal | None]] = {}
    where: dict[str, tuple[str, int | None]] = {}  # code -> (table, page) of its first copy
    for r in rows:
        if r.code not in known:
            known[r.code] = {p: getattr(r, p) for p in parts}
            where[r.code] = (r.table, r.source_page)
    out: list[Fact] = []
    for child_len, parent_len in zip(lengths, lengths[1:]):
        children = sorted(c for c in known if len(c) == child_len)
        for parent in sorted({c[:parent_len] for c in children} - set(known)):
            mine = [c for c in children if c.startswith(parent)]
            derived = {}
            for part in parts:
                values = [known[c][part] for c in mine]
                fact = _derived(doc, measure, dimension, parent, part, _parent_name(doc, parent), level_of(parent),
                                values, *where[mine[0]],
                                [readings.get((c, part), Reading(False, False)) for c in mine])
                derived[part] = fact.amount if fact is not None else None
                if fact is not None:
                    out.append(fact)
                    readings[(parent, part)] = Reading(fact.read_by == "ocr", fact.certainty == "confirmed")
            known[parent] = derived
            where[parent] = where[mine[0]]
    return out


def _parent_name(doc: ParsedDocument, code: str) -> str:
    """The name a derived 类 or 款 goes by: as another table of the document prints it, else
    the official name of a 类 or ``vocabulary.KNOWN_VARIANTS``', else the name the corpus's
    documents print for the function code (``recognize/function_codes.csv``; 乐山 2023 prints
    21015's 项 only), else ''."""
    for r in (*doc.function_rows, *doc.economic_rows):
        if r.code == code and r.name:
            return r.name
    if not code.startswith("2"):  # an economic code
        return OFFICIAL_CLASS_NAMES.get(code, "")
    return OFFICIAL_CLASS_NAMES.get(code) or KNOWN_VARIANTS.get(code, ("",))[0] or printed_names().get(code, "")


# ------------------------------------------------------------------------------ 三公


def _three_public(doc: ParsedDocument, rd: Readings) -> list[Fact]:
    out: list[Fact] = []
    measures = [m for m in PHASES if any(r.measure == m for r in doc.three_public)]
    for measure in measures:
        rows = [r for r in doc.three_public if r.measure == measure]
        for item in ("total", *THREE_PUBLIC_NAMES):
            groups = [[Copy(r.amount, r.table, r.source_page, ref=three_public_figure(r))
                       for r in rows if r.item == item and r.table == t] for t in ("three_public", "narrative")]
            fact = _fact(doc, rd, measure, "three_public", item, "total", THREE_PUBLIC_FACTS[item], None, groups)
            if fact is None and item == "total":
                items = [next((r for r in rows if r.item == i and r.table == "three_public"), None)
                         for i in THREE_PUBLIC_NAMES]
                fact = _derived(doc, measure, "three_public", item, "total", THREE_PUBLIC_FACTS[item], None,
                                (r.amount if r is not None else None for r in items), "three_public",
                                next((r.source_page for r in items if r is not None), None),
                                [_reading(rd, Copy(r.amount, r.table, r.source_page, ref=three_public_figure(r)))
                                 for r in items if r is not None])
            if fact is not None:
                out.append(fact)
    operating = _fact(doc, rd, doc.meta.phase if doc.meta.phase in PHASES else "budget", "three_public",
                      "operating_costs", "total", THREE_PUBLIC_FACTS["operating_costs"], None,
                      [[_table_copy(doc, "operating_costs")]])
    if operating is not None:
        out.append(operating)
    return out
