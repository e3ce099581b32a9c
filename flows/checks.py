"""What a command checks before it reads or writes anything: its inputs and its database.

Each failure is a named error with a one-line message, raised before the run lock, the
database or the report are touched, so a mistyped command leaves no file behind (the
eighth newcomer's `dastan run "" --db x.duckdb` read the working directory; `dastan run
emptydir` created a database and overwrote the report beside it with an empty one;
`--db notes.txt` ended in a DuckDB traceback and left `notes.txt.lock`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any


class DatabasePathError(Exception):
    """The database path names something that is not, and cannot become, a DuckDB file."""


class NoInputs(Exception):
    """The paths of a run hold no input dastan reads."""


def check_database(path: str, create: bool) -> None:
    """Raise :class:`DatabasePathError` unless ``path`` is a DuckDB file, or (``create``)
    a place where one can be made."""
    if path == ":memory:":
        return
    if not path.strip():
        raise DatabasePathError("the database path is empty (--db '' or db = ''); give a file such as x.duckdb")
    p = Path(path).expanduser()
    if p.is_dir():
        raise DatabasePathError(f"{path} is a directory; --db names the database file (e.g. {p / 'dastan.duckdb'})")
    if p.is_file():
        try:
            with p.open("rb") as fh:
                head = fh.read(12)
        except OSError as err:
            raise DatabasePathError(f"cannot read the database {path}: {err.strerror or err}") from err
        from ingest.readers import starts_as_database  # as a database among the inputs is told

        if not starts_as_database(head):
            kind = "an empty file" if not head else "another kind of file"
            raise DatabasePathError(f"{path} is not a DuckDB database ({kind}); nothing was read or written")
        return
    if not create:
        return  # reading a missing database: storage says so (DatabaseMissing)
    folder = nearest_existing(p)
    if not folder.is_dir():
        raise DatabasePathError(f"cannot create the database {path}: {folder} is not a directory")
    try:
        # a real file, made and removed at once: os.access says yes to root in /proc
        with tempfile.TemporaryFile(dir=folder, prefix=".dastan-probe-"):
            pass
    except OSError as err:
        raise DatabasePathError(f"cannot create the database {path}: no file can be made in {folder} "
                                f"({err.strerror or err})") from err


def check_paths(paths: Sequence[str]) -> None:
    """Raise unless every input path is given, exists and is no database: an empty path is
    an error (``dastan run "$DIR"`` with DIR unset read the working directory)."""
    from ingest.readers import MissingInput, check_inputs

    if any(not str(p).strip() for p in paths):
        raise MissingInput("an input path is empty (an unset variable in `dastan run \"$DIR\"`?); "
                           "nothing was read")
    check_inputs(paths)


def check_has_inputs(paths: Sequence[str], settings: Any) -> None:
    """Raise :class:`NoInputs` when the paths hold no file to read (an empty folder, or one
    of other formats only): a run over them would store nothing and report no story."""
    if not paths:
        return
    passed: list[Any] = []
    if not _has_input(paths, settings, passed):
        why = f"; passed over: {'; '.join(f'{p.path} ({p.detail})' for p in passed[:3])}" if passed else ""
        raise NoInputs(f"no inputs found in {', '.join(str(p) for p in paths)} "
                       f"(dastan reads {', '.join(_formats())}){why}; nothing was read or written")


def nearest_existing(path: Path) -> Path:
    """The closest folder above ``path`` that exists (where a new file would be made from)."""
    return next((a for a in path.absolute().parents if a.exists()), Path("/"))


def check_model(params: Any) -> None:
    """A model named by path must be there (the default model is built on first use)."""
    from clustering.embed import DEFAULT_MODEL, resolve_model

    if params.model != DEFAULT_MODEL:
        resolve_model(params)  # ModelError, before the database is made


def _formats() -> list[str]:
    from ingest.readers import SUPPORTED

    return sorted(SUPPORTED)


def _has_input(paths: Sequence[str], settings: Any, passed: list[Any] | None = None) -> bool:
    """Whether the walk over ``paths`` yields a file to read (it stops at the first); what it
    passed over until then goes to ``passed``."""
    from flows.publish import own_files, project_files
    from ingest.readers import PassedOver, iter_files

    for f in iter_files(paths, skip=own_files(settings), project=project_files(settings)):
        if not isinstance(f, PassedOver):
            return True
        if passed is not None:
            passed.append(f)
    return False
