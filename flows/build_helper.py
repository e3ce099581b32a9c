"""Building articles on both cores: a forked helper builds every other chunk of a long input.

Building an article from what a reader extracted (normalization with hazm, sentences,
lemmas: :func:`ingest.article.build_article`) is pure Python on one core: 7 of the 9 s of
ingesting 1,000 reports. Meanwhile the run's other core has little to do once the embedding
model has loaded (issue 15: a run spends its first seconds starting Prefect's server and
loading the model, then ingests on one core while the other waits). Here a long input's
drafts are built in chunks, alternately by a helper forked from this process (it inherits
hazm's prepared tables and the source registry, so it starts in milliseconds) and by this
process; the results come back in the input's order, so ingestion stores exactly what it
stored when one process built everything (``build_article`` is a function of its draft).

Only on Linux (``fork``), and only after :data:`WARM_UP` drafts of the run: a short input
is built here, as before (the model is still loading on the other core then). Whatever goes
wrong with the helper (it died, answered late, or ``build_article`` raised in it), its chunk
is built here, which raises what building raises; the helper is not used again. The helper
dies with this process (``PR_SET_PDEATHSIG``), holds none of its files (the run lock is an
``flock``: the helper closes its copy), runs no exit handler (it never stops the run's
temporary server), and ends when the input does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import struct
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

log = logging.getLogger(__name__)

WARM_UP = 64  # drafts built here before a helper is forked: shorter inputs never fork
CHUNK = 32  # drafts per chunk: ~0.2 s of building, a few hundred KB through a pipe
# A helper that has not answered a chunk this long after it was sent is given up (it has
# hung or is starved); the chunk is built here. Building a chunk takes a fraction of this.
ANSWER_SECONDS = 60.0
_HEADER = struct.Struct("!Q")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class HelperFailed(Exception):
    """The helper died, answered late, or could not build a chunk."""


def _write(fd: int, obj: Any) -> None:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, n: int, deadline: float | None) -> bytes:
    parts, left = [], n
    while left:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise HelperFailed(f"no answer within {ANSWER_SECONDS:.0f} s")
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _read(fd: int, deadline: float | None = None) -> Any:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(fd, size, deadline))


def _serve(build: Callable[[Any], Any], requests: int, answers: int, parent: int) -> None:
    """The helper's side: build each chunk it is sent, until the pipe closes. Never returns."""
    try:
        if sys.platform.startswith("linux"):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle
        logging.disable(logging.CRITICAL)  # other threads' handlers are not in this process
        # every inherited file but the pipes: the run lock's flock, the database, sockets
        os.closerange(3, min(requests, answers))
        os.closerange(min(requests, answers) + 1, max(requests, answers))
        os.closerange(max(requests, answers) + 1, os.sysconf("SC_OPEN_MAX"))
        while True:
            try:
                drafts = _read(requests)
            except EOFError:
                break
            try:
                reply: tuple[str, Any] = ("ok", [build(d) for d in drafts])
            except Exception as err:  # built again by the parent, which raises it there
                reply = ("error", f"{type(err).__name__}: {err}")
            _write(answers, reply)
    finally:
        os._exit(0)  # no exit handlers: they are the parent's (its temporary server, its files)


class _Helper:
    """A forked process that builds chunks of drafts with ``build``."""

    def __init__(self, build: Callable[[Any], Any]) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the helper
            os.close(to_child_w)
            os.close(from_child_r)
            _serve(build, to_child_r, from_child_w, parent)
        os.close(to_child_r)
        os.close(from_child_w)
        self.pid, self._send, self._receive = pid, to_child_w, from_child_r

    def submit(self, drafts: list[Any]) -> None:
        try:
            _write(self._send, drafts)
        except OSError as err:
            raise HelperFailed(f"the helper ended ({err})") from err

    def result(self) -> list[Any]:
        try:
            status, value = _read(self._receive, time.monotonic() + ANSWER_SECONDS)
        except EOFError as err:
            raise HelperFailed("the helper ended") from err
        if status != "ok":
            raise HelperFailed(value)
        return value

    def close(self, kill: bool = False) -> None:
        for fd in (self._send, self._receive):
            with contextlib.suppress(OSError):
                os.close(fd)
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)  # it exits when its input closes (after its current chunk)


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def build_in_order(items: Iterable[Any], is_draft: Callable[[Any], bool],
                   build: Callable[[Any], Any]) -> Iterator[Any]:
    """``build(item)`` for each item that ``is_draft``, the others as they are, in order.

    After :data:`WARM_UP` drafts, a forked helper builds every other chunk of :data:`CHUNK`
    items while this process builds the next (see the module's docstring).
    """
    it = iter(items)
    built = 0
    for item in it:
        if is_draft(item):
            yield build(item)
            built += 1
            if built >= WARM_UP:
                break
        else:
            yield item
    else:
        return  # a short input: built here alone

    def chunk() -> list[Any]:
        out = []
        for item in it:
            out.append(item)
            if len(out) >= CHUNK:
                break
        return out

    def here(items: list[Any]) -> list[Any]:
        return [build(x) if is_draft(x) else x for x in items]

    helper = None
    if _can_fork():
        try:
            helper = _Helper(build)
        except OSError as err:
            log.warning("building articles in this process alone: %s", err)
    try:
        while True:
            theirs = chunk()
            if not theirs:
                return
            sent = False
            if helper is not None:
                try:
                    helper.submit([x for x in theirs if is_draft(x)])
                    sent = True
                except HelperFailed as err:
                    helper = _give_up(helper, err)
            mine = here(chunk())
            if sent:
                assert helper is not None
                try:
                    done = helper.result()
                    drafts = sum(1 for x in theirs if is_draft(x))
                    if len(done) != drafts:
                        raise HelperFailed(f"{len(done)} articles for {drafts} drafts")
                    answers = iter(done)
                    theirs = [next(answers) if is_draft(x) else x for x in theirs]
                except HelperFailed as err:
                    helper = _give_up(helper, err)
                    theirs = here(theirs)
            else:
                theirs = here(theirs)
            yield from theirs
            yield from mine
    finally:
        if helper is not None:
            helper.close()


def _give_up(helper: _Helper, err: Exception) -> None:
    """Stop using the helper (its chunks are built here from now on)."""
    log.warning("building articles in this process alone: %s", err)
    helper.close(kill=True)
    return None
