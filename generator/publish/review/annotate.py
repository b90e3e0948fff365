"""The source PDF annotated for a reviewer: a box around every figure (or the words) a failing
check is about, on the page that prints it, with the finding as the box's note.

Decides, per failing check (``status`` ``fail``; ``waived`` ones too, in grey, noted 已豁免 with
the maintainer's reason, so a reviewer sees the known ones as known):

- **where**: its page, else the next, else the previous one (a table row keeps the page its
  table starts on, a sentence the page it starts on), in the first file that prints it (the
  package keeps the page, not the file, of a disclosure published as two PDFs); on the page,
  the boxes :func:`.locate.locate` finds;
- a finding that names no page (a table's 合计 row): the pages of its table, from its first
  page (``tables.csv``) to the page before the next table's;
- **else**: one note (a note icon) in the page's top margin listing every finding not placed
  on it; a finding of no page and no table (a missing table) in the note of page 1 of the
  first file. No finding is dropped.

A box is a Square annotation (appearance stream included) coloured by severity (error red,
warning orange, note blue); its ``/Contents`` is plain text ``[严重程度] message；建议：suggestion``
— never script. The annotations are an incremental update appended to the original bytes: the
original file, its pages and their content are untouched (a file encrypted for permissions only,
which pypdf cannot append to: a decrypted copy; a file pypdf cannot write: no annotated copy). The output is byte-identical on every
run: no dates, fixed names, the trailer ``/ID`` from the input's sha256 and the annotations.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ...atomic import KEEP_UNUSED_SECONDS, remove_unused
from ...vocabulary import SEVERITY_NAMES
from .locate import Box, locate, page_exists

#: statuses that are drawn; ``waived`` in grey with the maintainer's reason
DRAWN = ("fail", "waived")
COLOURS = {"error": (0.85, 0.1, 0.1), "warning": (1.0, 0.5, 0.0), "note": (0.1, 0.4, 0.9),
           "waived": (0.55, 0.55, 0.55)}
PAD = 1.5  # points around a box
MAX_TABLE_PAGES = 12  # a finding of no page is looked for on at most this many pages of its table
AUTHOR = "预算公开审核"


@dataclass(frozen=True)
class Mark:
    """Where one failing check goes: ``file`` (index into the PDFs), ``page`` (1-based) and its
    boxes; no boxes: listed in the page's margin note."""

    file: int
    page: int
    boxes: tuple[Box, ...]
    check: dict
    paged: bool = True  # False: a finding of no page, in the note of page 1


def drawn(checks: Sequence[dict]) -> list[dict]:
    """The checks an annotated PDF shows: failed and waived ones."""
    return [c for c in checks if (c.get("status") or "") in DRAWN]


def note_text(check: dict) -> str:
    """``[错误] message；建议：suggestion`` (``[已豁免·错误] …；豁免理由：…`` for a waived one)."""
    severity = SEVERITY_NAMES.get(check.get("severity") or "", check.get("severity") or "错误")
    waived = (check.get("status") or "") == "waived"
    text = f"[{'已豁免·' if waived else ''}{severity}] {(check.get('message') or check.get('check') or '').strip()}"
    if (check.get("suggestion") or "").strip():
        text += f"；建议：{check['suggestion'].strip()}"
    if waived and (check.get("waiver") or "").strip():
        text += f"；豁免理由：{check['waiver'].strip()}"
    return text


# ----------------------------------------------------------------------------- finding

def placements(pdfs: Sequence[Path], checks: Sequence[dict], *, source_unit: str,
               table_pages: dict[str, int] | None = None, page_cache: Path | None = None) -> list[Mark]:
    """Where each drawn check (:func:`drawn`) goes, in the order given; a check without a page
    is looked for on the pages of its table (``table_pages``: table id -> its first page, as
    ``tables.csv`` gives it), if known. ``page_cache``: the page viewer's cache of the numbers
    printed on each page (:func:`..pdfpages.numbers_on`), shared."""
    shas = [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in pdfs]
    starts = sorted(set((table_pages or {}).values()))
    out = []
    for check in drawn(checks):
        page_text = (check.get("source_page") or "").strip()
        page = int(page_text) if page_text.isdigit() else (table_pages or {}).get(check.get("table") or "", 0)
        if page_text.isdigit() or not page:
            tried = (page, page + 1, page - 1) if page else ()
        else:  # the pages of its table: from its first page to the page before the next table's
            end = next((s - 1 for s in starts if s > page), page + 1)
            tried = tuple(range(page, max(page, min(end, page + MAX_TABLE_PAGES)) + 1))
        mark = None
        for p in tried:
            for i, path in enumerate(pdfs):
                if p >= 1 and (boxes := locate(Path(path), shas[i], p, check, source_unit, page_cache)):
                    mark = Mark(i, p, boxes, check)
                    break
            if mark:
                break
        if mark is None:  # in the margin of its page, of the first file that has it
            home = next((i for i, path in enumerate(pdfs) if page and page_exists(Path(path), page)), None)
            mark = Mark(home or 0, page if home is not None else 1, (), check, home is not None)
        out.append(mark)
    return out


