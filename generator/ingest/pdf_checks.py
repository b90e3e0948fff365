"""Damaged and hostile PDFs, refused with an accurate reason before pdfminer reads them.

* ``check_page_tree`` — the page tree walked without recursion: a node that is its own
  ancestor is ``REASON_CYCLIC`` (pdfminer skips it silently and, with no page left, the file
  looked scanned), one nested deeper than ``MAX_PAGE_TREE_DEPTH`` is ``REASON_TOO_DEEP``
  (pdfminer recurses once per level and ran out of stack at about a thousand).
* ``check_page_streams`` — a page's content streams and the forms it draws, counted as they
  would inflate (FlateDecode, a bounded window at a time, so memory stays flat): more than
  ``MAX_PAGE_CONTENT_MB`` is a decompression bomb (``too_large_reason``); pdfminer would inflate
  it whole in memory and then parse it for minutes. Real disclosures have a few MB at most.
"""
from __future__ import annotations

import zlib
from typing import Any

from pdfminer.pdfexceptions import PDFException
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.psparser import LIT

from ..records import IngestError

REASON_CYCLIC = "damaged PDF: cyclic page tree"
REASON_TOO_DEEP = "damaged PDF: page tree nested too deep"
MAX_PAGE_TREE_DEPTH = 256  # real page trees are a handful of levels deep
MAX_PAGE_CONTENT_MB = 100  # decompressed content of one page (its streams and forms)
COUNT_UP_TO_MB = 16 * MAX_PAGE_CONTENT_MB  # a bomb's size is counted this far, then "over"
_MB = 1 << 20
_WINDOW = 16 * _MB
_PAGES = LIT("Pages")
_FORM = LIT("Form")
_EXIT = object()  # on the walk's stack: leave the node whose kids come before it


def too_large_reason(megabytes: int | None, page: int) -> str:
    size = f"over {COUNT_UP_TO_MB}" if megabytes is None else str(megabytes)
    return f"PDF too large to decompress ({size} MB on page {page})"


def check_opened(pdf: Any, name: str) -> None:
    """``check_page_tree`` of a just opened ``pdfplumber.PDF``; on refusal its file is closed
    here, as ``pdf.close()`` would walk the page tree. What else is wrong with the tree is
    left to pdfminer (reported as a corrupt PDF)."""
    try:
        check_page_tree(pdf.doc.catalog, name)
    except IngestError:
        if not pdf.stream_is_external:
            pdf.stream.close()
        raise
    except (PDFException, PSException, KeyError, TypeError, AttributeError, ValueError):
        return


def check_page_tree(catalog: dict[str, Any], name: str) -> None:
    """Raise ``IngestError`` if the page tree under ``catalog`` loops or is nested too deep.
    A node shared by two parents is visited once, as pdfminer does."""
    stack: list[Any] = [catalog.get("Pages")]
    path: list[int | None] = []  # object numbers of the Pages nodes above the current one
    visited: set[int] = set()
    while stack:
        item = stack.pop()
        if item is _EXIT:
            path.pop()
            continue
        objid = getattr(item, "objid", None)
        if objid is not None and objid in path:
            raise IngestError(name, REASON_CYCLIC)
        if objid is not None and objid in visited:
            continue
        if objid is not None:
            visited.add(objid)
        node = resolve1(item)
        if not isinstance(node, dict) or resolve1(node.get("Type")) is not _PAGES:
            continue
        kids = resolve1(node.get("Kids"))
        if not isinstance(kids, list):
            continue
        if len(path) >= MAX_PAGE_TREE_DEPTH:
            raise IngestError(name, REASON_TOO_DEEP)
        path.append(objid)
        stack.append(_EXIT)
        stack.extend(reversed(kids))


def check_page_streams(page_obj: Any, name: str, number: int) -> None:
    """Raise ``IngestError`` if page ``number`` (a pdfminer ``PDFPage``) inflates to more than
    ``MAX_PAGE_CONTENT_MB``."""
    total = 0
    for stream in _page_streams(page_obj):
        total += inflated_size(stream, COUNT_UP_TO_MB * _MB - total)
        if total >= COUNT_UP_TO_MB * _MB:
            raise IngestError(name, too_large_reason(None, number))
    if total > MAX_PAGE_CONTENT_MB * _MB:
        raise IngestError(name, too_large_reason(-(-total // _MB), number))


def _page_streams(page_obj: Any) -> list[PDFStream]:
    """The page's content streams and the form XObjects of its resources, nested forms too."""
    streams = [s for s in (resolve1(c) for c in page_obj.contents) if isinstance(s, PDFStream)]
    pending = [page_obj.resources]
    seen: set[int] = set()
    while pending:
        resources = resolve1(pending.pop())
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            continue
        for ref in xobjects.values():
            form = resolve1(ref)
            if not isinstance(form, PDFStream) or id(form) in seen:
                continue
            seen.add(id(form))
            if resolve1(form.get("Subtype")) is _FORM:
                streams.append(form)
                pending.append(form.get("Resources"))
    return streams


def inflated_size(stream: PDFStream, cap: int) -> int:
    """Bytes a Flate stream inflates to, counted up to ``cap``; other streams count as their
    stored length (pdfminer inflates only what is still raw)."""
    raw = stream.rawdata
    if raw is None:  # already decoded
        return len(stream.data or b"")
    filters = stream.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(raw)
    if stream.decipher and stream.objid is not None:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    inflate = zlib.decompressobj()
    size = 0
    try:
        chunk = inflate.decompress(raw, _WINDOW)
        while chunk and size < cap:
            size += len(chunk)
            chunk = inflate.decompress(inflate.unconsumed_tail, _WINDOW)
    except zlib.error:
        pass  # pdfminer repairs what it can of a corrupt stream; its size is what inflated
    return size
