"""The project table (项目支出表): project name, implementing unit (where a column gives it) and
amount, without the budget-unit subtotal rows some templates print above their projects."""
from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import is_amount, parse_amount, to_wan
from ..records import ParsedDocument, ProjectRow
from .columns import ColumnTrace
from .regions import Region, header_text
from .rows import cells_to_row
from .table_info import add_table



def project_rows(parsed: ParsedDocument, region: Region, unit: str) -> list[ProjectRow]:
    """Project name, implementing unit (where a column gives it) and amount (合计)."""
    positional = any(l.positional for l in region.lines)
    numbers = _number_columns(region) if positional else set()
    coded = [r for r in (cells_to_row(_blank(l.cells, numbers), l.positional, False, l.page) for l in region.lines)
             if r is not None and r.code and r.name and r.values and r.values[0] is not None]
    if coded:
        return [ProjectRow(parsed.meta.document_id, r.name, None, to_wan(r.values[0], unit), r.page)
                for r in coded]
    has_unit = _has_unit_column(region)
    unit_first = _unit_first(region) if positional else None
    out: list[ProjectRow] = []
    started = False
    printed_total: Decimal | None = None
    header: set[str] = set()  # column header lines, repeated on continuation pages
    for line in region.lines:
        if line.positional != positional:
            continue
        cells = [c.strip() for c in line.cells] if positional else list(line.cells)
        cells = _blank(cells, numbers) if positional else cells
        texts = [c for c in cells if c and not is_amount(c)]
        amounts = [c for c in cells if c and is_amount(c)]
        compact = re.sub(r"\s+", "", line.text)
        if not started and not amounts:
            header.add(compact)
        if texts and not any(re.search(r"[\u4e00-\u9fffA-Za-z]", t) for t in texts):
            continue  # the column numbers under the header (杭州: ``** | ** | 1 | 2 | 3``)
        if compact in header or not texts or re.fullmatch(r"(合计|总计|项目名称.*)", re.sub(r"\s+", "", texts[-1])):
            if amounts and texts and re.fullmatch(r"合计|总计", re.sub(r"\s+", "", texts[-1])) and printed_total is None:
                printed_total = to_wan(parse_amount(amounts[0]), unit)
            started = started or bool(amounts)
            continue
        if amounts:
            started = True
            project = re.sub(r"\s+", "", texts[0])
            unit_name = re.sub(r"\s+", "", texts[1]) if has_unit and len(texts) > 1 else None
            if unit_first:  # 杭州: 单位名称 | 项目名称 | 总计 …
                unit_name, project = (_cell(cells, k) for k in unit_first)
                unit_name = unit_name or (out[-1].unit if out else None)
            if project in ("合计", "总计") or unit_name in ("合计",):
                continue
            out.append(ProjectRow(parsed.meta.document_id, project, unit_name,
                                  to_wan(parse_amount(amounts[0]), unit), line.page))
        elif started and out and positional:  # a name wrapped onto the next row
            prev = out[-1]
            project = prev.project + re.sub(r"\s+", "", texts[0])
            unit_name = (prev.unit or "") + re.sub(r"\s+", "", texts[1]) if len(texts) > 1 else prev.unit
            if unit_first:
                unit_name = (prev.unit or "") + _cell(cells, unit_first[0])
                project = prev.project + _cell(cells, unit_first[1])
            out[-1] = ProjectRow(prev.document_id, project, unit_name, prev.amount, prev.source_page)
    return drop_unit_subtotals(out, printed_total)


def _cell(cells: list[str], k: int) -> str:
    return re.sub(r"\s+", "", cells[k]) if k < len(cells) else ""


def _unit_first(region: Region) -> tuple[int, int] | None:
    """(unit, project) cell indexes of a positional table whose 单位名称 column comes before its
    项目名称 column (杭州 表10 p. 32: ``单位名称 | 项目名称 | 总计``), else None."""
    for line in region.lines[:12]:
        if not line.positional:
            continue
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        unit = next((i for i, c in enumerate(cells) if re.fullmatch(r"(预算|实施)?单位名称", c)), None)
        project = next((i for i, c in enumerate(cells) if c == "项目名称"), None)
        if unit is not None and project is not None:
            return (unit, project) if unit < project else None
    return None


_NUMBER_HEADER = re.compile(r"序号|行次|栏次|(?:预算)?单位编码")


_GLUED_AMOUNT = re.compile(r"([\u4e00-\u9fff]{1,3})(\d[\d,]*(?:\.\d+)?)")


