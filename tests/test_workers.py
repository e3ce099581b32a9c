"""A large window is read in worker processes (clustering.workers): the same result, in order,
as reading it here, and reading here wherever no worker can be had."""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

import clustering.workers as workers
from clustering.cluster import ArticleView, ClusterParams, pair_table
from clustering.workers import map_later
from ingest.normalize import lemmas, normalize_line
from tests.conftest import ROOT, SAMPLES

pytestmark = pytest.mark.skipif(workers.cores() < 2, reason="one core: everything is read in the caller")


def pids_of(items: list[int]) -> list[tuple[int, int]]:
    """Each item with the process that read it (top level: spawned workers import it by name)."""
    return [(x, os.getpid()) for x in items]


def test_items_are_read_in_other_processes_and_come_back_in_order() -> None:
    got = map_later(pids_of, range(40), parallel_from=1)()
    assert [x for x, _ in got] == list(range(40))
    assert os.getpid() not in {pid for _, pid in got}


def test_a_small_list_is_read_here() -> None:
    got = map_later(pids_of, range(40), parallel_from=41)()
    assert got == [(x, os.getpid()) for x in range(40)]


def test_where_no_process_can_start_the_items_are_read_here(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise OSError("no processes left")

    monkeypatch.setattr("concurrent.futures.ProcessPoolExecutor", refuse)
    got = map_later(pids_of, range(40), parallel_from=1)()
    assert got == [(x, os.getpid()) for x in range(40)]


def _in_a_daemon(queue) -> None:  # a daemonic process may have no children (Dask's workers are daemonic)
    queue.put(map_later(pids_of, range(10), parallel_from=1)() == [(x, os.getpid()) for x in range(10)])


def test_a_daemonic_process_reads_its_items_itself() -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_in_a_daemon, args=(queue,), daemon=True)
    proc.start()
    assert queue.get(timeout=60) is True
    proc.join(30)


def test_a_window_read_in_workers_has_exactly_the_features_of_one_read_here(monkeypatch) -> None:
    rows = [json.loads(line) for line in (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines()]
    views = []
    for r in rows:
        title = normalize_line(r["title"])
        head = normalize_line(f"{r['title']} {r.get('body', '')[:300]}")
        views.append(ArticleView(r["id"], lemmas(head), datetime.fromisoformat(r["published"]), r.get("source"),
                                 title_lemmas=lemmas(title), text=head, title=title))
    vectors = np.random.default_rng(0).standard_normal((len(views), 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 1)
    parallel = pair_table(views, vectors, ClusterParams())
    monkeypatch.setattr(workers, "PARALLEL_FROM", 10**9)
    here = pair_table(views, vectors, ClusterParams())
    assert len(here.pairs) > len(views)
    assert np.array_equal(parallel.pairs, here.pairs)
    assert np.array_equal(parallel.features, here.features)


def sleep_after_noting(items: list[str]) -> list[str]:
    """Note this worker's pid in the folder each item names, then read for a long time."""
    import time

    for folder in set(items):
        (Path(folder) / str(os.getpid())).touch()
    time.sleep(120)
    return items


_KILLED_PARENT = """
import sys, time
sys.path[:0] = {path!r}
from clustering.workers import map_later
from tests.test_workers import sleep_after_noting
if __name__ == "__main__":
    map_later(sleep_after_noting, [{folder!r}] * 8, parallel_from=1)
    time.sleep(120)
"""


def test_workers_of_a_killed_parent_end(tmp_path) -> None:
    import psutil

    script = tmp_path / "parent.py"
    script.write_text(_KILLED_PARENT.format(path=sys.path, folder=str(tmp_path)), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while len([p for p in tmp_path.iterdir() if p.name.isdigit()]) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        pids = [int(p.name) for p in tmp_path.iterdir() if p.name.isdigit()]
        assert len(pids) == 2, "the workers did not start"
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE for p in pids) \
            and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"workers {alive} outlived their killed parent"
