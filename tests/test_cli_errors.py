"""A mistyped command is one line on stderr and leaves nothing behind (the eighth newcomer's
defects 3, 8, 9, 17 and 20).

Before: `dastan run "" --db x.duckdb` ingested the working directory; `dastan run emptydir`
created a database and overwrote the report beside it with an empty one; `--db notes.txt`,
`--db somedir`, `--db /proc/x.duckdb`, `report --out somedir`, `stories --limit -1` and an
evaluation whose gold ids match no item ended in tracebacks, some leaving `.lock` or `.tmp`
files; a bad `--model` or `fetch --source nosuch` created the database before failing.
"""

from __future__ import annotations

import pytest

from flows.cli import main
from storage import Database

ITEM = '{"id": "a1", "source": "isna", "title": "افتتاح سد", "body": "وزیر نیرو امروز سد را افتتاح کرد."}\n'


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


def test_an_empty_input_path_is_an_error_not_the_working_directory(tmp_path, monkeypatch, capsys) -> None:
    # defect 3: `dastan run "$DIR"` with DIR unset read every file under the working directory
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.jsonl").write_text(ITEM, encoding="utf-8")
    assert main(["run", "", "--db", "x.duckdb"]) == 1
    assert "input path is empty" in one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.jsonl"]


def test_a_folder_with_no_inputs_is_an_error_and_leaves_the_report_alone(tmp_path, capsys) -> None:
    # defect 9: "ingested 0 ... nothing new", exit 0, a new database, an existing report emptied
    (tmp_path / "emptydir").mkdir()
    (tmp_path / "emptydir" / "notes.md").write_text("not a news format", encoding="utf-8")
    report = tmp_path / "report.html"
    report.write_text("the report of yesterday", encoding="utf-8")
    assert main(["run", str(tmp_path / "emptydir"), "--db", str(tmp_path / "e.duckdb")]) == 1
    assert f"no inputs found in {tmp_path / 'emptydir'}" in one_line_error(capsys)
    assert report.read_text(encoding="utf-8") == "the report of yesterday"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["emptydir", "report.html"]


@pytest.mark.parametrize("command", [["run", "IN"], ["stories"], ["report"], ["runs"]])
@pytest.mark.parametrize(("make", "said"), [
    (lambda p: p.write_text("some notes\n", encoding="utf-8"), "is not a DuckDB database (another kind of file)"),
    (lambda p: p.write_bytes(b""), "is not a DuckDB database (an empty file)"),
    (lambda p: p.mkdir(), "is a directory; --db names the database file"),
], ids=["text file", "empty file", "directory"])
def test_a_db_that_is_not_a_duckdb_file_is_one_line(command, make, said, tmp_path, capsys) -> None:
    # defect 8: DuckDB's IOException as a traceback (twice for a run), and some.txt.lock left beside it
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text(ITEM, encoding="utf-8")
    db = tmp_path / "some.txt"
    make(db)
    before = sorted(p.name for p in tmp_path.iterdir())
    args = [str(tmp_path / "in") if a == "IN" else a for a in command]
    assert main([*args, "--db", str(db)]) == 1
    assert said in one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_db_where_no_file_can_be_made_is_one_line(tmp_path, capsys) -> None:
    # defect 8: `run --db /proc/x.duckdb` printed a traceback twice
    (tmp_path / "a.jsonl").write_text(ITEM, encoding="utf-8")
    assert main(["run", str(tmp_path / "a.jsonl"), "--db", "/proc/x.duckdb"]) == 1
    assert "cannot create the database /proc/x.duckdb" in one_line_error(capsys)


def test_report_into_a_directory_is_one_line_and_leaves_no_tmp(tmp_path, capsys) -> None:
    # defect 8: `report --out somedir` was a traceback and left somedir.tmp
    db = tmp_path / "d.duckdb"
    with Database(str(db)).connect():
        pass
    (tmp_path / "somedir").mkdir()
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "somedir")]) == 1
    assert "is a directory; give a file name" in one_line_error(capsys)
    assert not (tmp_path / "somedir.tmp").exists()


def test_run_with_a_report_into_a_directory_fails_before_it_stores_anything(tmp_path, capsys) -> None:
    # defect 8: `run rep_in --db rp.duckdb --report somedir` stored its stories, then a traceback
    (tmp_path / "a.jsonl").write_text(ITEM, encoding="utf-8")
    (tmp_path / "somedir").mkdir()
    code = main(["run", str(tmp_path / "a.jsonl"), "--db", str(tmp_path / "rp.duckdb"),
                 "--report", str(tmp_path / "somedir")])
    assert code == 1 and "is a directory" in one_line_error(capsys)
    assert not (tmp_path / "rp.duckdb").exists()


def test_a_report_that_fails_inside_the_run_is_part_of_its_result(tmp_path) -> None:
    # defect 8: the run's stories are stored by then; its result says why the report is missing
    from flows.pipeline import publish_report
    from flows.settings import load_settings

    db = tmp_path / "rp.duckdb"
    with Database(str(db)).connect():
        pass
    (tmp_path / "somedir").mkdir()
    settings = load_settings(overrides={"db": str(db), "flow.report": str(tmp_path / "somedir")})
    result = publish_report.fn(str(db), settings, {})
    assert "is a directory" in result["report_error"]
    assert not (tmp_path / "somedir.tmp").exists()


