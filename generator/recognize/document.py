"""Recognize: ``IngestedDocument`` → ``ParsedDocument`` (the contract's rows, in 万元).

For every table region found by ``tables.lines_to_regions`` this stage decides what the
numeric columns mean (合计 / 基本支出 / 项目支出, 人员经费 / 公用经费, …) from the header, and —
where the layout lost empty cells (text split on spaces) — by arithmetic: the columns of the
children must add up to the printed totals of their parents. Amounts are converted to 万元
exactly (``2021528.40`` 元 → ``202.15284``). Figures the narrative states (``行政运行(2101501)
81.3261万元``) become ``narrative`` rows when the tables do not give them.
"""
from __future__ import annotations

import dataclasses
import itertools
import re
from decimal import Decimal

from . import metadata as md
from .narrative import lines_to_facts, lines_to_glossary, sentences
from .performance import region_to_performance
from ..numbers import is_amount, parse_amount, rounding_tolerance, to_wan
from ..records import DocumentMeta, Line, EconomicRow, FunctionRow, IngestedDocument, IngestError, ParsedDocument, ProjectRow, SummaryLine, TableInfo, ThreePublicRow
from .regions import classify_title, labelled_totals, title_of, ECONOMIC_TABLES, FUNCTION_TABLES, Region, Row, cells_to_row, economic_codes_by_name, empty_reason, header_text, lines_to_regions, region_to_rows, region_unit, rows_coded_by_name

_EXPENDITURE_WORDS = re.compile(r"支出|结转下年|年末结转|年终结转|结余分配|转入事业基金|支出总计")
_HEADER_LABEL = re.compile(r"(项目|栏次|预算数|金额|决算数|序号|行次)")
_ENUMERATED = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[、)）.．]")
_THREE_PUBLIC_ITEMS = ("total", "overseas_travel", "vehicle_subtotal", "vehicle_purchase",
                       "vehicle_operation", "reception")


def ingested_to_parsed(doc: IngestedDocument) -> ParsedDocument:
    first = doc.sources[0].name
    try:
        meta = md.lines_to_metadata(doc.lines)
    except md.MetadataError as exc:
        raise IngestError(first, f"not a budget disclosure: {exc}") from exc
    regions = lines_to_regions(doc.lines)
    if not regions:
        raise IngestError(first, "not a budget disclosure: no standard budget table found")
    bureau = md.metadata_to_bureau(meta)
    document_id = md.document_id(bureau, meta)
    parsed = ParsedDocument(
        meta=DocumentMeta(
            document_id=document_id, bureau_id=bureau.bureau_id, title=meta.title, year=meta.year,
            phase=meta.phase, scope=meta.scope,
            source_files=tuple(s.name for s in doc.sources),
            source_sha256=tuple(s.sha256 for s in doc.sources),
            source_format="pdf" if any(s.format == "pdf" for s in doc.sources) else "text",
            source_unit=meta.unit,
        ),
        bureau=bureau,
    )
    economic_names = economic_codes_by_name(regions)
    for region in regions:
        recognize_region(parsed, region, meta.unit, economic_names)
    drop_repeated_rows(parsed)
    parsed.narrative = lines_to_facts(document_id, doc.lines)
    parsed.glossary = lines_to_glossary(doc.lines)
    parsed.sentences = list(sentences(doc.lines))
    add_narrative_items(parsed)
    add_narrative_economic(parsed)
    add_listed_empty_tables(parsed, doc.lines)
    return parsed


def drop_repeated_rows(parsed: ParsedDocument) -> None:
    """A table printed twice (江苏's economic table, 深圳's project table) must not count twice:
    a row identical to an earlier row of the same table (code, name and every figure) is dropped,
    and the document records a warning."""
    for attr in ("function_rows", "economic_rows", "projects"):
        rows = getattr(parsed, attr)
        seen: set = set()
        kept = []
        for r in rows:
            key = tuple(v for k, v in vars(r).items() if k != "source_page")
            if key in seen:
                continue
            seen.add(key)
            kept.append(r)
        if len(kept) < len(rows):
            parsed.warnings.append(f"{attr}: {len(rows) - len(kept)} rows printed twice were counted once")
            setattr(parsed, attr, kept)


def add_listed_empty_tables(parsed: ParsedDocument, lines) -> None:
    """Tables a disclosure lists as published empty (``表9 …政府性基金收支表 是 不涉及``)."""
    present = {t.table for t in parsed.tables}
    for line in lines:
        cells = [c.strip() for c in line.cells if c.strip()]
        if not line.positional or len(cells) < 3 or "是" not in cells[2:3]:
            continue
        title = title_of(Line((cells[1],), cells[1]))
        table = classify_title(title) if title else None
        if table is None or table in present:
            continue
        present.add(table)
        reason = cells[3] if len(cells) > 3 else None
        parsed.tables.append(TableInfo(parsed.meta.document_id, table, cells[1], line.page, 0, True,
                                       reason, parsed.meta.source_unit))
        if table == "three_public":
            parsed.three_public.append(ThreePublicRow(
                parsed.meta.document_id, "total", "final" if parsed.meta.phase == "final" else "budget",
                Decimal(0), line.page))


