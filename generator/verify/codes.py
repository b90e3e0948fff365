"""Code checks: hierarchy (every 项 under a printed 款 and 类) and 类 names against the official
classification (accepting the names of earlier years).

``ASSIGN`` runs before the repairs: function rows printed with names only (recognized with a
placeholder code, ``#1`` …) get their codes from the classification and the table's hierarchy
(``recognize.assign_codes``), each recorded as ``repair.code_assigned`` (expected: the code
given, actual: the name as printed); a name with no code, or with two codes under the same
parent, stays uncoded and is not published (``insufficient_data``). A document whose function
tables print no 类 row gets its 类 totals from the 收支总表 / 财政拨款收支总表 lines that name a
类, coded the same way, and checked against the sum of that 类's 项
(``codelist.assigned_class_vs_items``).
"""
from __future__ import annotations

import dataclasses

from ..records import Check, FunctionRow, ParsedDocument
from ..recognize.assign_codes import assign_by_hierarchy, is_placeholder, name_key
from ..vocabulary import KNOWN_VARIANTS, OFFICIAL_CLASS_NAMES, function_level
from .base import compact, compare, d, describe, line_figure, mk, row_figure, total

FN_HIER = describe("codelist.function_hierarchy",
                   "功能分类表中每个项（7位）都列在其款（前5位）之下，每个款都列在其类（前3位）之下。",
                   suggestion="补列该项所属的款、该款所属的类（或改正错误的编码），使功能分类按类、款、项逐级列示。")
EC_HIER = describe("codelist.economic_hierarchy", "经济分类表中每个款（5位）都列在其类（前3位）之下。",
                   suggestion="补列该款所属的类（或改正错误的编码），使经济分类按类、款逐级列示。")
CLASS_NAME = describe("codelist.class_name",
                      "功能分类的类、经济分类的类使用政府收支分类科目的正式名称（或以前年度的名称）。",
                      suggestion="按当年《政府收支分类科目》改用该类的正式名称。")


