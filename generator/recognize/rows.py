"""The lines of a table region → ``Row`` records (code, name, values).

``region_to_rows`` joins names wrapped over several lines, codes split into 类/款/项 cells
(``fill_parent_codes`` where a row prints only its own level), side-by-side blocks of a
two-sided economic table, and drops page headers repeated on continuation pages;
``cells_to_row`` reads one row. ``merge_rows_by_code`` adds up the rows a table prints for one
code; ``assign_codes.rows_coded_by_name`` codes the rows of an economic table that prints names only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ..numbers import is_amount, is_blank, parse_amount
from ..records import Line
from ..vocabulary import ECONOMIC_TABLES, function_level
from .regions import Region

_ROWNO = re.compile(r"^(?:\d{1,2}|1\d\d)$")
_CODE_NAME = re.compile(r"^\[?(\d{3}|\d{5}|\d{7})\]?\s*[-－—:：]?\s*([\u4e00-\u9fa5（(“\"].*)$")
_SKIP = re.compile(r"^(栏次|序号|科目编码|功能分类科目|经济分类科目|项目|单位[:：]|金额单位)")
_TOTAL = re.compile(r"^(合计|总计|支出合计|收入合计|本年支出合计|本年收入合计)$")
#: a cell printed where a figure goes that no amount can be read from: ``1,2,3``, ``1e308``,
#: ``NaN``, ``12.3.4`` (read as empty, named in ``Row.unreadable``); a date (西安 采购时间 2019-04-12) is none
_UNREADABLE = re.compile(r"^(?!\d{4}-\d{1,2}-\d{1,2}$)[-+(]?(?:nan|inf(?:inity)?|[\d.,]*\d[\d.,eE+-]*)\)?$",
                         re.IGNORECASE)
#: an economic code joined to its name: 50101-工资奖金津补贴, 30101-基本工资, 3021101-差旅费 (北京: 7 digits)
_ECON_CELL = re.compile(r"^(5\d{4}|3\d{4}(?:\d{2})?)\s*[-－—]\s*([\u4e00-\u9fa5（(“\"].*)$")


@dataclass
class Row:
    code: str
    name: str
    values: list[Decimal | None]
    positional: bool
    page: int | None
    total: bool = False  # a 合计 / 总计 row
    undecided: bool = False  # lost its empty cells: which part the value is, is open
    year: int | None = None  # a row labelled with a year (深圳 "三公": 2025年 / 2026年)
    # economic-classification cells printed beside the row's own code (北京 prints function ×
    # 政府经济分类 × 部门经济分类 per row: ``2101501-行政运行 | 50101-工资奖金津补贴 | 30101-基本工资``)
    detail: tuple[str, ...] = ()
    unlabelled: bool = False  # figures under a 合计 heading, with no label of their own
    unreadable: tuple[str, ...] = ()  # cells where a figure goes that are no amount, read as empty
    #: cells the row printed (empty ones too): fewer than the table's other rows where a
    #: continuation page drops an empty column (``columns.place_narrow_pages``)
    width: int = 0

    @property
    def level(self) -> str:
        return function_level(self.code)


def _valid_code(code: str, economic: bool) -> bool:
    if len(code) not in (3, 5, 7):
        return False
    if economic:  # 部门经济分类 extends some 款 to 7 digits (西安 3010201 津贴补贴 under 30102)
        return code[0] in "35" and len(code) in (3, 5) or code[0] == "3" and len(code) == 7
    return code[0] == "2"


def _split_code_cells(cells: list[str]) -> list[str]:
    out: list[str] = []
    for c in cells:
        if re.fullmatch(r"\d+(?:\s+\d+)+", c.strip()):
            out.extend(c.split())
        else:
            out.append(c.strip())
    return out


def cells_to_row(cells: list[str], positional: bool, economic: bool, page: int | None) -> Row | None:
    """Split one row's cells into code, name and values (None: not a data row)."""
    width = len(cells)
    cells = _split_name_amount(_split_code_cells(list(cells)))
    if economic:
        cells = _join_second_code(cells)
    code, i = _read_code(cells, economic)
    name, detail, i = _read_name(cells, i, code, positional)
    if economic and detail:
        code, name, detail = _department_economic(code, name, detail)
    if economic and len(code) == 7:  # a 部门经济分类 sub-item counts under its 款
        code, detail = code[:5], [f"{code}-{name}", *detail]
    values = _read_values(cells[i:], name, positional)
    if values is None:
        return None  # prose with numbers
    if not code and not name and not values:
        return None
    unreadable = tuple(c for c in cells[i:] if _UNREADABLE.match(c.strip()) and not is_amount(c))
    return Row(code, name, values, positional, page, bool(_TOTAL.match(name)), detail=tuple(detail),
               unreadable=unreadable, width=width)


