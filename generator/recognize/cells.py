"""What a table's ruled lines print cell by cell, beyond the rows recognized from them: a 合计
row printed blank, 合计 cells left blank while their parts print amounts, negative figures where
none can be, and classification rows printed with no figure at all (``TableInfo.blank_total``,
``blank_total_cells``, ``negatives``, ``blank_rows``, reported by ``verify.cells``).

Only ruled (positional) lines are read, where an empty cell is known; each column is named by the
heading lines above the first row of figures.
"""
from __future__ import annotations

import re

from ..numbers import is_amount, is_blank, parse_amount
from ..vocabulary import SIGNED_WORDS
from .regions import Region

_TOTAL_LABEL = re.compile(r"^(合计|总计)$")


def blank_total_row(region: Region) -> bool:
    """Whether the table prints its 合计 row with every figure blank (长沙 p. 17 with the figures
    gone: ``| | | 合计 | | |``): a ruled line whose only text is 合计 in a label column, before
    the first column any row prints a figure in (a 合计 heading over figures stands in one), and
    whose figures do not follow on a line of their own (江苏 p. 21: ``合计 | |`` then ``| | 2,391.92``)."""
    figures_from, blanks, candidate = None, [], None
    for line in region.lines:
        if not line.positional:
            continue
        cells = [c.strip() for c in line.cells]
        filled = [k for k, c in enumerate(cells) if c and not is_blank(c)]
        if candidate is not None and not (filled and all(is_amount(cells[k]) for k in filled)):
            blanks.append(candidate)
        candidate = None
        if len(filled) == 1 and _TOTAL_LABEL.match(re.sub(r"\s+", "", cells[filled[0]])) and len(cells) > 2:
            candidate = filled[0]
        name = next((k for k, c in enumerate(cells) if re.search(r"[\u4e00-\u9fa5]", c)), None)
        first = next((k for k, c in enumerate(cells) if name is not None and k > name and is_amount(c)), None)
        if first is not None:
            figures_from = first if figures_from is None else min(figures_from, first)
    blanks += [candidate] if candidate is not None else []
    return figures_from is not None and any(k < figures_from for k in blanks)


_SIGNED = re.compile("|".join(SIGNED_WORDS))
_CJK = re.compile(r"[\u4e00-\u9fa5]")
#: a classification code in a cell of its own: 类 (201, 301), 款 (20101, 30101), 项 (2010101)
_CODE = re.compile(r"^(?:[235]\d{2}|[235]\d{4}|2\d{6})$")


def _negative(cell: str) -> bool:
    try:
        v = parse_amount(cell)
    except ValueError:
        return False
    return v is not None and v < 0


def _data_lines(region: Region):
    """(headings, printed headings, cells, page) of each ruled data line of a table: the heading
    lines above the first figure give each column its headings (a heading merged over columns is
    printed in the first: a sparse heading line is filled right; ``printed`` without the filling).
    A line with another number of cells than the headings (a continuation page ruled otherwise:
    杭州 p. 22) is left out."""
    heads: dict[int, str] = {}
    printed: dict[int, str] = {}
    data = False
    for line in region.lines:
        if not line.positional:
            continue
        cells = [c.strip() for c in line.cells]
        name = next((k for k, c in enumerate(cells) if _CJK.search(c)), None)
        coded = name is not None and any(_CODE.match(c) for c in cells[:name])
        if not data and not coded and not any(
                _negative(c) or is_amount(c) and (name is not None and k > name or re.search(r"[.,]", c))
                for k, c in enumerate(cells)):
            sparse = sum(1 for c in cells if c) * 3 < len(cells)  # headings merged over columns
            fill = ""
            for k, c in enumerate(cells):
                fill = c if c or not sparse else fill
                heads[k] = heads.get(k, "") + (fill if _CJK.search(fill) else "")
                printed[k] = printed.get(k, "") + (re.sub(r"\s+", "", c) if _CJK.search(c) else "")
            continue
        data = True
        if len(cells) == len(heads):  # a continuation page ruled with other columns: headings unknown
            yield heads, printed, cells, line.page


def _label(cells: list[str], k: int) -> str:
    """The row label of cell ``k``: the nearest text on its left (a two-sided 收支总表 has two)."""
    return next((c for c in reversed(cells[:k]) if _CJK.search(c)), "")


