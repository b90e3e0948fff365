"""The page per classification code (generator/publish/pages/codes.py) and the filters of the
code and comparison pages (site_src/assets/js/table-filter.js), on the site of documents/ and
../shared/real-pdfs (``corpus_site``, 14 documents).

Figures read off the documents by hand:
- 深圳市医疗保障局 2026 部门预算 (shenzhen-ybj-2026-bumen-yusuan.pdf p. 27, 一般公共预算支出表):
  2101501 行政运行 7,517.14 of the 合计 13,754.63 (54.65%);
- 北京市医疗保障局 2026 (beijing-ybj-2026-bumen-yusuan-baobiao.pdf p. 6): 2101501 行政运行
  9,472.056108 of 110,896.619602 (8.54%);
- 望都县医疗保障局 2024 预算 (documents/004_1dc876329a8abae6.txt line 306, the 一般公共预算支出表):
  ``15 2101501 行政运行 345.47 275.47 70.00``, of the 合计 3,654.18 (9.45%).
"""
from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from browser_support import ARTIFACTS, TIMEOUT_MS

from generator.publish.format import percent
from generator.publish.pages.codes import bureau_type, code_page_uri, compare_link
from tests.test_site_facts import Facts, parse, target

CODE_URL = "codes/function/2101501/"
SHENZHEN, BEIJING, WANGDU = "shenzhen-ybj-2026-budget", "beijing-ybj-2026-budget", "baoding-wangdu-ybj-2024-budget"


@pytest.fixture(scope="module")
def site(corpus_site) -> Path:
    return corpus_site


@pytest.fixture(scope="module")
def facts(corpus_site) -> Facts:
    return Facts(corpus_site.parent / "datapackages")


def rows_of(table: dict) -> list[dict]:
    return [{h: c for h, c in zip(table["head"], cells)} for cells in table["rows"]]


def doc_of(row: dict) -> str:
    return re.search(r"documents/([^/]+)/", row["文件"]["hrefs"][0]).group(1)


def test_interface():
    assert code_page_uri("function", "2101501") == "codes/function/2101501.md"
    assert compare_link("economic", "30101", "../") == "[与其他部门比较](../codes/economic/30101.md)"


def test_bureau_type_from_the_name():
    assert [bureau_type(n) for n in ("深圳市医疗保障局", "上海市普陀区司法局", "长沙市信访局", "国家信访局",
                                     "江苏省人民检察院", "上海市普陀区财政局", "珠海市商务局",
                                     "乐山市市中区医疗保障局", "某某县农业农村局", "某某市园林绿化局", "")] == \
        ["医疗保障", "司法", "信访", "信访", "检察院", "财政", "商务", "医疗保障", "农业农村", "园林绿化", "其他"]


def test_2101501_page_lists_every_document_with_its_source(site, facts):
    p = parse(site, CODE_URL)
    table = p.table_with("金额（万元）")
    rows = {doc_of(r): r for r in rows_of(table)}
    want = {d for (d, m, dim, code, part) in facts.by_key
            if (dim, code, part) == ("function", "2101501", "total") and m == facts.measure(d)}
    assert set(rows) == want and len(want) == 7
    sz, bj, wd = rows[SHENZHEN], rows[BEIJING], rows[WANGDU]
    assert [sz[h]["text"] for h in ("部门", "年度", "阶段", "层级", "省份", "部门类型", "金额（万元）",
                                    "占一般公共预算支出")] == \
        ["深圳市医疗保障局", "2026", "预算", "市", "广东省", "医疗保障", "7,517.14", "54.65%"]
    assert percent(Decimal("7517.14"), Decimal("13754.63")) == "54.65%"
    assert [bj[h]["text"] for h in ("部门", "层级", "省份", "金额（万元）", "占一般公共预算支出")] == \
        ["北京市医疗保障局", "省", "北京市", "9,472.056108", "8.54%"]
    assert [wd[h]["text"] for h in ("部门", "年度", "层级", "省份", "金额（万元）", "占一般公共预算支出")] == \
        ["望都县医疗保障局", "2024", "县", "河北省", "345.47", "9.45%"]
    # each amount links to its source: the PDF at its page, the text file of 望都
    sz_link, bj_link, wd_link = (r["金额（万元）"]["hrefs"][0] for r in (sz, bj, wd))
    # (the page viewer of the PDF page, sources/view/<document>/p27.html#v=…, with the figure boxed)
    assert SHENZHEN in sz_link and re.search(r"(page=|/p?)27\b", sz_link), sz_link
    assert BEIJING in bj_link and re.search(r"(page=|/p?)6\b", bj_link), bj_link
    assert WANGDU in wd_link, wd_link
    assert target(site, CODE_URL, sz_link.split("?")[0]).is_file()
    assert "第 27 页" in sz["原文"]["text"] and "一般公共预算支出表" in sz["原文"]["text"]
    # without JavaScript every row shows
    raw = (site / CODE_URL / "index.html").read_text(encoding="utf-8")
    assert "<tr hidden" not in raw and 'class="budget-filter"' in raw


