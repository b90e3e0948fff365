"""Command line: ``python -m generator build [--documents DIR] [--datapackages DIR] [--site DIR]
[--no-site] [--strict] [--jobs N]``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__


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
    b.add_argument("--jobs", type=int, default=None,
                   help="parallel worker processes (default: all cores)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if args.command == "build":
        return run_build(args)
    return 2  # pragma: no cover - argparse enforces the subcommand


def run_build(args: argparse.Namespace) -> int:
    from .pipeline import build

    if not args.documents.is_dir():
        print(f"error: documents directory not found: {args.documents}", file=sys.stderr)
        return 2
    report = build(args.documents, args.datapackages, None if args.no_site else args.site,
                   jobs=args.jobs)
    for failure in report.failed:
        print(f"error: {failure.error}", file=sys.stderr)
    print(report.summary())
    return 1 if args.strict and report.failed else 0
