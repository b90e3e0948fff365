"""Charts: figures of the sample packages (documents/ built once per session), escaping of
hostile names, determinism. Every figure a chart draws is a ``facts`` row.

Figures checked against the documents (望都县 2024 部门预算: 一般公共预算 3654.18 = 基本 321.38 +
项目 3332.80; 类 210 3617.46, 208 22.45, 221 14.27; 项 2101202 2832.00. 乐山市市中区 2023:
"三公" 合计 1.39 = 公务接待费 1.39).
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import markdown
import pytest

from generator.publish import catalog
from generator.publish.charts import records, render
from generator.publish.charts.html import chart_html

REPO = Path(__file__).resolve().parent.parent
WANGDU, WANGDU_DOC = "baoding-wangdu-ybj", "baoding-wangdu-ybj-2024-budget"
LESHAN, LESHAN_DOC = "leshan-shizhong-ybj", "leshan-shizhong-ybj-2023-budget"
#: names printed in a made-up document: markup, a Markdown link to a URL scheme, a template
PARTS = ("<script>alert(1)</script>", "](javascript:x)", "{{ x }}")
HOSTILE = "".join(PARTS)


@pytest.fixture(scope="module")
def packages(sample_packages) -> Path:
    return sample_packages


@pytest.fixture(scope="module")
def cat(packages) -> catalog.Catalog:
    return catalog.load_catalog(packages)


@pytest.fixture(scope="module")
def wangdu(cat) -> dict[str, records.Chart]:
    return {c.slug: c for c in render.bureau_charts(cat, WANGDU)}


@pytest.fixture(scope="module")
def comparison(cat) -> dict[str, records.Chart]:
    return {c.slug: c for c in render.comparison_charts(cat)}


def rows(chart: records.Chart) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(chart.csv)))


def svg_texts(svg: str) -> list[str]:
    """The texts of an SVG, character references resolved (what the picture shows); the lines
    (``<tspan>``) of a label wrapped over two lines joined again."""
    return [html.unescape(re.sub(r"<[^>]*>", "", t)) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


# ------------------------------------------------------------------ figures of the samples


def test_function_classes_of_wangdu(wangdu):
    chart = wangdu["2024-budget-function-classes"]
    assert chart.document_id == WANGDU_DOC
    assert [(r["code"], r["name"], r["amount"]) for r in rows(chart)] == [
        ("210", "卫生健康支出", "3617.46"), ("208", "社会保障和就业支出", "22.45"), ("221", "住房保障支出", "14.27")]
    assert chart.csv.splitlines()[0] == "code,name,amount"
    assert "卫生健康支出 3617.46 万元" in chart.alt and "住房保障支出 14.27 万元" in chart.alt
    # share of the classes' sum 3654.18, rounded half up: 98.9951 -> 99.00, 22.45 -> 0.61
    assert "占 99.00%" in chart.alt and "占 0.61%" in chart.alt
    texts = svg_texts(chart.svg)
    assert "卫生健康支出" in texts and "3,617.46" in texts and "金额（万元）" in texts
    assert "万元" in chart.title
    assert chart.sources == ((WANGDU_DOC, "general_public_function", None),)


def test_function_items_of_wangdu_and_top_ten_of_suzhou(cat, wangdu):
    items = rows(wangdu["2024-budget-function-items"])
    assert (items[0]["code"], items[0]["amount"]) == ("2101202", "2832.00")
    assert len(items) == 9  # every 项 row of the table
    assert [Decimal(r["amount"]) for r in items] == sorted((Decimal(r["amount"]) for r in items), reverse=True)
    suzhou = {c.slug: c for c in render.bureau_charts(cat, "anhui-suzhou-ybj")}["2024-budget-function-items"]
    shown = rows(suzhou)
    all_items = [r for r in cat.rows("anhui-suzhou-ybj-2024-budget", "facts")
                 if (r["dimension"], r["level"], r["part"]) == ("function", "item", "total")]
    assert {r["source_table"] for r in all_items} == {"general_public_function"}
    assert len(all_items) == 16 and len(shown) == 10 and "前 10 位" in suzhou.title
    left_out = [Decimal(r["amount"]) for r in all_items if r["code"] not in {s["code"] for s in shown}]
    assert min(Decimal(r["amount"]) for r in shown) >= max(left_out)
    assert shown[0]["code"] == "2101501" and shown[0]["amount"] == "416.25"
    assert "共 16 项" in suzhou.alt
    # shares are of all 16 items (their printed figures add up to 1773.21), not of the ten
    # shown (1645.72, which would give 25.29%): 416.25 / 1773.21 = 23.47%
    assert sum(Decimal(r["amount"]) for r in all_items) == Decimal("1773.21")
    assert sum(Decimal(r["amount"]) for r in shown) == Decimal("1645.72")
    assert "2101501 行政运行 416.25 万元，占 23.47%" in suzhou.alt


def test_items_that_do_not_add_up_to_the_total_are_said_so(wangdu):
    """A chart of items that add up to less than the table's printed 合计 says how much is
    left out (the bars alone would pass for all the spending); 望都's 9 items add up to its
    3654.18, so its chart has no note."""
    made = {c.slug: c for c in render.bureau_charts(made_up_catalog("某县"), "x-ybj")}
    items = made["2024-budget-function-items"]
    note = "各项之和 3.00 万元，少于原表合计 120.00 万元：其余 117.00 万元原表没有列出属于哪一项，图中未画出。"
    assert items.note == note and items.alt.endswith(note)
    assert f'<span class="budget-chart-note">{note}</span><br>' in chart_html(items, "x/")
    assert wangdu["2024-budget-function-items"].note == ""
    assert "budget-chart-note" not in chart_html(wangdu["2024-budget-function-items"], "x/")


def test_basic_and_project_of_wangdu(wangdu):
    chart = wangdu["2024-budget-basic-project"]
    assert [(r["part"], r["amount"]) for r in rows(chart)] == [("basic", "321.38"), ("project", "3332.80")]
    assert "基本支出 321.38 万元" in chart.alt and "项目支出 3332.80 万元" in chart.alt
    assert "合计 3654.18 万元" in chart.alt
    assert {"基本支出", "项目支出", "321.38", "3,332.80"} <= set(svg_texts(chart.svg))


def test_basic_spending_by_economic_class_of_wangdu(wangdu):
    chart = wangdu["2024-budget-basic-economic"]
    assert [(r["code"], r["amount"]) for r in rows(chart)] == [("301", "287.68"), ("302", "30.38"), ("303", "3.32")]
    assert chart.sources == ((WANGDU_DOC, "basic_economic", None),)


def test_three_public_of_leshan_and_none_for_wangdu(cat, wangdu):
    leshan = {c.slug: c for c in render.bureau_charts(cat, LESHAN)}
    chart = leshan["2023-budget-three-public"]
    assert [(r["item"], r["measure"], r["amount"]) for r in rows(chart)] == [("reception", "budget", "1.39")]
    assert "合计 1.39 万元" in chart.alt and "公务接待费 1.39 万元" in chart.alt
    assert "公务接待费" in svg_texts(chart.svg)
    # 望都县 prints an empty "三公" table (total 0): no chart rather than an empty one
    assert not any(slug.endswith("three-public") for slug in wangdu)


def test_final_three_public_shows_budget_and_final(cat):
    chart = {c.slug: c for c in render.bureau_charts(cat, "haidong-huzhu-ybj")}["2024-final-three-public"]
    assert [(r["item"], r["measure"], r["amount"]) for r in rows(chart)] == [
        ("vehicle_operation", "budget", "2.10"), ("vehicle_operation", "final", "2.10")]
    assert {"预算", "决算"} <= set(svg_texts(chart.svg))


def test_charts_without_data_are_left_out(cat):
    # 凤县 prints no function table: its 类 are the summary tables' lines (财政拨款收支总表 210
    # 177.12614), its 项 the 情况说明's (000 line 111: 行政运行(2101501)81.3261万元), and no table or
    # sentence splits 基本/项目: class and item charts, no 基本/项目 chart
    charts = {c.slug: c for c in render.bureau_charts(cat, "baoji-fengxian-ybj")}
    slugs = list(charts)
    assert "2024-budget-unit-function-classes" in slugs and "2024-budget-unit-basic-project" not in slugs
    items = charts["2024-budget-unit-function-items"]
    assert "2101501,行政运行,81.3261" in items.csv and ("baoji-fengxian-ybj-2024-budget-unit", "narrative", None) in items.sources
    # 凤县 prints an empty "三公" table (total 0): no chart
    assert "2024-budget-unit-three-public" not in slugs
    slugs = [c.slug for c in render.bureau_charts(cat, LESHAN)]
    # one document per bureau in the samples: no 预算/决算 or year-over-year chart
    assert not any("budget-vs-final" in s or s == "spending-by-year" for s in slugs)


def test_slugs_csv_and_sources_are_well_formed(cat):
    for bureau_id in cat.bureaus:
        made = render.bureau_charts(cat, bureau_id)
        slugs = [c.slug for c in made]
        assert len(slugs) == len(set(slugs)), bureau_id
        for c in made:
            assert re.fullmatch(r"[a-z0-9][a-z0-9._-]*", c.slug), c.slug
            assert c.csv.endswith("\n") and "\r" not in c.csv
            assert "万元" in c.title and c.svg.startswith("<svg")
            assert c.sources and all(s[0] in {d["document_id"] for d in cat.documents} for s in c.sources)


def test_csv_amounts_are_the_package_strings(cat, packages):
    """Every amount of every chart CSV is a string of the packages' facts (never a float)."""
    with (packages / "all" / "facts.csv").open(encoding="utf-8") as f:
        printed = {r["amount"] for r in csv.DictReader(f)}
    made = [c for b in cat.bureaus for c in render.bureau_charts(cat, b)] + render.comparison_charts(cat)
    amounts = [r["amount"] for c in made for r in rows(c)]
    assert amounts and set(amounts) <= printed


