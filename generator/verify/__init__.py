"""Verify: ``ParsedDocument`` → the same document with ``checks`` filled and repairs applied.

Each family of checks lives in ``generator/checks/`` (repairs, arithmetic, cross_table,
narrative, completeness, codelists) as ``family(doc) -> list[Check]``; ``verify`` runs them
all, repairs first. Statuses: ``pass``, ``fail``, ``repaired`` (expected = after, actual =
before), ``rounding`` (within (n+1) × half a unit of the last printed digit, n = number of
terms added), ``not_applicable`` / ``insufficient_data`` where a check cannot run — a check
that found nothing to look at never reports ``pass``.

``CHECKS`` maps every check id to its plain-Chinese explanation (``CHECK_DESCRIPTIONS``), for
the site's page explaining the checks.
"""
from __future__ import annotations

from .families import CHECK_DESCRIPTIONS, FAMILIES, rounding_tolerance  # noqa: F401
from ..records import ParsedDocument

CHECKS: dict[str, str] = CHECK_DESCRIPTIONS


def verify(doc: ParsedDocument) -> ParsedDocument:
    for family in FAMILIES:
        doc.checks.extend(family(doc))
    return doc
