"""Threads against storyline labels: dastan's linking beside a tuned average link and every story alone.

Sets: ``stream2026_dev`` and ``rss2020_dev`` from ../shared/eval (their ``storyline`` is the
gold thread; read in place, never copied; ``--eval-dir DIR`` names another folder) and the
sample corpus (its ``thread`` labels). Without ../shared/eval it scores the sample corpus
alone and says so (stderr, and "data" in the JSON).
Each set is scored on two story inputs: the gold events as stories, which isolates the
thread decision, and dastan's own stories (:func:`flows.window.compute_stories`, the
pipeline's function). An article's thread is its story's thread; a story without a
thread is its own.

Threads are fitted leave-one-set-out: dastan's lexical weight and threshold, and the
average-link baseline's threshold, are chosen on one dev set and the sample corpus (the mean
of their thread B-cubed F1) and scored on the other dev set; the baseline is also tuned on
each set alone (its best in-sample figure), and dastan's defaults are scored beside all.
HDBSCAN (DESIGN.md's candidate for topic-like groups) is measured beside, on the same joint
cosine and on the centred e5 view alone, with excess-of-mass and leaf selection. Run:
``python -m benchmarks.eval_threads`` (``--work DIR`` keeps each set's database, so a
second run skips ingestion and embedding).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.eval_data import EvalData, EvalDataMissing, add_argument, eval_data

ROOT = Path(__file__).resolve().parent.parent
DEV_SETS = ("stream2026_dev", "rss2020_dev")
# Baseline thresholds swept (cosine of e5 story centres): unrelated Persian news sits near
# 0.75-0.8 (ClusterParams.dense_floor), one event near 0.9+.
BASELINE_GRID = tuple(round(0.78 + 0.005 * k, 3) for k in range(37))
# dastan's two fitted numbers, swept around the defaults (clustering.threads.ThreadParams).
WEIGHT_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
THRESHOLD_GRID = tuple(round(0.26 + 0.01 * k, 2) for k in range(15))
# HDBSCAN settings measured: (view, cluster selection, min_samples); min_cluster_size 2.
HDBSCAN_GRID = (("joint", "eom", None), ("joint", "eom", 1), ("joint", "leaf", None), ("joint", "leaf", 1),
                ("e5", "eom", None), ("e5", "leaf", None))
INPUTS = ("gold events", "dastan stories")

Labels = dict[str, str]  # article (display id) -> cluster name


@dataclass(frozen=True)
class ThreadSet:
    """One labelled set as thread linking sees it: articles, their vectors, gold and dastan's stories."""

    name: str
    articles: list[Any]  # StoredArticle, earliest first
    vectors: dict[str, np.ndarray]  # article id -> article vector
    events: Labels  # display id -> gold event
    storylines: Labels  # display id -> gold thread
    dastan: Labels  # display id -> dastan's story


def _gold(path: Path, thread_key: str) -> tuple[Labels, Labels]:
    events: Labels = {}
    threads: Labels = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            events[str(row["id"])] = str(row["event"])
            threads[str(row["id"])] = str(row[thread_key])
    return events, threads


def sets(data: EvalData | None = None) -> list[tuple[str, Path, Path, str]]:
    """(name, items, gold, thread key) of every set with thread labels: the samples, and the
    dev sets that are there (``data``: default, what benchmarks.eval_data finds)."""
    data = data or eval_data(say=False)
    out = [("sample", ROOT / "data" / "samples", ROOT / "data" / "sample_labels.jsonl", "thread")]
    for name, items, gold in data.labelled():
        if name in DEV_SETS:
            out.append((name, items, gold, "storyline"))
    return out


