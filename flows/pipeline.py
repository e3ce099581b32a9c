"""The Prefect flow: ingest, embed, cluster, summarize, store. Each task wraps a stage function.

Tasks are batches (hundreds of articles or texts each), never one task per article.
Embedding batches are the part that fans out: on a Dask task runner they run on the
cluster's workers, while DuckDB stays written by this process alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.context import get_run_context
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from clustering.embed import EmbedParams, resolved
from clustering.embed import encoder_id as encoder_id_of
from flows import embed_process, stages
from flows.checkpoints import checkpoint
from flows.fetching import SourceFailed
from flows.progress import Progress
from flows.settings import DEFAULT_DB, Settings, load_settings, settings_dict
from storage import Database, run_lock
from storage.runs import COMPLETED, FAILED, finish_run, start_run, status_of

EMBED_BATCH = 512  # texts per embedding task: ~2-5 s of work, far above task overhead
PAGES_PER_TASK = 50  # page fetches per task: a source's new items in a few tasks


@task(name="ingest-files", cache_policy=NO_CACHE)
def ingest_files(db_path: str, files: list[str], settings: Settings, run_id: str) -> dict[str, Any]:
    """Read a batch of input files into articles and rejects, and store them."""
    with Progress("ingest", total=None, unit="article") as bar:
        counts = stages.ingest_paths(Database(db_path), files, settings, run_id, bar)
    return counts.as_dict()


@task(name="poll-feeds", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def poll_feeds(source_key: str, validators: dict[str, tuple[str | None, str | None]], settings: Settings) -> Any:
    """Read one source's feeds (network: retried once, after 10 s; fails if every feed fails)."""
    from flows.fetching import poll_source
    from ingest.sources import load_registry

    source = load_registry(settings.ingest.registry).get(source_key)
    assert source is not None
    polled = poll_source(source, validators, settings.fetch)
    if polled.failed:
        raise SourceFailed("; ".join(p.error or "" for p in polled.polls))
    return polled


@task(name="fetch-pages", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=10)
def fetch_pages_task(items: list[Any], source_key: str, settings: Settings) -> tuple[list[Any], int]:
    """Fetch and parse a batch of new pages of one source (network)."""
    from flows.fetching import fetch_pages
    from ingest.sources import load_registry

    return fetch_pages(items, source_key, load_registry(settings.ingest.registry), settings.fetch,
                       settings.flow.fetch_pages)


@task(name="store-fetched", cache_policy=NO_CACHE)
def store_fetched(db_path: str, results: list[Any], settings: Settings, run_id: str) -> dict[str, Any]:
    """Ingest what the sources gave, then remember the feeds' validators (after, so a crash
    in between refetches instead of skipping)."""
    from storage.feeds import record_poll

    db = Database(db_path)
    counts = stages.ingest_items(db, [i for r in results for i in r.items], settings, run_id)
    with db.transaction() as con:
        for r in results:
            for p in r.polls:
                record_poll(con, p.feed_url, p.source, p.status, p.items, p.etag, p.last_modified, p.error)
    return counts.as_dict()


@task(name="embed-batch", cache_policy=NO_CACHE)
def embed_batch(texts: list[str], params: EmbedParams) -> np.ndarray:
    """Vectors for a batch of texts."""
    return stages.embed_texts(texts, params)


@task(name="save-embeddings", cache_policy=NO_CACHE)
def save_embeddings(db_path: str, hashes: list[str], vectors: np.ndarray, model_id: str) -> int:
    stages.store_vectors(Database(db_path), hashes, vectors, model_id)
    return len(hashes)


@task(name="cluster-and-summarize", cache_policy=NO_CACHE)
def cluster_and_summarize(db_path: str, model_id: str, settings: Settings) -> tuple[Any, list[str]]:
    """Stories, threads and summaries of the rolling window."""
    return stages.compute_window(Database(db_path), model_id, settings)


@task(name="store-stories", cache_policy=NO_CACHE)
def store_stories(db_path: str, result: Any, window_ids: list[str], run_id: str, settings: Settings,
                  counts: dict[str, Any]) -> dict[str, Any]:
    """Write stories, threads, summaries and the run's end in one transaction."""
    status = status_of(counts)

    def finish(con: Any, story_counts: dict[str, int]) -> None:
        counts.update(story_counts)
        finish_run(con, run_id, status, counts, _failed_note(counts))

    stages.store_window(Database(db_path), result, window_ids, run_id, settings, finish)
    counts["status"] = status
    return counts