_NAME_AMOUNT = re.compile(r"^([\u4e00-\u9fa5（）()、]+)(-?\d[\d,]*(?:\.\d+)?)$")


def _split_name_amount(cells: list[str]) -> list[str]:
    """A name that runs over into the first figure's cell (西安: ``机关事业单位职业年金 |
    缴费支出43608.96 | 43608.96 | 0``): the cell after the name, before the other figures, is
    split into the name's tail and the figure."""
    for j in range(1, len(cells) - 1):
        m = _NAME_AMOUNT.match(cells[j].strip())
        if m is None or not cells[j - 1].strip() or is_amount(cells[j - 1]):
            continue
        nxt = _skip_blank(cells, j + 1)
        if nxt < len(cells) and is_amount(cells[nxt]):
            return cells[:j] + [m.group(1), m.group(2)] + cells[j + 1:]
        return cells
    return cells


def _join_second_code(cells: list[str]) -> list[str]:
    """A row that prints both economic classifications in cells of their own (西安:
    ``30101 | 基本工资 | 50501 | 工资福利支出 | 347.14 …``, headed 部门经济科目编码 | 名称 | 政府经济
    科目编码 | 名称): the second code and its name are joined into one cell (``50501-工资福利支出``),
    which ``_read_name`` keeps as the row's detail, not as its name or a figure. Only a code
    after the row's own code and name and before its first figure is joined."""
    out = list(cells)
    named = False
    j = _skip_blank(out, 0)
    if j < len(out) and _ROWNO.match(out[j].strip()):
        j = _skip_blank(out, j + 1)  # 序号
    if j < len(out) and re.fullmatch(r"[35]\d{2}(?:\d{2}(?:\d{2})?)?", out[j].strip()):
        j += 1
    while j < len(out):
        cell = _untangle_code(out, j)
        nxt = _skip_blank(out, j + 1)
        if named and re.fullmatch(r"[35]\d{4}(?:\d{2})?", cell) and nxt < len(out) \
                and not is_amount(out[nxt]) and re.match(r"[\u4e00-\u9fa5（(]", out[nxt].strip()):
            out[j:nxt + 1] = [f"{cell}-{out[nxt].strip()}"]
            break
        if cell and is_amount(cell):
            break
        named = named or bool(cell)
        j += 1
    return out


def _untangle_code(cells: list[str], j: int) -> str:
    """Cell ``j`` stripped; where the name before it ran over into the code column, the two
    interleave (西安: ``机关事业单位基本养老保 | 险50缴5费01``): the digits are the code, the
    characters go back to the name."""
    cell = cells[j].strip()
    digits = re.sub(r"\D", "", cell)
    if j > 0 and cells[j - 1].strip() and re.fullmatch(r"[\d\u4e00-\u9fa5]+", cell) \
            and re.fullmatch(r"[35]\d{4}", digits) and digits != cell and not cell.startswith(digits):
        cells[j - 1] = cells[j - 1].strip() + re.sub(r"\d", "", cell)
        cells[j] = cell = digits
    return cell


def _skip_blank(cells: list[str], j: int) -> int:
    while j < len(cells) and not cells[j]:
        j += 1
    return j


