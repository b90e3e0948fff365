"""Sums, shares and changes stated within one narrative sentence, recomputed from the figures
the same sentence prints: listed parts (``narrative.listed_parts``), shares (``narrative.share``),
completion rates of a final account (``narrative.completion_rate``), year-over-year changes
(``narrative.yoy_difference``, ``narrative.yoy_direction``, ``narrative.yoy_percent``) and the
year compared with (``narrative.comparison_year``)."""
from __future__ import annotations

import re
from decimal import Decimal, ROUND_HALF_UP

from ...numbers import fmt
from ...records import Check, ParsedDocument
from ..arithmetic import _EXP_CUR
from ..base import compare, d, mk, rounding_tolerance, strip_enum, total
from ..sentences import CHANGE, MARKER, NEG, Token, is_level, is_prior, last_clause, tokens
from .comparisons import completion_base, is_budget, percent_direction, zero_base
from .ids import COMPLETION, LISTED, SHARE, YEAR, YOY_DIFF, YOY_DIRECTION, YOY_PERCENT
from .lookup import fn_total, three_public_item_budget
from .topics import topic_of


def _percent_status(printed: Decimal, lo: Decimal, mid: Decimal, hi: Decimal) -> str:
    """A printed percentage against the ratio of two printed figures: [lo, hi] is the ratio's
    range over the figures' own rounding (half a unit of each one's last printed digit), mid the
    ratio of the figures as printed. pass: ``mid`` rounds to the printed value; rounding: the
    printed value is less than one unit of its last digit from that range — the ratio of the
    unrounded figures rounded, or rounded down or up instead of to the nearest (江苏检察院 2019
    p. 25: 2228.78 ÷ 21940.96 = 10.158%, printed 10.15%; p. 26: shares printed 65.56 + 17.94 +
    16.5 = 100% where 15844.04 ÷ 24169.74 = 65.554%); fail: a unit or more away (10.06% for 10.09%)."""
    e = printed.as_tuple().exponent
    q = Decimal(1).scaleb(e if isinstance(e, int) else 0)
    if mid.quantize(q, rounding=ROUND_HALF_UP) == printed:
        return "pass"
    if lo - q < printed < hi + q:
        return "rounding"
    return "fail"


def _rounded(status: str) -> str:
    """What a message adds for a percentage within the rounding of its figures."""
    return "（与计算值相差不到末位一个单位，属舍入差异）" if status == "rounding" else ""


def _ratio(part: Decimal, whole: Decimal, hp: Decimal, hw: Decimal):
    mid = part / whole * 100
    a = (part - hp) / (whole + hw) * 100
    b = (part + hp) / max(whole - hw, Decimal("1e-9")) * 100
    return min(a, b), mid, max(a, b)


def _half(v: Decimal) -> Decimal:
    return rounding_tolerance(v, terms=1) / 2


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


# ------------------------------------------------------------------ listed parts

def listed_parts(doc: ParsedDocument, sentence: str, toks: list[Token], page) -> list[Check]:
    """A head amount, a marker (其中, 包括 …) and a flat list of amounts after it: the list adds
    up to the head (or, listing the main parts only, stays below it)."""
    out: list[Check] = []
    year = doc.meta.year
    for m in MARKER.finditer(sentence):
        before = [t for t in toks if t.end <= m.start() and t.kind == "amount"]
        after = [t for t in toks if t.start >= m.end()]
        if not before or not after:
            continue
        head = _list_head(sentence, m, before, after, year)
        if head is None:
            continue
        items = _list_items(sentence, m, head, after, year)
        if items is None:
            continue
        check = _listed_check(doc, m, head, items, page)
        outer = _enclosing_head(sentence, toks, m, head, year) if check.status == "fail" else None
        if outer is not None:
            alt = _listed_check(doc, m, outer, items, page)
            if alt.status != "fail" or re.search(r"[。]", sentence[head.end:m.start()]):
                check = alt
        out.append(check)
    return out


