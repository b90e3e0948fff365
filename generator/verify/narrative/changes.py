"""Year-over-year changes within one narrative sentence, recomputed from the figures it prints:
本年 − 上年 = the change (``narrative.yoy_difference``), its direction (``narrative.yoy_direction``),
the percentage printed after it or without an amount (``narrative.yoy_percent``), and the year
compared with (``narrative.comparison_year``)."""
from __future__ import annotations

import re
from decimal import Decimal

from ...numbers import fmt
from ...records import Check, ParsedDocument
from ..base import compare, d, mk
from ..sentences import CHANGE, NEG, Token, is_level, is_prior, last_clause
from .comparisons import percent_direction, zero_base
from .ids import YEAR, YOY_DIFF, YOY_DIRECTION, YOY_PERCENT
from .percents import half_unit, percent_status, ratio_range, rounding_note


def changes(doc: ParsedDocument, sentence: str, toks: list[Token], page) -> list[Check]:
    """Every change amount (增加 x 万元) compared with the year before: 本年 − 上年 = the change,
    its direction, and the percentage printed after it."""
    out: list[Check] = []
    year = doc.meta.year
    for i, t in enumerate(toks):
        if t.kind != "amount":
            continue
        lab = last_clause(t.label)
        cm = CHANGE.search(lab)
        if not cm or not is_prior(lab, year) and not re.search(r"较|比|同比|与", sentence[max(0, t.start - 30):t.start]):
            continue
        sign = -1 if NEG.search(cm.group(1)) else 1
        cur, pri = _change_figures(sentence, toks, i, sign, year)
        pct = toks[i + 1] if i + 1 < len(toks) and toks[i + 1].kind == "percent" and \
            not re.search(r"[；;。]", sentence[t.end:toks[i + 1].start]) else None
        if pri is None and pct is not None:
            cur = _head_the_percent_fits(sentence, toks[:i], t, sign, pct, year) or cur
        if cur is not None and pri is not None:
            out += _change_difference(doc, t, cm, sign, cur, pri, page)
        if pct is not None:
            out += _change_percent(doc, t, cm, sign, cur, pri, pct, page, sentence)
    return out


def _change_figures(sentence: str, toks: list[Token], i: int, sign: int,
                    year: int) -> tuple[Token | None, Token | None]:
    """The figures of this year and of the year before that the change ``toks[i]`` compares,
    in the same clause; the figure of this year may be the head of a 其中 list: the one the
    change fits."""
    t = toks[i]
    prev_level = [x for x in toks[:i] if x.kind == "amount" and is_level(x, year)]
    prior = [x for x in toks[:i] if x.kind == "amount" and is_prior(x.label, year)
             and not CHANGE.search(last_clause(x.label))]
    prev_level = [x for x in prev_level if not re.search(r"[；;]", sentence[x.end:t.start])]
    pri = prior[-1] if prior and prior[-1].end <= t.start and not re.search(
        r"[；;]", sentence[prior[-1].end:t.start]) else None
    if pri is not None:
        prev_level = [x for x in prev_level if x.start < pri.start]
    cur = prev_level[-1] if prev_level else None
    for x in reversed(prev_level):
        if pri is not None and x.value - pri.value == sign * t.value:
            cur = x
            break
    return cur, pri


def _head_the_percent_fits(sentence: str, before: list[Token], t: Token, sign: int, pct: Token,
                           year: int) -> Token | None:
    """With no figure of the year before, the figure of this year a change and its percentage
    fit (``本部门当年预算收入 344,447.70 万元，其中：…、其他收入 3,444.00 万元，较上年减少
    129,422.00 万元，下降 27.31%``: the change is the total's, not the last item's), nearest first."""
    for x in reversed([x for x in before if x.kind == "amount" and is_level(x, year)
                       and not re.search(r"[；;]", sentence[x.end:t.start])]):
        base = x.value - sign * t.value
        if base > 0 and percent_status(pct.value, *ratio_range(t.value, base, half_unit(t.value), half_unit(base) * 2)) != "fail":
            return x
    return None


def _change_difference(doc: ParsedDocument, t: Token, cm: re.Match, sign: int, cur: Token, pri: Token,
                       page) -> list[Check]:
    out: list[Check] = []
    diff = cur.value - pri.value
    out.append(compare(doc, YOY_DIFF, "narrative", diff, sign * t.value,
                       f"文字说明：本年 {d(cur.value)} − 上年 {d(pri.value)} = {fmt(diff)}，说明为"
                       f"{cm.group(1)} {d(t.value)}", page, terms=2))
    if diff != 0 and t.value != 0:
        ok = (diff > 0) == (sign > 0)
        out.append(mk(doc, YOY_DIRECTION, "pass" if ok else "fail", "narrative",
                      "增加" if diff > 0 else "减少", cm.group(1),
                      f"文字说明：本年 {d(cur.value)}、上年 {d(pri.value)}，说明为“{cm.group(1)}”。", page))
    return out


def _change_percent(doc: ParsedDocument, t: Token, cm: re.Match, sign: int, cur: Token | None,
                    pri: Token | None, pct: Token, page, sentence: str = "") -> list[Check]:
    """The percentage printed after a change amount: its direction, and change ÷ 上年 (上年
    taken as 本年 − change when not printed)."""
    out: list[Check] = []
    pw = CHANGE.search(last_clause(pct.label))
    if pw:
        ok = bool(NEG.search(pw.group(1))) == (sign < 0)
        out.append(mk(doc, YOY_DIRECTION, "pass" if ok else "fail", "narrative", cm.group(1), pw.group(1),
                      f"文字说明：增减额为“{cm.group(1)}”，百分比为“{pw.group(1)}”。", page,
                      quote=sentence[max(0, t.start - 12):pct.end] or None))
    base = pri.value if pri is not None else (cur.value - sign * t.value if cur is not None else None)
    if base == 0:  # 增加200万元，增长100%: a rate of a year-before figure of 0
        out.append(zero_base(doc, "上年数", pct.value, t.value, page, sentence[max(0, (cur or t).start - 8):pct.end]))
    if base is None or base <= 0:
        return out
    lo, mid, hi = ratio_range(t.value, base, half_unit(t.value), half_unit(base) * (2 if pri is None else 1))
    st = percent_status(pct.value, lo, mid, hi)
    out.append(mk(doc, YOY_PERCENT, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(pct.value),
                  f"增减额 {d(t.value)} ÷ 上年 {fmt(base)} = {fmt(mid.quantize(Decimal('0.01')))}%，"
                  f"文字说明为 {fmt(pct.value)}%" + rounding_note(st), page,
                  quote=sentence[max(0, t.start - 12):pct.end] or None))
    return out


def change_percents(doc: ParsedDocument, sentence: str, toks: list[Token], page) -> list[Check]:
    """A percentage change printed without its amount (比上年增长 x%): (本年 − 上年) ÷ 上年."""
    out: list[Check] = []
    year = doc.meta.year
    for i, t in enumerate(toks):
        lab = last_clause(t.label)
        if t.kind != "percent" or not CHANGE.search(lab) or not re.search(r"比|较", lab):
            continue
        if i > 0 and toks[i - 1].kind == "amount" and CHANGE.search(last_clause(toks[i - 1].label)):
            continue  # handled with its change amount
        prior = [x for x in toks[:i] if x.kind == "amount" and is_prior(x.label, year)]
        cur = [x for x in toks[:i] if x.kind == "amount" and is_level(x, year) and (not prior or x.start > prior[-1].start)]
        if not prior or not cur:
            continue
        b, a = prior[-1].value, cur[-1].value
        quote = sentence[max(0, prior[-1].start - len(last_clause(prior[-1].label))):t.end]
        direction = percent_direction(doc, a, b, CHANGE.search(lab).group(1), t, page, quote)
        out += [direction] if direction is not None else []
        if b <= 0:
            out += [zero_base(doc, "上年数", t.value, a - b, page, quote)] if b == 0 else []
            continue
        sign = -1 if NEG.search(CHANGE.search(lab).group(1)) else 1
        lo, mid, hi = ratio_range(a - b, b, half_unit(a) + half_unit(b), half_unit(b))
        st = percent_status(sign * t.value, lo, mid, hi)
        out.append(mk(doc, YOY_PERCENT, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(sign * t.value),
                      f"本年 {d(a)} 比上年 {d(b)} 变动 {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为"
                      f"{CHANGE.search(lab).group(1)} {fmt(t.value)}%" + rounding_note(st), page, quote=quote))
    return out


def comparison_years(doc: ParsedDocument, sentence: str, page) -> list[Check]:
    """比2025年…: the year compared with comes before the document's year."""
    out: list[Check] = []
    for m in re.finditer(r"(?:比|较)(\d{4})年", sentence):
        y = int(m.group(1))
        status = "fail" if y >= doc.meta.year else "pass"
        out.append(mk(doc, YEAR, status, "narrative", f"<{doc.meta.year}", str(y),
                      f"文字说明与 {y} 年比较" + ("，但本文件就是该年度的，比较年份有误：" if status == "fail" else "：")
                      + sentence[max(0, m.start() - 20):m.end() + 12], page))
    return out
