"""Code checks: hierarchy (every 项 under a printed 款 and 类) and 类 names against the official
classification (accepting the names of earlier years)."""
from __future__ import annotations

from ..records import Check, ParsedDocument
from ..vocabulary import KNOWN_VARIANTS, OFFICIAL_CLASS_NAMES
from .base import compact, describe, mk

FN_HIER = describe("codelist.function_hierarchy",
                   "功能分类表中每个项（7位）都列在其款（前5位）之下，每个款都列在其类（前3位）之下。")
EC_HIER = describe("codelist.economic_hierarchy", "经济分类表中每个款（5位）都列在其类（前3位）之下。")
CLASS_NAME = describe("codelist.class_name",
                      "功能分类的类、经济分类的类使用政府收支分类科目的正式名称（或以前年度的名称）。")


def code_family(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    for table in sorted({r.table for r in doc.function_rows if r.table != "narrative"}):
        rows = [r for r in doc.function_rows if r.table == table]
        codes = {r.code for r in rows}
        if not any(len(c) == 3 for c in codes):
            continue  # the table prints items only
        orphans = [r for r in rows if len(r.code) > 3 and (r.code[:3] not in codes or
                                                           (len(r.code) == 7 and r.code[:5] not in codes))]
        out.append(mk(doc, FN_HIER, "fail" if orphans else "pass", table, None,
                      "、".join(r.code for r in orphans) or None,
                      ("、".join(f"{r.code} {r.name}" for r in orphans[:5]) + " 没有列在上级科目之下。") if orphans
                      else f"{len(rows)} 行功能分类科目层级完整。"))
    for table in sorted({r.table for r in doc.economic_rows if r.table != "narrative"}):
        rows = [r for r in doc.economic_rows if r.table == table]
        codes = {r.code for r in rows}
        if not any(len(c) == 3 for c in codes):
            continue
        orphans = [r for r in rows if len(r.code) == 5 and r.code[:3] not in codes]
        out.append(mk(doc, EC_HIER, "fail" if orphans else "pass", table, None,
                      "、".join(r.code for r in orphans) or None,
                      ("、".join(f"{r.code} {r.name}" for r in orphans[:5]) + " 没有列在上级科目之下。") if orphans
                      else f"{len(rows)} 行经济分类科目层级完整。"))
    seen = set()
    for r in list(doc.function_rows) + list(doc.economic_rows):
        if len(r.code) != 3 or r.table == "narrative" or not r.name or (r.code, r.name) in seen:
            continue
        seen.add((r.code, r.name))
        names = set(KNOWN_VARIANTS.get(r.code, ())) | (
            {OFFICIAL_CLASS_NAMES[r.code]} if r.code in OFFICIAL_CLASS_NAMES else set())
        if not names:
            continue
        ok = compact(r.name) in names
        out.append(mk(doc, CLASS_NAME, "pass" if ok else "fail", r.table, "／".join(sorted(names)), r.name,
                      f"{r.code}：印为“{r.name}”" + ("，是正式名称。" if ok else f"，正式名称为“{'／'.join(sorted(names))}”。"),
                      r.source_page))
    return out


FAMILY = [code_family]