def _read_code(cells: list[str], economic: bool) -> tuple[str, int]:
    """The classification code at the start of a row (after a row number), and the index of the
    cell after it. A code joined to its name (``30201 办公费``) leaves the name in its cell."""
    n = len(cells)
    i = _skip_blank(cells, 0)
    if i < n and _ROWNO.match(cells[i]) and i + 1 < n:
        nxt = cells[_skip_blank(cells, i + 1)] if _skip_blank(cells, i + 1) < n else ""
        if nxt and not is_amount(nxt) or re.fullmatch(r"\d{3,7}", nxt or ""):
            i = _skip_blank(cells, i + 1)
    code = ""
    # codes split into 类/款/项 cells: 208 | 05 | 05; a level printed without its leading zero is padded
    # (301 | 2 | 津贴补贴 is 30102, not a second 301 row that the class would count twice)
    if i < n and re.fullmatch(r"\d{3}", cells[i]) and _valid_code(cells[i], economic):
        code = cells[i]
        i = _skip_blank(cells, i + 1)
        while i < n and len(code) < 7 and (re.fullmatch(r"\d{2}", cells[i]) or re.fullmatch(r"\d", cells[i])
                                           and re.match(r"\d{1,2}(?![\d.])|[\u4e00-\u9fa5]", "".join(cells[i + 1:]))):
            code += cells[i].zfill(2)
            i = _skip_blank(cells, i + 1)
    elif i < n and re.fullmatch(r"\d{5}|\d{7}", cells[i]) and _valid_code(cells[i], economic):
        code = cells[i]
        i = _skip_blank(cells, i + 1)
    elif (i < n and not economic and re.fullmatch(r"2\d{5}", cells[i]) and i + 1 < n
          and cells[i + 1] and not is_amount(cells[i + 1])):
        code = cells[i]  # a 项 code with its last digit cut off (201999): verify repairs it
        i = _skip_blank(cells, i + 1)
    # a longer code that extends the joined one (302 01 | 30201 办公费), or a unit code to skip
    while i < n and re.match(r"^\[?\d", cells[i]):
        m = _CODE_NAME.match(cells[i])
        digits = re.fullmatch(r"\d+", cells[i])
        if m and _valid_code(m.group(1), economic) and (not code or m.group(1).startswith(code[:3])):
            code, cells[i] = m.group(1), m.group(2)
            break
        if digits and code and "." not in cells[i]:
            i = _skip_blank(cells, i + 1)  # 单位代码 such as 320001
            continue
        if digits and _valid_code(cells[i], economic) and (not code or cells[i].startswith(code)):
            code = cells[i]
            i = _skip_blank(cells, i + 1)
            continue
        break
    if i < n and not code:
        m = _CODE_NAME.match(cells[i])
        if m and _valid_code(m.group(1), economic):
            code, cells[i] = m.group(1), m.group(2)
    return code, i


def _read_name(cells: list[str], i: int, code: str, positional: bool) -> tuple[str, list[str], int]:
    """The name from cell ``i`` up to the first amount, the economic-classification cells printed
    beside it (``detail``), and the index of the first cell after the name."""
    n = len(cells)
    name_parts: list[str] = []
    detail: list[str] = []
    while i < n and (not cells[i] or not is_amount(cells[i])):
        if (name_parts or code) and _UNREADABLE.match(cells[i].strip()):
            break  # where the figures start, though this one cannot be read
        if cells[i] and (name_parts or code) and _ECON_CELL.match(cells[i].strip()):
            detail.append(re.sub(r"\s+", "", cells[i]))
        elif cells[i]:
            name_parts.append(cells[i])
        elif name_parts and positional:
            i += 1
            break
        i += 1
    return re.sub(r"\s+", "", "".join(name_parts)), detail, i


def _read_values(rest: list[str], name: str, positional: bool) -> list[Decimal | None] | None:
    """The figures after the name: one per cell of a positional row (an empty cell is None),
    else the amounts in order; None when a non-positional row goes on with prose."""
    if positional:
        while rest and is_blank(rest[0]) and not name:
            rest = rest[1:]
        while rest and not rest[0]:
            rest = rest[1:]
        values = [_amount_or_none(c) for c in rest]
        while values and values[-1] is None:
            values.pop()
        return values
    if any(not is_amount(c) and not is_blank(c) and not _UNREADABLE.match(c) for c in rest):
        return None
    # a placeholder (-, —, /) or an unreadable figure holds its column: an empty figure there
    values = [_amount_or_none(c) for c in rest]
    while values and values[-1] is None:
        values.pop()
    return values


