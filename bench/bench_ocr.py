"""Benchmark of the OCR ingest path (issue 19): pages per second of scanned pages against the
text layer of the same pages.

    python bench/bench_ocr.py [--runs 3] [--fixtures zhuhai,changsha,sample]

The scans are the test fixtures of ``tests/ocr_fixtures.py``, made into a temporary folder:
selected pages of two real PDFs of ../shared/real-pdfs rendered as scans (珠海 9 pages at
200 dpi, unruled tables; 长沙 8 pages at 150 dpi, ruled tables) and seed 001's tables drawn
(8 pages, 200 dpi). Prints, in one run of this script:

* per fixture and over all, pages/s by the wall clock and by CPU time (this process; onnxruntime
  runs one thread, ``ingest.ocr.THREADS``), median of ``--runs`` runs, of
  - ``ocr``: ``generator.ingest.pdf.pdf_to_lines`` on the scan: render + OCR + lines;
  - ``text``: the same on the text version of the same pages (real PDFs only: seed 001's text
    version is a ``.txt``), the text-layer path;
  and the ratio text/ocr;
* the engine's one-off load (import and models, paid once per worker process), apart;
* where the time of the OCR path goes, per page (one run): the render (``ocr.render``), the
  recognizer (``ocr.recognize``), the rulings found in the image (``ocr_rulings.ruling_edges``)
  and the rest (characters to lines);
* the load average (``os.getloadavg``) before and after, and the CPU count: the machine is
  shared, so the wall clock is read with it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(ROOT / "tests"))

import ocr_fixtures as fx  # noqa: E402  (tests/ocr_fixtures.py)
from generator.ingest.pdf import pdf_to_lines  # noqa: E402


def make(folder: Path, keys: list[str]) -> dict[str, tuple[Path | None, Path]]:
    """(text version or None, scan) per fixture key, written into ``folder``."""
    (folder / "text").mkdir()
    (folder / "scan").mkdir()
    out: dict[str, tuple[Path | None, Path]] = {}
    for key in keys:
        if key == "sample":
            out[key] = (None, fx.sample_pair(folder / "text", folder / "scan")[1])
        elif fx.REAL_PDFS.is_dir():
            out[key] = fx.real_pair(key, folder / "text", folder / "scan")
    return out


def timed(path: Path) -> tuple[int, float, float]:
    """(pages, wall s, CPU s) of ``pdf_to_lines`` on ``path``."""
    wall, cpu = time.perf_counter(), time.process_time()
    _, pages = pdf_to_lines(path, path.name)
    return pages, time.perf_counter() - wall, time.process_time() - cpu


def engine_load() -> float:
    from generator.ingest import ocr

    started = time.perf_counter()
    ocr.engine()
    return time.perf_counter() - started


def breakdown(scan: Path) -> dict[str, float]:
    """Seconds of render, recognize and rulings over the pages of ``scan`` (one run)."""
    import pypdfium2

    from generator.ingest import ocr, ocr_rulings

    spent = {"render": 0.0, "recognize": 0.0, "rulings": 0.0}
    document = pypdfium2.PdfDocument(str(scan))
    try:
        import pdfplumber
        with pdfplumber.open(scan) as pdf:
            for index, page in enumerate(pdf.pages):
                t0 = time.perf_counter()
                image = ocr.render(document, index)
                t1 = time.perf_counter()
                ocr.recognize(image)
                t2 = time.perf_counter()
                ocr_rulings.ruling_edges(image, ocr._Frame(page, image.shape))
                t3 = time.perf_counter()
                spent["render"] += t1 - t0
                spent["recognize"] += t2 - t1
                spent["rulings"] += t3 - t2
    finally:
        document.close()
    return spent


def median_runs(path: Path, runs: int) -> tuple[int, float, float]:
    results = [timed(path) for _ in range(runs)]
    return (results[0][0], statistics.median(r[1] for r in results),
            statistics.median(r[2] for r in results))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fixtures", default="zhuhai,changsha,sample")
    args = parser.parse_args(argv)
    keys = args.fixtures.split(",")
    load_before = os.getloadavg()
    print(f"cores {os.cpu_count()}; load average before {load_before[0]:.2f} {load_before[1]:.2f} "
          f"{load_before[2]:.2f}; runs {args.runs} (median)")
    with tempfile.TemporaryDirectory() as tmp:
        fixtures = make(Path(tmp), keys)
        if not fixtures:
            print("no fixture could be made (../shared/real-pdfs absent?)")
            return 0
        print(f"engine load (import + models, once per process): {engine_load():.2f} s")
        totals = {"ocr": [0, 0.0, 0.0], "text": [0, 0.0, 0.0], "ocr-with-text": [0, 0.0, 0.0]}
        print(f"{'fixture':10} {'path':5} {'pages':>5} {'wall s':>8} {'CPU s':>8} {'pages/s':>8} "
              f"{'pages/CPU s':>11}")
        for key, (text, scan) in fixtures.items():
            for mode, path in (("ocr", scan), ("text", text)):
                if path is None:
                    continue
                pages, wall, cpu = median_runs(path, args.runs)
                print(f"{key:10} {mode:5} {pages:5d} {wall:8.2f} {cpu:8.2f} {pages / wall:8.3f} "
                      f"{pages / cpu:11.3f}")
                for bucket in ([mode] + (["ocr-with-text"] if mode == "ocr" and text else [])):
                    totals[bucket] = [a + b for a, b in zip(totals[bucket], (pages, wall, cpu))]
        for mode, (pages, wall, cpu) in totals.items():
            if pages:
                print(f"{'all':10} {mode:13} {pages:5d} pages: {pages / wall:.3f} pages/s, "
                      f"{pages / cpu:.3f} pages per CPU second")
        if totals["text"][0]:
            ocr_pages, ocr_wall, ocr_cpu = totals["ocr-with-text"]
            text_pages, text_wall, text_cpu = totals["text"]
            print(f"text / ocr on the same pages: wall {ocr_wall / text_wall:.0f}x, "
                  f"CPU {ocr_cpu / text_cpu:.0f}x")
        print("where the OCR path's time goes (one run, seconds per page):")
        for key, (_, scan) in fixtures.items():
            spent = breakdown(scan)
            pages, wall, _ = timed(scan)
            rest = wall - sum(spent.values())
            print(f"  {key:10} " + ", ".join(f"{k} {v / pages:.2f}" for k, v in spent.items())
                  + f", lines and the rest {rest / pages:.2f} (of {wall / pages:.2f})")
    load_after = os.getloadavg()
    print(f"load average after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
