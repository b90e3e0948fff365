"""Search benchmark: the bytes a visitor downloads for one search, as the corpus grows.

    python bench/bench_search.py [--synthetic 500] [--work DIR] [--cache DIR]
                                 [--site NAME=SITE_DIR ...] [--query Q ...]

For the corpus of documents/ plus ../shared/real-pdfs (14 documents; documents/ alone when the
real PDFs are absent) and a synthetic corpus of N documents (bench/synthetic.py), it builds the
site with the real command line (``python -m generator build``; MkDocs, then Pagefind), serves
it over HTTP, types each query into the search box of the home page in Chromium (the browser
tests' Playwright set-up, tests/browser_support.py) and counts the bytes of every response under
``pagefind/`` once the first page of results (10) is shown: Pagefind's script and wasm, its entry
and metadata, the index chunks of the words typed, the filter chunks, the fragments (page data)
of the results shown. Bytes are the bodies as served by ``http.server`` (no compression: a
server that gzips the JavaScript sends less). Also: the index on disk (files, bytes).

Target (issue 16): under 300 KB for one search on 500 documents.
``--site NAME=DIR`` measures an already built site instead of building one.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES = ("行政运行", "医保", "2101501", "三公经费")
REAL_PDFS = ROOT.parent / "shared" / "real-pdfs"


def corpus_documents(work: Path) -> Path:
    """documents/ plus the real PDFs, as symlinks in one folder (conftest's ``corpus_site``)."""
    out = work / "corpus-documents"
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted((ROOT / "documents").iterdir())
    if REAL_PDFS.is_dir():
        sources += sorted(REAL_PDFS.glob("*.pdf"))
    for path in sources:
        if path.is_file() and not path.name.startswith(".") and not (out / path.name).exists():
            (out / path.name).symlink_to(path)
    return out


def build(documents: Path, out: Path, cache: Path | None) -> Path:
    site = out / "site"
    cmd = [sys.executable, "-m", "generator", "build", "--documents", str(documents),
           "--datapackages", str(out / "datapackages"), "--site", str(site), "--jobs", "1"]
    cmd += ["--cache", str(cache)] if cache else ["--no-cache"]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return site


def kind(url: str) -> str:
    name = url.split("/pagefind/", 1)[1]
    if name.startswith("fragment/"):
        return "fragments"
    if name.startswith("index/"):
        return "index chunks"
    if name.startswith("filter/"):
        return "filter chunks"
    if name.startswith("wasm."):
        return "wasm"
    if name.endswith(".js"):
        return "js"
    return "entry+meta"


def measure(site: Path, queries: list[str]) -> list[tuple[str, int, dict[str, int], int]]:
    """Per query: (query, results, bytes per kind, files) of one search on a fresh page."""
    from browser_support import chromium, search, serve

    rows = []
    with serve(site) as url, chromium() as browser:
        for query in queries:
            context = browser.new_context()  # empty cache: a first-time visitor
            page = context.new_page()
            sizes: dict[str, int] = {}
            page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body()))
                    if "/pagefind/" in r.url and r.ok else None)
            page.goto(url)
            page.wait_for_load_state("networkidle")
            before = dict(sizes)
            items = search(page, url, query)
            page.wait_for_load_state("networkidle")
            by_kind: dict[str, int] = defaultdict(int)
            for u, n in sizes.items():
                by_kind[kind(u)] += n
            assert not before, f"fetched before the search: {before}"
            rows.append((query, items.count(), dict(by_kind), len(sizes)))
            context.close()
    return rows


def on_disk(site: Path) -> tuple[int, int]:
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def report(name: str, site: Path, queries: list[str]) -> None:
    pages = sum(1 for p in site.rglob("index.html") if "pagefind" not in p.parts)
    files, size = on_disk(site)
    print(f"{name}: {pages} pages; pagefind/ on disk {files} files, {size / 1024:.0f} KB")
    kinds = ("js", "wasm", "entry+meta", "index chunks", "filter chunks", "fragments")
    print("  query | results shown | " + " | ".join(kinds) + " | total KB | files")
    for query, shown, by_kind, n in measure(site, queries):
        total = sum(by_kind.values())
        print(f"  {query} | {shown} | " + " | ".join(f"{by_kind.get(k, 0) / 1024:.1f}" for k in kinds)
              + f" | **{total / 1024:.0f}** | {n}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=500, help="documents in the synthetic corpus (0: skip)")
    parser.add_argument("--work", type=Path, help="build here (default: a temporary folder)")
    parser.add_argument("--cache", type=Path, help="the build's cache (default: none, --no-cache)")
    parser.add_argument("--site", action="append", default=[], metavar="NAME=DIR",
                        help="measure this built site instead of building (repeatable)")
    parser.add_argument("--query", action="append", help=f"queries (default: {' '.join(QUERIES)})")
    args = parser.parse_args(argv)
    queries = args.query or list(QUERIES)
    if args.site:
        for spec in args.site:
            name, _, path = spec.partition("=")
            report(name, Path(path), queries)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        docs = corpus_documents(work)
        report(f"corpus ({sum(1 for _ in docs.iterdir())} files)", build(docs, work / "corpus", args.cache), queries)
        if args.synthetic:
            import synthetic

            corpus = work / "synthetic-documents"
            if not corpus.is_dir():
                synthetic.make_corpus(corpus, args.synthetic)
            report(f"synthetic-{args.synthetic}", build(corpus, work / f"synthetic-{args.synthetic}", args.cache),
                   queries)
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.exit(main())
