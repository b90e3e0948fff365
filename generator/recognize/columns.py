"""Which column each figure of a table goes to.

``function_columns`` / ``economic_columns`` read the meaning of the numeric columns from a
coded table's header (合计 | 基本支出 | 项目支出, 合计 | 人员经费 | 公用经费 …); ``resolve_columns``
places the figures of rows that lost their empty cells (text split on spaces) so that children
add up to their parents; ``column_value`` reads one column of a row. ``line_number_columns`` /
``drop_line_numbers`` find and blank the 行次 columns of a summary table, and
``expenditure_column`` where its 支出 side starts.

Every decision can be recorded into a ``ColumnTrace`` passed as ``trace`` (``python -m
generator.recognize FILE`` prints it); without one nothing is recorded.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from ..numbers import is_amount
from .regions import Region
from .rows import Row

#: the column layouts whose parts ``resolve_columns`` can place by arithmetic
_SPLIT_LAYOUTS = (["total", "basic", "project"], ["total", "personnel", "public"])
#: header keyword → column of a function-classified table
_FUNCTION_KEYS = {"基本支出": "basic", "人员经费": "personnel", "人员支出": "personnel", "公用经费": "public", "日常公用支出": "public",
                  "项目支出": "project", "专项业务经费": "project", "单位预留机动经费": "reserve"}


@dataclass
class ColumnTrace:
    """The column decisions of one table, kept for inspection: the columns its header gave (and
    which header cell or keyword named each), then per row why each figure went where it went."""

    columns: list[str] = field(default_factory=list)
    #: column → how the header named it (``header cell 3 “基本支出”``)
    named_by: dict[str, str] = field(default_factory=dict)
    #: (row code or name, explanation), in the order the decisions were taken
    notes: list[tuple[str, str]] = field(default_factory=list)

    def header(self, columns: list[str], named_by: dict[str, str]) -> None:
        self.columns = list(columns)
        self.named_by = dict(named_by)

    def note(self, row: Row, why: str) -> None:
        self.notes.append((row.code or row.name, why))

    def say(self, what: str, why: str) -> None:
        """A decision about the table rather than one row (``行次``: which cells are line numbers)."""
        self.notes.append((what, why))



def function_columns(header: str, region: Region | None = None, trace: ColumnTrace | None = None) -> list[str]:
    """Meaning of the numeric columns, in order, from the header's keywords.

    ``合计 | 基本支出 | 项目支出`` is the common layout; 北京 prints 基本支出 as 小计 | 人员经费 |
    公用经费 before 项目支出, which the keyword order reveals; 江苏 adds 单位预留机动经费 after
    项目支出 (``reserve``).
    """
    keys = _FUNCTION_KEYS
    found = sorted((header.find(k), v) for k, v in keys.items() if k in header)
    cells = header_cells(region, _FUNCTION_KEYWORDS) if region is not None else {}
    by_cell = bool(cells) and all(k in cells for k, v in keys.items() if k in header)
    if by_cell:
        # a header over several rows: the column index orders the keywords, not the text order
        found = sorted((cells[k], header.find(k), v) for k, v in keys.items() if k in header)
        found = [(a, v) for a, _, v in found]
        personnel = next((a for a, v in found if v == "personnel"), None)
        if any(a == personnel and v == "basic" for a, v in found):
            # 基本支出 heads 人员支出 | 日常公用支出 without a 小计 of its own (杭州): the first
            # cell under it is 人员支出, and 基本支出 is the two parts' sum
            found = [(a, v) for a, v in found if v != "basic"]
    columns = _function_layout([v for _, v in found])
    if trace is not None:
        trace.header(columns, {v: f"header cell {cells[k]} “{k}”" if by_cell else f"“{k}” in the header text"
                               for k, v in keys.items() if k in header})
    return columns


def _function_layout(order: list[str]) -> list[str]:
    """The columns of a function table from the keywords its header prints, in their order."""
    order = list(dict.fromkeys(order))  # 项目支出 and 专项业务经费 name one column
    if order[:1] == ["basic"] and "project" in order:
        return ["total"] + order
    if order == ["personnel", "public", "project"]:
        return ["total"] + order  # 西安: 人员经费支出 | 公用经费支出 | 专项业务经费支出, 基本支出 their sum
    if order == ["basic"]:
        return ["basic"]
    if order == ["project"]:
        return ["project"]
    return ["total"]


def header_cells(region: Region, patterns: dict[str, re.Pattern[str]]) -> dict[str, int]:
    """Column index of each named pattern in the positional header rows of a region."""
    out: dict[str, int] = {}
    for line in region.lines[:12]:
        if not line.positional:
            continue
        if any(is_amount(c) and "." in c for c in line.cells):
            break
        for i, cell in enumerate(line.cells):
            compact = re.sub(r"\s+", "", cell)
            for name, pattern in patterns.items():
                if name not in out and pattern.search(compact):
                    out[name] = i
    return out


_FUNCTION_KEYWORDS = {k: re.compile(k) for k in _FUNCTION_KEYS}


def economic_columns(header: str, trace: ColumnTrace | None = None) -> list[str]:
    """合计 | 人员经费 | 公用经费, or only 合计. 长沙 heads the personnel column 人员类 (``总计 |
    人员类 | 公用经费``), 杭州 the public one 日常公用支出 (表6: ``合计 | 人员经费 | 日常公用支出``):
    the same split of 基本支出, printed per row. A 一般公共预算支出表 by
    economic class may go on with the project part after 公用经费 (西安: ``合计 | 人员经费支出 |
    公用经费支出 | 专项业务经费支出``): 合计 is then the three parts together."""
    personnel = re.search(r"人员经费|人员类", header)
    public = re.search(r"公用经费|日常公用支出", header)
    columns = ["total", "personnel", "public"] if personnel and public else ["total"]
    named = {"personnel": f"“{personnel.group(0)}” in the header text",
             "public": f"“{public.group(0)}” in the header text"} if personnel and public else {}
    project = re.search(r"专项业务经费|项目支出", header[public.end():]) if personnel and public else None
    if project:
        columns.append("project")
        named["project"] = f"“{project.group(0)}” after 公用经费 in the header text"
    if trace is not None:
        trace.header(columns, named)
    return columns


def column_value(row: Row, columns: list[str], key: str) -> Decimal | None:
    """The figure of ``row`` in column ``key``; 合计 is the first figure where no column names it."""
    if key == "total" and key not in columns and row.values:
        return row.values[0]
    if key == "basic" and key not in columns and "project" in columns and "personnel" in columns:
        # 基本支出 printed as its two parts only (人员经费 | 公用经费 | 项目支出): their sum
        parts = [column_value(row, columns, k) for k in ("personnel", "public")]
        return None if all(p is None for p in parts) else sum((p or Decimal(0) for p in parts), Decimal(0))
    if key not in columns:
        return None
    i = columns.index(key)
    return row.values[i] if i < len(row.values) else None


def resolve_columns(rows: list[Row], columns: list[str], trace: ColumnTrace | None = None) -> None:
    """Place the values of rows that lost empty cells, so children add up to their parents.

    A row printed as ``2832.00 2832.00`` under 合计 / 基本支出 / 项目支出 is 合计 plus one of the two;
    which one is decided by the parent rows (the 合计 row, the 类 and 款 rows), whose parts must
    equal the sum of their children's parts.
    """
    if columns in _SPLIT_LAYOUTS:
        _place_lost_cells(rows, columns, trace)
    _place_by_row_identity(rows, columns, trace)
    if trace is not None:
        _explain_values(rows, columns, trace)


#: at most this many readings of the narrow pages of one table are tried
_MAX_PAGE_READINGS = 256


def place_narrow_pages(rows: list[Row], columns: list[str], trace: ColumnTrace | None = None,
                       code_of: Callable[[Row], str] | None = None) -> None:
    """Place the figures of pages that dropped empty columns, by the table's own arithmetic.

    A continuation page whose empty columns the text layout dropped prints its rows in fewer
    cells than the table's widest row (无锡 应急管理局 p. 13: ``2240199 | 其他应急管理支出 |
    2,080.58 | 2,080.58`` in 4 cells under a header of 8 on p. 12; 杭州 p. 24: ``城乡社区支出 |
    7,600.00 | | 7,600.00`` under 总计 | 人员支出 | 日常公用支出 | 项目支出). Every row of such a
    page lost the same columns, so the page has one reading: its first figure is 合计 and its
    other figure cells are, in order, some of the table's other columns. A row alone cannot tell
    which (2,080.58 is 合计 and 基本支出 or 合计 and 项目支出 alike); the table can. Every
    combination of the pages' readings is tried, and the one (if exactly one) under which the
    most identities hold is kept — the 合计 row and every parent equal to the sum of the rows
    one level under it, column by column, and each row's 合计 = 基本支出 + 项目支出. Where the
    best is shared, the pages stay as printed. ``code_of`` gives a row's code for the hierarchy
    (a provisional one where the table prints names only). Run on the rows as printed, before
    ``merge_rows_by_code`` adds up rows of one code that may sit on pages of both kinds."""
    n = len(columns)
    if columns[:1] != ["total"] or n < 3:
        return
    widest = max((r.width for r in rows if r.positional), default=0)
    on_page: dict[int | None, list[Row]] = {}
    for r in rows:
        if r.positional and r.values:
            on_page.setdefault(r.page, []).append(r)
    readings: dict[int | None, list[tuple[int, ...]]] = {}
    for page, page_rows in on_page.items():
        cells = max(len(r.values) for r in page_rows)
        if all(r.width < widest for r in page_rows) and 2 <= cells < n:
            readings[page] = list(itertools.combinations(range(1, n), cells - 1))
    if not readings or _product(len(v) for v in readings.values()) > _MAX_PAGE_READINGS:
        return
    families = _families(rows, code_of or (lambda r: r.code))
    printed = {id(r): list(r.values) for p in readings for r in on_page[p]}
    scored = []
    for combo in itertools.product(*readings.values()):
        for page, places in zip(readings, combo):
            for r in on_page[page]:
                r.values = _spread(printed[id(r)], places, n)
        scored.append((_identities_holding(rows, families, columns), combo))
    best = max(s for s, _ in scored)
    winners = [c for s, c in scored if s == best]
    as_printed = tuple(tuple(range(1, len(v[0]) + 1)) for v in readings.values())
    chosen = winners[0] if len(winners) == 1 else as_printed
    for page, places in zip(readings, chosen):
        for r in on_page[page]:
            r.values = _spread(printed[id(r)], places, n)
        if trace is not None:
            names = " | ".join(columns[k] for k in (0, *places))
            why = (f"of {len(scored)} readings of the narrow pages, the only one where {best} identities hold"
                   if len(winners) == 1 else f"{len(winners)} readings hold {best} identities alike: as printed")
            trace.say(f"p. {page}", f"rows printed in fewer cells than the table's widest ({widest}): "
                                    f"figures read as {names} ({why})")


def _product(counts) -> int:
    out = 1
    for c in counts:
        out *= c
    return out


def _spread(values: list, places: tuple[int, ...], n: int) -> list:
    """A narrow row's figures placed: the first under 合计, the others in columns ``places``."""
    out: list = [None] * n
    out[0] = values[0]
    for v, k in zip(values[1:], places):
        out[k] = v
    while out and out[-1] is None:
        out.pop()
    return out


