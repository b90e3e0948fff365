"""PDF ingest: one disclosure PDF -> ``Line`` records (see ``generator/records.py``).

Input: a PDF file (部门预算 / 单位预算 / 部门决算), with a text layer or scanned.
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

A page without a text layer (a scan), or whose glyphs all lack a Unicode map, is read by OCR
(``ingest.ocr``: the page image's characters and ruling lines, through the same table and row
code below) unless ``ocr=False`` (``--no-ocr``); its lines carry ``Line.ocr``.

Errors (``records.IngestError(name, reason)``, reasons are the ``REASON_*`` constants): empty
file, not a PDF, truncated (no ``%%EOF``), corrupt, encrypted with a password, no text
layer at all (scanned) with OCR off, or OCR finding no text in it; a looping or too deep page tree and a decompression bomb
(``ingest.pdf_checks``). "Not a budget disclosure" is left to the recognizer.

Characters and rulings come from PDFium (``ingest.pdfium_page``, pdfminer's and pdfplumber's
conventions reproduced, pdfplumber's table finder run on its edges) on every page whose fonts
it decodes as pdfminer does; other pages (a Type0 font without ToUnicode, Type3, /Rotate) are
read by pdfplumber as before. ``engine="pdfplumber"`` reads every page with pdfplumber
(``bench/compare_ingest.py`` checks both give the same lines).

Debug: ``python -m generator.ingest.pdf FILE.pdf`` prints every line as
``page oT|  cell | cell | ...`` (``T`` marks positional table rows, ``o`` lines read by OCR).
"""
from __future__ import annotations

import contextlib
import re
import sys
from dataclasses import replace
from bisect import bisect_right
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfminer.pdfexceptions import PDFException
from pdfminer.psexceptions import PSException
from pdfplumber.utils.exceptions import PdfminerException

from ..records import IngestError, Line
from . import pdfium_page
from .clean import Removed
from .pdf_checks import check_opened, check_page_streams
from .rows import Item, Row, char_row_to_text, chars_to_char_rows, chars_to_rows, normalize, rows_to_items

Char = dict[str, Any]  # a pdfplumber char: text, x0, x1, top, bottom, size, upright, ...

REASON_EMPTY = "empty file (0 bytes)"
REASON_NOT_PDF = "not a PDF"
REASON_TRUNCATED = "truncated PDF (no %%EOF marker)"
REASON_CORRUPT = "corrupt PDF"
REASON_ENCRYPTED = "encrypted PDF, needs a password"
REASON_SCANNED = "scanned PDF, needs OCR"
REASON_UNDECODABLE = "text layer cannot be decoded (fonts without a Unicode map), needs OCR"
REASON_OCR_DISABLED = " (OCR disabled: --no-ocr)"  # appended to the two above when ``ocr=False``
REASON_OCR_EMPTY = "scanned PDF, OCR found no text"

# Gaps are measured in ems (the font size of the characters around the gap).
MARGIN_SHARE = 0.15  # page numbers are looked for in the top/bottom 15% of the page
TABLE_SETTINGS: dict[str, Any] | None = None  # pdfplumber's defaults (lines strategy, snap 3 pt)
SLIVER_PT = 7.0  # an empty cell narrower/shorter than this is the gap inside a double rule

# pdfplumber wraps what pdfminer raises while parsing in PdfminerException; our own bugs
# are not caught, so they are not reported as a corrupt file.
PARSE_ERRORS = (PdfminerException, PDFException, PSException)

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]*\s*\d{1,4}\s*[-—–－]*|[-—–－]+\s*\d(?: \d){1,3}\s*[-—–－]+|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})$"
)


# ------------------------------------------------------------------------------ entry point


