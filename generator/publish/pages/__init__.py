"""The Markdown pages of the site, one module per page kind, from a
:class:`~generator.publish.catalog.Catalog` (charts already drawn into ``cat.charts`` by
:func:`generator.publish.site.pages`).

- ``home``       — the home page's document listing and counts
- ``bureau``     — the list of bureaus and one page per bureau
- ``document``   — one page per document, with its data quality
- ``comparison`` — every document side by side
- ``data``       — the data packages and their downloads
- ``checks``, ``glossary``, ``dictionary``, ``changelog`` — the reference pages
- ``sections``   — the tables the bureau and document pages share
- ``sources``    — source files, links to their pages, citation, per-table CSVs
- ``links``      — links between pages and to package files
"""
