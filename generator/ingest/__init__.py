"""Ingest stage: the files of ``documents/`` → one ``IngestedDocument`` per disclosure (lines
of cells, with their page and source file). Text extracts (``.txt``, ``.md``) and PDFs; a
tables file and a narrative file of one disclosure are paired into one document. Entry
points: ``document_files``, ``ingest_files``.

* ``files`` — a folder's files grouped into disclosures; ``ingest_files`` reads one;
* ``text`` — text extracts → lines (tabs, markdown pipes, runs of spaces);
* ``pdf`` — PDF pages → lines, from the characters' geometry and the rulings (pdfplumber's
  table finder); ``pdfium_page``/``pdfium_edges`` read both off each page with PDFium, a page
  PDFium cannot reproduce exactly is read by pdfplumber (pdfminer) as before;
* ``rows`` — printed rows outside ruled tables, and tables without rulings;
* ``pdf_checks`` — damaged and hostile PDFs refused before any page is read;
* ``clean`` — control characters (NUL, bidi overrides …) removed where text enters, counted.
"""
from __future__ import annotations

from .files import document_files, ingest_files

__all__ = ["document_files", "ingest_files"]
