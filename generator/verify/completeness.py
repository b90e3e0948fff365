"""Completeness: the standard tables a disclosure of its kind must publish are present, and an
empty one carries its note (``本单位无政府性基金预算收支``)."""
from __future__ import annotations

import re

from ..records import Check, ParsedDocument
from ..vocabulary import TABLE_SHORT_NAMES
from .base import describe, mk, on_page
from .sentences import narrative_sentences

TABLE_PRESENT = describe("completeness.table_present",
                         "该类公开文件必须公开的标准表格（收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算支出表、"
                         "基本支出表、政府性基金表、国有资本经营表、“三公”经费表）都已公开（空表也算公开）。"
                         "国有资本经营预算支出表不在地方部门预算必须公开的 8 张表之列（《地方预决算公开操作规程》），"
                         "部分地区的报表套表没有这张表：文件未公开此表、而收支总表和财政拨款收支总表中国有资本经营预算"
                         "各行均为空或 0，财政拨款收支总表的资金来源不列国有资本经营预算，或文字说明写明本部门无国有资本经营"
                         "预算时，不算缺表；这些行印出金额则算缺表。",
                         suggestion="补充公开缺少的表格；本单位没有相关收支的，公开空表并说明原因。")
EMPTY_NOTE = describe("completeness.empty_table_note",
                      "公开为空表的表格附有说明（如“本单位无政府性基金预算收支”）。",
                      suggestion="在空表处（或情况说明中）写明为空的原因，如“本单位无政府性基金预算收支，此表为空表”。")
GLOSSARY = describe("completeness.glossary", "文件包含名词解释。",
                    suggestion="补充“名词解释”部分，解释专业名词（如基本支出、项目支出、“三公”经费、机关运行经费）。")
ROWS = describe("completeness.table_has_rows", "非空表格识别出了数据行。",
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
    return f"{whole.title}（{on_page(whole.source_page) or '原文'}）合计 {whole.total} 万元全部为项目支出，没有基本支出"


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
                + (f"（第 {'、'.join(map(str, pages))} 页）" if pages else "") + "，本部门无此项预算")
    funds = [l for l in doc.summary_lines if l.table == "fiscal_summary" and l.side == "income"
             and KEYWORDS["government_fund"] in l.item]
    if funds and not lines:  # 江苏检察院 2019 p. 16: 一般公共预算 | 政府性基金预算, no third fund
        return f"财政拨款收支总表（{on_page(funds[0].source_page) or '原文'}）列出的资金来源中没有国有资本经营预算，本部门无此项预算"
    return None


FAMILY = [completeness]


# --- an empty-table note against the figures (issue 17): the note and the table, the table and the text
NOTE_WITH_VALUES = describe("completeness.empty_note_with_values",
                            "说明表格为空的注释（如“本部门无政府性基金预算支出，故本表为空”）只出现在确实没有数字的表上；"
                            "表中印有非零金额却注明为空表，两者必有一处错误。",
                            severity="error", suggestion="表中金额正确的，删除“本表为空”的注释；确无此项收支的，删除表中的金额。")
EMPTY_STATED = describe("completeness.empty_table_stated",
                        "文字说明写明的政府性基金、国有资本经营预算支出或“三公”经费金额（非零），在对应的表中印出；"
                        "表格为空（或全为 0）而文字说明写有金额，两者必有一处错误。",
                        severity="error", suggestion="核对该项收支：有金额的在表中填列，没有的改正文字说明。")
#: a note saying a table has nothing in it; a conditional one (此表如无数字则表示…) says nothing
_EMPTY_CLAUSE = re.compile(r"(?:本|此|该)(?:单位|部门)[^。；;，,]{0,30}?(?:无|没有|未安排|未使用|不涉及)[^。；;]{0,40}|"
                           r"(?:本|此|该)表[^。；;，,]{0,6}(?:为空|无数据|无数字|无内容|是空表)|无相关(?:数据|内容|收支)")
_CONDITIONAL = re.compile(r"如|若|如果|如无|空表表示")
_VALUE_TABLES = ("government_fund", "state_capital", "three_public")


def _amounts(doc: ParsedDocument, table: str) -> list:
    """The amounts read from ``table`` (None: printed blank)."""
    rows = [r.total for r in doc.function_rows if r.table == table]
    rows += [r.amount for r in doc.three_public if r.table == table]
    return rows + [t.total for t in doc.tables if t.table == table]