def _department_economic(code: str, name: str, detail: list[str]) -> tuple[str, str, list[str]]:
    """A row of a basic-spending table printed as 政府支出经济分类 | 部门支出经济分类
    (``50101-工资奖金津补贴 | 30101-基本工资``) is keyed by its 部门经济分类 款 (30101); the
    政府经济分类 cell is kept as detail. 北京's 7-digit 部门 codes (``3021101-差旅费``) are
    sub-items of a 款 (30211 差旅费) and count under it."""
    dept = [_ECON_CELL.match(c) for c in detail]
    dept = [m for m in dept if m and m.group(1).startswith("3")]
    if not code.startswith("5") or len(dept) != 1:
        return code, name, detail
    m = dept[0]
    government = f"{code}-{name}"
    return m.group(1)[:5], m.group(2), [government, m.group(0)]


def _amount_or_none(cell: str) -> Decimal | None:
    try:
        return parse_amount(cell)
    except ValueError:
        return None


@dataclass
class _Reading:
    """What ``region_to_rows`` knows while it reads a region's lines, top to bottom."""

    totals_only: bool
    rows: list[Row] = field(default_factory=list)
    header: set[str] = field(default_factory=set)  # header lines, repeated on continuation pages
    pending: Row | None = None  # a coded row still waiting for its figures
    last: Row | None = None
    seen_data: bool = False
    total_heading: bool = False  # a header cell 合计 heads the first column of figures
    unlabelled: Row | None = None  # figures under that heading, without a label

    def flush(self) -> None:
        """The pending row is complete: append it."""
        self.rows.append(self.pending)
        self.last, self.pending = self.pending, None

    def finish(self) -> list[Row]:
        if self.pending is not None:
            self.rows.append(self.pending)
        if self.unlabelled is not None and not any(r.code for r in self.rows):
            self.unlabelled.name, self.unlabelled.total, self.unlabelled.unlabelled = "合计", True, True
            self.rows.insert(0, self.unlabelled)
        return self.rows


def region_to_rows(region: Region, economic: bool = False, totals_only: bool = False) -> list[Row]:
    """Rows of a coded table (function or economic classification), with wrapped names joined.

    ``totals_only``: a table without classification rows may print just its figures under a
    合计 heading (北京's 收入总表: 合计 | 本年收入 | 上年结转结余); that row becomes its 合计 row."""
    state = _Reading(totals_only)
    code_cells = code_columns(region)
    unit_cells = unit_code_columns(region)
    numbered = any(re.sub(r"\s+", "", c) in ("序号", "行次", "栏次") for line in region.lines[:12] for c in line.cells)
    for line in region.lines:
        compact = re.sub(r"\s+", "", line.text)
        if compact in state.header and state.seen_data:
            continue  # page header repeated on a continuation page
        cells = list(line.cells)
        if unit_cells and line.positional:
            cells = [("" if k in unit_cells and re.fullmatch(r"\d+", c.strip()) else c) for k, c in enumerate(cells)]
        if not economic and not numbered and code_cells is None and line.positional:
            cells = _section_code(cells, next((r.code for r in reversed(state.rows) if r.code), ""))
        if code_cells is not None and line.positional:
            last_code = next((r.code for r in reversed(state.rows) if r.code), "")
            cells = fill_parent_codes(cells, code_cells, last_code)
        if _SKIP.match(compact) or re.fullmatch(r"[\d*\s]+", line.text) and not state.seen_data:
            state.header.add(compact)
            continue
        if economic and labelled_totals([line]):
            continue  # 人员经费合计 … 公用经费合计 …: read by labelled_totals, not a row of codes
        cells = _take_name_tail(state, cells, economic)
        for block in _blocks(cells, line.positional, economic):
            row = cells_to_row(block, line.positional, economic, line.page)
            if not _heading_row(state, row, line, compact):
                _take_row(state, row, line, compact)
    return state.finish()


#: the wrapped tail of the last row's name run into the next row's code cell (北京 应急管理局
#: p. 3: ``2120399-其他城乡社区公共设施`` then ``支出2120803-城市建设支出``)
_TAIL_THEN_CODE = re.compile(r"^([\u4e00-\u9fa5（）()]{1,8})((\d{3}|\d{5}|\d{7})\s*[-－—]\s*[\u4e00-\u9fa5].*)$")