# ------------------------------------------------------------------------ comparison


def test_comparison_compares_one_year_and_phase(comparison):
    """One set of charts per year and phase of two bureaus or more: on the samples 2024 预算
    (宿州, 望都, 凤县's 单位预算); 乐山 (2023 预算) and 互助 (2024 决算) are alone in theirs: no chart,
    their figures are in the comparison tables."""
    assert comparison and all(slug.startswith("compare-2024-budget-") for slug in comparison)
    total = {r["bureau_id"]: (r["document_id"], r["amount"]) for r in rows(comparison["compare-2024-budget-total-spending"])}
    assert total[WANGDU] == (WANGDU_DOC, "3654.18")
    assert LESHAN not in total and "haidong-huzhu-ybj" not in total  # 2023 预算, 2024 决算: other years and phases
    split = {(r["bureau_id"], r["part"]): r["amount"] for r in rows(comparison["compare-2024-budget-basic-project"])}
    assert split[(WANGDU, "basic")] == "321.38" and split[(WANGDU, "project")] == "3332.80"
    classes = {(r["bureau_id"], r["code"]): r["amount"] for r in rows(comparison["compare-2024-budget-function-classes"])}
    assert classes[(WANGDU, "210")] == "3617.46" and classes[("anhui-suzhou-ybj", "201")] == "125.50"
    people = {(r["bureau_id"], r["part"]): r["amount"] for r in rows(comparison["compare-2024-budget-personnel-public"])}
    assert people[(WANGDU, "personnel")] == "291.00" and people[(WANGDU, "public")] == "30.38"
    three = {r["bureau_id"]: r["amount"] for r in rows(comparison["compare-2024-budget-three-public"])}
    assert three[WANGDU] == "0" and LESHAN not in three
    for chart in comparison.values():
        assert chart.document_id is None and "万元" in chart.title and chart.title.startswith("2024年预算：")
    assert "望都县医疗保障局（2024年部门预算）：基本支出 321.38 万元（8.79%）" in comparison["compare-2024-budget-basic-project"].alt