@task(name="publish-report", cache_policy=NO_CACHE)
def publish_report(db_path: str, settings: Settings, counts: dict[str, Any]) -> dict[str, str | None]:
    """Write the HTML report and the Prefect artifacts people read in the UI: ``{"report":
    path}``, or ``{"report_error": why}`` when it cannot be written (the run's stories are
    stored by then, and its result is still the run's to report)."""
    from flows.publish import ReportError, publish

    try:
        return {"report": publish(Database(db_path), settings, counts)}
    except ReportError as err:
        return {"report_error": str(err)}


def _file_batches(inputs: Sequence[str], settings: Settings) -> tuple[list[list[str]], list[dict[str, str]]]:
    """The input files in batches, and what the walk passed over (not news inputs)."""
    from flows.publish import own_files, project_files
    from ingest.models import Reject
    from ingest.readers import PassedOver, iter_files

    files, passed = [], []
    for p in iter_files(inputs, skip=own_files(settings), project=project_files(settings)):
        if isinstance(p, PassedOver):
            passed.append(p.as_dict())
        else:
            files.append(p.input_ref if isinstance(p, Reject) else str(p))
    return list(stages.batched(files, settings.flow.batch_articles)), passed


def _fetch(settings: Settings, sources: list[str], run_id: str, counts: dict[str, Any]) -> dict[str, Any]:
    """Fetch the named sources (all with feeds when the list is empty); failures are counted.

    Polls and page fetches are tasks without database access (they can run on Dask
    workers); this flow process reads the validators and known URLs and writes the results.
    """
    from flows.fetching import SourceResult, new_items, selected_sources, validators_for
    from ingest.sources import load_registry

    logger = get_run_logger()
    db = Database(settings.db)
    chosen = selected_sources(load_registry(settings.ingest.registry), sources)
    polls = [(s, poll_feeds.submit(s.key, validators_for(db, s), settings)) for s in chosen]
    results, failed = [], []
    for source, fut in polls:
        polled = fut.result(raise_on_failure=False)
        if isinstance(polled, BaseException):
            # info: the task's failure is logged already, and `dastan fetch` says it in one line
            logger.info("source %s failed: %s", source.key, polled)
            failed.append({"source": source.key, "error": str(polled)})
            continue
        fresh = new_items(db, polled.items)
        pages = [fetch_pages_task.submit(batch, source.key, settings)
                 for batch in stages.batched(fresh, PAGES_PER_TASK)]
        result = SourceResult(source.key, polls=polled.polls)
        for page_fut in pages:
            got = page_fut.result(raise_on_failure=False)
            if isinstance(got, BaseException):
                logger.info("pages of %s failed: %s", source.key, got)
                failed.append({"source": source.key, "error": f"pages: {got}"})
                continue
            result.items.extend(got[0])
            result.pages += got[1]
        results.append(result)
        logger.info("source %s: %s", source.key, result.summary())
    counts["sources"] = [r.summary() for r in results]
    counts["failed_sources"] = failed
    return store_fetched(settings.db, results, settings, run_id)


def _embed_pending(settings: Settings, counts: dict[str, Any]) -> str:
    """Embed the window's texts that have no vector yet, in batches; return the model id."""
    params = resolved(settings.embed)  # workers embed with the backend the id names
    encoder_id = encoder_id_of(params)
    db = Database(settings.db)
    pending = stages.pending_texts(db, encoder_id, settings)
    counts["embedded"] = len(pending)
    counts["model"] = encoder_id
    if pending:
        # Batches of texts of like length (pending is shortest first), the longest batches
        # first: with two workers taking whichever batch comes next, the run then does not
        # end on one worker's long batch while the other idles (the 12 batches of the bench's
        # 1,000 articles: 45.1-46.6 s instead of 47.9). A batch's vectors do not depend on
        # when it runs, nor on which worker.
        batches = sorted(stages.batched(pending, EMBED_BATCH), key=lambda b: -sum(len(t) for _, t in b))
        # the run's encoder process (if it started one) starts on every batch now, each on
        # whichever of its workers is free; the tasks below then wait for their vectors
        embed_process.prefetch([[t for _, t in b] for b in batches], params)
        futures = [embed_batch.submit([t for _, t in b], params) for b in batches]
        with Progress("embed", total=len(pending), unit="text") as bar:
            for b, fut in zip(batches, futures, strict=True):
                save_embeddings(settings.db, [h for h, _ in b], fut.result(), encoder_id)
                bar.update(len(b))
                checkpoint(settings, "embed")
    get_run_logger().info("embedded %d new texts with %s", len(pending), encoder_id)
    return encoder_id


