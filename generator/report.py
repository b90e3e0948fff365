"""The build report: what happened to every document, as JSON.

Two files per build, in the report folder (default ``build/`` beside ``datapackages/``, never
inside the package tree, whose bytes must not depend on timings):

* ``report.json`` — everything about this run, timings included (``REPORT_SCHEMA``): written
  for every build, also a refused or failed one (``outcome``).
* ``status.json`` — the deterministic part (``STATUS_SCHEMA``): no timings, no cache state,
  same bytes for the same documents and code. Written only when a build is published, so it
  always describes the packages and site in place. The home page shows it.

Both are written to a temporary file and renamed into place; ``status.json`` is swapped in
together with the packages and the site (``atomic.swap_together``).
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

REPORT_SCHEMA = "budget-build-report/1"
STATUS_SCHEMA = "budget-build-status/1"


def _checks(result) -> tuple[int, int, int, list[dict[str, Any]]]:
    """(tables, checks, failed, the failed checks): a failure the maintainer waived (status
    ``waived``) is not failed; ``checks_waived`` counts it."""
    doc = result.summary
    if doc is None:
        return 0, 0, 0, []
    return (len(doc.tables), doc.checks, len(doc.failed_checks),
            [{"check": check, "table": table, "message": message}
             for check, table, message in doc.failed_checks])


def _waived(result) -> int:
    return result.summary.waived_checks if result.summary is not None else 0


def document_status(result) -> dict[str, Any]:
    """Deterministic entry of one document: status ``ok`` or ``failed``."""
    tables, checks, n_failed, _ = _checks(result)
    doc = result.summary
    return {
        "source_files": list(result.files),
        "document_id": doc.meta.document_id if doc else None,
        "bureau_id": doc.bureau.bureau_id if doc else None,
        "status": "failed" if result.error else "ok",
        "error": result.error,
        "pages": result.pages,
        "tables": tables,
        "checks": checks,
        "checks_failed": n_failed,
        "checks_waived": _waived(result),
    }


def document_report(result) -> dict[str, Any]:
    """Entry of one document in ``report.json``: status ``ok`` (parsed in this build),
    ``reused`` (from the cache) or ``failed`` (``reused`` says whether the failure was cached),
    seconds spent on it in this build, the failed checks (waived ones counted apart,
    ``checks_waived``) and the warnings about stale waivers."""
    entry = document_status(result)
    _, _, _, failed_checks = _checks(result)
    if entry["status"] == "ok" and result.reused:
        entry["status"] = "reused"
    entry["reused"] = bool(result.reused)
    entry["seconds"] = round(result.seconds, 4)
    entry["failed_checks"] = failed_checks
    entry["stale_waivers"] = list(result.summary.stale_waivers) if result.summary is not None else []
    return entry


def summary(results) -> dict[str, int]:
    docs = [r.summary for r in results if r.summary is not None]
    return {
        "documents": len(results),
        "parsed": sum(1 for r in results if r.error is None and not r.reused),
        "reused": sum(1 for r in results if r.error is None and r.reused),
        "failed": sum(1 for r in results if r.error is not None),
        "tables": sum(len(d.tables) for d in docs),
        "checks": sum(d.checks for d in docs),
        "checks_failed": sum(len(d.failed_checks) for d in docs),
        "checks_waived": sum(d.waived_checks for d in docs),
    }


def status(results, generator_version: str) -> dict[str, Any]:
    s = summary(results)
    return {
        "schema": STATUS_SCHEMA,
        "generator_version": generator_version,
        "summary": {"documents": s["documents"], "ok": s["parsed"] + s["reused"],
                    "failed": s["failed"], "tables": s["tables"], "checks": s["checks"],
                    "checks_failed": s["checks_failed"], "checks_waived": s["checks_waived"]},
        "documents": sorted((document_status(r) for r in results),
                            key=lambda e: e["source_files"]),
    }


def write_json(path: Path, data: Any) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
