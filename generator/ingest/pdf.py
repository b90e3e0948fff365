"""PDF ingest: one disclosure PDF -> ``Line`` records (see ``generator/records.py``).

Input: a PDF file (部门预算 / 单位预算 / 部门决算) with a text layer.
Output: ``pdf_to_lines(path, name) -> (lines, page_count)``; every ``Line`` carries its
1-based ``page`` and ``source=name``. Lines come in reading order (top to bottom of each
page), so a title such as ``2026年部门收支总表`` and ``单位：万元`` precede their table rows.

What is emitted, per kind of content:

* **Ruled tables** (pdfplumber's table finder, ``page.find_tables()``): one ``Line`` per table
  row, ``positional=True``, one cell per table column; a merged (spanning) cell gives its text
  at its first column and ``''`` in the columns it covers; columns empty in every row of that
  table are dropped, rows with no text are dropped, empty slivers between the strokes of a
  double rule are ignored, and two grid columns that no row separates (a header's rule a few
  points off the figures' rule) are one column. A cell whose text wraps inside the cell
  is joined without the line break (``其他医疗保障管理事务支出``).
  Codes are emitted as printed: split 类/款/项 columns stay separate cells
  (``'204', '06', '01', '行政运行', ...``; a 类 row has ``'204', '', ''``), codes joined to names
  stay joined (``2101501-行政运行``, ``[2011301]行政运行``); the recognizer splits/joins them.
* **Tables without rulings**: a block of >= 3 printed rows with wide gaps and numbers is
  cut into column bands (x-ranges shared by the block's rows); each row gives one cell per
  band, ``''`` where the band is empty, ``positional=True``. Name fragments wrapped onto
  their own rows just above/below a row with numbers (深圳: ``其他医疗保障管理事务`` /
  ``2101599 …`` / ``支出``) are joined into that row's cell. Column header rows just above the
  block are emitted on the same bands when each of their pieces fits one band.
* **Other text**: one ``Line`` per printed line, ``positional=False``. Prose is one cell; a
  line whose parts are far apart (``部门名称：…        单位：万元``) has one cell per part.

Text is normalized: whitespace runs collapse to one space and spaces next to a CJK character
are removed (``本 年 收 入 合 计`` -> ``本年收入合计``, ``2024 年`` -> ``2024年``); numbers keep
their thousands separators. Page numbers (``- 3 -``, ``第 3 页``, a bare ``15``) at the top or
bottom of a page are dropped; repeated table titles/headers on continuation pages stay.
Text drawn outside the visible page is ignored.

Errors (``records.IngestError(name, reason)``, reasons are the ``REASON_*`` constants): empty
file, not a PDF, truncated (no ``%%EOF``), corrupt, encrypted with a password, and no text
layer at all (scanned); a looping or too deep page tree and a decompression bomb
(``ingest.pdf_checks``). "Not a budget disclosure" is left to the recognizer.

Characters and rulings come from PDFium (``ingest.pdfium_page``, pdfminer's and pdfplumber's
conventions reproduced, pdfplumber's table finder run on its edges) on every page whose fonts
it decodes as pdfminer does; other pages (a Type0 font without ToUnicode, Type3, /Rotate) are
read by pdfplumber as before. ``engine="pdfplumber"`` reads every page with pdfplumber
(``bench/compare_ingest.py`` checks both give the same lines).

Debug: ``python -m generator.ingest_pdf FILE.pdf`` prints every line as
``page  T|  cell | cell | ...`` (``T`` marks positional table rows).
"""
from __future__ import annotations

import re
import statistics
import sys
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ..records import IngestError, Line
from . import pdfium_page
from .clean import Removed
from .pdf_checks import check_opened, check_page_streams

Char = dict[str, Any]  # a pdfplumber char: text, x0, x1, top, bottom, size, upright, ...

REASON_EMPTY = "empty file (0 bytes)"
REASON_NOT_PDF = "not a PDF"
REASON_TRUNCATED = "truncated PDF (no %%EOF marker)"
REASON_CORRUPT = "corrupt PDF"
REASON_ENCRYPTED = "encrypted PDF, needs a password"
REASON_SCANNED = "scanned PDF, needs OCR"
REASON_UNDECODABLE = "text layer cannot be decoded (fonts without a Unicode map), needs OCR"

