"""What clustering sees of the window's articles, and its stories and threads.

Plain functions over plain data: :func:`flows.stages.compute_window` reads the window from
storage, calls these (and :mod:`flows.summaries`), and the result is written in one
transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from clustering.cluster import ArticleView, ClusterParams
from clustering.stories import Member, Story, build_stories
from clustering.threads import StoryView, ThreadParams, link_threads
from ingest.models import Role, Sentence
from storage.articles import StoredArticle
from summarize.params import SummaryParams


def embedded_sentences(article: StoredArticle, params: SummaryParams) -> list[Sentence]:
    """The sentences of an article that get a vector: its title and first body sentences.

    Agency reports put the event in the first sentences (the inverted pyramid); the tail
    is background, so summaries and clustering read the head and embedding stops there.
    """
    title = [s for s in article.sentences if s.role is Role.TITLE][:1]
    rest = [s for s in article.sentences if s.role is not Role.TITLE][: params.candidates_per_article]
    return title + rest


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return v / norm if norm > 0 else v


def article_vector(article: StoredArticle, vectors: Mapping[str, np.ndarray], lead: int) -> np.ndarray:
    """An article's vector: the mean of its title's and first ``lead`` sentences' vectors."""
    from ingest.models import content_hash

    head = [s for s in article.sentences if s.role is Role.TITLE][:1]
    head += [s for s in article.sentences if s.role is not Role.TITLE][:lead]
    rows = [vectors[content_hash(s.text)] for s in head if content_hash(s.text) in vectors]
    if not rows:
        raise KeyError(f"article {article.article_id} has no embedded sentence")
    return _unit(np.mean(rows, axis=0)).astype(np.float32)


def article_lemmas(article: StoredArticle, lead: int) -> tuple[str, ...]:
    """The lemmas clustering compares: the title's (twice: headlines name the event) and the lead's."""
    title = [s for s in article.sentences if s.role is Role.TITLE][:1]
    rest = [s for s in article.sentences if s.role is not Role.TITLE][:lead]
    lemmas: list[str] = []
    for s in title:
        lemmas.extend(s.lemmas * 2)
    for s in rest:
        lemmas.extend(s.lemmas)
    return tuple(lemmas)


def article_view(article: StoredArticle, lead: int) -> ArticleView:
    """What clustering sees of an article: lemmas, title lemmas, head text, source and time."""
    title = [s for s in article.sentences if s.role is Role.TITLE][:1]
    rest = [s for s in article.sentences if s.role is not Role.TITLE][:lead]
    return ArticleView(
        article.article_id,
        article_lemmas(article, lead),
        article.published_at,
        article.source,
        title_lemmas=tuple(lem for s in title for lem in s.lemmas),
        text=" ".join(s.text for s in title + rest),
        title=title[0].text if title else "",
        time_known=article.published_time_known,
    )


def compute_stories(
    articles: Sequence[StoredArticle],
    vectors: Mapping[str, np.ndarray],
    params: ClusterParams,
    previous: Mapping[str, str],
    taken: set[str],
) -> tuple[list[Story], dict[str, np.ndarray]]:
    """Cluster the window's articles (earliest first); return stories and article vectors."""
    lead = params.lead_sentences
    av = {a.article_id: article_vector(a, vectors, lead) for a in articles}
    members = [Member(a.article_id, a.source, a.published_at, a.duplicate_of, a.published_time_known)
               for a in articles]
    views = [article_view(a, lead) for a in articles]
    matrix = np.stack([av[a.article_id] for a in articles]) if articles else np.zeros((0, 1), np.float32)
    stories = build_stories(members, views, matrix, params, previous, taken)
    return stories, av


def compute_threads(
    stories: Sequence[Story],
    article_vectors: Mapping[str, np.ndarray],
    articles: Mapping[str, StoredArticle],
    params: ThreadParams,
    previous: Mapping[str, str],
    taken: set[str],
) -> dict[str, str | None]:
    """Thread id (or None) for each story, from story centres and lemma bags."""
    if not stories:
        return {}
    views = [
        StoryView(s.story_id, tuple(lem for a in s.article_ids for sen in articles[a].sentences[:3]
                                    for lem in sen.lemmas), s.first_published,
                  tuple(articles[a].sentences[0].text for a in s.article_ids if articles[a].sentences))
        for s in stories
    ]
    centres = np.stack([_unit(np.mean([article_vectors[a] for a in s.article_ids], axis=0)) for s in stories])
    return link_threads(views, centres.astype(np.float32), params, previous, taken)