# ------------------------------------------------- a made-up bureau: hostile text, years


def made_up_catalog(name: str = HOSTILE) -> catalog.Catalog:
    """One bureau with 2023 预算, 2023 决算 and 2024 预算; its name and a 类 name are hostile."""
    bid = "x-ybj"
    cat = catalog.Catalog(root=Path("/nonexistent"))
    cat.bureaus[bid] = {"bureau_id": bid, "name": name + "医疗保障局", "province": "某省"}
    figures = {"x-ybj-2023-budget": ("2023", "budget", "100.00", "40.00", "60.00"),
               "x-ybj-2023-final": ("2023", "final", "98.50", "41.25", "57.25"),
               "x-ybj-2024-budget": ("2024", "budget", "120.00", "45.00", "75.00")}
    for did, (year, phase, total, basic, project) in figures.items():
        cat.documents.append({"document_id": did, "bureau_id": bid, "title": name, "year": year,
                              "phase": phase, "scope": "department"})
        cat.by_document[did] = {
            "tables": [{"document_id": did, "table": "general_public_function", "seq": "1", "source_page": "3",
                        "total": total, "basic": basic, "project": project}],
            "summary": [{"document_id": did, "table": "summary", "side": "expenditure", "item": "本年支出合计",
                         "amount": total, "source_page": "2"}],
            "function_expenditure": [
                {"document_id": did, "table": "general_public_function", "code": "210", "name": name,
                 "level": "class", "total": total, "source_page": "3"},
                *({"document_id": did, "table": "general_public_function", "code": code, "name": part,
                   "level": level, "total": "1.00", "source_page": "3"}
                  for i, part in enumerate(PARTS) for code, level in ((f"22{i}", "class"), (f"22{i}0101", "item")))],
            "three_public": [{"document_id": did, "item": "reception", "measure": phase, "amount": "0.50",
                              "table": "three_public", "source_page": "7"}],
        }
        cat.by_document[did]["facts"] = made_up_facts(did, phase, name, total, basic, project)
    return cat


