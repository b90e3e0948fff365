"""PDF pages read by PDFium (pypdfium2) into what ``ingest.pdf.page_to_lines`` reads off a pdfplumber page.

``ingest.pdf`` turns a page's characters and ruling edges into lines. pdfplumber gets both from
pdfminer, which interprets every content stream in Python (most of the ingest time). This module
gets them from PDFium instead, with pdfminer's and pdfplumber's exact conventions, so the lines
come out the same (``bench/compare_ingest.py``: 104 of 104 real and crawled files identical):

* **characters** (``FPDFText_*``): ``x0`` = origin, ``x1`` = origin + advance (PDFium's loose
  box; where the glyph reaches past its advance, pdfminer's width of the code, ``_Widths``), the
  box from the baseline + font descent × size to one font size above it, through the
  character's matrix and pdfminer's page matrix (``LTChar``), ``top``/``bottom`` measured from
  the top of the MediaBox (pdfplumber's ``Page.process_object``); characters PDFium generates
  (spaces, line breaks) and blanks are left out, a line-end hyphen PDFium marks 0x02 is ``-``,
  a glyph without a Unicode mapping reads ``(cid:0)`` as pdfminer's ``(cid:N)``;
  ``dedupe_chars`` is pdfplumber's, without its quadratic ordering;
* **edges**: ``ingest.pdfium_edges``; ``find_tables`` is pdfplumber's ``TableFinder`` on them.

``page_source`` reads a page with PDFium only where it reproduces pdfminer: a page with a Type3
font, a Type0 font without ToUnicode or with a vertical CMap (pdfminer's CID decoding decides
the text), a /Rotate, turned or slanted characters, or a glyph wider than its advance whose width
pdfminer's font does not settle is read by pdfplumber as before, and counted in ``FALLBACK``.
PDFium opens the file only after pdfminer did (page tree, encryption, bombs: ``ingest.pdf``);
where it cannot open it or counts other pages, every page is read by pdfplumber.
"""
from __future__ import annotations

import ast
import contextlib
import ctypes
import threading
from operator import itemgetter
from typing import Any, Iterator

import pypdfium2.raw as pdfium_c
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfplumber.table import Table, TableFinder, TableSettings

from .pdfium_edges import Matrix, page_edges

Obj = dict[str, Any]

FALLBACK: dict[str, int] = {"pages": 0, "fallback": 0}  # pages read here / by pdfplumber, this process
#: PDFium is not thread-safe: one thread in it at a time (a Dask worker's timed-out parse runs
#: on in a thread beside the next one)
PDFIUM_LOCK = threading.RLock()


def page_ctm(page_obj: Any) -> Matrix:
    """The matrix pdfminer's ``process_page`` starts an unrotated page with: the MediaBox origin
    moved to (0, 0) (a page with /Rotate is read by pdfplumber, ``page_supported``)."""
    x0, y0 = page_obj.mediabox[:2]
    return (1, 0, 0, 1, -x0, -y0)


# ------------------------------------------------------------------------ can PDFium read it


def _font_refs(resources: Any, seen: set[int]) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(object number, font dictionary) of a page's resources and of the forms it draws (nested)."""
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return
    fonts = resolve1(resources.get("Font"))
    if isinstance(fonts, dict):
        for ref in fonts.values():
            font = resolve1(ref)
            if isinstance(font, dict):
                yield getattr(ref, "objid", None), font
    xobjects = resolve1(resources.get("XObject"))
    if isinstance(xobjects, dict):
        for ref in xobjects.values():
            form = resolve1(ref)
            if isinstance(form, PDFStream) and id(form) not in seen:
                seen.add(id(form))
                yield from _font_refs(form.get("Resources"), seen)


def _fonts(resources: Any, seen: set[int]) -> Iterator[dict[str, Any]]:
    """Font dictionaries of a page's resources and of the forms it draws (nested)."""
    return (font for _, font in _font_refs(resources, seen))


