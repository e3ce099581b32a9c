"""Crash safety: `dastan run` killed with SIGKILL at each checkpoint loses nothing it had.

A database holds one complete run (two thirds of data/samples/agencies.jsonl). A second
`dastan run` of more reports is stopped at each checkpoint in turn (flow.pause_at: during
ingestion, after embedding, inside the final transaction after the stories, after the
summaries). At the last it is killed with SIGKILL; at each earlier one its files are copied
as a kill there leaves them (the process stopped with SIGSTOP while they are copied), and
the run goes on. Then, for each checkpoint's database: it opens; its stories, members,
summaries, threads and views are exactly those of the first run; the killed run is
`incomplete` in `dastan runs`; and running the same file again gives exactly the database
an uninterrupted run gives.

One run stopped four times costs one model load where four runs, each killed at one
checkpoint, cost four (the crash tests took 267 s of a 15-minute suite). The helpers here
(corpus split, baseline, state) are shared with tests/test_concurrency.py.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from flows.checkpoints import CHECKPOINTS, marker
from storage import Database
from tests.conftest import ROOT, SAMPLES, built_once, copy_files

pytestmark = pytest.mark.slow
RUN_TIMEOUT = 300  # seconds for one `dastan run` of a few dozen reports (about 20 alone)
# Three articles per ingestion batch, in every run here, so a kill "during ingestion"
# leaves one batch committed and the rest not.
BATCH = "3"


# --- the corpus and the runs --------------------------------------------------------------


def split_samples(out: Path) -> dict[str, Path]:
    """agencies.jsonl in three files: A (two thirds) first; B and C add to A's stories and start new ones."""
    lines = (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines()
    parts = {"A": [ln for i, ln in enumerate(lines) if i % 3 != 2],
             "B": [ln for i, ln in enumerate(lines) if i % 3 == 2 and i < 25],
             "C": [ln for i, ln in enumerate(lines) if i % 3 == 2 and i >= 25]}
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, rows in parts.items():
        paths[name] = out / f"{name}.jsonl"
        paths[name].write_text("\n".join(rows) + "\n", encoding="utf-8")
    return paths


def run_env(api_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a `dastan` child: offline, quiet, this test's Prefect API."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DASTAN_", "PREFECT_"))}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL="WARNING",
               DASTAN_FLOW__BATCH_ARTICLES=BATCH)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def dastan(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def start_run(db: Path, inputs: Path, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen:
    """`dastan run INPUTS --db DB` in the background, its output in log.out / log.err."""
    return subprocess.Popen(dastan("run", str(inputs), "--db", str(db), "--report", "", *extra), cwd=ROOT, env=env,
                            stdout=log.with_suffix(".out").open("w"), stderr=log.with_suffix(".err").open("w"),
                            start_new_session=True)


def finish(proc: subprocess.Popen, log: Path, timeout: float = RUN_TIMEOUT) -> str:
    """Wait for a run; fail with its stderr unless it succeeded. Returns its stdout."""
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"`dastan run` did not finish in {timeout} s: {log.with_suffix('.err').read_text()[-2000:]}")
    err = log.with_suffix(".err").read_text()
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    return log.with_suffix(".out").read_text()


def run(db: Path, inputs: Path, env: dict[str, str], log: Path) -> str:
    return finish(start_run(db, inputs, env, log), log)


def wait_for_marker(db: Path, name: str, proc: subprocess.Popen, timeout: float = RUN_TIMEOUT) -> int:
    """Wait until the run pauses at checkpoint ``name``; return the pid it wrote there."""
    path = marker(str(db), name)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().strip():
            return int(path.read_text())
        if proc.poll() is not None:
            pytest.fail(f"the run ended (exit {proc.returncode}) before reaching checkpoint {name!r}")
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)
    pytest.fail(f"the run did not reach checkpoint {name!r} in {timeout} s")


def holder(db: Path) -> dict[str, Any]:
    """The note the run holding the database's run lock wrote into the lock file."""
    return json.loads(Path(f"{db}.lock").read_text())


# --- the state a test compares ----------------------------------------------------------------

# Everything a person can see of stories, read straight from the tables and the views, without
# run ids and times of writing (they differ between any two runs).
STATE_QUERIES = {
    "stories": """SELECT story_id, title, keywords, thread_id, n_articles, n_sources, first_source,
                         first_published, last_published, frozen FROM stories ORDER BY story_id""",
    "members": "SELECT story_id, article_id FROM story_articles ORDER BY story_id, article_id",
    "summaries": """SELECT story_id, rank, article_id, position, text, source FROM summaries
                    ORDER BY story_id, rank""",
    "source_notes": "SELECT story_id, source, kind, rank, text FROM source_notes ORDER BY ALL",
    "threads": "SELECT * FROM threads ORDER BY thread_id",
    "articles": "SELECT article_id, content_hash, duplicate_of, published_at FROM articles ORDER BY article_id",
    "story_timeline": "SELECT * FROM story_timeline ORDER BY story_id, article_id",
    "story_sources": "SELECT * FROM story_sources ORDER BY story_id, source",
    "thread_timeline": "SELECT * FROM thread_timeline ORDER BY thread_id, story_id",
    "latest_summaries": "SELECT * FROM latest_summaries ORDER BY story_id, rank",
}
STORY_TABLES = ["stories", "members", "summaries", "source_notes", "threads"]
VIEWS = ["story_timeline", "story_sources", "thread_timeline", "latest_summaries"]


def state(db: Path) -> dict[str, list[tuple]]:
    """What the database holds, read-only (a database that does not open fails here)."""
    with Database(str(db)).connect(read_only=True) as con:
        return {name: [tuple(r) for r in con.execute(q).fetchall()] for name, q in STATE_QUERIES.items()}


def cli_json(db: Path, env: dict[str, str], *command: str) -> list[dict[str, Any]]:
    """`dastan COMMAND --json --db DB`, one object per line."""
    result = subprocess.run(dastan(*command, "--json", "--db", str(db)), cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def assert_same(got: dict[str, list[tuple]], want: dict[str, list[tuple]], parts: list[str]) -> None:
    for part in parts:
        assert got[part] == want[part], f"{part} differs: {len(got[part])} rows against {len(want[part])}"


# --- shared baselines ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    """The split corpus, a database after run A, and the uninterrupted run A then B."""

    inputs: dict[str, Path]
    after_a: Path
    after_ab: Path


def baseline(tmp_path_factory: pytest.TempPathFactory, api_url: str) -> Baseline:
    """Built once per test run, whichever module (and worker) asks first; each worker reads
    its own copy of the files."""

    def build(out: Path) -> None:
        inputs = split_samples(out)
        env = run_env(api_url)
        run(out / "after-a.duckdb", inputs["A"], env, out / "run-a")
        copy_db(out / "after-a.duckdb", out / "after-ab.duckdb")
        run(out / "after-ab.duckdb", inputs["B"], env, out / "run-b")

    here = tmp_path_factory.getbasetemp() / "robustness-baseline"
    if not here.exists():  # a worker's copy, made at its first call
        copy_files(built_once(tmp_path_factory, "robustness-baseline-shared", build), here)
    return Baseline({name: here / f"{name}.jsonl" for name in ("A", "B", "C")},
                    here / "after-a.duckdb", here / "after-ab.duckdb")


def copy_db(src: Path, dst: Path) -> Path:
    shutil.copy(src, dst)
    wal = Path(f"{src}.wal")
    if wal.exists():
        shutil.copy(wal, f"{dst}.wal")
    return dst


# --- the kills --------------------------------------------------------------------------------------


@dataclass
class Crash:
    """One checkpoint's kill and recovery, as observed."""

    checkpoint: str
    killed_run: str
    after_kill: dict[str, list[tuple]]
    killed_articles: list[str]  # articles the killed run committed before it died
    stories_after_kill: list[dict[str, Any]]  # `dastan stories --json`
    runs_after_kill: list[dict[str, Any]]  # `dastan runs --json`
    after_rerun: dict[str, list[tuple]]
    rerun_output: str


def snapshot(db: Path, dst: Path, pid: int) -> Path:
    """The database's files as a SIGKILL of ``pid`` would leave them now: copied while the
    process is stopped (SIGSTOP: none of its threads can write), then let go on. A kill
    discards nothing the process wrote to its files (the kernel keeps every written byte,
    committed or not) and releases its run lock, which a copy of the lock file never held."""
    os.kill(pid, signal.SIGSTOP)
    try:
        copy_db(db, dst)
        shutil.copy(f"{db}.lock", f"{dst}.lock")  # the holder's note, as a killed run leaves it
    finally:
        os.kill(pid, signal.SIGCONT)
    return dst


def _kill_and_recover(base: Baseline, work: Path, api_url: str) -> Iterator[Crash]:
    """One run of file B, paused at every checkpoint in turn: at each but the last its files
    are copied as a kill there leaves them (:func:`snapshot`); at the last it is killed."""
    db = copy_db(base.after_a, work / "run.duckdb")
    proc = start_run(db, base.inputs["B"], run_env(api_url, DASTAN_FLOW__PAUSE_AT=",".join(CHECKPOINTS)),
                     work / "killed")
    dbs: dict[str, Path] = {}
    observed: dict[str, tuple] = {}
    try:
        for cp in CHECKPOINTS:
            pid = wait_for_marker(db, cp, proc)
            assert pid == proc.pid
            observed[cp] = (holder(db)["run_id"],)
            if cp == CHECKPOINTS[-1]:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(30)
                assert proc.returncode == -signal.SIGKILL
                dbs[cp] = db
            else:
                dbs[cp] = snapshot(db, work / f"{cp}.duckdb", proc.pid)
            marker(str(db), cp).unlink()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    env = run_env(api_url)
    for cp in CHECKPOINTS:
        killed_run = observed[cp][0]
        after_kill = state(dbs[cp])  # read-only, before anything writes to it again
        with Database(str(dbs[cp])).connect(read_only=True) as con:
            killed_articles = [r[0] for r in con.execute(
                "SELECT article_id FROM articles WHERE run_id = ? ORDER BY article_id", [killed_run]).fetchall()]
        observed[cp] = (killed_run, after_kill, killed_articles, cli_json(dbs[cp], env, "stories"),
                        cli_json(dbs[cp], env, "runs"))
    # the reruns, two at a time (two cores)
    outputs: dict[str, str] = {}
    for pair in (CHECKPOINTS[:2], CHECKPOINTS[2:]):
        started = {cp: start_run(dbs[cp], base.inputs["B"], env, work / f"rerun-{cp}") for cp in pair}
        for cp, proc in started.items():
            outputs[cp] = finish(proc, work / f"rerun-{cp}")
    for cp in CHECKPOINTS:
        yield Crash(cp, *observed[cp], state(dbs[cp]), outputs[cp])


@pytest.fixture(scope="module")
def crashes(tmp_path_factory, prefect_api) -> dict[str, Crash]:
    base = baseline(tmp_path_factory, prefect_api)
    work = tmp_path_factory.mktemp("crash")
    return {c.checkpoint: c for c in _kill_and_recover(base, work, prefect_api)}


@pytest.fixture(scope="module")
def before(tmp_path_factory, prefect_api) -> dict[str, list[tuple]]:
    return state(baseline(tmp_path_factory, prefect_api).after_a)


@pytest.fixture(scope="module")
def before_stories(tmp_path_factory, prefect_api) -> list[dict[str, Any]]:
    return cli_json(baseline(tmp_path_factory, prefect_api).after_a, run_env(prefect_api), "stories")


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory, prefect_api) -> dict[str, list[tuple]]:
    return state(baseline(tmp_path_factory, prefect_api).after_ab)


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_killed_run_leaves_the_previous_stories_and_summaries_exactly(crashes, before, checkpoint: str) -> None:
    crash = crashes[checkpoint]
    assert before["stories"] and before["summaries"]
    assert_same(crash.after_kill, before, STORY_TABLES)


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_views_show_no_article_of_the_killed_run(crashes, before_stories, checkpoint: str) -> None:
    crash = crashes[checkpoint]
    assert crash.killed_articles  # ingestion commits batch by batch: the killed run stored some
    if checkpoint == "ingest":
        assert len(crash.killed_articles) < 8  # one batch, not the whole file
    for view, column in (("story_timeline", 5), ("latest_summaries", 5)):  # their article_id columns
        assert not {r[column] for r in crash.after_kill[view]} & set(crash.killed_articles), view
    listed = {a for s in crash.stories_after_kill for a in s["articles"]}
    assert listed == {a for s in before_stories for a in s["articles"]}  # `dastan stories` lists no new report


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_views_and_story_list_are_exactly_as_before_the_killed_run(crashes, before, before_stories,
                                                                   checkpoint: str) -> None:
    crash = crashes[checkpoint]
    assert crash.stories_after_kill == before_stories
    assert_same(crash.after_kill, before, VIEWS)


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_killed_run_is_listed_as_incomplete(crashes, checkpoint: str) -> None:
    crash = crashes[checkpoint]
    status = {r["run_id"]: r["status"] for r in crash.runs_after_kill}
    assert status[crash.killed_run] == "incomplete"
    assert list(status.values()).count("completed") == 1  # run A


@pytest.mark.parametrize("checkpoint", CHECKPOINTS)
def test_rerun_gives_exactly_what_an_uninterrupted_run_gives(crashes, uninterrupted, checkpoint: str) -> None:
    crash = crashes[checkpoint]
    assert crash.rerun_output.startswith("ingested ")
    assert_same(crash.after_rerun, uninterrupted, list(STATE_QUERIES))
    assert len(crash.after_rerun["stories"]) > len(crashes[checkpoint].after_kill["stories"]) or \
        crash.after_rerun["members"] != crash.after_kill["members"]