def _take_name_tail(state: _Reading, cells: list[str], economic: bool) -> list[str]:
    """A row whose first cell starts with characters before its ``code-name`` gives them back to
    the name of the row above (its wrapped tail): ``支出2120803-城市建设支出`` → 2120803
    城市建设支出, and the row above 其他城乡社区公共设施 + 支出."""
    j = _skip_blank(cells, 0)
    m = _TAIL_THEN_CODE.match(cells[j].strip()) if j < len(cells) else None
    if m is None or state.last is None or not state.last.code or state.pending is not None \
            or not _valid_code(m.group(3), economic):
        return cells
    state.last.name += m.group(1)
    return cells[:j] + [m.group(2)] + cells[j + 1:]


def _heading_row(state: _Reading, row: Row | None, line: Line, compact: str) -> bool:
    """Is ``row`` part of the header (or figures under a 合计 heading, kept aside)? Notes it."""
    if row is None:
        if not state.seen_data:
            state.header.add(compact)
        return True
    if row.total and not row.values and not row.code:
        if not state.seen_data:
            state.header.add(compact)  # a 合计 column heading, not the 合计 row
            state.total_heading = True
        return True
    if not state.seen_data and row.values == [] and line.positional \
            and next((c.strip() for c in line.cells if c.strip()), "") == "合计":
        state.total_heading = True  # 合计 | 本年收入 | 上年结转结余: headings over the figures
    if state.total_heading and not state.seen_data and not row.code and not row.name and row.values \
            and state.pending is None and line.positional and state.unlabelled is None \
            and state.totals_only:
        state.unlabelled = row  # kept by ``finish`` if the table has no classification rows
        return True
    return False


def _take_row(state: _Reading, row: Row, line: Line, compact: str) -> None:
    """A data row: a coded or total row, a wrapped name, or the figures of the pending row."""
    if row.code or row.total:
        if state.pending is not None:
            state.flush()
        state.seen_data = True
        if row.values:
            state.rows.append(row)
            state.last = row
        else:
            state.pending = row
    elif row.name and not row.values:
        if not state.seen_data:
            state.header.add(compact)
        elif state.pending is not None:
            state.pending.name += row.name
        elif state.last is not None and _is_fragment(row.name) and line.positional == state.last.positional:
            state.last.name += row.name
    elif row.values and not row.name:
        if state.pending is not None:
            state.pending.values = row.values
            state.flush()
    elif row.values and row.name and not state.seen_data and _is_unit_name(row.name):
        row.total = True  # 深圳 prints the budget unit's row in place of 合计
        state.rows.append(row)
        state.seen_data = True
    elif row.values and row.name and state.pending is not None:
        state.pending.name += row.name
        state.pending.values = row.values
        state.flush()


def code_columns(region: Region) -> tuple[int, int] | None:
    """(first index, count) of the 类 | 款 | 项 cells of a header that prints the code in one
    cell per level (长沙: ``类 | 款 | 项 | 功能科目 | 合计 …``); None for any other header."""
    for line in region.lines[:12]:
        if not line.positional:
            continue
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        for start in range(len(cells) - 1):
            if cells[start] == "类" and cells[start + 1] == "款":
                count = 3 if start + 2 < len(cells) and cells[start + 2] == "项" else 2
                return start, count
    return None


def _section_code(cells: list[str], last_code: str) -> list[str]:
    """A 款 row that prints only its own two digits in the code column (西安: ``201 一般公共服务
    支出`` then ``10 人力资源事务``, then ``2011007 博士后日常经费``) gets its 类 from the last
    coded row: ``20110``. Only in a table without a 序号 column, where two digits first in a
    row cannot be a row number."""
    j = _skip_blank(cells, 0)
    if j >= len(cells) - 1 or not re.fullmatch(r"\d{2}", cells[j].strip()) or len(last_code) < 3 \
            or not last_code.startswith("2"):
        return cells
    nxt = cells[_skip_blank(cells, j + 1)] if _skip_blank(cells, j + 1) < len(cells) else ""
    if not nxt or is_amount(nxt):
        return cells
    out = list(cells)
    out[j] = last_code[:3] + cells[j].strip()
    return out


