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
#: what each family of checks looks at, in the short words of a 检查表's 检查内容 column (a family
#: not named here is described by the first sentence of its checks' definitions)
FAMILY_CONTENT = {
    "completeness": "按规定公开：标准表格齐全，空表附有说明，注明为空的表确实无数，文字所述金额在表中印出",
    "summary": "收支平衡：收入总计 = 支出总计，本年收入、支出合计等于各项之和",
    "function": "表内计算（功能分类）：各行合计 = 基本支出 + 项目支出，类、款、项逐级相加，合计行等于各类之和",
    "economic": "表内计算（经济分类）：各行合计 = 人员经费 + 公用经费，类等于其下各款之和，人员经费、公用经费口径正确",
    "three_public": "“三公”经费合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费",
    "projects": "项目支出表各项目之和 = 功能分类表的项目支出合计",
    "performance": "绩效目标表所列项目资金与情况说明一致",
    "cross": "表间一致：同一数字、同一科目在收支总表、收入总表、支出总表、财政拨款收支总表、一般公共预算"
             "支出表、基本支出表、“三公”经费表之间一致",
    "codelist": "科目编码和名称：类、款、项层级完整，类名为政府收支分类科目的正式名称",
    "repair": "科目编码和数字完整（少印一位的编码、被截断的数字按同一文件的其他表修正）",
    "cells": "单元格有效：占比不超过 100%，收支金额不为负，合计不留空，科目行不空",
    "narrative": "文字说明与表格一致：收支总额、基本支出、项目支出、人员经费、公用经费、“三公”经费、"
                 "机关运行经费、增减额和增减幅度、占比、完成率及其分母、比较用语；无模板残留",
    "years": "年份和日期：标题、表名、统计日期、“上年”和比较年份与本文件的年度一致",
    "hygiene": "文字规范：无重复或缺少的句号，括号和引号成对，增减额、百分比带单位",
    "text": "原文可读：无控制字符，应为金额的单元格都能读出数值",
}
#: checks that say whether a part is published at all (status pass: it is)
PRESENCE = {"glossary": "completeness.glossary", "narrative": "narrative.present"}


__all__ = ["BY_KEY", "FAMILY_CONTENT", "PRESENCE", "SECTIONS", "SEVERITY_NAMES", "Section", "part_name",
           "section_of"]


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
