"""flows.build_helper: a long input's drafts built on two processes, in order, same results."""

from __future__ import annotations

import os
import signal
import sys

import pytest

from flows import build_helper
from flows.build_helper import CHUNK, WARM_UP, build_in_order

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper is forked on Linux only")


def _items(n: int) -> list[object]:
    """Drafts (ints) with other items (strings: rejects, file ends) among them."""
    out: list[object] = []
    for i in range(n):
        out.append(i)
        if i % 7 == 0:
            out.append(f"end of file {i}")
    return out


def _is_draft(x: object) -> bool:
    return isinstance(x, int)


def _built_by(x: int) -> tuple[int, int]:
    return (x * x, os.getpid())


def test_short_input_is_built_here_in_order() -> None:
    items = _items(WARM_UP - 1)
    out = list(build_in_order(items, _is_draft, _built_by))
    assert [o if isinstance(o, str) else o[0] for o in out] == [x if isinstance(x, str) else x * x for x in items]
    assert {o[1] for o in out if isinstance(o, tuple)} == {os.getpid()}


@linux
def test_long_input_same_results_in_order_half_built_by_the_helper() -> None:
    items = _items(WARM_UP + 10 * CHUNK + 5)
    out = list(build_in_order(items, _is_draft, _built_by))
    assert [o if isinstance(o, str) else o[0] for o in out] == [x if isinstance(x, str) else x * x for x in items]
    builders = [o[1] for o in out if isinstance(o, tuple)]
    helper = set(builders) - {os.getpid()}
    assert len(helper) == 1  # one helper process built some of them
    assert builders.count(helper.pop()) >= 4 * CHUNK // 2


@linux
def test_a_failing_build_raises_here_as_before() -> None:
    def build(x: int) -> int:
        if x == WARM_UP + 3 * CHUNK:  # a draft the helper is sent
            raise ValueError(f"cannot build {x}")
        return x

    with pytest.raises(ValueError, match="cannot build"):
        list(build_in_order(range(WARM_UP + 8 * CHUNK), _is_draft, build))


@linux
def test_a_dead_helper_is_replaced_by_this_process(caplog: pytest.LogCaptureFixture) -> None:
    def build(x: int) -> tuple[int, int]:
        if x == WARM_UP + 2 * CHUNK and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # the helper dies while building
        return (x, os.getpid())

    parent = os.getpid()
    n = WARM_UP + 8 * CHUNK
    out = list(build_in_order(range(n), _is_draft, build))
    assert [o[0] for o in out] == list(range(n))
    assert "building articles in this process alone" in caplog.text


@linux
def test_the_helper_ends_with_the_input() -> None:
    gen = build_in_order(range(WARM_UP + 4 * CHUNK), _is_draft, _built_by)
    out = [next(gen) for _ in range(WARM_UP + CHUNK)]
    helpers = {o[1] for o in out} - {os.getpid()}
    assert helpers
    gen.close()  # the consumer stops early (an error in ingestion, say)
    for pid in helpers:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # already reaped: it is gone


def test_no_fork_where_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_helper, "_can_fork", lambda: False)
    out = list(build_in_order(range(WARM_UP + 4 * CHUNK), _is_draft, _built_by))
    assert {o[1] for o in out} == {os.getpid()}


@linux
def test_the_helper_dies_with_a_killed_run(tmp_path) -> None:
    import subprocess
    import time

    script = tmp_path / "run.py"
    script.write_text(
        "import os, sys, time\n"
        "from flows.build_helper import build_in_order\n"
        "def build(x):\n"
        "    if os.getpid() != parent:\n"
        "        print(os.getpid(), flush=True)\n"
        "        time.sleep(60)\n"
        "    return x\n"
        "parent = os.getpid()\n"
        "for _ in build_in_order(range(1000), lambda x: True, build):\n"
        "    pass\n")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                            cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    helper = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)  # kill -9 of the run
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(helper, 0)
        except ProcessLookupError:
            return
        try:
            with open(f"/proc/{helper}/stat") as f:
                if f.read().split(") ")[1].startswith("Z"):  # dead, waiting to be reaped by init
                    return
        except FileNotFoundError:
            return
        time.sleep(0.1)
    raise AssertionError(f"the helper {helper} outlived the killed run")
