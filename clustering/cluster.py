"""Articles into stories: several views of each pair decide together.

A pair of articles is scored from the dense cosine of their e5 vectors and the TF-IDF
cosine of their lemmas, and discounted by the time between them; only candidate pairs
(each article's nearest neighbours in either view) are scored, so the cost follows the
window, not its square. Stories are then formed by average-link agglomeration over that
sparse graph: a report joins a story only when it is similar to the story as a whole,
not to one member. Every article ends in exactly one story; a report that matches
nothing is a one-report story.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import scipy.sparse as sp

from clustering.lexical import tfidf_matrix
from clustering.linkage import average_link


@dataclass(frozen=True)
class ClusterParams:
    """How stories are decided; defaults chosen on the dev sets (see benchmarks/eval)."""

    dense_weight: float = 0.5
    lexical_weight: float = 0.5
    dense_floor: float = 0.80  # e5 cosines of unrelated Persian news sit near 0.75-0.8
    threshold: float = 0.35  # average similarity a report needs to join a story
    neighbours: int = 15  # candidate partners per article and view
    time_grace_hours: float = 36.0  # reports of one event come within hours to a day
    time_scale_hours: float = 48.0  # beyond the grace, evidence must grow e-fold per scale
    window_days: int = 7  # stories older than this are frozen
    lead_sentences: int = 2  # body sentences after the title that represent an article


@dataclass(frozen=True)
class ArticleView:
    """What clustering sees of an article."""

    article_id: str
    lemmas: tuple[str, ...]
    published_at: datetime | None = None
    source: str | None = None


def _top_k_pairs(scores: np.ndarray, k: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-k column indices of a block of scores (diagonal excluded by caller)."""
    k = min(k, scores.shape[1] - 1)
    if k <= 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    idx = np.argpartition(-scores, k, axis=1)[:, :k]
    rows = np.repeat(np.arange(scores.shape[0]) + offset, k)
    return rows, idx.ravel()


def candidate_pairs(vectors: np.ndarray, lexical: sp.csr_matrix, k: int, block: int = 1024) -> np.ndarray:
    """Unique (i, j), i < j: each article's k nearest neighbours by dense and by lexical cosine."""
    n = vectors.shape[0]
    found_rows, found_cols = [], []
    for start in range(0, n, block):
        stop = min(start + block, n)
        dense = vectors[start:stop] @ vectors.T
        lex = (lexical[start:stop] @ lexical.T).toarray()
        for scores in (dense, lex):
            scores[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            r, c = _top_k_pairs(scores, k, start)
            found_rows.append(r)
            found_cols.append(c)
    if not found_rows:
        return np.empty((0, 2), np.int64)
    rows = np.concatenate(found_rows)
    cols = np.concatenate(found_cols)
    pairs = np.stack([np.minimum(rows, cols), np.maximum(rows, cols)], axis=1)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    return np.unique(pairs, axis=0)


def time_factor(hours: np.ndarray, params: ClusterParams) -> np.ndarray:
    """1 within the grace period, then decaying: far-apart reports need stronger evidence."""
    excess = np.clip(hours - params.time_grace_hours, 0, None)
    return np.exp(-excess / params.time_scale_hours)


def pair_scores(
    pairs: np.ndarray,
    vectors: np.ndarray,
    lexical: sp.csr_matrix,
    hours: np.ndarray | None,
    params: ClusterParams,
) -> np.ndarray:
    """Combined similarity of each candidate pair, in [0, 1]."""
    i, j = pairs[:, 0], pairs[:, 1]
    dense = np.einsum("ij,ij->i", vectors[i], vectors[j])
    dense = np.clip((dense - params.dense_floor) / (1.0 - params.dense_floor), 0.0, 1.0)
    lex = np.asarray(lexical[i].multiply(lexical[j]).sum(axis=1)).ravel()
    score = params.dense_weight * dense + params.lexical_weight * lex
    if hours is not None:
        gap = np.abs(hours[i] - hours[j])
        known = ~np.isnan(gap)
        score[known] *= time_factor(gap[known], params)
    return score


def _hours(views: Sequence[ArticleView]) -> np.ndarray | None:
    stamps = [v.published_at.timestamp() / 3600.0 if v.published_at else np.nan for v in views]
    arr = np.array(stamps, dtype=np.float64)
    return None if np.isnan(arr).all() else arr


def cluster_articles(views: Sequence[ArticleView], vectors: np.ndarray, params: ClusterParams) -> np.ndarray:
    """Story labels (0..k-1) for the articles, in the order given."""
    if vectors.shape[0] != len(views):
        raise ValueError(f"{len(views)} articles but {vectors.shape[0]} vectors")
    return similarity_clusters([v.lemmas for v in views], vectors, _hours(views), params)


def similarity_clusters(
    docs: Sequence[Sequence[str]], vectors: np.ndarray, hours: np.ndarray | None, params: ClusterParams
) -> np.ndarray:
    """Average-link clusters of items scored by dense, lexical and time views together."""
    n = len(docs)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    lexical = tfidf_matrix(docs)
    pairs = candidate_pairs(vectors, lexical, params.neighbours)
    if len(pairs) == 0:
        return np.arange(n, dtype=np.int64)
    scores = pair_scores(pairs, vectors, lexical, hours, params)
    keep = scores > 0
    graph = sp.coo_matrix((scores[keep], (pairs[keep, 0], pairs[keep, 1])), shape=(n, n))
    return average_link(graph, n, params.threshold)
