"""The drill-down of a document (类 → 款 → 项 treemap, generator/publish/charts/drilldown.py) and
the class charts across documents of a bureau (预算 vs 决算, year over year; charts/drafts.py).

Figures read off the sample documents by hand: 望都县 2024 部门预算 (documents/004, 一般公共预算
支出表 lines 290-312): 210 卫生健康支出 3617.46 (line 290), 2101202 财政对城乡居民基本医疗保险基金
的补助 2832.00 (line 298), 2101501 行政运行 345.47 (line 306), 21015 医疗保障管理事务 364.47
(line 304). 乐山市市中区 2023: its 款 are printed nowhere (facts derived: 21015 = 274.24).
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import urljoin

import markdown
import pytest

from generator.publish import catalog
from generator.publish.charts import drilldown, render
from generator.publish.pages.codes import code_page_uri
from test_charts import HOSTILE, PARTS, made_up_catalog, made_up_facts, rows

REPO = Path(__file__).resolve().parent.parent
WANGDU, WANGDU_DOC = "baoding-wangdu-ybj", "baoding-wangdu-ybj-2024-budget"
LESHAN_DOC = "leshan-shizhong-ybj-2023-budget"
PAGE = "http://site.test/documents/baoding-wangdu-ybj-2024-budget/"  # where the block stands


@pytest.fixture(scope="module")
def cat(sample_packages) -> catalog.Catalog:
    return catalog.load_catalog(sample_packages)


@pytest.fixture(scope="module")
def block(cat) -> str:
    return drilldown.drilldown_html(cat, WANGDU_DOC, "../")


def svgs(block: str) -> dict[str, str]:
    """The two inline SVGs of a block: wide and narrow."""
    found = dict(re.findall(r'<div class="drilldown-box drilldown-(wide|narrow)" data-pagefind-ignore="all">'
                            r'(<svg.*?</svg>)</div>', block))
    assert set(found) == {"wide", "narrow"}
    return found


def leaf_rects(svg: str) -> dict[str, tuple[float, float, float, float]]:
    """href -> (x, y, width, height) of each linked rectangle of the treemap (not the key)."""
    out = {}
    for href, x, y, w, h in re.findall(r'<a href="([^"]+)"><title>[^<]*</title><rect x="([\d.]+)" y="([\d.]+)" '
                                       r'width="([\d.]+)" height="([\d.]+)"', svg):
        out[href] = tuple(float(v) for v in (x, y, w, h))
    return out


def texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def href_of(code: str) -> str:
    """The href the block must carry for a code: the directory URL of ``code_page_uri``, from the page."""
    return "../../" + code_page_uri("function", code).removesuffix(".md") + "/"


# ---------------------------------------------------------------------------- 望都 treemap


@pytest.mark.parametrize("layout", ["wide", "narrow"])
def test_wangdu_areas_are_in_proportion_to_the_items(block, layout):
    svg = svgs(block)[layout]
    rects = leaf_rects(svg)
    a = rects[href_of("2101202")]
    b = rects[href_of("2101501")]
    ratio = (a[2] * a[3]) / (b[2] * b[3])
    assert ratio == pytest.approx(2832.00 / 345.47, rel=0.02), ratio
    # every 项 of the document is one rectangle, and together they tile the treemap exactly
    width, height = drilldown.WIDE if layout == "wide" else drilldown.NARROW
    items = {"2101202", "2101501", "2101599", "2101301", "2109999", "2101101", "2080505", "2082702", "2210201"}
    assert {href_of(c) for c in items} == set(rects)
    assert sum(w * h for _, _, w, h in rects.values()) == pytest.approx(width * height, rel=0.005)
    # 210 is 3617.46 of 3654.18: its rectangles cover 98.995 % of the area
    in_210 = sum(r[2] * r[3] for h, r in rects.items() if h.startswith("../../codes/function/210"))
    assert in_210 / (width * height) == pytest.approx(3617.46 / 3654.18, rel=0.005)


def test_wangdu_labels_links_and_key(block):
    wide = svgs(block)["wide"]
    shown = texts(wide)
    assert "210 卫生健康支出 3,617.46" in shown  # the class band
    assert "财政对城乡居民基本医疗保险基金的补助" in shown and "2,832.00" in shown and "345.47" in shown
    assert "208 社会保障和就业支出 22.45 万元（0.61%）" in shown  # the key names every class
    assert "221 住房保障支出 14.27 万元（0.39%）" in shown
    # every link of the block goes to a code page (or to the block's own downloads)
    for href in re.findall(r'href="([^"]+)"', block):
        assert re.fullmatch(r"\.\./\.\./codes/function/[0-9]{3,7}/", href) or re.fullmatch(
            r"\.\./\.\./charts/baoding-wangdu-ybj/2024-budget-drilldown\.(svg|csv)", href), href
    # from the page's URL the link is the URL of the code's page (codes/function/2101202.md)
    assert urljoin(PAGE, href_of("2101202")) == "http://site.test/codes/function/2101202/"
    assert f'<a href="{href_of("2101202")}">' in wide
    # the tooltip of a rectangle names its 类, 款 and 项 (a 款 with one 项 of its amount is skipped)
    assert ("<title>210 卫生健康支出：3,617.46 万元（占 99.00&#37;）；21015 医疗保障管理事务：364.47 万元（占 9.97&#37;）；"
            "2101501 行政运行：345.47 万元（占 9.45&#37;）</title>") in wide
    assert "数据来源：一般公共预算支出表（功能分类）" in block
    # no note: every figure of 望都 is printed
    assert "budget-chart-note" not in block


def test_block_is_one_html_block_markdown_leaves_alone(block):
    assert block.startswith('<figure class="budget-chart budget-drilldown" id="drilldown-2024-budget-drilldown">')
    assert "\n\n" not in block.strip()
    page = markdown.markdown("# 页\n\n" + block + "\n正文\n", extensions=["tables", "attr_list", "toc"])
    assert block.strip() in page


def test_text_is_12px_and_fits_a_phone(block):
    for layout, svg in svgs(block).items():
        assert 'font-size="12"' in svg and "font-size=" not in svg.replace('font-size="12"', "")
        width = int(re.match(r'<svg[^>]* width="(\d+)"', svg).group(1))
        assert width == (660 if layout == "wide" else 328)  # 328 px: the text column of a 360 px phone


def test_derived_figures_are_marked(cat):
    block = drilldown.drilldown_html(cat, LESHAN_DOC, "../")
    # 乐山 prints no 款 line: 21015 is the sum of its 项 (127.42 + 10.00 + 136.82), named as the
    # classification names it (医疗保障管理事务)
    assert "；21015 医疗保障管理事务：274.24※ 万元（占 53.23&#37;）；2101501 行政运行：127.42 万元" in block
    assert "※ 原表未印出此数" in block


def test_files_are_the_inline_svgs_and_the_facts(cat, block):
    files = drilldown.drilldown_files(cat)
    stem = "charts/baoding-wangdu-ybj/2024-budget-drilldown"
    assert files[f"{stem}.svg"] == svgs(block)["wide"] and files[f"{stem}-narrow.svg"] == svgs(block)["narrow"]
    lines = files[f"{stem}.csv"].splitlines()
    assert lines[0] == "code,name,level,amount,basis,source_table,source_page"
    assert "2101202,财政对城乡居民基本医疗保险基金的补助,item,2832.00,printed,general_public_function," in lines
    assert "210,卫生健康支出,class,3617.46,printed,general_public_function," in lines
    # one drill-down per document with function facts: the 5 samples
    assert len([k for k in files if k.endswith("-drilldown.svg")]) == len(cat.documents) == 5


# ------------------------------------------------------------ made-up documents: escaping, gaps


def test_hostile_names_stay_text():
    cat = made_up_catalog()  # bureau name and four 类 names hold markup, a link and a template
    block = drilldown.drilldown_html(cat, "x-ybj-2024-budget", "../")
    assert block
    low = block.lower()
    assert "<script" not in low and "javascript:" not in low and "{{" not in block and "](" not in block
    assert "&lt;script&gt;" in block
    shown = " ".join(texts(block)) + " " + " ".join(
        html.unescape(t) for t in re.findall(r"<title>([^<]*)</title>", block))
    assert HOSTILE + "医疗保障局" in shown  # the bureau's name, in the SVG's title, as text
    assert all(part in shown for part in PARTS)
    page = markdown.markdown(block, extensions=["tables", "attr_list", "toc"])
    assert "<script" not in page and 'href="javascript' not in page


def test_items_short_of_their_class_leave_a_grey_rest():
    cat = made_up_catalog("某县")
    did = "x-ybj-2024-budget"
    extra = made_up_facts(did, "budget", "某县", "120.00", "45.00", "75.00")[4]  # 210 of 120.00
    cat.by_document[did]["facts"].append({**extra, "code": "2101501", "name": "行政运行", "level": "item",
                                          "amount": "30.00"})
    block = drilldown.drilldown_html(cat, did, "../")
    svg = svgs(block)["wide"]
    item = leaf_rects(svg)[href_of("2101501")]
    rest = [tuple(float(v) for v in m) for m in re.findall(
        r'<g class="drilldown-rest"><title>[^<]*</title><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" '
        r'height="([\d.]+)"', svg)]
    assert len(rest) == 1
    assert (rest[0][2] * rest[0][3]) / (item[2] * item[3]) == pytest.approx(90.00 / 30.00, rel=0.02)
    assert "未列出到下级" in texts(svg) and "未列出到下级" in block.split("<figcaption>")[1]


def test_no_block_without_function_facts(cat):
    cat = made_up_catalog("某县")
    for did in list(cat.by_document):
        cat.by_document[did]["facts"] = [f for f in cat.by_document[did]["facts"] if f["dimension"] != "function"]
    assert drilldown.drilldown_html(cat, "x-ybj-2024-budget", "../") == ""
    assert drilldown.drilldown_files(cat) == {}


def test_squarify_tiles_and_keeps_proportions():
    values = [6.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.0]  # the example of Bruls et al.
    rects = drilldown.squarify(values, 0, 0, 6, 4)
    assert sum(w * h for _, _, w, h in rects) == pytest.approx(24)
    for v, (_, _, w, h) in zip(values, rects):
        assert w * h == pytest.approx(v)
        assert max(w / h, h / w) < 3  # near squares, not slivers
    # the paper's layout: the two 6s stacked on the left
    assert rects[0][:2] == (0, 0) and rects[1][0] == 0 and rects[0][2] == pytest.approx(3)


# ------------------------------------------------------------------------------ determinism

_DIGEST = """
import hashlib, json, sys
from pathlib import Path
from generator.publish.catalog import load_catalog
from generator.publish.charts import drilldown
cat = load_catalog(Path(sys.argv[1]))
out = [drilldown.drilldown_html(cat, d["document_id"], "../") for d in cat.documents]
out.append(sorted(drilldown.drilldown_files(cat).items()))
print(hashlib.sha256(json.dumps(out, ensure_ascii=False).encode()).hexdigest())
"""


def test_byte_identical_on_rebuild_and_from_the_cache(cat, sample_packages, tmp_path, monkeypatch):
    runs = {subprocess.run([sys.executable, "-c", _DIGEST, str(sample_packages)], cwd=REPO, capture_output=True,
                           text=True, timeout=300, check=True).stdout.strip() for _ in range(2)}
    assert len(runs) == 1
    monkeypatch.setattr(cat, "settings", replace(cat.settings, chart_cache=tmp_path))
    drilldown.drilldown_html(cat, WANGDU_DOC, "../")
    assert len(list(tmp_path.glob("drilldown-*.svg"))) == 2  # wide and narrow, kept by content

    def everything() -> str:
        out = [drilldown.drilldown_html(cat, d["document_id"], "../") for d in cat.documents]
        out.append(sorted(drilldown.drilldown_files(cat).items()))
        return hashlib.sha256(json.dumps(out, ensure_ascii=False).encode()).hexdigest()

    assert everything() in runs  # drawn here, into the cache
    # the files are the blocks' SVGs (same links): one cache file per layout and document
    assert len(list(tmp_path.glob("drilldown-*.svg"))) == 2 * len(cat.documents)
    monkeypatch.setattr(drilldown, "treemap_svg", lambda *a, **k: pytest.fail("drawn again"))
    assert everything() in runs  # read back from the cache


# ------------------------------------------- class charts across documents (charts/drafts.py)


def test_budget_vs_final_and_year_over_year_by_class():
    made = {c.slug: c for c in render.bureau_charts(made_up_catalog("某县"), "x-ybj")}
    pair = made["2023-budget-vs-final-function-classes"]
    assert pair.document_id is None and pair.title == "2023年预算与决算：支出功能分类（类）（万元）"
    assert [(r["code"], r["phase"], r["document_id"], r["amount"]) for r in rows(pair)][:2] == [
        ("210", "budget", "x-ybj-2023-budget", "100.00"), ("210", "final", "x-ybj-2023-final", "98.50")]
    assert "某县：预算 100.00 万元，决算 98.50 万元" in pair.alt
    years = made["function-classes-by-year-budget"]
    assert [(r["code"], r["year"], r["amount"]) for r in rows(years)][:2] == [("210", "2023", "100.00"),
                                                                             ("210", "2024", "120.00")]
    assert "某县：2023年 100.00 万元，2024年 120.00 万元" in years.alt
    assert "function-classes-by-year-final" not in made  # one 决算 year only


def test_class_charts_escape_hostile_names():
    made = {c.slug: c for c in render.bureau_charts(made_up_catalog(), "x-ybj")}
    for slug in ("2023-budget-vs-final-function-classes", "function-classes-by-year-budget"):
        svg = made[slug].svg
        assert "<script" not in svg and "javascript:" not in svg and "{{" not in svg
        assert "&lt;script&gt;" in svg


def test_no_class_charts_for_one_document(cat):
    slugs = [c.slug for b in cat.bureaus for c in render.bureau_charts(cat, b)]
    assert not any("function-classes-by-year" in s or "budget-vs-final-function-classes" in s for s in slugs)


# ---------------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def site(sample_site, cat, tmp_path_factory) -> Path:
    """A site folder with one page: the 望都 document page of the sample site with only the
    drill-down block in its article (the layout helper places it on the real pages)."""
    root = tmp_path_factory.mktemp("drilldown-site")
    for entry in sample_site.iterdir():
        if entry.name != "documents":
            (root / entry.name).symlink_to(entry)
    page = (sample_site / "documents" / WANGDU_DOC / "index.html").read_text(encoding="utf-8")
    start = re.search(r'<article class="md-content__inner md-typeset"[^>]*>', page).end()
    end = page.index("</article>", start)
    page = page[:start] + "<h1>类 → 款 → 项</h1>\n" + drilldown.drilldown_html(cat, WANGDU_DOC, "../") + page[end:]
    (root / "documents" / WANGDU_DOC).mkdir(parents=True)
    (root / "documents" / WANGDU_DOC / "index.html").write_text(page, encoding="utf-8")
    return root


@pytest.mark.parametrize("width", [1366, 390, 360])
def test_block_in_chromium(browser, base_url, width):
    from browser_support import ARTIFACTS, TIMEOUT_MS
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{base_url}documents/{WANGDU_DOC}/")
        figure = page.locator("figure.budget-drilldown")
        layout = "wide" if width == 1366 else "narrow"
        svg = page.locator(f".drilldown-{layout} svg")
        assert svg.is_visible() and not page.locator(f".drilldown-{'narrow' if width == 1366 else 'wide'} svg").is_visible()
        box = svg.bounding_box()
        assert box["width"] == (660 if width == 1366 else 328)  # drawn at its own size: 12 px text stays 12 px
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll ...
        box_sizes = page.evaluate(f"(d => [d.clientWidth, d.scrollWidth])(document.querySelector('.drilldown-{layout}'))")
        assert box_sizes[1] <= box_sizes[0]  # ... nor inside the block's box
        sizes = page.evaluate(f"""[...document.querySelectorAll('.drilldown-{layout} text')]
                                  .map(t => parseFloat(getComputedStyle(t).fontSize))""")
        assert sizes and min(sizes) >= 12
        ARTIFACTS.mkdir(exist_ok=True)
        figure.screenshot(path=str(ARTIFACTS / f"drilldown-wangdu-{width}.png"))
        # a click on 行政运行 opens the page of 2101501
        page.locator(f'.drilldown-{layout} a[href="{href_of("2101501")}"]').first.click()
        page.wait_for_url("**/codes/function/2101501/")
        assert page.url == f"{base_url}codes/function/2101501/"
    finally:
        context.close()
