"""Command line: ``python -m generator build [--documents DIR] [--datapackages DIR] [--site DIR]
[--no-site] [--strict] [--jobs N | --dask ADDRESS] [--cache DIR | --no-cache] [--allow-removal]
[--report DIR]``, and ``python -m generator review FILE [FILE2] --out DIR``: the reviewer's report
(检查表 workbook) of one disclosure, made by the same build into a temporary folder (exit 0
written, 2 a file refused or not found).

Exit status: 0 built; 1 ``--strict`` and a document failed, the site build failed, or writing an
output failed (a full disk: the previous outputs stay); 2 bad arguments (among them an output
folder that is, contains or is inside the documents or another output folder, or cannot be
written: nothing written); 3 refused: the build would break published URLs (nothing written)."""
from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import __version__
from .distributed import ClusterMismatch
from .guard import RemovalRefused
from .paths import OutputError, PathConflict
from .pipeline import build, default_cache_dir, default_report_dir
from .workers import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Turn budget disclosures (PDF or text) into open data packages and a website.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="parse documents, write data packages, build the site",
                       description="Parse every document in --documents, write one package per "
                       "document and the combined package all/ under --datapackages, then build "
                       "the MkDocs site into --site (unless --no-site).")
    b.add_argument("--documents", type=Path, default=Path("documents"),
                   help="directory of disclosures (.pdf, .txt, .md); default: documents/")
    b.add_argument("--datapackages", type=Path, default=Path("datapackages"),
                   help="output directory of the data packages; default: datapackages/")
    b.add_argument("--site", type=Path, default=Path("site"),
                   help="output directory of the website; default: site/")
    b.add_argument("--no-site", action="store_true", help="write the packages only")
    b.add_argument("--strict", action="store_true",
                   help="exit with status 1 if any document fails to parse")
    where = b.add_mutually_exclusive_group()
    where.add_argument("--jobs", type=int, default=None,
                       help="parallel worker processes (default: all cores)")
    where.add_argument("--dask", metavar="ADDRESS", default=None,
                       help="parse on the Dask cluster with this scheduler address "
                       "(tcp://host:port) instead of local processes")
    b.add_argument("--doc-memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
                   help="memory (address space) one document may take while it parses; over it "
                   f"the document fails alone (0: no limit); default: {DEFAULT_MEMORY_MB}")
    b.add_argument("--doc-timeout", type=float, default=DEFAULT_TIMEOUT_S, metavar="S",
                   help="seconds one document may take to parse; over it the document fails "
                   f"alone (0: no limit); default: {DEFAULT_TIMEOUT_S:g}")
    cache = b.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, default=None, metavar="DIR",
                       help="cache of parsed documents, keyed by file content and generator code; "
                       "default: .cache/parsed/ beside the documents directory")
    cache.add_argument("--no-cache", action="store_true",
                       help="parse every document, neither reading nor writing the cache")
    b.add_argument("--allow-removal", action="store_true",
                   help="let the build drop documents, bureaus or tables that the previous build "
                   "published (otherwise it stops and lists the URLs it would break)")
    b.add_argument("--no-ocr", action="store_true",
                   help="do not read PDF pages without a text layer (scans) by OCR: a scanned "
                   "file is refused as 'scanned PDF, needs OCR'")
    b.add_argument("--report", type=Path, default=None, metavar="DIR",
                   help="where to write report.json and status.json; "
                   "default: build/ beside the datapackages directory")
    r = sub.add_parser("review", help="write the reviewer's report (检查表 .xlsx) of one disclosure",
                       description="Parse one disclosure (one file, or its tables and narrative "
                       "files) as the build does and write DIR/<document_id>-检查表.xlsx, and the "
                       "source PDF with every problem marked where that is available.")
    r.add_argument("files", type=Path, nargs="+", metavar="FILE",
                   help="the disclosure (.pdf, .txt, .md); two files for tables + narrative")
    r.add_argument("--out", type=Path, required=True, metavar="DIR", help="where to write the report")
    r.add_argument("--no-ocr", action="store_true",
                   help="do not read PDF pages without a text layer (scans) by OCR")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    if args.command == "review":
        return run_review(args)
    return 2  # pragma: no cover - argparse enforces the subcommand


