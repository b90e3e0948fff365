"""Pages without a text layer read by OCR into what ``ingest.pdf.page_to_lines`` reads off a page.

A page whose characters are all missing (a scan) or undecodable is rendered by PDFium
(pypdfium2) at ``SCALE`` × 72 dpi in grey and read by RapidOCR (``rapidocr-onnxruntime``:
PP-OCRv4 Chinese detection and recognition models, shipped inside its wheel, run by
onnxruntime). ``OcrPage`` quacks like ``ingest.pdfium_page.PdfiumPage``, so ``page_to_lines``
runs on it unchanged:

* **characters**: every recognized text box gives one pdfplumber-style char per printed
  character, placed by the recognizer's own column of that character (``return_word_box``),
  in PDF points; inside a box, characters the recognizer printed without a space between
  them touch (no gap ``ingest.rows`` would read as a space), a space it printed is a gap of
  half an em, and characters far apart in the image (a box running across a column
  rule) keep their gap. ``size`` is the box's height; ``fontname`` is ``OCR``.
* **edges**: ruling lines found in the page image (``ocr_rulings``), as pdfplumber edge
  dicts, so pdfplumber's ``TableFinder`` finds ruled tables; where there are none the
  unruled-table path of ``ingest.rows`` works from the characters' positions.

What the recognizer gets systematically wrong is put right in its text: a space inside a
figure (``1,101. 93``) goes, a straight quote next to Chinese is the curly one printed. Its angle
classifier is off (it turned a lone ``99`` into ``66``); a page scanned on its side (most of the
detected text running down the page) is read turned a quarter, whichever way reads better, in
the geometry of the turned page; a page whose text reads badly (``UPRIGHT_SCORE``: upright
print reads at 0.99, upside down at 0.65-0.79) is read upside down as well, and the better
reading kept (``_best_turn``). A page laid slightly askew on the scanner (its text lines
sloping by ``SKEW_MIN`` to ``SKEW_MAX`` degrees: guessed from the recognizer's own long text
boxes, measured from the rows of ink, ``level_slope``) is turned straight and read again,
rules included: askew, a table's rows run into each other and its rules are not horizontal, so
cells land in the wrong row or column.

The engine is loaded once per process, on the first page that needs it (its import and the
models' load are not paid by text-only builds), and raises the process's memory limit by its
own footprint (``ENGINE_MB``); ``generator.workers`` gives a document more time for each page
read here (``on_page``). onnxruntime runs with one thread (``THREADS``): the same page gives the
same lines run to run and on any number of cores of one kind of CPU (its kernels for another
instruction set may round differently).
"""
from __future__ import annotations

import re
import threading
from typing import Any, NamedTuple

from pdfplumber.table import Table, TableFinder, TableSettings

Obj = dict[str, Any]

SCALE = 2.0  # render scale (× 72 dpi) read by OCR: 144 dpi, body text of 10.5 pt about 21 px high
#: render scale the rules are found in: a thin light rule of a 216 dpi scan fades below the ink
#: contrast when rendered at 144 dpi (北京's table lost its columns), not at 216 dpi
RULE_SCALE = 3.0
THREADS = 1  # onnxruntime threads per session: results do not depend on the machine's cores
MAX_SIDE = 4000  # RapidOCR shrinks a larger image before detection (its default, 2000, would shrink A3 pages)
MIN_SCORE = 0.5  # recognized boxes below this confidence are dropped (RapidOCR's default)
UNCLIP = 1.6  # how far detection grows a text region into its box (RapidOCR's default; 2.4 keeps a
# cell's first 一 beside its rule but loses more elsewhere: 359 against 363 of 380 lines)
BOX_THRESH = 0.3  # detection keeps a text box this sure (RapidOCR's 0.5 loses a lone ``1`` or ``目`` in a header cell)
ENGINE_MB = 1024  # added to the process's address-space limit when the engine loads (``_make_room``)
FONTNAME = "OCR"
SIDEWAYS_SHARE = 0.5  # a page with more of its characters than this in tall boxes is read turned
UPRIGHT_SCORE = 0.9  # a page whose characters read below this mean score is tried upside down too
SPACE_EM = 0.5  # the gap put where the recognizer printed a space
KEEP_GAP_EM = 0.8  # a gap between two characters of one box wider than this (in the image) is kept
SKEW_MIN = 0.15  # degrees: a page whose text slopes less than this is read as it is (0.15° is 2 px across A4 at 144 dpi)
SKEW_MAX = 5.0  # degrees: more than this is no scanner's skew (a page on its side is found by SIDEWAYS_SHARE)
SKEW_BOX_RATIO = 4.0  # a text box at least this many times as wide as tall has a baseline to measure
SKEW_MIN_BOXES = 3  # fewer such boxes on a page: no skew is measured
#: the boxes' slope is a first guess (a box's edge is a few pixels of a rotated rectangle: 长沙
#: at 0.3° measured 0.27-0.57); ``level_slope`` looks this far either side of it, in these steps
SKEW_SEARCH, SKEW_STEP, SKEW_FINE = 0.6, 0.05, 0.01
INK = 160  # a pixel darker than this is ink (``level_slope``)

