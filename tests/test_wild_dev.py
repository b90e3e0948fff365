"""The whole wild development corpus (../shared/wild-dev, 94 PDFs) built once
(``conftest.wild_build``): what each file its manifest.tsv labels becomes.

* ``budget``: builds, alone, into a published document;
* ``budget-tables-part`` / ``budget-narrative-part``: the two halves of one department's
  disclosure build into one document. The halves are paired here by the department the manifest
  path names (``…/002_北京/公安局_附件1：北京市公安局2026年度部门预算情况说明.pdf`` and
  ``…附件2：北京市公安局2026年度部门预算报表.pdf``); the build pairs them by content. One pair
  lacks its tables: w0051, labelled the tables of 北京市城市管理综合行政执法局, is a second
  情况说明 (8 pages, no table; the same text as w0050): both are refused as "narrative without
  its tables";
* ``not-budget`` and ``performance-only``: refused, with a reason, never published;
* no file is an internal error (a crash), and every file is reported.

The build's report (``report.json`` beside the packages, as bench/bench_corpus.py reads it)
holds one entry per document: source files, status, error.
"""
from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

from conftest import WILD

HALVES = ("budget-tables-part", "budget-narrative-part")
REFUSED_LABELS = ("not-budget", "performance-only")
#: the one department whose two files are both narratives (see the module docstring)
TWO_NARRATIVES = "北京市城市管理综合行政执法局2026年度部门预算"
NO_TABLES = "narrative without its tables"


def manifest() -> dict[str, dict[str, str]]:
    with (WILD / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        return {r["file"]: r for r in csv.DictReader(f, delimiter="\t")}


def department(path: str) -> str:
    """The disclosure a half belongs to, from its manifest path: the file name after
    ``附件N：`` without ``情况说明`` / ``报表``."""
    name = path.rsplit("/", 1)[-1].split("：", 1)[-1]
    return re.sub(r"(情况说明|报表)\.pdf$", "", name)


def entries(wild_build) -> dict[str, dict]:
    """The report's entry of each source file."""
    folder, _ = wild_build
    report = json.loads((folder.parent.parent / "report" / "report.json").read_text(encoding="utf-8"))
    by_file: dict[str, dict] = {}
    for entry in report["documents"]:
        for path in entry["source_files"]:
            assert Path(path).name not in by_file, f"{path} in two report entries"
            by_file[Path(path).name] = entry
    return by_file


def published(wild_build) -> dict[str, list[str]]:
    """document_id → source files, as documents.csv publishes them."""
    folder, _ = wild_build
    with (folder / "documents.csv").open(encoding="utf-8", newline="") as f:
        return {r["document_id"]: r["source_files"].split(";") for r in csv.DictReader(f)}


def outcome(entry: dict | None) -> str:
    if entry is None:
        return "not in the report"
    return f"{entry['status']}: {entry.get('error') or 'built as ' + str(entry['document_id'])}"


def test_every_file_reported_and_none_crashes(wild_build):
    by_file = entries(wild_build)
    labels = manifest()
    missing = sorted(set(labels) - set(by_file))
    assert not missing, f"files not in the build's report: {missing}"
    crashes = sorted(f"{name}: {e['error']}" for name, e in by_file.items()
                     if "internal error" in (e.get("error") or "").lower())
    assert not crashes, "internal errors:\n" + "\n".join(crashes)


def test_budget_files_build_alone(wild_build):
    by_file, docs = entries(wild_build), published(wild_build)
    wrong = []
    for name, row in manifest().items():
        if row["label"] != "budget":
            continue
        entry = by_file.get(name)
        if entry is None or entry.get("error") or entry["status"] != "ok":
            wrong.append(f"{name} ({row['path']}): {outcome(entry)}")
        elif docs.get(entry["document_id"]) != [name]:
            wrong.append(f"{name}: published as {entry['document_id']} with "
                         f"{docs.get(entry['document_id'])}")
    assert not wrong, "budget files not built alone:\n" + "\n".join(wrong)


def test_two_file_disclosures_build_as_one_document(wild_build):
    by_file, docs = entries(wild_build), published(wild_build)
    halves: dict[str, dict[str, str]] = defaultdict(dict)
    for name, row in manifest().items():
        if row["label"] in HALVES:
            assert row["label"] not in halves[department(row["path"])], name
            halves[department(row["path"])][row["label"]] = name
    assert len(halves) == 13 and all(len(h) == 2 for h in halves.values()), dict(halves)
    wrong = []
    for dept, files in sorted(halves.items()):
        names = sorted(files.values())
        if dept == TWO_NARRATIVES:
            for name in names:
                entry = by_file.get(name)
                if entry is None or entry["status"] == "ok" or NO_TABLES not in (entry.get("error") or ""):
                    wrong.append(f"{name} ({dept}, two narratives): {outcome(entry)}, "
                                 f"expected refused as '{NO_TABLES}'")
            continue
        got = {name: by_file.get(name) for name in names}
        ids = {e["document_id"] if e else None for e in got.values()}
        if len(ids) != 1 or any(e is None or e["status"] != "ok" or e.get("error") for e in got.values()):
            wrong.append(f"{dept} {names}: " + "; ".join(f"{n} {outcome(e)}" for n, e in got.items()))
        elif sorted(docs.get(ids.pop()) or []) != names:
            wrong.append(f"{dept} {names}: published with other source files")
    assert not wrong, "two-file disclosures not built as one document:\n" + "\n".join(wrong)


def test_other_files_refused_with_a_reason(wild_build):
    by_file, docs = entries(wild_build), published(wild_build)
    in_documents = {name for files in docs.values() for name in files}
    wrong = []
    for name, row in manifest().items():
        if row["label"] not in REFUSED_LABELS:
            continue
        entry = by_file.get(name)
        if entry is None or entry["status"] == "ok" or not (entry.get("error") or "").strip():
            wrong.append(f"{name} ({row['label']}, {row['path']}): {outcome(entry)}")
        elif name in in_documents:
            wrong.append(f"{name} ({row['label']}): refused but published")
    assert not wrong, "files that must be refused:\n" + "\n".join(wrong)
