"""Verification checks, one module per family (narrative: a subpackage). ``FAMILIES`` runs in
order: codes given to rows printed with names only, then repairs (so every later check sees
the assigned codes and repaired figures), then arithmetic, cross-table, narrative,
completeness and code checks, and last the text checks (appended, so no earlier check id
changes order). ``CHECK_DESCRIPTIONS`` explains every check id in plain Chinese."""
from __future__ import annotations

from . import arithmetic, codes as codelists, completeness, cross_table, narrative, repairs, text
from . import cells
from . import hygiene, project_funds, years
from .base import CHECK_DESCRIPTIONS, compare, rounding_tolerance

FAMILIES = (codelists.ASSIGN + repairs.FAMILY + arithmetic.FAMILY + project_funds.FAMILY + cross_table.FAMILY + narrative.FAMILY
            + completeness.FAMILY + codelists.FAMILY + text.FAMILY
            + cells.FAMILY
            + years.FAMILY + hygiene.FAMILY + completeness.FAMILY_VALUES)  # appended: ids keep their order

__all__ = ["CHECK_DESCRIPTIONS", "FAMILIES", "compare", "rounding_tolerance"]