def _families(rows: list[Row], code_of: Callable[[Row], str]) -> list[tuple[Row, list[Row]]]:
    """Each parent (the 合计 row, every coded row) with the rows one level under it."""
    coded = [(code_of(r), r) for r in rows if not r.total and code_of(r)]
    top = min((len(c) for c, _ in coded), default=0)
    under: dict[str, list[Row]] = {}
    for c, r in coded:
        under.setdefault(c[:-2] if len(c) > top else "", []).append(r)
    out = [(r, under[""]) for r in rows if r.total and "" in under][:1]
    return out + [(r, under[c]) for c, r in coded if c in under]


def _identities_holding(rows: list[Row], families: list[tuple[Row, list[Row]]], columns: list[str]) -> int:
    """How many of the table's identities hold: each parent equal, column by column, to the sum
    of the rows one level under it; each row's own (``_row_adds_up``)."""
    zero = Decimal(0)
    held = sum(1 for r in rows if r.values and _row_adds_up(r.values, columns))
    for parent, kids in families:
        for k in range(1, len(columns)):
            if (_part(parent, k) or zero) == sum((_part(r, k) or zero for r in kids), zero):
                held += 1
    return held


def _place_lost_cells(rows: list[Row], columns: list[str], trace: ColumnTrace | None) -> None:
    ambiguous = [r for r in rows if not r.positional and 0 < len(r.values) < 3]
    if not ambiguous:
        return
    for r in ambiguous:  # one value: the total; two equal values: total and an unknown part
        if len(r.values) == 2 and r.values[0] != r.values[1]:
            if trace is not None:
                trace.note(r, f"two different figures, no empty cells kept: read as {columns[0]}, {columns[1]}")
            continue
        r.values = [r.values[0], None, None]
        r.undecided = True
        if trace is not None:
            trace.note(r, f"lost its empty cells: {r.values[0]} is {columns[0]} and one of "
                          f"{columns[1]} / {columns[2]}, left open")
    open_rows = [r for r in rows if r.undecided]
    total_row = next((r for r in rows if r.total), None)
    for _ in range(4):  # top-down then bottom-up until nothing changes
        changed = _place_by_parents(rows, total_row, columns, trace)
        changed = _place_by_children(rows, open_rows, columns, trace) or changed
        changed = _place_like_parent(rows, open_rows, columns, trace) or changed
        open_rows = [r for r in rows if r.undecided]
        if not changed or not open_rows:
            break


