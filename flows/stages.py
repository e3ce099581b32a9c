"""The pipeline's stages as plain functions: each reads, computes, and writes one step.

Prefect tasks in :mod:`flows.pipeline` are thin wrappers over these, so every stage can be
run and tested without Prefect. Each write is one transaction.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from clustering.embed import EmbedParams, Encoder
from clustering.stories import Story
from flows.checkpoints import checkpoint
from flows.incremental import kept_summaries, summarize_window, summarizer_id
from flows.nothing_new import file_fingerprint
from flows.progress import Progress
from flows.settings import Settings, settings_dict
from flows.summaries import summarize_stories
from flows.window import compute_stories, compute_threads, embedded_sentences
from ingest import Article, Reject
from ingest.models import RejectReason, content_hash
from storage import Database
from storage.articles import add_rejects, load_articles, upsert_articles, window_article_ids
from storage.dedupe import pending_copy_ids
from storage.embeddings import cached_vectors, missing_vectors, save_vectors
from storage.stories import (
    SourceNote,
    StoryText,
    SummaryRow,
    freeze_before,
    frozen_story_ids,
    previous_assignments,
    replace_window,
    save_notes,
    save_summaries,
    window_summaries,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowResult:
    """What one run decides for the window: stories, their texts, summaries, per-source notes."""

    stories: list[Story]
    texts: list[StoryText]
    summaries: list[SummaryRow]
    notes: list[SourceNote]
    model_id: str = ""  # the vectors' model, recorded in the run's counts (flows.incremental)
    resummarized: int = 0  # stories summarized this run; the others kept their stored summaries


@dataclass(frozen=True)
class FileDone:
    """Marks the end of one input file in the item stream: commit it with the last batch."""

    fingerprint: str
    path: str
    size: int


@dataclass
class IngestCounts:
    """What ingestion did, for the run's record and the closing summary line."""

    read: int = 0
    ingested: int = 0
    existing: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    unchanged_files: int = 0  # files read in an earlier run, byte for byte: skipped
    # files a folder's walk did not take as news inputs, each with why (ingest.readers.PassedOver)
    passed_over: list[dict[str, str]] = field(default_factory=list)

    def add(self, other: IngestCounts) -> None:
        self.unchanged_files += other.unchanged_files
        self.passed_over.extend(other.passed_over)
        self.read += other.read
        self.ingested += other.ingested
        self.existing += other.existing
        self.duplicates += other.duplicates
        self.near_duplicates += other.near_duplicates
        self.rejected.update(other.rejected)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> IngestCounts:
        """Counts back from :meth:`as_dict` (what a Prefect task returns)."""
        return cls(d["read"], d["ingested"], d["existing"], d["duplicates"], d["near_duplicates"],
                   Counter(d["rejected"]), d.get("unchanged_files", 0), list(d.get("passed_over", [])))

    def as_dict(self) -> dict[str, Any]:
        return {"read": self.read, "ingested": self.ingested, "existing": self.existing,
                "duplicates": self.duplicates, "near_duplicates": self.near_duplicates,
                "rejected": dict(self.rejected), "rejected_total": sum(self.rejected.values()),
                "unchanged_files": self.unchanged_files, "passed_over": list(self.passed_over)}


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def ingest_items(db: Database, items: Iterable[Article | Reject | FileDone], settings: Settings, run_id: str,
                 progress: Progress | None = None) -> IngestCounts:
    """Store articles and rejects from a stream, one transaction per batch.

    A :class:`FileDone` in the stream is recorded with the batch that holds its file's last
    item, so a file counts as read only once everything in it is committed.
    """
    from storage.files import record_files

    counts = IngestCounts()
    for chunk in batched(items, settings.flow.batch_articles):
        articles = [a for a in chunk if isinstance(a, Article)]
        rejects = [r for r in chunk if isinstance(r, Reject)]
        done = [(f.fingerprint, f.path, f.size) for f in chunk if isinstance(f, FileDone)]
        read = len(articles) + len(rejects)
        with db.transaction() as con:
            articles = mark_near_duplicates(con, articles, settings.ingest.near_duplicate_threshold)
            up = upsert_articles(con, articles, run_id)
            rejects += [Reject(a.input_ref, RejectReason.ID_TAKEN,
                               f"id {a.external_id or a.article_id} is stored already with other text; "
                               "the stored report is kept") for a in up.changed]
            add_rejects(con, rejects, run_id)
            record_files(con, done, run_id)
        counts.add(IngestCounts(read, up.inserted, up.existing, up.duplicates,
                                up.near_duplicates, Counter(r.reason.value for r in rejects)))
        if progress:
            progress.update(len(chunk))
        checkpoint(settings, "ingest")
    return counts