def test_code_csv_holds_exactly_the_rows_shown(site):
    p = parse(site, CODE_URL)
    shown = [(doc_of(r), r["金额（万元）"]["text"].replace(",", "")) for r in rows_of(p.table_with("金额（万元）"))]
    with (site / "codes/function/2101501.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["document_id"], r["amount"]) for r in rows] == shown
    sz = next(r for r in rows if r["document_id"] == SHENZHEN)
    assert (sz["share_of"], sz["share_of_amount"], sz["share"], sz["source_page"]) == \
        ("general_public", "13754.63", "54.65%", "27")


def test_code_charts_compare_one_year_and_phase(site, facts):
    p = parse(site, CODE_URL)
    assert len(p.charts) == 2  # 2024 预算 (3 documents) and 2026 预算 (北京, 深圳); single ones: no chart
    for chart in p.charts:
        with target(site, CODE_URL, chart["csv"]).open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert len({(r["year"], r["phase"]) for r in rows}) == 1, chart["id"]
        for r in rows:
            assert facts.get(r["document_id"], "function", "2101501")["amount"] == r["amount"]
    drawn = {r["document_id"]: r["amount"] for c in p.charts
             for r in csv.DictReader(target(site, CODE_URL, c["csv"]).open(encoding="utf-8"))}
    assert drawn[SHENZHEN] == "7517.14" and drawn[BEIJING] == "9472.056108" and drawn[WANGDU] == "345.47"


def test_a_page_per_code_and_the_index(site, facts):
    codes = {(r["dimension"], r["code"]) for r in facts.rows if r["dimension"] in ("function", "economic")
             and r["part"] == "total" and r["measure"] == facts.measure(r["document_id"])}
    built = {(p.parent.parent.name, p.parent.name) for p in (site / "codes").glob("*/*/index.html")}
    assert built == codes and len(codes) > 100
    index = (site / "codes" / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(function|economic)/([0-9A-Za-z]+)/"', index))
    assert linked == codes
    # a 类 page lists its 款, a 款 page its 项 and its 类
    cls = parse(site, "codes/function/210/")
    assert any("21015 医疗保障管理事务" in text for _, text in cls.blocks)
    assert any("上级" in text and "21015" in text for _, text in parse(site, CODE_URL).blocks)
    # an economic page: the share is of the 基本支出
    econ = parse(site, "codes/economic/30101/").table_with("金额（万元）")
    assert "占基本支出" in econ["head"]
    # the comparison page links the index
    assert 'href="../codes/"' in (site / "comparison" / "index.html").read_text(encoding="utf-8")


def test_comparison_compares_like_with_like(site):
    raw = (site / "comparison" / "index.html").read_text(encoding="utf-8")
    # the default: 2026 预算, the year and phase with the most documents (6 of 14)
    assert 'data-default="年度=2026|阶段=预算"' in raw
    assert "默认显示 2026 年预算（文件最多的年度和阶段中最近的一个，6 份文件）" in raw
    p = parse(site, "comparison/")
    assert p.charts
    for chart in p.charts:
        with target(site, "comparison/", chart["csv"]).open(encoding="utf-8", newline="") as f:
            docs = {r["document_id"] for r in csv.DictReader(f)}
        years = {re.search(r"-(\d{4})-", d).group(1) for d in docs}
        phases = {"final" if "-final" in d else "budget" for d in docs}
        assert len(years) == 1 and len(phases) == 1, (chart["id"], docs)
        year, phase = re.match(r"chart-compare-(\d{4})-(budget|final)-", chart["id"]).groups()
        assert years == {year} and phases == {phase}, chart["id"]
    table = p.table_with("基本支出占比")
    assert len(table["rows"]) == 14  # every document, without JavaScript


# ------------------------------------------------------------------------- in the browser

WIDTHS = {"desktop": {"viewport": {"width": 1366, "height": 900}},
          "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                    "device_scale_factor": 2}}


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_code_page_filters_in_the_browser(browser, base_url, device):
    context = browser.new_context(**WIDTHS[device])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(base_url + CODE_URL)
        page.locator(".budget-filter select").first.wait_for()
        table = page.locator("article table").filter(has_text="金额（万元）")
        rows = table.locator("tbody tr")
        assert rows.count() == 7
        assert page.locator(".budget-filter-status").inner_text() == "显示 7 / 7 行"
        page.select_option('.budget-filter select[data-column="年度"]', "2026")
        visible = [r for r in rows.all() if r.is_visible()]
        assert len(visible) == 2
        texts = [r.inner_text() for r in visible]
        assert all("2026" in t for t in texts)
        assert any("7,517.14" in t for t in texts) and any("9,472.056108" in t for t in texts)
        assert not any("345.47" in t for t in texts)
        assert page.locator(".budget-filter-status").inner_text() == "显示 2 / 7 行"
        charts = page.locator(".budget-filter-item")
        assert [c.is_visible() for c in charts.all()].count(True) == 1
        assert page.locator('.budget-filter-item[data-filter="年度=2026|阶段=预算"]').is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page is {overflow}px wider than the {device} screen"
        out = ARTIFACTS / "codes"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / f"code-2101501-2026-{device}.png"), full_page=True)
        # 全部 again: every row
        page.select_option('.budget-filter select[data-column="年度"]', "")
        assert len([r for r in rows.all() if r.is_visible()]) == 7
    finally:
        context.close()


@pytest.mark.parametrize("device", sorted(WIDTHS))
def test_comparison_page_shows_one_year_and_phase_by_default(browser, base_url, device):
    context = browser.new_context(**WIDTHS[device])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(base_url + "comparison/")
        page.locator(".budget-filter select").first.wait_for()
        table = page.locator("article table").filter(has_text="基本支出占比")
        visible = [r.inner_text() for r in table.locator("tbody tr").all() if r.is_visible()]
        assert len(visible) == 6 and all("2026" in t and "预算" in t for t in visible)
        shown = [c.get_attribute("data-filter") for c in page.locator(".budget-filter-item").all() if c.is_visible()]
        assert shown == ["年度=2026|阶段=预算"]
        page.select_option('.budget-filter select[data-column="阶段"]', "决算")
        page.select_option('.budget-filter select[data-column="年度"]', "2024")
        visible = [r.inner_text() for r in table.locator("tbody tr").all() if r.is_visible()]
        assert len(visible) == 3 and all("决算" in t for t in visible)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the page is {overflow}px wider than the {device} screen"
        out = ARTIFACTS / "codes"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / f"comparison-2024-final-{device}.png"), full_page=True)
    finally:
        context.close()


