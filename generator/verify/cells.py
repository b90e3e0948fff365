"""Cell validity: figures that no cell of a budget disclosure can hold, whatever the others say.

Decides, for one document:

- ``cells.share_over_100``: a share the narrative states (``占本年支出预算74.42%``, ``占比``,
  ``比重``, ``…的比例为``) is at most 100 %. A completion rate (``完成年初预算的120%``, in a
  final account also ``占年初预算的``), a ratio to the year before (``占上年的``) and a change
  (``增长120%``) may exceed 100 % and are not shares.
- ``cells.rate_over_100``: a performance indicator that is itself a proportion (满意度, 占比,
  合格率, 覆盖率 …) has a target (or result) of at most 100 %. 完成率, 增长率, 控制率 and the
  like may exceed 100 % and are left alone.
- ``cells.negative_amount``: no figure a table prints is negative (spending, income, 合计, “三公”,
  projects), except under a heading or on a line of changes or balances (增减, 变化, 比上年,
  年初/年末结转和结余: ``vocabulary.SIGNED_WORDS``). The cells come from the ruled lines as
  printed (``TableInfo.negatives``), so a negative the recognizer could not place (a “三公”
  row that no longer adds up) is found too; a table read from text falls back on the records.
  An amount the narrative states with a minus sign (支出决算为-229.19万元) is one too.
- ``cells.blank_total``: a 合计 / 总计 printed blank while the lines it totals print figures (上海
  审计局 p. 7: 收入总计 blank, 财政拨款收入 195,774,300): a 收支总表 line, a table's 合计 row
  (``TableInfo.blank_total``) or a row's cell under a 合计 heading whose parts on its right print
  amounts (``TableInfo.blank_total_cells``: “三公” 合计 blank, 出国 30.00 …). A figure is missing: error.
- ``cells.blank_row``: a classification row printed with its code and name and no figure at all
  (not even 0) in a table that prints figures (重庆科技局 p. 17: ``2060201 机构运行`` blank), as
  the ruled lines print it (``TableInfo.blank_rows``, ``recognize.cells``). A form issue: note. A
  table that lists the classification as a fixed template — every class (福州's 经济分类情况表:
  307 … 399 blank), or a third of its rows blank or more (the 部门决算's 基本支出决算表, 福州's
  基本支出表; the tables with a few blank rows have fewer than a fifth) — follows the template's
  practice, and a 收支总表 lists every class by design: not reported.

Empty cells are otherwise read as 0 (the official practice: a blank cell and 0 mean the same),
so a figure printed 0 in one table and blank in another is consistent, and a “三公” item printed
blank instead of 0 is not reported.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import fmt
from ..records import Check, ParsedDocument
from ..vocabulary import SIGNED_WORDS
from .base import compact, describe, mk, strip_enum
from .sentences import CHANGE, last_clause, narrative_sentences, tokens

SHARE = describe("cells.share_over_100",
                 "文字说明中部分占整体的比重（占…%、占比、比重、…的比例为）不超过100%（完成率、与上年之比、增长率不是占比，可以超过100%）。",
                 suggestion="核对该占比的部分与整体，按“部分÷整体”重新计算并改正百分比。")
RATE = describe("cells.rate_over_100",
                "绩效目标中本身是比率的指标（满意度、占比、合格率、准确率、覆盖率、达标率等）的指标值不超过100%。",
                suggestion="改正该指标的指标值（这类比率最高为100%），或改用能超过100%的指标（如完成率、增长率）。")
NEGATIVE = describe("cells.negative_amount",
                    "表中印出的收支金额（功能分类、经济分类各行，收支总表各行，表的合计，“三公”经费，项目金额）"
                    "和文字说明中的金额不为负数；增减、变化、比上年等栏目和年初、年末结转和结余可以为负，不在此列。",
                    suggestion="核对该数字：收支金额不会为负，去掉误印的负号或改正金额；确属冲减的，在说明中解释。")
BLANK_TOTAL = describe("cells.blank_total",
                       "合计（总计）行在其所合计的各行印有数字时不留空：留空的合计是漏填的数字。",
                       suggestion="在合计（总计）栏填上各行之和。")
BLANK_ROW = describe("cells.blank_row",
                     "表中列出的科目行至少印有一个数字（或0）：只印科目名称、一个数字都没有的行，应删去或填0"
                     "（按固定格式列出全部科目的表——只列类级科目，或三分之一以上的行为空——和收支总表除外）。",
                     severity="note",
                     suggestion="删去没有金额的科目行，或在金额栏填0。")

#: the clause before a percentage that makes it a share of a whole
_SHARE_WORDS = re.compile(r"占|比重|比例")
#: ... unless the percentage is a completion rate, a ratio to the year before, or no share at all
_NOT_SHARE = re.compile(r"完成|执行|进度|上年|去年|上一年|同期|以前年度|占地|占用|增幅|降幅|倍")
#: in a final account, a share of the budget is a completion rate (决算数占年初预算的102%)
_OF_BUDGET = re.compile(r"占(?:[^占，,；;]{0,8}?)(?:年初|全年|调整)?预算(?:数)?的?$")
#: performance indicators that are proportions, at most 100 % (the indicator's name ends so)
_BOUNDED_RATE = re.compile(r"(满意度|满意率|占比|比重|合格率|准确率|正确率|覆盖率|达标率|通过率|知晓率|及时率|"
                           r"优良率|获取率|到位率|完好率|合规率|办结率|结案率|参保率|普及率|出勤率|知晓度)"
                           r"[^\d率度]{0,6}$")
#: a target or result that is one percentage: 90%, ≥95%, ＝100%
_ONE_PERCENT = re.compile(r"^[≥≤=＝>＞<＜]?(\d+(?:\.\d+)?)[%％]$")
#: lines that may be negative: changes and balances carried in or out
_SIGNED = re.compile("|".join(SIGNED_WORDS))
_TOTAL_ITEM = re.compile(r"(合计|总计)$")
_GARBLED = re.compile(r"\d[\d,]*\.\d")  # an amount glued to a label: the line was not read cell by cell


def cells(doc: ParsedDocument) -> list[Check]:
    return (shares(doc) + performance_rates(doc) + negative_amounts(doc) + blank_totals(doc)
            + blank_rows(doc))


# --------------------------------------------------------------------------- shares

def _is_share(label: str, phase: str) -> bool:
    lab = last_clause(label)
    if not _SHARE_WORDS.search(lab) or CHANGE.search(lab) or _NOT_SHARE.search(lab):
        return False
    return not (phase == "final" and _OF_BUDGET.search(lab))


def shares(doc: ParsedDocument) -> list[Check]:
    """Every share the narrative states: at most 100 %."""
    out: list[Check] = []
    seen = 0
    for sentence, page in narrative_sentences(doc)[0]:
        sentence = sentence.replace("％", "%")  # 占95.7％ (国家信访局 p. 18)
        for t in tokens(sentence):
            if t.kind != "percent" or not _is_share(t.label, doc.meta.phase):
                continue
            seen += 1
            if t.value > 100:
                quote = sentence[max(0, t.start - 30):t.end]
                out.append(mk(doc, SHARE, "fail", "narrative", "≤100%", f"{fmt(t.value)}%",
                              f"第{page}页文字说明的占比为 {fmt(t.value)}%，超过100%（部分不会大于整体）：“{quote}”",
                              page, quote=quote))
    if not out:
        out.append(mk(doc, SHARE, "pass" if seen else "not_applicable", "narrative", "≤100%", str(seen),
                      f"文字说明中的 {seen} 处占比都不超过100%。" if seen else "文字说明中没有识别出占比。"))
    return out


def performance_rates(doc: ParsedDocument) -> list[Check]:
    """Every proportion indicator of the performance targets: at most 100 %."""
    out: list[Check] = []
    seen = 0
    for t in doc.performance_targets:
        name = re.sub(r"\s+", "", t.indicator or "")
        if not _BOUNDED_RATE.search(name) or CHANGE.search(name) or re.search(r"提升|提高", name) \
                or len(re.findall(r"指标\s*\d", name)) > 1:
            continue  # a change of a rate (覆盖率提高20%) is no rate; two indicators read as one cell
        for field, text in (("指标值", t.target), ("实际完成值", t.actual)):
            m = _ONE_PERCENT.match(re.sub(r"\s+", "", text or ""))
            if m is None:
                continue  # no percentage, or cells of several indicators run together (23100%费报销100%)
            seen += 1
            value = Decimal(m.group(1))
            if value > 100:
                out.append(mk(doc, RATE, "fail", "performance_targets", "≤100%", f"{fmt(value)}%",
                              f"第{t.source_page}页绩效指标“{name}”的{field}为 {text.strip()}，这一比率不会超过100%。",
                              t.source_page, quote=f"{name} {text.strip()}"))
    if not out:
        out.append(mk(doc, RATE, "pass" if seen else "not_applicable", "performance_targets", "≤100%", str(seen),
                      f"绩效目标中 {seen} 个比率指标的指标值都不超过100%。" if seen
                      else "绩效目标中没有识别出以百分比表示的比率指标。"))
    return out


# ------------------------------------------------------------------------ negatives

def _amounts(doc: ParsedDocument):
    """(table, label, part, amount, page) of every amount a negative cannot be."""
    for r in doc.function_rows:
        for part in ("total", "basic", "project"):
            yield r.table, f"{r.code} {r.name}", part, getattr(r, part), r.source_page
    for r in doc.economic_rows:
        for part in ("total", "personnel", "public", "project"):
            yield r.table, f"{r.code} {r.name}", part, getattr(r, part), r.source_page
    for s in doc.summary_lines:
        if _SIGNED.search(s.item):
            continue
        yield s.table, s.item, "total", s.amount, s.source_page
        for fund, v in s.funds:
            yield s.table, s.item, fund, v, s.source_page
    for t in doc.tables:
        for part in ("total", "basic", "project", "personnel", "public", "reserve"):
            yield t.table, "合计", part, getattr(t, part), t.source_page
    for p in doc.three_public:
        yield p.table, p.item, p.measure, p.amount, p.source_page
    for p in doc.projects:
        yield p.table, p.project, "total", p.amount, p.source_page


_PARTS = {"total": "合计", "basic": "基本支出", "project": "项目支出", "personnel": "人员经费",
          "public": "公用经费", "reserve": "预留机动经费", "budget": "预算数", "final": "决算数"}


def negative_amounts(doc: ParsedDocument) -> list[Check]:
    """The negative cells the tables print (``TableInfo.negatives``, as printed), then the negative
    amounts of the records on the other pages (a table read from text, whose columns are not known)."""
    out: list[Check] = []
    printed = {(t.table, n[-1]) for t in doc.tables for n in t.negatives}
    for t in doc.tables:
        for label, heading, cell, page in t.negatives:
            where = "、".join(f"“{w}”{k}" for w, k in ((label, "一行"), (heading, "一栏")) if w)
            out.append(mk(doc, NEGATIVE, "fail", t.table, "≥0", cell,
                          f"第{page}页“{t.title}”{where}印有负数 {cell}（单位：{t.unit or '万元'}）：收支金额不会为负。",
                          page, quote=cell))
    seen = 0
    for table, label, part, v, page in _amounts(doc):
        if v is None:
            continue
        seen += 1
        if v < 0 and (table, page) not in printed:
            out.append(mk(doc, NEGATIVE, "fail", table, "≥0", v,
                          f"第{page}页“{label}”的{_PARTS.get(part, part)}为负数 {fmt(v)} 万元：收支金额不会为负。",
                          page, quote=label))
    out += _negative_in_text(doc)
    if not out:
        out.append(mk(doc, NEGATIVE, "pass" if seen else "not_applicable", None, "≥0", str(seen),
                      f"表中 {seen} 个收支金额都不为负。" if seen else "没有识别出表中的收支金额。"))
    return out


_NEGATIVE_TEXT = re.compile(r"(?<![\d.\-−—–])[-−](\d[\d,]*(?:\.\d+)?)(万元|亿元|元)")


def _negative_in_text(doc: ParsedDocument) -> list[Check]:
    """An amount the narrative states with a minus sign (支出决算为-229.19万元), where the clause
    names no change or balance."""
    out: list[Check] = []
    for sentence, page in narrative_sentences(doc)[0]:
        for m in _NEGATIVE_TEXT.finditer(sentence):
            if _SIGNED.search(last_clause(sentence[:m.start()])) or CHANGE.search(last_clause(sentence[:m.start()])):
                continue
            quote = sentence[max(0, m.start() - 20):m.end()]
            out.append(mk(doc, NEGATIVE, "fail", "narrative", "≥0", m.group(0)[:-len(m.group(2))],
                          f"第{page}页文字说明中的金额为负数 {m.group(0)}：“{quote}”", page, quote=quote))
    return out


# --------------------------------------------------------------------- blank cells

def blank_totals(doc: ParsedDocument) -> list[Check]:
    """A 合计 printed blank while its lines print figures: a 收支总表's 收入总计 / 支出总计 /
    本年收入合计 line, or a coded table's 合计 row (``TableInfo.blank_total``)."""
    out: list[Check] = []
    seen = 0
    by_table: dict[tuple[str, str], list] = {}
    # a total line whose 合计 cell is reported below (TableInfo.blank_total_cells) is reported once
    cells_found = {(page, compact(label)) for t in doc.tables if not t.empty for label, _, page in t.blank_total_cells}
    for s in doc.summary_lines:
        by_table.setdefault((s.table, s.side), []).append(s)
    for (table, side), lines in by_table.items():
        if any(_GARBLED.search(s.item) for s in doc.summary_lines if s.table == table):
            continue  # a label holds a figure: the line was read as text, its blanks are not known
        figures = [s for s in lines if not _TOTAL_ITEM.search(strip_enum(s.item)) and s.amount]
        for s in lines:
            if not _TOTAL_ITEM.search(strip_enum(s.item)):
                continue
            seen += 1
            if s.amount is None and figures and (s.source_page, compact(s.item)) not in cells_found:
                first = figures[0]
                out.append(mk(doc, BLANK_TOTAL, "fail", table, "有数字", "空",
                              f"第{s.source_page}页“{s.item}”一栏空着，而同一栏的“{first.item}”印有 "
                              f"{fmt(first.amount)} 万元等 {len(figures)} 行数字：合计漏填。",
                              s.source_page, quote=s.item))
    for t in doc.tables:
        if t.empty:
            continue
        for label, heading, page in t.blank_total_cells:
            where = f"“{label}”一行" if label else "一行"
            out.append(mk(doc, BLANK_TOTAL, "fail", t.table, "有数字", "空",
                          f"第{page}页“{t.title}”{where}的“{heading}”一栏空着，而其后各栏印有数字：合计漏填。",
                          page, quote=label or heading))
        seen += len(t.blank_total_cells)
        rows = [r for r in (*doc.function_rows, *doc.economic_rows) if r.table == t.table]
        if not rows:
            continue
        seen += 1
        figures = [r for r in rows if any(_row_values(r))]
        if getattr(t, "blank_total", False) and figures:
            out.append(mk(doc, BLANK_TOTAL, "fail", t.table, "有数字", "空",
                          f"第{t.source_page}页“{t.title}”的合计行空着，而表中 {len(figures)} 行印有数字：合计漏填。",
                          t.source_page, quote="合计"))
    if not out:
        out.append(mk(doc, BLANK_TOTAL, "pass" if seen else "not_applicable", None, "有数字", str(seen),
                      f"{seen} 个合计（总计）都印有数字或其各行也为空。" if seen else "没有识别出合计行。"))
    return out


def _row_values(r) -> tuple:
    if hasattr(r, "basic"):
        return (r.total, r.basic, r.project)
    return (r.total, r.personnel, r.public, r.project)


def blank_rows(doc: ParsedDocument) -> list[Check]:
    """A classification row printed with no figure at all in a table that prints figures
    (``TableInfo.blank_rows``, read from the ruled lines: a final account's row that prints only
    columns not read as records still prints figures)."""
    out: list[Check] = []
    seen = 0
    for t in doc.tables:
        if t.empty:
            continue
        seen += t.rows
        for code, name, page in t.blank_rows:
            out.append(mk(doc, BLANK_ROW, "fail", t.table, "数字或0", "空",
                          f"第{page}页“{t.title}”中“{code} {name}”只印了科目，没有任何金额（也没有0）。",
                          page, quote=f"{code} {name}"))
    if not out:
        out.append(mk(doc, BLANK_ROW, "pass" if seen else "not_applicable", None, "数字或0", str(seen),
                      f"{seen} 个表格行都印有金额。" if seen else "没有识别出表格行。"))
    return out


FAMILY = [cells]