_MIN_DEDUPE_WORDS = 25  # shorter texts (headlines) are compared exactly, not by shingles


def mark_near_duplicates(con: Any, articles: list[Article], threshold: float) -> list[Article]:
    """Mark wire copies: an article whose body nearly equals an earlier one's.

    The earlier report (by publication time; by arrival when unknown) is the original. When
    the copy arrived first, the stored one is re-pointed at the newcomer.
    """
    from dataclasses import replace

    from ingest.dedupe import band_keys, containment, shingles, signature
    from storage.dedupe import candidates_by_band, defer_duplicate_of, save_signatures

    known = {r[0] for r in con.execute(
        "SELECT article_id FROM signatures WHERE article_id IN (SELECT unnest(?))",
        [[a.article_id for a in articles]]).fetchall()}
    # each article's signature first, so that the stored articles sharing a band key with
    # any of them are read in one query, not one per article (2 ms each: 2 s of 10 s of
    # ingesting 1,000 reports); a stored one re-pointed below is updated here as it is there
    checked: dict[int, tuple[np.ndarray, int, list[int]]] = {}
    for i, a in enumerate(articles):
        text = " ".join(s.text for s in a.content_sentences() if s.role.value != "title")
        if a.article_id not in known and len(text.split()) >= _MIN_DEDUPE_WORDS:
            sig = signature(text)
            checked[i] = (sig, len(shingles(text)), band_keys(sig))
    stored_by_key, stored = candidates_by_band(con, [k for _, _, keys in checked.values() for k in keys])
    batch: dict[str, tuple[np.ndarray, int, datetime | None, str | None]] = {}
    batch_keys: dict[int, list[str]] = {}
    out: list[Article] = []
    new_ids, new_sigs, new_sizes, new_bands = [], [], [], []
    for i, a in enumerate(articles):
        if i not in checked:
            out.append(a)
            continue
        sig, size, keys = checked[i]
        found = {other: stored[other] for k in keys for other in stored_by_key.get(k, ())}
        for k in keys:
            for other in batch_keys.get(k, []):
                found[other] = batch[other]
        best: tuple[float, str] | None = None
        for other, (osig, osize, _pub, _dup) in found.items():
            sim = containment(sig, size, osig, osize)
            if other != a.article_id and sim >= threshold and (best is None or sim > best[0]):
                best = (sim, other)
        if best is not None:
            _osig, _osize, opub, odup = found[best[1]]
            original = odup or best[1]
            if a.published_at and opub and a.published_at < opub and odup is None:
                defer_duplicate_of(con, best[1], a.article_id)  # the stored one is the later copy
                if best[1] in stored:
                    stored[best[1]] = (*stored[best[1]][:3], a.article_id)
                if best[1] in batch:
                    out = [replace(x, duplicate_of=a.article_id) if x.article_id == best[1] else x for x in out]
                    batch[best[1]] = (*batch[best[1]][:3], a.article_id)
            else:
                a = replace(a, duplicate_of=original)
        batch[a.article_id] = (sig, size, a.published_at, a.duplicate_of)
        for k in keys:
            batch_keys.setdefault(k, []).append(a.article_id)
        new_ids.append(a.article_id)
        new_sigs.append(sig)
        new_sizes.append(size)
        new_bands.append(keys)
        out.append(a)
    save_signatures(con, new_ids, new_sigs, new_sizes, new_bands)
    return out


