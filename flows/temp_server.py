"""Prefect's temporary API server, tied to the run that started it.

With no ``PREFECT_API_URL`` configured, Prefect starts a temporary API server for a flow
run: a uvicorn subprocess that Prefect stops at exit. A run killed with SIGKILL (a
timeout, the OOM killer, ``kill -9``) runs no exit handler, so that server was left
running, orphaned, holding its port (issue 15). Here dastan hands Prefect a server whose
process watches its parent: on Linux the kernel sends it SIGTERM when the run dies
(``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread notices the new parent and
stops it, killing it outright 5 s later if shutting down hangs.

The server dastan starts before importing Prefect (:func:`launch_early`) is given to
Prefect by its URL, as a configured server would be; one started later (when the early one
failed) is Prefect's own ``SubprocessASGIServer``, found through its default instance as
``prefect_test_harness`` does. Run as ``python -m flows.temp_server PARENT_PID
UVICORN_ARGS...``, this module is the server's side; it imports the standard library only
(and :func:`clustering.workers.tie_to_parent`, which does too).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any

from clustering.workers import GRACE_SECONDS, tie_to_parent

STARTUP_SECONDS = 120  # what prefect_test_harness is given in tests/conftest.py


# A server process started before Prefect was imported, and its port (see launch_early).
_early: list[tuple[Any, int]] = []


def _server_command(port: int, app_dir: str) -> list[str]:
    """Prefect's own command for its temporary server (prefect/server/api/server.py,
    SubprocessASGIServer), run through this module so that the server watches its parent."""
    return [sys.executable, "-m", "flows.temp_server", str(os.getpid()), "--app-dir", app_dir,
            "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
            "--log-level", "error", "--lifespan", "on"]


def _server_env() -> dict[str, str]:
    return {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}


def launch_early() -> None:
    """Start the temporary server's process now, before this process imports Prefect.

    Both take seconds; started first, the server boots while Prefect is imported here.
    :func:`tie_temporary_server` adopts it, or stops it when Prefect turns out to have an
    API URL configured (in a profile, say). Call from the main thread, after
    ``prefect_defaults``.
    """
    import importlib.util
    import socket
    import subprocess

    if os.environ.get("PREFECT_API_URL") or _early:
        return
    spec = importlib.util.find_spec("prefect")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return
    app_dir = os.path.dirname(next(iter(spec.submodule_search_locations)))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    proc = subprocess.Popen(_server_command(port, app_dir), env=_server_env())
    _early.append((proc, port))
    threading.Thread(target=_warm_up, args=(f"http://127.0.0.1:{port}/api", proc), name="server-warm-up",
                     daemon=True).start()


def _warm_up(url: str, proc: Any) -> None:
    """Ask the early server, as soon as it listens, what a run's first request asks (its version).

    Its first answer costs it 0.5-1 s of start-up of its own (the run waited for it when its
    flow began); asked here, it is spent while the run still imports Prefect and prepares.
    A thread that mostly sleeps; it gives up with the server or after STARTUP_SECONDS.
    """
    import urllib.request

    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1: never a proxy
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with opener.open(f"{url}/admin/version", timeout=10) as answer:
                answer.read()
            return
        except OSError:  # not listening yet
            time.sleep(0.1)


def _answers(url: str, proc: Any, timeout: float) -> bool:
    """True once the server at ``url`` is healthy; False if its process ends or time runs out."""
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client() as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return False
            try:
                if client.get(f"{url}/health").status_code == 200:
                    return True
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
    return False


def tie_temporary_server() -> None:
    """Make the temporary API server Prefect would start for this process one that dies with it.

    Nothing to do when an API URL is configured (a real server: nothing is started), or
    when Prefect's temporary servers are turned off.
    Call in the thread that runs the flow (the main thread): Linux signals the server when
    the thread that started it ends. Returns once the server answers.
    """
    import atexit

    from prefect.settings import (
        PREFECT_API_URL,
        PREFECT_SERVER_ALLOW_EPHEMERAL_MODE,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    )

    early = _early.pop() if _early else None
    # a configured server, or temporary servers turned off (Prefect then says what to set)
    if PREFECT_API_URL.value() or not PREFECT_SERVER_ALLOW_EPHEMERAL_MODE.value():
        if early is not None:
            early[0].kill()
            early[0].wait()
        return
    # Prefect's temporary server is kept in this process as an instance of
    # SubprocessASGIServer, whose module imports the whole server (3 s of the run's main
    # thread, issue 15). The early process is that same server: Prefect is pointed at its
    # URL instead, as at a server of its own, and this process stops it at exit.
    # Prefect waits 20 s by default; on a machine busy with other work the server took longer.
    timeout = max(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(), STARTUP_SECONDS)
    if early is not None:
        url = f"http://127.0.0.1:{early[1]}/api"
        if _answers(url, early[0], timeout):
            atexit.register(_stop, early[0])
            _use_api(url)
            return
        _stop(early[0])  # ended (its port taken?) or never answered: start one the usual way
    from prefect.server.api.server import SubprocessASGIServer

    class TiedServer(SubprocessASGIServer):
        """Prefect's temporary server, started through :func:`tie_to_parent`."""

        def _run_uvicorn_command(self) -> Any:
            import subprocess

            import prefect
            from prefect.settings import get_current_settings

            env = {**_server_env(), **get_current_settings().to_environment_variables(exclude_unset=True)}
            return subprocess.Popen(_server_command(int(self.port or 0), str(prefect.__module_path__.parent)),
                                    env=env)

    server = SubprocessASGIServer._instances.get(None) or TiedServer()  # now SubprocessASGIServer()
    # Started here, in the calling thread, not in whichever thread first asks Prefect for a
    # client (the kernel signals the server when the thread that started it ends).
    server.start(timeout=timeout)


def _stop(proc: Any) -> None:
    """Stop a server process as Prefect's SubprocessASGIServer.stop does: SIGTERM, then
    SIGKILL if it has not ended 5 s later."""
    import subprocess

    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _use_api(url: str) -> None:
    """Point this process's Prefect at the temporary server at ``url``, as a configured
    PREFECT_API_URL would (every thread: the global settings context).

    No UI URL: the server serves none, and Prefect then prints no link to one, as with its
    own temporary server. No flow run heartbeats: they tell a server that a run has
    crashed, and this server ends with the run (the heartbeat thread also held the end of
    every run for up to 1 s).
    """
    import prefect.context
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, PREFECT_UI_URL

    root = prefect.context.GLOBAL_SETTINGS_CONTEXT
    updates = {PREFECT_API_URL: url, PREFECT_UI_URL: "", PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    prefect.context.GLOBAL_SETTINGS_CONTEXT = prefect.context.SettingsContext(
        profile=root.profile, settings=root.settings.copy_with_update(updates=updates))


def main(argv: list[str]) -> None:
    """The server process: watch the parent, then run uvicorn with the remaining arguments."""
    import runpy

    tie_to_parent(int(argv[0]))
    sys.argv = ["uvicorn", *argv[1:]]
    runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
