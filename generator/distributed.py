"""Where the parse stage runs: this process, local worker processes, or a Dask cluster.

Each runner takes the documents to parse (lists of file paths) and yields ``(index, result)``
as documents finish; the caller puts results back in document order, so the output does not
depend on the runner or on timing.

On Dask (``--dask tcp://host:port``) the workers need not share a file system with the
client: each task carries its files' bytes, and the worker parses them from a temporary folder
(``parse_payload``). At most ``2 × threads`` tasks are in flight, so the client never holds
the whole corpus in memory. Every worker must run the same generator code as the client
(checked through ``generator.cache.code_fingerprint`` before any task is sent).

Locally each document runs in a process of its own under a memory and a time limit
(``generator.workers``); on Dask under the time limit (a thread cannot be stopped: the task
answers on time and the parse runs on); a document over a limit fails alone.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
import threading
import time
from pathlib import Path

from . import cache
from .parse import DocumentResult, parse_files
from .workers import OCR_PAGE_S, Limits, run_limited


class ClusterMismatch(RuntimeError):
    """Dask workers run other generator code than the client."""


def parse_payload(files: list[tuple[str, bytes]], timeout_s: float | None = None,
                  ocr: bool = True) -> DocumentResult:
    """Parse one document given as (file name, bytes) pairs — the task sent to Dask workers.
    After ``timeout_s`` the task returns "took longer than …" and the parse, on a thread of
    the worker that cannot be stopped, runs on until it ends and its result is dropped. Each
    page read by OCR adds ``workers.OCR_PAGE_S`` to the limit, as on local workers."""
    tmp = tempfile.mkdtemp(prefix="budget-parse-")
    paths = []
    for name, data in files:
        path = Path(tmp) / name
        path.write_bytes(data)
        paths.append(path)
    done: list[DocumentResult] = []
    ocr_pages: list[int] = []

    def parse() -> None:
        from .ingest import ocr as ocr_module  # noqa: PLC0415

        ocr_module.on_page(lambda: ocr_pages.append(1))  # this thread's pages
        try:
            done.append(parse_files(paths, ocr=ocr))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    start = time.monotonic()
    thread = threading.Thread(target=parse, name=f"parse {paths[0].name}", daemon=True)
    thread.start()
    allowed = timeout_s
    while True:
        thread.join(None if allowed is None else max(0.0, start + allowed - time.monotonic()))
        if done or not thread.is_alive() or allowed is None:
            break
        longer = timeout_s + len(ocr_pages) * OCR_PAGE_S
        if longer <= allowed:
            break
        allowed = longer
    if done:
        return done[0]
    return DocumentResult([p.name for p in paths], None,
                          f"{paths[0].name}: took longer than {allowed:g} s",
                          time.monotonic() - start, cacheable=False)


def worker_fingerprint() -> str:
    """The code fingerprint where this runs (on each Dask worker)."""
    return cache.code_fingerprint()


def run_serial(groups: list[list[Path]], ocr: bool = True) -> Iterator[tuple[int, DocumentResult]]:
    """In this process, without limits (a document that exhausts memory ends the build)."""
    for i, files in enumerate(groups):
        yield i, parse_files(files, ocr=ocr)


def run_processes(groups: list[list[Path]], jobs: int | None,
                  limits: Limits = Limits()) -> Iterator[tuple[int, DocumentResult]]:
    """Each document in a process of its own, ``jobs`` at a time (default: all cores), under
    ``limits`` (``generator.workers``): one that dies takes no other document with it. One
    job without limits (``--jobs 1 --doc-memory 0 --doc-timeout 0``) parses in this process."""
    if jobs == 1 and limits.memory_mb is None and limits.timeout_s is None:
        yield from run_serial(groups, limits.ocr)
        return
    yield from run_limited(groups, jobs or os.cpu_count() or 1, limits)


def run_dask(groups: list[list[Path]], address: str,
             limits: Limits = Limits()) -> Iterator[tuple[int, DocumentResult]]:
    """Parse on the Dask cluster whose scheduler is at ``address``, with the time limit of
    ``limits`` (``parse_payload``); memory is the Dask nanny's: a worker it restarts too often
    fails the document ("worker process died (KilledWorker …)")."""
    # dask.distributed takes half a second to import: only for builds that use a cluster
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    with Client(address, set_as_default=False) as client:
        mine = cache.code_fingerprint()
        theirs = client.run(worker_fingerprint)
        other = sorted(w for w, fp in theirs.items() if fp != mine)
        if other:
            raise ClusterMismatch(f"Dask workers {', '.join(other)} run other generator code "
                                  "than this client; install the same version on them")
        if not theirs:
            raise ClusterMismatch(f"the Dask cluster at {address} has no workers")
        window = max(4, 2 * sum(client.nthreads().values()))
        pending = iter(enumerate(groups))

        def submit(item):
            i, files = item
            payload = [(p.name, p.read_bytes()) for p in files]
            future = client.submit(parse_payload, payload, limits.timeout_s, limits.ocr, pure=False)
            index[future.key] = i
            return future

        index: dict[str, int] = {}
        running = dask_completed([submit(item) for _, item in zip(range(window), pending)],
                                 loop=client.loop)
        for future in running:
            i = index.pop(future.key)
            yield i, _dask_result(future, groups[i])
            future.release()
            item = next(pending, None)
            if item is not None:
                running.add(submit(item))


def _dask_result(future, files: list[Path]) -> DocumentResult:
    """The task's result; a task that failed (its worker died, say) fails its document only."""
    try:
        return future.result()
    except Exception as exc:  # KilledWorker, CommClosedError …: the cluster's, not the file's
        return DocumentResult([p.name for p in files], None,
                              f"{files[0].name}: worker process died ({type(exc).__name__}: {exc})",
                              0.0, cacheable=False)
