"""Search: the built index (site/search/search_index.json) and real queries in the browser.

Material for MkDocs segments Chinese text with jieba at build time (``lang: zh``) and joins the
words with U+200B, which the configured separator splits on. In the browser a Chinese query is
cut greedily into words of the index (``segment`` below) and searched word by word. Material
9.8.2 drops the last word of the query and ORs the rest, so site_src/hooks/search_zh.py patches
its worker: whole last word, all words required, Chinese punctuation ignored. The tests pin the
page a reader gets first for 行政运行, 医疗救助, 望都县, 三公经费 (also as printed, “三公”经费),
and the abbreviation 医保 (bureau pages carry their 简称, e.g. 望都县医保局).
"""
from __future__ import annotations

import csv
import html
import importlib.util
import json
import re

import pytest
from browser_support import (
    REPO,
    first_result_page,
    result_pages,
    search,
)

WANGDU_BUREAU = "bureaus/baoding-wangdu-ybj/"
WANGDU_DOCUMENT = "documents/baoding-wangdu-ybj-2024-budget/"


@pytest.fixture(scope="module")
def site(sample_site):
    return sample_site


@pytest.fixture(scope="module")
def index(site) -> dict:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bureau_pages(site) -> set[str]:
    with open(site.parent / "datapackages" / "all" / "bureaus.csv", encoding="utf-8", newline="") as f:
        return {f"bureaus/{row['bureau_id']}/" for row in csv.DictReader(f)}


# ------------------------------------------------------------------------- the built index

def _words(doc: dict, separator: re.Pattern) -> set[str]:
    """Words of one index entry as Material's tokenizer cuts them: text between tags, split at
    the configured separator, lower-cased."""
    out: set[str] = set()
    for field in ("title", "text"):
        for block in re.split(r"<[^>]*>", doc.get(field, "")):
            out.update(t.lower() for t in separator.split(block) if t)
    return out


def tokens(index: dict) -> set[str]:
    """Every word of the index (the keys of Lunr's inverted index)."""
    separator = re.compile(index["config"]["separator"])
    return set().union(*(_words(doc, separator) for doc in index["docs"]))


def page_tokens(index: dict, page: str) -> set[str]:
    """Words of one page: its own entry and its sections (``page#anchor``)."""
    separator = re.compile(index["config"]["separator"])
    return set().union(*(_words(doc, separator) for doc in index["docs"]
                         if doc["location"].split("#")[0] == page))


def segment(query: str, words: set[str]) -> set[str]:
    """``segment(query, index)`` of Material's search worker, as patched by search_zh.py (cuts
    may end at the end of the query): greedy longest cuts of a run of Chinese characters into
    words of the index; the whole run when it has no word of the index at its start."""
    n = len(query)
    wordcuts = [0] * (n + 1)
    for i in range(n):
        for j in range(i + 1, n + 1):
            if query[i:j] in words:
                wordcuts[i] = j - i
    segments: list[str] = []
    stack = [0]
    while stack:
        p = stack.pop()
        for q in range(1, wordcuts[p]):
            if wordcuts[p + q] > wordcuts[p] - q:
                segments.append(query[p:p + q])
                stack.append(p + q)
        q = p + wordcuts[p]
        if wordcuts[q] and q < n - 1:
            stack.append(q)
        segments.append(query[p:q])
    if "" in segments:
        return {query}
    return set(segments)


def test_index_is_segmented_for_chinese(index):
    config = index["config"]
    assert config["lang"] == ["zh"]
    assert re.fullmatch(config["separator"], "\u200b"), "the separator must split at U+200B"
    bureau = next(d for d in index["docs"] if d["location"] == WANGDU_BUREAU)
    assert bureau["title"].split("\u200b") == ["望都县", "医疗", "保障局"]


def test_every_bureau_page_is_indexed_with_its_name_and_abbreviation(index, bureau_pages, site):
    with open(site.parent / "datapackages" / "all" / "bureaus.csv", encoding="utf-8", newline="") as f:
        names = {f"bureaus/{row['bureau_id']}/": row["name"] for row in csv.DictReader(f)}
    assert set(names) == bureau_pages and len(names) == 5
    for page, name in names.items():
        doc = next(d for d in index["docs"] if d["location"] == page)
        assert doc["title"].replace("\u200b", "") == name
        # 简称 …医保局: the abbreviation readers type is a word of the page
        assert "医保" in page_tokens(index, page), f"{page}: no 医保 in the index"
        text = html.unescape(doc["text"]).replace("\u200b", "")
        assert "简称：" + name.replace("医疗保障局", "医保局") in text


@pytest.mark.parametrize("query, cuts, page", [
    ("行政运行", {"行政", "运行"}, WANGDU_BUREAU),
    ("医疗救助", {"医疗", "救助"}, WANGDU_BUREAU),
    ("医疗救助", {"医疗", "救助"}, WANGDU_DOCUMENT),
    ("望都县", {"望都县"}, WANGDU_BUREAU),
    ("三公经费", {"三公", "经费"}, WANGDU_BUREAU),
    ("医保", {"医保"}, WANGDU_BUREAU),
    ("望都县医保局", {"望都县", "医保"}, WANGDU_BUREAU),
])
def test_every_word_of_the_query_is_on_the_page(index, query, cuts, page):
    """The query is cut into words of the index, and each, as a prefix, is a word of the page."""
    assert segment(query, tokens(index)) == cuts
    on_page = page_tokens(index, page)
    missing = [c for c in cuts if not any(w.startswith(c) for w in on_page)]
    assert missing == [], f"{query!r}: {missing} not on {page}"


