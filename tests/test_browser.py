"""The built site in a real browser (Playwright + Debian Chromium).

The sample documents are built through the command line into a temporary folder, served on
127.0.0.1 and opened in headless Chromium: pages load without errors and without any request
leaving the machine, figures show, search finds pages, CSV downloads carry the contract's
header, document pages link their source file, and text from a hostile disclosure stays text.
Screenshots of the main pages go to tests/_artifacts/screenshots/ (gitignored).
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from browser_support import (
    ARTIFACTS,
    DOCUMENTS,
    TIMEOUT_MS,
    PageLog,
    build_site,
    first_result_page,
    search,
    serve,
)

from generator.package import schemas

WANGDU = "baoding-wangdu-ybj"
WANGDU_DOC = "baoding-wangdu-ybj-2024-budget"
WANGDU_SOURCE = "004_1dc876329a8abae6.txt"

#: minimum fields of DATA-CONTRACT.md v1 (function_expenditure), in the contract's order
CONTRACT_FUNCTION_FIELDS = ["document_id", "table", "code", "name", "level", "total", "basic",
                            "project", "source_page"]

SCRIPT = "<script>window.__pwned=1</script>"
IMG = "<img/src=x/onerror=window.__pwned=2>"
JS_LINK = "[x](javascript:alert(1))"
JINJA = "{{ config }}"


@pytest.fixture(scope="module")
def site(sample_site):
    return sample_site


def article_text(page) -> str:
    return page.locator("article.md-content__inner").inner_text()


# ------------------------------------------------------------------------- home and pages

def test_home_page_loads_without_errors_and_no_request_leaves_localhost(page, base_url):
    log = PageLog(page)
    page.goto(base_url, wait_until="load")
    # the documents table: one row per sample document, linking its bureau page
    rows = page.locator("article table tr", has=page.locator(f'a[href="bureaus/{WANGDU}/"]'))
    rows.first.wait_for()
    row = rows.first.inner_text()
    assert "望都县医疗保障局" in row and "3,654.18" in row and "327/327 项检查通过" in row, row
    assert page.locator('article a[href^="bureaus/"]').count() == 5
    # the search index (Pagefind) is fetched only when the reader searches (tests/test_search.py)
    page.wait_for_load_state("networkidle")
    assert not any("/pagefind/" in u or "search_index" in u for u in log.requests), log.requests
    assert log.foreign_requests(base_url) == [], "requests leaving 127.0.0.1"
    assert log.page_errors == []
    assert log.console_errors == []


def open_all_details(page) -> None:
    """Expand every collapsed table (``<details>``) of the page, as a reader's click would."""
    page.evaluate("document.querySelectorAll('article details').forEach(d => { d.open = true; })")


def test_bureau_page_shows_its_figures(page, base_url):
    log = PageLog(page)
    page.goto(f"{base_url}bureaus/{WANGDU}/")
    assert page.locator("article h1").inner_text() == "望都县医疗保障局"
    text = article_text(page)
    assert "地区：河北省 保定市 望都县" in text
    assert "支出合计：3,654.18 万元" in text
    # 主要数字: 支出合计 3,654.18 in the row of the 2024 budget
    key = page.locator("article tr", has=page.locator("td", has_text="2024年部门预算")).first
    assert key.locator("td").nth(1).inner_text() == "3,654.18"
    # 主要支出项目: 2101202 财政对城乡居民基本医疗保险基金的补助 2,832.00, the largest item
    row = page.locator("article tr", has=page.locator("td", has_text="2101202")).first
    assert "2,832.00" in row.inner_text()
    # the 收支总表 is on the document page only (collapsed): 卫生健康支出 3,617.46 of 3,654.18
    assert "十、卫生健康支出" not in text
    page.goto(f"{base_url}documents/{WANGDU_DOC}/")
    open_all_details(page)
    health = page.locator("article tr", has=page.locator("td", has_text="十、卫生健康支出")).first
    assert health.locator("td").last.inner_text() == "3,617.46"
    total = page.locator("article tr", has=page.locator("td", has_text="本年支出合计")).first
    assert total.locator("td").last.inner_text() == "3,654.18"
    assert log.page_errors == [] and log.console_errors == []


