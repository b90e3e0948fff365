"""The site reads only ``facts``: every amount the home page, the bureau pages, the document
headings and the comparison page show for a document (tables, key figures, chart CSVs and
text alternatives) is that document's row of ``all/facts.csv``, and 支出合计 has one figure
everywhere.

The built HTML of documents/ (the session's ``sample_site``) is parsed with html.parser.
Figures read off the documents by hand:

- 宿州 2024 部门预算 (documents/003_4c40129985d12d4c.txt): the 支出预算总表 (表 7, line 366)
  prints its 合计 row without a label: 1,774.62 | 1,088.71 | 685.92; its classes 201 125.50 +
  208 402.17 + 210 1,128.93 + 221 118.02 = 1,774.62, which the facts give as ``derived`` (no
  收支总表 line 本年支出合计 is printed). The 一般公共预算支出表 prints 合计 1,773.19 | 1,088.71 |
  684.49 (line 172): 一般公共预算支出, 基本支出 and 项目支出.
- 凤县 2024 单位预算 (documents/000_a8cda960e0db61c9.txt, amounts in 元): 本年支出合计
  2,021,528.40 元 = 202.15284 万元; no 基本支出/项目支出 table, “三公” 0.
"""
from __future__ import annotations

import csv
import itertools
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from generator.publish.format import fmt_amount, percent

SUZHOU, SUZHOU_DOC = "anhui-suzhou-ybj", "anhui-suzhou-ybj-2024-budget"
FENGXIAN, FENGXIAN_DOC = "baoji-fengxian-ybj", "baoji-fengxian-ybj-2024-budget-unit"
CLASS_CODES = ("201", "208", "210", "221")


# ------------------------------------------------------------------------------ parsing