def _blank(cells, columns: set[int]) -> list[str]:
    """The cells of a row with the whole numbers of the 序号 / 单位编码 columns blanked, and a name
    that overflows its column given back to it: 西安 气象局 2022 p. 27 prints ``气象灾害、…业务运维
    6540000`` read as ``气 | 象灾害、…业务运 | 维6540000`` (the first character in the 编码 column,
    the last one glued to the amount)."""
    cells = [c.strip() for c in cells]
    for i in sorted(columns):
        if i + 1 < len(cells) and re.search(r"[\u4e00-\u9fff]", cells[i]) and cells[i + 1] \
                and not is_amount(cells[i + 1]):
            cells[i], cells[i + 1] = "", cells[i] + cells[i + 1]
    for i in range(1, len(cells)):
        m = _GLUED_AMOUNT.fullmatch(cells[i])
        if m and cells[i - 1] and not is_amount(cells[i - 1]) \
                and not any(is_amount(c) for j, c in enumerate(cells) if j not in columns):
            cells[i - 1], cells[i] = cells[i - 1] + m.group(1), m.group(2)
    return [("" if i in columns and re.fullmatch(r"\d+", c) else c) for i, c in enumerate(cells)]


def _number_columns(region: Region) -> set[int]:
    """Cell indexes of a positional project table's 序号 and 编码 columns (西安: ``序号 | 单位编码 |
    单位（项目）名称 | 项目金额``): their whole numbers are no amounts."""
    for line in region.lines[:12]:
        if not line.positional:
            continue
        if any(is_amount(c) and "." in c for c in line.cells):
            break
        found = {i for i, c in enumerate(line.cells) if _NUMBER_HEADER.fullmatch(re.sub(r"\s+", "", c))}
        if found:
            return found
    return set()


_UNIT_COLUMN = re.compile(r"(项目|预算|实施|主管|二级预算)?单位(名称)?")


def _has_unit_column(region: Region) -> bool:
    """Does the project table have a column naming each project's unit (``项目单位``)?

    A positional table says so in a header cell of its own; ``支出项目类别（资金使用单位）``
    (深圳, 珠海) names the project column, whose unit rows are subtotals, and ``单位：万元`` /
    ``单位名称：…`` above the table are not columns.
    """
    if any(l.positional for l in region.lines):
        for line in region.lines[:12]:
            if line.positional and any(is_amount(c) and "." in c for c in line.cells):
                break
            if line.positional and any(_UNIT_COLUMN.fullmatch(re.sub(r"\s+", "", c)) for c in line.cells):
                return True
        return False
    header = re.sub(r"[（(][^（）()]*[)）]|(?:金额)?单位(?:名称)?[:：]\S*", "", header_text(region))
    return "单位" in header


def unit_subtotals(amounts: list[Decimal | None]) -> list[int]:
    """Indices of the rows that are subtotals of the rows under them, or ``[]``.

    深圳 and 珠海 print their project tables in two levels: a row per budget unit (预算单位,
    indented less than its projects) carrying the sum of the projects listed under it, then
    those projects. The level shows in the figures too: the table splits into consecutive
    groups, each a first row equal to the sum of the rows after it up to the next group. Such a
    split is accepted only if it covers every row and one group has at least two projects (a
    plain list of projects, where no row is the sum of the next ones, gives ``[]``). Zero
    amounts at a group's end go to the group (the longest group that still lets the rest split).
    Each project is rounded to the printed cent, so a subtotal may differ from the sum of its k
    projects by up to (k + 1) half cents (珠海: 58446.21 printed, 58446.22 added).
    """
    values = [a if a is not None else Decimal(0) for a in amounts]
    n = len(values)
    exponents = [v.as_tuple().exponent for v in values if v]
    half = Decimal(5) * Decimal(10) ** (max(exponents, default=-2) - 1)

    def split(start: int) -> list[tuple[int, int]] | None:
        if start == n:
            return []
        running = Decimal(0)
        ends = []
        for end in range(start + 1, n):
            running += values[end]
            slack = half * (end - start + 1)
            if abs(running - values[start]) <= slack:
                ends.append(end + 1)
            elif running > values[start] + slack and values[start] >= 0:
                break
        for end in reversed(ends):  # the longest group first
            rest = split(end)
            if rest is not None:
                return [(start, end)] + rest
        return None

    groups = split(0) if n >= 3 else None
    if not groups or all(end - start < 3 for start, end in groups):
        return []
    return [start for start, _ in groups]


#: how many readings of a row ``nested_subtotals`` may try before it gives up (a table whose rows
#: do not add up to its 合计 would otherwise be searched through every reading)
_SEARCH_STEPS = 20000


def nested_subtotals(amounts: list[Decimal | None], total: Decimal) -> list[int] | None:
    """Indices of the subtotal rows of a project list printed as a tree without indentation, or
    None when no reading fits: ``tree_reading`` taking every row the rows after it add up to as
    a subtotal, else, where that does not fit, trying such a row as a project too when the next
    row prints the same figure."""
    for alternatives in (False, True):
        try:
            found = tree_reading(amounts, total, alternatives)
        except RecursionError:  # too deep, or ``_SEARCH_STEPS`` spent
            continue
        if found is not None:
            return found
    return None