def recognize_region(parsed: ParsedDocument, region: Region, default_unit: str,
                     economic_names: dict[str, str] | None = None) -> None:
    """Rows of one table region into ``parsed``; ``economic_names`` (printed name → code, from
    the document's coded economic tables) codes an economic table that prints names only."""
    doc_id = parsed.meta.document_id
    unit = region_unit(region, default_unit)
    header = header_text(region)
    n_rows = 0
    if region.table in FUNCTION_TABLES:
        # an income table's columns are funding sources, so a row of totals only is its 合计
        # (江苏's 支出预算总表 prints one row of figures under 合计 | 基本支出 | 项目支出 | …)
        rows = region_to_rows(region, totals_only=region.table in ("income", "expenditure"))
        rows = merge_rows_by_code([r for r in rows if r.code or r.total])
        columns = function_columns(header, region)
        resolve_columns(rows, columns)
        if region.table == "income" and not any(r.code for r in rows):
            sources = income_by_source(parsed, region, unit) or income_by_source_rows(parsed, region, unit)
            if sources:
                parsed.summary_lines.extend(sources)
                totals = next((r for r in rows if r.total), None)
                _add_table(parsed, region, len(sources), unit, totals, columns)
                grand = next((l for l in sources if l.item in ("合计", "总计", "收入总计")), None)
                if totals is None and grand is not None:  # no row labelled 合计: the 合计 column
                    parsed.tables[-1] = dataclasses.replace(parsed.tables[-1], total=grand.amount)
                return
        for r in rows:
            if r.total:
                continue
            total, basic, project = (_col(r, columns, k) for k in ("total", "basic", "project"))
            parsed.function_rows.append(FunctionRow(
                doc_id, region.table, r.code, r.name, r.level,
                to_wan(total, unit), to_wan(basic, unit), to_wan(project, unit), r.page))
        n_rows = len(rows)
        totals = next((r for r in rows if r.total), None)
        _add_table(parsed, region, n_rows, unit, totals, columns,
                   totals_only=totals is not None and totals.unlabelled)
        return
    if region.table in ECONOMIC_TABLES:
        rows = merge_rows_by_code([r for r in region_to_rows(region, economic=True) if r.code or r.total])
        if not any(r.code for r in rows) and economic_names:
            rows += rows_coded_by_name(region, economic_names)
        columns = economic_columns(header)
        resolve_columns(rows, columns)
        for r in rows:
            if r.total or len(r.code) not in (3, 5):
                continue
            total, personnel, public = (_col(r, columns, k) for k in ("total", "personnel", "public"))
            parsed.economic_rows.append(EconomicRow(
                doc_id, region.table, r.code, r.name, "class" if len(r.code) == 3 else "item",
                to_wan(total, unit), to_wan(personnel, unit), to_wan(public, unit), r.page))
        totals = next((r for r in rows if r.total), None)
        _add_table(parsed, region, len(rows), unit, totals, columns)
        add_labelled_totals(parsed, region, unit)
        return
    if region.table in ("summary", "fiscal_summary"):
        lines = summary_lines(parsed, region, unit)
        parsed.summary_lines.extend(lines)
        _add_table(parsed, region, len(lines), unit)
        return
    if region.table == "three_public":
        items, printed = three_public_rows(parsed, region)
        parsed.three_public.extend(items)
        _add_table(parsed, region, len(items) if printed else 0, unit, force_empty=not printed)
        operating = operating_costs_line(region)
        if operating is not None:
            amount, page = operating
            parsed.tables.append(TableInfo(doc_id, "operating_costs", region.title, page, 1, False, None, unit,
                                           total=to_wan(amount, unit)))
        return
    if region.table == "performance_targets":
        funds, targets = region_to_performance(doc_id, region, unit)
        parsed.projects.extend(funds)
        parsed.performance_targets.extend(targets)
        _add_table(parsed, region, len(targets), unit)
        return
    if region.table == "projects":
        projects = project_rows(parsed, region, unit)
        parsed.projects.extend(projects)
        _add_table(parsed, region, len(projects), unit)
        return
    data_rows = [r for r in (cells_to_row(list(l.cells), l.positional, False, l.page) for l in region.lines)
                 if r is not None and r.values]
    _add_table(parsed, region, len(data_rows), unit)


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
    first = parts[0]
    return Row(first.code, first.name, values, first.positional, first.page,
               undecided=any(p.undecided for p in parts))


def _add_table(parsed, region, rows, unit, totals: Row | None = None, columns=None, force_empty=False,
               totals_only=False):
    empty = rows == 0 or force_empty
    reason = empty_reason(region) if empty else None
    sums = {}
    if totals is not None and columns:
        sums = {k: to_wan(_col(totals, columns, k), unit)
                for k in ("total", "basic", "project", "personnel", "public", "reserve")}
    parsed.tables.append(TableInfo(
        parsed.meta.document_id, region.table, region.title, region.page, rows, empty, reason, unit,
        **sums, totals_only=totals_only))


