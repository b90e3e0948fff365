"""Narrative figures by topic: the 收支总额, 基本支出, 项目支出, 人员经费, 公用经费, “三公”经费 and
机关运行经费 a sentence states, each against the tables (``narrative.total`` … ``narrative.
operating_costs``, ``narrative.three_public_item``), and the sums a sentence states among them
(总额 = 基本 + 项目, 基本 = 人员 + 公用)."""
from __future__ import annotations

import re
from decimal import Decimal

from ...records import Check, ParsedDocument
from ...vocabulary import ALL_FUNDS_FIRST, GENERAL_PUBLIC_FIRST
from ..arithmetic import _EXP_CUR, _GRAND, _INCOME_CUR
from ..base import compare, d, mk, strip_enum, table_sum, total
from ..sentences import MARKER, Token, is_level, last_clause, tokens
from .ids import (BASIC, BASIC_PROJECT, OPERATING, PERS_PUBLIC, PERSONNEL, PROJECT, PUBLIC, THREE_PUBLIC,
                  THREE_PUBLIC_ITEM, TOTAL)
from .lookup import TP_ITEMS, econ_total, fn_total, match, three_public_total

TOPICS = [
    ("three_public", re.compile(r"三公")),
    ("operating_costs", re.compile(r"机关运行经费|运行经费")),
    # 在职人员经费 (深圳) leaves out retirees (303) and the 增人增资 reserve: not the table's 人员经费
    ("personnel", re.compile(r"(?<!在职)人员经费")),
    ("public", re.compile(r"公用经费")),
    ("basic", re.compile(r"基本支出")),
    ("project", re.compile(r"项目支出")),
    ("total", re.compile(r"^(?!.*(采购|合同|资产|绩效|资金|项目)).*(?:收入总计|支出总计|收支总计|收入总额|支出总额|收支总额|支出安排总额|收支安排|收支预算总额"
                         r"|收入合计|支出合计|收入、支出总计|收支预算|预算收入总额|预算支出总额)")),
]


# a heading that opens a new item inside a run-on sentence: （三）, 三、
_HEADING = re.compile(r"[（(][一二三四五六七八九十]+[)）]|(?<![\d.])[一二三四五六七八九十]+、")


def topic_of(t: Token, year: int) -> str | None:
    """The topic of an amount from the words just before it, after the last list marker and
    the last heading: in ``图2：基本支出和项目支出情况（三）年终结转结余资金0万元`` (a chart caption
    run into the next heading) the amount is the 结转结余, not the 基本支出 of the caption."""
    lab = MARKER.split(last_clause(t.label))[-1]
    lab = _HEADING.split(lab)[-1]
    if not is_level(t, year):
        return None
    for name, pat in TOPICS:
        if pat.search(lab):
            return name
    return None


def _phase_ok(doc: ParsedDocument, t: Token) -> bool:
    lab = last_clause(t.label)
    if doc.meta.phase == "final" and "预算" in lab and "决算" not in lab:
        return False  # a budget figure quoted in a final account
    return True



def candidates(doc: ParsedDocument, topic: str, sentence: str, t: Token) -> list[tuple[str, Decimal]]:
    out: list[tuple[str, Decimal]] = []
    fiscal = bool(re.search(r"一般公共预算|财政拨款", sentence))
    if topic == "total" and "财政拨款" in last_clause(t.label):
        # "财政拨款收入支出总计": the 财政拨款收支总表 first, its 总计 first for a 总计 (any candidate
        # may match; the first is the one a failure cites)
        lines = [l for l in doc.summary_lines if l.table == "fiscal_summary" and l.amount is not None]
        grand = [l for l in lines if _GRAND.match(strip_enum(l.item))]
        current = [l for l in lines if _INCOME_CUR.match(strip_enum(l.item)) or _EXP_CUR.match(strip_enum(l.item))]
        first = grand + current if "总计" in last_clause(t.label) else current + grand
        out.extend((l.table, l.amount) for l in first)
    order = GENERAL_PUBLIC_FIRST if fiscal else ALL_FUNDS_FIRST
    if topic in ("basic", "project"):
        for table in order:
            v = fn_total(doc, table, topic)
            if v is not None:
                out.append((table, v))
    elif topic in ("personnel", "public"):
        v = econ_total(doc, topic)
        if v is not None:
            out.append(("basic_economic", v))
    elif topic == "operating_costs":
        v = table_sum(doc, "operating_costs")
        if v is not None:
            out.append(("operating_costs", v))
    elif topic == "total":
        for l in doc.summary_lines:
            name = strip_enum(l.item)
            if l.amount is not None and (_GRAND.match(name) or _INCOME_CUR.match(name) or _EXP_CUR.match(name)):
                out.append((l.table, l.amount))
        for table in order:
            v = fn_total(doc, table, "total")
            if v is not None:
                out.append((table, v))
    elif topic == "three_public":
        lab = last_clause(t.label)
        measure = "budget" if doc.meta.phase == "budget" or ("预算" in lab and "决算" not in lab) else "final"
        v = three_public_total(doc, measure, ("total",))
        if v is not None:
            out.append(("three_public", v))
    return out


#: a 机关运行经费 of 0 explained by the unit being a 事业单位 (长沙: 本单位为非参公事业单位，2026年
#: 预算无机关运行经费; 泉州: 本单位没有机关运行经费)
_NO_OPERATING = re.compile(r"事业单位|没有机关运行经费|无机关运行经费")