def test_text_from_documents_stays_text():
    """A printed name (of a code, a bureau, a title) never becomes markup or a link on a code
    page; a code that is not a plain slug gets no page."""
    from generator.publish import catalog
    from generator.publish.pages.codes import code_files, code_pages
    hostile = "<script>alert(1)</script>[x](javascript:y){{ z }}|"
    cat = catalog.Catalog(root=Path("/nonexistent"))
    for n, bid in enumerate(("a-ybj", "b-ybj")):
        did = f"{bid}-2024-budget"
        cat.bureaus[bid] = {"bureau_id": bid, "name": hostile + "医疗保障局", "province": hostile, "level": "county"}
        cat.documents.append({"document_id": did, "bureau_id": bid, "title": hostile, "year": "2024",
                              "phase": "budget", "scope": "department"})
        fact = {"document_id": did, "measure": "budget", "dimension": "function", "part": "total",
                "name": hostile, "level": "item", "source_table": "general_public_function", "source_page": "3",
                "basis": "printed", "conflict": "false"}
        cat.by_document[did] = {"facts": [{**fact, "code": "2101501", "amount": f"{n + 1}.50"},
                                          {**fact, "code": "../../x", "amount": "1"},
                                          {**fact, "dimension": "total", "code": "general_public", "name": "",
                                           "level": "", "amount": "10"}]}
    pages = code_pages(cat)
    assert sorted(pages) == ["codes/function/2101501.md", "codes/index.md"]
    # the body of each page (the front matter's title is a YAML string, HTML-escaped by front_matter)
    text = "".join(md.split("\n---\n", 1)[1] for md in pages.values())
    assert "<script" not in text and "](javascript" not in text and "{{" not in text
    assert "&lt;script&gt;" in text
    page = pages["codes/function/2101501.md"]
    assert "| 2.50 | 25.00% |" in page and "| 1.50 | 15.00% |" in page  # of the 一般公共预算支出 10
    csv_text = code_files(cat)["codes/function/2101501.csv"]
    assert csv_text.count("\n") == 3 and hostile.replace('"', '""') in csv_text  # the CSV keeps the text as data
