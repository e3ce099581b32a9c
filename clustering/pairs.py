"""Candidate pairs and their features: the evidence a same-story decision reads.

Only candidate pairs are scored (each article's nearest neighbours by dense and by lexical
cosine, found blockwise), so the cost follows the window times ``k``, never its square.
Each pair gets a row of features; most are relative to the neighbourhood, because similar
topics crowd together: a cosine of 0.9 means little in a cluster of COVID tallies and a
lot for a lone report (the hubness correction of Conneau et al. 2018, "CSLS").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

FEATURES: tuple[str, ...] = (
    "dense",  # e5 cosine
    "lexical",  # TF-IDF cosine of lemmas (title counted twice)
    "chars",  # TF-IDF cosine of character 3-5-grams of title and lead (spelling variants)
    "dense_hub",  # dense cosine minus the mean of both ends' k-NN cosines (CSLS)
    "lexical_hub",  # the same for the lexical view
    "rank",  # 1 / (1 + best rank of each end among the other's neighbours), both views
    "mutual",  # 1 when each is the other's nearest neighbour in some view
    "rare",  # largest idf of a shared lemma, over the largest idf possible
    "numbers_shared",  # numbers both mention
    "numbers_conflict",  # numbers only one mentions, when both mention some
    "same_source",  # both from one outlet (1), unknown sources count 0
)


@dataclass(frozen=True)
class Neighbours:
    """Each row's ``k`` nearest neighbours in one view, best first, with their scores."""

    index: np.ndarray  # (n, k) int64, -1 where a row has fewer than k others
    score: np.ndarray  # (n, k) float32, -inf where index is -1