# Gaps are measured in ems (the font size of the characters around the gap).
SPACE_GAP_EM = 0.25  # wider than this inside a cell/part -> a space (removed next to CJK)
TABLE_GAP_EM = 1.0  # wider than this -> a column gap, when looking for tables without rulings
FIELD_GAP_EM = 3.0  # wider than this -> separate cells on a line that is not a table row
MARGIN_SHARE = 0.15  # page numbers are looked for in the top/bottom 15% of the page
MIN_UNRULED_ROWS = 3  # rows with numbers needed to call aligned text a table
TABLE_SETTINGS: dict[str, Any] | None = None  # pdfplumber's defaults (lines strategy, snap 3 pt)
SLIVER_PT = 7.0  # an empty cell narrower/shorter than this is the gap inside a double rule

# pdfplumber wraps what pdfminer raises while parsing in PdfminerException; our own bugs
# are not caught, so they are not reported as a corrupt file.
PARSE_ERRORS = (PdfminerException, PDFException, PSException)

_CJK = "\u2e80-\u9fff\u3000-\u303f\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_SPACE_NEXT_TO_CJK = re.compile(rf"\s+(?=[{_CJK}])|(?<=[{_CJK}])\s+")
_NUMERIC = re.compile(r"^[-+(（]?[\d,，]*\d(?:\.\d+)?%?[)）]?$")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]*\s*\d{1,4}\s*[-—–－]*|[-—–－]+\s*\d(?: \d){1,3}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)


# ------------------------------------------------------------------------------ entry point


def pdf_to_lines(
    path: Path, name: str, removed: Removed | None = None, engine: str = "pdfium"
) -> tuple[list[Line], int]:
    """Read one PDF into lines (tables as positional cell rows, prose as one-cell lines) and its page count.

    Raises ``IngestError(name, reason)`` for: zero bytes, not a PDF / truncated / corrupt,
    encrypted (password), no text layer ('scanned PDF, needs OCR'). Deciding that a readable
    PDF is not a budget disclosure is the recognizer's job.

    Pages are read by PDFium (``ingest.pdfium_page``) where it gives pdfminer's characters and
    rulings, else by pdfplumber; ``engine="pdfplumber"`` (benchmarks, tests) reads every page
    with pdfplumber. pdfminer opens the file either way (page tree, errors, bomb checks).
    """
    check_pdf_bytes(Path(path), name)
    try:
        pdf = pdfplumber.open(path)
    except PARSE_ERRORS as error:
        raise IngestError(name, open_error_to_reason(error)) from error
    check_opened(pdf, name)  # a cyclic or too deep page tree: refused, never recursed
    lines: list[Line] = []
    text_kinds: set[str] = set()
    with pdf:
        try:
            pages = pdf.pages  # pdfminer walks the page tree here, unwrapped
        except (*PARSE_ERRORS, KeyError, TypeError, AttributeError, ValueError) as error:
            raise IngestError(name, open_error_to_reason(error)) from error
        with pdfium_page.open_document(path, len(pages), engine == "pdfium") as document:
            try:
                for index, page in enumerate(pages):
                    check_page_streams(page.page_obj, name, page.page_number)  # no bomb inflated
                    source = pdfium_page.page_source(document, index, page)
                    page_lines, kind = page_to_lines(source, name, removed)
                    page.close()  # flush cached chars/objects/layout: memory stays flat
                    lines.extend(page_lines)
                    text_kinds.add(kind)
            except PARSE_ERRORS as error:
                raise IngestError(name, open_error_to_reason(error)) from error
        page_count = len(pages)
    if TEXT not in text_kinds:
        raise IngestError(name, REASON_UNDECODABLE if UNDECODABLE in text_kinds else REASON_SCANNED)
    return lines, page_count