_ENGINE: Any = None
_ENGINE_LOCK = threading.Lock()
_HOOK = threading.local()  # ``on_page``: called on the thread that read a page


def on_page(hook: Any) -> None:
    """Call ``hook()`` after each page this thread reads by OCR (``generator.workers`` and
    ``generator.distributed`` lengthen the document's time limit by it)."""
    _HOOK.call = hook


def engine() -> Any:
    """The process's RapidOCR engine, loaded on first use (see ``ENGINE_MB``)."""
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            _make_room()
            from rapidocr_onnxruntime import RapidOCR  # noqa: PLC0415 - imported only when a page needs OCR

            _ENGINE = RapidOCR(
                intra_op_num_threads=THREADS,
                inter_op_num_threads=THREADS,
                max_side_len=MAX_SIDE,
            )
        return _ENGINE


def _make_room() -> None:
    """Raise this process's address-space limit (``RLIMIT_AS``, set by ``generator.workers``
    from ``--doc-memory``), if any, by ``ENGINE_MB`` before the engine loads: the limit is
    there to stop one document from taking the machine, and the engine's footprint is the
    process's, fixed and the same for every document it reads — OpenCV and onnxruntime map
    about 600 MB of address space on import, and detection on a page image takes another
    500-900 MB at its peak, so a scan would fail at the default 1536 MB however small it is.
    The raised limit stays with the process, as the engine does."""
    import resource  # noqa: PLC0415

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return
    raised = soft + (ENGINE_MB << 20)
    if hard != resource.RLIM_INFINITY:
        raised = min(raised, hard)
    resource.setrlimit(resource.RLIMIT_AS, (raised, hard))


class OcrPage:
    """The part of a ``pdfplumber.Page`` that ``page_to_lines`` uses, read by OCR from the page image."""

    def __init__(self, plumber_page: Any, chars: list[Obj], edges: list[Obj], bbox: Any = None) -> None:
        self.page_number = plumber_page.page_number
        self.bbox = bbox or plumber_page.bbox
        self.height = self.bbox[3] - self.bbox[1]
        self.width = self.bbox[2] - self.bbox[0]
        self.chars = chars
        self.edges = edges

    def dedupe_chars(self) -> "OcrPage":
        return self  # OCR reads every printed character once

    def find_tables(self, settings: Any = None) -> list[Table]:
        return TableFinder(self, TableSettings.resolve(settings)).tables  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the page image


def render(document: Any, index: int, scale: float | None = None) -> Any:
    """Page ``index`` (0-based) of a pypdfium2 ``PdfDocument`` as a grey uint8 array (its crop box, as displayed)."""
    from .pdfium_page import PDFIUM_LOCK  # noqa: PLC0415

    with PDFIUM_LOCK:
        page = document[index]
        try:
            bitmap = page.render(scale=scale or SCALE, grayscale=True)
            image = bitmap.to_numpy().copy()
        finally:
            page.close()
    if image.ndim == 3:
        image = image[:, :, 0]
    return image


class _Frame:
    """Pixel -> pdfplumber coordinates of a page image covering the page's crop box."""

    def __init__(self, plumber_page: Any, image_shape: tuple[int, ...], box: Any = None) -> None:
        x0, top, x1, bottom = box or getattr(plumber_page, "cropbox", None) or plumber_page.bbox
        height, width = image_shape[:2]
        self.x0, self.top = float(x0), float(top)
        self.sx = (float(x1) - float(x0)) / width
        self.sy = (float(bottom) - float(top)) / height
        self.doctop = float(getattr(plumber_page, "initial_doctop", 0.0))

    def x(self, px: float) -> float:
        return self.x0 + px * self.sx

    def y(self, py: float) -> float:
        return self.top + py * self.sy


