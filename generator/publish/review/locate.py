"""Where on a page of the source PDF a check's finding is printed: the boxes of the figure (or the
words) it is about, for the annotated PDF (:mod:`.annotate`).

On the page, in this order of preference: the ``actual`` then ``expected`` figure inside the
check's ``quote`` (or the words its message quotes between ``…``); those words themselves when
no figure is among them; the figure on the row of the code the message starts with; the figure
beside the longest end of the words the message puts before it (``收支总表本年收入合计 2219.92``:
the 2219.92 on the line of 本年收入合计); inside the longest run of the message's words the page
prints once; the copy nearest (in characters, as printed) to the other figures the message names;
every copy where at most :data:`MAX_BOXES`. Figures are the numbers :mod:`..pdfpages`
reads off the page, compared as the page viewer does: in 万元, or ×10000 on a page printing 元
(not in a narrative: a text states 万元 and percentages). Boxes are fractions of the page as
displayed: ``(x0, top, x1, bottom)``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from ..pdfpages import NUMBER, canonical, numbers_on

#: a figure printed more often than this on its page (and found no better way) is not boxed
MAX_BOXES = 4
MIN_SHARED = 10  # characters of a message's words the page must print to be taken as its place
_CODE = re.compile(r"^\s*(\d{3,})\b")
_EXCERPT = re.compile(r"…([^…]{4,})…")

Box = tuple[float, float, float, float]  # (x0, top, x1, bottom), fractions of the page as displayed


def _figures(check: dict) -> list[str]:
    """The check's ``actual`` and ``expected`` as canonical numbers (a fall also unsigned: a
    text prints 下降 1.10% for -1.10)."""
    out: list[str] = []
    for field in ("actual", "expected"):
        value = canonical((check.get(field) or "").strip())
        if value is not None:
            out += [value] + ([value[1:]] if value.startswith("-") else [])
    return list(dict.fromkeys(out))


def _words(check: dict) -> list[str]:
    """``actual`` and ``expected`` where they are words, not figures (a template leftover)."""
    out = []
    for field in ("actual", "expected"):
        value = (check.get(field) or "").strip()
        if len(value) >= 2 and canonical(value) is None and not value.startswith(("<", ">")):
            out.append(value)
    return out


def _context(check: dict) -> str:
    """The document's words the finding is about: its ``quote``, else the words its message
    quotes between ``…``."""
    quote = (check.get("quote") or "").strip()
    if quote:
        return quote
    m = _EXCERPT.search(check.get("message") or "")
    return m.group(1) if m else ""


def _scaled(value: str, factor: int) -> str | None:
    return canonical(f"{value}e{len(str(factor)) - 1}") if factor != 1 else value


def _scales(check: dict, source_unit: str) -> tuple[int, ...]:
    if (check.get("table") or "") == "narrative":
        return (1,)  # a text states 万元 (and percentages, which no scale applies to)
    return (10000, 1) if source_unit == "元" else (1, 10000)


def _norm(c: str) -> str:
    n = unicodedata.normalize("NFKC", c)
    return n if len(n) == 1 else c


def _page_text(path: Path, page: int) -> tuple[str, tuple[Box, ...]] | None:
    """The page's characters without spaces, normalized one by one (NFKC), with their boxes;
    None when there is no such page. Read once per version of the file."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return _read_page_text(Path(path), page, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _read_page_text(path: Path, page: int, _mtime: int, _size: int) -> tuple[str, tuple[Box, ...]] | None:
    import pdfplumber

    with pdfplumber.open(str(path)) as pdf:
        if not 1 <= page <= len(pdf.pages):
            return None
        p = pdf.pages[page - 1]
        x_off, y_off, w, h = p.bbox[0], p.bbox[1], float(p.width), float(p.height)
        text, boxes = [], []
        for c in p.dedupe_chars().chars:
            if not c["text"].strip():
                continue
            for ch in c["text"]:
                text.append(_norm(ch))
                boxes.append(((c["x0"] - x_off) / w, (c["top"] - y_off) / h,
                              (c["x1"] - x_off) / w, (c["bottom"] - y_off) / h))
    return "".join(text), tuple(boxes)


def page_exists(path: Path, page: int) -> bool:
    return _page_text(path, page) is not None


def _line_boxes(boxes: Sequence[Box]) -> list[Box]:
    """Characters grouped into lines (their vertical middles within half a height), one box each."""
    lines: list[list[Box]] = []
    for b in boxes:
        mid, height = (b[1] + b[3]) / 2, b[3] - b[1]
        for line in lines:
            last = line[-1]
            if abs((last[1] + last[3]) / 2 - mid) < max(height, last[3] - last[1]) / 2 and b[0] >= last[0]:
                line.append(b)
                break
        else:
            lines.append([b])
    return [(min(b[0] for b in ln), min(b[1] for b in ln), max(b[2] for b in ln), max(b[3] for b in ln))
            for ln in lines]


