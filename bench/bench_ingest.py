"""Benchmark of PDF ingest against the usual approach and against the floor, on the real disclosures.

    python bench/bench_ingest.py [--runs 3] [--pdf-dir DIR] [--profile] [--ref REV] [--tree DIR] [--no-memory]

Prints, in one run of this script and over every PDF in ../shared/real-pdfs (or --pdf-dir):

* pages/s, median of ``--runs`` runs (the modes' order rotated every run, so drift hits all), of
  - ``ours``: ``generator.ingest.pdf.pdf_to_lines``;
  - ``usual``: what other tools do, pdfplumber ``page.extract_text()`` + ``page.extract_tables()``
    on every page (``page.close()`` after each);
  - ``floor``: pypdfium2 text alone (``PdfDocument``, per page ``get_textpage().get_text_range()``,
    everything closed after use);
  - ``parse`` (with ``--parse``): the whole parse stage of each file alone
    (``generator.parse.parse_files``: ingest, recognize, verify, facts), what a build pays per file;
  - ``ref`` (with ``--ref REV``): ``pdf_to_lines`` of another git revision, from a temporary
    ``git worktree``, run in a subprocess (the "before" in a before/after measured in one run);
* the ratios ours/usual (target >= 2.0) and ours/floor, over all files (by the wall clock and by
  CPU time) and per file (CPU time: steadier than the wall clock when other work shares the cores);
* with ``--profile``: cProfile's top 15 entries of ``ours`` over all files, by cumulative time and
  by own time (tottime);
* peak memory by page count: a 30-page and a 300-page PDF made of real pages
  (``bench/make_long_pdf.py``) in a temporary directory, each mode in a fresh subprocess: peak RSS
  (VmHWM), RSS after imports, and the ratio 300/30 of the peak (target <= 1.2x); also the 30 pages
  repeated ten times (300 pages sharing their objects), whose ratio to 30 is the growth per page
  processed alone, without the larger document.
Skips with a message (exit 0) when the PDFs are absent.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF_DIR = ROOT.parent / "shared" / "real-pdfs"
# Where ``generator`` is imported from: this checkout, or --tree DIR (children get it by the env).
GENERATOR_ROOT = Path(os.environ.get("BENCH_GENERATOR_ROOT", ROOT))
sys.path.insert(0, str(GENERATOR_ROOT))
sys.path.insert(1, str(ROOT / "bench"))

Timings = dict[str, tuple[int, float, float]]  # file name -> (pages, wall seconds, CPU seconds)


def ours_file(path: Path) -> int:
    from generator.ingest.pdf import pdf_to_lines

    _, pages = pdf_to_lines(path, path.name)
    return pages


def usual_file(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
        return len(pdf.pages)


def floor_file(path: Path) -> int:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        count = len(pdf)
        for index in range(count):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return count


def parse_file(path: Path) -> int:
    """The whole parse stage of one file (ingest, recognize, verify, facts), as a build runs it."""
    from generator.parse import parse_files

    return parse_files([path]).pages or 0


MODES = {"parse": parse_file, "ours": ours_file, "usual": usual_file, "floor": floor_file, "ref": ours_file}
LABELS = {"ours": "ours (pdf_to_lines)", "usual": "usual (extract_text+tables)",
          "floor": "floor (pypdfium2 text)", "ref": "ref (pdf_to_lines at REV)",
          "parse": "parse (whole parse stage)"}


def import_all(parse: bool = True) -> None:
    """Import every library a mode uses, so no timing or peak pays for an import (``parse``:
    also the parse stage's, ~55 MB more: left out of the memory children, which only ingest)."""
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    import generator.ingest.pdf  # noqa: F401
    if parse:
        import generator.parse  # noqa: F401


def time_files(mode: str, paths: list[Path]) -> Timings:
    """Pages and seconds per file for one pass of one mode, in this process."""
    import_all()
    out = {}
    for path in paths:
        start, start_cpu = time.perf_counter(), time.process_time()
        pages = MODES[mode](path)
        out[path.name] = (pages, time.perf_counter() - start, time.process_time() - start_cpu)
    return out


def child_env(generator_root: Path) -> dict[str, str]:
    return {**os.environ, "BENCH_GENERATOR_ROOT": str(generator_root)}


def time_files_ref(ref_root: Path, paths: list[Path]) -> Timings:
    """One pass of ``pdf_to_lines`` from the worktree at ``ref_root``, in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--time-child", *map(str, paths)], capture_output=True,
                         text=True, check=True, cwd=ref_root, env=child_env(ref_root))
    return {name: (pages, wall, cpu) for name, (pages, wall, cpu) in json.loads(out.stdout.splitlines()[-1]).items()}


def vm_kb(field: str) -> float:
    """A field of /proc/self/status in MB (VmHWM: peak RSS, reset by exec unlike ru_maxrss)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status (Linux only)")


def memory_child(mode: str, path: Path) -> None:
    """Run in a fresh subprocess: process one file, print RSS after imports and peak RSS as JSON."""
    import_all(parse=False)
    after_imports = vm_kb("VmRSS")
    pages = MODES[mode](path)
    print(json.dumps({"pages": pages, "after_imports_mb": after_imports, "peak_mb": vm_kb("VmHWM")}))


def measure_memory(mode: str, path: Path, generator_root: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--memory-child", mode, str(path)], capture_output=True,
                         text=True, check=True, cwd=generator_root, env=child_env(generator_root))
    return json.loads(out.stdout.strip().splitlines()[-1])


def profile_ours(paths: list[Path], top: int = 15) -> str:
    import_all()
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        ours_file(path)
    profiler.disable()
    text = io.StringIO()
    for order in ("cumulative", "tottime"):
        text.write(f"\n--- cProfile of ours over all files, top {top} by {order} ---\n")
        stats = pstats.Stats(profiler, stream=text)
        stats.sort_stats(order).print_stats(top)
    site = str(Path(cProfile.__file__).parent)  # shorten the library paths to what they name
    return text.getvalue().replace(sys.prefix + "/lib/python3.11/site-packages/", "").replace(
        str(GENERATOR_ROOT) + "/", "").replace(str(ROOT) + "/", "").replace(site + "/", "")


def make_worktree(rev: str, parent: Path) -> Path:
    target = parent / "ref-tree"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(target), rev],
                   check=True, capture_output=True, text=True)
    return target