# ----------------------------------------------------------------------------- writing


def _user_rect(page, box: Box) -> tuple[float, float, float, float]:
    """A box in fractions of the page as displayed → the annotation's rectangle in the page's
    user space (its MediaBox, turned back by its /Rotate)."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    w, h = x1 - x0, y1 - y0
    rotate = int(page.get("/Rotate", 0) or 0) % 360
    points = []
    for fx, fy in ((box[0], box[1]), (box[2], box[3])):
        if rotate == 90:
            points.append((x0 + fy * w, y0 + fx * h))
        elif rotate == 180:
            points.append((x1 - fx * w, y0 + fy * h))
        elif rotate == 270:
            points.append((x1 - fy * w, y1 - fx * h))
        else:
            points.append((x0 + fx * w, y1 - fy * h))
    (ax, ay), (bx, by) = points
    return (round(min(ax, bx) - PAD, 2), round(min(ay, by) - PAD, 2),
            round(max(ax, bx) + PAD, 2), round(max(ay, by) + PAD, 2))


def _colour(check: dict) -> tuple[float, float, float]:
    if (check.get("status") or "") == "waived":
        return COLOURS["waived"]
    return COLOURS.get(check.get("severity") or "", COLOURS["error"])


def _square(writer, rect, colour, text: str, name: str):
    """A Square annotation with its own appearance (a stroked rectangle) and plain-text note."""
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject,
                               NameObject, NumberObject, TextStringObject)

    w, h = rect[2] - rect[0], rect[3] - rect[1]
    ap = DecodedStreamObject()
    ap.set_data(("%.3f %.3f %.3f RG 1.5 w 0.75 0.75 %.2f %.2f re S" % (*colour, w - 1.5, h - 1.5)).encode())
    ap.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
               NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(round(w, 2)),
                                                 FloatObject(round(h, 2))])})
    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Square"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
        NameObject("/C"): ArrayObject([FloatObject(v) for v in colour]),
        NameObject("/BS"): DictionaryObject({NameObject("/W"): FloatObject(1.5)}),
        NameObject("/F"): NumberObject(4),  # printed
        NameObject("/T"): TextStringObject(AUTHOR), NameObject("/NM"): TextStringObject(name),
        NameObject("/Contents"): TextStringObject(text),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(ap)}),
    })


def _sticky(rect, colour, text: str, name: str):
    """A Text annotation (a note icon) holding ``text``."""
    from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, FloatObject, NameObject,
                               NumberObject, TextStringObject)

    return DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Text"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
        NameObject("/C"): ArrayObject([FloatObject(v) for v in colour]),
        NameObject("/Name"): NameObject("/Comment"), NameObject("/Open"): BooleanObject(False),
        NameObject("/F"): NumberObject(4 | 8 | 16),  # printed, no zoom, no rotate
        NameObject("/T"): TextStringObject(AUTHOR), NameObject("/NM"): TextStringObject(name),
        NameObject("/Contents"): TextStringObject(text),
    })


def _margin_text(marks: Sequence[Mark]) -> str:
    """The margin note of a page: the findings it prints but not where, then those of no page."""
    paged = [m for m in marks if m.paged]
    loose = [m for m in marks if m not in paged]
    parts = []
    for found, head in ((paged, "本页有 {n} 项问题未能在页面上定位（原文本页没有印出所涉的数字或文字，或印有多处）："),
                        (loose, "以下 {n} 项问题不属于某一页（如缺少的表格）或未注明页码：")):
        if found:
            parts.append(head.format(n=len(found)) + "".join(f"\n{n}. {note_text(m.check)}"
                                                              for n, m in enumerate(found, 1)))
    return "\n\n".join(parts)


def write_annotations(pdf: Path, marks: Sequence[Mark]) -> bytes:
    """The PDF's bytes with ``marks`` appended as an incremental update (see the module docstring)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject

    original = Path(pdf).read_bytes()
    reader = PdfReader(io.BytesIO(original))
    if reader.is_encrypted:  # pypdf cannot append to an encrypted file: a decrypted copy
        reader.decrypt("")  # (a publisher's PDF opens without a password, or this raises)
        writer = PdfWriter(clone_from=reader)
    else:
        writer = PdfWriter(reader, incremental=True)
    by_page: dict[int, list[Mark]] = {}
    for m in marks:
        by_page.setdefault(m.page, []).append(m)
    for page_no in sorted(by_page):
        page = writer.pages[page_no - 1]
        placed = [m for m in by_page[page_no] if m.boxes]
        for n, m in enumerate(placed, 1):
            for k, box in enumerate(m.boxes, 1):
                writer.add_annotation(page, _square(writer, _user_rect(page, box), _colour(m.check),
                                                    note_text(m.check), f"p{page_no}-{n}-{k}"))
        loose = [m for m in by_page[page_no] if not m.boxes]
        if loose:
            worst = min((m.check for m in loose), key=lambda c: (c.get("status") == "waived",
                        list(SEVERITY_NAMES).index(c.get("severity")) if c.get("severity") in SEVERITY_NAMES else 0))
            rect = _user_rect(page, (0.01, 0.005, 0.01, 0.005))
            rect = (rect[0], rect[1] - 20, rect[0] + 20, rect[1])
            writer.add_annotation(page, _sticky(rect, _colour(worst), _margin_text(loose),
                                                f"p{page_no}-note"))
    digest = hashlib.sha256(original + json.dumps([(m.page, m.boxes, note_text(m.check)) for m in marks],
                                                  ensure_ascii=False).encode()).digest()
    first = writer._ID[0] if writer._ID else ByteStringObject(hashlib.sha256(original).digest()[:16])
    writer._ID = ArrayObject([first, ByteStringObject(digest[:16])])
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def annotated_pdfs(pdfs: Sequence[Path], checks: Sequence[dict], *, source_unit: str,
                   table_pages: dict[str, int] | None = None, page_cache: Path | None = None
                   ) -> list[bytes | None]:
    """Each PDF of a document (a disclosure published as two files: tables, narrative) with its
    findings boxed; None for a file no finding goes to."""
    marks = placements(pdfs, checks, source_unit=source_unit, table_pages=table_pages, page_cache=page_cache)
    return [_written(Path(p), mine) if (mine := [m for m in marks if m.file == i]) else None
            for i, p in enumerate(pdfs)]


