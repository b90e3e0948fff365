"""Search: the Pagefind index of the built site (documents/ + ../shared/real-pdfs, the
``corpus_site``) and the twelve queries of issue 16, typed into the search box in Chromium.

The index is built by generator/publish/build.py after MkDocs (``pagefind`` of the
pagefind-bin-extended wheel, which segments Chinese); site_src/hooks/pagefind_attrs.py marks
what it indexes (bureau names and key figures as metadata, code pages' <h1> weighted by how many
documents have the code, repeated document tables ignored); site_src/assets/js/search.js runs the
search in Material's search dialog and orders the results.

What the right first page is, per query (the figures are the facts of the corpus, each read off
its document: 深圳市医疗保障局 2026年部门预算, 收支总表 p. 17 本年支出合计 15,480.26, “三公”经费
p. 32 66.04, 一般公共预算支出表（功能分类）p. 27 2101501 行政运行 7,517.14; 望都县医疗保障局
2024年部门预算 (documents/004_…txt) 支出合计 3,654.18, 21013 医疗救助 350.00):

* a bureau's name, full or short, or its place (深圳, 深圳医保局, 深圳市医疗保障局, 北京市医疗保障局,
  望都): that bureau's page, showing its key figures;
* 医保: the bureau pages of every 医疗保障局, before any other page;
* 深圳 行政运行: 深圳市医疗保障局's page showing its 行政运行 figure 7,517.14 (or the 2101501 code
  page, which shows it too);
* 行政运行 and 2101501: the code page of 2101501 (7 documents have it; 2040601, 2014001 … are
  行政运行 of other functions, in fewer documents);
* 医疗救助: the code page of 21013 医疗救助 (望都 350.00), not 2101301 城乡医疗救助;
* 三公经费 (also as printed, “三公”经费): a bureau page showing its “三公”经费合计;
* 机关运行经费: a document page that prints it (no bureau page shows it: it is no fact), before the
  bureau pages that have 机关, 运行 and 经费 apart.
"""
from __future__ import annotations

import csv
import re
from decimal import Decimal
import sys
from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    REPO,
    TIMEOUT_MS,
    first_result_page,
    open_search,
    result_pages,
    search,
)

SHENZHEN = "bureaus/shenzhen-ybj/"
BEIJING = "bureaus/beijing-ybj/"
WANGDU = "bureaus/baoding-wangdu-ybj/"
CODE_2101501 = "codes/function/2101501/"
CODE_21013 = "codes/function/21013/"

sys.path.insert(0, str(REPO / "site_src" / "hooks"))
import pagefind_attrs  # noqa: E402


@pytest.fixture(scope="module")
def site(corpus_site):
    return corpus_site


@pytest.fixture(scope="module")
def bureaus(site) -> dict[str, dict[str, str]]:
    with open(site.parent / "datapackages" / "all" / "bureaus.csv", encoding="utf-8", newline="") as f:
        return {f"bureaus/{row['bureau_id']}/": row for row in csv.DictReader(f)}