def add_labelled_totals(parsed: ParsedDocument, region: Region, unit: str) -> None:
    """A two-sided economic table prints 人员经费合计 and 公用经费合计 under its sides instead of a
    合计 row with 人员经费 / 公用经费 columns: they become the table's personnel and public sums
    (where its 合计 row gave none)."""
    found = labelled_totals(region.lines)
    info = parsed.tables[-1]
    sums = {k: to_wan(v, unit) for k, (v, _) in found.items() if getattr(info, k) is None}
    if sums:
        parsed.tables[-1] = dataclasses.replace(info, **sums)


_SOURCE_WORDS = re.compile(r"一般公共预算|财政拨款|政府性基金")
_GENERIC_LABEL = re.compile(r"小计|合计")


def income_by_source(parsed: ParsedDocument, region: Region, unit: str) -> list[SummaryLine]:
    """A 收入总表 printed by source of funds instead of by function code (深圳, 珠海, 北京): one
    row per budget unit (or a single row) under 收入总计 | 一般公共预算拨款 | … | 上年结余、结转.
    The department's row (the 合计 row, else the first row) becomes one ``SummaryLine`` (table
    ``income``) per column, named by the column's lowest header cell (``source_labels``). Empty
    list when the region is not laid out so.
    """
    header: list[Line] = []
    data: list[Line] = []
    for line in region.lines:
        if not line.positional:
            continue
        if any(is_amount(c) and "." in c for c in line.cells):
            data.append(line)
        elif not data and not _title_or_unit_line(line):
            header.append(line)
    labels = source_labels(header)
    if not data or not any(_SOURCE_WORDS.search(v) for v in labels.values()):
        return []
    row = next((l for l in data if re.sub(r"\s+", "", l.cells[0]) in ("合计", "总计")), data[0])
    return [SummaryLine(parsed.meta.document_id, "income", "income", labels[i], to_wan(parse_amount(cell), unit),
                        row.page)
            for i, cell in enumerate(row.cells) if i in labels and is_amount(cell)]


def income_by_source_rows(parsed: ParsedDocument, region: Region, unit: str) -> list[SummaryLine]:
    """A 收入总表 printed by source of funds down the rows instead of across the columns (江苏
    2019: ``收入总计 | | 24169.74``, ``一般公共预算资金 | 小计 | 24169.74``, ``| 公共财政拨款（补助）
    资金 | 24169.74``): one ``SummaryLine`` per printed figure, named by its group and item
    (``一般公共预算资金：公共财政拨款（补助）资金``; a blank group cell continues the group above).
    Empty list when no row names a source of funds or no row prints a figure."""
    out: list[SummaryLine] = []
    group = ""
    named_source = False
    for line in region.lines:
        if not line.positional:
            continue
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        labels = [c for c in cells[:-1] if c and not is_amount(c)]
        amounts = [c for c in cells if is_amount(c)]
        if len(amounts) > 1 or not labels and not amounts or any(is_amount(c) for c in cells[:-1]):
            return []  # figures across the columns: not this layout
        if cells[0] and not is_amount(cells[0]):
            group = cells[0] if len(labels) > 1 else ""
        item = labels[-1] if labels else ""
        named_source = named_source or bool(_SOURCE_WORDS.search(group + item))
        if item in ("项目名称", "项目") or not amounts:
            continue
        label = f"{group}：{item}" if group and group != item else item
        out.append(SummaryLine(parsed.meta.document_id, "income", "income", label,
                               to_wan(parse_amount(amounts[0]), unit), line.page))
    return out if named_source else []


def _title_or_unit_line(line: Line) -> bool:
    """``预算02表收入总表`` or ``金额单位：万元`` printed in the table's grid above its header."""
    cells = [re.sub(r"\s+", "", c) for c in line.cells if c.strip()]
    return any(re.search(r"单位[:：]", c) or c.endswith("表") for c in cells)


def source_labels(header: list[Line]) -> dict[int, str]:
    """Column index → label, from a header printed over several rows where a group's cell
    (本年收入, 上年结转结余) spans the columns up to the next cell of its row.

    The label is the lowest cell printed in the column; a generic one (小计) or one printed in
    two groups (北京: 一般公共预算资金 under 本年收入 and under 上年结转结余) is prefixed with its
    top group: ``上年结转结余：一般公共预算资金``.
    """
    width = max((len(l.cells) for l in header), default=0)
    leaf: dict[int, str] = {}
    top: dict[int, str] = {}
    for r, line in enumerate(header):
        current = None
        for i in range(width):
            cell = re.sub(r"\s+", "", line.cells[i]) if i < len(line.cells) else ""
            if cell:
                leaf[i] = cell
                current = cell
                if r == 0:
                    top[i] = cell
            elif r == 0 and current is not None:
                top[i] = current  # inside the span of the top group
    counts: dict[str, int] = {}
    for v in leaf.values():
        counts[v] = counts.get(v, 0) + 1
    labels = {}
    for i, v in leaf.items():
        group = top.get(i)
        if group and group != v and (_GENERIC_LABEL.fullmatch(v) or counts[v] > 1):
            v = f"{group}：{v}"
        labels[i] = v
    return labels


