"""The rows of the official 检查表 and which check belongs to which row: decided here only.

A finance bureau reviews a 部门预算/决算 disclosure part by part (公开内容): the overview, each
standard table, the 情况说明 and the 名词解释. :data:`SECTIONS` lists those parts in the
checklist's order with the tables that make each of them; :func:`section_of` puts a check result
in its part by the check's table, and by the check's id or family where the table does not say
(the 名词解释 check, the narrative family, checks of the whole text).
"""
from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import SEVERITY_NAMES, TABLE_NAMES


@dataclass(frozen=True)
class Section:
    """One row of the 检查表: ``key``, its name (检查项目), the table ids that make it, and
    ``manual``: a part no check reads (the reviewer looks at it)."""

    key: str
    name: str
    tables: tuple[str, ...] = ()
    manual: bool = False


#: the rows of sheet 1, in the order of the official 检查表
SECTIONS: tuple[Section, ...] = (
    Section("overview", "部门概况（职责、机构设置）", manual=True),
    Section("summary", "收支总表", ("summary",)),
    Section("income", "收入总表", ("income",)),
    Section("expenditure", "支出总表", ("expenditure",)),
    Section("fiscal_summary", "财政拨款收支总表", ("fiscal_summary",)),
    Section("general_public", "一般公共预算支出表", ("general_public_function", "general_public_economic",
                                                    "fiscal_function")),
    Section("basic", "一般公共预算基本支出表", ("basic_economic", "basic_function")),
    Section("three_public", "“三公”经费支出表（含机关运行经费）", ("three_public", "operating_costs")),
    Section("government_fund", "政府性基金预算支出表", ("government_fund",)),
    Section("state_capital", "国有资本经营预算支出表", ("state_capital",)),
    Section("projects", "项目支出及绩效目标", ("projects", "project_economic", "performance_targets")),
    Section("other_tables", "其他表格（政府采购、国有资产、结转资金等）",
            ("procurement", "purchased_services", "assets", "carryover")),
    Section("narrative", "情况说明（文字）", ("narrative",)),
    Section("glossary", "名词解释"),
    Section("whole", "全文（文字规范、编码）"),
)
BY_KEY = {s.key: s for s in SECTIONS}
_BY_TABLE = {t: s.key for s in SECTIONS for t in s.tables}
#: check ids whose row is not their table's: the 名词解释 and the presence of a 情况说明
_BY_CHECK = {"completeness.glossary": "glossary", "narrative.present": "narrative"}
#: families whose results belong to one row whatever their table
_BY_FAMILY = {"narrative": "narrative"}
#: checks that say whether a part is published at all (status pass: it is)
PRESENCE = {"glossary": "completeness.glossary", "narrative": "narrative.present"}


__all__ = ["BY_KEY", "PRESENCE", "SECTIONS", "SEVERITY_NAMES", "Section", "part_name", "section_of"]


def section_of(check: str, table: str | None) -> str:
    """The key of the 检查表 row a result of ``check`` on ``table`` belongs to: by check id,
    then family, then table; a result of no known table belongs to the whole text."""
    if check in _BY_CHECK:
        return _BY_CHECK[check]
    family = check.split(".", 1)[0]
    if family in _BY_FAMILY:
        return _BY_FAMILY[family]
    return _BY_TABLE.get(table or "", "whole")


def part_name(check: str, table: str | None, titles: dict[str, str] | None = None) -> str:
    """所在表/部分 of a finding: the table's title as the document prints it (``titles``,
    table id -> title), else its standard name, else the name of the finding's row."""
    if table and table not in ("narrative",):
        return (titles or {}).get(table) or TABLE_NAMES.get(table, table)
    return BY_KEY[section_of(check, table)].name
