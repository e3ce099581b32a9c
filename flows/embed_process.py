"""The embedding model, loaded in a process of its own while the run starts.

Loading the model (torch, sentence-transformers, the weights: about 7 s) is Python work
that holds the interpreter: in the run's own process it waits until ingestion is done and
then adds its seconds to the run. A run that will embed texts (:func:`flows.nothing_new.look_before_run`:
an input not read before, or a stored sentence without its vector) starts this process first thing
(``dastan run``, before it imports Prefect), so the model loads on the other core while
Prefect starts and the run ingests, and the run's embedding batches are sent to it
(issue 15: adding 100 reports to 10,000 spent 7 of its 27 s loading the model).

On a machine with two cores or more the process forks, once the model has loaded, into two
workers that share its weights, each embedding whole batches with half the cores; the run
sends them its batches ahead (:func:`prefetch`), each to whichever worker is free (a lone
batch, as when a run adds a few reports, gets every core). One
thread per core embeds more per core than two threads waiting for each other at every
layer, and a worker that the run's other processes interrupt holds up only itself: the
12 batches of the bench's 1,000 articles took 46.8 s on two one-thread workers against
51.0 s on one two-thread process (issue 15). The model is loaded on one thread, so that no
OpenMP team exists when the process forks.

The vectors are the same: the same encoder (:func:`clustering.embed.load_encoder`) with
the same parameters encodes the same batches (a batch's vectors depend on the texts it
holds, bfloat16 padding and all, not on the number of threads: np.array_equal on all 5,734
texts of the bench's 1,000 articles, one thread against two). The process and its workers
die with the run (as the temporary Prefect server does,
:func:`clustering.workers.tie_to_parent`) and end when the run closes them. Whatever goes
wrong in them (the model cannot load, a worker was killed), the run embeds in its own
process instead, as it did before, and says why in its log.

Run as ``python -m flows.embed_process PARENT_PID READ_FD WRITE_FD [READ_FD WRITE_FD ...]``
(a pair of pipes per worker), this module is the process's side: it reads the parameters
on the first pipe, then each worker reads (texts, kind, threads) requests on its own and
answers each with vectors or with the error it met, pickled.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_started: dict[Any, EncoderProcess] = {}  # by resolved EmbedParams
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _cores() -> int:
    return os.cpu_count() or 1


def default_workers() -> int:
    """Two workers when there are two cores or more (each with half of them), else one."""
    return 2 if (os.cpu_count() or 1) >= 2 else 1


class _Channel:
    """The pipes to one worker; one request at a time (the process hands channels out)."""

    def __init__(self, send_fd: int, receive_fd: int) -> None:
        self.send = os.fdopen(send_fd, "wb")
        self.receive = os.fdopen(receive_fd, "rb")

    def ask(self, texts: Sequence[str], kind: str, threads: int) -> tuple[str, Any]:
        pickle.dump((list(texts), kind, threads), self.send)
        self.send.flush()
        return pickle.load(self.receive)

    def close(self) -> None:
        for f in (self.send, self.receive):
            with contextlib.suppress(OSError):
                f.close()


class EncoderProcess:
    """A child process holding one encoder in ``workers`` worker processes; :meth:`encode`
    sends a batch to a free worker and waits, :meth:`prefetch` sends batches ahead."""

    def __init__(self, params: Any, workers: int | None = None) -> None:
        workers = workers or default_workers()
        theirs: list[int] = []
        mine: list[tuple[int, int]] = []
        for _ in range(workers):
            to_child_r, to_child_w = os.pipe()
            from_child_r, from_child_w = os.pipe()
            theirs += [to_child_r, from_child_w]
            mine.append((to_child_w, from_child_r))
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "flows.embed_process", str(os.getpid()), *map(str, theirs)],
                pass_fds=theirs, stdin=subprocess.DEVNULL)
        finally:
            for fd in theirs:
                os.close(fd)
        self._channels = [_Channel(w, r) for w, r in mine]
        self._free: queue.Queue[_Channel] = queue.Queue()
        for channel in self._channels:
            self._free.put(channel)
        self._lock = threading.Lock()
        self._ahead: dict[tuple[tuple[str, ...], str], Future[np.ndarray | None]] = {}
        self._pool: ThreadPoolExecutor | None = None
        self.failed: str | None = None
        self._closed = False
        pickle.dump(params, self._channels[0].send)  # read before the process forks its workers
        self._channels[0].send.flush()

    def encode(self, texts: Sequence[str], kind: str) -> np.ndarray | None:
        """Vectors of ``texts``; None once the process has failed (the caller embeds itself)."""
        with self._lock:
            ahead = self._ahead.pop((tuple(texts), kind), None)
        if ahead is not None:
            try:
                return ahead.result()
            except CancelledError:  # closed meanwhile
                return None
        return self._encode(texts, kind, _cores())  # one batch at a time: the whole machine

    def prefetch(self, batches: Sequence[Sequence[str]], kind: str) -> None:
        """Start embedding ``batches`` on the free workers now, in order; :meth:`encode` of
        one of them then waits for its vectors instead of sending it again."""
        with self._lock:
            if self.failed is not None:
                return
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=len(self._channels), thread_name_prefix="embed")
            # the cores shared among the batches that run at once: a lone batch (a run that
            # adds a few reports) has them all, as it had in one process
            threads = max(1, _cores() // max(1, min(len(self._channels), len(batches))))
            for texts in batches:
                key = (tuple(texts), kind)
                if key not in self._ahead:
                    self._ahead[key] = self._pool.submit(self._encode, list(texts), kind, threads)

    def _encode(self, texts: Sequence[str], kind: str, threads: int) -> np.ndarray | None:
        if self.failed is not None:
            return None
        channel = self._free.get()
        try:
            if self.failed is not None:
                return None
            try:
                status, value = channel.ask(texts, kind, threads)
            except (OSError, EOFError, ValueError, pickle.UnpicklingError) as err:
                if not self._closed:
                    self._fail(f"the embedding process ended ({err!r}, exit code {self._proc.poll()})")
                return None
            if status != "ok":
                self._fail(f"the embedding process failed: {value}")
                return None
            return value
        finally:
            self._free.put(channel)

    def _fail(self, why: str) -> None:
        with self._lock:
            if self.failed is not None:
                return
            self.failed = why
        log.warning("%s; embedding in this process", why)
        self.close()

    def close(self) -> None:
        """End the process (its workers exit when their input closes), killing it if it does not."""
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        for channel in self._channels:
            channel.close()
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


def prefetch(batches: Sequence[Sequence[str]], params: Any) -> None:
    """Send ``batches`` ahead to the process started for ``params`` (resolved), if there is one."""
    proc = _started.get(params)
    if proc is not None:
        proc.prefetch(batches, params.prompt)


def stop_all() -> None:
    """End every encoder process of this run."""
    while _started:
        _started.popitem()[1].close()


def _load(params: Any) -> tuple[Any, str | None]:
    """The encoder (or the error that stopped it), loaded on one thread: no OpenMP team may
    exist yet when the process forks its workers."""
    try:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # as clustering.embed sets it before torch
        import torch

        torch.set_num_threads(1)
        from clustering.embed import load_encoder

        return load_encoder(params), None
    except Exception as err:
        return None, f"{type(err).__name__}: {err}"


def serve(parent: int, fds: Sequence[int]) -> None:
    """The process's side: load the encoder, fork a worker per further pair of pipes, then
    each answers the requests on its own pipes until the run closes them."""
    import signal

    from clustering.workers import tie_to_parent

    tie_to_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the run's to handle; it closes this
    pairs = [(fds[i], fds[i + 1]) for i in range(0, len(fds), 2)]
    first = os.fdopen(pairs[0][0], "rb")
    params = pickle.load(first)
    encoder, error = _load(params)
    loader, me, workers = os.getpid(), 0, []
    for i in range(1, len(pairs)):
        pid = os.fork()
        if pid == 0:
            me, workers = i, []
            _tie_to_loader(loader)
            break
        workers.append(pid)
    for i, (r, w) in enumerate(pairs):  # a worker holds its own pipes only: the others see EOF
        if i == me:
            continue
        if i == 0:
            first.close()
        else:
            os.close(r)
        os.close(w)
    receive = first if me == 0 else os.fdopen(pairs[me][0], "rb")
    send = os.fdopen(pairs[me][1], "wb")
    threads = 1
    while True:
        try:
            texts, kind, wanted = pickle.load(receive)
        except EOFError:  # the run is done with it: end now (tearing torch down took 3 s)
            _end(workers)
        if encoder is None:
            reply: tuple[str, Any] = ("error", error)
        else:
            try:
                if wanted != threads:  # as many threads as the run gives this batch cores
                    import torch

                    torch.set_num_threads(wanted)
                    threads = wanted
                reply = ("ok", encoder.encode(texts, kind=kind))
            except Exception as err:
                reply = ("error", f"{type(err).__name__}: {err}")
        try:
            pickle.dump(reply, send, protocol=pickle.HIGHEST_PROTOCOL)
            send.flush()
        except OSError:  # the run closed its end
            _end(workers)


def _end(workers: Sequence[int]) -> None:
    """Exit now; the process that loaded the model first waits for its workers (their input
    is closed with its own), so that they are counted in the run's resource use."""
    for pid in workers:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    os._exit(0)


def _tie_to_loader(loader: int) -> None:
    """A forked worker ends when the process that loaded the model does (it ends with the run)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != loader:
        os._exit(0)


if __name__ == "__main__":
    serve(int(sys.argv[1]), [int(a) for a in sys.argv[2:]])