class OcrDocument:
    """The pages of one PDF read by OCR (``ingest.pdf``): the file is opened by pypdfium2 on
    the first page that needs it; ``pages`` counts the pages read."""

    def __init__(self, path: Any) -> None:
        self.path = path
        self.document: Any = None
        self.pages = 0

    def read(self, index: int, plumber_page: Any) -> OcrPage:
        from .pdfium_page import PDFIUM_LOCK  # noqa: PLC0415

        if self.document is None:
            import pypdfium2  # noqa: PLC0415

            with PDFIUM_LOCK:
                self.document = pypdfium2.PdfDocument(str(self.path))
        page = read_page(self.document, index, plumber_page)
        self.pages += 1
        hook = getattr(_HOOK, "call", None)
        if hook is not None:
            hook()
        return page

    def close(self) -> None:
        if self.document is not None:
            from .pdfium_page import PDFIUM_LOCK  # noqa: PLC0415

            with PDFIUM_LOCK:
                self.document.close()
            self.document = None


def read_page(document: Any, index: int, plumber_page: Any) -> OcrPage:
    """Page ``index`` of a pypdfium2 document read by OCR, with the geometry of ``plumber_page``."""
    import numpy as np  # noqa: PLC0415

    from .ocr_rulings import ruling_edges  # noqa: PLC0415

    image = render(document, index)
    reading, turns = recognize(image), 0
    if reading.tall > SIDEWAYS_SHARE:  # a landscape table scanned upright: read the page turned a quarter
        turns, image, reading = _best_turn(image, (1, 3))  # counterclockwise, clockwise
    elif reading.score < UPRIGHT_SCORE:  # reads badly: perhaps fed into the scanner upside down
        turns, image, reading = _best_turn(image, (2,), (0, image, reading))
    boxes, slope = reading.boxes, reading.slope
    if SKEW_FINE <= abs(slope) <= SKEW_MAX + SKEW_SEARCH:
        slope = level_slope(image, slope)
    askew = SKEW_MIN <= abs(slope) <= SKEW_MAX
    if askew:  # laid askew on the scanner: read it again turned straight
        image = straighten(image, slope)
        boxes = recognize(image).boxes
    bbox = None
    if turns % 2:  # turned a quarter: the turned page's box, width and height swapped, from the origin
        x0, top, x1, bottom = getattr(plumber_page, "cropbox", None) or plumber_page.bbox
        bbox = (0.0, 0.0, float(bottom) - float(top), float(x1) - float(x0))
    frame = _Frame(plumber_page, image.shape, bbox)
    per_box = [box_to_chars(box, frame) for box in boxes]
    chars = [char for box_chars in per_box for char in box_chars]
    text_boxes = [(min(c["x0"] for c in cs), cs[0]["top"], max(c["x1"] for c in cs), cs[0]["bottom"])
                  for cs in per_box if cs]
    rules = np.ascontiguousarray(np.rot90(render(document, index, RULE_SCALE), turns))
    if askew:
        rules = straighten(rules, slope)
    edges = ruling_edges(rules, _Frame(plumber_page, rules.shape, bbox), text_boxes)
    return OcrPage(plumber_page, chars, edges, bbox)


def level_slope(image: Any, guess: float) -> float:
    """The slope near ``guess`` (within ``SKEW_SEARCH`` degrees) that turns the page's ink into the
    sharpest rows: the angle whose straightened ink, summed along each pixel row, has the
    largest sum of squares — text lines and rules fall each into as few rows as they can when
    level. Searched in ``SKEW_STEP`` steps, then ``SKEW_FINE`` steps around the best."""
    import numpy as np  # noqa: PLC0415

    ink = (np.asarray(image) < INK).astype(np.float32)

    def sharpness(angle: float) -> float:
        rows = straighten(ink, angle, paper=0.0).sum(axis=1)
        return float(np.dot(rows, rows))

    def best(centre: float, half: float, step: float) -> float:
        count = round(half / step)
        angles = [round(centre + k * step, 4) for k in range(-count, count + 1)]
        return max(angles, key=lambda a: (sharpness(a), -abs(a)))

    coarse = best(guess, SKEW_SEARCH, SKEW_STEP)
    return best(coarse, SKEW_STEP, SKEW_FINE)


