"""The build: every document through ingest → recognize → verify, then package and publish.

Each document is parsed by ``generator.parse.parse_files`` (a pure function, so documents
parse in parallel: on all local cores, or on a Dask cluster, ``generator.distributed``). A bad
file never stops the build: it is reported, and every other document is still packaged.

``build`` first checks where it writes (``generator.paths``: no output folder may be, contain
or be inside the documents or another output; each must be writable), before writing anything.
Then it runs, holding a lock on the output folders (``generator.atomic``):

1. *clean*: finish a swap a killed build journaled, remove what killed builds left beside the
   outputs;
2. *parse*: documents whose files and code are unchanged come from the parse cache
   (``generator.cache``) as their ``DocumentSummary``, the others are parsed and cached;
3. *guard*: refuse a build that would break a published URL (``generator.guard``);
4. *package*: write the packages into a staging folder beside ``datapackages/`` (a reused
   document's whole record is read from the parse cache only if its package is not cached);
5. *site*: build the site from the staged packages into a staging folder beside ``site/``
   (a file whose bytes the published ``site/`` already has is hard-linked from it);
6. *swap*: packages, site and ``status.json`` swapped in together (``atomic.swap_together``:
   journaled first, so a build killed halfway is finished by the next one), old trees dropped;
7. *report*: ``report.json`` always (``generator.report``).

A build stopped at any point (error, refusal, SIGKILL) leaves the previous ``datapackages/``
and ``site/`` complete and in place, or (killed during the swap) the new ones once the next
build has started. A folder that cannot be written raises ``paths.OutputError``, the
previous outputs in place; the parse cache is optional: one that cannot be used is a warning.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from . import __version__, guard
from .atomic import BuildLock, clean_stale, journal_path, staging_dir, swap_together
from .cache import ParseCache, code_fingerprint, content_key
from .distributed import run_dask, run_processes
from .workers import Limits
from .ingest.files import document_files, orphan_sidecars, orphan_waivers
from .package.write import write_packages
from .pairing import parse_pairs
from .parse import DocumentResult, parse_files
from .paths import WRITE_ERRNOS, OutputError, check_outputs
from .publish.build import build_site
from .recognize.metadata import subject_key
from .records import DocumentSummary, ParsedDocument
from .report import REPORT_SCHEMA, document_report, status, write_json
from .report import summary as report_counts


@dataclass
class BuildReport:
    results: list[DocumentResult] = field(default_factory=list)
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    executor: str = ""
    cache: str | None = None
    outcome: str = "published"  # published | refused | failed
    removed_urls: list[str] = field(default_factory=list)
    regressions: list[str] = field(default_factory=list)

    @property
    def documents(self) -> list[DocumentSummary]:
        """The summary of every document that parsed, in document order."""
        return [r.summary for r in self.results if r.summary is not None]

    @property
    def failed(self) -> list[DocumentResult]:
        return [r for r in self.results if r.error is not None]

    @property
    def counts(self) -> dict[str, int]:
        return report_counts(self.results)

    def summary(self) -> str:
        c = self.counts
        return (f"{c['documents']} documents: {c['parsed']} parsed, {c['failed']} failed, "
                f"{c['reused']} reused; {c['tables']} tables; {c['checks']} checks, "
                f"{c['checks_failed']} failed" + (f", {c['checks_waived']} waived" if c['checks_waived'] else "")
                + f"; {self.seconds:.1f} s")


def parse_directory(directory: Path, jobs: int | None = None, progress: bool = True, *,
                    cache=None, dask: str | None = None,
                    limits: Limits = Limits()) -> list[DocumentResult]:
    """Every document of ``directory``, in document order: from ``cache`` (a ``ParseCache``)
    when there, else parsed on ``jobs`` local processes or the Dask scheduler ``dask``."""
    groups = document_files(directory)
    for name in orphan_sidecars(Path(directory)):  # read by nothing: a misspelt name, or its file gone
        _log(f"warning: {name}: provenance sidecar next to no file (expected <file name>.source.yml)")
    for name in orphan_waivers(Path(directory)):
        _log(f"warning: {name}: waivers file next to no file (expected <file name>.waivers.yml)")
    results: list[DocumentResult | None] = [None] * len(groups)
    keys: list[str | None] = [None] * len(groups)
    bar = _progress(len(groups), progress)
    todo: list[int] = []
    for i, files in enumerate(groups):
        if cache is None:
            todo.append(i)
            continue
        start = time.perf_counter()
        keys[i] = content_key(files, cache.fingerprint)
        hit = cache.get(keys[i])
        if hit is None:
            todo.append(i)
            continue
        hit.reused = True
        hit.key = keys[i]
        hit.seconds = time.perf_counter() - start
        results[i] = hit if hit.part else _report(hit, bar)  # a part: reported once paired

    def run(todo_groups: list[list[Path]]):
        return (run_dask(todo_groups, dask, limits) if dask
                else run_processes(todo_groups, jobs, limits))

    for j, result in run([groups[i] for i in todo]):
        i = todo[j]
        result.key = keys[i]
        if cache is not None and result.cacheable:
            cache.put(keys[i], result)
        results[i] = result if result.part else _report(result, bar)
    missing = [groups[i][0].name for i, r in enumerate(results) if r is None]
    if missing:
        raise RuntimeError(f"the parse stage returned no result for {', '.join(missing)}")
    if any(r.part for r in results):  # halves of two-file disclosures, paired by content
        paired = list(parse_pairs(groups, results, cache=cache, run=run))
        if bar is not None:
            bar.total = len(paired)
        results = [_report(r, bar) if new else r for r, new in paired]
    if bar is not None:
        bar.close()
    _check_unique_ids(results)
    return results


def _check_unique_ids(results: list[DocumentResult]) -> None:
    """One document per id. A byte-identical copy (the same sha256 for every file) is dropped
    from ``results`` with a note; files claiming one id with different content, or different
    bureaus whose names give one id (homophones), are errors naming both files (and both names),
    and none of them is published: never a silent choice by sort order."""
    groups: dict[tuple[str, str], list[DocumentResult]] = {}
    for r in results:
        if r.summary is not None:
            groups.setdefault(("bureau", r.summary.bureau.bureau_id), []).append(r)
            groups.setdefault(("document", r.summary.meta.document_id), []).append(r)
    copies: list[DocumentResult] = []
    for (kind, key), group in groups.items():
        group = [r for r in group if r.summary is not None]
        names = {r.summary.bureau.name: subject_key(r.summary.bureau.name) for r in group}
        if len(set(names.values())) > 1:
            _refuse(group, f"{' and '.join(r.files[0] for r in group)} name different bureaus "
                           f"({', '.join(sorted(names))}) whose names give one id ({key}); "
                           f"none is published")
        elif kind == "document" and len(group) > 1:
            first, *others = group
            if all(r.summary.meta.source_sha256 == first.summary.meta.source_sha256 for r in others):
                for r in others:
                    _log(f"note: {r.files[0]} is a byte-identical copy of {first.files[0]} ({key}); "
                         f"dropped")
                copies.extend(others)
            else:
                _refuse(group, f"{' and '.join(r.files[0] for r in group)} claim one document "
                               f"({key}) with different content; none is published")
    results[:] = [r for r in results if all(r is not c for c in copies)]


def _refuse(group: list[DocumentResult], error: str) -> None:
    """Each document of ``group`` fails with ``error`` (it names them all)."""
    for r in group:
        r.error = f"{r.files[0]}: {error}"
        r.parsed = r.summary = None


def _progress(total: int, enabled: bool):
    """A tqdm bar on a terminal; None (plain log lines) otherwise."""
    if not enabled or not sys.stderr.isatty():
        return None
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except OSError:
        size = os.terminal_size((0, 0))
    # tqdm hides its bar on a terminal that reports no size (some pseudo-terminals)
    known = size.columns > 0 and size.lines > 0
    return tqdm(total=total, unit="doc", desc="parse", file=sys.stderr,
                ncols=None if known else 80, nrows=None if known else 24)


def _report(result: DocumentResult, bar) -> DocumentResult:
    name = " + ".join(result.files)
    if result.error:
        line = f"FAILED  {result.error}" + (" (cached)" if result.reused else "")
    else:
        d = result.summary
        how = "reused" if result.reused else "ok    "
        line = (f"{how}  {name} → {d.meta.document_id}: {len(d.tables)} tables, "
                f"{d.checks} checks ({len(d.failed_checks)} failed"
                + (f", {d.waived_checks} waived" if d.waived_checks else "") + f"), {result.seconds:.2f} s")
    # a stale waiver: every build says it, reused or not, until the waivers file is fixed
    warnings = [f"warning: {w}" for w in (result.summary.stale_waivers if result.summary else ())]
    if bar is not None:
        for text in ([line] if not result.reused else []) + warnings:
            bar.write(text)
        bar.update(1)
    else:
        print("\n".join([line, *warnings]), file=sys.stderr)
    return result


def _record_loader(results: list[DocumentResult], documents: Path, cache):
    """summary → whole record of a reused document: from the parse cache, or parsed again if
    its entry went missing since (another build pruned it)."""
    by_id = {r.summary.meta.document_id: r for r in results if r.summary is not None}

    def load(summary: DocumentSummary) -> ParsedDocument:
        result = by_id[summary.meta.document_id]
        record = result.parsed
        if record is None and cache is not None and result.key is not None:
            record = cache.record(result.key)
        if record is None:
            again = parse_files([documents / name for name in result.files], ocr=getattr(cache, "ocr", True))
            if again.parsed is None or again.summary != summary:
                raise RuntimeError(f"{result.files[0]}: its cached parse vanished and parsing it "
                                   f"again gave another result ({again.error or 'different records'})")
            record = again.parsed
        return record

    return load


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_cache_dir(documents: Path) -> Path:
    """``.cache/parsed`` beside the documents folder (the repository's, for ``documents/``)."""
    return Path(documents).resolve().parent / ".cache" / "parsed"


def default_report_dir(datapackages: Path) -> Path:
    """``build/`` beside the datapackages folder."""
    return Path(datapackages).resolve().parent / "build"


def build(documents: Path, datapackages: Path, site: Path | None, *, jobs: int | None = None,
          progress: bool = True, cache_dir: Path | None = None, dask: str | None = None,
          allow_removal: bool = False, report_dir: Path | None = None,
          limits: Limits = Limits()) -> BuildReport:
    """Parse ``documents``, then publish packages (and the site unless ``site`` is None)
    atomically. Raises ``guard.RemovalRefused`` (nothing written) when the build would break
    a published URL; ``cache_dir`` None parses everything; ``report_dir`` None writes no report."""
    start = time.perf_counter()
    started_at = datetime.now(UTC)
    datapackages = Path(datapackages)
    site = Path(site) if site is not None else None
    report_dir = Path(report_dir) if report_dir is not None else None
    check_outputs(documents, datapackages, site, report_dir, cache_dir)  # before any write
    status_file = report_dir / "status.json" if report_dir is not None else None
    report = BuildReport(executor=f"dask {dask}" if dask else f"processes {jobs or os.cpu_count() or 1}")
    cache = _open_cache(cache_dir, limits.ocr)
    report.cache = str(cache.dir) if cache is not None else None
    staged: list[Path] = []
    status_data = None

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        report.phases[name] = round(now - since, 4)
        return now

    try:
        with BuildLock(datapackages, site, status_file):
            _clean_stale(datapackages, site, status_file)
            t = time.perf_counter()
            _log(f"parse: {documents}")
            report.results = parse_directory(documents, jobs, progress, cache=cache, dask=dask,
                                             limits=limits)
            t = phase("parse", t)
            _guard(report, datapackages, allow_removal)
            with _writing(datapackages):
                new_packages = _package(report, Path(documents), datapackages, cache, staged)
            t = phase("package", t)
            status_data = status(report.results, __version__)
            swaps = [(new_packages, datapackages)]
            if site is not None:
                with _writing(site):
                    swaps.append((_site(new_packages, site, documents, status_data, staged), site))
                t = phase("site", t)
            with _writing(datapackages):
                _swap(swaps, status_file, status_data, staged)
            phase("swap", t)
    except guard.RemovalRefused as exc:
        report.outcome = "refused"
        report.removed_urls = exc.result.removed
        report.regressions = exc.result.regressions
        raise
    except BaseException:
        report.outcome = "failed"
        raise
    finally:
        if not journal_path(datapackages).exists():  # else a swap to finish needs them
            for stage in staged:
                shutil.rmtree(stage, ignore_errors=True)
        report.seconds = time.perf_counter() - start
        if report_dir is not None:
            _write_reports(report, report_dir, started_at)
    return report


def _open_cache(cache_dir: Path | None, ocr: bool = True) -> ParseCache | None:
    """The parse cache in ``cache_dir``, marked used and pruned; None (a warning, the build
    goes on without it) when there is none or it cannot be used."""
    if cache_dir is None:
        return None
    cache = ParseCache(cache_dir, ocr=ocr)
    try:
        cache.prune()
    except OSError as exc:
        _log(f"warning: parse cache {cache_dir} not used ({exc.strerror or exc}: "
             f"{exc.filename or cache_dir}); building without it")
        return None
    return cache


#: ``[Errno 28] No space left on device: '/path'`` in the output of a failed MkDocs build
_ERRNO = re.compile(r"\[Errno (\d+)\] ([^:\n]+)(?:: '([^'\n]*)')?")


@contextmanager
def _writing(folder: Path):
    """Errors of writing ``folder`` (also in the MkDocs process) as ``paths.OutputError``."""
    try:
        yield
    except OSError as exc:
        raise OutputError.from_os(folder, exc) from exc
    except subprocess.CalledProcessError as exc:
        found = _ERRNO.search(exc.stderr or "")
        if found is None or int(found.group(1)) not in WRITE_ERRNOS:
            raise
        raise OutputError(folder, found.group(2).strip(), detail=found.group(3)) from exc


def _swap(swaps: list[tuple[Path, Path]], status_file: Path | None, status_data,
          staged: list[Path]) -> None:
    """*swap*: the staged trees, and this build's ``status.json`` when there is a report
    folder, put in place together (``atomic.swap_together``)."""
    if status_file is not None:
        stage = staging_dir(status_file)
        staged.append(stage)
        write_json(stage / status_file.name, status_data)
        swaps = swaps + [(stage / status_file.name, status_file)]
    _log("swap: " + " and ".join(str(target) for _, target in swaps))
    swap_together(swaps)


def _clean_stale(*targets: Path | None) -> None:
    """*clean*: finish a swap a killed build journaled beside the outputs, then remove what
    killed builds left beside them."""
    for target in targets:
        if target is not None:
            for path in clean_stale(target):
                _log(f"removed {path.name}, left by a build that did not finish")


def _guard(report: BuildReport, datapackages: Path, allow_removal: bool) -> None:
    """*guard*: raises ``guard.RemovalRefused`` when the build would break a published URL."""
    checked = guard.check(datapackages, report.documents,
                          [(r.files, r.error) for r in report.failed],
                          allow_removal=allow_removal)
    report.removed_urls = checked.removed
    for url in checked.removed:
        _log(f"removing (--allow-removal): {url}")


def _package(report: BuildReport, documents: Path, datapackages: Path, cache: ParseCache | None,
             staged: list[Path]) -> Path:
    """*package*: the packages written into a staging folder (added to ``staged``); returns
    the new package tree."""
    _log(f"package: {len(report.documents)} documents")
    stage = staging_dir(datapackages)
    staged.append(stage)
    new_packages = stage / datapackages.name
    # packages cached beside the parse cache, by document content and code (package.cache);
    # the records of reused documents are read only for packages not in that cache
    write_packages([r.parsed or r.summary for r in report.results if r.summary is not None],
                   new_packages, generator_version=__version__,
                   load=_record_loader(report.results, documents, cache),
                   cache_dir=cache.root.parent / "packages" if cache else None,
                   parse_fingerprint=cache.fingerprint if cache else "", previous=datapackages)
    return new_packages


def _site(new_packages: Path, site: Path, documents: Path, status_data, staged: list[Path]) -> Path:
    """*site*: the site built from the staged packages into a staging folder (added to
    ``staged``), with this build's status.json beside it; returns the new site tree."""
    _log("site: mkdocs build --strict")
    stage = staging_dir(site)
    staged.append(stage)
    new_site = stage / site.name
    write_json(stage / "status.json", status_data)
    build_site(new_packages, new_site, strict=True, documents=documents, build_status=stage / "status.json",
               previous_site=site)
    return new_site


def _write_reports(report: BuildReport, report_dir: Path, started_at: datetime) -> None:
    """``report.json`` (``status.json`` is swapped in with the outputs, ``_swap``)."""
    data = {
        "schema": REPORT_SCHEMA,
        "generator_version": __version__,
        "code_fingerprint": code_fingerprint(),
        "started_at": started_at.isoformat(timespec="seconds"),
        "seconds": round(report.seconds, 3),
        "phases": report.phases,
        "executor": report.executor,
        "cache": report.cache,
        "outcome": report.outcome,
        "summary": report.counts,
        "removed_urls": report.removed_urls,
        "regressions": report.regressions,
        "documents": [document_report(r) for r in report.results],
    }
    try:
        write_json(report_dir / "report.json", data)
    except OSError as exc:
        _log(f"warning: build report not written ({exc})")
