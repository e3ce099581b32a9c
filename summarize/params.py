"""Summary parameters: one frozen dataclass with its defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SummaryParams:
    """How many sentences a summary has and how they are chosen."""

    sentences: int = 4
    diversity: float = 0.5  # MMR weight of redundancy against relevance
    # Two picks closer than this say the same thing. e5 cosines of a sentence and its
    # paraphrase from another agency are 0.93-0.97; different facts of one event 0.85-0.9.
    max_similarity: float = 0.93
    support_similarity: float = 0.9  # a sentence of another source this close supports it
    support_bonus: float = 0.15  # relevance added per supporting source
    damping: float = 0.85  # LexRank's random-walk damping
    min_edge: float = 0.8  # cosines below this are no edge in the LexRank graph
    keywords: int = 8
    candidates_per_article: int = 8  # first content sentences of each report considered
    per_source_sentences: int = 3  # what only this source reported, per source
    per_source_terms: int = 6  # words only this source used, per source