def _row_adds_up(values: list, columns: list[str]) -> bool:
    """Does one row's reading hold its own identities: 合计 = 基本支出 + 项目支出 (+ 单位预留机动
    经费), and where the table splits 基本支出 into 人员经费 | 公用经费, a 基本支出 = the two?"""
    get = {k: (values[i] if i < len(values) else None) for i, k in enumerate(columns)}
    if get["total"] is None:
        return True
    zero = Decimal(0)
    # without a 基本支出 column of its own (杭州, 西安), 基本支出 is printed as its two parts
    basic_parts = ("basic",) if "basic" in get else ("personnel", "public")
    parts = sum((get.get(k) or zero for k in (*basic_parts, "project", "reserve")), zero)
    if get["total"] != parts:
        return False
    if "personnel" in get and "public" in get and get.get("basic"):
        return get["basic"] == (get["personnel"] or zero) + (get["public"] or zero)
    return True


def _place_by_row_identity(rows: list[Row], columns: list[str], trace: ColumnTrace | None) -> None:
    """A row whose figures do not add up as read has lost cells: a continuation page whose empty
    column the text layout dropped (无锡: ``216 | 商业服务业等支出 | 1,172.70 | | | 1,172.70``
    under 合计 | 小计 | 人员经费 | 公用经费 | 项目支出), or a lone row read as text (苏州:
    ``2220102 一般行政管理事务 388.25 388.25``). The candidates put the missing empty cells at
    every place after 合计; the reading kept is the one (if exactly one) where the row's own
    identities hold: 合计 = 基本支出 + 项目支出, 基本支出 = 人员经费 + 公用经费."""
    if not {"total", "basic", "project"} <= set(columns) or columns[0] != "total":
        return
    for r in rows:
        missing = len(columns) - len(r.values)
        if r.undecided or missing <= 0 or not r.values or r.values[0] is None \
                or _row_adds_up(r.values, columns):
            continue
        readings = set()
        for places in itertools.combinations_with_replacement(range(1, len(r.values) + 1), missing):
            values = list(r.values)
            for k in sorted(places, reverse=True):
                values.insert(k, None)
            if _row_adds_up(values, columns):
                readings.add(tuple(values))
        if len(readings) == 1:
            before = r.values
            r.values = list(readings.pop())
            if trace is not None:
                trace.note(r, f"read as printed, {before} does not add up; with {missing} empty cell(s) "
                              f"restored the only reading where 合计 = 基本支出 + 项目支出"
                              + (" and 基本支出 = 人员经费 + 公用经费" if "personnel" in columns else "")
                              + f" is {r.values}")
        elif trace is not None:
            trace.note(r, f"{r.values} does not add up; {len(readings)} readings with empty cells restored "
                          f"would, left as printed")