class Parsed(HTMLParser):
    """What a page shows: its tables (header and rows of cells, each cell's text and link
    targets), list items and paragraphs in order, and its chart figures."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.blocks: list[tuple[str, str]] = []  # ("li" | "p" | "h2" | ..., text) in page order
        self.charts: list[dict] = []
        self._cell: dict | None = None
        self._row: list[dict] | None = None
        self._block: list | None = None
        self._chart: dict | None = None
        self._note = False
        self._skip = 0
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = {"tag": tag, "text": [], "hrefs": []}
        elif tag in ("li", "p", "h1", "h2", "h3", "h4") and self._cell is None:
            self._block = [tag, []]
        elif tag == "figure" and "budget-chart" in (a.get("class") or ""):
            self._chart = {"id": a.get("id"), "alt": None, "csv": None, "note": []}
        elif tag == "img" and self._chart is not None:
            self._chart["alt"] = a.get("alt")
        elif tag == "span" and self._chart is not None and a.get("class") == "budget-chart-note":
            self._note = True
        if tag == "a" and a.get("href"):
            if self._cell is not None:
                self._cell["hrefs"].append(a["href"])
            if self._chart is not None and a["href"].endswith(".csv"):
                self._chart["csv"] = a["href"]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._cell["text"] = re.sub(r"\s+", " ", "".join(self._cell["text"])).strip()
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            table = self.tables[-1]
            if all(c["tag"] == "th" for c in self._row):
                table["head"] = [c["text"] for c in self._row]
            else:
                table["rows"].append(self._row)
            self._row = None
        elif self._block is not None and tag == self._block[0]:
            self.blocks.append((tag, re.sub(r"\s+", " ", "".join(self._block[1])).strip()))
            self._block = None
        elif tag == "span" and self._note:
            self._note = False
        elif tag == "figure" and self._chart is not None:
            self._chart["note"] = "".join(self._chart["note"]).strip()
            self.charts.append(self._chart)
            self._chart = None

    def handle_data(self, data):
        if self._skip:
            return
        if self._cell is not None:
            self._cell["text"].append(data)
        if self._block is not None:
            self._block[1].append(data)
        if self._note:
            self._chart["note"].append(data)

    def table_with(self, header: str) -> dict:
        found = [t for t in self.tables if header in t["head"]]
        assert len(found) == 1, f"{len(found)} tables headed {header!r}"
        return found[0]


def parse(site: Path, url: str) -> Parsed:
    return Parsed((site / url / "index.html").read_text(encoding="utf-8"))


def target(site: Path, url: str, href: str) -> Path:
    resolved = unquote(urljoin(f"http://x/{url}", href.split("#")[0]))[len("http://x/"):]
    return site / resolved


def linked_document(cells: list[dict]) -> str:
    """The document a table row is about: the target of its link to ``documents/<id>/``."""
    ids = {m.group(1) for c in cells for h in c["hrefs"] if (m := re.search(r"documents/([^/]+)/", h))}
    assert len(ids) == 1, [c["text"] for c in cells]
    return ids.pop()


# ------------------------------------------------------------------------------ facts


class Facts:
    """all/facts.csv of the build, by (document, measure, dimension, code, part)."""

    def __init__(self, packages: Path):
        with (packages / "all" / "facts.csv").open(encoding="utf-8", newline="") as f:
            self.rows = list(csv.DictReader(f))
        with (packages / "all" / "documents.csv").open(encoding="utf-8", newline="") as f:
            self.documents = {d["document_id"]: d for d in csv.DictReader(f)}
        self.by_key = {(r["document_id"], r["measure"], r["dimension"], r["code"], r["part"]): r for r in self.rows}
        assert len(self.by_key) == len(self.rows)  # the primary key holds

    def measure(self, doc: str) -> str:
        return "final" if self.documents[doc]["phase"] == "final" else "budget"

    def get(self, doc: str, dimension: str, code: str, part: str = "total", measure: str | None = None) -> dict | None:
        return self.by_key.get((doc, measure or self.measure(doc), dimension, code, part))

    def shown(self, doc: str, dimension: str, code: str, part: str = "total", measure: str | None = None) -> str:
        """How a page shows the fact: the amount with thousands separators, ※ when derived,
        ≠ when printed copies disagree, ？ when read by OCR and unconfirmed; “—” without a fact."""
        row = self.get(doc, dimension, code, part, measure)
        if row is None:
            return "—"
        return (fmt_amount(row["amount"]) + ("※" if row["basis"] == "derived" else "")
                + ("≠" if row["conflict"] == "true" else "") + ("？" if row.get("certainty") == "uncertain" else ""))

    def amounts(self, docs) -> set[Decimal]:
        return {Decimal(r["amount"]) for r in self.rows if r["document_id"] in docs}


@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    return sample_site


@pytest.fixture(scope="module")
def facts(sample_site) -> Facts:
    return Facts(sample_site.parent / "datapackages")


def bureau_of(facts: Facts, doc: str) -> str:
    return facts.documents[doc]["bureau_id"]


# ------------------------------------------------------------------------------ home page


def test_home_table_shows_each_documents_facts(site, facts):
    table = parse(site, "").table_with("支出合计（万元）")
    head = table["head"]
    assert len(table["rows"]) == len(facts.documents) == 5
    for cells in table["rows"]:
        doc = linked_document(cells)
        text = {h: c["text"] for h, c in zip(head, cells)}
        assert text["支出合计（万元）"] == facts.shown(doc, "total", "expenditure"), doc
        assert text["一般公共预算支出（万元）"] == facts.shown(doc, "total", "general_public"), doc


def test_home_adds_up_no_bureaus(site, facts):
    """The per-year table counts documents and shows no amount; no sum of two documents'
    支出合计 stands anywhere on the page (before: 2024 预算 3 份 5,630.95284 = 宿州 1,774.62 + 望都
    3,654.18 + 凤县 202.15284, a 单位预算 next to 部门预算s)."""
    p = parse(site, "")
    per_year = p.table_with("文件数")
    assert per_year["head"] == ["年度", "预算/决算", "文件数", "其中部门", "其中单位"]
    assert [[c["text"] for c in r] for r in per_year["rows"]] == [
        ["2024", "预算", "3", "2", "1"], ["2024", "决算", "1", "1", "0"], ["2023", "预算", "1", "1", "0"]]
    text = " ".join(t for _, t in p.blocks) + " ".join(c["text"] for t in p.tables for r in t["rows"] for c in r)
    totals = [Decimal(r["amount"]) for r in facts.rows if (r["dimension"], r["code"]) == ("total", "expenditure")]
    sums = {fmt_amount(sum(group, Decimal(0))) for n in range(2, len(totals) + 1)
            for group in itertools.combinations(totals, n)}
    assert "5,630.95284" in sums
    assert not [s for s in sums if s in text]
    assert any("不相加" in t for _, t in p.blocks)


def test_the_definition_of_total_spending_is_said_where_it_is_shown(site, facts):
    rule = "“支出合计”为收支总表的“本年支出合计”，无此行时为支出总表（全部资金）的合计"
    for url in ["", "comparison/", *(f"bureaus/{b}/" for b in {bureau_of(facts, d) for d in facts.documents}),
                *(f"documents/{d}/" for d in facts.documents)]:
        assert any(rule in t for tag, t in parse(site, url).blocks if tag == "p"), url


# ------------------------------------------------------------------------------ headings


def heading_figures(p: Parsed) -> dict[str, dict[str, str]]:
    """The key figures of each document heading: document id -> label -> figure text."""
    out: dict[str, dict[str, str]] = {}
    current = None
    for tag, text in p.blocks:
        if tag != "li":
            continue
        if text.startswith("文件编号："):
            current = out.setdefault(text[len("文件编号："):], {})
            continue
        if current is None:
            continue
        for part in text.split("，"):
            m = re.fullmatch(r"(支出合计|一般公共预算支出|基本支出|项目支出|人员经费|公用经费|“三公”经费（(?:预算|决算)数）)"
                             r"：(\S+?)(?: 万元)?", part)
            if m:
                current[m.group(1)] = m.group(2)
    return out


HEADING_FACTS = {"支出合计": ("total", "expenditure"), "一般公共预算支出": ("total", "general_public"),
                 "基本支出": ("total", "basic"), "项目支出": ("total", "project"),
                 "人员经费": ("total", "personnel"), "公用经费": ("total", "public")}


def check_heading(facts: Facts, doc: str, shown: dict[str, str]) -> None:
    assert "支出合计" in shown, doc  # always, “—” without the fact
    for label, (dimension, code) in HEADING_FACTS.items():
        want = facts.shown(doc, dimension, code)
        if label in shown or want != "—" and label in ("支出合计", "一般公共预算支出"):
            assert shown.get(label) == want, (doc, label)
    three = [k for k in shown if k.startswith("“三公”")]
    measure = facts.measure(doc)
    assert three == ([f"“三公”经费（{'决算' if measure == 'final' else '预算'}数）"]
                     if facts.get(doc, "three_public", "total") else [])
    for k in three:
        assert shown[k] == facts.shown(doc, "three_public", "total"), doc


def test_bureau_and_document_headings_show_the_facts(site, facts):
    for doc in facts.documents:
        for url in (f"bureaus/{bureau_of(facts, doc)}/", f"documents/{doc}/"):
            headings = heading_figures(parse(site, url))
            assert doc in headings, url
            check_heading(facts, doc, headings[doc])


# ------------------------------------------------------------------------------ comparison page


COMPARISON_FACTS = {"支出合计": ("total", "expenditure"), "一般公共预算支出": ("total", "general_public"),
                    "基本支出": ("total", "basic"), "项目支出": ("total", "project"),
                    "人员经费": ("total", "personnel"), "公用经费": ("total", "public"),
                    "“三公”经费": ("three_public", "total")}


def test_comparison_tables_show_each_documents_facts(site, facts):
    p = parse(site, "comparison/")
    table = p.table_with("基本支出占比")
    assert len(table["rows"]) == 5
    for cells in table["rows"]:
        doc = linked_document(cells)
        text = {h: c["text"] for h, c in zip(table["head"], cells)}
        for header, (dimension, code) in COMPARISON_FACTS.items():
            assert text[header] == facts.shown(doc, dimension, code), (doc, header)
        basic, project = facts.get(doc, "total", "basic"), facts.get(doc, "total", "project")
        want = (percent(Decimal(basic["amount"]), Decimal(basic["amount"]) + Decimal(project["amount"]))
                if basic and project else "")
        assert text["基本支出占比"] == want, doc
    shares = p.table_with("其他")
    for doc, d in facts.documents.items():
        classes = [r for r in facts.rows if (r["document_id"], r["dimension"], r["level"], r["part"])
                   == (doc, "function", "class", "total")]
        whole = sum((Decimal(r["amount"]) for r in classes), Decimal(0))
        label = f"{d['year']}年{'部门' if d['scope'] == 'department' else '单位'}{'决算' if d['phase'] == 'final' else '预算'}"
        row = [r for r in shares["rows"] if r[1]["text"] == label and r[0]["hrefs"][0].endswith(f"{d['bureau_id']}/")]
        assert len(row) == 1, doc
        cells = {h: c["text"] for h, c in zip(shares["head"], row[0])}
        for code in CLASS_CODES:
            fact = facts.get(doc, "function", code)
            header = next(h for h in shares["head"] if h.endswith(f"（{code}）"))
            assert cells[header] == (percent(Decimal(fact["amount"]), whole) if fact else ""), (doc, code)


# ------------------------------------------------------------------------------ charts


SUFFIXES = ("function-classes", "function-items", "basic-project", "basic-economic", "three-public")


def chart_rows(site: Path, url: str, chart: dict) -> list[dict]:
    with target(site, url, chart["csv"]).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def fact_of_row(facts: Facts, slug: str, row: dict, doc: str | None) -> dict | None:
    """The fact a chart CSV row draws, by the chart's kind (a comparison chart is of one year
    and phase, ``compare-<year>-<phase>-<kind>``: its row is of a document of that phase)."""
    if m := re.match(r"compare-(\d+)-(budget|final)-(.+)$", slug):
        year, measure, kind = m.groups()
        assert (facts.documents[row["document_id"]]["year"], facts.measure(row["document_id"])) == (year, measure)
        if kind == "three-public":
            return facts.get(row["document_id"], "three_public", "total", measure=measure)
        slug = "compare-" + kind
    if slug.endswith("function-classes") or slug.endswith("function-items"):
        return facts.get(row.get("document_id") or doc, "function", row["code"])
    if slug.endswith("basic-economic"):
        return facts.get(doc, "economic", row["code"])
    if slug.endswith("basic-project") or slug == "compare-personnel-public":
        return facts.get(row.get("document_id") or doc, "total", row["part"])
    if slug.endswith("three-public") and doc is not None:
        return facts.get(doc, "three_public", row["item"], measure=row["measure"])
    if slug in ("compare-total-spending", "spending-by-year"):
        return facts.get(row["document_id"], "total", "expenditure")
    if "budget-vs-final" in slug:
        code = {"total": "expenditure"}.get(row["figure"], row["figure"])
        return facts.get(row["document_id"], "total", code)
    raise AssertionError(f"a chart this test does not know: {slug}")


def chart_document(bureau: str, slug: str) -> str | None:
    """The document of a per-document chart: its slug is the document id without the bureau
    id, then the chart's kind."""
    for suffix in SUFFIXES:
        if slug.endswith("-" + suffix):
            return f"{bureau}-{slug[:-len(suffix) - 1]}"
    return None


