"""Ingest stage: the files of ``documents/`` → one ``IngestedDocument`` per disclosure (lines
of cells, with their page and source file). Text extracts (``.txt``, ``.md``) and PDFs; a
tables file and a narrative file of one disclosure are paired into one document. Entry
points: ``document_files``, ``ingest_files``.

* ``files`` — a folder's files grouped into disclosures; ``ingest_files`` reads one;
* ``text`` — text extracts → lines (tabs, markdown pipes, runs of spaces);
* ``pdf`` — PDF pages → lines, from the characters' geometry (pdfplumber);
* ``clean`` — control characters (NUL, bidi overrides …) removed where text enters, counted.
"""
from __future__ import annotations

from .files import document_files, ingest_files

__all__ = ["document_files", "ingest_files"]
