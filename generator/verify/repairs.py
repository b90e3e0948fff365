"""Repairs of figures the source (or its OCR) damaged, each recorded with before and after.

- ``repair.code_truncated``: a function code printed with 6 digits (``201999``) is given the
  7-digit code the document's other tables use for the same name under the same parent
  (``2019999``); a code that cannot be repaired is dropped with a ``fail`` check, so every
  published code has 3, 5 or 7 digits.
- ``repair.truncated_amount``: a summary-table figure with its last digit cut off (``341. 3``)
  that another table prints in full (``341.39``) is replaced by the full figure.
"""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from ..records import Check, ParsedDocument
from ..vocabulary import ALL_FUNDS_FIRST, FUNCTION_CODE_LENGTHS, GENERAL_PUBLIC_FIRST
from .base import d, describe, exponent, mk, same_name, strip_enum, table_sum, top_level

CODE_TRUNCATED = describe(
    "repair.code_truncated",
    "功能分类科目编码应为3位（类）、5位（款）或7位（项）。印刷或识别时少了一位的编码（如 201999），"
    "按同一文件其他表中同一上级科目下同名科目的编码补全（如 2019999）；无法补全的行不予发布，并记为不通过。",
    severity="warning",
    suggestion="数据已修复，请核对原文：改正印错（少了一位）的科目编码。")
CODE_LENGTHS = describe(
    "repair.code_lengths",
    "修复之后，所有发布的功能分类科目编码都是3、5或7位。",
    severity="warning",
    suggestion="改正位数不对的科目编码：功能分类编码应为3位（类）、5位（款）或7位（项）。")
TRUNCATED_AMOUNT = describe(
    "repair.truncated_amount",
    "收支总表中被截断的数字（如 341. 3），若其他表对同一项目印出完整数字（341.39），且截断后的数字是"
    "完整数字的前几位，则改用完整数字发布，并记录修复前后的数值。",
    severity="warning",
    suggestion="数据已修复，请核对原文：改正被截断的数字，印出完整的金额。")


def repair_codes(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    seven: dict[str, set[tuple[str, str]]] = {}
    for r in doc.function_rows:
        if len(r.code) == FUNCTION_CODE_LENGTHS["item"]:
            seven.setdefault(r.code, set()).add((r.table, r.name))
    rows = []
    for r in doc.function_rows:
        if len(r.code) in FUNCTION_CODE_LENGTHS.values() and r.code.isdigit():
            rows.append(r)
            continue
        in_table = {x.code for x in doc.function_rows if x.table == r.table}
        cands = sorted(c for c in seven if c not in in_table and (c.startswith(r.code) or (
            len(r.code) >= 5 and c[:5] == r.code[:5])))
        named = [c for c in cands if any(same_name(n, r.name) for _, n in seven[c])]
        prefixed = [c for c in cands if c.startswith(r.code)]
        pick = named[0] if len(named) == 1 else prefixed[0] if not named and len(prefixed) == 1 else None
        if pick is not None:
            where = "、".join(sorted({t for t, _ in seven[pick]}))
            out.append(mk(doc, CODE_TRUNCATED, "repaired", r.table, pick, r.code,
                          f"{r.code} {r.name}：编码只有{len(r.code)}位，按{where}中同一上级科目下的"
                          f"同名科目改为 {pick}。", r.source_page))
            rows.append(dataclasses.replace(r, code=pick, level="item", repair=CODE_TRUNCATED))
        else:
            why = "有多个候选编码" if len(named) > 1 or len(prefixed) > 1 else "其他表中找不到同名科目"
            out.append(mk(doc, CODE_TRUNCATED, "fail", r.table, None, r.code,
                          f"{r.code} {r.name}：编码为{len(r.code)}位且无法补全（{why}），此行不予发布。",
                          r.source_page))
    doc.function_rows = rows
    bad = [r for r in doc.function_rows if len(r.code) not in (3, 5, 7)]
    n = len(doc.function_rows)
    if n:
        out.append(mk(doc, CODE_LENGTHS, "pass" if not bad else "fail", None, "3/5/7",
                      str(len(bad)), f"发布的 {n} 行功能分类数据的编码均为3、5或7位。" if not bad
                      else f"仍有 {len(bad)} 行编码长度不对。"))
    else:
        out.append(mk(doc, CODE_LENGTHS, "not_applicable", None, None, None,
                      "本文件没有按功能分类科目列示的数据行。"))
    return out


# ------------------------------------------------------------------ truncated amounts

_TOTAL_ITEMS = {
    "expenditure_current": re.compile(r"^(本年)?支出合计$"),
    "income_current": re.compile(r"^(本年)?收入合计$"),
    "grand": re.compile(r"^(收入|支出)?总计$"),
}


def _decimals(v: Decimal) -> int:
    e = exponent(v)
    return -e if e is not None and e < 0 else 0


def _truncates(short: Decimal, full: Decimal) -> bool:
    """``341.3`` is ``341.39`` with its last digit(s) cut off."""
    if short == full or _decimals(short) >= _decimals(full) or short < 0 or full < 0:
        return False
    s, f = format(short, "f"), format(full, "f")
    return f.startswith(s) and "." in s


def _truths(doc: ParsedDocument, line) -> list[tuple[str, Decimal]]:
    """Figures other tables print for the same thing as a summary line."""
    out: list[tuple[str, Decimal]] = []
    name = strip_enum(line.item)
    for other in doc.summary_lines:
        if other is line or other.amount is None or other.side != line.side:
            continue
        if other.table != line.table and strip_enum(other.item) == name:
            out.append((other.table, other.amount))
    if line.side == "expenditure":
        for table in GENERAL_PUBLIC_FIRST:
            for r in top_level([r for r in doc.function_rows if r.table == table]):
                if len(r.code) == 3 and same_name(r.name, name) and r.total is not None:
                    out.append((table, r.total))
        if _TOTAL_ITEMS["expenditure_current"].match(name) or _TOTAL_ITEMS["grand"].match(name):
            for table in ALL_FUNDS_FIRST:  # 本年支出合计, 支出总计: of all funds
                v = table_sum(doc, table)
                if v is not None:
                    out.append((table, v))
    if _TOTAL_ITEMS["grand"].match(name):  # 收入总计 = 支出总计 in the same table
        for other in doc.summary_lines:
            if other.table == line.table and other.side != line.side and other.amount is not None \
                    and _TOTAL_ITEMS["grand"].match(strip_enum(other.item)):
                out.append((line.table, other.amount))
    return out


def repair_truncated_amounts(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    lines = []
    for line in doc.summary_lines:
        if line.amount is None or line.amount == 0:
            lines.append(line)
            continue
        fulls = {v for _, v in _truths(doc, line) if _truncates(line.amount, v)}
        if len(fulls) == 1:
            full = fulls.pop()
            where = "、".join(sorted({t for t, v in _truths(doc, line) if v == full}))
            out.append(mk(doc, TRUNCATED_AMOUNT, "repaired", line.table, full, line.amount,
                          f"{strip_enum(line.item)}：印出的 {d(line.amount)} 是被截断的数字，{where}"
                          f"印为 {d(full)}，改用 {d(full)}。", line.source_page))
            lines.append(dataclasses.replace(line, amount=full, repair=TRUNCATED_AMOUNT))
        else:
            lines.append(line)
    doc.summary_lines = lines
    return out


FAMILY = [repair_codes, repair_truncated_amounts]
