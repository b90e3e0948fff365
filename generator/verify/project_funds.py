"""Project funds against project spending: the 项目支出表's projects, and the funds the 绩效目标表s
print, against the expenditure tables' 项目支出 — and the narrative's "绩效目标管理…涉及…拨款X万元"
against the figure it names.

What a figure means decides what it is compared with (like with like):

* the narrative's X is the tables' sum where they add up to it (宿州 8 projects, 423.85); else it
  names a figure of the budget tables: 西安's "绩效目标管理全覆盖，涉及当年一般公共预算拨款X" is the whole
  一般公共预算 (基本 + 项目: 统计局 2026 6,210.93), 重庆's "项目支出均实行了绩效目标管理，涉及一般公共预算
  财政拨款X" its 项目支出 column (科技局 2026 148,941.80), 凤县's the 专项业务经费 (89.68674);
* a 专项资金总体（整体）绩效目标表 / 重点专项资金绩效目标表 states a special fund's whole amount (with
  补助区县, other funds: 重庆 水利 152,992.83 > the bureau's 项目支出 94,823.35), not a project of this
  budget: the projects' tables are summed without them, and with them (西安 住建 2022, where they
  are projects of the list);
* tables printed for some projects only (西安's 重点项目, 重庆's 一级项目 of 一般性项目) add up to less
  than the 项目支出: that is no inconsistency. Tables adding up to more than the 项目支出, or as many
  tables as projects adding up to another sum (杭州 公安 2026: 33 projects 106,313 ≠ 合计 106,512), is one.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..records import Check, ParsedDocument, ProjectRow
from ..vocabulary import ALL_FUNDS_FIRST
from .arithmetic import _TOP, PERFORMANCE_SUM, PROJECTS_SUM, compact_item
from .base import compact, compare, d, mk, status_of, table_sum, top_level, total

# "8 个项目实行了绩效目标管理，涉及一般公共预算当年财政拨款 423.85 万元" / "绩效目标管理全覆盖，涉及当年一般公共预算当年拨款 89.68674 万元"
_PERF_FUNDS = re.compile(r"绩效目标管理[^。；]*?涉及[^。；\d]*?拨款\s*([\d,]+(?:\.\d+)?)\s*万元")
#: a table of a special fund's whole amount, not of one project of this budget
_FUND_TABLE = re.compile(r"专项资金[^，。]*绩效目标表")
#: a table printed for chosen projects only
_CHOSEN = re.compile(r"重点项目|一级项目")
_AGREE = ("pass", "rounding")


def _project_spending(doc: ParsedDocument) -> tuple[Decimal | None, str | None]:
    """项目支出 of all funds, like the project table's list (all funds): the 支出总表's project
    column, else the 收支总表's 项目支出 / 专项业务经费支出 line, and only then the 一般公共预算
    支出表 and the 财政拨款收支总表, which leave out the other funds (西安 人社局 2020: 收支总表
    专项业务经费支出 173502.61 = the 82 projects; the 一般公共预算 column 173152.61 leaves out
    其他收入 350)."""
    def column(table: str) -> Decimal | None:
        v = table_sum(doc, table, "project")
        top = top_level([r for r in doc.function_rows if r.table == table])
        return v if v is not None or not any(r.project is not None for r in top) else total(r.project for r in top)

    def line(table: str) -> Decimal | None:
        return next((l.amount for l in doc.summary_lines if l.table == table and l.amount is not None
                     and re.search(r"项目支出|专项业务经费", l.item) and _TOP.match(compact_item(l))), None)

    all_funds, fiscal = ALL_FUNDS_FIRST
    for table, read in ((all_funds, column), ("summary", line), (fiscal, column), ("fiscal_summary", line)):
        v = read(table)
        if v is not None:
            return v, table
    return None, None


def _carried_in(doc: ParsedDocument) -> Decimal | None:
    """The 收支总表's 上年结转 (the money carried into this year), where it prints one."""
    return next((l.amount for l in doc.summary_lines if l.table == "summary" and l.side == "income"
                 and l.amount and re.fullmatch(r"(\S、)?上年结转(结余)?", compact(l.item))), None)


