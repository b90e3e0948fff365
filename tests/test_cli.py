"""The command line as people and CI run it: packages valid, deterministic, bad input reported."""
from __future__ import annotations

import hashlib
import shutil
import re
import subprocess
import sys
from pathlib import Path


from conftest import DOCUMENTS, REPO, run_build


def tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_every_package_passes_frictionless_validate(sample_packages):
    packages = sorted(p for p in sample_packages.iterdir() if (p / "datapackage.json").exists())
    assert [p.name for p in packages] == [
        "all", "anhui-suzhou-ybj-2024-budget", "baoding-wangdu-ybj-2024-budget",
        "baoji-fengxian-ybj-2024-budget-unit", "haidong-huzhu-ybj-2024-final", "leshan-shizhong-ybj-2023-budget"]
    frictionless = Path(sys.executable).with_name("frictionless")
    for package in packages:
        result = subprocess.run([str(frictionless), "validate", str(package / "datapackage.json")],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, f"{package.name}: {result.stdout[-2000:]}"


def test_second_build_is_byte_identical(sample_packages, tmp_path):
    again = tmp_path / "again"
    assert run_build(DOCUMENTS, again).returncode == 0
    assert tree_digest(again) == tree_digest(sample_packages)


def test_committed_datapackages_are_current(sample_packages):
    """datapackages/ in the repository is what the generator makes of documents/."""
    committed = REPO / "datapackages"
    assert committed.is_dir(), "datapackages/ is generated and committed: run python -m generator build"
    assert tree_digest(committed) == tree_digest(sample_packages)


def test_bad_files_are_reported_and_the_rest_still_builds(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    shutil.copy(DOCUMENTS / "004_1dc876329a8abae6.txt", docs)
    (docs / "empty.txt").write_bytes(b"")
    (docs / "notes.txt").write_text("会议纪要\n今天讨论了食堂菜单。\n", encoding="utf-8")
    (docs / "latin1.txt").write_bytes("caf\xe9 \x81\x82\x83".encode("latin-1") + b"\xff\xfe\x00")
    out = tmp_path / "datapackages"
    result = run_build(docs, out)
    assert result.returncode == 0, result.stderr  # without --strict, bad files do not fail the build
    assert "empty.txt: empty file" in result.stderr
    assert "notes.txt: not a budget disclosure" in result.stderr
    assert "latin1.txt: binary file, not a text extract" in result.stderr
    assert "4 documents: 1 parsed, 3 failed" in result.stdout
    assert (out / "baoding-wangdu-ybj-2024-budget" / "datapackage.json").exists()
    strict = run_build(docs, tmp_path / "strict", "--strict")
    assert strict.returncode == 1


def test_unreadable_encoding_named(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    (docs / "bad.txt").write_bytes(b"\xff\xfe\xfd\xfc invalid in utf-8 and gb18030 \x80\x80\xff")
    result = run_build(docs, tmp_path / "out")
    assert "bad.txt: unreadable encoding" in result.stderr


def test_gb18030_text_is_read(tmp_path):
    docs = tmp_path / "documents"
    docs.mkdir()
    text = (DOCUMENTS / "004_1dc876329a8abae6.txt").read_text(encoding="utf-8")
    (docs / "wangdu-gbk.txt").write_bytes(text.encode("gb18030"))
    result = run_build(docs, tmp_path / "out", "--strict")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "baoding-wangdu-ybj-2024-budget").is_dir()


def test_failed_build_keeps_published_packages(tmp_path):
    """A document directory that is missing is an error, and the old packages stay."""
    out = tmp_path / "datapackages"
    assert run_build(DOCUMENTS, out).returncode == 0
    before = tree_digest(out)
    result = run_build(tmp_path / "missing", out)
    assert result.returncode == 2 and "documents directory not found" in result.stderr
    assert tree_digest(out) == before


def test_help_documents_every_option():
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--help"],
                            capture_output=True, text=True, cwd=REPO)
    for option in ("--documents", "--datapackages", "--site", "--no-site", "--strict", "--jobs"):
        assert option in result.stdout
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    options = set(re.findall(r"(--[a-z][a-z-]+)", result.stdout)) - {"--help"}
    assert len(options) >= 10
    for option in sorted(options):
        assert f"`{option}" in readme, f"README does not document {option}"