def check_pdf_bytes(path: Path, name: str) -> None:
    """Reject files that are empty, not PDFs or cut short, before parsing them."""
    size = path.stat().st_size
    if size == 0:
        raise IngestError(name, REASON_EMPTY)
    with path.open("rb") as stream:
        head = stream.read(1024)
        stream.seek(max(0, size - 4096))
        tail = stream.read()
    if b"%PDF-" not in head:
        raise IngestError(name, REASON_NOT_PDF)
    if b"%%EOF" not in tail:
        raise IngestError(name, REASON_TRUNCATED)


def open_error_to_reason(error: BaseException) -> str:
    """Map an exception raised while parsing to an ingest reason."""
    cause = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    if isinstance(cause, PDFEncryptionError) or isinstance(error, PDFEncryptionError):
        return REASON_ENCRYPTED
    return REASON_CORRUPT


# ------------------------------------------------------------------------------- one page


@dataclass
class _Row:
    """One printed row of free text (outside ruled tables)."""

    top: float
    bottom: float
    parts: list[tuple[float, float, str]]  # (x0, x1, text) split at TABLE_GAP_EM gaps
    em: float

    @property
    def has_number(self) -> bool:
        return any(_NUMERIC.match(text) for _, _, text in self.parts)


@dataclass(order=True)
class _Item:
    """A line waiting to be ordered on its page."""

    top: float
    x0: float
    cells: tuple[str, ...] = field(compare=False)
    positional: bool = field(compare=False)


TEXT, UNDECODABLE, NO_TEXT = "text", "undecodable", "no text"


def page_to_lines(page: Any, name: str, removed: Removed | None = None) -> tuple[list[Line], str]:
    """Lines of one page in top-to-bottom order, and what text the page has: TEXT,
    UNDECODABLE (only ``(cid:N)`` glyphs that map to no Unicode) or NO_TEXT."""
    chars = visible_chars(page, removed)
    if not chars:
        undecodable = any(c["text"].startswith("(cid:") for c in page.chars)
        return [], UNDECODABLE if undecodable else NO_TEXT
    items: list[_Item] = []
    free_chars: list[Char] = chars
    tables = [t for t in page.find_tables(TABLE_SETTINGS) if len(t.rows) >= 2 and len(t.columns) >= 2]
    for table in tables:
        table_items, free_chars = table_to_items(table, free_chars)
        items.extend(table_items)
    rows = chars_to_rows(free_chars)
    rows = [row for row in rows if not is_page_number(row, page.height)]
    items.extend(rows_to_items(rows))
    items.sort()
    lines = [
        Line(
            cells=item.cells,
            text=" ".join(cell for cell in item.cells if cell),
            page=page.page_number,
            positional=item.positional,
            source=name,
        )
        for item in items
        if any(item.cells)
    ]
    return lines, TEXT


def visible_chars(page: Any, removed: Removed | None = None) -> list[Char]:
    """The page's non-blank, decodable characters whose centre lies on the page, once each (a glyph overprinted
    on itself, 西安 商务局's 表表表…, is one: ``page.dedupe_chars``), without control characters (counted in
    ``removed``); rotated side notes and watermarks are dropped when most of the page is upright text."""
    x0, top, x1, bottom = page.bbox
    chars = [
        c
        for c in map(on_baseline, map((removed or Removed()).char, page.dedupe_chars().chars))
        if c["text"].strip()
        and not c["text"].startswith("(cid:")
        and x0 <= (c["x0"] + c["x1"]) / 2 <= x1
        and top <= (c["top"] + c["bottom"]) / 2 <= bottom
    ]
    upright = [c for c in chars if c.get("upright", True)]
    return upright if len(upright) * 2 > len(chars) else chars


def on_baseline(char: Char) -> Char:
    """A character whose box hangs below its baseline (broken metrics: 重庆 商务委's figures, ``、``, ``( )``,
    read in the table row below their label) gets a box 0.8 em above to 0.2 em below it; others stay."""
    a, b, c, d, _, f = char.get("matrix") or (0, 0, 0, 0, 0, 0)
    height = char["bottom"] - char["top"]
    if not (a > 0 and d > 0 and b == c == 0 and "y0" in char and 0 < 0.5 * height < f - char["y0"]):
        return char
    baseline, size = char["bottom"] - (f - char["y0"]), float(char.get("size") or height)
    return {**char, "top": baseline - 0.8 * size, "bottom": baseline + 0.2 * size}


