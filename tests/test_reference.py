"""Reference pages (generator/publish/pages/): 核对规则, 名词解释, 数据字典, 数据更新记录."""
from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.publish import catalog, figures, site as publish_site
from generator.publish.format import esc
from generator.publish.pages import changelog, checks, dictionary, glossary
from generator.package import schemas
from generator.verify import CHECK_DESCRIPTIONS

REPO = Path(__file__).resolve().parent.parent
PACKAGES = REPO / "datapackages"
FENGXIAN = "baoji-fengxian-ybj-2024-budget-unit"
WANGDU = "baoding-wangdu-ybj-2024-budget"

needs_packages = pytest.mark.skipif(not (PACKAGES / "all" / "documents.csv").is_file(),
                                    reason="committed sample packages missing")


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load_catalog(PACKAGES)


def text_of(markdown: str) -> str:
    """What a reader sees, roughly: character references decoded."""
    return html.unescape(markdown)


# ------------------------------------------------------------------------------ checks


def counts_of(page: str, check: str) -> dict[str, int]:
    """The counts row of a check in its family table."""
    m = re.search(rf"^\| \[`{re.escape(check)}`\]\(#{re.escape(check)}\) \|(.*)\|$", page, re.MULTILINE)
    assert m, check
    values = [int(v) for v in m.group(1).split("|")]
    return dict(zip(checks.STATUS_ORDER, values))


@needs_packages
def test_checks_page_explains_every_check_with_its_id_as_anchor(cat):
    page = checks.checks_page(cat)
    assert page.startswith("---\ntitle:") and "# 核对规则" in page
    assert f"共 **{len(CHECK_DESCRIPTIONS)}** 项核对规则" in page
    headings = re.findall(r"^### `([a-z0-9_.]+)` \{ #([a-z0-9_.]+) \}$", page, re.MULTILINE)
    assert [h for h, _ in headings] == [a for _, a in headings]  # anchor = id
    assert len(headings) == len({h for h, _ in headings}) == len(CHECK_DESCRIPTIONS)
    assert {h for h, _ in headings} == set(CHECK_DESCRIPTIONS)
    for check, description in CHECK_DESCRIPTIONS.items():
        after = page.split(f"### `{check}` {{ #{check} }}\n\n", 1)[1]
        assert text_of(after.split("\n", 1)[0]) == description


