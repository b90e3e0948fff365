"""Page length, placement and licence (issue 16 items 7 and 8) on the site of the samples and
the real PDFs (``corpus_site``), in Chromium at 1366 px and 390 px.

Figures read off 深圳市医疗保障局's 2026 部门预算 (shenzhen-ybj-2026-bumen-yusuan.pdf) by hand:
p. 17 (部门收支总表) 本年支出合计 15,480.26; p. 27 (一般公共预算支出表) 2101501 行政运行 7,517.14.

Page heights measured at 1366 px before this layout (commit 6531586): the 深圳 bureau page
13,983 px, its document page 22,001 px (at 390 px: 11,949 and 18,815 px); after: 3,612 and
5,766 px (390 px: 4,138 and 6,747 px). The bounds below leave room for the blocks other pages
add (code links, phone charts) and still fail on any return of the repeated tables.
"""
from __future__ import annotations

import csv
import re
import zipfile

import openpyxl
import pytest

from browser_support import ARTIFACTS
from conftest import SCREENS

BUREAU = "bureaus/shenzhen-ybj/"
DOC_ID = "shenzhen-ybj-2026-budget"
DOCUMENT = f"documents/{DOC_ID}/"
LICENCE_URL = "https://opendatacommons.org/licenses/pddl/1-0/"
#: full page heights (px) the two pages must stay under, at both widths
BUREAU_BOUND = 6_000
DOCUMENT_BOUND = 9_000
OUT = ARTIFACTS / "layout"


@pytest.fixture(scope="module")
def site(corpus_site):
    return corpus_site


def full_height(page) -> int:
    """The page's height once every lazy chart image below the fold has loaded."""
    last = -1
    while True:
        height = page.evaluate("document.documentElement.scrollHeight")
        if height == last:
            return height
        last = height
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        # (images not rendered — a closed table, the drill-down of the other width — never load)
        page.wait_for_function("Array.from(document.images).filter(i => i.offsetParent !== null)"
                               ".every(i => i.complete)")
        page.wait_for_timeout(200)


def html_of(site, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------------- in the browser

def test_bureau_first_screen_shows_the_total_and_a_chart(screen, base_url):
    page, height = screen, SCREENS[screen.width]["viewport"]["height"]
    page.goto(base_url + BUREAU)
    page.locator("article h1").wait_for()
    # 主要数字: the 2026 budget's 支出合计 15,480.26 (p. 17), linked to its page of the PDF
    row = page.locator("article tr", has=page.locator("td", has_text="2026年部门预算")).first
    total = row.locator("td").nth(1)
    assert total.inner_text() == "15,480.26"
    href = total.locator("a").get_attribute("href")
    assert re.search(r"(?<!\d)17(?!\d)", href), href
    box = total.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    # and the first chart starts on the same screen
    chart = page.locator("article figure.budget-chart").first
    assert chart.bounding_box()["y"] < height - 40, chart.bounding_box()
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"bureau-first-screen-{page.width}.png"))


def test_bureau_and_document_pages_stay_short(screen, base_url):
    page = screen
    heights = {}
    for name, url in (("bureau", BUREAU), ("document", DOCUMENT)):
        page.goto(base_url + url)
        page.locator("article h1").wait_for()
        heights[name] = full_height(page)
        OUT.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(OUT / f"{name}-{page.width}.png"), full_page=True)
    (OUT / f"heights-{page.width}.txt").write_text(
        "".join(f"{name} {h}\n" for name, h in heights.items()), encoding="utf-8")
    assert heights["bureau"] < BUREAU_BOUND, heights
    assert heights["document"] < DOCUMENT_BOUND, heights