def test_segment_reaches_the_end_of_the_query():
    words = {"三", "三公", "经", "经费", "望都县", "医", "医疗", "救助", "医保", "局"}
    assert segment("三公经费", words) == {"三公", "经费"}
    assert segment("医疗救助", words) == {"医疗", "救助"}  # Material 9.8.2 alone: {"医疗"}
    assert segment("医保", words) == {"医保"}  # Material 9.8.2 alone: {"医"}
    assert segment("望都县医保局", words) == {"望都县", "医保"}  # a last one-character word is left out
    assert segment("医保", set()) == {"医保"}


def _search_zh():
    spec = importlib.util.spec_from_file_location("search_zh", REPO / "site_src" / "hooks" / "search_zh.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_built_search_worker_is_patched(site):
    (worker,) = (site / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    js = worker.read_text(encoding="utf-8")
    for old, new in _search_zh().PATCHES:
        assert new in js and old not in js


def test_the_patch_fails_loudly_on_another_worker():
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="Material was upgraded"):
        _search_zh().patch_worker("search(e){return e}")


# ------------------------------------------------------------------------- in the browser

def pages_containing(site, phrase: str) -> set[str]:
    """Pages whose visible HTML has ``phrase`` (in text, not in attributes or scripts)."""
    out = set()
    for path in site.rglob("index.html"):
        raw = path.read_text(encoding="utf-8")
        body = re.sub(r"<script.*?</script>|<[^>]*>", " ", raw, flags=re.DOTALL)
        if phrase in html.unescape(body):
            rel = path.parent.relative_to(site).as_posix()
            out.add("" if rel == "." else rel + "/")
    return out


def test_xingzheng_yunxing_finds_a_function_table_row(page, base_url, index):
    items = search(page, base_url, "行政运行")
    ranked = result_pages(items, base_url)
    # every page listed has both words (行政, 运行): no page for one of them alone
    for listed in ranked:
        words = page_tokens(index, listed)
        assert all(any(w.startswith(c) for w in words) for c in ("行政", "运行")), listed
    first = ranked[0]
    assert first.startswith(("documents/", "bureaus/")), ranked
    # the first page lists 行政运行 as a row of a function table, after its 7-digit code
    page.goto(base_url + first)
    cell = page.locator("article td", has_text=re.compile(r"^\s*行政运行\s*$")).first
    cell.wait_for()
    code = cell.locator("xpath=preceding-sibling::td[1]").inner_text().strip()
    assert re.fullmatch(r"2\d{4}01", code), code


def test_yiliao_jiuzhu_finds_only_the_pages_that_have_it(page, base_url, site):
    holders = pages_containing(site, "医疗救助")
    assert holders == {WANGDU_BUREAU, WANGDU_DOCUMENT}  # only 望都县 budgets 医疗救助
    items = search(page, base_url, "医疗救助")
    ranked = result_pages(items, base_url)
    assert ranked[0] in holders
    assert set(ranked) == holders  # not every page whose title has 医疗 (…医疗保障局)


def test_wangdu_finds_the_bureau_page_first(page, base_url):
    items = search(page, base_url, "望都县")
    ranked = result_pages(items, base_url)
    assert ranked[:2] == [WANGDU_BUREAU, WANGDU_DOCUMENT], ranked


@pytest.mark.parametrize("query", ["三公经费", "“三公”经费"])
def test_sangong_jingfei_leads_to_a_three_public_section(page, base_url, query):
    items = search(page, base_url, query)
    first = items.first
    target = first_result_page(items, base_url)
    assert target.startswith("bureaus/"), target
    # the first section shown under the first page is its “三公”经费 table
    section = first.locator("a.md-search-result__link").nth(1)
    heading = section.locator("h2").inner_text().replace("\u200b", "")
    assert heading.startswith("“三公”经费"), heading
    href = section.get_attribute("href")
    assert "#" in href
    page.goto(href)
    anchor = href.split("#", 1)[1]
    assert page.locator(f"article [id='{anchor}']").inner_text().startswith("“三公”经费")
    assert page.locator(f"article [id='{anchor}'] ~ table, article [id='{anchor}'] ~ div table").count() >= 1


def test_abbreviation_yibao_reaches_every_bureau_page_first(page, base_url, bureau_pages):
    items = search(page, base_url, "医保")
    ranked = result_pages(items, base_url)
    assert set(ranked[:len(bureau_pages)]) == bureau_pages, ranked


def test_full_abbreviation_finds_its_bureau_only(page, base_url):
    items = search(page, base_url, "望都县医保局")
    assert result_pages(items, base_url) == [WANGDU_BUREAU]
