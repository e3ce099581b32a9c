"""What each source alone reported: its sentences no other source matches, and its own words.

A sentence is matched when another source says nearly the same thing in nearly the same
words (most of its content lemmas appear in one sentence of the other source). What is
left is what a source adds: a fact the others lack, or its own framing of a shared fact
(«وزیر جنگ اسرائیل» in one outlet, «وزیر دفاع رژیم صهیونیستی» in another). The most
distinct come first: those farthest in meaning from everything the others wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from summarize.select import Candidate

# Share of a sentence's lemmas found in another source's sentence above which the two say
# the same thing the same way. Paraphrases across agencies in the sample corpus share
# 0.2-0.45 of their lemmas; a wire copy's sentences share 0.9-1.0.
LEXICAL_MATCH = 0.6
_MIN_LEMMAS = 3


def _coverage(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


def unique_sentences(candidates: Sequence[Candidate], k: int = 3) -> dict[str, list[Candidate]]:
    """Per source, up to ``k`` of its sentences that no other source's sentence matches."""
    by_source: dict[str, list[int]] = {}
    for i, c in enumerate(candidates):
        by_source.setdefault(c.source or "unknown", []).append(i)
    if len(by_source) < 2:
        return {}
    vectors = np.stack([c.vector for c in candidates])
    sims = vectors @ vectors.T
    lemma_sets = [set(c.lemmas) for c in candidates]
    out: dict[str, list[Candidate]] = {}
    for source, own in by_source.items():
        others = [j for j in range(len(candidates)) if (candidates[j].source or "unknown") != source]
        scored = []
        for i in own:
            if len(lemma_sets[i]) < _MIN_LEMMAS:
                continue
            if any(_coverage(lemma_sets[i], lemma_sets[j]) >= LEXICAL_MATCH for j in others):
                continue
            scored.append((float(sims[i, others].max()), i))
        scored.sort()
        out[source] = [candidates[i] for _, i in scored[:k]]
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
