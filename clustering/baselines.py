"""Reference clusterings computed on the same vectors, to show dastan beside them.

HDBSCAN over e5 vectors is the density-based reference the design measured (DESIGN.md:
B-cubed F1 0.80 on Persian headlines); its noise points are one-report stories here, as
in dastan, so every article is in exactly one story in both.
"""

from __future__ import annotations

import numpy as np


def hdbscan_labels(vectors: np.ndarray, min_cluster_size: int = 2) -> np.ndarray:
    """HDBSCAN clusters of unit vectors (Euclidean on the unit sphere orders like cosine)."""
    import hdbscan

    n = len(vectors)
    if n < 3:
        return np.arange(n)
    labels = hdbscan.HDBSCAN(min_cluster_size=min_cluster_size, metric="euclidean").fit_predict(
        vectors.astype(np.float64)
    )
    out = labels.copy()
    next_label = labels.max() + 1
    for i in np.flatnonzero(labels < 0):  # noise: each a one-report story
        out[i] = next_label
        next_label += 1
    return out


def singleton_labels(n: int) -> np.ndarray:
    """Every article alone: the floor that B-cubed F1 flatters on sparse sets."""
    return np.arange(n)
