"""Stories, their articles, threads and summaries: the window's state, replaced per run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa

from clustering.stories import Story
from storage.arrow import insert_arrow


@dataclass(frozen=True)
class SummaryRow:
    """One quoted sentence of a story's summary."""

    story_id: str
    rank: int
    article_id: str
    position: int
    text: str
    source: str | None


@dataclass(frozen=True)
class SourceNote:
    """Something only one source of a story reported: a sentence, or a word it alone used."""

    story_id: str
    source: str
    rank: int
    kind: str  # "sentence" or "term"
    text: str
    article_id: str | None
    position: int | None


@dataclass(frozen=True)
class StoryText:
    """What summarizing adds to a story: its title and keywords."""

    story_id: str
    title: str
    keywords: tuple[str, ...]


def previous_assignments(con: Any, article_ids: Sequence[str]) -> dict[str, str]:
    """The story each of these articles was in before this run."""
    rows = con.execute(
        "SELECT article_id, story_id FROM story_articles WHERE article_id IN (SELECT unnest(?))",
        [list(article_ids)],
    ).fetchall()
    return dict(rows)


def frozen_story_ids(con: Any) -> set[str]:
    """Ids of stories outside the window, which new stories must not reuse."""
    return {r[0] for r in con.execute("SELECT story_id FROM stories WHERE frozen").fetchall()}


def replace_window(
    con: Any,
    window_ids: Sequence[str],
    stories: Sequence[Story],
    texts: Sequence[StoryText],
    run_id: str,
) -> dict[str, int]:
    """Replace the window's stories with this run's; return new/updated/unchanged counts.

    The stories' old summaries and notes are deleted; the caller writes the new ones with
    :func:`save_summaries` and :func:`save_notes` in the same transaction, so a reader sees
    the old window or the new one, never a mix.
    """
    old = {
        sid: frozenset(aids)
        for sid, aids in con.execute(
            """SELECT story_id, list(article_id) FROM story_articles
               WHERE article_id IN (SELECT unnest(?)) GROUP BY story_id""",
            [list(window_ids)],
        ).fetchall()
    }
    joined = dict(con.execute(
        "SELECT article_id, joined_run FROM story_articles WHERE article_id IN (SELECT unnest(?))",
        [list(window_ids)]).fetchall())
    before = previous_assignments(con, window_ids)
    created = {r[0]: r[1] for r in con.execute(
        "SELECT story_id, created_run FROM stories WHERE story_id IN (SELECT unnest(?))",
        [[s.story_id for s in stories]],
    ).fetchall()}
    con.execute("DELETE FROM story_articles WHERE article_id IN (SELECT unnest(?))", [list(window_ids)])
    con.execute("DELETE FROM summaries WHERE story_id IN (SELECT unnest(?))", [list(old)])
    con.execute("DELETE FROM source_notes WHERE story_id IN (SELECT unnest(?))", [list(old)])
    # The window's stories go, frozen ones opened again among them (storage.articles.window_article_ids).
    con.execute(
        "DELETE FROM stories WHERE story_id IN (SELECT unnest(?)) OR (NOT frozen AND story_id IN (SELECT unnest(?)))",
        [list(old), [s.story_id for s in stories]],
    )
    by_id = {t.story_id: t for t in texts}
    n_new = sum(1 for s in stories if s.story_id not in old)
    n_updated = sum(1 for s in stories if s.story_id in old and old[s.story_id] != frozenset(s.article_ids))
    ts = pa.timestamp("us", tz="UTC")
    insert_arrow(con, "stories", pa.table({
        "story_id": [s.story_id for s in stories],
        "title": [by_id[s.story_id].title if s.story_id in by_id else None for s in stories],
        "keywords": pa.array([list(by_id[s.story_id].keywords) if s.story_id in by_id else [] for s in stories],
                             pa.list_(pa.string())),
        "thread_id": [s.thread_id for s in stories],
        "n_articles": pa.array([s.n_articles for s in stories], pa.int32()),
        "n_sources": pa.array([s.n_sources for s in stories], pa.int32()),
        "first_source": [s.first_source for s in stories],
        "first_published": pa.array([s.first_published for s in stories], ts),
        "last_published": pa.array([s.last_published for s in stories], ts),
        "frozen": [False] * len(stories),
        "created_run": [created.get(s.story_id) or run_id for s in stories],
        "updated_run": [run_id for _ in stories],
    }))
    # an article keeps the run that put it in its story, unless it moved to another story
    insert_arrow(con, "story_articles", pa.table({
        "article_id": [a for s in stories for a in s.article_ids],
        "story_id": [s.story_id for s in stories for _ in s.article_ids],
        "joined_run": [joined.get(a) if before.get(a) == s.story_id else run_id
                       for s in stories for a in s.article_ids],
    }))
    n_joined = sum(1 for s in stories for a in s.article_ids if a not in before and s.story_id in old)
    return {"stories_new": n_new, "stories_updated": n_updated, "articles_joined_existing": n_joined,
            "stories_unchanged": len(stories) - n_new - n_updated,
            "stories_removed": len(set(old) - {s.story_id for s in stories})}


