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

Waivers: a maintainer may waive known findings of a document in ``<file name>.waivers.yml``
next to a source file (``WAIVERS_SUFFIX``; of a pair, either file's, and both apply), at most
``WAIVERS_MAX_BYTES``::

    waivers:
      - check: narrative.template_leftover   # required: a check id (verify.CHECKS)
        page: 21                             # optional: the finding's page
        match: "主要原因是。"                  # optional: text in its message, quote, expected or actual
        reason: 原文如此，已向发布单位确认        # required, not empty

``read_waivers`` checks the form (keys, types, sizes; the check ids are checked by
``verify.waivers``, which applies them) and gives ``records.Waiver`` entries with their line;
like a bad sidecar, a bad waivers file fails its document alone, naming the file, the entry,
its line and the reason. It is part of the parse-cache key and never a document.
"""
from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from ..records import IngestedDocument, IngestError, Line, SourceFile, Waiver
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

WAIVERS_SUFFIX = ".waivers.yml"
WAIVERS_MAX_BYTES = 16384
WAIVER_KEYS = ("check", "page", "match", "reason")
_CHECK_ID = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")


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
    def bad(reason: str) -> IngestError:
        return IngestError(path.name, f"bad provenance sidecar: {reason}")

    data, _ = _load_yaml(path, SIDECAR_MAX_BYTES, bad)
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


def waivers_path(path: Path) -> Path:
    """The waivers file of a source file (which may not exist)."""
    return path.with_name(path.name + WAIVERS_SUFFIX)


def _load_yaml(path: Path, max_bytes: int, bad):
    """(data, root node) of a small YAML file; ``bad(reason)`` makes the error to raise."""
    import yaml  # only where such a file exists

    size = path.stat().st_size
    if size > max_bytes:
        raise bad(f"{size} bytes, over the limit of {max_bytes}")

    class Loader(yaml.SafeLoader):  # dates stay text: checked by the caller, named in the error
        pass

    Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))
    try:
        text = path.read_bytes().decode("utf-8")
        return yaml.load(text, Loader=Loader), yaml.compose(text, Loader=Loader)  # noqa: S506
    except UnicodeDecodeError:
        raise bad("not UTF-8 text") from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise bad(f"not valid YAML{where}") from None


def _text(value, key: str, fail) -> str | None:
    """A waiver's text value, spaces collapsed; None when absent or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        fail(f"{key}: {value!r} is not text (write it in quotes)")
    value = " ".join(value.split())
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        fail(f"{key}: control or format character")
    return value or None


def read_waivers(path: Path) -> tuple[Waiver, ...]:
    """The entries of a waivers file (``WAIVERS_SUFFIX``), in order; raises
    ``IngestError(<file>, reason)`` naming the entry and its line where one is wrong."""
    def bad(reason: str) -> IngestError:
        return IngestError(path.name, f"bad waivers file: {reason}")

    data, root = _load_yaml(path, WAIVERS_MAX_BYTES, bad)
    if data is None:  # an empty file waives nothing
        return ()
    if not isinstance(data, dict) or set(data) != {"waivers"}:
        raise bad("expected one key, waivers: a list of entries with "
                  + ", ".join(WAIVER_KEYS) + f" (found {sorted(map(str, data)) if isinstance(data, dict) else type(data).__name__})")
    entries = data["waivers"] or []
    if not isinstance(entries, list):
        raise bad("waivers: not a list of entries (each starting with '- ')")
    nodes = next(v for k, v in root.value if k.value == "waivers").value if entries else []
    out: list[Waiver] = []
    for i, (entry, node) in enumerate(zip(entries, nodes), start=1):
        line = node.start_mark.line + 1

        def fail(reason: str, i=i, line=line):
            raise bad(f"entry {i} (line {line}): {reason}")

        if not isinstance(entry, dict):
            fail("not a mapping of check, page, match, reason")
        unknown = sorted(str(k) for k in entry if k not in WAIVER_KEYS)
        if unknown:
            fail(f"unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(WAIVER_KEYS)}")
        check = _text(entry.get("check"), "check", fail)
        if not check:
            fail("check: missing (the id of the check to waive, e.g. narrative.yoy_percent)")
        if not _CHECK_ID.fullmatch(check):
            fail(f"check: {check!r} is not a check id (e.g. narrative.yoy_percent)")
        reason = _text(entry.get("reason"), "reason", fail)
        if not reason:
            fail("reason: missing or empty (say why the finding is waived)")
        page = entry.get("page")
        if page is not None and (isinstance(page, bool) or not isinstance(page, int) or page < 1):
            fail(f"page: {page!r} is not a page number (1, 2, …)")
        out.append(Waiver(path.name, i, line, check, reason, page, _text(entry.get("match"), "match", fail)))
    return tuple(out)


def document_waivers(files: list[Path]) -> tuple[Waiver, ...]:
    """The waivers of a document's files (of a pair: both files'), in file order."""
    return tuple(w for path in files if waivers_path(path).is_file()
                 for w in read_waivers(waivers_path(path)))


def orphan_waivers(directory: Path) -> list[str]:
    """Waivers files next to no source file: read by nothing, so the build says so."""
    return sorted(p.name for p in directory.iterdir() if p.is_file() and p.name.endswith(WAIVERS_SUFFIX)
                  and not p.with_name(p.name[: -len(WAIVERS_SUFFIX)]).is_file())


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


def ingest_files(files: list[Path], ocr: bool = True) -> IngestedDocument:
    """Read the file(s) of one disclosure into lines (a bad sidecar or waivers file fails it
    first); ``ocr`` False: PDF pages without a text layer are not read by OCR (``ingest.pdf``)."""
    given = provenance(files)
    waived = document_waivers(files)
    sources: list[SourceFile] = []
    lines: list[Line] = []
    removed = Removed()  # control characters, from every file of the document
    for path in files:
        digest = file_sha256(path)
        if path.suffix.lower() in PDF_SUFFIXES:
            # pdfplumber (with pdfminer) takes a quarter second to import: only for PDFs
            from .pdf import pdf_to_lines

            file_lines, pages = pdf_to_lines(path, path.name, removed, ocr=ocr)
            pdf_format = "pdf-ocr" if any(line.ocr for line in file_lines) else "pdf"
            sources.append(SourceFile(path.name, digest, pdf_format, pages))
        else:
            file_lines = text_to_lines(read_text(path), path.name, removed)
            sources.append(SourceFile(path.name, digest, "text"))
        lines.extend(file_lines)
    return IngestedDocument(document_key(files[0]), tuple(sources), tuple(lines), removed.count, given,
                            waived)