def made_up_facts(did: str, measure: str, name: str, total: str, basic: str, project: str) -> list[dict]:
    """The facts of a made-up document: 支出合计 of its 收支总表 (p. 2), the 一般公共预算支出表's
    合计, 基本 and 项目 (p. 3), a 类 210 of the whole and three 类 of 1.00 with one 项 each, and
    公务接待费 0.50 (p. 7)."""
    def fact(dimension, code, amount, table, page, name="", level=""):
        return {"document_id": did, "measure": measure, "dimension": dimension, "code": code, "part": "total",
                "name": name, "level": level, "amount": amount, "source_table": table, "source_page": page,
                "basis": "printed", "conflict": "false"}
    gp = "general_public_function"
    return [fact("total", "expenditure", total, "summary", "2"), fact("total", "general_public", total, gp, "3"),
            fact("total", "basic", basic, gp, "3"), fact("total", "project", project, gp, "3"),
            fact("function", "210", total, gp, "3", name, "class"),
            *(fact("function", code, "1.00", gp, "3", part, level)
              for i, part in enumerate(PARTS) for code, level in ((f"22{i}", "class"), (f"22{i}0101", "item"))),
            fact("three_public", "reception", "0.50", "three_public", "7", "公务接待费")]


def assert_inert(svg: str) -> None:
    assert "<script" not in svg.lower() and "javascript:" not in svg.lower()
    assert "{{" not in svg and "](" not in svg
    assert "&lt;script&gt;" in svg  # the name is shown, as text


def test_hostile_names_are_text_in_every_svg():
    cat = made_up_catalog()
    other = made_up_catalog("某县")  # a second bureau: a comparison chart compares two or more
    cat.bureaus["y-ybj"] = {**other.bureaus["x-ybj"], "bureau_id": "y-ybj"}
    for d in other.documents:
        did = d["document_id"].replace("x-ybj", "y-ybj")
        cat.documents.append({**d, "document_id": did, "bureau_id": "y-ybj"})
        cat.by_document[did] = {k: [{**r, "document_id": did} for r in v] for k, v in other.by_document[d["document_id"]].items()}
    made = render.bureau_charts(cat, "x-ybj") + render.comparison_charts(cat)
    by_slug = {c.slug: c for c in made}
    for slug in ("2024-budget-function-classes", "2023-final-function-classes", "compare-2024-budget-function-classes",
                 "compare-2023-final-function-classes"):
        texts = " ".join(svg_texts(by_slug[slug].svg))
        assert all(part in texts for part in PARTS), slug  # shown as text ...
        assert_inert(by_slug[slug].svg)  # ... never as markup
    assert "<script>alert(1)</script>" in " ".join(svg_texts(by_slug["compare-2024-budget-total-spending"].svg))
    for chart in made:
        assert "<script" not in chart.svg and "javascript:" not in chart.svg and "{{" not in chart.svg


