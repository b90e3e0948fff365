"""Site pages built from the committed sample packages: provenance (source files, pages,
per-table CSVs, citation), the quality report, the comparison page and the home overview."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import pytest
from conftest import generator_build

from generator.publish import catalog
from generator.publish.pages.sources import source_files
from tests.test_publish import page, target, visible

REPO = Path(__file__).resolve().parent.parent
PACKAGES = REPO / "datapackages"
WANGDU = "baoding-wangdu-ybj-2024-budget"
FENGXIAN = "baoji-fengxian-ybj-2024-budget-unit"


@pytest.fixture(scope="module")
def site(sample_site) -> Path:
    return sample_site


def test_document_page_links_its_source_file(site):
    url = f"documents/{WANGDU}/"
    raw, p = page(site, url)
    links = re.findall(r'<a[^>]*class="source-link"[^>]*href="([^"]+)"|<a[^>]*href="([^"]+)"[^>]*class="source-link"', raw)
    hrefs = [a or b for a, b in links]
    assert hrefs == [f"../../sources/{WANGDU}.txt"]
    copied = target(site, url, hrefs[0])
    assert copied.read_bytes() == (REPO / "documents" / "004_1dc876329a8abae6.txt").read_bytes()


def test_source_is_not_published_when_the_file_changed(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "004_1dc876329a8abae6.txt").write_text("another text", encoding="utf-8")
    cat = catalog.load_catalog(PACKAGES)
    cat.documents_dir = docs
    assert source_files(cat) == {}  # sha256 differs from the package's: no link
    cat.documents_dir = REPO / "documents"
    assert set(source_files(cat)) == {f"sources/{d['document_id']}.txt" for d in cat.documents}


def test_each_table_has_an_anchor_and_the_csv_of_exactly_its_rows(site):
    url = f"documents/{WANGDU}/"
    raw, p = page(site, url)
    assert 'id="table-general_public_function"' in raw and 'id="table-basic_economic"' in raw
    href = next(h for h in p.hrefs if h.endswith("function_expenditure-general_public_function.csv"))
    rows = list(csv.DictReader(io.StringIO(target(site, url, href).read_text(encoding="utf-8"))))
    assert {r["table"] for r in rows} == {"general_public_function"}
    by_code = {r["code"]: r for r in rows}
    assert (by_code["2101202"]["total"], by_code["2101202"]["project"]) == ("2832.00", "2832.00")
    with (PACKAGES / WANGDU / "function_expenditure.csv").open(encoding="utf-8", newline="") as f:
        expected = [r for r in csv.DictReader(f) if r["table"] == "general_public_function"]
    assert rows == expected


def test_quality_report_lists_failures_with_figures_and_links(site):
    url = f"documents/{FENGXIAN}/"
    raw, p = page(site, url)
    text = visible(p)
    assert "83/96 项检查通过（7 项未通过）" in text
    i = text.index("未通过（7 项） 检查 严重程度 表 应为 实为 原文页 说明")  # the section, not the table of contents
    failures = text[i:text.index("各项检查（按规则汇总）", i)]
    assert "89.68674" in failures and "89.69" in failures  # expected and actual figures
    assert "../../checks/#performance.funds_vs_project_spending" in p.hrefs
    assert f"../../sources/{FENGXIAN}.txt" in p.hrefs


def test_quality_report_counts_every_result_by_rule(site):
    """凤县's 99 results by rule: 4 of its 9 completeness.table_present checks fail, 16
    narrative.yoy_difference pass; each rule with its meaning; every row is in checks.csv."""
    url = f"documents/{FENGXIAN}/"
    raw, p = page(site, url)
    text = visible(p)
    i = text.index("各项检查（按规则汇总） 本文件共 125 条检查结果")
    section = text[i:text.index("如何引用", i)]
    assert "检查 含义 通过 未通过 已修复 不适用 数据不足" in section  # only the statuses it has
    assert re.search(r"completeness\.table_present 该类公开文件必须公开的标准表格[^ ]*（空表也算公开）。.*?则算缺表。 5 4 ", section)
    assert re.search(r"narrative\.yoy_difference 文字说明中.+?。 16 narrative\.yoy_direction", section)
    assert re.search(r"narrative\.code_amount 文字说明中.+?。 11 narrative\.", section)  # 数据不足 only
    assert "../../checks/#narrative.yoy_difference" in p.hrefs
    href = next(h for h in p.hrefs if h.endswith(f"{FENGXIAN}/checks.csv"))
    assert len(list(csv.DictReader(io.StringIO(target(site, url, href).read_text(encoding="utf-8"))))) == 125


def test_citation_block(site):
    _, p = page(site, f"documents/{WANGDU}/")
    text = visible(p)
    assert "如何引用" in text
    assert "望都县医疗保障局：《" in text and f"数据包 {WANGDU}（数据版本 " in text


def test_comparison_page_figures(site):
    _, p = page(site, "comparison/")
    text = visible(p)
    # 支出合计, 一般公共预算支出, 基本, 项目, 基本支出占比, 人员, 公用, “三公” (every figure a fact):
    # 望都: 3654.18 = 321.38 + 3332.80, basic share 8.79%, an empty “三公” table (0)
    assert "3,654.18 3,654.18 321.38 3,332.80 8.79% 291.00 30.38 0.00" in text
    # 宿州: 支出合计 1,774.62 is the 支出总表's (its 合计 row unlabelled: the sum of its 类, ※),
    # 一般公共预算支出 1,773.19; personnel/public from the narrative; no “三公” figure
    assert "1,774.62※ 1,773.19 1,088.71 684.49 61.40% 905.71 183.00 —" in text
    assert "99.00%" in text  # 望都 卫生健康 3617.46 / 3654.18


def test_home_overview(site):
    _, p = page(site, "")
    text = visible(p)
    assert "共 5 个部门、5 份文件，覆盖 2 个年度（2023–2024 年）、5 个省份" in text
    # documents per year and phase (部门, 单位); amounts of different bureaus are never added up
    # (before: 2024 预算 5,630.95284 = 宿州 1,774.62 + 望都 3,654.18 + 凤县 单位预算 202.15284)
    assert "2024 预算 3 2 1 2024 决算 1 1 0 2023 预算 1 1 0" in text
    assert "5,630.95284" not in text


def test_bureau_page_carries_the_abbreviation_for_search(site):
    _, p = page(site, "bureaus/baoding-wangdu-ybj/")
    assert "简称：望都县医保局" in visible(p)


def test_tablesort_is_vendored_not_from_a_cdn(site):
    raw, _ = page(site, "")
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', raw)
    assert any(s.endswith("assets/js/vendor/tablesort.min.js") for s in scripts)
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))]
    vendored = REPO / "site_src/assets/js/vendor/tablesort.min.js"
    assert hashlib.sha256(vendored.read_bytes()).hexdigest() == \
        "ee99f17ebc985170899a004e9f6bf09e7f60eb4b459b6bfe6683cf0140352c63"  # npm tablesort 5.7.1


def test_home_lists_files_that_failed_to_parse(tmp_path):
    """A file that cannot be read is named on the home page with the reason (from the
    build's status.json); the other documents are published."""
    import shutil
    docs = tmp_path / "documents"
    docs.mkdir()
    shutil.copy(REPO / "documents" / "004_1dc876329a8abae6.txt", docs)
    (docs / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = generator_build(docs, tmp_path / "datapackages", "--site", str(tmp_path / "site"),
                             "--no-cache")
    assert result.returncode == 0, result.stderr[-2000:]
    _, p = page(tmp_path / "site", "")
    text = visible(p)
    assert "1 个文件未能读取" in text and "scan.pdf" in text
    assert "望都县医疗保障局" in text