def find_words(path: Path, page: int, words: str, first_only: bool = False) -> list[list[Box]]:
    """Each place page ``page`` prints ``words`` (spaces and line breaks ignored; a quote cut
    with ``…``: its longest piece), as its boxes, one per line it runs over. Words whose parts
    the page prints apart (the cells of a table row: ``2040202 一般行政管理事务``, ``指标15：人民群众
    满意度 200%``): the longest part, with each other part printed on its line nearest to it."""
    data = _page_text(path, page)
    segment = max(("".join(_norm(c) for c in seg) for seg in re.split(r"…+", words)), key=lambda t: len(t.strip()),
                  default="")
    if data is None or len(re.sub(r"\s+", "", segment)) < 2:
        return []
    text, boxes = data

    def places(needle: str) -> list[list[Box]]:
        out, start = [], 0
        while (i := text.find(needle, start)) >= 0:
            out.append(_line_boxes(boxes[i:i + len(needle)]))
            start = i + len(needle)
        return out

    found = places(re.sub(r"\s+", "", segment))
    if not found:
        parts = sorted((p for p in segment.split() if len(p) >= 2 or p.isdigit()), key=len, reverse=True)
        found = places(parts[0]) if parts and len(parts[0]) >= 2 else []
        for place in found:
            for part in parts[1:]:
                line = [b for other in places(part) for b in other if _same_line(b, place[0])]
                if line:
                    place.append(min(line, key=lambda b: min(abs(b[0] - place[0][2]), abs(place[0][0] - b[2]))))
    return found[:1] if first_only else found


def _same_line(a: Box, b: Box) -> bool:
    return abs((a[1] + a[3]) / 2 - (b[1] + b[3]) / 2) < max(a[3] - a[1], b[3] - b[1]) / 2


def _row_code(numbers: Sequence[tuple], hit: tuple) -> str:
    """The code printed left of ``hit`` on its line (``204 | 06 | 01`` → ``2040601``), as the
    page viewer reads it."""
    mid, h = (hit[1] + hit[3]) / 2, hit[3] - hit[1]
    code = ""
    for n in sorted((n for n in numbers if n[0] < hit[0] and abs((n[1] + n[3]) / 2 - mid) < h / 2),
                    key=lambda n: n[0]):
        digits = n[5] if len(n) > 5 else n[4]
        if not digits.isdigit() or len(code + digits) > 7:  # a code has at most 7 digits
            break
        code += digits
    return code


def _stream_index(text_boxes: Sequence[Box], box: Sequence[float]) -> int | None:
    """Where in the page's characters (in the order printed) the number in ``box`` is."""
    for i, c in enumerate(text_boxes):
        if box[0] <= (c[0] + c[2]) / 2 <= box[2] and box[1] <= (c[1] + c[3]) / 2 <= box[3]:
            return i
    return None


def _nearest(path: Path, page: int, numbers: Sequence[tuple], hits: list[tuple], check: dict,
             factor: int) -> list[tuple]:
    """Of several copies of a figure, the one printed nearest (counted in characters, in the
    order printed) to the other figures the message names (``本年 91.97 比上年 77.99 …，文字说明为
    17.66%``: the 17.66 of that sentence); all of them where the message names no other figure
    printed on the page."""
    targets = set(_figures(check))
    others = {v for m in NUMBER.finditer(check.get("message") or "")
              if (v := canonical(m.group())) is not None and v not in targets}
    shown = {_scaled(v, factor) for v in others} | others
    data = _page_text(path, page)
    anchors: dict[str, list[int]] = {}
    for n in numbers if data else ():
        if n[4] in shown and (i := _stream_index(data[1], n)) is not None:
            anchors.setdefault(n[4], []).append(i)
    if not anchors:
        return hits
    scored = []
    for h in hits:
        i = _stream_index(data[1], h)
        if i is not None:
            scored.append((sum(min(abs(i - j) for j in places) for places in anchors.values()), h))
    return [min(scored)[1]] if scored else hits


def _inside(box: Box, region: Sequence[Box]) -> bool:
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r[0] - 0.002 <= cx <= r[2] + 0.002 and r[1] <= cy <= r[3] for r in region)


def _shared_words(message: str, path: Path, page: int) -> str:
    """The longest run of the message's words (at least :data:`MIN_SHARED` characters) that the
    page prints exactly once: where a message cites the document (``比较年份有误：其中：财政拨款
    收入9628.22万元,比2026年预算增加…``), the place it cites."""
    data = _page_text(path, page)
    if data is None:
        return ""
    text, msg = data[0], "".join(_norm(c) for c in message if not c.isspace())
    best, i = "", 0
    while i + len(best) < len(msg):
        j = i + len(best) + 1
        while j <= len(msg) and msg[i:j] in text:
            best, j = msg[i:j], j + 1
        i += 1
    return best if len(best) >= MIN_SHARED and text.count(best) == 1 else ""


