"""Figures stated in the narrative (情况说明) and the glossary (名词解释).

Input: the lines of a document. Output: ``NarrativeFact`` records — one per amount stated
about a classification code (``行政运行(2101501)81.3261万元``) — and (term, definition) pairs;
``add_narrative_items`` / ``add_narrative_economic`` turn the figures the tables do not give
into rows of table ``narrative``.
Sentences are the unit: numbers are never paired across sentences, and years are not amounts.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..records import EconomicRow, FunctionRow, Line, NarrativeFact, ParsedDocument
from ..vocabulary import GENERAL_PUBLIC_FIRST, economic_level, function_level
from .regions import contents_entries

_SENTENCE_END = re.compile(r"(?<=[。；;])")
_CODE_AMOUNT = re.compile(
    r"([\u4e00-\u9fa5、]{2,30})\s*[（(]\s*(\d{3}(?:\d{2}){0,2})\s*[)）]\s*[:：]?\s*(?:支出|预算|为)?\s*"
    r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*万元"
)


#: a page number printed at the foot (or head) of a page: ``- 28 -``, ``— 2 —``, ``-6-``, ``第 3 页``
_PAGE_NUMBER = re.compile(r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d{1,4})$")
#: a running header or footer is the first or last line of at least this many pages
_RUNNING_PAGES = 3


def page_furniture(lines) -> set[int]:
    """Indexes of the lines that are page furniture, not prose, peeled off both ends of each
    page: a page number, or a running header or footer (the same text within two lines of an
    end of ``_RUNNING_PAGES`` pages or more: ``无锡市发展和改革委员会2025年度部门预算公开``). A
    sentence running over a page break then reads on (``收入预算合计 9,947.88 万`` | ``- 28 -`` |
    the running header | ``元，包括…``)."""
    by_page: dict[int, list[int]] = {}
    for i, line in enumerate(lines):
        if line.page is not None and line.text.strip():
            by_page.setdefault(line.page, []).append(i)
    key = {i: re.sub(r"\s+", "", lines[i].text) for idx in by_page.values() for i in idx[:2] + idx[-2:]}
    pages: dict[str, set[int]] = {}
    for i, text in key.items():
        pages.setdefault(text, set()).add(lines[i].page)

    def furniture(i: int) -> bool:
        return bool(_PAGE_NUMBER.match(key[i])) or (
            len(pages[key[i]]) >= _RUNNING_PAGES and not re.search(r"[。；;]$", key[i]))

    out: set[int] = set()
    for idx in by_page.values():
        for ends in (idx[:2], idx[-2:][::-1]):
            for i in ends:
                if not furniture(i):
                    break
                out.add(i)
    return out


def sentences(lines: tuple[Line, ...] | list[Line]):
    """(sentence, page) for prose lines, sentences split on 。；, page furniture and the entries
    of a table of contents left out. A sentence's page is the page its first character is
    printed on (a paragraph running over a page break gives its later sentences the later page)."""
    for sentence, page, _ in sentence_pages(lines):
        yield sentence, page


def sentence_pages(lines: tuple[Line, ...] | list[Line]):
    """``sentences`` with, for each, where its pages start: ((offset in the sentence, page), …),
    the first at offset 0 — so a finding quoting words of a sentence printed over a page break
    names the page the words are on (``verify.pages``)."""
    lines = list(lines)
    furniture = page_furniture(lines) | contents_entries(lines)
    buffer, starts = "", []  # starts: (offset in buffer, page) of each line appended
    for i, line in enumerate(lines):
        if line.positional or i in furniture:
            continue
        text = line.text.strip()
        starts.append((len(buffer), line.page))
        buffer += text
        if re.search(r"[。；;]$", text) or len(buffer) > 600:
            yield from _split(buffer, starts)
            buffer, starts = "", []
    if buffer.strip():
        yield from _split(buffer, starts)


def _split(buffer: str, starts: list[tuple[int, int | None]]):
    offset = 0
    for s in _SENTENCE_END.split(buffer):
        if s.strip():
            first = offset + len(s) - len(s.lstrip())
            text = s.strip()
            breaks = [(0, next((p for o, p in reversed(starts) if o <= first), starts[0][1] if starts else None))]
            for o, p in starts:
                if first < o < first + len(text) and p != breaks[-1][1]:
                    breaks.append((o - first, p))
            yield text, breaks[0][1], tuple(breaks)
        offset += len(s)


# topics stated by keyword: "其中，人员经费 905.71 万元，公用经费 183 万元"
_KEYWORD_TOPICS = {"人员经费": "personnel", "公用经费": "public", "基本支出": "basic",
                   "项目支出": "project"}
_KEYWORD_AMOUNT = re.compile(
    r"(人员经费|公用经费|基本支出|项目支出)\s*(?:为|共|共计|合计|预算|安排)?\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*万元"
)


def lines_to_facts(document_id: str, lines) -> list[NarrativeFact]:
    facts: list[NarrativeFact] = []
    for sentence, page in sentences(lines):
        for m in _CODE_AMOUNT.finditer(sentence):
            facts.append(NarrativeFact(document_id, m.group(2), Decimal(m.group(3).replace(",", "")),
                                       sentence, page))
        for m in _KEYWORD_AMOUNT.finditer(sentence):
            facts.append(NarrativeFact(document_id, _KEYWORD_TOPICS[m.group(1)],
                                       Decimal(m.group(2).replace(",", "")), sentence, page))
    return facts


#: ``1. 术语：释义`` / ``(一) 术语：释义`` / ``一、术语:释义`` / ``术语：释义``; a term may carry its
#: classification levels (``社会保障和就业(类)行政事业单位离退休(款)…(项)``), hence up to 60 characters
_TERM = re.compile(r"^(?:[（(]?\d+[)）.、．]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)?\s*"
                   r"([\u4e00-\u9fa5“”\"（）()]{2,60})[:：]\s*(.{6,})$")
#: the number of an item (``1.`` ``(一)`` ``一、``): a line starting with one is never the rest
#: of the definition above it
_ITEM_NUMBER = re.compile(r"^(?:[（(]?\d+[)）.、．]|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")
#: a 名词解释 heading followed by more lines than this before its first term is an entry of the
#: table of contents, not the section
_LINES_BEFORE_FIRST_TERM = 2


def _unquote(term: str) -> str:
    """Quotes around the whole term go (“机关运行经费” → 机关运行经费); quotes inside stay
    (“三公”经费 keeps both of its quotes)."""
    while len(term) > 2 and term[0] in "“\"" and term[-1] in "”\"":
        term = term[1:-1]
    if term.count("“") != term.count("”"):
        term = term.strip("“”")
    return term


def lines_to_glossary(lines) -> list[tuple[str, str]]:
    """Terms of the 名词解释 section: ``1. 财政拨款收入：指……``, a definition running on over the
    following lines. The section's heading also appears in the table of contents: a heading
    not followed by a term within ``_LINES_BEFORE_FIRST_TERM`` lines (or followed by the next
    part's heading) is skipped, and the search goes on."""
    out: list[tuple[str, str]] = []
    inside = False
    misses = 0
    for line in lines:
        text = re.sub(r"\s+", "", line.text)
        if not text:
            continue
        if re.search(r"名词解释", text) and len(text) < 30:
            if out:
                break
            inside, misses = True, 0
            continue
        if not inside:
            continue
        if re.match(r"^(#*第[一二三四五六七八九十]+部分|附件|附表)", text):
            if out:
                break
            inside = False  # the next part's heading: the one above was in the table of contents
            continue
        m = _TERM.match(text)
        if m:
            out.append((_unquote(m.group(1)), m.group(2)))
        elif out and not line.positional and not _ITEM_NUMBER.match(text):
            term, definition = out[-1]
            out[-1] = (term, definition + text)
        elif out:
            break
        else:
            misses += 1
            inside = misses <= _LINES_BEFORE_FIRST_TERM
    return out


def add_narrative_items(parsed: ParsedDocument) -> None:
    """Item figures stated only in the narrative become function rows of table ``narrative``."""
    have = {r.code for r in parsed.function_rows if r.table in GENERAL_PUBLIC_FIRST}
    seen: set[str] = set()
    for fact in parsed.narrative:
        code = fact.topic
        if not re.fullmatch(r"2\d{2}(\d{2}){0,2}", code) or code in have or code in seen:
            continue
        seen.add(code)
        parsed.function_rows.append(FunctionRow(
            parsed.meta.document_id, "narrative", code, _name_before_code(fact.sentence, code), function_level(code),
            fact.amount, None, None, fact.source_page))


def add_narrative_economic(parsed: ParsedDocument) -> None:
    if parsed.economic_rows:
        return
    seen: set[str] = set()
    for fact in parsed.narrative:
        code = fact.topic
        if not re.fullmatch(r"3\d{2}(\d{2})?", code) or code in seen:
            continue
        seen.add(code)
        parsed.economic_rows.append(EconomicRow(
            parsed.meta.document_id, "narrative", code, _name_before_code(fact.sentence, code),
            economic_level(code), fact.amount, None, None, fact.source_page))


def _name_before_code(sentence: str, code: str) -> str:
    m = re.search(r"([\u4e00-\u9fa5（）()、]+?)\s*[（(]\s*" + code, sentence)
    if not m:
        return ""
    name = re.sub(r"^[（(]?\d+[)）]|^[（(]?[一二三四五六七八九十]+[)）]", "", m.group(1))
    return name.strip("（()）、")