def _written(pdf: Path, marks: Sequence[Mark]) -> bytes | None:
    """:func:`write_annotations`, None where pypdf cannot write the file (a damaged or
    password-protected PDF): a reviewer's extra never fails a build."""
    try:
        return write_annotations(pdf, marks)
    except Exception as exc:  # noqa: BLE001 — pypdf raises many kinds on a hostile file
        print(f"warning: {pdf.name}: annotated copy not written ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None


def annotated_pdf(pdf: Path, checks: list[dict], *, source_unit: str,
                  table_pages: dict[str, int] | None = None) -> bytes | None:
    """The PDF with a box around every failing figure (and the failing words of narrative
    findings), a margin note for those it cannot place; None when no check failed (or was waived)."""
    return annotated_pdfs([pdf], checks, source_unit=source_unit, table_pages=table_pages)[0]


# ----------------------------------------------------------------------------- cache


def _code_key() -> str:
    import pdfplumber
    import pypdf

    from .. import pdfpages
    h = hashlib.sha256(Path(__file__).read_bytes() + Path(pdfpages.__file__).read_bytes())
    h.update(f"{pypdf.__version__} {pdfplumber.__version__}".encode())
    return h.hexdigest()


_used: set[Path] = set()  # cache slots this process used (kept by :func:`prune_cache`)


def cached_annotations(pdfs: Sequence[Path], checks: Sequence[dict], *, source_unit: str,
                       cache_dir: Path, table_pages: dict[str, int] | None = None,
                       page_cache: Path | None = None, make: bool = True) -> list[Path | None] | None:
    """:func:`annotated_pdfs` kept in ``cache_dir`` by content (the PDFs' bytes, the drawn
    checks, the unit, this code and the libraries): the files, None for a file with no finding.
    A killed build leaves no half slot (its list is written last). With ``make`` false: None
    when they are not in the cache yet."""
    rows = [{k: v for k, v in sorted(c.items()) if k not in ("document_id", "row")} for c in drawn(checks)]
    shas = [hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in pdfs]
    pages = sorted((table_pages or {}).items())
    key = hashlib.sha256(json.dumps([_code_key(), shas, source_unit, rows, pages], ensure_ascii=False)
                         .encode()).hexdigest()[:32]
    slot = Path(cache_dir) / key
    listing = slot / "files.json"
    _used.add(slot)
    try:
        names = json.loads(listing.read_text(encoding="utf-8"))
        found = [None if n is None else slot / n for n in names]
        if all(f is None or f.is_file() for f in found) and len(found) == len(pdfs):
            os.utime(slot)
            return found
    except (OSError, ValueError):
        pass
    if not make:
        return None
    made = annotated_pdfs(pdfs, checks, source_unit=source_unit, table_pages=table_pages, page_cache=page_cache)
    slot.mkdir(parents=True, exist_ok=True)
    names = []
    for i, data in enumerate(made):
        names.append(None if data is None else f"{i}.pdf")
        if data is not None:
            _write(slot / f"{i}.pdf", data)
    _write(listing, json.dumps(names).encode())
    return [None if n is None else slot / n for n in names]


def _write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def prune_cache(cache_dir: Path) -> None:
    """Drop the slots this process did not use and no build used for a while."""
    if Path(cache_dir).is_dir():
        remove_unused(sorted(Path(cache_dir).iterdir()), _used, KEEP_UNUSED_SECONDS)
