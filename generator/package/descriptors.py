"""``datapackage.json``: the Frictionless descriptor of a package, and a package's files.

``build_package`` makes the bytes of one package (a CSV per resource of
``schemas.RESOURCES`` and the descriptor naming each file's size and sha256, the license and
the source files of its documents).
"""
from __future__ import annotations

import hashlib
import json
from types import MappingProxyType
from typing import Any

from ..vocabulary import PHASES, SCOPES
from .rows import Identified, PackageError, csv_text
from .schemas import RESOURCES

LICENSE = MappingProxyType({
    "name": "ODC-PDDL-1.0",
    "path": "https://opendatacommons.org/licenses/pddl/1-0/",
    "title": "Open Data Commons Public Domain Dedication and License v1.0",
})


def _sources(docs: list[Identified]) -> list[dict[str, str]]:
    sources = []
    for doc in docs:
        m = doc.meta
        if len(m.source_files) != len(m.source_sha256):
            raise PackageError(
                f"document {m.document_id!r}: {len(m.source_files)} source files but "
                f"{len(m.source_sha256)} sha256 values"
            )
        for name, sha in zip(m.source_files, m.source_sha256):
            sources.append({"title": m.title, "file": name, "sha256": sha,
                            "format": m.source_format})
    return sources


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
            "schema": spec.schema_descriptor(),
        })
    return {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "description": description,
        "version": generator_version,
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
