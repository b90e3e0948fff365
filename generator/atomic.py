"""Output trees replaced all at once: staging beside the target, exchange, build lock.

A build writes each output (``datapackages/``, ``site/``) into a sibling staging folder
``.<name>.new-XXXX/<name>`` and, once everything is complete, exchanges it with the target in
one ``renameat2(RENAME_EXCHANGE)`` call (Linux ≥ 3.15): at every instant the target path holds
either the complete old tree or the complete new one. Where the exchange is unsupported, the
old tree is renamed away and the new one renamed in (``swap_in``); a build
killed between those two renames leaves ``.<name>.old-XXXX``, which the next build puts back.

Outputs that must change together (packages, site and ``status.json``) are swapped by
``swap_together``: it first writes a journal ``.<name>.swap`` beside every target, naming each
staged tree, its target and the staged tree's identity (device and inode, kept by the
renames), then swaps them one by one, then removes the journals. A build killed in between
leaves the journals; the next ``clean_stale`` of any of the targets (every build runs it first)
finishes the swap from the staged trees still there, so the outputs end up all new, never
mixed. A swap that fails with an error is undone at once.

``BuildLock`` holds an ``flock`` on the folder that contains the outputs for the whole build,
so two builds into the same place run one after the other, and every staging folder found
while holding it belongs to a build that died: ``clean_stale`` removes them.
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: name patterns of the temporary siblings of an output folder ``name``
STALE_PATTERNS = (".{name}.new-*", ".{name}.tmp-*", ".{name}.old-*")


def _renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_RENAMEAT2 = _renameat2() if sys.platform.startswith("linux") else None


def exchange(new: Path, target: Path) -> bool:
    """Atomically swap the folders ``new`` and ``target`` (afterwards ``new`` holds the old
    tree). False when the system cannot (no renameat2, or a file system without it)."""
    if _RENAMEAT2 is None:
        return False
    rc = _RENAMEAT2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(target))


def staging_dir(target: Path) -> Path:
    """A fresh ``.<name>.new-XXXX`` beside ``target``; the new tree goes in ``<it>/<name>``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))


def replace_tree(new: Path, target: Path) -> None:
    """Put the complete tree ``new`` at ``target``; the old tree (if any) is deleted after."""
    new, target = Path(new), Path(target)
    if not target.exists():
        os.rename(new, target)
        return
    if exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # now the old tree
        return
    swap_in(new, target)


def swap_in(new: Path, target: Path) -> None:
    """Replace ``target`` by ``new``: rename old away, rename new in, delete old."""
    if not target.exists():
        os.rename(new, target)
        return
    shutil.rmtree(_rename_aside(new, target), ignore_errors=True)


def _rename_aside(new: Path, target: Path) -> Path:
    """Rename the existing ``target`` to a unique ``.<name>.old-*`` beside it and ``new`` into
    its place (the old one back if that fails); returns where the old one is now."""
    backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    backup.rmdir()  # only the unique name is wanted
    os.rename(target, backup)
    try:
        os.rename(new, target)
    except BaseException:
        os.rename(backup, target)
        raise
    return backup


def journal_path(target: Path) -> Path:
    """The journal of a swap that involves ``target``: ``.<name>.swap`` beside it."""
    target = Path(target)
    return target.parent / f".{target.name}.swap"


def _identity(path: Path) -> list[int] | None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_journal(path: Path, data: dict) -> None:
    # .<name>.tmp-swap-XXXX: swept by clean_stale if the build dies while writing it
    fd, tmp = tempfile.mkstemp(prefix=path.name.removesuffix(".swap") + ".tmp-swap-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _put(new: Path, target: Path) -> Path | None:
    """``new`` (a file or a tree) at ``target``; returns where the old one is now (None: there
    was none)."""
    if not os.path.lexists(target):
        os.rename(new, target)
        return None
    if exchange(new, target):
        return new
    return _rename_aside(new, target)


def _unput(new: Path, target: Path, old: Path | None) -> None:
    """Undo ``_put(new, target)`` that left the old one at ``old``."""
    if old is None:
        os.rename(target, new)
    elif old == new:
        if not exchange(new, target):
            swap_in(new, target)  # fallback: only for a system that exchanged a moment ago
    else:
        os.rename(target, new)
        os.rename(old, target)


def swap_together(pairs: list[tuple[Path, Path]]) -> None:
    """Put each staged ``new`` (a tree or a file beside its target) at its ``target``, all or
    none: journaled beside every target first (a killed swap is finished by the next
    ``clean_stale``), undone if one fails. The old trees are deleted afterwards."""
    pairs = [(Path(new).absolute(), Path(target).absolute()) for new, target in pairs]
    journals = [str(journal_path(target)) for _, target in pairs]
    entries = [{"new": str(new), "target": str(target), "id": _identity(new)} for new, target in pairs]
    for journal in journals:
        _write_journal(Path(journal), {"journals": journals, "swap": entries})
    done: list[tuple[Path, Path, Path | None]] = []
    try:
        for new, target in pairs:
            done.append((new, target, _put(new, target)))
    except BaseException:
        for new, target, old in reversed(done):
            _unput(new, target, old)
        _drop_journals(journals)
        raise
    _drop_journals(journals)
    for _, _, old in done:
        if old is not None:
            _remove(old)


def _drop_journals(journals: list[str]) -> None:
    for journal in journals:
        Path(journal).unlink(missing_ok=True)
    for folder in sorted({Path(j).parent for j in journals}):
        _fsync_dir(folder)


def finish_swap(target: Path) -> list[str]:
    """Finish the swap a killed build journaled beside ``target`` (the staged trees it names
    that are not in place yet are put in place; their old trees stay beside, for
    ``clean_stale``). Returns the targets put in place; a journal that cannot be finished (a
    staged tree gone) is reported on stderr and dropped."""
    journal = journal_path(target)
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        entries, journals = data["swap"], data["journals"]
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"warning: unreadable swap journal {journal} removed ({exc})", file=sys.stderr)
        journal.unlink(missing_ok=True)
        return []
    todo = [e for e in entries if _identity(Path(e["target"])) != e["id"]]
    gone = [e["new"] for e in todo if _identity(Path(e["new"])) != e["id"]]
    if gone:
        print(f"warning: the swap journaled in {journal} cannot be finished: "
              f"{', '.join(gone)} gone", file=sys.stderr)
        todo = []
    for entry in todo:
        _put(Path(entry["new"]), Path(entry["target"]))
    _drop_journals(journals)
    return [e["target"] for e in todo]


