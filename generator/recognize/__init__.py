"""Recognize: ``IngestedDocument`` → ``ParsedDocument``.

In: an ``IngestedDocument`` (``generator/records.py``): the lines of a disclosure, each split
into cells, with the page (and source file) it came from. Out: a ``ParsedDocument``: the
document's metadata and bureau, and the contract's rows (function and economic spending,
summary lines, 三公, projects, performance targets, narrative facts), amounts in 万元.

Modules:

* ``document`` — ``ingested_to_parsed``, the stage's entry: metadata, regions, recognizers, narrative.
* ``halves`` — one half of a two-file disclosure (tables without a year, narrative without tables) → ``Part``.
* ``metadata`` — department, division, year, phase, scope and the ids, read from the content.
* ``subject`` — who a document is of (the department, or the unit of a 单位预算) and its slug.
* ``units`` — the unit (元 / 万元) of a document and of each table, decided here only.
* ``regions`` — table titles → regions named by their canonical table id.
* ``rows`` — the lines of a region → ``Row`` records (codes, wrapped names, repeated headers).
* ``columns`` — which column each figure goes to (header keywords, arithmetic, 行次), ``ColumnTrace``.
* ``recognizers`` — ``RECOGNIZERS``, table id → recognizer, and ``recognize_region``.
* ``coded`` — function- and economic-classified tables.
* ``assign_codes`` — codes for function rows printed with names only: the classification
  (``function_codes.csv``, built by ``scripts/function_codes.py``) and the 类 → 款 → 项 hierarchy.
* ``summary`` — 收支总表 / 财政拨款收支总表, and a 收入总表 by source of funds.
* ``three_public`` — the “三公” table.
* ``projects`` — the project table, without budget-unit subtotals.
* ``performance`` — performance-target tables.
* ``narrative`` — figures stated in the text, and the glossary.
* ``table_info`` — the ``TableInfo`` record of a recognized table.
* ``cells`` — what a table's ruled lines print cell by cell: a 合计 left blank, negative
  figures where none can be, rows with no figure (``TableInfo`` fields read by ``verify.cells``).

``python -m generator.recognize FILE`` prints what is recognized in one file, and why.
"""
from __future__ import annotations

from .document import ingested_to_parsed

__all__ = ["ingested_to_parsed"]
