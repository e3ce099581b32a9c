"""`dastan serve`: the flows as Prefect deployments, served from this one process.

Deployments (what the Prefect UI lists under Deployments):
  pipeline/default           ingest paths and/or feeds, then stories, summaries, report
  fetch-feeds/default        every ``flow.feed_interval_minutes`` (default 15): poll the feeds
  rebuild-summaries/default  recompute summaries, e.g. after changing summary_sentences
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flows.settings import Settings


def deployments(settings: Settings) -> list[Any]:
    """The three deployments, with the settings' database and model as parameter defaults."""
    from flows.pipeline import fetch_feeds, pipeline, rebuild_summaries, task_runner

    if settings.flow.dask_address:  # fan the work of every run out to the cluster
        runner = task_runner(settings)
        pipeline, fetch_feeds = (f.with_options(task_runner=runner) for f in (pipeline, fetch_feeds))
    common = {"db": settings.db, "model": settings.embed.model}
    return [
        pipeline.to_deployment(
            name="default",
            parameters={**common, "window_days": settings.cluster.window_days,
                        "summary_sentences": settings.summary.sentences},
            description="Ingest files (and feeds), cluster into stories and threads, summarize, store.",
            tags=["dastan"],
        ),
        fetch_feeds.to_deployment(
            name="default",
            parameters=common,
            interval=timedelta(minutes=settings.flow.feed_interval_minutes),
            description="Poll the source registry's feeds and update the stories.",
            tags=["dastan"],
        ),
        rebuild_summaries.to_deployment(
            name="default",
            parameters={**common, "summary_sentences": settings.summary.sentences},
            description="Recompute titles, keywords and summaries of the window's stories.",
            tags=["dastan"],
        ),
    ]


def serve_all(settings: Settings, limit: int = 1) -> None:
    """Register the deployments with the Prefect API and run their flow runs until stopped.

    ``limit`` caps concurrent flow runs in this process; the database's run lock also makes
    a second run wait for the first, with a log line naming it.
    """
    from prefect import serve
    from prefect.settings import PREFECT_API_URL

    if not PREFECT_API_URL.value():
        raise ServeError(
            "no Prefect server configured: start one with `prefect server start`, then "
            "`export PREFECT_API_URL=http://127.0.0.1:4200/api` and run `dastan serve` again"
        )
    serve(*deployments(settings), limit=limit, pause_on_shutdown=False)


class ServeError(Exception):
    """Serving needs a Prefect server to register the deployments with."""
