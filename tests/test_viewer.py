"""Every figure to its page of the original (issue 16, item 3): a figure on a document page
opens the viewer of its source page (generator/publish/pages/viewer.py) with the printed
number boxed; failed checks link the same way; the 核对结果 page filters by status, rule and
document. On the corpus site (documents/ + ../shared/real-pdfs), in Chromium at 1366 and
390 px. The expected positions are read off the PDFs here with pdfplumber, independently of
the site's code; screenshots go to tests/_artifacts/viewer/.
"""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pdfplumber
import pytest
from browser_support import ARTIFACTS, TIMEOUT_MS, PageLog

from conftest import REAL_PDFS

SHENZHEN = "shenzhen-ybj-2026-budget"
PUTUO = "shanghai-putuo-sifaju-2026-budget"
BEIJING = "beijing-ybj-2026-budget"
VIEWPORTS = {
    "1366": {"viewport": {"width": 1366, "height": 900}},
    "390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
            "device_scale_factor": 2},
}
SHOTS = ARTIFACTS / "viewer"


@pytest.fixture(scope="module")
def site(corpus_site):
    return corpus_site


@pytest.fixture(params=sorted(VIEWPORTS))
def device_page(request, browser):
    context = browser.new_context(**VIEWPORTS[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield request.param, pg
    context.close()


def printed(pdf: str, page: int, text: str) -> list[tuple[float, float, float, float]]:
    """The boxes (x0, top, x1, bottom as fractions of the page) of every word of page ``page``
    of ``pdf`` that reads ``text`` once its thousands separators are dropped."""
    with pdfplumber.open(REAL_PDFS / pdf) as doc:
        p = doc.pages[page - 1]
        return [(w["x0"] / p.width, w["top"] / p.height, w["x1"] / p.width, w["bottom"] / p.height)
                for w in p.extract_words() if w["text"].replace(",", "") == text]


def boxes(page) -> list[dict]:
    """The boxes the viewer drew, as fractions of the page image, and whether each is marked."""
    return page.evaluate("""() => {
        const img = document.querySelector('#page img').getBoundingClientRect();
        return [...document.querySelectorAll('#page .box')].map(b => {
            const r = b.getBoundingClientRect();
            return {x0: (r.left - img.left) / img.width, top: (r.top - img.top) / img.height,
                    x1: (r.right - img.left) / img.width, bottom: (r.bottom - img.top) / img.height,
                    primary: b.classList.contains('primary'),
                    visible: r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0
                             && r.right <= window.innerWidth};
        });
    }""")


def same_place(box: dict, word: tuple[float, float, float, float]) -> bool:
    return all(abs(box[k] - v) < 0.004 for k, v in zip(("x0", "top", "x1", "bottom"), word))


def click_table_figure(page, base_url: str, document: str, table: str, code: str, figure: str) -> None:
    """On the document page, open ``table`` (collapsed) and click ``figure`` in the row of
    ``code``."""
    page.goto(f"{base_url}documents/{document}/")
    details = page.locator(f"h4#table-{table} ~ details").first
    details.locator("summary").click()
    row = details.locator("tr").filter(has=page.locator("td", has_text=re.compile(f"^{code}$")))
    link = row.locator("a", has_text=re.compile("^" + re.escape(figure) + "$")).first
    with page.expect_navigation():
        link.click()
    page.locator("#page img").wait_for()
    page.wait_for_function("document.getElementById('status').hasAttribute('data-found')")


def test_shenzhen_2101501_opens_page_27_with_7517_14_boxed(device_page, base_url, site):
    device, page = device_page
    log = PageLog(page)
    # 一般公共预算支出表（按功能分类）, printed on p. 27: 2101501 行政运行 7,517.14 (合计)
    click_table_figure(page, base_url, SHENZHEN, "general_public_function", "2101501", "7,517.14")
    assert page.url == f"{base_url}sources/view/{SHENZHEN}/p27.html#v=7517.14&c=2101501"
    words = printed("shenzhen-ybj-2026-bumen-yusuan.pdf", 27, "7517.14")
    assert len(words) == 1  # read off the PDF: printed once on p. 27, at x ≈ 712 of 1077 pt
    drawn = boxes(page)
    assert len(drawn) == len(words) and same_place(drawn[0], words[0]), (drawn, words)
    assert drawn[0]["primary"] and drawn[0]["visible"]
    assert "本页有 1 处 7,517.14，已用方框标出" in page.locator("#status").inner_text()
    assert page.locator("#pdf-link").get_attribute("href") == f"../../{SHENZHEN}.pdf#page=27"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    assert not log.page_errors and not log.foreign_requests(base_url)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"shenzhen-p27-{device}.png"))


