"""Average-link agglomeration over a sparse similarity graph.

Classic average-link needs the dense n x n matrix; news windows of tens of thousands of
articles make that gigabytes. Here only candidate pairs carry a similarity (a missing
pair counts as 0), clusters merge best-average-first while the average clears the
threshold, and cost follows the number of edges. On a complete graph it equals
scipy's ``linkage(method="average")`` cut at the same threshold.
"""

from __future__ import annotations

import heapq

import numpy as np
import scipy.sparse as sp


def average_link(graph: sp.spmatrix, n: int, threshold: float,
                 cannot: np.ndarray | None = None, pair_threshold: float | None = None) -> np.ndarray:
    """Cluster labels (0..k-1, by first member) for ``n`` nodes of a symmetric graph.

    Two clusters merge when the sum of their pairwise similarities divided by the product
    of their sizes is at least ``threshold``; ties break by node order (deterministic).
    Two single nodes merge only at ``pair_threshold`` (default ``threshold``): a cluster's
    first link rests on one similarity alone, a later one on the average over its members.
    ``cannot`` ((m, 2) node pairs) are cannot-link constraints: two clusters holding such a
    pair never merge, however close the rest of them are. An average would otherwise let
    two reports known to be different (rallies in two cities) meet through a third that
    resembles both (Wagstaff et al. 2001, constrained clustering).
    """
    coo = sp.triu(sp.coo_matrix(graph), k=1).tocoo()
    # sums[a][b]: total similarity between clusters a and b (keys are cluster roots)
    sums: list[dict[int, float]] = [dict() for _ in range(n)]
    for i, j, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True):
        if i == j or w <= 0:
            continue
        sums[i][j] = sums[i].get(j, 0.0) + w
        sums[j][i] = sums[j].get(i, 0.0) + w
    size = [1] * n
    alive = [True] * n
    version = [0] * n
    heap: list[tuple[float, int, int, int, int]] = []

    first = threshold if pair_threshold is None else pair_threshold

    def push(a: int, b: int) -> None:
        lo, hi = min(a, b), max(a, b)
        avg = sums[lo][hi] / (size[lo] * size[hi])
        if avg >= (first if size[lo] == 1 and size[hi] == 1 else threshold):
            heapq.heappush(heap, (-avg, lo, hi, version[lo], version[hi]))

    for a in range(n):
        for b in sums[a]:
            if a < b:
                push(a, b)
    apart: list[set[int]] = [set() for _ in range(n)]  # roots this root may never join
    for x, y in (cannot.tolist() if cannot is not None else []):
        if x != y:
            apart[x].add(y)
            apart[y].add(x)
    parent = list(range(n))
    while heap:
        _neg, a, b, va, vb = heapq.heappop(heap)
        if not (alive[a] and alive[b]) or version[a] != va or version[b] != vb or b in apart[a]:
            continue
        # merge b into a (a < b: the surviving root is the lower index, which is stable)
        alive[b] = False
        parent[b] = a
        size[a] += size[b]
        version[a] += 1
        for c, w in sums[b].items():
            if c == a:
                continue
            sums[a][c] = sums[a].get(c, 0.0) + w
            sums[c][a] = sums[c].get(a, 0.0) + w
            del sums[c][b]
        sums[a].pop(b, None)
        sums[b] = {}
        for c in apart[b]:
            apart[c].discard(b)
            apart[c].add(a)
            apart[a].add(c)
        apart[b] = set()
        for c in sums[a]:
            push(a, c)

    return labels_of(parent)


def labels_of(parent: list[int]) -> np.ndarray:
    """Cluster labels (0..k-1, numbered by first member) from a union-find parent list."""

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    labels = np.empty(len(parent), dtype=np.int64)
    seen: dict[int, int] = {}
    for i in range(len(parent)):
        labels[i] = seen.setdefault(root(i), len(seen))
    return labels