# ----------------------------------------------------------------------- columns


def function_columns(header: str, region: Region | None = None) -> list[str]:
    """Meaning of the numeric columns, in order, from the header's keywords.

    ``合计 | 基本支出 | 项目支出`` is the common layout; 北京 prints 基本支出 as 小计 | 人员经费 |
    公用经费 before 项目支出, which the keyword order reveals; 江苏 adds 单位预留机动经费 after
    项目支出 (``reserve``).
    """
    keys = {"基本支出": "basic", "人员经费": "personnel", "公用经费": "public", "项目支出": "project",
            "单位预留机动经费": "reserve"}
    found = sorted((header.find(k), v) for k, v in keys.items() if k in header)
    cells = _header_cells(region, _FUNCTION_KEYWORDS) if region is not None else {}
    if cells and all(k in cells for k, v in keys.items() if k in header):
        # a header over several rows: the column index orders the keywords, not the text order
        found = sorted((cells[k], header.find(k), v) for k, v in keys.items() if k in header)
        found = [(a, v) for a, _, v in found]
    order = [v for _, v in found]
    if order[:1] == ["basic"] and "project" in order:
        return ["total"] + order
    if order == ["basic"]:
        return ["basic"]
    if order == ["project"]:
        return ["project"]
    return ["total"]


def _header_cells(region: Region, patterns: dict[str, re.Pattern[str]]) -> dict[str, int]:
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


_FUNCTION_KEYWORDS = {k: re.compile(k) for k in ("基本支出", "人员经费", "公用经费", "项目支出", "单位预留机动经费")}


def economic_columns(header: str) -> list[str]:
    """合计 | 人员经费 | 公用经费, or only 合计. 长沙 heads the personnel column 人员类 (``总计 |
    人员类 | 公用经费``): the same split of 基本支出, printed per row."""
    if re.search(r"人员经费|人员类", header) and "公用经费" in header:
        return ["total", "personnel", "public"]
    return ["total"]


def _col(row: Row, columns: list[str], key: str) -> Decimal | None:
    if key == "total" and key not in columns and row.values:
        return row.values[0]
    if key not in columns:
        return None
    i = columns.index(key)
    return row.values[i] if i < len(row.values) else None


def resolve_columns(rows: list[Row], columns: list[str]) -> None:
    """Place the values of rows that lost empty cells, so children add up to their parents.

    A row printed as ``2832.00 2832.00`` under 合计 / 基本支出 / 项目支出 is 合计 plus one of the two;
    which one is decided by the parent rows (the 合计 row, the 类 and 款 rows), whose parts must
    equal the sum of their children's parts.
    """
    if columns not in (["total", "basic", "project"], ["total", "personnel", "public"]):
        return
    ambiguous = [r for r in rows if not r.positional and 0 < len(r.values) < 3]
    if not ambiguous:
        return
    for r in ambiguous:  # one value: the total; two equal values: total and an unknown part
        if len(r.values) == 2 and r.values[0] != r.values[1]:
            continue
        r.values = [r.values[0], None, None]
        r.undecided = True
    open_rows = [r for r in rows if r.undecided]
    total_row = next((r for r in rows if r.total), None)

    def children(parent: Row | None) -> list[Row]:
        if parent is None or parent.total:
            level = min((len(r.code) for r in rows if r.code), default=3)
            return [r for r in rows if len(r.code) == level]
        return [r for r in rows if len(r.code) == len(parent.code) + 2 and r.code.startswith(parent.code)]

    for _ in range(4):  # top-down then bottom-up until nothing changes
        changed = False
        for parent in [total_row] + [r for r in rows if r.code]:
            if parent is None or parent.undecided:
                continue
            kids = children(parent)
            undecided = [k for k in kids if k.undecided]
            if not undecided or len(undecided) > 14 or parent.values[1:3].count(None) == 2:
                continue
            pb, pp = parent.values[1] or Decimal(0), parent.values[2] or Decimal(0)
            fixed_b = sum((k.values[1] or Decimal(0)) for k in kids if k not in undecided)
            fixed_p = sum((k.values[2] or Decimal(0)) for k in kids if k not in undecided)
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
                changed = True
        for r in open_rows:  # a parent whose part is known fixes its only-child chain
            if r.undecided:
                kids = children(r)
                decided = [k for k in kids if not k.undecided]
                if kids and len(decided) == len(kids):
                    b = sum((k.values[1] or Decimal(0)) for k in kids)
                    r.values[1 if b == r.values[0] else 2] = r.values[0]
                    r.undecided = False
                    changed = True
        for r in open_rows:  # children of a decided parent with a single part inherit it
            if not r.undecided:
                side = 1 if r.values[1] is not None and r.values[2] is None else 2 if r.values[2] is not None and r.values[1] is None else 0
                if side:
                    for k in children(r):
                        if k.undecided:
                            k.values[side] = k.values[0]
                            k.undecided = False
                            changed = True
        open_rows = [r for r in rows if r.undecided]
        if not changed or not open_rows:
            break


