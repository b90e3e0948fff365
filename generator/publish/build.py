"""The real MkDocs build of the site (:func:`build_site`), run in its own process; the
settings reach the hook there as its environment. Light to import: the pipeline imports it,
and only the MkDocs process loads the pages and the chart renderer (:mod:`.site`).

    python -m generator.publish.build [--datapackages DIR] [--site-dir DIR] [--no-strict]
"""
from __future__ import annotations

import argparse
import ctypes
import gzip
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..atomic import KEEP_UNUSED_SECONDS, remove_unused
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
               previous_site: Path | None = None, settings: SiteSettings | None = None) -> None:
    """Build the site from ``datapackages`` into ``site_dir`` with the real MkDocs build
    (``python -m mkdocs build -f mkdocs.yml``), then its search index (:func:`index_site`);
    raises CalledProcessError on failure.
    ``documents`` is the folder of the source files the pages link to, ``build_status`` the
    build's status.json, ``previous_site`` the published site that ``site_dir`` (a staging
    folder) will replace (files already there with the same bytes are hard-linked from it);
    the rest of the settings (the caches) is ``settings``, by default
    :meth:`SiteSettings.from_environ`. MkDocs' process gets them as its environment."""
    settings = settings or SiteSettings.from_environ(MKDOCS_YML)
    settings = replace(settings, datapackages=Path(datapackages).resolve(),
                       **({"documents": Path(documents).resolve()} if documents is not None else {}),
                       **({"build_status": Path(build_status)} if build_status is not None else {}),
                       **({"previous_site": Path(previous_site).resolve()} if previous_site is not None else {}))
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
    # how many pages the render cache gave, which were rendered again (hooks/render_cache.py)
    for line in result.stderr.splitlines():
        for what in ("unit cache: ", "render cache: ", "fast tables: ", "site files: "):  # the hooks' lines
            if what in line:
                print("site: " + line[line.index(what):], file=sys.stderr, flush=True)
    started = time.perf_counter()
    # no incremental update in Pagefind: the whole site, unless no page changed since an index
    search_cache = settings.chart_cache.parent / "search" if settings.chart_cache else None
    reused = index_site(site_dir, search_cache)
    print(f"site: search index (Pagefind) {time.perf_counter() - started:.2f} s"
          + (", reused: no page changed" if reused else ""), file=sys.stderr, flush=True)


def pagefind_executable() -> Path:
    """The Pagefind binary of the ``pagefind-bin-extended`` wheel (pyproject.toml pins it): the
    extended build, which segments Chinese text into words."""
    try:
        import pagefind_bin_extended
    except ImportError as exc:  # pragma: no cover - the pin installs it
        raise RuntimeError("the site search needs Pagefind: pip install pagefind-bin-extended "
                           "(pinned in pyproject.toml)") from exc
    return pagefind_bin_extended.get_executable()


