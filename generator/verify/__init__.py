"""Verify: a ``ParsedDocument`` from recognize in, the same document out with ``checks`` filled
and repairs applied (repaired codes and figures replace the damaged ones).

Statuses: ``pass``; ``fail``; ``waived`` (a failure the maintainer waived); ``repaired``
(expected = after, actual = before); ``rounding`` (within (n+1) × half a unit of the last
printed digit, n = number of terms added; two printed copies of one total that adds up rows —
a 合计, a class over its items — may differ by one unit of that digit, ``base.status_of``; a
percentage may be less than one unit from the ratio of its figures, ``narrative.percents``);
``not_applicable`` / ``insufficient_data`` where a check cannot run — a check that found nothing
to look at never reports ``pass``.

- ``families``: the families in the order they run (codes assigned, then repairs, first)
- ``base``: comparison with rounding tolerance, messages, the check-id registry (``describe``)
- ``repairs``: truncated codes and amounts repaired, before and after recorded
- ``arithmetic``: within one table (rows add up to parents and to the 合计 row)
- ``summary_sums``: the 收支总表's totals, carry-overs and lines add up (and which line is which)
- ``arithmetic_ids``: the ids of ``arithmetic``, ``summary_sums`` and ``project_funds``, in order
- ``cross_table``: agreement across tables
- ``sentences``: the narrative read section → sentence → token
- ``narrative/``: the narrative's figures against the tables and against each other
- ``completeness``: the tables a disclosure must publish, notes of empty tables, glossary
- ``codes``: codes given to function rows printed with names only (first), code hierarchy and
  official 类 names
- ``text``: control characters removed from the text where it entered (ingest)
- ``years``: titles, table titles, dates and compared years naming another year than the document's
- ``hygiene``: the narrative's punctuation, brackets and quotes, figures printed without their unit
- ``pages``: after the families, a narrative finding's page is where its quoted words are printed
- ``waivers``: last, the maintainer's waivers (``<file>.waivers.yml``): a failure they match is
  ``waived``, with the reason

``CHECKS`` (= ``CHECK_DESCRIPTIONS``) maps every check id to its plain-Chinese explanation, in
registration order, for the published check definitions and the site's page on the checks.
"""
from __future__ import annotations

from ..records import ParsedDocument
from .families import CHECK_DESCRIPTIONS, FAMILIES, rounding_tolerance  # noqa: F401
from .pages import place_quotes
from .waivers import apply_waivers

CHECKS: dict[str, str] = CHECK_DESCRIPTIONS

__all__ = ["CHECKS", "CHECK_DESCRIPTIONS", "verify"]


def verify(doc: ParsedDocument) -> ParsedDocument:
    for family in FAMILIES:
        doc.checks.extend(family(doc))
    return apply_waivers(place_quotes(doc))