def test_bureau_page_shows_its_charts(page, base_url):
    """The charts are SVG images drawn at build time: each loads (natural width > 0), has its
    text alternative with the figures, and links the CSV of exactly its data."""
    log = PageLog(page)
    page.goto(f"{base_url}bureaus/{WANGDU}/")
    figures = page.locator("article figure.budget-chart")
    assert figures.count() == 4
    chart = page.locator("figure#chart-2024-budget-function-classes")
    img = chart.locator("picture.budget-chart-light img")  # (the dark one is hidden)
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    assert "3617.46" in img.get_attribute("alt") and "卫生健康支出" in img.get_attribute("alt")
    csv_href = chart.locator("a", has_text="下载 CSV").get_attribute("href")
    response = page.request.get(base_url + f"bureaus/{WANGDU}/" + csv_href)
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert {r["code"]: r["amount"] for r in rows}["210"] == "3617.46"
    assert log.page_errors == [] and log.console_errors == []


def test_chart_png_download_is_the_svg_at_twice_its_size(page, base_url, site):
    """``下载 PNG`` (added by chart-png.js) saves the chart drawn from its SVG at 2×: a real PNG
    whose width and height are twice the SVG's, not blank."""
    import struct

    page.goto(f"{base_url}bureaus/{WANGDU}/")
    chart = page.locator("figure#chart-2024-budget-function-classes")
    link = chart.locator("a.budget-png", has_text="下载 PNG")
    link.wait_for()
    svg_href = chart.locator("a", has_text="下载 SVG").get_attribute("href")
    svg = (site / "bureaus" / WANGDU / svg_href).resolve().read_text(encoding="utf-8")
    width, height = (int(re.search(rf'{k}="(\d+)"', svg).group(1)) for k in ("width", "height"))
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "2024-budget-function-classes.png"
    png = Path(download.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (2 * width, 2 * height)
    assert len(png) > 5_000  # bars and Chinese labels, not an empty canvas


# ------------------------------------------------------------------------- search

def test_search_box_finds_a_page_with_the_words(page, base_url):
    items = search(page, base_url, "行政运行")
    assert items.count() >= 1
    target = first_result_page(items, base_url)
    page.goto(base_url + target)
    assert "行政运行" in article_text(page), target


# ------------------------------------------------------------------------- downloads

def test_csv_link_downloads_the_contract_header(page, base_url, site):
    page.goto(f"{base_url}documents/{WANGDU_DOC}/")
    link = page.locator('article a[href$="/function_expenditure.csv"]', has_text="function_expenditure.csv")
    assert link.count() == 1
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "function_expenditure.csv"
    data = Path(download.path()).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = data.decode("utf-8")
    assert "\r" not in text
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    assert header == list(schemas.FUNCTION_EXPENDITURE.field_names)
    assert header[:len(CONTRACT_FUNCTION_FIELDS)] == CONTRACT_FUNCTION_FIELDS
    records = [dict(zip(header, r)) for r in rows[1:]]
    assert {r["document_id"] for r in records} == {WANGDU_DOC}
    assert {(r["table"], r["code"], r["name"], r["total"], r["project"]) for r in records
            if r["code"] == "2101202"} >= {("general_public_function", "2101202",
                                            "财政对城乡居民基本医疗保险基金的补助", "2832.00", "2832.00")}


def test_document_page_links_its_source_file(page, base_url, site):
    page.goto(f"{base_url}documents/{WANGDU_DOC}/")
    link = page.locator("article a.source-link")
    link.first.wait_for()
    href = link.first.get_attribute("href")
    m = re.fullmatch(r"(?P<path>[^#?]+)(?:#page=(?P<page>[1-9][0-9]*))?", href)
    assert m, f"source link {href!r}: a file, optionally with #page=N"
    assert WANGDU_SOURCE in link.first.inner_text(), "the link names the source file"
    url = link.first.evaluate("a => a.href").split("#")[0]
    assert url.startswith(base_url)
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    body = response.body()
    with open(site.parent / "datapackages" / WANGDU_DOC / "documents.csv", encoding="utf-8", newline="") as f:
        (doc,) = list(csv.DictReader(f))
    assert doc["source_files"] == WANGDU_SOURCE
    assert hashlib.sha256(body).hexdigest() == doc["source_sha256"]
    assert body == (DOCUMENTS / WANGDU_SOURCE).read_bytes()


# ------------------------------------------------------------------------- hostile text

def _inject(text: str) -> str:
    """The Wangdu disclosure with markup in table cell names and in a narrative sentence."""
    lines = text.split("\n")
    done = 0
    for i, line in enumerate(lines):
        if re.match(r"\d+ 2101501 行政运行 ", line):  # function tables (three of them)
            lines[i] = line.replace("行政运行", "行政运行" + SCRIPT, 1)
            done += 1
        elif re.match(r"\d+ 30101 基本工资 ", line):  # economic table
            lines[i] = line.replace("基本工资", "基本工资" + JS_LINK, 1)
            done += 1
        elif re.match(r"\d+ 30102 津贴补贴 ", line):
            lines[i] = line.replace("津贴补贴", "津贴补贴" + IMG, 1)
            done += 1
        elif "项目名称 专项经费" in line:  # project name of a performance-target table
            lines[i] = line.replace("专项经费", "专项经费" + SCRIPT, 1)
            done += 1
        elif "主要为城乡居民基本医疗保险基金补助" in line:  # narrative
            lines[i] = line.replace("主要为", f"主要为{SCRIPT} {JS_LINK} {JINJA} ", 1)
            done += 1
    assert done == 7, done
    return "\n".join(lines)


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile")
    docs = out / "documents"
    docs.mkdir()
    source = (DOCUMENTS / WANGDU_SOURCE).read_text(encoding="utf-8")
    (docs / "004_hostile.txt").write_text(_inject(source), encoding="utf-8")
    site = build_site(docs, out)
    with serve(site) as url:
        yield url
    shutil.rmtree(out, ignore_errors=True)


def _assert_no_script_ran_and_no_js_links(page):
    assert page.evaluate("typeof window.__pwned") == "undefined"
    js_links = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .map(a => a.getAttribute('href')).filter(h => /^\\s*javascript:/i.test(h))""")
    assert js_links == []


@pytest.mark.parametrize("path", [f"documents/{WANGDU_DOC}/", f"bureaus/{WANGDU}/"])
def test_hostile_text_stays_text(page, hostile_url, path):
    log = PageLog(page)
    page.goto(hostile_url + path)
    page.locator("article h1").wait_for()
    assert page.locator("article h1").inner_text().startswith("望都县医疗保障局")  # still a disclosure
    _assert_no_script_ran_and_no_js_links(page)
    open_all_details(page)  # the document page's long tables are collapsed
    cell = page.locator("article td", has_text="行政运行" + SCRIPT).first
    cell.wait_for(state="visible")
    assert cell.inner_text().strip() == "行政运行" + SCRIPT
    text = article_text(page)
    if path.startswith("documents/"):  # the economic items: on the document page only
        assert "基本工资" + JS_LINK in text
        assert "津贴补贴" + IMG in text
        sentence = page.locator("article td", has_text=JINJA).first
        sentence.wait_for(state="visible")
        assert f"主要为{SCRIPT} {JS_LINK} {JINJA} 城乡居民" in sentence.inner_text()
        assert page.locator("article td", has_text="专项经费" + SCRIPT).count() >= 1
    assert page.locator("article script, article img[onerror]").count() == 0
    assert log.page_errors == []


def test_hostile_text_stays_text_in_search_results(page, hostile_url):
    items = search(page, hostile_url, "行政运行")
    assert items.count() >= 1
    snippets = page.locator(".md-search-result").inner_text()
    assert "行政运行" + SCRIPT in snippets
    assert page.locator(".md-search-result script, .md-search-result img[onerror]").count() == 0
    _assert_no_script_ran_and_no_js_links(page)


def test_wide_tables_say_they_scroll_on_a_phone(browser, base_url, page):
    """On a phone, a table wider than the screen has a hint above it and a fade on the side
    with hidden columns; scrolled to the end, the fade moves to the left. On a desktop the
    bureau page's tables fit, and no hint shows."""
    context = browser.new_context(**VIEWPORTS["phone"])
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    try:
        phone.goto(base_url + f"documents/{WANGDU_DOC}/")
        open_all_details(phone)
        wide = phone.locator("article .md-typeset__scrollwrap.budget-scroll")
        wide.first.wait_for()
        assert wide.count() >= 3
        hint = wide.first.locator("xpath=preceding-sibling::p[1]")
        assert hint.is_visible() and hint.inner_text() == "表格较宽，可左右滑动查看全部列"
        box = wide.first
        assert box.evaluate("b => b.scrollWidth - b.clientWidth") > 50
        assert "budget-scroll-start" in box.get_attribute("class")
        assert "budget-scroll-end" not in box.get_attribute("class")
        assert box.evaluate("b => getComputedStyle(b).maskImage") != "none"  # the right edge fades
        box.evaluate("b => { b.scrollLeft = b.scrollWidth; }")
        phone.wait_for_function("b => b.classList.contains('budget-scroll-end')", arg=box.element_handle())
        assert "budget-scroll-start" not in box.get_attribute("class")
    finally:
        context.close()
    page.goto(base_url + f"bureaus/{WANGDU}/")
    page.locator("article h1").wait_for()
    page.wait_for_function("document.querySelectorAll('.budget-scroll-hint').length > 0")
    assert page.locator("article .budget-scroll").count() == 0
    assert page.locator(".budget-scroll-hint:visible").count() == 0


# ------------------------------------------------------------------------- screenshots

SCREEN_PAGES = {"home": "", "bureau": f"bureaus/{WANGDU}/", "comparison": "comparison/"}
VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
}


