"""Charts on phones and in dark mode (issue 16 item 5), on the site of the samples and the real
PDFs (``corpus_site``), in Chromium at 1366 px and 390 px.

Every chart is drawn twice (generator/publish/charts/render.py ``LAYOUTS``): wide (~600–660
px) and narrow (~280–345 px, labels wrapped on two lines, three ticks), each again recoloured
for Material's slate scheme (``-dark``); the page picks one with ``<picture><source media>``
and budget.css (``[data-md-color-scheme="slate"]``). Before this change the charts were
508–739 px wide images with 10–11 px text, drawn at 36rem (576 px) on a phone and scrolled
sideways, white in dark mode; the amount axis printed ``2,000.00``.

The chart text size is measured in the browser: the smallest ``font-size`` of the SVG the
``<img>`` shows (``currentSrc``), times the ratio of its width on screen to its own width.

Figures read off 深圳市医疗保障局's 2026 部门预算 (shenzhen-ybj-2026-bumen-yusuan.pdf, p. 27,
一般公共预算支出表): 2101501 行政运行 7,517.14, the largest 项 of its item chart.
"""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from browser_support import ARTIFACTS
from conftest import SCREENS

BUREAU = "bureaus/shenzhen-ybj/"
COMPARISON = "comparison/"
OUT = ARTIFACTS / "charts-mobile"
MIN_TEXT_PX = 12


@pytest.fixture(scope="module")
def site(corpus_site):
    return corpus_site


#: for every chart image shown (not display: none), once loaded: where it is, what it shows,
#: the smallest font size of its SVG, its tick labels, and the size the text is drawn at
MEASURE = """async () => {
  const out = [];
  for (const img of document.querySelectorAll("article figure.budget-chart img")) {
    if (!img.offsetParent && getComputedStyle(img).display === "none") continue;
    if (img.getClientRects().length === 0) continue;  // in a hidden <picture>
    img.scrollIntoView();
    await img.decode().catch(() => null);
    const text = await (await fetch(img.currentSrc)).text();
    const svg = new DOMParser().parseFromString(text, "image/svg+xml");
    const sizes = Array.from(svg.querySelectorAll("text"), t => parseFloat(t.getAttribute("font-size")));
    const ticks = Array.from(svg.querySelectorAll(".role-axis-label text"), t => t.textContent);
    const box = img.getBoundingClientRect();
    const bg = svg.querySelector("svg > rect");
    out.push({src: img.currentSrc, left: box.left, right: box.right, width: box.width,
              natural: img.naturalWidth, minFont: Math.min(...sizes),
              drawnFont: Math.min(...sizes) * box.width / img.naturalWidth, ticks: ticks,
              background: bg ? bg.getAttribute("fill") : null});
  }
  return out;
}"""


def charts_shown(page) -> list[dict]:
    page.locator("article figure.budget-chart").first.wait_for()
    return page.evaluate(MEASURE)


def shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("url", [BUREAU, COMPARISON], ids=["shenzhen-bureau", "comparison"])
def test_charts_fit_the_screen_with_12px_text(screen, base_url, url):
    """At 390 px every chart shown is its narrow drawing, inside the viewport, text ≥ 12 px as
    drawn; at 1366 px the wide drawing, text ≥ 12 px too. Amount ticks are whole numbers with
    thousands separators (``4,000``), never ``.00``, and few (≤ 6 wide, ≤ 4 narrow). No
    sideways scroll. (Between 721 and 1,300 px the wide drawing keeps 12 px too: checked by hand.)"""
    page = screen
    page.goto(base_url + url)
    charts = charts_shown(page)
    assert len(charts) >= (4 if url == BUREAU else 3), charts
    vw = page.evaluate("window.innerWidth")
    for c in charts:
        narrow = re.search(r"-narrow\.svg$", c["src"])
        assert bool(narrow) == (page.width == 390), c["src"]
        assert "-dark" not in c["src"]
        assert c["left"] >= 0 and c["right"] <= vw, c
        assert c["minFont"] >= MIN_TEXT_PX and c["drawnFont"] >= MIN_TEXT_PX - 0.01, c
        if page.width == 390:
            assert c["natural"] <= 350 and c["width"] == c["natural"], c  # drawn, not scaled
        amounts = [t for t in c["ticks"] if re.fullmatch(r"[\d,.]+", t)]
        assert not any(t.endswith(".00") for t in c["ticks"]), c["ticks"]
        assert len(amounts) <= (6 if page.width == 1366 else 4), c["ticks"]
    assert page.evaluate("document.documentElement.scrollWidth") <= vw
    shot(page, f"{url.strip('/').replace('/', '-')}-{page.width}")


