"""Facts: one canonical figure per question, decided here and nowhere else.

A disclosure prints many figures more than once (the 收支总表's 本年支出合计 and the 支出总表's
合计; a 类 in the 支出总表, the 一般公共预算支出表 and the 财政拨款支出表). After verify,
``decide`` answers every question a reader asks of a document exactly once — (measure,
dimension, code, part), e.g. (budget, function, 2101501, basic) — as a ``records.Fact``: the
amount, the table and page it is read from, how it was obtained (``basis``) and the other
printed copies of the same figure that disagree (``alternatives``). The package stage
publishes them as the ``facts`` resource, and the site shows no other figure outside the
table-by-table view of a document.

The rules (stated in words in the data dictionary, ``generator.package.schemas.FACTS``):

- **total**: ``expenditure`` is 本年支出合计 of the 收支总表, else the 合计 of the 支出总表
  (both all funds); ``general_public`` is the 合计 of the 一般公共预算支出表 (功能分类), else of
  the 一般公共预算支出表 (经济分类), else the 财政拨款收支总表's 一般公共预算 column; ``basic`` /
  ``project`` are those of the 一般公共预算支出表, else the 合计 of the 基本支出表 / 项目支出表 (经济
  分类), else the 支出总表's, else the text's; ``personnel`` / ``public`` are the 合计 row of the
  基本支出表, else of the 一般公共预算支出表 (经济分类), else the text's. Printed copies of one
  figure that disagree are kept as ``alternatives`` (``conflict``). Where nothing prints a total,
  the sum of its table's 类 rows is given as ``derived``; never a sum where a total is printed.
- **function** / **economic**: every row of one table per document, the first of
  ``vocabulary.FUNCTION_FACT_SOURCES`` / ``ECONOMIC_FACT_SOURCES`` that has rows, one fact per
  code and part; a 类 or 款 the table prints only as its 项 is their sum (``derived``).
- **three_public**: the “三公”经费表's rows per measure (a 决算 prints 预算数 and 决算数), else
  the text's; the 合计 derived from the four items where no 合计 is printed; ``operating_costs``
  from the 机关运行经费 table (or column).
- ``basis`` is ``repaired`` where verify repaired the figure or gave it its code (``repair`` names
  the check).
- ``read_by`` (``text`` | ``ocr``) and ``certainty`` (``confirmed`` | ``unconfirmed`` |
  ``uncertain``): how the figure was read and whether an identity of its tables confirms it
  (``certainty``): a figure read by OCR that no identity confirms is never published as clean.
"""
from __future__ import annotations

from .decide import decide, facts_of

__all__ = ["decide", "facts_of"]