def html_of(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------- the built index

def test_the_site_has_a_pagefind_index_and_no_lunr_index(site):
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = (site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert '"zh' in entry  # one index, Chinese (segmented by the extended build)
    assert list((site / "pagefind" / "index").iterdir()), "no index chunks"
    assert not (site / "search" / "search_index.json").exists()  # Material's lunr index is gone
    home = html_of(site, ".")
    assert "search_index" not in home and "data-md-component=\"search\"" not in home


def test_every_page_marks_its_article_for_pagefind(site):
    pages = [p for p in site.rglob("index.html") if "pagefind" not in p.parts]
    assert len(pages) > 30
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        assert raw.count("data-pagefind-body") == 1, path
        assert re.search(r'<article class="md-content__inner md-typeset" data-pagefind-body', raw), path


def test_bureau_pages_carry_names_region_and_key_figures(site):
    raw = html_of(site, SHENZHEN)
    meta = dict(re.findall(r'data-pagefind-meta="(\w+)\[data-value\]" data-value="([^"]*)"', raw))
    assert meta["type"] == "部门"
    names = meta["aliases"]
    for name in ("深圳市医疗保障局", "深圳市医保局", "深圳医保局", "深圳 医保", "广东省 深圳市"):
        assert name in names, names
    assert meta["region"] == "广东省 深圳市"
    # 收支总表 p. 17 本年支出合计; “三公”经费 p. 32 (facts, generator/publish/figures.py)
    assert meta["figure"] == "2026年部门预算：支出合计 15,480.26 万元 · “三公”经费合计 66.04 万元"


def test_code_pages_weight_their_heading_by_documents(site):
    raw = html_of(site, CODE_2101501)
    h1 = re.search(r"<h1[^>]*>", raw).group(0)
    assert 'data-pagefind-weight="9.8"' in h1  # 7 documents have 2101501: 7 + log2(7)
    assert 'data-pagefind-weight="8.0"' in re.search(r"<h1[^>]*>", html_of(site, "codes/function/2040601/")).group(0)
    meta = dict(re.findall(r'data-pagefind-meta="(\w+)\[data-value\]" data-value="([^"]*)"', raw))
    assert meta["figure"].startswith("共 7 份文件：北京市医疗保障局 2026年部门预算 9,472.056108 · "
                                     "深圳市医疗保障局 2026年部门预算 7,517.14 · ")


def test_repeated_document_tables_are_not_indexed(site):
    raw = html_of(site, "documents/shenzhen-ybj-2026-budget/")
    excluded = re.findall(r"<h[1-6][^>]*data-search-exclude[^>]*>", raw)
    assert excluded, "the document page marks no section data-search-exclude"
    for heading in excluded:  # after an ignore wrapper's start, with no indexed heading between
        at = raw.index(heading)
        start = raw.rfind("<div data-pagefind-ignore>", 0, at)
        assert start >= 0 and not re.search(r"<h[1-6] id=", raw[start:at]), heading


def test_aliases_and_sections():
    assert pagefind_attrs.aliases({"name": "互助土族自治县医疗保障局", "province": "青海省",
                                   "prefecture": "海东市", "county": "互助土族自治县"}) == [
        "互助土族自治县医疗保障局", "互助土族自治县医保局", "互助医疗保障局", "互助医保局", "互助 医保",
        "医保", "青海省 海东市 互助土族自治县"]
    assert pagefind_attrs.aliases({"name": "国家信访局"}) == ["国家信访局"]
    body = ('<h2 id="a">A</h2><p>x</p><h3 data-search-exclude id="b">B</h3><table><tr><td>1</td></tr>'
            '</table><details><h4>in</h4></details><h3 id="c">C</h3><p>y</p>')
    assert pagefind_attrs.ignore_excluded_sections(body) == (
        '<h2 id="a">A</h2><p>x</p><div data-pagefind-ignore><h3 data-search-exclude id="b">B</h3>'
        '<table><tr><td>1</td></tr></table><details><h4>in</h4></details></div><h3 id="c">C</h3><p>y</p>')


# ------------------------------------------------------------------------- in the browser

def first_text(items) -> str:
    return items.first.inner_text()


@pytest.mark.parametrize("query, page_path, shown", [
    ("深圳", SHENZHEN, "2026年部门预算：支出合计 15,480.26 万元 · “三公”经费合计 66.04 万元"),
    ("深圳医保局", SHENZHEN, "支出合计 15,480.26 万元"),
    ("深圳市医疗保障局", SHENZHEN, "支出合计 15,480.26 万元"),
    ("北京市医疗保障局", BEIJING, "2026年部门预算：支出合计"),
    ("望都", WANGDU, "2024年部门预算：支出合计 3,654.18 万元"),
])
def test_a_bureau_name_finds_its_bureau_page_first(page, base_url, query, page_path, shown):
    items = search(page, base_url, query)
    ranked = result_pages(items, base_url)
    assert ranked[0] == page_path, ranked
    assert shown in first_text(items)


def test_yibao_finds_every_yibao_bureau_first(page, base_url, bureaus):
    yibao = {p for p, row in bureaus.items() if "医疗保障局" in row["name"]}
    assert len(yibao) == 7
    items = search(page, base_url, "医保")
    ranked = result_pages(items, base_url)
    assert set(ranked[:len(yibao)]) == yibao, ranked


def test_bureau_and_item_shows_the_bureaus_figure(page, base_url):
    items = search(page, base_url, "深圳 行政运行")
    assert first_result_page(items, base_url) in (SHENZHEN, CODE_2101501)
    assert "行政运行 7,517.14" in first_text(items)  # 一般公共预算支出表（功能分类）p. 27


@pytest.mark.parametrize("query", ["行政运行", "2101501"])
def test_an_item_finds_its_code_page(page, base_url, query):
    items = search(page, base_url, query)
    ranked = result_pages(items, base_url)
    assert ranked[0] == CODE_2101501, ranked
    text = first_text(items)
    assert "共 7 份文件" in text and "深圳市医疗保障局 2026年部门预算 7,517.14" in text, text
    if query == "2101501":  # the bureau pages that follow show the row, not a run of codes
        rows = [items.nth(i).inner_text() for i in range(1, items.count())]
        assert any("2101501 行政运行 345.47" in r for r in rows), rows  # 望都, documents/004 line of 2101501


def test_yiliao_jiuzhu_finds_the_kuan_page(page, base_url):
    items = search(page, base_url, "医疗救助")
    ranked = result_pages(items, base_url)
    assert ranked[0] == CODE_21013, ranked
    assert "望都县医疗保障局 2024年部门预算 350.00" in first_text(items)


@pytest.mark.parametrize("query", ["三公经费", "“三公”经费"])
def test_sangong_jingfei_shows_a_bureaus_three_public_total(page, base_url, site, bureaus, query):
    items = search(page, base_url, query)
    first = first_result_page(items, base_url)
    assert first in bureaus, first
    m = re.search(r"“三公”经费合计 ([\d,.]+) 万元", first_text(items))
    assert m, first_text(items)
    # the bureau's own “三公”经费合计, as its documents print it (all/facts.csv), not another's
    bureau_id = bureaus[first]["bureau_id"]
    with open(site.parent / "datapackages" / "all" / "facts.csv", encoding="utf-8", newline="") as f:
        printed = {Decimal(r["amount"]) for r in csv.DictReader(f)
                   if r["document_id"].startswith(bureau_id + "-") and r["dimension"] == "three_public"
                   and r["code"] == "total"}
    assert Decimal(m.group(1).replace(",", "")) in printed, (m.group(1), printed)


def test_jiguan_yunxing_jingfei_finds_a_page_that_has_it(page, base_url, site):
    """No bureau page shows 机关运行经费 (it is no fact); the pages that print it come before the
    bureau pages that have 机关, 运行 and 经费 apart."""
    items = search(page, base_url, "机关运行经费")
    first = first_result_page(items, base_url)
    assert first.startswith("documents/"), first
    assert "机关运行经费" in html_of(site, first)


# ------------------------------------------------------------------------- bytes, keys, phone, disk

def test_one_search_downloads_little(page, base_url):
    """Nothing before the search is opened; then Pagefind's script, wasm, the chunks of the
    words typed and the data of the 10 results shown, under 300 KB (bench/bench_search.py
    measures it on 500 documents)."""
    sizes: dict[str, int] = {}
    page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())) if "/pagefind/" in r.url else None)
    page.goto(base_url)
    page.wait_for_load_state("networkidle")
    assert sizes == {}, "the search index is fetched before the reader searches"
    items = search(page, base_url, "深圳 行政运行")
    page.wait_for_load_state("networkidle")
    fragments = [u for u in sizes if "/pagefind/fragment/" in u]
    assert len(fragments) == min(items.count(), 10)
    assert sum(sizes.values()) < 300_000, sizes


