"""Benchmark of PDF ingest against raw pdfplumber text extraction, on the real disclosures.

    python bench/bench_ingest.py [--runs 3] [--pdf-dir DIR]

Measures, in one run of this script and over every PDF in ../shared/real-pdfs:
* pages/s of ``generator.ingest.pdf.pdf_to_lines`` and of raw ``page.extract_text()`` (each
  page closed after use), median of ``--runs`` runs, alternating the two so drift hits both;
* their ratio (target: ingest >= 0.5x raw);
* peak memory of ingesting the largest PDF, each in a fresh subprocess: peak RSS (VmHWM) of
  the process and the tracemalloc peak of Python allocations (tracemalloc in its own run, since
  it slows the code it watches), for ingest, raw extract_text, and ingest without
  ``page.close()``; also on the PDF with the most pages.
Skips with a message (exit 0) when the PDFs are absent.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF_DIR = ROOT.parent / "shared" / "real-pdfs"
sys.path.insert(0, str(ROOT))


def ingest_file(path: Path) -> int:
    from generator.ingest.pdf import pdf_to_lines

    _, pages = pdf_to_lines(path, path.name)
    return pages


def raw_file(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.close()
        return len(pdf.pages)


def ingest_file_without_close(path: Path) -> int:
    """pdf_to_lines' page loop without ``page.close()``: shows what closing saves."""
    import pdfplumber

    from generator.ingest.pdf import page_to_lines

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page_to_lines(page, path.name)
        return len(pdf.pages)


MODES = {"ingest": ingest_file, "raw": raw_file, "no-close": ingest_file_without_close}


def time_files(mode: str, paths: list[Path]) -> dict[str, tuple[int, float]]:
    """Pages and seconds per file for one pass of one mode."""
    out = {}
    for path in paths:
        start = time.perf_counter()
        pages = MODES[mode](path)
        out[path.name] = (pages, time.perf_counter() - start)
    return out


def peak_rss_mb() -> float:
    """High-water resident memory of this process. Linux's VmHWM is reset by exec, unlike
    ru_maxrss, which a child started from a big parent inherits."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_child(mode: str, path: str, use_tracemalloc: bool) -> None:
    """Run in a subprocess: process one file, print peak memory as JSON."""
    import tracemalloc

    import pdfplumber  # noqa: F401  (imports count in the baseline, not in the peak)

    import generator.ingest.pdf  # noqa: F401

    baseline_mb = peak_rss_mb()
    if use_tracemalloc:
        tracemalloc.start()
    MODES[mode](Path(path))
    result = {"maxrss_mb": peak_rss_mb(), "baseline_mb": baseline_mb}
    if use_tracemalloc:
        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    print(json.dumps(result))


def measure_memory(mode: str, path: Path) -> dict[str, float]:
    result: dict[str, float] = {}
    for use_tracemalloc in (False, True):
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", mode, str(path)]
            + (["--tracemalloc"] if use_tracemalloc else []),
            capture_output=True, text=True, check=True, cwd=ROOT,
        )
        data = json.loads(out.stdout.strip().splitlines()[-1])
        if use_tracemalloc:
            result["tracemalloc_peak_mb"] = data["tracemalloc_peak_mb"]
        else:
            result.update(data)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf-dir", type=Path, default=DEFAULT_PDF_DIR)
    parser.add_argument("--memory-child", nargs=2, metavar=("MODE", "PDF"), help=argparse.SUPPRESS)
    parser.add_argument("--tracemalloc", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child[0], args.memory_child[1], args.tracemalloc)
        return 0

    paths = sorted(args.pdf_dir.glob("*.pdf"))
    if not paths:
        print(f"SKIP: no real PDFs at {args.pdf_dir} (expected ../shared/real-pdfs beside the repo)")
        return 0

    runs: dict[str, list[dict[str, tuple[int, float]]]] = {"ingest": [], "raw": []}
    for run in range(args.runs):
        for mode in ("raw", "ingest") if run % 2 else ("ingest", "raw"):
            runs[mode].append(time_files(mode, paths))
            total = sum(s for _, s in runs[mode][-1].values())
            print(f"run {run + 1}/{args.runs} {mode:6s} {total:6.2f} s", file=sys.stderr)

    def median_seconds(mode: str, name: str) -> float:
        return statistics.median(r[name][1] for r in runs[mode])

    print(f"\n{'file':45s} {'pages':>5s} {'ingest s':>9s} {'raw s':>7s} {'ratio':>6s}")
    for path in paths:
        pages = runs["ingest"][0][path.name][0]
        ingest_s, raw_s = median_seconds("ingest", path.name), median_seconds("raw", path.name)
        print(f"{path.name:45s} {pages:5d} {ingest_s:9.2f} {raw_s:7.2f} {raw_s / ingest_s:6.2f}")

    total_pages = sum(p for p, _ in runs["ingest"][0].values())
    rate = {mode: statistics.median(total_pages / sum(s for _, s in r.values()) for r in runs[mode])
            for mode in runs}
    print(f"\nall {len(paths)} files, {total_pages} pages, median of {args.runs} runs:")
    print(f"  pdf_to_lines          {rate['ingest']:7.1f} pages/s")
    print(f"  raw extract_text      {rate['raw']:7.1f} pages/s")
    print(f"  ratio ingest/raw      {rate['ingest'] / rate['raw']:7.2f}  (target >= 0.50)")

    largest = max(paths, key=lambda p: p.stat().st_size)
    longest = max(paths, key=lambda p: runs["ingest"][0][p.name][0])
    for label, path in (("the largest PDF", largest), ("the PDF with most pages", longest)):
        pages = runs["ingest"][0][path.name][0]
        print(f"\npeak memory on {label}, {path.name} ({path.stat().st_size / 2**20:.1f} MB, {pages} pages):")
        print(f"  {'mode':8s} {'peak RSS MB':>11s} {'after imports MB':>17s} {'tracemalloc peak MB':>20s}")
        for mode in ("ingest", "raw", "no-close"):
            mem = measure_memory(mode, path)
            print(f"  {mode:8s} {mem['maxrss_mb']:11.1f} {mem['baseline_mb']:17.1f} {mem['tracemalloc_peak_mb']:20.1f}")
    print("  (no-close: the same ingest without page.close() after each page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
