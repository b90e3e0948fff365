"""Image-only PDFs for the OCR tests (issue 19), made at test time into a temporary folder and
never committed: they derive from ``../shared`` and from the bundled samples.

Each real fixture is a pair: the **text version** (the selected pages of a real PDF copied with
their text layer, or the selected lines of a sample's text extract) and the **scan** (the same
pages as pictures only, with no text layer), so a build of each can be compared figure by figure.

* ``real_pair(key, folder)`` - pages of ``../shared/real-pdfs/<file>`` (``REAL_PAGES``) rendered
  with PDFium at a scan resolution (``dpi``: 200 for 珠海, 150 for 长沙), given a scan's look
  (``scan_look``: grey paper, a little noise from a fixed seed, a slight blur, JPEG in the PDF)
  and wrapped as an image-only PDF; the text version is the same pages copied by PDFium.
* ``sample_pair(folder)`` - seed 001 (乐山市市中区医疗保障局 2023 部门预算, ``documents/``): its
  title lines and its tables 一 to 九 (三公 included), drawn with Pillow and the Noto CJK font as a
  disclosure prints them (titles above, a ruled grid, one cell per column, long headers wrapped
  inside their cell), 200 dpi; the text version is the same lines as a ``.txt``.
* ``not_budget_scans(folder)`` - image-only PDFs that are no budget disclosure: page 1 of
  ``../shared/wild-dev/w0220.pdf`` (泉州 statistics: a table of figures, 一般公共预算支出 among
  them) and ``w0178.pdf`` (福州 logistics report, prose), 150 dpi; and a page of prose drawn here.

``has_text_layer(path)`` says whether any page of a PDF has a character (pdfplumber). Everything
is deterministic: fixed seeds, fixed PDF dates.
"""
from __future__ import annotations

import functools
import math
import shutil
import time
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
REAL_PDFS = SHARED / "real-pdfs"
WILD = SHARED / "wild-dev"
SAMPLE = REPO / "documents" / "001_e75bfe8e2417c16e.txt"
FONT_PATH = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")  # Debian's fonts-noto-cjk
FONT_FACE = "Noto Sans CJK SC"
PDF_DATE = time.strptime("2026-01-01", "%Y-%m-%d")  # fixed, so a fixture is the same bytes each time

#: the pages OCR'd of each real PDF (1-based) and the scan resolution. OCR takes seconds a page, so
#: not every page: the cover (title, year), the tables the key figures come from and the narrative
#: page that states 三公 — the project and performance tables and the rest of the prose are left out.
REAL_PAGES: dict[str, tuple[str, tuple[int, ...], int]] = {
    # 1 cover; 6-7 表1 收支总体情况表; 13-14 表5 一般公共预算支出情况表 (功能分类);
    # 15-16 表6 基本支出 (经济分类); 18 表8 行政经费及“三公”经费; 30 说明 二、“三公”经费安排情况.
    # Printed without any ruling: the tables come from word positions.
    "zhuhai": ("zhuhai-swj-2026-bumen-yusuan.pdf", (1, 6, 7, 13, 14, 15, 16, 18, 30), 200),
    # 1 cover; 8 说明 (二)“三公”经费预算; 12 收支总体情况表; 14 支出总体情况表;
    # 17 一般公共预算支出情况表; 18-19 基本支出情况表; 20 “三公”经费支出情况表. Ruled tables.
    "changsha": ("changsha-xfj-2026-bumen-yusuan.pdf", (1, 8, 12, 14, 17, 18, 19, 20), 150),
}
#: the lines of seed 001 drawn: the title (before 目录), then 第二部分 (tables 一 to 九) up to table 十
SAMPLE_TITLE_END = "# 目录"
SAMPLE_FROM, SAMPLE_TO = "**第二部分**", "十、政府性基金预算支出表"
NOT_BUDGET_PAGES = {"w0220.pdf": 1, "w0178.pdf": 1}

