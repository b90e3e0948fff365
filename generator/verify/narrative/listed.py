"""Listed parts within one narrative sentence (``narrative.listed_parts``): a head amount, a marker
(其中, 包括, 主要为 …) and a flat list of amounts after it — the list adds up to the head (or, listing
the main parts only, stays below it); changes add with their directions."""
from __future__ import annotations

import re

from ...records import Check, ParsedDocument
from ..base import d, mk, rounding_tolerance, total
from ..sentences import CHANGE, MARKER, NEG, Token, is_prior, last_clause
from .ids import LISTED
from .topics import topic_of


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