def run_pipeline(settings: Settings, inputs: Sequence[str], sources: list[str] | None = None,
                 run_kind: str = "pipeline") -> dict[str, Any]:
    """The pipeline's body: the flows below differ only in what they feed it.

    ``sources`` names registry sources to fetch first ([] for all with feeds, None for none).
    """
    from flows.checks import check_has_inputs, check_paths

    check_paths(inputs)  # a path that does not exist ends the run before it starts
    check_has_inputs(inputs, settings)  # and so does a folder with nothing to read
    logger = get_run_logger()
    db = Database(settings.db)
    run_id = uuid.uuid4().hex[:12]
    ctx = get_run_context()
    flow_run_id = str(ctx.flow_run.id) if getattr(ctx, "flow_run", None) else None
    counts: dict[str, Any] = {"run_id": run_id}
    with run_lock(db, run_id, wait=settings.flow.wait_for_lock, on_wait=logger.warning):
        with db.transaction() as con:
            stale = start_run(con, run_id, run_kind, settings_dict(settings), settings.embed.model, flow_run_id)
        if stale:
            logger.warning("%d earlier run(s) ended without finishing; marked incomplete", stale)
        try:
            batches, passed = _file_batches(inputs, settings)
            ingest = stages.IngestCounts(passed_over=passed)
            for batch in batches:
                ingest.add(stages.IngestCounts.from_dict(ingest_files(settings.db, batch, settings, run_id)))
            if sources is not None:
                ingest.add(stages.IngestCounts.from_dict(_fetch(settings, sources, run_id, counts)))
            counts.update(ingest.as_dict())
            logger.info("ingested %d, duplicates %d, rejected %d", ingest.ingested,
                        ingest.duplicates + ingest.near_duplicates, sum(ingest.rejected.values()))

            encoder_id = _embed_pending(settings, counts)
            if ingest.ingested == 0 and counts["embedded"] == 0 and not stages.unclustered(db):
                # nothing new since the last run: its stories stand, and recomputing the
                # window would give them back unchanged
                counts.update(stories=stages.story_count(db), stories_new=0, stories_updated=0, nothing_new=True)
                with db.transaction() as con:
                    finish_run(con, run_id, status_of(counts), counts, _failed_note(counts))
                counts["status"] = status_of(counts)
                logger.info("nothing new: stories unchanged")
            else:
                result, window_ids = cluster_and_summarize(settings.db, encoder_id, settings)
                # quoted: Prefect would otherwise walk every story, summary row and note of the
                # window looking for futures (1-2 s for a 10,000-article window)
                counts = store_stories(settings.db, quote(result), quote(window_ids), run_id, settings, counts)
                counts["stories"] = len(result.stories)
                logger.info("stories: %d in the window (%d new, %d updated)", len(result.stories),
                            counts.get("stories_new", 0), counts.get("stories_updated", 0))
        except BaseException as err:
            with db.transaction() as con:
                finish_run(con, run_id, FAILED, counts, f"{type(err).__name__}: {err}")
            raise
    if settings.flow.report:
        counts.update(publish_report(settings.db, settings, counts))
    return counts


def _failed_note(counts: dict[str, Any]) -> str | None:
    """The run record's error for sources that failed (each says why in failed_sources)."""
    failed = sorted({f["source"] for f in counts.get("failed_sources") or []})
    return f"sources failed: {', '.join(failed)}" if failed else None


def _settings_for(db: str, model: str, window_days: int | None = None,
                  summary_sentences: int | None = None) -> Settings:
    return load_settings(overrides={
        "db": db,
        "embed.model": model,
        "cluster.window_days": window_days,
        "summary.sentences": summary_sentences,
    })