# ------------------------------------------------------------------------ summary


def summary_lines(parsed: ParsedDocument, region: Region, unit: str) -> list[SummaryLine]:
    """The lines of a 收支总表 / 财政拨款收支总表: label and amount, income on the left and
    expenditure on the right of a two-sided table.

    A final account prints a 行次 column after each label (``政府性基金预算财政拨款 | 30 | | | 62``,
    the right-hand label left blank): in a positional table those columns are dropped
    (``line_number_columns``); in a line split on spaces the integer after a label is skipped.
    """
    header = header_text(region)
    has_line_no = "行次" in header
    line_no_columns = line_number_columns(region)
    right = expenditure_column(region)
    out: list[SummaryLine] = []
    started = False  # header lines (unit name, 预算年度, 序号 / 项 / 目) come before the first figure
    for line in join_wrapped_labels(region.lines):
        if _TABLE_NUMBER.fullmatch(re.sub(r"\s+", "", line.text)):
            continue  # ``表 2``: the number of the next table, printed above its title
        cells = list(line.cells)
        dropped = False
        if line.positional and line_no_columns:
            cells, dropped = drop_line_numbers(cells, line_no_columns)
        groups = _label_groups(cells, has_line_no and not dropped)
        if not groups:
            continue
        if any(_HEADER_LABEL.fullmatch(label) for label, _, _ in groups):
            started = False  # the column header, repeated after a page break
        started = started or any(amount is not None for _, amount, _ in groups)
        # a positional table whose header places the 支出 side keeps every group of a line (江苏
        # prints 收入 | 支出 by 功能分类 | 支出 by 用途 side by side); otherwise income and expenditure
        shown = groups if line.positional and right is not None else groups[:2]
        for k, (label, amount, column) in enumerate(shown):
            if _HEADER_LABEL.fullmatch(label) or re.fullmatch(r"(收入|支出|合计|项|目|单位[:：].*)", label) \
                    or (amount is None and (re.search(r"[预决]算年度", label) or label == parsed.bureau.name)):
                continue  # column headers and the page header (unit name, 预算年度) between pages
            if not started and amount is None and not _ENUMERATED.match(label):
                continue
            if line.positional and right is not None:
                side = "expenditure" if column >= right else "income"
            elif line.positional and len(groups) >= 2:
                side = "income" if k == 0 else "expenditure"
            else:
                side = "expenditure" if _EXPENDITURE_WORDS.search(label) else "income"
            out.append(SummaryLine(parsed.meta.document_id, region.table, side, label,
                                   to_wan(amount, unit), line.page))
    return out


#: the end of a label wrapped onto the next line but one (``三、单位预留机动经`` … ``费``): short,
#: not a new item (一、 1. （一）), not a total
_LABEL_TAIL = re.compile(r"[^\d\s]{1,6}")


def join_wrapped_labels(lines: list[Line]) -> list[Line]:
    """Positional table lines with labels wrapped around their amount put back together.

    A cell too narrow for its label prints it on two lines with the amount between them, in
    the cell to the right (江苏 2019 收支预算总表: ``三、单位预留机动经`` / ``… | 3,990.40`` /
    ``费``), and the line in between may carry another column's label (``三、国防支出``), which
    the amount would otherwise be read with. For a label cell at column ``c`` on line k whose
    line k+1 is empty at ``c``, and whose line k+2 holds only a tail at ``c`` (short, not a
    new item, no amount beside it): the label becomes head + tail on line k, with the amount of
    line k+1 at ``c + 1`` moved up beside it, and the tail is blanked. Other lines are kept."""
    out = [list(line.cells) if line.positional else None for line in lines]
    for k in range(len(lines) - 2):
        here, mid, tail = out[k], out[k + 1], out[k + 2]
        if here is None or mid is None or tail is None:
            continue
        for c in range(min(len(here), len(mid), len(tail)) - 1):
            head, end = here[c].strip(), tail[c].strip()
            if not head or is_amount(head) or here[c + 1].strip() or mid[c].strip():
                continue
            if not _LABEL_TAIL.fullmatch(end) or _ENUMERATED.match(end) or re.search(r"[合小总]计", end) \
                    or tail[c + 1].strip():
                continue
            here[c] = head + end
            tail[c] = ""
            if is_amount(mid[c + 1].strip()):
                here[c + 1], mid[c + 1] = mid[c + 1], ""
    return [line if cells is None or list(line.cells) == cells
            else dataclasses.replace(line, cells=tuple(cells), text=" ".join(x for x in cells if x.strip()))
            for line, cells in zip(lines, out)]


