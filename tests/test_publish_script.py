"""scripts/publish.sh in a temporary git repository: add a disclosure, publish, check the commit.

The repository is a clone of this one with the current working tree copied over it (so the
code under test is the code being changed, committed or not), committed as the starting point.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REAL_PDFS, REPO, needs_real_pdfs
from test_incremental import NEW_ID, new_document

SKIP = {".git", ".venv", "site", "build", ".cache", ".pytest_cache", ".ruff_cache", "__pycache__",
        "_artifacts"}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=True).stdout


def publish(repo: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(["bash", "scripts/publish.sh", "--jobs", "2"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("publish") / "repo"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(repo)], check=True)
    for src in REPO.iterdir():  # the working tree as it is now
        if src.name in SKIP or src.name.endswith(".egg-info"):
            continue
        dst = repo / src.name
        if src.is_dir():
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns(*SKIP))
        else:
            shutil.copy2(src, dst)
    git(repo, "config", "user.name", "Test Publisher")
    git(repo, "config", "user.email", "publisher@example.org")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", "working tree under test")
    # a first run brings the committed packages up to date with the code under test
    first = publish(repo)
    assert first.returncode == 0, first.stderr[-3000:]
    return repo


def test_publish_commits_a_new_document(repo):
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / "documents" / "zz-new.txt").write_text(new_document(), encoding="utf-8")

    result = publish(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "6 documents: 1 parsed, 0 failed, 5 reused" in result.stdout
    assert git(repo, "rev-list", f"{head}..HEAD").split() == [git(repo, "rev-parse", "HEAD").strip()]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Publish documents: 1 added\n")
    assert f"added: {NEW_ID} (zz-new.txt)" in message
    assert "changed:" not in message and "removed:" not in message
    assert "source files: A zz-new.txt" in message
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert f"datapackages/{NEW_ID}/datapackage.json" in committed
    assert "datapackages/all/documents.csv" in committed
    assert "documents/zz-new.txt" in committed
    assert git(repo, "status", "--porcelain", "--", "datapackages", "documents") == ""
    assert (repo / "site" / "documents" / NEW_ID / "index.html").is_file()
    with (repo / "datapackages" / "all" / "documents.csv").open(encoding="utf-8") as f:
        assert f"{NEW_ID},baoji-meixian-ybj," in f.read()

    # nothing new: no commit
    again = publish(repo)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "datapackages/ unchanged: nothing to commit" in again.stderr
    assert "6 documents: 0 parsed, 0 failed, 6 reused" in again.stdout


@needs_real_pdfs
def test_publish_commits_a_new_pdf(repo):
    """A maintainer drops a real PDF (长沙市信访局 2026 部门预算, 32 pages) into documents/."""
    head = git(repo, "rev-parse", "HEAD").strip()
    name = "changsha-xfj-2026-bumen-yusuan.pdf"
    shutil.copy(REAL_PDFS / name, repo / "documents" / name)

    result = publish(repo)
    assert result.returncode == 0, result.stderr[-3000:]
    assert " 1 parsed, 0 failed, " in result.stdout.splitlines()[-1]
    assert git(repo, "rev-list", f"{head}..HEAD").split() == [git(repo, "rev-parse", "HEAD").strip()]
    message = git(repo, "log", "-1", "--format=%B")
    assert message.startswith("Publish documents: 1 added\n")
    assert f"added: changsha-xinfangju-2026-budget ({name})" in message
    assert f"source files: A {name}" in message
    committed = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert f"documents/{name}" in committed
    # 信访事务 (20140) 1935.36 万元, printed on page 17 of the PDF's 一般公共预算支出表
    csv_text = (repo / "datapackages" / "changsha-xinfangju-2026-budget" / "function_expenditure.csv"
                ).read_text(encoding="utf-8")
    assert "changsha-xinfangju-2026-budget,general_public_function,20140,信访事务,section,1935.36," in csv_text
    assert "datapackages/changsha-xinfangju-2026-budget/function_expenditure.csv" in committed
    page = (repo / "site" / "documents" / "changsha-xinfangju-2026-budget" / "index.html").read_text(
        encoding="utf-8")
    assert "长沙市信访局" in page and "1,935.36" in page
    # the source PDF is published with the site, byte for byte, and the page links it
    published = repo / "site" / "sources" / "changsha-xinfangju-2026-budget.pdf"
    assert published.read_bytes() == (REAL_PDFS / name).read_bytes()
    assert "sources/changsha-xinfangju-2026-budget.pdf" in page
    assert git(repo, "status", "--porcelain", "--", "datapackages", "documents") == ""


def test_publish_refuses_to_drop_a_published_document(repo):
    head = git(repo, "rev-parse", "HEAD").strip()
    victim = repo / "documents" / "000_a8cda960e0db61c9.txt"
    text = victim.read_bytes()
    victim.unlink()
    try:
        result = publish(repo)
        assert result.returncode == 3
        assert "documents/baoji-fengxian-ybj-2024-budget-unit/" in result.stderr
        assert git(repo, "rev-parse", "HEAD").strip() == head
        assert (repo / "datapackages" / "baoji-fengxian-ybj-2024-budget-unit").is_dir()
    finally:
        victim.write_bytes(text)


def test_workflow_is_thin_and_calls_the_script():
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["push"]["paths"] == ["documents/**"] and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["publish"]["steps"]
    uses = [s["uses"].split("@")[0] for s in steps if "uses" in s]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/cache",
                    "actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"]
    runs = "\n".join(s.get("run", "") for s in steps)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    install = "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]'"
    assert install in readme and install in runs
    assert "scripts/publish.sh" in runs and "fonts-noto-cjk" in runs and "git push" in runs
    assert next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))["with"] == {"path": "site"}
