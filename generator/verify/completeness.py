"""Completeness: the standard tables a disclosure of its kind must publish are present, and an
empty one carries its note (``本单位无政府性基金预算收支``)."""
from __future__ import annotations

import re

from ..records import Check, ParsedDocument
from ..vocabulary import TABLE_SHORT_NAMES
from .base import describe, mk
from .sentences import narrative_sentences

TABLE_PRESENT = describe("completeness.table_present",
                         "该类公开文件必须公开的标准表格（收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算支出表、"
                         "基本支出表、政府性基金表、国有资本经营表、“三公”经费表）都已公开（空表也算公开）。"
                         "国有资本经营预算支出表不在地方部门预算必须公开的 8 张表之列（《地方预决算公开操作规程》），"
                         "部分地区的报表套表没有这张表：文件未公开此表、而收支总表和财政拨款收支总表中国有资本经营预算"
                         "各行均为空或 0，或文字说明写明本部门无国有资本经营预算时，不算缺表；这些行印出金额则算缺表。",
                         severity="warning",
                         suggestion="补充公开缺少的表格；本单位没有相关收支的，公开空表并说明原因。")
EMPTY_NOTE = describe("completeness.empty_table_note",
                      "公开为空表的表格附有说明（如“本单位无政府性基金预算收支”）。",
                      severity="warning",
                      suggestion="在空表处（或情况说明中）写明为空的原因，如“本单位无政府性基金预算收支，此表为空表”。")
GLOSSARY = describe("completeness.glossary", "文件包含名词解释。",
                    severity="warning",
                    suggestion="补充“名词解释”部分，解释专业名词（如基本支出、项目支出、“三公”经费、机关运行经费）。")
ROWS = describe("completeness.table_has_rows", "非空表格识别出了数据行。",
                severity="warning",
                suggestion="核对该表：表中印有数字却没有可读的明细行时，请按标准格式列出各行。")

KEYWORDS = {"government_fund": "政府性基金", "state_capital": "国有资本经营", "three_public": "三公",
            "government_fund_three_public": "政府性基金", "procurement": "政府采购", "carryover": "结转"}
#: a sentence saying there is none: 本单位无…, 不涉及, 0万元, 政府性基金拨款支出预算为0 (上海)
_NONE = re.compile(r"没有|无|未|不涉及|空表|(?<![\d.,])0(\.0+)?万?元|为(0|零)(?![\d.])")

REQUIRED = {
    "budget": ("summary", "income", "expenditure", "fiscal_summary", "general_public_function",
               "basic_economic", "government_fund", "state_capital", "three_public"),
    "final": ("summary", "income", "expenditure", "fiscal_summary", "general_public_function",
              "basic_economic", "government_fund", "state_capital", "three_public"),
}


def completeness(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    present = {t.table for t in doc.tables}
    sents = [s for s, _ in narrative_sentences(doc)[0]]
    for table in REQUIRED.get(doc.meta.phase, REQUIRED["budget"]):
        ok, name = table in present, TABLE_SHORT_NAMES[table]
        why = None if ok or table != "state_capital" else _no_state_capital(doc, sents)
        out.append(mk(doc, TABLE_PRESENT, "pass" if ok or why else "fail", table, name, name if ok else None,
                      f"{name}{'已公开' if ok else '未单独公开：' + why if why else '未找到'}。"))
    seen = set()
    for t in doc.tables:
        if t.empty and t.table not in seen:
            seen.add(t.table)
            reason = t.empty_reason
            where = "表中"
            if not reason and t.table in KEYWORDS:
                reason = next((s for s in sents if KEYWORDS[t.table] in s and _NONE.search(s)), None)
                where = "文字说明中"
            if not reason:
                reason, where = _no_basic_spending(doc, t.table), "表中数字"
            out.append(mk(doc, EMPTY_NOTE, "pass" if reason else "fail", t.table, None, reason and reason[:80],
                          f"空表“{t.title}”{where}附有说明：{reason[:80]}" if reason
                          else f"空表“{t.title}”没有说明为何为空。", t.source_page))
    for t in doc.tables:
        if t.empty or t.table not in ("income", "expenditure", "general_public_function", "basic_economic"):
            continue
        # a 收入总表 by source of funds (深圳, 珠海) gives summary lines, not coded rows
        rows = [r for r in (doc.function_rows + doc.economic_rows + doc.summary_lines) if r.table == t.table]
        if t.totals_only:  # its 合计 only (北京's 收入总表, 江苏's 支出预算总表), or rows of units (西安)
            out.append(mk(doc, ROWS, "pass", t.table, None, "1",
                          f"“{t.title}”只印出合计行（{t.total}），没有分科目的行。", t.source_page))
            continue
        out.append(mk(doc, ROWS, "pass" if rows else "fail", t.table, None, str(len(rows)),
                      f"“{t.title}”识别出 {len(rows)} 行数据。", t.source_page))
    out.append(mk(doc, GLOSSARY, "pass" if doc.glossary else "insufficient_data", None, None, str(len(doc.glossary)),
                  f"名词解释共 {len(doc.glossary)} 条。" if doc.glossary else "没有识别出名词解释（可能未公开，也可能未能识别），未作判断。"))
    return out


def _no_basic_spending(doc: ParsedDocument, table: str) -> str | None:
    """Why a 基本支出 table is empty, where the document's figures say: the 一般公共预算支出表
    prints its 合计 with no 基本支出 (上海市域外农场管理办公室 p. 11: 合计 = 项目支出 118,853,953)."""
    if table != "basic_economic":
        return None
    whole = next((t for t in doc.tables if t.table == "general_public_function" and t.total), None)
    if whole is None or whole.basic or whole.project != whole.total:
        return None
    return f"{whole.title}（第 {whole.source_page} 页）合计 {whole.total} 万元全部为项目支出，没有基本支出"


def _no_state_capital(doc: ParsedDocument, sents: list[str]) -> str | None:
    """Why a document publishing no 国有资本经营预算支出表 has none to publish, or None: a
    sentence saying the department has no such budget, or the 收支总表 / 财政拨款收支总表 lines on
    国有资本经营预算 funds all printed blank or 0 (any amount there: the table is missing)."""
    said = next((s for s in sents if KEYWORDS["state_capital"] in s and _NONE.search(s)
                 and not re.search(r"[1-9]\d*(\.\d+)?万元", s)), None)
    if said:
        at = max(0, said.find(KEYWORDS["state_capital"]) - 12)
        return f"文字说明称“{said[at:at + 50]}”"
    lines = [l for l in doc.summary_lines if l.table in ("summary", "fiscal_summary")
             and KEYWORDS["state_capital"] in l.item]
    if lines and all(not l.amount for l in lines):
        pages = sorted({l.source_page for l in lines if l.source_page})
        return (f"收支总表和财政拨款收支总表中国有资本经营预算 {len(lines)} 行均为空或 0"
                f"（第 {'、'.join(map(str, pages))} 页），本部门无此项预算")
    return None


FAMILY = [completeness]
