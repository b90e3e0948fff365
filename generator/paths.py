"""Where a build may write, decided before it writes anything (``check_outputs``).

The build replaces ``--datapackages`` and ``--site`` as whole trees (and writes its staging
folders and lock beside them), writes ``report.json`` and ``status.json`` into ``--report``, and
prunes the parse cache ``--cache`` and the package cache beside it (``<cache>/../packages``).
So none of these folders may be, contain or be inside the documents folder or another of them
(the two caches aside, which are siblings by design): such a build is refused with a
``PathConflict`` (exit 2), symlinks resolved. An output folder on a read-only file system or
without write permission is an ``OutputError`` with exit status 2, found here too; a write that
fails later (a full disk) is an ``OutputError`` with exit status 1, raised by the pipeline.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

#: errors that say the output cannot be written (rather than a bug or a bad document)
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES,
                          errno.EPERM, errno.EIO})


class PathConflict(ValueError):
    """An output folder overlaps the documents folder or another output folder."""


class OutputError(Exception):
    """An output folder cannot be written: ``path`` (the folder as given), ``reason`` (the
    system's words), ``detail`` (the file that failed, if known), ``status`` (exit status)."""

    def __init__(self, path: Path, reason: str, *, detail: str | None = None, status: int = 1):
        self.path, self.reason, self.detail, self.status = path, reason, detail, status
        where = f"{path} ({detail})" if detail and detail != str(path) else str(path)
        super().__init__(f"cannot write {where}: {reason}")

    @classmethod
    def from_os(cls, folder: Path, exc: OSError) -> OutputError:
        """The ``OSError`` raised while writing ``folder``, with the file it names."""
        reason = exc.strerror or str(exc)
        return cls(folder, reason, detail=exc.filename and os.fsdecode(exc.filename))


def output_folders(datapackages: Path, site: Path | None, report: Path | None,
                   cache: Path | None) -> list[tuple[str, Path]]:
    """(option, folder) of every folder the build writes or prunes."""
    folders = [("--datapackages", datapackages), ("--site", site), ("--report", report)]
    if cache is not None:
        folders += [("--cache", cache),
                    ("the package cache beside --cache", Path(cache).resolve().parent / "packages")]
    return [(name, Path(folder)) for name, folder in folders if folder is not None]


def check_outputs(documents: Path, datapackages: Path, site: Path | None, report: Path | None,
                  cache: Path | None) -> None:
    """Raise ``PathConflict`` if an output folder equals, contains or is inside the documents
    folder or another output folder; ``OutputError`` (status 2) if one cannot be written.
    Writes nothing."""
    outputs = output_folders(datapackages, site, report, cache)
    folders = [("--documents", Path(documents).resolve())] + [(n, p.resolve()) for n, p in outputs]
    for i, (name, folder) in enumerate(folders):
        for other_name, other in folders[:i]:
            if {name, other_name} == {"--cache", "the package cache beside --cache"}:
                continue
            relation = _relation(folder, other)
            if relation:
                raise PathConflict(
                    f"{name} {folder} {relation} {other_name} {other}: an output folder must not "
                    f"be, contain or be inside the documents or another output folder (the build "
                    f"replaces or prunes it)")
    for name, folder in outputs:
        if "cache" not in name:  # a cache that cannot be written only costs time
            _check_writable(name, folder)


def _relation(folder: Path, other: Path) -> str | None:
    if folder == other:
        return "is"
    if other in folder.parents:
        return "is inside"
    if folder in other.parents:
        return "contains"
    return None


def _check_writable(name: str, folder: Path) -> None:
    """The nearest existing folder where the build writes ``folder`` (its parent for the
    trees swapped in beside it) must be writable."""
    where = folder.resolve() if name == "--report" else folder.resolve().parent
    while not where.exists() and where != where.parent:
        where = where.parent
    if os.statvfs(where).f_flag & os.ST_RDONLY:
        raise OutputError(folder, os.strerror(errno.EROFS), detail=f"{name}, in {where}", status=2)
    if not os.access(where, os.W_OK | os.X_OK):
        raise OutputError(folder, os.strerror(errno.EACCES), detail=f"{name}, in {where}", status=2)
