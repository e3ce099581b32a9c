"""Articles into stories: several views of each pair decide together.

Only candidate pairs (each article's nearest neighbours by dense and by lexical cosine)
are scored, so the cost follows the window, not its square. Each pair gets features
(:mod:`clustering.pairs`): character-gram cosine, dense and lemma cosines corrected for a
crowded neighbourhood, a shared rare lemma, conflicting figures, dates and weekdays, one
outlet, and whether one of the two is a photo or video item; a learned logistic model
(:mod:`clustering.same_story`) turns them into the probability of one story, and the time
between two dated reports adds its own evidence.
Stories are then formed by average-link agglomeration over that sparse graph: a report
joins a story only when it is likely to belong with the story as a whole, not with one
member. Every article ends in exactly one story; a report that matches nothing is a
one-report story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import scipy.sparse as sp

from clustering.lexical import char_tfidf, tfidf_matrix
from clustering.linkage import average_link
from clustering.mentions import mentions, today
from clustering.pairs import candidate_pairs, nearest_neighbours, pair_features
from clustering.same_story import SAME_STORY, PairModel, time_evidence

TEHRAN = ZoneInfo("Asia/Tehran")


@dataclass(frozen=True)
class ClusterParams:
    """How stories are decided; defaults measured with ``python -m benchmarks.fit_clustering``."""

    # The middle of the plateau of the dev sets together (pair-F1 / B-cubed F1): rss2020_dev
    # 0.599/0.889 at 0.22, 0.603/0.891 at 0.25, 0.607/0.894 at 0.28, 0.592 at 0.30, 0.529 at
    # 0.35; stance_dev 0.826/0.909, 0.831/0.909, 0.825/0.905; the sample corpus 0.985 B-cubed.
    threshold: float = 0.25  # average same-story probability a report needs to join a story
    # k = 8, 15, 25 and 40 score within 0.03 pair-F1 of each other on the dev sets; 8 is cheapest.
    neighbours: int = 8  # candidate partners per article and view
    crowd_rank: int = 8  # a report's crowd: its 8th and 9th neighbours' similarity (Neighbours.crowding)
    # Sample corpus B-cubed F1 at the default threshold: 0.942 without time, 1.0 at 3 h, 0.985
    # at 4 h, 0.950 at 6 h, 0.890 at 8-12 h (two days of one earthquake's figures merge). 3 h
    # would make a report 12 hours later neutral evidence; 4 h keeps the next morning's
    # update on the joining side (see same_story.time_evidence).
    time_scale_hours: float = 4.0  # mean gap between reports of one event
    window_days: int = 7  # stories older than this are frozen; also the span of unrelated gaps
    lead_sentences: int = 2  # body sentences after the title; 1, 3 or 5 moved dev pair-F1 < 0.03
    # The hand-mixed similarity below is what thread linking (clustering.threads) still uses.
    dense_weight: float = 0.5
    lexical_weight: float = 0.5
    dense_floor: float = 0.80  # e5 cosines of unrelated Persian news sit near 0.75-0.8
    time_grace_hours: float = 36.0  # threads: no time discount within this gap


@dataclass(frozen=True)
class ArticleView:
    """What clustering sees of an article."""

    article_id: str
    lemmas: tuple[str, ...]
    published_at: datetime | None = None
    source: str | None = None
    title_lemmas: tuple[str, ...] = ()
    text: str = ""  # title and lead as written (normalized): character grams, dates
    title: str = ""  # the headline as written (normalized): format labels such as «فیلم |»


@dataclass(frozen=True)
class PairTable:
    """The candidate pairs of a window, their features, and the hours between them."""

    pairs: np.ndarray  # (m, 2) int64, i < j
    features: np.ndarray  # (m, len(FEATURES)) float32
    gap_hours: np.ndarray  # (m,) float64: hours apart; from weekdays when undated; NaN if unknown


def _hours(views: Sequence[ArticleView]) -> np.ndarray:
    return np.array([v.published_at.timestamp() / 3600.0 if v.published_at else np.nan for v in views])


def pair_table(views: Sequence[ArticleView], vectors: np.ndarray, params: ClusterParams) -> PairTable:
    """Candidate pairs of the articles and the evidence on each."""
    if vectors.shape[0] != len(views):
        raise ValueError(f"{len(views)} articles but {vectors.shape[0]} vectors")
    lexical = tfidf_matrix([v.lemmas for v in views])
    chars = char_tfidf([v.text or " ".join(v.lemmas) for v in views])
    k = params.neighbours
    found = nearest_neighbours(vectors, lexical, max(k, params.crowd_rank + 1))
    pairs = candidate_pairs([nb.head(k) for nb in found])
    said = [mentions(v.title_lemmas, v.text, v.title) for v in views]
    features = pair_features(pairs, vectors, lexical, chars, found, said, [v.source for v in views], params.crowd_rank)
    hours = _hours(views)
    gap = np.abs(hours[pairs[:, 0]] - hours[pairs[:, 1]]) if len(pairs) else np.empty(0)
    return PairTable(pairs, features, _weekday_gaps(views, pairs, gap))


def _weekday(view: ArticleView) -> int | None:
    if view.published_at is not None:
        return view.published_at.astimezone(TEHRAN).weekday()
    return today(view.text)


def _weekday_gaps(views: Sequence[ArticleView], pairs: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """Fill unknown gaps from the days the reports were written, where both are known.

    A report without a date often says what day it is («امروز (یکشنبه)»). Two reports
    written d calendar days apart (d = 1..3 around the week) are about 24·d hours apart:
    seed 001 (Borna: «امروز (یکشنبه)») and seed 000 (ISNA, a Friday) are two days apart,
    two different happenings by the definition of a story. Same weekday: no evidence.
    """
    if not len(pairs):
        return gap
    days = [_weekday(v) for v in views]
    out = gap.copy()
    for k in np.flatnonzero(np.isnan(gap)):
        a, b = days[pairs[k, 0]], days[pairs[k, 1]]
        if a is not None and b is not None and a != b:
            out[k] = 24.0 * min((a - b) % 7, (b - a) % 7)
    return out


def same_story_probability(table: PairTable, params: ClusterParams, model: PairModel = SAME_STORY) -> np.ndarray:
    """Probability that each candidate pair reports one story: text, then time when known."""
    logit = model.logit(table.features)
    known = ~np.isnan(table.gap_hours)
    logit[known] += time_evidence(table.gap_hours[known], params.time_scale_hours, params.window_days * 24.0)
    return (1.0 / (1.0 + np.exp(-np.clip(logit, -30, 30)))).astype(np.float32)


def cluster_articles(
    views: Sequence[ArticleView], vectors: np.ndarray, params: ClusterParams, model: PairModel = SAME_STORY
) -> np.ndarray:
    """Story labels (0..k-1) for the articles, in the order given."""
    n = len(views)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    table = pair_table(views, vectors, params)
    prob = same_story_probability(table, params, model)
    return link(table.pairs, prob, n, params.threshold)


def link(pairs: np.ndarray, weights: np.ndarray, n: int, threshold: float) -> np.ndarray:
    """Average-link labels over a sparse graph of candidate pairs (missing pairs count 0)."""
    keep = weights > 0
    graph = sp.coo_matrix((weights[keep], (pairs[keep, 0], pairs[keep, 1])), shape=(n, n))
    return average_link(graph, n, threshold)


# --- the hand-mixed similarity, kept for thread linking -------------------------------------


def time_factor(hours: np.ndarray, params: ClusterParams) -> np.ndarray:
    """1 within the grace period, then decaying: far-apart stories need stronger evidence."""
    excess = np.clip(hours - params.time_grace_hours, 0, None)
    return np.exp(-excess / params.time_scale_hours)


def similarity_clusters(
    docs: Sequence[Sequence[str]], vectors: np.ndarray, hours: np.ndarray | None, params: ClusterParams
) -> np.ndarray:
    """Average-link clusters scored by a fixed mix of dense and lexical cosine, discounted by time.

    Thread linking compares whole stories over months, where no labelled data exists to
    learn from; it keeps this simple, hand-set score.
    """
    n = len(docs)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    lexical = tfidf_matrix(docs)
    pairs = candidate_pairs(nearest_neighbours(vectors, lexical, params.neighbours))
    if len(pairs) == 0:
        return np.arange(n, dtype=np.int64)
    i, j = pairs[:, 0], pairs[:, 1]
    dense = np.einsum("ij,ij->i", vectors[i], vectors[j])
    dense = np.clip((dense - params.dense_floor) / (1.0 - params.dense_floor), 0.0, 1.0)
    lex = np.asarray(lexical[i].multiply(lexical[j]).sum(axis=1)).ravel()
    score = params.dense_weight * dense + params.lexical_weight * lex
    if hours is not None:
        gap = np.abs(hours[i] - hours[j])
        known = ~np.isnan(gap)
        score[known] *= time_factor(gap[known], params)
    return link(pairs, score, n, params.threshold)
