"""Narrative wording against the tables and against the document itself.

- ``narrative.class_name``: a 类 / 款 / 项 the text names (``卫生健康支出（210类）``, ``一般公共服务
  （类）信访事务（款）行政运行（项）``, or a retired name standing alone) has the name the document's
  tables print for that code, else the name the classification gives it in the document's year.
  The code comes from the text (``208类`` ``05款`` ``01项`` compose 2080501), else from the name:
  a table row of that level under the 类 / 款 named before it, else a name the classification
  once gave a code (``vocabulary.KNOWN_VARIANTS``). Only names the classification knows are
  judged: a name the tables print differently but the classification never had (an abbreviation
  such as 机关事业单位基本养老保险费) is left alone.
- ``narrative.scope_wording``: a 单位预算 / 单位决算 does not call itself 部门预算 / 本部门 (部门预算
  安排购置车辆 in a unit's budget), and a 部门预算 does not call itself 单位预算 (2026年单位预算);
  a department's text that mentions its units (所属单位预算, 预算单位) and the 部门预算经济分类 (the
  name of an economic classification) are not self-designations.
"""
from __future__ import annotations

import re

from ...records import Check, ParsedDocument
from ...vocabulary import FUNCTION_CODE_LENGTHS, FUNCTION_PREFERENCE, KNOWN_VARIANTS, RETIRED_NAMES
from ..base import describe, mk

CLASS_NAME = describe(
    "narrative.class_name",
    "文字说明中的类、款、项名称与表中同一科目的名称一致；表中没有该科目时，与文件年度的政府收支分类科目一致"
    "（已更名的旧名称，如2019年起的“医疗卫生与计划生育支出”→“卫生健康支出”、2020年起的“行政事业单位离退休”"
    "→“行政事业单位养老支出”，不应再用）。",
    severity="warning",
    suggestion="把文字说明中的科目名称改为表中（当年政府收支分类科目）的名称。")
SCOPE_WORDING = describe(
    "narrative.scope_wording",
    "单位预算（决算）的文字说明不把自己称为“部门预算”“本部门”，部门预算（决算）不把自己称为“单位预算”。",
    severity="warning",
    suggestion="单位预算（决算）中把“部门预算／本部门”改为“单位预算／本单位”；部门预算（决算）中反之。")

_LEVEL_LEN = {"类": FUNCTION_CODE_LENGTHS["class"], "款": FUNCTION_CODE_LENGTHS["section"],
              "项": FUNCTION_CODE_LENGTHS["item"]}
#: a level marker after a name: （类） （210类） (05款) （01项）, or a whole code: (2101501) [2101501]
_MARK = re.compile(r"[（(](\d{0,7})\s*([类款项])[)）]|[（(\[【](\d{3}|\d{5}|\d{7})[)）\]】]")
_LEVEL_OF = {n: level for level, n in _LEVEL_LEN.items()}
#: the name before a marker: Chinese words, a short parenthesis inside (政府办公厅（室）及相关机构事务)
_NAME = re.compile(r"[\u4e00-\u9fa5“”]+(?:[（(][\u4e00-\u9fa5]{1,3}[)）][\u4e00-\u9fa5“”]+)*$")
_NAME_MAX = 60  # characters before a marker a name is looked for in (the longest 项 name has 30)
_LEAD = re.compile(r"^(?:其中|主要用于|用于|包括|主要为|主要是|分别为|以下方面|具体为|是|为|支出)+")


def at(page, form: str = "第 {} 页") -> str:
    """Where a finding is, for a message: ``第 7 页``; nothing for a text without pages."""
    return form.format(page) if page is not None else ""


def norm(name: str) -> str:
    """A name as compared: no quotes or spaces, no trailing 支出 (中央部门 write 一般公共服务（类）)."""
    s = re.sub(r"[\s“”\"]", "", name or "")
    return s[:-2] if s.endswith("支出") and len(s) > 4 else s


def _same(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    return a == b or min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))


