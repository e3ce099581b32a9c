"""From clustered articles to story records: ids, coverage, first report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from clustering.cluster import ArticleView, ClusterParams, cluster_articles
from clustering.ids import assign_story_ids


def order_time(published_at: datetime | None, time_known: bool = True) -> datetime | None:
    """When a report counts as published for ordering: its time, or for a report that printed
    only its day (``published_at`` is that day's start in Tehran) the day's last second.

    "Some time that day" never comes before a report of that day whose time is known, so a
    day alone is never taken as the first report (a value not read is not guessed).
    """
    if published_at is None or time_known:
        return published_at
    return published_at + timedelta(days=1, seconds=-1)


@dataclass(frozen=True)
class Member:
    """What a story needs to know of one of its reports."""

    article_id: str
    source: str | None
    published_at: datetime | None
    duplicate_of: str | None = None  # a wire copy does not add a source
    time_known: bool = True  # False when only the day was printed (see order_time)


@dataclass(frozen=True)
class Story:
    """A story: its reports (earliest first) and its coverage."""

    story_id: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]  # distinct sources in order of first report, wire copies left out
    first_source: str | None
    first_published: datetime | None
    last_published: datetime | None
    thread_id: str | None = None

    @property
    def n_articles(self) -> int:
        return len(self.article_ids)

    @property
    def n_sources(self) -> int:
        return len(self.sources)


def _time_key(m: Member) -> tuple[bool, float, str]:
    at = order_time(m.published_at, m.time_known)
    return (at is None, at.timestamp() if at else 0.0, m.article_id)


def make_story(story_id: str, members: Sequence[Member]) -> Story:
    """Coverage of a story from its members: who reported first, and when."""
    ordered = sorted(members, key=_time_key)
    sources: list[str] = []
    for m in ordered:
        if m.duplicate_of is None and m.source and m.source not in sources:
            sources.append(m.source)
    dated = [m.published_at for m in ordered if m.published_at]
    first = next((m for m in ordered if m.duplicate_of is None), ordered[0])
    return Story(
        story_id=story_id,
        article_ids=tuple(m.article_id for m in ordered),
        sources=tuple(sources),
        first_source=first.source,
        first_published=min(dated) if dated else None,  # a day alone counts from the day's start
        last_published=max(dated) if dated else None,
    )


def build_stories(
    members: Sequence[Member],
    views: Sequence[ArticleView],
    vectors: np.ndarray,
    params: ClusterParams,
    previous: Mapping[str, str],
    taken: set[str],
) -> list[Story]:
    """Cluster the window's articles and name the stories stably (see :mod:`clustering.ids`).

    ``members`` and ``views`` describe the same articles in the same order, earliest first.
    """
    labels = cluster_articles(views, vectors, params)
    ids = assign_story_ids(labels, [m.article_id for m in members], previous, taken)
    groups: dict[int, list[Member]] = {}
    for label, member in zip(labels.tolist(), members, strict=True):
        groups.setdefault(label, []).append(member)
    stories = [make_story(ids[label], group) for label, group in groups.items()]
    return sorted(stories, key=lambda s: (s.first_published is None, s.first_published or 0, s.story_id))
