"""Ingest: files under ``documents/`` → ``IngestedDocument`` (lines of cells with pages).

Input: a directory of disclosures — text extracts (``.txt``, ``.md``) and PDFs (``.pdf``).
Output: one ``IngestedDocument`` per disclosure. A disclosure published as a tables file and a
narrative file is one document: files whose names differ only by a trailing
``-baobiao`` / ``-shuoming`` (表格 / 说明, also ``-tables`` / ``-narrative``) are paired.

Text extracts are read by ``ingest.text``, PDFs by ``ingest.pdf``.

Provenance: a maintainer may put a sidecar ``<file name>.source.yml`` next to a source file
(``w0001.pdf`` → ``w0001.pdf.source.yml``), a YAML mapping of at most ``SIDECAR_MAX_BYTES``
with the keys of ``SIDECAR_KEYS`` (publisher, url, published, retrieved, title, note). A
sidecar is never a document (``document_files`` skips it), it is part of the parse-cache key
(``cache.content_key``), and ``ingest_files`` carries it as ``IngestedDocument.provenance``.
A bad sidecar fails its document alone (``IngestError`` naming the sidecar and the reason),
before the source is read: a wrong origin must not be published, and the build's error
report is where a maintainer looks.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from ..records import IngestedDocument, IngestError, Line, SourceFile
from .clean import Removed
from .text import read_text, text_to_lines

TEXT_SUFFIXES = frozenset({".txt", ".md"})
PDF_SUFFIXES = frozenset({".pdf"})
PAIR_SUFFIXES = ("-baobiao", "-shuoming", "-tables", "-narrative", "_baobiao", "_shuoming")

SIDECAR_SUFFIX = ".source.yml"
SIDECAR_MAX_BYTES = 4096
#: sidecar key -> DocumentMeta field
SIDECAR_KEYS = {"publisher": "source_publisher", "url": "source_url", "published": "source_published",
                "retrieved": "source_retrieved", "title": "source_title", "note": "source_note"}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in 1 MiB chunks (``source_sha256``, cache keys)."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def document_files(directory: Path) -> list[list[Path]]:
    """Group the files of a documents directory into disclosures (sorted, deterministic)."""
    groups: dict[str, list[Path]] = {}
    for path in sorted(directory.iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.name.lower() == "readme.md":
            continue
        if is_sidecar(path):
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES | PDF_SUFFIXES:
            continue
        groups.setdefault(document_key(path), []).append(path)
    return [sorted(files, key=_tables_first) for _, files in sorted(groups.items())]


def document_key(path: Path) -> str:
    stem = path.stem
    for suffix in PAIR_SUFFIXES:
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)]
    return stem


def _tables_first(path: Path) -> tuple[int, str]:
    stem = path.stem.lower()
    return (1 if stem.endswith(("shuoming", "narrative")) else 0, path.name)


def is_sidecar(path: Path) -> bool:
    return path.name.lower().endswith(SIDECAR_SUFFIX)


def sidecar_path(path: Path) -> Path:
    """The provenance sidecar of a source file (which may not exist)."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> dict[str, str]:
    """The DocumentMeta fields a sidecar gives; raises ``IngestError(<sidecar>, reason)``."""
    import yaml  # only where a sidecar exists

    def bad(reason: str) -> IngestError:
        return IngestError(path.name, f"bad provenance sidecar: {reason}")

    size = path.stat().st_size
    if size > SIDECAR_MAX_BYTES:
        raise bad(f"{size} bytes, over the limit of {SIDECAR_MAX_BYTES}")
    class Loader(yaml.SafeLoader):  # dates stay text: checked here, named in the error
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    try:
        data = yaml.load(path.read_bytes().decode("utf-8"), Loader=Loader)  # noqa: S506 (a SafeLoader)
    except UnicodeDecodeError:
        raise bad("not UTF-8 text") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise bad(f"not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise bad(f"not a mapping of keys to values (a YAML {type(data).__name__})")
    unknown = sorted(str(k) for k in data if k not in SIDECAR_KEYS)
    if unknown:
        raise bad(f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(SIDECAR_KEYS)}")
    out: dict[str, str] = {}
    for key, value in data.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise bad(f"{key}: {value!r} is not a date (YYYY-MM-DD)" if key in ("published", "retrieved")
                      else f"{key}: not a text value")
        value = " ".join(value.split())
        if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
            raise bad(f"{key}: control or format character")
        if not value:
            continue
        if key in ("published", "retrieved"):
            try:
                ok = _DATE.fullmatch(value) and datetime.date.fromisoformat(value)
            except ValueError:
                ok = False
            if not ok:
                raise bad(f"{key}: {value!r} is not a date (YYYY-MM-DD)")
        if key == "url":
            parts = urlsplit(value)
            if not value.startswith(("http://", "https://")) or not parts.netloc or " " in value:
                raise bad(f"url: {value!r} is not an http(s) address")
        out[SIDECAR_KEYS[key]] = value
    return out


def orphan_sidecars(directory: Path) -> list[str]:
    """Sidecars next to no source file (a misspelt name such as ``w0001.source.yml`` for
    ``w0001.pdf``): read by nothing, so the build should say so."""
    return sorted(p.name for p in directory.iterdir() if p.is_file() and is_sidecar(p)
                  and not p.with_name(p.name[: -len(SIDECAR_SUFFIX)]).is_file())


def provenance(files: list[Path]) -> tuple[tuple[str, str], ...]:
    """The fields of the sidecars of a document's files (of a pair: both, which must agree)."""
    fields: dict[str, str] = {}
    for path in files:
        side = sidecar_path(path)
        if not side.is_file():
            continue
        for name, value in read_sidecar(side).items():
            if fields.setdefault(name, value) != value:
                key = next(k for k, f in SIDECAR_KEYS.items() if f == name)
                raise IngestError(side.name, f"bad provenance sidecar: {key} differs from the other "
                                             f"file's sidecar ({fields[name]!r})")
    return tuple(sorted(fields.items()))


def ingest_files(files: list[Path]) -> IngestedDocument:
    """Read the file(s) of one disclosure into lines (a bad sidecar fails it first)."""
    given = provenance(files)
    sources: list[SourceFile] = []
    lines: list[Line] = []
    removed = Removed()  # control characters, from every file of the document
    for path in files:
        digest = file_sha256(path)
        if path.suffix.lower() in PDF_SUFFIXES:
            # pdfplumber (with pdfminer) takes a quarter second to import: only for PDFs
            from .pdf import pdf_to_lines

            file_lines, pages = pdf_to_lines(path, path.name, removed)
            sources.append(SourceFile(path.name, digest, "pdf", pages))
        else:
            file_lines = text_to_lines(read_text(path), path.name, removed)
            sources.append(SourceFile(path.name, digest, "text"))
        lines.extend(file_lines)
    return IngestedDocument(document_key(files[0]), tuple(sources), tuple(lines), removed.count, given)