def _part(row: Row, k: int) -> Decimal | None:
    """Figure ``k`` of a row; None where the row printed fewer figures (a decided row may: one
    printed with two different figures, or a positional row whose last cells are empty)."""
    return row.values[k] if k < len(row.values) else None


def _children(rows: list[Row], parent: Row | None) -> list[Row]:
    """The rows one level below ``parent``; below the 合计 row (or none), the top level."""
    if parent is None or parent.total:
        level = min((len(r.code) for r in rows if r.code), default=3)
        return [r for r in rows if len(r.code) == level]
    return [r for r in rows if len(r.code) == len(parent.code) + 2 and r.code.startswith(parent.code)]


def _place_by_parents(rows: list[Row], total_row: Row | None, columns: list[str],
                      trace: ColumnTrace | None) -> bool:
    """Open children of a decided parent, placed where their parts add up to the parent's parts
    in exactly one way. True if any was placed."""
    changed = False
    for parent in [total_row] + [r for r in rows if r.code]:
        if parent is None or parent.undecided:
            continue
        kids = _children(rows, parent)
        undecided = [k for k in kids if k.undecided]
        if not undecided or len(undecided) > 14 or _part(parent, 1) is None and _part(parent, 2) is None:
            continue
        pb, pp = _part(parent, 1) or Decimal(0), _part(parent, 2) or Decimal(0)
        fixed_b = sum((_part(k, 1) or Decimal(0)) for k in kids if k not in undecided)
        fixed_p = sum((_part(k, 2) or Decimal(0)) for k in kids if k not in undecided)
        solutions = []
        for combo in itertools.product((1, 2), repeat=len(undecided)):
            b = fixed_b + sum(k.values[0] for k, c in zip(undecided, combo) if c == 1)
            p = fixed_p + sum(k.values[0] for k, c in zip(undecided, combo) if c == 2)
            if b == pb and p == pp:
                solutions.append(combo)
        if len(solutions) == 1:
            for k, c in zip(undecided, solutions[0]):
                k.values[c] = k.values[0]
                k.undecided = False
                if trace is not None:
                    trace.note(k, f"{columns[c]}: the only placement where the rows under "
                                  f"{parent.code or parent.name} add up to its {columns[1]} {pb} "
                                  f"and {columns[2]} {pp}")
            changed = True
    return changed