def _title_of(doc: ParsedDocument, row: ProjectRow) -> str:
    """The title of the 绩效目标表 a funds row was read from (the last one starting at or before its page)."""
    title = ""
    for t in doc.tables:
        if t.table == "performance_targets" and t.source_page is not None and row.source_page is not None \
                and t.source_page <= row.source_page:
            title = t.title or ""
    return title


def _project_tables(doc: ParsedDocument) -> tuple[list[ProjectRow], list[ProjectRow], bool]:
    """The funds rows of the project tables and of the 专项资金 tables (a table published
    twice counts once: 宿州 prints 2 chosen projects, then all 8), and whether a title says the
    tables are of chosen projects."""
    unique: dict[tuple, tuple[ProjectRow, bool]] = {}
    chosen = False
    for p in doc.projects:
        if p.table != "performance_targets" or p.amount is None:
            continue
        title = compact(_title_of(doc, p))
        chosen = chosen or bool(_CHOSEN.search(title))
        unique.setdefault((p.project, p.amount), (p, bool(_FUND_TABLE.search(title))))
    return ([p for p, fund in unique.values() if not fund], [p for p, fund in unique.values() if fund], chosen)


def _stated(doc: ParsedDocument) -> tuple[Decimal, int | None, str] | None:
    """The narrative's X of "绩效目标管理…涉及…拨款X万元", its page and sentence."""
    return next(((Decimal(m.group(1).replace(",", "")), page, text) for text, page in doc.sentences
                 for m in [_PERF_FUNDS.search(compact(text))] if m), None)


def _budget_figures(doc: ParsedDocument, spending: Decimal | None) -> list[tuple[str, Decimal]]:
    """The budget figures the narrative's X may name: the 一般公共预算 total, its 项目支出, all funds' 项目支出."""
    out = [("一般公共预算拨款合计", table_sum(doc, "general_public_function", "total")),
           ("一般公共预算项目支出", table_sum(doc, "general_public_function", "project")),
           ("项目支出", spending)]
    return [(label, v) for label, v in out if v is not None]


def _sums(doc: ParsedDocument) -> tuple[list[tuple[str, list[ProjectRow]]], bool]:
    """The ways the tables' funds may add up: the project tables alone (西安 商务局 2022: the
    专项资金 tables come on top of 专用项目, which holds them), and with the 专项资金 tables (西安
    住建局 2022: 公租房新建续建项目专项资金 200,000 is one of the 80 projects)."""
    proj, fund, chosen = _project_tables(doc)
    out = [(f"{len(proj)} 张绩效目标表的项目资金之和", proj)] if proj else []
    if fund:
        out.append((f"{len(proj) + len(fund)} 张绩效目标表（含专项资金绩效目标表）的资金之和", proj + fund))
    return out, chosen