@flow(name="pipeline", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def pipeline(
    inputs: list[str] = ["data/samples"],  # noqa: B006 - Prefect shows this default in its form
    sources: list[str] | None = None,
    db: str = DEFAULT_DB,
    model: str = "default",
    window_days: int = 7,
    summary_sentences: int = 4,
) -> dict[str, Any]:
    """Ingest files (and feeds), embed, cluster into stories and threads, summarize, store in DuckDB.

    Args:
        inputs: Files or directories to ingest (txt, jsonl, json, csv, html); paths as the
            serving process sees them.
        sources: Registry sources whose feeds to fetch first (for example ["isna", "irna"]);
            an empty list fetches every source with feeds; null fetches none.
        db: The DuckDB database file to write.
        model: Embedding model: "default" (multilingual-e5-small, built offline) or a local
            sentence-transformers directory.
        window_days: Rolling window in days; stories whose last report is older are frozen.
        summary_sentences: Representative sentences per story summary.
    """
    return run_pipeline(_settings_for(db, model, window_days, summary_sentences), inputs, sources)


@flow(name="fetch-feeds", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def fetch_feeds(
    sources: list[str] | None = None,
    db: str = DEFAULT_DB,
    model: str = "default",
) -> dict[str, Any]:
    """Poll the source registry's feeds, fetch new pages, and update stories and summaries.

    Args:
        sources: Registry sources to poll (for example ["isna"]); empty or null polls every
            source with feeds.
        db: The DuckDB database file to write.
        model: Embedding model: "default" or a local sentence-transformers directory.
    """
    return run_pipeline(_settings_for(db, model), [], sources or [], run_kind="fetch-feeds")


@flow(name="rebuild-summaries", task_runner=ThreadPoolTaskRunner(max_workers=1), log_prints=False)
def rebuild_summaries(
    db: str = DEFAULT_DB,
    model: str = "default",
    summary_sentences: int = 4,
) -> dict[str, Any]:
    """Recompute titles, keywords and summaries of the window's stories; stories stay as they are.

    Args:
        db: The DuckDB database file to update.
        model: Embedding model the stories were built with.
        summary_sentences: Representative sentences per story summary.
    """
    settings = _settings_for(db, model, summary_sentences=summary_sentences)
    logger = get_run_logger()
    database = Database(settings.db)
    run_id = uuid.uuid4().hex[:12]
    counts: dict[str, Any] = {"run_id": run_id}
    with run_lock(database, run_id, wait=settings.flow.wait_for_lock, on_wait=logger.warning):
        with database.transaction() as con:
            start_run(con, run_id, "rebuild-summaries", settings_dict(settings), settings.embed.model)
        try:
            model_id = _embed_pending(settings, counts)
            counts.update(stages.rebuild_summaries(database, model_id, settings, run_id))
            with database.transaction() as con:
                finish_run(con, run_id, COMPLETED, counts)
        except BaseException as err:
            with database.transaction() as con:
                finish_run(con, run_id, FAILED, counts, f"{type(err).__name__}: {err}")
            raise
    counts["status"] = COMPLETED
    if settings.flow.report:
        counts.update(publish_report(settings.db, settings, counts))
    return counts


def task_runner(settings: Settings) -> Any:
    """Threads in this process (one at a time: the encoder process's workers, or torch in this
    process, already use every core), or the Dask
    cluster at ``flow.dask_address``, where embedding batches and page fetches fan out."""
    if settings.flow.dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=settings.flow.dask_address)
    return ThreadPoolTaskRunner(max_workers=1)


def run_local(settings: Settings, inputs: Sequence[str], sources: list[str] | None = None) -> dict[str, Any]:
    """Run the pipeline flow in this process with the given settings (``dastan run``, ``dastan fetch``)."""
    from flows.temp_server import tie_temporary_server

    @flow(name="pipeline" if sources is None else "fetch-feeds", task_runner=task_runner(settings))
    def local_pipeline(inputs: list[str]) -> dict[str, Any]:
        return run_pipeline(settings, inputs, sources, run_kind="pipeline" if sources is None else "fetch-feeds")

    if inputs:
        from ingest.normalize import prepare

        prepare()  # hazm's tables (seconds) while the temporary server boots: ingestion needs them
    tie_temporary_server()  # a temporary API server must not outlive this process (issue 15)
    try:
        return local_pipeline(list(inputs))
    finally:
        from flows.embed_process import stop_all

        stop_all()  # the encoder process started for this run (flows.cli), if any