def _enclosing_head(sentence: str, toks: list[Token], m: re.Match, head: Token, year: int) -> Token | None:
    """The total of the list ``head`` closes, when ``head`` is the last item of an earlier list
    (``收入预算合计 4651.67 万元，包括本年收入 4651.67 万元，上年结转结余 0 万元。其中：本年一般
    公共预算收入 …``): a 其中 after it may break down that total rather than its last item."""
    for m0 in MARKER.finditer(sentence[:head.start]):
        if m0.start() == m.start():
            continue
        before = [t for t in toks if t.end <= m0.start() and t.kind == "amount"]
        after = [t for t in toks if t.start >= m0.end() and t.end <= m.start()]
        if not before or head not in after:
            continue
        outer = _list_head(sentence, m0, before, after, year)
        if outer is not None and outer is not head:
            return outer
    return None


def _list_head(sentence: str, m: re.Match, before: list[Token], after: list[Token],
               year: int) -> Token | None:
    """The amount the list after marker ``m`` breaks down: the last one before it of the same
    kind (a level, or a change when the list gives changes), in the same clause."""
    first = next((t for t in after if t.kind == "amount"), None)
    want_change = bool(first and CHANGE.search(last_clause(first.label)))
    heads = [t for t in before if bool(CHANGE.search(last_clause(t.label))) == want_change
             and not is_prior(t.label, year)]
    if not heads:
        return None
    head = heads[-1]
    if sentence[head.end:m.start()].count("，") + sentence[head.end:m.start()].count(",") > 1:
        return None
    gap = re.sub(r"^万元|^元", "", sentence[head.end:m.start()])
    if re.search(r"[；;。]", gap) and gap not in ("。", "；"):
        return None
    return head


def _list_items(sentence: str, m: re.Match, head: Token, after: list[Token],
                year: int) -> list[Token] | None:
    """The flat list of amounts after marker ``m``, up to a topic that is not a part of the
    head's; None when the list nests another list, mixes levels and changes, names the year
    before or has fewer than two items."""
    head_change = bool(CHANGE.search(last_clause(head.label)))
    head_topic = topic_of(head, year)
    items, nested = [], False
    for t in after:
        if t.kind != "amount":
            continue
        between = sentence[(items[-1].end if items else m.end()):t.start]
        mk_ = MARKER.search(between) if items else None
        if mk_ and not re.search(r"[；;]", between[mk_.end():]) or items and re.match(r"[:：]", between):
            # a nested list: 其中…, or an item followed by the colon of its own breakdown
            # (其中一般公共预算拨款政府采购 2521.44 万元：政府采购货物预算 2020.44 万元、…)
            nested = True
            break
        tt = topic_of(t, year)
        if head_topic in ("basic", "project") and tt in ("basic", "project") and tt != head_topic:
            break
        if head_topic in ("personnel", "public") and tt in ("personnel", "public", "basic", "project") \
                and tt != head_topic and items:
            break
        if bool(CHANGE.search(last_clause(t.label))) != head_change:
            nested = True
            break
        items.append(t)
    if nested or len(items) < 2 or any(is_prior(t.label, year) for t in items):
        return None
    return items


def _signed(t: Token) -> Decimal:
    """A change amount with its direction (减少 1.4 万元 → −1.4); a level as printed."""
    cm = CHANGE.search(last_clause(t.label))
    return -t.value if cm and NEG.search(cm.group(1)) else t.value


