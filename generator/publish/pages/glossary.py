"""The 名词解释 page: the terms of the ``glossary`` resource of every document, merged by
term, sorted by pinyin, with the documents that explain them."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from pypinyin import Style, lazy_pinyin

from ..catalog import Catalog
from ..format import esc, front_matter
from .links import doc_link, doc_order


def _term_key(term: str) -> str:
    """Terms that differ only by punctuation or spaces are one term (“三公”经费 = 三公”经费)."""
    key = re.sub(r"[\W_]+", "", term or "")
    return key or re.sub(r"\s+", "", term or "")


def _pinyin(key: str) -> list[str]:
    return lazy_pinyin(key, style=Style.TONE3, errors=lambda s: list(s.lower()))


def _slug(key: str) -> str:
    syllables = lazy_pinyin(key, style=Style.NORMAL, errors=lambda s: [s])
    words = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in syllables]
    return "-".join(w for w in words if w) or "term"


@dataclass
class Term:
    key: str
    printed: Counter = field(default_factory=Counter)  # printed forms
    definitions: dict[str, list[str]] = field(default_factory=dict)  # definition -> document ids

    @property
    def term(self) -> str:
        # the most common printed form; ties go to the most complete (longest), then by text
        return min(self.printed, key=lambda t: (-self.printed[t], -len(t), t))


def glossary_terms(cat: Catalog) -> list[Term]:
    """Every term of every document, merged by term, sorted by pinyin."""
    terms: dict[str, Term] = {}
    for doc in cat.documents:
        for row in cat.rows(doc["document_id"], "glossary"):
            printed = re.sub(r"\s+", " ", row.get("term") or "").strip()
            if not printed:
                continue
            t = terms.setdefault(_term_key(printed), Term(_term_key(printed)))
            t.printed[printed] += 1
            definition = re.sub(r"\s+", " ", row.get("definition") or "").strip()
            where = t.definitions.setdefault(definition, [])
            if doc["document_id"] not in where:
                where.append(doc["document_id"])
    return sorted(terms.values(), key=lambda t: (_pinyin(t.key), t.key))


def glossary_page(cat: Catalog) -> str:
    terms = glossary_terms(cat)
    docs = {d["document_id"]: d for d in cat.documents}
    sources = sorted({d for t in terms for ids in t.definitions.values() for d in ids},
                     key=lambda d: doc_order(cat, d))
    # Material scores a word in a section title 1000× one in its text, and each term here is a
    # section title: 机关运行经费 (运行) with a definition saying 行政单位 outranked every table
    # row 行政运行. ×0.001 puts the page level with the data pages, still found when it alone matches.
    parts = [front_matter("名词解释", search_boost=0.001), "# 名词解释\n\n"]
    if not terms:
        parts.append("各公开文件中尚未识别出名词解释。\n")
        return "".join(parts)
    parts.append(f"以下 **{len(terms)}** 个名词的解释摘自 {len(sources)} 份公开文件的“名词解释”部分，"
                 "按原文照录，按拼音排序。同一名词在不同文件中的解释不同时分别列出，并注明出处。\n\n")
    letters: dict[str, list[Term]] = defaultdict(list)
    for t in terms:
        first = _pinyin(t.key)[0][:1].upper() if t.key else ""
        letters[first if "A" <= first <= "Z" else "#"].append(t)
    order = sorted(letters, key=lambda k: (k == "#", k))
    anchors = {k: (f"letter-{k.lower()}" if k != "#" else "letter-other") for k in order}
    parts.append(" · ".join(f"[{k if k != '#' else '其他'}](#{anchors[k]})" for k in order) + "\n\n")
    used: set[str] = set()
    for k in order:
        parts.append(f"## {k if k != '#' else '其他'} {{ #{anchors[k]} }}\n\n")
        for t in letters[k]:
            anchor = base = f"term-{_slug(t.key)}"
            n = 2
            while anchor in used:
                anchor, n = f"{base}-{n}", n + 1
            used.add(anchor)
            parts.append(f"### {esc(t.term)} {{ #{anchor} }}\n\n")
            variants = sorted(p for p in t.printed if p != t.term)
            if variants:
                parts.append("也印作：" + "、".join(esc(v) for v in variants) + "\n\n")
            items = sorted(t.definitions.items(), key=lambda kv: doc_order(cat, kv[1][0]))
            for definition, ids in items:
                links = "、".join(doc_link(cat, docs[d]) for d in ids if d in docs)
                text = esc(definition) if definition else "（原文未给出解释）"
                if len(items) == 1:
                    parts.append(f"{text}\n\n来源：{links}\n\n")
                else:
                    parts.append(f"- {text}（来源：{links}）\n")
            if len(items) > 1:
                parts.append("\n")
    return "".join(parts)