def test_document_page_leads_with_key_figures_and_collapses_long_tables(screen, base_url, site):
    page = screen
    page.goto(base_url + DOCUMENT)
    text = page.locator("article").inner_text()
    # the key figures come before the tables
    assert text.index("支出合计：15,480.26 万元") < text.index("全部表格")
    # 一般公共预算支出表 (按功能分类), p. 27: collapsed, its summary counts the package's rows
    with open(site.parent / "datapackages" / DOC_ID / "function_expenditure.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["table"] == "general_public_function"]
    assert any(r["code"] == "2101501" and r["total"] == "7517.14" for r in rows)
    heading = page.locator("#table-general_public_function")
    assert heading.is_visible()  # the anchor stays outside the fold
    details = heading.locator("xpath=following-sibling::details[1]")
    assert details.get_attribute("open") is None
    # the rows shown: the package's and the page's sum of the 类 (合计（各类之和）)
    assert details.locator("td", has_text="合计（各类之和）").count() == 1
    assert details.locator("summary").inner_text() == f"一般公共预算支出表（按功能分类）（{len(rows) + 1} 行，点击展开）"
    cell = details.locator("td", has_text="7,517.14").first
    assert not cell.is_visible()
    details.locator("summary").click()
    cell.wait_for(state="visible")
    # every collapsed table is longer than 8 rows and says how long
    for summary in page.locator("article details.budget-table summary").all_inner_texts():
        n = int(re.search(r"（(\d+) 行，点击展开）$", summary).group(1))
        assert n > 8, summary


# --------------------------------------------------------------------------- built pages

def test_bureau_page_repeats_no_table_of_the_document_page(site):
    raw = html_of(site, BUREAU)
    assert 'id="table-' not in raw and "合计（各类之和）" not in raw
    assert f'href="../../{DOCUMENT}"' in raw
    # its items, largest first: 2101501 行政运行 7,517.14 (p. 27), linked to its page;
    row = re.search(r"<tr>\s*<td>2101501</td>\s*<td>行政运行</td>(.*?)</tr>", raw, re.S)
    assert row and "7,517.14" in row.group(1), row
    link = re.search(r'<a href="([^"]*)">7,517\.14</a>', row.group(1))
    assert link and re.search(r"(?<!\d)27(?!\d)", link.group(1)), row.group(1)
    # its share of the 一般公共预算支出 13,754.63 (p. 27), as on its code page, which it links
    assert "54.65%" in row.group(1)
    assert 'href="../../codes/function/2101501/">与其他部门比较</a>' in row.group(1)
    assert (site / "codes" / "function" / "2101501" / "index.html").is_file()


def test_licence_on_every_page(site):
    pages = sorted(site.rglob("index.html"))
    urls = {p.parent.relative_to(site).as_posix() + "/" for p in pages}
    assert {"./", BUREAU, DOCUMENT, "data/", "comparison/"} <= urls
    assert "codes/function/2101501/" in urls
    for path in pages:
        footer = re.search(r'<div class="md-copyright__highlight">(.*?)</div>', path.read_text(encoding="utf-8"), re.S)
        assert footer and "ODC-PDDL-1.0" in footer.group(1) and LICENCE_URL in footer.group(1), path


def test_every_download_carries_the_licence(site):
    downloads = site / "downloads"
    zips = sorted(downloads.glob("*.zip"))
    books = sorted(p for p in downloads.glob("*.xlsx") if not p.name.endswith("-review.xlsx"))
    assert len(zips) == 15 and len(books) == 15  # 14 documents and the combined package all
    for path in zips:
        with zipfile.ZipFile(path) as z:
            text = z.read("LICENSE.txt").decode("utf-8")
        assert "ODC-PDDL-1.0" in text and LICENCE_URL in text, path
    for path in books:
        ws = openpyxl.load_workbook(path, read_only=True)["说明"]
        assert ws["A3"].value == "许可" and "ODC-PDDL-1.0" in ws["B3"].value, path
    duckdb = pytest.importorskip("duckdb")
    parquets = sorted((downloads / "parquet").glob("*.parquet"))
    assert parquets
    for path in parquets:
        kv = dict(duckdb.sql(f"SELECT key::VARCHAR, value::VARCHAR FROM parquet_kv_metadata('{path}')").fetchall())
        assert kv["license"] == "ODC-PDDL-1.0" and kv["license_path"] == LICENCE_URL, path


def test_site_title_names_no_single_department(site):
    raw = html_of(site, "")
    title = re.search(r"<title>(.*?)</title>", raw).group(1)
    assert title == "政府部门预决算公开数据"
    description = re.search(r'<meta name="description" content="([^"]*)"', raw).group(1)
    assert "各级政府部门" in description and "财政局" in description and "信访局" in description
    # the home page counts the bureau types (those the code pages filter by): 13 bureaus, 7 of
    # them 医疗保障局 (宿州, 望都, 凤县, 北京, 互助, 乐山市中区, 深圳), 2 信访局 (长沙, 国家), one of each other
    text = re.sub(r"<[^>]+>", "", raw)
    assert "共 13 个部门" in text
    assert "部门类型：医疗保障 7 个、信访 2 个、" in text
    for kind in ("检察院 1 个", "司法 1 个", "商务 1 个", "财政 1 个"):
        assert kind in text, kind
    # the cost estimates are maintainers' documentation, not a page of the site
    assert "全国规模估算" not in raw and not (site / "scale").exists()
