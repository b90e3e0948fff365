"""Package stage: verified ``ParsedDocument`` records (or their summaries) → Frictionless data
packages: ``<out>/<document_id>/`` per document and ``<out>/all/``, each a ``datapackage.json``
and one CSV per resource (DATA-CONTRACT.md). Entry points: ``write_packages``,
``validate_package``.

* ``write`` — ``write_packages`` (the package tree, atomically) and ``validate_package``;
* ``rows`` — records → rows per resource, CSV cells and text, ``PackageError``;
* ``descriptors`` — ``datapackage.json`` and the files of one package;
* ``cache`` — ``PackageCache``: a document's package bytes by what they depend on;
* ``schemas`` — the resources: fields, types, keys (``RESOURCES``);
* ``codelists`` — the function and economic code lists of the corpus;
* ``changelog`` — the data version, its release date and the data changelog (in Chinese).
"""
from __future__ import annotations

from .write import validate_package, write_packages

__all__ = ["write_packages", "validate_package"]
