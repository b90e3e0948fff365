"""Corpus report: how a folder of real files builds, per label, against the issue's targets.

    python bench/bench_corpus.py DIR [--out P] [--jobs N] [--json FILE]

Builds DIR with the real command line, in a fresh process::

    python -m generator build --documents DIR --datapackages P/datapackages --no-site \\
        --jobs N --no-cache --allow-removal --report P/report

(``--allow-removal`` only so that a second run into the same ``--out`` is not stopped by the
first one's output; ``--out`` defaults to a temporary folder, removed afterwards). It reads
``P/report/report.json`` (one entry per document: source files, status, error, failed checks)
and the combined package ``P/datapackages/all/``, and prints:

* per label, when DIR has a ``manifest.tsv`` (columns file, repo, commit, path, sha256, label;
  otherwise every file is ``unlabelled``): files, built (in a document that built), refused
  (in a failed document whose reason is not an internal error), crashed (reason contains
  "internal error"), missing (not in the report), and the refusal reasons;
* disclosures built: every ``budget`` file that built, plus every built document holding both a
  ``budget-tables-part`` and a ``budget-narrative-part`` (a two-file disclosure counts once, and
  only when its halves end up in one document; a half built alone is counted apart). Expected:
  the ``budget`` files plus max(#tables-parts, #narrative-parts);
* refusals grouped by reason, normalised: the file names of the document (and any
  ``*.pdf``/``*.txt``/``*.md`` word) and a leading ``: `` removed, every number replaced by ``N``;
  crashes listed with their files;
* failed checks per built document (entries of ``failed_checks``: median, mean) and the 15
  checks that fail in the most built documents (distinct documents per check id);
* the share of built documents with each key figure, read from the CSVs of ``all/``:
  - ``general_public_total`` (一般公共预算支出 合计): a ``tables`` row of table
    ``general_public_function`` with ``total`` set (the table's printed 合计 row; the contract's
    ``function_expenditure`` rows always carry a 3/5/7-digit code, so the 合计 line is not one of
    them), or a ``summary`` row on side ``expenditure`` whose item contains 一般公共预算 with an
    amount (the income side's 一般公共预算拨款 is funding, not spending, and does not count);
  - ``class_totals``: a ``function_expenditure`` row (any table) with a 3-digit code and a total;
  - ``basic_project_split``: a ``function_expenditure`` row with ``basic`` or ``project`` set;
  - ``personnel_public``: an ``economic_expenditure`` row of table ``basic_economic`` with code
    301 or 302 and a total, or a ``tables`` row with ``personnel`` or ``public`` set (the
    labelled 人员经费 / 公用经费 totals);
  - ``three_public``: a ``three_public`` row with item ``total`` and an amount (0 counts);
* the issue's targets: ≥ 97 % of disclosures build, ≥ 95 % of the other files (labels
  ``performance-only``, ``not-budget``) refused, 0 crashes — met / not met (``n/a`` without a
  manifest).

``--json FILE`` writes the same as JSON. Output order is deterministic (counts descending, then
names); the JSON has no timings, so two runs on the same files and code give the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "bench-corpus/1"
LABELS = ("budget", "budget-tables-part", "budget-narrative-part", "performance-only",
          "not-budget")
OTHER_LABELS = ("performance-only", "not-budget")
KEY_FIGURES = ("general_public_total", "class_totals", "basic_project_split",
               "personnel_public", "three_public")
TARGETS = {"disclosures_built": 0.97, "others_refused": 0.95, "crashes": 0}
TOP_CHECKS = 15


# ------------------------------------------------------------------------------- build


def run_build(folder: Path, out: Path, jobs: int) -> tuple[dict, float]:
    """The real build of ``folder`` into ``out``; the report and wall seconds."""
    report_dir = out / "report"
    cmd = [sys.executable, "-m", "generator", "build", "--documents", str(folder),
           "--datapackages", str(out / "datapackages"), "--no-site", "--jobs", str(jobs),
           "--no-cache", "--allow-removal", "--report", str(report_dir)]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - start
    (out / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    report_file = report_dir / "report.json"
    if not report_file.is_file():
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"build wrote no report (exit status {proc.returncode})")
    return json.loads(report_file.read_text(encoding="utf-8")), seconds


def read_manifest(folder: Path) -> dict[str, str] | None:
    path = folder / "manifest.tsv"
    if not path.is_file():
        return None
    with path.open(encoding="utf-8", newline="") as f:
        return {row["file"]: row["label"] for row in csv.DictReader(f, delimiter="\t")}


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------------------- files


def normalise_reason(error: str, files: list[str]) -> str:
    """The reason without file names and numbers, so that equal reasons group."""
    text = error
    for name in sorted(files, key=len, reverse=True):
        text = text.replace(name, "").replace(Path(name).stem, "")
    text = re.sub(r"\S+\.(?:pdf|txt|md)\b", "", text, flags=re.I)
    text = re.sub(r"\d+(?:[.,]\d+)*", "N", text)
    text = re.sub(r"^[\s:：;,]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


def is_crash(error: str | None) -> bool:
    return bool(error) and "internal error" in error.lower()


def file_outcomes(report: dict, labels: dict[str, str]) -> dict[str, dict]:
    """Per file: label, outcome (built / refused / crashed / missing), document, reason."""
    out = {name: {"label": label, "outcome": "missing", "document_id": None, "reason": None}
           for name, label in labels.items()}
    for entry in report["documents"]:
        error = entry.get("error")
        outcome = "built" if not error else "crashed" if is_crash(error) else "refused"
        reason = normalise_reason(error, entry["source_files"]) if error else None
        for path in entry["source_files"]:
            name = Path(path).name
            row = out.setdefault(name, {"label": labels.get(name, "unlabelled")})
            row.update(outcome=outcome, document_id=entry.get("document_id"), reason=reason)
    return dict(sorted(out.items()))


def label_table(files: dict[str, dict]) -> dict[str, dict]:
    """Per label: counts of each outcome and the refusal reasons."""
    order = [lab for lab in LABELS if any(f["label"] == lab for f in files.values())]
    order += sorted({f["label"] for f in files.values()} - set(order))
    table = {}
    for label in order:
        rows = [f for f in files.values() if f["label"] == label]
        counts = Counter(f["outcome"] for f in rows)
        reasons = Counter(f["reason"] for f in rows if f["outcome"] != "built" and f["reason"])
        table[label] = {"files": len(rows), **{k: counts.get(k, 0) for k in
                                                ("built", "refused", "crashed", "missing")},
                        "reasons": dict(sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])))}
    return table


def disclosures(report: dict, files: dict[str, dict]) -> dict:
    """Expected and built disclosures; a two-file disclosure counts once, when joined."""
    by_label = Counter(f["label"] for f in files.values())
    built_budget = sum(1 for f in files.values()
                       if f["label"] == "budget" and f["outcome"] == "built")
    joined = alone = 0
    for entry in report["documents"]:
        if entry.get("error"):
            continue
        kinds = {files.get(Path(p).name, {}).get("label") for p in entry["source_files"]}
        parts = kinds & {"budget-tables-part", "budget-narrative-part"}
        if len(parts) == 2:
            joined += 1
        elif parts:
            alone += 1
    pairs = max(by_label["budget-tables-part"], by_label["budget-narrative-part"])
    return {"expected": by_label["budget"] + pairs, "built": built_budget + joined,
            "budget_files": by_label["budget"], "budget_files_built": built_budget,
            "pairs_expected": pairs, "pairs_joined": joined, "parts_built_alone": alone}


def refusals(report: dict) -> tuple[list[dict], list[dict]]:
    """Failed documents grouped by normalised reason, and the crashes."""
    groups: dict[str, list[str]] = defaultdict(list)
    crashes = []
    for entry in report["documents"]:
        error = entry.get("error")
        if not error:
            continue
        names = [Path(p).name for p in entry["source_files"]]
        if is_crash(error):
            crashes.append({"files": names, "reason": error})
        else:
            groups[normalise_reason(error, entry["source_files"])].extend(names)
    grouped = [{"reason": r, "count": len(n), "files": sorted(n)} for r, n in groups.items()]
    grouped.sort(key=lambda g: (-g["count"], g["reason"]))
    crashes.sort(key=lambda c: c["files"])
    return grouped, crashes


# ------------------------------------------------------------------------------- documents


def failed_checks(report: dict) -> dict:
    """Failed checks per built document, and the checks failing in the most documents."""
    built = [e for e in report["documents"] if not e.get("error")]
    per_doc = [len(e.get("failed_checks") or []) for e in built]
    in_docs = Counter(check for e in built
                      for check in {c["check"] for c in e.get("failed_checks") or []})
    top = sorted(in_docs.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_CHECKS]
    return {"documents": len(built),
            "median": statistics.median(per_doc) if per_doc else None,
            "mean": round(statistics.mean(per_doc), 2) if per_doc else None,
            "top": [{"check": c, "documents": n} for c, n in top]}


def _docs(rows, keep) -> set[str]:
    return {r["document_id"] for r in rows if keep(r)}


def key_figures(all_dir: Path, built: set[str]) -> dict:
    """Per key figure: the built documents that have it (see the module docstring)."""
    tables = read_csv(all_dir / "tables.csv")
    summary = read_csv(all_dir / "summary.csv")
    function = read_csv(all_dir / "function_expenditure.csv")
    economic = read_csv(all_dir / "economic_expenditure.csv")
    three = read_csv(all_dir / "three_public.csv")
    found = {
        "general_public_total":
            _docs(tables, lambda r: r["table"] == "general_public_function" and r.get("total"))
            | _docs(summary, lambda r: r["side"] == "expenditure" and r.get("amount")
                    and "一般公共预算" in re.sub(r"\s", "", r["item"])),
        "class_totals": _docs(function, lambda r: len(r["code"]) == 3 and r.get("total")),
        "basic_project_split": _docs(function, lambda r: r.get("basic") or r.get("project")),
        "personnel_public":
            _docs(economic, lambda r: r["table"] == "basic_economic"
                  and r["code"] in ("301", "302") and r.get("total"))
            | _docs(tables, lambda r: r.get("personnel") or r.get("public")),
        "three_public": _docs(three, lambda r: r["item"] == "total" and r.get("amount")),
    }
    n = len(built)
    return {k: {"documents": len(found[k] & built),
                "share": round(len(found[k] & built) / n, 4) if n else None,
                "missing": sorted(built - found[k])} for k in KEY_FIGURES}


def targets(disc: dict, files: dict[str, dict], crashes: list[dict], labelled: bool) -> dict:
    others = [f for f in files.values() if f["label"] in OTHER_LABELS]
    refused = sum(1 for f in others if f["outcome"] == "refused")
    share_built = disc["built"] / disc["expected"] if labelled and disc["expected"] else None
    share_refused = refused / len(others) if labelled and others else None

    def verdict(value, ok):
        return "n/a" if value is None else "met" if ok else "not met"

    return {
        "disclosures_built": {"value": share_built, "of": [disc["built"], disc["expected"]],
                              "target": ">= 0.97", "verdict": verdict(
                                  share_built, share_built is not None and share_built >= 0.97)},
        "others_refused": {"value": share_refused, "of": [refused, len(others)],
                           "target": ">= 0.95", "verdict": verdict(
                               share_refused,
                               share_refused is not None and share_refused >= 0.95)},
        "crashes": {"value": len(crashes), "target": "== 0",
                    "verdict": verdict(len(crashes), not crashes)},
    }


# ------------------------------------------------------------------------------- output


def corpus_report(folder: Path, report: dict, all_dir: Path) -> dict:
    """Everything the script prints, as one JSON-ready dict."""
    manifest = read_manifest(folder)
    files = file_outcomes(report, manifest or {})
    disc = disclosures(report, files)
    grouped, crashes = refusals(report)
    built = {e["document_id"] for e in report["documents"] if not e.get("error")}
    wrong = {"labelled_budget_not_built": [
                 {"file": n, "label": f["label"], "outcome": f["outcome"], "reason": f["reason"]}
                 for n, f in files.items()
                 if f["label"] not in OTHER_LABELS + ("unlabelled",) and f["outcome"] != "built"],
             "others_built": [{"file": n, "label": f["label"], "document_id": f["document_id"]}
                              for n, f in files.items()
                              if f["label"] in OTHER_LABELS and f["outcome"] == "built"]}
    return {"schema": SCHEMA, "folder": folder.name, "manifest": manifest is not None,
            "files": len(files), "documents": {"built": len(built),
                                               "failed": len(report["documents"]) - len(built)},
            "labels": label_table(files), "disclosures": disc, "refused": grouped,
            "crashes": crashes, "wrong": wrong, "failed_checks": failed_checks(report),
            "key_figures": key_figures(all_dir, built),
            "targets": targets(disc, files, crashes, manifest is not None)}


def _pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f} %"


def print_report(r: dict, out=sys.stdout) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"Corpus report: {r['folder']} — {r['files']} files, {r['documents']['built']} documents "
      f"built, {r['documents']['failed']} failed")
    p("\nPer label:")
    p(f"  {'label':24} {'files':>5} {'built':>5} {'refused':>7} {'crashed':>7} {'missing':>7}")
    for label, t in r["labels"].items():
        p(f"  {label:24} {t['files']:5} {t['built']:5} {t['refused']:7} {t['crashed']:7} "
          f"{t['missing']:7}")
        for reason, n in t["reasons"].items():
            p(f"      {n:3} × {reason}")
    d = r["disclosures"]
    p(f"\nDisclosures built: {d['built']} of {d['expected']} ({d['budget_files_built']}/"
      f"{d['budget_files']} one-file, {d['pairs_joined']}/{d['pairs_expected']} two-file joined; "
      f"{d['parts_built_alone']} halves built alone)")
    p(f"\nRefused, by reason ({sum(g['count'] for g in r['refused'])} files):")
    for g in r["refused"]:
        p(f"  {g['count']:3} × {g['reason']}")
        p(f"        {' '.join(g['files'])}")
    p(f"\nCrashes: {len(r['crashes'])}")
    for c in r["crashes"]:
        p(f"  {' '.join(c['files'])}: {c['reason']}")
    for key, rows in r["wrong"].items():
        if rows:
            p(f"\n{key.replace('_', ' ').capitalize()}:")
            for row in rows:
                p("  " + "  ".join(str(v) for v in row.values()))
    fc = r["failed_checks"]
    p(f"\nFailed checks per built document: median {fc['median']}, mean {fc['mean']}")
    for t in fc["top"]:
        p(f"  {t['documents']:3} docs  {t['check']}")
    p(f"\nKey figures (share of {r['documents']['built']} built documents):")
    for name, k in r["key_figures"].items():
        p(f"  {name:22} {k['documents']:3}  {_pct(k['share'])}")
    p("\nTargets:")
    t = r["targets"]
    p(f"  disclosures built >= 97 %: {_pct(t['disclosures_built']['value'])} "
      f"({t['disclosures_built']['of'][0]}/{t['disclosures_built']['of'][1]}) "
      f"— {t['disclosures_built']['verdict']}")
    p(f"  other files refused >= 95 %: {_pct(t['others_refused']['value'])} "
      f"({t['others_refused']['of'][0]}/{t['others_refused']['of'][1]}) "
      f"— {t['others_refused']['verdict']}")
    p(f"  crashes == 0: {t['crashes']['value']} — {t['crashes']['verdict']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--out", type=Path, help="build here (default: a temporary folder)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--json", type=Path, help="also write the report as JSON")
    args = ap.parse_args(argv)
    folder = args.folder.resolve()
    out = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="bench-corpus-"))
    out.mkdir(parents=True, exist_ok=True)
    try:
        report, seconds = run_build(folder, out, args.jobs)
        result = corpus_report(folder, report, out / "datapackages" / "all")
    finally:
        if not args.out:
            shutil.rmtree(out, ignore_errors=True)
    print_report(result)
    print(f"\n(build: {seconds:.0f} s, --jobs {args.jobs})", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