def cjk_glyphs_differ(page) -> bool:
    """Draw 望, 都 and an unassigned code point in the page's heading font on a canvas: with a
    CJK font the two characters are distinct glyphs; without one all three are the same box."""
    return page.evaluate("""() => {
        const font = '48px ' + getComputedStyle(document.querySelector('article h1')).fontFamily;
        const draw = ch => {
            const c = document.createElement('canvas'); c.width = c.height = 64;
            const g = c.getContext('2d'); g.font = font; g.fillStyle = '#000';
            g.fillText(ch, 4, 52);
            return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
        };
        const [a, b, none] = [draw('望'), draw('都'), draw(String.fromCodePoint(0x10FFFD))];
        return a !== b && a !== none && b !== none;
    }""")


@pytest.mark.parametrize("device", sorted(VIEWPORTS))
def test_screenshots(browser, base_url, site, device):
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(**VIEWPORTS[device])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    taken = []
    try:
        for name, path in SCREEN_PAGES.items():
            if not (site / path / "index.html").is_file():
                assert name == "comparison", f"no page {path!r}"
                continue  # the comparison page is taken once the site has one
            page.goto(base_url + path)
            page.locator("article h1").wait_for()
            assert page.evaluate("document.fonts.ready.then(() => true)")
            assert cjk_glyphs_differ(page), "CJK text is drawn as tofu boxes: is fonts-noto-cjk installed?"
            file = out / f"{name}-{device}.png"
            png = page.screenshot(path=str(file), full_page=True)
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
            taken.append(name)
            if device == "phone":
                # the page itself does not scroll sideways on a phone (wide tables scroll inside)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, f"{name}: page is {overflow}px wider than the phone screen"
    finally:
        context.close()
    assert taken[:2] == ["home", "bureau"]
