"""Named points of a run where the crash and concurrency tests can stop it.

With ``flow.pause_at`` set to a checkpoint's name (ingest, embed, stories, summaries), or to
several separated by commas, a run that reaches one writes ``<db>.paused-<name>`` (holding
its pid) and waits until that file is removed; it pauses at each name once (ingestion
passes "ingest" after every batch: the first one pauses). A test then kills the process
there (SIGKILL, mid-transaction for "stories" and "summaries"), copies its files, or lets
it go on. Unset, a checkpoint costs one comparison.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from flows.settings import Settings

CHECKPOINTS = ("ingest", "embed", "stories", "summaries")
_passed: set[str] = set()  # the checkpoints this process has paused at


def marker(db: str, name: str) -> Path:
    return Path(f"{db}.paused-{name}")


def checkpoint(settings: Settings, name: str) -> None:
    """Pause here if the settings ask for it (tests only); otherwise return at once."""
    if not settings.flow.pause_at or name in _passed or name not in settings.flow.pause_at.split(","):
        return
    _passed.add(name)
    path = marker(settings.db, name)
    path.write_text(str(os.getpid()))
    while path.exists():
        time.sleep(0.05)
