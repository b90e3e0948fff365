"""The render cache (generator/publish/render_cache.py, site_src/hooks/render_cache.py): a page
taken from the cache is byte-identical to a render, a page whose inputs changed is rendered
again, and a cached page whose link target or anchor disappeared still fails a strict build.

Two kinds of builds: a small MkDocs project with the site's theme, overrides and the hook (two
pages, built in about a second), and the sample site of documents/ through the real command
line (cold cache, warm cache, then one document changed)."""
from __future__ import annotations

import csv
import filecmp
import hashlib
import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest

from bench.identical import differences as tree_differences
from bench.synthetic import _AMOUNT
from generator.publish.format import fmt_amount
from tests.conftest import DOCUMENTS, REPO, generator_build

LINE = re.compile(r"render cache: (\d+) of (\d+) pages from the cache; rendered (\d+) \((\d+) not stored\)")
AGAIN = re.compile(r"render cache: rendered again: (.*)")


def cache_line(stderr: str) -> tuple[int, int, list[str]]:
    """(pages from the cache, pages, the pages rendered again) of a MkDocs log; the pages are
    named only when some came from the cache."""
    found = LINE.findall(stderr)
    assert len(found) == 1, stderr[-3000:]
    again = AGAIN.findall(stderr)
    hits, total, _, _ = found[0]
    return int(hits), int(total), again[0].split(", ") if again else []


# ------------------------------------------------------------------ a small project

CONFIG = f"""site_name: render cache test
docs_dir: docs
theme:
  name: material
  language: zh
  custom_dir: {REPO / "site_src" / "overrides"}
plugins: []
hooks:
  - {REPO / "site_src" / "hooks" / "render_cache.py"}
validation:
  links:
    not_found: warn
    anchors: warn
"""


def mkdocs(project: Path, site: str, strict: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, BUDGET_CHART_CACHE=str(project / "cache" / "charts"))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict" if strict else "--no-strict",
                           "-f", str(project / "mkdocs.yml"), "-d", str(project / site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# 首页\n\n见 [部门](b.md) 与 [其小节](b.md#sec)。\n", encoding="utf-8")
    (docs / "b.md").write_text("# 部门\n\n## 小节 { #sec }\n\n正文 <b>&lt;x&gt;</b>\n", encoding="utf-8")
    return tmp_path


def test_warm_build_is_byte_identical(project):
    cold = mkdocs(project, "site1")
    assert cold.returncode == 0, cold.stderr
    assert cache_line(cold.stderr) == (0, 2, [])
    warm = mkdocs(project, "site2")
    assert warm.returncode == 0, warm.stderr
    assert cache_line(warm.stderr) == (2, 2, [])
    assert tree_differences(project / "site1", project / "site2") == []
    # a changed page is rendered again, the other one still comes from the cache
    (project / "docs" / "b.md").write_text("# 部门\n\n## 小节 { #sec }\n\n新的正文\n", encoding="utf-8")
    changed = mkdocs(project, "site3")
    assert changed.returncode == 0, changed.stderr
    assert cache_line(changed.stderr) == (1, 2, ["b.md"])
    assert "新的正文" in (project / "site3" / "b" / "index.html").read_text(encoding="utf-8")


def test_cached_page_whose_anchor_disappeared_fails_strict(project):
    assert mkdocs(project, "site1").returncode == 0
    (project / "docs" / "b.md").write_text("# 部门\n\n## 别的小节 { #other }\n", encoding="utf-8")
    result = mkdocs(project, "site2")
    # index.md comes from the cache, and its link to b.md#sec is checked as on a render
    assert cache_line(result.stderr) == (1, 2, ["b.md"])
    assert result.returncode != 0
    assert "does not contain an anchor '#sec'" in result.stderr


def test_cached_page_whose_link_target_disappeared_is_rendered(project):
    assert mkdocs(project, "site1").returncode == 0
    (project / "docs" / "b.md").unlink()
    result = mkdocs(project, "site2")
    assert result.returncode != 0  # strict: the broken link fails the build, as without the cache
    assert "contains a link 'b.md', but the target is not found" in result.stderr
    assert cache_line(result.stderr) == (0, 1, [])
    # a page with a warning is never stored: without --strict it warns on every build
    for site in ("site3", "site4"):
        again = mkdocs(project, site, strict=False)
        assert again.returncode == 0, again.stderr
        assert "contains a link 'b.md', but the target is not found" in again.stderr
        assert cache_line(again.stderr) == (0, 1, [])


def test_changed_theme_override_renders_every_page(project):
    assert mkdocs(project, "site1").returncode == 0
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("render cache test", "另一个名字"),
                      encoding="utf-8")
    result = mkdocs(project, "site2")
    assert result.returncode == 0, result.stderr
    assert cache_line(result.stderr) == (0, 2, [])
    assert "另一个名字" in (project / "site2" / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------------------ the sample site

def scaled(text: str, factor: int) -> str:
    """Every amount of a text extract × ``factor`` (as bench/synthetic.py scales them)."""
    def one(m: re.Match) -> str:
        whole, gap, frac = m.group(1), m.group(2) or "", m.group(3) or ""
        value = Decimal(whole.replace(",", "") + ("." + frac if frac else "")) * factor
        out = f"{value:,.{len(frac)}f}" if "," in whole else f"{value:.{len(frac)}f}"
        return out.replace(".", "." + gap, 1) if gap else out
    return _AMOUNT.sub(one, text)


@pytest.fixture(scope="module")
def sample_builds(tmp_path_factory):
    """The sample site built three times with one render cache: cold, warm, then with the
    first document's amounts doubled; (the three site folders, the three build logs, the sha256
    of every file of the warm build's output before the third). The third builds over a copy of
    the warm output made of hard links (``out2`` holds the warm build's files under new names),
    so it replaces a published site, and its files linked from that site keep the warm build's
    inodes."""
    tmp = tmp_path_factory.mktemp("render-cache")
    docs = tmp / "documents"
    docs.mkdir()
    for path in sorted(DOCUMENTS.iterdir()):
        if path.is_file() and not path.name.startswith("."):
            shutil.copy(path, docs / path.name)
    env = {"BUDGET_CHART_CACHE": str(tmp / "cache" / "charts"),
           "BUDGET_DOWNLOADS_CACHE": str(tmp / "cache" / "downloads")}
    sites, logs = [], []
    with mock.patch.dict(os.environ, env):
        for i in range(3):
            if i == 2:
                shutil.copytree(tmp / "out1", tmp / "out2", copy_function=os.link)
                published = {p: hashlib.sha256(p.read_bytes()).hexdigest()
                             for p in sorted((tmp / "out1").rglob("*")) if p.is_file()}
                first = sorted(docs.iterdir())[0]
                first.write_text(scaled(first.read_text(encoding="utf-8"), 2), encoding="utf-8")
            out = tmp / f"out{i}"
            result = generator_build(docs, out / "datapackages", "--site", str(out / "site"),
                                     "--cache", str(tmp / "cache" / "parsed"), timeout=900)
            assert result.returncode == 0, result.stderr[-6000:]
            sites.append(out / "site")
            logs.append(result.stderr)
    return sites, logs, published


def test_sample_site_warm_build_is_byte_identical(sample_builds):
    (cold, warm, _), (cold_log, warm_log, _), _ = sample_builds
    hits, total, rendered = cache_line(cold_log)
    assert hits == 0 and total > 90, cold_log[-2000:]
    assert cache_line(warm_log) == (total, total, [])
    assert tree_differences(cold, warm) == []


def expenditure(site: Path, source: str) -> tuple[str, str]:
    """(document id, 本年支出合计 as published) of the document read from ``source``, from the
    packages beside ``site``."""
    packages = site.parent / "datapackages" / "all"
    with (packages / "documents.csv").open(encoding="utf-8", newline="") as f:
        doc = next(r for r in csv.DictReader(f) if r["source_files"] == source)
    with (packages / "facts.csv").open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["document_id"] == doc["document_id"]
                   and (r["dimension"], r["code"], r["part"]) == ("total", "expenditure", "total"))
    return doc["document_id"], row["amount"]