PROSE = ("关于做好冬季道路除雪工作的通知",
         "各街道办事处、各有关单位：",
         "为切实做好今冬明春道路除雪工作，保障群众出行安全，现将有关事项通知如下。",
         "一、提高认识，加强领导。各单位要明确责任人，落实除雪人员和机械，",
         "做到雪停路通。二、及时清理，确保畅通。主要道路在降雪停止后六小时内清理完毕，",
         "背街小巷在二十四小时内清理完毕。三、加强巡查，消除隐患。",
         "特此通知。",
         "城市管理办公室")


# ------------------------------------------------------------------ scan look and PDF wrapping


def scan_look(image: Image.Image, seed: int) -> Image.Image:
    """A greyscale page made to look scanned: paper a little grey, ink a little light, a slight
    blur and mild noise (numpy's generator with ``seed``: the same pixels every time)."""
    grey = image.convert("L").filter(ImageFilter.GaussianBlur(0.6))
    pixels = np.asarray(grey, dtype=np.float32)
    pixels = 24.0 + pixels * (232.0 / 255.0)  # ink ~24, paper ~256-> 240
    pixels += np.random.default_rng(seed).normal(0.0, 6.0, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def images_to_pdf(images: list[Image.Image], path: Path, dpi: int) -> Path:
    """The pages as one image-only PDF (each page one JPEG, its size the picture's at ``dpi``)."""
    first, *rest = images
    first.save(path, "PDF", save_all=True, append_images=rest, resolution=float(dpi),
               creationDate=PDF_DATE, modDate=PDF_DATE, title="scan")
    return path


def has_text_layer(path: Path) -> bool:
    with pdfplumber.open(path) as pdf:
        return any(page.chars for page in pdf.pages)


# ------------------------------------------------------------------------- real PDFs


def render_pages(source: Path, pages: tuple[int, ...], dpi: int) -> list[Image.Image]:
    """The pages of ``source`` (1-based) as greyscale pictures at ``dpi``, as a scanner sees them."""
    doc = pdfium.PdfDocument(str(source))
    try:
        return [doc[n - 1].render(scale=dpi / 72, grayscale=True).to_pil() for n in pages]
    finally:
        doc.close()


def copy_pages(source: Path, pages: tuple[int, ...], path: Path) -> Path:
    """The pages of ``source`` (1-based), text layer and all, as a PDF of their own."""
    src, out = pdfium.PdfDocument(str(source)), pdfium.PdfDocument.new()
    try:
        out.import_pages(src, [n - 1 for n in pages])
        out.save(str(path))
    finally:
        out.close()
        src.close()
    return path


def real_pair(key: str, text_dir: Path, scan_dir: Path, skew: float = 0.0) -> tuple[Path, Path]:
    """(text version, scan) of ``REAL_PAGES[key]``, written as ``<file>`` into each folder;
    ``skew``: each page turned by that many degrees (counter-clockwise), as a sheet laid
    slightly askew on the scanner (not used by the tests, which turn a single page in
    test_ocr_ingest; 长沙 at 0.5° and -1° gave 37 of 81 facts exactly, 28 of the others wrong and
    confirmed, until ``ingest.ocr`` turned such pages straight: 81 of 81)."""
    name, pages, dpi = REAL_PAGES[key]
    source = REAL_PDFS / name
    text = copy_pages(source, pages, text_dir / name)
    rendered = render_pages(source, pages, dpi)
    if skew:
        rendered = [im.rotate(skew, resample=Image.BICUBIC, fillcolor=255) for im in rendered]
    images = [scan_look(im, seed=1000 * i + len(name)) for i, im in enumerate(rendered)]
    return text, images_to_pdf(images, scan_dir / name, dpi)


# ------------------------------------------------------------------- the sample, drawn


def sample_lines() -> list[str]:
    """The lines of seed 001 that the fixture draws (title, tables 一 to 九), as in the file."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(SAMPLE_FROM))
    stop = next(i for i, line in enumerate(lines) if i > start and SAMPLE_TO in line)
    title = [line for line in lines[:lines.index(SAMPLE_TITLE_END)] if line.strip()]
    return title + [""] + lines[start:stop]


def _blocks(lines: list[str]) -> list[tuple[str, object]]:
    """``('text', line)`` for a printed line (markdown marks removed), ``('table', rows)`` for a
    run of tab-separated lines (every row padded to the widest)."""
    blocks: list[tuple[str, object]] = []
    for raw in lines:
        if "\t" in raw:
            cells = [c.strip() for c in raw.split("\t")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)  # type: ignore[union-attr]
            else:
                blocks.append(("table", [cells]))
            continue
        text = raw.replace("*", "").lstrip("#").strip()
        if text:
            blocks.append(("text", text))
    for kind, rows in blocks:
        if kind == "table":
            width = max(len(r) for r in rows)  # type: ignore[union-attr]
            for r in rows:  # type: ignore[union-attr]
                r.extend([""] * (width - len(r)))
    return blocks


NUMBERED = {"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、"}


class _Pages:
    """A4 landscape pages drawn top to bottom; a new page when the next row does not fit."""

    def __init__(self, dpi: int):
        self.dpi, self.width, self.height = dpi, round(11.69 * dpi), round(8.27 * dpi)
        self.margin = dpi // 2
        self.pages: list[Image.Image] = []
        self.new_page()

    def new_page(self) -> None:
        self.pages.append(Image.new("L", (self.width, self.height), 255))
        self.draw, self.y = ImageDraw.Draw(self.pages[-1]), self.margin

    def room(self, height: int) -> None:
        if self.y + height > self.height - self.margin:
            self.new_page()


@functools.lru_cache(maxsize=None)
def _font(px: int) -> ImageFont.FreeTypeFont:
    """Noto Sans CJK **SC** at ``px`` pixels: the collection's first face is the Japanese one,
    whose glyphs differ (its 门 is read as 内 by OCR)."""
    for index in range(10):
        font = ImageFont.truetype(str(FONT_PATH), px, index=index)
        if font.getname()[0] == FONT_FACE:
            return font
    raise LookupError(f"{FONT_FACE} not in {FONT_PATH}")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """``text`` broken by characters into lines no wider than ``width`` pixels."""
    lines, current = [], ""
    for ch in text:
        if current and font.getlength(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines or [""]


def _draw_text(pages: _Pages, text: str, px: int) -> None:
    font = _font(round(px * 1.25) if text.endswith("表") else px)
    pages.room(round(font.size * 1.8))
    w = font.getlength(text)
    if text.endswith("表") or "部门预算" in text:
        x = (pages.width - w) / 2
    elif text.startswith("金额单位") or text.startswith("单位"):
        x = pages.width - pages.margin - w
    else:
        x = pages.margin
    pages.draw.text((x, pages.y), text, font=font, fill=0)
    pages.y += round(font.size * 1.8)


def _column_widths(rows: list[list[str]], font: ImageFont.FreeTypeFont, pad: int, avail: int
                   ) -> list[int]:
    """Widths filling ``avail``: in proportion to each column's widest cell (counted at most 9
    characters), but never narrower than its widest figure or code, which do not wrap."""
    def width(text: str) -> int:
        return math.ceil(font.getlength(text)) + 2 * pad + 1
    ncol, cap = len(rows[0]), font.size * 9
    need = [max([40] + [width(r[c]) for r in rows if r[c].isascii()]) for c in range(ncol)]
    want = [max(need[c], *(min(width(r[c]), cap) for r in rows)) for c in range(ncol)]
    if sum(want) <= avail:
        return [math.floor(w * avail / sum(want)) for w in want]
    spare, extra = avail - sum(need), sum(want) - sum(need)
    return [need[c] + math.floor((want[c] - need[c]) * max(spare, 0) / extra) for c in range(ncol)]


def _draw_table(pages: _Pages, rows: list[list[str]], px: int) -> None:
    """A ruled grid as wide as the page: column widths in proportion to the widest cell of each
    (counted at most 9 characters; longer text wraps inside its cell)."""
    font, pad = _font(px), px // 3
    ncol = len(rows[0])
    widths = _column_widths(rows, font, pad, pages.width - 2 * pages.margin)
    xs = [pages.margin + sum(widths[:c]) for c in range(ncol + 1)]
    line_h = round(px * 1.3)
    for number, row in enumerate(rows):
        wrapped = [_wrap(row[c], font, widths[c] - 2 * pad) for c in range(ncol)]
        height = max(len(w) for w in wrapped) * line_h + 2 * pad
        top_rule = number == 0 or pages.y + height > pages.height - pages.margin  # a table's top
        pages.room(height)
        if top_rule:
            pages.draw.line([(xs[0], pages.y), (xs[-1], pages.y)], fill=0, width=2)
        for c, cell_lines in enumerate(wrapped):
            for i, text in enumerate(cell_lines):
                figure = text.replace(",", "").replace(".", "").isdigit() and "." in text
                x = xs[c + 1] - pad - font.getlength(text) if figure else xs[c] + pad
                pages.draw.text((x, pages.y + pad + i * line_h), text, font=font, fill=0)
        bottom = pages.y + height
        pages.draw.line([(xs[0], bottom), (xs[-1], bottom)], fill=0, width=2)
        for x in xs:
            pages.draw.line([(x, pages.y), (x, bottom)], fill=0, width=2)
        pages.y = bottom
    pages.y += px


def draw_sample(lines: list[str], dpi: int = 200) -> list[Image.Image]:
    """``lines`` drawn as disclosure pages: text lines as titles, tab-separated runs as ruled
    tables; a table's heading (一、 to 九、) in the last third of a page starts a new page."""
    px = round(dpi * 10 / 72)  # 10 pt
    pages = _Pages(dpi)
    for kind, content in _blocks(lines):
        if kind == "text":
            if content[:2] in NUMBERED and pages.y > pages.height * 2 // 3:
                pages.new_page()
            _draw_text(pages, content, px)  # type: ignore[arg-type]
        else:
            _draw_table(pages, content, px)  # type: ignore[arg-type]
    return pages.pages


