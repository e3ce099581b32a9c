"""The shared helper of every summarizer: rank, take k, restore document order.

As in sumy, each algorithm only scores; this module takes the best k under a redundancy
bar and returns them in the order a reader expects (time of report, then position).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np


@dataclass(frozen=True)
class Candidate:
    """A sentence that may be quoted in a summary, with where it came from."""

    article_id: str
    position: int
    text: str
    source: str | None
    published_at: datetime | None
    url: str | None
    vector: np.ndarray
    lemmas: tuple[str, ...] = ()
    # The sentence as a reader sees it alone: its speaker inserted («وی (رئیس ...) افزود»), its
    # dateline gone ("" when that is the text itself); ``alone`` is False when no one can be
    # named for its «وی ...» or its bare quote, and then it is never quoted (summarize.speakers).
    display: str = ""
    alone: bool = True
    time_known: bool = True  # False when only the day was printed (clustering.stories.order_time)

    @property
    def shown(self) -> str:
        """The text to show for this sentence."""
        return self.display or self.text


def reading_order(picks: Sequence[Candidate]) -> list[Candidate]:
    """Picks in the time order of their reports, then by position within a report."""
    far_future = datetime.max.replace(tzinfo=None)

    def key(c: Candidate) -> tuple[object, ...]:
        when = c.published_at.replace(tzinfo=None) if c.published_at else far_future
        return (when, c.article_id, c.position)

    return sorted(picks, key=key)


def mmr_select(
    candidates: Sequence[Candidate],
    relevance: np.ndarray,
    k: int,
    diversity: float,
    max_similarity: float,
    must: Callable[[list[int]], int | None] | None = None,
    same: np.ndarray | None = None,
    eligible: np.ndarray | None = None,
) -> list[int]:
    """Maximal marginal relevance: greedily take the most relevant, least redundant.

    ``relevance`` scores each candidate; a pick's value is ``relevance - diversity *
    (max cosine to earlier picks)``, and a candidate closer than ``max_similarity`` to any
    pick is never taken (it would say the same thing twice). ``must``, given the picks so
    far, may name a candidate to force next (used to bring in a second source). ``same`` (a
    boolean matrix) marks pairs that state one fact whatever their cosine: a pick removes its
    pair too. Only ``eligible`` candidates (default: all) are ever taken.
    """
    if not candidates or k <= 0:
        return []
    vectors = np.stack([c.vector for c in candidates])
    sims = vectors @ vectors.T
    chosen: list[int] = []
    available = np.ones(len(candidates), dtype=bool) if eligible is None else eligible.copy()
    while len(chosen) < k and available.any():
        forced = must(chosen) if must else None
        if forced is not None and available[forced]:
            best = forced
        else:
            redundancy = sims[:, chosen].max(axis=1) if chosen else np.zeros(len(candidates))
            value = np.where(available, relevance - diversity * redundancy, -np.inf)
            best = int(np.argmax(value))
            if not np.isfinite(value[best]):
                break
        chosen.append(best)
        available[best] = False
        available &= sims[best] < max_similarity
        if same is not None:
            available &= ~same[best]
    return chosen
