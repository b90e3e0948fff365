"""Waivers: the maintainer's known findings, applied once at the end of verify.

A maintainer waives a finding in ``<file name>.waivers.yml`` next to a document's file (read and
checked for form by ``ingest.files.read_waivers``; the format is in its docstring and the
README). This module decides, in one place:

- every waiver names a known check id (``CHECK_DESCRIPTIONS``), else the document fails with an
  error naming the file, the entry, its line and the nearest known ids;
- a ``fail`` is waived by the first waiver whose ``check`` is its check id and, where given,
  whose ``page`` is its page and whose ``match`` occurs in its message, quote, expected or actual
  (spaces ignored): its status becomes ``waived`` and ``waiver`` the reason. One waiver may
  waive several failures (every failure of the check on that page, say). Only failures are
  waived: a pass, a repair or a rounding difference is never hidden;
- a waiver that waives nothing is stale (the finding is gone, or the entry is wrong): a warning
  in ``doc.warnings`` (``records.STALE_WAIVER_PREFIX``), which every build prints.
"""
from __future__ import annotations

import dataclasses
import difflib
import re

from ..records import STALE_WAIVER_PREFIX, Check, IngestError, ParsedDocument, Waiver
from .base import CHECK_DESCRIPTIONS


def _squeeze(text: str | None) -> str:
    return re.sub(r"\s+", "", text or "")


def matches(waiver: Waiver, check: Check) -> bool:
    """Whether ``waiver`` waives ``check`` (a failed one)."""
    if check.status != "fail" or waiver.check != check.check:
        return False
    if waiver.page is not None and check.source_page != waiver.page:
        return False
    if waiver.match:
        needle = _squeeze(waiver.match)
        return any(needle in _squeeze(t) for t in (check.message, check.quote, check.expected, check.actual))
    return True


def check_ids(waivers: list[Waiver]) -> None:
    """Every waiver names a known check id; raises ``IngestError`` naming the file and entry."""
    for w in waivers:
        if w.check not in CHECK_DESCRIPTIONS:
            near = difflib.get_close_matches(w.check, CHECK_DESCRIPTIONS, n=1, cutoff=0.6)
            hint = f"; did you mean {', '.join(near)}?" if near else " (see check_definitions.csv)"
            raise IngestError(w.file, f"bad waivers file: entry {w.entry}"
                                      + (f" (line {w.line})" if w.line else "")
                                      + f": check {w.check!r} is not a known check id{hint}")


def stale_warning(w: Waiver) -> str:
    what = w.check + (f", page {w.page}" if w.page is not None else "") + (f", match {w.match!r}" if w.match else "")
    return (f"{STALE_WAIVER_PREFIX}{w.where()} ({what}) matches no failed check: the finding is gone "
            "or the entry is wrong; remove or correct it")


def apply_waivers(doc: ParsedDocument) -> ParsedDocument:
    """Failed checks the document's waivers match become ``waived``; stale waivers are warned."""
    if not doc.waivers:
        return doc
    check_ids(doc.waivers)
    used: set[int] = set()
    for i, c in enumerate(doc.checks):
        if c.status != "fail":
            continue
        k = next((k for k, w in enumerate(doc.waivers) if matches(w, c)), None)
        if k is not None:
            used.add(k)
            doc.checks[i] = dataclasses.replace(c, status="waived", waiver=doc.waivers[k].reason)
    doc.warnings.extend(stale_warning(w) for k, w in enumerate(doc.waivers) if k not in used)
    return doc