def tree_reading(amounts: list[Decimal | None], total: Decimal, alternatives: bool) -> list[int] | None:
    """Indices of the subtotal rows of a project list printed as a tree without indentation, or
    None when no reading fits (raises RecursionError when the search runs too long).

    西安 prints 部门 → 单位 → 通用项目 / 专用项目 → 项目类别 → 项目 in one column, each row the sum
    of the rows under it (``西安市统计局 25,139,100.00``, ``通用项目 8,580,600.00``, ``大型活动
    750,000.00``, ``统计业务培训 750,000.00`` …). The reading: the rows as a forest whose roots add
    up to the table's printed 合计 and in which every subtotal equals the sum of the trees right
    after it. A row the rows after it add up to is read as a subtotal, and with
    ``alternatives``, where the next row prints the same figure, also as a project; of readings
    that fit alike, the shallowest (the fewest rows under how many subtotals) is kept. None when
    none fits (a table whose projects do not add up to its 合计 keeps them all)."""
    values = [a if a is not None else Decimal(0) for a in amounts]
    n = len(values)
    trees: dict[int, dict[int, tuple[int, object]]] = {}
    budget = [_SEARCH_STEPS]
    # a reading is (depth, subtotal rows): depth adds up how many subtotals each row is under
    # (where readings tie, the shallower wins); the subtotal rows are kept as a tree of pairs,
    # flattened once at the end, for joining two readings costs nothing that way

    def tree(i: int) -> dict[int, tuple[int, object]]:
        """end → reading of the tree rooted at row i (a project, or a subtotal of the trees
        after it); it depends on i only, so is computed once."""
        if i not in trees:
            under = {j: (depth + j - i - 1, (i, heads))
                     for j, (depth, heads) in trees_adding_up(i + 1, values[i]).items()
                     if j > i + 1} if values[i] > 0 else {}
            # a row the rows after it add up to is a subtotal; where the next row prints the
            # same figure it may also be a project (购买服务 20.00 / 会计、审计服务 20.00 / 维修
            # 改造 20.00: a category over its only project, or two projects)
            leaf = not under or alternatives and i + 1 < n and values[i + 1] == values[i]
            trees[i] = under | {i + 1: (0, ())} if leaf else under
        return trees[i]

    def keep(found: dict, key, reading: tuple[int, object]) -> None:
        if key not in found or reading[0] < found[key][0]:
            found[key] = reading

    def trees_adding_up(i: int, target: Decimal) -> dict[int, tuple[int, object]]:
        """end → reading of rows i..end-1 as trees adding up to ``target``."""
        reached: dict[int, dict[Decimal, tuple[int, object]]] = {i: {Decimal(0): (0, ())}}
        out: dict[int, tuple[int, object]] = {}
        for p in range(i, n + 1):
            for added, (depth, heads) in reached.pop(p, {}).items():
                if added == target:
                    keep(out, p, (depth, heads))
                if p < n and added + values[p] <= target:
                    budget[0] -= 1
                    if budget[0] < 0:
                        raise RecursionError("the search for a reading runs too long")
                    for end, (more_depth, more) in tree(p).items():
                        keep(reached.setdefault(end, {}), added + values[p], (depth + more_depth, (heads, more)))
            if not reached:
                break
        return out

    if any(v < 0 for v in values):
        return None
    found = trees_adding_up(0, total)
    if n not in found:
        return None
    rows, stack = [], [found[n][1]]
    while stack:
        x = stack.pop()
        if isinstance(x, int):
            rows.append(x)
        else:
            stack.extend(x)
    return sorted(rows)


def drop_unit_subtotals(projects: list[ProjectRow], total: Decimal | None = None) -> list[ProjectRow]:
    """The projects of a table without its subtotal rows: budget-unit groups
    (``unit_subtotals``), or, where the projects left do not add up to the printed 合计, a tree
    that does (``nested_subtotals``). Each project takes the name of its unit's row as its
    ``unit`` where no column gave one (not in a tree, whose inner rows are not all units)."""
    amounts = [p.amount for p in projects]
    heads = set(unit_subtotals(amounts))
    nested = None
    if total is not None and sum((a or Decimal(0) for i, a in enumerate(amounts) if i not in heads),
                                 Decimal(0)) != total:
        nested = nested_subtotals(amounts, total)
    heads = set(nested) if nested is not None else heads
    out: list[ProjectRow] = []
    unit_name = None
    for i, p in enumerate(projects):
        if i in heads:
            unit_name = p.project if nested is None else None
            continue
        out.append(ProjectRow(p.document_id, p.project, p.unit or unit_name, p.amount, p.source_page, p.table))
    return out


def recognize_projects(parsed: ParsedDocument, region: Region, unit: str,
                       economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """A project table into ``parsed.projects``."""
    projects = project_rows(parsed, region, unit)
    parsed.projects.extend(projects)
    add_table(parsed, region, len(projects), unit)