def test_the_search_works_from_the_keyboard(page, base_url):
    page.goto(base_url + "about/")
    page.locator("article").click()
    page.keyboard.press("/")
    box = page.locator("input.md-search__input")
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.type("望都")
    page.locator("[data-budget-search-state=done]").wait_for(state="attached")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.href")
    assert focused == base_url + WANGDU
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + WANGDU)
    page.keyboard.press("s")
    assert box.evaluate("el => el === document.activeElement")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()


@pytest.mark.parametrize("width", [1366, 390])
def test_search_on_a_phone_and_a_desktop(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 500 else 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        items = search(page, base_url, "深圳 行政运行")
        assert first_result_page(items, base_url) == SHENZHEN
        box = items.first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
        # the results do not scroll sideways (the page under the dialog is not this test's)
        output = page.locator(".md-search__scrollwrap")
        assert output.evaluate("e => e.scrollWidth <= e.clientWidth"), output.evaluate("e => [e.scrollWidth, e.clientWidth]")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"search-{width}.png"))
    finally:
        context.close()


def test_opened_from_disk_the_search_says_it_needs_a_web_server(page, site):
    page.goto((site / "index.html").as_uri())
    open_search(page)
    page.locator("input.md-search__input").fill("深圳")
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text="python -m http.server").wait_for()
    assert "需要网页服务器" in meta.inner_text()


def test_the_index_is_byte_identical_on_rebuild(site, tmp_path):
    """Pagefind writes filter values in hash-map order; build.py sorts them (_sort_filters)."""
    import shutil

    from generator.publish.build import index_site

    copy = tmp_path / "site"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"), symlinks=True)
    index_site(copy)

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    assert files(copy / "pagefind") == files(site / "pagefind")


def test_an_unchanged_site_gets_the_kept_index(site, tmp_path):
    """Pagefind cannot update an index (1.5): a site whose HTML did not change takes the index
    kept by content instead of Pagefind's whole run (issue 18); one changed page runs it again."""
    import shutil

    from generator.publish.build import index_site

    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    cache = tmp_path / "search-cache"
    copies = []
    for name in ("a", "b", "c"):
        copy = tmp_path / name
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"), symlinks=True)
        copies.append(copy)
    assert index_site(copies[0], cache) is False  # nothing kept yet: Pagefind ran
    assert index_site(copies[1], cache) is True  # same HTML: the kept index
    assert files(copies[1] / "pagefind") == files(site / "pagefind") == files(copies[0] / "pagefind")
    page = copies[2] / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>新增 段落</p></main>", 1),
                    encoding="utf-8")
    assert index_site(copies[2], cache) is False  # one page changed: a new index
