"""A run summarizes again only the stories it changed; the others keep what is stored.

A story's title, summary and per-source notes follow from its articles (their sentences,
lemmas and copy marks, fixed once ingested), their vectors (fixed per model), the summary
settings and the summarizing code. A story whose articles are the ones it had, none of
them marked a copy since, and that was written by a run with the same settings, model and
summarizing code, would get back exactly what is stored: adding 100 reports to a window of
10,000 summarizes the hundred-odd stories they join or create, not ten thousand (issue 15).
Keywords are c-TF-IDF against the window's other stories, so they are counted again for
every story (lemma counts only: cheap). tests/test_incremental.py holds a run that keeps
summaries to one that computes them all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from clustering.stories import Story
from flows.summaries import summarize_stories
from storage.articles import StoredArticle
from storage.stories import SourceNote, StoredSummary, StoryText, SummaryRow
from summarize.params import SummaryParams
from summarize.title import class_tfidf_keywords

ROOT = Path(__file__).resolve().parent.parent
# The code a summary depends on: changed (a new version of dastan), every story is summarized again.
_SUMMARIZER_CODE = ("summarize", "flows/summaries.py", "flows/window.py", "flows/incremental.py")


@cache
def summarizer_id() -> str:
    """A digest of the summarizing code, recorded in each run's counts."""
    digest = hashlib.blake2b(digest_size=8)
    for rel in _SUMMARIZER_CODE:
        path = ROOT / rel
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(f.relative_to(ROOT).as_posix().encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def _same_run_settings(stored: StoredSummary, summary: dict[str, Any], model_id: str) -> bool:
    if stored.params is None or stored.counts is None:
        return False
    params, counts = json.loads(stored.params), json.loads(stored.counts)
    return (params.get("summary") == summary and counts.get("model") == model_id
            and counts.get("summarizer") == summarizer_id())


def kept_summaries(stored: Mapping[str, StoredSummary], stories: Sequence[Story], recopied: set[str],
                   summary: dict[str, Any], model_id: str) -> dict[str, StoredSummary]:
    """The stories whose stored title, summary and notes stand as they are.

    ``recopied``: articles marked a wire copy in this run (pending copies); ``summary``: the
    summary settings as the runs table holds them.
    """
    summary = json.loads(json.dumps(summary))  # as read back from the runs table (tuples as lists)
    checked: dict[tuple[str | None, str | None], bool] = {}
    out = {}
    for story in stories:
        s = stored.get(story.story_id)
        if s is None or s.article_ids != frozenset(story.article_ids) or recopied.intersection(story.article_ids):
            continue
        key = (s.params, s.counts)
        if key not in checked:
            checked[key] = _same_run_settings(s, summary, model_id)
        if checked[key]:
            out[story.story_id] = s
    return out


def story_bag(story: Story, articles: Mapping[str, StoredArticle]) -> list[str]:
    """The lemmas a story's keywords are counted from (as flows.summaries.summarize_stories counts them)."""
    members = [articles[a] for a in story.article_ids]
    originals = [a for a in members if a.duplicate_of is None] or members
    return [lem for a in originals for s in a.sentences for lem in s.lemmas]


def summarize_window(
    stories: Sequence[Story],
    articles: Mapping[str, StoredArticle],
    vectors: Mapping[str, np.ndarray],
    params: SummaryParams,
    kept: Mapping[str, StoredSummary],
) -> tuple[list[StoryText], list[SummaryRow], list[SourceNote]]:
    """Titles, keywords, summaries and notes of the window: ``kept`` stories as stored, the rest computed."""
    fresh = [s for s in stories if s.story_id not in kept]
    texts, rows, notes = summarize_stories(fresh, articles, vectors, params)
    if not kept:
        return texts, rows, notes
    titles = {t.story_id: t.title for t in texts}
    for sid, s in kept.items():
        titles[sid] = s.title or ""
        rows.extend(s.rows)
        notes.extend(s.notes)
    keywords = class_tfidf_keywords([story_bag(s, articles) for s in stories], params.keywords)
    return ([StoryText(s.story_id, titles[s.story_id], tuple(k)) for s, k in zip(stories, keywords, strict=True)],
            rows, notes)
