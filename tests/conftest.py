"""Shared fixtures: the sample corpus built once through the real command line."""
from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = REPO / "documents"
SHARED = REPO.parent / "shared"
REAL_PDFS = SHARED / "real-pdfs"
#: for tests that read ../shared/real-pdfs (CI has it beside the checkout; a bare clone does not)
needs_real_pdfs = pytest.mark.skipif(not REAL_PDFS.is_dir(),
                                     reason=f"real PDFs not available: {REAL_PDFS} is absent")


def run_build(documents: Path, datapackages: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--documents", str(documents),
         "--datapackages", str(datapackages), "--no-site", *extra],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def sample_packages(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples") / "datapackages"
    result = run_build(DOCUMENTS, out, "--strict")
    assert result.returncode == 0, result.stderr
    return out


class Package:
    """Rows of one built package, read back from its CSV files."""

    def __init__(self, root: Path):
        self.root = root

    def rows(self, resource: str, **where: str) -> list[dict[str, str]]:
        with (self.root / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
            return [r for r in csv.DictReader(f) if all(r[k] == v for k, v in where.items())]

    def one(self, resource: str, **where: str) -> dict[str, str]:
        rows = self.rows(resource, **where)
        assert len(rows) == 1, f"{resource} {where}: {len(rows)} rows"
        return rows[0]


@pytest.fixture(scope="session")
def real_packages(tmp_path_factory) -> Package:
    """The ``all`` package of every PDF of ../shared/real-pdfs, built once per test session
    through the real command line (``--strict``: every PDF must parse)."""
    if not REAL_PDFS.is_dir():
        pytest.skip(f"real PDFs not available: {REAL_PDFS} is absent")
    docs = tmp_path_factory.mktemp("real-pdfs")
    for pdf in sorted(REAL_PDFS.glob("*.pdf")):
        (docs / pdf.name).symlink_to(pdf)
    out = tmp_path_factory.mktemp("real-packages") / "datapackages"
    result = run_build(docs, out, "--strict")
    assert result.returncode == 0, result.stderr[-3000:]
    return Package(out / "all")


@pytest.fixture(scope="session")
def all_package(sample_packages) -> Package:
    return Package(sample_packages / "all")


def D(text: str) -> Decimal | None:
    return None if text == "" else Decimal(text)


# ------------------------------------------------------------- browser tests (Playwright)
# A test module that uses these defines its own module-scoped ``site`` fixture (the built site).


@pytest.fixture(scope="module")
def base_url(site):
    from browser_support import serve
    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from browser_support import chromium
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    from browser_support import TIMEOUT_MS
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()
