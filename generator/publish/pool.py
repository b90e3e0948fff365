"""The site's process pools, for its slow, independent work (charts, workbooks)."""
from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor


def process_pool(workers: int) -> ProcessPoolExecutor | None:
    """A pool of ``spawn``-started processes, or None where this machine cannot make one (no
    ``/dev/shm``, no semaphores): the caller then does the work in place."""
    try:
        return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError, ImportError):
        return None