@pytest.mark.parametrize("limit", ["-1", "0", "x"])
def test_a_limit_below_one_is_a_usage_error_in_one_line(limit, tmp_path, capsys) -> None:
    # defects 8 and 15: --limit -1 was DuckDB's BinderException, --limit 0 said "no stories yet"
    with pytest.raises(SystemExit) as exit_:
        main(["stories", "--limit", limit, "--db", str(tmp_path / "d.duckdb")])
    assert exit_.value.code == 2
    assert "argument --limit" in one_line_error(capsys)


def test_a_bad_model_or_source_makes_no_database(tmp_path, capsys) -> None:
    # defect 20: both created the database file before failing
    (tmp_path / "a.jsonl").write_text(ITEM, encoding="utf-8")
    db = tmp_path / "m.duckdb"
    assert main(["run", str(tmp_path / "a.jsonl"), "--db", str(db), "--model", str(tmp_path / "nope")]) == 1
    assert "nope" in one_line_error(capsys)
    assert main(["fetch", "--source", "nosuch", "--db", str(db)]) == 1
    assert "unknown source 'nosuch'" in one_line_error(capsys)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl"]


def _fake_clustering(monkeypatch, stories: list[dict]) -> None:
    from flows import evaluate as ev
    from storage import queries

    def run_stages(db, *args, **kwargs):
        with db.connect():
            pass
        return {}

    monkeypatch.setattr(ev.stages, "run_stages", run_stages)
    monkeypatch.setattr(queries, "list_stories", lambda con: stories)
    monkeypatch.setattr("flows.summary_eval.summary_metrics", lambda db, settings: {
        "boilerplate_rate": 0.0, "source_coverage": None, "redundancy_max_cosine_max": None})


def test_evaluate_refuses_ids_that_name_two_items(monkeypatch, tmp_path, capsys) -> None:
    # defect 17: four records, ids 1 and 2 in each of two sources, were scored as "2 items"
    _fake_clustering(monkeypatch, [{"story_id": "s1", "articles": ["1", "1"]},
                                   {"story_id": "s2", "articles": ["2", "2"]}])
    items, gold = tmp_path / "items.jsonl", tmp_path / "gold.jsonl"
    items.write_text(ITEM, encoding="utf-8")
    gold.write_text('{"id": "1", "event": "dam"}\n{"id": "2", "event": "cold"}\n', encoding="utf-8")
    assert main(["evaluate", str(items), str(gold)]) == 1
    assert "2 id(s) name more than one item ('1' 2 times, '2' 2 times)" in one_line_error(capsys)


def test_evaluate_says_which_gold_ids_match_no_item(monkeypatch, tmp_path, capsys) -> None:
    # defect 17: unmatched gold ids were ignored without a word; defect 8: none matching was a traceback
    _fake_clustering(monkeypatch, [{"story_id": "s1", "articles": ["1"]}, {"story_id": "s2", "articles": ["2"]}])
    items, gold = tmp_path / "items.jsonl", tmp_path / "gold.jsonl"
    items.write_text(ITEM, encoding="utf-8")
    gold.write_text('{"id": "1", "event": "dam"}\n{"id": "2", "event": "cold"}\n{"id": "3", "event": "x"}\n',
                    encoding="utf-8")
    assert main(["evaluate", str(items), str(gold)]) == 0
    captured = capsys.readouterr()
    assert captured.err == f"dastan: warning: 1 of 3 gold ids are no item of {items}; scored on the other 2\n"
    assert "2 items" in captured.out
    gold.write_text('{"id": "zz", "event": "q"}\n', encoding="utf-8")
    assert main(["evaluate", str(items), str(gold)]) == 1
    assert f"no id of {gold} is an item of {items}" in one_line_error(capsys)


STORY = {"story_id": "s1", "title": "خبر", "n_articles": 2, "n_sources": 2, "sources": ["isna", "mehr"],
         "first_published": "2025-11-29T06:30:00Z", "last_published": "2025-11-30T06:30:00Z"}


def test_stories_show_the_time_they_are_sorted_by(tmp_path, monkeypatch, capsys) -> None:
    # defect 15: sorted by the last report, the list showed the first: it looked unsorted
    from storage import queries

    db = tmp_path / "d.duckdb"
    with Database(str(db)).connect():
        pass
    monkeypatch.setattr(queries, "list_stories", lambda con, limit=None: [STORY])
    assert main(["stories", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "last (Tehran)" in out and "2025-11-30 10:00" in out and "2025-11-29" not in out


def test_the_demo_ends_on_a_hint_that_works_as_written(tmp_path, monkeypatch, capsys) -> None:
    # defect 16: `dastan stories --json | dastan show STORY_ID` fails (show reads no stdin)
    from flows import cli
    from storage import queries

    db = tmp_path / "d.duckdb"
    with Database(str(db)).connect():
        pass
    monkeypatch.setattr(cli, "_run", lambda settings, paths, verbose: {"ingested": 2})
    monkeypatch.setattr(queries, "list_stories", lambda con, limit=None: [STORY])
    assert main(["demo", "--db", str(db)]) == 0
    hint = capsys.readouterr().out.splitlines()[-1]
    assert hint == f"next: dastan show s1 --db {db}"


def test_timeline_of_a_story_and_a_thread_at_once_is_an_error(tmp_path, capsys) -> None:
    # defect 20: `timeline STORY --thread T` read the thread and ignored STORY without a word
    assert main(["timeline", "s1", "--thread", "t1", "--db", str(tmp_path / "d.duckdb")]) == 1
    assert "not both (s1 was not read)" in one_line_error(capsys)
