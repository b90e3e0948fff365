"""Benchmark of whole builds on the synthetic corpus: full, no-change, one new document, 1 vs 2 workers.

    python bench/bench_build.py [-n 500] [--runs 3] [--site | --site-only] [--quick]

Every build is the real command line (``python -m generator build --no-site``) in a fresh
process, timed from launch to exit; the phases (parse, package, swap) come from the build's own
``build/report.json``. Medians of ``--runs`` runs of:

* full build: empty parse and package caches, no previous output, ``--jobs 2`` (all cores of the dev machine);
* no-change rebuild: the same documents again, cache warm;
* one new document: the full build's output and cache, plus one new synthetic document
  (a different one each run, the output restored between runs);
* full build with ``--jobs 1``, for the speed-up of two worker processes.

Ratios printed: one new document / full build (target ≤ 15 %), no change / full, 1 / 2 workers.
``--site`` also times builds with the MkDocs site: full (every cache empty), no change, one new
document; one run each, reported separately (``--site-only``: only those).
``--quick``: 60 documents, 1 run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.synthetic import make_corpus


def build(work: Path, *extra: str, site: bool = False) -> dict:
    """One CLI build of work/documents → work/out; wall seconds and the report's phases."""
    cmd = [sys.executable, "-m", "generator", "build", "--documents", str(work / "documents"),
           "--datapackages", str(work / "out" / "datapackages"),
           "--site", str(work / "out" / "site"), *extra]
    if not site:
        cmd.append("--no-site")
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(extra)}):\n{result.stderr[-3000:]}")
    report = json.loads((work / "out" / "build" / "report.json").read_text(encoding="utf-8"))
    pagefind = re.findall(r"search index \(Pagefind\) ([0-9.]+) s", result.stderr)
    return {"wall": wall, "phases": report["phases"], "summary": report["summary"],
            "line": result.stdout.strip().splitlines()[-1],
            "pagefind": float(pagefind[-1]) if pagefind else None}


def site_runs(work: Path, extra: Path, tmp: Path, jobs: int) -> dict[str, dict]:
    """Builds with the MkDocs site: full (parse, package, chart and download caches all
    empty, no previous output), no change, then one new document. The chart and download
    caches go to tmp (``BUDGET_CHART_CACHE``, ``BUDGET_DOWNLOADS_CACHE``), not the checkout's."""
    shutil.rmtree(work / "out", ignore_errors=True)
    shutil.rmtree(tmp / "site-cache", ignore_errors=True)
    os.environ["BUDGET_CHART_CACHE"] = str(tmp / "site-cache" / "charts")
    os.environ["BUDGET_DOWNLOADS_CACHE"] = str(tmp / "site-cache" / "downloads")
    args = ("--jobs", str(jobs), "--cache", str(tmp / "site-cache" / "parsed"))
    out = {"full build, every cache empty": build(work, *args, site=True)}
    print(f"  with the site, full:  {out['full build, every cache empty']['wall']:.2f} s", flush=True)
    out["no-change rebuild"] = build(work, *args, site=True)
    print(f"  with the site, no change: {out['no-change rebuild']['wall']:.2f} s", flush=True)
    new = work / "documents" / extra.name
    shutil.copy(extra, new)
    try:
        out["one new document"] = build(work, *args, site=True)
    finally:
        new.unlink()
    assert out["one new document"]["summary"]["parsed"] == 1, out["one new document"]["line"]
    print(f"  with the site, one new document: {out['one new document']['wall']:.2f} s", flush=True)
    return out


def median(runs: list[dict], key: str = "wall") -> float:
    if key == "wall":
        return statistics.median(r["wall"] for r in runs)
    return statistics.median(r["phases"].get(key, 0.0) for r in runs)


