"""Are the packages and the site byte-identical to what another revision builds?

    python bench/identical.py [--base REV] [CORPUS ...]

Builds every corpus (default: ``documents/`` and ``../shared/real-pdfs`` when present) twice
through the real command line, with no parse cache: once with the code of ``--base`` (default
``HEAD``, checked out with ``git worktree`` into a temporary folder) and once with the working
tree, then compares the two ``datapackages/`` and the two ``site/`` trees file by file. Prints
each file that differs or exists on one side only, and exits 1 if any does. A refactoring that
says "outputs unchanged" proves it with this script.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def build(code: Path, corpus: Path, out: Path) -> None:
    """One full build (packages and site) of ``corpus`` with the generator at ``code``."""
    env = dict(os.environ, BUDGET_CHART_CACHE=str(out / "chart-cache"),
               BUDGET_DOWNLOADS_CACHE=str(out / "downloads-cache"))
    cmd = [sys.executable, "-m", "generator", "build", "--documents", str(corpus.resolve()),
           "--datapackages", str(out / "datapackages"), "--site", str(out / "site"),
           "--no-cache", "--report", str(out / "report")]
    result = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"build of {corpus} with {code} failed ({result.returncode}):\n{result.stderr[-3000:]}")


def differences(a: Path, b: Path) -> list[str]:
    """Relative paths that differ between trees ``a`` and ``b`` (content or presence)."""
    out: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        out.extend(f"{prefix}{n} (only in base)" for n in cmp.left_only)
        out.extend(f"{prefix}{n} (only in new)" for n in cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        out.extend(f"{prefix}{n}" for n in mismatch + errors)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b, ignore=[]), "")
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="HEAD", help="git revision to compare with (default HEAD)")
    parser.add_argument("corpus", nargs="*", type=Path,
                        help="folders of documents (default: documents/ and ../shared/real-pdfs)")
    args = parser.parse_args(argv)
    corpora = args.corpus or [REPO / "documents"] + ([SHARED / "real-pdfs"] if (SHARED / "real-pdfs").is_dir() else [])
    failed = False
    with tempfile.TemporaryDirectory(prefix="identical-") as tmp:
        base = Path(tmp) / "base-code"
        subprocess.run(["git", "worktree", "add", "--detach", str(base), args.base],
                       cwd=REPO, check=True, capture_output=True)
        try:
            for i, corpus in enumerate(corpora):
                old, new = Path(tmp) / f"{i}-base", Path(tmp) / f"{i}-new"
                build(base, corpus, old)
                build(REPO, corpus, new)
                for tree in ("datapackages", "site"):
                    diff = differences(old / tree, new / tree)
                    failed |= bool(diff)
                    verdict = "identical" if not diff else f"{len(diff)} files differ"
                    print(f"{corpus} {tree}: {verdict}")
                    for line in diff[:40]:
                        print(f"  {line}")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(base)], cwd=REPO,
                           capture_output=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
