"""Writing a benchmark's results: the JSON file, then the table for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_results(path: Path, data: dict[str, Any], table: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print()
    print(table)
    print(f"\nwrote {path}")
