"""The runs table: what each run was asked, what it did, and how it ended."""

from __future__ import annotations

import os
from typing import Any

from storage.articles import as_json

RUNNING = "running"
COMPLETED = "completed"
PARTIAL = "partial"  # finished, but some source or input failed
FAILED = "failed"
INCOMPLETE = "incomplete"  # the process died (killed, crashed) before finishing


def start_run(con: Any, run_id: str, kind: str, params: dict[str, Any], model: str | None,
              flow_run_id: str | None = None) -> int:
    """Record a run as started. Runs left 'running' by a dead process become 'incomplete'.

    The caller holds the run lock, so no other run can be running at this moment: any
    row still 'running' belongs to a process that died. Returns how many were marked.
    """
    stale = con.execute(
        "UPDATE runs SET status = ?, error = 'the process ended before the run finished' "
        "WHERE status = ? RETURNING run_id",
        [INCOMPLETE, RUNNING],
    ).fetchall()
    con.execute(
        """INSERT INTO runs (run_id, kind, status, started_at, params, model, flow_run_id, pid)
           VALUES (?, ?, ?, now(), ?, ?, ?, ?)""",
        [run_id, kind, RUNNING, as_json(params), model, flow_run_id, os.getpid()],
    )
    return len(stale)


def finish_run(con: Any, run_id: str, status: str, counts: dict[str, Any], error: str | None = None) -> None:
    """Record how a run ended, with its counts."""
    con.execute(
        "UPDATE runs SET status = ?, finished_at = now(), counts = ?, error = ? WHERE run_id = ?",
        [status, as_json(counts), error, run_id],
    )


def run_status(con: Any, run_id: str) -> str | None:
    row = con.execute("SELECT status FROM runs WHERE run_id = ?", [run_id]).fetchone()
    return row[0] if row else None
