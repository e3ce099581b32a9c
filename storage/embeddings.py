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