@needs_packages
def test_checks_page_counts_results_over_the_corpus(cat):
    page = checks.checks_page(cat)
    counts = counts_of(page, "performance.funds_vs_project_spending")
    # 凤县: 8 tables of 896,900.00 元 against the stated 896,867.40 元
    assert counts["fail"] >= 1 and counts["pass"] >= 1
    section = page.split("### `performance.funds_vs_project_spending`", 1)[1].split("\n### ", 1)[0]
    assert f"(documents/{FENGXIAN}.md)" in section.split("未通过的文件：", 1)[1]
    # the counts equal the checks resource of all/
    with (PACKAGES / "all" / "checks.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for check in ("function.row_total", "repair.code_truncated", "cross.same_code_same_amount"):
        expected = {s: sum(1 for r in rows if r["check"] == check and r["status"] == s)
                    for s in checks.STATUS_ORDER}
        assert counts_of(page, check) == expected
    assert counts_of(page, "repair.code_truncated")["repaired"] >= 1


@needs_packages
def test_checks_page_groups_families_and_explains_statuses(cat):
    page = checks.checks_page(cat)
    families = {c.split(".")[0] for c in CHECK_DESCRIPTIONS}
    for fam in families:
        assert f"{{ #family-{fam} }}" in page
        assert checks.FAMILIES.get(fam)  # every family has a Chinese heading
    for status, label in figures.CHECK_STATUS.items():
        assert f"| {label} | `{status}` |" in page
    assert "(n+1)" in page and "不计入检查数" in page


def test_checks_page_anchors_ids_only_found_in_the_data(tmp_path):
    cat = catalog.Catalog(root=tmp_path, documents=[{"document_id": "d1", "bureau_id": "b1", "year": "2024",
                                                     "phase": "budget", "scope": "unit"}],
                          bureaus={"b1": {"bureau_id": "b1", "name": "某局"}},
                          by_document={"d1": {"checks": [{"check": "legacy.old_check", "status": "fail"}]}},
                          check_definitions=dict(CHECK_DESCRIPTIONS))
    page = checks.checks_page(cat)
    assert "### `legacy.old_check` { #legacy.old_check }" in page
    assert f"共 **{len(CHECK_DESCRIPTIONS)}** 项核对规则" in page


# ---------------------------------------------------------------------------- glossary


@needs_packages
def test_glossary_merges_terms_with_their_documents(cat):
    page = glossary.glossary_page(cat)
    with (PACKAGES / "all" / "glossary.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows
    shown = text_of(page)
    keys = {glossary._term_key(r["term"]) for r in rows}
    assert len(keys) < len(rows)  # the same terms in several documents
    assert shown.count("\n### ") == len(keys)  # one entry per term, printed variants merged
    for r in rows:
        assert r["definition"].strip() in shown
    # 乐山 prints 三公经费, 望都 “三公”经费: one entry, both definitions
    entry = shown.split("### “三公”经费 ", 1)[1].split("\n### ", 1)[0]
    assert "leshan-shizhong-ybj-2023-budget" in entry and WANGDU in entry
    section = shown.split("### 财政拨款收入 ", 1)[1].split("\n### ", 1)[0]
    assert "指本级财政当年拨付的资金" in section
    assert f"(documents/{WANGDU}.md)" in section and "望都县医疗保障局" in section
    # sorted by pinyin: 部门 (bu) < 财政 (cai) < 机关 (ji) < 三公 (san) < 事业 (shi)
    order = [shown.index(f"### {t} ") for t in ("部门预算支出", "财政拨款收入", "机关运行经费", "“三公”经费", "事业收入")]
    assert order == sorted(order)


def _glossary_cat(tmp_path, rows_by_doc: dict[str, list[dict]]) -> catalog.Catalog:
    docs = [{"document_id": d, "bureau_id": "b1", "year": "2024", "phase": "budget", "scope": "department"}
            for d in rows_by_doc]
    return catalog.Catalog(root=tmp_path, documents=docs, bureaus={"b1": {"bureau_id": "b1", "name": "某医疗保障局"}},
                           by_document={d: {"glossary": rows} for d, rows in rows_by_doc.items()})


def test_glossary_merges_across_documents_and_escapes(tmp_path):
    cat = _glossary_cat(tmp_path, {
        "d1": [{"term": "基本支出", "definition": "指为保障机构正常运转的支出。"},
               {"term": "[点我](http://evil.example)<script>", "definition": "{{ config }} *x*"}],
        "d2": [{"term": "基本支出", "definition": "指为保障机构正常运转的支出。"},
               {"term": "“三公”经费", "definition": "甲"}],
        "d3": [{"term": "基本 支出", "definition": "另一种说法。"}, {"term": "三公”经费", "definition": "甲"}],
    })
    page = glossary.glossary_page(cat)
    assert page.count("### 基本支出 ") == 1  # 基本 支出 is the same term
    section = page.split("### 基本支出 ", 1)[1].split("\n### ", 1)[0]
    assert "指为保障机构正常运转的支出。（来源：" in section and "另一种说法。（来源：" in section
    assert "(documents/d1.md)" in section and "(documents/d2.md)" in section and "(documents/d3.md)" in section
    assert page.count("经费 { #term-san-gong-jing-fei }") == 1  # quotes do not split a term
    assert "<script>" not in page and "](http" not in page and "{{" not in page
    assert "&lt;script&gt;" in page


def test_empty_glossary(tmp_path):
    page = glossary.glossary_page(_glossary_cat(tmp_path, {"d1": []}))
    assert "尚未识别出名词解释" in page


# -------------------------------------------------------------------------- dictionary


def test_dictionary_lists_every_resource_and_field():
    page = dictionary.dictionary_page()
    shown = text_of(page)
    for r in schemas.RESOURCES:
        assert f"{{ #{r.name} }}" in page
        section = shown.split(f"（{r.name}） {{ #{r.name} }}", 1)[1].split("\n## ", 1)[0]
        for f in r.fields:
            assert f"| <code>{f.name}</code> | {f.title} | {f.type}" in section
    fe = shown.split("（function_expenditure） { #function_expenditure }", 1)[1].split("\n## ", 1)[0]
    code_row = next(line for line in fe.splitlines() if line.startswith("| <code>code</code>"))
    assert "科目编码" in code_row and "<code>[0-9]{3}([0-9]{2}){0,2}</code>" in code_row and "| 是 |" in code_row
    assert "主键：<code>document_id</code> + <code>table</code> + <code>row</code>" in fe
    assert "<code>code</code> → [<code>function_codes</code>](#function_codes)" in fe
    status = next(line for line in shown.split("（checks） { #checks }", 1)[1].splitlines()
                  if line.startswith("| <code>status</code>"))
    assert all(f"<code>{s}</code>" in status for s in schemas.CHECK_STATUSES)


def test_dictionary_states_the_facts_rules_version_and_column_types():
    page = dictionary.dictionary_page()
    assert "当前数据版本为 1.2.0（2026-12-04 发布" in page and "[数据更新记录](changelog.md)" in page
    overview = next(line for line in page.splitlines() if line.startswith("| [<code>facts</code>](#facts)"))
    assert ("<code>document&#95;id</code>、<code>measure</code>、<code>dimension</code>、<code>code</code>、"
            "<code>part</code>") in overview
    facts = page.split("（facts） { #facts }", 1)[1].split("\n## ", 1)[0]
    # the preference order, in the words of schemas.FACTS
    assert dictionary.schema_text(schemas.FACTS.description) in facts
    assert "<code>expenditure</code> is 本年支出合计 of the 收支总表, else the 合计 of the 支出总表" in facts
    assert "a total is never recomputed where one is printed" in facts
    assert "| 字段 | 中文标题 | 类型 | 必填 | 约束 | 说明 | 财政数据包 |" in facts
    amount = next(line for line in facts.splitlines() if line.startswith("| <code>amount</code>"))
    assert amount.endswith("| <code>value</code>；currency：<code>CNY</code>；factor：<code>10000</code>；"
                           "direction：<code>expenditure</code> |")
    item = next(line for line in facts.splitlines() if line.startswith("| <code>function&#95;item</code>"))
    assert item.endswith("| <code>functional-classification&#58;generic&#58;level3&#58;code</code> |")
    assert "<code>currency</code>（<code>value-currency&#58;code</code>，恒为 <code>CNY</code>）" in facts
    # resources without FDP properties keep their six columns
    fe = page.split("（function_expenditure） { #function_expenditure }", 1)[1].split("\n## ", 1)[0]
    assert "| 字段 | 中文标题 | 类型 | 必填 | 约束 | 说明 |\n" in fe and "财政数据包" not in fe


# --------------------------------------------------------------------------- changelog


@needs_packages
def test_changelog_page_is_the_data_changelog(cat):
    """The page the site builds (``reference_pages``): each data version with its date and its
    Chinese entry, newest first; nothing of the git history (no commit subject, no hash)."""
    page = publish_site.reference_pages(cat, REPO)["changelog.md"]
    assert page == changelog.changelog_page(REPO, cat)  # deterministic
    assert page.startswith("---\ntitle: \"数据更新记录\"\n---") and "# 数据更新记录" in page
    heads = re.findall(r"^## (.*) \{ #(v[0-9-]+) \}$", page, re.MULTILINE)
    assert heads == [("1.2.0 · 2026-12-04", "v1-2-0"), ("1.1.0 · 2026-12-03", "v1-1-0"), ("1.0.0 · 2026-11-25", "v1-0-0")]
    assert "当前数据版本为 **1.2.0**（2026-12-04 发布）" in page
    latest = page.split("{ #v1-2-0 }", 1)[1].split("\n## ", 1)[0]
    assert "<code>facts</code> 新增 <code>read&#95;by</code>、<code>certainty</code> 两列" in latest
    assert "<code>uncertain</code>（存疑）为识别读出、又没有任何恒等关系证实的数字" in latest
    assert latest.count("\n- ") == len(changelog.RELEASES[0].changes) == 4
    latest = page.split("{ #v1-1-0 }", 1)[1].split("\n## ", 1)[0]
    assert "新增资源 <code>facts</code>（核心数字）：每个问题只有一个数字。" in latest
    assert ("主键为 <code>document&#95;id</code> + <code>measure</code> + <code>dimension</code> + "
            "<code>code</code> + <code>part</code>") in latest
    assert "<code>measure</code> 为 <code>phase&#58;id</code>" in latest
    assert latest.count("\n- ") == len(changelog.RELEASES[1].changes) == 6
    assert "<code>documents</code> 新增来源字段 <code>source&#95;publisher</code>（发布单位）" in latest
    assert "提交 <code>" not in page and not re.search(r"\b[0-9a-f]{10}\b", page)
    if shutil.which("git") and (REPO / ".git").exists():
        subjects = subprocess.run(["git", "-C", str(REPO), "log", "-30", "--format=%s", "--", "documents",
                                   "datapackages"], capture_output=True, text=True, check=True).stdout
        for subject in filter(None, subjects.splitlines()):
            assert esc(subject) not in page and subject not in page, subject


def test_changelog_page_escapes_and_names_an_older_package_version(tmp_path, monkeypatch):
    from generator.package.changelog import Release
    monkeypatch.setattr(changelog, "RELEASES", (
        Release("2.0.0", "2027-01-01", "改名 `a` <b>", ("[点我](http://evil.example) {{ config }} <script>",)),))
    page = changelog.changelog_page()
    assert "## 2.0.0 · 2027-01-01 { #v2-0-0 }" in page and "<code>a</code>" in page
    assert "<script>" not in page and "](http" not in page and "{{" not in page and "<b>" not in page
    write(tmp_path / "all" / "datapackage.json", '{"version": "1.0.0"}')
    older = changelog.changelog_page(None, catalog.Catalog(root=tmp_path))
    assert "本网站所用数据包的版本为 1.0.0" in older
    write(tmp_path / "all" / "datapackage.json", json.dumps({"version": changelog.DATA_VERSION}))
    assert "本网站所用数据包的版本" not in changelog.changelog_page(None, catalog.Catalog(root=tmp_path))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# ------------------------------------------------------------------------ the real site


@needs_packages
def test_pages_build_with_mkdocs_strict(cat, tmp_path):
    """The four pages in a minimal Material site: every link and anchor resolves, including
    document pages linking each check id (as pages.links.check_link does) and glossary terms."""
    pages = publish_site.reference_pages(cat, REPO)
    assert set(pages) == set(publish_site.REFERENCE_PAGES)
    docs = tmp_path / "docs"
    for name, content in pages.items():
        write(docs / name, content)
    write(docs / "index.md", "# 首页\n\n" + "\n".join(f"- [{n}]({n})" for n in pages) + "\n")
    glossary_anchors = re.findall(r"\{ #(term-[a-z0-9-]+) \}", pages["glossary.md"])
    assert glossary_anchors
    for d in cat.documents:
        ids = sorted({r["check"] for r in cat.rows(d["document_id"], "checks")})
        links = [f"- [`{c}`](../checks.md#{c})" for c in ids]
        links += [f"- [{a}](../glossary.md#{a})" for a in glossary_anchors]
        links += ["- [function_expenditure](../dictionary.md#function_expenditure)"]
        write(docs / "documents" / f"{d['document_id']}.md", "# 文件\n\n" + "\n".join(links) + "\n")
    write(tmp_path / "mkdocs.yml", "\n".join([
        "site_name: test", "docs_dir: docs", "use_directory_urls: true", "strict: true",
        "theme:", "  name: material", "  language: zh", "plugins: []",
        "markdown_extensions:", "  - tables", "  - attr_list", "  - toc:", "      permalink: false",
        "validation:", "  nav:", "    omitted_files: info", "  links:", "    not_found: warn",
        "    anchors: warn", "    absolute_links: warn", "    unrecognized_links: warn", ""]))
    # not -q: it raises the log level above WARNING and --strict then counts no warnings
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                             str(tmp_path / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                            capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNING" not in result.stderr, result.stderr
    checks_html = (tmp_path / "site" / "checks" / "index.html").read_text(encoding="utf-8")
    for c in CHECK_DESCRIPTIONS:
        assert f'id="{c}"' in checks_html, c
    doc_html = (tmp_path / "site" / "documents" / FENGXIAN / "index.html").read_text(encoding="utf-8")
    assert 'href="../../checks/#performance.funds_vs_project_spending"' in doc_html
    checks_text = html.unescape(re.sub(r"<[^>]+>", "", checks_html))
    assert CHECK_DESCRIPTIONS["performance.funds_vs_project_spending"] in checks_text
