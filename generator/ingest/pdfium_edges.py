"""Ruling edges of a PDF page read by PDFium, as pdfplumber's ``page.edges`` (see ``ingest.pdfium_page``).

Each painted path object (forms walked, in content order) is cut into subpaths and classified
as pdfminer's ``paint_path`` does: ``ml``/``mlh`` a line, a closed axis-aligned ``mlllh`` a
rectangle, anything else a curve through its segment end points (Bezier control points
dropped); a figure PDFium closed reads ``h``. Coordinates go through the object's matrix and
pdfminer's page matrix, then pdfplumber's ``process_object`` offsets; the edges are pdfplumber's
``line_to_edge`` / ``rect_to_edges`` / ``curve_to_edges``, lines first, then rectangles, then curves.
"""
from __future__ import annotations

import ctypes
from typing import Any, Iterator

import pypdfium2.raw as pdfium_c
from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

Obj = dict[str, Any]
Matrix = tuple[float, float, float, float, float, float]


def mult(m1: Matrix, m0: Matrix) -> Matrix:
    """pdfminer's ``mult_matrix``: ``m1`` then ``m0``."""
    (a1, b1, c1, d1, e1, f1), (a0, b0, c0, d0, e0, f0) = m1, m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def page_edges(page: Any, geometry: Any) -> list[Obj]:
    lines: list[Obj] = []
    rects: list[Obj] = []
    curves: list[Obj] = []
    c = pdfium_c
    for obj, matrix in _path_objects(page, geometry.ctm):
        fill = ctypes.c_int()
        stroke = ctypes.c_int()
        if not c.FPDFPath_GetDrawMode(obj, fill, stroke) or (fill.value == 0 and not stroke.value):
            continue
        for shape, pts in _subpaths(obj, matrix):
            _classify(shape, pts, geometry, lines, rects, curves)
    edges = [line_to_edge(line) for line in lines]
    for rect in rects:
        edges.extend(rect_to_edges(rect))
    for curve in curves:
        edges.extend(curve_to_edges(curve))
    return edges


def _object_matrix(obj: Any) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return (1, 0, 0, 1, 0, 0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _path_objects(page: Any, ctm: Matrix) -> Iterator[tuple[Any, Matrix]]:
    """Path objects in content order, forms walked, with the matrix to pdfminer's page space."""
    c = pdfium_c
    stack: list[tuple[Any, int, int, Matrix]] = [(page, 0, c.FPDFPage_CountObjects(page), ctm)]
    while stack:
        parent, index, count, matrix = stack.pop()
        if index >= count:
            continue
        stack.append((parent, index + 1, count, matrix))
        obj = c.FPDFPage_GetObject(parent, index) if parent is page else c.FPDFFormObj_GetObject(parent, index)
        kind = c.FPDFPageObj_GetType(obj)
        if kind == c.FPDF_PAGEOBJ_PATH:
            yield obj, mult(_object_matrix(obj), matrix)
        elif kind == c.FPDF_PAGEOBJ_FORM:
            inner = mult(_object_matrix(obj), matrix)
            stack.append((obj, 0, c.FPDFFormObj_CountObjects(obj), inner))


def _subpaths(obj: Any, matrix: Matrix) -> Iterator[tuple[str, list[tuple[float, float]]]]:
    """Subpaths as pdfminer sees them: (shape, end points), ``h`` where PDFium closed the figure."""
    c = pdfium_c
    x, y = ctypes.c_float(), ctypes.c_float()
    shape: list[str] = []
    raw: list[tuple[float, float]] = []
    bezier = 0
    for i in range(c.FPDFPath_CountSegments(obj)):
        segment = c.FPDFPath_GetPathSegment(obj, i)
        kind = c.FPDFPathSegment_GetType(segment)
        c.FPDFPathSegment_GetPoint(segment, x, y)
        point = (x.value, y.value)
        closed = bool(c.FPDFPathSegment_GetClose(segment))
        if kind == c.FPDF_SEGMENT_MOVETO:
            if shape:
                yield "".join(shape), [apply(matrix, *p) for p in raw]
            shape, raw, bezier = ["m"], [point], 0
            if closed:
                shape.append("h")
                raw.append(raw[0])
            continue
        if not shape:
            shape, raw = ["m"], [point]  # PDFium starts a path without m at its first point
        if kind == c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier < 3:
                continue
            bezier = 0
            shape.append("c")
            raw.append(point)
        else:
            if closed and point == raw[0]:
                shape.append("h")
                raw.append(raw[0])
                continue
            shape.append("l")
            raw.append(point)
        if closed:
            shape.append("h")
            raw.append(raw[0])
    if shape:
        yield "".join(shape), [apply(matrix, *p) for p in raw]


def _classify(
    shape: str, pts: list[tuple[float, float]], geometry: Any,
    lines: list[Obj], rects: list[Obj], curves: list[Obj],
) -> None:
    """pdfminer's ``paint_path`` for one subpath (its ``m[^m]+`` split done by ``_subpaths``)."""
    if len(shape) < 2 or shape[0] != "m":
        return
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-2] + pts[-1:]
    if shape in ("mlh", "ml"):
        lines.append(_bounded("line", pts[:2], geometry))
    elif shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            corner = [(x0, y0), (x2, y0), (x2, y2), (x0, y2)]
            rects.append(_bounded("rect", corner, geometry))
        else:
            curves.append(_bounded("curve", pts, geometry))
    else:
        curves.append(_bounded("curve", pts, geometry))


def _bounded(kind: str, pts: list[tuple[float, float]], geometry: Any) -> Obj:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, y0, x1, y1 = min(xs), min(ys), max(xs), max(ys)
    obj = {"object_type": kind, "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0}
    if kind == "curve":
        obj["pts"] = [geometry.coord(p) for p in pts]
    return geometry.place(obj)
