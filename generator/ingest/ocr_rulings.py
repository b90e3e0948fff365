"""Ruling lines of a page image as pdfplumber edges (``ingest.ocr``): the table grid of a scan.

Ink (pixels darker than the page's background, its commonest grey, by ``INK_CONTRAST``: light
grey rules on white, 北京's 190 on 255, count; a light cell fill does not) is opened with a long thin kernel, horizontal then vertical:
what survives is a run of dark pixels at least ``MIN_RULE_PT`` long, which strokes of text
are not. Each connected run is one edge through its middle, in PDF points. A vertical run is
kept only where it meets a horizontal one (within ``MEET_PT``) at both of its ends or crosses
one, and not inside a recognized text box: a stroke of a large character or a stray mark
between two rules forms no cell. pdfplumber's
``TableFinder`` (snapping and joining within 3 pt) then finds the cells as on a text page.
"""
from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

INK_CONTRAST = 40  # grey levels below the background that make a pixel ink
MIN_RULE_PT = 14.0  # a horizontal rule at least this long (a narrow 类/款/项 column is ~20 pt)
MIN_VRULE_PT = 9.0  # a vertical rule at least this long (a table row is 12-25 pt high)
MEET_PT = 1.0  # how far a vertical rule's end may be from a horizontal rule it meets (a rule touches it; a stroke of text
# in a tight row stops 1.5-3 pt short of the rules above and below)
MAX_THICK_PT = 4.0  # a run thicker than this is a filled area (a shaded cell, a logo), not a rule


def ruling_edges(image: Any, frame: Any, text_boxes: list[tuple[float, float, float, float]] = ()) -> list[Obj]:
    """pdfplumber edge dicts (``orientation`` h/v, in the points of ``frame``) of the rules in a
    grey image; ``text_boxes`` (x0, top, x1, bottom in points: the recognized text) hold no
    vertical rule (``_in_text``)."""
    import cv2  # noqa: PLC0415 - imported only when a page needs OCR
    import numpy as np  # noqa: PLC0415

    background = int(np.argmax(np.bincount(image.ravel(), minlength=256)))
    ink = (image < background - INK_CONTRAST).astype(np.uint8)
    h_len = max(int(round(MIN_RULE_PT / frame.sx)), 3)
    v_len = max(int(round(MIN_VRULE_PT / frame.sy)), 3)
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    h_runs = _runs(cv2, horizontal, frame, horizontal=True)
    v_runs = _runs(cv2, vertical, frame, horizontal=False)
    v_runs = [v for v in v_runs if _anchored(v, h_runs) and not _in_text(v, text_boxes)]
    edges = [_edge(x0, x1, y, y, "h") for x0, x1, y, _, _ in h_runs]
    edges += [_edge(x, x, y0, y1, "v") for x, y0, y1, _, _ in v_runs]
    return edges


Run = tuple[float, float, float, float, float]


def _runs(cv2: Any, mask: Any, frame: Any, horizontal: bool) -> list[Run]:
    """In points, each connected run of ``mask``: (x0, x1, y, top, bottom) of a horizontal run
    (y its middle, top and bottom its thickness); (x, y0, y1, x0, x1) of a vertical one. Sorted,
    so the edges are in a fixed order."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    runs = []
    for label in range(1, count):
        left, top, width, height, _ = (int(v) for v in stats[label])
        if horizontal:
            if height * frame.sy > MAX_THICK_PT:
                continue
            y = frame.y(top + height / 2)
            runs.append((frame.x(left), frame.x(left + width), y, frame.y(top), frame.y(top + height)))
        else:
            if width * frame.sx > MAX_THICK_PT:
                continue
            x = frame.x(left + width / 2)
            runs.append((x, frame.y(top), frame.y(top + height), frame.x(left), frame.x(left + width)))
    return sorted(runs)


def _anchored(v: Run, h_runs: list[Run]) -> bool:
    """A vertical run that meets horizontal rules (touches them, within ``MEET_PT`` of their
    thickness): one at each end, or one it crosses."""
    x, y0, y1, _, _ = v
    near = [(top, bottom) for hx0, hx1, _, top, bottom in h_runs if hx0 - MEET_PT <= x <= hx1 + MEET_PT]
    top_end = any(top - MEET_PT <= y0 <= bottom + MEET_PT for top, bottom in near)
    bottom_end = any(top - MEET_PT <= y1 <= bottom + MEET_PT for top, bottom in near)
    crosses = any(y0 + MEET_PT < top and bottom < y1 - MEET_PT for top, bottom in near)
    return (top_end and bottom_end) or crosses


def _in_text(v: Run, text_boxes: Any) -> bool:
    """A vertical run inside a recognized text box (a quarter of its height in from its sides,
    over half the run's length): a stroke of a character, whatever rules it nearly meets."""
    x, y0, y1, _, _ = v
    for bx0, top, bx1, bottom in text_boxes:
        margin = (bottom - top) / 4
        if bx0 + margin < x < bx1 - margin and min(y1, bottom) - max(y0, top) > (y1 - y0) / 2:
            return True
    return False


def _edge(x0: float, x1: float, top: float, bottom: float, orientation: str) -> Obj:
    return {
        "object_type": "line",
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orientation,
    }