def save_summaries(con: Any, summaries: Sequence[SummaryRow], run_id: str) -> None:
    """Insert summary rows (the caller deleted the stories' previous ones)."""
    insert_arrow(con, "summaries", pa.table({
        "story_id": [m.story_id for m in summaries],
        "rank": pa.array([m.rank for m in summaries], pa.int32()),
        "article_id": [m.article_id for m in summaries],
        "position": pa.array([m.position for m in summaries], pa.int32()),
        "text": [m.text for m in summaries],
        "source": [m.source for m in summaries],
        "run_id": [run_id] * len(summaries),
    }))


def save_notes(con: Any, notes: Sequence[SourceNote]) -> None:
    """Insert per-source notes (the caller deleted the stories' previous ones)."""
    insert_arrow(con, "source_notes", pa.table({
        "story_id": [n.story_id for n in notes],
        "source": [n.source for n in notes],
        "rank": pa.array([n.rank for n in notes], pa.int32()),
        "kind": [n.kind for n in notes],
        "text": [n.text for n in notes],
        "article_id": pa.array([n.article_id for n in notes], pa.string()),
        "position": pa.array([n.position for n in notes], pa.int32()),
    }))


def freeze_before(con: Any, cutoff: datetime) -> int:
    """Freeze stories whose last report is older than ``cutoff``; return how many."""
    rows = con.execute(
        "UPDATE stories SET frozen = TRUE WHERE NOT frozen AND last_published < ? RETURNING story_id",
        [cutoff],
    ).fetchall()
    return len(rows)


def load_stories(con: Any, frozen: bool | None = None) -> list[Story]:
    """Stories as stored (earliest report first), optionally only frozen or unfrozen ones."""
    rows = con.execute(
        """SELECT s.story_id, list(sa.article_id ORDER BY a.published_at NULLS LAST, a.article_id),
                  s.first_source, s.first_published, s.last_published, s.thread_id,
                  list(DISTINCT coalesce(a.source, a.attribution))
                    FILTER (WHERE a.duplicate_of IS NULL AND coalesce(a.source, a.attribution) IS NOT NULL)
           FROM stories s JOIN story_articles sa USING (story_id) JOIN articles a USING (article_id)
           WHERE ? IS NULL OR s.frozen = ?
           GROUP BY ALL ORDER BY s.first_published NULLS LAST, s.story_id""",
        [frozen, frozen],
    ).fetchall()
    return [Story(sid, tuple(aids), tuple(sorted(srcs or [])), first_src, first, last, thread)
            for sid, aids, first_src, first, last, thread, srcs in rows]


def replace_summaries(con: Any, texts: Sequence[StoryText], summaries: Sequence[SummaryRow],
                      notes: Sequence[SourceNote], run_id: str) -> None:
    """Replace the titles, keywords, summaries and notes of these stories (caller's transaction)."""
    ids = [t.story_id for t in texts]
    con.execute("DELETE FROM summaries WHERE story_id IN (SELECT unnest(?))", [ids])
    con.execute("DELETE FROM source_notes WHERE story_id IN (SELECT unnest(?))", [ids])
    save_notes(con, notes)
    for t in texts:
        con.execute("UPDATE stories SET title = ?, keywords = ?, updated_run = ? WHERE story_id = ?",
                    [t.title, list(t.keywords), run_id, t.story_id])
    save_summaries(con, summaries, run_id)


@dataclass(frozen=True)
class StoredSummary:
    """A stored story's title, summary and notes, and what they were computed from."""

    article_ids: frozenset[str]
    title: str | None
    rows: tuple[SummaryRow, ...]
    notes: tuple[SourceNote, ...]
    params: str | None  # the JSON settings of the run that wrote them (runs.params)
    counts: str | None  # and its JSON counts (runs.counts: the model id and summarizer they name)


def window_summaries(con: Any) -> dict[str, StoredSummary]:
    """The unfrozen stories' titles, summaries and per-source notes as stored, by story id.

    Every run writes all of the window's stories with its own id (``updated_run``), in the
    transaction that finishes it, so the run named there is the one whose settings they follow.
    """
    stories = con.execute(
        """SELECT s.story_id, s.title, list(sa.article_id), r.params, r.counts
           FROM stories s JOIN story_articles sa USING (story_id) LEFT JOIN runs r ON r.run_id = s.updated_run
           WHERE NOT s.frozen GROUP BY ALL""").fetchall()
    rows: dict[str, list[SummaryRow]] = {}
    for sid, rank, aid, pos, text, source in con.execute(
            """SELECT m.story_id, m.rank, m.article_id, m.position, m.text, m.source
               FROM summaries m JOIN stories s USING (story_id) WHERE NOT s.frozen
               ORDER BY m.story_id, m.rank""").fetchall():
        rows.setdefault(sid, []).append(SummaryRow(sid, rank, aid, pos, text, source))
    notes: dict[str, list[SourceNote]] = {}
    for sid, source, rank, kind, text, aid, pos in con.execute(
            """SELECT n.story_id, n.source, n.rank, n.kind, n.text, n.article_id, n.position
               FROM source_notes n JOIN stories s USING (story_id) WHERE NOT s.frozen
               ORDER BY n.story_id, n.kind, n.source, n.rank""").fetchall():
        notes.setdefault(sid, []).append(SourceNote(sid, source, rank, kind, text, aid, pos))
    return {sid: StoredSummary(frozenset(aids), title, tuple(rows.get(sid, ())), tuple(notes.get(sid, ())),
                               params, counts)
            for sid, title, aids, params, counts in stories}
