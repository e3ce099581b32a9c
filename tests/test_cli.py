"""The command line: help everywhere, light imports, clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import build_parser, main

COMMANDS = [["demo"], ["run"], ["fetch"], ["articles"], ["rejects"], ["stories"], ["show"], ["evaluate"],
            ["serve"], ["sql"], ["timeline"], ["report"], ["runs"],
            ["model"], ["model", "build"]]


def run_py(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("cmd", COMMANDS, ids=" ".join)
def test_every_command_has_help(cmd: list[str], capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*cmd, "--help"])
    assert exit_.value.code == 0
    assert "usage: dastan" in capsys.readouterr().out


def test_every_subcommand_is_listed_in_the_top_help() -> None:
    parser = build_parser()
    text = parser.format_help()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:
        assert name in text


def test_help_and_light_imports_load_neither_torch_nor_hazm_nor_prefect() -> None:
    out = run_py(
        "import sys, contextlib, io\n"
        "import clustering, summarize, ingest, storage\n"
        "import flows.cli as cli\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['--help'])\n"
        "print(sorted(m for m in ('torch', 'hazm', 'prefect', 'sentence_transformers') if m in sys.modules))"
    )
    assert out.strip() == "[]"


def test_reading_a_missing_database_is_a_message_not_a_traceback(tmp_path, capsys) -> None:
    code = main(["stories", "--db", str(tmp_path / "none.duckdb")])
    err = capsys.readouterr().err
    assert code == 1 and "no database" in err and "Traceback" not in err


def test_unknown_story_is_a_message(tmp_path, capsys) -> None:
    from storage import Database

    db = tmp_path / "d.duckdb"
    with Database(str(db)).connect():
        pass
    assert main(["show", "nope", "--db", str(db)]) == 1
    assert "no story 'nope'" in capsys.readouterr().err


@pytest.mark.slow
def test_an_error_inside_the_flow_is_one_line_not_a_traceback(tmp_path, prefect_api) -> None:
    import os
    from pathlib import Path

    from tests.conftest import SEED_FILES

    dastan = Path(sys.executable).parent / "dastan"
    result = subprocess.run([str(dastan), "run", str(SEED_FILES[0]), "--db", str(tmp_path / "d.duckdb"),
                             "--model", str(tmp_path / "no-such-model")], capture_output=True, text=True, timeout=300,
                            env={**os.environ, "PREFECT_API_URL": prefect_api})
    assert result.returncode == 1
    assert "dastan: model" in result.stderr and "Traceback" not in result.stderr


def test_evaluate_without_a_set_or_cases_says_what_it_needs(capsys) -> None:
    assert main(["evaluate"]) == 1
    assert "evaluate needs ITEMS and GOLD files, or --cases" in capsys.readouterr().err


def test_evaluate_cases_reports_each_case_and_fails_when_one_is_wrong(monkeypatch, capsys) -> None:
    from flows import cases

    wrong = cases.CaseResult("two-quakes", (("a", "b", "c"),), ("one story joins 2 events: ['a', 'b'] + ['c']",))
    monkeypatch.setattr(cases, "run_cases", lambda settings, folder: [cases.CaseResult("background", ()), wrong])
    assert main(["evaluate", "--cases"]) == 1
    captured = capsys.readouterr()
    out = captured.out
    assert "right  background" in out and "WRONG  two-quakes" in out and "one story joins 2 events" in out
    assert "1 of 2 story cases right" in out
    # exit 1 says why on stderr, as every error does
    assert captured.err.strip() == "dastan: 1 of 2 story cases wrong: two-quakes"


def test_evaluate_cases_of_a_folder_without_cases_says_so(tmp_path, capsys) -> None:
    assert main(["evaluate", "--cases", str(tmp_path)]) == 1
    assert f"{tmp_path} has no cases.json" in capsys.readouterr().err


def test_evaluate_cases_takes_the_cases_file_as_well_as_its_folder(monkeypatch, tmp_path, capsys) -> None:
    from flows import cases

    (tmp_path / "cases.json").write_text("{}", encoding="utf-8")
    seen = []
    monkeypatch.setattr(cases, "run_cases", lambda settings, folder: seen.append(folder) or [])
    assert main(["evaluate", "--cases", str(tmp_path / "cases.json")]) == 0
    assert seen == [tmp_path]


def test_evaluate_cases_refuses_a_path_it_would_not_read(tmp_path, capsys) -> None:
    # «--json out.json» would put out.json where ITEMS go; --cases reads neither, and says so
    (tmp_path / "cases.json").write_text("{}", encoding="utf-8")
    assert main(["evaluate", "--cases", str(tmp_path), "--json", str(tmp_path / "out.json")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out.json'} is not read" in err and "--json prints to stdout" in err


def test_story_errors_list_the_wrong_merges_and_the_splits_largest_first() -> None:
    from flows.evaluate import story_errors

    gold = {"a": "quake", "b": "quake", "c": "fire", "d": "fire", "e": "rally"}
    predicted = {"a": "s1", "b": "s2", "c": "s2", "d": "s2", "e": "s3", "x": "s9"}
    assert story_errors(predicted, gold) == {"merged": [["b", "c", "d"]], "split": [["a", "b"]]}


def _fake_evaluation(monkeypatch, tmp_path, predicted: dict[str, str]) -> tuple[Path, Path]:
    """Items a, b (one quake) and c (a fire) with titles, scored as ``predicted`` groups them."""
    from clustering.metrics import score_partition
    from flows import evaluate as ev

    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "event": "quake"}\n{"id": "b", "event": "quake"}\n{"id": "c", "event": "fire"}\n',
                    encoding="utf-8")
    items = tmp_path / "items.jsonl"
    titles = {"a": "زلزله ۵ ریشتری کرمان", "b": "شمار مصدومان زلزله کرمان به ۱۰ نفر رسید", "c": "آتش‌سوزی انبار در قم"}
    items.write_text("".join(json.dumps({"id": i, "title": t, "body": t}, ensure_ascii=False) + "\n"
                             for i, t in titles.items()), encoding="utf-8")
    result = ev.Evaluation("t", score_partition(predicted, ev.read_gold(gold)), {}, {
        "boilerplate_rate": 0.0, "source_coverage": None, "redundancy_max_cosine_max": None}, {},
        ev.story_errors(predicted, ev.read_gold(gold)), predicted, titles)
    monkeypatch.setattr(ev, "evaluate", lambda *a, **k: result)
    return items, gold


def test_evaluate_prints_no_pair_score_where_there_is_no_pair(monkeypatch, tmp_path, capsys) -> None:
    items, gold = _fake_evaluation(monkeypatch, tmp_path, {"a": "s1", "b": "s2", "c": "s3"})
    assert main(["evaluate", str(items), str(gold)]) == 0
    out = capsys.readouterr().out
    dastan_row = next(line for line in out.splitlines() if line.strip().startswith("dastan"))
    assert dastan_row.split()[-3:] == ["-", "0.000", "-"]  # no predicted pair: no precision, no F1
    assert "source coverage n/a (no story has two sources)" in out
    # every report alone is what dastan did here: the verdict says so
    assert "B-cubed F1 0.800 against 0.800 for every report alone (+0.0000): about even" in out
    assert main(["evaluate", str(items), str(gold), "--json"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert scores["pair_precision"] is None and scores["pair_f1"] is None and scores["pair_recall"] == 0.0
    assert scores["every_report_alone"]["pair_precision"] is None and "baselines" not in scores


def test_evaluate_lists_each_wrong_story_with_its_titles_events_and_stories(monkeypatch, tmp_path, capsys) -> None:
    # the quake's second report joined the fire: one wrong merge, one split
    items, gold = _fake_evaluation(monkeypatch, tmp_path, {"a": "s-quake", "b": "s-fire", "c": "s-fire"})
    assert main(["evaluate", str(items), str(gold)]) == 0
    out = capsys.readouterr().out
    merged = out[out.index("stories that join different events: 1"):out.index("events split across stories")]
    assert "2 events in one story:" in merged
    assert "b  [quake]  شمار مصدومان زلزله کرمان به ۱۰ نفر رسید" in merged
    assert "c  [fire]  آتش‌سوزی انبار در قم" in merged
    split = out[out.index("events split across stories: 1"):]
    assert "event quake in 2 stories:" in split
    assert "a  [story s-quake]  زلزله ۵ ریشتری کرمان" in split and "b  [story s-fire]" in split
    assert "worse: the stories do harm" in out  # B-cubed F1 0.667 against 0.800 for every report alone
