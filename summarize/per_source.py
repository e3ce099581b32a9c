"""What each source alone reported: its facts no other source gave, and its own words.

A sentence is another source's too when that source states the same fact anywhere in its
report, title included: the same figure, the same quote, the same content words
(:func:`summarize.facts.same_fact`), or nearly the same meaning (cosine). What is left is
what a source adds. A fact all sources gave is nobody's alone: «۱۱ نفر مصدوم شدند» in four
agencies' words is listed under none of them. Only sentences that stand alone are listed
(:mod:`summarize.speakers`). The most distinct come first: those farthest in meaning from
everything the others wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from summarize.facts import FactIndex, Facts, facts_of, same_fact
from summarize.select import Candidate

_MIN_LEMMAS = 3
# Two sentences of two sources this close in meaning tell one thing, whatever their words:
# the summary's redundancy bar (SummaryParams.max_similarity, measured there).
CLOSE = 0.93


@dataclass(frozen=True)
class Statement:
    """One sentence of a report (title included) reduced to what it states, with its source."""

    source: str
    facts: Facts


def statements_of(candidates: Sequence[Candidate]) -> list[Statement]:
    """The statements of the candidates themselves (when the whole reports are not at hand)."""
    return [Statement(c.source or "unknown", facts_of(c.text, c.lemmas)) for c in candidates]


def unique_sentences(candidates: Sequence[Candidate], k: int = 3,
                     statements: Sequence[Statement] | None = None,
                     close: float = CLOSE) -> dict[str, list[Candidate]]:
    """Per source, up to ``k`` of its sentences stating a fact no other source gave.

    ``statements`` are every sentence of every report of the story (default: the
    candidates); a candidate is dropped when another source's statement states its fact.
    """
    by_source: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_source.setdefault(c.source or "unknown", []).append(i)
    if len(by_source) < 2:
        return {}
    statements = statements_of(candidates) if statements is None else statements
    facts = [facts_of(c.text, c.lemmas) for c in candidates]
    vectors = np.stack([c.vector for c in candidates])
    sims = vectors @ vectors.T
    told = FactIndex([st.facts for st in statements])
    out: dict[str, list[Candidate]] = {}
    for source, own in by_source.items():
        others = [j for j in range(len(candidates)) if (candidates[j].source or "unknown") != source]
        scored = []
        for i in own:
            c = candidates[i]
            if not c.alone or (len(facts[i].lemmas) < _MIN_LEMMAS and not facts[i].figures):
                continue
            nearest = float(sims[i, others].max())
            if nearest >= close or any(statements[j].source != source for j in told.same(facts[i])):
                continue
            scored.append((nearest, i))
        scored.sort()
        chosen: list[int] = []
        for _, i in scored:
            if len(chosen) < k and not any(same_fact(facts[i], facts[j]) for j in chosen):
                chosen.append(i)
        out[source] = [candidates[i] for i in chosen]
    return out


def distinct_terms(bags: Mapping[str, Sequence[str]], k: int = 6, min_count: int = 1) -> dict[str, list[str]]:
    """Per source, the lemmas it uses that no other source of the story uses, most frequent first."""
    counts = {source: Counter(lemmas) for source, lemmas in bags.items()}
    if len(counts) < 2:
        return {}
    out = {}
    for source, c in counts.items():
        others: set[str] = set()
        for other, oc in counts.items():
            if other != source:
                others |= set(oc)
        own = [(n, t) for t, n in c.items() if t not in others and n >= min_count
               and not all(ch.isdigit() for ch in t)]
        own.sort(key=lambda x: (-x[0], x[1]))
        out[source] = [t for _, t in own[:k]]
    return out
