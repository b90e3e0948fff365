"""``datapackage.json``: the Frictionless descriptor of a package, and a package's files.

``build_package`` makes the bytes of one package (a CSV per resource of
``schemas.RESOURCES`` and the descriptor naming each file's size and sha256, the license and
the source files of its documents).

The descriptor's ``version`` is the data version (``changelog.DATA_VERSION``), not the
generator's; ``created`` is the release date of that version (deterministic: never the build
time); ``homepage`` is the site; each entry of ``sources`` names the file and its sha256, and
its ``path`` is the URL of the copy the site publishes (``source_path``: the one rule for the
site's ``sources/`` folder); where a maintainer's sidecar gives them, an entry also names the
publisher, the official ``url``, the ``published`` and ``retrieved`` dates (``ORIGIN_PROPERTIES``).
The ``facts`` resource carries the Fiscal Data Package's
``extraFields`` (the currency and direction of its ``amount``, as constant columns).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import Any

from ..vocabulary import PHASES, SCOPES
from .changelog import DATA_VERSION, SITE_URL, created
from .rows import Identified, PackageError, csv_text
from .schemas import FACTS, RESOURCES

LICENSE = MappingProxyType({
    "name": "ODC-PDDL-1.0",
    "path": "https://opendatacommons.org/licenses/pddl/1-0/",
    "title": "Open Data Commons Public Domain Dedication and License v1.0",
})


#: Fiscal Data Package (1.0-rc.1) ``extraFields`` of ``facts``: what every row shares, as
#: constant columns of the denormalised form (the spec's way to state a currency)
FACTS_EXTRA_FIELDS = (
    MappingProxyType({"name": "currency", "type": "string", "columnType": "value-currency:code",
                      "constant": "CNY"}),
    MappingProxyType({"name": "direction", "type": "string", "columnType": "direction",
                      "constant": "expenditure"}),
)

_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")


def source_path(document_id: str, names: Sequence[str], index: int) -> str:
    """Where the site publishes a document's source file ``names[index]``, relative to the site:
    ``sources/<document_id>[-<n>].<ext>`` (``-<n>``, 1-based, only for a document of several
    files; the extension lower-cased, dropped unless 1–5 letters or digits)."""
    suffix = PurePosixPath(names[index]).suffix.lower()
    suffix = suffix if _SUFFIX.fullmatch(suffix) else ""
    tail = f"-{index + 1}" if len(names) > 1 else ""
    return f"sources/{document_id}{tail}{suffix}"


def _sources(docs: list[Identified]) -> list[dict[str, str]]:
    sources = []
    for doc in docs:
        m = doc.meta
        if len(m.source_files) != len(m.source_sha256):
            raise PackageError(
                f"document {m.document_id!r}: {len(m.source_files)} source files but "
                f"{len(m.source_sha256)} sha256 values"
            )
        for i, (name, sha) in enumerate(zip(m.source_files, m.source_sha256)):
            sources.append({"title": m.title, "path": SITE_URL + source_path(m.document_id, m.source_files, i),
                            "file": name, "sha256": sha, "format": m.source_format, **_origin(m)})
    return sources


#: ``sources`` properties of the maintainer's provenance sidecar, beyond the spec's ``title``,
#: ``path`` and ``email``: ``path`` is the site's mirrored copy, so the official address is ``url``
ORIGIN_PROPERTIES = (("publisher", "source_publisher"), ("original_title", "source_title"),
                     ("url", "source_url"), ("published", "source_published"),
                     ("retrieved", "source_retrieved"), ("note", "source_note"))


def _origin(m) -> dict[str, str]:
    """The provenance a maintainer gave for a document (only the properties given)."""
    return {k: v for k, f in ORIGIN_PROPERTIES if (v := getattr(m, f, None))}


def _schema(spec) -> dict[str, Any]:
    schema = spec.schema_descriptor()
    if spec is FACTS:
        schema["extraFields"] = [dict(f) for f in FACTS_EXTRA_FIELDS]
    return schema


def document_title(doc: Identified) -> str:
    """``凤县医疗保障局 2024 年单位预算``: bureau, year, scope and phase."""
    m = doc.meta
    return (f"{doc.bureau.name} {m.year} 年"
            f"{SCOPES.get(m.scope, m.scope)}{PHASES.get(m.phase, m.phase)}")


def package_descriptor(
    name: str,
    title: str,
    description: str,
    docs: list[Identified],
    files: dict[str, bytes],
    generator_version: str,
) -> dict[str, Any]:
    """The ``datapackage.json`` of one package. ``generator_version`` is not written: the
    descriptor's ``version`` is the data's (``changelog.DATA_VERSION``)."""
    resources = []
    for spec in RESOURCES:
        data = files[f"{spec.name}.csv"]
        resources.append({
            "name": spec.name,
            "path": f"{spec.name}.csv",
            "profile": "tabular-data-resource",
            "title": spec.title,
            "description": spec.description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(data),
            "hash": f"sha256:{hashlib.sha256(data).hexdigest()}",
            "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
            "schema": _schema(spec),
        })
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "version": DATA_VERSION,
        "created": created(),
        "homepage": SITE_URL,
        "licenses": [dict(LICENSE)],
        "sources": _sources(docs),
        "resources": resources,
    }


def json_text(descriptor: dict[str, Any]) -> str:
    return json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"


# ------------------------------------------------------------------------- files


def build_package(
    name: str,
    title: str,
    description: str,
    docs: list[Identified],
    rows: dict[str, list[dict[str, Any]]],
    generator_version: str,
) -> dict[str, bytes]:
    """File name -> bytes of one package (CSV resources and datapackage.json)."""
    files = {
        f"{spec.name}.csv": csv_text(spec, rows.get(spec.name, ())).encode("utf-8")
        for spec in RESOURCES
    }
    descriptor = package_descriptor(name, title, description, docs, files, generator_version)
    files["datapackage.json"] = json_text(descriptor).encode("utf-8")
    return files
