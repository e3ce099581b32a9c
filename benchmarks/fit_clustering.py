"""Fit the same-story pair model on the dev sets, and say how much of it is overfit.

Reads every NAME.items.jsonl / NAME.gold.jsonl pair in ../shared/eval at run time (never
copied), ingests and embeds each like ``make eval`` does, builds the candidate pairs and
their features with the pipeline's own code, labels each pair from the gold file, and
fits a logistic regression. It prints:

- the weights as Python, to paste into clustering/same_story.py;
- pair-F1 and B-cubed F1 per set over a grid of thresholds, fitted on every set (in-sample);
- leave-one-set-out: fitted, and its threshold chosen, on the other sets, scored on the one
  left out (what ``make eval`` prints too);
- with ``--ablation``: each feature left out, refitted, scored at the default threshold;
- with ``--mix-sources K``: stream2026_dev with each report's outlet drawn at random from K
  (seeded): a stress test for a stream of several agencies. stream2026_dev is one wire (IRNA),
  so every candidate pair in it is of one outlet, whose house style the model discounts
  (same_source_dense); mixed, the same reports are judged as other outlets' would be. Drawn
  at random, other events' reports keep one outlet's style, so this errs on the hard side.

The place, speaker, next-day and reaction vetoes are set, not fitted (clustering.same_story.VETOES);
the reaction vetoes stay out of the regression (same_story.OUTSIDE_FIT). Run:
``python -m benchmarks.fit_clustering [--cache /tmp/dastan-fit] [--ablation] [--mix-sources 3]``.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import tempfile
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.eval import dev_sets, sample_set
from benchmarks.eval_data import EvalDataMissing, add_argument, eval_data, pass_on
from clustering.cluster import ClusterParams, PairTable, cannot_link, link, pair_table, same_story_probability
from clustering.metrics import score_partition
from clustering.pairs import FEATURES
from clustering.same_story import OUTSIDE_FIT, SAME_STORY, VETOES, PairModel

THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7)
# Every labelled set is fitted on and left out in turn (issue 12: leave-one-set-out over all).
FIT_SETS = ("sample", "rss2020_dev", "stance_dev", "stream2026_dev")


@dataclass
class LabelledSet:
    """One set's articles as clustering sees them, and the gold event of each."""

    name: str
    ids: list[str]
    table: PairTable
    same: np.ndarray  # per candidate pair: gold says one event
    gold: dict[str, str]


def _load_articles(items: Path, cache: Path | None, name: str) -> tuple[list[Any], dict[str, np.ndarray]]:
    """Ingest and embed ``items`` like the pipeline; return stored articles and sentence vectors."""
    if cache is not None and (cache / f"{name}.pkl").exists():
        with open(cache / f"{name}.pkl", "rb") as fh:
            return pickle.load(fh)
    from clustering.embed import encoder_id
    from flows import stages
    from flows.settings import load_settings
    from flows.window import embedded_sentences
    from ingest.models import content_hash
    from storage import Database
    from storage.articles import load_articles, window_article_ids
    from storage.embeddings import cached_vectors

    with tempfile.TemporaryDirectory(prefix="dastan-fit-") as tmp:
        settings = replace(load_settings(), db=str(Path(tmp) / "fit.duckdb"))
        db = Database(settings.db)
        stages.ingest_paths(db, [items], settings, uuid.uuid4().hex[:12])
        model_id = encoder_id(settings.embed)
        for batch in stages.batched(stages.pending_texts(db, model_id, settings), 1024):
            stages.store_vectors(db, [h for h, _ in batch], stages.embed_texts([t for _, t in batch], settings.embed),
                                 model_id)
        with db.connect(read_only=True) as con:
            articles = load_articles(con, window_article_ids(con))
            hashes = [content_hash(s.text) for a in articles for s in embedded_sentences(a, settings.summary)]
            vectors = cached_vectors(con, hashes, model_id)
    articles = [a for a in articles if any(content_hash(s.text) in vectors for s in a.sentences)]
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        with open(cache / f"{name}.pkl", "wb") as fh:
            pickle.dump((articles, vectors), fh)
    return articles, vectors


