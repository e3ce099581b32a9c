"""The embedding model, loaded in a process of its own while the run starts.

Loading the model (torch, sentence-transformers, the weights: about 7 s) is Python work
that holds the interpreter: in the run's own process it waits until ingestion is done and
then adds its seconds to the run. A run that has work starts this process first thing
(``dastan run``, before it imports Prefect), so the model loads on the other core while
Prefect starts and the run ingests, and the run's embedding batches are sent to it
(issue 15: adding 100 reports to 10,000 spent 7 of its 27 s loading the model).

The vectors are the same: the same encoder (:func:`clustering.embed.load_encoder`) with
the same parameters encodes the same batches. The process dies with the run (as the
temporary Prefect server does, :func:`flows.temp_server.tie_to_parent`) and ends when the
run closes it. Whatever goes wrong in it (the model cannot load, the process was killed),
the run embeds in its own process instead, as it did before, and says why in its log.

Run as ``python -m flows.embed_process PARENT_PID READ_FD WRITE_FD``, this module is the
process's side: it reads the parameters, then (texts, kind) requests, and answers each
with vectors or with the error it met, pickled, on its pipes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_started: dict[Any, EncoderProcess] = {}  # by resolved EmbedParams


class EncoderProcess:
    """A child process holding one encoder; :meth:`encode` sends it a batch and waits."""

    def __init__(self, params: Any) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "flows.embed_process", str(os.getpid()), str(to_child_r), str(from_child_w)],
                pass_fds=(to_child_r, from_child_w), stdin=subprocess.DEVNULL)
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._send = os.fdopen(to_child_w, "wb")
        self._receive = os.fdopen(from_child_r, "rb")
        self._lock = threading.Lock()
        self.failed: str | None = None
        pickle.dump(params, self._send)
        self._send.flush()

    def encode(self, texts: Sequence[str], kind: str) -> np.ndarray | None:
        """Vectors of ``texts``; None once the process has failed (the caller embeds itself)."""
        with self._lock:
            if self.failed is not None:
                return None
            try:
                pickle.dump((list(texts), kind), self._send)
                self._send.flush()
                status, value = pickle.load(self._receive)
            except (OSError, EOFError, pickle.UnpicklingError) as err:
                code = self._proc.poll()
                self._fail(f"the embedding process ended ({err!r}, exit code {code})")
                return None
            if status != "ok":
                self._fail(f"the embedding process failed: {value}")
                return None
            return value

    def _fail(self, why: str) -> None:
        self.failed = why
        log.warning("%s; embedding in this process", why)
        self.close()

    def close(self) -> None:
        """End the process (it exits when its input closes), killing it if it does not."""
        for f in (self._send, self._receive):
            with contextlib.suppress(OSError):
                f.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


def start_early(embed: Any) -> None:
    """Start loading the encoder for ``embed`` (EmbedParams) in its own process.

    Only when its backend is known without torch (a machine that has not probed its
    backends probes in the run's process, as before); a model that cannot be resolved
    starts nothing, and the run reports the error where it always did.
    """
    try:
        from clustering.embed import known_encoder_id, resolved

        if known_encoder_id(embed) is None:
            return
        params = resolved(embed)
    except Exception:
        return
    if params not in _started:
        if not _started:
            import atexit

            atexit.register(stop_all)
        _started[params] = EncoderProcess(params)


def encode(texts: Sequence[str], params: Any) -> np.ndarray | None:
    """Vectors from a process started for ``params`` (resolved), or None when there is none."""
    proc = _started.get(params)
    return None if proc is None else proc.encode(texts, params.prompt)


def stop_all() -> None:
    """End every encoder process of this run."""
    while _started:
        _started.popitem()[1].close()


def serve(parent: int, read_fd: int, write_fd: int) -> None:
    """The process's side: load the encoder, then answer requests until the run closes the pipe."""
    import signal

    from flows.temp_server import tie_to_parent

    tie_to_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle; it closes this
    receive, send = os.fdopen(read_fd, "rb"), os.fdopen(write_fd, "wb")
    params = pickle.load(receive)
    encoder: Any = None
    error: str | None = None
    try:
        from clustering.embed import load_encoder

        encoder = load_encoder(params)
    except Exception as err:
        error = f"{type(err).__name__}: {err}"
    while True:
        try:
            texts, kind = pickle.load(receive)
        except EOFError:  # the run is done with it: end now (tearing torch down took 3 s)
            os._exit(0)
        if encoder is None:
            reply: tuple[str, Any] = ("error", error)
        else:
            try:
                reply = ("ok", encoder.encode(texts, kind=kind))
            except Exception as err:
                reply = ("error", f"{type(err).__name__}: {err}")
        pickle.dump(reply, send, protocol=pickle.HIGHEST_PROTOCOL)
        send.flush()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]))
