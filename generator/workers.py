"""Local worker processes with a memory and a time limit per document.

Documents are parsed in worker processes forked from a clean server process (the
``forkserver`` start method, with the parse stage imported once), at most ``jobs`` at a time;
a worker takes one document at a time and is reused while it succeeds. It limits its address
space (``RLIMIT_AS``) to ``Limits.memory_mb``, so a document that would take more gets a
``MemoryError`` where it allocates and is reported "over the memory limit of N MB"
(``parse.parse_files``) instead of drawing the kernel's OOM killer onto the build; as a reused
worker's heap counts too, such a document is parsed again in a fresh worker before it is
reported. The parent kills a worker that parses one document longer than ``Limits.timeout_s``
(plus ``OCR_PAGE_S`` for each page it has read by OCR so far, which the worker reports as it
goes; "took longer than N s") and reports one that ends without a result ("worker process died
(signal 9, SIGKILL)"). A worker holds one document only, so a dying one takes no other
document with it; a failed worker is replaced, and the rest of the build goes on.

None of these failures is cached (``DocumentResult.cacheable`` is False): a time limit depends
on the machine's load; a memory limit is deterministic for one limit and one document, but the
cache key does not carry the limit, and a cached "over 1536 MB" would stand when the build is
run again with a higher ``--doc-memory`` to parse that very document.
"""
from __future__ import annotations

import multiprocessing
import resource
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path

from .parse import DocumentResult, memory_error, parse_files

DEFAULT_MEMORY_MB = 1536  # address space; the real disclosures peak at a few hundred MB
DEFAULT_TIMEOUT_S = 300.0  # a 300-page disclosure parses in well under a minute
#: each page a document has read by OCR (``ingest.ocr``: 5-8 s a page on a loaded 2-core
#: machine, against milliseconds for a text page) adds this to its time limit, so that a scan
#: is limited like a text file of its size rather than failing for its page count
OCR_PAGE_S = 30.0
OCR_PAGE = "ocr page"  # what a worker sends its parent after each page read by OCR
#: imported once in the fork server, so each child starts with the parse stage loaded
PRELOAD = ["generator.parse", "generator.ingest.pdf"]


@dataclass(frozen=True)
class Limits:
    """Per document: address space in MB and wall-clock seconds; None: no limit. And the one
    parse option that travels with them to every worker: ``ocr`` (False: ``--no-ocr``, pages
    without a text layer are not read by OCR, ``ingest.pdf``)."""

    memory_mb: int | None = DEFAULT_MEMORY_MB
    timeout_s: float | None = DEFAULT_TIMEOUT_S
    ocr: bool = True


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    parsed: int = 0  # documents it parsed before the current one
    job: tuple[int, list[Path]] | None = None
    started: float = 0.0
    ocr_pages: int = 0  # pages of the current document read by OCR so far (``OCR_PAGE_S``)


def _serve(conn: Connection, memory_mb: int | None, ocr: bool = True) -> None:
    """The worker: set the memory limit, then parse each document it is sent."""
    if memory_mb:
        limit = memory_mb << 20
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    from .ingest import ocr as ocr_module  # noqa: PLC0415 - light: the engine loads on the first scanned page

    ocr_module.on_page(lambda: conn.send(OCR_PAGE))
    while True:
        try:
            files = conn.recv()
        except EOFError:
            return
        conn.send(parse_files(files, memory_limit_mb=memory_mb, ocr=ocr))


def run_limited(groups: list[list[Path]], jobs: int,
                limits: Limits) -> Iterator[tuple[int, DocumentResult]]:
    """``(index, result)`` of every document as they finish, on ``jobs`` workers."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    pending: deque[tuple[int, list[Path], bool]] = deque((i, f, False) for i, f in enumerate(groups))
    workers: list[_Worker] = []
    try:
        while pending or any(w.job for w in workers):
            _assign(context, workers, pending, jobs, limits)
            busy = [w for w in workers if w.job]
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                 timeout=_next_deadline(busy, limits))
            for worker in busy:
                result = _outcome(worker, limits)
                if result is None:
                    continue
                index, files = worker.job
                worker.job = None
                if not worker.process.is_alive() or not result.cacheable:
                    _stop(worker)  # a failed worker is not trusted with another document
                    workers.remove(worker)
                if worker.parsed and result.error == memory_error(files, limits.memory_mb):
                    pending.appendleft((index, files, True))  # its heap, or this document's?
                    continue
                worker.parsed += 1
                yield index, result
    finally:
        for worker in workers:  # done, or interrupted: no worker outlives the build
            _stop(worker)


def _assign(context, workers: list[_Worker], pending: deque, jobs: int, limits: Limits) -> None:
    """Give waiting documents to idle workers, starting workers up to ``jobs``; a document
    that ran out of memory in a used worker runs again in a fresh one."""
    while pending:
        index, files, fresh = pending[0]
        idle = [w for w in workers if w.job is None and not (fresh and w.parsed)]
        if not idle and len(workers) >= jobs:
            idle = [w for w in workers if w.job is None]
            if not idle:
                return
            _stop(idle[0])  # make room for a fresh worker
            workers.remove(idle[0])
            idle = []
        if not idle:
            idle = [_start(context, limits)]
            workers.append(idle[0])
        pending.popleft()
        idle[0].job, idle[0].started, idle[0].ocr_pages = (index, files), time.monotonic(), 0
        idle[0].conn.send(files)


def _start(context, limits: Limits) -> _Worker:
    conn, theirs = context.Pipe()
    process = context.Process(target=_serve, args=(theirs, limits.memory_mb, limits.ocr),
                              name="parse worker", daemon=True)
    process.start()
    theirs.close()  # the worker holds the other end: EOF here when it dies
    return _Worker(process, conn)


def _stop(worker: _Worker) -> None:
    worker.conn.close()  # an idle worker ends at EOF; a busy one is killed
    worker.process.join(timeout=1 if worker.job is None else 0)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()


def _next_deadline(busy: list[_Worker], limits: Limits) -> float | None:
    if limits.timeout_s is None or not busy:
        return None
    first = min(w.started + w.ocr_pages * OCR_PAGE_S for w in busy) + limits.timeout_s
    return max(0.0, first - time.monotonic())


def _outcome(worker: _Worker, limits: Limits) -> DocumentResult | None:
    """The worker's result, or the failure that ended it; None while it still parses."""
    seconds = time.monotonic() - worker.started
    if worker.conn.poll():
        try:
            result = worker.conn.recv()
        except (EOFError, OSError):
            result = None  # died before or while sending
        if isinstance(result, DocumentResult):
            return result
        if result == OCR_PAGE:
            worker.ocr_pages += 1
            return None
    elif worker.process.is_alive():
        allowed = None if limits.timeout_s is None else limits.timeout_s + worker.ocr_pages * OCR_PAGE_S
        if allowed is None or seconds < allowed:
            return None
        worker.process.kill()
        worker.process.join()
        return _failed(worker, f"took longer than {allowed:g} s", seconds)
    worker.process.join()
    return _failed(worker, _death(worker.process.exitcode), seconds)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            return f"worker process died (signal {-exitcode})"
        return f"worker process died (signal {-exitcode}, {name})"
    return f"worker process died (exit status {exitcode})"


def _failed(worker: _Worker, reason: str, seconds: float) -> DocumentResult:
    names = [f.name for f in worker.job[1]]
    return DocumentResult(names, None, f"{names[0]}: {reason}", seconds, cacheable=False)
