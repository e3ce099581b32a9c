"""The README tells the truth: its commands run as shown and its SQL examples return rows
with the documented columns (against the demo database)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent
# Commands the README shows that other tests exercise for real, or that need what a test
# cannot have: `fetch` polls the outlets on the internet (tests/test_fetch.py and
# tests/test_prefect_server.py poll a local fixture server instead); `serve` and `prefect
# server start` are run by tests/test_prefect_server.py.
NOT_RUN_HERE = {"fetch", "serve"}


def readme_blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def dastan_commands() -> list[str]:
    return [line.removeprefix("$ ").strip() for block in readme_blocks("console")
            for line in block.splitlines() if line.startswith("$ .venv/bin/dastan ")]


def documented_view_columns() -> dict[str, list[str]]:
    out = {}
    for row in re.findall(r"^\| `(\w+)` \|[^|]*\| (.*) \|$", README, flags=re.M):
        out[row[0]] = re.findall(r"`(\w+)`", row[1])
    return out


def test_readme_starts_with_exactly_the_two_commands() -> None:
    first_block = readme_blocks("")[0]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()] == ["make demo", "make test"]


def test_every_subcommand_is_documented_in_the_readme() -> None:
    from flows.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    shown = " ".join(dastan_commands()) + README
    for name in sub.choices:
        assert f"dastan {name}" in shown or f"`{name}" in README, name


@pytest.mark.parametrize("command", dastan_commands())
def test_readme_command_runs_as_shown(command: str, demo, prefect_api, tmp_path) -> None:
    db, _first, _second = demo
    args = shlex.split(command)[1:]
    if args[0] in NOT_RUN_HERE:
        pytest.skip(f"`dastan {args[0]}` is exercised by another test")
    env = {**os.environ, "DASTAN_DB": str(db if args[0] != "run" else tmp_path / "run.duckdb"),
           # the test run's Prefect API: a run's own temporary server is tests/test_no_orphans.py's
           "PREFECT_API_URL": prefect_api}
    if "STORY_ID" in args or "THREAD_ID" in args:
        stories = json.loads(subprocess.run([str(BIN / "dastan"), "stories", "--json", "--limit", "1"],
                                            capture_output=True, text=True, check=True, env=env, cwd=ROOT
                                            ).stdout.splitlines()[0])
        threaded = subprocess.run([str(BIN / "dastan"), "sql", "--json", "SELECT thread_id FROM threads LIMIT 1"],
                                  capture_output=True, text=True, check=True, env=env, cwd=ROOT).stdout
        thread = json.loads(threaded.splitlines()[0])["thread_id"] if threaded.strip() else "none"
        args = [stories["story_id"] if a == "STORY_ID" else thread if a == "THREAD_ID" else a for a in args]
    result = subprocess.run([str(BIN / "dastan"), *args], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip()
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("query", readme_blocks("sql"))
def test_readme_sql_example_returns_rows_with_documented_columns(query: str, demo) -> None:
    from storage import Database
    from storage.queries import run_sql

    db, _first, _second = demo
    with Database(str(db)).connect(read_only=True) as con:
        columns, rows = run_sql(con, query)
    assert rows, query
    documented = documented_view_columns()
    used = [view for view in documented if re.search(rf"\b{view}\b", query)]
    assert used, "every example reads a documented view"
    assert set(columns) <= {c for view in used for c in documented[view]}, (used, columns)


def test_every_documented_view_has_exactly_the_documented_columns(demo) -> None:
    from storage import Database

    db, _first, _second = demo
    documented = documented_view_columns()
    assert set(documented) == {"story_timeline", "story_sources", "thread_timeline", "latest_summaries"}
    with Database(str(db)).connect(read_only=True) as con:
        for view, cols in documented.items():
            actual = [d[0] for d in con.execute(f"SELECT * FROM {view} LIMIT 0").description]  # our view names
            assert actual == cols, view
            assert con.execute(f"SELECT count(*) FROM {view}").fetchone()[0] > 0, view
