"""Per-report reading of a large window, in worker processes while the caller goes on.

What clustering reads of each report (places, speakers, figures, its character grams) is
pure Python, about 0.8 ms a report: 38 s of a 50,000-report window's
81 s on this machine's two cores (py-spy of `python -m benchmarks.bench_child cluster 50000`,
2026-12-01), while the neighbour search, the other half, is BLAS. The reading runs in spawned
worker processes meanwhile; small windows, and machines of one core, read in the caller.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many reports a worker's start (about a second: Python, NumPy, the gazetteer)
# costs more than the reading it takes over.
PARALLEL_FROM = 5000

log = logging.getLogger(__name__)
WATCH_SECONDS = 0.5  # how often the watchdog looks at its parent
GRACE_SECONDS = 5.0  # a SIGTERM'd process that has not exited by then is killed
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def tie_to_parent(parent: int) -> None:
    """End this process when ``parent`` dies: called first thing in a child (a reading worker,
    the run's Prefect server and model process, flows.temp_server). A run killed with SIGKILL
    runs no exit handler, and must leave no process behind (tests/test_no_orphans.py): on
    Linux the kernel sends SIGTERM when the parent dies (``prctl(PR_SET_PDEATHSIG)``), and
    everywhere a watchdog thread notices the new parent and does so, killing the process
    outright ``GRACE_SECONDS`` later if shutting down hangs."""
    import signal
    import sys
    import threading
    import time

    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above: nobody will signal
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(GRACE_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def map_later(read: Callable[[list[T]], list[R]], items: Sequence[T],
              parallel_from: int | None = None) -> Callable[[], list[R]]:
    """Start ``read`` over ``items``; the function returned gives ``read(items)``.

    ``read`` maps a list to a list of the same length, item by item, and must be a module's
    top-level function (it is sent to spawned processes by name). From ``parallel_from``
    items (:data:`PARALLEL_FROM` by default), on two cores or more, slices are read in worker
    processes meanwhile, the results in order. Where no process can be started (a daemonic
    Dask worker may have no children) or a worker dies, the items are read in this process.
    """
    items = list(items)
    least = PARALLEL_FROM if parallel_from is None else parallel_from
    n_cores = cores()
    if len(items) < max(1, least) or n_cores < 2:
        return lambda: read(items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    size = -(-len(items) // (4 * n_cores))  # four slices a worker: an even finish
    try:
        pool = ProcessPoolExecutor(max_workers=n_cores, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=tie_to_parent, initargs=(os.getpid(),))
        futures = [pool.submit(read, items[s : s + size]) for s in range(0, len(items), size)]
    except (OSError, RuntimeError, AssertionError) as err:  # AssertionError: "daemonic processes ..."
        log.debug("read in this process: %s", err)
        return lambda: read(items)

    def collect() -> list[R]:
        try:
            return [r for f in futures for r in f.result()]
        except BrokenProcessPool as err:  # a worker killed (out of memory, say): read them here
            log.warning("a reading worker failed (%s); reading in this process", err)
            return read(items)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    return collect
