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
    coded = [r for r in (cells_to_row(list(l.cells), l.positional, False, l.page) for l in region.lines)
             if r is not None and r.code and r.name and r.values and r.values[0] is not None]
    if coded:
        return [ProjectRow(parsed.meta.document_id, r.name, None, to_wan(r.values[0], unit), r.page)
                for r in coded]
    has_unit = _has_unit_column(region)
    out: list[ProjectRow] = []
    started = False
    header: set[str] = set()  # column header lines, repeated on continuation pages
    for line in region.lines:
        if line.positional != positional:
            continue
        cells = [c.strip() for c in line.cells] if positional else list(line.cells)
        texts = [c for c in cells if c and not is_amount(c)]
        amounts = [c for c in cells if c and is_amount(c)]
        compact = re.sub(r"\s+", "", line.text)
        if not started and not amounts:
            header.add(compact)
        if compact in header or not texts or re.fullmatch(r"(合计|总计|项目名称.*)", re.sub(r"\s+", "", texts[-1])):
            started = started or bool(amounts)
            continue
        if amounts:
            started = True
            project = re.sub(r"\s+", "", texts[0])
            unit_name = re.sub(r"\s+", "", texts[1]) if has_unit and len(texts) > 1 else None
            if project in ("合计", "总计") or unit_name in ("合计",):
                continue
            out.append(ProjectRow(parsed.meta.document_id, project, unit_name,
                                  to_wan(parse_amount(amounts[0]), unit), line.page))
        elif started and out and positional:  # a name wrapped onto the next row
            prev = out[-1]
            project = prev.project + re.sub(r"\s+", "", texts[0])
            unit_name = (prev.unit or "") + re.sub(r"\s+", "", texts[1]) if len(texts) > 1 else prev.unit
            out[-1] = ProjectRow(prev.document_id, project, unit_name, prev.amount, prev.source_page)
    return drop_unit_subtotals(out)


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


def drop_unit_subtotals(projects: list[ProjectRow]) -> list[ProjectRow]:
    """The projects of a table without its budget-unit subtotal rows (``unit_subtotals``); each
    project takes the name of its unit's row as its ``unit`` where no column gave one."""
    heads = set(unit_subtotals([p.amount for p in projects]))
    out: list[ProjectRow] = []
    unit_name = None
    for i, p in enumerate(projects):
        if i in heads:
            unit_name = p.project
            continue
        out.append(ProjectRow(p.document_id, p.project, p.unit or unit_name, p.amount, p.source_page, p.table))
    return out


def recognize_projects(parsed: ParsedDocument, region: Region, unit: str,
                       economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """A project table into ``parsed.projects``."""
    projects = project_rows(parsed, region, unit)
    parsed.projects.extend(projects)
    add_table(parsed, region, len(projects), unit)
