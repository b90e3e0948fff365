"""The OCR ingest path (``generator/ingest/ocr.py``): a PDF page without a text layer is read by
OCR into the same ``Line`` records as a text page, marked ``ocr=True``.

The scans are made here: a page of a real disclosure rendered by PDFium to a grey image at
144 dpi and wrapped as an image-only PDF by Pillow, so the figures on it are the text layer's.
深圳市医疗保障局 2026 部门预算 (../shared/real-pdfs), page 16 is 表1 收支总表, a ruled table
(landscape); page 22 is 表4 基本支出总表, 13 ruled columns.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.ingest import ocr  # noqa: E402
from generator.ingest.pdf import pdf_to_lines  # noqa: E402
from generator.records import IngestError  # noqa: E402

SHENZHEN = ROOT.parent / "shared" / "real-pdfs" / "shenzhen-ybj-2026-bumen-yusuan.pdf"
pytestmark = pytest.mark.skipif(not SHENZHEN.is_file(), reason=f"{SHENZHEN} is absent (../shared not available)")

SCAN_SCALE = 2  # 144 dpi, a modest scanner setting


def image_only_pdf(source: Path, pages: list[int], target: Path, scale: float = SCAN_SCALE) -> Path:
    """``pages`` (1-based) of ``source`` as pictures only: no characters, no vector rules."""
    document = pdfium.PdfDocument(source)
    try:
        images = [document[p - 1].render(scale=scale, grayscale=True).to_pil().convert("L") for p in pages]
    finally:
        document.close()
    images[0].save(target, "PDF", resolution=72 * scale, save_all=True, append_images=images[1:])
    return target


@pytest.fixture(scope="module")
def scan(tmp_path_factory) -> Path:
    return image_only_pdf(SHENZHEN, [16], tmp_path_factory.mktemp("ocr") / "shenzhen-p16-scan.pdf")


@pytest.fixture(scope="module")
def scan_lines(scan: Path):
    return pdf_to_lines(scan, scan.name)


def test_the_scan_has_no_text_layer(scan: Path) -> None:
    document = pdfium.PdfDocument(scan)
    try:
        assert document[0].get_textpage().count_chars() == 0
    finally:
        document.close()


def test_a_scanned_ruled_table_reads_as_table_rows_marked_ocr(scan_lines) -> None:
    lines, pages = scan_lines
    assert pages == 1 and lines and all(line.ocr and line.page == 1 for line in lines)
    rows = [line.cells for line in lines if line.positional]
    # page 16, 表1 收支总表, read off the page by hand: the first row under the header, the
    # 5.其他收入 row and the last row (行政运行 alone on the 支出 side), one cell per ruled column
    assert ("一、财政拨款", "13,607.02", "一、社会保障和就业支出", "1,101.93") in rows
    assert ("5.其他收入", "1,725.63", "医疗保障管理事务", "11,560.40") in rows
    assert ("", "", "行政运行", "7,517.14") in rows
    # the title and the unit line above the table, as on the text page
    texts = [line.text for line in lines if not line.positional]
    assert "收支总表" in texts
    assert "部门名称：深圳市医疗保障局（本级） 单位：万元" in texts


def test_ocr_lines_match_the_text_layer(scan_lines) -> None:
    """Every line of the page read by OCR is the text layer's line (page 16 reads exactly)."""
    lines, _ = scan_lines
    text_lines, _ = pdf_to_lines(SHENZHEN, SHENZHEN.name)
    printed = [(line.cells, line.positional) for line in text_lines if line.page == 16]
    assert [(line.cells, line.positional) for line in lines] == printed


def test_ocr_off_refuses_the_scan(scan: Path) -> None:
    with pytest.raises(IngestError) as caught:
        pdf_to_lines(scan, scan.name, ocr=False)
    assert caught.value.reason == "scanned PDF, needs OCR (OCR disabled: --no-ocr)"


def test_same_lines_on_a_second_run(scan: Path, scan_lines) -> None:
    assert pdf_to_lines(scan, scan.name) == scan_lines