def check_charts(site: Path, facts: Facts, url: str, bureau: str | None) -> int:
    checked = 0
    for chart in parse(site, url).charts:
        slug = chart["id"][len("chart-"):]
        doc = chart_document(bureau, slug) if bureau else None
        rows = chart_rows(site, url, chart)
        assert rows, slug
        docs = {doc} if doc else {r["document_id"] for r in rows}
        for row in rows:
            fact = fact_of_row(facts, slug, row, doc)
            assert fact is not None and fact["amount"] == row["amount"], (slug, row)
            if "table" in row:
                assert row["table"] == fact["source_table"], (slug, row)
            checked += 1
        # every amount the text alternative states is a fact of the documents drawn (the note on
        # items that do not add up to their table's total states their sum: left out here)
        alt = chart["alt"]
        assert alt
        note = chart["note"]
        if note.startswith("各项之和") or "各项之和" in note:
            alt = alt[:alt.index("各项之和")]
        stated = [Decimal(a.replace(",", "")) for a in re.findall(r"(-?[\d,]+(?:\.\d+)?) 万元", alt)]
        assert stated, slug
        assert set(stated) <= facts.amounts(docs), (slug, set(stated) - facts.amounts(docs))
        # a drawn figure that is derived is said so under the title
        if any(fact_of_row(facts, slug, r, doc)["basis"] == "derived" for r in rows):
            assert "由下级科目相加" in note, slug
    return checked


