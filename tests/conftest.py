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
WILD = SHARED / "wild-dev"
#: for tests that read ../shared/real-pdfs (CI has it beside the checkout; a bare clone does not)
needs_real_pdfs = pytest.mark.skipif(not REAL_PDFS.is_dir(),
                                     reason=f"real PDFs not available: {REAL_PDFS} is absent")


def build_command(documents: Path, datapackages: Path, *extra: str) -> list[str]:
    """``python -m generator build`` of ``documents`` into ``datapackages``, then ``extra``."""
    return [sys.executable, "-m", "generator", "build", "--documents", str(documents),
            "--datapackages", str(datapackages), *extra]


def generator_build(documents: Path, datapackages: Path, *extra: str,
                    timeout: float = 600) -> subprocess.CompletedProcess:
    """The build as people and CI run it (``build_command``), from the repository; its output
    captured as text, its exit status not checked."""
    return subprocess.run(build_command(documents, datapackages, *extra), cwd=REPO,
                          capture_output=True, text=True, timeout=timeout, check=False)


def run_build(documents: Path, datapackages: Path, *extra: str,
              timeout: float = 600) -> subprocess.CompletedProcess:
    """``generator_build`` of the packages only (``--no-site``)."""
    return generator_build(documents, datapackages, "--no-site", *extra, timeout=timeout)


@pytest.fixture(scope="session")
def sample_packages(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("samples") / "datapackages"
    result = run_build(DOCUMENTS, out, "--strict")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The site of documents/ (packages and site, ``--strict``), built once per test session
    for every test that reads or browses it; its packages are in ``../datapackages``."""
    out = tmp_path_factory.mktemp("sample-site")
    return build_site(DOCUMENTS, out)


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory) -> Path:
    """The site of documents/ and ../shared/real-pdfs together (14 documents, ``--strict``),
    built once per test session for the tests that compare bureaus or search across them; its
    packages are in ``../datapackages``."""
    if not REAL_PDFS.is_dir():
        pytest.skip(f"real PDFs not available: {REAL_PDFS} is absent")
    out = tmp_path_factory.mktemp("corpus-site")
    docs = out / "documents"
    docs.mkdir()
    for path in [*sorted(DOCUMENTS.iterdir()), *sorted(REAL_PDFS.glob("*.pdf"))]:
        if path.is_file() and not path.name.startswith("."):
            (docs / path.name).symlink_to(path)
    return build_site(docs, out)


def build_site(documents: Path, out: Path) -> Path:
    """``generator_build`` of ``documents`` into ``out/datapackages`` and ``out/site``
    (``--strict``); returns the site folder."""
    site = out / "site"
    result = generator_build(documents, out / "datapackages", "--site", str(site), "--strict",
                             timeout=900)
    assert result.returncode == 0, (
        f"site build failed (exit {result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}")
    assert (site / "index.html").is_file(), f"no index.html in {site}"
    return site


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
def wild_build(tmp_path_factory):
    """../shared/wild-dev built once (packages only, two workers): (the ``all`` package's
    folder, the build's stderr)."""
    if not WILD.is_dir():
        pytest.skip(f"wild development corpus not available: {WILD} is absent")
    out = tmp_path_factory.mktemp("wild-dev") / "datapackages"
    # 94 PDFs: about 4 minutes on two idle cores; the limit leaves room for a loaded machine
    result = run_build(WILD, out, "--jobs", "2", "--no-cache", "--report", str(out.parent / "report"),
                       timeout=1800)
    assert (out / "all" / "documents.csv").is_file(), result.stderr[-3000:]
    return out / "all", result.stderr


def build_wild_files(tmp_path_factory, names, *extra: str, timeout: float = 600) -> Package:
    """Files of ../shared/wild-dev built together through the real command line (packages only,
    ``--no-cache``, plus ``extra``), for a test module's fixture: the ``all`` package. Skips when
    the corpus is absent; with ``--strict`` the build must succeed."""
    if not WILD.is_dir():
        pytest.skip(f"wild development corpus not available: {WILD} is absent")
    docs = tmp_path_factory.mktemp("wild-files")
    for name in names:
        (docs / name).symlink_to(WILD / name)
    out = tmp_path_factory.mktemp("wild-files-packages") / "datapackages"
    result = run_build(docs, out, "--no-cache", *extra, timeout=timeout)
    assert (out / "all" / "documents.csv").is_file(), result.stderr[-3000:]
    assert "--strict" not in extra or result.returncode == 0, result.stderr[-3000:]
    return Package(out / "all")


def document_of(pkg: Package, *names: str) -> str:
    """The id of the one published document whose source files are exactly ``names``."""
    ids = [r["document_id"] for r in pkg.rows("documents")
           if set(r["source_files"].split(";")) == set(names)]
    assert len(ids) == 1, f"{names}: {len(ids)} published documents"
    return ids[0]


@pytest.fixture(scope="session")
def all_package(sample_packages) -> Package:
    return Package(sample_packages / "all")


def D(text: str) -> Decimal | None:
    return None if text == "" else Decimal(text)


#: the ``facts`` question a printed 合计 answers: (table, its column) → (dimension, code, part)
TABLE_FACTS = {("general_public_function", "total"): ("total", "general_public", "total"),
               ("general_public_function", "basic"): ("total", "basic", "total"),
               ("general_public_function", "project"): ("total", "project", "total"),
               ("basic_economic", "personnel"): ("total", "personnel", "total"),
               ("basic_economic", "public"): ("total", "public", "total")}


def one_fact(pkg: Package, document_id: str, key: tuple[str, str, str], measure: str = "budget"
             ) -> Decimal | str:
    """The amount of the one ``facts`` row answering ``key`` (dimension, code, part), else why not."""
    dimension, code, part = key
    rows = pkg.rows("facts", document_id=document_id, measure=measure, dimension=dimension, code=code,
                    part=part)
    return D(rows[0]["amount"]) if len(rows) == 1 else f"{len(rows)} facts rows for {key}"


# ------------------------------------------------------------- browser tests (Playwright)
# A test module that uses these defines its own module-scoped ``site`` fixture (the built site;
# ``sample_site`` for the samples).


@pytest.fixture(scope="module")
def base_url(site):
    from browser_support import serve
    with serve(site) as url:
        yield url


#: the two screens of the browser tests that measure the layout: a laptop and a phone
SCREENS = {1366: {"viewport": {"width": 1366, "height": 768}},
           390: {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}}


@pytest.fixture(params=sorted(SCREENS), ids=lambda w: f"{w}px")
def screen(browser, request):
    """A page at each of :data:`SCREENS` (its width in ``page.width``)."""
    from browser_support import TIMEOUT_MS
    context = browser.new_context(**SCREENS[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


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