def _table_names(doc: ParsedDocument) -> dict[str, tuple[str, int | None]]:
    """Function code → (name, page) as the tables print it, most trusted table first."""
    rank = {t: i for i, t in enumerate(FUNCTION_PREFERENCE)}
    out: dict[str, tuple[str, int | None]] = {}
    for r in sorted((r for r in doc.function_rows if r.table != "narrative" and r.code.isdigit() and r.name),
                    key=lambda r: rank.get(r.table, 99)):
        out.setdefault(r.code, (r.name, r.source_page))
    return out


def _variant_codes(name: str) -> list[str]:
    n = norm(name)
    return [code for code, names in KNOWN_VARIANTS.items() if any(norm(v) == n for v in names)]


def retired_since(code: str, name: str) -> int | None:
    """The first year the classification no longer names ``code`` ``name``; None if it still does."""
    return next((year for old, year in RETIRED_NAMES.get(code, ()) if norm(old) == norm(name)), None)


def _mentions(sentence: str, table: dict[str, tuple[str, int | None]]):
    """(name, level, code or None, start) of every 类 / 款 / 项 the sentence names with a marker;
    the code from the digits printed, else from the name under the 类 / 款 named before it."""
    parent = {"类": "", "款": "", "项": ""}
    prev_end = 0
    for m in _MARK.finditer(sentence):
        digits, level = (m.group(1), m.group(2)) if m.group(2) else (m.group(3), _LEVEL_OF[len(m.group(3))])
        seg = sentence[max(prev_end, m.start() - _NAME_MAX):m.start()]  # bounded: no quadratic search
        prev_end = m.end()
        nm = _NAME.search(seg)
        if not nm:
            continue
        name = _LEAD.sub("", nm.group(0))
        if len(name) < 2:
            continue
        n = _LEVEL_LEN[level]
        up = parent["款"] if level == "项" else parent["类"] if level == "款" else ""
        code = None
        if digits and len(digits) == n:
            code = digits
        elif digits and up and len(up) + len(digits) == n:
            code = up + digits
        if code is None:
            by_table = [c for c, (t, _) in table.items() if len(c) == n and c.startswith(up) and _same(t, name)]
            by_name = [c for c in _variant_codes(name) if len(c) == n and c.startswith(up)]
            code = by_table[0] if len(by_table) == 1 else by_name[0] if len(by_name) == 1 else None
        if level == "类":
            parent = {"类": code or "", "款": "", "项": ""}
        elif level == "款":
            parent["款"] = code or ""
        yield name, level, code, m.start() - len(name), m.end()


def _bare_retired(sentence: str, year: int):
    """Retired names standing without a marker (医疗卫生与计划生育支出98.27万元): only names that
    cannot be ordinary words (ending in 支出 or 等事务, longer than 医疗卫生支出), not after 原
    (卫生健康支出（原医疗卫生与计划生育支出）)."""
    for code, olds in RETIRED_NAMES.items():
        for old, since in olds:
            if year < since or not re.search(r"(支出|等事务)$", old) or len(old) < 7:
                continue
            for m in re.finditer(re.escape(old), sentence):
                if sentence[max(0, m.start() - 1):m.start()] != "原" and not _MARK.match(sentence, m.end()):
                    yield old, code, m.start(), m.end()


