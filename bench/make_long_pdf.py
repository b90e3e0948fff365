"""Long PDFs made of real pages, for measuring ingest memory by page count.

    python bench/make_long_pdf.py OUT.pdf --pages 300 [--pdf-dir DIR]

``long_pdf(sources, pages, out)`` decides which real pages make a document of ``pages`` pages:
every source PDF contributes ``pages / len(sources)`` pages (the remainder to the first
sources), taken evenly spaced through it when it has more pages than its share and cycled
(page 1, 2, …, n, 1, 2, …) when it has fewer. So a 30-page document built from the ten real
PDFs holds 3 pages of each, and a 300-page one holds every page of every source (then repeats):
the same kinds of pages, ten times as many. A repeated page shares its content stream and fonts
with its first copy (pypdf clones an object once per reader), as pages of one real document
share their fonts. ``repeated_pdf(source, times, out)`` repeats one PDF's pages ``times`` times
(every copy shares the source's objects): more pages, no more distinct content, so any growth of
memory with it is per page processed, not the document's content. Written with pypdf (a
dependency of the project).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PDF_DIR = ROOT.parent / "shared" / "real-pdfs"


def page_indices(available: int, wanted: int) -> list[int]:
    """Which 0-based pages of a source of ``available`` pages give ``wanted`` pages."""
    if wanted <= available:
        return [(i * available) // wanted for i in range(wanted)]
    return [i % available for i in range(wanted)]


def long_pdf(sources: list[Path], pages: int, out: Path) -> Path:
    """Write ``out``: ``pages`` real pages drawn from ``sources`` (see the module docstring)."""
    if not sources:
        raise ValueError("no source PDFs")
    share, extra = divmod(pages, len(sources))
    writer = PdfWriter()
    for number, source in enumerate(sources):
        wanted = share + (1 if number < extra else 0)
        if wanted == 0:
            continue
        reader = PdfReader(source)
        for index in page_indices(len(reader.pages), wanted):
            writer.add_page(reader.pages[index])
    with out.open("wb") as stream:
        writer.write(stream)
    return out


def repeated_pdf(source: Path, times: int, out: Path) -> Path:
    """Write ``out``: the pages of ``source`` ``times`` times over, sharing their objects."""
    reader = PdfReader(source)
    writer = PdfWriter()
    for _ in range(times):
        for page in reader.pages:
            writer.add_page(page)
    with out.open("wb") as stream:
        writer.write(stream)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--pdf-dir", type=Path, default=DEFAULT_PDF_DIR)
    args = parser.parse_args()
    sources = sorted(args.pdf_dir.glob("*.pdf"))
    if not sources:
        print(f"no PDFs in {args.pdf_dir}", file=sys.stderr)
        return 1
    long_pdf(sources, args.pages, args.out)
    print(f"{args.out}: {len(PdfReader(args.out).pages)} pages, {args.out.stat().st_size / 2**20:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
