"""Past one machine: a folder parsed on a two-worker Dask LocalCluster against local processes.

    python bench/bench_dask.py [--documents ../shared/wild-dev] [--workers 2] [--runs 1] [--keep DIR]

Starts ``dask.distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True)``
and builds the folder twice with the real command line, each into a fresh temporary folder,
without the parse cache and without the site, and without the time limit per document
(``--doc-timeout 0``: whether a slow file finishes within a time limit depends on the load of
the machine, not on where it is parsed; ``--doc-timeout S`` sets one):

* ``--dask ADDRESS --no-cache --no-site``: every document sent to the cluster as its bytes;
* ``--jobs 2 --no-cache --no-site``: the local worker processes (``generator.workers``).

``--runs N`` alternates the two N times (dask, local, dask, local …: both see the same load)
and prints medians. After each pair it compares, byte for byte, the two ``datapackages/`` trees and ``build/status.json``, and
``build/report.json`` with its timings left out (``seconds``, ``phases``, ``started_at``,
``executor``, each document's ``seconds``); and prints the wall seconds of both builds (from
launch to exit), the pages parsed (sum of ``pages`` in the report) and pages/s per core
(pages / wall / workers). Exit status 1 when the outputs differ, naming the first files that do.

Both builds use the same cores (the cluster's two worker processes or the two local ones), so
the ratio dask / local is the cost of going through a scheduler: tasks carry the files' bytes,
workers write them to a temporary folder and send the results back pickled.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the cluster's worker processes import this checkout's generator
WILD_DEV = ROOT.parent / "shared" / "wild-dev"
#: the fields of report.json that are timings or say where the build ran
TIMINGS = ("seconds", "phases", "started_at", "executor")


def build(documents: Path, out: Path, timeout: str, *extra: str) -> tuple[float, str]:
    """One CLI build of ``documents`` into ``out``; (wall seconds, its summary line)."""
    cmd = [sys.executable, "-m", "generator", "build", "--documents", str(documents),
           "--datapackages", str(out / "datapackages"), "--no-cache", "--no-site",
           "--doc-timeout", timeout, *extra]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(extra)}):\n{result.stderr[-3000:]}")
    return wall, result.stdout.strip().splitlines()[-1]


def tree(folder: Path) -> dict[str, str]:
    """relative path → sha256 of every file under ``folder``."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def report_without_timings(path: Path) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in TIMINGS:
        data.pop(key, None)
    for entry in data["documents"]:
        entry.pop("seconds", None)
    return data


def differences(a: Path, b: Path) -> list[str]:
    """What differs between the outputs under ``a`` and ``b`` (empty: byte-identical)."""
    found: list[str] = []
    ta, tb = tree(a / "datapackages"), tree(b / "datapackages")
    for name in sorted(set(ta) | set(tb)):
        if ta.get(name) != tb.get(name):
            found.append(f"datapackages/{name}: " + ("only in one build" if name not in ta or name not in tb
                                                     else "different bytes"))
    for name in ("status.json",):
        if (a / "build" / name).read_bytes() != (b / "build" / name).read_bytes():
            found.append(f"build/{name}: different bytes")
    if report_without_timings(a / "build" / "report.json") != report_without_timings(b / "build" / "report.json"):
        found.append("build/report.json (timings left out): different")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=Path, default=WILD_DEV)
    parser.add_argument("--workers", type=int, default=2, help="Dask workers and local --jobs")
    parser.add_argument("--runs", type=int, default=1, help="dask and local builds, alternated")
    parser.add_argument("--doc-timeout", default="0", help="seconds per document (0: no limit)")
    parser.add_argument("--keep", type=Path, help="build into this folder and keep the outputs")
    args = parser.parse_args()
    if not args.documents.is_dir():
        print(f"skipped: {args.documents} is absent")
        return 0
    from dask.distributed import LocalCluster  # half a second to import

    walls: dict[str, list[float]] = {"dask": [], "local": []}
    lines: dict[str, str] = {}
    diff: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        work = args.keep or Path(tmp)
        load_before = _load()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                          dashboard_address=None, host="127.0.0.1") as cluster:
            for run in range(args.runs):
                out = work / f"run{run + 1}"
                wall, lines["dask"] = build(args.documents, out / "dask", args.doc_timeout,
                                            "--dask", cluster.scheduler_address)
                walls["dask"].append(wall)
                wall, lines["local"] = build(args.documents, out / "local", args.doc_timeout,
                                             "--jobs", str(args.workers))
                walls["local"].append(wall)
                diff += [f"run {run + 1}: {d}" for d in differences(out / "dask", out / "local")]
        load_after = _load()
        report = json.loads((work / "run1" / "local" / "build" / "report.json").read_text(encoding="utf-8"))
        pages = sum(d["pages"] or 0 for d in report["documents"])
        print(f"documents: {args.documents} ({len(report['documents'])} documents, {pages} pages); "
              f"{args.runs} run(s), dask and local alternated, medians")
        print(f"load average before {load_before}, after {load_after}")
        for name in ("dask", "local"):
            wall = statistics.median(walls[name])
            print(f"{name:5}  {wall:7.1f} s  {pages / wall:5.2f} pages/s  "
                  f"{pages / wall / args.workers:5.2f} pages/s per core  "
                  f"(runs: {', '.join(f'{w:.1f}' for w in walls[name])})  | {lines[name]}")
        ratios = [d / loc for d, loc in zip(walls["dask"], walls["local"])]
        print(f"ratio dask / local wall: {statistics.median(ratios):.2f} "
              f"(runs: {', '.join(f'{r:.2f}' for r in ratios)})")
        if diff:
            print("outputs DIFFER:\n  " + "\n  ".join(diff[:20]))
            return 1
        n = len(tree(work / "run1" / "local" / "datapackages"))
        print(f"outputs byte-identical in every run: {n} package files, status.json, "
              "report.json without timings")
    return 0


def _load() -> str:
    with open("/proc/loadavg", encoding="ascii") as f:
        return " ".join(f.read().split()[:3])


if __name__ == "__main__":
    raise SystemExit(main())
