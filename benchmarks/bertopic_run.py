"""Run BERTopic on precomputed vectors (executed by .bench-venv's Python, not dastan's).

    .bench-venv/bin/python benchmarks/bertopic_run.py IN.npz OUT.json

IN.npz holds `docs` (texts) and `vectors` (the article vectors dastan clusters). BERTopic
fits its default pipeline (UMAP to 5 dimensions, HDBSCAN with min_cluster_size 2, c-TF-IDF)
on them; outliers (-1) become one-item clusters, as in dastan. Seeded UMAP for repeatability.
"""

import json
import sys
import time

import numpy as np
from bertopic import BERTopic
from hdbscan import HDBSCAN
from umap import UMAP


def main() -> None:
    data = np.load(sys.argv[1], allow_pickle=False)
    docs = [str(d) for d in data["docs"]]
    vectors = data["vectors"]
    start = time.perf_counter()
    model = BERTopic(
        umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
        hdbscan_model=HDBSCAN(min_cluster_size=2, metric="euclidean", prediction_data=True),
        calculate_probabilities=False,
    )
    topics, _ = model.fit_transform(docs, embeddings=vectors)
    seconds = time.perf_counter() - start
    labels, nxt = [], max(topics) + 1
    for t in topics:
        if t < 0:
            labels.append(nxt)
            nxt += 1
        else:
            labels.append(t)
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump({"labels": [int(x) for x in labels], "seconds": round(seconds, 2)}, fh)


if __name__ == "__main__":
    main()
