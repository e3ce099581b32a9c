"""The threads table, derived from the thread ids the stories carry."""

from __future__ import annotations

from typing import Any


def replace_threads(con: Any) -> int:
    """Rebuild ``threads`` from ``stories`` (inside the caller's transaction); return the count.

    A thread's title is the title of its story with the most distinct sources.
    """
    con.execute("DELETE FROM threads")
    con.execute(
        """INSERT INTO threads
           SELECT thread_id,
                  arg_max(title, n_sources * 1000000 + n_articles),
                  count(*), min(first_published), max(last_published)
           FROM stories WHERE thread_id IS NOT NULL GROUP BY thread_id"""
    )
    # fetchall, not fetchone: DuckDB 2 refuses the next register() (an Arrow insert in the
    # same transaction) while a result is left unfinished.
    return int(con.execute("SELECT count(*) FROM threads").fetchall()[0][0])