def unit_code_columns(region: Region) -> set[int]:
    """Cell indexes of a 单位编码 column (西安's 收入总表 / 支出总表 list budget units: ``242001 |
    西安市社会保险管理中心 | …``, the department itself as ``251``). A unit code is no
    classification code, however many digits it has: its cells are read as empty."""
    out: set[int] = set()
    for line in region.lines[:12]:
        if not line.positional:
            continue
        if any(is_amount(c) and "." in c for c in line.cells):
            break
        out.update(k for k, c in enumerate(line.cells) if re.sub(r"\s+", "", c) in ("单位编码", "单位代码"))
    return out


def fill_parent_codes(cells: list[str], code_cells: tuple[int, int], last_code: str) -> list[str]:
    """The code cells of a row that prints only its own level (长沙's 款 row ``| 40 | | 信访事务``,
    its 类 201 printed on the row above) get the levels above from the last coded row:
    ``201 | 40 | | 信访事务``. Rows whose code cells are complete or empty are returned as they are,
    headings 类 | 款 | 项 before figures blanked (普陀财政局 p. 8: ``类 | 款 | 项 | 合计 | 2,946.25``)."""
    start, count = code_cells
    head = [c.strip() for c in cells[start:start + count]]
    if head == ["类", "款", "项"][:count] and any(is_amount(c) for c in cells):  # the 合计 row
        return cells[:start] + [""] * count + cells[start + count:]
    if len(head) < 2 or head[0] or not any(head):
        return cells
    first = next(k for k, c in enumerate(head) if c)
    if not all(re.fullmatch(r"\d{2}", c) for c in head[first:] if c) or any(not c for c in head[first:first + 1]):
        return cells
    prefix_len = 3 + 2 * (first - 1)  # the 类 above a 款 cell; 类 and 款 above a 项 cell
    if len(last_code) < prefix_len or not last_code.isdigit():
        return cells
    filled = [*cells[:start], last_code[:3], *cells[start + 1:]]
    if first == 2:
        filled[start + 1] = last_code[3:5]
    return filled


_LABELLED_TOTAL = re.compile(r"^(人员经费|公用经费)(合计)?$")


def labelled_totals(lines: list[Line]) -> dict[str, tuple[Decimal, int | None]]:
    """The sums a two-sided economic table prints under its sides: ``人员经费合计 | 2,152.26 |
    公用经费合计 | 184.65`` → {"personnel": (2152.26, page), "public": (184.65, page)}. A label
    counts only when an amount follows it on the same line, before the next label."""
    out: dict[str, tuple[Decimal, int | None]] = {}
    for line in lines:
        if not line.positional:
            continue
        key = None
        for cell in line.cells:
            text = re.sub(r"\s+", "", cell)
            m = _LABELLED_TOTAL.match(text)
            if m:
                key = "personnel" if m.group(1) == "人员经费" else "public"
            elif key and is_amount(cell):
                out.setdefault(key, (parse_amount(cell), line.page))
                key = None
            elif text:
                key = None
    return out


def economic_codes_by_name(regions: list[Region]) -> dict[str, str]:
    """Printed name → economic code, from the rows of a document's coded economic tables
    (深圳: ``30101 基本工资`` in 一般公共预算支出表（按经济分类）). A name printed with two codes
    is left out."""
    found: dict[str, set[str]] = {}
    for region in regions:
        if region.table in ECONOMIC_TABLES:
            for r in region_to_rows(region, economic=True):
                if len(r.code) in (3, 5) and r.name:
                    found.setdefault(r.name, set()).add(r.code)
    return {name: codes.pop() for name, codes in found.items() if len(codes) == 1}


def _is_fragment(name: str) -> bool:
    return len(name) <= 12 and not re.search(r"[:：。；]|单位|年度|万元|^表\d|\d+表$", name)


def _is_unit_name(name: str) -> bool:
    return bool(re.search(r"(局|院|委|办公室|中心|本级)[)）]?$", name)) and len(name) <= 30


