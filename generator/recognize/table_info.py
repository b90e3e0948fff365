"""The ``TableInfo`` record of a recognized table: title, page, row count, unit, whether it is
published empty (and the note saying why), and the figures of its printed 合计 row."""
from __future__ import annotations

import re

from ..numbers import is_amount, is_blank, parse_amount, to_wan
from ..records import ParsedDocument, TableInfo
from ..vocabulary import SIGNED_WORDS
from .columns import column_value
from .regions import Region, empty_reason
from .rows import Row


def rows_by_unit(region: Region) -> bool:
    """Whether the table lists units, not classification codes, under its 合计 (西安's 收入总表
    and 支出总表: 单位编码 | 单位名称 | 合计 | 一般公共预算拨款 | 政府性基金拨款 …, one row per unit):
    a header cell 单位名称 and no 科目 heading before the first figure."""
    cells = []
    for line in region.lines[:12]:
        if any(re.search(r"\d\.\d|^\d{2,}$", c.strip()) for c in line.cells if c.strip() not in ("**",)):
            break
        cells += [re.sub(r"\s+", "", c) for c in line.cells] if line.positional else []
    return "单位名称" in cells and not any("科目" in c or "分类" in c for c in cells)


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
        if not data and not any(_negative(c) or is_amount(c) and (name is not None and k > name or re.search(r"[.,]", c))
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


def _records_of(parsed: ParsedDocument, table: str) -> bool:
    return any(r.table == table for r in (*parsed.function_rows, *parsed.economic_rows, *parsed.summary_lines))


def add_table(parsed: ParsedDocument, region: Region, rows: int, unit: str, totals: Row | None = None,
              columns: list[str] | None = None, force_empty: bool = False, totals_only: bool = False) -> None:
    """Append the ``TableInfo`` of ``region`` (``rows`` recognized rows; ``totals``: its 合计 row,
    read through ``columns``) to ``parsed.tables``."""
    empty = rows == 0 or force_empty
    # a table of units (no row read as a record) states, for the contract, its 合计 only
    totals_only = totals_only or (totals is not None and not empty and not _records_of(parsed, region.table)
                                  and rows_by_unit(region))
    reason = empty_reason(region) if empty else None
    sums = {}
    if totals is not None and columns:
        sums = {k: to_wan(column_value(totals, columns, k), unit)
                for k in ("total", "basic", "project", "personnel", "public", "reserve")}
    parsed.tables.append(TableInfo(
        parsed.meta.document_id, region.table, region.title, region.page, rows, empty, reason, unit,
        **sums, totals_only=totals_only,
        blank_total=blank_total_row(region), negatives=negative_cells(region),
        blank_total_cells=blank_total_cells(region)))
