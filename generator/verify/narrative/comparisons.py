"""Comparison words and rates against the two figures they compare.

- ``narrative.comparison_word``: 决算数大于／小于／等于预算数, 决算数与预算数（基本）持平 agree with
  the 年初预算 and 决算 figures the sentence (or the sentence before it, which states them:
  ``年初预算为5717.32万元，支出决算为5757.63万元…。决算数大于预算数的主要原因是…``) prints; for
  the “三公”经费 without figures, the “三公” table's 预算数 and 决算数.
- ``narrative.yoy_direction`` (registered in ``ids``), extended: 与上年持平 while the clause states a
  change (减少15万元) or two different figures of the two years; 基本持平 while they differ by a
  tenth or more; a percentage change without its amount (``比2025年预算执行数减少2.27%``) whose
  word goes against the two figures (57.43 → 57.8) — ``percent_direction``, called by ``changes``.
- ``narrative.zero_base``: no percentage of a zero base — no growth rate from a year-before figure
  of 0 (``公务用车购置费200万元，比上年增加200万元，增长100%``) and no completion rate of a 年初预算
  of 0 (``zero_base``, called by ``shares`` and ``changes`` where they compute the rates).
- ``narrative.completion_base``: a completion rate is 决算 ÷ 年初预算, not ÷ 全年预算 / 调整预算,
  where the sentence states both (``completion_base``, called by ``shares``).

This module imports nothing of ``shares`` and ``changes``, which import it.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ...numbers import fmt
from ...records import Check, ParsedDocument
from ..base import d, describe, mk
from .wording import at
from ..sentences import CHANGE, MARKER, NEG, Token, is_level, is_prior, last_clause, tokens
from .ids import YOY_DIRECTION
from .lookup import three_public_total

COMPARISON_WORD = describe(
    "narrative.comparison_word",
    "文字说明中“决算数大于／小于／等于预算数”“决算数与预算数持平”等比较用语与所比较的两个数（同一句或上一句"
    "印出的年初预算数和决算数，“三公”经费为“三公”经费表的预算数和决算数）一致。",
    suggestion="按年初预算数和决算数改正“大于／小于／等于／持平”的用词（或改正数字）。")
ZERO_BASE = describe(
    "narrative.zero_base",
    "文字说明不对为0的基数计算百分比：上年数为0时不写增长x%，年初预算为0时不写完成预算的x%。",
    suggestion="基数为0时删去百分比，改为说明新增的金额（如“上年无此项支出，本年新增x万元”）。")
COMPLETION_BASE = describe(
    "narrative.completion_base",
    "决算说明中的完成率以年初预算数为分母；同一句同时印出年初预算和全年（调整）预算时，完成率不按全年"
    "（调整）预算计算。",
    suggestion="按决算数 ÷ 年初预算数重新计算完成率，并写作“完成年初预算的x%”。")

_BIGGER, _SMALLER, _EQUAL = ("大于", "高于", "超过", "多于"), ("小于", "低于", "少于"), ("等于", "持平")
#: 决算数大于预算数 / 决算数与年初预算数基本持平 / 支出决算数小于预算数
_FINAL_VS_BUDGET = re.compile(r"决算数?(?:(大于|小于|等于|高于|低于|超过|多于|少于)(?:年初|全年)?预算数?"
                              r"|[与和较比](?:年初|全年)?预算数?(?:相比)?(基本持平|持平|相等|一致))")
_FLAT = re.compile(r"(基本)?持平")
#: how far apart two figures may be and still be 基本持平 (a tenth of the base)
_ROUGHLY = Decimal("0.1")


def is_budget(label: str) -> bool:
    """Is the figure after ``label`` a budget (预算 named after any 决算: ``…支出决算具体情况一般公共
    预算财政拨款支出年初预算为`` is)?"""
    lab = last_clause(label)
    return lab.rfind("预算") > max(lab.rfind("决算"), lab.rfind("执行数"))


def _budget_final(toks: list[Token]) -> tuple[Token, Token] | None:
    """The last 预算 figure (a 年初预算 if any) followed by a 决算 figure, and that 决算 figure."""
    budgets = [t for t in toks if t.kind == "amount" and is_budget(t.label)]
    for b in reversed([t for t in budgets if "年初" in last_clause(t.label)] or budgets):
        final = next((t for t in toks if t.kind == "amount" and t.start > b.start and not is_budget(t.label)
                      and re.search(r"决算|执行数|实际支出", last_clause(t.label))), None)
        if final is not None:
            return b, final
    return None


def _agrees(word: str, final: Decimal, budget: Decimal) -> bool:
    if word in _BIGGER:
        return final > budget
    if word in _SMALLER:
        return final < budget
    if word == "基本持平":
        return abs(final - budget) < _ROUGHLY * abs(budget) or final == budget
    return final == budget  # 等于, 持平, 相等, 一致


def final_vs_budget(doc: ParsedDocument, sents) -> list[Check]:
    """决算数大于／小于／等于预算数 against the figures of the sentence or of the one before it."""
    out: list[Check] = []
    recent: list[tuple[Token, Token] | None] = []
    for sentence, page in sents:
        toks = tokens(sentence)
        for m in _FINAL_VS_BUDGET.finditer(sentence):
            word = m.group(1) or m.group(2)
            use = _budget_final([t for t in toks if t.end <= m.start()]) or next(
                (p for p in reversed(recent[-2:]) if p), None)
            if use is not None:
                b, f, where = use[0].value, use[1].value, "文字说明印出的"
            elif "三公" in sentence[:m.start()]:
                b, f = three_public_total(doc, "budget", ("total",)), three_public_total(doc, "final", ("total",))
                where = "“三公”经费表的"
                if b is None or f is None:
                    continue
            else:
                continue
            ok = _agrees(word, f, b)
            rel = "大于" if f > b else "小于" if f < b else "等于"
            quote = sentence[max(0, m.start() - 10):m.end()]
            out.append(mk(doc, COMPARISON_WORD, "pass" if ok else "fail", "narrative", rel, word,
                          f"{where}年初预算数 {d(b)}、决算数 {d(f)}：决算数{rel}预算数，文字说明{at(page)}为“{m.group(0)}”。",
                          page, quote=quote, suggestion=None if ok else f"改为“决算数{rel}预算数”，并相应改写原因。"))
        recent.append(_budget_final(toks))
    return out


def _clauses(sentence: str):
    start = 0
    for m in re.finditer(r"[；;。]|$", sentence):
        yield sentence[start:m.end()], start
        start = m.end()


def flat_words(doc: ParsedDocument, sents) -> list[Check]:
    """与上年持平 right after a change other than 0 (减少15万元，与上年持平), or in a clause that states
    two different figures of the two years (基本持平: differing by a tenth or more); the figures
    after the clause's last 其中 (the item 持平 speaks of)."""
    out: list[Check] = []
    year = doc.meta.year
    for sentence, page in sents:
        for clause, _ in _clauses(sentence):
            m = _FLAT.search(clause)
            if not m or not re.search(r"(与|比|较|同)[^，,；;。]{0,14}(持平|基本持平)", clause) \
                    or _FINAL_VS_BUDGET.search(clause):
                continue
            # the figures of the item 持平 speaks of: after the last 其中／包括 before it
            lead = max((x.end() for x in MARKER.finditer(clause[:m.start()])), default=0)
            every = [t for t in tokens(clause) if lead <= t.start and t.end <= m.start()]
            toks = [t for t in every if t.kind == "amount"]
            change = [t for t in every[-1:] if CHANGE.search(last_clause(t.label)) and t.value != 0]
            prior = [t for t in toks if is_prior(t.label, year)]
            cur = [t for t in toks if is_level(t, year)]
            quote = clause[max(0, (toks[0].start if toks else m.start()) - 12):m.end()]
            if change and not m.group(1):
                c = change[-1]
                out.append(mk(doc, YOY_DIRECTION, "fail", "narrative", "增加" if not NEG.search(
                    last_clause(c.label)) else "减少", m.group(0),
                    f"文字说明{at(page)}同一分句既说{CHANGE.search(last_clause(c.label)).group(1)} "
                    f"{d(c.value) + ' 万元' if c.kind == 'amount' else fmt(c.value) + '%'}，"
                    f"又说“{m.group(0)}”。", page, quote=quote))
            elif prior and cur:
                a, b = cur[-1].value, prior[-1].value
                ok = a == b if not m.group(1) else abs(a - b) < _ROUGHLY * abs(b) or a == b
                out.append(mk(doc, YOY_DIRECTION, "pass" if ok else "fail", "narrative",
                              "持平" if a == b else "增加" if a > b else "减少", m.group(0),
                              f"文字说明{at(page)}：本年 {d(a)}、上年 {d(b)}，说明为“{m.group(0)}”。", page,
                              quote=quote))
    return out