def test_shenzhen_item_chart_is_readable_on_a_phone(screen, base_url, site):
    """深圳's item chart (p. 27: 2101501 行政运行 7,517.14 the largest): the narrow drawing keeps
    the code and the name, wrapped, and the exact amount; its ticks are 0, 2,000, 4,000, 6,000
    (no 8,000: the axis ends at the greatest bar, 7,517.14)."""
    page = screen
    page.goto(base_url + BUREAU)
    figure = page.locator("figure#chart-2026-budget-function-items")
    img = figure.locator("picture.budget-chart-light img")
    img.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img.element_handle())
    src = img.evaluate("img => img.currentSrc")
    svg = (site / "charts" / "shenzhen-ybj" / src.rsplit("/", 1)[1]).read_text(encoding="utf-8")
    texts = [re.sub(r"(<[^>]*>)+", "|", t).strip("|") for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]
    assert "7,517.14" in texts
    if page.width == 390:
        assert src.endswith("2026-budget-function-items-narrow.svg")
        assert "2101501|行政运行" in texts  # code and name on two lines
        assert ["0", "2,000", "4,000", "6,000"] == [t for t in texts if re.fullmatch(r"[\d,]+", t)]
    else:
        assert src.endswith("2026-budget-function-items.svg")
        assert "2101501 行政运行" in texts


def toggle_dark(page) -> None:
    """Material's palette toggle (the header button), as a reader would click it."""
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")


@pytest.mark.parametrize("url", [BUREAU, COMPARISON], ids=["shenzhen-bureau", "comparison"])
def test_dark_scheme_shows_the_dark_drawings(screen, base_url, url):
    """With the slate scheme toggled, every chart shown is its ``-dark`` drawing (narrow on the
    phone), with no white background: a pixel of the screenshot inside the chart's margin is
    the page's dark background, and light text."""
    page = screen
    page.goto(base_url + url)
    page.locator("article figure.budget-chart").first.wait_for()
    toggle_dark(page)
    charts = charts_shown(page)
    assert charts
    for c in charts:
        suffix = "-narrow-dark.svg" if page.width == 390 else "-dark.svg"
        assert c["src"].endswith(suffix) and not (page.width == 1366 and "-narrow" in c["src"]), c["src"]
        assert c["background"] == "none", c
        assert c["right"] <= page.evaluate("window.innerWidth")
    img = page.locator("article figure.budget-chart picture.budget-chart-dark img").first
    img.scroll_into_view_if_needed()
    pixels = Image.open(io.BytesIO(img.screenshot())).convert("RGB")
    corner = pixels.getpixel((pixels.width - 2, 1))  # top right: the margin beside the title
    assert max(corner) < 80, corner  # slate's background (#1e2129), not white
    assert any(min(pixels.getpixel((x, y))) > 180 for x in range(pixels.width) for y in range(0, pixels.height, 3)), \
        "no light text"
    shot(page, f"{url.strip('/').replace('/', '-')}-{page.width}-dark")