def test_budget_vs_final_and_years_of_made_up_bureau():
    made = {c.slug: c for c in render.bureau_charts(made_up_catalog("某县"), "x-ybj")}
    pair = made["2023-budget-vs-final"]
    assert pair.document_id is None
    assert [(r["figure"], r["phase"], r["amount"]) for r in rows(pair)] == [
        ("total", "budget", "100.00"), ("total", "final", "98.50"), ("basic", "budget", "40.00"),
        ("basic", "final", "41.25"), ("project", "budget", "60.00"), ("project", "final", "57.25")]
    assert "支出合计：预算 100.00 万元，决算 98.50 万元" in pair.alt
    assert pair.sources == (("x-ybj-2023-budget", "general_public_function", 3), ("x-ybj-2023-budget", "summary", 2),
                            ("x-ybj-2023-final", "general_public_function", 3), ("x-ybj-2023-final", "summary", 2))
    years = made["spending-by-year"]
    assert [(r["year"], r["phase"], r["amount"]) for r in rows(years)] == [
        ("2023", "budget", "100.00"), ("2023", "final", "98.50"), ("2024", "budget", "120.00")]
    assert "2024年：预算 120.00 万元" in years.alt
    # per-document charts carry the year and phase in the slug: unique on the bureau page
    assert {"2023-budget-function-classes", "2023-final-function-classes", "2024-budget-function-classes",
            "2023-final-three-public"} <= set(made)
    assert len(made) == len(set(made))


# --------------------------------------------------------------------------- chart_html


def test_chart_html_escapes_and_stays_one_html_block():
    cat = made_up_catalog()
    chart = next(c for c in render.bureau_charts(cat, "x-ybj") if c.slug == "2024-budget-function-classes")
    assert HOSTILE in chart.alt  # plain text in the record ...
    block = chart_html(chart, "../charts/x-ybj/")
    assert "<script" not in block and "&lt;script&gt;" in block
    assert block.startswith('<figure class="budget-chart" id="chart-2024-budget-function-classes">')
    assert '<img src="../charts/x-ybj/2024-budget-function-classes.svg" alt="' in block
    assert 'loading="lazy"' in block
    assert '<a href="../charts/x-ybj/2024-budget-function-classes.csv" download>下载 CSV</a>' in block
    assert '<a href="../charts/x-ybj/2024-budget-function-classes.svg" download>下载 SVG</a>' in block
    assert "数据来源：一般公共预算支出表（功能分类） 第 3 页" in block
    assert "\n\n" not in block.strip()
    # ... and escaped in the attribute: the alt ends where it should
    alt = re.search(r'alt="([^"]*)"', block).group(1)
    assert html.unescape(alt) == chart.alt
    # Markdown (the site's extensions, no md_in_html) passes the block through untouched
    page = markdown.markdown("# 图\n\n" + block + "\n正文\n", extensions=["tables", "attr_list", "toc"])
    assert block.strip() in page
    assert 'href="javascript' not in page and "<script" not in page


def test_chart_html_names_documents_of_cross_document_charts(comparison):
    block = chart_html(comparison["compare-2024-budget-total-spending"], "charts/")
    # 宿州's 支出合计 is its 支出总表's (the sum of its 类: the 合计 row is unlabelled)
    assert f"{WANGDU_DOC}：收支总表" in block and "anhui-suzhou-ybj-2024-budget：支出总表" in block


# -------------------------------------------------------------------------- determinism

_DIGEST = """
import hashlib, json, sys
from pathlib import Path
from generator.publish.catalog import load_catalog
from generator.publish.charts import render
cat = load_catalog(Path(sys.argv[2]))
made = render.bureau_charts(cat, sys.argv[1]) + render.comparison_charts(cat)
print(hashlib.sha256(json.dumps([[c.slug, c.svg, c.csv, c.alt, c.variants] for c in made]).encode()).hexdigest())
"""


def digest(made: list[records.Chart]) -> str:
    return hashlib.sha256(json.dumps([[c.slug, c.svg, c.csv, c.alt, c.variants] for c in made]).encode()).hexdigest()


def test_output_is_byte_identical_across_processes(cat, packages):
    runs = [subprocess.run([sys.executable, "-c", _DIGEST, WANGDU, str(packages)], cwd=REPO, capture_output=True,
                           text=True, timeout=300, check=True).stdout.strip() for _ in range(2)]
    here = digest(render.bureau_charts(cat, WANGDU) + render.comparison_charts(cat))
    assert runs[0] == runs[1] == here


# ------------------------------------------------------------------------------ cache


