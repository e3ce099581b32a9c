"""A story's title (its most representative headline) and its keywords.

The title is the headline closest to the centre of all the story's headlines, not the
first one: the first report is often the thinnest. Keywords are class-based TF-IDF
(c-TF-IDF, as in BERTopic): a lemma frequent in this story and rare in the other stories
of the window describes this story.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np


def best_headline(headlines: Sequence[str], vectors: np.ndarray) -> str:
    """The headline most similar to the mean of all (ties: the earlier one)."""
    if not headlines:
        return ""
    if len(headlines) <= 2:
        return headlines[0]
    centre = vectors.mean(axis=0)
    return headlines[int(np.argmax(vectors @ centre))]


def _is_keyword(lemma: str) -> bool:
    if len(lemma) < 2:
        return False
    # digits-only tokens (in any script) describe nothing on their own
    return not all(ch.isdigit() or ch in "٫٬.,/:-" for ch in lemma)


def class_tfidf_keywords(
    stories: Sequence[Sequence[str]], k: int = 8, min_count: int = 2
) -> list[list[str]]:
    """Top-k keywords per story from each story's lemmas against the other stories.

    Weight of lemma t in story c: ``tf(t, c) * log(1 + A / f(t))`` where A is the average
    number of lemmas per story and f(t) the frequency of t over all stories (Grootendorst
    2022, c-TF-IDF). Lemmas seen fewer than ``min_count`` times in a story of more than one
    report are skipped: one mention is not what the story is about.
    """
    counts = [Counter(t for t in lemmas if _is_keyword(t)) for lemmas in stories]
    total = Counter()
    for c in counts:
        total.update(c)
    avg = (sum(total.values()) / len(counts)) if counts else 0.0
    out: list[list[str]] = []
    for c in counts:
        size = sum(c.values()) or 1
        floor = min_count if size > 40 else 1
        scored = [
            (tf / size * math.log(1 + avg / total[t]), t) for t, tf in c.items() if tf >= floor
        ]
        scored.sort(key=lambda x: (-x[0], x[1]))
        out.append([t for _, t in scored[:k]])
    return out
