"""Where the parse stage runs: this process, local worker processes, or a Dask cluster.

Each runner takes the documents to parse (lists of file paths) and yields ``(index, result)``
as documents finish; the caller puts results back in document order, so the output does not
depend on the runner or on timing.

On Dask (``--dask tcp://host:port``) the workers need not share a file system with the
client: each task carries its files' bytes, and the worker parses them from a temporary folder
(``parse_payload``). At most ``2 × threads`` tasks are in flight, so the client never holds
the whole corpus in memory. Every worker must run the same generator code as the client
(checked through ``generator.cache.code_fingerprint`` before any task is sent).
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from . import cache
from .parse import DocumentResult, parse_files


class ClusterMismatch(RuntimeError):
    """Dask workers run other generator code than the client."""


def parse_payload(files: list[tuple[str, bytes]]) -> DocumentResult:
    """Parse one document given as (file name, bytes) pairs — the task sent to Dask workers."""
    with tempfile.TemporaryDirectory(prefix="budget-parse-") as tmp:
        paths = []
        for name, data in files:
            path = Path(tmp) / name
            path.write_bytes(data)
            paths.append(path)
        return parse_files(paths)


def worker_fingerprint() -> str:
    """The code fingerprint where this runs (on each Dask worker)."""
    return cache.code_fingerprint()


def run_serial(groups: list[list[Path]]) -> Iterator[tuple[int, DocumentResult]]:
    for i, files in enumerate(groups):
        yield i, parse_files(files)


def run_processes(groups: list[list[Path]], jobs: int | None) -> Iterator[tuple[int, DocumentResult]]:
    """``jobs`` local worker processes (default: all cores)."""
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 or len(groups) <= 1:
        yield from run_serial(groups)
        return
    with ProcessPoolExecutor(max_workers=min(jobs, len(groups))) as pool:
        futures = {pool.submit(parse_files, files): i for i, files in enumerate(groups)}
        for future in as_completed(futures):
            yield futures[future], future.result()


def run_dask(groups: list[list[Path]], address: str) -> Iterator[tuple[int, DocumentResult]]:
    """Parse on the Dask cluster whose scheduler is at ``address``."""
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
            future = client.submit(parse_payload, payload, pure=False)
            index[future.key] = i
            return future

        index: dict[str, int] = {}
        running = dask_completed([submit(item) for _, item in zip(range(window), pending)],
                                 loop=client.loop)
        for future in running:
            yield index.pop(future.key), future.result()
            future.release()
            item = next(pending, None)
            if item is not None:
                running.add(submit(item))
