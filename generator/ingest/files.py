"""Ingest: files under ``documents/`` → ``IngestedDocument`` (lines of cells with pages).

Input: a directory of disclosures — text extracts (``.txt``, ``.md``) and PDFs (``.pdf``).
Output: one ``IngestedDocument`` per disclosure. A disclosure published as a tables file and a
narrative file is one document: files whose names differ only by a trailing
``-baobiao`` / ``-shuoming`` (表格 / 说明, also ``-tables`` / ``-narrative``) are paired.

Text layouts handled here (PDF geometry lives in ``ingest_pdf``):

* tab-separated tables: cells split on tabs, empty cells kept (``positional``);
* markdown pipe tables: cells split on ``|``, separator rows dropped (``positional``);
* space-separated PDF text: cells split on runs of spaces (not ``positional``), with OCR gaps
  inside numbers closed first (``341. 39`` → ``341.39``).
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ..numbers import close_spaced_points, fullwidth_to_ascii
from ..records import IngestedDocument, IngestError, Line, SourceFile

TEXT_SUFFIXES = {".txt", ".md"}
PDF_SUFFIXES = {".pdf"}
PAIR_SUFFIXES = ("-baobiao", "-shuoming", "-tables", "-narrative", "_baobiao", "_shuoming")
_PIPE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-*:?\s*)*\|?$")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def document_files(directory: Path) -> list[list[Path]]:
    """Group the files of a documents directory into disclosures (sorted, deterministic)."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.name.lower() == "readme.md":
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES | PDF_SUFFIXES:
            continue
        groups.setdefault(document_key(path), []).append(path)
    return [sorted(files, key=_tables_first) for _, files in sorted(groups.items())]


def document_key(path: Path) -> str:
    stem = path.stem
    for suffix in PAIR_SUFFIXES:
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)]
    return stem


def _tables_first(path: Path) -> tuple[int, str]:
    stem = path.stem.lower()
    return (1 if stem.endswith(("shuoming", "narrative")) else 0, path.name)


def ingest_files(files: list[Path]) -> IngestedDocument:
    """Read the file(s) of one disclosure into lines."""
    sources: list[SourceFile] = []
    lines: list[Line] = []
    for path in files:
        digest = sha256_of(path)
        if path.suffix.lower() in PDF_SUFFIXES:
            from .pdf import pdf_to_lines  # pdfplumber is imported only for PDFs

            file_lines, pages = pdf_to_lines(path, path.name)
            sources.append(SourceFile(path.name, digest, "pdf", pages))
        else:
            file_lines = text_to_lines(read_text(path), path.name)
            sources.append(SourceFile(path.name, digest, "text"))
        lines.extend(file_lines)
    return IngestedDocument(document_key(files[0]), tuple(sources), tuple(lines))


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path.name, "empty file")
    if b"\x00" in data[:4096]:
        raise IngestError(path.name, "binary file, not a text extract")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise IngestError(path.name, "unreadable encoding (neither UTF-8 nor GB18030)")


def text_to_lines(text: str, source: str) -> list[Line]:
    lines: list[Line] = []
    for raw in text.splitlines():
        line = text_line_to_line(raw, source)
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
