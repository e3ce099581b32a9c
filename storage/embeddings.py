"""The embedding cache: vectors keyed by the hash of the exact text and the model id.

A text embedded once is never embedded again by the same model, across runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from storage.arrow import insert_arrow


def cached_vectors(con: Any, hashes: Sequence[str], model_id: str) -> dict[str, np.ndarray]:
    """The cached vectors among ``hashes`` for ``model_id`` (float32 rows)."""
    if not hashes:
        return {}
    # A DB-API result, not con.sql(): duckdb 2 refuses con.sql() while an earlier execute()
    # on the connection is unfinished (even a fetchone() of a one-row result), and callers
    # share connections. The extra copy it warns about costs milliseconds here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        table = con.execute(
            """SELECT content_hash, vector FROM embeddings
               WHERE model_id = ? AND content_hash IN (SELECT unnest(?))""",
            [model_id, list(set(hashes))],
        ).to_arrow_table()
    if table.num_rows == 0:
        return {}
    keys = table.column("content_hash").to_pylist()
    vectors = table.column("vector").combine_chunks()
    dim = len(vectors[0])
    matrix = np.asarray(vectors.values.to_numpy(zero_copy_only=False), dtype=np.float32).reshape(-1, dim)
    return dict(zip(keys, matrix, strict=True))


def save_vectors(con: Any, hashes: Sequence[str], vectors: np.ndarray, model_id: str) -> None:
    """Store new vectors (rows of ``vectors``, aligned with ``hashes``); known keys are kept."""
    if len(hashes) == 0:
        return
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    flat = pa.array(vectors.ravel())
    insert_arrow(
        con,
        "embeddings",
        pa.table({
            "content_hash": list(hashes),
            "model_id": [model_id] * len(hashes),
            "vector": pa.ListArray.from_arrays(
                pa.array(np.arange(0, vectors.size + 1, vectors.shape[1], dtype=np.int32)), flat
            ),
        }),
        or_ignore=True,
    )


def count_vectors(con: Any, model_id: str | None = None) -> int:
    """How many vectors the cache holds (for one model, or all)."""
    if model_id is None:
        return int(con.execute("SELECT count(*) FROM embeddings").fetchone()[0])
    return int(con.execute("SELECT count(*) FROM embeddings WHERE model_id = ?", [model_id]).fetchone()[0])


def missing_vectors(con: Any, model_id: str, per_article: int, limit: int | None = None) -> list[tuple[str, str]]:
    """(hash, text) of the window's sentences that clustering and summaries read and that have
    no vector for ``model_id`` yet, each text once, shortest first.

    The same sentences as ``flows.window.embedded_sentences`` (each article's first title and
    its first ``per_article`` other content sentences), chosen in SQL so that finding the
    few new texts of a run does not read the whole window back into Python. Shortest first
    (then by hash, so the order is stable): batches of texts of one length pad least.
    ``limit`` stops at the first few (the "is anything missing" question).
    """
    rows = con.execute(
        f"""WITH win AS (
                SELECT a.article_id FROM articles a
                LEFT JOIN story_articles sa USING (article_id)
                LEFT JOIN stories s USING (story_id)
                WHERE coalesce(s.frozen, FALSE) = FALSE),
            content AS (
                SELECT s.content_hash, s.text, s.role = 'title' AS is_title,
                       row_number() OVER (PARTITION BY s.article_id, s.role = 'title' ORDER BY s.position) AS k
                FROM sentences s JOIN win USING (article_id)
                WHERE s.role <> 'boilerplate' AND s.copy_of IS NULL),
            wanted AS (
                SELECT content_hash, any_value(text) AS text FROM content
                WHERE (is_title AND k = 1) OR (NOT is_title AND k <= ?)
                GROUP BY content_hash)
            SELECT w.content_hash, w.text FROM wanted w
            WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.content_hash = w.content_hash AND e.model_id = ?)
            ORDER BY length(w.text), w.content_hash {"LIMIT ?" if limit is not None else ""}""",
        [per_article, model_id] + ([limit] if limit is not None else []),
    ).fetchall()
    return [(h, t) for h, t in rows]