def load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=500, help="documents in the corpus (default 500)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2, help="workers of the full build (default 2)")
    parser.add_argument("--site", action="store_true", help="also time builds with the site")
    parser.add_argument("--quick", action="store_true", help="60 documents, 1 run")
    parser.add_argument("--site-only", action="store_true",
                        help="only the builds with the site (full, no change, one new document)")
    args = parser.parse_args(argv)
    args.site = args.site or args.site_only
    if args.quick:
        args.n, args.runs = 60, 1

    print(f"{args.n} synthetic documents, median of {args.runs} run(s); {os.cpu_count()} cores; "
          f"load average at start {load()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        work = tmp / "work"
        paths = make_corpus(work / "documents", args.n + args.runs)
        extra_dir = tmp / "extra"
        extra_dir.mkdir()
        extras = []
        for p in paths[args.n:]:  # held back: the "new" document of each one-document run
            extras.append(extra_dir / p.name)
            p.rename(extras[-1])

        # the package cache sits beside the parse cache (tmp/cache/packages): a full build clears both
        cache = str(tmp / "cache" / "parsed")
        results: dict[str, list[dict]] = {"full": [], "nochange": [], "onedoc": [], "jobs1": []}
        if args.site_only:
            site = site_runs(work, extras[-1], tmp, args.jobs)
            print(f"load average at end {load()}\n")
            print_site(site)
            return 0
        for r in range(args.runs):
            shutil.rmtree(work / "out", ignore_errors=True)
            shutil.rmtree(tmp / "cache", ignore_errors=True)  # parse and package caches
            results["jobs1"].append(build(work, "--jobs", "1", "--cache", cache))
            print(f"  full, 1 worker:  {results['jobs1'][-1]['wall']:.2f} s", flush=True)
            shutil.rmtree(work / "out", ignore_errors=True)
            shutil.rmtree(tmp / "cache", ignore_errors=True)  # parse and package caches
            results["full"].append(build(work, "--jobs", str(args.jobs), "--cache", cache))
            print(f"  full, {args.jobs} workers: {results['full'][-1]['wall']:.2f} s", flush=True)
        base = tmp / "base-out"
        shutil.copytree(work / "out", base)
        for r in range(args.runs):
            results["nochange"].append(build(work, "--jobs", str(args.jobs), "--cache", cache))
            print(f"  no change:       {results['nochange'][-1]['wall']:.2f} s", flush=True)
        for r in range(args.runs):
            new = work / "documents" / extras[r].name
            shutil.copy(extras[r], new)
            one = build(work, "--jobs", str(args.jobs), "--cache", cache)
            assert one["summary"]["parsed"] == 1, one["line"]
            results["onedoc"].append(one)
            print(f"  one new document: {one['wall']:.2f} s ({one['line']})", flush=True)
            new.unlink()
            shutil.rmtree(work / "out")
            shutil.copytree(base, work / "out")
        site = site_runs(work, extras[-1], tmp, args.jobs) if args.site else None
        print(f"load average at end {load()}\n")

        rows = [("full build, 1 worker", "jobs1"), (f"full build, {args.jobs} workers", "full"),
                ("no-change rebuild", "nochange"), ("one new document", "onedoc")]
        print("| build | median s | parse s | package s | swap s | documents parsed / reused |")
        print("|---|---|---|---|---|---|")
        for label, key in rows:
            s = results[key][-1]["summary"]
            print(f"| {label} | {median(results[key]):.2f} | {median(results[key], 'parse'):.2f} "
                  f"| {median(results[key], 'package'):.2f} | {median(results[key], 'swap'):.2f} "
                  f"| {s['parsed']} / {s['reused']} |")
        full = median(results["full"])
        print(f"\none new document / full build: {median(results['onedoc']) / full:.1%} (target ≤ 15%)")
        print(f"no-change rebuild / full build: {median(results['nochange']) / full:.1%}")
        print(f"1 worker / {args.jobs} workers: {median(results['jobs1']) / full:.2f}× overall, "
              f"{median(results['jobs1'], 'parse') / median(results['full'], 'parse'):.2f}× "
              "in the parse phase")
        if site:
            print_site(site)
    return 0


def print_site(site: dict[str, dict]) -> None:
    """The table of the builds with the site and their ratios to the full build."""
    print("\nwith the site (one run each):\n")
    print("| build with the site | s | parse s | package s | site s | of which Pagefind s |")
    print("|---|---|---|---|---|---|")
    for label, r in site.items():
        ph = r["phases"]
        pagefind = "?" if r.get("pagefind") is None else f"{r['pagefind']:.2f}"
        print(f"| {label} | {r['wall']:.2f} | {ph.get('parse', 0):.2f} | {ph.get('package', 0):.2f} "
              f"| {ph.get('site', 0):.2f} | {pagefind} |")
    full_site = site["full build, every cache empty"]["wall"]
    print(f"\none new document / full build, with the site: {site['one new document']['wall'] / full_site:.1%}")
    print(f"no-change rebuild / full build, with the site: {site['no-change rebuild']['wall'] / full_site:.1%}")


if __name__ == "__main__":
    raise SystemExit(main())