_LABEL = re.compile(r"[^\s\d.,:：;；+＋−=≠<>≈÷×()（）%、]+$")


def _beside_label(path: Path, page: int, check: dict, value: str, hits: list[tuple]) -> tuple[int, list[tuple]]:
    """The hits printed right of the words the message puts before the figure (``收支总表本年收入
    合计 2219.92``: the 2219.92 on the line of 本年收入合计), with the length of the longest part
    of those words (its end preferred) found beside one; (0, []) where there is none."""
    message = check.get("message") or ""
    raw = next((r for f in ("actual", "expected") if canonical(r := (check.get(f) or "").strip()) == value
                or canonical(r) == "-" + value), "")
    at = message.find(raw.lstrip("-")) if raw else -1
    label = _LABEL.search("".join(_norm(c) for c in message[:at].rstrip())) if at > 0 else None
    data = _page_text(path, page)
    if label is None or data is None:
        return 0, []
    text, boxes = data
    words = label.group()
    for size in range(len(words), 1, -1):
        lines = []
        for part in dict.fromkeys(words[k:k + size] for k in range(len(words) - size, -1, -1)):
            start = 0  # its end first: 收支总表本年收入合计 → 本年收入合计; 合计行 → 合计
            while (i := text.find(part, start)) >= 0:
                lines += _line_boxes(boxes[i:i + size])
                start = i + size
            if lines:
                break
        beside = []
        for b in lines:  # the first of the hits right of the words, on their line
            right = [h for h in hits if abs((b[1] + b[3]) / 2 - (h[1] + h[3]) / 2) < (h[3] - h[1]) / 2
                     and b[2] <= h[0] + 0.002]
            if right:
                beside.append(min(right, key=lambda h: h[0]))
        if beside:
            return size, list(dict.fromkeys(beside))
    return 0, []


def _on_row(numbers: Sequence[tuple], hits: list[tuple], code: str) -> tuple[int, list[tuple]] | None:
    """The hits on the row of ``code`` (exactly that code: rank 2, else one below it: rank 1);
    None when the page has no row of the code (its codes are not printed left of the figures)."""
    rows = [_row_code(numbers, n) for n in hits]
    exact = [n for n, r in zip(hits, rows) if r == code]
    below = [n for n, r in zip(hits, rows) if r.startswith(code)]
    if exact or below or any(_row_code(numbers, n).startswith(code) for n in numbers):
        return (2, exact) if exact else (1, below)
    return None


def locate(path: Path, sha256: str, page: int, check: dict, source_unit: str,
           page_cache: Path | None = None) -> tuple[Box, ...] | None:
    """The boxes of ``check`` on page ``page`` of the PDF (see the module docstring); None when
    the page does not print what it is about, or does not exist."""
    numbers = numbers_on(path, sha256, page, page_cache)  # the viewer's numbers (and cache)
    if numbers is None:
        return None
    context = _context(check)  # the words the finding is about: the figure is among them
    found = find_words(path, page, context) if context else []
    shared = _shared_words(check.get("message") or "", path, page) if len(found) != 1 else ""
    cited = find_words(path, page, shared, first_only=True) if shared else []
    if len(found) > 1 and cited:  # printed more than once: where the message cites it
        found = [f for f in found if any(_inside(b, cited[0]) for b in f)] or found
    elif not found and cited:
        found, context = cited, ""  # only a hint
    region = found[0] if found else None
    code = _CODE.match(check.get("message") or "")
    # every figure's best copies, ranked: inside the cited words, on the row of the code, beside
    # the longest end of its label in the message, the copy nearest the message's other figures
    ranked: list[tuple[int, int, list[tuple]]] = []
    for value in _figures(check):
        for factor in _scales(check, source_unit):
            shown = _scaled(value, factor)
            hits = [n for n in numbers if n[4] == shown]
            if not hits:
                continue
            inside = [n for n in hits if region is not None and _inside(n[:4], region)]
            row = _on_row(numbers, hits, code.group(1)) if code and not inside else None
            size, beside = (0, []) if inside or row is not None else _beside_label(path, page, check, value, hits)
            if inside or (region is not None and context):
                rank, hits = 1000, inside
            elif row is not None:
                rank, hits = 500 + row[0], row[1]
            else:
                rank, hits = (size, beside) if beside else (0, hits)
                if len(hits) > 1:
                    hits = _nearest(path, page, numbers, hits, check, factor)
            if hits:
                ranked.append((rank, -len(ranked), hits))
            break
    candidates = [[tuple(n[:4]) for n in hits] for *_, hits in sorted(ranked, reverse=True)]
    for words in _words(check):
        places = [b for place in find_words(path, page, words) for b in place
                  if region is None or _inside(b, region)]
        if places:
            candidates.append(places)
    for boxes in candidates:
        if len(boxes) <= MAX_BOXES:
            return tuple(boxes)
    return tuple(region) if region else None