def percent_direction(doc: ParsedDocument, a: Decimal, b: Decimal, word: str, pct: Token, page,
                      quote: str) -> Check | None:
    """A percentage change printed without its amount: its word (增长／减少) against 本年 ``a``
    and 上年 ``b``."""
    if a == b and pct.value == 0:
        return None
    rising = not NEG.search(word)
    ok = a != b and (a > b) == rising
    return mk(doc, YOY_DIRECTION, "pass" if ok else "fail", "narrative",
              "持平" if a == b else "增加" if a > b else "减少", word,
              f"文字说明{at(page)}：本年 {d(a)}、上年 {d(b)}，说明为“{word}{fmt(pct.value)}%”。", page, quote=quote)


def zero_base(doc: ParsedDocument, what: str, pct: Decimal, numerator: Decimal, page, quote: str) -> Check:
    """A percentage of a base of 0 (``what``: 上年数 or 年初预算): fail unless it is 0 of 0 written
    as 0%."""
    empty = pct == 0 and numerator == 0
    return mk(doc, ZERO_BASE, "not_applicable" if empty else "fail", "narrative", None, f"{fmt(pct)}%",
              f"文字说明{at(page)}：{what}为0，" + ("0 ÷ 0 写作0%。" if empty else
                                                   f"百分比 {fmt(pct)}% 无从计算（以0为基数）。"), page, quote=quote)


