"""Summaries on tiny hand-made vectors: central, diverse, two sources, reading order, per source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np

from summarize.params import SummaryParams
from summarize.per_source import distinct_terms, unique_sentences
from summarize.representative import summarize_story
from summarize.select import Candidate
from summarize.title import best_headline, class_tfidf_keywords

T0 = datetime(2025, 11, 21, 8, tzinfo=UTC)


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def cand(aid: str, pos: int, text: str, source: str, vec: np.ndarray, hours: float = 0,
         lemmas: tuple[str, ...] = ()) -> Candidate:
    return Candidate(aid, pos, text, source, T0 + timedelta(hours=hours), f"https://x.ir/{aid}", vec, lemmas)


def test_no_two_picks_say_the_same_thing_and_the_core_comes_first() -> None:
    core = [cand("a", 1, "core", "isna", unit(1, 0.05, 0)), cand("a", 2, "core again", "isna", unit(1, 0.06, 0)),
            cand("b", 1, "core by irna", "irna", unit(1, 0.04, 0.02), hours=1)]
    side = [cand("a", 3, "detail", "isna", unit(0.7, 0.7, 0)),
            cand("b", 2, "other detail", "irna", unit(0.7, 0, 0.7), 1)]
    picks = summarize_story(core + side, SummaryParams(sentences=3))
    vecs = np.stack([p.vector for p in picks])
    sims = vecs @ vecs.T - 2 * np.eye(len(picks))
    assert sims.max() < SummaryParams().max_similarity
    assert any(p.text.startswith("core") for p in picks)


def test_a_story_with_two_sources_quotes_both_in_time_order() -> None:
    cands = [cand("a", i, f"isna {i}", "isna", unit(1, 0.1 * i, 0)) for i in range(1, 6)]
    cands.append(cand("b", 1, "the only irna sentence", "irna", unit(0.2, 0.2, 1), hours=-2))
    picks = summarize_story(cands, SummaryParams(sentences=2))
    assert {p.source for p in picks} == {"isna", "irna"}
    assert picks[0].source == "irna"  # reported two hours earlier: read first


def test_second_source_is_kept_even_when_it_only_retells_the_top_pick() -> None:
    cands = [cand("a", 1, "fact", "isna", unit(1, 0, 0)), cand("b", 1, "fact retold", "irna", unit(1, 0.3, 0), 1)]
    assert float(cands[0].vector @ cands[1].vector) > SummaryParams().max_similarity
    assert {p.source for p in summarize_story(cands, SummaryParams())} == {"isna", "irna"}


def test_unique_sentences_per_source_skip_what_another_source_also_said() -> None:
    shared = ("زلزله", "کرمان", "مصدوم", "نفر")
    cands = [cand("a", 1, "shared isna", "isna", unit(1, 0, 0), lemmas=shared),
             cand("b", 1, "shared irna", "irna", unit(1, 0.1, 0), lemmas=(*shared, "امروز")),
             cand("b", 2, "only irna", "irna", unit(0, 1, 0), lemmas=("هلال", "احمر", "چادر", "توزیع"))]
    out = unique_sentences(cands)
    assert [c.text for c in out["irna"]] == ["only irna"] and out["isna"] == []


def test_distinct_terms_show_each_outlets_own_words() -> None:
    terms = distinct_terms({"tasnim": ["رژیم", "صهیونیستی", "شهادت", "لبنان"],
                            "isna": ["اسرائیل", "کشته", "لبنان", "۱۲"]})
    assert terms == {"tasnim": ["رژیم", "شهادت", "صهیونیستی"], "isna": ["اسرائیل", "کشته"]}


def test_keywords_skip_digits_and_favour_what_is_specific_to_the_story() -> None:
    stories = [["بنزین", "بنزین", "نرخ", "۵۰۰۰", "دولت"], ["زلزله", "کرمان", "زلزله", "دولت"]]
    kw = class_tfidf_keywords(stories, k=2)
    assert kw == [["بنزین", "نرخ"], ["زلزله", "کرمان"]]


def test_title_is_the_most_central_headline_not_the_first() -> None:
    heads = ["اولین و کم‌جزئیات", "یک سو", "سوی دیگر", "عنوان محوری"]
    vecs = np.stack([unit(0, 1, 0), unit(1, 0, 0.3), unit(1, 0, -0.3), unit(1, 0, 0)])
    assert best_headline(heads, vecs) == "عنوان محوری"  # between the two sides, away from the outlier
