"""Find the standard tables in a document's lines: titles → regions.

``lines_to_regions`` cuts the line stream at table titles (``一般公共预算支出表`` …) and names each
region with its canonical id from DATA-CONTRACT.md (``classify_title``); ``header_text`` and
``empty_reason`` read a region's header and its note that it is published empty. A title listed
in a table of contents (``table_of_contents``) is no region: the table's region starts at its
title on the table's own page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import Line

# (canonical id, predicate on the compact title), first match wins.
_TITLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("government_fund_three_public", re.compile(r"政府性基金.*三公")),
    ("three_public", re.compile(r"三公")),
    ("performance_targets", re.compile(r"绩效")),
    ("procurement", re.compile(r"政府采购")),
    ("purchased_services", re.compile(r"购买服务")),
    ("operating_costs", re.compile(r"机关运行经费|运行经费")),
    ("assets", re.compile(r"资产")),
    ("state_capital", re.compile(r"国有资本经营")),
    ("government_fund", re.compile(r"政府性基金")),
    ("basic_function", re.compile(r"基本支出.*功能分类")),
    ("basic_economic", re.compile(r"基本支出")),
    # project spending by economic class (珠海 表7), a coded table, not a list of projects
    ("project_economic", re.compile(r"项目支出.*经济分类")),
    ("projects", re.compile(r"项目支出|专项业务经费|项目")),
    ("fiscal_summary", re.compile(r"财政拨款收支|财政拨款收入支出")),
    # the 财政拨款（上年）结转资金支出表 (西安 表11) lists last year's carried-over projects: not the
    # 支出总表, whose function rows it would otherwise join
    ("carryover", re.compile(r"结转(资金|结余)?支出")),
    ("summary", re.compile(r"收支.*总表|收入支出.*总表|收支预算总表|收支总表|收支总体情况表")),
    ("general_public_economic", re.compile(r"一般公共预算.*经济分类")),
    ("general_public_function", re.compile(r"一般公共预算")),
    # 苏州/无锡 公开05表 财政拨款支出表（功能科目）: all 财政拨款 (一般公共预算, 政府性基金, 国有资本经营)
    # by function, beside the 支出总表 (公开03表) and the 一般公共预算支出表 (公开07表) — not the
    # 支出总表, whose rows it would otherwise join (无锡 交通运输局 21203: 688,091.31 + 127,692.11)
    ("fiscal_function", re.compile(r"财政拨款支出(?!决算)")),
    ("income", re.compile(r"收入")),
    ("expenditure", re.compile(r"支出")),
)
_TITLE_WORDS = re.compile(r"收支|收入|支出|经费|采购|绩效|资产|购买服务|基金|资本")
_LEADING_ENUM = re.compile(
    r"^(?:[-•·]\s*)?(?:表\s*\d+(?:\s*-\s*\d+)?|[一二三四五六七八九十]+[、.．]|\d+(?:[.、．](?!\d)|、)|"
    r"[（(][一二三四五六七八九十\d]+[)）]|第[一二三四五六七八九十]+部分)\s*"
)
_TRAILING_PAREN = re.compile(r"[（(][^（）()]*[)）]$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")


@dataclass
class Region:
    """The lines of one table, from its title to the next title."""

    table: str
    title: str
    lines: list[Line]
    page: int | None
    #: why the table is empty, as a list of tables states it (西安's 目录: 是否空表 | 公开空表理由)
    note: str | None = None


def title_of(line: Line) -> str | None:
    """The cleaned table title if ``line`` is one, else None."""
    if line.positional and sum(1 for c in line.cells if c.strip()) > 1:
        return None
    compact = re.sub(r"\s+", "", line.text).strip("#*")
    if not compact or len(compact) > 70 or compact.startswith(("-", "关于", "注", "本表", "说明")):
        return None
    stripped = compact
    for _ in range(3):
        stripped = _LEADING_ENUM.sub("", stripped)
        stripped = _TRAILING_PAREN.sub("", stripped)
    stripped = re.sub(r"(?:（|\()?(?:公开)?表\s*\d+(?:-\d+)?(?:）|\))?$", "", stripped)
    if not stripped.endswith("表") or not _TITLE_WORDS.search(stripped):
        return None
    if re.search(r"[。，;；《》]", stripped):
        return None
    return compact


def classify_title(title: str) -> str | None:
    for table, pattern in _TITLE_RULES:
        if pattern.search(title):
            return table
    return None


def lines_to_regions(lines: tuple[Line, ...] | list[Line]) -> list[Region]:
    starts: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        title = title_of(line)
        if title:
            table = classify_title(title)
            if table:
                starts.append((i, table, title))
    contents = table_of_contents(lines, [i for i, _, _ in starts])
    regions: list[Region] = []
    for k, (i, table, title) in enumerate(starts):
        if i in contents:
            continue  # a table of contents entry ends the region before it, and starts none
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        body = []
        part_heading = False
        for line in lines[i + 1 : end]:
            if line.source != lines[i].source:
                break  # a table ends with its file (北京: the 说明 file's cover and 目录 after 预算13表)
            if _PART_HEADING.match(re.sub(r"\s+", "", line.text)):
                part_heading = True
                break
            body.append(line)
        if k + 1 < len(starts) and not any(_has_amount(l) for l in body) and (
            not body or (starts[k + 1][1] == table and len(body) <= 8)
        ):
            continue  # a table of contents entry, or a heading repeated by the printed title
        if not body and part_heading:
            continue  # the last entry of a table of contents, right before 第一部分

        previous = regions[-1] if regions else None
        if previous and previous.table == table and previous.title == title:
            previous.lines.extend(body)  # the title repeated on a continuation page
            continue
        regions.append(Region(table, title, body, lines[i].page))
    notes = contents_notes(lines)
    for region in regions:
        region.note = _note_for(region, notes, sum(1 for r in regions if r.table == region.table))
    return regions


_EMPTY_HEADS = re.compile(r"空表|为空")
_REASON_HEAD = re.compile(r"理由|原因|说明")
_YEAR = re.compile(r"\d{4}年?(度)?")


def _plain_title(title: str) -> str:
    return _YEAR.sub("", _LEADING_ENUM.sub("", re.sub(r"\s+", "", title)))


def contents_notes(lines) -> list[tuple[str, str, str]]:
    """(table id, title, note) of each table a list of tables marks empty with its reason
    (西安: 报表 | 报表名称 | 是否空表 | 公开空表理由, a row ``表11 | …结转资金支出表 | 是 | 不涉及``)."""
    out: list[tuple[str, str, str]] = []
    page, name_at, reason_at = None, None, None
    for line in lines:
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        if line.positional and any(_EMPTY_HEADS.search(c) for c in cells) and len(cells) >= 3:
            page = line.page
            name_at = next((k for k, c in enumerate(cells) if "名称" in c), None)
            reason_at = next((k for k, c in enumerate(cells) if _REASON_HEAD.search(c)), None)
            continue
        if line.page != page or name_at is None or reason_at is None or not line.positional:
            continue
        if max(name_at, reason_at) >= len(cells) or not cells[reason_at] or not cells[name_at].endswith("表"):
            continue
        table = classify_title(cells[name_at])
        if table:
            out.append((table, cells[name_at], f"{cells[name_at]}：{cells[reason_at]}（报表目录）"))
    return out


def _note_for(region: Region, notes: list[tuple[str, str, str]], of_kind: int) -> str | None:
    """The note of ``region`` in a list of tables: the entry of the same title (years and
    numbering aside), else the only entry of its table id when the region is the only table
    of that id (the list and the page may word a title differently: 上年结转 / 结转)."""
    same = [n for t, title, n in notes if _plain_title(title) == _plain_title(region.title)]
    if same:
        return same[0]
    kind = [n for t, _, n in notes if t == region.table]
    return kind[0] if len(kind) == 1 and of_kind == 1 else None


def contents_pages(lines) -> set[int]:
    """Pages of a table of contents: a 目录 heading, or three lines with dot leaders (``部门收支总表……5``)."""
    pages = {l.page for l in lines if l.page is not None and _CONTENTS.match(re.sub(r"\s+", "", l.text))}
    leaders: dict[int, int] = {}
    for line in lines:
        if line.page is not None and _DOT_LEADERS.search(line.text):
            leaders[line.page] = leaders.get(line.page, 0) + 1
    return pages | {page for page, n in leaders.items() if n >= 3}


def contents_entries(lines) -> set[int]:
    """Indexes of the lines that are entries of a table of contents (dot leaders, with or without
    the page number, on a page of contents) or its 目录 heading: no prose (国家信访局 决算 p. 2:
    ``一、收入支出决算总体情况说明……15``), never part of a sentence."""
    pages = contents_pages(lines)
    return {i for i, l in enumerate(lines) if l.page in pages and not l.positional
            and (_DOT_LEADERS.search(l.text) or _CONTENTS.match(re.sub(r"\s+", "", l.text)))}


def table_of_contents(lines, titles: list[int]) -> set[int]:
    """Which of the title lines ``titles`` (indexes into ``lines``) are table of contents entries.

    On a page of contents, a title followed by no figure and no row of cells before the next
    title or the end of its page is an entry, not a table. A page of contents has a 目录 heading
    above the title, or three lines with dot leaders (``部门收支总表……5``), or three titles in a
    row with nothing between them (上海's ``1. …预算表`` … ``9. …预算表``, 深圳's ``（一）收支总表`` …).
    Text extracts without pages (``page`` None) have no page of contents."""
    starts = set(titles)
    pages = contents_pages(lines)
    for k in range(len(titles) - 2):
        run = titles[k : k + 3]
        if run[2] - run[0] == 2 and lines[run[0]].page is not None and lines[run[0]].page == lines[run[2]].page:
            pages.add(lines[run[0]].page)
    out: set[int] = set()
    for i in titles:
        page = lines[i].page
        if page not in pages or not _below_contents_heading(lines, i):
            continue
        j = i + 1
        while j < len(lines) and lines[j].page == page and j not in starts:
            if _has_amount(lines[j]) or (lines[j].positional and sum(1 for c in lines[j].cells if c.strip()) > 1):
                break
            j += 1
        else:
            out.add(i)
    return out


def _below_contents_heading(lines, i: int) -> bool:
    """No 目录 heading on the page of line ``i``, or one above it (a table's title printed above
    the 目录 of a booklet is not in it)."""
    page = lines[i].page
    headings = [j for j, l in enumerate(lines) if l.page == page and _CONTENTS.match(re.sub(r"\s+", "", l.text))]
    return not headings or headings[0] < i


_CONTENTS = re.compile(r"^[#*]*目录[#*]*$")
_DOT_LEADERS = re.compile(r"(?:\.{4,}|…{2,}|·{4,}|．{4,})\s*\d*\s*$")


def _has_amount(line: Line) -> bool:
    return any(re.search(r"\d\.\d", c) for c in line.cells)


def header_text(region: Region, limit: int = 30) -> str:
    """The header lines of a region (before its first data row), compacted."""
    parts = []
    for line in region.lines[:limit]:
        compact = re.sub(r"\s+", "", line.text)
        if re.search(r"\d+\.\d", compact) and not compact.startswith("栏次"):
            break
        parts.append(compact)
    return "".join(parts)


def empty_reason(region: Region) -> str | None:
    for line in region.lines:
        compact = re.sub(r"\s+", "", line.text)
        if len(compact) <= 80 and re.search(r"空表|本(单位|部门)(无|没有|未)|^注[:：].*无|不涉及", compact):
            return compact.lstrip("注：:备说明")
    return region.note
