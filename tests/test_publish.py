"""Publish stage: the real MkDocs build of tests/fixtures/datapackages_small.

The fixture holds 望都县医疗保障局 2024 部门预算 (figures from documents/004_1dc876329a8abae6.txt)
and a made-up bureau whose texts are HTML / Markdown / Jinja.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest

from generator.publish import build as publish_build, catalog, format as publish_format, settings

FIXTURE = Path(__file__).parent / "fixtures" / "datapackages_small"
HOSTILE = "<script>alert(1)</script>[x](javascript:alert(1)){{ config }}医疗保障局"
WANGDU = "wangdu-ybj-2024-budget"

#: minimum fields of DATA-CONTRACT.md v1, in the contract's order
CONTRACT_FIELDS = {
    "function_expenditure": ["document_id", "table", "code", "name", "level", "total", "basic",
                             "project", "source_page"],
    "economic_expenditure": ["document_id", "table", "code", "name", "level", "total", "personnel",
                             "public", "source_page"],
    "summary": ["document_id", "table", "side", "item", "amount", "source_page"],
    "three_public": ["document_id", "item", "measure", "amount", "source_page"],
}


class _Page(HTMLParser):
    """Visible text and link targets of an HTML page."""

    def __init__(self, html_text: str):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self._skip = 0
        self.feed(html_text)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    publish_build.build_site(FIXTURE, site_dir, strict=True)
    return site_dir


def page(site: Path, url: str) -> tuple[str, _Page]:
    path = site / url / "index.html"
    assert path.is_file(), f"no page at /{url}"
    raw = path.read_text(encoding="utf-8")
    return raw, _Page(raw)


def visible(p: _Page) -> str:
    return re.sub(r"\s+", " ", "".join(p.text))


def target(site: Path, url: str, href: str) -> Path:
    """The file a relative link of page /url points to."""
    resolved = unquote(urljoin(f"http://x/{url}", href.split("#")[0]))[len("http://x/"):]
    path = site / resolved
    return path / "index.html" if resolved.endswith("/") or resolved == "" else path


# ------------------------------------------------------------------------------ unit level


@pytest.mark.parametrize("value, shown", [
    ("3654.18", "3,654.18"), ("1773.19", "1,773.19"), ("2832.00", "2,832.00"), ("89", "89.00"),
    ("202.15284", "202.15284"), ("1570.03716", "1,570.03716"), ("0", "0.00"), ("", ""),
    (Decimal("-12.5"), "-12.50"),
])
def test_fmt_amount_chinese_style_never_rounds(value, shown):
    assert publish_format.fmt_amount(value) == shown


def test_esc_leaves_no_markup():
    out = publish_format.esc(HOSTILE + " `x` | *y* _z_ # {% raw %} &amp; 'q' \"q\"")
    assert not set(re.sub(r"&(#\d+|[a-z]+);", "", out)) & set("<>[](){}`|*_#'\"")
    assert "&lt;script&gt;" in out and "&amp;amp;" in out


def test_unsafe_ids_are_refused(tmp_path):
    (tmp_path / "all").mkdir()
    (tmp_path / "all" / "documents.csv").write_text(
        "document_id,bureau_id\n../../etc,x\n", encoding="utf-8")
    (tmp_path / "all" / "bureaus.csv").write_text("bureau_id,name\nx,X\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"document_id '\.\./\.\./etc' is not an ASCII slug"):
        catalog.load_catalog(tmp_path)


def test_datapackages_dir_env_override(monkeypatch, tmp_path):
    monkeypatch.delenv(settings.DATAPACKAGES_VAR, raising=False)
    assert settings.SiteSettings.from_environ(tmp_path / "mkdocs.yml").datapackages == tmp_path / "datapackages"
    monkeypatch.setenv(settings.DATAPACKAGES_VAR, str(FIXTURE))
    assert settings.SiteSettings.from_environ(tmp_path / "mkdocs.yml").datapackages == FIXTURE.resolve()


COMMITTED = settings.REPO / "datapackages"


@pytest.mark.parametrize("root", [
    FIXTURE,
    pytest.param(COMMITTED, marks=pytest.mark.skipif(
        not (COMMITTED / "all").is_dir(), reason="no committed datapackages/ yet")),
], ids=["fixture", "committed"])
def test_packages_have_every_column_publish_reads(root):
    for package in [p for p in root.iterdir() if (p / "datapackage.json").is_file()]:
        for resource, columns in catalog.READS.items():
            path = package / f"{resource}.csv"
            if resource in ("documents", "bureaus") or path.exists():
                with path.open(encoding="utf-8", newline="") as f:
                    header = next(csv.reader(f))
                missing = [c for c in columns if c not in header]
                assert not missing, f"{path}: publish reads missing columns {missing}"


# ------------------------------------------------------------------------------ built site


def test_home_lists_every_document_with_totals(site):
    raw, p = page(site, "")
    text = visible(p)
    assert "望都县医疗保障局" in text and "河北省 保定市 望都县" in text
    assert "3,654.18" in text and "1,773.19" in text
    assert "5/5 项检查通过" in text and "1/2 项检查通过（1 项未通过）" in text
    assert "bureaus/wangdu-ybj/" in p.hrefs and f"documents/{WANGDU}/" in p.hrefs


def test_bureau_page_has_key_figures_and_the_document_page_the_tables(site):
    # the bureau page: key figures and the function items, no table of the document page again
    _, p = page(site, "bureaus/wangdu-ybj/")
    text = visible(p)
    for figure in ("3,654.18", "14.27", "345.47", "2,832.00"):
        assert figure in text, figure
    assert "行政运行" in text and "财政对城乡居民基本医疗保险基金的补助" in text
    assert "合计（各类之和）" not in text and "无财政拨款“三公”经费支出表预算" not in text
    assert f"../../documents/{WANGDU}/" in p.hrefs
    # the document page: every table
    _, p = page(site, f"documents/{WANGDU}/")
    text = visible(p)
    for figure in ("3,654.18", "3,617.46", "22.45", "14.27", "284.66", "3,332.80", "345.47",
                   "275.47", "70.00", "2,832.00", "287.68"):
        assert figure in text, figure
    assert "行政运行" in text and "财政对城乡居民基本医疗保险基金的补助" in text
    assert "人员经费" in text and "公用经费" in text and "“三公”经费" in text
    assert "无财政拨款“三公”经费支出表预算，空表列示。" in text
    # sums of the class rows: function 3654.18 = 321.38 + 3332.80, economic 321.38 = 291.00 + 30.38
    assert "合计（各类之和） 3,654.18 321.38 3,332.80" in text
    assert "合计（各类之和） 321.38 291.00 30.38" in text


@pytest.mark.parametrize("resource", sorted(CONTRACT_FIELDS))
def test_document_csv_link_is_the_package_csv(site, resource):
    # (the bureau page linked these too when it repeated the document's tables)
    url = f"documents/{WANGDU}/"
    _, p = page(site, url)
    hrefs = [h for h in p.hrefs if h.endswith(f"/{resource}.csv")]
    assert hrefs == [f"../../data/{WANGDU}/{resource}.csv"]
    path = target(site, url, hrefs[0])
    assert path.is_file()
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert [h for h in header if h in CONTRACT_FIELDS[resource]] == CONTRACT_FIELDS[resource]
    assert rows[1:] and {r[header.index("document_id")] for r in rows[1:]} == {WANGDU}
    assert path.read_bytes() == (FIXTURE / WANGDU / f"{resource}.csv").read_bytes()


def test_stable_urls(site):
    for url in ("bureaus/", "bureaus/wangdu-ybj/", "bureaus/hostile-test/", "data/", "about/",
                f"documents/{WANGDU}/", "documents/hostile-test-2023-final/"):
        assert (site / url / "index.html").is_file(), url
    _, p = page(site, f"documents/{WANGDU}/")
    text = visible(p)
    assert "城乡居民基本医疗保险基金补助" in text
    # its 5 checks, counted by rule (the fixture ships no check_definitions.csv: no meaning)
    assert "本文件共 5 条检查结果" in text and " function_total_equals_summary 1 summary_balanced 1 " in text


def test_data_page_links_every_package_file(site):
    _, p = page(site, "data/")
    for package in ("all", WANGDU, "hostile-test-2023-final"):
        links = [h for h in p.hrefs if h.startswith(f"{package}/")]
        assert f"{package}/datapackage.json" in links
        assert len(links) == 1 + len(json.loads((FIXTURE / package / "datapackage.json")
                                                .read_text(encoding="utf-8"))["resources"])
        for href in links:
            assert target(site, "data/", href).is_file(), href


def test_plain_mkdocs_build_from_repo_root(tmp_path):
    """`mkdocs build --strict` with no environment builds from datapackages/ (or an empty
    site while none is committed)."""
    env = {k: v for k, v in os.environ.items() if k != settings.DATAPACKAGES_VAR}
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                    "-d", str(tmp_path / "site")], cwd=settings.REPO, env=env, check=True)
    raw = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    docs = catalog.load_catalog(COMMITTED).documents if (COMMITTED / "all").is_dir() else []
    assert ("暂无文件。" in raw) == (not docs)
    # no lunr index; a bare MkDocs build does not run Pagefind (build_site does), but the pages
    # are marked for it
    assert not (tmp_path / "site" / "search").exists()
    assert 'data-pagefind-body' in raw


def test_every_internal_link_resolves(site):
    for html_file in site.rglob("index.html"):
        url = html_file.parent.relative_to(site).as_posix()
        url = "" if url == "." else url + "/"
        for href in _Page(html_file.read_text(encoding="utf-8")).hrefs:
            if re.match(r"^[a-z]+:|^#|^//", href):
                continue
            assert target(site, url, href).exists(), f"/{url}: broken link {href}"


@pytest.mark.parametrize("url", ["", "bureaus/", "bureaus/hostile-test/",
                                 "documents/hostile-test-2023-final/", "data/"])
def test_hostile_text_stays_text(site, url):
    raw, p = page(site, url)
    assert "&lt;script&gt;" in raw
    assert "<script>alert" not in raw and "<img src=x" not in raw.lower()
    assert 'href="javascript' not in raw.lower() and "<b>粗体" not in raw
    assert HOSTILE in visible(p) or url == "documents/hostile-test-2023-final/" and \
        "<script>alert(1)</script>[x](javascript:alert(1)){{ config }}" in visible(p)
    title = re.search(r"<title>(.*?)</title>", raw, re.S).group(1)
    assert "<" not in title


def test_hostile_cells_on_document_page(site):
    raw, p = page(site, "documents/hostile-test-2023-final/")
    text = visible(p)
    assert "*强调* _下划线_ `代码` | 管道 # {% raw %} <img src=x onerror=alert(2)>" in text
    assert "缺少收支总表 <script>alert(3)</script>。" in text
    assert "支出决算表 <b>粗体</b> | 管道" in text
    assert "<em>" not in raw.split('<article', 1)[1] and "<code>代码" not in raw


def test_pagefind_indexes_each_key_table_once(site):
    """build_site runs Pagefind after MkDocs; the document page's repeated tables (headings marked
    data-search-exclude) are left out of the index (data-pagefind-ignore), the bureau page's not."""
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    assert not (site / "search" / "search_index.json").exists()
    raw = (site / "documents" / WANGDU / "index.html").read_text(encoding="utf-8")
    # the 支出总表 (its 2101501 行政运行 row): after an ignore wrapper's start, with no indexed
    # heading between
    at = raw.index('id="table-expenditure"')
    start = raw.rfind("<div data-pagefind-ignore>", 0, at)
    assert start >= 0 and not re.search(r"<h[1-6] id=", raw[start:at])
    assert "行政运行" in raw[at:raw.index("</table>", at)]
    bureau = (site / "bureaus" / "wangdu-ybj" / "index.html").read_text(encoding="utf-8")
    assert "data-pagefind-body" in bureau and "行政运行" in bureau.split("data-pagefind-body", 1)[1]


def test_build_site_fails_on_a_broken_link(tmp_path, monkeypatch):
    """--strict must see MkDocs' warnings: a page linking a missing page stops the build
    (with --quiet, MkDocs counts no warnings and a broken link would pass)."""
    import shutil
    shutil.copytree(settings.REPO / "site_src", tmp_path / "site_src")
    shutil.copy(publish_build.MKDOCS_YML, tmp_path / "mkdocs.yml")
    with (tmp_path / "site_src" / "about.md").open("a", encoding="utf-8") as f:
        f.write("\n[missing](no-such-page.md)\n")
    monkeypatch.setattr(publish_build, "MKDOCS_YML", tmp_path / "mkdocs.yml")
    with pytest.raises(subprocess.CalledProcessError) as failure:
        publish_build.build_site(FIXTURE, tmp_path / "site", strict=True)
    assert "no-such-page.md" in failure.value.stderr
