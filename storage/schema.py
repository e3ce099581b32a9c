"""The DuckDB schema, its version, and forward migrations.

Each migration is a list of statements applied in one transaction together with the
version bump, so a database is always at one version or the next, never between.
Views are recreated after every migration (they hold no data).
"""

from __future__ import annotations

from typing import Any

SCHEMA_V1 = [
    """CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMPTZ NOT NULL)""",
    """CREATE TABLE sources (
        source VARCHAR PRIMARY KEY,
        name VARCHAR
    )""",
    """CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY,
        kind VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        started_at TIMESTAMPTZ NOT NULL,
        finished_at TIMESTAMPTZ,
        params JSON,
        model VARCHAR,
        flow_run_id VARCHAR,
        pid INTEGER,
        counts JSON,
        error VARCHAR
    )""",
    """CREATE TABLE articles (
        article_id VARCHAR PRIMARY KEY,
        external_id VARCHAR,
        source VARCHAR,
        attribution VARCHAR,
        cited VARCHAR[],
        title VARCHAR NOT NULL,
        lead VARCHAR,
        body VARCHAR NOT NULL,
        raw_text VARCHAR NOT NULL,
        url VARCHAR,
        published_at TIMESTAMPTZ,
        published_text VARCHAR,
        content_hash VARCHAR NOT NULL,
        duplicate_of VARCHAR,
        input_ref VARCHAR,
        run_id VARCHAR,
        ingested_at TIMESTAMPTZ NOT NULL
    )""",
    """CREATE TABLE sentences (
        article_id VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        lemmas VARCHAR[],
        copy_of INTEGER,
        content_hash VARCHAR NOT NULL,
        PRIMARY KEY (article_id, position)
    )""",
    """CREATE TABLE embeddings (
        content_hash VARCHAR NOT NULL,
        model_id VARCHAR NOT NULL,
        vector FLOAT[] NOT NULL,
        PRIMARY KEY (content_hash, model_id)
    )""",
    """CREATE TABLE stories (
        story_id VARCHAR PRIMARY KEY,
        title VARCHAR,
        keywords VARCHAR[],
        thread_id VARCHAR,
        n_articles INTEGER NOT NULL,
        n_sources INTEGER NOT NULL,
        first_source VARCHAR,
        first_published TIMESTAMPTZ,
        last_published TIMESTAMPTZ,
        frozen BOOLEAN NOT NULL DEFAULT FALSE,
        created_run VARCHAR,
        updated_run VARCHAR
    )""",
    """CREATE TABLE story_articles (
        article_id VARCHAR PRIMARY KEY,
        story_id VARCHAR NOT NULL
    )""",
    """CREATE TABLE threads (
        thread_id VARCHAR PRIMARY KEY,
        title VARCHAR,
        n_stories INTEGER NOT NULL,
        first_published TIMESTAMPTZ,
        last_published TIMESTAMPTZ
    )""",
    """CREATE TABLE summaries (
        story_id VARCHAR NOT NULL,
        rank INTEGER NOT NULL,
        article_id VARCHAR NOT NULL,
        position INTEGER NOT NULL,
        text VARCHAR NOT NULL,
        source VARCHAR,
        run_id VARCHAR,
        PRIMARY KEY (story_id, rank)
    )""",
    """CREATE TABLE signatures (
        article_id VARCHAR PRIMARY KEY,
        signature UBIGINT[] NOT NULL,
        n_shingles INTEGER NOT NULL
    )""",
    """CREATE TABLE signature_bands (
        band_key BIGINT NOT NULL,
        article_id VARCHAR NOT NULL
    )""",
    """CREATE INDEX signature_bands_key ON signature_bands (band_key)""",
    """CREATE TABLE feed_state (
        feed_url VARCHAR PRIMARY KEY,
        source VARCHAR NOT NULL,
        etag VARCHAR,
        last_modified VARCHAR,
        fetched_at TIMESTAMPTZ,
        status VARCHAR,
        items INTEGER,
        error VARCHAR
    )""",
    """CREATE TABLE rejects (
        run_id VARCHAR,
        input_ref VARCHAR NOT NULL,
        reason VARCHAR NOT NULL,
        detail VARCHAR NOT NULL,
        sample VARCHAR,
        rejected_at TIMESTAMPTZ NOT NULL
    )""",
]

