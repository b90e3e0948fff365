"""Real documents the verify tests read (tests/test_years.py, tests/test_hygiene.py), parsed once
per test session the way the pipeline parses them (tests/plant.py), and the fixtures over them.

A test module imports the fixtures it uses (``from tests.shared_docs import putuo``); a document
absent from ../shared skips its tests with the path in the reason (``need``).
"""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from generator.records import ParsedDocument
from tests.conftest import DOCUMENTS, REAL_PDFS
from tests.plant import plant

PUTUO = REAL_PDFS / "shanghai-putuo-sfj-2026-bumen-yusuan.pdf"  # 普陀区司法局 2026 部门预算
NATIONAL = REAL_PDFS / "national-xfj-2024-bumen-juesuan.pdf"  # 国家信访局 2024 部门决算
WANGDU = DOCUMENTS / "004_1dc876329a8abae6.txt"  # 望都县医疗保障局 2024 部门预算 (text)


def need(path: Path) -> None:
    """Skip the test when the document at ``path`` is absent."""
    if not path.is_file():
        pytest.skip(f"document not available: {path} is absent")


@functools.lru_cache(maxsize=None)
def parsed(path: Path) -> ParsedDocument:
    """The real document at ``path``, parsed once per session (read it, never change it)."""
    need(path)
    return plant(path)


def statuses(doc: ParsedDocument, check: str) -> list[str]:
    """The statuses of one check id's results, in the order they were emitted."""
    return [c.status for c in doc.checks if c.check == check]


@pytest.fixture(scope="module")
def putuo() -> ParsedDocument:
    return parsed(PUTUO)


@pytest.fixture(scope="module")
def national() -> ParsedDocument:
    return parsed(NATIONAL)


@pytest.fixture(scope="module")
def wangdu() -> ParsedDocument:
    return parsed(WANGDU)
