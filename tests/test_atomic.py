"""Atomic output: a build killed at any moment leaves the previous packages and site intact.

The kill test builds the five samples (the *old* output), then, in each trial, starts a build of
the samples plus one new document over a fresh copy of the old output and SIGKILLs its whole
process group (CLI, parse workers, MkDocs) after a seeded random delay spread over the build.
After every kill, ``datapackages/`` is byte for byte the old tree or the new one, and ``site/``
is the old tree or one with the new build's files and ``index.html``; both references pass
``validate_package``. The next build cleans up what the killed one left.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import DOCUMENTS, REPO, build_command, generator_build
from test_incremental import NEW_ID, new_document

from generator import atomic
from generator.package.write import validate_package

SEED = 20251125
TRIALS_NO_SITE = 16
TRIALS_SITE = 4


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def arguments(root: Path, *extra: str) -> tuple[str, ...]:
    return ("--site", str(root / "site"), "--jobs", "2", *extra)


def command(root: Path, *extra: str) -> list[str]:
    return build_command(root / "documents", root / "datapackages", *arguments(root, *extra))


def run(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return generator_build(root / "documents", root / "datapackages", *arguments(root, *extra))


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith((".datapackages.", ".site.")))


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """old: the samples built; new: samples + one document built (and each build's seconds)."""
    base = tmp_path_factory.mktemp("atomic")
    refs = {}
    for name, extra_doc in (("old", False), ("new", True)):
        root = base / name
        shutil.copytree(DOCUMENTS, root / "documents")
        if extra_doc:
            (root / "documents" / "zz-new.txt").write_text(new_document(), encoding="utf-8")
        start = time.perf_counter()
        result = run(root, "--no-cache")
        seconds = time.perf_counter() - start
        assert result.returncode == 0, result.stderr
        windows = phase_windows(root, seconds)
        for package in sorted((root / "datapackages").iterdir()):
            assert validate_package(package) == [], package
        assert (root / "site" / "index.html").is_file()
        refs[name] = {"root": root, "packages": digest(root / "datapackages"),
                      "site": digest(root / "site"), "windows": windows}
    start = time.perf_counter()  # the phases of a build without the site (same output again)
    assert run(refs["new"]["root"], "--no-site", "--no-cache").returncode == 0
    refs["new"]["windows_no_site"] = phase_windows(refs["new"]["root"], time.perf_counter() - start)
    assert digest(refs["new"]["root"] / "datapackages") == refs["new"]["packages"]
    assert (refs["new"]["root"] / "datapackages" / NEW_ID).is_dir()
    assert f"documents/{NEW_ID}/index.html" in refs["new"]["site"]
    return refs


def phase_windows(root: Path, wall: float) -> dict[str, tuple[float, float]]:
    """(start, end) seconds after launch of each phase of the build just run, from its report
    (Python start-up and imports before the build itself count as the "start" phase)."""
    report = json.loads((root / "build" / "report.json").read_text(encoding="utf-8"))
    t = max(wall - report["seconds"], 0.0)
    windows = {"start": (0.0, t)}
    for name, seconds in report["phases"].items():
        windows[name] = (t, t + seconds)
        t += seconds
    return windows


def fresh_trial(refs, root: Path) -> None:
    """root holds the old output and the new documents."""
    if root.exists():
        shutil.rmtree(root)
    old = refs["old"]["root"]
    shutil.copytree(refs["new"]["root"] / "documents", root / "documents")
    shutil.copytree(old / "datapackages", root / "datapackages")
    shutil.copytree(old / "site", root / "site")


def kill_after(root: Path, delay: float, *extra: str) -> str:
    """Start a build, SIGKILL its process group after ``delay`` s; return its output so far."""
    proc = subprocess.Popen(command(root, *extra), cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    else:  # finished first: make sure nothing of its group is left either
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    out, err = proc.communicate(timeout=60)
    return err + out


def phase_of(log: str) -> str:
    phase = "start"
    for line in log.splitlines():
        for name in ("parse", "package", "site", "swap"):
            if line.startswith(f"{name}:"):
                phase = name
        if " documents: " in line:
            phase = "done"
    return phase


def assert_intact(refs, root: Path) -> str:
    packages = digest(root / "datapackages")
    assert packages in (refs["old"]["packages"], refs["new"]["packages"]), \
        "datapackages/ is neither the previous tree nor the new one"
    site = digest(root / "site")
    if site != refs["old"]["site"]:
        assert sorted(site) == sorted(refs["new"]["site"]), "site/ is neither old nor complete new"
        assert "index.html" in site
    return "new" if packages == refs["new"]["packages"] else "old"


def test_killed_builds_leave_the_previous_output_intact(references, tmp_path):
    rng = random.Random(SEED)
    landed: Counter[str] = Counter()
    states: Counter[str] = Counter()
    root = tmp_path / "trial"
    # most trials without the site (and without the cache, so parsing takes its real time);
    # a few with the site, the slow phase, and the cache
    # aim each kill at a phase in turn (a random point of where it ran in the reference build,
    # ±20% of the build for jitter): start-up, parse, package, swap; the site for site builds
    plan = [(("--no-site", "--no-cache"), ("start", "parse", "package", "swap")[i % 4])
            for i in range(TRIALS_NO_SITE)] + [((), "site")] * TRIALS_SITE
    for extra, aim in plan:
        fresh_trial(references, root)
        windows = references["new"]["windows_no_site" if "--no-site" in extra else "windows"]
        lo, hi = windows[aim]
        total = max(end for _, end in windows.values())
        delay = rng.uniform(lo, hi) + rng.uniform(-0.2, 0.2) * total
        log = kill_after(root, min(max(delay, 0.05), total), *extra)
        landed[phase_of(log)] += 1
        states[assert_intact(references, root)] += 1
    print(f"kills landed in phases {dict(landed)}; output afterwards {dict(states)}")
    # the next build finishes what the killed one started, and sweeps its leftovers
    result = run(root)
    assert result.returncode == 0, result.stderr
    assert leftovers(root) == []
    assert digest(root / "datapackages") == references["new"]["packages"]
    assert sorted(digest(root / "site")) == sorted(references["new"]["site"])


def test_next_build_removes_stale_staging_and_restores_a_backup(references, tmp_path):
    root = tmp_path / "w"
    fresh_trial(references, root)
    for name in (".datapackages.new-abc/datapackages", ".datapackages.tmp-1", ".site.new-xyz/site"):
        (root / name).mkdir(parents=True)
        (root / name / "partial.csv").write_text("half", encoding="utf-8")
    # killed between the two renames of the fallback swap: site/ renamed away, nothing in
    os.rename(root / "site", root / ".site.old-q1")
    assert atomic.clean_stale(root / "site") == [root / ".site.new-xyz"]
    assert digest(root / "site") == references["old"]["site"]  # the backup is back
    result = run(root, "--no-cache")
    assert result.returncode == 0, result.stderr
    assert ("removed .datapackages.new-abc, left by a build that did not finish" in result.stderr
            and "removed .datapackages.tmp-1, left by a build that did not finish" in result.stderr)
    assert leftovers(root) == []
    assert digest(root / "datapackages") == references["new"]["packages"]


def test_swap_without_exchange(tmp_path, monkeypatch):
    """Where renameat2 is missing, replace_tree falls back to rename-away, rename-in."""
    monkeypatch.setattr(atomic, "exchange", lambda new, target: False)
    target, new = tmp_path / "out", tmp_path / ".out.new-1" / "out"
    target.mkdir()
    (target / "old.txt").write_text("old")
    new.mkdir(parents=True)
    (new / "new.txt").write_text("new")
    atomic.replace_tree(new, target)
    assert [p.name for p in target.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.new-1", "out"]


def test_exchange_swaps_both_trees(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "y").write_text("b")
    if not atomic.exchange(a, b):
        pytest.skip("renameat2(RENAME_EXCHANGE) not available here; the fallback is tested above")
    assert [p.name for p in a.iterdir()] == ["y"] and [p.name for p in b.iterdir()] == ["x"]


def test_concurrent_builds_take_turns(references, tmp_path):
    root = tmp_path / "c"
    fresh_trial(references, root)
    procs = [subprocess.Popen(command(root, "--no-site", "--no-cache"), cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=600), p.communicate()) for p in procs]
    assert [code for code, _ in results] == [0, 0], [err for _, (_, err) in results]
    assert digest(root / "datapackages") == references["new"]["packages"]
    assert leftovers(root) == []
