"""The unit cache (generator/publish/unit_cache.py): a bureau's pages, its documents' pages and
their files made from a catalog of that bureau alone are the very bytes the whole catalog makes;
a warm build takes every unit from the cache and gives the same pages and files; a changed
document (or package folder, or code) makes its bureau's unit again and only that one.

The corpus: documents/ (five text disclosures) and, when ../shared/real-pdfs is there, four of
its PDFs: 普陀司法局's 部门 and 单位 budgets (one bureau, two documents whose figures link to the
viewer's pages of their PDFs) and 北京医保局's budget printed as two PDFs (tables and narrative)."""
from __future__ import annotations

import csv
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from generator.publish import site, unit_cache
from generator.publish.catalog import load_catalog
from generator.publish.charts.drilldown import drilldown_files
from generator.publish.charts.render import bureau_charts
from generator.publish.pages.bureau import bureau_page
from generator.publish.pages.document import document_page
from generator.publish.pages.links import CHARTS_DIR
from generator.publish.pages.sources import table_files
from generator.publish.pages.viewer import _pages as viewer_pages
from generator.publish.settings import SiteSettings
from tests.conftest import DOCUMENTS, REAL_PDFS, run_build

PDFS = ("shanghai-putuo-sfj-2026-bumen-yusuan.pdf", "shanghai-putuo-sfj-2026-danwei-yusuan.pdf",
        "beijing-ybj-2026-bumen-yusuan-baobiao.pdf", "beijing-ybj-2026-bumen-yusuan-shuoming.pdf")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """(the documents folder, its package tree) built through the real command line."""
    out = tmp_path_factory.mktemp("unit-cache")
    docs = out / "documents"
    docs.mkdir()
    for path in sorted(DOCUMENTS.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            (docs / path.name).symlink_to(path)
    if REAL_PDFS.is_dir():
        for name in PDFS:
            (docs / name).symlink_to(REAL_PDFS / name)
    result = run_build(docs, out / "datapackages", "--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    return docs, out / "datapackages"


def settings_of(corpus, caches: Path, tree: Path | None = None) -> SiteSettings:
    docs, packages = corpus
    return SiteSettings(datapackages=tree or packages, documents=docs, build_status=caches / "status.json",
                        downloads_cache=caches / "downloads", chart_cache=caches / "charts",
                        page_cache=caches / "pages")


def generate(settings: SiteSettings):
    """(catalog, pages, generated files) as the hook makes them (without the downloads)."""
    cat = site.load_site(settings)
    pages = site.pages(cat)
    return cat, pages, site.generated_files(cat)


@pytest.fixture(scope="module")
def caches(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("caches")


def test_a_unit_is_what_the_whole_catalog_makes(corpus, tmp_path):
    """Every bureau's unit, made from a catalog of that bureau alone, equals the bureau page,
    document pages, charts, drill-downs, table CSVs and viewer links of the whole catalog."""
    settings = settings_of(corpus, tmp_path)  # empty caches: every unit is made
    cat = site.load_site(settings)
    units = unit_cache.bureau_units(cat)
    assert units.hits == 0 and units.made == sorted(cat.bureaus)
    whole = site.load_site(settings)
    unit_cache.annotated_downloads(whole)
    for bid in sorted(whole.bureaus):
        whole.charts[bid] = bureau_charts(whole, bid)
    drilldowns, tables = drilldown_files(whole), table_files(whole)
    for bid, unit in units.units.items():
        docs = [d["document_id"] for d in whole.documents if d["bureau_id"] == bid]
        assert unit.pages[f"bureaus/{bid}.md"] == bureau_page(whole, bid)
        for did in docs:
            assert unit.pages[f"documents/{did}.md"] == document_page(whole, did)
        assert len(unit.pages) == 1 + len(docs)
        charts = {}
        for c in whole.charts[bid]:
            charts.update(c.files(f"{CHARTS_DIR}/{bid}"))
        assert unit.charts == charts
        assert unit.drilldowns == {k: v for k, v in drilldowns.items() if k.startswith(f"{CHARTS_DIR}/{bid}/")}
        assert unit.tables == {k: v for k, v in tables.items() if k.split("/")[1] in docs}
    # the source pages the figures link to: the same set, whichever catalog made the pages
    assert set(viewer_pages(cat)) == set(viewer_pages(whole))
    if REAL_PDFS.is_dir():
        # one unit, three pages: 普陀司法局 and its 部门 and 单位 budgets
        assert set(units.units["shanghai-putuo-sifaju"].pages) == {
            "bureaus/shanghai-putuo-sifaju.md", "documents/shanghai-putuo-sifaju-2026-budget.md",
            "documents/shanghai-putuo-sifaju-2026-budget-unit.md"}
        # their figures link to the viewer's pages of their PDFs, registered by the unit
        linked = {did for did, _, _ in viewer_pages(cat)}
        assert {"shanghai-putuo-sifaju-2026-budget", "shanghai-putuo-sifaju-2026-budget-unit",
                "beijing-ybj-2026-budget"} <= linked


def test_warm_build_takes_every_unit_from_the_cache(corpus, caches):
    settings = settings_of(corpus, caches)
    cold_cat, cold_pages, cold_files = generate(settings)
    warm_cat, warm_pages, warm_files = generate(settings)
    units = unit_cache.bureau_units(warm_cat)
    assert units.hits == len(warm_cat.bureaus) and units.made == []
    assert list(warm_pages) == list(cold_pages) and warm_pages == cold_pages
    assert list(warm_files) == list(cold_files) and warm_files == cold_files
    assert set(viewer_pages(warm_cat)) == set(viewer_pages(cold_cat))
    # and without any cache (every unit made, nothing stored): the same pages and files
    bare_cat, bare_pages, bare_files = generate(replace(settings, chart_cache=None))
    assert bare_pages == cold_pages and bare_files == cold_files
    assert unit_cache.bureau_units(bare_cat).hits == 0


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_a_changed_document_makes_its_bureau_again_and_only_it(corpus, caches, tmp_path):
    tree = tmp_path / "datapackages"
    shutil.copytree(corpus[1], tree)
    settings = settings_of(corpus, caches, tree)
    generate(settings)  # every unit in the cache
    cat = load_catalog(tree)
    doc = cat.documents[0]
    did, bid = doc["document_id"], doc["bureau_id"]

    def reword(rows):
        header = rows[0]
        i, m = header.index("document_id"), header.index("message")
        row = next(r for r in rows[1:] if r[i] == did and r[header.index("status")] == "pass")
        row[m] = "改写后的说明（单元缓存测试）"
        row[header.index("status")] = "fail"
        return rows

    _rewrite(tree / "all" / "checks.csv", reword)  # the site reads all/, not the package folder
    cat, pages, _ = generate(settings)
    units = unit_cache.bureau_units(cat)
    assert units.made == [bid] and units.hits == len(cat.bureaus) - 1
    assert "改写后的说明（单元缓存测试）" in pages[f"documents/{did}.md"]

    # a package folder that changed alone (its version, as the citation shows it)
    other = next(d for d in cat.documents if d["bureau_id"] != bid)
    descriptor = tree / other["document_id"] / "datapackage.json"
    descriptor.write_text(descriptor.read_text(encoding="utf-8").replace('"version": "', '"version": "9', 1),
                          encoding="utf-8")
    cat, pages, _ = generate(settings)
    units = unit_cache.bureau_units(cat)
    assert units.made == [other["bureau_id"]]
    assert "（数据版本 9" in pages[f"documents/{other['document_id']}.md"]


def test_changed_code_makes_every_unit_again(corpus, caches, monkeypatch):
    settings = settings_of(corpus, caches)
    generate(settings)
    monkeypatch.setattr(unit_cache, "code_fingerprint", lambda: "other code")
    cat = site.load_site(settings)
    units = unit_cache.bureau_units(cat)
    assert units.hits == 0 and units.made == sorted(cat.bureaus)


def test_code_fingerprint_covers_the_generator(tmp_path, monkeypatch):
    before = unit_cache.code_fingerprint()
    fake = tmp_path / "generator"
    shutil.copytree(unit_cache.GENERATOR, fake, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(unit_cache, "GENERATOR", fake)
    assert unit_cache.code_fingerprint() == before
    page = fake / "publish" / "pages" / "document.py"
    page.write_text(page.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert unit_cache.code_fingerprint() != before