def test_light_and_dark_pictures_are_exclusive(screen, base_url):
    """Without the toggle, no dark drawing is shown (nor loaded: lazy images of a hidden
    <picture> are not fetched); with it, no light one."""
    page = screen
    page.goto(base_url + BUREAU)
    page.locator("article figure.budget-chart").first.wait_for()
    visible = "sel => Array.from(document.querySelectorAll(sel)).filter(e => e.getClientRects().length).length"
    assert page.evaluate(visible, "figure.budget-chart picture.budget-chart-dark img") == 0
    assert page.evaluate(visible, "figure.budget-chart picture.budget-chart-light img") >= 4
    toggle_dark(page)
    assert page.evaluate(visible, "figure.budget-chart picture.budget-chart-light img") == 0
    assert page.evaluate(visible, "figure.budget-chart picture.budget-chart-dark img") >= 4


def test_home_page_does_not_scroll_sideways_on_a_phone(browser, base_url):
    context = browser.new_context(**SCREENS[390])
    try:
        page = context.new_page()
        page.goto(base_url)
        page.locator("article h1").first.wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= page.evaluate("window.innerWidth")
        assert page.evaluate("document.body.scrollWidth") <= 390
        shot(page, "home-390")
    finally:
        context.close()


# ------------------------------------------------------------------------- the files


def test_every_picture_source_is_in_the_site(site):
    """Each chart of every page (bureau, comparison and code pages) links four drawings, and
    each is in the site: a chart never falls back to a broken image on a phone or in the dark."""
    seen = 0
    for page in sorted(site.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"<picture class=\"budget-chart-(?:light|dark)\".*?</picture>", text):
            for href in re.findall(r'(?:srcset|src)="([^"]+\.svg)"', block):
                assert (page.parent / href).resolve().is_file(), (page, href)
                seen += 1
    assert seen >= 4 * 100  # 4 per chart; ~230 charts on the corpus


# ------------------------------------------------------------------------- no browser


def test_dark_svg_recolours_tags_only():
    from generator.publish.charts.html import dark_svg

    svg = ('<svg><rect width="9" height="9" fill="white"/><text fill="#000">fill="white" 7,517.14</text>'
           '<path stroke="#ddd"/><path fill="#4c78a8"/><path fill="#123456"/></svg>')
    assert dark_svg(svg) == ('<svg><rect width="9" height="9" fill="none"/><text fill="#e2e4e9">fill="white" 7,517.14</text>'
                             '<path stroke="#3b3f4a"/><path fill="#79a7dc"/><path fill="#123456"/></svg>')


def test_labels_wrap_on_two_lines_and_stay_distinct():
    from generator.publish.charts.wording import text_em, wrap_labels, wrap_text

    # 深圳's 项 (p. 27): the code on one line, the name on the next; a long name is cut with "…"
    labels = wrap_labels(["2101501 行政运行", "2101505 医疗保障政策管理", "2080505 机关事业单位基本养老保险缴费支出"], 7)
    assert labels == {"2101501 行政运行": "2101501\n行政运行", "2101505 医疗保障政策管理": "2101505\n医疗保障政策…",
                      "2080505 机关事业单位基本养老保险缴费支出": "2080505\n机关事业单位…"}
    twins = wrap_labels(["机关事业单位基本养老保险缴费支出甲", "机关事业单位基本养老保险缴费支出乙"], 7)
    assert len(set(twins.values())) == 2 and all(text_em(line) <= 7 for v in twins.values() for line in v.split("\n"))
    assert wrap_text("一般公共服务支出（合计）", 8) == ["一般公共服务支出", "（合计）"]
    assert wrap_text("社会保障和就业支出", 7)[1][0] != "）"


def test_axis_ticks_are_round_and_few():
    from generator.publish.charts.render import axis_ticks

    assert axis_ticks([0, 7517.14], 4) == [0, 2000, 4000, 6000]  # 深圳 行政运行, p. 27
    assert axis_ticks([0, 15480.26], 6) == [0, 5000, 10000, 15000]  # 深圳 支出合计, p. 17
    assert axis_ticks([0, 0.3], 4) == [0, 0.1, 0.2, 0.3]
    assert axis_ticks([0, 34.4], 4) == [0, 10, 20, 30]  # 深圳 因公出国（境）费 34.40, p. 32
