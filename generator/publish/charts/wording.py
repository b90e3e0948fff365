"""The words of the charts: text alternatives (every figure stated), axis labels cut to a
width, slugs, and the order of bars."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal

from ...vocabulary import UNIT
from ..format import percent
from .records import Point

LABEL_CHARS = 26  # longer axis and legend labels are cut with "…" (the CSV and alt keep all)


def shares(points: list[Point], whole: Decimal | None = None) -> str:
    """``卫生健康支出 3617.46 万元，占 99.00%；…``: share of ``whole`` (default: of the points' sum)."""
    if whole is None:
        whole = sum((p.figure.value for p in points), Decimal(0))
    parts = []
    for p in points:
        share = percent(p.figure.value, whole)
        parts.append(f"{p.category} {p.figure.amount} {UNIT}" + (f"，占 {share}" if share else ""))
    return "；".join(parts)


def by_category(points: list[Point]) -> str:
    """``公务用车运行维护费：预算 2.10 万元，决算 2.10 万元；…`` for grouped charts."""
    order = list(dict.fromkeys(p.category for p in points))
    return "；".join(f"{c}：" + "，".join(f"{p.series} {p.figure.amount} {UNIT}"
                                         for p in points if p.category == c) for c in order)


def stack_shares(points: list[Point]) -> str:
    """``望都县医疗保障局：基本支出 321.38 万元（8.79%）、…；…`` for 100% stacked charts."""
    order = list(dict.fromkeys(p.category for p in points))
    out = []
    for c in order:
        mine = [p for p in points if p.category == c]
        whole = sum((p.figure.value for p in mine), Decimal(0))
        out.append(f"{c}：" + "、".join(
            f"{p.series} {p.figure.amount} {UNIT}（{percent(p.figure.value, whole) or '—'}）"
            for p in mine))
    return "；".join(out)


def cut_label(text: str, chars: int = LABEL_CHARS) -> str:
    """An axis or legend label: at most ``chars`` characters, whitespace collapsed."""
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= chars else text[:chars - 1] + "…"


def cut_labels(texts: list[str], chars: int = LABEL_CHARS) -> dict[str, str]:
    """Distinct texts -> distinct cut labels (a label that two texts cut to gets `` (2)``)."""
    out: dict[str, str] = {}
    for text in texts:
        label, n = cut_label(text, chars), 1
        while label in out.values():
            n += 1
            label = f"{cut_label(text, chars)} ({n})"
        out[text] = label
    return out


def text_em(text: str) -> float:
    """Width of a text in ems of the chart font: a Chinese (wide) character is 1 em, Latin
    letters, digits and punctuation ~0.6 em (Noto Sans CJK's are 0.5–0.6: an upper bound)."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)


_NO_LINE_START = set("）)，,。、；;：:%％…")


def _break(text: str, width: float) -> tuple[str, str]:
    """The longest head of ``text`` at most ``width`` em wide, and the rest."""
    used = 0.0
    for i, c in enumerate(text):
        used += text_em(c)
        if used > width:
            return text[:i], text[i:]
    return text, ""


def wrap_text(text: str, width: float, lines: int = 0) -> list[str]:
    """``text`` in lines of at most ``width`` em; with ``lines``, at most that many, the last
    cut with "…". Chinese has no spaces: lines break between any two characters, after a
    space or "（" where one is near the end of the line."""
    text = re.sub(r"\s+", " ", text).strip()
    out: list[str] = []
    while text:
        if lines and len(out) == lines - 1:
            head, rest = _break(text, width)
            out.append(head if not rest else _break(text, width - 1)[0] + "…")
            break
        head, rest = _break(text, width)
        if rest:
            cut = max(head.rfind(" "), head.rfind("（") - 1)
            if cut >= 0 and text_em(head[:cut + 1]) >= width / 2:  # a natural break in the line's second half
                head, rest = head[:cut + 1], head[cut + 1:] + rest
            elif rest[0] in _NO_LINE_START and len(head) > 1:  # no line starts with "）" or "，"
                head, rest = head[:-1], head[-1] + rest
        out.append(head.strip())
        text = rest.strip()
    return out or [""]


def wrap_labels(texts: list[str], width: float, lines: int = 2) -> dict[str, str]:
    """Distinct texts -> distinct axis labels of at most ``lines`` lines of ``width`` em, lines
    joined by ``\n`` (split again by the chart); a label two texts wrap to ends in ``(2)``."""
    out: dict[str, str] = {}
    for text in texts:
        label, n = "\n".join(wrap_text(text, width, lines)), 1
        while label in out.values():
            n += 1
            tag = f"({n})"
            label = "\n".join(wrap_text(text, width, lines)[:-1] + [
                _break(wrap_text(text, width, lines)[-1], width - text_em(tag))[0] + tag])
        out[text] = label
    return out


def unique(labels: list[str], fallbacks: list[str]) -> list[str]:
    """Axis labels must be distinct, also once cut (bars with one label are merged): a
    repeated label gets its fallback (e.g. the code) in front."""
    counts = Counter(cut_label(label) for label in labels)
    return [f"{fb} {label}" if counts[cut_label(label)] > 1 else label for label, fb in zip(labels, fallbacks)]


def slug_prefix(doc: dict) -> str:
    """Slug prefix of a document's charts: its id without the bureau id (``2024-budget``)."""
    did, bid = doc["document_id"], doc["bureau_id"]
    return did[len(bid) + 1:] if did.startswith(bid + "-") and len(did) > len(bid) + 1 else did


def largest_first(points: list[Point]) -> list[Point]:
    """Largest first; ties in category order, so the order never depends on input order."""
    return sorted(points, key=lambda p: (-p.figure.value, p.category))



def amounts(points: list[Point]) -> str:
    return "；".join(f"{p.category} {p.figure.amount} {UNIT}" for p in points)



def _names(points: list[Point]) -> str:
    """``卫生健康支出、住房保障支出``; with series, per category: ``乙局（2024年部门预算）的基本支出、项目支出``."""
    out = []
    for c in dict.fromkeys(p.category for p in points):
        series = list(dict.fromkeys(p.series for p in points if p.category == c and p.series))
        out.append(f"{c}的{'、'.join(series)}" if series else c)
    return "；".join(out) if any(p.series for p in points) else "、".join(out)


def basis_note(points: list[Point]) -> str:
    """What a reader must know of the figures drawn: those no table prints (``derived``: the
    sum of their printed children) and those other printed copies contradict (``conflict``)."""
    derived = [p for p in points if p.figure.basis == "derived"]
    conflict = [p for p in points if p.figure.conflict]
    notes = []
    if derived:
        notes.append(f"{_names(derived)}：原表未印出，由下级科目相加。")
    if conflict:
        notes.append(f"{_names(conflict)}：原文其他表格印出的同一数字与此不同（见数据包 facts 的 alternatives 列）。")
    return "".join(notes)


def join_notes(*notes: str) -> str:
    return "".join(n for n in notes if n)
