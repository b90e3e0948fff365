"""Pages of the source PDFs as images, with the boxes of the numbers printed on them, for the
page viewer (:mod:`.pages.viewer`): a figure on the site opens its page with its cell boxed.

:func:`page_data` renders one page (pypdfium2, grayscale in 16 levels, :data:`WIDTH` pixels
wide: readable on a phone when zoomed, ~10–60 KB a page) and reads every number printed on it
(pdfplumber's words; ``7,517.14`` → ``7517.14``, one box per number, also inside a sentence).
Both are kept in a cache folder by the PDF's sha256, the page and this code, so a rebuild reads
them back: same PDF, same bytes.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..atomic import KEEP_UNUSED_SECONDS, remove_unused
from ..numbers import fullwidth_to_ascii

WIDTH = 1200  # pixels: a landscape table page's 8-pt figures stay legible
LEVELS = 16  # grays of the PNG (4 bits a pixel): antialiased text, a third of the bytes
#: a number as printed: optional sign, digits with or without thousands separators, decimals
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")

_CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
_used: set[Path] = set()  # cache files this process wrote or read (kept by :func:`prune_cache`)


@dataclass(frozen=True)
class PageData:
    """One page: its PNG, pixel size and the numbers on it as
    ``(x0, top, x1, bottom, value[, digits])`` in fractions of the page (4 decimals), value
    canonical (:func:`canonical`), and the digits as printed where they lead with a zero (the
    ``06`` of a code printed as ``204 | 06 | 01``)."""

    png: bytes
    width: int
    height: int
    numbers: tuple[tuple, ...]


def canonical(text: str) -> str | None:
    """A printed number as the viewer compares it: no separators, no leading or trailing
    zeros, ``-`` for negatives (``7,517.14`` → ``7517.14``, ``0.00`` → ``0``,
    ``1242900.00`` → ``1242900``); None when it is not one."""
    try:
        d = Decimal(fullwidth_to_ascii(text).replace(",", ""))
    except InvalidOperation:
        return None
    if not d.is_finite():
        return None
    s = format(d.normalize(), "f")
    return "0" if s in ("-0", "0") else s


def _versions() -> str:
    import PIL
    import pdfplumber
    import pypdfium2
    return json.dumps([getattr(pypdfium2, "__version__", str(getattr(pypdfium2, "PYPDFIUM_INFO", ""))),
                       PIL.__version__, pdfplumber.__version__, WIDTH, LEVELS, _CODE])


def cache_key(sha256: str, page: int) -> str:
    return hashlib.sha256(f"{sha256}\n{page}\n{_versions()}".encode()).hexdigest()


def page_count(path: Path) -> int:
    import pypdfium2
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def render_png(path: Path, page: int) -> tuple[bytes, int, int]:
    """Page ``page`` (1-based) of the PDF as a 16-gray PNG :data:`WIDTH` pixels wide."""
    import pypdfium2
    from PIL import Image

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        p = pdf[page - 1]
        width_pt = p.get_width()
        bitmap = p.render(scale=WIDTH / width_pt, grayscale=True, may_draw_forms=True)
        img = bitmap.to_pil().convert("L")
    finally:
        pdf.close()
    step = 255 / (LEVELS - 1)
    img = img.point([round(round(v / step) * step) for v in range(256)]).quantize(
        palette=_gray_palette(), dither=Image.Dither.NONE)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True, bits=4)
    return buf.getvalue(), img.width, img.height


def _gray_palette():
    from PIL import Image
    pal = Image.new("P", (1, 1))
    step = 255 / (LEVELS - 1)
    levels = [round(i * step) for i in range(LEVELS)]
    pal.putpalette([c for v in levels for c in (v, v, v)] + [0] * 3 * (256 - LEVELS))
    return pal


def page_numbers(path: Path, page: int) -> tuple[tuple, ...]:
    """Every number printed on the page, with its box in fractions of the page."""
    import pdfplumber

    out = []
    with pdfplumber.open(str(path)) as pdf:
        p = pdf.pages[page - 1]
        x_off, y_off = p.bbox[0], p.bbox[1]
        w, h = float(p.width), float(p.height)
        for word in p.extract_words(return_chars=True):
            text, chars = word["text"], word.get("chars") or []
            for m in NUMBER.finditer(fullwidth_to_ascii(text)):
                value = canonical(m.group())
                if value is None:
                    continue
                if len(chars) == len(text):
                    part = chars[m.start():m.end()]
                    x0, x1 = min(c["x0"] for c in part), max(c["x1"] for c in part)
                    top, bottom = min(c["top"] for c in part), max(c["bottom"] for c in part)
                else:
                    x0, x1, top, bottom = word["x0"], word["x1"], word["top"], word["bottom"]
                box = (round((x0 - x_off) / w, 4), round((top - y_off) / h, 4),
                       round((x1 - x_off) / w, 4), round((bottom - y_off) / h, 4), value)
                digits = m.group()
                out.append(box + (digits,) if digits.isdigit() and digits != value else box)
    return tuple(out)


_numbers_memo: dict[tuple[str, int], tuple | None] = {}


def numbers_on(path: Path, sha256: str, page: int, cache_dir: Path | None) -> tuple | None:
    """The numbers of page ``page`` only (:attr:`PageData.numbers`), without rendering it:
    read from the page's cached data when there is one, else from the PDF (and remembered for
    this process); None when the page does not exist."""
    key = (sha256, page)
    if key not in _numbers_memo:
        json_path = cache_dir / f"{cache_key(sha256, page)}.json" if cache_dir is not None else None
        if json_path is not None:
            _used.add(json_path)
        try:
            _numbers_memo[key] = tuple(tuple(n) for n in
                                       json.loads(json_path.read_text(encoding="utf-8"))["numbers"])
            os.utime(json_path)
            return _numbers_memo[key]
        except (AttributeError, OSError, ValueError, KeyError):
            pass
        numbers = page_numbers(path, page) if 1 <= page <= page_count(path) else None
        _numbers_memo[key] = numbers
        if json_path is not None and numbers is not None:  # kept for the next build's look-ups
            _write(json_path, json.dumps({"numbers": numbers}, ensure_ascii=False,
                                         separators=(",", ":")).encode("utf-8"))
    return _numbers_memo[key]


def _write(target: Path, content: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(content)
        tmp.replace(target)  # atomic: a parallel build never reads half a file
    except OSError:
        pass  # a read-only checkout still builds, without the cache


def page_data(path: Path, sha256: str, page: int, cache_dir: Path | None) -> PageData | None:
    """The image and numbers of page ``page`` of the PDF ``path`` (whose sha256 is
    ``sha256``), from ``cache_dir`` when read before; None when the page does not exist."""
    key = cache_key(sha256, page)
    png_path = json_path = None
    if cache_dir is not None:
        png_path, json_path = cache_dir / f"{key}.png", cache_dir / f"{key}.json"
        _used.update((png_path, json_path))
        if png_path.is_file() and json_path.is_file():
            try:
                meta = json.loads(json_path.read_text(encoding="utf-8"))
                for p in (png_path, json_path):
                    os.utime(p)
                return PageData(png_path.read_bytes(), meta["width"], meta["height"],
                                tuple(tuple(n) for n in meta["numbers"]))
            except (OSError, ValueError, KeyError):
                pass
    numbers = numbers_on(path, sha256, page, None)
    if numbers is None:
        return None
    png, width, height = render_png(path, page)
    data = PageData(png, width, height, numbers)
    if cache_dir is not None:
        meta = json.dumps({"width": width, "height": height, "numbers": data.numbers},
                          ensure_ascii=False, separators=(",", ":"))
        _write(png_path, png)
        _write(json_path, meta.encode("utf-8"))
    return data


def prune_cache(cache_dir: Path | None) -> None:
    """Drop cached pages this process did not use and no build used for a while."""
    if cache_dir is not None and cache_dir.is_dir():
        remove_unused(sorted(cache_dir.iterdir()), _used, KEEP_UNUSED_SECONDS)
