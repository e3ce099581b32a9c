"""DuckDB storage: schema version, idempotent upserts, the embedding cache, read-only access."""

from __future__ import annotations

import numpy as np
import pytest

from ingest import IngestParams, read_inputs
from ingest.models import Article
from storage import Database, DatabaseMissing
from storage.articles import load_articles, upsert_articles
from storage.embeddings import cached_vectors, count_vectors, save_vectors
from storage.schema import CURRENT_VERSION, current_version
from tests.conftest import SAMPLES


@pytest.fixture(scope="module")
def sample_articles() -> list[Article]:
    items = list(read_inputs([SAMPLES / "agencies.jsonl"], IngestParams()))
    return [a for a in items if isinstance(a, Article)][:10]


def test_new_database_is_at_the_current_schema_version(memory_db: Database) -> None:
    with memory_db.connect() as con:
        assert current_version(con) == CURRENT_VERSION
        views = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert {"story_timeline", "story_sources", "thread_timeline", "latest_summaries"} <= views


def test_ingesting_the_same_articles_twice_adds_nothing(memory_db: Database, sample_articles) -> None:
    with memory_db.transaction() as con:
        first = upsert_articles(con, sample_articles, "run1")
    with memory_db.transaction() as con:
        second = upsert_articles(con, sample_articles, "run2")
        n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        m = con.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert first.inserted == 10 and second.inserted == 0 and second.existing == 10
    assert n == 10 and m == sum(len(a.sentences) for a in sample_articles)


def test_same_text_under_another_id_is_kept_as_a_copy_of_the_first(memory_db: Database, sample_articles) -> None:
    from dataclasses import replace

    twin = replace(sample_articles[0], article_id="other-id", external_id="other")
    with memory_db.transaction() as con:
        upsert_articles(con, sample_articles[:1], "r")
        counts = upsert_articles(con, [twin], "r")
        dup = con.execute("SELECT duplicate_of FROM articles WHERE article_id = 'other-id'").fetchone()[0]
    assert counts.inserted == 1 and counts.duplicates == 1
    assert dup == sample_articles[0].article_id


def test_articles_round_trip_with_text_exactly(memory_db: Database, sample_articles) -> None:
    with memory_db.transaction() as con:
        upsert_articles(con, sample_articles, "r")
    with memory_db.connect() as con:
        back = {a.article_id: a for a in load_articles(con)}
        raw = dict(con.execute("SELECT article_id, raw_text FROM articles").fetchall())
    for a in sample_articles:
        assert [s.text for s in back[a.article_id].sentences] == [s.text for s in a.content_sentences()]
        assert raw[a.article_id] == a.raw_text


def test_embedding_cache_round_trip_keyed_by_model(memory_db: Database) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.standard_normal((3, 8)).astype(np.float32)
    with memory_db.transaction() as con:
        save_vectors(con, ["a", "b", "c"], vectors, "m1")
        save_vectors(con, ["a"], vectors[:1] * 2, "m1")  # a known key is kept, not replaced
    with memory_db.connect() as con:
        got = cached_vectors(con, ["a", "c", "zzz"], "m1")
        other = cached_vectors(con, ["a"], "m2")
        assert count_vectors(con, "m1") == 3
    assert set(got) == {"a", "c"} and other == {}
    np.testing.assert_array_equal(got["a"], vectors[0])
    np.testing.assert_array_equal(got["c"], vectors[2])


def test_read_only_open_of_a_missing_database_says_so(tmp_path) -> None:
    db = Database(str(tmp_path / "x.duckdb"))
    with pytest.raises(DatabaseMissing, match="no database"), db.connect(read_only=True):
        pass


def test_file_database_survives_reopening(tmp_path, sample_articles) -> None:
    db = Database(str(tmp_path / "d.duckdb"))
    with db.transaction() as con:
        upsert_articles(con, sample_articles[:2], "r")
    with db.connect(read_only=True) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 2
