"""Arithmetic within one table: rows add up to their parents and to the printed 合计 row."""
from __future__ import annotations

import re

from ..recognize.assign_codes import ROOT
from ..records import Check, ParsedDocument
from ..vocabulary import FUNCTION_TABLES, OFFICIAL_CLASS_NAMES, PERSONNEL_CLASSES, THREE_PUBLIC_NAMES
from .base import ZERO, compare, d, describe, mk, strip_enum, table_sum, top_level, total
from .codes import CLASS_LINE_TABLES, unpublished_parents

ROW_TOTAL = describe("function.row_total",
                     "功能分类表中每一行：合计 = 基本支出 + 项目支出。",
                     suggestion="改正该行的合计、基本支出或项目支出，使合计 = 基本支出 + 项目支出。")
CLASS_SUM = describe("function.class_sum",
                     "功能分类表中每个类（3位编码）的金额 = 其下各款（5位编码）金额之和，合计、基本支出、项目支出各列分别核对。",
                     suggestion="改正该类或其下各款的金额，使类的金额等于其下各款之和。")
SECTION_SUM = describe("function.section_sum",
                       "功能分类表中每个款（5位编码）的金额 = 其下各项（7位编码）金额之和，各列分别核对。",
                       suggestion="改正该款或其下各项的金额，使款的金额等于其下各项之和。")
TABLE_TOTAL = describe("function.table_total",
                       "功能分类表印出的“合计”行 = 各类（或最高一级科目）金额之和。",
                       suggestion="改正“合计”行或各类金额，使合计等于各类之和。")
TABLE_BASIC = describe("function.table_basic",
                       "功能分类表“合计”行的基本支出 = 各类基本支出之和。",
                       suggestion="改正“合计”行的基本支出或各类的基本支出，使二者一致。")
TABLE_PROJECT = describe("function.table_project",
                         "功能分类表“合计”行的项目支出 = 各类项目支出之和。",
                         suggestion="改正“合计”行的项目支出或各类的项目支出，使二者一致。")
TABLE_PARTS = describe("function.table_total_parts",
                       "功能分类表“合计”行：合计 = 基本支出 + 项目支出（表中另列单位预留机动经费时，再加上它）。",
                       suggestion="改正“合计”行，使合计 = 基本支出 + 项目支出（另列单位预留机动经费时再加上它）。")
ECON_ROW = describe("economic.row_total",
                    "经济分类表中每一行：合计 = 人员经费 + 公用经费（表中另列项目支出（专项业务经费）时，再加上它）。",
                    suggestion="改正该行的合计、人员经费或公用经费，使合计等于各部分之和。")
ECON_CLASS = describe("economic.class_sum",
                      "经济分类表中每个类（如 301）的金额 = 其下各款（如 30101、30102……）金额之和，各列分别核对。",
                      suggestion="改正该类或其下各款的金额，使类的金额等于其下各款之和。")
ECON_TABLE = describe("economic.table_total",
                      "经济分类表印出的“合计”行 = 各类（301、302、303……）金额之和。",
                      suggestion="改正“合计”行或各类金额，使合计等于各类之和。")
ECON_PERSONNEL = describe("economic.personnel_is_301_303",
                          "基本支出中的人员经费 = 工资福利支出（301）+ 对个人和家庭的补助（303）；表中其他类"
                          "（如 302 的工会经费）也列有人员经费时，= 各类行的人员经费之和。",
                          suggestion="核对人员经费合计与 301、303 类的金额，改正不一致的数字。")
ECON_PUBLIC = describe("economic.public_is_302_310",
                       "基本支出中的公用经费 = 商品和服务支出（302）+ 资本性支出（310）等其余各类；表中 301、303 "
                       "也列有公用经费或 302 等类也列有人员经费时，= 各类行的公用经费之和。",
                       suggestion="核对公用经费合计与 302、310 等类的金额，改正不一致的数字。")
ECON_BASIC = describe("economic.basic_is_personnel_plus_public",
                      "基本支出合计 = 人员经费 + 公用经费。",
                      suggestion="改正基本支出、人员经费或公用经费，使基本支出 = 人员经费 + 公用经费。")