_TABLE_NUMBER = re.compile(r"(?:公开)?表\d+(?:-\d+)?")
_LINE_NUMBER = re.compile(r"\d{1,3}")


def line_number_columns(region: Region) -> set[int]:
    """Cell indexes of the 行次 (line-number) columns of a positional table.

    A column is one if a header cell names it ``行次``, or if every figure in it is a whole
    number without decimals and, line after line, they count up by one (1, 2, 3 …): amounts
    carry decimals and do not count. Header words in the column (``行次``, ``栏次``) are ignored.
    """
    columns: set[int] = set()
    values: dict[int, list[str]] = {}
    for line in region.lines:
        if not line.positional:
            continue
        for i, cell in enumerate(line.cells):
            compact = re.sub(r"\s+", "", cell)
            if compact == "行次":
                columns.add(i)
            elif compact and is_amount(compact):
                values.setdefault(i, []).append(compact)
    for i, column in values.items():
        if len(column) >= 3 and all(_LINE_NUMBER.fullmatch(v) for v in column) and all(
                int(b) == int(a) + 1 for a, b in zip(column, column[1:])):
            columns.add(i)
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


def expenditure_column(region: Region) -> int | None:
    """The column where the 支出 side of a two-sided positional summary table starts: the cell
    ``支出`` of the header line that prints both ``收入`` and ``支出`` (None when there is none)."""
    for line in region.lines:
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        if line.positional and "收入" in cells and "支出" in cells and cells.index("收入") < cells.index("支出"):
            return cells.index("支出")
    return None


def _label_groups(cells: list[str], has_line_no: bool) -> list[tuple[str, Decimal | None, int]]:
    """(label, amount, column of the label) of each label of a line, in order."""
    groups: list[tuple[str, Decimal | None, int]] = []
    label: str | None = None
    amount: Decimal | None = None
    at = 0
    skip_int = False
    cells = [c.strip() for c in cells]
    first = 0
    # leading row numbers (序号)
    while first < len(cells) - 1 and re.fullmatch(r"\d{1,3}", cells[first]) and not is_amount(cells[first + 1]):
        first += 1
    for i, c in enumerate(cells):
        if i < first or not c:
            continue
        if is_amount(c):
            if label is None:
                continue
            if has_line_no and skip_int and re.fullmatch(r"\d{1,3}", c):
                skip_int = False
                continue
            if amount is None:
                amount = parse_amount(c)
            skip_int = False
            continue
        if label is not None:
            groups.append((label, amount, at))
        label, amount, at, skip_int = re.sub(r"\s+", "", c), None, i, True
    if label is not None:
        groups.append((label, amount, at))
    return groups


# ------------------------------------------------------------------- three public


def three_public_rows(parsed: ParsedDocument, region: Region) -> tuple[list[ThreePublicRow], bool]:
    """The "三公" figures of a table, its columns placed so that the parts add up.

    Layouts: one 合计 row across 合计 | 因公出国(境) | 公车小计 | 公车购置 | 公车运行 | 公务接待 (in the
    order the header prints them, twice in a final account: 预算数 then 决算数; 深圳 splits every
    item by fund and prints a row per year), or one row per item (珠海: ``“三公”经费 19.84``,
    ``因公出国（境）支出 13.20`` …). 上海's final account prints 预算数 | 决算数 under every item
    instead (``alternating_measures``). Headers are often garbled and a column lost, so a placement
    is accepted only if 合计 = 出国 + 公车 + 接待 and 公车 = 购置 + 运行, exactly or within the
    rounding of the printed decimals (``adds_up``). A measure whose cells are all blank (or 0) on
    a printed row is 0, its total and every item.
    """
    doc_id = parsed.meta.document_id
    unit = region_unit(region, parsed.meta.source_unit)
    measure = "final" if parsed.meta.phase == "final" else "budget"
    vertical = _three_public_by_label(region)
    if vertical:
        return [ThreePublicRow(doc_id, item, measure, to_wan(v, unit), page)
                for item, (v, page) in vertical.items()], True
    candidates = []
    for line in region.lines:
        row = cells_to_row(list(line.cells), line.positional, False, line.page)
        if row is None or not row.values or row.values[0] is None or _column_numbers(row.values):
            continue
        row.year = _row_year(line)
        candidates.append(row)
    if not candidates:  # published empty: the total is 0
        return [ThreePublicRow(doc_id, "total", measure, Decimal(0), region.page)], False
    row = (next((r for r in candidates if r.year == parsed.meta.year), None)
           or next((r for r in candidates if r.total), None) or candidates[0])
    header = header_text(region)
    stride = 3 if header.count("一般公共预算") >= 3 else 1
    values = row.values[::stride] if stride > 1 else row.values
    order = _header_order(header, region)
    width = len(order) if order else 6
    blocks = [(measure, values)]
    if parsed.meta.phase == "final" and row.positional and alternating_measures(region):
        padded = values + [None] * (2 * width - len(values))
        blocks = [("budget", padded[0 : 2 * width : 2]), ("final", padded[1 : 2 * width : 2])]
    elif parsed.meta.phase == "final" and len(values) > width:
        blocks = [("budget", values[:width]), ("final", values[width : 2 * width])]
    out = []
    for measure, block in blocks:
        placed = None
        if all(v is None or v == 0 for v in block):
            # the row is printed but this measure's cells are blank or 0: 合计 0, so is every item
            placed = {item: Decimal(0) for item in _THREE_PUBLIC_ITEMS}
        if placed is None and order and row.positional:
            placed = _check_three_public(dict(zip(order, block)))
        if placed is None and row.positional:
            placed = place_three_public(block)
        if placed is None:
            placed = {"total": block[0]}
        for item in _THREE_PUBLIC_ITEMS:
            v = placed.get(item)
            if v is not None and item != "vehicle_subtotal":
                out.append(ThreePublicRow(doc_id, item, measure, to_wan(v, unit), row.page))
    return out, True


