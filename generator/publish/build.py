"""The real MkDocs build of the site (:func:`build_site`), run in its own process; the
settings reach the hook there as its environment. Light to import: the pipeline imports it,
and only the MkDocs process loads the pages and the chart renderer (:mod:`.site`).

    python -m generator.publish.build [--datapackages DIR] [--site-dir DIR] [--no-strict]
"""
from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from .settings import MKDOCS_YML, REPO, SiteSettings


_PR_SET_PDEATHSIG = 1


def _die_with(parent: int):
    """``preexec_fn`` of a child that the kernel kills when ``parent`` dies (Linux
    ``PR_SET_PDEATHSIG``), also if it died before the call; None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork

    def setup() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return setup


def build_site(datapackages: Path, site_dir: Path, *, strict: bool = True,
               documents: Path | None = None, build_status: Path | None = None,
               settings: SiteSettings | None = None) -> None:
    """Build the site from ``datapackages`` into ``site_dir`` with the real MkDocs build
    (``python -m mkdocs build -f mkdocs.yml``); raises CalledProcessError on failure.
    ``documents`` is the folder of the source files the pages link to, ``build_status`` the
    build's status.json; the rest of the settings (the caches) is ``settings``, by default
    :meth:`SiteSettings.from_environ`. MkDocs' process gets them as its environment."""
    settings = settings or SiteSettings.from_environ(MKDOCS_YML)
    settings = replace(settings, datapackages=Path(datapackages).resolve(),
                       **({"documents": Path(documents).resolve()} if documents is not None else {}),
                       **({"build_status": Path(build_status)} if build_status is not None else {}))
    env = dict(os.environ, **settings.to_environ())
    # not --quiet: it raises the log level above WARNING, and MkDocs then counts no warnings
    # for --strict (a broken link would pass); the output is kept and shown on failure
    cmd = [sys.executable, "-m", "mkdocs", "build",
           "--strict" if strict else "--no-strict",  # overrides `strict:` of mkdocs.yml
           "-f", str(MKDOCS_YML), "-d", str(Path(site_dir).resolve())]
    env.setdefault("NO_MKDOCS_2_WARNING", "1")
    # killed with the build, even by SIGKILL; its own process group, so it gets no terminal
    # signal twice (the build stops it on Ctrl-C)
    result = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True,
                            preexec_fn=_die_with(os.getpid()), start_new_session=True)
    if result.returncode != 0:
        problems = [l for l in result.stderr.splitlines() if l.startswith(("WARNING", "ERROR"))]
        raise subprocess.CalledProcessError(
            result.returncode, cmd, output=result.stdout,
            stderr="\n".join(problems[:50] + [l for l in result.stderr.splitlines()[-3:]]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the MkDocs site from data packages.")
    parser.add_argument("--datapackages", type=Path, default=SiteSettings.from_environ(MKDOCS_YML).datapackages)
    parser.add_argument("--site-dir", type=Path, default=REPO / "site")
    parser.add_argument("--no-strict", action="store_true", help="let MkDocs warnings pass")
    args = parser.parse_args(argv)
    build_site(args.datapackages, args.site_dir, strict=not args.no_strict)


if __name__ == "__main__":
    main()