def straighten(image: Any, slope: float, paper: float = 255) -> Any:
    """``image`` turned by ``slope`` degrees about its centre, so text sloping by ``slope``
    (``recognize``) runs level; what comes in at the corners is ``paper`` (white)."""
    import cv2  # noqa: PLC0415 - OpenCV comes with the OCR engine

    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), slope, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_CUBIC,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=paper)


Box = tuple[str, float, float, float, list[tuple[float, float]]]  # text, score, top, bottom, x-range of each character


class Reading(NamedTuple):
    """What ``recognize`` reads on a page image."""

    boxes: list[Box]
    tall: float  # share of the boxes' area in boxes twice as tall as wide (the page is sideways)
    slope: float  # of the text lines, in degrees (``slope_of``)
    score: float  # mean score of every character found

    @property
    def worth(self) -> float:
        """How well the image reads: its characters weighted by score, in boxes that are not tall."""
        return sum(len(text) * score for text, score, *_ in self.boxes) * (1 - self.tall)


def _best_turn(image: Any, tried: tuple[int, ...],
               kept: tuple[int, Any, Reading] | None = None) -> tuple[int, Any, Reading]:
    """(quarter turns, turned image, reading) of whichever reads best (``Reading.worth``; the
    first on a tie): ``kept``, already read, or the page image turned by each of ``tried``
    quarter turns (``np.rot90``)."""
    import numpy as np  # noqa: PLC0415

    best = kept
    for turns in tried:
        turned = np.ascontiguousarray(np.rot90(image, turns))
        reading = recognize(turned)
        if best is None or reading.worth > best[2].worth:
            best = (turns, turned, reading)
    return best


def recognize(image: Any) -> Reading:
    """Each text box the engine reads with at least ``MIN_SCORE``, in its order: its text
    (spaces inside numbers dropped, ``_NUMBER_SPACE``), score, top and bottom, and the pixel
    x-range of each of its characters (spaces too); the share of the area of all the boxes
    it finds (whatever their score: text on its side reads badly) in boxes at least twice as
    tall as wide (text running down the page: the page is sideways); the slope of the page's
    text in degrees (``slope_of``); and the mean score of every character found, whatever its
    box's score (1.0 on a page without text)."""
    # no angle classifier: it turns short upright figures over (``99`` read as ``66``, 上海普陀's
    # 类款项 codes); a page turned a quarter is found from its boxes (``read_page``)
    result, _ = engine()(image, use_cls=False, return_word_box=True, text_score=0.0, box_thresh=BOX_THRESH,
                         unclip_ratio=UNCLIP)
    boxes = []
    tall = total = scored = characters = 0.0
    quads = []
    for entry in result or []:
        quad, text, score = entry[0], str(entry[1]), float(entry[2])
        quads.append(quad)
        scored += score * len(text)
        characters += len(text)
        xs_, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
        width, height = max(xs_) - min(xs_), max(ys) - min(ys)
        total += width * height
        if height > 2 * width:
            tall += width * height
        if score < MIN_SCORE:
            continue
        xs = _char_ranges(quad, text, entry[3] if len(entry) > 3 else [], entry[4] if len(entry) > 4 else [])
        drop = {m.start() + k for m in _NUMBER_SPACE.finditer(text) for k in range(len(m.group()))}
        if drop:
            text = "".join(c for i, c in enumerate(text) if i not in drop)
            xs = [x for i, x in enumerate(xs) if i not in drop]
        boxes.append((_quotes(text), score, min(ys), max(ys), xs))
    return Reading(boxes, tall / total if total else 0.0, slope_of(quads), scored / characters if characters else 1.0)


def slope_of(quads: Any) -> float:
    """The slope of a page's text lines in degrees, as ``cv2.getRotationMatrix2D`` takes it
    (negative: rising to the right, turned counterclockwise): the median, weighted by width, of
    the top edges of the detected boxes at least ``SKEW_BOX_RATIO`` times as wide as tall
    (the detector gives each box as the rotated rectangle of its text); 0 with fewer than
    ``SKEW_MIN_BOXES`` of them."""
    import math  # noqa: PLC0415

    measured = []
    for quad in quads:
        (x0, y0), (x1, y1) = (float(v) for v in quad[0]), (float(v) for v in quad[1])
        width = math.hypot(x1 - x0, y1 - y0)
        height = math.hypot(float(quad[3][0]) - x0, float(quad[3][1]) - y0)
        if x1 > x0 and width >= SKEW_BOX_RATIO * max(height, 1.0):
            measured.append((math.degrees(math.atan2(y1 - y0, x1 - x0)), width))
    if len(measured) < SKEW_MIN_BOXES:
        return 0.0
    measured.sort()
    half, run = sum(w for _, w in measured) / 2, 0.0
    for angle, width in measured:
        run += width
        if run >= half:
            return angle
    return measured[-1][0]


