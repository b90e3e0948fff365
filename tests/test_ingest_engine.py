"""The PDFium page reader (``generator/ingest/pdfium_page.py``) gives ``pdf_to_lines`` exactly the
lines, page counts and errors of the pdfplumber engine, on the real disclosures and on crawled
files with form XObjects, MediaBoxes off the origin, fonts without a Unicode map (read by the
pdfplumber fallback, counted) and no text layer. Each file is read by both engines once."""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.ingest import pdfium_page  # noqa: E402
from generator.ingest.pdf import pdf_to_lines  # noqa: E402
from generator.records import IngestError  # noqa: E402

SHARED = ROOT.parent / "shared"
REAL_PDFS = SHARED / "real-pdfs"
WILD = SHARED / "wild-dev"
REAL_NAMES = sorted(p.name for p in REAL_PDFS.glob("*.pdf")) if REAL_PDFS.is_dir() else []


@lru_cache(maxsize=None)
def outcome(path: Path, engine: str) -> Any:
    """("ok", (lines, pages)) or ("error", reason), and the pages PDFium / the fallback read."""
    before = dict(pdfium_page.FALLBACK)
    try:
        # the text engines are compared: a page without text is not read by OCR here (tests/test_ocr_ingest.py)
        result: Any = ("ok", pdf_to_lines(path, path.name, engine=engine, ocr=False))
    except IngestError as error:
        result = ("error", str(error))
    counts = {k: pdfium_page.FALLBACK[k] - before[k] for k in before}
    return result, counts


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared not available)")
    return path


@pytest.mark.skipif(not REAL_NAMES, reason=f"real PDFs not available: {REAL_PDFS} is absent")
@pytest.mark.parametrize("name", REAL_NAMES)
def test_real_pdf_lines_identical_to_pdfplumber_engine(name: str) -> None:
    path = REAL_PDFS / name
    new, counts = outcome(path, "pdfium")
    old, _ = outcome(path, "pdfplumber")
    assert new[0] == "ok" and new == old
    assert counts["fallback"] == 0 and counts["pages"] == new[1][1]  # every page read by PDFium


def test_hand_read_row_from_a_page_read_by_pdfium() -> None:
    """上海市普陀区财政局 2024 决算, page 6 (收支决算总表): 一般公共预算财政拨款收入 2,940.05 and
    一般公共服务支出 2,106.66 on one row, as printed."""
    path = need(REAL_PDFS / "shanghai-putuo-czj-2024-juesuan.pdf")
    (kind, (lines, pages)), counts = outcome(path, "pdfium")
    assert pages == 25 and counts["fallback"] == 0
    row = ("一、一般公共预算财政拨款收入", "2,940.05", "一、一般公共服务支出", "2,106.66")
    assert [(line.page, line.positional) for line in lines if line.cells == row] == [(6, True)]
    document = pdfium.PdfDocument(path)
    try:
        printed = document[5].get_textpage().get_text_range()
    finally:
        document.close()
    assert "2,940.05" in printed and "2,106.66" in printed


def test_form_xobject_pages_read_by_pdfium() -> None:
    """深圳 医保局: every page draws its content from a form XObject; PDFium walks into it
    for characters and rulings, and the table rows come out as with pdfminer."""
    path = need(REAL_PDFS / "shenzhen-ybj-2026-bumen-yusuan.pdf")
    with pdfplumber.open(path) as pdf:
        resources = pdf.pages[9].page_obj.resources
        assert "XObject" in resources
    (kind, (lines, _)), counts = outcome(path, "pdfium")
    assert counts["fallback"] == 0
    assert ("深圳市医疗保障局（本级）", "区财政安排项目", "1,725.63", "完成区委区政府委托的业务。") in [
        line.cells for line in lines if line.page == 11
    ]


@pytest.mark.parametrize(
    "name, fallback",
    [
        ("w0102.pdf", 21),  # 重庆 科学技术局: GBK-EUC-H fonts without ToUnicode on 21 of 28 pages
        ("w0049.pdf", 0),  # MediaBox not at the origin on every page
        ("w0158.pdf", 0),  # no text layer: the same "scanned PDF" reason
    ],
)
def test_wild_files_identical_and_fallback_counted(name: str, fallback: int) -> None:
    path = need(WILD / name)
    new, counts = outcome(path, "pdfium")
    old, _ = outcome(path, "pdfplumber")
    assert new == old
    assert counts["fallback"] == fallback


def test_undecodable_fonts_fall_back_to_pdfplumber() -> None:
    """A Type0 font with a predefined CMap and no ToUnicode is not read by PDFium (pdfminer's
    CID decoding decides the text); a ToUnicode font and a simple TrueType font are."""
    path = need(WILD / "w0102.pdf")
    with pdfplumber.open(path) as pdf:
        supported = [pdfium_page.page_supported(page.page_obj) for page in pdf.pages]
    assert supported.count(False) == 21