def operating_check(doc: ParsedDocument, sentence: str, t: Token, page) -> Check:
    """The 机关运行经费 a sentence states, against a figure that means the same thing: the
    机关运行经费 table (or the 行政经费 line of the "三公" table) where the document prints one.
    Otherwise the tables only print the 公用经费 of the basic economic table, which is the
    机关运行经费 only where every unit is a 行政单位 (or 参公): equal, it passes; different, the
    two measure different things (the 公用经费 of 事业单位; a template's wider 行政经费 with
    项目支出 or equipment, 深圳), and the check does not apply."""
    cands = candidates(doc, "operating_costs", sentence, t)
    if cands:
        return match(doc, OPERATING, t.value, cands, TOPIC_ZH["operating_costs"], page)
    public = econ_total(doc, "public")
    if public is None:
        return match(doc, OPERATING, t.value, [], TOPIC_ZH["operating_costs"], page)
    same = match(doc, OPERATING, t.value, [("basic_economic", public)], TOPIC_ZH["operating_costs"], page)
    if same.status != "fail":
        return same
    if t.value == 0 and _NO_OPERATING.search(sentence):
        why = "说明称本单位不是行政（参公）单位，没有机关运行经费"
    elif t.value < public:
        why = "公用经费还包括事业单位的公用经费"
    else:
        why = "这里的机关运行经费口径比基本支出的公用经费宽，如含项目支出或设备购置"
    return mk(doc, OPERATING, "not_applicable", "narrative", public, t.value,
              f"文字说明中的机关运行经费 {d(t.value)} 没有同口径的表可核对：本文件没有机关运行经费表，"
              f"基本支出经济分类表的公用经费 {d(public)} 与它口径不同（{why}）。", page)


#: an economic class and its amount, then 其中 (西安: ``对个人和家庭的补助（509）100151.38万元,其中：``)
_CLASS_THEN_PARTS = re.compile(r"[（(][35]\d{2}(?:\d{2})?[)）][\d,.]+万元[,，]?(?:[\d,.]+万元[,，]?)?其中")


def _part_of_a_class(sentence: str, t: Token) -> bool:
    """Is ``t`` listed under one economic class (``对事业单位经常性补助（505）2945.22万元,其中：人员经费
    1903.54万元…；公用经费75.66万元``): the class's 人员经费 or 公用经费, not the department's?"""
    return bool(_CLASS_THEN_PARTS.search(sentence[:t.start]))


#: a sentence about the 机关运行经费 (公用经费): the 公务接待费 or 公务用车运行维护费 it lists are its
#: parts (西安 2020: 机关运行经费预算总计82万元，其中：…公务接待费2万元…), not the 三公 table's items
_OPERATING_PARTS = re.compile(r"机关运行经费|行政经费|公用经费")


TOPIC_CHECK = {"total": TOTAL, "basic": BASIC, "project": PROJECT, "personnel": PERSONNEL, "public": PUBLIC,
               "three_public": THREE_PUBLIC, "operating_costs": OPERATING}
TOPIC_ZH = {"total": "收支总额", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
            "public": "公用经费", "three_public": "“三公”经费", "operating_costs": "机关运行经费"}


def topic_checks(doc: ParsedDocument, sents) -> list[Check]:
    out: list[Check] = []
    measure = "final" if doc.meta.phase == "final" else "budget"
    for sentence, page in sents:
        toks = tokens(sentence)
        found: dict[str, Decimal] = {}
        for t in toks:
            if t.kind != "amount" or not is_level(t, doc.meta.year) or not _phase_ok(doc, t):
                continue
            lab = last_clause(t.label)
            tp = next((items for pat, items in TP_ITEMS if pat.search(lab)), None)
            if tp and "三公" not in lab and _OPERATING_PARTS.search(sentence[:t.start]) \
                    and "三公" not in sentence[:t.start]:
                continue  # 机关运行经费…其中：…公务接待费 2 万元: a part of the 机关运行经费, not the 三公 item
            if tp and "三公" not in lab:
                rows = {r.item: r.amount for r in doc.three_public if r.measure == measure and r.table == "three_public"}
                if rows and any(k in rows for k in tp) or rows.get("total") == 0:
                    v = total(rows.get(k) for k in tp)
                    out.append(match(doc, THREE_PUBLIC_ITEM, t.value, [("three_public", v)], lab[-14:], page))
                continue
            topic = topic_of(t, doc.meta.year)
            if topic is None or re.search(r"公用经费", lab) and topic == "operating_costs":
                continue
            if topic == "project" and re.search(r"项目支出(绩效|预算总额)|涉及", lab):
                continue
            if topic in ("personnel", "public") and _part_of_a_class(sentence, t):
                continue
            found.setdefault(topic, t.value)
            if topic == "operating_costs":
                out.append(operating_check(doc, sentence, t, page))
                continue
            out.append(match(doc, TOPIC_CHECK[topic], t.value, candidates(doc, topic, sentence, t),
                             TOPIC_ZH[topic], page))
        if {"total", "basic", "project"} <= found.keys():
            out.append(compare(doc, BASIC_PROJECT, "narrative", found["total"], found["basic"] + found["project"],
                               f"文字说明：支出总额 {d(found['total'])} {{op}} 基本支出 {d(found['basic'])} + 项目支出 "
                               f"{d(found['project'])}", page, terms=2))
        if {"basic", "personnel", "public"} <= found.keys():
            out.append(compare(doc, PERS_PUBLIC, "narrative", found["basic"], found["personnel"] + found["public"],
                               f"文字说明：基本支出 {d(found['basic'])} {{op}} 人员经费 {d(found['personnel'])} + 公用经费 "
                               f"{d(found['public'])}", page, terms=2))
    return out