def _has_values(doc: ParsedDocument, table: str) -> bool:
    """Does the document print a non-zero amount in ``table``?"""
    return any(v for v in _amounts(doc, table) if v is not None)


def _read_zeros(doc: ParsedDocument, table: str) -> bool:
    """Were figures read from ``table``, all of them 0 (a table printed with 0s, not one whose rows
    were not read)?"""
    return any(v is not None for v in _amounts(doc, table)) and not _has_values(doc, table)


def _title_before(doc: ParsedDocument, piece: str, at: int) -> str | None:
    """The title of the table a note at ``at`` in ``piece`` stands under: the last table title the
    piece prints before it (a piece may run from one table's title over the next page's)."""
    compact = re.sub(r"\s+", "", piece[:at])
    found = [(compact.rfind(re.sub(r"\s+", "", u.title)), u.title) for u in doc.tables if u.title]
    found = [f for f in found if f[0] >= 0]
    return max(found)[1] if found else None


def empty_note_with_values(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    for t in doc.tables:
        if t.table not in _VALUE_TABLES or t.empty or not _has_values(doc, t.table):
            continue
        alone = sum(1 for u in doc.tables if u.source_page == t.source_page) == 1
        for s, p in doc.sentences:
            if p != t.source_page:
                continue
            for m in _EMPTY_CLAUSE.finditer(s):
                clause = m.group(0)
                named = [k for k in _VALUE_TABLES if KEYWORDS[k] in clause]
                if _CONDITIONAL.search(clause) or (named and t.table not in named) or (not named and not alone):
                    continue
                if _title_before(doc, s, m.start()) not in (None, t.title):
                    continue  # the note of a table whose title the piece prints after this one's (next page)
                out.append(mk(doc, NOTE_WITH_VALUES, "fail", t.table, "表中无数字", "表中有金额",
                              f"{on_page(p)}“{t.title}”印有金额（合计 {t.total if t.total is not None else '见表'}），"
                              f"却注明“{clause[:50]}”。", p, quote=clause[:60]))
    if not out:
        looked = [t.title for t in doc.tables if t.table in _VALUE_TABLES and not t.empty and _has_values(doc, t.table)]
        out.append(mk(doc, NOTE_WITH_VALUES, "pass" if looked else "not_applicable", None, None, None,
                      f"印有金额的{'、'.join(looked)}都没有注明为空表。" if looked
                      else "没有印有金额的政府性基金、国有资本经营、“三公”经费表。"))
    return out


def empty_table_stated(doc: ParsedDocument) -> list[Check]:
    from .sentences import is_level, tokens  # the narrative's figures, read as the narrative checks read them
    out: list[Check] = []
    sents = narrative_sentences(doc)[0]
    for table in _VALUE_TABLES:
        printed = [t for t in doc.tables if t.table == table]
        if not printed or _has_values(doc, table) or not (all(t.empty for t in printed) or _read_zeros(doc, table)):
            continue
        key, t = KEYWORDS[table], printed[0]
        for s, p in sents:
            for tok in tokens(s):
                label = tok.label[-24:]
                if (tok.kind != "amount" or tok.value <= 0 or key not in label or not is_level(tok, doc.meta.year)
                        or re.search(r"上年|比|较|同期|结转|结余|[，,；;]", label[label.rfind(key):])
                        or ("收入" in label[label.rfind(key):] and "收入" not in t.title)):
                    continue
                quote = s[max(0, tok.start - 20):tok.end]
                out.append(mk(doc, EMPTY_STATED, "fail", table, str(tok.value), "空表",
                              f"{on_page(t.source_page)}“{t.title}”为空表（或全为 0），但{on_page(p) or ''}文字说明写有金额："
                              f"“{quote}”。", p, quote=quote))
                break
    if not out:
        looked = [t.title for t in doc.tables if t.table in _VALUE_TABLES and not _has_values(doc, t.table)
                  and (t.empty or _read_zeros(doc, t.table))]
        out.append(mk(doc, EMPTY_STATED, "pass" if looked else "not_applicable", None, None, None,
                      f"空表（或全为 0）{'、'.join(looked)}，文字说明也未写有金额。" if looked
                      else "没有为空（或全为 0）的政府性基金、国有资本经营、“三公”经费表。"))
    return out


#: run after the other families (``verify.families``), so the earlier check ids keep their order
FAMILY_VALUES = [empty_note_with_values, empty_table_stated]