def code_family(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    for table in sorted({r.table for r in doc.function_rows if r.table != "narrative"}):
        rows = [r for r in doc.function_rows if r.table == table]
        codes = {r.code for r in rows}
        if not any(len(c) == 3 for c in codes):
            continue  # the table prints items only
        orphans = [r for r in rows if len(r.code) > 3 and (r.code[:3] not in codes or
                                                           (len(r.code) == 7 and r.code[:5] not in codes))]
        out.append(mk(doc, FN_HIER, "fail" if orphans else "pass", table, None,
                      "、".join(r.code for r in orphans) or None,
                      ("、".join(f"{r.code} {r.name}" for r in orphans[:5]) + " 没有列在上级科目之下。") if orphans
                      else f"{len(rows)} 行功能分类科目层级完整。"))
    for table in sorted({r.table for r in doc.economic_rows if r.table != "narrative"}):
        rows = [r for r in doc.economic_rows if r.table == table]
        codes = {r.code for r in rows}
        if not any(len(c) == 3 for c in codes):
            continue
        orphans = [r for r in rows if len(r.code) == 5 and r.code[:3] not in codes]
        out.append(mk(doc, EC_HIER, "fail" if orphans else "pass", table, None,
                      "、".join(r.code for r in orphans) or None,
                      ("、".join(f"{r.code} {r.name}" for r in orphans[:5]) + " 没有列在上级科目之下。") if orphans
                      else f"{len(rows)} 行经济分类科目层级完整。"))
    seen = set()
    for r in list(doc.function_rows) + list(doc.economic_rows):
        if len(r.code) != 3 or r.table == "narrative" or not r.name or (r.code, r.name) in seen:
            continue
        seen.add((r.code, r.name))
        names = set(KNOWN_VARIANTS.get(r.code, ())) | (
            {OFFICIAL_CLASS_NAMES[r.code]} if r.code in OFFICIAL_CLASS_NAMES else set())
        if not names:
            continue
        ok = compact(r.name) in names
        out.append(mk(doc, CLASS_NAME, "pass" if ok else "fail", r.table, "／".join(sorted(names)), r.name,
                      f"{r.code}：印为“{r.name}”" + ("，是正式名称。" if ok else f"，正式名称为“{'／'.join(sorted(names))}”。"),
                      r.source_page))
    return out


CODE_ASSIGNED = describe(
    "repair.code_assigned",
    "表中只印科目名称、没有印科目编码的功能分类行，按政府收支分类科目（语料中印有编码的行汇总而成，"
    "见 generator/recognize/function_codes.csv）和表中的层级（类→款→项，上级为其前面最近的上一级行）"
    "赋予编码，记为已修复（expected 为赋予的编码，actual 为印出的名称）；名称不在科目表中，或同一上级"
    "科目下同名的编码不止一个时不赋码，此行不予发布（expected 为其上级科目的编码，在类一级时为“类”；该上级"
    "科目与其下级之和不再核对）。功能分类表都不印类时，收支总表、财政拨款收支总表中"
    "按名称列出的类也按此赋码发布。",
    severity="note",
    suggestion="表中科目只印了名称、未印编码，已按科目表赋码；建议按规范印出科目编码。名称不在科目表中的，请改用规范的科目名称。")
ASSIGNED_CLASS = describe(
    "codelist.assigned_class_vs_items",
    "按名称赋码的类（收支总表、财政拨款收支总表，功能分类表只印项时）= 对应表中该类各项之和：收支总表对支出总表，"
    "财政拨款收支总表对一般公共预算、政府性基金、国有资本经营预算支出表之和。",
    suggestion="核对总表中该类支出与明细表中该类各项之和，改正不一致的一方。")

#: summary table → the function tables its 类 lines add up
_CLASS_SOURCES = {"summary": ("expenditure",),
                  "fiscal_summary": ("general_public_function", "government_fund", "state_capital")}
#: the summary tables whose 类 lines may be published as function rows
CLASS_LINE_TABLES = tuple(_CLASS_SOURCES)


def assign_codes(doc: ParsedDocument) -> list[Check]:
    """Codes for the function rows printed with names only (a placeholder code), table by table."""
    out: list[Check] = []
    named = [t for t in dict.fromkeys(r.table for r in doc.function_rows) if any(
        is_placeholder(r.code) for r in doc.function_rows if r.table == t)]
    for table in named:
        rows = [r for r in doc.function_rows if r.table == table and is_placeholder(r.code)]
        given = dict(zip((r.code for r in rows), assign_by_hierarchy([r.name for r in rows],
                                                                     [r.total for r in rows])))
        kept = []
        for r in doc.function_rows:
            if r.table != table or not is_placeholder(r.code):
                kept.append(r)
                continue
            code, why, parent = given[r.code]
            if code is None:
                out.append(mk(doc, CODE_ASSIGNED, "insufficient_data", table, parent, r.name,
                              f"“{r.name}”没有印编码，未赋码（{why}），此行不予发布。", r.source_page))
                continue
            out.append(mk(doc, CODE_ASSIGNED, "repaired", table, code, r.name,
                          f"“{r.name}”没有印编码，按科目表和层级（{why}）赋予 {code}。", r.source_page))
            kept.append(dataclasses.replace(r, code=code, level=function_level(code), repair=CODE_ASSIGNED))
        doc.function_rows[:] = kept
    return out + _summary_classes(doc)


def unpublished_parents(doc: ParsedDocument, table: str) -> set[str]:
    """The 类 and 款 of ``table`` under which a row was left uncoded (``ROOT``: a 类 itself):
    their rows no longer add up to them, for want of a code, not of a figure."""
    return {c.expected for c in doc.checks if c.check == CODE_ASSIGNED and c.table == table
            and c.status == "insufficient_data" and c.expected}


def _summary_classes(doc: ParsedDocument) -> list[Check]:
    """类 totals from the summary tables' lines that name a 类, where no function table prints a 类."""
    if any(len(r.code) == 3 for r in doc.function_rows if r.table != "narrative"):
        return []
    out: list[Check] = []
    for table, sources in _CLASS_SOURCES.items():
        seen: set[str] = set()
        for line in doc.summary_lines:
            if line.table != table or line.side != "expenditure" or line.amount is None:
                continue
            code = assign_by_hierarchy([line.item])[0][0]
            if code is None or len(code) != 3 or code in seen:
                continue  # not a 类 line (本年支出合计, 基本支出 …), or printed twice
            seen.add(code)
            row = FunctionRow(doc.meta.document_id, table, code, name_key(line.item), "class", line.amount,
                              None, None, line.source_page, repair=CODE_ASSIGNED)
            out.append(mk(doc, CODE_ASSIGNED, "repaired", table, code, line.item,
                          f"“{line.item}”没有印编码，按类名赋予 {code}。", line.source_page,
                          figures=(line_figure(line), row_figure(row, "total"))))  # one printed figure
            doc.function_rows.append(row)
            items = [r for r in doc.function_rows if r.table in sources and len(r.code) == 7
                     and r.code.startswith(code)]
            if items and all(t in _item_tables(doc) for t in sources if _has_rows(doc, t)):
                out.append(compare(doc, ASSIGNED_CLASS, table, line.amount, total(r.total for r in items),
                                   f"{code} {name_key(line.item)}：{line.item} {d(line.amount)} {{op}} "
                                   f"{'、'.join(sources)} 中 {code} 各项之和 {d(total(r.total for r in items))}",
                                   line.source_page, terms=len(items)))
    return out


def _has_rows(doc: ParsedDocument, table: str) -> bool:
    return any(r.table == table for r in doc.function_rows)


def _item_tables(doc: ParsedDocument) -> set[str]:
    """Tables whose function rows are all 项 (7 digits): their 项 add up to a 类."""
    tables = {r.table for r in doc.function_rows}
    return {t for t in tables if all(len(r.code) == 7 for r in doc.function_rows if r.table == t)}


ASSIGN = [assign_codes]
FAMILY = [code_family]