SUM_BALANCE = describe("summary.current_year_balance",
                       "收支总表中：本年收入合计 = 本年支出合计（没有结转结余时）。",
                       suggestion="核对收支总表的本年收入合计与本年支出合计，改正不平衡的数字。")
SUM_GRAND = describe("summary.grand_total_balance",
                     "收支总表中：收入总计 = 支出总计。",
                     suggestion="核对收支总表的收入总计与支出总计，改正不平衡的数字。")
SUM_INCOME_GRAND = describe("summary.income_grand_total",
                            "收支总表中：收入总计 = 本年收入合计 + 上年结转结余等。",
                            suggestion="改正收入总计或其组成（本年收入合计、上年结转结余等），使收入总计等于各部分之和。")
SUM_EXP_GRAND = describe("summary.expenditure_grand_total",
                         "收支总表中：支出总计 = 本年支出合计 + 年末结转结余等。",
                         suggestion="改正支出总计或其组成（本年支出合计、年末结转结余等），使支出总计等于各部分之和。")
SUM_INCOME_LINES = describe("summary.income_lines_sum",
                            "收支总表中：本年收入合计 = 各项收入（一、二、三……）之和。",
                            suggestion="改正本年收入合计或各项收入，使合计等于各项收入之和。")
SUM_EXP_LINES = describe("summary.expenditure_lines_sum",
                         "收支总表中：本年支出合计 = 按功能分类列出的各类支出之和。",
                         suggestion="改正本年支出合计或各类支出，使合计等于各类支出之和。")
TP_TOTAL = describe("three_public.total",
                    "“三公”经费：合计 = 因公出国（境）费 + 公务用车购置费 + 公务用车运行维护费 + 公务接待费。",
                    suggestion="改正“三公”经费合计或各分项，使合计等于四项之和。")
PROJECTS_SUM = describe("projects.sum_vs_project_spending",
                        "项目支出表各项目金额之和 = 功能分类表的项目支出合计。",
                        suggestion="核对项目支出表与支出表的项目支出合计，补列遗漏的项目或改正不一致的金额。")
PERFORMANCE_SUM = describe("performance.funds_vs_project_spending",
                           "各项目绩效目标表列出的项目资金之和（重复公开的同一张表只计一次；专项资金总体绩效目标表"
                           "另计：不含、含它们的和都可）= 说明中“N个项目实行了绩效目标管理，涉及……拨款X万元”的X；X 不是表之和时，"
                           "须等于它所指的预算数（一般公共预算拨款合计或项目支出）。说明未写明时 = 项目支出（专项业务经费）"
                           "合计；只公开部分项目（重点项目）的表少于项目支出时不核对合计。",
                           severity="warning",
                           suggestion="核对说明中绩效目标管理涉及的资金与公开的绩效目标表：只公开重点项目的，请在说明中写明；否则补列或改正。")

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
                           r.source_page, terms=len(shown), parts=parts))
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
                           parent.source_page, terms=len(kids), parts=tuple(kv)))
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
                                   None, terms=len(top), parts=tuple(vals)))
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
                    None, terms=2 if reserve is None else 3)]


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
                               None, terms=len(classes)))
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
                               None, terms=2))
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
                       None, terms=len(classes))
    mine = [c for c in classes if (c.code in PERSONNEL_CLASSES) == (column == "personnel")]
    return compare(doc, check, table, amount, total(c.total for c in mine),
                   f"{label} {d(amount)} {{op}} " + " + ".join(
                       f"{c.code} {c.name} {d(c.total or ZERO)}" for c in mine),
                   None, terms=max(len(mine), 1))


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


# ------------------------------------------------------------------------- summary

_INCOME_CUR = re.compile(r"^(本年)?收入合计$|^本年收入$")
_EXP_CUR = re.compile(r"^(本年)?支出合计$|^本年支出$")
_GRAND = re.compile(r"^(收入|支出)?总计$")
_CARRY_IN = re.compile(r"上年结转|年初.*结[转余]|上年结余|用事业基金弥补|使用非财政拨款结余|上年.*结余|上年.*资金余额")
_CARRY_OUT = re.compile(r"结转下年|年末.*结[转余]|年终结[转余]|结余分配|转入事业基金|提取")
_TOP = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+、|[（(][一二三四五六七八九十]+[)）])")