def remove_worktree(target: Path) -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(target)],
                   check=False, capture_output=True, text=True)


def git_head(root: Path) -> str:
    """The commit at ``root``, and whether its generator/ has uncommitted changes."""
    out = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "generator"],
                           capture_output=True, text=True).stdout.strip()
    return out.stdout.strip()[:80] + (" (+ uncommitted changes in generator/)" if dirty else "")


def versions() -> str:
    from importlib.metadata import version

    names = ("pdfplumber", "pdfminer.six", "pypdfium2", "pypdf")
    return ", ".join(f"{name} {version(name)}" for name in names) + f", Python {sys.version.split()[0]}"


def report_speed(runs: dict[str, list[Timings]], paths: list[Path]) -> None:
    """Per file (CPU time: steadier than the wall clock on a shared machine) and over all files."""
    modes = list(runs)
    pages = {path.name: runs["ours"][0][path.name][0] for path in paths}
    total_pages = sum(pages.values())

    def rate(mode: str, name: str) -> float:  # pages per CPU second of one file, median over runs
        return pages[name] / statistics.median(run[name][2] for run in runs[mode])

    def total_rate(mode: str, clock: int) -> float:  # clock 1: wall, 2: CPU
        return statistics.median(total_pages / sum(t[clock] for t in run.values()) for run in runs[mode])

    others = ["usual", "floor"] + (["ref"] if "ref" in runs else []) + (["parse"] if "parse" in runs else [])
    print("\npages per CPU second, per file (median of the runs):")
    print(f"{'file':44s} {'pages':>5s}" + "".join(f" {m:>7s}" for m in modes)
          + "".join(f" {'ours/' + m:>10s}" for m in others))
    for path in paths:
        name = path.name
        print(f"{name[:44]:44s} {pages[name]:5d}" + "".join(f" {rate(m, name):7.1f}" for m in modes)
              + "".join(f" {rate('ours', name) / rate(m, name):10.3f}" for m in others))
    print(f"\nall {len(paths)} files, {total_pages} pages, median of {len(runs['ours'])} runs:")
    print(f"  {'':30s} {'pages/s':>8s} {'pages/CPU s':>12s}")
    for mode in modes:
        print(f"  {LABELS[mode]:30s} {total_rate(mode, 1):8.1f} {total_rate(mode, 2):12.1f}")
    pairs = [("ours", m) for m in others if m != "parse"] + ([("ref", "usual")] if "ref" in runs else [])
    for a, b in pairs + ([("parse", "ours")] if "parse" in runs else []):
        target = "  (target >= 2.0)" if (a, b) == ("ours", "usual") else ""
        ratio = f"ratio {a}/{b}"
        print(f"  {ratio:30s} {total_rate(a, 1) / total_rate(b, 1):8.3f} "
              f"{total_rate(a, 2) / total_rate(b, 2):12.3f}{target}")


