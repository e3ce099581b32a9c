"""Representative sentences of a story: central, supported by several sources, not redundant.

Centrality is LexRank-style: the stationary distribution of a random walk over the
sentences' cosine graph (Erkan & Radev 2004), which favours what many sentences agree on.
A sentence gets a bonus for each other source that carries a close paraphrase of it:
what several outlets report is the core of the story. Picks are diversified with MMR,
and when the story has two or more sources the summary draws on at least two.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summarize.params import SummaryParams
from summarize.select import Candidate, mmr_select, reading_order


def lexrank(vectors: np.ndarray, damping: float, min_edge: float, iterations: int = 50) -> np.ndarray:
    """Stationary LexRank scores (sum 1) of sentences given their unit vectors."""
    n = len(vectors)
    if n == 1:
        return np.ones(1)
    sims = vectors @ vectors.T
    adj = np.where(sims >= min_edge, sims, 0.0)
    np.fill_diagonal(adj, 0.0)
    degree = adj.sum(axis=1, keepdims=True)
    transition = np.divide(adj, degree, out=np.full_like(adj, 1.0 / n), where=degree > 0)
    score = np.full(n, 1.0 / n)
    for _ in range(iterations):
        new = (1 - damping) / n + damping * transition.T @ score
        if np.abs(new - score).sum() < 1e-9:
            return new
        score = new
    return score


def support(candidates: Sequence[Candidate], vectors: np.ndarray, threshold: float) -> np.ndarray:
    """For each sentence, how many other sources carry a sentence at least this close."""
    sims = vectors @ vectors.T
    sources = np.array([c.source or f"?{c.article_id}" for c in candidates])
    out = np.zeros(len(candidates))
    for i in range(len(candidates)):
        close = sims[i] >= threshold
        out[i] = len(set(sources[close]) - {sources[i]})
    return out


def summarize_story(candidates: Sequence[Candidate], params: SummaryParams) -> list[Candidate]:
    """Up to ``params.sentences`` representative sentences, in reading order."""
    if not candidates:
        return []
    vectors = np.stack([c.vector for c in candidates])
    central = lexrank(vectors, params.damping, params.min_edge)
    relevance = central / central.max() + params.support_bonus * support(
        candidates, vectors, params.support_similarity
    )
    picks = mmr_select(candidates, relevance, params.sentences, params.diversity, params.max_similarity)
    picks = cover_two_sources(picks, candidates, vectors, relevance, params)
    return reading_order([candidates[i] for i in picks])


def cover_two_sources(picks: list[int], candidates: Sequence[Candidate], vectors: np.ndarray,
                      relevance: np.ndarray, params: SummaryParams) -> list[int]:
    """Make a summary of a story with two or more sources quote at least two of them.

    The best sentence of another source comes in; the picks that say the same thing as it
    (cosine at or above ``max_similarity``) go, so coverage does not cost a repetition; if
    the summary is still full, its least relevant pick makes room. One exception: when the
    other sources have nothing but close tellings of the top pick (short reports of one fact:
    in rss2020_dev ten stories, cosines 0.932-0.952), the top pick and the other source's
    telling are both kept. The reader learns that two outlets reported it, and how each put it.
    """
    sources = [c.source for c in candidates]
    have = {sources[i] for i in picks}
    if len(set(sources)) < 2 or len(have) > 1 or not picks:
        return picks
    others = [i for i in range(len(candidates)) if sources[i] not in have]
    best = max(others, key=lambda i: relevance[i])
    kept = [i for i in picks if float(vectors[i] @ vectors[best]) < params.max_similarity]
    if not kept:
        # the other source only repeats the top pick: keep the top pick and its best
        # non-repeating sentence from the other source, if any
        alternatives = [i for i in others if float(vectors[i] @ vectors[picks[0]]) < params.max_similarity]
        if alternatives:
            best = max(alternatives, key=lambda i: relevance[i])
        kept = [picks[0]]
    kept = sorted(kept, key=lambda i: -relevance[i])[: params.sentences - 1]
    return [*kept, best]
