"""Recognize the performance-target tables (绩效目标表 / 绩效自评表) of one region.

Two things come out of a region:

* one ``ProjectRow`` (``table="performance_targets"``) per project table that states its
  annual funds (``年度资金总额``, or ``预算数``; else ``其中:财政拨款`` + ``其他资金``) — the
  checks add them up against the project spending of the expenditure tables;
* one ``PerformanceTarget`` per indicator row: 一级指标 / 二级指标 / 三级指标 and 指标值,
  levels carried down over the merged cells that print them only once.

Templates differ (a key-value block per project, 凤县 and 宿州; one wide row per indicator,
乐山; text split on spaces, 望都), so levels are found by their words (产出指标, 数量指标 …),
and the target's column by its offset from the indicator in the header row.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import is_amount, parse_amount, to_wan
from ..records import ParsedDocument, PerformanceTarget, ProjectRow
from .columns import ColumnTrace
from .regions import Region
from .table_info import add_table

LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2 = re.compile(r"^(数量|质量|时效|成本|经济成本|社会成本|生态环境成本|经济效益|社会效益|生态效益|"
                    r"可持续影响|服务对象满意度|满意度)指标$")
_HEADER = re.compile(r"^一级指标$")
_INDICATOR_HEAD = re.compile(r"^(三级指标|指标内容|指标名称|绩效指标描述)$")
_TARGET_HEAD = re.compile(r"^(指标值|年度指标值|目标值)")
_ACTUAL_HEAD = re.compile(r"^(实际完成值|实际值|实际指标值|全年实际值|字际指标值)")  # 字际: OCR of 实际 (互助)
_NATURE_HEAD = re.compile(r"^指标性质$")
_UNIT_HEAD = re.compile(r"^(度量单位|计量单位)$")
# 北京 预算14表: 转移支付名称 | … | 市级主管部门; 西安: 专项（项目）名称 | … | 其他履职经费
_PROJECT = re.compile(r"^(项目|转移支付|专项[（(]项目[)）])名称$")
# 重庆 市级重点专项资金绩效目标表: 项目名称 | … | 当年预算 | 46,794.00 (市级支出 + 补助区县)
_FUNDS = re.compile(r"年度资金总额?|^预算数$|^当年预算$")
_FISCAL = re.compile(r"其中[:：]?(当年)?财政(拨款|资金)?")
_OTHER = re.compile(r"^其他资金$")
_WIDE_PROJECT = re.compile(r"^\d{2,}[0-9A-Z]{6,}-\S")
_LEVEL_WORD = re.compile(r"(数量|质量|时效|成本|效益|满意度)指标")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _compact(cell: str) -> str:
    return re.sub(r"\s+", "", cell or "")


class _Project:
    def __init__(self, name: str, page: int | None):
        self.name = name
        self.page = page
        self.funds: Decimal | None = None
        self.fiscal: Decimal | None = None
        self.other: Decimal | None = None
        self.targets = 0

    def amount(self) -> Decimal | None:
        if self.funds is not None:
            return self.funds
        if self.fiscal is not None:
            return self.fiscal + (self.other or 0)
        return None


_WAN = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*万元")


def _amount_after(cells: list[str], i: int, unit: str = "万元") -> Decimal | None:
    """The first amount right of cell ``i``, in the table's ``unit``; a cell may state its own
    unit (西安 自然资源 2022 p. 93: ``其中：财政拨款 | 337700.89万元``)."""
    for c in cells[i + 1:]:
        if is_amount(c):
            return parse_amount(c)
        m = _WAN.fullmatch(c.strip())
        if m:
            v = parse_amount(m.group(1))
            return v * 10000 if v is not None and unit == "元" else v
        if _CJK.search(c):
            return None
    return None


def _project_name(cells: list[str], i: int) -> str | None:
    for c in cells[i + 1:]:
        c = _compact(c)
        if c and _CJK.search(c) and not _PROJECT.match(c):
            return c
    return None


class _Header:
    """Offsets of the target (and its nature / unit) from the indicator column."""

    def __init__(self, cells: list[str]):
        compact = [_compact(c) for c in cells]
        ind = next((i for i, c in enumerate(compact) if _INDICATOR_HEAD.match(c)), None)
        tgt = next((i for i, c in enumerate(compact) if _TARGET_HEAD.match(c)), None)
        nat = next((i for i, c in enumerate(compact) if _NATURE_HEAD.match(c)), None)
        unit = next((i for i, c in enumerate(compact) if _UNIT_HEAD.match(c)), None)
        act = next((i for i, c in enumerate(compact) if _ACTUAL_HEAD.match(c)), None)
        base = ind if ind is not None else 0
        self.indicator = base
        self.target = (tgt - base) if tgt is not None and tgt > base else 1
        self.nature = (nat - base) if nat is not None and nat > base else None
        self.unit = (unit - base) if unit is not None and unit > base else None
        self.actual = (act - base) if act is not None and act > base else None


def _opens_level1(compact: list[str], i: int, levels: list[int], level1: str | None) -> bool:
    """Whether the level word at ``i`` is a 一级指标. 成本指标 is both: a 一级指标 in newer
    templates, a 二级指标 under 产出指标 in older ones (凤县), where it stands alone in the
    二级 column (its left cell empty) while another 一级指标 is open."""
    word = compact[i]
    if word not in LEVEL1:
        return False
    as_level2 = (word == "成本指标" and level1 not in (None, "成本指标") and i == levels[-1]
                 and i > 0 and not compact[i - 1])
    return not as_level2


def _right_of(compact: list[str], i: int, offset: int | None) -> str:
    """The cell ``offset`` columns right of column ``i``, or '' (no such column)."""
    j = i + offset if offset is not None else -1
    return compact[j] if 0 <= j < len(compact) else ""


_GLUED = re.compile(r"^(产出指标|效益指标|满意度指标|成本指标)((?:数量|质量|时效|成本|经济成本|社会成本|"
                    r"生态环境成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|满意度)指标)(\S+)$")


def _glued_header(compact: list[str]) -> bool:
    """The header of a 部门整体支出绩效目标表 that prints the levels inside the indicator cell
    (北京: 活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位)."""
    return "绩效指标" in compact and any(_TARGET_HEAD.match(c) for c in compact)


def _split_glued_levels(compact: list[str]) -> list[str]:
    """``产出指标数量指标参保人参保意愿调查样本`` → 产出指标 | 数量指标 | 参保人参保意愿调查样本, in place
    of that one cell (the cells to its right keep their offsets from the indicator)."""
    for i, c in enumerate(compact):
        m = _GLUED.match(c)
        if m:
            return compact[:i] + [m.group(1), m.group(2)] + [m.group(3)] + compact[i + 1:]
    return compact


_CLASSIFIED_LEFT_OUT = re.compile(r"剔除涉密|涉密(部分|项目|内容)?(已|不予)?(剔除|不公开|未公开)")
_NAME_HEAD = re.compile(r"^(单位[（(]项目[)）]|项目)名称$")
_FUNDS_HEAD = re.compile(r"^(年度)?资金总额|^预算数$|预算金额$|^金额$")


def _flat_header(compact: list[str]) -> bool:
    """A header naming indicators without levels (重庆: 绩效指标 | 指标名称 | 指标性质 | 指标值 | 计量单位)."""
    return "指标名称" in compact and any(_TARGET_HEAD.match(c) for c in compact) and not any(
        _HEADER.match(c) for c in compact)


def _wide_columns(compact: list[str]) -> tuple[int, int] | None:
    """(name, funds) columns of a header row that heads one row per project, its name then its
    funds (长沙: 单位编码 | 单位（项目）名称 | 资金总额 | 绩效目标 | 绩效指标), or None; a project's
    key-value block (项目名称 | 某项目 | 年度资金总额 | 100) prints the name between them."""
    name = next((i for i, c in enumerate(compact) if _NAME_HEAD.match(c)), None)
    if name is None or name + 1 >= len(compact) or not _FUNDS_HEAD.search(compact[name + 1]):
        return None
    return name, name + 1


def _wide_row(compact: list[str], columns: tuple[int, int], current: "_Project | None",
              projects: list[_Project], page: int | None) -> "_Project | None":
    """The project a row of a one-row-per-project table belongs to: the one its name cell opens
    (with the funds beside it), or the current one (a blank name cell, or its name and funds
    repeated atop a continuation page; two units' projects may share a name: 日常保障运行). A 合计 row opens none; a unit's subtotal row (单位编码 | 单位名称 |
    资金总额, no indicator) opens one that no indicator joins, dropped at the end."""
    name_at, funds_at = columns
    name = compact[name_at] if name_at < len(compact) else ""
    funds = compact[funds_at] if funds_at < len(compact) else ""
    if not is_amount(funds) or not _CJK.search(name) or name.startswith("合计"):
        return current
    if current and current.name == name and current.funds == parse_amount(funds) and current.page != page:
        return current  # the project's row repeated atop a continuation page
    project = _Project(name, page)
    project.funds = parse_amount(funds)
    projects.append(project)
    return project


def region_to_performance(document_id: str, region: Region, unit: str
                          ) -> tuple[list[ProjectRow], list[PerformanceTarget]]:
    projects: list[_Project] = []
    targets: list[PerformanceTarget] = []
    whole = "整体" in region.title
    current: _Project | None = _Project("整体支出", region.page) if whole else None
    pending_name = wide = glued = flat = False
    columns: tuple[int, int] | None = None  # a header naming each row's project and funds
    header: _Header | None = None
    level1 = level2 = None
    for line in region.lines:
        cells = list(line.cells)
        compact = [_compact(c) for c in cells]
        if pending_name and current is not None:
            name = _project_name([""] + cells, 0)
            if name:
                current.name, pending_name = name, False
                continue
        is_header = any(_HEADER.match(c) for c in compact) or _flat_header(compact)
        columns = _wide_columns(compact) or columns
        if _wide_columns(compact) and not is_header:
            continue
        if columns and line.positional:
            current = _wide_row(compact, columns, current, projects, line.page)
        i_project = next((i for i, c in enumerate(compact) if _PROJECT.match(c)), None)
        if i_project is not None and not is_header:
            current = _Project(_project_name(cells, i_project) or "", line.page)
            pending_name = not current.name
            projects.append(current)
            header, level1, level2 = None, None, None
            continue
        if whole and header is None and _glued_header(compact) and not _flat_header(compact):
            header, level1, level2 = _Header(cells), None, None  # 活动 | 绩效指标 | 指标性质 | 指标值
            glued = True
            continue
        if is_header:
            header, level1, level2 = _Header(cells), None, None
            flat = _flat_header(compact)
            wide = wide or any(_PROJECT.match(c) for c in compact)  # one wide row per indicator (乐山)
            # no project named above: the table's own indicators (国家信访局 决算 p. 46: 表1：项目年度绩效指标表)
            current = current or _Project("", line.page)
            continue
        if wide:  # a project's first row starts with its code: 51110221R000000073180-工资性…
            named = next((c.split("-", 1)[1] for c in compact if _WIDE_PROJECT.match(c)), None)
            if named:
                current = _Project(named, line.page)
        if current is not None and header is None:
            for i, c in enumerate(compact):
                if _FUNDS.search(c) and current.funds is None:
                    current.funds = _amount_after(cells, i, unit)
                elif _FISCAL.match(c) and current.fiscal is None:
                    current.fiscal = _amount_after(cells, i, unit)
                elif _OTHER.match(c) and current.other is None:
                    current.other = _amount_after(cells, i, unit)
            continue
        if header is None or current is None:
            continue
        compact = _split_glued_levels(compact)
        levels = [] if flat else [i for i, c in enumerate(compact) if c in LEVEL1 or LEVEL2.match(c)]
        if not levels and not flat and (not line.positional or level1 is None):
            continue  # prose between the rows of a text layout; a total row above the first indicator
        for i in levels:
            if _opens_level1(compact, i, levels, level1):
                level1, level2 = compact[i], None
            else:
                level2 = compact[i]
        start = header.indicator if flat else levels[-1] + 1 if levels else 0
        rest = [(i, compact[i]) for i in range(start, len(compact)) if compact[i]]
        if (not rest or not _CJK.search(rest[0][1]) or rest[0][1] in ("绩效指标", "年度绩效指标")
                or (flat and rest[0][0] != start)):
            continue
        i_ind, indicator = rest[0]
        if len(_LEVEL_WORD.findall(indicator)) >= 2:
            continue  # OCR overlaid several cells (互助's scanned self-evaluation)
        target = _target_text(compact, rest, header, glued)
        current.targets += 1
        targets.append(PerformanceTarget(document_id, current.name or region.title, level1, level2, indicator,
                                         target or None, _right_of(compact, i_ind, header.actual) or None,
                                         line.page))
    return _funds_rows(document_id, region, unit, projects, columns is not None and bool(targets)), targets


def _target_text(compact: list[str], rest: list[tuple[int, str]], header: _Header, glued: bool) -> str:
    """The target printed right of the indicator ``rest[0]`` (``rest``: the filled cells from it)."""
    i_ind = rest[0][0]
    if glued:  # the columns shift between pages: nature, value and unit in print order
        return "".join(c for _, c in rest[1:])
    if header.nature is not None or header.unit is not None:  # 乐山: ≤ | 5 | 次 → ≤5次
        return "".join(_right_of(compact, i_ind, k) for k in (header.nature, header.target, header.unit))
    return _right_of(compact, i_ind, header.target) or next((c for _, c in rest[1:]), "")


def _funds_rows(document_id: str, region: Region, unit: str, projects: list[_Project],
                one_row_each: bool) -> list[ProjectRow]:
    """The projects' funds, as ``ProjectRow``s. None from a self-evaluation (last year's funds,
    not this budget's) or from a table noting its classified projects are left out (长沙 p. 29:
    注：已剔除涉密部分: the funds listed cannot add up to its 合计). In a one-row-per-project
    table with indicators, a row no indicator joined is a unit's subtotal, not a project; in one
    without (杭州 表11: 单位名称 | 项目名称 | 金额 | 绩效目标, a goal in words), every row is one."""
    if "自评" in region.title or any(_CLASSIFIED_LEFT_OUT.search(_compact(line.text)) for line in region.lines):
        return []
    return [ProjectRow(document_id, p.name, None, to_wan(p.amount(), unit), p.page, table="performance_targets")
            for p in projects if p.name and p.amount() is not None and (p.targets or not one_row_each)]


def recognize_performance(parsed: ParsedDocument, region: Region, unit: str,
                          economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """A 绩效目标表 into ``parsed.performance_targets`` (and the projects' funds it prints into
    ``parsed.projects``)."""
    funds, targets = region_to_performance(parsed.meta.document_id, region, unit)
    parsed.projects.extend(funds)
    parsed.performance_targets.extend(targets)
    add_table(parsed, region, len(targets) or len(funds), unit)
