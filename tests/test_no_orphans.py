"""No process outlives a run (issue 15): `kill -9` of a `dastan run` leaves none of its
processes behind (Prefect's temporary API server was left orphaned, holding its port), and
the next run completes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT, SEED_FILES, prefect_home

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _env(home: Path, **extra: str) -> dict[str, str]:
    """No configured API (so the run starts its temporary server), a Prefect home of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DASTAN_"))}
    return {**env, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "HF_HUB_OFFLINE": "1", **extra}


def _wait(predicate, timeout: float, what: str, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"{what}: the run exited with {proc.returncode}:\n{proc.stderr.read()}")
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _port_free(port: int) -> bool:
    """Nothing listens on ``port`` (closed connections may linger in TIME_WAIT: a server can
    still bind it, with SO_REUSEADDR as uvicorn does)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def test_killed_run_leaves_no_process_and_the_next_run_completes(tmp_path, tmp_path_factory) -> None:
    db = tmp_path / "d.duckdb"
    home = prefect_home(tmp_path_factory, tmp_path / "prefect-home")
    cmd = [str(BIN / "dastan"), "run", *map(str, SEED_FILES), "--db", str(db), "--report", ""]
    run = subprocess.Popen(cmd, cwd=ROOT, env=_env(home, DASTAN_FLOW__PAUSE_AT="ingest"),
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        # paused after its first ingest batch: inside the flow, so the temporary server is up
        _wait(Path(f"{db}.paused-ingest").exists, 300, "the run to reach its ingest checkpoint", run)
        children = psutil.Process(run.pid).children(recursive=True)
        ports = [c.laddr.port for p in children for c in p.net_connections("tcp") if c.status == psutil.CONN_LISTEN]
        assert children and ports, "the run started no temporary API server: nothing to test"
        os.kill(run.pid, signal.SIGKILL)
        run.wait(10)
        # in its process group, by pid and by port: nothing of the killed run is left
        _wait(lambda: not _group_alive(run.pid), 15, "the killed run's process group to be empty")
        assert not [p.pid for p in children if p.is_running()]
        assert all(_port_free(port) for port in ports)
    finally:
        if _group_alive(run.pid):
            os.killpg(run.pid, signal.SIGKILL)
        Path(f"{db}.paused-ingest").unlink(missing_ok=True)

    again = subprocess.run(cmd, cwd=ROOT, env=_env(home), capture_output=True, text=True, timeout=900,
                           start_new_session=True)
    assert again.returncode == 0, again.stderr
    assert "stories" in again.stdout and "database:" in again.stdout
    out = subprocess.run([str(BIN / "dastan"), "runs", "--json", "--db", str(db)], capture_output=True, text=True)
    statuses = [line for line in out.stdout.splitlines() if line.strip()]
    assert '"completed"' in statuses[0] and '"incomplete"' in statuses[1]  # newest first


def test_a_server_launched_early_is_stopped_when_prefect_has_an_api_url() -> None:
    """dastan run starts the temporary server before it imports Prefect; when Prefect then
    turns out to have a server configured, the early one must not be left running."""
    code = (
        "import os, psutil\n"
        "from flows.temp_server import launch_early, tie_temporary_server\n"
        "launch_early()\n"
        "assert psutil.Process().children(), 'nothing launched'\n"
        "os.environ['PREFECT_API_URL'] = 'http://127.0.0.1:9/api'  # as if a profile set it\n"
        "tie_temporary_server()\n"
        "print(len(psutil.Process().children()))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "0"