def load_set(name: str, items: Path, gold: Path, thread_key: str, settings: Any, work: Path) -> ThreadSet:
    """Ingest and embed ``items`` into ``work/NAME.duckdb`` (reused when there), then cluster stories."""
    from clustering.embed import encoder_id
    from flows import stages
    from flows.window import compute_stories, embedded_sentences
    from ingest.models import content_hash
    from storage import Database
    from storage.articles import load_articles
    from storage.embeddings import cached_vectors

    db_path = work / f"{name}.duckdb"
    settings = replace(settings, db=str(db_path))
    db = Database(str(db_path))
    if not db_path.exists():
        stages.run_stages(db, [items], settings, kind="evaluate")
    with db.connect(read_only=True) as con:
        articles = load_articles(con)
        hashes = [content_hash(s.text) for a in articles for s in embedded_sentences(a, settings.summary)]
        sentence_vectors = cached_vectors(con, hashes, encoder_id(settings.embed))
    articles = [a for a in articles if any(content_hash(s.text) in sentence_vectors for s in a.sentences)]
    stories, article_vectors = compute_stories(articles, sentence_vectors, settings.cluster, {}, set())
    display = {a.article_id: a.display_id for a in articles}
    dastan = {display[aid]: s.story_id for s in stories for aid in s.article_ids}
    events, storylines = _gold(gold, thread_key)  # read only now, after clustering
    return ThreadSet(name, articles, article_vectors, events, storylines, dastan)


def story_groups(data: ThreadSet, stories: Labels) -> list[Any]:
    """Story records (clustering.stories.Story) of the articles grouped by ``stories``; unlabelled alone."""
    from clustering.stories import Member, make_story

    groups: dict[str, list[Any]] = {}
    for a in data.articles:
        key = stories.get(a.display_id, f"alone:{a.display_id}")
        groups.setdefault(key, []).append(Member(a.article_id, a.source, a.published_at, a.duplicate_of))
    out = [make_story(f"s{k:05d}", members) for k, members in enumerate(groups.values())]
    return sorted(out, key=lambda s: (s.first_published is None, s.first_published or 0, s.story_id))


def story_centres(data: ThreadSet, stories: Sequence[Any]) -> np.ndarray:
    """Unit mean of each story's article vectors, float32 (the vectors thread linking gets)."""
    rows = []
    for s in stories:
        c = np.mean([data.vectors[a] for a in s.article_ids], axis=0)
        rows.append(c / (np.linalg.norm(c) or 1.0))
    return np.asarray(rows, dtype=np.float32)


def article_threads(data: ThreadSet, stories: Sequence[Any], threads: Mapping[str, str | None]) -> Labels:
    """Each article's thread: its story's, or the story itself when it has none."""
    display = {a.article_id: a.display_id for a in data.articles}
    return {display[a]: (threads.get(s.story_id) or s.story_id) for s in stories for a in s.article_ids}


def dastan_threads(data: ThreadSet, stories: Sequence[Any], params: Any) -> Labels:
    """Threads as the pipeline links them (:func:`flows.window.compute_threads`)."""
    from flows.window import compute_threads

    by_id = {a.article_id: a for a in data.articles}
    threads = compute_threads(stories, data.vectors, by_id, params, {}, set())
    return article_threads(data, stories, threads)


def baseline_threads(data: ThreadSet, stories: Sequence[Any], threshold: float) -> Labels:
    """Average link over the full cosine matrix of the story centres, cut at ``threshold``."""
    import scipy.sparse as sp

    from clustering.linkage import average_link

    centres = story_centres(data, stories)
    sim = np.clip(centres @ centres.T, 0.0, None)
    np.fill_diagonal(sim, 0.0)
    labels = average_link(sp.coo_matrix(sim), len(stories), threshold)
    names = {int(lab): s.story_id for lab, s in zip(labels, stories, strict=True)}
    return article_threads(data, stories, {s.story_id: names[int(lab)] for lab, s in zip(labels, stories, strict=True)})


def alone_threads(data: ThreadSet, stories: Sequence[Any]) -> Labels:
    return article_threads(data, stories, {})


