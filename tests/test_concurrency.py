"""Two runs on one database, and readers during a run.

Run 1 (file B) pauses after embedding, between two write transactions. Meanwhile run 2
(file C) starts and must wait for it, saying for whom; a `--no-wait` run fails at once
naming the holder; readers get the last committed stories. Run 1 goes on and finishes;
run 2 takes the lock and pauses inside its final write transaction, where readers get the
last committed state or a clear "busy" message. In the end the database equals B then C
run one after the other, without any overlap.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from flows.checkpoints import marker
from tests.conftest import ROOT
from tests.test_crash import (
    STATE_QUERIES,
    assert_same,
    baseline,
    cli_json,
    copy_db,
    dastan,
    finish,
    holder,
    run,
    run_env,
    start_run,
    state,
    wait_for_marker,
)

pytestmark = pytest.mark.slow
READ_TIMEOUT = 60  # a reader retries a busy database for about 10 s, then says so


@dataclass
class Read:
    """One reader command: exit code, output, and how long it took."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float


def read(db: Path, env: dict[str, str], *command: str) -> subprocess.Popen:
    return subprocess.Popen(dastan(*command, "--db", str(db)), cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def collect(proc: subprocess.Popen, started: float) -> Read:
    out, err = proc.communicate(timeout=READ_TIMEOUT)
    return Read(proc.returncode, out, err, time.monotonic() - started)


def read_all(db: Path, env: dict[str, str]) -> dict[str, Read]:
    """`dastan stories --json` and `dastan sql` at the same moment."""
    started = time.monotonic()
    procs = {"stories": read(db, env, "stories", "--json"),
             "sql": read(db, env, "sql", "SELECT count(*) AS n FROM story_articles", "--json")}
    return {name: collect(p, started) for name, p in procs.items()}


@dataclass
class Session:
    """What the two runs, the impatient run and the readers did."""

    run1: dict[str, Any] = field(default_factory=dict)  # run_id, pid
    run2: dict[str, Any] = field(default_factory=dict)
    run2_stderr: str = ""
    no_wait: Read | None = None
    reads_between_stages: dict[str, Read] = field(default_factory=dict)
    reads_in_transaction: dict[str, Read] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    final: dict[str, list[tuple]] = field(default_factory=dict)


@pytest.fixture(scope="module")
def setup(tmp_path_factory, prefect_api) -> dict[str, Any]:
    base = baseline(tmp_path_factory, prefect_api)
    work = tmp_path_factory.mktemp("concurrency")
    return {"base": base, "work": work, "env": run_env(prefect_api)}


@pytest.fixture(scope="module")
def session(setup, prefect_api) -> Session:
    base, work, env = setup["base"], setup["work"], setup["env"]
    db = copy_db(base.after_a, work / "shared.duckdb")
    s = Session()
    run1 = start_run(db, base.inputs["B"], run_env(prefect_api, DASTAN_FLOW__PAUSE_AT="embed"), work / "run1")
    run2 = None
    try:
        pid1 = wait_for_marker(db, "embed", run1)
        s.run1 = {"run_id": holder(db)["run_id"], "pid": pid1}
        # run 1 is between transactions: a second run, an impatient one, readers
        run2 = start_run(db, base.inputs["C"], run_env(prefect_api, DASTAN_FLOW__PAUSE_AT="stories"), work / "run2")
        started = time.monotonic()
        impatient = subprocess.run(dastan("run", str(base.inputs["C"]), "--db", str(db), "--report", "", "--no-wait"),
                                   cwd=ROOT, env=env, capture_output=True, text=True, timeout=READ_TIMEOUT)
        s.no_wait = Read(impatient.returncode, impatient.stdout, impatient.stderr, time.monotonic() - started)
        s.reads_between_stages = read_all(db, env)
        deadline = time.monotonic() + 120
        while "waiting for" not in Path(work / "run2.err").read_text() and time.monotonic() < deadline:
            assert run2.poll() is None, Path(work / "run2.err").read_text()[-2000:]
            time.sleep(0.2)
        # run 1 goes on; run 2 gets the lock and stops inside its final transaction
        marker(str(db), "embed").unlink()
        finish(run1, work / "run1")
        pid2 = wait_for_marker(db, "stories", run2)
        s.run2 = {"run_id": holder(db)["run_id"], "pid": pid2}
        s.reads_in_transaction = read_all(db, env)
        marker(str(db), "stories").unlink()
        finish(run2, work / "run2")
        s.run2_stderr = Path(work / "run2.err").read_text()
    finally:
        for proc in (run1, run2):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    s.runs = cli_json(db, env, "runs")
    s.final = state(db)
    return s


@pytest.fixture(scope="module")
def sequential(setup) -> dict[str, list[tuple]]:
    """B then C, one after the other: the database the two runs must end with."""
    base, work, env = setup["base"], setup["work"], setup["env"]
    db = copy_db(base.after_ab, work / "sequential.duckdb")
    run(db, base.inputs["C"], env, work / "sequential-c")
    return state(db)


def test_second_run_waits_with_a_message_naming_the_holder(session: Session) -> None:
    run1 = session.run1
    line = next(ln for ln in session.run2_stderr.splitlines() if "waiting for" in ln)
    assert f"waiting for run {run1['run_id']} (pid {run1['pid']} " in line
    assert "WARNING" in line and "Traceback" not in session.run2_stderr


def test_second_run_starts_after_the_first_finished_and_both_complete(session: Session) -> None:
    runs = {r["run_id"]: r for r in session.runs}
    first, second = runs[session.run1["run_id"]], runs[session.run2["run_id"]]
    assert first["status"] == second["status"] == "completed"
    assert datetime.fromisoformat(second["started_at"]) >= datetime.fromisoformat(first["finished_at"])
    assert [r["status"] for r in session.runs].count("completed") == 3  # A, B, C: nothing else was recorded


def test_end_state_equals_the_two_runs_one_after_the_other(session: Session, sequential) -> None:
    assert_same(session.final, sequential, list(STATE_QUERIES))


def test_no_wait_fails_fast_with_a_message_naming_the_holder(session: Session) -> None:
    r = session.no_wait
    assert r is not None and r.returncode == 1
    assert r.seconds < 30
    assert r.stderr.startswith("dastan: another run is writing"), r.stderr[-2000:]
    assert f"run {session.run1['run_id']} (pid {session.run1['pid']} " in r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""


def test_readers_between_a_runs_stages_see_the_last_committed_stories(session: Session, setup) -> None:
    committed = state(setup["base"].after_a)
    reads = session.reads_between_stages
    for r in reads.values():
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    stories = [json.loads(line) for line in reads["stories"].stdout.splitlines()]
    assert sorted(s["story_id"] for s in stories) == [row[0] for row in committed["stories"]]
    assert sum(len(s["articles"]) for s in stories) == len(committed["members"])
    assert json.loads(reads["sql"].stdout) == {"n": len(committed["members"])}


def test_readers_inside_a_write_transaction_see_committed_state_or_a_clear_busy_message(session: Session,
                                                                                        setup) -> None:
    committed = state(setup["base"].after_ab)  # A and B: run 2 has not committed yet
    for name, r in session.reads_in_transaction.items():
        print(f"{name} inside the transaction: exit {r.returncode} after {r.seconds:.1f} s {r.stderr.strip()}")
        assert "Traceback" not in r.stderr, r.stderr
        if r.returncode == 0:
            if name == "sql":
                assert json.loads(r.stdout) == {"n": len(committed["members"])}
            else:
                assert sorted(json.loads(ln)["story_id"] for ln in r.stdout.splitlines()) == \
                    [row[0] for row in committed["stories"]]
        else:
            assert r.returncode == 1 and r.stdout == ""
            assert re.match(rf"dastan: the database .* is busy: run {session.run2['run_id']} "
                            rf"\(pid {session.run2['pid']} ", r.stderr), r.stderr
            assert r.seconds < READ_TIMEOUT