def summary_lines_of(doc: ParsedDocument, table: str):
    return [l for l in doc.summary_lines if l.table == table]


def find_line(lines, pattern: re.Pattern, side: str | None = None):
    for l in lines:
        if (side is None or l.side == side) and pattern.search(strip_enum(l.item)) and l.amount is not None:
            return l
    return None


def summary_arithmetic(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    class_names = {r.name for r in doc.function_rows if len(r.code) == 3}
    for table in ("summary", "fiscal_summary"):
        lines = summary_lines_of(doc, table)
        if not lines:
            continue
        inc = find_line(lines, _INCOME_CUR, "income")
        exp = find_line(lines, _EXP_CUR, "expenditure")
        grand_in = next((l for l in lines if _GRAND.match(strip_enum(l.item)) and l.amount is not None
                         and l.side == "income"), None)
        grand_out = next((l for l in lines if _GRAND.match(strip_enum(l.item)) and l.amount is not None
                          and l.side == "expenditure"), None)
        carry_in = [l for l in lines if _CARRY_IN.search(l.item) and not _CARRY_OUT.search(l.item)
                    and l.amount is not None and _TOP.match(compact_item(l))] or \
                   _carry_lines(lines)
        carry_out = [l for l in lines if _CARRY_OUT.search(l.item) and l.amount is not None][:1]
        carried = any((l.amount or 0) != 0 for l in carry_in + carry_out)
        if inc and exp:
            if carried:
                out.append(mk(doc, SUM_BALANCE, "not_applicable", table, inc.amount, exp.amount,
                              "有上年结转或年末结转结余，本年收入合计与本年支出合计不必相等。"))
            else:
                out.append(compare(doc, SUM_BALANCE, table, inc.amount, exp.amount,
                                   f"本年收入合计 {d(inc.amount)} {{op}} 本年支出合计 {d(exp.amount)}",
                                   inc.source_page))
        else:
            out.append(mk(doc, SUM_BALANCE, "insufficient_data", table, inc.amount if inc else None,
                          exp.amount if exp else None, "没有同时识别出本年收入合计和本年支出合计。"))
        if grand_in and grand_out:
            out.append(compare(doc, SUM_GRAND, table, grand_in.amount, grand_out.amount,
                               f"收入总计 {d(grand_in.amount)} {{op}} 支出总计 {d(grand_out.amount)}",
                               grand_in.source_page))
        else:
            out.append(mk(doc, SUM_GRAND, "insufficient_data", table, grand_in.amount if grand_in else None,
                          grand_out.amount if grand_out else None, "没有同时识别出收入总计和支出总计。"))
        if grand_in and inc:
            parts = [inc.amount] + [l.amount for l in carry_in]
            out.append(compare(doc, SUM_INCOME_GRAND, table, grand_in.amount, total(parts),
                               f"收入总计 {d(grand_in.amount)} {{op}} 本年收入合计 {d(inc.amount)}"
                               + "".join(f" + {strip_enum(l.item)} {d(l.amount)}" for l in carry_in),
                               grand_in.source_page, terms=len(parts)))
        if grand_out and exp:
            parts = [exp.amount] + [l.amount for l in carry_out]
            out.append(compare(doc, SUM_EXP_GRAND, table, grand_out.amount, total(parts),
                               f"支出总计 {d(grand_out.amount)} {{op}} 本年支出合计 {d(exp.amount)}"
                               + "".join(f" + {strip_enum(l.item)} {d(l.amount)}" for l in carry_out),
                               grand_out.source_page, terms=len(parts)))
        # 本年收入合计 = Σ top-level income lines (一、二、…), without carry-over lines; a source
        # named without 收入 (一、预算拨款 珠海, 三、单位资金 深圳) counts if printed before 本年收入合计
        # (after it, 一、一般公共预算拨款 is a part of the 上年结转 line)
        before_inc = {id(l) for l in lines[:next((i for i, l in enumerate(lines) if l is inc), 0)]}
        top_in = _outermost([l for l in lines if l.side == "income" and _level(compact_item(l))
                             and not _CARRY_IN.search(l.item) and not _INCOME_CUR.match(strip_enum(l.item))
                             and ("收入" in l.item or re.search(r"拨款|资金", l.item) and id(l) in before_inc)])
        if inc and top_in and not any(_TOP.match(compact_item(l)) and "本年收入" in l.item for l in lines):
            out.append(compare(doc, SUM_INCOME_LINES, table, inc.amount, total(l.amount for l in top_in),
                               f"本年收入合计 {d(inc.amount)} {{op}} " + " + ".join(
                                   f"{strip_enum(l.item)} {d(l.amount)}" for l in top_in),
                               inc.source_page, terms=len(top_in)))
        series = _function_series(lines)
        classes = [l for l in lines if l.side == "expenditure" and l.amount is not None
                   and (strip_enum(l.item) in class_names or id(l) in series)]
        if exp and classes:
            out.append(compare(doc, SUM_EXP_LINES, table, exp.amount, total(l.amount for l in classes),
                               f"本年支出合计 {d(exp.amount)} {{op}} " + " + ".join(
                                   f"{strip_enum(l.item)} {d(l.amount)}" for l in classes),
                               exp.source_page, terms=len(classes)))
    return out


def _carry_lines(lines) -> list:
    """The carry-in lines of a summary that does not number them: the first (上年结转), and the
    separate balances printed beside it (西安: ``上年实户资金余额 3,262.49`` above ``上年结转
    13,102.70``), not the parts under 上年结转 (其中：财政拨款资金结转, 非财政拨款资金结余)."""
    found = [l for l in lines if _CARRY_IN.search(l.item) and l.amount is not None]
    balances = [l for l in found if _BALANCE.search(l.item) and l.side == "income"]
    return [l for l in found if l not in balances][:1] + balances


_BALANCE = re.compile(r"^上年.*资金余额$")
_NUMBERED = re.compile(r"^(\d+)、(\S+)$")


def _function_series(lines) -> set[int]:
    """The expenditure lines of a summary's 功能分类 column, numbered 1、2、3… in print order:
    西安 prints it left of two economic columns, each row 功能 | 部门经济 | 政府经济, so the
    line numbered next in the series is the 功能 class (自然资源 2022 p. 41: ``25、其他支出
    48,007,600.00``, a class the 一般公共预算 tables do not show; ``11、其他支出`` of the economic
    column is out of the series). Only a series that starts at 1、一般公共服务支出."""
    out: set[int] = set()
    expected = 1
    for l in lines:
        m = _NUMBERED.match(compact_item(l)) if l.side == "expenditure" else None
        if not m or int(m.group(1)) != expected:
            continue
        if expected == 1 and m.group(2) != OFFICIAL_CLASS_NAMES["201"]:
            return set()
        out.add(id(l))
        expected += 1
    return out if expected > 10 else set()


def _level(item: str) -> int:
    """The level of an enumerated summary line: 1 for 一、, 2 for 1、 and （一）, 3 for (1); 0 else."""
    for level, pattern in enumerate((r"[一二三四五六七八九十]+、", r"\d+、|[（(][一二三四五六七八九十]+[)）]",
                                     r"[（(]\d+[)）]"), 1):
        if re.match(pattern, item):
            return level
    return 0


def _outermost(lines: list) -> list:
    """The income lines that add up to 本年收入合计: the outermost enumerated lines with an
    amount; a line printed blank stands for the lines under it (西安: ``1、财政拨款`` blank over
    ``(1)一般公共预算拨款收入 181716.56``), and the lines under a line with an amount are its
    parts, not more income (西安: ``一、财政拨款 324638.50`` over ``1、一般公共预算拨款``)."""
    out: list = []
    i = 0
    while i < len(lines):
        level = _level(compact_item(lines[i]))
        j = i + 1
        while j < len(lines) and _level(compact_item(lines[j])) > level:
            j += 1
        out.extend([lines[i]] if lines[i].amount is not None else _outermost(lines[i + 1:j]))
        i = j
    return out


def compact_item(line) -> str:
    return re.sub(r"\s+", "", line.item)


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
                           t.source_page, terms=4))
    return out


# the project and performance checks (ids registered above) run next: ``project_funds.FAMILY``
FAMILY = [function_arithmetic, economic_arithmetic, summary_arithmetic, three_public_arithmetic]