def _fits(printed: Decimal, num: Decimal, den: Decimal) -> bool:
    """Does ``num ÷ den`` print as ``printed`` %, within one unit of its last digit?"""
    if den == 0:
        return False
    e = printed.as_tuple().exponent
    q = Decimal(1).scaleb(e if isinstance(e, int) else 0)
    return abs((num / den * 100).quantize(q, rounding=ROUND_HALF_UP) - printed) <= q


def completion_base(doc: ParsedDocument, sentence: str, pct: Token, actual: Token, budgets: list[Token],
                    page) -> Check | None:
    """A completion rate of a sentence that states a 年初预算: fail when the rate is worded as one of
    the 全年／调整 预算 (完成全年预算的x%), or computed on the 全年／调整 预算 the sentence also states."""
    early = [t for t in budgets if "年初" in last_clause(t.label)]
    full = [t for t in budgets if re.search(r"全年|调整", last_clause(t.label))]
    if not early:
        return None
    e, f, a = early[-1].value, full[-1].value if full else None, actual.value
    worded = re.search(r"完成(全年|调整后?的?)预算", last_clause(pct.label))
    computed = f is not None and _fits(pct.value, a, f) and not _fits(pct.value, a, e)
    quote = sentence[early[-1].start - len(last_clause(early[-1].label)):pct.end]
    if not worded and not computed:
        return None
    exp = fmt((a / e * 100).quantize(Decimal("0.01"))) if e else "—"
    return mk(doc, COMPLETION_BASE, "fail", "narrative", exp, fmt(pct.value),
              f"文字说明{at(page)}：年初预算 {d(e)}" + (f"、全年（调整）预算 {d(f)}" if f is not None else "")
              + f"、决算 {d(a)}，完成率 {fmt(pct.value)}% "
              f"{'写作完成全年（调整）预算' if worded else '是按全年（调整）预算计算的'}；应为决算 ÷ 年初预算 = {exp}%。",
              page, quote=quote)


def comparison_checks(doc: ParsedDocument, sents) -> list[Check]:
    return final_vs_budget(doc, sents) + flat_words(doc, sents)
