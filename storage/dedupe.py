"""MinHash signatures of stored articles, and their LSH band keys for candidate lookup."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from storage.arrow import insert_arrow


def save_signatures(con: Any, article_ids: Sequence[str], signatures: Sequence[np.ndarray],
                    sizes: Sequence[int], bands: Sequence[Sequence[int]]) -> None:
    """Store each article's signature and band keys (inside the caller's transaction)."""
    if not article_ids:
        return
    insert_arrow(con, "signatures", pa.table({
        "article_id": list(article_ids),
        "signature": pa.array([s.tolist() for s in signatures], pa.list_(pa.uint64())),
        "n_shingles": pa.array(list(sizes), pa.int32()),
    }), or_ignore=True)
    insert_arrow(con, "signature_bands", pa.table({
        "band_key": pa.array([k for keys in bands for k in keys], pa.int64()),
        "article_id": [a for a, keys in zip(article_ids, bands, strict=True) for _ in keys],
    }))


def candidates_by_band(con: Any, band_keys: Sequence[int]) -> tuple[
        dict[int, list[str]], dict[str, tuple[np.ndarray, int, datetime | None, str | None]]]:
    """Stored articles sharing a band key with a batch, in two queries (not one per article):
    the stored articles under each key, and each one's signature, shingle count, publication
    time and duplicate_of (a pending copy mark included)."""
    keys = sorted(set(band_keys))
    if not keys:
        return {}, {}
    by_key: dict[int, list[str]] = {}
    for key, aid in con.execute(
            "SELECT band_key, article_id FROM signature_bands WHERE band_key IN (SELECT unnest(?))",
            [keys]).fetchall():
        by_key.setdefault(key, []).append(aid)
    ids = sorted({aid for aids in by_key.values() for aid in aids})
    rows = con.execute(
        """SELECT s.article_id, s.signature, s.n_shingles, a.published_at,
                  coalesce(p.duplicate_of, a.duplicate_of)
           FROM signatures s JOIN articles a USING (article_id) LEFT JOIN pending_copies p USING (article_id)
           WHERE s.article_id IN (SELECT unnest(?))""",
        [ids],
    ).fetchall() if ids else []
    found = {aid: (np.array(sig, dtype=np.uint64), n, pub, dup) for aid, sig, n, pub, dup in rows}
    return {k: [aid for aid in aids if aid in found] for k, aids in by_key.items()}, found


def defer_duplicate_of(con: Any, article_id: str, original: str) -> None:
    """Note that a stored article is a copy of an earlier-published one that just arrived.

    Stored articles may already be in stories, so the change waits for the run's final
    transaction (:func:`apply_pending_copies`): until the run's stories are written, readers
    keep seeing the coverage they saw, and a killed run changes nothing they see.
    """
    con.execute("INSERT OR REPLACE INTO pending_copies VALUES (?, ?)", [article_id, original])


def apply_pending_copies(con: Any) -> int:
    """Make the deferred copy marks real (inside the transaction that writes the stories)."""
    n = con.execute("SELECT count(*) FROM pending_copies").fetchall()[0][0]
    con.execute("""UPDATE articles SET duplicate_of = p.duplicate_of FROM pending_copies p
                   WHERE articles.article_id = p.article_id""")
    con.execute("DELETE FROM pending_copies")
    return int(n)


def pending_copy_ids(con: Any) -> set[str]:
    """Stored articles marked a copy by this run, the mark not yet applied (:func:`defer_duplicate_of`)."""
    return {r[0] for r in con.execute("SELECT article_id FROM pending_copies").fetchall()}