def class_name_checks(doc: ParsedDocument, sents) -> list[Check]:
    table = _table_names(doc)
    year = doc.meta.year
    out: list[Check] = []
    agreed: list[str] = []
    seen: set[tuple[str, str]] = set()
    for sentence, page in sents:
        found = [(name, code, a, b) for name, _, code, a, b in _mentions(sentence, table) if code]
        found += list(_bare_retired(sentence, year))
        for name, code, a, b in found:
            if (code, norm(name)) in seen:
                continue
            seen.add((code, norm(name)))
            quote = sentence[a:b]
            printed = table.get(code)
            since = retired_since(code, name)
            if printed is not None:
                expected, where = printed[0], f"表中{at(printed[1], '（第 {} 页）')} {code} 为“{printed[0]}”"
                ok = _same(printed[0], name)
                if not ok and not any(_same(v, name) for v in KNOWN_VARIANTS.get(code, ())):
                    continue  # a name the classification never gave the code (an abbreviation): not judged
            else:
                present = KNOWN_VARIANTS.get(code, ("",))[0]
                if since is None:
                    continue  # the tables do not print the code, and the name is still the official one
                expected, where = present, f"{year}年的政府收支分类科目中 {code} 为“{present}”（{since}年起）"
                ok = year < since
            if ok:
                agreed.append(f"{code} {name}")
                continue
            msg = (f"文字说明{at(page)}称“{name}”，{where}，名称不一致"
                   + (f"（“{name}”是{since}年以前的科目名称）。" if since and year >= since else "。"))
            out.append(mk(doc, CLASS_NAME, "fail", "narrative", expected, name, msg, page, quote=quote,
                          suggestion=f"把“{name}”改为“{expected}”。"))
    if agreed:
        out.append(mk(doc, CLASS_NAME, "pass", "narrative", None, str(len(agreed)),
                      f"文字说明中 {len(agreed)} 个类、款、项名称与表中（当年科目）名称一致：{'、'.join(agreed[:6])}"
                      + ("等。" if len(agreed) > 6 else "。")))
    if not out:
        out.append(mk(doc, CLASS_NAME, "not_applicable", "narrative", None, None,
                      "文字说明中没有可与表中科目对照的类、款、项名称。"))
    return out


# ----------------------------------------------------------------------------- 部门 / 单位

_BOUND = r"(?:(?<=\d年)|(?<=\d年度)|(?<![\u4e00-\u9fa5]))"
#: a unit's text calling itself a department: 2026年部门预算安排, ；部门预算安排, 本部门, 一、部门主要职能
#: (a department's 一、单位基本情况 is 重庆's template, not a slip: headings are judged in units only)
_AS_DEPARTMENT = re.compile(rf"本部门|{_BOUND}部门(?:预算|决算)(?!经济分类|支出经济分类)"
                            rf"|(?:{_BOUND}|(?<=部分))部门(?:概况|主要职能|主要职责|职责|机构设置)")
#: a department's text calling itself a unit: 2026年单位预算, 单位预算编制说明 (not 所属单位预算)
_AS_UNIT = re.compile(rf"{_BOUND}本?单位(?:预算|决算)(?=编制|情况|表|公开|说明|安排|[。，,；;]|$)")


def scope_wording_checks(doc: ParsedDocument, sents) -> list[Check]:
    unit = doc.meta.scope == "unit"
    pat, own, other = (_AS_DEPARTMENT, "单位", "部门") if unit else (_AS_UNIT, "部门", "单位")
    out: list[Check] = []
    for sentence, page in sents:
        # a note under a table repeats the template's rules (备注：1、… 2、部门应公开本部门…): not the
        # document speaking of itself
        hits = [h for h in pat.finditer(sentence) if not re.search(r"(备注|注)[：:]", sentence[:h.start()])
                and not re.search(r"(?<!本)(?:部门|单位)(?:应|要|须|需|可)", sentence)]
        if not hits:
            continue
        words = "、".join(dict.fromkeys(f"“{h.group(0)}”" for h in hits))
        a, b = max(0, hits[0].start() - 12), hits[0].end() + 12
        out.append(mk(doc, SCOPE_WORDING, "fail", "narrative", hits[0].group(0).replace(other, own), hits[0].group(0),
                      f"本文件是{own}{'预算' if doc.meta.phase == 'budget' else '决算'}，文字说明{at(page)}却称{words}"
                      f"（{other}的说法）：…{sentence[a:b]}…", page, quote=sentence[a:b],
                      suggestion=f"把“{hits[0].group(0)}”改为“{hits[0].group(0).replace(other, own)}”。"))
    if not out:
        out.append(mk(doc, SCOPE_WORDING, "pass" if sents else "not_applicable", "narrative", None, None,
                      f"检查了 {len(sents)} 句文字说明，{own}{'预算' if doc.meta.phase == 'budget' else '决算'}"
                      f"没有自称{other}的说法。" if sents else "没有文字说明可查。"))
    return out


def wording_checks(doc: ParsedDocument, sents) -> list[Check]:
    return class_name_checks(doc, sents) + scope_wording_checks(doc, sents)