def _place_by_children(rows: list[Row], open_rows: list[Row], columns: list[str],
                       trace: ColumnTrace | None) -> bool:
    """An open parent whose children are all placed: its part is the one they add up to."""
    changed = False
    for r in open_rows:  # a parent whose part is known fixes its only-child chain
        if r.undecided:
            kids = _children(rows, r)
            decided = [k for k in kids if not k.undecided]
            if kids and len(decided) == len(kids):
                b = sum((_part(k, 1) or Decimal(0)) for k in kids)
                side = 1 if b == r.values[0] else 2
                r.values[side] = r.values[0]
                r.undecided = False
                changed = True
                if trace is not None:
                    trace.note(r, f"{columns[side]}: the {columns[1]} of the rows under it add up to "
                                  f"{b}, {'equal to' if side == 1 else 'not'} its figure")
    return changed


def _place_like_parent(rows: list[Row], open_rows: list[Row], columns: list[str],
                       trace: ColumnTrace | None) -> bool:
    """Open children of a placed parent that has a single part take that part."""
    changed = False
    for r in open_rows:  # children of a decided parent with a single part inherit it
        if not r.undecided:
            basic, project = _part(r, 1), _part(r, 2)
            side = 1 if basic is not None and project is None else 2 if project is not None and basic is None else 0
            if side:
                for k in _children(rows, r):
                    if k.undecided:
                        k.values[side] = k.values[0]
                        k.undecided = False
                        changed = True
                        if trace is not None:
                            trace.note(k, f"{columns[side]}: like the row above it, {r.code}, "
                                          f"which has only that part")
    return changed