def run_build(args: argparse.Namespace) -> int:
    if not args.documents.is_dir():
        print(f"error: documents directory not found: {args.documents}", file=sys.stderr)
        return 2
    if args.jobs is not None and args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.doc_memory < 0 or args.doc_timeout < 0:
        print("error: --doc-memory and --doc-timeout must be 0 (no limit) or more", file=sys.stderr)
        return 2
    limits = Limits(args.doc_memory or None, args.doc_timeout or None, ocr=not args.no_ocr)
    cache_dir = None if args.no_cache else (args.cache or default_cache_dir(args.documents))
    try:
        report = build(args.documents, args.datapackages, None if args.no_site else args.site,
                       jobs=args.jobs, dask=args.dask, cache_dir=cache_dir,
                       allow_removal=args.allow_removal, limits=limits,
                       report_dir=args.report or default_report_dir(args.datapackages))
    except RemovalRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("nothing was written; the previous packages and site are unchanged", file=sys.stderr)
        return 3
    except subprocess.CalledProcessError as exc:
        print(f"error: site build failed; nothing was published\n{exc.stderr or ''}", file=sys.stderr)
        return 1
    except (ClusterMismatch, PathConflict) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"error: {exc}; nothing was published, the previous packages and site are unchanged",
              file=sys.stderr)
        return exc.status
    except OSError as exc:  # not writing an output (those are OutputError): reading, say
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for failure in report.failed:
        print(f"error: {failure.error}", file=sys.stderr)
    print(report.summary())
    return 1 if args.strict and report.failed else 0


def _stage_files(files: list[Path], folder: Path) -> None:
    """Copy each disclosure file, and its maintainer's sidecars (``<name>.*.yml``: source,
    waivers), into ``folder``."""
    folder.mkdir()
    for path in files:
        for item in [path, *sorted(path.parent.glob(f"{path.name}.*.yml"))]:
            shutil.copyfile(item, folder / item.name)


def _annotate():
    """The annotated-PDF maker (``annotated_pdfs``: the files of one document, with its
    findings), or None where it is not installed."""
    try:
        from .publish.review.annotate import annotated_pdfs
    except ImportError:  # pragma: no cover - part of the generator; kept optional for the CLI
        return None
    return annotated_pdfs


def run_review(args: argparse.Namespace) -> int:
    """``review``: the build of the files into a temporary folder (no site, no cache), then the
    report of each document it made (:mod:`generator.publish.review`)."""
    from .publish.review.workbook import load, review_workbook
    from .publish.review.checklist import SEVERITY_NAMES

    files = [Path(f) for f in args.files]
    for path in files:
        if not path.is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return 2
    if len({p.name for p in files}) != len(files):
        print("error: two files of the same name: " + ", ".join(map(str, files)), file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="review-") as tmp:
        docs, packages = Path(tmp) / "documents", Path(tmp) / "datapackages"
        _stage_files(files, docs)
        try:  # the build's log names the temporary folders: not for the reviewer
            with contextlib.redirect_stderr(io.StringIO()):
                report = build(docs, packages, None, jobs=1, progress=False, cache_dir=None,
                               limits=Limits(ocr=not args.no_ocr))
        except (OSError, ValueError, RuntimeError) as exc:
            print(f"error: {', '.join(map(str, files))}: {exc}", file=sys.stderr)
            return 2
        if report.failed or not report.documents:
            for failure in report.failed:
                print(f"error: {failure.error}", file=sys.stderr)
            if not report.failed:
                print(f"error: {', '.join(map(str, files))}: not read as a budget disclosure "
                      "(.pdf, .txt or .md)", file=sys.stderr)
            return 2
        args.out.mkdir(parents=True, exist_ok=True)
        annotate = _annotate()
        for summary in report.documents:
            document_id = summary.meta.document_id
            folder = packages / document_id
            review = load(folder)
            target = args.out / f"{document_id}-检查表.xlsx"
            target.write_bytes(review_workbook(folder))
            written = [target]
            by_name = {p.name: p for p in files}
            sources = [by_name.get(n) for n in (review.document.get("source_files") or "").split(";")]
            pdfs = [p for p in sources if p is not None and p.suffix.lower() == ".pdf"]
            if annotate is not None and pdfs and len(pdfs) == len(sources):  # pages count per file
                marked = annotate(pdfs, review.problems, source_unit=review.document.get("source_unit") or "万元",
                                  table_pages=review.table_pages)
                for pdf, data in zip(pdfs, marked):
                    if data:
                        name = "标注原文" if len(pdfs) == 1 else f"标注原文-{pdf.stem}"
                        written.append(args.out / f"{document_id}-{name}.pdf")
                        written[-1].write_bytes(data)
            counts = review.counts()
            found = "，".join(f"{name} {counts[s]}" for s, name in SEVERITY_NAMES.items())
            print(f"{document_id}: {found}，已豁免 {counts['waived']} → "
                  + "、".join(map(str, written)))
    return 0
