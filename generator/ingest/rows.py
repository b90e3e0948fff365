"""Printed rows of the characters outside ruled tables (``ingest.pdf``): rows of free text
split into parts at wide gaps, and blocks of aligned rows with numbers read as tables without
rulings (column bands, wrapped name fragments joined, header rows). What ``ingest.pdf`` emits
from them is described in its docstring; ``normalize`` is the text normalization of every cell.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

Char = dict[str, Any]  # a pdfplumber char: text, x0, x1, top, bottom, size, upright, ...

# Gaps are measured in ems (the font size of the characters around the gap).
SPACE_GAP_EM = 0.25  # wider than this inside a cell/part -> a space (removed next to CJK)
TABLE_GAP_EM = 1.0  # wider than this -> a column gap, when looking for tables without rulings
FIELD_GAP_EM = 3.0  # wider than this -> separate cells on a line that is not a table row
MIN_UNRULED_ROWS = 3  # rows with numbers needed to call aligned text a table
_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_SPACE_NEXT_TO_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")
_NUMERIC = re.compile(r"^[-+(（]?[\d,，]*\d(?:\.\d+)?%?[)）]?$")


@dataclass
class Row:
    """One printed row of free text (outside ruled tables)."""

    top: float
    bottom: float
    parts: list[tuple[float, float, str]]  # (x0, x1, text) split at TABLE_GAP_EM gaps
    em: float

    @property
    def has_number(self) -> bool:
        return any(_NUMERIC.match(text) for _, _, text in self.parts)


@dataclass(order=True)
class Item:
    """A line waiting to be ordered on its page."""

    top: float
    x0: float
    cells: tuple[str, ...] = field(compare=False)
    positional: bool = field(compare=False)


# -------------------------------------------------------------------- rows of free text


def chars_to_char_rows(chars: Iterable[Char]) -> list[list[Char]]:
    """Group characters into printed rows by vertical overlap (not by equal ``top``), so a
    number set in another font on a lower baseline stays on its line; rows sorted by top."""
    rows: list[tuple[float, float, list[Char]]] = []
    open_rows: list[tuple[float, float, list[Char]]] = []
    for char in sorted(chars, key=lambda c: c["top"]):
        top, bottom = char["top"], char["bottom"]
        height = max(bottom - top, 0.1)
        open_rows = [row for row in open_rows if row[1] > top]
        best, best_overlap = None, 0.0
        for row in open_rows:
            overlap = min(row[1], bottom) - max(row[0], top)
            if overlap >= 0.5 * min(row[1] - row[0], height) and overlap > best_overlap:
                best, best_overlap = row, overlap
        if best is None:
            best = (top, top + height, [])
            rows.append(best)
            open_rows.append(best)
        best[2].append(char)
    for row in rows:
        row[2].sort(key=lambda c: c["x0"])
    return [row[2] for row in rows]


def char_row_to_text(row: Sequence[Char]) -> str:
    """Characters of one printed row (sorted by x) as text, with spaces at visible gaps."""
    out: list[str] = []
    previous: Char | None = None
    for char in row:
        if previous is not None and char["x0"] - previous["x1"] > SPACE_GAP_EM * char_em(char):
            out.append(" ")
        out.append(char["text"])
        previous = char
    return "".join(out)


def char_em(char: Char) -> float:
    return max(float(char.get("size") or 0.0), char["bottom"] - char["top"], 1.0)


def chars_to_rows(chars: Iterable[Char]) -> list[Row]:
    """Printed rows of free text, each split into parts at gaps wider than TABLE_GAP_EM."""
    rows = []
    for members in chars_to_char_rows(chars):
        parts: list[tuple[float, float, str]] = []
        start = 0
        for i in range(1, len(members) + 1):
            if i == len(members) or members[i]["x0"] - members[i - 1]["x1"] > TABLE_GAP_EM * char_em(members[i]):
                piece = members[start:i]
                text = normalize(char_row_to_text(piece))
                if text:
                    parts.append((piece[0]["x0"], max(c["x1"] for c in piece), text))
                start = i
        if parts:
            em = statistics.median(char_em(c) for c in members)
            rows.append(Row(min(c["top"] for c in members), max(c["bottom"] for c in members), parts, em))
    return rows


def rows_to_items(rows: list[Row]) -> list[Item]:
    """Free rows as items: blocks of aligned rows with numbers become positional table
    rows; everything else is a text line."""
    items: list[Item] = []
    used: set[int] = set()
    for block in find_unruled_blocks(rows):
        block_items, block_rows = block_to_items(rows, block)
        items.extend(block_items)
        used.update(block_rows)
    for index, row in enumerate(rows):
        if index not in used:
            items.append(Item(row.top, row.parts[0][0], row_to_text_cells(row), False))
    return items


def row_to_text_cells(row: Row) -> tuple[str, ...]:
    """A line that is not a table row: one cell, or one per part when parts are far apart."""
    cells: list[str] = []
    previous_x1: float | None = None
    for x0, x1, text in row.parts:
        if previous_x1 is not None and x0 - previous_x1 <= FIELD_GAP_EM * row.em:
            cells[-1] = normalize(cells[-1] + " " + text)
        else:
            cells.append(text)
        previous_x1 = x1
    return tuple(cells)


# ------------------------------------------------------------------ tables without rulings


def is_data_row(row: Row) -> bool:
    """A row of a table without rulings: parts far apart, at least one of them a number."""
    return len(row.parts) >= 2 and row.has_number


def is_fragment_row(row: Row) -> bool:
    """Possibly a wrapped piece of a name on its own row: one part, not a number."""
    return len(row.parts) == 1 and not row.has_number


def find_unruled_blocks(rows: list[Row]) -> list[list[int]]:
    """Index lists of rows forming tables without rulings: at least MIN_UNRULED_ROWS data
    rows, with at most two one-part rows (wrapped names) between consecutive data rows and
    at most two just before the first / after the last one."""
    blocks: list[list[int]] = []
    block: list[int] = []
    fragments: list[int] = []  # one-part rows since the last data row

    def close() -> None:
        if sum(is_data_row(rows[i]) for i in block) >= MIN_UNRULED_ROWS:
            blocks.append(block + fragments)

    for index, row in enumerate(rows):
        if is_data_row(row):
            block.extend(fragments)
            block.append(index)
            fragments = []
        elif is_fragment_row(row) and len(fragments) < 2:
            fragments.append(index)
        else:
            close()
            block, fragments = [], ([index] if is_fragment_row(row) else [])
    close()
    return blocks


def column_bands(rows: Sequence[Row]) -> list[tuple[float, float]]:
    """x-ranges of the columns: the union of overlapping part extents of the data rows."""
    extents = sorted((x0, x1) for row in rows for x0, x1, _ in row.parts)
    bands: list[list[float]] = []
    for x0, x1 in extents:
        if bands and x0 <= bands[-1][1] + 1.0:
            bands[-1][1] = max(bands[-1][1], x1)
        else:
            bands.append([x0, x1])
    return [(x0, x1) for x0, x1 in bands]


def band_overlap(x0: float, x1: float, band: tuple[float, float]) -> float:
    """Overlap of a part with a band; minus the distance between them when they do not meet."""
    overlap = min(x1, band[1]) - max(x0, band[0])
    return overlap if overlap > 0 else -min(abs(x0 - band[1]), abs(band[0] - x1))


def part_to_band(x0: float, x1: float, bands: Sequence[tuple[float, float]]) -> int:
    """Index of the band a part overlaps most (the nearest one when it overlaps none)."""
    return max(range(len(bands)), key=lambda i: band_overlap(x0, x1, bands[i]))


def row_to_band_cells(row: Row, bands: Sequence[tuple[float, float]]) -> list[str]:
    cells = [""] * len(bands)
    for x0, x1, text in row.parts:
        band = part_to_band(x0, x1, bands)
        cells[band] = normalize(f"{cells[band]} {text}") if cells[band] else text
    return cells


def block_to_items(rows: list[Row], block: list[int]) -> tuple[list[Item], list[int]]:
    """Positional rows of one table without rulings (wrapped-name fragments joined into the
    row they belong to), its header rows, and the indices of all rows it used."""
    data = [i for i in block if is_data_row(rows[i])]
    bands = column_bands([rows[i] for i in data])
    cells = {i: row_to_band_cells(rows[i], bands) for i in data}
    used: list[int] = []
    pitch_gap = statistics.median(
        [rows[b].top - rows[a].bottom for a, b in zip(data, data[1:])] or [rows[data[0]].em]
    )
    for i in block:
        if i in cells:
            continue
        target, gap = nearest_data_row(rows, data, i)
        x0, x1, fragment = rows[i].parts[0]
        band = part_to_band(x0, x1, bands)
        if gap < 0.6 * pitch_gap:  # tighter than the row spacing: a wrapped piece of a cell
            joined = fragment + cells[target][band] if i < target else cells[target][band] + fragment
            cells[target][band] = normalize(joined)
            used.append(i)
        elif data[0] < i < data[-1]:  # a row of its own with one filled column (e.g. 其中：)
            cells[i] = row_to_band_cells(rows[i], bands)
            used.append(i)
    first = min(used + data)
    headers = header_rows(rows, first, bands)
    for i in headers:
        cells[i] = row_to_band_cells(rows[i], bands)
    items = [Item(rows[i].top, bands[0][0], tuple(row), True) for i, row in cells.items()]
    return items, data + used + headers


def nearest_data_row(rows: list[Row], data: list[int], index: int) -> tuple[int, float]:
    """The data row vertically closest to a one-part row, and the gap between them."""
    above = max((i for i in data if i < index), default=None)
    below = min((i for i in data if i > index), default=None)
    gap_above = rows[index].top - rows[above].bottom if above is not None else float("inf")
    gap_below = rows[below].top - rows[index].bottom if below is not None else float("inf")
    if below is not None and gap_below <= gap_above:  # a tie goes down: names wrap around the code line
        return below, gap_below
    assert above is not None
    return above, gap_above


def header_rows(rows: list[Row], first: int, bands: Sequence[tuple[float, float]]) -> list[int]:
    """Up to three column-header rows just above a block: rows without numbers whose parts
    each fall on a different band."""
    headers: list[int] = []
    index = first - 1
    while index >= 0 and len(headers) < 3:
        row = rows[index]
        if row.has_number or len(row.parts) < 2:
            break
        hit = [part_to_band(x0, x1, bands) for x0, x1, _ in row.parts]
        fits = all(band_overlap(x0, x1, bands[b]) > 0 for (x0, x1, _), b in zip(row.parts, hit))
        if not fits or len(set(hit)) != len(hit):
            break
        headers.insert(0, index)
        index -= 1
    return headers


def normalize(text: str) -> str:
    """Collapse whitespace; drop spaces next to CJK characters."""
    return _SPACE_NEXT_TO_CJK.sub("", " ".join(text.split()))
