"""A run summarizes only the stories it changed (flows.incremental), and ends where a run
over everything ends (issue 15: adding 100 reports re-summarized the whole window)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows import stages
from flows.settings import load_settings
from storage import Database
from storage.stories import window_summaries
from tests.conftest import SAMPLES, FakeEncoder


def _split_by_time(tmp: Path, parts: int) -> list[Path]:
    lines = (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines()
    lines.sort(key=lambda line: json.loads(line)["published"])
    size = -(-len(lines) // parts)
    files = []
    for k in range(parts):
        f = tmp / f"part{k}.jsonl"
        f.write_text("\n".join(lines[k * size:(k + 1) * size]) + "\n", encoding="utf-8")
        files.append(f)
    return files


def _state(db: Database) -> dict[frozenset[str], tuple]:
    """Each unfrozen story, by its articles: title, keywords, summary rows and notes (ids aside)."""
    with db.connect(read_only=True) as con:
        stored = window_summaries(con)
        keywords = dict(con.execute("SELECT story_id, keywords FROM stories").fetchall())
    return {s.article_ids: (s.title, tuple(keywords[sid]),
                            sorted((r.rank, r.article_id, r.position, r.text, r.source) for r in s.rows),
                            sorted((n.source, n.kind, n.rank, n.text, n.article_id, n.position) for n in s.notes))
            for sid, s in stored.items()}


@pytest.fixture
def fake_embedding(monkeypatch) -> None:
    fake = FakeEncoder()
    monkeypatch.setattr(stages, "embed_texts", lambda texts, params: fake.encode(list(texts)))


@pytest.mark.slow  # the real model: the fake one leaves 48 of the 50 reports alone
def test_runs_in_parts_keep_summaries_and_end_as_one_run(tmp_path) -> None:
    parts = _split_by_time(tmp_path, 3)
    step = Database(str(tmp_path / "step.duckdb"))
    settings = load_settings(overrides={"db": step.path, "flow.report": ""})
    counts = [stages.run_stages(step, [f], settings) for f in parts]
    # the later runs summarize only what they changed: the pin fails if every story is redone
    assert 0 < counts[-1]["stories_resummarized"] < counts[-1]["stories"]
    once = Database(str(tmp_path / "once.duckdb"))
    stages.run_stages(once, parts, load_settings(overrides={"db": once.path, "flow.report": ""}))
    step_state, once_state = _state(step), _state(once)
    assert sum(len(ids) > 1 for ids in step_state) >= 5  # stories of several reports, kept and redone
    assert step_state == once_state


def test_kept_summaries_equal_a_full_recompute(tmp_path, fake_embedding, monkeypatch) -> None:
    parts = _split_by_time(tmp_path, 2)
    db = Database(str(tmp_path / "d.duckdb"))
    settings = load_settings(overrides={"db": db.path, "flow.report": ""})
    for f in parts:
        stages.run_stages(db, [f], settings)
    model_id = "fake/bow-64"
    with db.connect(read_only=True) as con:
        model_id = json.loads(con.execute("SELECT counts FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()[0])[
            "model"]
    kept, _ = stages.compute_window(db, model_id, settings)
    monkeypatch.setattr(stages, "kept_summaries", lambda *args: {})
    full, _ = stages.compute_window(db, model_id, settings)
    assert kept.resummarized == 0 and full.resummarized == len(full.stories)  # nothing changed since
    assert kept.texts == full.texts
    assert sorted(map(repr, kept.summaries)) == sorted(map(repr, full.summaries))
    assert sorted(map(repr, kept.notes)) == sorted(map(repr, full.notes))


def test_other_summary_settings_summarize_every_story_again(tmp_path, fake_embedding) -> None:
    db = Database(str(tmp_path / "d.duckdb"))
    stages.run_stages(db, [SAMPLES / "agencies.jsonl"], load_settings(overrides={"db": db.path, "flow.report": ""}))
    other = load_settings(overrides={"db": db.path, "flow.report": "", "summary.sentences": 2})
    with db.connect(read_only=True) as con:
        model_id = json.loads(con.execute("SELECT counts FROM runs").fetchone()[0])["model"]
    result, _ = stages.compute_window(db, model_id, other)
    assert result.resummarized == len(result.stories)
    assert all(sum(1 for r in result.summaries if r.story_id == s.story_id) <= 2 for s in result.stories)


def test_story_details_read_in_one_go_equal_one_at_a_time(tmp_path, fake_embedding) -> None:
    """The report reads every story with story_details (issue 15: one query set per story
    took 155 s for a 10,000-report database); the CLI reads one with story_detail."""
    from storage.queries import list_stories, story_detail, story_details

    db = Database(str(tmp_path / "d.duckdb"))
    stages.run_stages(db, [SAMPLES / "agencies.jsonl", *SAMPLES.glob("[0-9]*.txt")],
                      load_settings(overrides={"db": db.path, "flow.report": ""}))
    with db.connect(read_only=True) as con:
        ids = [s["story_id"] for s in list_stories(con)]
        assert len(ids) > 10
        assert story_details(con, ids) == [story_detail(con, sid) for sid in ids]
        assert story_details(con, ["nope", ids[0]]) == [story_detail(con, ids[0])]