def _listed_check(doc: ParsedDocument, m: re.Match, head: Token, items: list[Token], page) -> Check:
    """The items' sum against the head. Changes add with their directions, taken relative to
    the head's: ``收入比2025年增加 6276.54 万元，主要是一般公共预算拨款增加 3013.74 万元，国有资本
    经营预算拨款减少 1.4 万元…`` is 3013.74 − 1.4 − 7294.14 + 10558.34."""
    values = [t.value * _sign(t) * _sign(head) for t in items]
    s = total(values)
    main = m.group(1).startswith("主要") or m.group(1) == "其中" and s < head.value
    status = "pass" if s == head.value else (
        "rounding" if abs(s - head.value) <= rounding_tolerance(head.value, *[t.value for t in items], terms=len(items))
        else "not_applicable" if main and s < head.value else "fail")
    terms = "".join((" − " if v < 0 else " + " if k else "") + d(t.value)
                    for k, (t, v) in enumerate(zip(items, values)))
    text = (f"文字说明：{d(head.value)} 万元{'（列举主要部分）' if status == 'not_applicable' else ''} "
            f"{ {'pass': '=', 'rounding': '≈', 'fail': '≠'}.get(status, '≥') } " + terms.lstrip())
    return mk(doc, LISTED, status, "narrative", head.value, s, text, page)


def _sign(t: Token) -> int:
    """−1 for an amount stated as a decrease (减少 1.4 万元), else 1."""
    cm = CHANGE.search(last_clause(t.label))
    return -1 if cm and NEG.search(cm.group(1)) else 1


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
    lo, mid, hi = _ratio(a, b, _half(a), _half(b))
    st = _percent_status(t.value, lo, mid, hi)
    return [mk(doc, COMPLETION, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(t.value),
               f"决算 {d(a)} ÷ {budget_of} {d(b)} = {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为 {fmt(t.value)}%"
               + _rounded(st), page, quote=sentence[max(0, chosen.start - 12):t.end])]


def _share_whole(sentence: str, toks: list[Token], t: Token, part: Token, year: int) -> Token | None:
    """The total a share's part is a share of: a head of a list (其中 …) before the part, the
    last one whose ratio fits the printed share, else the last one."""
    heads: list[Token] = []
    for mm in MARKER.finditer(sentence[:part.start]):
        hb = [x for x in toks if x.end <= mm.start() and x.kind == "amount" and is_level(x, year)]
        if hb and hb[-1] is not part and hb[-1].value >= part.value and hb[-1] not in heads:
            heads.append(hb[-1])
    for h in reversed(heads):
        if h.value and _percent_status(t.value, *_ratio(part.value, h.value, _half(part.value),
                                                        _half(h.value))) != "fail":
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
    lo, mid, hi = _ratio(part.value, wv, _half(part.value), _half(wv))
    st = _percent_status(t.value, lo, mid, hi)
    return [mk(doc, SHARE, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(t.value),
               f"{d(part.value)} ÷ {d(wv)} = {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为 {fmt(t.value)}%"
               + _rounded(st), page)]


# ---------------------------------------------------------------- year over year

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
        if base > 0 and _percent_status(pct.value, *_ratio(t.value, base, _half(t.value), _half(base) * 2)) != "fail":
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
    lo, mid, hi = _ratio(t.value, base, _half(t.value), _half(base) * (2 if pri is None else 1))
    st = _percent_status(pct.value, lo, mid, hi)
    out.append(mk(doc, YOY_PERCENT, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(pct.value),
                  f"增减额 {d(t.value)} ÷ 上年 {fmt(base)} = {fmt(mid.quantize(Decimal('0.01')))}%，"
                  f"文字说明为 {fmt(pct.value)}%" + _rounded(st), page,
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
        lo, mid, hi = _ratio(a - b, b, _half(a) + _half(b), _half(b))
        st = _percent_status(sign * t.value, lo, mid, hi)
        out.append(mk(doc, YOY_PERCENT, st, "narrative", fmt(mid.quantize(Decimal("0.01"))), fmt(sign * t.value),
                      f"本年 {d(a)} 比上年 {d(b)} 变动 {fmt(mid.quantize(Decimal('0.01')))}%，文字说明为"
                      f"{CHANGE.search(lab).group(1)} {fmt(t.value)}%" + _rounded(st), page, quote=quote))
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