def negative_cells(region: Region) -> tuple[tuple[str, str, str, int | None], ...]:
    """The negative figures of a table's ruled lines whose column heading and row label name no
    change or balance (``SIGNED_WORDS``): (row label, column heading, cell as printed, page)."""
    out: list[tuple[str, str, str, int | None]] = []
    for heads, _, cells, page in _data_lines(region):
        for k, c in enumerate(cells):
            if _negative(c) and not _SIGNED.search(heads.get(k, "") + _label(cells, k)):
                out.append((_label(cells, k), re.sub(r"\s+", "", heads.get(k, "")), c, page))
    return tuple(out)


_TOTAL_HEADING = re.compile(r"(合计|总计)$")


def blank_total_cells(region: Region) -> tuple[tuple[str, str, int | None], ...]:
    """The 合计 cells a row leaves blank while the figures it totals print amounts (长沙 p. 17
    with 行政运行's 总计 gone: ``行政运行 | | 1,517.95 |``): under a column headed 合计 / 总计, a
    blank cell with non-zero figures on its right up to the next such column (two of them with
    no row label, a figures-only line may be a wrapped row): (row label, heading, page)."""
    out: list[tuple[str, str, int | None]] = []
    lines = list(_data_lines(region))
    # 小计 is the row's total only in the first column of figures (国家信访局 p. 11: 本年支出 小计 |
    # 基本支出 | 项目支出), not over some of the columns (“三公”: 公务用车 小计 | 购置费 | 运行费)
    first = min((k for _, _, cells, _ in lines for k, c in enumerate(cells)
                 if is_amount(c) and _label(cells, k)), default=None)
    for heads, printed, cells, page in lines:
        totals = [k for k in range(len(cells)) if _TOTAL_HEADING.search(printed.get(k, ""))
                  or k == first and printed.get(k, "").endswith("小计")]
        for i, k in enumerate(totals):
            if not is_blank(cells[k]):
                continue
            end = totals[i + 1] if i + 1 < len(totals) else len(cells)
            parts = [c for c in cells[k + 1:end] if is_amount(c) and parse_amount(c) != 0]
            label = _label(cells, k)
            if len(parts) >= (1 if label else 2):
                out.append((label, re.sub(r"\s+", "", heads.get(k, "")), page))
    return tuple(out)



def _segments(cells: list[str]) -> list[tuple[str, str, list[str]]]:
    """The rows a ruled line prints side by side (国家信访局 p. 12: 人员经费 | 公用经费 | 公用经费,
    each ``code | name | 决算数``): (code, name, the cells up to the next row's code)."""
    starts: list[int] = []
    for k in range(len(cells) - 1):
        if _CODE.match(cells[k]) and _CJK.search(cells[k + 1]) and not (starts and k == starts[-1] + 2):
            starts.append(k)  # a code and name right after another (西安: 30202 | 印刷费 | 50201 | 办公经费) is its detail
    return [(cells[k], re.sub(r"\s+", "", cells[k + 1]), cells[k + 2:end])
            for k, end in zip(starts, [*starts[1:], len(cells)])]


def blank_rows(region: Region) -> tuple[tuple[str, str, int | None], ...]:
    """The classification rows a table prints with its code and name and no figure at all (not
    even 0 or ``-``) while other rows print figures (重庆科技局 p. 17: ``2060201 | 机构运行 | | …``):
    (code, name, page). A table that prints the classification as a fixed list, funded or not —
    only classes (福州's 经济分类情况表: 307 … 399 blank), or a third of its rows blank or more (the
    部门决算's 基本支出决算表) — gives none; nor a row whose figures follow on a line of their own."""
    rows: list[tuple[str, str, int | None, bool]] = []
    pending: tuple[str, str, int | None] | None = None
    for _, _, cells, page in _data_lines(region):
        segments = _segments(cells)
        if pending is not None:
            figures_only = not segments and not any(_CJK.search(c) for c in cells) and any(is_amount(c) for c in cells)
            rows.append((*pending, not figures_only))
            pending = None
        for i, (code, name, rest) in enumerate(segments):
            # blank: nothing but empty cells, or the other classification's code and name (西安:
            # 30202 | 印刷费 | 50201 | 办公经费 | | |)
            if not all(c == "" or _CODE.match(c) or _CJK.search(c) for c in rest):
                rows.append((code, name, page, False))
            elif len(segments) == 1:
                pending = (code, name, page)
            else:
                rows.append((code, name, page, True))
    if pending is not None:
        rows.append((*pending, True))
    blank = [r[:3] for r in rows if r[3]]
    if not blank or len(blank) * 3 >= len(rows) or all(len(r[0]) == 3 for r in rows):
        return ()
    return tuple(blank)