def pdf_to_lines(
    path: Path, name: str, removed: Removed | None = None, engine: str = "pdfium", ocr: bool = True
) -> tuple[list[Line], int]:
    """Read one PDF into lines (tables as positional cell rows, prose as one-cell lines) and its page count.

    Raises ``IngestError(name, reason)`` for: zero bytes, not a PDF / truncated / corrupt,
    encrypted (password), no text layer ('scanned PDF, needs OCR'). Deciding that a readable
    PDF is not a budget disclosure is the recognizer's job.

    Pages are read by PDFium (``ingest.pdfium_page``) where it gives pdfminer's characters and
    rulings, else by pdfplumber; ``engine="pdfplumber"`` (benchmarks, tests) reads every page
    with pdfplumber. pdfminer opens the file either way (page tree, errors, bomb checks).

    A page with no text layer, or only undecodable glyphs, is read by OCR (``ingest.ocr``)
    when ``ocr`` is True: its lines carry ``ocr=True``. With ``ocr=False`` such pages give no
    lines, and a file with no other text is refused as before.
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
        with pdfium_page.open_document(path, len(pages), engine == "pdfium") as document, \
                ocr_document(path, ocr) as ocr_pages:
            try:
                for index, page in enumerate(pages):
                    check_page_streams(page.page_obj, name, page.page_number)  # no bomb inflated
                    source = pdfium_page.page_source(document, index, page)
                    page_lines, kind = page_to_lines(source, name, removed)
                    if kind != TEXT and ocr:
                        page_lines, ocr_kind = page_to_lines(ocr_pages.read(index, page), name, removed)
                        page_lines = [replace(line, ocr=True) for line in page_lines]
                        kind = OCR if ocr_kind == TEXT else kind
                    page.close()  # flush cached chars/objects/layout: memory stays flat
                    lines.extend(page_lines)
                    text_kinds.add(kind)
            except PARSE_ERRORS as error:
                raise IngestError(name, open_error_to_reason(error)) from error
        page_count = len(pages)
    if TEXT not in text_kinds and OCR not in text_kinds:
        if ocr:
            raise IngestError(name, REASON_OCR_EMPTY)
        reason = REASON_UNDECODABLE if UNDECODABLE in text_kinds else REASON_SCANNED
        raise IngestError(name, reason + REASON_OCR_DISABLED)
    return lines, page_count


@contextlib.contextmanager
def ocr_document(path: Path, enabled: bool) -> Iterator[Any]:
    """What reads pages of ``path`` by OCR (``ingest.ocr``, imported and opened on the first
    page that needs it; closed on exit)."""
    if not enabled:
        yield None
        return
    from .ocr import OcrDocument  # noqa: PLC0415 - OCR is imported only where a page needs it

    reader = OcrDocument(path)
    try:
        yield reader
    finally:
        reader.close()


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


TEXT, UNDECODABLE, NO_TEXT = "text", "undecodable", "no text"
OCR = "ocr"  # a page without a text layer whose text OCR read


def page_to_lines(page: Any, name: str, removed: Removed | None = None) -> tuple[list[Line], str]:
    """Lines of one page in top-to-bottom order, and what text the page has: TEXT,
    UNDECODABLE (only ``(cid:N)`` glyphs that map to no Unicode) or NO_TEXT."""
    chars = visible_chars(page, removed)
    if not chars:
        undecodable = any(c["text"].startswith("(cid:") for c in page.chars)
        return [], UNDECODABLE if undecodable else NO_TEXT
    items: list[Item] = []
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


def is_page_number(row: Row, page_height: float) -> bool:
    """A lone page number (``- 3 -``, ``第 3 页``, ``3/20``, ``15``) in the page margin."""
    if len(row.parts) > 3:
        return False
    in_margin = row.bottom < page_height * MARGIN_SHARE or row.top > page_height * (1 - MARGIN_SHARE)
    text = " ".join(text for _, _, text in row.parts)
    return in_margin and bool(_PAGE_NUMBER.match(text))


# ---------------------------------------------------------------------------- ruled tables


def table_to_items(table: Any, chars: list[Char]) -> tuple[list[Item], list[Char]]:
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
        Item(top=ys[r], x0=table.bbox[0], cells=tuple(row[c] for c in keep_columns), positional=True)
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


# ------------------------------------------------------------------------------ debug CLI


def format_line(line: Line) -> str:
    return f"{line.page:>4}{'o' if line.ocr else ' '}{'T' if line.positional else ' '}| " + " | ".join(line.cells)


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
