"""Nothing lost, nothing wrong published: the output side of the build, through the real command
line.

* An output folder (``--datapackages``, ``--site``, ``--report``, ``--cache``) that equals,
  contains or is inside the documents folder or another output folder is refused (exit 2)
  before anything is written, symlinks resolved.
* Packages and site change together: a build killed right after its ``swap:`` line leaves them
  in step once the next build has started (it finishes the journaled swap); a killed build's
  MkDocs process dies with it.
* A parse cache that cannot be used is a warning; a read-only output folder (exit 2) and a full
  disk (exit 1) are one line naming the path and the reason, the previous outputs intact.
  Read-only folders and the full disk are real: small tmpfs mounts (the tests skip where this
  machine cannot mount one).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import DOCUMENTS, REPO, build_command, generator_build, run_build
from test_incremental import NEW_ID, new_document


def snapshot(root: Path) -> dict[str, str]:
    """Every path under ``root`` (folders, symlinks, files with their sha256)."""
    out = {}
    for p in sorted(root.rglob("*")):
        key = str(p.relative_to(root))
        if p.is_symlink():
            out[key] = "-> " + os.readlink(p)
        elif p.is_file():
            out[key] = hashlib.sha256(p.read_bytes()).hexdigest()
        else:
            out[key] = "dir"
    return out


def digest(root: Path) -> dict[str, str]:
    return {k: v for k, v in snapshot(root).items() if v != "dir"}


def copy_samples(folder: Path) -> Path:
    shutil.copytree(DOCUMENTS, folder)
    return folder


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# ------------------------------------------------------------------ 1. overlapping folders

OVERLAPS = {
    "datapackages is documents": ("{docs}", ["--no-site"], "--datapackages", "--documents"),
    "datapackages above documents": ("{root}", ["--no-site"], "--datapackages", "--documents"),
    "datapackages a symlink to documents": ("{root}/link", ["--no-site"], "--datapackages",
                                            "--documents"),
    "site is documents": ("{root}/dp", ["--site", "{docs}"], "--site", "--documents"),
    "site above documents": ("{root}/dp", ["--site", "{root}"], "--site", "--documents"),
    "site inside documents": ("{root}/dp", ["--site", "{docs}/site"], "--site", "--documents"),
    "site is datapackages": ("{root}/dp", ["--site", "{root}/dp"], "--site", "--datapackages"),
    "site inside datapackages": ("{root}/dp", ["--site", "{root}/dp/site"], "--site",
                                 "--datapackages"),
    "report is documents": ("{root}/dp", ["--no-site", "--report", "{docs}"], "--report",
                            "--documents"),
    "report above the packages": ("{root}/out/dp", ["--no-site", "--report", "{root}/out"],
                                  "--report", "--datapackages"),
    "cache above documents": ("{root}/dp", ["--no-site", "--cache", "{root}"], "--cache",
                              "--documents"),
    "cache inside the packages": ("{root}/dp", ["--no-site", "--cache", "{root}/dp/.cache"],
                                  "--cache", "--datapackages"),
}


@pytest.mark.parametrize("case", sorted(OVERLAPS))
def test_an_output_folder_overlapping_the_documents_or_another_output_is_refused(tmp_path, case):
    root = tmp_path / "w"
    docs = copy_samples(root / "documents")
    (root / "link").symlink_to(docs, target_is_directory=True)
    (docs / "notes-of-mine.md").write_text("not a disclosure, but mine\n", encoding="utf-8")
    packages, extra, option, other = OVERLAPS[case]
    fill = {"docs": str(docs), "root": str(root)}
    before = snapshot(tmp_path)
    result = generator_build(docs, Path(packages.format(**fill)), *[a.format(**fill) for a in extra])
    assert result.returncode == 2, (case, result.returncode, result.stderr[-2000:])
    assert snapshot(tmp_path) == before, f"{case}: something was written or removed"
    errors = error_lines(result.stderr)
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert option in errors[0] and other in errors[0], errors[0]
    assert any(word in errors[0] for word in (" is ", " inside ", " contains ")), errors[0]


def test_separate_folders_and_symlinks_that_do_not_overlap_still_build(tmp_path):
    docs = copy_samples(tmp_path / "documents")
    (tmp_path / "out").mkdir()
    (tmp_path / "out-link").symlink_to(tmp_path / "out", target_is_directory=True)
    result = run_build(docs, tmp_path / "out-link" / "dp", "--report", str(tmp_path / "rep"),
                       "--site", str(docs))  # --site is not an output with --no-site
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "dp" / "all" / "datapackage.json").is_file()
    assert (tmp_path / "rep" / "report.json").is_file()


# --------------------------------------------------------------- 8. swap order, children

@pytest.fixture(scope="module")
def old_outputs(tmp_path_factory) -> Path:
    """The five samples built with their site (the outputs a new build replaces)."""
    root = tmp_path_factory.mktemp("old")
    result = generator_build(copy_samples(root / "documents"), root / "datapackages",
                             "--site", str(root / "site"), "--cache", str(root / "cache"))
    assert result.returncode == 0, result.stderr
    return root


def trial(old: Path, root: Path) -> Path:
    """root: the old outputs, the samples plus one new document."""
    shutil.copytree(old / "datapackages", root / "datapackages")
    shutil.copytree(old / "site", root / "site")
    shutil.copytree(old / "cache", root / "cache")
    copy_samples(root / "documents")
    (root / "documents" / "zz-new.txt").write_text(new_document(), encoding="utf-8")
    return root


def start(root: Path) -> subprocess.Popen:
    cmd = build_command(root / "documents", root / "datapackages", "--site", str(root / "site"),
                        "--cache", str(root / "cache"), "--jobs", "2")
    return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)


def kill_after_line(proc: subprocess.Popen, prefix: str, until: Path | None = None) -> None:
    """SIGKILL the build's process group once it printed a line starting with ``prefix`` (and
    then, if given, once ``until`` exists)."""
    for line in proc.stderr:
        if line.startswith(prefix):
            break
    else:
        pytest.fail(f"the build ended before its {prefix!r} line")
    deadline = time.monotonic() + 30
    while until is not None and not until.exists() and time.monotonic() < deadline:
        time.sleep(0.0002)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()


def published(root: Path) -> tuple[bool, bool]:
    """Whether the new document is in the packages, and in the site."""
    return ((root / "datapackages" / NEW_ID).is_dir(),
            (root / "site" / "documents" / NEW_ID / "index.html").is_file())


def test_a_build_killed_after_its_swap_line_keeps_packages_and_site_together(old_outputs, tmp_path):
    outcomes = []
    for i in range(4):
        root = trial(old_outputs, tmp_path / f"t{i}")
        proc = start(root)
        if i == 0:  # at the line
            kill_after_line(proc, "swap:")
        else:  # as soon as the new packages are in place
            kill_after_line(proc, "swap:", until=root / "datapackages" / NEW_ID)
        # the next build that starts (here one refused by the guard: a document is gone)
        # finishes or undoes the swap before anything else
        (root / "documents" / "000_a8cda960e0db61c9.txt").unlink()
        refused = generator_build(root / "documents", root / "datapackages",
                                  "--site", str(root / "site"), "--cache", str(root / "cache"))
        assert refused.returncode == 3, refused.stderr[-2000:]
        outcomes.append(published(root))
    assert all(packages == site for packages, site in outcomes), \
        f"(new packages, new site) after each kill: {outcomes}"
    leftovers = [p.name for p in root.iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_a_killed_build_takes_its_mkdocs_process_with_it(old_outputs, tmp_path):
    root = trial(old_outputs, tmp_path / "t")
    proc = start(root)
    for line in proc.stderr:
        if line.startswith("site:"):
            break
    deadline = time.monotonic() + 30
    mkdocs: set[int] = set()
    while not mkdocs and time.monotonic() < deadline:
        mkdocs = {p for p in descendants(proc.pid)
                  if b"mkdocs" in Path(f"/proc/{p}/cmdline").read_bytes()}
        time.sleep(0.05)
    assert mkdocs, "no MkDocs process seen"
    time.sleep(1.0)
    children = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGKILL)  # the build only, as an OOM killer or `kill -9` would
    proc.wait(timeout=60)
    deadline = time.monotonic() + 3
    while alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = alive(children)
    for pid in left:  # do not leave them running after the test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running 3 s after the build was killed: {sorted(left)}"


# ------------------------------------------------------------ 9. unusable folders, full disk

@contextmanager
def tmpfs(folder: Path, size: str):
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


def test_a_parse_cache_that_cannot_be_used_is_a_warning(tmp_path):
    docs = copy_samples(tmp_path / "documents")
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    result = run_build(docs, tmp_path / "dp", "--cache", str(tmp_path / "a-file" / "parsed"))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "warning: parse cache" in result.stderr and str(tmp_path / "a-file") in result.stderr
    assert (tmp_path / "dp" / "all" / "datapackage.json").is_file()


def test_read_only_documents_build_without_the_cache_beside_them(tmp_path):
    with tmpfs(tmp_path / "ro", "4m") as ro:
        docs = copy_samples(ro / "documents")
        read_only(ro)
        result = run_build(docs, tmp_path / "dp")  # default cache: ro/.cache/parsed
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "warning: parse cache" in result.stderr and "Read-only file system" in result.stderr
        assert (tmp_path / "dp" / "all" / "datapackage.json").is_file()


def test_a_read_only_output_folder_is_one_line_and_keeps_the_old_packages(tmp_path):
    docs = copy_samples(tmp_path / "documents")
    with tmpfs(tmp_path / "out", "8m") as out:
        assert run_build(docs, out / "dp", "--no-cache").returncode == 0
        before = digest(out)
        (docs / "zz-new.txt").write_text(new_document(), encoding="utf-8")
        read_only(out)
        result = run_build(docs, out / "dp", "--no-cache")
        assert result.returncode == 2, result.stderr[-3000:]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        errors = error_lines(result.stderr)
        assert len(errors) == 1 and str(out) in errors[0] and "Read-only file system" in errors[0]
        assert digest(out) == before


def test_a_full_disk_is_one_line_and_keeps_the_old_packages(tmp_path):
    docs = copy_samples(tmp_path / "documents")
    with tmpfs(tmp_path / "out", "2m") as out:  # the old packages fit, not twice
        assert run_build(docs, out / "dp", "--no-cache").returncode == 0
        before = digest(out / "dp"), digest(out / "build")["status.json"]
        (docs / "zz-new.txt").write_text(new_document(), encoding="utf-8")
        result = run_build(docs, out / "dp", "--no-cache")
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        errors = error_lines(result.stderr)
        assert len(errors) == 1 and str(out / "dp") in errors[0], errors
        assert "No space left on device" in errors[0], errors
        assert (digest(out / "dp"), digest(out / "build")["status.json"]) == before
        assert not [p.name for p in out.iterdir() if p.name.startswith(".")]


def test_a_full_disk_under_the_site_keeps_the_old_packages_and_site(old_outputs, tmp_path):
    root = trial(old_outputs, tmp_path / "t")
    old_site = digest(root / "site")
    old_packages = digest(root / "datapackages")
    # the old site fits, then the disk is filled but for 64 KiB: the new site's unchanged files
    # are hard links to the old ones (generator/publish/previous_site.py), which take no room,
    # but its changed pages and files do not fit (tmpfs counts whole 4 KiB pages per file)
    pages = sum(-(-p.stat().st_size // 4096) for p in (root / "site").rglob("*") if p.is_file())
    with tmpfs(tmp_path / "t" / "full", f"{pages * 4 * 3 // 2 // 1024 + 1}m") as full:
        shutil.copytree(root / "site", full / "site")
        free = os.statvfs(full)
        (full / "filler").write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 64 * 1024))
        result = generator_build(root / "documents", root / "datapackages",
                                 "--site", str(full / "site"), "--cache", str(root / "cache"))
        assert result.returncode == 1, result.stderr[-3000:]
        assert "Traceback" not in result.stderr, result.stderr[-3000:]
        errors = error_lines(result.stderr)
        assert len(errors) == 1 and "No space left on device" in errors[0], result.stderr[-3000:]
        assert digest(full / "site") == old_site
        assert digest(root / "datapackages") == old_packages
        assert not [p.name for p in full.iterdir() if p.name.startswith(".")]
