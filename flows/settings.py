"""All settings in one place: defaults, then the user's TOML, then environment overrides.

Each stage keeps its parameters in its own frozen dataclass; :class:`Settings` gathers
them. The config file is ``dastan.toml`` in the working directory (or the path given with
``--config`` or ``DASTAN_CONFIG``), with one table per section::

    db = "data/dastan.duckdb"
    [embed]
    model = "default"
    [cluster]
    window_days = 7

An environment variable ``DASTAN_<SECTION>__<FIELD>`` overrides a field, for example
``DASTAN_CLUSTER__WINDOW_DAYS=3`` or ``DASTAN_DB=/tmp/x.duckdb``. This is the only module
that reads ``os.environ``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clustering.cluster import ClusterParams
from clustering.embed import EmbedParams
from clustering.threads import ThreadParams
from ingest.fetch import FetchParams
from ingest.params import IngestParams
from summarize.params import SummaryParams

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "data/dastan.duckdb"
CONFIG_NAME = "dastan.toml"


class ConfigError(Exception):
    """A config file or an environment override is not valid."""


@dataclass(frozen=True)
class FlowParams:
    """How the pipeline runs: batch sizes, scheduling, scale-out, locking."""

    batch_articles: int = 500  # articles per ingest/embedding task: tens of tasks, not thousands
    feed_interval_minutes: int = 15
    fetch_pages: bool = True  # fetch each feed item's page for its full text
    dask_address: str | None = None  # an existing Dask scheduler, e.g. tcp://10.0.0.5:8786
    wait_for_lock: bool = True  # a second run waits for the first (False: fail fast)
    # The HTML report written after each pipeline run ("" for none); a relative path is taken
    # from the database's folder, so a report sits beside the database it reports (issue 14).
    report: str = "report.html"
    # Fault injection for the crash and concurrency tests: stop at this checkpoint (ingest,
    # embed, stories, summaries; several separated by commas, each once) until the marker
    # file beside the database is removed.
    pause_at: str = ""


@dataclass(frozen=True)
class Settings:
    """Everything dastan can be told, by section."""

    db: str = DEFAULT_DB
    ingest: IngestParams = field(default_factory=IngestParams)
    fetch: FetchParams = field(default_factory=FetchParams)
    embed: EmbedParams = field(default_factory=EmbedParams)
    cluster: ClusterParams = field(default_factory=ClusterParams)
    threads: ThreadParams = field(default_factory=ThreadParams)
    summary: SummaryParams = field(default_factory=SummaryParams)
    flow: FlowParams = field(default_factory=FlowParams)


_SECTIONS = ("ingest", "fetch", "embed", "cluster", "threads", "summary", "flow")


# What a number may be, beyond its type (the eighth newcomer's `window_days = -3` and
# `sentences = 0` ran, the second into stories without a summary). Every other number of
# the settings may be 0 but not below.
_AT_LEAST_ONE = {
    "ingest": ("max_file_bytes", "max_record_bytes"),
    "fetch": ("max_bytes",),
    "embed": ("batch_size", "max_seq_length"),
    "cluster": ("neighbours", "crowd_rank", "window_days", "lead_sentences"),
    "threads": ("window_days", "neighbours"),
    "summary": ("sentences", "candidates_per_article"),
    "flow": ("batch_articles", "feed_interval_minutes"),
}
_SHARES = {  # similarities, weights and shares: 0 to 1
    "ingest": ("near_duplicate_threshold",),
    "cluster": ("threshold", "pair_threshold", "crowd_floor"),
    "threads": ("threshold",),
    "summary": ("diversity", "max_similarity", "support_similarity", "damping", "min_edge"),
}


def _check_range(value: Any, section: str, name: str, where: str) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if name in _SHARES.get(section, ()):
        if not 0 <= value <= 1:
            raise ConfigError(f"{where}: {value!r} is not allowed (a number from 0 to 1)")
    elif name in _AT_LEAST_ONE.get(section, ()):
        if value < 1:
            raise ConfigError(f"{where}: {value!r} is not allowed (a whole number, 1 or more)")
    elif value < 0:
        raise ConfigError(f"{where}: {value!r} is not allowed (a number, 0 or more)")


def _type_name(hint: Any) -> str:
    return {int: "a whole number", float: "a number", str: "a string", bool: "true or false",
            Path: "a path (a string)"}.get(hint, str(hint))


def _is_a(value: Any, hint: Any) -> bool:
    """Whether a TOML value is of a field's type: a bool is no number, an int is a float."""
    if isinstance(value, bool):
        return hint is bool
    if hint is float:
        return isinstance(value, (int, float))
    return isinstance(value, Path) if hint is Path else isinstance(value, hint)


