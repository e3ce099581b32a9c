"""BERTopic beside dastan on each dev set, over the very same article vectors."""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH_PYTHON = ROOT / ".bench-venv" / "bin" / "python"


def run_side_by_side(tmp: Path) -> dict[str, Any]:
    from benchmarks.eval import dev_sets
    from clustering.embed import encoder_id
    from clustering.metrics import score_partition
    from flows import stages
    from flows.evaluate import read_gold
    from flows.settings import load_settings
    from flows.window import article_vector, embedded_sentences
    from ingest.models import content_hash
    from storage import Database
    from storage.articles import load_articles
    from storage.embeddings import cached_vectors
    from storage.queries import list_stories

    if not BENCH_PYTHON.exists():
        return {"skipped": "no .bench-venv: `make bench` creates it from benchmarks/bertopic-requirements.txt"}
    out: dict[str, Any] = {}
    labelled = dev_sets()
    if not labelled:
        return {"skipped": "no dev sets: ../shared/eval is not there (see \"data\")"}
    for name, items, gold_path in labelled:
        db = Database(str(tmp / f"bertopic-{name}.duckdb"))
        settings = replace(load_settings(), db=db.path)
        stages.ingest_paths(db, [items], settings, "bench")
        model = encoder_id(settings.embed)
        pending = stages.pending_texts(db, model, settings)
        for batch in stages.batched(pending, 1024):
            stages.store_vectors(db, [h for h, _ in batch], stages.embed_texts([t for _, t in batch], settings.embed),
                                 model)
        start = time.perf_counter()
        result, window_ids = stages.compute_window(db, model, settings)
        dastan_seconds = time.perf_counter() - start
        stages.store_window(db, result, window_ids, "bench", settings)
        with db.connect(read_only=True) as con:
            predicted = {a: s["story_id"] for s in list_stories(con) for a in s["articles"]}
            articles = load_articles(con)
            hashes = [content_hash(s.text) for a in articles for s in embedded_sentences(a, settings.summary)]
            vectors = cached_vectors(con, hashes, model)
        matrix = np.stack([article_vector(a, vectors, settings.cluster.lead_sentences) for a in articles])
        npz = tmp / f"{name}.npz"
        np.savez(npz, docs=np.array([a.title for a in articles]), vectors=matrix)
        got = tmp / f"{name}.bertopic.json"
        subprocess.run([str(BENCH_PYTHON), str(ROOT / "benchmarks" / "bertopic_run.py"), str(npz), str(got)],
                       check=True, capture_output=True, timeout=1800)
        import json

        bt = json.loads(got.read_text())
        gold = read_gold(gold_path)
        bt_pred = {a.display_id: str(lab) for a, lab in zip(articles, bt["labels"], strict=True)}
        out[name] = {
            "bertopic": {**score_partition(bt_pred, gold).as_dict(), "seconds": bt["seconds"]},
            "dastan": {**score_partition(predicted, gold).as_dict(), "seconds": round(dastan_seconds, 2)},
        }
        print(f"  {name}: BERTopic B3-F1 {out[name]['bertopic']['bcubed_f1']}, "
              f"dastan {out[name]['dastan']['bcubed_f1']}", flush=True)
    return out
