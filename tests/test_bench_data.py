"""Which labelled data the benchmarks read, said and recorded.

Found by a newcomer: run from a copy of the tree without ../shared/eval next to it,
`python -m benchmarks.bench` and `python -m benchmarks.eval` fell back to the sample corpus
without a word, and their JSON did not say so: figures from 47 sample reports looked like
the README's. Now each says on stderr which data it read and records it under "data"; asked
for explicitly (--eval-dir, or BENCH_EVAL_DIR), missing data is an error before any work.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def no_shared_eval(tmp_path: Path, monkeypatch) -> Path:
    """A tree with no ../shared/eval next to it, and nobody asking for the eval data."""
    missing = tmp_path / "shared" / "eval"
    monkeypatch.setattr("benchmarks.eval_data.DEFAULT_EVAL_DIR", missing)
    monkeypatch.delenv("BENCH_EVAL_DIR", raising=False)
    return missing


@pytest.fixture
def dev_sets(tmp_path: Path, monkeypatch) -> Path:
    """An eval folder with one small labelled set, made from the sample corpus."""
    from tests.conftest import ROOT

    folder = tmp_path / "eval"
    folder.mkdir()
    lines = (ROOT / "data" / "samples" / "agencies.jsonl").read_text(encoding="utf-8").splitlines()[:6]
    (folder / "tiny_dev.items.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold = [json.dumps({"id": json.loads(line)["id"], "event": "e"}) for line in lines]
    (folder / "tiny_dev.gold.jsonl").write_text("\n".join(gold) + "\n", encoding="utf-8")
    monkeypatch.delenv("BENCH_EVAL_DIR", raising=False)
    return folder


@pytest.fixture
def stub_clustering(monkeypatch) -> list[int]:
    """bench's clustering step without its minutes of work; the list counts its calls."""
    from benchmarks import bench

    calls: list[int] = []
    monkeypatch.setattr(bench, "bench_clustering", lambda sizes: calls.append(1) or {"1000": {}})
    monkeypatch.setattr(bench, "table", lambda results: "")
    return calls


def test_bench_without_shared_eval_says_it_used_the_samples_and_records_it(
        no_shared_eval: Path, stub_clustering, tmp_path: Path, capsys) -> None:
    from benchmarks import bench

    out = tmp_path / "results.json"
    assert bench.main(["--only", "clustering", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"{no_shared_eval} is not there" in err and "the sample corpus alone" in err
    data = json.loads(out.read_text())["data"]
    assert data["fallback"] is True and data["sets"] == [] and data["eval_dir"] == str(no_shared_eval)
    assert "data/samples" in data["used"]
    assert json.loads(out.read_text())["context"]["clustering"]["data"] == data["used"]


def test_bench_with_shared_eval_records_its_sets(dev_sets: Path, stub_clustering, tmp_path: Path,
                                                 monkeypatch, capsys) -> None:
    from benchmarks import bench

    monkeypatch.setattr("benchmarks.eval_data.DEFAULT_EVAL_DIR", dev_sets)
    out = tmp_path / "results.json"
    assert bench.main(["--only", "clustering", "--out", str(out)]) == 0
    assert f"{dev_sets}: tiny_dev" in capsys.readouterr().err
    data = json.loads(out.read_text())["data"]
    assert data["fallback"] is False and data["sets"] == ["tiny_dev"] and data["asked_for"] is False


def test_bench_asked_for_eval_data_that_is_there_passes_it_on(dev_sets: Path, stub_clustering, tmp_path: Path,
                                                              monkeypatch) -> None:
    from benchmarks import bench
    from flows.settings import load_settings

    monkeypatch.setenv("BENCH_EVAL_DIR", str(dev_sets))  # restored after the test
    out = tmp_path / "results.json"
    assert bench.main(["--only", "clustering", "--eval-dir", str(dev_sets), "--out", str(out)]) == 0
    data = json.loads(out.read_text())["data"]
    assert data["asked_for"] is True and data["sets"] == ["tiny_dev"]
    load_settings()  # what the benchmark passes on to its `dastan run` children is no dastan setting


@pytest.mark.parametrize("how", ["flag", "env"])
def test_bench_asked_for_eval_data_that_is_not_there_fails_before_any_work(
        no_shared_eval: Path, stub_clustering, tmp_path: Path, monkeypatch, capsys, how: str) -> None:
    from benchmarks import bench

    out = tmp_path / "results.json"
    missing = tmp_path / "elsewhere"
    args = ["--only", "clustering", "--out", str(out)]
    if how == "flag":
        args += ["--eval-dir", str(missing)]
    else:
        monkeypatch.setenv("BENCH_EVAL_DIR", str(missing))
    assert bench.main(args) == 1
    err = capsys.readouterr().err
    assert f"the evaluation data asked for is not there: {missing}" in err and "Traceback" not in err
    assert stub_clustering == [] and not out.exists()


def test_eval_without_shared_eval_says_so_and_records_it(no_shared_eval: Path, tmp_path: Path,
                                                         monkeypatch, capsys) -> None:
    # (the scoring itself is flows.evaluate's, tested elsewhere: stubbed here)
    from benchmarks import eval as bench_eval

    monkeypatch.setattr(bench_eval, "table", lambda results, extra=None: "")
    monkeypatch.setattr("flows.evaluate.evaluate", lambda items, gold, settings, name=None, **kw: _Scored(name))
    out = tmp_path / "eval.json"
    assert bench_eval.main(["--no-loso", "--out", str(out)]) == 0
    assert "the sample corpus alone" in capsys.readouterr().err
    written = json.loads(out.read_text())
    assert [r["set"] for r in written["results"]] == ["sample"]
    assert written["data"]["fallback"] is True and written["data"]["sets"] == []


@pytest.mark.parametrize("args", [["--eval-dir", "{missing}"], ["--only", "stream2026_dev"]])
def test_eval_asked_for_a_dev_set_that_is_not_there_fails_with_a_clear_message(
        no_shared_eval: Path, tmp_path: Path, capsys, args: list[str]) -> None:
    from benchmarks import eval as bench_eval

    out = tmp_path / "eval.json"
    argv = [a.format(missing=tmp_path / "elsewhere") for a in args] + ["--no-loso", "--out", str(out)]
    assert bench_eval.main(argv) == 1
    err = capsys.readouterr().err
    assert "not there" in err and ("elsewhere" in err or "stream2026_dev" in err) and "Traceback" not in err
    assert not out.exists()


def test_eval_data_lists_the_sets_and_their_gold(dev_sets: Path) -> None:
    from benchmarks.eval_data import eval_data

    data = eval_data(dev_sets, say=False)
    assert data.sets == ("tiny_dev",) and not data.fallback and data.asked_for
    assert data.labelled() == [("tiny_dev", dev_sets / "tiny_dev.items.jsonl", dev_sets / "tiny_dev.gold.jsonl")]


class _Scored:
    """What flows.evaluate.evaluate returns, as far as benchmarks.eval reads it."""

    def __init__(self, name: str | None) -> None:
        self.name = name

    def as_dict(self) -> dict:
        return {"set": self.name, "pair_f1": 0.5, "bcubed_f1": 0.5}