def test_yuan_source_boxes_the_figure_times_10000(device_page, base_url, site):
    device, page = device_page
    # 上海普陀司法局 prints 元: 2040601 行政运行 16726725.44 元 = 1,672.672544 万元 (p. 15, 合计)
    click_table_figure(page, base_url, PUTUO, "general_public_function", "2040601", "1,672.672544")
    assert page.url == f"{base_url}sources/view/{PUTUO}/p15.html#v=1672.672544&c=2040601"
    words = printed("shanghai-putuo-sfj-2026-bumen-yusuan.pdf", 15, "16726725.44")
    # printed four times on p. 15: 合计 of 2040601 and 基本支出 of 204, 20406 and 2040601
    assert len(words) == 4
    drawn = boxes(page)
    assert len(drawn) == 4 and all(any(same_place(b, w) for b in drawn) for w in words), (drawn, words)
    # the one marked is in the row of 2040601 (行政运行), the 合计 column: the leftmost on its line
    with pdfplumber.open(REAL_PDFS / "shanghai-putuo-sfj-2026-bumen-yusuan.pdf") as doc:
        p = doc.pages[14]
        row_top = next(w["top"] for w in p.extract_words() if w["text"] == "行政运行") / p.height
    row_words = sorted((w for w in words if abs(w[1] - row_top) < 0.01), key=lambda w: w[0])
    marked = [b for b in drawn if b["primary"]]
    assert len(row_words) == 2 and len(marked) == 1 and same_place(marked[0], row_words[0])
    assert marked[0]["visible"]
    assert "本页有 4 处 1,672.672544 万元（原表以元为单位，印作 16,726,725.44）" in page.locator("#status").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"putuo-p15-{device}.png"))


def test_failed_check_links_to_its_figure_on_its_page(page, base_url, site):
    # 北京: 九、卫生健康支出 101,857.847222 on p. 1 of the 报表 file ≠ 20078.847222 (sum of 210 in
    # 支出总表): the failure's row on the document page opens p. 1 with the printed figure boxed
    page.goto(f"{base_url}documents/{BEIJING}/")
    row = page.locator("#quality ~ table tr, #quality ~ * table tr").filter(
        has_text="101857.847222").filter(has_text="codelist.assigned_class_vs_items").first
    with page.expect_navigation():
        row.locator("a", has_text="第 1 页").click()
    assert page.url.startswith(f"{base_url}sources/view/{BEIJING}-1/p1.html#v=101857.847222")
    page.wait_for_function("document.getElementById('status').hasAttribute('data-found')")
    words = printed("beijing-ybj-2026-bumen-yusuan-baobiao.pdf", 1, "101857.847222")
    drawn = boxes(page)
    assert len(words) == 1 and len(drawn) == 1 and same_place(drawn[0], words[0]), (drawn, words)


def listed_findings(site: Path) -> list[dict]:
    with (site.parent / "datapackages" / "all" / "checks.csv").open(encoding="utf-8", newline="") as f:
        return [r for r in csv.DictReader(f) if r["status"] in ("fail", "waived", "repaired", "rounding")]


def test_findings_page_filters_to_one_rule(device_page, base_url, site):
    device, page = device_page
    expected = listed_findings(site)
    page.goto(f"{base_url}findings/")
    rows = page.locator("article table tbody tr")
    assert rows.count() == len(expected) and len(expected) > 100  # 52 fail, 27 repaired, 74 rounding
    rule = "narrative.yoy_percent"
    n_rule = sum(r["check"] == rule for r in expected)
    page.locator('select[data-column="检查"]').select_option(rule)
    visible = page.locator("article table tbody tr:not([hidden])")
    assert visible.count() == n_rule > 5
    assert set(visible.locator("td:nth-child(3)").all_inner_texts()) == {rule}  # 状态, 严重程度, 检查
    page.locator('select[data-column="状态"]').select_option("未通过")
    n_fail = sum(r["check"] == rule and r["status"] == "fail" for r in expected)
    assert visible.count() == n_fail
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"findings-{device}.png"), full_page=device == "390")
    # each row links to its figure on its page
    first = visible.locator("a", has_text=re.compile(r"^第 \d+ 页$")).first
    href = first.get_attribute("href")
    assert re.match(r"\.\./sources/view/[^/]+/p\d+\.html#v=-?[\d.]+$", href), href
    with page.expect_navigation():
        first.click()
    page.wait_for_function("document.getElementById('status').hasAttribute('data-found')")
    # the figure of the failure (the percentage the sentence prints) is boxed on its page
    assert int(page.locator("#status").get_attribute("data-found")) >= 1


def test_page_images_are_deterministic_and_only_pages_linked(site):
    """The viewer files are those some page links to, and making them again from the packages
    and PDFs, without any cache, gives the very bytes the build wrote (a second build is
    byte-identical)."""
    from dataclasses import replace

    from generator.publish.pages import viewer
    from generator.publish.settings import SiteSettings
    from generator.publish.site import load_site

    view = site / "sources" / "view"
    pngs = sorted(view.rglob("*.png"))
    assert pngs and all(p.with_suffix(".html").is_file() for p in pngs)
    linked = set()
    for html in site.rglob("index.html"):
        linked.update(re.findall(r'sources/view/([^"#]+?)\.html', html.read_text(encoding="utf-8")))
    assert {str(p.relative_to(view).with_suffix("")) for p in pngs} == linked
    settings = replace(SiteSettings.defaults(), datapackages=site.parent / "datapackages",
                       documents=site.parent / "documents", page_cache=None)
    cat = load_site(settings)
    stems = {viewer.view_stem(d, i): (d["document_id"], i) for d in cat.documents
             for i in range(len(viewer.source_names(d)))}
    for item in sorted(linked):
        stem, page = item.rsplit("/p", 1)
        viewer._pages(cat)[(*stems[stem], int(page))] = None
    again = viewer.viewer_files(cat)
    assert len(again) == 2 * len(pngs)
    for uri, content in again.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert (site / uri).read_bytes() == data, uri
    total = sum(p.stat().st_size for p in pngs)
    print(f"\n{len(pngs)} page images, {total / 1e6:.2f} MB")
    assert total / len(pngs) < 80_000