def test_cache_keeps_what_is_drawn_and_forgets_the_rest(cat, tmp_path, monkeypatch):
    """SVGs are cached by what they draw, both layouts of each chart (wide and narrow; the dark
    variants are recoloured copies, not drawn or cached); a cached SVG that no build used for an
    hour (a chart of data or code that changed since) is removed once a site has drawn all its
    charts."""
    monkeypatch.setattr(cat, "settings", replace(cat.settings, chart_cache=tmp_path))
    monkeypatch.setattr(render, "_used", set())
    drawn = render.bureau_charts(cat, WANGDU)
    cached = sorted(tmp_path.glob("*.svg"))
    assert len(cached) == 2 * len(drawn) and sorted(p.read_text(encoding="utf-8") for p in cached) \
        == sorted([c.svg for c in drawn] + [dict(c.variants)["-narrow"] for c in drawn])
    # the same charts again, in a new process's state: read from the cache, not drawn
    monkeypatch.setattr(render, "_used", set())
    monkeypatch.setattr(render.vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drawn again"))
    assert [(c.svg, c.variants) for c in render.bureau_charts(cat, WANGDU)] == [(c.svg, c.variants) for c in drawn]
    an_hour_ago = time.time() - render.KEEP_UNUSED_SECONDS - 1
    stale, recent = tmp_path / ("0" * 64 + ".svg"), tmp_path / ("1" * 64 + ".svg")
    for path in (stale, recent):
        path.write_text("<svg/>", encoding="utf-8")
    os.utime(stale, (an_hour_ago, an_hour_ago))
    for path in cached:  # used by this build, however old
        os.utime(path, (an_hour_ago, an_hour_ago))
    render.prune_cache(tmp_path)
    assert sorted(tmp_path.iterdir()) == sorted([*cached, recent])


def test_missing_charts_are_drawn_in_other_processes(cat, wangdu, tmp_path, monkeypatch):
    """A first build draws every chart of the site in a pool of processes; the pages then read
    each from the cache, and the SVGs are those drawn in this process."""
    monkeypatch.setattr(cat, "settings", replace(cat.settings, chart_cache=tmp_path))
    monkeypatch.setattr(render, "PARALLEL_MIN", 1)
    n = len({svg for bid in cat.bureaus for c in render.bureau_charts(cat, bid) for svg in (c.svg, dict(c.variants)["-narrow"])}
            | {svg for c in render.comparison_charts(cat) for svg in (c.svg, dict(c.variants)["-narrow"])})  # drawn here
    for path in tmp_path.iterdir():
        path.unlink()
    assert render.draw_missing(cat) == n == len(list(tmp_path.glob("*.svg")))
    monkeypatch.setattr(render.vl_convert, "vegalite_to_svg", lambda *a, **k: pytest.fail("drawn again"))
    assert [(c.svg, c.variants) for c in render.bureau_charts(cat, WANGDU)] == [(c.svg, c.variants) for c in wangdu.values()]
    assert render.draw_missing(cat) == 0  # nothing left to draw


def test_a_code_chart_is_not_redrawn_for_a_document_outside_its_largest():
    """A code page's chart of a year and phase shows the 30 largest documents; its picture (title,
    bars) does not change when a document smaller than all of them is added — the count of
    documents is the page's, so the chart cache keeps serving it (issue 18: one new document
    redrew every code chart its codes were on)."""
    from types import SimpleNamespace

    from generator.publish.charts.codes import CODE_CHART_MAX, code_drafts
    from generator.publish.figures import Figure

    def row(i: int, amount: str):
        doc = {"document_id": f"b{i:03d}-2024-budget", "bureau_id": f"b{i:03d}", "year": "2024", "phase": "budget"}
        return SimpleNamespace(doc=doc, bureau={"bureau_id": f"b{i:03d}", "name": f"第{i}局"}, scope_label="2024年部门预算",
                               fig=Figure(amount, doc["document_id"], "general_public_function", 3, name="行政运行"))

    rows = [row(i, f"{100 + i}.00") for i in range(CODE_CHART_MAX + 5)]
    before = code_drafts("2101501", "行政运行", [(("2024", "budget"), rows)])[0]
    after = code_drafts("2101501", "行政运行", [(("2024", "budget"), rows + [row(999, "1.00")])])[0]
    assert before.title == after.title == "2024年预算：2101501 行政运行（万元）（最大的 30 份，全部见下表）"
    assert render._cache_key(before) == render._cache_key(after)
    larger = code_drafts("2101501", "行政运行", [(("2024", "budget"), rows + [row(998, "999.00")])])[0]
    assert render._cache_key(larger) != render._cache_key(before)  # a new bar is a new picture
