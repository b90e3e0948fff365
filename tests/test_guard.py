"""Published URLs never disappear: removals are refused unless allowed, regressions always."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import DOCUMENTS, run_build
from test_cli import tree_digest

from generator import guard

FENGXIAN = "000_a8cda960e0db61c9.txt"
FENGXIAN_ID = "baoji-fengxian-ybj-2024-budget-unit"
FENGXIAN_URLS = [
    "bureaus/baoji-fengxian-ybj/",
    "documents/baoji-fengxian-ybj-2024-budget-unit/",
    "documents/baoji-fengxian-ybj-2024-budget-unit/#table-fiscal_summary",
    "documents/baoji-fengxian-ybj-2024-budget-unit/#table-government_fund",
    "documents/baoji-fengxian-ybj-2024-budget-unit/#table-performance_targets",
    "documents/baoji-fengxian-ybj-2024-budget-unit/#table-procurement",
    "documents/baoji-fengxian-ybj-2024-budget-unit/#table-summary",
    "documents/baoji-fengxian-ybj-2024-budget-unit/#table-three_public",
]


def build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return run_build(root / "documents", root / "datapackages", "--jobs", "1", *extra)


@pytest.fixture
def published(tmp_path) -> Path:
    """The five samples, built once (so the next build has something to compare with)."""
    shutil.copytree(DOCUMENTS, tmp_path / "documents")
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path


def refused_urls(stderr: str) -> list[str]:
    return [line.strip() for line in stderr.splitlines()
            if line.startswith("  ") and ("bureaus/" in line or "documents/" in line)]


def test_removing_a_document_is_refused_with_the_urls_it_would_break(published):
    before = tree_digest(published / "datapackages")
    (published / "documents" / FENGXIAN).unlink()
    result = build(published)
    assert result.returncode == 3
    assert "this build would remove 8 published URL(s); pass --allow-removal" in result.stderr
    assert refused_urls(result.stderr) == FENGXIAN_URLS
    assert tree_digest(published / "datapackages") == before  # untouched
    report = json.loads((published / "build" / "report.json").read_text(encoding="utf-8"))
    assert report["outcome"] == "refused" and report["removed_urls"] == FENGXIAN_URLS
    assert not list(published.glob(".datapackages.*"))  # no staging left behind


def test_allow_removal_removes(published):
    (published / "documents" / FENGXIAN).unlink()
    result = build(published, "--allow-removal")
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if line.startswith("removing")] == \
           [f"removing (--allow-removal): {url}" for url in FENGXIAN_URLS]
    assert not (published / "datapackages" / FENGXIAN_ID).exists()
    assert "4 documents: 0 parsed, 0 failed, 4 reused" in result.stdout
    # and the next build compares with the smaller set: nothing to refuse
    assert build(published).returncode == 0


def test_a_document_whose_id_changes_breaks_its_urls(published):
    """Same file, edited so it reads as another year: the 2024 URLs would go."""
    path = published / "documents" / FENGXIAN
    path.write_text(path.read_text(encoding="utf-8").replace("2024", "2025"), encoding="utf-8")
    result = build(published)
    assert result.returncode == 3
    assert refused_urls(result.stderr) == FENGXIAN_URLS[1:]  # the bureau stays
    assert build(published, "--allow-removal").returncode == 0
    assert (published / "datapackages" / "baoji-fengxian-ybj-2025-budget-unit").is_dir()


def test_a_published_document_that_now_fails_is_an_error_even_with_allow_removal(published):
    before = tree_digest(published / "datapackages")
    (published / "documents" / FENGXIAN).write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    for extra in ((), ("--allow-removal",)):
        result = build(published, *extra)
        assert result.returncode == 3, result.stderr
        assert ("1 published document(s) now fail to parse (an error even with --allow-removal):\n"
                f"  {FENGXIAN}: was {FENGXIAN_ID}, now fails: {FENGXIAN}: not a budget disclosure"
                in result.stderr)
        assert tree_digest(published / "datapackages") == before
    report = json.loads((published / "build" / "report.json").read_text(encoding="utf-8"))
    assert report["regressions"] == [
        (f"{FENGXIAN}: was {FENGXIAN_ID}, now fails: {FENGXIAN}: not a budget disclosure: "
         "no fiscal year found (expected a title such as '2024年部门预算')")]
    # taking the file out, explicitly, is the way to remove it
    (published / "documents" / FENGXIAN).unlink()
    assert build(published, "--allow-removal").returncode == 0


def test_a_new_bad_file_is_not_a_regression(published):
    (published / "documents" / "empty.txt").write_bytes(b"")
    result = build(published)
    assert result.returncode == 0, result.stderr
    assert "6 documents: 0 parsed, 1 failed, 5 reused" in result.stdout


def test_first_build_has_nothing_to_compare(tmp_path):
    assert guard.previous_build(tmp_path / "nothing") is None
    assert guard.compare(None, [], [(["a.txt"], "a.txt: empty file")]).ok


def test_published_urls_read_from_the_packages(sample_packages):
    prev = guard.previous_build(sample_packages)
    fengxian = sorted(u for u in prev.urls if "fengxian" in u)
    assert fengxian == FENGXIAN_URLS
    assert len([u for u in prev.urls if u.startswith("bureaus/")]) == 5
    assert len([u for u in prev.urls if u.endswith("/") and u.startswith("documents/")]) == 5
    assert prev.documents_by_file[FENGXIAN] == FENGXIAN_ID


#: a file name with ``;``, the separator of ``documents.csv``'s source_files column; its parts
#: name no file (``000``) or another document's file (``004_…txt``)
SEMICOLON_NAMES = ["000;凤县医保.txt", "000_a8cda960e0db61c9.txt;004_1dc876329a8abae6.txt", ";x;.txt"]


@pytest.mark.parametrize("name", SEMICOLON_NAMES)
def test_a_file_named_with_a_semicolon_is_guarded_like_any_other(published, name):
    """Published under a name with ``;``, a document that then fails to parse is a regression
    (refused even with --allow-removal), and one whose id changes is a removal, as for any name."""
    docs = published / "documents"
    (docs / FENGXIAN).rename(docs / name)
    result = build(published)  # renamed, same content: same URLs
    assert result.returncode == 0, result.stderr
    before = tree_digest(published / "datapackages")
    text = (docs / name).read_text(encoding="utf-8")
    (docs / name).write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    for extra in ((), ("--allow-removal",)):
        result = build(published, *extra)
        assert result.returncode == 3, result.stderr
        assert (f"1 published document(s) now fail to parse (an error even with --allow-removal):\n"
                f"  {name}: was {FENGXIAN_ID}, now fails: {name}: not a budget disclosure" in result.stderr)
        assert tree_digest(published / "datapackages") == before
    (docs / name).write_text(text.replace("2024", "2025"), encoding="utf-8")  # now another document
    result = build(published)
    assert result.returncode == 3
    assert refused_urls(result.stderr) == FENGXIAN_URLS[1:]
    assert tree_digest(published / "datapackages") == before
    assert guard.previous_build(published / "datapackages").documents_by_file[name] == FENGXIAN_ID


def test_source_files_are_read_from_each_document_s_sources_not_split(sample_packages, tmp_path):
    """documents_by_file comes from the package's ``sources`` (a list, one entry per file), so a
    name holding ``;`` is one name; without the package descriptor, the whole source_files cell
    is the name."""
    packages = tmp_path / "datapackages"
    shutil.copytree(sample_packages, packages)
    for path in (packages / FENGXIAN_ID / "datapackage.json", packages / "all" / "documents.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace(FENGXIAN, "a;b.txt"), encoding="utf-8")
    prev = guard.previous_build(packages)
    assert prev.documents_by_file["a;b.txt"] == FENGXIAN_ID
    assert "a" not in prev.documents_by_file and "b.txt" not in prev.documents_by_file
    failure = (["a;b.txt"], "a;b.txt: not a budget disclosure")
    assert guard.compare(prev, [], [failure]).regressions == [
        f"a;b.txt: was {FENGXIAN_ID}, now fails: a;b.txt: not a budget disclosure"]
    (packages / FENGXIAN_ID / "datapackage.json").unlink()
    prev = guard.previous_build(packages)
    assert prev.documents_by_file["a;b.txt"] == FENGXIAN_ID and "a" not in prev.documents_by_file
