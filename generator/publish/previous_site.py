"""A site build that replaces a published site writes only what changed.

The pipeline builds the site into a staging folder and swaps it in for the published one
(:mod:`generator.atomic`); most of the ~30,000 files of a 500-document site (data, charts,
downloads, pages from the render cache) are the same bytes as the published ones. A file whose
bytes the published site already has at the same path is hard-linked from it
(:func:`generator.atomic.link_unchanged`, as the package stage does) instead of written: the
published tree is never modified, only its names are removed when the new tree is swapped in,
so the new site holds the same bytes either way.

What keeps the published tree unmodified: a file of the new tree is never written into (a
second write of a path removes the name first, so a linked file's bytes, shared with the
published tree, are never truncated), and nothing else writes into the staged tree but MkDocs
(through :meth:`PreviousSite.write` and :meth:`PreviousSite.copy`, see the hook
``site_src/hooks/budget_pages.py``; it writes ``sitemap.xml.gz`` itself, a new file) and then
Pagefind, into its own new folder ``pagefind/``.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..atomic import link_unchanged


@dataclass
class PreviousSite:
    """Writes the files of the site being built into ``site_dir``, linking those whose bytes
    ``previous`` (the published site it replaces) has at the same path."""

    previous: Path
    site_dir: Path
    linked: int = 0
    written: int = 0

    def _old(self, dest: Path) -> Path | None:
        try:
            return self.previous / dest.relative_to(self.site_dir)
        except ValueError:
            return None  # outside the site: nothing to link from

    @staticmethod
    def _prepare(dest: Path) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.is_file() or dest.is_symlink():  # written twice: never into the first one's bytes
            dest.unlink()

    def write(self, dest: str | os.PathLike, data: bytes) -> None:
        """``dest`` holds ``data``."""
        dest = Path(dest)
        self._prepare(dest)
        if link_unchanged(dest, self._old(dest), data):
            self.linked += 1
            return
        dest.write_bytes(data)
        self.written += 1

    def copy(self, source: str | os.PathLike, dest: str | os.PathLike) -> None:
        """``dest`` holds the bytes of the file ``source`` (``dest`` a folder: the file of the
        same name in it, as ``mkdocs.utils.copy_file``)."""
        dest = Path(dest)
        if dest.is_dir():
            dest = dest / Path(source).name
        self._prepare(dest)
        if link_unchanged(dest, self._old(dest), source=Path(source)):
            self.linked += 1
            return
        shutil.copyfile(source, dest)
        self.written += 1


def previous_site(previous: Path | None, site_dir: str | os.PathLike) -> PreviousSite | None:
    """The writer for a build into ``site_dir`` replacing ``previous``; None when there is none
    to link from (no published site yet, or the build writes over it in place, as a bare
    ``mkdocs build`` does: MkDocs empties the folder first)."""
    site_dir = Path(site_dir).resolve()
    if previous is None or not Path(previous).is_dir() or Path(previous).resolve() == site_dir:
        return None
    return PreviousSite(Path(previous).resolve(), site_dir)