def is_page_number(row: _Row, page_height: float) -> bool:
    """A lone page number (``- 3 -``, ``第 3 页``, ``3/20``, ``15``) in the page margin."""
    if len(row.parts) > 3:
        return False
    in_margin = row.bottom < page_height * MARGIN_SHARE or row.top > page_height * (1 - MARGIN_SHARE)
    text = " ".join(text for _, _, text in row.parts)
    return in_margin and bool(_PAGE_NUMBER.match(text))


# ---------------------------------------------------------------------------- ruled tables


def table_to_items(table: Any, chars: list[Char]) -> tuple[list[_Item], list[Char]]:
    """Rows of one ruled table, and the characters that are in none of its cells."""
    all_cells: list[tuple[float, float, float, float]] = list(table.cells)
    chars_by_cell, free = chars_to_cells(all_cells, chars)
    # Empty slivers are the gaps between the two strokes of a double rule, not columns/rows.
    kept = [
        i for i, (x0, top, x1, bottom) in enumerate(all_cells)
        if i in chars_by_cell or (x1 - x0 >= SLIVER_PT and bottom - top >= SLIVER_PT)
    ]
    cells = [all_cells[i] for i in kept]
    if not cells:
        return [], free
    xs = sorted({c[0] for c in cells})
    ys = sorted({c[1] for c in cells})

    def spanned(start: float, end: float, edges: list[float]) -> range:
        return range(edges.index(start), max(edges.index(start) + 1, bisect_right(edges, end - 0.01)))

    # (grid row, grid column) of each cell's left rule in every row it spans
    left_rules = [(r, xs.index(c[0])) for c in cells for r in spanned(c[1], c[3], ys)]
    column_of = column_groups(len(xs), left_rules)
    grid = [["" for _ in range(max(column_of) + 1)] for _ in ys]
    for new_index, old_index in enumerate(kept):
        if old_index in chars_by_cell:
            x0, top = cells[new_index][0], cells[new_index][1]
            row, column = ys.index(top), column_of[xs.index(x0)]
            text = chars_to_cell_text(chars_by_cell[old_index])
            grid[row][column] = normalize(f"{grid[row][column]} {text}") if grid[row][column] else text
    keep_columns = [c for c in range(len(grid[0])) if any(row[c] for row in grid)]
    items = [
        _Item(top=ys[r], x0=table.bbox[0], cells=tuple(row[c] for c in keep_columns), positional=True)
        for r, row in enumerate(grid)
        if any(row)
    ]
    return items, free


def chars_to_cells(
    cells: list[tuple[float, float, float, float]], chars: list[Char]
) -> tuple[dict[int, list[Char]], list[Char]]:
    """Characters of each cell (by the character's centre; looked up on the grid of cell
    edges, not by testing every cell), and the characters in no cell."""
    xs = sorted({c[0] for c in cells})
    ys = sorted({c[1] for c in cells})
    owner: dict[tuple[int, int], int] = {}  # grid slot -> index of the cell covering it
    for index, (x0, top, x1, bottom) in enumerate(cells):
        for r in range(ys.index(top), bisect_right(ys, bottom - 0.01)):
            for c in range(xs.index(x0), bisect_right(xs, x1 - 0.01)):
                owner[(r, c)] = index
    by_cell: dict[int, list[Char]] = {}
    free: list[Char] = []
    for char in chars:
        xm = (char["x0"] + char["x1"]) / 2
        ym = (char["top"] + char["bottom"]) / 2
        index = owner.get((bisect_right(ys, ym) - 1, bisect_right(xs, xm) - 1))
        if index is not None and xm < cells[index][2] and ym < cells[index][3]:
            by_cell.setdefault(index, []).append(char)
        else:
            free.append(char)
    return by_cell, free


