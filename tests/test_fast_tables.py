"""The long tables of a page written as HTML by site_src/hooks/fast_tables.py: byte-identical to
what Python-Markdown and MkDocs write, the tables it cannot write exactly left to them, and a
broken link or anchor in a long table still fails ``mkdocs build --strict`` (with and without
the render cache).

A small MkDocs project with the site's theme, overrides and Markdown extensions is built with
the hook and without it, and the two sites compared file by file."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.identical import differences
from generator.publish.format import esc, md_table
from tests.conftest import REPO

HOOKS = REPO / "site_src" / "hooks"
CONFIG = f"""site_name: fast tables test
docs_dir: docs
use_directory_urls: true
theme:
  name: material
  language: zh
  custom_dir: {REPO / "site_src" / "overrides"}
plugins: []
hooks:
{{hooks}}
validation:
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
markdown_extensions:
  - tables
  - md_in_html
  - attr_list
  - toc:
      permalink: false
"""


def project(root: Path, pages: dict[str, str], hooks: list[str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    listed = "\n".join(f"  - {HOOKS / h}" for h in hooks) or "  []"
    (root / "mkdocs.yml").write_text(CONFIG.replace("{hooks}", listed).replace("hooks:\n  []", "hooks: []"),
                                     encoding="utf-8")
    for uri, text in pages.items():
        path = root / "docs" / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def build(root: Path, site: str = "site") -> subprocess.CompletedProcess:
    env = dict(os.environ, BUDGET_CHART_CACHE=str(root / "cache" / "charts"), NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "-d", str(root / site)], cwd=root, env=env, capture_output=True, text=True, timeout=180)


HOSTILE = "<b>x</b> [y](javascript:z) *e* _u_ {{ t }} | \\ ` & 100%"


def rows(n: int, link_target: str = "codes/2101501.md", anchor: str = "quality") -> list[list[str]]:
    """Cells as the site's pages write them: escaped text, links with anchors and fragments,
    inline tags, empty cells, a check id with <wbr> and underscores."""
    out = []
    for i in range(n):
        out.append([
            f"[{esc('某局（' + str(i) + '）')}](bureaus/b{i % 3}.md)",
            f"[1,{i:03d}.50](sources/view/d/p{i % 4 + 1}.html#v={1000 + i}.5&c=2101501)",
            esc(HOSTILE) if i % 5 == 0 else "",
            '[<code class="check-id">cross.<wbr>summary_<wbr>vs_<wbr>income</code>](checks.md#cross.summary_vs_income)',
            f"说明{i}<br>已豁免：{esc('理由 (a_b) *')} · [文件页](documents/d.md#{anchor})",
            f"[科目]({link_target})",
            "　行政运行" if i % 2 else "12.50%",
        ])
    return out


def site_pages(table_rows: list[list[str]], extra: str = "") -> dict[str, str]:
    table = md_table(["部门", "金额（万元）", "原文", "检查", "说明", "科目", "占比"], table_rows, "lrllllr")
    return {
        "index.md": "# 首页\n\n见[核对结果](findings.md)。\n",
        "findings.md": ("# 核对结果\n\n共 N 条，来自 [文件](documents/d.md)。\n\n"
                        '<div class="budget-filter" data-columns="状态|检查"></div>\n\n'
                        + table + "\n[下载 CSV](codes/2101501.csv)（与上表相同）。\n\n## 之后 { #after }\n\n"
                        + table + extra),
        "checks.md": "# 规则\n\n## cross.summary_vs_income { #cross.summary_vs_income }\n\n正文\n",
        "documents/d.md": "# 文件\n\n## 数据质量 { #quality }\n\n正文\n",
        **{f"bureaus/b{i}.md": f"# 局 {i}\n" for i in range(3)},
        "codes/2101501.md": "# 2101501 行政运行\n",
        "codes/2101501.csv": "a,b\n1,2\n",
        **{f"sources/view/d/p{i}.html": f"<html>{i}</html>\n" for i in range(1, 5)},
    }


def built_pair(tmp_path: Path, pages: dict[str, str], extra_hooks: list[str] = ()) -> tuple[Path, Path, str]:
    plain = project(tmp_path / "plain", pages, list(extra_hooks))
    fast = project(tmp_path / "fast", pages, [*extra_hooks, "fast_tables.py"])
    a, b = build(plain), build(fast)
    assert a.returncode == 0, a.stderr[-3000:]
    assert b.returncode == 0, b.stderr[-3000:]
    return plain / "site", fast / "site", b.stderr


def test_long_tables_are_byte_identical_to_markdown(tmp_path):
    plain, fast, log = built_pair(tmp_path, site_pages(rows(40)))
    assert differences(plain, fast) == []
    assert "fast tables: 2 long tables on 1 rendered pages written as HTML" in log
    html = (fast / "findings" / "index.html").read_text(encoding="utf-8")
    # links as MkDocs writes them: relative to the page's URL, anchors kept, & escaped in the attribute
    assert '<a href="../bureaus/b1/">某局（1）</a>' in html
    assert '<a href="../sources/view/d/p2.html#v=1001.5&amp;c=2101501">1,001.50</a>' in html
    assert '<a href="../checks/#cross.summary_vs_income"><code class="check-id">cross.<wbr>summary_<wbr>' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html  # page text stays text
    assert '<td style="text-align: right;">　行政运行</td>' in html  # the full-width space is kept


def test_short_tables_and_other_cells_are_left_to_markdown(tmp_path):
    long_rows = rows(40)
    long_rows[7][2] = "**强调**"  # Markdown emphasis: not in the subset this hook writes
    pages = site_pages(long_rows)
    pages["short.md"] = "# 短表\n\n" + md_table(["a", "b"], [["[x](checks.md)", "1"]] * 5, "lr")
    pages["raw.md"] = ("# 原样\n\n<div class=\"wrap\">\n<div>\n\n" + md_table(["a"], [["[x](checks.md)"]] * 40)
                       + "\n</div>\n</div>\n")
    plain, fast, log = built_pair(tmp_path, pages)
    assert differences(plain, fast) == []
    assert "fast tables: 0 long tables on 0 rendered pages" in log
    assert "<strong>强调</strong>" in (fast / "findings" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("hooks", [[], ["render_cache.py"]], ids=["alone", "with the render cache"])
def test_a_broken_link_in_a_long_table_fails_strict(tmp_path, hooks):
    pages = site_pages(rows(40))
    root = project(tmp_path / "p", pages, [*hooks, "fast_tables.py"])
    first = build(root)
    assert first.returncode == 0, first.stderr[-3000:]
    (root / "docs" / "codes" / "2101501.md").unlink()  # a code page that is no longer there
    second = build(root, "site2")
    assert second.returncode != 0
    assert "contains a link 'codes/2101501.md', but the target is not found" in second.stderr


@pytest.mark.parametrize("hooks", [[], ["render_cache.py"]], ids=["alone", "with the render cache"])
def test_a_broken_anchor_in_a_long_table_fails_strict(tmp_path, hooks):
    root = project(tmp_path / "p", site_pages(rows(40)), [*hooks, "fast_tables.py"])
    first = build(root)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "fast tables: 2 long tables" in first.stderr
    # the anchor the table's links point to disappears from documents/d.md; findings.md unchanged
    (root / "docs" / "documents" / "d.md").write_text("# 文件\n\n## 数据质量\n\n正文\n", encoding="utf-8")
    second = build(root, "site2")
    assert second.returncode != 0
    assert "findings.md' contains a link 'documents/d.md#quality', but the doc 'documents/d.md' does not " \
           "contain an anchor '#quality'" in second.stderr