def _top_k(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-k (index, score), best first; ties break by column (deterministic)."""
    k = min(k, scores.shape[1])
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(vals, order, axis=1)


def nearest_neighbours(
    vectors: np.ndarray, lexical: sp.csr_matrix, k: int, block: int = 1024
) -> tuple[Neighbours, Neighbours]:
    """The k nearest neighbours of every row by dense and by lexical cosine, blockwise."""
    n = vectors.shape[0]
    kk = max(0, min(k, n - 1))
    views = [(np.full((n, kk), -1, np.int64), np.full((n, kk), -np.inf, np.float32)) for _ in range(2)]
    lexical_t = lexical.T.tocsc()
    for start in range(0, n, block):
        stop = min(start + block, n)
        dense = vectors[start:stop] @ vectors.T
        lex = (lexical[start:stop] @ lexical_t).toarray()
        rows = np.arange(stop - start)
        for (index, score), block_scores in zip(views, (dense, lex), strict=True):
            block_scores[rows, rows + start] = -np.inf
            if kk:
                idx, val = _top_k(block_scores, kk)
                index[start:stop], score[start:stop] = idx, val
    return tuple(Neighbours(i, s) for i, s in views)  # type: ignore[return-value]


def candidate_pairs(views: Sequence[Neighbours]) -> np.ndarray:
    """Unique (i, j), i < j, that are among each other's neighbours in any view."""
    found = []
    for nb in views:
        rows = np.repeat(np.arange(nb.index.shape[0]), nb.index.shape[1])
        cols = nb.index.ravel()
        ok = (cols >= 0) & np.isfinite(nb.score.ravel()) & (nb.score.ravel() > 0)
        found.append(np.stack([rows[ok], cols[ok]], axis=1))
    if not found or sum(len(f) for f in found) == 0:
        return np.empty((0, 2), np.int64)
    pairs = np.concatenate(found)
    pairs = np.stack([pairs.min(axis=1), pairs.max(axis=1)], axis=1)
    return np.unique(pairs[pairs[:, 0] != pairs[:, 1]], axis=0)


def _rank_of(nb: Neighbours, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Position (0 = nearest) of j among i's neighbours; k when it is not among them."""
    n, k = nb.index.shape
    keys = np.arange(n)[:, None] * n + nb.index
    keys = np.where(nb.index >= 0, keys, -1).ravel()
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    wanted = i * n + j
    pos = np.searchsorted(sorted_keys, wanted)
    pos = np.clip(pos, 0, len(sorted_keys) - 1)
    hit = sorted_keys[pos] == wanted
    rank = np.full(len(i), k, np.int64)
    rank[hit] = order[pos[hit]] % k
    return rank


def _rowwise_dot(a: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.asarray(a[i].multiply(a[j]).sum(axis=1), dtype=np.float32).ravel()


def _hub(nb: Neighbours) -> np.ndarray:
    """Mean similarity of each row to its neighbours: how crowded its neighbourhood is."""
    s = np.where(np.isfinite(nb.score), nb.score, 0.0)
    return (s.sum(axis=1) / max(1, nb.score.shape[1])).astype(np.float32)


def _is_number(token: str) -> bool:
    return token.isdigit()


def number_sets(docs: Sequence[Sequence[str]]) -> list[frozenset[str]]:
    """The numbers each document mentions (digit tokens; single digits are too common to tell)."""
    return [frozenset(t for t in d if _is_number(t) and len(t) > 1) for d in docs]


def pair_features(
    pairs: np.ndarray,
    vectors: np.ndarray,
    lexical: sp.csr_matrix,
    chars: sp.csr_matrix,
    neighbours: tuple[Neighbours, Neighbours],
    docs: Sequence[Sequence[str]],
    sources: Sequence[str | None],
) -> np.ndarray:
    """(n_pairs, len(FEATURES)) float32 features of the candidate pairs, in FEATURES order."""
    i, j = pairs[:, 0], pairs[:, 1]
    out = np.zeros((len(pairs), len(FEATURES)), np.float32)
    if len(pairs) == 0:
        return out
    dense_nb, lex_nb = neighbours
    dense = np.einsum("ij,ij->i", vectors[i], vectors[j]).astype(np.float32)
    lex = _rowwise_dot(lexical, i, j)
    hub_d, hub_l = _hub(dense_nb), _hub(lex_nb)
    k = max(1, dense_nb.index.shape[1])
    rank = np.minimum.reduce([_rank_of(dense_nb, i, j), _rank_of(dense_nb, j, i),
                              _rank_of(lex_nb, i, j), _rank_of(lex_nb, j, i)])
    mutual = np.zeros(len(pairs), bool)
    for nb in neighbours:
        mutual |= (_rank_of(nb, i, j) == 0) & (_rank_of(nb, j, i) == 0)
    idf = _idf(lexical, docs)
    rare = _rare_shared(docs, idf, i, j)
    numbers = number_sets(docs)
    shared = np.array([len(numbers[a] & numbers[b]) for a, b in zip(i, j, strict=True)], np.float32)
    conflict = np.array([len(numbers[a] ^ numbers[b]) if numbers[a] and numbers[b] else 0
                         for a, b in zip(i, j, strict=True)], np.float32)
    same = np.array([bool(sources[a]) and sources[a] == sources[b] for a, b in zip(i, j, strict=True)], np.float32)
    columns = {
        "dense": dense,
        "lexical": lex,
        "chars": _rowwise_dot(chars, i, j),
        "dense_hub": dense - (hub_d[i] + hub_d[j]) / 2,
        "lexical_hub": lex - (hub_l[i] + hub_l[j]) / 2,
        "rank": 1.0 / (1.0 + rank) * (rank < k),
        "mutual": mutual.astype(np.float32),
        "rare": rare,
        "numbers_shared": np.log1p(shared),
        "numbers_conflict": np.log1p(conflict),
        "same_source": same,
    }
    for c, name in enumerate(FEATURES):
        out[:, c] = columns[name]
    return out


def _idf(lexical: sp.csr_matrix, docs: Sequence[Sequence[str]]) -> dict[str, float]:
    """Normalized idf of each lemma: log(n / df) / log(n), 1 for a lemma in one document."""
    n = len(docs)
    df: dict[str, int] = {}
    for d in docs:
        for t in set(d):
            df[t] = df.get(t, 0) + 1
    scale = np.log(max(n, 2))
    return {t: float(np.log(n / c) / scale) for t, c in df.items()}


def _rare_shared(docs: Sequence[Sequence[str]], idf: dict[str, float], i: np.ndarray, j: np.ndarray) -> np.ndarray:
    sets = [set(d) for d in docs]
    out = np.zeros(len(i), np.float32)
    for p, (a, b) in enumerate(zip(i.tolist(), j.tolist(), strict=True)):
        common = sets[a] & sets[b]
        if common:
            out[p] = max(idf[t] for t in common)
    return out