def hdbscan_threads(data: ThreadSet, stories: Sequence[Any], params: Any, view: str = "joint",
                    method: str = "eom", min_samples: int | None = None) -> Labels:
    """HDBSCAN (min_cluster_size 2) on dastan's joint cosine or its centred e5 view alone; noise stays alone."""
    import hdbscan

    from clustering.threads import StoryView, story_points

    by_id = {a.article_id: a for a in data.articles}
    views = [StoryView(s.story_id, tuple(lem for a in s.article_ids for sen in by_id[a].sentences[:3]
                                         for lem in sen.lemmas), s.first_published,
                       tuple(by_id[a].sentences[0].text for a in s.article_ids if by_id[a].sentences))
             for s in stories]
    dense, lexical = story_points(views, story_centres(data, stories), params)
    w = params.lexical_weight if view == "joint" else 0.0
    sim = (1 - w) * (dense @ dense.T) + w * (lexical @ lexical.T).toarray()
    distance = np.clip(1.0 - sim, 0.0, None).astype(np.float64)
    np.fill_diagonal(distance, 0.0)
    labels = hdbscan.HDBSCAN(min_cluster_size=2, min_samples=min_samples, metric="precomputed",
                             cluster_selection_method=method).fit_predict(distance)
    return article_threads(data, stories, {s.story_id: f"h{lab}" for s, lab in zip(stories, labels, strict=True)
                                           if lab >= 0})


def _score(predicted: Labels, gold: Labels) -> dict[str, float | int]:
    from clustering.metrics import score_partition

    s = score_partition(predicted, gold).as_dict()
    keep = ("n_clusters", "n_gold", "bcubed_precision", "bcubed_recall", "bcubed_f1", "pair_precision",
            "pair_recall", "pair_f1")
    return {k: s[k] for k in keep}


Fit = Sequence[tuple[ThreadSet, Sequence[Any]]]  # the sets a setting is chosen on, with their stories


def _mean_f1(fit_on: Fit, threads: Any) -> float:
    return float(np.mean([_score(threads(data, stories), data.storylines)["bcubed_f1"] for data, stories in fit_on]))


def best_threshold(fit_on: Fit, grid: Sequence[float] = BASELINE_GRID) -> float:
    """The baseline threshold with the best mean thread B-cubed F1 on these sets (the lowest of ties)."""
    scores = [(_mean_f1(fit_on, lambda d, s, t=t: baseline_threads(d, s, t)), -t) for t in grid]
    return -max(scores)[1]


def best_params(fit_on: Fit, params: Any) -> Any:
    """dastan's lexical weight and threshold with the best mean thread B-cubed F1 on these sets."""
    best: tuple[float, Any] | None = None
    for w in WEIGHT_GRID:
        for t in THRESHOLD_GRID:
            candidate = replace(params, lexical_weight=w, threshold=t)
            f1 = _mean_f1(fit_on, lambda d, s, c=candidate: dastan_threads(d, s, c))
            if best is None or f1 > best[0]:
                best = (f1, candidate)
    assert best is not None
    return best[1]


def stories_of(data: ThreadSet, input_name: str) -> list[Any]:
    return story_groups(data, data.events if input_name == "gold events" else data.dastan)


