"""Package stage: verified ``ParsedDocument`` records (or their summaries) → Frictionless data
packages: ``<out>/<document_id>/`` per document and ``<out>/all/``, each a ``datapackage.json``
and one CSV per resource (DATA-CONTRACT.md). Entry points: ``write_packages``,
``validate_package``.

* ``write`` — ``write_packages`` (the package tree, atomically) and ``validate_package``;
* ``rows`` — records → rows per resource, CSV cells and text, ``PackageError``;
* ``descriptors`` — ``datapackage.json`` and the files of one package;
* ``cache`` — ``PackageCache``: a document's package bytes by what they depend on;
* ``schemas`` — the resources: fields, types, keys (``RESOURCES``);
* ``codelists`` — the function and economic code lists of the corpus.
"""
from __future__ import annotations

import importlib

__all__ = ["write_packages", "validate_package"]


def __getattr__(name: str):
    # Exported lazily: ``verify.codes`` imports ``package.codelists``, which runs this file; an
    # eager import of ``.write`` here would import ``verify`` again while it is still being
    # imported (a cycle), and would put the whole package stage into the parse stage's code
    # fingerprint (``generator.cache`` follows imports, so it is not written as one).
    if name in __all__:
        return getattr(importlib.import_module(f"{__name__}.write"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