def performance_check(doc: ParsedDocument, spending: Decimal | None, where: str | None) -> list[Check]:
    sums, chosen = _sums(doc)
    n_tables = sum(1 for t in doc.tables if t.table == "performance_targets" and not t.empty)
    n_projects = sum(1 for p in doc.projects if p.table == "projects" and p.amount is not None)
    figures = [(label, rows, total(p.amount for p in rows)) for label, rows in sums]
    first = figures[0] if figures else None
    page = first[1][0].source_page if first else None

    def agrees(expected: Decimal | None, actual: Decimal, terms: int = 1) -> bool:
        return expected is not None and status_of(expected, actual, terms) in _AGREE

    # the figures the tables add up to that agree with the 项目支出
    whole = next((f for f in figures if agrees(spending, f[2], len(f[1]))), None)
    # the tables add up to less than the 项目支出: printed for chosen projects only
    partial = (whole is None and first is not None and spending is not None and first[2] < spending
               and (chosen or len(first[1]) < n_projects))
    stated = _stated(doc)
    if stated is not None:
        x, x_page, sentence = stated
        same = next((f for f in figures if agrees(x, f[2], len(f[1]))), None)
        if same is not None:
            label, rows, s = same
            return [compare(doc, PERFORMANCE_SUM, "performance_targets", x, s,
                            f"说明所称绩效目标管理涉及资金 {d(x)} {{op}} {label} {d(s)}", page, terms=len(rows))]
        budget = _budget_figures(doc, spending)
        named = next(((label, v) for label, v in budget if agrees(x, v)), None)
        shown = whole or first
        tables = f"{shown[0]} {d(shown[2])}" if shown else "绩效目标表的项目资金未识别出"
        if named is None:
            listed = "、".join(f"{label} {d(v)}" for label, v in budget)
            return [mk(doc, PERFORMANCE_SUM, "fail", "performance_targets", x, first[2] if first else None,
                       f"说明所称绩效目标管理涉及资金 {d(x)} ≠ {tables}，也不等于预算表中的{listed or '任何金额'}",
                       x_page, quote=sentence)]
        label, v = named
        if whole is None and first is not None and spending is not None and first[2] > spending:
            return [compare(doc, PERFORMANCE_SUM, "performance_targets", spending, first[2],
                            f"说明所称绩效目标管理涉及资金 {d(x)} 为{label}；项目支出（{where}）{d(spending)} "
                            f"{{op}} {tables}", page, terms=len(first[1]))]
        how = (f"，= 项目支出 {d(spending)}" if whole else "，只列出部分项目" if partial
               else f"，少于项目支出 {d(spending)}" if first is not None and spending is not None else "")
        status = status_of(x, v)
        return [mk(doc, PERFORMANCE_SUM, status, "performance_targets", x, v,
                   f"说明所称绩效目标管理涉及资金 {d(x)} {'=' if status == 'pass' else '≈'} {label} {d(v)}"
                   f"（{tables}{how}）", x_page, quote=sentence)]
    if first is None:
        if n_tables:
            return [mk(doc, PERFORMANCE_SUM, "insufficient_data", "performance_targets", spending, None,
                       f"有 {n_tables} 张绩效目标表，但未识别出各表的项目资金金额，无法与项目支出 {d(spending)} 核对。")]
        return []
    label, rows, s = whole or first
    if partial:
        return [mk(doc, PERFORMANCE_SUM, "not_applicable", "performance_targets", spending, s,
                   f"{label} {d(s)} < 项目支出（{where}）{d(spending)}：绩效目标表只列出部分项目"
                   f"{'（表题为重点项目/一级项目）' if chosen else f'（项目支出表列 {n_projects} 个项目）'}，不核对合计。",
                   page)]
    return [compare(doc, PERFORMANCE_SUM, "performance_targets", spending, s,
                    f"项目支出（{where or '未识别'}）{d(spending)} {{op}} {label} {d(s)}", page, terms=len(rows))]


def project_arithmetic(doc: ParsedDocument) -> list[Check]:
    out: list[Check] = []
    spending, where = _project_spending(doc)
    projects = [p for p in doc.projects if p.table == "projects" and p.amount is not None]
    if projects:
        listed = total(p.amount for p in projects)
        carried = _carried_in(doc)
        if spending is not None and carried and status_of(spending, listed, len(projects)) == "fail" \
                and status_of(spending - carried, listed, len(projects)) in _AGREE:
            # 西安 公安 2026 p. 33: the 专项业务经费支出表 lists this year's money only (1,021,500,773.61
            # 元); the 收支总表's 专项业务经费支出 1,152,527,815.34 also spends the 上年结转 131,027,041.73
            out.append(compare(doc, PROJECTS_SUM, "projects", spending - carried, listed,
                               f"项目支出（{where}）{d(spending)} − 上年结转 {d(carried)} {{op}} 项目支出表 "
                               f"{len(projects)} 个项目之和 {d(listed)}（项目支出表不含上年结转）",
                               projects[0].source_page, terms=len(projects)))
        else:
            out.append(compare(doc, PROJECTS_SUM, "projects", spending, listed,
                               f"项目支出（{where or '未识别'}）{d(spending)} {{op}} 项目支出表 {len(projects)} 个项目之和 "
                               f"{d(listed)}", projects[0].source_page, terms=len(projects)))
    out.extend(performance_check(doc, spending, where))
    return out


FAMILY = [project_arithmetic]
