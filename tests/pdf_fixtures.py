"""Small PDFs the project owns, rendered with reportlab for the PDF ingest tests.

CJK text uses reportlab's built-in CID font ``STSong-Light`` (Adobe-GB1, UniGB-UCS2-H
encoding, not embedded): pdfminer maps it back to Unicode, so pdfplumber extracts exactly the
characters drawn (checked by ``test_fixture_font_extracts_faithfully``). No TTF is needed.

Each ``write_*`` function writes one file and returns its path:

* ``write_ruled_table_pdf``   - 2 pages: title, 单位, a ruled 一般公共预算支出表 (one row with an
  empty cell, one name wrapped inside its cell, a merged header cell), prose, page numbers;
  page 2: a ruled 基本支出 table with an empty 人员经费 cell.
* ``write_unruled_table_pdf`` - the same kind of table printed without any rule, with a long
  name wrapped onto rows above and below its code row (深圳 layout) and an empty cell.
* ``write_encrypted_pdf``     - needs a user password.
* ``write_owner_only_encrypted_pdf`` - encrypted with an owner password only (opens without one).
* ``write_owner_only_encrypted_cid_pdf`` - the same with CJK text, which pdfminer cannot decode.
* ``write_image_only_pdf``    - a page that is one picture, no text layer.
* ``write_truncated_pdf``     - the ruled PDF cut in half.
* ``write_empty_file``, ``write_not_a_pdf``, ``write_corrupt_pdf``.
"""
from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas
from reportlab.lib import pdfencrypt

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

WIDTH, HEIGHT = A4

# 科目编码, 科目名称, 合计, 基本支出, 项目支出 (万元). A name given as a tuple is printed on
# several lines inside its cell.
FUNCTION_ROWS: list[tuple[str, str | tuple[str, ...], str, str, str]] = [
    ("210", "卫生健康支出", "1,045.47", "275.47", "770.00"),
    ("21015", "医疗保障管理事务", "1,045.47", "275.47", "770.00"),
    ("2101501", "行政运行", "345.47", "275.47", "70.00"),
    ("2101504", "信息化建设", "500.00", "", "500.00"),
    ("2101599", ("其他医疗保障管理事务", "支出"), "200.00", "0.00", "200.00"),
]
ECONOMIC_ROWS = [  # 科目编码, 科目名称, 合计, 人员经费, 公用经费
    ("301", "工资福利支出", "237.46", "237.46", "0.00"),
    ("302", "商品和服务支出", "38.01", "", "38.02"),
]


def _canvas(path: Path, **kwargs: object) -> canvas.Canvas:
    c = canvas.Canvas(str(path), pagesize=A4, **kwargs)
    c.setTitle("fixture")
    return c


def _text(c: canvas.Canvas, x: float, y: float, text: str, size: float = 10, right: bool = False) -> None:
    c.setFont(FONT, size)
    (c.drawRightString if right else c.drawString)(x, y, text)


def _page_number(c: canvas.Canvas, number: int) -> None:
    _text(c, WIDTH / 2 - 12, 30, f"- {number} -", 9)


def _ruled_table(
    c: canvas.Canvas,
    top: float,
    columns: list[float],
    header: list[list[str]],
    rows: list[tuple[str, str | tuple[str, ...], str, str, str]],
    row_height: float = 20,
) -> float:
    """Draw a ruled table whose left edges are ``columns`` (last item: right edge); the
    first header row merges the three amount columns under '预算数'. Returns the bottom y."""
    left, right = columns[0], columns[-1]
    y = top
    # header row 1: 科目编码 | 科目名称 | 预算数 (merged over the amount columns)
    c.line(left, y, right, y)
    _text(c, columns[0] + 4, y - 14, header[0][0])
    _text(c, columns[1] + 4, y - 14, header[0][1])
    _text(c, columns[2] + 4, y - 14, header[0][2])
    for x in (columns[0], columns[1], columns[2], right):
        c.line(x, y, x, y - row_height)
    y -= row_height
    c.line(columns[2], y, right, y)  # only under the merged cell: 编码/名称 span two rows
    for x, label in zip(columns[2:-1], header[1][2:]):
        _text(c, x + 4, y - 14, label)
    for x in columns:
        c.line(x, y, x, y - row_height)
    y -= row_height
    for code, name, *amounts in rows:
        names = (name,) if isinstance(name, str) else name
        height = row_height + 12 * (len(names) - 1)
        c.line(left, y, right, y)
        _text(c, columns[0] + 4, y - 14, code)
        for i, part in enumerate(names):
            _text(c, columns[1] + 4, y - 14 - 12 * i, part)
        for x_right, amount in zip(columns[3:], amounts):
            if amount:
                _text(c, x_right - 4, y - 14, amount, right=True)
        for x in columns:
            c.line(x, y, x, y - height)
        y -= height
    c.line(left, y, right, y)
    return y


