"""The “三公” table: 合计, 因公出国（境）, 公务用车 (购置, 运行维护) and 公务接待, placed so that the
parts add up (``three_public_rows``), and the 机关运行经费 some templates print in it: a 行政经费 line
(珠海, 广州) or a column of the 三公 row (上海)."""
from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import is_amount, parse_amount, rounding_tolerance, to_wan
from ..records import ParsedDocument, TableInfo, ThreePublicRow
from ..vocabulary import THREE_PUBLIC_COLUMNS, THREE_PUBLIC_NAMES
from .columns import ColumnTrace, header_cells
from .regions import Region, header_text
from .rows import cells_to_row
from .table_info import add_table
from .units import table_unit



def three_public_rows(parsed: ParsedDocument, region: Region) -> tuple[list[ThreePublicRow], bool]:
    """The "三公" figures of a table, its columns placed so that the parts add up, and whether
    the table prints a row (``read_three_public`` without the 机关运行经费 column)."""
    rows, printed, _ = read_three_public(parsed, region)
    return rows, printed


def read_three_public(parsed: ParsedDocument, region: Region
                      ) -> tuple[list[ThreePublicRow], bool, tuple[Decimal, int | None] | None]:
    """The "三公" figures of a table, its columns placed so that the parts add up; whether it
    prints a row; and the 机关运行经费 its header prints as a column of the same row (上海:
    ``“三公”经费预算数 (合计 | 出国 | 接待 | 公务用车 小计 | 购置费 | 运行费) | 机关运行经费预算数``),
    the document's own measure, in the table's unit, with its page (a blank cell is 0: 本单位无
    机关运行经费), or None.

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
    unit = table_unit(parsed, region)
    measure = "final" if parsed.meta.phase == "final" else "budget"
    vertical = _three_public_by_label(region)
    if vertical:
        return [ThreePublicRow(doc_id, item, measure, to_wan(v, unit), page)
                for item, (v, page) in vertical.items()], True, None
    candidates = []
    for line in region.lines:
        row = cells_to_row(list(line.cells), line.positional, False, line.page)
        if row is None or not row.values or row.values[0] is None or _column_numbers(row.values):
            continue
        row.year = _row_year(line)
        candidates.append(row)
    if not candidates:  # published empty: the total is 0
        return [ThreePublicRow(doc_id, "total", measure, Decimal(0), region.page)], False, None
    row = (next((r for r in candidates if r.year == parsed.meta.year), None)
           or next((r for r in candidates if r.total), None) or candidates[0])
    header = header_text(region)
    order = _header_order(header, region)
    this_year = _this_year_block(row.values, header, parsed.meta.year, len(order or ()))
    stride = 3 if this_year is None and header.count("一般公共预算") >= 3 else 1
    values = this_year or (row.values[::stride] if stride > 1 else row.values)
    width = len(order) if order else 6
    blocks = [(measure, values)]
    if parsed.meta.phase == "final" and row.positional and alternating_measures(region):
        padded = values + [None] * (2 * width - len(values))
        blocks = [("budget", padded[0 : 2 * width : 2]), ("final", padded[1 : 2 * width : 2])]
    elif parsed.meta.phase == "final" and len(values) > width:
        blocks = [("budget", values[:width]), ("final", values[width : 2 * width])]
    out, operating = [], None
    for block_measure, block in blocks:
        placed, by_header = _place(block, order if row.positional else None, row.positional)
        for item in THREE_PUBLIC_COLUMNS:
            v = placed.get(item)
            if v is not None and item != "vehicle_subtotal":
                out.append(ThreePublicRow(doc_id, item, block_measure, to_wan(v, unit), row.page))
        if block_measure == measure and by_header and OPERATING_COLUMN in order:
            operating = (placed.get(OPERATING_COLUMN) or Decimal(0), row.page)
    return out, True, operating


def _place(block: list[Decimal | None], order: list[str] | None, positional: bool
           ) -> tuple[dict[str, Decimal | None], bool]:
    """One measure's figures placed in their columns, and whether by the header's order (so
    that a column besides the "三公" items, 机关运行经费, is placed too)."""
    if all(v is None or v == 0 for v in block):
        # the row is printed but this measure's cells are blank or 0: 合计 0, so is every item
        return {item: Decimal(0) for item in (*THREE_PUBLIC_COLUMNS, *(order or ()))}, bool(order)
    placed = _check_three_public(dict(zip(order, block))) if order else None
    if placed is not None:
        return placed, True
    placed = place_three_public(block) if positional else None
    return (placed if placed is not None else {"total": block[0]}), False


#: 西安's header: 上年 | 当年 | 增减变化情况 (or 2019年 | 2020年 | 增减变化情况), each over the same columns
_YEAR_BLOCKS = re.compile(r"(?:上年|(\d{4})年)[^年]{0,6}?(?:当年|本年|(\d{4})年)[^年]{0,6}?增减")


def _this_year_block(values: list, header: str, year: int, width: int) -> list | None:
    """The columns of this year when the header prints the year before, this year and the
    change as three blocks of the same columns (西安: 合计 | 三公 小计 | items | 会议费 | 培训费
    three times): the middle third of the row; None for any other header."""
    m = _YEAR_BLOCKS.search(header)
    if m is None or len(values) % 3 or len(values) < 3 * width or m.group(2) and int(m.group(2)) != year:
        return None
    n = len(values) // 3
    return values[n:2 * n]


#: 公务用车购置及运行费 is the vehicles' subtotal (福州: ``3、公务用车购置及运行费 426.75`` over
#: ``（1）公务用车购置费 200.00`` and ``（2）公务用车运行费 226.75``), not their 运行费
_ITEM_WORDS = (("因公出国", "overseas_travel"), ("公务接待", "reception"), ("购置及运行", "vehicle_subtotal"),
               ("购置和运行", "vehicle_subtotal"), ("购置费", "vehicle_purchase"),
               ("运行", "vehicle_operation"), ("公务用车", "vehicle_subtotal"))


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


_HEADER_ITEMS = (
    (re.compile(r"因公出国"), "overseas_travel"),
    (re.compile(r"公务接待"), "reception"),
    (re.compile(r"购置[及和]运行"), "vehicle_subtotal"),
    # 上海 heads the car columns 小计 | 购置费 | 运行费 under 公务用车购置及运行费
    (re.compile(r"公务用车购置(?![及和])|购置费"), "vehicle_purchase"),
    # 西安 2019 prints 公务用车运行维护 without 费
    (re.compile(r"(?<![及和])运行(?:维护)?费|(?<![及和])运行维护"), "vehicle_operation"),
)

#: the 机关运行经费 a "三公" table may print as a column of its row (上海's “三公”经费和机关运行经费
#: 预算表), named after the table its figure becomes the 合计 of
OPERATING_COLUMN = "operating_costs"
_OPERATING_HEADER = re.compile(r"机关运行经费|行政经费")


def _header_order(header: str, region: Region | None = None) -> list[str] | None:
    """Column order of a "三公" table from its header (合计 first), or None if unclear.

    In a header printed over several rows the cell index orders the items, not the text. A
    机关运行经费 column is placed where its header cell is (only a cell: the words in a note or
    a title name no column).
    """
    found = []
    patterns = {item: p for p, item in _HEADER_ITEMS} | {OPERATING_COLUMN: _OPERATING_HEADER}
    cells = header_cells(region, patterns) if region is not None else {}
    for pattern, item in _HEADER_ITEMS:
        m = pattern.search(header)
        if m:
            found.append(((cells[item], 0) if item in cells else (10**6, m.start()), item))
    items = {item for _, item in found}
    if not set(THREE_PUBLIC_NAMES) <= items:
        return None
    order = ["total"]
    # a grand 合计 over "三公" plus 会议费 / 培训费 comes before the "三公" subtotal (江苏)
    if re.search(r"会议费|培训费", header) and header.find("合计") < header.find("三公"):
        order = ["grand_total", "total"]
    for _, item in sorted(found):
        if item == "vehicle_purchase" and "vehicle_subtotal" not in items:
            order.append("vehicle_subtotal")
        order.append(item)
    if OPERATING_COLUMN in cells and all(item in cells for _, item in found):
        # before the "三公" columns, or after the one it follows (cell indexes, all of them)
        before = [item for (at, _), item in found if at < cells[OPERATING_COLUMN]]
        order.insert(max((order.index(item) for item in before), default=-1) + 1, OPERATING_COLUMN)
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
    layouts = [list(THREE_PUBLIC_COLUMNS)] + [
        [c for c in THREE_PUBLIC_COLUMNS if c != drop] for drop in THREE_PUBLIC_COLUMNS[1:]
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


def recognize_three_public(parsed: ParsedDocument, region: Region, unit: str,
                           economic_names: dict[str, str] | None = None,
                           trace: ColumnTrace | None = None) -> None:
    """A "三公" table into ``parsed.three_public``; the 机关运行经费 it prints, as a column of its
    row (上海) or as a 行政经费 line (珠海, 广州), becomes the 合计 of an ``operating_costs`` table."""
    items, printed, operating = read_three_public(parsed, region)
    parsed.three_public.extend(items)
    add_table(parsed, region, len(items) if printed else 0, unit, force_empty=not printed)
    operating = operating or operating_costs_line(region)
    if operating is not None:
        amount, page = operating
        parsed.tables.append(TableInfo(parsed.meta.document_id, "operating_costs", region.title, page, 1, False,
                                       None, unit, total=to_wan(amount, unit)))
