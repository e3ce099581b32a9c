"""Prefect's temporary API server, tied to the run that started it.

With no ``PREFECT_API_URL`` configured, Prefect starts a temporary API server for a flow
run: a uvicorn subprocess that Prefect stops at exit. A run killed with SIGKILL (a
timeout, the OOM killer, ``kill -9``) runs no exit handler, so that server was left
running, orphaned, holding its port (issue 15). Here dastan hands Prefect a server whose
process watches its parent: on Linux the kernel sends it SIGTERM when the run dies
(``prctl(PR_SET_PDEATHSIG)``), and everywhere a watchdog thread notices the new parent and
stops it, killing it outright 5 s later if shutting down hangs.

Prefect finds the server through the default instance of ``SubprocessASGIServer``, as its
own ``prefect_test_harness`` does. Run as ``python -m flows.temp_server PARENT_PID
UVICORN_ARGS...``, this module is the server's side; its import is the standard library only.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Any

WATCH_SECONDS = 0.5  # how often the watchdog looks at its parent
GRACE_SECONDS = 5.0  # a SIGTERM'd server that has not exited by then is killed
STARTUP_SECONDS = 120  # what prefect_test_harness is given in tests/conftest.py
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def tie_to_parent(parent: int) -> None:
    """End this process when ``parent`` dies (called first thing in the server process)."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the line above: nobody will signal
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_SECONDS)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(GRACE_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def tie_temporary_server() -> None:
    """Make the temporary API server Prefect would start for this process one that dies with it.

    Nothing to do when an API URL is configured (a real server: nothing is started).
    Call in the thread that runs the flow (the main thread): Linux signals the server when
    the thread that started it ends. Returns once the server answers.
    """
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return
    from prefect.server.api.server import SubprocessASGIServer

    class TiedServer(SubprocessASGIServer):
        """Prefect's temporary server, started through :func:`tie_to_parent`."""

        def _run_uvicorn_command(self) -> Any:
            # Prefect's own command (prefect/server/api/server.py, SubprocessASGIServer), run
            # through this module so that the server watches its parent.
            import subprocess

            import prefect
            from prefect.settings import get_current_settings

            env = {
                **os.environ,
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
                **get_current_settings().to_environment_variables(exclude_unset=True),
            }
            uvicorn = ["--app-dir", str(prefect.__module_path__.parent), "--factory",
                       "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                       "--log-level", "error", "--lifespan", "on"]
            return subprocess.Popen([sys.executable, "-m", "flows.temp_server", str(os.getpid()), *uvicorn], env=env)

    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    server = SubprocessASGIServer._instances.get(None) or TiedServer()  # now SubprocessASGIServer()
    # Started here, in the calling thread, not in whichever thread first asks Prefect for a
    # client (the kernel signals the server when the thread that started it ends). Prefect
    # waits 20 s by default; on a machine busy with other work the server took longer.
    server.start(timeout=max(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(), STARTUP_SECONDS))


def main(argv: list[str]) -> None:
    """The server process: watch the parent, then run uvicorn with the remaining arguments."""
    import runpy

    tie_to_parent(int(argv[0]))
    sys.argv = ["uvicorn", *argv[1:]]
    runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
