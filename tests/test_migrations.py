"""A database written by an older schema opens with this dastan and is migrated in place."""

from __future__ import annotations

import duckdb  # the test builds an old database by hand, as an old dastan would have

from storage import Database
from storage.schema import CURRENT_VERSION, MIGRATIONS, VIEWS, current_version


def make_v1(path) -> None:
    con = duckdb.connect(str(path))
    for statement in MIGRATIONS[1]:
        con.execute(statement)
    con.execute("INSERT INTO schema_version VALUES (1, now())")
    con.execute("""INSERT INTO articles (article_id, title, body, raw_text, content_hash, ingested_at)
                   VALUES ('a1', 'عنوان', 'متن', 'متن خام', 'h1', now())""")
    con.execute("INSERT INTO stories (story_id, title, n_articles, n_sources) VALUES ('s1', 'عنوان', 1, 0)")
    con.execute("INSERT INTO story_articles VALUES ('a1', 's1')")
    for statement in VIEWS[:1]:  # an old database has old views; they are recreated
        con.execute(statement)
    con.close()


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
