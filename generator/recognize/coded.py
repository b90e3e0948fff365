"""Coded tables: rows keyed by a function code (支出功能分类: 支出总表, 一般公共预算支出表,
政府性基金 …) or an economic code (支出经济分类: 基本支出表, 一般公共预算支出表（经济分类） …),
their figures placed in columns by ``columns``, converted to 万元."""
from __future__ import annotations

import dataclasses

from ..numbers import to_wan
from ..records import EconomicRow, FunctionRow, ParsedDocument
from ..vocabulary import economic_level
from .assign_codes import named_function_rows, provisional_codes, rows_coded_by_name
from .columns import (ColumnTrace, column_value, economic_columns, function_columns, place_narrow_pages,
                      resolve_columns)
from .regions import Region, header_text
from .rows import Row, labelled_totals, merge_rows_by_code, region_to_rows
from .summary import income_by_source, income_by_source_rows
from .table_info import add_table

#: tables whose columns may be sources of funds (收入总表) or all funds (支出总表): figures printed
#: under 合计 | … without a label of their own are the table's 合计 row
_TOTALS_ONLY_TABLES = ("income", "expenditure")


def recognize_function(parsed: ParsedDocument, region: Region, unit: str,
                       economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """A function-classified table into ``parsed.function_rows`` (a 收入总表 printed by source of
    funds into ``parsed.summary_lines``)."""
    # an income table's columns are funding sources, so a row of totals only is its 合计
    # (江苏's 支出预算总表 prints one row of figures under 合计 | 基本支出 | 项目支出 | …)
    rows = [r for r in region_to_rows(region, totals_only=region.table in _TOTALS_ONLY_TABLES) if r.code or r.total]
    columns = function_columns(header_text(region), region, trace)
    place_narrow_pages(rows, columns, trace)  # before rows of one code are added up
    rows = merge_rows_by_code(rows)
    if not any(r.code for r in rows):  # names only (杭州): codes assigned in verify (repair.code_assigned)
        named = named_function_rows(region)
        rows += named
        place_narrow_pages(rows, columns, trace, provisional_codes(named))
    resolve_columns(rows, columns, trace)
    if region.table == "income" and not any(r.code for r in rows) \
            and _income_by_source(parsed, region, unit, rows, columns):
        return
    for r in rows:
        if r.total:
            continue
        total, basic, project = (column_value(r, columns, k) for k in ("total", "basic", "project"))
        parsed.function_rows.append(FunctionRow(
            parsed.meta.document_id, region.table, r.code, r.name, r.level,
            to_wan(total, unit), to_wan(basic, unit), to_wan(project, unit), r.page))
    totals = next((r for r in rows if r.total), None)
    add_table(parsed, region, len(rows), unit, totals, columns,
              totals_only=totals is not None and totals.unlabelled)


def _income_by_source(parsed: ParsedDocument, region: Region, unit: str, rows: list[Row],
                      columns: list[str]) -> bool:
    """A 收入总表 without function codes, printed by source of funds: its lines into
    ``parsed.summary_lines``. False (nothing added) when it is not laid out so."""
    sources = income_by_source(parsed, region, unit) or income_by_source_rows(parsed, region, unit)
    if not sources:
        return False
    parsed.summary_lines.extend(sources)
    totals = next((r for r in rows if r.total), None)
    add_table(parsed, region, len(sources), unit, totals, columns)
    grand = next((l for l in sources if l.item in ("合计", "总计", "收入总计")), None)
    if totals is None and grand is not None:  # no row labelled 合计: the 合计 column
        parsed.tables[-1] = dataclasses.replace(parsed.tables[-1], total=grand.amount)
    return True


def recognize_economic(parsed: ParsedDocument, region: Region, unit: str,
                       economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """An economic-classified table into ``parsed.economic_rows``; ``economic_names`` (printed
    name → code, from the document's coded economic tables) codes a table that prints names only."""
    rows = merge_rows_by_code([r for r in region_to_rows(region, economic=True) if r.code or r.total])
    if not any(r.code for r in rows) and economic_names:
        rows += rows_coded_by_name(region, economic_names)
    columns = economic_columns(header_text(region), trace)
    resolve_columns(rows, columns, trace)
    for r in rows:
        if r.total or len(r.code) not in (3, 5):
            continue
        total, personnel, public, project = (column_value(r, columns, k)
                                             for k in ("total", "personnel", "public", "project"))
        parsed.economic_rows.append(EconomicRow(
            parsed.meta.document_id, region.table, r.code, r.name, economic_level(r.code),
            to_wan(total, unit), to_wan(personnel, unit), to_wan(public, unit), r.page, to_wan(project, unit)))
    totals = next((r for r in rows if r.total), None)
    add_table(parsed, region, len(rows), unit, totals, columns)
    add_labelled_totals(parsed, region, unit)



def add_labelled_totals(parsed: ParsedDocument, region: Region, unit: str) -> None:
    """A two-sided economic table prints 人员经费合计 and 公用经费合计 under its sides instead of a
    合计 row with 人员经费 / 公用经费 columns: they become the table's personnel and public sums
    (where its 合计 row gave none)."""
    found = labelled_totals(region.lines)
    info = parsed.tables[-1]
    sums = {k: to_wan(v, unit) for k, (v, _) in found.items() if getattr(info, k) is None}
    if sums:
        parsed.tables[-1] = dataclasses.replace(info, **sums)
