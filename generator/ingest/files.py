"""Ingest: files under ``documents/`` → ``IngestedDocument`` (lines of cells with pages).

Input: a directory of disclosures — text extracts (``.txt``, ``.md``) and PDFs (``.pdf``).
Output: one ``IngestedDocument`` per disclosure. A disclosure published as a tables file and a
narrative file is one document: files whose names differ only by a trailing
``-baobiao`` / ``-shuoming`` (表格 / 说明, also ``-tables`` / ``-narrative``) are paired.

Text extracts are read by ``ingest.text``, PDFs by ``ingest.pdf``.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..records import IngestedDocument, Line, SourceFile
from .clean import Removed
from .text import read_text, text_to_lines

TEXT_SUFFIXES = frozenset({".txt", ".md"})
PDF_SUFFIXES = frozenset({".pdf"})
PAIR_SUFFIXES = ("-baobiao", "-shuoming", "-tables", "-narrative", "_baobiao", "_shuoming")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks (``source_sha256``, cache keys)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
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
    removed = Removed()  # control characters, from every file of the document
    for path in files:
        digest = file_sha256(path)
        if path.suffix.lower() in PDF_SUFFIXES:
            # pdfplumber (with pdfminer) takes a quarter second to import: only for PDFs
            from .pdf import pdf_to_lines

            file_lines, pages = pdf_to_lines(path, path.name, removed)
            sources.append(SourceFile(path.name, digest, "pdf", pages))
        else:
            file_lines = text_to_lines(read_text(path), path.name, removed)
            sources.append(SourceFile(path.name, digest, "text"))
        lines.extend(file_lines)
    return IngestedDocument(document_key(files[0]), tuple(sources), tuple(lines), removed.count)
