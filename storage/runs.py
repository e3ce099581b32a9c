"""The runs table: what each run was asked, what it did, and how it ended."""

from __future__ import annotations

import json
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
    stale = mark_dead_runs(con)
    con.execute(
        """INSERT INTO runs (run_id, kind, status, started_at, params, model, flow_run_id, pid)
           VALUES (?, ?, ?, now(), ?, ?, ?, ?)""",
        [run_id, kind, RUNNING, as_json(params), model, flow_run_id, os.getpid()],
    )
    return stale


def finish_run(con: Any, run_id: str, status: str, counts: dict[str, Any], error: str | None = None) -> None:
    """Record how a run ended, with its counts."""
    con.execute(
        "UPDATE runs SET status = ?, finished_at = now(), counts = ?, error = ? WHERE run_id = ?",
        [status, as_json(counts), error, run_id],
    )


def status_of(counts: dict[str, Any]) -> str:
    """How a run that finished its work ended: 'failed' when it fetched and every source
    failed, 'partial' when some did, else 'completed' (a fetch whose one source failed was
    recorded 'completed': the eighth newcomer's defect 7)."""
    failed = counts.get("failed_sources") or []
    if not failed:
        return COMPLETED
    return FAILED if not counts.get("sources") and not counts.get("ingested") else PARTIAL


def mark_dead_runs(con: Any) -> int:
    """Mark runs left 'running' as incomplete. Call only while holding the run lock (or
    having checked it is free): then no run can be alive."""
    rows = con.execute(
        "UPDATE runs SET status = ?, error = 'the process ended before the run finished' "
        "WHERE status = ? RETURNING run_id",
        [INCOMPLETE, RUNNING],
    ).fetchall()
    return len(rows)


def list_runs(con: Any, limit: int = 20) -> list[dict[str, Any]]:
    """The latest runs with status, counts and timing."""
    rows = con.execute(
        """SELECT run_id, kind, status, started_at, finished_at, counts, error FROM runs
           ORDER BY started_at DESC LIMIT ?""",
        [limit],
    ).fetchall()
    out = []
    for run_id, kind, status, started, finished, counts, error in rows:
        out.append({"run_id": run_id, "kind": kind, "status": status,
                    "started_at": started.isoformat() if started else None,
                    "finished_at": finished.isoformat() if finished else None,
                    "counts": json.loads(counts) if counts else {}, "error": error})
    return out