def index_key(site_dir: Path) -> str:
    """Digest of everything Pagefind's index of ``site_dir`` depends on: every HTML file's path
    and bytes (Pagefind reads nothing else), the Pagefind version and this module (which
    rewrites its filter chunks)."""
    from importlib.metadata import version

    h = hashlib.sha256(f"pagefind {version('pagefind-bin-extended')}\0".encode())
    h.update(Path(__file__).read_bytes())
    for path in sorted(Path(site_dir).rglob("*.html")):
        h.update(b"\0" + path.relative_to(site_dir).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def index_site(site_dir: Path, cache_dir: Path | None = None) -> bool:
    """Pagefind's search index of the built site in ``site_dir/pagefind/``: a chunked index, of
    which a search downloads only the chunks of the words typed and the data of the results
    shown (bench/bench_search.py measures it). It indexes what pages mark with
    ``data-pagefind-body`` (site_src/hooks/pagefind_attrs.py). Raises CalledProcessError.

    With ``cache_dir``, the index is kept there by :func:`index_key`, and a site whose HTML did
    not change gets the kept index (the same bytes: Pagefind's output is made deterministic
    here) instead of Pagefind's whole run; returns whether it did. Pagefind 1.5 cannot update
    an index, so one changed page still means the whole run."""
    site_dir = Path(site_dir).resolve()
    slot = None
    if cache_dir is not None:
        slot = Path(cache_dir) / index_key(site_dir)[:32]
        if (slot / "complete").is_file():
            shutil.rmtree(site_dir / "pagefind", ignore_errors=True)
            shutil.copytree(slot / "pagefind", site_dir / "pagefind")
            os.utime(slot)  # in use: not pruned
            return True
    _run_pagefind(site_dir)
    if slot is not None:
        _keep(site_dir / "pagefind", slot)
    return False


def _keep(index: Path, slot: Path) -> None:
    """Copy ``index`` into the cache ``slot`` whole or not at all; prune slots unused for
    :data:`KEEP_UNUSED_SECONDS` (another build may be using one)."""
    tmp = slot.with_name(f".{slot.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(index, tmp / "pagefind")
    (tmp / "complete").write_text("")
    try:
        tmp.rename(slot)
    except OSError:  # a concurrent build kept the same index first
        shutil.rmtree(tmp, ignore_errors=True)
    remove_unused(sorted(slot.parent.iterdir()), {slot}, KEEP_UNUSED_SECONDS)


def _run_pagefind(site_dir: Path) -> None:
    cmd = [str(pagefind_executable()), "--site", str(site_dir), "--output-subdir", "pagefind", "--silent"]
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True,
                            preexec_fn=_die_with(os.getpid()), start_new_session=True)
    if result.returncode != 0:
        raise subprocess.CalledProcessError(result.returncode, cmd, output=result.stdout,
                                            stderr=result.stderr[-3000:])
    _sort_filters(site_dir / "pagefind")
    for name in UNUSED_UI:  # site_src/assets/js/search.js is the UI: ~410 KB never downloaded
        (site_dir / "pagefind" / name).unlink(missing_ok=True)


#: the ready-made search UIs Pagefind writes beside its index, which the site does not use
#: (pagefind-highlight.js also carries control characters, which no site file may)
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
             "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


# --- Pagefind's filter chunks, made byte-identical on rebuild -----------------------------------
# Pagefind 1.5.2 writes the values of a filter in hash-map order, which changes from run to run
# (everything else it writes is stable). Each filter chunk is gzip("pagefind_dcd" + CBOR
# [name, [[value, [page, …]], …]]): _sort_filters sorts the values (and pages), renames the chunk
# after its new content (the name is the language, "_" and 7 hex digits, as Pagefind's), and
# writes the new names, sorted by filter (also in hash-map order), into the metadata file
# (CBOR [version, pages, index chunks, filters, sorts, meta fields]), which is renamed the same
# way (10 hex digits) in pagefind-entry.json. The decoder knows the CBOR types these files use.

_SIGNATURE = b"pagefind_dcd"


def _cbor_decode(data: bytes, i: int = 0):
    head = data[i]
    major, info = head >> 5, head & 31
    i += 1
    if info < 24:
        arg = info
    else:
        size = 1 << (info - 24)
        arg = int.from_bytes(data[i:i + size], "big")
        i += size
    if major == 0:
        return arg, i
    if major == 2:
        return data[i:i + arg], i + arg
    if major == 3:
        return data[i:i + arg].decode("utf-8"), i + arg
    if major == 4:
        out = []
        for _ in range(arg):
            item, i = _cbor_decode(data, i)
            out.append(item)
        return out, i
    raise ValueError(f"CBOR major type {major} in a Pagefind filter chunk")


def _cbor_head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise ValueError(arg)


def _cbor_encode(item) -> bytes:
    if isinstance(item, int):
        return _cbor_head(0, item)
    if isinstance(item, bytes):
        return _cbor_head(2, len(item)) + item
    if isinstance(item, str):
        raw = item.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    return _cbor_head(4, len(item)) + b"".join(_cbor_encode(x) for x in item)


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _sort_filters(bundle: Path) -> None:
    renames: dict[str, str] = {}
    for chunk in sorted((bundle / "filter").glob("*.pf_filter")):
        raw = gzip.decompress(chunk.read_bytes())
        assert raw.startswith(_SIGNATURE), chunk
        (name, values), end = _cbor_decode(raw, len(_SIGNATURE))
        assert end == len(raw), chunk
        values = sorted([value, sorted(pages)] for value, pages in values)
        body = _gzip(_SIGNATURE + _cbor_encode([name, values]))
        old = chunk.stem
        new = old.rsplit("_", 1)[0] + "_" + hashlib.sha256(body).hexdigest()[:len(old.rsplit("_", 1)[1])]
        chunk.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(body)
        renames[old] = new
    if not renames:
        return
    entry_path = bundle / "pagefind-entry.json"
    entry = entry_path.read_text(encoding="utf-8")
    for meta_path in sorted(bundle.glob("pagefind.*.pf_meta")):
        raw = gzip.decompress(meta_path.read_bytes())
        assert raw.startswith(_SIGNATURE), meta_path
        meta, end = _cbor_decode(raw, len(_SIGNATURE))
        assert end == len(raw) and meta[0] == "1.5.2", meta_path  # [version, pages, index, filters, …]
        filters = meta[3]
        assert {f[1] for f in filters} == set(renames), (meta_path, filters)
        meta[3] = sorted([name, renames[chunk]] for name, chunk in filters)  # also in hash-map order
        body = _gzip(_SIGNATURE + _cbor_encode(meta))
        old = meta_path.name.split(".")[1]
        new = old.rsplit("_", 1)[0] + "_" + hashlib.sha256(body).hexdigest()[:len(old.rsplit("_", 1)[1])]
        meta_path.unlink()
        (bundle / f"pagefind.{new}.pf_meta").write_bytes(body)
        assert entry.count(f'"{old}"') == 1, (entry_path, old)
        entry = entry.replace(f'"{old}"', f'"{new}"')
    entry_path.write_text(entry, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Build the MkDocs site from data packages.")
    parser.add_argument("--datapackages", type=Path, default=SiteSettings.from_environ(MKDOCS_YML).datapackages)
    parser.add_argument("--site-dir", type=Path, default=REPO / "site")
    parser.add_argument("--no-strict", action="store_true", help="let MkDocs warnings pass")
    args = parser.parse_args(argv)
    build_site(args.datapackages, args.site_dir, strict=not args.no_strict)


if __name__ == "__main__":
    main()
