"""DuckDB storage: the only package that imports duckdb.

The names people use::

    from storage import Database
    db = Database("data/dastan.duckdb")
    with db.connect(read_only=True) as con:
        ...
"""

from __future__ import annotations

from storage.db import Database, DatabaseBusy, DatabaseMissing, ReadOnlyViolation, run_lock

__all__ = ["Database", "DatabaseBusy", "DatabaseMissing", "ReadOnlyViolation", "run_lock"]
