"""Years and dates: the titles, headings and statements of a disclosure name its own year
(``DocumentMeta.year``), not another one left over from last year's text.

- ``years.heading``: a report or section title in the text naming another year's budget / final
  account (``2025年部门预算情况说明`` in a 2026 budget); the year before's 执行 / 结转 /
  绩效自评 are about that year and stay.
- ``years.table_title``: a table's title naming another year (西安自然资源和规划局 2022 budget
  p. 94: ``2021年部门预算专项业务经费绩效目标表``).
- ``years.year_end_date``: the date of a statement of assets, vehicles or staff (``截至…共有车辆``).
  A final account states them at its own year's end (国家信访局 2024 p. 26: 截至2024年12月31日);
  a budget at a date of the year before or early in its own year (普陀司法局 2026 p. 22:
  截至2025年8月31日; 广州信访局 2026 p. 22: 截至2026年1月31日). Two or more years back, or its
  own year's end in a budget (a date still to come), is a date of another year's text.
- ``years.prior_year``: ``上年（2024年）`` in a 2026 document: 上年 is the year before.
- ``years.stale_comparison``: ``比2024年预算增加`` in a 2026 budget: a comparison two or more years
  back, where every disclosure compares with the year before.
- ``years.statement``: an amount named for another year that is this year's table total
  (``2025年，…收入预算9628.22万元`` in a 2026 budget whose 收入预算总表 totals 9628.22).
- ``narrative.comparison_year`` (the id of ``narrative.changes``): extended here to
  ``与2026年预算持平`` / ``与2026年度相比`` in a 2026 document (普陀司法局 2026 p. 8), the forms the
  ``比/较`` reading there does not take.

The year checked against is the one the table titles name (``tables_year``: three or more of them,
four in five the same), else the document's: the document's year is read from its title, so a cover
left at last year's is the one ``years.heading`` finding and the rest is checked against the tables.

Only narrative sentences (``doc.sentences``) and table titles are read, never table cells: the
projects and performance targets name the years of their contracts and plans (2026-2027年运维).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TypeVar

from ..records import Check, ParsedDocument
from .base import describe, mk, on_page, status_of
from .sentences import narrative_sentences
from .narrative.ids import YEAR

HEADING = describe("years.heading",
                   "文字中的报告标题、章节标题（如“2026年部门预算情况说明”“2026年度部门决算”）写的是本文件的年度；"
                   "写成其他年度（多为沿用上年文稿未改）即为错误。",
                   suggestion="把标题中的年度改为本文件的年度。")
TABLE_TITLE = describe("years.table_title",
                       "表格标题中的年度与本文件的年度一致（2022年预算中不应出现“2021年部门整体支出绩效目标表”）。",
                       suggestion="核对该表是否为本年度的表；是则改正标题中的年度，否则换为本年度的表。")
DATE = describe("years.year_end_date",
                "资产、车辆、人员情况的统计日期属于本文件的年度：决算写本年末（如“截至2024年12月31日”），"
                "预算写上年或本年初的日期；早两年以上的日期、或预算中写本年末（尚未到来）的日期，多为沿用旧文稿。",
                severity="warning", suggestion="把统计日期改为本年度应写的日期（决算为本年12月31日，预算为上年末或编制时点）。")
PRIOR = describe("years.prior_year",
                 "“上年”所注的年份是本文件年度的前一年（2026年文件中“上年（2025年）”）。",
                 suggestion="把“上年”后注明的年份改为本年度的前一年。")
STATEMENT = describe("years.statement",
                     "文字说明写在其他年度名下的金额不是本年度表中的合计数（2026年预算中“2025年，…收入预算9628.22万元”而表中"
                     "本年收入合计就是9628.22万元，年份写错了）。",
                     suggestion="把该金额前的年份改为本文件的年度。")
STALE = describe("years.stale_comparison",
                 "同比比较的年份是本文件年度的前一年；“比2024年预算增加”出现在2026年预算中，多为沿用旧文稿。",
                 severity="warning", suggestion="核对比较的年份和数字，改为与上年（本年度前一年）比较。")

#: a report or section title: ``[第一部分]2025年[度][区级][部门|单位]…预算|决算`` + a title's ending
_TITLE = re.compile(
    r"(?<![比较与至到\d\-—～~])(?P<y>\d{4})\s*年度?(?P<body>[\u4e00-\u9fa5“”\"]{0,16}?)"
    r"(?P<kind>预算|决算)(?P<tail>(?:信息)?公开|(?:编制|情况)?说明|(?:报|总|明细)?表|"
    r"(?=$|[（(]|预算主管部门|预算单位|部门名称|单位名称|目录|第[一二三四五六七八九十]部分|[一二三四五六七八九十]+、))")
#: title words that make it the year before's own report (a budget's 2025年预算执行情况)
_OTHER_YEARS_OWN = re.compile(r"执行|结转|结余|绩效自评|调整")
_DATE = re.compile(r"截[至止]到?\s*(\d{4})\s*年\s*(?:(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日)?|年?底|年?末)?")
#: what a dated statement of the state of things says after its date
_STATE = re.compile(r"共有|实有|固定资产|资产总额|资产总计|在职|编制\d|编制数|离退休|车辆\d|[\d,]+辆")
_PRIOR = re.compile(r"上一?年度?\s*[（(]\s*(\d{4})\s*年?度?\s*[)）]|(\d{4})\s*年度?\s*[（(]\s*上一?年度?\s*[)）]")
_COMPARE = re.compile(r"(?:比|较|与|同)\s*(\d{4})\s*年度?")
_WITH = re.compile(r"与\s*(\d{4})\s*年度?[^，,。；;]{0,12}?(持平|相比|相同|比较|对比)")
#: a year in a table's title (not the end of a span: 2025-2026年, 至2026年)
_TABLE_YEAR = re.compile(r"(?<![\d\-—～~至])(\d{4})\s*年")
#: a year an amount of the text may be named for
_NAMED_YEAR = re.compile(r"(\d{4})\s*年度?")

_Where = TypeVar("_Where")


def _other_years(texts: Iterable[tuple[str, _Where]], pattern: re.Pattern, year: int,
                 group: int | str = 1) -> Iterator[tuple[str, _Where, re.Match, int]]:
    """Every match of ``pattern`` in ``texts`` (text, where it is printed) whose year (``group``)
    is a year (1991–2099) other than ``year``: the one scan of titles, headings and statements."""
    for text, where in texts:
        for m in pattern.finditer(text):
            y = int(m.group(group))
            if y != year and 1990 < y < 2100:
                yield text, where, m, y


def _excerpt(text: str, start: int, end: int, before: int = 20, after: int = 16) -> str:
    return text[max(0, start - before):end + after]


def tables_year(doc: ParsedDocument) -> int | None:
    """The year the tables' titles name, where at least three name one and four in five of them the
    same one; else None."""
    found = Counter(int(y) for t in doc.tables for y in _TABLE_YEAR.findall(t.title)[:1])
    if sum(found.values()) < 3:
        return None
    year, n = found.most_common(1)[0]
    return year if n * 5 >= sum(found.values()) * 4 else None


def _cover(doc: ParsedDocument, year: int) -> list[Check]:
    """The document's title against its tables' year: a cover left at last year's names a year the
    tables do not (the document's year is read from its title, so every other check would follow it)."""
    if year == doc.meta.year:
        return []
    return [mk(doc, HEADING, "fail", None, str(year), str(doc.meta.year),
               f"文件标题“{doc.meta.title}”写的是 {doc.meta.year} 年，而表格标题写的是 {year} 年；"
               f"以下按 {year} 年核对。", 1, quote=doc.meta.title)]


def _titles(doc: ParsedDocument, sentences, year: int) -> list[Check]:
    phase_word = "决算" if doc.meta.phase == "final" else "预算"
    out: list[Check] = _cover(doc, year)
    table_titles = {re.sub(r"\s+", "", t.title) for t in doc.tables}
    seen: set[str] = set()
    for title, t, _, y in _other_years(((t.title, t) for t in doc.tables), _TABLE_YEAR, year):
        if not _OTHER_YEARS_OWN.search(title) and title not in seen:
            seen.add(title)
            out.append(mk(doc, TABLE_TITLE, "fail", t.table, str(year), str(y),
                          f"{on_page(t.source_page)}表格标题“{title}”写的是 {y} 年，本文件是 {year} 年度的。",
                          t.source_page, quote=title))
    for s, page, m, y in _other_years(sentences, _TITLE, year, "y"):
        phrase = m.group(0)
        if (m.group("kind") != phase_word or _OTHER_YEARS_OWN.search(m.group("body"))
                or phrase in seen or any(phrase in t for t in table_titles)
                or (y == doc.meta.year and phrase in doc.meta.title)):  # the cover, reported above
            continue
        seen.add(phrase)
        out.append(mk(doc, HEADING, "fail", "narrative", str(year), str(y),
                      f"{on_page(page)}标题“{phrase}”写的是 {y} 年，本文件是 {year} 年度的：…{_excerpt(s, m.start(), m.end())}…",
                      page, quote=phrase))
    if not any(c.check == HEADING for c in out):
        out.append(mk(doc, HEADING, "pass" if sentences else "insufficient_data", "narrative", str(year), None,
                      f"文字中的报告和章节标题未写其他年度（{year} 年度）。" if sentences else "没有可检查的文字。"))
    if not any(c.check == TABLE_TITLE for c in out):
        out.append(mk(doc, TABLE_TITLE, "pass" if doc.tables else "not_applicable", None, str(year), None,
                      f"{len(doc.tables)} 张表的标题未写其他年度。" if doc.tables else "没有识别出表格。"))
    return out


def _dates(doc: ParsedDocument, sentences, year: int) -> list[Check]:
    final = doc.meta.phase == "final"
    out: list[Check] = []
    for s, page in sentences:
        for m in _DATE.finditer(s):
            if not _STATE.search(s[m.end():m.end() + 40]):
                continue
            y, month = int(m.group(1)), m.group(2)
            year_end = (month == "12") or (month is None and re.search(r"底|末", m.group(0)) is not None)
            if final:
                wrong, want = y != year, f"{year}年12月31日"
            else:
                wrong, want = y <= year - 2 or (y == year and year_end) or y > year, f"{year - 1}年或{year}年初"
            out.append(mk(doc, DATE, "fail" if wrong else "pass", "narrative", want, m.group(0).strip(),
                          f"{on_page(page)}统计日期“{m.group(0).strip()}”" + ("不属于" if wrong else "属于")
                          + f"{year}年{'决算' if final else '预算'}应写的日期（{want}）：…{_excerpt(s, m.start(), m.end())}…",
                          page, quote=m.group(0).strip()))
    if not out:
        out.append(mk(doc, DATE, "not_applicable", "narrative", None, None, "文字中没有写明统计日期的资产、车辆或人员情况。"))
    return out


def _compared(doc: ParsedDocument, sentences, year: int) -> list[Check]:
    out: list[Check] = []
    compared = 0
    for s, page in sentences:
        for m in _PRIOR.finditer(s):
            y = int(m.group(1) or m.group(2))
            out.append(mk(doc, PRIOR, "pass" if y == year - 1 else "fail", "narrative", str(year - 1), str(y),
                          f"{on_page(page)}“{m.group(0)}”：上年应为 {year - 1} 年" + ("。" if y == year - 1 else f"，写成了 {y} 年。"),
                          page, quote=m.group(0)))
        for m in _COMPARE.finditer(s):
            y = int(m.group(1))
            if y < 1990 or (m.group(0).startswith("与") and not _WITH.match(s, m.start())):
                continue
            compared += 1
            if y > year - 2:
                continue
            out.append(mk(doc, STALE, "fail", "narrative", str(year - 1), str(y),
                          f"{on_page(page)}与 {y} 年比较，本文件是 {year} 年度的，应与 {year - 1} 年比较：…{_excerpt(s, m.start(), m.end())}…",
                          page, quote=m.group(0)))
        for m in _WITH.finditer(s):
            y = int(m.group(1))
            if y >= year:
                out.append(mk(doc, YEAR, "fail", "narrative", f"<{year}", str(y),
                              f"文字说明与 {y} 年比较，但本文件就是该年度的，比较年份有误：{_excerpt(s, m.start(), m.end())}",
                              page, quote=m.group(0)))
    if not any(c.check == PRIOR for c in out):
        out.append(mk(doc, PRIOR, "not_applicable", "narrative", None, None, "文字中没有注明年份的“上年”。"))
    if not any(c.check == STALE for c in out):
        out.append(mk(doc, STALE, "pass" if compared else "not_applicable", "narrative", None, None,
                      f"文字中与某年比较的 {compared} 处都没有早于上年。" if compared else "文字中没有与某一年度的比较。"))
    return out


def _table_totals(doc: ParsedDocument) -> list[tuple[Decimal, str]]:
    """This year's 合计, 基本支出 and 项目支出 of every table, with the table's title."""
    return [(v, t.title) for t in doc.tables for v in (t.total, t.basic, t.project) if v]


def _statements(doc: ParsedDocument, sentences, year: int) -> list[Check]:
    """``2025年，…收入预算9628.22万元`` in a 2026 budget whose tables total 9628.22: the amount
    named for another year (with no 比/较/与/上年/执行/持平… between) is this year's total."""
    totals, out, looked = _table_totals(doc), [], 0
    unchanged = [(s, page) for s, page in sentences if "持平" not in s]  # an unchanged figure is both years' own
    for s, page, m, y in _other_years(unchanged, _NAMED_YEAR, year):
        if re.search(r"[比较与同至到\-—～~]\s*$|上年\s*$", s[:m.start()]):
            continue
        a = re.search(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*万元", s[m.end():m.end() + 50])
        if not a or re.search(r"比|较|与|上年|同期|执行|决算|持平|增|减|结转|结余|[。；;]|\d{4}\s*年", s[m.end():m.end() + a.start()]):
            continue
        looked += 1
        value = Decimal(a.group(1).replace(",", ""))
        same = next((title for v, title in totals if status_of(v, value) in ("pass", "rounding")), None)
        if same:
            quote = s[m.start():m.end() + a.end()]
            out.append(mk(doc, STATEMENT, "fail", "narrative", str(year), str(y),
                          f"{on_page(page)}“{quote}”把 {a.group(0)} 写在 {y} 年名下，而这是本年（{year} 年）"
                          f"“{same}”的合计数。", page, quote=quote))
    if not out:
        out.append(mk(doc, STATEMENT, "pass" if looked and totals else "not_applicable", "narrative", str(year), None,
                      f"文字说明中写在其他年度名下的 {looked} 个金额都不是本年表中的合计数。" if looked and totals
                      else "文字说明中没有写在其他年度名下的金额（或表中没有合计数）。"))
    return out


def years(doc: ParsedDocument) -> list[Check]:
    sentences = [(s, p) for s, p in doc.sentences if s]
    year = tables_year(doc) or doc.meta.year
    return (_titles(doc, sentences, year) + _dates(doc, sentences, year) + _compared(doc, sentences, year)
            + _statements(doc, narrative_sentences(doc)[0], year))


FAMILY = [years]
