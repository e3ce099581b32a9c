"""Summary parameters: one frozen dataclass with its defaults."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SummaryParams:
    """How many sentences a summary has and how they are chosen."""

    sentences: int = 4
    diversity: float = 0.5  # MMR weight of redundancy against relevance
    # Two picks closer than this say the same thing. Measured on the sample corpus (275
    # body sentences, e5-small with the query prompt): sentences of different stories reach
    # 0.912 at the 99.9th percentile; sentences of one story from different sources have
    # median 0.860 and 99th percentile 0.935, and the pairs above 0.93 are one fact told
    # twice (the penalty «در دقیقه ۷۸» and «در دقیقه ۷۷», 0.968).
    max_similarity: float = 0.93
    # Another source's sentence this close backs a sentence up: about the 90th percentile of
    # same-story cross-source pairs (0.898), above different stories' 99th (0.875).
    support_similarity: float = 0.9
    support_bonus: float = 0.15  # relevance added per supporting source
    damping: float = 0.85  # LexRank's random-walk damping
    min_edge: float = 0.8  # cosines below this are no edge in the LexRank graph
    keywords: int = 8
    candidates_per_article: int = 8  # first content sentences of each report considered
    per_source_sentences: int = 3  # what only this source reported, per source
    per_source_terms: int = 6  # words only this source used, per source