_ITEM_WORDS = [("因公出国", "overseas_travel"), ("公务接待", "reception"), ("购置费", "vehicle_purchase"),
               ("运行", "vehicle_operation"), ("公务用车", "vehicle_subtotal")]


def _label_item(label: str) -> str | None:
    if re.search(r"三公|^合计$|^总计$", label):
        return "total"
    for word, item in _ITEM_WORDS:
        if word in label:
            return item
    return None


def _three_public_by_label(region: Region) -> dict[str, tuple[Decimal, int | None]]:
    """One row per item, label then amount (珠海's 行政经费及“三公”经费预算表)."""
    found: dict[str, tuple[Decimal, int | None]] = {}
    for line in region.lines:
        cells = [c.strip() for c in line.cells if c.strip()]
        if len(cells) < 2 or is_amount(cells[0]) or not is_amount(cells[1]):
            continue
        label = re.sub(r"\s+", "", cells[0])
        item = _label_item(label)
        if item and item not in found and "行政经费" not in label and "运行经费" not in label:
            found[item] = (parse_amount(cells[1]), line.page)
    if "total" not in found or len(found) < 3:
        return {}
    found.pop("vehicle_subtotal", None)
    return found


def operating_costs_line(region: Region) -> tuple[Decimal, int | None] | None:
    """The ``行政经费`` (机关运行经费) line of a "三公" table that also prints it (珠海's
    财政拨款安排的行政经费及“三公”经费预算表: ``行政经费 | 10,884.55 | …``): its 合计 and page.
    The glossary of that template defines 行政经费 and 机关运行经费 as one thing."""
    for line in region.lines:
        cells = [c.strip() for c in line.cells if c.strip()]
        if len(cells) >= 2 and re.fullmatch(r"行政经费|机关运行经费|行政经费[（(]机关运行经费[)）]",
                                             re.sub(r"\s+", "", cells[0])) and is_amount(cells[1]):
            return parse_amount(cells[1]), line.page
    return None


def _row_year(line) -> int | None:
    for c in line.cells:
        m = re.fullmatch(r"\s*(20\d{2})\s*年?(?:预算|决算)?(?:数)?\s*", c)
        if m:
            return int(m.group(1))
    return None


_HEADER_ITEMS = [
    (re.compile(r"因公出国"), "overseas_travel"),
    (re.compile(r"公务接待"), "reception"),
    (re.compile(r"购置及运行|购置及运行维护"), "vehicle_subtotal"),
    (re.compile(r"公务用车购置(?!及)"), "vehicle_purchase"),
    (re.compile(r"(?<!及)运行(?:维护)?费"), "vehicle_operation"),
]


def _header_order(header: str, region: Region | None = None) -> list[str] | None:
    """Column order of a "三公" table from its header (合计 first), or None if unclear.

    In a header printed over several rows the cell index orders the items, not the text.
    """
    found = []
    cells = _header_cells(region, {item: p for p, item in _HEADER_ITEMS}) if region is not None else {}
    for pattern, item in _HEADER_ITEMS:
        m = pattern.search(header)
        if m:
            found.append(((cells[item], 0) if item in cells else (10**6, m.start()), item))
    items = {item for _, item in found}
    if not {"overseas_travel", "reception", "vehicle_purchase", "vehicle_operation"} <= items:
        return None
    order = ["total"]
    # a grand 合计 over "三公" plus 会议费 / 培训费 comes before the "三公" subtotal (江苏)
    if re.search(r"会议费|培训费", header) and header.find("合计") < header.find("三公"):
        order = ["grand_total", "total"]
    for _, item in sorted(found):
        if item == "vehicle_purchase" and "vehicle_subtotal" not in items:
            order.append("vehicle_subtotal")
        order.append(item)
    return order