def _name(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def font_supported(font: dict[str, Any]) -> bool:
    """True when PDFium's text of this font is pdfminer's: a ToUnicode map, or a simple font
    (Type1/TrueType) whose codes pdfminer decodes through its encoding."""
    subtype = _name(font.get("Subtype"))
    if subtype == "Type3":
        return False
    if subtype == "Type0":
        encoding = _name(font.get("Encoding"))
        return "ToUnicode" in font and not encoding.endswith("-V")
    return "ToUnicode" in font or subtype in ("Type1", "TrueType", "MMType1")


def page_supported(page_obj: Any) -> bool:
    """Whether this page can be read by PDFium with pdfminer's results (else pdfplumber reads it)."""
    if page_obj.rotate != 0:  # no rotated page in the corpora to check PDFium's against
        return False
    try:
        return all(font_supported(f) for f in _fonts(page_obj.resources, set()))
    except Exception:  # noqa: BLE001 - any oddity in the resources: let pdfminer read the page
        return False


# -------------------------------------------------------------------------------- the page


class PdfiumPage:
    """The part of a ``pdfplumber.Page`` that ``page_to_lines`` uses, read by PDFium."""

    def __init__(self, plumber_page: Any, chars: list[Obj], edges: list[Obj]) -> None:
        self.page_number = plumber_page.page_number
        self.bbox = plumber_page.bbox
        self.height = plumber_page.height
        self.width = plumber_page.width
        self.chars = chars
        self.edges = edges

    def dedupe_chars(self) -> "PdfiumPage":
        deduped = PdfiumPage.__new__(PdfiumPage)
        deduped.__dict__.update(self.__dict__)
        deduped.chars = _dedupe(self.chars)
        return deduped

    def find_tables(self, settings: Any = None) -> list[Table]:
        return TableFinder(self, TableSettings.resolve(settings)).tables  # type: ignore[arg-type]


def _dedupe(chars: list[Obj], tolerance: float = 1) -> list[Obj]:
    """pdfplumber's ``dedupe_chars`` (tolerance 1, same upright, text, fontname and size): in each
    cluster of such characters within ``tolerance`` in ``doctop`` and then in ``x0`` the one
    with the least (doctop, x0), the first of equals; the survivors in page order. Same result,
    without its quadratic ``chars.index``."""
    groups: dict[tuple[Any, ...], list[tuple[float, float, int]]] = {}
    for index, char in enumerate(chars):
        key = (char["upright"], char["text"], char["fontname"], char["size"])
        groups.setdefault(key, []).append((char["doctop"], char["x0"], index))
    kept: list[int] = []
    for members in groups.values():
        if len(members) == 1:
            kept.append(members[0][2])
            continue
        members.sort()
        for y_cluster in _clusters(members, 0, tolerance):
            if len(y_cluster) == 1:
                kept.append(y_cluster[0][2])
                continue
            y_cluster.sort(key=itemgetter(1))
            kept.extend(min(x_cluster)[2] for x_cluster in _clusters(y_cluster, 1, tolerance))
    kept.sort()
    return [chars[i] for i in kept]


def _clusters(ordered: list[tuple[float, float, int]], key: int, tolerance: float) -> list[list[tuple[float, float, int]]]:
    """pdfplumber's ``cluster_list`` on one field of items sorted by it: split where a value
    exceeds the previous one by more than ``tolerance``."""
    clusters = [[ordered[0]]]
    last = ordered[0][key]
    for item in ordered[1:]:
        value = item[key]
        if value <= last + tolerance:
            clusters[-1].append(item)
        else:
            clusters.append([item])
        last = value
    return clusters


def read_page(document: Any, index: int, plumber_page: Any) -> PdfiumPage:
    """Page ``index`` (0-based) of a PDFium document handle, with the geometry of ``plumber_page``."""
    ctm = page_ctm(plumber_page.page_obj)
    with PDFIUM_LOCK:
        return _read_page(document, index, plumber_page, ctm)


def _read_page(document: Any, index: int, plumber_page: Any, ctm: Matrix) -> PdfiumPage:
    page = pdfium_c.FPDF_LoadPage(document, index)
    if not page:
        raise _Unsupported(f"PDFium cannot load page {index + 1}")
    try:
        geometry = _Geometry(plumber_page, ctm)
        text_page = pdfium_c.FPDFText_LoadPage(page)
        try:
            chars = _chars(text_page, geometry)
        finally:
            pdfium_c.FPDFText_ClosePage(text_page)
        edges = page_edges(page, geometry)
    finally:
        pdfium_c.FPDF_ClosePage(page)
    return PdfiumPage(plumber_page, chars, edges)


class _Geometry:
    """pdfminer's page matrix and pdfplumber's MediaBox offsets of one page."""

    def __init__(self, plumber_page: Any, ctm: Matrix) -> None:
        self.ctm = ctm
        self.height = plumber_page.height
        self.mb_x0, self.mb_top = plumber_page.mediabox[:2]
        self.doctop = plumber_page.initial_doctop
        self.page = plumber_page

    def place(self, obj: Obj) -> Obj:
        """pdfplumber's ``process_object`` coordinates from pdfminer's (x0, y0, x1, y1)."""
        obj["top"] = (self.height - obj["y1"]) + self.mb_top
        obj["bottom"] = (self.height - obj["y0"]) + self.mb_top
        obj["doctop"] = self.doctop + obj["top"]
        if self.mb_x0 != 0:
            obj["x0"] = obj["x0"] + self.mb_x0
            obj["x1"] = obj["x1"] + self.mb_x0
        return obj

    def coord(self, pt: tuple[float, float]) -> tuple[float, float]:
        """pdfplumber's ``point2coord``."""
        return (self.mb_x0 + pt[0], self.mb_top + self.height - pt[1])


# ------------------------------------------------------------------------------ characters


def _chars(text_page: Any, geometry: _Geometry) -> list[Obj]:
    c = pdfium_c
    count = c.FPDFText_CountChars(text_page)
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = c.FS_MATRIX()
    box = c.FS_RECTF()
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    objects: dict[int, tuple[str, bytes, float, float, Matrix]] = {}  # text object -> font, its bytes, descent, size, matrix
    name_buffer = ctypes.create_string_buffer(512)
    descent = ctypes.c_float()
    chars: list[Obj] = []
    ctm = geometry.ctm
    widths = _Widths(geometry.page)
    for i in range(count):
        code = c.FPDFText_GetUnicode(text_page, i)
        text = chr(code) if 0 < code < 0x110000 else ""
        if not text.strip():
            continue  # blanks, and the spaces and line breaks PDFium generates
        if c.FPDFText_HasUnicodeMapError(text_page, i) == 1:
            text = "(cid:0)"
        elif text == "\x02" and c.FPDFText_IsHyphen(text_page, i):
            text = "-"  # PDFium marks a hyphen ending a line as 0x02
        obj = c.FPDFText_GetTextObject(text_page, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        known = objects.get(key)
        if known is None:
            font = c.FPDFTextObj_GetFont(obj)
            size = c.FPDFFont_GetBaseFontName(font, name_buffer, len(name_buffer))
            raw_name = name_buffer.raw[: max(size - 1, 0)]
            name = raw_name.decode("utf-8", "replace")
            c.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent)
            c.FPDFText_GetMatrix(text_page, i, matrix)
            if matrix.a <= 0 or matrix.b != 0 or matrix.c != 0:
                raise _Unsupported("a character turned or slanted")
            known = (name, raw_name, descent.value / 1000.0, c.FPDFText_GetFontSize(text_page, i), (matrix.a, matrix.b, matrix.c, matrix.d, 0.0, 0.0))
            objects[key] = known
        fontname, raw_name, font_descent, fontsize, (ma, mb, mc, md, _, _) = known
        c.FPDFText_GetCharOrigin(text_page, i, x, y)
        c.FPDFText_GetLooseCharBox(text_page, i, box)
        c.FPDFText_GetCharBox(text_page, i, left, right, bottom, top)
        if right.value >= box.right - 1e-4 and right.value > left.value and text != "(cid:0)":
            # PDFium's loose box takes in the glyph's own box: where the glyph reaches past its
            # advance, the advance is pdfminer's width of the code (on the left the origin bounds it)
            adv = widths.advance(raw_name, text, fontsize, (box.right - x.value) / ma)
        else:
            adv = (box.right - x.value) / ma
        # pdfminer's LTChar box through the character's matrix (upright, unslanted: checked
        # above) and the page's, which only moves the MediaBox origin
        a, b, cc, d, e, f = ma, mb, mc, md, x.value + ctm[4], y.value + ctm[5]
        low = font_descent * fontsize
        high = low + fontsize
        x0, x1 = sorted((e, a * adv + e))
        y0, y1 = sorted((d * low + f, d * high + f))
        char = {
            "text": text,
            "fontname": fontname,
            "x0": x0,
            "x1": x1,
            "y0": y0,
            "y1": y1,
            "size": y1 - y0,
            "upright": a * d > 0 and b * cc <= 0,
            "matrix": (a, b, cc, d, e, f),
        }
        chars.append(geometry.place(char))
    return chars


class _Unsupported(Exception):
    """A page PDFium reads differently from pdfminer: it is read by pdfplumber instead."""


class _Widths:
    """pdfminer's advance of a character whose glyph reaches past it (PDFium's boxes lose it):
    the width of the codes that decode to its text in the page's fonts of that name, when they
    agree. Fonts are loaded by pdfminer's resource manager only when a page needs one."""

    def __init__(self, plumber_page: Any) -> None:
        self.page = plumber_page
        self.fonts: dict[bytes, list[tuple[Any, dict[str, Any]]]] | None = None
        self.known: dict[tuple[bytes, str], float | None] = {}

    def _load(self) -> dict[bytes, list[tuple[Any, dict[str, Any]]]]:
        """The page's font dictionaries by base font name (nothing parsed yet)."""
        fonts: dict[bytes, list[tuple[Any, dict[str, Any]]]] = {}
        resources = resolve1(self.page.page_obj.resources)
        for objid, spec in _font_refs(resources, set()):
            name = resolve1(spec.get("BaseFont"))
            name = _name(name) if name is not None else "unknown"
            fonts.setdefault(_name_bytes(name), []).append((objid, spec))
        return fonts

    def _font(self, objid: Any, spec: dict[str, Any]) -> Any:
        """pdfminer's font, cached by object number across pages by its resource manager."""
        try:
            return self.page.pdf.rsrcmgr.get_font(objid, spec)
        except Exception:  # noqa: BLE001 - a font pdfminer cannot load: no width from it
            return None

    def width(self, fontname: bytes, text: str) -> float | None:
        if (fontname, text) not in self.known:
            if self.fonts is None:
                self.fonts = self._load()
            found: set[float] = set()
            for objid, spec in self.fonts.get(fontname, []):
                font = self._font(objid, spec)
                if font is None:
                    continue
                for cid in _codes(font):
                    try:
                        if font.to_unichr(cid) == text:
                            found.add(font.char_width(cid))
                    except Exception:  # noqa: BLE001 - pdfminer's PDFUnicodeNotDefined and kin
                        continue
            self.known[(fontname, text)] = found.pop() if len(found) == 1 else None
        return self.known[(fontname, text)]

    def advance(self, fontname: bytes, text: str, fontsize: float, bound: float) -> float:
        width = self.width(fontname, text)
        if width is None or width * fontsize > bound + 1e-3:
            raise _Unsupported("a glyph wider than its advance, its width unknown")
        return width * fontsize


def _name_bytes(name: Any) -> bytes:
    """A pdfminer font name as the bytes of the PDF name (PDFium's ``FPDFFont_GetBaseFontName``):
    pdfminer spells a name that is not UTF-8 as the repr of its bytes."""
    if isinstance(name, bytes):
        return name
    text = str(name)
    if text.startswith(("b'", 'b"')):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            value = None
        if isinstance(value, bytes):
            return value
    return text.encode("utf-8")


def _codes(font: Any) -> list[int]:
    """The codes a pdfminer font decodes: its ToUnicode map's, and 0-255 for a simple font."""
    codes: set[int] = set()
    unicode_map = getattr(font, "unicode_map", None)
    if unicode_map is not None:
        codes.update(getattr(unicode_map, "cid2unichr", {}).keys())
    codes.update(getattr(font, "cid2unicode", {}).keys())
    return sorted(codes)


# ------------------------------------------------------------------------- entry points


RELOAD_PAGES = 32  # PDFium keeps every page's fonts and images until its document closes


class _Document:
    """A PDFium document handle, reopened every ``RELOAD_PAGES`` pages so that what PDFium
    caches per document (fonts, images) does not grow with the page count."""

    def __init__(self, path: Any, handle: Any) -> None:
        self.path = str(path).encode("utf-8")
        self.handle = handle
        self.pages_read = 0

    def page_handle(self) -> Any:
        self.pages_read += 1
        if self.pages_read > RELOAD_PAGES:
            with PDFIUM_LOCK:
                fresh = pdfium_c.FPDF_LoadDocument(self.path, None)
                if fresh:
                    pdfium_c.FPDF_CloseDocument(self.handle)
                    self.handle = fresh
            self.pages_read = 1
        return self.handle

    def close(self) -> None:
        with PDFIUM_LOCK:
            pdfium_c.FPDF_CloseDocument(self.handle)


@contextlib.contextmanager
def open_document(path: Any, page_count: int, enabled: bool = True) -> Iterator[_Document | None]:
    """The PDFium document of ``path`` (closed on exit), or None when PDFium is not used: not
    ``enabled``, it cannot open the file, or it counts other pages than pdfminer."""
    handle = None
    if enabled:
        with PDFIUM_LOCK:
            handle = pdfium_c.FPDF_LoadDocument(str(path).encode("utf-8"), None)
            if handle and pdfium_c.FPDF_GetPageCount(handle) != page_count:
                pdfium_c.FPDF_CloseDocument(handle)
                handle = None
    document = _Document(path, handle) if handle else None
    try:
        yield document
    finally:
        if document is not None:
            document.close()


def page_source(document: _Document | None, index: int, plumber_page: Any) -> Any:
    """What ``page_to_lines`` reads page ``index`` from: a ``PdfiumPage``, or the pdfplumber
    page itself where PDFium would not give pdfminer's characters (counted in ``FALLBACK``)."""
    if document is None:
        return plumber_page
    FALLBACK["pages"] += 1
    if page_supported(plumber_page.page_obj):
        try:
            return read_page(document.page_handle(), index, plumber_page)
        except _Unsupported:
            pass
    FALLBACK["fallback"] += 1
    return plumber_page