def test_bureau_charts_draw_the_facts(site, facts):
    checked = 0
    for bureau in sorted({bureau_of(facts, d) for d in facts.documents}):
        checked += check_charts(site, facts, f"bureaus/{bureau}/", bureau)
    assert checked > 50


def test_comparison_charts_draw_the_facts(site, facts):
    assert check_charts(site, facts, "comparison/", None) > 20


# ------------------------------------------------------------------------------ 宿州 and 凤县


def test_suzhou_total_spending_is_one_figure_everywhere(site, facts):
    """宿州's 支出总表 prints its 合计 row unlabelled (1,774.62, documents/003 line 366): the
    fact is the sum of its 类 (derived), 1,774.62 = 125.50 + 402.17 + 1,128.93 + 118.02; the
    一般公共预算支出 1,773.19 is shown as such, never as 支出合计 (before: home 1,774.62,
    comparison table and chart 1,773.19)."""
    row = facts.get(SUZHOU_DOC, "total", "expenditure")
    assert (row["amount"], row["basis"], row["source_table"]) == ("1774.62", "derived", "expenditure")
    # the function facts are the 一般公共预算支出表's (210 1,127.50): they add up to 1,773.19
    assert sum(Decimal(facts.get(SUZHOU_DOC, "function", c)["amount"]) for c in CLASS_CODES) == Decimal("1773.19")
    assert facts.get(SUZHOU_DOC, "total", "general_public")["amount"] == "1773.19"
    seen = []
    home = parse(site, "").table_with("支出合计（万元）")
    seen += [dict(zip(home["head"], (c["text"] for c in r)))["支出合计（万元）"] for r in home["rows"]
             if linked_document(r) == SUZHOU_DOC]
    comparison = parse(site, "comparison/")
    table = comparison.table_with("基本支出占比")
    seen += [dict(zip(table["head"], (c["text"] for c in r)))["支出合计"] for r in table["rows"]
             if linked_document(r) == SUZHOU_DOC]
    for url in (f"bureaus/{SUZHOU}/", f"documents/{SUZHOU_DOC}/"):
        seen.append(heading_figures(parse(site, url))[SUZHOU_DOC]["支出合计"])
    assert seen == ["1,774.62※"] * 4
    chart = next(c for c in comparison.charts if c["id"] == "chart-compare-2024-budget-total-spending")
    drawn = {r["document_id"]: r["amount"] for r in chart_rows(site, "comparison/", chart)}
    assert drawn[SUZHOU_DOC] == "1774.62"
    assert "宿州市医疗保障局（2024年部门预算） 1774.62 万元" in chart["alt"]
    assert "宿州市医疗保障局（2024年部门预算）：原表未印出，由下级科目相加。" in chart["note"]


def test_fengxian_figures(site, facts):
    """凤县 2024 单位预算: 支出合计 = 一般公共预算支出 = 202.15284 万元 (2,021,528.40 元); no
    基本/项目 or 人员/公用 figure (“—”); “三公” 0.00."""
    assert facts.get(FENGXIAN_DOC, "total", "expenditure")["amount"] == "202.15284"
    shown = heading_figures(parse(site, f"bureaus/{FENGXIAN}/"))[FENGXIAN_DOC]
    assert shown == {"支出合计": "202.15284", "一般公共预算支出": "202.15284", "“三公”经费（预算数）": "0.00"}
    table = parse(site, "comparison/").table_with("基本支出占比")
    row = next(dict(zip(table["head"], (c["text"] for c in r))) for r in table["rows"]
               if linked_document(r) == FENGXIAN_DOC)
    assert [row[h] for h in ("支出合计", "一般公共预算支出", "基本支出", "项目支出", "人员经费", "公用经费",
                             "“三公”经费")] == ["202.15284", "202.15284", "—", "—", "—", "—", "0.00"]
