"""Titles, keywords, summaries and per-source notes of stories, from stored articles and vectors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from clustering.stories import Story
from flows.window import embedded_sentences
from ingest.models import Role, content_hash
from storage.articles import StoredArticle
from storage.stories import SourceNote, StoryText, SummaryRow
from summarize.facts import facts_of
from summarize.params import SummaryParams
from summarize.per_source import Statement, distinct_terms, unique_sentences
from summarize.representative import summarize_story
from summarize.select import Candidate
from summarize.speakers import standalone_texts
from summarize.title import HEADLINE_WORDS, TITLE_WORDS, best_headline, class_tfidf_keywords, short_title


def _title_vector(article: StoredArticle, vectors: Mapping[str, np.ndarray]) -> np.ndarray:
    for s in article.sentences:  # the title comes first; an untitled page starts with its lead
        v = vectors.get(content_hash(s.text))
        if v is not None:
            return v
    raise KeyError(f"article {article.article_id} has no embedded sentence")


def standalone_by_position(article: StoredArticle) -> dict[int, str | None]:
    """Each content sentence of a report as it reads alone (speaker resolved), by position."""
    body = [s for s in article.sentences if s.role is not Role.TITLE]
    return dict(zip((s.position for s in body), standalone_texts([s.text for s in body]), strict=True))


def candidates_of(articles: Sequence[StoredArticle], vectors: Mapping[str, np.ndarray],
                  params: SummaryParams) -> list[Candidate]:
    """The sentences a summary may quote: each report's first body sentences with a vector,
    one per exact text (a sentence two outlets share verbatim is one sentence), each with
    the text it reads as alone."""
    seen: set[str] = set()
    out = []
    for a in articles:
        alone = standalone_by_position(a)
        for s in embedded_sentences(a, params):
            h = content_hash(s.text)
            if s.role is Role.TITLE or h not in vectors or s.text in seen:
                continue
            seen.add(s.text)
            shown = alone.get(s.position, s.text)
            out.append(Candidate(a.article_id, s.position, s.text, a.source, a.published_at, a.url, vectors[h],
                                 s.lemmas, display="" if shown == s.text else (shown or ""),
                                 alone=shown is not None, time_known=a.published_time_known))
    return out


def report_statements(articles: Sequence[StoredArticle]) -> list[Statement]:
    """Every sentence of the reports, titles included, as what it states (for per-source)."""
    return [Statement(a.source or "unknown", facts_of(s.text, s.lemmas)) for a in articles for s in a.sentences]


def headline_of(article: StoredArticle) -> str:
    """The report's title as a story title: its headline, or its first sentence made short."""
    has_headline = any(s.role is Role.TITLE for s in article.sentences)
    return short_title(article.title, HEADLINE_WORDS if has_headline else TITLE_WORDS)


def summarize_stories(
    stories: Sequence[Story],
    articles: Mapping[str, StoredArticle],
    vectors: Mapping[str, np.ndarray],
    params: SummaryParams,
) -> tuple[list[StoryText], list[SummaryRow], list[SourceNote]]:
    """Title, keywords, representative sentences and per-source notes of each story."""
    bags: list[list[str]] = []
    texts: list[StoryText] = []
    rows: list[SummaryRow] = []
    notes: list[SourceNote] = []
    for story in stories:
        members = [articles[a] for a in story.article_ids]
        originals = [a for a in members if a.duplicate_of is None] or members
        head_vectors = np.stack([_title_vector(a, vectors) for a in originals])
        candidates = candidates_of(originals, vectors, params)
        picks = summarize_story(candidates, params)
        rows.extend(SummaryRow(story.story_id, rank, c.article_id, c.position, c.shown, c.source)
                    for rank, c in enumerate(picks, 1))
        alone = unique_sentences(candidates, params.per_source_sentences, report_statements(originals))
        for source, sents in alone.items():
            notes.extend(SourceNote(story.story_id, source, rank, "sentence", c.shown, c.article_id, c.position)
                         for rank, c in enumerate(sents, 1))
        source_bags: dict[str, list[str]] = {}
        for a in originals:
            source_bags.setdefault(a.source or "unknown", []).extend(
                lem for s in a.sentences for lem in s.lemmas)
        for source, terms in distinct_terms(source_bags, params.per_source_terms).items():
            notes.extend(SourceNote(story.story_id, source, rank, "term", t, None, None)
                         for rank, t in enumerate(terms, 1))
        bags.append([lem for a in originals for s in a.sentences for lem in s.lemmas])
        title = best_headline([headline_of(a) for a in originals], head_vectors,
                              [" ".join(s.text for s in a.sentences) for a in originals])
        texts.append(StoryText(story.story_id, title, ()))
    keywords = class_tfidf_keywords(bags, params.keywords)
    texts = [StoryText(t.story_id, t.title, tuple(k)) for t, k in zip(texts, keywords, strict=True)]
    return texts, rows, notes