def test_only_the_page_without_text_is_read_by_ocr(tmp_path: Path) -> None:
    """A textual PDF with one scanned page in it (page 2: 表4 基本支出总表 as a picture)."""
    picture = image_only_pdf(SHENZHEN, [22], tmp_path / "p22.pdf")
    mixed = pdfium.PdfDocument.new()
    source, scanned = pdfium.PdfDocument(SHENZHEN), pdfium.PdfDocument(picture)
    try:
        mixed.import_pages(source, [15])  # page 16, with its text layer
        mixed.import_pages(scanned, [0])
        mixed.save(tmp_path / "mixed.pdf")
    finally:
        for document in (mixed, source, scanned):
            document.close()
    lines, pages = pdf_to_lines(tmp_path / "mixed.pdf", "mixed.pdf")
    assert pages == 2
    assert {line.page for line in lines if line.ocr} == {2}
    assert {line.page for line in lines if not line.ocr} == {1}
    rows = [line.cells for line in lines if line.page == 2 and line.positional]
    # page 22 by hand: 表4's first data row (the department, 11,012.04 in 总计, 小计 and
    # 一般公共预算拨款, 0.00 in the nine other columns) and 奖金 917.73
    assert ("深圳市医疗保障局（本级）", "11,012.04", "11,012.04", "11,012.04") + ("0.00",) * 9 in rows
    assert ("奖金", "917.73", "917.73", "917.73") + ("0.00",) * 9 in rows
    # ``--no-ocr``: the text page alone
    text_only, _ = pdf_to_lines(tmp_path / "mixed.pdf", "mixed.pdf", ocr=False)
    assert text_only == [line for line in lines if line.page == 1]