def load_set(name: str, items: Path, gold_path: Path, params: ClusterParams, cache: Path | None,
             mix_sources: int = 0) -> LabelledSet:
    """One labelled set as clustering sees it; ``mix_sources`` > 0 draws each report's outlet at
    random (seed 0) from that many (see the module's ``--mix-sources``)."""
    from flows.evaluate import read_gold
    from flows.window import article_vector, article_view

    articles, vectors = _load_articles(items, cache, name)
    if mix_sources:
        draw = random.Random(0)
        articles = [replace(a, source=f"outlet-{draw.randrange(mix_sources)}") for a in articles]
    views = [article_view(a, params.lead_sentences) for a in articles]
    matrix = np.stack([article_vector(a, vectors, params.lead_sentences) for a in articles])
    table = pair_table(views, matrix, params)
    gold = read_gold(gold_path)  # read only now: features never see it
    ids = [a.display_id for a in articles]
    events = [gold.get(i) for i in ids]
    same = np.array([events[a] is not None and events[a] == events[b] for a, b in table.pairs.tolist()], bool)
    return LabelledSet(name, ids, table, same, gold)


def fit(sets: list[LabelledSet], drop: tuple[str, ...] = (), c: float = 1.0) -> PairModel:
    """Logistic regression on standardized features, each set weighing the same; raw-scale weights."""
    from sklearn.linear_model import LogisticRegression

    keep = np.array([f not in drop and f not in OUTSIDE_FIT for f in FEATURES])
    x = np.concatenate([s.table.features for s in sets])[:, keep].astype(np.float64)
    y = np.concatenate([s.same for s in sets])
    w = np.concatenate([np.full(len(s.same), 1.0 / len(s.same)) for s in sets]) * len(y) / len(sets)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    lr = LogisticRegression(C=c, max_iter=10000).fit((x - mean) / std, y, sample_weight=w)
    coef = lr.coef_[0] / std
    weights = np.zeros(len(FEATURES))
    weights[keep] = coef
    bias = float(lr.intercept_[0] - (coef * mean).sum())
    for name, value in VETOES.items():
        if name in FEATURES and name not in drop:
            weights[FEATURES.index(name)] = value
    return PairModel(tuple(round(float(v), 4) for v in weights), round(bias, 4))


def score(s: LabelledSet, model: PairModel, params: ClusterParams) -> dict[str, float]:
    prob = same_story_probability(s.table, params, model)
    labels = link(s.table.pairs, prob, len(s.ids), params.threshold, cannot_link(s.table, model),
                  params.pair_threshold)
    sc = score_partition({i: str(lab) for i, lab in zip(s.ids, labels.tolist(), strict=True)}, s.gold)
    return {"pair_f1": sc.pair_f1, "bcubed_f1": sc.bcubed_f1, "pair_p": sc.pair_precision, "pair_r": sc.pair_recall}


def grid(sets: list[LabelledSet], model: PairModel, params: ClusterParams, label: str) -> list[str]:
    lines = [f"{label}: pair-F1 / B-cubed F1 by threshold"]
    lines.append(f"  {'thr':>5} " + " ".join(f"{s.name:>20}" for s in sets))
    for t in THRESHOLDS:
        cells = [score(s, model, replace(params, threshold=t)) for s in sets]
        lines.append(f"  {t:>5.2f} " + " ".join(f"{c['pair_f1']:>10.3f} {c['bcubed_f1']:>9.3f}" for c in cells))
    return lines


def loso(sets: list[LabelledSet], params: ClusterParams, c: float) -> dict[str, dict[str, float]]:
    """Leave one set out: fit on the others, choose the threshold on them, score the one left out."""
    out = {}
    for held in sets:
        others = [s for s in sets if s is not held]
        model = fit(others, c=c)
        best = max(THRESHOLDS, key=lambda t: float(np.mean([score(o, model, replace(params, threshold=t))["pair_f1"]
                                                             for o in others])))
        out[held.name] = {"threshold": best, **score(held, model, replace(params, threshold=best))}
    return out


