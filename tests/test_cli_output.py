"""Where output goes (issue 14): a report beside the database it reports, and a closed pipe
that ends a command quietly.

Before: `dastan run --db /elsewhere.duckdb` overwrote data/report.html, another database's
report, and `dastan stories | head -1` ended in a BrokenPipeError traceback.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import EXIT_BROKEN_PIPE, main
from flows.publish import report_path
from flows.settings import load_settings
from storage import Database
from tests.conftest import ROOT

DASTAN = [sys.executable, "-m", "flows.cli"]
CASE = ROOT / "tests" / "cases" / "summaries" / "chain-crash" / "items.jsonl"


@pytest.mark.parametrize(("db", "report", "expected"), [
    ("data/dastan.duckdb", "report.html", ROOT / "data" / "report.html"),  # the default: as before
    ("/elsewhere/x.duckdb", "report.html", Path("/elsewhere/report.html")),  # beside its own database
    ("/elsewhere/x.duckdb", "/tmp/r.html", Path("/tmp/r.html")),  # a path given is the path
    ("/elsewhere/x.duckdb", "", None),  # "" for none
])
def test_the_report_sits_beside_the_database_it_reports(db: str, report: str, expected: Path | None,
                                                        monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    assert report_path(load_settings(overrides={"db": db, "flow.report": report})) == expected


@pytest.mark.slow
def test_run_on_another_database_leaves_data_report_alone(tmp_path: Path, prefect_api: str) -> None:
    default = ROOT / "data" / "report.html"
    before = default.stat().st_mtime_ns if default.exists() else None
    db = tmp_path / "elsewhere.duckdb"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PREFECT_API_URL": prefect_api}
    result = subprocess.run([*DASTAN, "run", str(CASE), "--db", str(db)], cwd=ROOT, capture_output=True,
                            text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "report.html").exists()
    assert f"report: {tmp_path / 'report.html'}" in result.stdout
    assert (default.stat().st_mtime_ns if default.exists() else None) == before
    # `dastan report` with no --out writes beside the database too
    (tmp_path / "report.html").unlink()
    assert main(["report", "--db", str(db)]) == 0
    assert (tmp_path / "report.html").exists()


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "d.duckdb"
    with Database(str(path)).connect():
        pass
    return path


def test_a_closed_pipe_ends_a_command_quietly(empty_db: Path) -> None:
    """More than a pipe buffer of rows into `head -1`: the writer meets a closed pipe."""
    cmd = " ".join([*DASTAN, "sql", "'SELECT range AS n FROM range(200000)'", "--db", str(empty_db)])
    result = subprocess.run(f"{cmd} | head -1", shell=True, cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "n"
    assert result.stderr == ""  # no BrokenPipeError traceback, no "Exception ignored" at exit


class ClosedPipe(io.StringIO):
    """A stdout whose reader has gone: every write fails as a closed pipe does."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self._fd


def test_stories_into_a_closed_pipe_returns_without_a_traceback(empty_db: Path, monkeypatch, capsys) -> None:
    read, write = os.pipe()  # the handler points the pipe's fd at devnull, never the real stdout
    try:
        monkeypatch.setattr(sys, "stdout", ClosedPipe(write))
        assert main(["stories", "--db", str(empty_db)]) == EXIT_BROKEN_PIPE
    finally:
        os.close(read)
        os.close(write)
    assert "Traceback" not in capsys.readouterr().err
