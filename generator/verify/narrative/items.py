"""Narrative figures by classification code or name: ``科目名称(编码)金额`` (the narrative facts
recognize found, ``narrative.code_amount``) and ``名称(类/款/项)…金额`` (``narrative.item_amount``),
each against the tables' row of that code or name."""
from __future__ import annotations

import re

from ...records import Check, ParsedDocument
from ...vocabulary import CODE_CLAIM_PREFERENCE, FUNCTION_CODE_LENGTHS, GENERAL_PUBLIC_FIRST, LEVEL_NAMES
from ..base import d, mk
from ..sentences import is_level, last_clause, tokens
from .ids import CODE_AMOUNT, ITEM_AMOUNT
from .lookup import match

#: 类 / 款 / 项 → the digits of its code
_CODE_LENGTH = {LEVEL_NAMES[level]: n for level, n in FUNCTION_CODE_LENGTHS.items()}



def code_checks(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    fn = [r for r in doc.function_rows if r.table != "narrative"]
    ec = [r for r in doc.economic_rows if r.table != "narrative"]
    seen = set()
    for f in doc.narrative:
        if (f.topic, f.amount) in seen:
            continue
        seen.add((f.topic, f.amount))
        if f.topic.startswith("2"):
            rows = [r for r in fn if r.code == f.topic and r.total is not None]
        elif f.topic.startswith("3"):
            rows = [r for r in ec if r.code == f.topic and r.total is not None]
        else:
            continue  # government economic classification (5xx): not in the tables
        if not rows:
            out.append(mk(doc, CODE_AMOUNT, "insufficient_data", "narrative", None, f.amount,
                          f"文字说明中的 {f.topic} {d(f.amount)} 万元在表中没有对应的行。", f.source_page))
            continue
        pref = sorted(rows, key=lambda r: CODE_CLAIM_PREFERENCE.index(r.table)
                      if r.table in CODE_CLAIM_PREFERENCE else 9)
        out.append(match(doc, CODE_AMOUNT, f.amount, [(r.table, r.total) for r in pref],
                         f"{f.topic} {pref[0].name}", f.source_page))
    return out


_LEVEL_NAME = re.compile(r"([\u4e00-\u9fa5、“”]{2,40}?)[（(]\d*([类款项])[)）]")


def item_checks(doc: ParsedDocument, sents) -> list[Check]:
    out: list[Check] = []
    fn = [r for r in doc.function_rows if r.table in GENERAL_PUBLIC_FIRST]
    if not fn:
        return out
    final = doc.meta.phase == "final"
    for sentence, page in sents:
        names = list(_LEVEL_NAME.finditer(sentence))
        if not names:
            continue
        for t in tokens(sentence):
            if t.kind != "amount" or not is_level(t, doc.meta.year):
                continue
            lab = last_clause(t.label)
            direct = _LEVEL_NAME.search(lab)
            if direct and lab.endswith(direct.group(0)):
                name, level = direct.group(1), direct.group(2)
            elif final and re.search(r"决算", lab) and names[0].start() < 20:
                m = [n for n in names if n.start() < t.start][-1:] or names[:1]
                name, level = m[0].group(1), m[0].group(2)
            else:
                continue
            length = _CODE_LENGTH[level]
            name = re.sub(r"^(其中|主要用于|以下方面|\d+)", "", name).lstrip("：:")
            rows = [r for r in fn if len(r.code) == length and r.name == name]
            if len(rows) > 1 and level == "项":
                sect = [n.group(1) for n in names if n.group(2) == "款"]
                parents = {r.code for r in fn if len(r.code) == FUNCTION_CODE_LENGTHS["section"] and sect and r.name == sect[0]}
                rows = [r for r in rows if r.code[:5] in parents] or rows
            if not rows:
                continue
            out.append(match(doc, ITEM_AMOUNT, t.value, [(r.table, r.total) for r in rows],
                             f"{rows[0].code} {name}（{level}）", page))
    return out