def leave_one_set_out(cache: Path | None = None, c: float = 1.0) -> dict[str, dict[str, float]]:
    """Every labelled set ingested like ``make eval`` and scored by :func:`loso`."""
    params = ClusterParams()
    with tempfile.TemporaryDirectory() as tmp:
        named = [("sample", *sample_set(Path(tmp))), *dev_sets()]
        sets = [load_set(n, i, g, params, cache) for n, i, g in named if n in FIT_SETS]
    return loso(sets, params, c)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fit_clustering", description=__doc__)
    parser.add_argument("--cache", type=Path, help="keep ingested sets here between runs (outside the repo)")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 strength of the logistic regression")
    parser.add_argument("--ablation", action="store_true", help="refit without each feature in turn")
    parser.add_argument("--mix-sources", type=int, default=0, metavar="K",
                        help="also score stream2026_dev with its reports' outlets drawn at random from K")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    add_argument(parser)
    args = parser.parse_args(argv)
    try:
        data = eval_data(args.eval_dir)
    except EvalDataMissing as err:
        print(f"benchmarks.fit_clustering: {err}", file=sys.stderr)
        return 1
    pass_on(data)
    params = ClusterParams()
    with tempfile.TemporaryDirectory() as tmp:
        named = [("sample", *sample_set(Path(tmp))), *dev_sets(data)]
        sets = [load_set(n, i, g, params, args.cache) for n, i, g in named if n in FIT_SETS]
        mixed = [load_set(n, i, g, params, args.cache, mix_sources=args.mix_sources)
                 for n, i, g in named if n == "stream2026_dev" and args.mix_sources > 0]
    out: dict[str, Any] = {"data": data.as_dict()}
    model = fit(sets, c=args.c)
    print("# fitted on", ", ".join(s.name for s in sets), f"(C={args.c}; vetoes set, not fitted)")
    print("SAME_STORY = PairModel(\n    weights=(")
    for f, wgt in zip(FEATURES, model.weights, strict=True):
        print(f"        {wgt},  # {f}")
    print(f"    ),\n    bias={model.bias},\n)")
    print()
    for line in grid(sets, model, params, "in-sample (fitted on every set)"):
        print(line)
    print()
    for line in grid(sets, SAME_STORY, params, "the model in clustering/same_story.py"):
        print(line)
    out["in_sample"] = {s.name: score(s, model, params) for s in sets}
    out["shipped"] = {s.name: score(s, SAME_STORY, params) for s in sets}
    out["leave_one_set_out"] = loso(sets, params, args.c)
    print()
    print("leave-one-set-out (fitted and thresholded on the others): pair-F1 / B-cubed F1")
    for name, r in out["leave_one_set_out"].items():
        print(f"  {name:<16} at {r['threshold']:.2f}: {r['pair_f1']:.3f} / {r['bcubed_f1']:.3f}")
    for s in mixed:
        print()
        print(f"{s.name} with its outlets drawn from {args.mix_sources}: pair-F1 / B-cubed F1 (every report alone "
              f"{score_partition({i: i for i in s.ids}, s.gold).bcubed_f1:.3f})")
        held = out["leave_one_set_out"][s.name]
        left_out = fit([o for o in sets if o.name != s.name], c=args.c)
        out["mixed_sources"] = {"outlets": args.mix_sources, "shipped": score(s, SAME_STORY, params),
                                "left_out": score(s, left_out, replace(params, threshold=held["threshold"]))}
        for label, r in (("shipped model", out["mixed_sources"]["shipped"]),
                         (f"fitted without it, at {held['threshold']:.2f}", out["mixed_sources"]["left_out"])):
            print(f"  {label:<28} {r['pair_f1']:.3f} / {r['bcubed_f1']:.3f}")
    if args.ablation:
        print()
        print(f"ablation at threshold {params.threshold}: pair-F1 / B-cubed F1, refitted without the feature")
        print(f"  {'left out':<18} " + " ".join(f"{s.name:>20}" for s in sets))
        out["ablation"] = {}
        for drop in ("(none)", *FEATURES):
            m = fit(sets, drop=() if drop == "(none)" else (drop,), c=args.c)
            cells = [score(s, m, params) for s in sets]
            out["ablation"][drop] = {s.name: c for s, c in zip(sets, cells, strict=True)}
            print(f"  {drop:<18} " + " ".join(f"{c['pair_f1']:>10.3f} {c['bcubed_f1']:>9.3f}" for c in cells))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