#: a space the recognizer reads inside a figure (``1,101. 93``, ``7, 517.14``, ``138 .59``):
#: the printed figures have none; two figures side by side (``0.00 0.00``) keep theirs
_NUMBER_SPACE = re.compile(r"(?<=\d[.,，])\s+(?=\d)|(?<=\d)\s+(?=[.,，]\d)")


def _quotes(text: str) -> str:
    """An ASCII ``"`` next to a CJK character as the curly quote Chinese text prints: closing
    after an opening one, else opening (the recognizer reads ``“三公"经费`` for ``“三公”经费``)."""
    if '"' not in text:
        return text
    out, opened = [], False
    for i, c in enumerate(text):
        if c == '"' and any(_is_cjk(n) for n in text[max(i - 1, 0):i] + text[i + 1:i + 2]):
            c = "”" if opened else "“"
        if c in "“”":
            opened = c == "“"
        out.append(c)
    return "".join(out)


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _char_ranges(quad: Any, text: str, word_boxes: Any, contents: Any) -> list[tuple[float, float]]:
    """The pixel x-range of each character of ``text`` (spaces too): the recognizer's column of
    each where it gives one per character, else the text box split by character widths (a
    CJK character one em, an ASCII one half)."""
    if word_boxes and len(word_boxes) == len(text) and "".join(map(str, contents)) == text:
        out = []
        for wb in word_boxes:
            wx = [float(p[0]) for p in wb]
            out.append((min(wx), max(wx)))
        return out
    xs = [float(p[0]) for p in quad]
    left, right = min(xs), max(xs)
    weights = [_weight(c) for c in text]
    unit = (right - left) / max(sum(weights), 1e-6)
    out, x = [], left
    for w in weights:
        out.append((x, x + w * unit))
        x += w * unit
    return out


def _weight(char: str) -> float:
    """Printed width of a character in ems (full-width CJK 1, ASCII and spaces 0.5)."""
    return 0.5 if ord(char) < 0x2E80 or 0xFF61 <= ord(char) <= 0xFFDC else 1.0


def box_to_chars(box: Box, frame: _Frame) -> list[Obj]:
    """pdfplumber-style chars of one recognized text box, in PDF points (see the module docstring)."""
    text, _, top_px, bottom_px, ranges = box
    top, bottom = frame.y(top_px), frame.y(bottom_px)
    size = max(bottom - top, 1.0)
    spaced = _spaced_after(text)
    glyphs = [c for c in text if not c.isspace()]
    placed = [[frame.x(x0), frame.x(x1)] for c, (x0, x1) in zip(text, ranges) if not c.isspace()]
    for i in range(1, len(placed)):
        previous, current = placed[i - 1], placed[i]
        gap = current[0] - previous[1]
        if spaced[i - 1]:
            if gap < SPACE_EM * size:  # the recognizer's space: at least half an em
                middle = (previous[1] + current[0]) / 2
                previous[1] = min(previous[1], middle - SPACE_EM * size / 2)
                current[0] = max(current[0], middle + SPACE_EM * size / 2)
        elif gap < KEEP_GAP_EM * size:  # one word: the characters touch
            middle = (previous[1] + current[0]) / 2
            previous[1] = current[0] = middle
    chars = []
    for glyph, (x0, x1) in zip(glyphs, placed):
        chars.append(
            {
                "text": glyph,
                "fontname": FONTNAME,
                "x0": x0,
                "x1": max(x1, x0 + 0.1),
                "top": top,
                "bottom": bottom,
                "doctop": frame.doctop + top,
                "size": size,
                "upright": True,
            }
        )
    return chars


def _spaced_after(text: str) -> list[bool]:
    """For each non-blank character of ``text``: whether a space follows it."""
    out: list[bool] = []
    for i, c in enumerate(text):
        if c.isspace():
            if out:
                out[-1] = True
        else:
            out.append(False)
    return out
