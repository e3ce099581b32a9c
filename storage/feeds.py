"""Feed polling state: validators for conditional GET, and how each poll went."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def feed_validators(con: Any, feed_url: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified the feed sent last time (None, None if never polled)."""
    row = con.execute("SELECT etag, last_modified FROM feed_state WHERE feed_url = ?", [feed_url]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def record_poll(con: Any, feed_url: str, source: str, status: str, items: int,
                etag: str | None = None, last_modified: str | None = None, error: str | None = None) -> None:
    """Remember how a poll went; validators are kept from the last successful poll."""
    con.execute(
        """INSERT INTO feed_state VALUES (?, ?, ?, ?, now(), ?, ?, ?)
           ON CONFLICT (feed_url) DO UPDATE SET
             source = excluded.source,
             etag = coalesce(excluded.etag, feed_state.etag),
             last_modified = coalesce(excluded.last_modified, feed_state.last_modified),
             fetched_at = excluded.fetched_at, status = excluded.status,
             items = excluded.items, error = excluded.error""",
        [feed_url, source, etag, last_modified, status, items, error],
    )


def known_urls(con: Any, urls: Sequence[str]) -> set[str]:
    """The URLs among ``urls`` that some stored article already has."""
    if not urls:
        return set()
    rows = con.execute("SELECT url FROM articles WHERE url IN (SELECT unnest(?))", [list(urls)]).fetchall()
    return {r[0] for r in rows}
