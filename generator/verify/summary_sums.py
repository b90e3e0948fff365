"""The 收支总表 (and 财政拨款收支总表) adds up: 本年收入合计 against 本年支出合计, 收入总计 against
支出总计, each 总计 against its 本年 figure and carry-overs, 本年收入合计 against the numbered income
lines and 本年支出合计 against the function classes it lists — and which printed line is which
(``find_line``, the carry-over and numbered lines), read here for the cross-table, narrative and
facts stages too."""
from __future__ import annotations

import re

from ..records import Check, ParsedDocument
from ..vocabulary import OFFICIAL_CLASS_NAMES
from .arithmetic_ids import (SUM_BALANCE, SUM_EXP_GRAND, SUM_EXP_LINES, SUM_GRAND, SUM_INCOME_GRAND,
                             SUM_INCOME_LINES)
from .base import compare, d, line_figure, mk, strip_enum, total

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
                                   inc.source_page, figures=[line_figure(inc), line_figure(exp)]))
        else:
            out.append(mk(doc, SUM_BALANCE, "insufficient_data", table, inc.amount if inc else None,
                          exp.amount if exp else None, "没有同时识别出本年收入合计和本年支出合计。"))
        if grand_in and grand_out:
            out.append(compare(doc, SUM_GRAND, table, grand_in.amount, grand_out.amount,
                               f"收入总计 {d(grand_in.amount)} {{op}} 支出总计 {d(grand_out.amount)}",
                               grand_in.source_page, figures=[line_figure(grand_in), line_figure(grand_out)]))
        else:
            out.append(mk(doc, SUM_GRAND, "insufficient_data", table, grand_in.amount if grand_in else None,
                          grand_out.amount if grand_out else None, "没有同时识别出收入总计和支出总计。"))
        if grand_in and inc:
            parts = [inc.amount] + [l.amount for l in carry_in]
            out.append(compare(doc, SUM_INCOME_GRAND, table, grand_in.amount, total(parts),
                               f"收入总计 {d(grand_in.amount)} {{op}} 本年收入合计 {d(inc.amount)}"
                               + "".join(f" + {strip_enum(l.item)} {d(l.amount)}" for l in carry_in),
                               grand_in.source_page, terms=len(parts),
                               figures=[line_figure(l) for l in (grand_in, inc, *carry_in)]))
        if grand_out and exp:
            parts = [exp.amount] + [l.amount for l in carry_out]
            out.append(compare(doc, SUM_EXP_GRAND, table, grand_out.amount, total(parts),
                               f"支出总计 {d(grand_out.amount)} {{op}} 本年支出合计 {d(exp.amount)}"
                               + "".join(f" + {strip_enum(l.item)} {d(l.amount)}" for l in carry_out),
                               grand_out.source_page, terms=len(parts),
                               figures=[line_figure(l) for l in (grand_out, exp, *carry_out)]))
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
                               inc.source_page, terms=len(top_in), figures=[line_figure(l) for l in (inc, *top_in)]))
        series = _function_series(lines)
        classes = [l for l in lines if l.side == "expenditure" and l.amount is not None
                   and (strip_enum(l.item) in class_names or id(l) in series)]
        if exp and classes:
            out.append(compare(doc, SUM_EXP_LINES, table, exp.amount, total(l.amount for l in classes),
                               f"本年支出合计 {d(exp.amount)} {{op}} " + " + ".join(
                                   f"{strip_enum(l.item)} {d(l.amount)}" for l in classes),
                               exp.source_page, terms=len(classes), figures=[line_figure(l) for l in (exp, *classes)]))
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

