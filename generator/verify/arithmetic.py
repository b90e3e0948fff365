"""Arithmetic within one table: rows add up to their parents and to the printed 合计 row — the
function and economic classification tables (合计 = its parts, a 类 = its 款, a 款 = its 项, the 合计
row = its classes; 人员经费 and 公用经费 against their classes) and the “三公” table (合计 = its four
items). The 收支总表's sums are ``summary_sums``; the ids of the family, ``arithmetic_ids``.

``FAMILY`` runs the function, economic, summary and “三公” checks in that order (the order of
their results in checks.csv)."""
from __future__ import annotations

from ..recognize.assign_codes import ROOT
from ..records import Check, ParsedDocument
from ..vocabulary import FUNCTION_TABLES, PERSONNEL_CLASSES, THREE_PUBLIC_NAMES
from .arithmetic_ids import (CLASS_SUM, ECON_BASIC, ECON_CLASS, ECON_PERSONNEL, ECON_PUBLIC, ECON_ROW, ECON_TABLE,
                             ROW_TOTAL, SECTION_SUM, TABLE_BASIC, TABLE_PARTS, TABLE_PROJECT, TABLE_TOTAL, TP_TOTAL)
from .base import (ZERO, compare, d, mk, row_figure, table_sum, three_public_figure, top_level, total,
                   total_figure)
from .codes import CLASS_LINE_TABLES, unpublished_parents
from .summary_sums import summary_arithmetic
# imported from here by project_funds, cross_table, narrative and facts.decide
from .arithmetic_ids import PERFORMANCE_SUM, PROJECTS_SUM  # noqa: F401
from .summary_sums import (_CARRY_IN, _CARRY_OUT, _EXP_CUR, _GRAND, _INCOME_CUR, _TOP,  # noqa: F401
                           compact_item, find_line, summary_lines_of)

COLUMNS = (("total", "合计"), ("basic", "基本支出"), ("project", "项目支出"))
ECON_COLUMNS = (("total", "合计"), ("personnel", "人员经费"), ("public", "公用经费"))
#: an economic table that prints the project part too (一般公共预算支出表 by economic class)
ECON_ROW_COLUMNS = ECON_COLUMNS + (("project", "项目支出"),)


def _tables(rows) -> list[str]:
    seen: list[str] = []
    for r in rows:
        if r.table not in seen and r.table != "narrative":
            seen.append(r.table)
    return seen


def row_part_checks(doc: ParsedDocument, check: str, table: str, rows, columns) -> list[Check]:
    """Every row that prints a part: 合计 = its parts (基本 + 项目, or 人员 + 公用, and 项目 where
    an economic table prints it too: 西安's 专项业务经费支出)."""
    parts_of = columns[1:]
    out: list[Check] = []
    for r in rows:
        parts = tuple(getattr(r, key, None) for key, _ in parts_of)
        if r.total is None or all(p is None for p in parts[:2]):
            continue
        shown = [(label, p) for k, ((_, label), p) in enumerate(zip(parts_of, parts)) if k < 2 or p is not None]
        out.append(compare(doc, check, table, r.total, total(parts),
                           f"{r.code} {r.name}：合计 {d(r.total)} {{op}} "
                           + " + ".join(f"{label} {d(p or ZERO)}" for label, p in shown),
                           r.source_page, terms=len(shown), parts=parts,
                           figures=[row_figure(r, key) for key, _ in columns]))
    return out


def children_sum_checks(doc: ParsedDocument, check: str, table: str, parent, kids: list, columns,
                        has_parts: bool, itemized: bool) -> list[Check]:
    """A parent row (类 or 款) against the sum of its children, column by column (the part
    columns only where the table prints parts); ``itemized`` lists every child in the message."""
    out: list[Check] = []
    if not kids:
        return out
    for key, label in columns:
        if key != "total" and not has_parts:
            continue
        pv, kv = getattr(parent, key), [getattr(k, key) for k in kids]
        if pv is None and all(v is None for v in kv):
            continue
        rhs = ("下级 " + " + ".join(f"{k.code} {d(v or ZERO)}" for k, v in zip(kids, kv)) if itemized
               else f"各款之和 {d(total(kv))}")
        out.append(compare(doc, check, table, pv or ZERO, total(kv),
                           f"{parent.code} {parent.name}：{label} {d(pv or ZERO)} {{op}} {rhs}",
                           parent.source_page, terms=len(kids), parts=tuple(kv),
                           figures=[row_figure(x, key) for x in (parent, *kids)]))
    return out