def column_groups(columns: int, starts: Iterable[tuple[int, int]]) -> list[int]:
    """Output column of each grid column. Neighbouring grid columns are one column when no
    row has a cell edge at both: that happens when a header's vertical rule is a few points
    off the data rows' rule, which would otherwise print the header one column to the right
    of its figures. ``starts`` are (row, column) of cell left edges, for every row a cell spans."""
    starts_by_row: dict[int, set[int]] = {}
    for row, column in starts:
        starts_by_row.setdefault(row, set()).add(column)
    column_of = [0] * columns
    group: set[int] = {0}
    for column in range(1, columns):
        clash = any(column in s and s & group for s in starts_by_row.values())
        if clash:
            group = {column}
            column_of[column] = column_of[column - 1] + 1
        else:
            group.add(column)
            column_of[column] = column_of[column - 1]
    return column_of


def chars_to_cell_text(chars: list[Char]) -> str:
    """Text of one table cell: its printed lines joined without line breaks."""
    text = ""
    for row in chars_to_char_rows(chars):
        piece = char_row_to_text(row)
        if text and piece and text[-1].isascii() and text[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            text += " "
        text += piece
    return normalize(text)


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


def chars_to_rows(chars: Iterable[Char]) -> list[_Row]:
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
            rows.append(_Row(min(c["top"] for c in members), max(c["bottom"] for c in members), parts, em))
    return rows


def rows_to_items(rows: list[_Row]) -> list[_Item]:
    """Free rows as items: blocks of aligned rows with numbers become positional table
    rows; everything else is a text line."""
    items: list[_Item] = []
    used: set[int] = set()
    for block in find_unruled_blocks(rows):
        block_items, block_rows = block_to_items(rows, block)
        items.extend(block_items)
        used.update(block_rows)
    for index, row in enumerate(rows):
        if index not in used:
            items.append(_Item(row.top, row.parts[0][0], row_to_text_cells(row), False))
    return items


def row_to_text_cells(row: _Row) -> tuple[str, ...]:
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


def is_data_row(row: _Row) -> bool:
    """A row of a table without rulings: parts far apart, at least one of them a number."""
    return len(row.parts) >= 2 and row.has_number


def is_fragment_row(row: _Row) -> bool:
    """Possibly a wrapped piece of a name on its own row: one part, not a number."""
    return len(row.parts) == 1 and not row.has_number


def find_unruled_blocks(rows: list[_Row]) -> list[list[int]]:
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


def column_bands(rows: Sequence[_Row]) -> list[tuple[float, float]]:
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


def row_to_band_cells(row: _Row, bands: Sequence[tuple[float, float]]) -> list[str]:
    cells = [""] * len(bands)
    for x0, x1, text in row.parts:
        band = part_to_band(x0, x1, bands)
        cells[band] = normalize(f"{cells[band]} {text}") if cells[band] else text
    return cells


def block_to_items(rows: list[_Row], block: list[int]) -> tuple[list[_Item], list[int]]:
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
    items = [_Item(rows[i].top, bands[0][0], tuple(row), True) for i, row in cells.items()]
    return items, data + used + headers


def nearest_data_row(rows: list[_Row], data: list[int], index: int) -> tuple[int, float]:
    """The data row vertically closest to a one-part row, and the gap between them."""
    above = max((i for i in data if i < index), default=None)
    below = min((i for i in data if i > index), default=None)
    gap_above = rows[index].top - rows[above].bottom if above is not None else float("inf")
    gap_below = rows[below].top - rows[index].bottom if below is not None else float("inf")
    if below is not None and gap_below <= gap_above:  # a tie goes down: names wrap around the code line
        return below, gap_below
    assert above is not None
    return above, gap_above


def header_rows(rows: list[_Row], first: int, bands: Sequence[tuple[float, float]]) -> list[int]:
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


# ------------------------------------------------------------------------------ debug CLI


def format_line(line: Line) -> str:
    return f"{line.page:>4} {'T' if line.positional else ' '}| " + " | ".join(line.cells)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m generator.ingest_pdf FILE.pdf", file=sys.stderr)
        return 2
    try:
        lines, pages = pdf_to_lines(Path(argv[0]), Path(argv[0]).name)
    except IngestError as error:
        print(f"IngestError: {error}", file=sys.stderr)
        return 1
    for line in lines:
        print(format_line(line))
    print(f"# {len(lines)} lines from {pages} pages", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