def write_ruled_table_pdf(path: Path) -> Path:
    c = _canvas(path)
    columns = [60.0, 130.0, 300.0, 380.0, 460.0, 540.0]
    _text(c, 200, 780, "2026年一般公共预算支出表", 16)
    _text(c, 60, 750, "部门名称：示例市医疗保障局")
    _text(c, 470, 750, "单位：万元")
    bottom = _ruled_table(
        c,
        740,
        columns,
        [["科目编码", "科目名称", "预算数"], ["", "", "合计", "基本支出", "项目支出"]],
        FUNCTION_ROWS,
    )
    _text(c, 60, bottom - 30, "注：本表反映一般公共预算拨款支出情况。")
    _text(c, 60, bottom - 60, "一般公共预算支出1,045.47万元，其中行政运行345.47万元。")
    _page_number(c, 1)
    c.showPage()
    _text(c, 200, 780, "2026年一般公共预算基本支出表", 16)
    _text(c, 470, 750, "单位：万元")
    _ruled_table(
        c,
        740,
        columns,
        [["科目编码", "科目名称", "预算数"], ["", "", "合计", "人员经费", "公用经费"]],
        ECONOMIC_ROWS,  # type: ignore[arg-type]
    )
    _page_number(c, 2)
    c.showPage()
    c.save()
    return path


def write_unruled_table_pdf(path: Path) -> Path:
    """A 一般公共预算支出表 drawn with no rule at all: columns only by position."""
    c = _canvas(path)
    _text(c, 200, 780, "2026年一般公共预算支出表", 16)
    _text(c, 470, 750, "单位：万元")
    code_x, name_x, amount_right = 60, 130, [360, 450, 540]
    y = 720
    _text(c, code_x, y, "科目编码")
    _text(c, name_x, y, "科目名称")
    for x, label in zip(amount_right, ["合计", "基本支出", "项目支出"]):
        _text(c, x, y, label, right=True)
    y -= 22
    for code, name, *amounts in FUNCTION_ROWS:
        names = (name,) if isinstance(name, str) else name
        if len(names) > 1:  # 深圳 layout: the name wraps around the code line, in a taller row
            y -= 11
            _text(c, name_x, y + 11, names[0])
            _text(c, code_x, y, code)
            _text(c, name_x, y - 11, names[1])
        else:
            _text(c, code_x, y, code)
            _text(c, name_x, y, names[0])
        for x, amount in zip(amount_right, amounts):
            if amount:
                _text(c, x, y, amount, right=True)
        y -= 33 if len(names) > 1 else 22
    _text(c, 60, y - 20, "注：本表无表格线。")
    _page_number(c, 1)
    c.showPage()
    c.save()
    return path


def write_encrypted_pdf(path: Path) -> Path:
    encrypt = pdfencrypt.StandardEncryption("user-secret", ownerPassword="owner-secret", strength=128)
    c = _canvas(path, encrypt=encrypt)
    _text(c, 60, 780, "2026年一般公共预算支出表")
    c.showPage()
    c.save()
    return path


def write_owner_only_encrypted_pdf(path: Path) -> Path:
    """Encrypted with an owner password only (copying not allowed): opens without a password.
    Latin text in a standard font, which pdfminer decodes in encrypted files."""
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner-secret", canCopy=0, strength=128)
    c = _canvas(path, encrypt=encrypt)
    c.setFont("Helvetica", 12)
    c.drawString(60, 780, "Budget 2026 total 345.47")
    c.showPage()
    c.save()
    return path


def write_owner_only_encrypted_cid_pdf(path: Path) -> Path:
    """Owner-password-only encryption with the non-embedded CID font: pdfminer does not
    decrypt the font's CIDSystemInfo strings, so every glyph comes out as ``(cid:N)``."""
    encrypt = pdfencrypt.StandardEncryption("", ownerPassword="owner-secret", canCopy=0, strength=128)
    c = _canvas(path, encrypt=encrypt)
    _text(c, 60, 780, "2026年一般公共预算支出表")
    c.showPage()
    c.save()
    return path


def write_image_only_pdf(path: Path) -> Path:
    """A 'scanned' page: one greyscale picture, no characters."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (200, 100), 255)
    draw = ImageDraw.Draw(image)
    for y in range(10, 100, 20):
        draw.line((10, y, 190, y), fill=0, width=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    c = _canvas(path)
    c.drawImage(ImageReader(buffer), 60, 500, width=400, height=200)
    c.showPage()
    c.save()
    return path


def write_truncated_pdf(path: Path) -> Path:
    whole = path.with_name(path.stem + "-whole.pdf")
    write_ruled_table_pdf(whole)
    data = whole.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    whole.unlink()
    return path


def write_empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def write_not_a_pdf(path: Path) -> Path:
    path.write_text("<html><body>404 Not Found</body></html>\n", encoding="utf-8")
    return path


def write_corrupt_pdf(path: Path) -> Path:
    """Starts and ends like a PDF but holds no parsable document."""
    path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage\xff" * 200 + b"\n%%EOF\n")
    return path


if __name__ == "__main__":  # render them all for a look: python tests/pdf_fixtures.py DIR
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    out.mkdir(parents=True, exist_ok=True)
    for name, writer in [
        ("ruled.pdf", write_ruled_table_pdf),
        ("unruled.pdf", write_unruled_table_pdf),
        ("encrypted.pdf", write_encrypted_pdf),
        ("owner-only.pdf", write_owner_only_encrypted_pdf),
        ("owner-only-cid.pdf", write_owner_only_encrypted_cid_pdf),
        ("image-only.pdf", write_image_only_pdf),
        ("truncated.pdf", write_truncated_pdf),
        ("empty.pdf", write_empty_file),
        ("not-a-pdf.pdf", write_not_a_pdf),
        ("corrupt.pdf", write_corrupt_pdf),
    ]:
        print(writer(out / name))