def function_arithmetic(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    for table in _tables(doc.function_rows):
        if table in CLASS_LINE_TABLES:
            continue  # 类 lines of a summary table: summed by summary.expenditure_lines_sum
        rows = [r for r in doc.function_rows if r.table == table]
        has_parts = any(r.basic is not None or r.project is not None for r in rows)
        out.extend(row_part_checks(doc, ROW_TOTAL, table, rows, COLUMNS))
        incomplete = unpublished_parents(doc, table)  # a row under them was not published (no code)
        for parent_len, check in ((3, CLASS_SUM), (5, SECTION_SUM)):
            for p in (r for r in rows if len(r.code) == parent_len):
                if p.code in incomplete:
                    out.append(mk(doc, check, "insufficient_data", table, None, None, f"{p.code} {p.name}：其下"
                                  "有只印名称、未能赋码的行（未发布），不核对下级之和。", p.source_page))
                    continue
                kids = [r for r in rows if len(r.code) == parent_len + 2 and r.code.startswith(p.code)]
                out.extend(children_sum_checks(doc, check, table, p, kids, COLUMNS, has_parts, itemized=True))
        top = top_level(rows)
        info_total = table_sum(doc, table, "total")
        if top and ROOT in incomplete:
            out.append(mk(doc, TABLE_TOTAL, "insufficient_data", table, None, None,
                          "表中有只印名称、未能赋码的类（未发布），不核对各类之和。"))
        elif top and info_total is not None:
            for key, label, check in (("total", "合计", TABLE_TOTAL), ("basic", "基本支出", TABLE_BASIC),
                                      ("project", "项目支出", TABLE_PROJECT)):
                printed = table_sum(doc, table, key)
                vals = [getattr(r, key) for r in top]
                if all(v is None for v in vals):
                    continue  # no row prints the column (江苏's 支出预算总表 prints 基本支出 in its 合计 only)
                out.append(compare(doc, check, table, printed or ZERO, total(vals),
                                   f"{label}：合计行 {d(printed or ZERO)} {{op}} 各类之和 {d(total(vals))}",
                                   None, terms=len(top), parts=tuple(vals),
                                   figures=[total_figure(table, key), *(row_figure(r, key) for r in top)]))
            out.extend(total_parts(doc, table))
        elif top:
            out.append(mk(doc, TABLE_TOTAL, "insufficient_data", table, None, total(r.total for r in top),
                          f"本表没有识别出“合计”行，无法核对各类之和 {d(total(r.total for r in top))}。"))
    # a table printing its 合计 row only (江苏's 支出预算总表: 合计 | 基本支出 | 项目支出 | 单位预留机动经费)
    for table in sorted({t.table for t in doc.tables if t.table in FUNCTION_TABLES} - set(_tables(doc.function_rows))):
        out.extend(total_parts(doc, table))
    return out


def total_parts(doc: ParsedDocument, table: str) -> list[Check]:
    """``function.table_total_parts`` of a table's printed 合计 row, where it prints its parts."""
    info_total = table_sum(doc, table, "total")
    b, p = table_sum(doc, table, "basic"), table_sum(doc, table, "project")
    reserve = table_sum(doc, table, "reserve")
    if info_total is None or (b is None and p is None):
        return []
    extra = f" + 单位预留机动经费 {d(reserve)}" if reserve is not None else ""
    return [compare(doc, TABLE_PARTS, table, info_total, total((b, p, reserve)),
                    f"合计行：合计 {d(info_total)} {{op}} 基本支出 {d(b or ZERO)} + 项目支出 {d(p or ZERO)}" + extra,
                    None, terms=2 if reserve is None else 3,
                    figures=[total_figure(table, c) for c in ("total", "basic", "project", "reserve")])]


def economic_arithmetic(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    for table in _tables(doc.economic_rows):
        rows = [r for r in doc.economic_rows if r.table == table]
        has_parts = any(r.personnel is not None or r.public is not None for r in rows)
        out.extend(row_part_checks(doc, ECON_ROW, table, rows, ECON_ROW_COLUMNS))
        classes = [r for r in rows if len(r.code) == 3]
        for c in classes:
            kids = [r for r in rows if len(r.code) == 5 and r.code.startswith(c.code)]
            out.extend(children_sum_checks(doc, ECON_CLASS, table, c, kids, ECON_COLUMNS, has_parts, itemized=False))
        printed = table_sum(doc, table, "total")
        if classes and printed is not None:
            out.append(compare(doc, ECON_TABLE, table, printed, total(c.total for c in classes),
                               f"合计行 {d(printed)} {{op}} 各类之和 " + " + ".join(
                                   f"{c.code} {d(c.total or ZERO)}" for c in classes),
                               None, terms=len(classes),
                               figures=[total_figure(table), *(row_figure(c, "total") for c in classes)]))
        if table != "basic_economic" or not classes:
            continue
        personnel = table_sum(doc, table, "personnel")
        public = table_sum(doc, table, "public")
        if personnel is None and has_parts:
            personnel = total(r.personnel for r in classes)
        if public is None and has_parts:
            public = total(r.public for r in classes)
        split = split_classes(classes)
        for check, label, column, amount in ((ECON_PERSONNEL, "人员经费", "personnel", personnel),
                                             (ECON_PUBLIC, "公用经费", "public", public)):
            if amount is not None:
                out.append(side_check(doc, check, table, label, column, amount, classes, split))
        basic = printed if printed is not None else total(c.total for c in classes)
        if personnel is not None and public is not None:
            out.append(compare(doc, ECON_BASIC, table, basic, personnel + public,
                               f"基本支出 {d(basic)} {{op}} 人员经费 {d(personnel)} + 公用经费 {d(public)}",
                               None, terms=2, figures=[total_figure(table, c) for c in ("total", "personnel", "public")]))
    return out


def side_check(doc: ParsedDocument, check: str, table: str, label: str, column: str, amount, classes,
               split: str) -> Check:
    """人员经费 (``column`` personnel) or 公用经费 (public) of a basic spending table against its
    classes: the whole classes of that side, or, when a class prints parts of both sides
    (``split``, see ``split_classes``), every class's own ``column``."""
    if split:
        return compare(doc, check, table, amount, total(getattr(c, column) for c in classes),
                       f"{label} {d(amount)} {{op}} 各类的{label} " + " + ".join(
                           f"{c.code} {d(getattr(c, column) or ZERO)}" for c in classes) + f"（{split}）",
                       None, terms=len(classes),
                       figures=[total_figure(table, column), *(row_figure(c, column) for c in classes)])
    mine = [c for c in classes if (c.code in PERSONNEL_CLASSES) == (column == "personnel")]
    return compare(doc, check, table, amount, total(c.total for c in mine),
                   f"{label} {d(amount)} {{op}} " + " + ".join(
                       f"{c.code} {c.name} {d(c.total or ZERO)}" for c in mine),
                   None, terms=max(len(mine), 1),
                   figures=[total_figure(table, column), *(row_figure(c, "total") for c in mine)])


def split_classes(classes) -> str:
    """Classes that print a part of the other side, described (empty when none does).

    Usually 人员经费 is 301 + 303 and 公用经费 the other classes. 长沙's table (``总计 | 人员类 |
    公用经费``) also puts part of 302 under 人员类 (工会经费, 其他交通费用: 302 prints 48.80 | 122.98);
    there the sides are the sums of the class rows' own columns, not of whole classes."""
    parts = []
    for c in classes:
        other = c.public if c.code in PERSONNEL_CLASSES else c.personnel
        if other:
            side = "公用经费" if c.code in PERSONNEL_CLASSES else "人员经费"
            parts.append(f"{c.code} {c.name}也列有{side} {d(other)}")
    return "；".join(parts)


# -------------------------------------------------------------------- three public

def three_public_arithmetic(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    for measure in ("budget", "final"):
        rows = {r.item: r for r in doc.three_public if r.measure == measure and r.table == "three_public"}
        if "total" not in rows:
            continue
        t = rows["total"]
        parts = [rows[k] for k in THREE_PUBLIC_NAMES if k in rows]
        label = "预算数" if measure == "budget" else "决算数"
        if not parts:
            status = "not_applicable"
            out.append(mk(doc, TP_TOTAL, status, "three_public", t.amount, None,
                          f"“三公”经费{label}合计 {d(t.amount)}，表中未列出各分项，无法核对。", t.source_page))
            continue
        out.append(compare(doc, TP_TOTAL, "three_public", t.amount, total(p.amount for p in parts),
                           f"“三公”经费{label}：合计 {d(t.amount)} {{op}} " + " + ".join(
                               f"{THREE_PUBLIC_NAMES[p.item]} {d(p.amount)}" for p in parts),
                           t.source_page, terms=4, figures=[three_public_figure(r) for r in (t, *parts)]))
    return out


# the project and performance checks (ids registered in ``arithmetic_ids``) run next: ``project_funds.FAMILY``
FAMILY = [function_arithmetic, economic_arithmetic, summary_arithmetic, three_public_arithmetic]