def ingest_paths(db: Database, paths: Sequence[str | Path], settings: Settings, run_id: str,
                 progress: Progress | None = None) -> IngestCounts:
    """Read files and directories and store what they hold; files read before are skipped."""
    from flows.build_helper import build_in_order
    from flows.publish import own_files, project_files
    from ingest.article import Draft, build_article
    from ingest.readers import PassedOver, iter_files, read_path
    from ingest.sources import load_registry
    from storage.files import known_fingerprints

    walked = list(iter_files(paths, skip=own_files(settings, db.path), project=project_files(settings)))
    passed = [f.as_dict() for f in walked if isinstance(f, PassedOver)]
    files = [f for f in walked if not isinstance(f, PassedOver)]
    prints = {str(f): file_fingerprint(f, settings.ingest) for f in files if isinstance(f, Path)}
    known: set[str] = set()
    if prints and db.exists():
        with db.connect(read_only=not db.is_memory) as con:
            known = known_fingerprints(con, list(prints.values()))
    skipped = 0

    registry: Any = None

    def drafts() -> Iterator[Draft | Reject | FileDone]:
        nonlocal skipped, registry
        for f in files:
            if isinstance(f, Reject):
                yield f
                continue
            if prints[str(f)] in known:
                skipped += 1
                continue
            if registry is None:  # only when a file is read: loading it takes seconds
                registry = load_registry(settings.ingest.registry)
            yield from read_path(f, settings.ingest)
            yield FileDone(prints[str(f)], str(f), f.stat().st_size)

    # drafts into articles, in order; a long input's on both cores (flows.build_helper)
    stream = build_in_order(drafts(), lambda x: isinstance(x, Draft), lambda d: build_article(d, registry))
    counts = ingest_items(db, stream, settings, run_id, progress)
    counts.unchanged_files = skipped
    counts.passed_over = passed
    return counts


@cache
def cached_encoder(params: EmbedParams) -> Encoder:
    """One encoder per process and configuration (loading takes seconds)."""
    from clustering.embed import load_encoder

    return load_encoder(params)


def pending_texts(db: Database, model_id: str, settings: Settings) -> list[tuple[str, str]]:
    """(hash, text) of the window's sentences that have no vector for this model yet, each once,
    shortest first (see :func:`storage.embeddings.missing_vectors`)."""
    with db.connect(read_only=not db.is_memory) as con:
        return missing_vectors(con, model_id, settings.summary.candidates_per_article)


def embed_texts(texts: Sequence[str], params: EmbedParams) -> np.ndarray:
    """Vectors of a batch of texts (a Prefect task runs this on a worker)."""
    from clustering.embed import resolved
    from flows import embed_process

    # "auto" and the backend it means here are one encoder: loaded once, not once per spelling
    params = resolved(params)
    vectors = embed_process.encode(texts, params)  # the run's encoder process, when it started one
    return vectors if vectors is not None else cached_encoder(params).encode(list(texts), kind=params.prompt)


def store_vectors(db: Database, hashes: Sequence[str], vectors: np.ndarray, model_id: str) -> None:
    with db.transaction() as con:
        save_vectors(con, hashes, vectors, model_id)


def compute_window(db: Database, model_id: str, settings: Settings) -> tuple[WindowResult, list[str]]:
    """Stories, threads and summaries of the window from stored articles and vectors."""
    with db.connect(read_only=not db.is_memory) as con:
        ids = window_article_ids(con)
        articles = load_articles(con, ids)
        hashes = [content_hash(s.text) for a in articles for s in embedded_sentences(a, settings.summary)]
        vectors = cached_vectors(con, hashes, model_id)
        previous = previous_assignments(con, ids)
        taken = frozen_story_ids(con)
        prev_threads = dict(con.execute(
            "SELECT story_id, thread_id FROM stories WHERE thread_id IS NOT NULL").fetchall())
        taken_threads = {r[0] for r in con.execute("SELECT thread_id FROM threads").fetchall()}
        stored = window_summaries(con)
        recopied = pending_copy_ids(con)
    articles = [a for a in articles if any(content_hash(s.text) in vectors for s in a.sentences)]
    by_id = {a.article_id: a for a in articles}
    stories, article_vectors = compute_stories(articles, vectors, settings.cluster, previous, taken)
    threads = compute_threads(stories, article_vectors, by_id, settings.threads, prev_threads,
                              taken_threads - set(prev_threads.values()))
    from dataclasses import replace

    stories = [replace(s, thread_id=threads.get(s.story_id)) for s in stories]
    kept = kept_summaries(stored, stories, recopied, settings_dict(settings)["summary"], model_id)
    texts, summaries, notes = summarize_window(stories, by_id, vectors, settings.summary, kept)
    return (WindowResult(stories, texts, summaries, notes, model_id, len(stories) - len(kept)),
            [a.article_id for a in articles])


