"""Text hygiene of the narrative: punctuation doubled or missing, brackets and quotes left open,
change and share figures printed without their unit.

Read on the narrative's pieces (``doc.sentences``: prose lines joined and split after 。；) and its
whole sentences (``verify.sentences.narrative_sentences``), never on table cells, and never on a
page that holds table records (function, economic, 三公, project rows, performance targets): the
cells of a table wrapped over several lines (a 绩效目标表's long targets) come out of the PDF as
prose-looking fragments in the wrong order, with their 。 and brackets scattered.

- ``hygiene.doubled_punctuation`` (note): ``。。``, ``，，``, ``，。`` (普陀司法局 2026 p. 8:
  ``…等方面的支出。。``).
- ``hygiene.missing_full_stop`` (note): a paragraph that runs into the next numbered heading with
  no 。 (``…主要原因是：部分人员退休2、公共安全支出…``): only where the text before the heading is a
  statement (a clause with a comma, or 原因是：…), never a heading, a title, a list or a
  performance target written out as lines.
- ``hygiene.unmatched_brackets`` (note): a sentence opening more （ or “ than it closes, or the
  reverse (普陀司法局 2026 p. 23: ``开展“人民调解协议书检查”、优秀调解案例”活动``); a bracket
  holding a 。 is closed in the next sentence and counts as closed.
- ``hygiene.unit_missing`` (note): a change or share printed with no unit, ``较上年减少12.95，``
  (西安人社局 2020 p. 12), or with two (``3.2万元%``).
"""
from __future__ import annotations

import re

from ..records import Check, ParsedDocument
from .base import describe, mk, on_page
from .sentences import narrative_sentences

DOUBLED = describe("hygiene.doubled_punctuation", "文字说明中没有重复或叠用的标点（如“。。”“，，”“，。”）。",
                   severity="note", suggestion="删除多余的标点。")
MISSING_STOP = describe("hygiene.missing_full_stop",
                        "段落以句号结束，不与下一个编号标题（如“（二）”“2、”）连在一起。",
                        severity="note", suggestion="在段落末尾补上句号。")
BRACKETS = describe("hygiene.unmatched_brackets", "文字说明中的括号（）和引号“”成对出现。",
                    severity="note", suggestion="补齐缺少的另一半括号或引号，或删除多余的一半。")
UNIT = describe("hygiene.unit_missing",
                "文字说明中的增减额、增长率和占比带有单位（万元或%），且只带一个单位（不应写成“增长12.5，”或“3.2万元%”）。",
                severity="note", suggestion="补上漏写的单位（%或万元），或删去多余的单位。")

#: two marks where one belongs, full- or half-width, spaces between (，, / 。， / 、、 / ，、)
_DOUBLED = re.compile(r"[，,]\s*[，,。；;]|[。；;]\s*[，,]|。\s*。|；\s*；|、\s*、|[，,；;]\s*、|、\s*[，,。]")
#: a numbered heading: （一） / 2、 (1. and (1) also number the items of lists inside a sentence)
#: (一、 is left out: 统一、全面 / 举一反三、 print the same characters inside a sentence)
_HEADING = re.compile(r"(?<![\d.])(?:[（(][一二三四五六七八九十]{1,3}[)）]|\d{1,2}、)(?=[\u4e00-\u9fa5])")
#: 二、 … 十、 right after a figure (…增加10万元三、其他说明): no word ends in a unit and a numeral
_SECTION_AFTER_FIGURE = re.compile(r"\d(?:万元|亿元|元|%)(?P<h>(?:十[一二三四五六七八九]|[二三四五六七八九十])、)(?=[\u4e00-\u9fa5])")
#: a figure after a change or share word, followed by punctuation with no unit
_NO_UNIT = re.compile(r"((?:增长|下降|增加|减少)(?:率|幅度|比例)?(?:为|达到|达)?|(?:增幅|降幅|完成率|执行率)(?:为|达到|达)?|"
                      r"占[^，,。；;]{0,30}?(?:的|比例|比重)?(?:为|达到)?|比重为?|比例为?|"
                      r"完成[^，,。；;]{0,12}?预算[^，,。；;]{0,4}?的)\s*"
                      r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                      r"(?![\d.%％万元亿个人辆项台次家户件名条批所套部位天年月日小时期倍])(?=[，,。；;、）)](?!\d)|$)")
_TWO_UNITS = re.compile(r"\d\s*(?:万元|亿元|元)\s*[%％]")


def table_pages(doc: ParsedDocument) -> set[int]:
    """Pages that hold table records: their text lines may be wrapped cells, not prose."""
    records = (doc.function_rows, doc.economic_rows, doc.three_public, doc.projects, doc.performance_targets)
    pages = {r.source_page for rows in records for r in rows if r.source_page}
    return pages | {t.source_page for t in doc.tables if t.source_page and t.table == "performance_targets"}


def _prose(doc: ParsedDocument, pieces) -> list[tuple[str, int | None]]:
    skip = table_pages(doc)
    # a table of contents: 一、部门主要职能………… / ....2
    return [(s, p) for s, p in pieces if p not in skip and not re.search(r"…{2}|\.{4}|·{4}|目录", s)]


def _finding(doc, check, page, quote, message) -> Check:
    return mk(doc, check, "fail", "narrative", None, quote, message, page, quote=quote)


