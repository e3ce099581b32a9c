"""Representative sentences of a story: central, supported by several sources, not redundant.

Centrality is LexRank-style: the stationary distribution of a random walk over the
sentences' cosine graph (Erkan & Radev 2004), which favours what many sentences agree on.
A sentence gets a bonus for each other source that carries a close paraphrase of it:
what several outlets report is the core of the story. Picks are diversified with MMR,
and when the story has two or more sources the summary draws on at least two.

A summary states each fact once: two sentences that give the same figure, quote or content
words (:mod:`summarize.facts`) are one fact, whatever their cosine. The first reporter's
best sentence comes in first, so the agency that broke the story is quoted for what it
broke. Only sentences that stand alone are quoted (:mod:`summarize.speakers`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from summarize.facts import FactIndex, facts_of
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


def same_facts(candidates: Sequence[Candidate]) -> np.ndarray:
    """Boolean matrix: which pairs of sentences state one fact (the diagonal is True)."""
    facts = [facts_of(c.text, c.lemmas) for c in candidates]
    index = FactIndex(facts)
    out = np.eye(len(facts), dtype=bool)
    for i, f in enumerate(facts):
        out[i, index.same(f)] = True
    return out


def support(candidates: Sequence[Candidate], vectors: np.ndarray, threshold: float,
            same: np.ndarray | None = None) -> np.ndarray:
    """For each sentence, how many other sources carry a sentence at least this close (or
    stating the same fact, when ``same`` is given)."""
    sims = vectors @ vectors.T
    sources = np.array([c.source or f"?{c.article_id}" for c in candidates])
    out = np.zeros(len(candidates))
    for i in range(len(candidates)):
        close = sims[i] >= threshold
        if same is not None:
            close |= same[i]
        out[i] = len(set(sources[close]) - {sources[i]})
    return out


def first_reporter_best(candidates: Sequence[Candidate], relevance: np.ndarray,
                        eligible: np.ndarray) -> int | None:
    """The most relevant sentence that stands alone of the earliest report's source.

    A report that printed only its day is not earlier than a report of that day with a time
    (clustering.stories.order_time).
    """
    from clustering.stories import order_time

    dated = [(at, c.source) for c in candidates if (at := order_time(c.published_at, c.time_known)) is not None]
    if not dated:
        return None
    source = min(dated, key=lambda d: d[0])[1]
    own = [i for i, c in enumerate(candidates) if c.source == source and eligible[i]]
    return max(own, key=lambda i: relevance[i]) if own else None


def summarize_story(candidates: Sequence[Candidate], params: SummaryParams) -> list[Candidate]:
    """Up to ``params.sentences`` representative sentences, in reading order."""
    if not candidates:
        return []
    vectors = np.stack([c.vector for c in candidates])
    same = same_facts(candidates)
    eligible = np.array([c.alone for c in candidates], dtype=bool)
    if not eligible.any():
        return []
    central = lexrank(vectors, params.damping, params.min_edge)
    relevance = central / central.max() + params.support_bonus * support(
        candidates, vectors, params.support_similarity, same
    )
    first = first_reporter_best(candidates, relevance, eligible)
    picks = mmr_select(candidates, relevance, params.sentences, params.diversity, params.max_similarity,
                       must=lambda chosen: first if not chosen else None, same=same, eligible=eligible)
    picks = cover_two_sources(picks, candidates, vectors, relevance, params, same, eligible)
    return reading_order([candidates[i] for i in picks])


def cover_two_sources(picks: list[int], candidates: Sequence[Candidate], vectors: np.ndarray,
                      relevance: np.ndarray, params: SummaryParams, same: np.ndarray | None = None,
                      eligible: np.ndarray | None = None) -> list[int]:
    """Make a summary of a story with two or more sources quote at least two of them.

    The best sentence of another source comes in; the picks that say the same thing as it
    go, so coverage does not cost a repetition; if the summary is still full, its least
    relevant pick makes room. The top pick always stays. One exception: when the
    other sources have nothing but close tellings of the top pick (short reports of one fact:
    in rss2020_dev ten stories, cosines 0.932-0.952), the top pick and the other source's
    telling are both kept. The reader learns that two outlets reported it, and how each put it.
    "Says the same thing" is a cosine at or above ``max_similarity`` or, given ``same``, one
    fact; only ``eligible`` sentences (those that stand alone) come in.
    """
    n = len(candidates)
    same = np.eye(n, dtype=bool) if same is None else same
    eligible = np.ones(n, dtype=bool) if eligible is None else eligible
    sources = [c.source for c in candidates]
    have = {sources[i] for i in picks}
    if len(set(sources)) < 2 or len(have) > 1 or not picks:
        return picks
    others = [i for i in range(n) if sources[i] not in have and eligible[i]]
    if not others:
        return picks

    def repeats(i: int, j: int) -> bool:
        return float(vectors[i] @ vectors[j]) >= params.max_similarity or bool(same[i, j])

    # the other source's best sentence that does not retell the top pick, when it has one;
    # else its best, a retelling kept beside the top pick
    adding = [i for i in others if not repeats(i, picks[0])]
    best = max(adding or others, key=lambda i: relevance[i])
    # the top pick (the first reporter's, when it has one) stays; of the rest, what the new
    # sentence repeats goes, then the least relevant if the summary is still full
    rest = sorted((i for i in picks[1:] if not repeats(i, best)), key=lambda i: -relevance[i])
    return [*[picks[0], *rest][: params.sentences - 1], best]
