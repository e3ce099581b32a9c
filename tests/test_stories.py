"""Stories over time with the real model: daily batches equal one run, ids stay, threads link."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from clustering.metrics import score_partition
from flows.cli import main
from flows.settings import load_settings
from flows.stages import run_stages
from storage import Database
from storage.queries import list_stories
from tests.conftest import SAMPLES, SEED_FILES

pytestmark = pytest.mark.slow


def partition(db: Database) -> dict[str, str]:
    with db.connect(read_only=True) as con:
        return {a: s["story_id"] for s in list_stories(con) for a in s["articles"]}


@pytest.fixture(scope="module")
def daily(tmp_path_factory) -> dict:
    """The sample agencies fed day by day into one database, and all at once into another."""
    tmp = tmp_path_factory.mktemp("daily")
    by_day: dict[str, list[str]] = defaultdict(list)
    for line in (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines():
        when = datetime.fromisoformat(json.loads(line)["published"]).astimezone(ZoneInfo("Asia/Tehran"))
        by_day[when.date().isoformat()].append(line)
    settings = load_settings(overrides={"db": str(tmp / "daily.duckdb")})
    db = Database(settings.db)
    snapshots, counts = [], []
    for day in sorted(by_day):
        f = tmp / f"{day}.jsonl"
        f.write_text("\n".join(by_day[day]) + "\n", encoding="utf-8")
        counts.append(run_stages(db, [f], settings))
        snapshots.append(partition(db))
    once = Database(str(tmp / "once.duckdb"))
    run_stages(once, [SAMPLES / "agencies.jsonl"], load_settings(overrides={"db": once.path}))
    with db.connect(read_only=True) as con:
        runs = con.execute("SELECT kind, status, counts FROM runs ORDER BY started_at").fetchall()
    return {"days": sorted(by_day), "snapshots": snapshots, "counts": counts, "daily": partition(db),
            "once": partition(once), "runs": runs}


def test_daily_batches_end_in_the_partition_of_one_run(daily) -> None:
    scores = score_partition(daily["daily"], daily["once"])
    print(f"daily vs once: B-cubed F1 {scores.bcubed_f1:.3f} over {len(daily['days'])} days")
    assert len(daily["days"]) >= 6
    assert scores.bcubed_f1 >= 0.95


def test_story_ids_survive_consecutive_runs(daily) -> None:
    kept = total = 0
    for before, after in zip(daily["snapshots"], daily["snapshots"][1:], strict=False):
        old_ids = set(before.values())
        kept += len(old_ids & set(after.values()))
        total += len(old_ids)
    print(f"story ids kept between consecutive runs: {kept}/{total}")
    assert kept / total >= 0.95


def test_runs_record_what_each_run_added_and_created(daily) -> None:
    assert len(daily["runs"]) == len(daily["days"])
    for (kind, status, counts), day in zip(daily["runs"], daily["days"], strict=True):
        assert kind == "stages"
        counts = json.loads(counts)
        assert status == "completed" and counts["ingested"] > 0, day
        assert {"stories_new", "stories_updated", "articles_joined_existing"} <= set(counts)
    assert sum(json.loads(c)["stories_new"] for _k, _s, c in daily["runs"]) >= len(set(daily["daily"].values()))


def test_the_two_seeds_are_two_stories_in_one_thread(tmp_path, capsys) -> None:
    db = Database(str(tmp_path / "seeds.duckdb"))
    run_stages(db, SEED_FILES, load_settings(overrides={"db": db.path}))
    with db.connect(read_only=True) as con:
        stories = list_stories(con)
    assert len(stories) == 2  # Gantz in Washington (June 2021), Austin in Israel (April 2021)
    threads = {s["thread_id"] for s in stories}
    assert len(threads) == 1 and None not in threads
    assert main(["timeline", "--thread", threads.pop(), "--db", db.path]) == 0
    out = capsys.readouterr().out
    assert all(s["story_id"] in out for s in stories)


def test_coverage_counts_a_wire_copy_once(demo) -> None:
    db, _first, _second = demo
    with Database(str(db)).connect(read_only=True) as con:
        story = next(s for s in list_stories(con) if "khabaronline-0110" in s["articles"])
    assert "khabaronline" not in story["sources"]
    assert story["n_sources"] == len(story["sources"]) and story["n_articles"] > story["n_sources"]