# Version 2: what each source alone reported (summaries issue), per-run story changes, and
# the input files already read (a rerun with nothing new skips them).
SCHEMA_V2 = [
    """CREATE TABLE source_notes (
        story_id VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        rank INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        text VARCHAR NOT NULL,
        article_id VARCHAR,
        position INTEGER,
        PRIMARY KEY (story_id, source, kind, rank)
    )""",
    """ALTER TABLE story_articles ADD COLUMN joined_run VARCHAR""",
    """CREATE TABLE pending_copies (
        article_id VARCHAR PRIMARY KEY,
        duplicate_of VARCHAR NOT NULL
    )""",
    """CREATE TABLE input_files (
        fingerprint VARCHAR PRIMARY KEY,
        path VARCHAR NOT NULL,
        size BIGINT NOT NULL,
        run_id VARCHAR,
        ingested_at TIMESTAMPTZ NOT NULL
    )""",
]

# Version 3: whether a report's time of day is known (issue 13). A page or feed that printed
# the day only («۹ اسفند ۱۴۰۴», "2026-02-28") has published_at at the day's start in Tehran,
# which is no time anybody printed. Rows written before are read back from what they kept:
# a time at Tehran midnight whose source text shows no clock (digits around a colon) was a
# day alone; every other dated row was read with its time.
SCHEMA_V3 = [
    """ALTER TABLE articles ADD COLUMN published_time_known BOOLEAN NOT NULL DEFAULT FALSE""",
    """UPDATE articles SET published_time_known = published_at IS NOT NULL AND NOT (
           CAST(timezone('Asia/Tehran', published_at) AS TIME) = TIME '00:00:00'
           AND NOT regexp_matches(coalesce(published_text, ''), '[0-9۰-۹٠-٩]\\s*:\\s*[0-9۰-۹٠-٩]'))""",
]

# version -> statements that bring a database from version-1 to version.
MIGRATIONS: dict[int, list[str]] = {1: SCHEMA_V1, 2: SCHEMA_V2, 3: SCHEMA_V3}
CURRENT_VERSION = max(MIGRATIONS)

VIEWS = [
    """CREATE OR REPLACE VIEW story_timeline AS
    SELECT sa.story_id, a.published_at, coalesce(a.source, a.attribution) AS source, a.title, a.url, a.article_id,
           a.external_id, a.attribution, a.duplicate_of IS NOT NULL AS is_duplicate, a.published_time_known
    FROM story_articles sa JOIN articles a USING (article_id)
    ORDER BY sa.story_id, a.published_at NULLS LAST, a.article_id""",
    """CREATE OR REPLACE VIEW story_sources AS
    SELECT sa.story_id, coalesce(a.source, a.attribution, 'unknown') AS source,
           min(a.published_at) AS first_report, count(*) AS n_reports,
           count(*) FILTER (WHERE a.duplicate_of IS NOT NULL) AS n_copies,
           coalesce(min(a.published_at) FILTER (WHERE a.published_time_known) = min(a.published_at), FALSE)
               AS first_report_time_known
    FROM story_articles sa JOIN articles a USING (article_id)
    GROUP BY ALL
    ORDER BY story_id, first_report NULLS LAST""",
    """CREATE OR REPLACE VIEW thread_timeline AS
    SELECT s.thread_id, s.story_id, s.title, s.first_published, s.last_published,
           s.n_articles, s.n_sources
    FROM stories s WHERE s.thread_id IS NOT NULL
    ORDER BY s.thread_id, s.first_published NULLS LAST""",
    """CREATE OR REPLACE VIEW latest_summaries AS
    SELECT m.story_id, s.title AS story_title, m.rank, m.text, m.source, m.article_id,
           a.url, a.published_at, a.published_time_known
    FROM summaries m JOIN stories s USING (story_id) JOIN articles a USING (article_id)
    ORDER BY s.last_published DESC NULLS LAST, m.story_id, m.rank""",
]


class SchemaError(Exception):
    """The database was written by a newer dastan, or a migration failed."""


def current_version(con: Any) -> int:
    """The schema version of an open database; 0 for an empty one."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(con: Any) -> int:
    """Bring the database to :data:`CURRENT_VERSION`, one transaction per step."""
    version = current_version(con)
    if version > CURRENT_VERSION:
        raise SchemaError(
            f"the database has schema version {version}; this dastan knows up to {CURRENT_VERSION}"
        )
    for target in range(version + 1, CURRENT_VERSION + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            for statement in MIGRATIONS[target]:
                con.execute(statement)
            con.execute("INSERT INTO schema_version VALUES (?, now())", [target])
            con.execute("COMMIT")
        except Exception as err:
            con.execute("ROLLBACK")
            raise SchemaError(f"migration to schema version {target} failed: {err}") from err
    if version != CURRENT_VERSION or not _views_exist(con):
        for statement in VIEWS:
            con.execute(statement)
    return CURRENT_VERSION


def _views_exist(con: Any) -> bool:
    names = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    return {"story_timeline", "story_sources", "thread_timeline", "latest_summaries"} <= names