def _blocks(cells: list[str], positional: bool, economic: bool) -> list[list[str]]:
    """Split side-by-side blocks (``301 工资福利支出 74.82 | 302 商品和服务支出 26.98``), also
    where each block prints its code in 类 | 款 cells (``301 | 01 | 基本工资 | 262.33 | 302 | 01 |
    办公费 | 21.21``; a 类 row leaves the 款 cell empty)."""
    if not (positional and economic):
        return [cells]
    starts: list[int] = []
    for i in range(len(cells)):
        # a code of the other classification (5xxxx after 3xxxx) before the previous block's
        # figures is that block's second code (西安's 部门 | 政府 economic codes), not a new block
        if _block_start(cells, i) and (not starts or cells[i].strip()[0] == cells[starts[-1]].strip()[0]
                                       or any(is_amount(c) for c in cells[starts[-1] + 1:i])):
            starts.append(i)
    if len(starts) < 2:
        return [cells]
    bounds = starts + [len(cells)]
    head = [cells[: starts[0]]] if any(c.strip() for c in cells[: starts[0]]) else []
    return head + [cells[a:b] for a, b in zip(bounds, bounds[1:])]


def _block_start(cells: list[str], i: int) -> bool:
    """Does an economic code block start at cell ``i``: a 类 or 款 code followed by its name,
    or a 类 code, then a 款 cell (two digits, or empty on a 类 row), then the name?"""
    code = cells[i].strip()
    if not (re.fullmatch(r"\d{3}|\d{5}", code) and _valid_code(code, True)):
        return False
    def is_name(j: int) -> bool:  # noqa: E306
        return j < len(cells) and bool(cells[j].strip()) and not is_amount(cells[j])
    if is_name(i + 1):
        return True
    return len(code) == 3 and i + 1 < len(cells) and re.fullmatch(r"(\d{2})?", cells[i + 1].strip()) is not None \
        and is_name(i + 2)


def merge_rows_by_code(rows: list[Row]) -> list[Row]:
    """One row per code where a table prints a code on several rows.

    北京's 支出总表 prints one row per function × economic class (``2101501-行政运行 |
    50101-工资奖金津补贴 | 30101-基本工资 | 1,184.986800 …``) and no plain 2101501 row, and its
    一般公共预算支出表 prints each budget unit's rows one after another without a unit column
    (2101501 行政运行 4,247.250789, …, 2101501 行政运行 5,224.805319). The rows of such a code
    are parts of it, and are added up column by column into one row (at the first one's place
    and page). Where the table also prints the code on a plain row (no economic detail), that
    row carries the code's figures and its detail rows are left out. A code whose rows are all
    identical is a table printed twice: left to ``drop_repeated_rows``.
    """
    by_code: dict[str, list[Row]] = {}
    for r in rows:
        if r.code and not r.total:
            by_code.setdefault(r.code, []).append(r)
    merged: dict[str, Row] = {}
    for code, group in by_code.items():
        if len(group) < 2 or all(_same_row(g, group[0]) for g in group[1:]):
            continue
        plain = [g for g in group if not g.detail]
        parts = plain if plain else group
        merged[code] = _sum_rows(parts) if len(parts) > 1 else parts[0]
    if not merged:
        return rows
    out: list[Row] = []
    for r in rows:
        if r.code in merged and not r.total:
            if merged[r.code] is not None:
                out.append(merged[r.code])
                merged[r.code] = None
            continue
        out.append(r)
    return out


def _same_row(a: Row, b: Row) -> bool:
    return (a.code, a.name, a.values, a.detail) == (b.code, b.name, b.values, b.detail)


def _sum_rows(parts: list[Row]) -> Row:
    """The column-wise sum of rows of one code (an empty cell in every part stays empty)."""
    width = max(len(p.values) for p in parts)
    values: list[Decimal | None] = []
    for k in range(width):
        cells = [p.values[k] for p in parts if k < len(p.values) and p.values[k] is not None]
        values.append(sum(cells, Decimal(0)) if cells else None)
    return Row(parts[0].code, parts[0].name, values, parts[0].positional, parts[0].page,
               undecided=any(p.undecided for p in parts), width=min(p.width for p in parts))

