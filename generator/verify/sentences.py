"""The narrative as the checks read it: section → sentence → token.

A sentence ends at ``。`` (a sentence starting with ``其中`` continues the one before it, and a
heading such as ``行政运行(项)。`` joins the sentence after it); numbers are never paired across
sentences, and only figures followed by 万元/元 are amounts (a year is never an amount).

The pieces come from ``recognize.narrative.sentences`` (``ParsedDocument.sentences``: prose lines
split after every ``。`` and ``；``); ``narrative_sentences`` joins them back into whole sentences.
Used by the narrative checks and by completeness (an empty table's note may be in the text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..numbers import close_spaced_points, fullwidth_to_ascii
from ..records import ParsedDocument

AMOUNT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(亿元|万元|元)")
PERCENT = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)%")  # 增长2,168.43%
CHANGE = re.compile(r"(增加|增长|减少|下降|降低|上升|增支|减支|节约|多支|少支)")
NEG = re.compile(r"(减少|下降|降低|减支|节约|少支)")
MARKER = re.compile(r"(其中|包括|主要为|主要用于|主要是|分别为|主要包括|具体为)[:：]?")

# a section heading at the start of a piece: "三、支出决算情况说明", "（三）一般公共预算财政拨款支出决算具体情况"
SECTION_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])[^，,。；;：:\d]{2,40}?(?:说明|情况)")


@dataclass
class Token:
    kind: str  # amount | percent
    value: Decimal
    label: str  # text since the previous number
    start: int
    end: int


def clean(text: str) -> str:
    return re.sub(r"\s+", "", close_spaced_points(fullwidth_to_ascii(text)))


def _pieces(doc: ParsedDocument) -> tuple[list[tuple[str, int | None]], bool]:
    """The narrative's pieces with their pages, and whether the whole narrative was available
    (else the sentences of the narrative facts, each once)."""
    pieces = getattr(doc, "sentences", None)
    if pieces is not None:
        return pieces, True
    seen, pieces = set(), []
    for f in doc.narrative:
        if f.sentence not in seen:
            seen.add(f.sentence)
            pieces.append((f.sentence, f.source_page))
    return pieces, False


def _join_clauses(pieces) -> list[tuple[str, int | None]]:
    """Pieces ending in ``；`` joined up to the ``。``; a section heading starts a new sentence."""
    out: list[tuple[str, int | None]] = []
    buf, page = "", None
    for text, p in pieces:
        text = clean(text)
        if not text:
            continue
        if buf and SECTION_HEADING.match(text):
            out.append((buf, page))  # "…占0.21%；" then "三、支出决算情况说明本年支出合计…": a new section
            buf, page = "", None
        if page is None:
            page = p
        buf += text
        if buf.endswith("。") or not re.search(r"[；;]$", buf):
            out.append((buf, page))
            buf, page = "", None
    if buf:
        out.append((buf, page))
    return out


def narrative_sentences(doc: ParsedDocument) -> tuple[list[tuple[str, int | None]], bool]:
    """(sentence, page) split on 。 and whether the whole narrative was available."""
    pieces, full = _pieces(doc)
    merged: list[tuple[str, int | None]] = []
    for text, p in _join_clauses(pieces):
        if merged and (text.startswith("其中") or (re.search(r"[（(][类款项][)）]。$", merged[-1][0])
                                                 and not AMOUNT.search(merged[-1][0]))):
            merged[-1] = (merged[-1][0] + text, merged[-1][1])
        else:
            merged.append((text, p))
    return merged, full


def tokens(sentence: str) -> list[Token]:
    out: list[Token] = []
    found = [(m.start(), m.end(), "amount", m) for m in AMOUNT.finditer(sentence)]
    found += [(m.start(), m.end(), "percent", m) for m in PERCENT.finditer(sentence)]
    found.sort()
    prev = 0
    for start, end, kind, m in found:
        if start < prev:
            continue
        if kind == "amount":
            value = Decimal(m.group(1).replace(",", ""))
            if m.group(2) == "元":
                value = value / 10000
            elif m.group(2) == "亿元":
                value = value * 10000
        else:
            value = Decimal(m.group(1).replace(",", ""))
        out.append(Token(kind, value, sentence[prev:start], start, end))
        prev = end
    return out


def last_clause(label: str) -> str:
    parts = re.split(r"[，,；;。]", label)
    return (parts[-1] if parts else label)[-30:]


_YEAR = re.compile(r"(\d{4})年")


def is_prior(label: str, year: int) -> bool:
    """Does the clause before a figure name the year before (上年, 同期, or an earlier year than
    the document's ``year`` with 较/比 …)?"""
    lab = last_clause(label)
    if CHANGE.search(lab):
        return False
    # 上年结转, 上年结余, 上年实户资金(余额) (西安): money of this year's budget carried from the last
    if re.search(r"上年|上一年|去年|同期", re.sub(r"上年(结转|结余|实户资金|[\u4e00-\u9fa5]{0,6}余额)", "", lab)):
        return True
    years = [int(y) for y in _YEAR.findall(lab)]
    return bool(years) and years[-1] < year and bool(re.search(r"(较|比|与|执行数|决算数|预算数)", lab))


def is_level(t: Token, year: int) -> bool:
    """Is ``t`` an amount of the year itself (not a change, not the year before)?"""
    lab = last_clause(t.label)
    return t.kind == "amount" and not CHANGE.search(lab) and not is_prior(lab, year)