def evaluate_set(data: ThreadSet, params: Any, tuned: Mapping[str, Mapping[str, float]],
                 fitted: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Scores of one set on both story inputs: dastan's threads, baselines, every story alone."""
    out: dict[str, Any] = {}
    for input_name in INPUTS:
        stories = stories_of(data, input_name)
        rows: dict[str, Any] = {
            f"dastan threads (defaults w={params.lexical_weight}, t={params.threshold})":
                _score(dastan_threads(data, stories, params), data.storylines)}
        for fitted_on, p in fitted.get(input_name, {}).items():
            label = "in-sample" if data.name in fitted_on.split(" + ") else "left-out"
            rows[f"dastan threads (w={p.lexical_weight}, t={p.threshold} fit on {fitted_on}, {label})"] = _score(
                dastan_threads(data, stories, p), data.storylines)
        for fitted_on, threshold in tuned.get(input_name, {}).items():
            label = "in-sample" if data.name in fitted_on.split(" + ") else "left-out"
            rows[f"average link, e5 (t={threshold} fit on {fitted_on}, {label})"] = _score(
                baseline_threads(data, stories, threshold), data.storylines)
        for view, method, min_samples in HDBSCAN_GRID:
            rows[f"HDBSCAN, {view}, {method}, min_samples {min_samples or 2}"] = _score(
                hdbscan_threads(data, stories, params, view, method, min_samples), data.storylines)
        rows["every story alone"] = _score(alone_threads(data, stories), data.storylines)
        out[input_name] = {"n_stories": len(stories), "methods": rows}
    return out


def table(results: Mapping[str, Any]) -> str:
    lines = [f"{'set':<15} {'stories':<15} {'method':<72} {'thr':>4} {'B3-P':>6} {'B3-R':>6} {'B3-F1':>6} "
             f"{'pairP':>6} {'pairR':>6} {'pairF1':>6}"]
    for name, by_input in results.items():
        for input_name, r in by_input.items():
            for method, s in r["methods"].items():
                lines.append(f"{name:<15} {input_name:<15} {method:<72} {s['n_clusters']:>4} "
                             f"{s['bcubed_precision']:>6.3f} {s['bcubed_recall']:>6.3f} {s['bcubed_f1']:>6.3f} "
                             f"{s['pair_precision']:>6.3f} {s['pair_recall']:>6.3f} {s['pair_f1']:>6.3f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from benchmarks.output import write_results
    from flows.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m benchmarks.eval_threads", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "eval_threads.json")
    parser.add_argument("--work", type=Path, help="keep each set's database here (reused when present)")
    parser.add_argument("--no-fit", dest="fit", action="store_false",
                        help="skip fitting dastan's weight and threshold per set (the slow part)")
    add_argument(parser)
    args = parser.parse_args(argv)
    try:
        data = eval_data(args.eval_dir)
        if data.asked_for:
            data.require(DEV_SETS)
    except EvalDataMissing as err:
        print(f"benchmarks.eval_threads: {err}", file=sys.stderr)
        return 1
    settings = load_settings()
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dastan-threads-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        loaded = {name: load_set(name, items, gold, key, settings, work) for name, items, gold, key in sets(data)}
    # Leave one set out: the baseline's threshold and dastan's weight and threshold are fitted
    # on each dev set and scored on both (the defaults are scored beside them).
    tuned: dict[str, dict[str, float]] = {}
    fitted: dict[str, dict[str, Any]] = {}
    for input_name in INPUTS:
        sample = (loaded["sample"], stories_of(loaded["sample"], input_name))
        for name in (n for n in DEV_SETS if n in loaded):  # the samples alone without ../shared/eval
            dev = (loaded[name], stories_of(loaded[name], input_name))
            tuned.setdefault(input_name, {})[name] = best_threshold([dev])
            tuned[input_name][f"{name} + sample"] = best_threshold([dev, sample])
            if args.fit:
                fitted.setdefault(input_name, {})[f"{name} + sample"] = best_params([dev, sample], settings.threads)
    results = {name: evaluate_set(data, settings.threads, tuned, fitted) for name, data in loaded.items()}
    meta = {"params": dict(vars(settings.threads)), "baseline_thresholds": tuned,
            "fitted": {i: {n: {"lexical_weight": p.lexical_weight, "threshold": p.threshold} for n, p in f.items()}
                       for i, f in fitted.items()},
            "seconds": round(time.perf_counter() - start, 1)}
    write_results(args.out, {"data": data.as_dict(), "results": results, **meta},
                  f"data: {data.used()}\n\n{table(results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
