"""Scale-out: with a Dask scheduler address set, embedding batches run on the cluster's
workers, DuckDB is written by the flow process alone, and the stories equal a local run's."""

from __future__ import annotations

import pytest

from flows.pipeline import run_local
from flows.settings import load_settings
from storage import Database
from storage.queries import list_stories
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow


def stories(db: str) -> dict[str, tuple[str, ...]]:
    with Database(db).connect(read_only=True) as con:
        return {s["story_id"]: tuple(sorted(s["articles"])) for s in list_stories(con)}


def summaries(db: str) -> list[tuple]:
    with Database(db).connect(read_only=True) as con:
        return con.execute("SELECT story_id, rank, text FROM summaries ORDER BY story_id, rank").fetchall()


def test_dask_cluster_run_equals_local_run(demo, tmp_path) -> None:
    from distributed import Client, LocalCluster

    local_db, _first, _second = demo
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        settings = load_settings(overrides={"db": str(tmp_path / "dask.duckdb"), "flow.report": "",
                                            "flow.dask_address": cluster.scheduler_address})
        counts = run_local(settings, [str(SAMPLES)])
        # the embedding batches ran on the workers, which loaded the model there
        workers_with_model = client.run(lambda: __import__("flows.stages").stages.cached_encoder.cache_info().currsize)
    assert counts["embedded"] > 0 and any(n > 0 for n in workers_with_model.values())
    assert stories(settings.db) == stories(str(local_db))
    assert summaries(settings.db) == summaries(str(local_db))
