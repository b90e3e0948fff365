"""The data rows of the workbooks are written as XML by ``publish.xlsx`` instead of through openpyxl's
cell objects (issue 18: the combined workbook of 500 documents, 2.75 M cells, took 52 s): the XML
must be the bytes openpyxl's own writer gives for the same cells, style numbers included."""
from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

from openpyxl import Workbook

from generator.publish import xlsx

# (kind, value): every kind of cell the data sheets hold, and text that XML must escape or keep
CELLS = [
    ("text", "2101501"),  # a code stays text
    ("text", " 行政运行"),  # leading space: xml:space="preserve"
    ("text", "\u3000"),  # only white space: no preserve (openpyxl's rule)
    ("text", "A&B <c> \"d\" 'e'"),
    ("text", "=SUM(A1)"),  # never a formula
    ("text", "坏\x07字符"),  # a control character XML cannot hold: removed
    ("text", "\x01"),  # nothing left: an empty text cell
    ("number", Decimal("74440979.8781512")),  # exact, not %.16g's 74440979.87815119
    ("number", Decimal("0")),
    ("number", Decimal("-3.50")),
    ("general", Decimal("2024.5")),  # an integer column's non-integer: General format
    ("integer", Decimal("2024")),
    ("bool", True),
    ("bool", False),
]
FORMATS = {"text": "@", "number": "#,##0.00####", "integer": "0", "general": "General"}


def sheet_xml(wb) -> str:
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(buf) as z:
        return z.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_rows_written_as_openpyxl_writes_them():
    # openpyxl: one cell per row, as downloads wrote them before (cell objects)
    reference = Workbook()
    ws = reference.active
    ws.cell(row=1, column=1).value = "header"  # a row openpyxl writes itself
    for row, (kind, value) in enumerate(CELLS, start=3):
        cell = ws.cell(row=row, column=2)
        if kind == "bool":
            cell.value = value
        elif kind == "text":
            xlsx.set_text(cell, value)
            cell.number_format = "@"
        else:
            cell.value = value
            cell.number_format = FORMATS[kind]
    # and, as before, each number's <v> set to its exact decimal text (openpyxl writes %.16g)
    exact = {f"B{row}": format(value, "f") for row, (kind, value) in enumerate(CELLS, start=3)
             if kind in FORMATS and kind != "text"}
    expected = re.sub(r'(<c r="([A-Z]+[0-9]+)"[^>]*><v>)([^<]*)(</v>)',
                      lambda m: m.group(1) + exact.get(m.group(2), m.group(3)) + m.group(4), sheet_xml(reference))
    assert "74440979.87815119" in sheet_xml(reference)  # why: openpyxl alone loses the last digit

    # ours: openpyxl writes the header row, the rest is spliced in
    wb = Workbook()
    ws = wb.active
    ws.cell(row=1, column=1).value = "header"
    style = xlsx.StyleIds(ws)
    rows = []
    for row, (kind, value) in enumerate(CELLS, start=3):
        ref = f"B{row}"
        if kind == "bool":
            cell = xlsx.bool_cell(ref, value)
        elif kind == "text":
            cell = xlsx.text_cell(ref, style("@"), xlsx.cell_text(value))
        else:
            cell = xlsx.number_cell(ref, style(FORMATS[kind]), format(value, "f"))
        rows.append(f'<row r="{row}">{cell}</row>')
    ours = xlsx.splice_rows(sheet_xml(wb).encode(), rows, f"A1:B{len(CELLS) + 2}").decode("utf-8")
    assert "74440979.8781512" in ours and "t=\"b\"><v>0</v>" in ours
    assert ours == expected


def test_splice_refuses_what_is_not_an_openpyxl_sheet():
    try:
        xlsx.splice_rows(b"<worksheet/>", [], "A1:A1")
    except ValueError as error:
        assert "openpyxl" in str(error)
    else:
        raise AssertionError("spliced into a file with no sheetData")