def sample_pair(text_dir: Path, scan_dir: Path, dpi: int = 200) -> tuple[Path, Path]:
    """(text version ``.txt``, scan ``.pdf``) of seed 001's title and tables 一 to 九."""
    lines = sample_lines()
    text = text_dir / SAMPLE.name
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    images = [scan_look(im, seed=7 + i) for i, im in enumerate(draw_sample(lines, dpi))]
    return text, images_to_pdf(images, scan_dir / (SAMPLE.stem + ".pdf"), dpi)


# --------------------------------------------------------------------- not a budget


def draw_prose(dpi: int = 150) -> Image.Image:
    """One A4 portrait page of a notice (no year, no budget, no table), 12 pt."""
    width, height, px = round(8.27 * dpi), round(11.69 * dpi), round(dpi * 12 / 72)
    page = Image.new("L", (width, height), 255)
    draw, font, y = ImageDraw.Draw(page), _font(px), dpi
    for line in PROSE:
        for part in _wrap(line, font, width - 2 * dpi):
            draw.text((dpi, y), part, font=font, fill=0)
            y += round(px * 1.8)
    return page


def not_budget_scans(scan_dir: Path, dpi: int = 150) -> list[Path]:
    """Image-only PDFs that are no budget disclosure: ``notice-scan.pdf`` (drawn prose) and, when
    ../shared/wild-dev is there, page 1 of each of ``NOT_BUDGET_PAGES`` (same names)."""
    paths = [images_to_pdf([scan_look(draw_prose(dpi), seed=3)], scan_dir / "notice-scan.pdf", dpi)]
    for name, page in NOT_BUDGET_PAGES.items():
        if (WILD / name).is_file():
            image = scan_look(render_pages(WILD / name, (page,), dpi)[0], seed=page + len(name))
            paths.append(images_to_pdf([image], scan_dir / name, dpi))
    return paths


if __name__ == "__main__":  # python tests/ocr_fixtures.py OUT: write every fixture, for a look
    import sys
    out = Path(sys.argv[1])
    shutil.rmtree(out, ignore_errors=True)
    (out / "text").mkdir(parents=True)
    (out / "scan").mkdir()
    for key in REAL_PAGES:
        print(real_pair(key, out / "text", out / "scan"))
    print(sample_pair(out / "text", out / "scan"))
    (out / "nb").mkdir()
    print(not_budget_scans(out / "nb"))
