"""Byte-identical Office files: zips with fixed entry dates, workbooks with fixed document dates,
text cells that stay text. Shared by the data workbooks and zips (:mod:`.downloads`) and the
reviewer's report (:mod:`.review.workbook`); nothing here knows what a package holds.

Large sheets are written as XML here (:func:`text_cell`, :func:`number_cell`, :func:`bool_cell`,
:func:`splice_rows`) rather than through openpyxl's cell objects, which cost ~20 µs a cell (the
combined workbook of 500 documents has 2.75 M cells): the same bytes openpyxl's writer gives
(``openpyxl.cell._writer.etree_write_cell``), at a tenth of the time."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

#: the date written into workbook properties and onto every zip entry
FIXED_DATE = datetime(2020, 1, 1, 0, 0, 0)
ZIP_DATE = FIXED_DATE.timetuple()[:6]
FILE_MODE = 0o100644  # regular file, rw-r--r--
ZIP_LEVEL = 6
EXCEL_MAX_CELL = 32767  # characters in one cell


def deterministic_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of ``name -> bytes``: sorted names, fixed date, mode 644, DEFLATED at zlib's default
    level 6 (the 194 MB of XML of a 500-document combined workbook: 1.4 s, 17.1 MB; level 9 took
    8.5 s for 16.3 MB)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever the build machine
            info.external_attr = FILE_MODE << 16
            z.writestr(info, entries[name], compresslevel=ZIP_LEVEL)
    return buf.getvalue()


def width(text: str) -> int:
    """Display width: East Asian wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def cell_text(value: str) -> str:
    """``value`` as a cell may hold it: without XML-illegal characters, at most 32,767 long."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value if len(value) <= EXCEL_MAX_CELL else value[:EXCEL_MAX_CELL - 1] + "…"


def set_text(cell, value: str) -> None:
    """A text cell even if the text starts with ``=``: openpyxl would take it for a formula."""
    cell.value = cell_text(value)
    cell.data_type = "s"


def fixed_core(wb) -> bytes:
    """``docProps/core.xml`` of ``wb`` with :data:`FIXED_DATE` as created and modified date."""
    wb.properties.created = FIXED_DATE
    wb.properties.modified = FIXED_DATE
    return tostring(wb.properties.to_tree())


def workbook_entries(wb) -> dict[str, bytes]:
    """The files of ``wb`` saved as ``.xlsx``, its core properties dated :data:`FIXED_DATE`
    (openpyxl stamps the current time on save); pass them, changed or not, to
    :func:`deterministic_zip`."""
    buf = io.BytesIO()
    wb.save(buf)
    core = fixed_core(wb)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as z:
        entries = {info.filename: z.read(info.filename) for info in z.infolist()}
    entries["docProps/core.xml"] = core
    return entries


# ------------------------------------------------------------------ sheet XML without cell objects


def _escape(text: str) -> str:
    """Text as ElementTree writes it inside an element (``&``, ``<``, ``>``)."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


class StyleIds:
    """The ``s`` attribute of a cell with only a number format, by format, registered with the
    workbook's styles on first use (as openpyxl registers a cell's style when it writes it, so
    use this in the order the cells are written)."""

    def __init__(self, ws):
        self._ws, self._ids = ws, {}

    def __call__(self, number_format: str) -> str:
        attr = self._ids.get(number_format)
        if attr is None:
            cell = Cell(self._ws)
            cell.number_format = number_format
            attr = self._ids[number_format] = f' s="{cell.style_id}"' if cell.has_style else ""
        return attr


def register_number_format(ws, number_format: str) -> None:
    """Add ``number_format`` to the workbook's formats as setting it on a cell does (the order of
    first use numbers the custom formats)."""
    Cell(ws).number_format = number_format


def columns(count: int) -> list[str]:
    """Column letters A, B, … of ``count`` columns."""
    return [get_column_letter(i) for i in range(1, count + 1)]


def text_cell(ref: str, style: str, value: str) -> str:
    """A text cell (``inlineStr``; ``value`` already :func:`cell_text`)."""
    if value == "":
        return f'<c r="{ref}"{style} t="inlineStr" />'
    stripped = value.strip()
    space = ' xml:space="preserve"' if stripped and stripped != value else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'


def number_cell(ref: str, style: str, exact: str) -> str:
    """A number cell holding the exact decimal text ``exact`` (openpyxl would write ``%.16g``)."""
    return f'<c r="{ref}"{style} t="n"><v>{exact}</v></c>'


def bool_cell(ref: str, value: bool) -> str:
    return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'


_DIMENSION = re.compile(rb'<dimension ref="[^"]*" />')


def splice_rows(sheet_xml: bytes, rows: list[str], dimension: str) -> bytes:
    """``sheet_xml`` (as openpyxl saved it) with ``rows`` (``<row>`` elements) after its own rows
    and its dimension set to ``dimension``."""
    xml, n = _DIMENSION.subn(f'<dimension ref="{dimension}" />'.encode(), sheet_xml, count=1)
    body = "".join(rows).encode("utf-8")
    if n == 1 and xml.count(b"</sheetData>") == 1:
        return xml.replace(b"</sheetData>", body + b"</sheetData>")
    if n == 1 and xml.count(b"<sheetData />") == 1:  # a sheet with no cells of its own
        return xml.replace(b"<sheetData />", b"<sheetData>" + body + b"</sheetData>")
    raise ValueError("not a worksheet saved by openpyxl")
