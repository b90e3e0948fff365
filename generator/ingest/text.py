"""Text extracts (``.txt``, ``.md``) → lines of cells.

Layouts:

* tab-separated tables: cells split on tabs, empty cells kept (``positional``);
* markdown pipe tables: cells split on ``|``, separator rows dropped (``positional``);
* space-separated PDF text: cells split on runs of spaces (not ``positional``), with OCR gaps
  inside numbers closed first (``341. 39`` → ``341.39``).

A file is UTF-8 (with or without BOM), UTF-16 (with a BOM, or recognized by its zero bytes) or
GB18030; an empty or binary file is an ``IngestError``.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..numbers import close_spaced_points, fullwidth_to_ascii
from ..records import IngestError, Line
from .clean import Removed

_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?$")


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path.name, "empty file")
    utf16 = utf16_encoding(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise IngestError(path.name, f"unreadable encoding (broken {utf16.upper()})") from None
        if not text.strip():
            raise IngestError(path.name, "empty file")
        if "\x00" not in text:
            return text
    if b"\x00" in data[:4096]:
        raise IngestError(path.name, "binary file, not a text extract")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(path.name, "unreadable encoding (neither UTF-8 nor GB18030)")


def utf16_encoding(data: bytes) -> str | None:
    """The codec of UTF-16 text: by its byte order mark, else by where the zero bytes are (the
    high bytes of ASCII digits, tabs and newlines: at odd offsets little-endian, at even
    offsets big-endian); None when the bytes do not look like UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and data[:4] != b"\xff\xfe\x00\x00":
        return "utf-16"  # the BOM says which order, and is dropped
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs == 0 or len(data) % 2:
        return None
    even, odd = sample[0:2 * pairs:2].count(0), sample[1:2 * pairs:2].count(0)
    order = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    if order is None or max(even, odd) < pairs / 50:
        return None
    try:
        text = data.decode(order)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text if c < " " and c not in "\t\n\r\f")
    return order if controls <= len(text) / 1000 else None


def text_to_lines(text: str, source: str, removed: Removed | None = None) -> list[Line]:
    """Lines of a text extract, control characters removed from each (counted in ``removed``)."""
    clean = (removed or Removed()).text
    lines: list[Line] = []
    for raw in text.splitlines():
        line = text_line_to_line(clean(raw), source)
        if line is not None:
            lines.append(line)
    return lines


def text_line_to_line(raw: str, source: str) -> Line | None:
    raw = fullwidth_to_ascii(raw.replace("\u3000", " ").replace("\xa0", " ")).rstrip()
    stripped = raw.strip()
    if not stripped:
        return None
    if "\t" in raw:
        cells = tuple(c.strip() for c in raw.split("\t"))
        return Line(cells, " ".join(c for c in cells if c), None, True, source)
    if stripped.startswith("|") and stripped.count("|") >= 2:
        if _PIPE_SEPARATOR.match(stripped):
            return None
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        cells = tuple(c.strip() for c in inner.split("|"))
        return Line(cells, " ".join(c for c in cells if c), None, True, source)
    stripped = re.sub(r"^#+\s*", "", stripped).replace("**", "").strip()
    if not stripped:
        return None
    joined = close_spaced_points(stripped)
    return Line(tuple(joined.split()), joined, None, False, source)
