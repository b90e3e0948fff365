"""Summary tables: the 收支总表 / 财政拨款收支总表 (label and amount, income on the left and
expenditure on the right), and a 收入总表 printed by source of funds instead of by function
code (``income_by_source`` across the columns, ``income_by_source_rows`` down the rows)."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

from ..numbers import is_amount, parse_amount, to_wan
from ..records import Line, ParsedDocument, SummaryLine
from ..vocabulary import FUND_WORDS, FUNDS
from .columns import ColumnTrace, drop_line_numbers, expenditure_column, line_number_columns
from .regions import Region, header_text
from .table_info import add_table

_EXPENDITURE_WORDS = re.compile(r"支出|结转下年|年末结转|年终结转|结余分配|转入事业基金|支出总计")
_HEADER_LABEL = re.compile(r"(项目|栏次|预算数|金额|决算数|序号|行次)")
_ENUMERATED = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[、)）.．]")


def summary_lines(parsed: ParsedDocument, region: Region, unit: str,
                  trace: ColumnTrace | None = None) -> list[SummaryLine]:
    """The lines of a 收支总表 / 财政拨款收支总表: label and amount, income on the left and
    expenditure on the right of a two-sided table.

    A final account prints a 行次 column after each label (``政府性基金预算财政拨款 | 30 | | | 62``,
    the right-hand label left blank): in a positional table those columns are dropped
    (``line_number_columns``); in a line split on spaces the integer after a label is skipped.
    """
    header = header_text(region)
    has_line_no = "行次" in header
    line_no_columns = line_number_columns(region, trace)
    right = expenditure_column(region, trace)
    funds_at = fund_columns(region, right, trace)
    out: list[SummaryLine] = []
    started = False  # header lines (unit name, 预算年度, 序号 / 项 / 目) come before the first figure
    in_note = False  # inside a note printed under the table (注：…)
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
        figures = any(amount is not None for _, amount, _ in groups)
        if not figures and (_NOTE.match(groups[0][0]) or in_note and not line.positional):
            in_note = True  # a note under the table, and its text wrapped onto the next lines
            continue
        in_note = False
        if any(_HEADER_LABEL.fullmatch(label) for label, _, _ in groups):
            started = False  # the column header, repeated after a page break
        started = started or figures
        # a positional table whose header places the 支出 side keeps every group of a line (江苏
        # prints 收入 | 支出 by 功能分类 | 支出 by 用途 side by side); otherwise income and expenditure
        shown = groups if line.positional and right is not None else groups[:2]
        for k, (label, amount, column) in enumerate(shown):
            if _HEADER_LABEL.fullmatch(label) or re.fullmatch(r"(收入|支出|项|目|单位[:：].*)", label) \
                    or (amount is None and (re.search(r"[预决]算年度", label) or label == parsed.bureau.name
                                            or label == "合计")):
                continue  # column headers and the page header (unit name, 预算年度) between pages
            if not started and amount is None and not _ENUMERATED.match(label):
                continue
            if line.positional and right is not None:
                side = "expenditure" if column >= right else "income"
            elif line.positional and len(groups) >= 2:
                side = "income" if k == 0 else "expenditure"
            else:
                side = "expenditure" if _EXPENDITURE_WORDS.search(label) else "income"
            end = shown[k + 1][2] if k + 1 < len(shown) else len(cells)
            funds = _fund_amounts(cells, funds_at, column, end, unit) if side == "expenditure" else ()
            out.append(SummaryLine(parsed.meta.document_id, region.table, side, label,
                                   to_wan(amount, unit), line.page, funds))
    return out


def fund_columns(region: Region, right: int | None, trace: ColumnTrace | None = None) -> dict[int, str]:
    """Column index → fund (``vocabulary.FUNDS``) of a 支出 side split by fund: the header line
    that prints, right of where the 支出 side starts, two or more fund names and no figure
    (重庆, 长沙, 上海: ``项目 | 合计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算``). Empty
    when the side prints one column (a class line such as ``二十、国有资本经营预算支出`` is no
    header: it carries a figure or names one fund only)."""
    right = right if right is not None else _side_heading(region)
    if right is None:
        return {}
    for line in region.lines:
        if not line.positional or any(is_amount(c.strip()) for c in line.cells):
            continue
        found = {}
        for i, cell in enumerate(line.cells[right:], right):
            named = [fund for fund, word in FUND_WORDS.items() if word in re.sub(r"\s+", "", cell)]
            if len(named) == 1 and "支出" not in cell:
                found[i] = named[0]
        if len(set(found.values())) >= 2:
            if trace is not None:
                trace.say("资金", "the expenditure side is split by fund: " + ", ".join(
                    f"cell {i} {FUNDS[f]}" for i, f in sorted(found.items())))
            return found
    return {}


def _side_heading(region: Region) -> int | None:
    """Where a header naming its sides ``财政拨款收入 | … | 财政拨款支出`` (上海) starts the 支出 side."""
    for line in region.lines:
        cells = [re.sub(r"\s+", "", c) for c in line.cells]
        if not line.positional or any(is_amount(c) for c in cells):
            continue
        income = next((i for i, c in enumerate(cells) if c.endswith("收入")), None)
        spending = next((i for i, c in enumerate(cells) if c.endswith("支出")), None)
        if income is not None and spending is not None and income < spending:
            return spending
    return None


def _fund_amounts(cells: list[str], funds_at: dict[int, str], start: int, end: int,
                  unit: str) -> tuple[tuple[str, Decimal | None], ...]:
    """(fund, amount) of the fund columns between a label at ``start`` and the next label."""
    return tuple((fund, to_wan(parse_amount(cells[i].strip()), unit) if i < len(cells) and is_amount(cells[i].strip())
                  else None) for i, fund in sorted(funds_at.items()) if start < i < end)


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


#: ``表 2``, ``公开表2-1``, ``表二`` (重庆): the number of the next table, printed above its title
_TABLE_NUMBER = re.compile(r"(?:公开)?表(?:\d+(?:-\d+)?|[一二三四五六七八九十]+)")
#: a note printed under the table (重庆 ``注：由于四舍五入因素，部分分项加和与合计可能略有差异``)
_NOTE = re.compile(r"(?:注|说明|备注)\d*[:：]")


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


def recognize_summary(parsed: ParsedDocument, region: Region, unit: str,
                      economic_names: dict[str, str] | None = None, trace: ColumnTrace | None = None) -> None:
    """A 收支总表 / 财政拨款收支总表 into ``parsed.summary_lines``."""
    lines = summary_lines(parsed, region, unit, trace)
    parsed.summary_lines.extend(lines)
    add_table(parsed, region, len(lines), unit)
