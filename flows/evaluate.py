"""Score the pipeline against a labelled set: ingest, cluster with the default settings, compare.

The gold file is read only after clustering, by the scorer: nothing in the pipeline sees it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from clustering.metrics import Scores, score_partition
from flows import stages
from flows.settings import Settings
from storage import Database


class EvaluationError(Exception):
    """The items or gold file cannot be used for an evaluation."""


@dataclass(frozen=True)
class Evaluation:
    """Scores of one labelled set, with what was ingested and how long it took."""

    name: str
    scores: Scores
    counts: dict[str, Any]
    summary: dict[str, Any]
    baselines: dict[str, Scores]
    errors: dict[str, list[list[str]]] = field(default_factory=dict)  # see story_errors
    predicted: dict[str, str] = field(default_factory=dict)  # item id -> story id
    titles: dict[str, str] = field(default_factory=dict)  # item id -> title as ingested, to list errors

    def as_dict(self) -> dict[str, Any]:
        return {"set": self.name, **self.scores.as_dict(), "counts": self.counts, "summary": self.summary,
                "baselines": {k: v.as_dict() for k, v in self.baselines.items()}, "errors": self.errors}


def story_errors(predicted: dict[str, str], gold: dict[str, str]) -> dict[str, list[list[str]]]:
    """Where the stories and the gold events differ, largest first: item ids, sorted.

    ``merged``: each story that holds items of more than one gold event; ``split``: each gold
    event whose items are in more than one story. Items missing from either side are left out.
    """
    by_story: dict[str, list[str]] = {}
    by_event: dict[str, list[str]] = {}
    for item, story in predicted.items():
        if item in gold:
            by_story.setdefault(story, []).append(item)
            by_event.setdefault(gold[item], []).append(item)
    merged = [sorted(m) for m in by_story.values() if len({gold[i] for i in m}) > 1]
    split = [sorted(m) for m in by_event.values() if len({predicted[i] for i in m}) > 1]
    return {"merged": sorted(merged, key=lambda m: (-len(m), m)), "split": sorted(split, key=lambda m: (-len(m), m))}


def read_gold(path: Path) -> dict[str, str]:
    """Item id -> event label, from lines with ``id`` and ``event``."""
    gold: dict[str, str] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise EvaluationError(f"cannot read gold file {path}: {err}") from err
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            gold[str(row["id"])] = str(row["event"])
        except (ValueError, KeyError, TypeError) as err:
            raise EvaluationError(f"{path}:{n}: a gold line needs 'id' and 'event' ({err})") from err
    if not gold:
        raise EvaluationError(f"{path} has no labelled items")
    return gold


def cluster_file(items: Path, settings: Settings, db_path: Path) -> tuple[dict[str, str], dict[str, Any]]:
    """Run the pipeline's stages on one file into ``db_path``; return item -> story and counts."""
    from dataclasses import replace

    from storage.queries import list_stories

    settings = replace(settings, db=str(db_path))
    db = Database(str(db_path))
    counts = stages.run_stages(db, [items], settings, kind="evaluate")
    with db.connect(read_only=True) as con:
        stories = list_stories(con)
    repeated = _repeated([a for s in stories for a in s["articles"]])
    if repeated:
        # gold labels are by id: two items of one id would be scored as one (the eighth
        # newcomer's four records of two sources, ids 1 and 2 in each, scored as 2 items)
        raise EvaluationError(f"{items}: {len(repeated)} id(s) name more than one item ("
                              + ", ".join(f"{i!r} {n} times" for i, n in repeated[:5])
                              + (", ..." if len(repeated) > 5 else "") + "); the gold file labels items by id, "
                              "so each needs its own")
    predicted = {a: s["story_id"] for s in stories for a in s["articles"]}
    return predicted, counts


def _repeated(ids: list[str]) -> list[tuple[str, int]]:
    from collections import Counter

    return sorted((i, n) for i, n in Counter(ids).items() if n > 1)


def evaluate(items: Path, gold_path: Path, settings: Settings, name: str | None = None,
             with_baselines: bool = False) -> Evaluation:
    """Cluster ``items`` in a temporary database with ``settings`` and score against ``gold_path``."""
    from flows.summary_eval import summary_metrics
    from storage.queries import article_titles

    if not Path(items).exists():
        raise EvaluationError(f"no items file {items}")
    with tempfile.TemporaryDirectory(prefix="dastan-eval-") as tmp:
        db_path = Path(tmp) / "eval.duckdb"
        predicted, counts = cluster_file(Path(items), settings, db_path)
        gold = read_gold(gold_path)  # read only now, after clustering
        missing = [i for i in gold if i not in predicted]
        if len(missing) == len(gold):
            raise EvaluationError(f"no id of {gold_path} is an item of {items} ({len(gold)} gold ids, "
                                  f"{len(predicted)} items, e.g. gold {missing[0]!r}); nothing to score")
        counts["gold_items_not_clustered"] = len(missing)
        with Database(str(db_path)).connect(read_only=True) as con:
            titles = article_titles(con)
        summary = summary_metrics(Database(str(db_path)), settings)
        baselines = baseline_scores(Database(str(db_path)), settings, gold) if with_baselines else {}
    return Evaluation(name or Path(items).name.split(".")[0], score_partition(predicted, gold), counts, summary,
                      baselines, story_errors(predicted, gold), predicted, titles)


def baseline_scores(db: Database, settings: Settings, gold: dict[str, str]) -> dict[str, Scores]:
    """Every-article-alone and e5 + HDBSCAN on the same article vectors as dastan's."""
    from clustering.baselines import hdbscan_labels, singleton_labels
    from clustering.embed import encoder_id
    from flows.window import article_vector, embedded_sentences
    from ingest.models import content_hash
    from storage.articles import load_articles
    from storage.embeddings import cached_vectors

    with db.connect(read_only=True) as con:
        articles = load_articles(con)
        hashes = [content_hash(s.text) for a in articles for s in embedded_sentences(a, settings.summary)]
        vectors = cached_vectors(con, hashes, encoder_id(settings.embed))
    articles = [a for a in articles if any(content_hash(s.text) in vectors for s in a.sentences)]
    matrix = np.stack([article_vector(a, vectors, settings.cluster.lead_sentences) for a in articles])
    ids = [a.display_id for a in articles]
    out = {}
    for name, labels in (("every article alone", singleton_labels(len(ids))),
                         ("e5 + HDBSCAN (min_cluster_size 2)", hdbscan_labels(matrix))):
        out[name] = score_partition({i: str(lab) for i, lab in zip(ids, labels, strict=True)}, gold)
    return out