def report_memory(paths: list[Path], modes: list[str], roots: dict[str, Path]) -> None:
    from make_long_pdf import long_pdf, repeated_pdf

    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        made = {"30": long_pdf(paths, 30, Path(tmp) / "real-pages-30.pdf"),
                "300": long_pdf(paths, 300, Path(tmp) / "real-pages-300.pdf")}
        made["30x10"] = repeated_pdf(made["30"], 10, Path(tmp) / "real-pages-30x10.pdf")
        print("\npeak memory by page count (real pages, bench/make_long_pdf.py; each in a fresh process):")
        print(f"  30: 3 pages of each real PDF ({made['30'].stat().st_size / 2**20:.1f} MB); 300: 30 of each, "
              f"i.e. all their pages and 10 repeated ({made['300'].stat().st_size / 2**20:.1f} MB); "
              f"30x10: the 30 ten times over, sharing objects ({made['30x10'].stat().st_size / 2**20:.1f} MB)")
        print(f"  {'mode':6s} {'after imports':>13s} {'peak 30':>8s} {'peak 300':>9s} {'peak 30x10':>10s}"
              f" {'300/30':>7s} {'30x10/30':>8s}   (MB)")
        for mode in modes:
            mem = {n: measure_memory(mode, pdf, roots[mode]) for n, pdf in made.items()}
            peak = {n: m["peak_mb"] for n, m in mem.items()}
            print(f"  {mode:6s} {mem['30']['after_imports_mb']:13.1f} {peak['30']:8.1f} {peak['300']:9.1f} "
                  f"{peak['30x10']:10.1f} {peak['300'] / peak['30']:7.2f} {peak['30x10'] / peak['30']:8.2f}")
        print("  (peak RSS, VmHWM; 300/30: target <= 1.2; 30x10/30 shows growth per page processed alone)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pdf-dir", type=Path, default=DEFAULT_PDF_DIR)
    parser.add_argument("--profile", action="store_true", help="also print cProfile's top 15 entries of ours")
    parser.add_argument("--ref", metavar="REV", help="also time pdf_to_lines of git revision REV (a worktree)")
    parser.add_argument("--tree", type=Path, help="time ours from DIR (e.g. a git worktree of a commit), "
                        "not from this checkout (whose files other work may be editing)")
    parser.add_argument("--parse", action="store_true", help="also time the whole parse stage of each file "
                        "(generator.parse.parse_files: ingest, recognize, verify, facts)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak memory by page count")
    parser.add_argument("--memory-child", nargs=2, metavar=("MODE", "PDF"), help=argparse.SUPPRESS)
    parser.add_argument("--time-child", nargs="+", metavar="PDF", help=argparse.SUPPRESS)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # killed: temporary worktree removed
    if args.tree:
        global GENERATOR_ROOT
        GENERATOR_ROOT = args.tree.resolve()
        sys.path.insert(0, str(GENERATOR_ROOT))
    if args.memory_child:
        memory_child(args.memory_child[0], Path(args.memory_child[1]))
        return 0
    if args.time_child:
        print(json.dumps(time_files("ours", [Path(p) for p in args.time_child])))
        return 0

    paths = sorted(args.pdf_dir.resolve().glob("*.pdf"))
    if not paths:
        print(f"SKIP: no real PDFs at {args.pdf_dir} (expected ../shared/real-pdfs beside the repo)")
        return 0
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    print(f"ours at {GENERATOR_ROOT}: {git_head(GENERATOR_ROOT)}\n{versions()}")
    with tempfile.TemporaryDirectory(prefix="bench-ingest-ref-") as tmp:
        ref_root = make_worktree(args.ref, Path(tmp)) if args.ref else None
        try:
            if ref_root:
                print(f"ref {args.ref}: {git_head(ref_root)}")
            modes = ["ours", "usual", "floor"] + (["ref"] if ref_root else []) + (["parse"] if args.parse else [])
            runs: dict[str, list[Timings]] = {mode: [] for mode in modes}
            for run in range(args.runs):
                for mode in modes[run % len(modes):] + modes[:run % len(modes)]:
                    timings = time_files_ref(ref_root, paths) if mode == "ref" and ref_root else time_files(mode, paths)
                    runs[mode].append(timings)
                    wall, cpu = (sum(t[i] for t in timings.values()) for i in (1, 2))
                    print(f"run {run + 1}/{args.runs} {mode:5s} {wall:7.2f} s, CPU {cpu:7.2f} s", file=sys.stderr)
            if args.runs > 0:  # --runs 0: memory (and profile) only
                report_speed(runs, paths)
            if not args.no_memory:
                roots = {"ours": GENERATOR_ROOT, "usual": GENERATOR_ROOT, "floor": GENERATOR_ROOT,
                         "ref": ref_root or GENERATOR_ROOT}
                report_memory(paths, [m for m in modes if m not in ("floor", "parse")] + ["floor"], roots)
            print(f"load average at the end: {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
            if args.profile:
                print(profile_ours(paths))
        finally:
            if ref_root:
                remove_worktree(ref_root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
