"""Input files already ingested, by fingerprint: a rerun over the same files reads nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from storage.arrow import insert_arrow


def known_fingerprints(con: Any, fingerprints: Sequence[str]) -> set[str]:
    if not fingerprints:
        return set()
    rows = con.execute("SELECT fingerprint FROM input_files WHERE fingerprint IN (SELECT unnest(?))",
                       [list(fingerprints)]).fetchall()
    return {r[0] for r in rows}


def record_files(con: Any, files: Sequence[tuple[str, str, int]], run_id: str | None) -> None:
    """Remember (fingerprint, path, size) of files whose every item is committed."""
    if not files:
        return
    now = datetime.now(UTC)
    insert_arrow(con, "input_files", pa.table({
        "fingerprint": [f[0] for f in files],
        "path": [f[1] for f in files],
        "size": pa.array([f[2] for f in files], pa.int64()),
        "run_id": [run_id] * len(files),
        "ingested_at": pa.array([now] * len(files), pa.timestamp("us", tz="UTC")),
    }), or_ignore=True)