def clean_stale(target: Path) -> list[Path]:
    """Remove what killed builds left beside ``target`` (call it holding the ``BuildLock``).
    A swap journaled beside it is finished first (``finish_swap``); a missing ``target`` with
    a ``.<name>.old-*`` backup (killed between the two renames of the fallback swap) gets its
    backup back. Returns the folders removed."""
    target = Path(target)
    parent = target.parent
    if not parent.is_dir():
        return []
    for finished in finish_swap(target):
        print(f"finished the swap of {finished}, left by a build that was stopped", file=sys.stderr)
    if not target.exists():
        backups = sorted(parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
        if backups:
            os.rename(backups[-1], target)
    removed = []
    for pattern in STALE_PATTERNS:
        for path in sorted(parent.glob(pattern.format(name=target.name))):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def link_unchanged(path: Path, old: Path | None, data: bytes | None = None,
                   source: Path | None = None) -> bool:
    """Hard-link ``path`` (in a staged tree) to ``old``, the file at the same place in the tree
    it replaces, when ``old`` holds exactly the bytes about to be written: ``data``, or those of
    the file ``source``; returns whether it did (else nothing was done: write the file). The old
    tree is never modified, only its names are removed when the new tree is swapped in, so the
    published bytes are the same either way; a rebuild that changes little writes little."""
    if old is None:
        return False
    try:
        size = old.stat().st_size
        if data is not None:
            same = size == len(data) and old.read_bytes() == data
        elif source is not None:
            same = os.path.samefile(old, source) or (
                size == os.stat(source).st_size and old.read_bytes() == Path(source).read_bytes())
        else:
            return False
        if same:
            os.link(old, path)
        return same
    except OSError:
        return False  # no old file, another filesystem, no hard links: write it


#: a content-keyed cache entry (chart SVG, download slot) no build has used for this long is
#: removed: a concurrent build of another tree marks what it uses within seconds
KEEP_UNUSED_SECONDS = 3600


def remove_unused(entries: list[Path], used: set[Path],
                  keep_seconds: float = KEEP_UNUSED_SECONDS) -> None:
    """Remove each of ``entries`` (files or folders of a content-keyed cache) that is not in
    ``used`` and was last used (mtime) more than ``keep_seconds`` ago: a concurrent build of
    another tree marks what it uses within seconds, so nothing it still needs goes."""
    limit = time.time() - keep_seconds
    for entry in entries:
        try:
            if entry in used or entry.lstat().st_mtime > limit:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            pass  # removed by a concurrent build meanwhile


class BuildLock:
    """Exclusive ``flock`` on the parent folders of the outputs, for the duration of a build
    (released by the kernel when the process dies, even on SIGKILL)."""

    def __init__(self, *targets: Path):
        self.folders = sorted({str(Path(t).resolve().parent) for t in targets if t is not None})
        self.fds: list[int] = []

    def __enter__(self) -> BuildLock:
        for folder in self.folders:
            Path(folder).mkdir(parents=True, exist_ok=True)
            fd = os.open(folder, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                print(f"waiting for another build writing into {folder} …", file=sys.stderr)
                fcntl.flock(fd, fcntl.LOCK_EX)
            self.fds.append(fd)
        return self

    def __exit__(self, *exc) -> None:
        for fd in reversed(self.fds):
            os.close(fd)  # closing releases the lock
        self.fds.clear()
