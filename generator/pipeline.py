"""The build: every document through ingest → recognize → verify, then package and publish.

``parse_files`` is a pure function from a disclosure's file(s) to a ``ParsedDocument`` (or an
error naming the file and the reason), so documents parse in parallel on all cores. A bad file
never stops the build: it is reported, and every other document is still packaged.
"""
from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .ingest import document_files, ingest_files
from .records import IngestError, ParsedDocument
from .recognize import ingested_to_parsed
from .verify import verify


@dataclass
class DocumentResult:
    files: list[str]
    parsed: ParsedDocument | None
    error: str | None
    seconds: float


@dataclass
class BuildReport:
    results: list[DocumentResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def parsed(self) -> list[ParsedDocument]:
        return [r.parsed for r in self.results if r.parsed is not None]

    @property
    def failed(self) -> list[DocumentResult]:
        return [r for r in self.results if r.error is not None]

    def summary(self) -> str:
        docs = self.parsed
        tables = sum(len(d.tables) for d in docs)
        checks = [c for d in docs for c in d.checks]
        failed_checks = sum(1 for c in checks if c.status == "fail")
        return (f"{len(self.results)} documents: {len(docs)} parsed, {len(self.failed)} failed; "
                f"{tables} tables; {len(checks)} checks, {failed_checks} failed; {self.seconds:.1f} s")


def parse_files(files: list[Path]) -> DocumentResult:
    start = time.perf_counter()
    names = [f.name for f in files]
    try:
        parsed = verify(ingested_to_parsed(ingest_files(files)))
        return DocumentResult(names, parsed, None, time.perf_counter() - start)
    except IngestError as exc:
        return DocumentResult(names, None, f"{exc.file}: {exc.reason}", time.perf_counter() - start)
    except Exception as exc:  # a bug on one document must not stop the others
        return DocumentResult(names, None, f"{names[0]}: internal error: {type(exc).__name__}: {exc}",
                              time.perf_counter() - start)


def parse_directory(directory: Path, jobs: int | None = None, progress: bool = True) -> list[DocumentResult]:
    groups = document_files(directory)
    jobs = jobs or os.cpu_count() or 1
    results: list[DocumentResult] = []
    bar = _progress(len(groups), progress)
    if jobs == 1 or len(groups) <= 1:
        for files in groups:
            results.append(_report(parse_files(files), bar))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(groups))) as pool:
            for result in pool.map(parse_files, groups):
                results.append(_report(result, bar))
    if bar is not None:
        bar.close()
    _check_unique_ids(results)
    return results


def _check_unique_ids(results: list[DocumentResult]) -> None:
    seen: dict[str, DocumentResult] = {}
    for r in results:
        if r.parsed is None:
            continue
        doc_id = r.parsed.meta.document_id
        if doc_id in seen:
            r.error = (f"{r.files[0]}: same document as {seen[doc_id].files[0]} "
                       f"({doc_id}); keeping the first")
            r.parsed = None
        else:
            seen[doc_id] = r


def _progress(total: int, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="parse", file=sys.stderr,
                disable=not sys.stderr.isatty())


def _report(result: DocumentResult, bar) -> DocumentResult:
    name = " + ".join(result.files)
    if result.error:
        line = f"FAILED  {result.error}"
    else:
        d = result.parsed
        fails = sum(1 for c in d.checks if c.status == "fail")
        line = (f"ok      {name} → {d.meta.document_id}: {len(d.tables)} tables, "
                f"{len(d.checks)} checks ({fails} failed), {result.seconds:.2f} s")
    if bar is not None and not bar.disable:
        bar.write(line)
        bar.update(1)
    else:
        print(line, file=sys.stderr)
    return result


def build(documents: Path, datapackages: Path, site: Path | None, *, jobs: int | None = None,
          progress: bool = True) -> BuildReport:
    from .package import write_packages

    start = time.perf_counter()
    report = BuildReport(parse_directory(documents, jobs, progress))
    write_packages(report.parsed, datapackages, generator_version=__version__)
    if site is not None:
        from .publish import build_site

        build_site(datapackages, site, strict=True)
    report.seconds = time.perf_counter() - start
    return report