def alternating_measures(region: Region) -> bool:
    """Does the header print 预算数 | 决算数 under every item (上海's final-account 三公 table:
    合计 预算数 | 合计 决算数 | 因公出国（境）费 预算数 | …) rather than all 预算数 columns, then
    all 决算数 columns?"""
    for line in region.lines[:12]:
        if not line.positional:
            continue
        cells = [re.sub(r"\s+", "", c) for c in line.cells if c.strip()]
        if len(cells) >= 4 and all(re.fullmatch(r"预算数?|决算数?", c) for c in cells) and all(
                c.startswith("预" if k % 2 == 0 else "决") for k, c in enumerate(cells)):
            return True
    return False


def adds_up(whole: Decimal | None, parts: list[Decimal | None]) -> bool:
    """``whole`` = the sum of the printed ``parts`` (blank = 0), exactly or within the rounding of
    the printed decimals: each printed figure may be off by half a unit of its last digit
    (46.21 = 4.69 + 40.61 + 0.90 = 46.20, 国家信访局's 决算数)."""
    if whole is None:
        return False
    printed = [p for p in parts if p is not None]
    diff = abs(whole - sum(printed, Decimal(0)))
    return diff == 0 or diff < rounding_tolerance(whole, *printed, terms=len(printed))


def _check_three_public(v: dict[str, Decimal | None]) -> dict[str, Decimal | None] | None:
    """The header's placement of a "三公" row, if its parts add up: 合计 = 出国 + 公车 + 接待 and
    公车 = 购置 + 运行 (within rounding, ``adds_up``); None otherwise."""
    z = Decimal(0)
    parts = [v.get("overseas_travel"), v.get("vehicle_subtotal"), v.get("reception")]
    vehicle = [v.get("vehicle_purchase"), v.get("vehicle_operation")]
    if adds_up(v.get("total"), parts) and (
            adds_up(v.get("vehicle_subtotal"), vehicle) or v.get("vehicle_subtotal") is None
            and sum((p or z for p in vehicle), z) == 0):
        return v
    return None


def place_three_public(block: list[Decimal | None]) -> dict[str, Decimal | None] | None:
    z = Decimal(0)
    layouts = [list(_THREE_PUBLIC_ITEMS)] + [
        [c for c in _THREE_PUBLIC_ITEMS if c != drop] for drop in _THREE_PUBLIC_ITEMS[1:]
    ]
    for layout in layouts:
        if len(block) > len(layout):
            continue
        v = dict(zip(layout, block))
        parts = [v.get(k) or z for k in ("overseas_travel", "vehicle_subtotal", "reception")]
        vehicle = (v.get("vehicle_purchase") or z) + (v.get("vehicle_operation") or z)
        if "vehicle_subtotal" not in layout:
            parts[1] = vehicle
        if v.get("total") == sum(parts) and (v.get("vehicle_subtotal") or z) in (vehicle, z) and (
            "vehicle_subtotal" not in layout or (v.get("vehicle_subtotal") or z) == vehicle
        ):
            return v
    return None


def _column_numbers(values: list[Decimal | None]) -> bool:
    """``1 2 3 4 5 6`` (栏次): column numbers, not amounts."""
    return len(values) >= 2 and all(v == i + 1 for i, v in enumerate(values))


# ----------------------------------------------------------------------- projects


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


# ---------------------------------------------------------------------- narrative


def add_narrative_items(parsed: ParsedDocument) -> None:
    """Item figures stated only in the narrative become function rows of table ``narrative``."""
    have = {r.code for r in parsed.function_rows if r.table in ("general_public_function", "expenditure")}
    seen: set[str] = set()
    for fact in parsed.narrative:
        code = fact.topic
        if not re.fullmatch(r"2\d{2}(\d{2}){0,2}", code) or code in have or code in seen:
            continue
        seen.add(code)
        level = {3: "class", 5: "section", 7: "item"}[len(code)]
        parsed.function_rows.append(FunctionRow(
            parsed.meta.document_id, "narrative", code, _name_before_code(fact.sentence, code), level,
            fact.amount, None, None, fact.source_page))


def add_narrative_economic(parsed: ParsedDocument) -> None:
    if parsed.economic_rows:
        return
    seen: set[str] = set()
    for fact in parsed.narrative:
        code = fact.topic
        if not re.fullmatch(r"3\d{2}(\d{2})?", code) or code in seen:
            continue
        seen.add(code)
        parsed.economic_rows.append(EconomicRow(
            parsed.meta.document_id, "narrative", code, _name_before_code(fact.sentence, code),
            "class" if len(code) == 3 else "item", fact.amount, None, None, fact.source_page))


def _name_before_code(sentence: str, code: str) -> str:
    m = re.search(r"([\u4e00-\u9fa5（）()、]+?)\s*[（(]\s*" + code, sentence)
    if not m:
        return ""
    name = re.sub(r"^[（(]?\d+[)）]|^[（(]?[一二三四五六七八九十]+[)）]", "", m.group(1))
    return name.strip("（()）、")
