"""How good the summaries are: boilerplate, redundancy, source coverage, ROUGE against leads.

ROUGE-1/2 here is the recall-oriented F1 of word unigrams and bigrams of the summary
against the union of the story's leads (each report's lead, or its first body sentence),
with two baselines computed the same way: lead-first (the first reports' leads) and
centroid (the sentences nearest the story's mean vector, no diversity, no source rule).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from flows.settings import Settings
from storage import Database

_WORD = re.compile(r"\w+")


def _ngrams(text: str, n: int) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text.replace("\u200c", ""))
    return Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))


def rouge_f1(candidate: Sequence[str], reference: Sequence[str], n: int) -> float:
    """ROUGE-n F1 of the candidate sentences against the reference sentences."""
    cand = sum((_ngrams(t, n) for t in candidate), Counter())
    ref = sum((_ngrams(t, n) for t in reference), Counter())
    overlap = sum((cand & ref).values())
    if not overlap:
        return 0.0
    p, r = overlap / sum(cand.values()), overlap / sum(ref.values())
    return 2 * p * r / (p + r)


def _leads(sentences: list[dict[str, Any]]) -> list[str]:
    out, seen = [], set()
    for s in sentences:
        if s["article_id"] in seen or s["role"] not in ("lead", "body") or s["copy_of"] is not None:
            continue
        seen.add(s["article_id"])
        out.append(s["text"])
    return out


def summary_metrics(db: Database, settings: Settings) -> dict[str, Any]:
    """Aggregate summary quality over every story with at least one pick."""
    from clustering.embed import encoder_id
    from ingest.models import content_hash
    from storage.embeddings import cached_vectors
    from storage.queries import summary_material

    model = encoder_id(settings.embed)
    k = settings.summary.sentences
    with db.connect(read_only=not db.is_memory) as con:
        stories = summary_material(con)
        hashes = [content_hash(s["text"]) for st in stories for s in st["sentences"]]
        vectors = cached_vectors(con, hashes, model)
    boiler = picks_total = 0
    redundancy: list[float] = []
    multi = multi_covered = 0
    rouge = {"dastan": [[], []], "lead_first": [[], []], "centroid": [[], []]}
    for st in stories:
        picks = st["picks"]
        if not picks:
            continue
        sents = st["sentences"]
        picks_total += len(picks)
        boiler += sum(1 for p in picks if p["role"] == "boilerplate")
        # a pick is stored as shown (its speaker resolved, summarize.speakers); its vector is its sentence's
        written = {(s["article_id"], s["position"]): s["text"] for s in sents}
        texts = [written.get((p["article_id"], p["position"]), p["text"]) for p in picks]
        pv = [vectors[content_hash(t)] for t in texts if content_hash(t) in vectors]
        if len(pv) > 1:
            m = np.stack(pv) @ np.stack(pv).T
            np.fill_diagonal(m, -1)
            redundancy.append(float(m.max()))
        sources = {s["source"] for s in sents}
        if len(sources) > 1:
            multi += 1
            multi_covered += len({p["source"] for p in picks}) > 1
        leads = _leads(sents)
        content = [s for s in sents if s["role"] in ("lead", "body") and s["copy_of"] is None
                   and content_hash(s["text"]) in vectors]
        centroid: list[str] = []
        if content:
            mat = np.stack([vectors[content_hash(s["text"])] for s in content])
            order = np.argsort(-(mat @ mat.mean(axis=0)))
            centroid = [content[i]["text"] for i in order[:k]]
        for name, cand in (("dastan", [p["text"] for p in picks]), ("lead_first", leads[:k]), ("centroid", centroid)):
            for n in (1, 2):
                rouge[name][n - 1].append(rouge_f1(cand, leads, n))
    def mean(xs: list[float]) -> float | None:
        return round(float(np.mean(xs)), 4) if xs else None

    return {
        "stories_with_summary": sum(1 for st in stories if st["picks"]),
        "boilerplate_rate": round(boiler / picks_total, 4) if picks_total else 0.0,
        "redundancy_max_cosine_mean": mean(redundancy),
        "redundancy_max_cosine_max": round(max(redundancy), 4) if redundancy else None,
        "multi_source_stories": multi,
        "source_coverage": round(multi_covered / multi, 4) if multi else None,
        "rouge": {name: {"rouge1": mean(v[0]), "rouge2": mean(v[1])} for name, v in rouge.items()},
        # what the ROUGE figures are scored against (module docstring): lead_first takes its
        # sentences from that reference, so it is near 1.0 by construction, a ceiling, not a rival
        "rouge_reference": "the union of each story's leads (each report's lead, or its first body sentence); "
                           "lead_first quotes those leads, so its ROUGE is near 1 by construction",
    }
