"""Does the PDFium ingest read every PDF as the pdfplumber one did? Lines, page count and errors compared.

For every PDF of the given folders: ``generator.ingest.pdf.pdf_to_lines`` with the old engine
(every page read by pdfplumber, ``engine="pdfplumber"``) and with the default one (PDFium where it
reproduces pdfminer, ``ingest.pdfium_page``); prints pages, identical yes/no, the first differing
line pair, seconds old/new, and at the end the pages read by PDFium and by the pdfplumber
fallback. The old engine's result is cached by file content and the ingest code's fingerprint
under ``--cache`` (pdfminer takes minutes on a hundred PDFs), so re-runs time only the new one.

    python bench/compare_ingest.py ../shared/real-pdfs ../shared/wild-dev [--cache /tmp/h1/old]

Exit status 1 when any file differs.
"""
from __future__ import annotations

import argparse
import hashlib
import pickle
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.ingest import pdf, pdfium_page  # noqa: E402
from generator.records import IngestError  # noqa: E402

OLD_CODE = ("ingest/pdf.py", "ingest/rows.py", "ingest/pdf_checks.py", "ingest/clean.py")


def outcome(path: Path, engine: str) -> tuple[Any, float]:
    """``("ok", (lines, pages))`` or ``("error", reason)``, and the seconds it took."""
    start = time.perf_counter()
    try:
        result: Any = ("ok", pdf.pdf_to_lines(path, path.name, engine=engine))
    except IngestError as error:
        result = ("error", str(error))
    return result, time.perf_counter() - start


def old_outcome(path: Path, cache: Path) -> tuple[Any, float]:
    """The pdfplumber engine's outcome, from the cache when this file and code were read before."""
    root = Path(pdf.__file__).resolve().parent.parent
    digest = hashlib.sha256(path.read_bytes())
    for name in OLD_CODE:
        digest.update((root / name).read_bytes())
    entry = cache / f"{digest.hexdigest()}.pkl"
    if entry.exists():
        return pickle.loads(entry.read_bytes())
    value = outcome(path, "pdfplumber")
    cache.mkdir(parents=True, exist_ok=True)
    entry.write_bytes(pickle.dumps(value))
    return value


def first_difference(old: Any, new: Any) -> str:
    if old[0] != new[0] or old[0] == "error":
        return f"old {old[1]!r:.120} / new {new[1]!r:.120}"
    (old_lines, old_pages), (new_lines, new_pages) = old[1], new[1]
    if old_pages != new_pages:
        return f"pages {old_pages} / {new_pages}"
    for a, b in zip(old_lines, new_lines):
        if a != b:
            return f"p{a.page} {a.cells!r:.150}\n      p{b.page} {b.cells!r:.150}"
    return f"{len(old_lines)} lines / {len(new_lines)} lines"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/h1/old"))
    args = parser.parse_args(argv)
    files = sorted(p for folder in args.folders for p in folder.glob("*.pdf"))
    differing = 0
    total_old = total_new = 0.0
    print(f"{'file':48} {'pages':>5} same  {'old s':>7} {'new s':>7}")
    for path in files:
        old, old_seconds = old_outcome(path, args.cache)
        new, new_seconds = outcome(path, "pdfium")
        same = old == new
        differing += not same
        total_old += old_seconds
        total_new += new_seconds
        pages = new[1][1] if new[0] == "ok" else "-"
        print(f"{path.name:48} {pages:>5} {'yes' if same else 'NO ':4} {old_seconds:7.2f} {new_seconds:7.2f}", flush=True)
        if not same:
            print("      " + first_difference(old, new), flush=True)
    counts = pdfium_page.FALLBACK
    print(f"{len(files)} files, {differing} differing; old {total_old:.1f} s, new {total_new:.1f} s; "
          f"pages: {counts['pages'] - counts['fallback']} by PDFium, {counts['fallback']} by the pdfplumber fallback")
    return 1 if differing else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