def test_sample_site_changed_document_is_rendered_again(sample_builds):
    (_, warm, changed), (_, _, changed_log), _ = sample_builds
    hits, total, rendered = cache_line(changed_log)
    source = sorted(p.name for p in DOCUMENTS.iterdir() if p.is_file() and not p.name.startswith("."))[0]
    did, before = expenditure(warm, source)
    assert expenditure(changed, source) == (did, str(Decimal(before) * 2))
    assert f"documents/{did}.md" in rendered, rendered
    # the other documents' pages did not change: taken from the cache, the same bytes
    assert not [p for p in rendered if p.startswith("documents/") and p != f"documents/{did}.md"], rendered
    assert hits > total / 2, (hits, total)
    page = (changed / "documents" / did / "index.html").read_text(encoding="utf-8")
    assert fmt_amount(str(Decimal(before) * 2)) in page
    assert fmt_amount(str(Decimal(before) * 2)) not in (warm / "documents" / did / "index.html").read_text(encoding="utf-8")
    others = [p.name for p in (warm / "documents").iterdir() if p.is_dir() and p.name != did]
    assert len(others) == 4
    for other in others:
        assert filecmp.cmp(warm / "documents" / other / "index.html",
                           changed / "documents" / other / "index.html", shallow=False)


SITE_FILES = re.compile(r"site files: (\d+) linked from the published site \(same bytes\), (\d+) written")


def test_rebuild_links_unchanged_files_and_never_writes_into_the_published_site(sample_builds):
    """The third build replaced a published site (a copy of the warm output): the files whose
    bytes did not change are links to the published ones, the changed document's page is a new
    file, and not one byte of the published tree changed (its packages' neither)."""
    (_, warm, changed), (_, _, changed_log), published = sample_builds
    assert published and all(hashlib.sha256(p.read_bytes()).hexdigest() == digest
                              for p, digest in published.items())
    linked, written = map(int, SITE_FILES.findall(changed_log)[-1])
    # all but Pagefind's index (written after MkDocs, into a new folder) and the sitemap's gzip
    # copy (MkDocs writes it itself, a new file)
    files = [p for p in changed.rglob("*") if p.is_file() and p.relative_to(changed).parts[0] != "pagefind"
             and p.name != "sitemap.xml.gz"]
    same_inode = [p for p in files if (warm / p.relative_to(changed)).is_file()
                  and (warm / p.relative_to(changed)).stat().st_ino == p.stat().st_ino]
    assert linked == len(same_inode) and linked + written == len(files), (linked, written, len(files))
    # every file with the published bytes is linked, every other one is new or changed: the
    # changed document's page, tables and charts, the site-wide pages, codes and downloads
    for p in set(files) - set(same_inode):
        old = warm / p.relative_to(changed)
        assert not old.is_file() or old.read_bytes() != p.read_bytes(), p
    assert linked > len(files) / 2, (linked, written)
    source = sorted(p.name for p in DOCUMENTS.iterdir() if p.is_file() and not p.name.startswith("."))[0]
    did, _ = expenditure(changed, source)
    page = changed / "documents" / did / "index.html"
    assert page.stat().st_ino != (warm / "documents" / did / "index.html").stat().st_ino
