"""Byte-identical Office files: zips with fixed entry dates, workbooks with fixed document dates,
text cells that stay text. Shared by the data workbooks and zips (:mod:`.downloads`) and the
reviewer's report (:mod:`.review.workbook`); nothing here knows what a package holds."""
from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import datetime

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.xml.functions import tostring

#: the date written into workbook properties and onto every zip entry
FIXED_DATE = datetime(2020, 1, 1, 0, 0, 0)
ZIP_DATE = FIXED_DATE.timetuple()[:6]
FILE_MODE = 0o100644  # regular file, rw-r--r--
EXCEL_MAX_CELL = 32767  # characters in one cell


def deterministic_zip(entries: dict[str, bytes]) -> bytes:
    """A zip of ``name -> bytes``: sorted names, fixed date, mode 644, DEFLATED level 9."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, whatever the build machine
            info.external_attr = FILE_MODE << 16
            z.writestr(info, entries[name], compresslevel=9)
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