def _convert(value: Any, annotation: Any, where: str) -> Any:
    """Coerce a TOML value or an environment string to a field's declared type.

    A TOML value must already be of that type (an int is a float too); an environment
    string is parsed. ``2.5`` for a whole number was cut to 2, and ``db = 5`` taken as "5"."""
    hint = annotation
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if value is None or (isinstance(value, str) and value.lower() in ("", "none", "null")):
            return None
        hint = args[0]
        origin = typing.get_origin(hint)
    if not isinstance(value, str) and hint in (int, float, str, bool, Path) and not _is_a(value, hint):
        raise ConfigError(f"{where}: {value!r} is not allowed ({_type_name(hint)})")
    try:
        if hint is bool:
            if isinstance(value, str):
                if value.lower() not in ("1", "0", "true", "false", "yes", "no"):
                    raise ValueError(value)
                return value.lower() in ("1", "true", "yes")
            return bool(value)
        if hint in (int, float, str):
            return hint(value)
        if hint is Path:
            return Path(value)
        if origin is dict or hint is dict:
            parsed = json.loads(value) if isinstance(value, str) else value
            return {k: tuple(v) if isinstance(v, list) else v for k, v in dict(parsed).items()}
        if origin is tuple:
            parsed = json.loads(value) if isinstance(value, str) else value
            return tuple(parsed)
    except (TypeError, ValueError) as err:
        raise ConfigError(f"{where}: cannot use {value!r} as {_type_name(hint)}") from err
    return value


def _apply(obj: Any, values: dict[str, Any], where: str, section: str) -> Any:
    hints = typing.get_type_hints(type(obj))
    names = {f.name for f in dataclasses.fields(obj)}
    changes = {}
    for key, value in values.items():
        if key not in names:
            raise ConfigError(f"{where}: unknown setting {key!r} (known: {', '.join(sorted(names))})")
        changes[key] = _convert(value, hints[key], f"{where}.{key}")
        _check_range(changes[key], section, key, f"{where}.{key}")
    return dataclasses.replace(obj, **changes)


def load_settings(
    config: Path | None = None,
    overrides: dict[str, Any] | None = None,
    environ: dict[str, str] | None = None,
) -> Settings:
    """Defaults, then the TOML file, then ``DASTAN_*`` variables, then explicit overrides.

    ``overrides`` uses dotted keys (``{"db": ..., "embed.model": ...}``): the command line's
    flags, which win over everything.
    """
    env = dict(os.environ if environ is None else environ)
    settings = Settings()
    path = config or (Path(env["DASTAN_CONFIG"]) if env.get("DASTAN_CONFIG") else None)
    if path is None and Path(CONFIG_NAME).exists():
        path = Path(CONFIG_NAME)
    if path is not None:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as err:
            raise ConfigError(f"config file not found: {path}") from err
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{path} is not valid TOML: {err}") from err
        settings = _merge(settings, data, str(path))
    from_env = {k.removeprefix("DASTAN_").lower(): v for k, v in env.items()
                 if k.startswith("DASTAN_") and k != "DASTAN_CONFIG"}
    settings = _merge(settings, _nest(from_env, "__"), "environment")
    if overrides:
        given = {k: v for k, v in overrides.items() if v is not None}
        settings = _merge(settings, _nest(given, "."), "command line")
    return settings


def _nest(flat: dict[str, Any], separator: str) -> dict[str, Any]:
    """``{"cluster.window_days": 3}`` -> ``{"cluster": {"window_days": 3}}`` (top-level keys stay)."""
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        section, _, fld = key.partition(separator)
        if fld:
            nested.setdefault(section, {})[fld] = value
        else:
            nested[section] = value
    return nested


def _merge(settings: Settings, data: dict[str, Any], where: str) -> Settings:
    top: dict[str, Any] = {}
    for key, value in data.items():
        if key in _SECTIONS:
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: [{key}] must be a table")
            top[key] = _apply(getattr(settings, key), value, f"{where} [{key}]", key)
        elif key == "db":
            top["db"] = _convert(value, str, f"{where}: db")
            if not top["db"].strip():
                raise ConfigError(f"{where}: db: '' is not allowed (a database file, such as data/dastan.duckdb)")
        else:
            raise ConfigError(f"{where}: unknown section or setting {key!r}")
    return dataclasses.replace(settings, **top)


def settings_dict(settings: Settings) -> dict[str, Any]:
    """Settings as plain JSON-able data (for the runs table and Prefect parameters)."""
    def plain(v: Any) -> Any:
        if isinstance(v, Path):
            return str(v)
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [plain(x) for x in v]
        return v

    return {k: plain(v) for k, v in dataclasses.asdict(settings).items()}


def prefect_defaults(verbose: bool = False) -> None:
    """Quiet, offline Prefect defaults for command-line runs; a user's own settings win.

    Without a configured server Prefect starts a temporary local one; its telemetry would
    try the network (closed here) and its per-task INFO lines drown the progress bars.
    """
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_UI_ENABLED", "false")
