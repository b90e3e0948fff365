"""Site build benchmark: page generation against the MkDocs build itself, and page weight.

    python bench/bench_site.py [--synthetic 500] [--runs 3]

For the sample corpus (``documents/``) and a synthetic corpus of N documents made by
``bench/synthetic.py`` (the samples perturbed), it measures, median of ``--runs``:

* ``generate``: our part, every page's Markdown, the charts (Altair → SVG with vl-convert),
  per-table CSVs, Excel workbooks and zips (``site.pages`` + ``site.generated_files``);
* ``mkdocs``: the whole ``mkdocs build --strict`` (which runs our hook, so it includes
  ``generate``); ``mkdocs - generate`` is MkDocs and Material themselves;

and the page weight of a bureau page: its HTML plus every image, script and stylesheet it
loads (the charts' SVGs included), as a browser fetches it on a first visit.

Target (issue 6): generating the pages costs less than the MkDocs build itself, and a bureau
page with its charts stays under 400 KB.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dataclasses import replace  # noqa: E402

from generator.publish import build, catalog, site as publish  # noqa: E402
from generator.publish.settings import SiteSettings  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import synthetic  # noqa: E402


def build_packages(documents: Path, out: Path) -> None:
    subprocess.run([sys.executable, "-m", "generator", "build", "--documents", str(documents),
                    "--datapackages", str(out), "--no-site", "--no-cache"],
                   cwd=ROOT, check=True, capture_output=True)


def time_generate(packages: Path, documents: Path, settings: SiteSettings) -> float:
    started = time.perf_counter()
    cat = catalog.load_catalog(packages, settings)
    cat.documents_dir = documents
    publish.data_files(cat)  # in the hook's order: the downloads are made meanwhile
    publish.pages(cat)
    publish.generated_files(cat)
    publish.wait_for_downloads(cat)
    return time.perf_counter() - started


def time_mkdocs(packages: Path, documents: Path, site: Path, settings: SiteSettings) -> float:
    started = time.perf_counter()
    build.build_site(packages, site, strict=True, documents=documents, settings=settings)
    return time.perf_counter() - started


def page_weight(site: Path, url: str) -> tuple[int, int]:
    """(bytes, number of files) of a page and everything it loads from the site."""
    html_path = site / url / "index.html"
    html = html_path.read_text(encoding="utf-8")
    refs = set(re.findall(r'<(?:img|script|link)[^>]+(?:src|href)="([^"#?]+)', html))
    total, files = len(html.encode("utf-8")), 1
    for ref in sorted(refs):
        if ref.startswith(("http:", "https:", "//", "data:")):
            continue
        path = site / urljoin(f"/{url}", ref).lstrip("/")
        if path.is_file() and path.suffix in (".svg", ".js", ".css", ".png", ".woff2"):
            total += path.stat().st_size
            files += 1
    return total, files


def bench(name: str, documents: Path, runs: int, work: Path) -> None:
    packages = work / f"{name}-packages"
    started = time.perf_counter()
    build_packages(documents, packages)
    parse = time.perf_counter() - started
    cat = catalog.load_catalog(packages)
    # cold: a new chart cache and download cache; warm: rebuilt with both filled (MkDocs'
    # process gets the same settings from build_site)
    settings = replace(SiteSettings.from_environ(), datapackages=packages, documents=documents,
                       chart_cache=work / f"{name}-chart-cache",
                       downloads_cache=work / f"{name}-download-cache")
    cold = time_generate(packages, documents, settings)
    generate = statistics.median(time_generate(packages, documents, settings) for _ in range(runs))
    sites = [work / f"{name}-site-{i}" for i in range(runs)]
    mkdocs = statistics.median(time_mkdocs(packages, documents, s, settings) for s in sites)
    weights = sorted(page_weight(sites[0], f"bureaus/{b}/") for b in cat.bureaus)
    heaviest = weights[-1]
    print(f"{name}: {len(cat.documents)} documents, {len(cat.bureaus)} bureaus "
          f"(parse+package {parse:.1f} s, once)")
    print(f"  generate pages: cold {cold:.2f} s (charts drawn), warm {generate:.2f} s | mkdocs build (warm) {mkdocs:.2f} s "
          f"| ratio generate/mkdocs {generate / mkdocs:.2f} | MkDocs itself {mkdocs - generate:.2f} s")
    print(f"  bureau page weight: median {weights[len(weights) // 2][0] / 1024:.0f} KB, "
          f"heaviest {heaviest[0] / 1024:.0f} KB ({heaviest[1]} files); target < 400 KB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=500, help="documents in the synthetic corpus (0: skip)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bench("samples", ROOT / "documents", args.runs, work)
        if args.synthetic:
            corpus = work / "synthetic-documents"
            synthetic.make_corpus(corpus, args.synthetic)
            bench(f"synthetic-{args.synthetic}", corpus, args.runs, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
