"""Per-document package bytes, cached by what they depend on (``package_key``).

A rebuild re-serializes only the documents whose sources or code changed; the ``all`` package
is assembled from the cached CSV bodies. The key covers every module of the package stage
(``_WRITER_MODULES``: each ``.py`` of this folder), so a change to any of them writes every
package again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .rows import Identified

#: every module of the package stage (this folder: rows, descriptors, schemas, code lists …)
_WRITER_MODULES = tuple(sorted(Path(__file__).parent.glob("*.py")))

def package_key(doc: Identified, generator_version: str, parse_fingerprint: str) -> str:
    """What a document's package bytes depend on: its source files (name + sha256), its waivers
    and the parse code (which make its records and the check definitions), and the code that
    writes them (``_WRITER_MODULES``). Nothing of the other documents."""
    h = hashlib.sha256()
    h.update(f"{generator_version}\0{parse_fingerprint}\0".encode())
    for module in _WRITER_MODULES:
        h.update(hashlib.sha256(module.read_bytes()).digest())
    m = doc.meta
    h.update("\0".join([m.document_id, *m.source_files, *m.source_sha256]).encode())
    # the maintainer's waivers (``<file>.waivers.yml``) decide the checks' statuses
    h.update(repr(tuple(getattr(doc, "waivers", ()))).encode())
    return h.hexdigest()


class PackageCache:
    """Per-document package bytes by ``package_key``: a rebuild re-serializes only the documents
    that changed, and the ``all`` package is assembled from the cached CSV bodies. A damaged
    entry is a miss."""

    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.used: set[str] = set()

    def prune(self) -> None:
        """Drop the entries this build did not use (documents removed or changed, old code)."""
        for path in self.dir.glob("*/*.pickle"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

    def get(self, key: str) -> tuple[dict[str, bytes], dict[str, int]] | None:
        try:
            with (self.dir / key[:2] / f"{key}.pickle").open("rb") as f:
                files, counts = pickle.load(f)
            return files, counts
        except Exception:  # missing, truncated or from another version: parse again
            return None

    def put(self, key: str, files: dict[str, bytes], counts: dict[str, int]) -> None:
        path = self.dir / key[:2] / f"{key}.pickle"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps((files, counts), protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(path)
        except OSError:
            pass  # a read-only cache only costs time
