"""A database written by an older schema opens with this dastan and is migrated in place."""

from __future__ import annotations

import duckdb  # the test builds an old database by hand, as an old dastan would have

from storage import Database
from storage.schema import CURRENT_VERSION, MIGRATIONS, current_version


def make_v1(path) -> None:
    con = duckdb.connect(str(path))
    for statement in MIGRATIONS[1]:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute("""INSERT INTO articles (article_id, title, body, raw_text, content_hash, ingested_at)
                   VALUES ('a1', 'عنوان', 'متن', 'متن خام', 'h1', now())""")
    con.execute("INSERT INTO stories (story_id, title, n_articles, n_sources) VALUES ('s1', 'عنوان', 1, 0)")
    con.execute("INSERT INTO story_articles VALUES ('a1', 's1')")
    con.execute(OLD_STORY_TIMELINE)  # an old database has old views; they are recreated
    con.close()


# story_timeline as schema versions 1 and 2 created it (VIEWS holds today's).
OLD_STORY_TIMELINE = """CREATE OR REPLACE VIEW story_timeline AS
    SELECT sa.story_id, a.published_at, coalesce(a.source, a.attribution) AS source, a.title, a.url, a.article_id,
           a.external_id, a.attribution, a.duplicate_of IS NOT NULL AS is_duplicate
    FROM story_articles sa JOIN articles a USING (article_id)
    ORDER BY sa.story_id, a.published_at NULLS LAST, a.article_id"""


def test_version_1_database_is_upgraded_in_place_keeping_its_data(tmp_path) -> None:
    path = tmp_path / "old.duckdb"
    make_v1(path)
    with Database(str(path)).connect() as con:
        assert current_version(con) == CURRENT_VERSION >= 2
        assert con.execute("SELECT story_id, joined_run FROM story_articles").fetchall() == [("s1", None)]
        assert con.execute("SELECT count(*) FROM source_notes").fetchone()[0] == 0
        assert con.execute("SELECT title FROM story_timeline").fetchall() == [("عنوان",)]
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()]
    assert versions == list(range(1, CURRENT_VERSION + 1))


def test_a_failing_migration_leaves_the_old_version(tmp_path, monkeypatch) -> None:
    import pytest

    from storage import schema

    path = tmp_path / "old.duckdb"
    make_v1(path)
    monkeypatch.setitem(schema.MIGRATIONS, 2, [*schema.MIGRATIONS[2], "ALTER TABLE no_such_table ADD COLUMN x INT"])
    with pytest.raises(schema.SchemaError, match="migration to schema version 2 failed"), Database(str(path)).connect():
        pass
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == 1
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert "source_notes" not in tables
    con.close()


def test_a_newer_database_is_refused_with_a_message(tmp_path) -> None:
    import pytest

    from storage.schema import SchemaError

    path = tmp_path / "new.duckdb"
    with Database(str(path)).connect() as con:
        con.execute("INSERT INTO schema_version VALUES (99, now())")
    with pytest.raises(SchemaError, match="schema version 99"), Database(str(path)).connect():
        pass


def make_v2(path, rows) -> None:
    """A database as schema version 2 left it: articles (id, published_at, published_text)."""
    con = duckdb.connect(str(path))
    for version in (1, 2):
        for statement in MIGRATIONS[version]:
            con.execute(statement)
        con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    for aid, when, text in rows:
        con.execute("""INSERT INTO articles (article_id, title, body, raw_text, content_hash, published_at,
                                             published_text, ingested_at)
                       VALUES (?, 'عنوان', 'متن', 'متن خام', ?, ?, ?, now())""", [aid, aid, when, text])
        con.execute("INSERT INTO story_articles (article_id, story_id) VALUES (?, 's1')", [aid])
    con.execute("""INSERT INTO stories (story_id, title, n_articles, n_sources, first_published, last_published)
                   VALUES ('s1', 'عنوان', ?, 0, '2026-02-27 20:30:00+00', '2026-02-28 07:00:00+00')""", [len(rows)])
    con.execute(OLD_STORY_TIMELINE)
    con.close()


def test_version_2_database_learns_which_stored_times_were_a_day_alone(tmp_path) -> None:
    # issue 13: before schema 3 a date printed without its time was stored as Tehran midnight
    # and shown as a time («00:00»); upgraded in place, those rows read as the day alone.
    from storage.queries import list_articles, story_detail

    path = tmp_path / "v2.duckdb"
    make_v2(path, [
        ("day-only", "2026-02-27 20:30:00+00", "تاریخ انتشار: ۱۴۰۴/۱۲/۰۹"),  # midnight in Tehran, no clock
        ("htmldate", "2026-02-27 20:30:00+00", "htmldate: 2026-02-28"),
        ("timed", "2026-02-28 07:00:00+00", "۹ اسفند ۱۴۰۴ - ۱۰:۳۰"),
        ("midnight", "2026-02-27 20:30:00+00", "2026-02-28T00:00:00+03:30"),  # a real midnight, printed
        ("undated", None, None),
    ])
    with Database(str(path)).connect() as con:
        assert current_version(con) == CURRENT_VERSION >= 3
        known = dict(con.execute("SELECT article_id, published_time_known FROM articles").fetchall())
        shown = {a["article_id"]: a["published_at"] for a in list_articles(con)}
        timeline = con.execute("SELECT article_id, published_time_known FROM story_timeline").fetchall()
        story = story_detail(con, "s1")
    assert known == {"day-only": False, "htmldate": False, "timed": True, "midnight": True, "undated": False}
    assert shown == {"day-only": "2026-02-28", "htmldate": "2026-02-28", "timed": "2026-02-28T07:00:00Z",
                     "midnight": "2026-02-27T20:30:00Z", "undated": None}
    assert dict(timeline) == known
    # the story's first report is at that midnight, and one report there printed it: a time
    assert story is not None and story["first_published"] == "2026-02-27T20:30:00Z"


def test_an_older_database_is_upgraded_when_a_command_only_reads_it(tmp_path, capsys) -> None:
    # `dastan stories` opens read-only; on a version 2 database it failed on schema 3's new
    # column instead of upgrading it (issue 13, found on a database written by the code before)
    from flows.cli import main

    path = tmp_path / "v2.duckdb"
    make_v2(path, [("day-only", "2026-02-27 20:30:00+00", "تاریخ انتشار: ۱۴۰۴/۱۲/۰۹")])
    assert main(["stories", "--db", str(path)]) == 0
    assert "2026-02-28 " in capsys.readouterr().out
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone()[0] == CURRENT_VERSION
    con.close()