def test_a_blank_scan_is_refused_as_such(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("L", (1190, 1684), 255).save(tmp_path / "blank.pdf", "PDF", resolution=144)
    with pytest.raises(IngestError) as caught:
        pdf_to_lines(tmp_path / "blank.pdf", "blank.pdf")
    assert caught.value.reason == "scanned PDF, OCR found no text"


def test_number_spaces_dropped_only_inside_figures() -> None:
    """The recognizer reads ``1,101. 93`` where ``1,101.93`` is printed; two figures side by side keep the space."""
    keep = [(text, ocr._NUMBER_SPACE.sub("", text)) for text in ("1,101. 93", "7, 517. 14", "138 .59", "0.00 0.00", "- 13 -")]
    assert keep == [("1,101. 93", "1,101.93"), ("7, 517. 14", "7,517.14"), ("138 .59", "138.59"),
                    ("0.00 0.00", "0.00 0.00"), ("- 13 -", "- 13 -")]


def test_straight_quotes_next_to_chinese_become_curly() -> None:
    """The recognizer reads 江苏's ``“三公”经费`` (p20) as ``“三公"经费``; Latin text keeps its quotes."""
    assert ocr._quotes('“三公"经费、会议费') == "“三公”经费、会议费"
    assert ocr._quotes('"三公"经费') == "“三公”经费"
    assert ocr._quotes('say "hi" now') == 'say "hi" now'


PUTUO_UNIT = ROOT.parent / "shared" / "real-pdfs" / "shanghai-putuo-sfj-2026-danwei-yusuan.pdf"


@pytest.mark.skipif(not PUTUO_UNIT.is_file(), reason=f"{PUTUO_UNIT} is absent")
def test_short_codes_are_not_turned_over(tmp_path: Path) -> None:
    """上海普陀司法局 单位预算 page 10, second row, by hand: ``208 | 05 | 99 | 其他行政事业单位养老支出
    | 6,160.00``. An angle classifier reads the lone ``99`` upside down, as ``66``."""
    scan = image_only_pdf(PUTUO_UNIT, [10], tmp_path / "putuo-p10.pdf")
    lines, _ = pdf_to_lines(scan, scan.name)
    rows = [line.cells for line in lines if line.positional]
    assert ("208", "05", "99", "其他行政事业单位养老支出", "6,160.00", "6,160.00", "0.00", "0.00", "0.00") in rows


def test_a_page_scanned_on_its_side_is_read_turned(tmp_path: Path) -> None:
    """深圳 page 16 (landscape 收支总表) scanned upright on portrait paper: the picture is the page
    turned a quarter; the rows read by hand on page 16 come out as from the upright scan."""
    document = pdfium.PdfDocument(SHENZHEN)
    try:
        image = document[15].render(scale=SCAN_SCALE, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    image.rotate(90, expand=True).save(tmp_path / "sideways.pdf", "PDF", resolution=72 * SCAN_SCALE)
    lines, _ = pdf_to_lines(tmp_path / "sideways.pdf", "sideways.pdf")
    rows = [line.cells for line in lines if line.positional]
    assert ("一、财政拨款", "13,607.02", "一、社会保障和就业支出", "1,101.93") in rows
    assert ("", "", "行政运行", "7,517.14") in rows


def test_no_ocr_reaches_the_worker_processes(scan: Path, tmp_path: Path) -> None:
    """``build --no-ocr`` on local workers (the default: a process per document, under limits)
    refuses the scan without reading it; the parse cache is not shared with OCR builds."""
    from conftest import run_build

    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / scan.name).write_bytes(scan.read_bytes())
    result = run_build(docs, tmp_path / "datapackages", "--jobs", "2", "--cache", str(tmp_path / "cache"), "--no-ocr")
    assert f"error: {scan.name}: scanned PDF, needs OCR (OCR disabled: --no-ocr)" in result.stderr
    assert "0 parsed, 1 failed" in result.stdout
    again = run_build(docs, tmp_path / "datapackages", "--jobs", "2", "--cache", str(tmp_path / "cache"))
    assert "0 reused" in again.stdout and "needs OCR" not in again.stderr  # read by OCR this time


def test_a_page_laid_askew_is_read_straight(tmp_path: Path, scan_lines, monkeypatch) -> None:
    """深圳 page 16 scanned with the sheet turned 0.8° on the glass: its text lines slope, its rules
    too. Turned straight before it is read, its rows are the upright scan's, among them those read
    by hand on page 16; read as it lies, rows run into each other."""
    document = pdfium.PdfDocument(SHENZHEN)
    try:
        image = document[15].render(scale=SCAN_SCALE, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    from PIL import Image

    image.rotate(0.8, resample=Image.BICUBIC, fillcolor=255).save(tmp_path / "askew.pdf", "PDF",
                                                                   resolution=72 * SCAN_SCALE)
    lines, _ = pdf_to_lines(tmp_path / "askew.pdf", "askew.pdf")
    rows = [line.cells for line in lines if line.positional]
    assert ("一、财政拨款", "13,607.02", "一、社会保障和就业支出", "1,101.93") in rows
    assert ("", "", "行政运行", "7,517.14") in rows
    upright = [line.cells for line in scan_lines[0] if line.positional]
    assert rows == upright
    monkeypatch.setattr(ocr, "SKEW_MAX", 0.0)  # never straightened
    lines, _ = pdf_to_lines(tmp_path / "askew.pdf", "askew.pdf")
    assert [line.cells for line in lines if line.positional] != upright


def test_slope_of_the_text_lines() -> None:
    """The slope is the width-weighted median of the long boxes' top edges, in degrees, negative
    when the text rises to the right (image y runs down); short boxes and too few boxes say 0."""
    import math

    def box(x: float, y: float, width: float, height: float, degrees: float):
        dx, dy = width * math.cos(math.radians(degrees)), width * math.sin(math.radians(degrees))
        return [[x, y], [x + dx, y + dy], [x + dx, y + dy + height], [x, y + height]]

    rising = [box(10, 100 * i, 400, 20, -0.5) for i in range(1, 6)]
    assert ocr.slope_of(rising) == pytest.approx(-0.5)
    assert ocr.slope_of(rising + [box(10, 800, 30, 20, 3.0)] * 9) == pytest.approx(-0.5)  # short boxes: no baseline
    assert ocr.slope_of(rising[:2]) == 0.0
    assert ocr.slope_of([box(10, 100 * i, 400, 20, 0.0) for i in range(5)]) == 0.0


def test_a_page_scanned_upside_down_is_read_the_right_way_up(tmp_path: Path, scan_lines) -> None:
    """深圳 page 16 fed into the scanner upside down: read as it lies its characters score 0.65 on
    average (0.99 upright), so it is read turned half a turn too and that reading kept — the rows
    of the upright scan, among them those read by hand on page 16."""
    document = pdfium.PdfDocument(SHENZHEN)
    try:
        image = document[15].render(scale=SCAN_SCALE, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    image.rotate(180).save(tmp_path / "upside-down.pdf", "PDF", resolution=72 * SCAN_SCALE)
    lines, _ = pdf_to_lines(tmp_path / "upside-down.pdf", "upside-down.pdf")
    rows = [line.cells for line in lines if line.positional]
    assert ("一、财政拨款", "13,607.02", "一、社会保障和就业支出", "1,101.93") in rows
    assert rows == [line.cells for line in scan_lines[0] if line.positional]
