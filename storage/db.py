"""Opening the database: migrations, transactions, read-only access and the run lock.

DuckDB lets one process write a database file at a time. dastan holds a connection only
while it writes a stage (so people can query between stages), and a pipeline run holds a
lock file beside the database for its whole length, so two runs never interleave: the
second waits and says for whom, or fails fast when asked not to wait.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from storage.schema import CURRENT_VERSION, current_version, migrate

MEMORY = ":memory:"


class DatabaseBusy(Exception):
    """Another process holds the database (a run is writing it)."""


class DatabaseMissing(Exception):
    """There is no database at the given path yet."""


class ReadOnlyViolation(Exception):
    """A statement tried to change a database opened read-only."""


@dataclass
class Database:
    """A DuckDB file (or ``:memory:``) and how dastan opens it."""

    path: str
    busy_timeout: float = 10.0  # seconds a reader or writer retries a locked file
    _memory: Any = field(default=None, init=False, repr=False)

    @property
    def is_memory(self) -> bool:
        return self.path == MEMORY

    @property
    def lock_path(self) -> Path:
        return Path(self.path + ".lock")

    def exists(self) -> bool:
        return self.is_memory or Path(self.path).exists()

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[Any]:
        """A connection for one stage, closed on exit; a database written by an older dastan
        is migrated first, for reading too (its queries need today's columns)."""
        if self.is_memory:
            if self._memory is None:
                self._memory = duckdb.connect(MEMORY)
                migrate(self._memory)
            yield self._memory
            return
        if read_only and not Path(self.path).exists():
            raise DatabaseMissing(f"no database at {self.path}; run `dastan run PATH` or `dastan demo` first")
        if not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        con = self._open(read_only)
        try:
            if not read_only:
                migrate(con)
            elif current_version(con) < CURRENT_VERSION:
                # Upgraded in place by a short write connection (DatabaseBusy while a run
                # writes it), then read as asked: `dastan stories` after an upgrade of dastan
                # failed on schema 3's new column (issue 13).
                con.close()
                with self.connect():
                    pass
                con = self._open(read_only)
            yield con
        finally:
            con.close()

    def close(self) -> None:
        """Close the connection an in-memory database keeps (its data goes with it); a file's
        connections are closed by :meth:`connect` already."""
        if self._memory is not None:
            self._memory.close()
            self._memory = None

    def _open(self, read_only: bool) -> Any:
        deadline = time.monotonic() + self.busy_timeout
        delay = 0.05
        while True:
            try:
                return duckdb.connect(self.path, read_only=read_only)
            except duckdb.IOException as err:
                if "lock" not in str(err).lower():
                    raise
                if time.monotonic() >= deadline:
                    raise DatabaseBusy(
                        f"the database {self.path} is busy: {describe_holder(self.lock_path)}; "
                        "try again when it finishes"
                    ) from err
                time.sleep(delay)
                delay = min(delay * 2, 0.5)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A write connection inside one transaction: all of a stage's writes or none."""
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")


def describe_holder(lock_path: Path) -> str:
    """Who holds a run lock, from the note the holder wrote into the lock file."""
    try:
        info = json.loads(lock_path.read_text())
    except (OSError, ValueError):
        return "another process has it open"
    return f"run {info.get('run_id')} (pid {info.get('pid')} on {info.get('host')}, since {info.get('since')})"


def lock_is_free(db: Database) -> bool:
    """True when no run holds the database's run lock right now."""
    if db.is_memory or not db.lock_path.exists():
        return True
    fd = os.open(db.lock_path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # releases the probe's lock, if it got it
    return True


@contextmanager
def run_lock(
    db: Database,
    run_id: str,
    wait: bool = True,
    on_wait: Callable[[str], None] | None = None,
) -> Iterator[None]:
    """Hold the database's run lock for a whole pipeline run.

    The lock is an ``flock`` on ``<db>.lock``: the kernel releases it when the holder dies,
    even by SIGKILL, so a killed run never leaves a stale lock behind.
    """
    if db.is_memory:
        yield
        return
    path = db.lock_path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            holder = describe_holder(path)
            if not wait:
                raise DatabaseBusy(f"another run is writing {db.path}: {holder}") from err
            if on_wait:
                on_wait(f"waiting for {holder} to finish writing {db.path}")
            fcntl.flock(fd, fcntl.LOCK_EX)
        note = {
            "run_id": run_id,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(note).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