def _explain_values(rows: list[Row], columns: list[str], trace: ColumnTrace) -> None:
    """Per row, the column each printed figure is read as (and the header that named it)."""
    for r in rows:
        parts = []
        for k, v in enumerate(r.values):
            if v is None:
                continue
            if k < len(columns):
                key = columns[k]
                named = trace.named_by.get(key) or ("the first figure" if k == 0 else "its place")
                parts.append(f"{v} → {key} (figure {k + 1}; {named})")
            else:
                parts.append(f"{v} → no column (figure {k + 1} of {len(columns)} columns)")
        trace.note(r, "; ".join(parts) if parts else "no figures")


_LINE_NUMBER = re.compile(r"\d{1,3}")


def line_number_columns(region: Region, trace: ColumnTrace | None = None) -> set[int]:
    """Cell indexes of the 行次 (line-number) columns of a positional table.

    A column is one if a header cell names it ``行次``, or if every figure in it is a whole
    number without decimals and, line after line, they count up by one (1, 2, 3 …): amounts
    carry decimals and do not count. Header words in the column (``行次``, ``栏次``) are ignored.
    """
    columns: set[int] = set()
    named: set[int] = set()
    values: dict[int, list[str]] = {}
    for line in region.lines:
        if not line.positional:
            continue
        for i, cell in enumerate(line.cells):
            compact = re.sub(r"\s+", "", cell)
            if compact == "行次":
                columns.add(i)
                named.add(i)
            elif compact and is_amount(compact):
                values.setdefault(i, []).append(compact)
    for i, column in values.items():
        if len(column) >= 3 and all(_LINE_NUMBER.fullmatch(v) for v in column) and all(
                int(b) == int(a) + 1 for a, b in zip(column, column[1:])):
            columns.add(i)
    if trace is not None:
        for i in sorted(columns):
            trace.say("行次", f"cell {i} is a line-number column, dropped: "
                            + ("a header cell names it 行次" if i in named else
                               f"its figures count up by one ({', '.join(values[i][:3])} …)"))
    return columns


def drop_line_numbers(cells: list[str], columns: set[int]) -> tuple[list[str], bool]:
    """Blank the 行次 cells of one row (whole numbers only: an amount that drifted into the column
    stays); True if any was blanked."""
    out = list(cells)
    dropped = False
    for i in columns:
        if i < len(out) and _LINE_NUMBER.fullmatch(re.sub(r"\s+", "", out[i])):
            out[i] = ""
            dropped = True
    return out, dropped


def expenditure_column(region: Region, trace: ColumnTrace | None = None) -> int | None:
    """The column where the 支出 side of a two-sided positional summary table starts: the cell
    ``支出`` of the header line that prints both ``收入`` and ``支出`` (None when there is none)."""
    for line in region.lines:
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        if line.positional and "收入" in cells and "支出" in cells and cells.index("收入") < cells.index("支出"):
            if trace is not None:
                trace.say("支出", f"the expenditure side starts at cell {cells.index('支出')}, "
                                f"where the header prints 支出 (收入 at cell {cells.index('收入')})")
            return cells.index("支出")
    return None