def _doubled(doc: ParsedDocument, pieces) -> list[Check]:
    out = []
    for i, (s, p) in enumerate(pieces):
        prev = pieces[i - 1][0] if i else ""
        if re.match(r"^[。，；]", s) and prev.endswith(("。", "；")) and len(prev) >= 8:
            quote = prev[-12:] + s[:1]
            out.append(_finding(doc, DOUBLED, p, quote, f"{on_page(p)}标点重复：“…{quote}”。"))
        for m in _DOUBLED.finditer(s):
            quote = s[max(0, m.start() - 12):m.end()]
            out.append(_finding(doc, DOUBLED, p, quote, f"{on_page(p)}标点重复：“…{quote}”。"))
    return out


def _missing_stop(doc: ParsedDocument, pieces) -> list[Check]:
    out = []
    for s, p in pieces:
        marks = [(m.start(), m.group(0)) for m in _HEADING.finditer(s)]
        marks += [(m.start("h"), m.group("h")) for m in _SECTION_AFTER_FIGURE.finditer(s)]
        for at, marker in marks:
            clause = re.split(r"[。；;]", s[:at])[-1]
            if _ends_statement(clause):
                quote = s[max(0, at - 16):at + len(marker) + 8]
                out.append(_finding(doc, MISSING_STOP, p, quote,
                                    f"{on_page(p)}段落末尾缺少句号，与下一个标题“{marker}”连在一起：“…{quote}…”。"))
    return out


def _ends_statement(clause: str) -> bool:
    """Is ``clause`` (the text since the last 。；) a whole statement, not a heading, a title or a
    list item? A statement has a comma or a colon and ends in words, a figure or 主要原因是：…;
    a heading or title has none, and a list's next number follows ：or ；."""
    if len(clause) < 8 or not re.search(r"[，,]|原因是?[：:]", clause) or _HEADING.search(clause):
        return False
    if re.search(r"(?<![\d.])\d{1,2}[.．、]\D", clause):  # the items of a list: 1.普陀区司法局本部2.…
        return False
    # performance targets written out as lines (望都: 服务对象满意度指标： 满意率达到 100%), cells of a
    # table joined by spaces (满意度 ≥95 百分比 调查了解)
    if re.search(r"指标|[≥≤＞＜]", clause) or len(re.findall(r"[\u4e00-\u9fa5]\s+[\u4e00-\u9fa5]", clause)) >= 2:
        return False
    if re.search(r"表$|[：:]$|说明$|情况$|如下$|包括$|是$|为$|有$|解释$", clause):
        return False
    return bool(re.search(r"[\u4e00-\u9fa5%]$", clause))


#: the pairs a sentence must close: (opening, closing, name). Not 《》: a 项目 table's cells read as
#: text repeat half a title (北京司法局 2026 p. 10: 起草编纂《北京起草编纂《北京市法规规章汇…)
_PAIRS = (("（(", "）)", "括号"), ("“", "”", "引号"))


def _balance(s: str, opens: str, closes: str) -> int:
    return sum(s.count(c) for c in opens) - sum(s.count(c) for c in closes)


def _unmatched(s: str, opens: str, closes: str) -> int:
    """Where the first bracket without its other half stands in ``s`` (-1: none)."""
    stack: list[int] = []
    for i, ch in enumerate(s):
        if ch in opens:
            stack.append(i)
        elif ch in closes:
            if not stack:
                return i
            stack.pop()
    return stack[0] if stack else -1


def _brackets(doc: ParsedDocument, sentences) -> list[Check]:
    out = []
    for opens, closes, name in _PAIRS:
        carried = 0
        for i, (s, p) in enumerate(sentences):
            b = _balance(s, opens, closes)
            following = _balance(sentences[i + 1][0], opens, closes) if i + 1 < len(sentences) else 0
            b, carried = b - carried, 0
            if b > 0 and following == -b:  # （…。…） over two sentences
                b, carried = 0, following
            if not b:
                continue
            at = max(_unmatched(s, opens, closes), 0)
            quote = s[max(0, at - 16):at + 16]
            out.append(_finding(doc, BRACKETS, p, quote, f"{on_page(p)}{name}不成对：“…{quote}…”。"))
    return sorted(out, key=lambda c: c.source_page or 0)


def _units(doc: ParsedDocument, sentences) -> list[Check]:
    out = []
    for s, p in sentences:
        for m in list(_NO_UNIT.finditer(s)) + list(_TWO_UNITS.finditer(s)):
            quote = s[max(0, m.start() - 14):m.end() + 2]
            out.append(_finding(doc, UNIT, p, m.group(0),
                                f"{on_page(p)}“{m.group(0)}”" + ("带了两个单位" if "%" in m.group(0) or "％" in m.group(0)
                                                          else "缺少单位（%或万元）") + f"：…{quote}…"))
    return out


def hygiene(doc: ParsedDocument) -> list[Check]:
    pieces = _prose(doc, [(s.strip(), p) for s, p in doc.sentences if s.strip()])
    sentences = _prose(doc, narrative_sentences(doc)[0])
    out: list[Check] = []
    for check, found in ((DOUBLED, _doubled(doc, pieces)), (MISSING_STOP, _missing_stop(doc, pieces)),
                         (BRACKETS, _brackets(doc, sentences)), (UNIT, _units(doc, sentences))):
        out += found or [mk(doc, check, "pass" if pieces else "insufficient_data", "narrative", None, None,
                            f"检查了 {len(sentences)} 句文字说明，未发现问题。" if pieces else "没有可检查的文字说明。")]
    return out


FAMILY = [hygiene]