def unclustered(db: Database) -> int:
    """How many stored articles are in no story yet (e.g. ingested by a run that was killed)."""
    with db.connect(read_only=not db.is_memory) as con:
        return int(con.execute("""SELECT count(*) FROM articles a LEFT JOIN story_articles sa USING (article_id)
                                  WHERE sa.story_id IS NULL""").fetchone()[0])


def story_count(db: Database) -> int:
    with db.connect(read_only=not db.is_memory) as con:
        return int(con.execute("SELECT count(*) FROM stories").fetchone()[0])


def rebuild_summaries(db: Database, model_id: str, settings: Settings, run_id: str) -> dict[str, int]:
    """Recompute titles, keywords and summaries of the stories in the window, nothing else.

    For a change of summary settings: stories and their ids stay exactly as they are.
    """
    from storage.stories import load_stories, replace_summaries

    with db.connect(read_only=not db.is_memory) as con:
        stories = load_stories(con, frozen=False)
        articles = load_articles(con, [a for s in stories for a in s.article_ids])
        hashes = [content_hash(s.text) for a in articles for s in embedded_sentences(a, settings.summary)]
        vectors = cached_vectors(con, hashes, model_id)
    by_id = {a.article_id: a for a in articles}
    stories = [s for s in stories if all(a in by_id for a in s.article_ids)]
    texts, summaries, notes = summarize_stories(stories, by_id, vectors, settings.summary)
    with db.transaction() as con:
        replace_summaries(con, texts, summaries, notes, run_id)
    return {"stories_resummarized": len(texts), "summary_sentences": len(summaries), "model": model_id,
            "summarizer": summarizer_id()}


def store_window(db: Database, result: WindowResult, window_ids: Sequence[str], run_id: str,
                 settings: Settings, finish: Any = None) -> dict[str, int]:
    """Write the window's stories, threads and summaries, and finish the run, atomically."""
    from storage.dedupe import apply_pending_copies
    from storage.threads import replace_threads

    with db.transaction() as con:
        apply_pending_copies(con)
        counts = replace_window(con, window_ids, result.stories, result.texts, run_id)
        replace_threads(con)
        checkpoint(settings, "stories")
        save_summaries(con, result.summaries, run_id)
        save_notes(con, result.notes)
        checkpoint(settings, "summaries")
        # what the summaries were computed with: the next run keeps those it would compute alike
        counts.update(model=result.model_id, summarizer=summarizer_id(), stories_resummarized=result.resummarized)
        newest = con.execute("SELECT max(published_at) FROM articles").fetchone()[0]
        if newest is not None:
            counts["stories_frozen"] = freeze_before(
                con, newest - timedelta(days=settings.cluster.window_days))
        if finish is not None:
            finish(con, counts)
    return counts


def run_stages(db: Database, paths: Sequence[str | Path], settings: Settings, run_id: str | None = None,
               kind: str = "stages") -> dict[str, Any]:
    """The whole pipeline as plain function calls, without Prefect (evaluation, benchmarks, tests).

    Same stages, same transactions and run record as the flow; no artifacts, no report.
    """
    import uuid

    from clustering.embed import encoder_id
    from storage.runs import COMPLETED, finish_run, start_run

    run_id = run_id or uuid.uuid4().hex[:12]
    with db.transaction() as con:
        start_run(con, run_id, kind, settings_dict(settings), settings.embed.model)
    counts: dict[str, Any] = {"run_id": run_id, **ingest_paths(db, paths, settings, run_id).as_dict()}
    model_id = encoder_id(settings.embed)
    pending = pending_texts(db, model_id, settings)
    for batch in batched(pending, 1024):
        store_vectors(db, [h for h, _ in batch], embed_texts([t for _, t in batch], settings.embed), model_id)
        checkpoint(settings, "embed")
    counts["embedded"] = len(pending)
    result, window_ids = compute_window(db, model_id, settings)
    counts["stories"] = len(result.stories)

    def finish(con: Any, story_counts: dict[str, int]) -> None:
        counts.update(story_counts)
        finish_run(con, run_id, COMPLETED, counts)

    store_window(db, result, window_ids, run_id, settings, finish)
    return counts
