"""Sums, shares and changes stated within one narrative sentence, recomputed from the figures
the same sentence prints (``list_share_yoy``, every sentence in turn): listed parts (``listed``),
shares (``narrative.share``) and completion rates of a final account (``narrative.completion_rate``)
here, year-over-year changes and the year compared with (``changes``)."""
from __future__ import annotations

import re
from decimal import Decimal

from ...numbers import fmt
from ...records import Check, ParsedDocument
from ..base import d, mk, strip_enum
from ..sentences import CHANGE, MARKER, Token, is_level, last_clause, tokens
from ..summary_sums import _EXP_CUR
from .changes import change_percents, changes, comparison_years
from .comparisons import completion_base, is_budget, zero_base
from .ids import COMPLETION, SHARE
from .listed import listed_parts
from .lookup import fn_total, three_public_item_budget
from .percents import half_unit, percent_status, ratio_range, rounding_note


def _other_item(sentence: str, budget: Token, actual: Token) -> bool:
    """Is the actual figure an item listed after the budget's total (``其中：`` or a new clause
    after ``；``)? Then the budget is the total's, not this item's."""
    between = sentence[budget.end:actual.start]
    return bool(re.search(r"其中|[；;。]", between))


def list_share_yoy(doc: ParsedDocument, sents) -> list[Check]:
    """Every sentence's listed parts, shares and completion rates, changes and compared years."""
    out: list[Check] = []
    for sentence, page in sents:
        toks = tokens(sentence)
        out += listed_parts(doc, sentence, toks, page)
        out += shares_and_completion(doc, sentence, toks, page)
        out += changes(doc, sentence, toks, page)
        out += change_percents(doc, sentence, toks, page)
        out += comparison_years(doc, sentence, page)
    return out


# ------------------------------------------------------- shares and completion rates

def shares_and_completion(doc: ParsedDocument, sentence: str, toks: list[Token], page) -> list[Check]:
    """Every percentage that is a completion rate (完成年初预算的x%) or a share (占x%)."""
    out: list[Check] = []
    for i, t in enumerate(toks):
        if t.kind != "percent":
            continue
        lab = last_clause(t.label)
        prev = [x for x in toks[:i] if x.kind == "amount"]
        if re.search(r"完成.*(预算|计划)的?$|预算完成率(?:为|是|达到?)?$", lab):
            out += _completion(doc, sentence, t, prev, page)
        elif "占" in lab and not CHANGE.search(lab) and prev:
            out += _share(doc, sentence, toks, t, prev, lab, page)
    return out


def _completion(doc: ParsedDocument, sentence: str, t: Token, prev: list[Token], page) -> list[Check]:
    """决算 ÷ 年初预算 (the budget of the item the clause names when the actual is an item listed
    under the budget's total)."""
    budget = [x for x in prev if is_budget(x.label)]
    actual = [x for x in prev if re.search(r"决算|实际支出|支出", last_clause(x.label))
              and (not budget or x.start > budget[-1].start)]
    if not budget or not actual:
        return []
    wrong = completion_base(doc, sentence, t, actual[-1], budget, page)
    if wrong is not None:
        return [wrong]
    chosen = ([x for x in budget if "年初" in last_clause(x.label)] or budget)[-1]
    b, a = chosen.value, actual[-1].value
    budget_of = "年初预算"
    if _other_item(sentence, chosen, actual[-1]):
        # "预算为76.43万元…其中：因公出国（境）费支出决算为4.69万元，完成预算的15.63%"
        item = three_public_item_budget(doc, last_clause(actual[-1].label))
        if item is None:
            return [mk(doc, COMPLETION, "insufficient_data", "narrative", None, fmt(t.value),
                       f"决算 {d(a)} 是总额之下所列的一项，说明和“三公”经费表都没有给出该项的年初预算，"
                       f"无法核对完成率 {fmt(t.value)}%。", page)]
        b, budget_of = item
    if b == 0:
        return [zero_base(doc, budget_of, t.value, a, page, sentence[max(0, chosen.start - 12):t.end])]
    lo, mid, hi = ratio_range(a, b, half_unit(a), half_unit(b))
    st = percent_status(t.value, lo, mid, hi)
    return [mk(doc, COMPLETION, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(t.value),
               f"决算 {d(a)} ÷ {budget_of} {d(b)} = {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为 {fmt(t.value)}%"
               + rounding_note(st), page, quote=sentence[max(0, chosen.start - 12):t.end])]


def _share_whole(sentence: str, toks: list[Token], t: Token, part: Token, year: int) -> Token | None:
    """The total a share's part is a share of: a head of a list (其中 …) before the part, the
    last one whose ratio fits the printed share, else the last one."""
    heads: list[Token] = []
    for mm in MARKER.finditer(sentence[:part.start]):
        hb = [x for x in toks if x.end <= mm.start() and x.kind == "amount" and is_level(x, year)]
        if hb and hb[-1] is not part and hb[-1].value >= part.value and hb[-1] not in heads:
            heads.append(hb[-1])
    for h in reversed(heads):
        if h.value and percent_status(t.value, *ratio_range(part.value, h.value, half_unit(part.value),
                                                        half_unit(h.value))) != "fail":
            return h
    return heads[-1] if heads else None


def _share(doc: ParsedDocument, sentence: str, toks: list[Token], t: Token, prev: list[Token], lab: str,
           page) -> list[Check]:
    """占x%: the part before it ÷ the whole (a head in the sentence, the 本年支出合计 of the
    收支总表, or for a 类 the 一般公共预算支出表's total)."""
    part = prev[-1]
    if not is_level(part, doc.meta.year) or re.search(r"[；;。]", sentence[part.end:t.start]):
        return []  # a share in a later clause whose part is not stated ("货物…占货物支出金额的9.16%")
    whole = _share_whole(sentence, toks, t, part, doc.meta.year)
    wv = whole.value if whole is not None else None
    if wv is None and re.search(r"本年支出合计|支出合计", lab):
        wv = next((l.amount for l in doc.summary_lines if l.amount is not None
                   and _EXP_CUR.match(strip_enum(l.item))), None)
    if wv is None and re.search(r"[（(]类[)）]$", last_clause(part.label)):
        wv = fn_total(doc, "general_public_function", "total")
    if wv is None or re.search(r"占.+的", lab) and not re.search(r"本年支出合计|支出合计", lab) and whole is None:
        return []
    if wv == 0:
        return []
    lo, mid, hi = ratio_range(part.value, wv, half_unit(part.value), half_unit(wv))
    st = percent_status(t.value, lo, mid, hi)
    return [mk(doc, SHARE, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(t.value),
               f"{d(part.value)} ÷ {d(wv)} = {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为 {fmt(t.value)}%"
               + rounding_note(st), page)]
