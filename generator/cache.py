"""Cache of parsed documents, keyed by content, so a rebuild parses only what changed.

A document's key is the sha256 of its source files (name and content digest of each, in the
order the document reads them) inside a *code fingerprint*: the generator version, a hash of
the source of every generator module the parse stage can run (``parse_modules``: the modules
reachable by imports from ingest, recognize and verify, plus ``parse.py``, which holds
``parse_files``, and this file) and of the roots' data files (``*.csv``: the function
classification ``recognize/function_codes.csv``), the versions of the libraries that read the
files (pdfplumber, pdfminer.six, pypdfium2, the OCR's rapidocr-onnxruntime, onnxruntime and
opencv-python, cpca, pypinyin, python-slugify) and the Python version; a build with ``--no-ocr``
keys its entries apart (``ParseCache.fingerprint``). Any change
to a file, its name (names are part of the records) or that code parses the document again;
a change to the later stages (package, publish, charts …) does not.

Layout: ``<cache dir>/<fingerprint[:16]>/<key[:2]>/<key>.pickle``; one folder per code
fingerprint, the oldest pruned beyond ``KEEP_FINGERPRINTS``. Entries are written to a temporary
file and renamed into place, so a build killed mid-write leaves no partial entry, and
concurrent builds may share a cache. An unreadable entry counts as a miss and is removed (if
it can be). The cache is optional: an entry that cannot be read or written costs only time, and
a cache folder that cannot be made (``prune`` raises ``OSError``) is left out by the build.

An entry is two pickles one after the other: the ``DocumentResult`` without its record (status,
pages, the ``DocumentSummary``), then the ``ParsedDocument``. ``get`` reads only the first, so a
rebuild costs a few kB per unchanged document; ``record`` reads the whole entry when a later
stage needs the rows (a package not in the package cache).

Entries are pickles: a cache directory is trusted like the code itself (never point
``--cache`` at files from someone else).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import re
import shutil
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import __version__
from .ingest.files import file_sha256, sidecar_path, waivers_path

PACKAGE_DIR = Path(__file__).resolve().parent
#: the parse stage: ``parse.parse_files`` runs ingest → recognize → verify → facts
PARSE_ROOTS = ("ingest", "recognize", "verify", "facts")
#: hashed as files, without following their imports (``parse`` imports only the roots' modules
#: and ``records``, which the roots import too)
PARSE_FILES = ("__init__", "parse", "cache")
#: libraries whose behaviour decides what a file parses to
READERS = ("pdfplumber", "pdfminer.six", "pypdfium2", "rapidocr-onnxruntime", "onnxruntime", "opencv-python",
           "cpca", "pypinyin", "python-slugify")
KEEP_FINGERPRINTS = 4
FORMAT = 2  # bump when the stored entry changes shape


def _module_file(name: str) -> Path | None:
    """``verify.base`` → generator/verify/base.py (or the package's __init__.py)."""
    base = PACKAGE_DIR.joinpath(*name.split(".")) if name else PACKAGE_DIR
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


#: ``from .x import a, b`` / ``from generator.x import (a, b)`` / ``import generator.x``,
#: anywhere in a file: lazy imports inside functions count. Found by pattern, not by parsing:
#: a match inside a string or comment only adds a module to the fingerprint (a needless
#: reparse after editing it), never leaves one out; and it is 30× faster than ``ast``.
_IMPORT = re.compile(
    r"^[ \t]*from[ \t]+(\.+[\w.]*|generator(?:\.[\w.]+)?)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)"
    r"|^[ \t]*import[ \t]+([^\n]*)", re.M)


def _imports(name: str, path: Path) -> set[str]:
    """Generator modules that module ``name`` imports, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for m in _IMPORT.finditer(path.read_text(encoding="utf-8")):
        if m.group(3) is not None:  # import generator.x [as y], other
            found.update(item.split()[0].partition(".")[2] for item in m.group(3).split(",")
                         if item.strip().startswith("generator."))
            continue
        module, names = m.group(1), m.group(2)
        if module.startswith("."):
            level = len(module) - len(module.lstrip("."))
            parts = package.split(".") if package else []
            parts = parts[: len(parts) - (level - 1)] if level > 1 else parts
            rest = module.lstrip(".")
            base = ".".join(parts + ([rest] if rest else []))
        else:
            base = module.partition(".")[2]
        found.add(base)
        for item in names.strip("()").split(","):
            item = item.split("#")[0].split()
            if item:
                found.add(f"{base}.{item[0]}" if base else item[0])
    return {m for m in found if _module_file(m) is not None}


def parse_modules() -> list[Path]:
    """Source files of the parse stage: ``PARSE_FILES``, every module reachable by imports from
    ``PARSE_ROOTS`` (with their packages' ``__init__``) and the roots' data files, sorted."""
    seen: set[str] = set()
    todo = [f"{root}.{p.stem}" if p.name != "__init__.py" else root
            for root in PARSE_ROOTS for p in sorted((PACKAGE_DIR / root).glob("*.py"))]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) not in seen]
        todo += sorted(_imports(name, _module_file(name)) - seen)
    files = {_module_file(m) for m in seen} | {_module_file(m) for m in PARSE_FILES}
    files |= {p for root in PARSE_ROOTS for p in (PACKAGE_DIR / root).glob("*.csv")}
    return sorted(f for f in files if f is not None)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """sha256 over the generator's version, the parse stage's source files and the readers'
    versions (a few ms)."""
    h = hashlib.sha256()
    h.update(f"format {FORMAT}\nversion {__version__}\npython {sys.version_info[:2]}\n".encode())
    for name in READERS:
        try:
            h.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name} -\n".encode())
    for path in parse_modules():
        h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def content_key(files: list[Path], fingerprint: str | None = None) -> str:
    """The cache key of one document: its files (name + sha256 each), each file's provenance
    sidecar and waivers file where they exist (``ingest.files.sidecar_path``, ``waivers_path``:
    editing either re-parses the document) and the code fingerprint."""
    h = hashlib.sha256((fingerprint or code_fingerprint()).encode())
    for path in files:
        h.update(b"\0" + path.name.encode() + b"\0" + file_sha256(path).encode())
        for side in (sidecar_path(path), waivers_path(path)):
            if side.is_file():
                h.update(b"\0" + side.name.encode() + b"\0" + file_sha256(side).encode())
    return h.hexdigest()


class ParseCache:
    """``get(key)`` / ``put(key, result)`` of pickled ``DocumentResult`` objects."""

    def __init__(self, root: Path, fingerprint: str | None = None, ocr: bool = True):
        self.root = Path(root)
        code = fingerprint or code_fingerprint()
        self.ocr = ocr
        #: what keys entries (``content_key``): the code, and the parse option ``--no-ocr`` (a
        #: document parsed without OCR is not reused by a build with it, nor the other way)
        self.fingerprint = code if ocr else hashlib.sha256(f"{code}\nno-ocr".encode()).hexdigest()
        self.dir = self.root / code[:16]

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.pickle"

    def get(self, key: str):
        """The cached ``DocumentResult`` of ``key``, without its record (``parsed`` is None;
        ``summary`` says what the later stages need); None on a miss."""
        path = self._path(key)
        try:
            with open(path, "rb") as f:
                entry = pickle.load(f)
        except FileNotFoundError:
            return None
        except Exception:  # truncated by a crash of an older writer, a stale format, unreadable
            _discard(path)
            return None
        if not isinstance(entry, dict) or entry.get("key") != key:
            _discard(path)
            return None
        return entry["result"]

    def record(self, key: str):
        """The ``ParsedDocument`` stored with ``key`` (None on a miss or a failed document)."""
        try:
            with open(self._path(key), "rb") as f:
                entry = pickle.load(f)
                if not isinstance(entry, dict) or entry.get("key") != key:
                    return None
                return pickle.load(f)
        except Exception:
            return None

    def put(self, key: str, result) -> None:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    head = dataclasses.replace(result, parsed=None)
                    pickle.dump({"key": key, "result": head}, f, protocol=pickle.HIGHEST_PROTOCOL)
                    pickle.dump(result.parsed, f, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:  # a cache that cannot be written only costs time
            print(f"warning: parse cache not written ({exc})", file=sys.stderr)

    def prune(self, keep: int = KEEP_FINGERPRINTS) -> None:
        """Mark this fingerprint as used and drop all but the ``keep`` most recent ones; raises
        ``OSError`` when the cache folder cannot be made or marked."""
        self.dir.mkdir(parents=True, exist_ok=True)
        os.utime(self.dir)
        folders = [p for p in self.root.iterdir() if p.is_dir() and p != self.dir]
        folders.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[keep - 1:]:
            shutil.rmtree(old, ignore_errors=True)


def _discard(path: Path) -> None:
    """Remove a bad entry, if the cache can be written."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass
