"""`dastan run` on inputs a newcomer gives it: a path that does not exist, a folder of files
none of which can be read, a folder that holds the run's own database and report.

Before: a missing path was stored as a reject «no_text» and the run exited 0; a run that
rejected every input exited 0; `dastan run docs --db docs/news.duckdb` rejected its own
database and lock on every run, and read its own report.html as a news page on the second.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import cli, stages
from flows.cli import EXIT_ALL_REJECTED, EXIT_ERROR, main
from flows.settings import load_settings
from storage import Database, run_lock
from tests.conftest import ROOT, FakeEncoder

PAGE = """ایسنا
۹ آذر ۱۴۰۵
افزایش قیمت بلیت قطار از هفته آینده
به گزارش ایسنا، مدیرعامل شرکت راه‌آهن گفت قیمت بلیت قطارهای مسافری از هفته آینده ده درصد افزایش می‌یابد.
وی افزود این افزایش برای جبران هزینه‌های نگهداری ناوگان است.
"""
OTHER = """زلزله ۵ ریشتری در کرمان
به گزارش ایرنا، زمین‌لرزه‌ای به بزرگی پنج ریشتر بامداد امروز حوالی شهر کرمان را لرزاند.
تاکنون گزارشی از خسارت جانی منتشر نشده است.
"""


@pytest.fixture
def fast_run(monkeypatch):
    """`dastan run` with the stages called directly and a fake encoder (no Prefect, no model)."""
    fake = FakeEncoder()
    monkeypatch.setattr(stages, "embed_texts", lambda texts, params: fake.encode(list(texts)))

    def run(settings, paths, verbose):
        db = Database(settings.db)
        with run_lock(db, "test"):  # as the flow holds it: its lock file sits beside the database
            return stages.run_stages(db, paths, settings)

    monkeypatch.setattr(cli, "_run", run)


def rejects(db: Path) -> list[tuple[str, str]]:
    with Database(str(db)).connect(read_only=True) as con:
        return con.execute("SELECT input_ref, reason FROM rejects ORDER BY input_ref").fetchall()


def test_a_missing_path_is_an_error_naming_it_and_changes_nothing(tmp_path: Path, capsys) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.txt").write_text(PAGE, encoding="utf-8")
    db = tmp_path / "d.duckdb"
    missing = tmp_path / "typo"
    assert main(["run", str(tmp_path / "docs"), str(missing), "--db", str(db)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"no such file or directory: {missing}" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs"]  # no database, no lock, no report


def test_a_missing_path_ends_a_flow_run_before_it_starts(tmp_path: Path) -> None:
    from ingest.readers import MissingInput, check_inputs

    with pytest.raises(MissingInput, match=r"typo\.txt"):
        check_inputs([ROOT / "data" / "samples", tmp_path / "typo.txt"])
    check_inputs([ROOT / "data" / "samples"])  # every path there: no error


def test_a_run_that_rejects_every_input_exits_non_zero_and_records_each(tmp_path: Path, fast_run, capsys) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_text("", encoding="utf-8")
    (bad / "english.txt").write_text("Only English text here, nothing Persian at all.\n", encoding="utf-8")
    (bad / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not news")
    db = tmp_path / "d.duckdb"
    assert main(["run", str(bad), "--db", str(db)]) == EXIT_ALL_REJECTED
    out = capsys.readouterr()
    assert "rejected 2" in out.out and "every input was rejected" in out.err and "dastan rejects" in out.err
    assert [(Path(i).name, r) for i, r in rejects(db)] == [("empty.txt", "empty"), ("english.txt", "not_persian")]
    # not a news format: the folder's walk passes it over and says so (it is no reject)
    assert f"passed over: {bad / 'photo.jpg'} (.jpg: not a news format" in out.out
    # one input that becomes an article is a run that did something: 0
    (bad / "page.txt").write_text(PAGE, encoding="utf-8")
    assert main(["run", str(bad), "--db", str(db)]) == 0


def test_a_database_inside_the_input_folder_is_not_read_as_input(tmp_path: Path, fast_run, capsys) -> None:
    from flows.publish import write_report

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.txt").write_text(PAGE, encoding="utf-8")
    db = docs / "news.duckdb"
    assert main(["run", str(docs), "--db", str(db)]) == 0
    write_report(Database(str(db)), docs / "report.html")  # what the flow writes beside the database
    (docs / "other.txt").write_text(OTHER, encoding="utf-8")
    assert main(["run", str(docs), "--db", str(db)]) == 0
    assert "rejected 0" in capsys.readouterr().out
    assert {p.name for p in docs.iterdir()} >= {"news.duckdb", "news.duckdb.lock", "report.html"}
    assert rejects(db) == []  # not the database, its lock or its report
    with Database(str(db)).connect(read_only=True) as con:
        refs = sorted(Path(r[0]).name for r in con.execute("SELECT input_ref FROM articles").fetchall())
    assert refs == ["other.txt", "page.txt"]  # the report was not read as a news page


@pytest.mark.slow
def test_dastan_run_twice_over_a_folder_that_holds_its_database(tmp_path: Path, prefect_api: str) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "page.txt").write_text(PAGE, encoding="utf-8")
    (docs / "notes.md").write_text("# not news\n", encoding="utf-8")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PREFECT_API_URL": prefect_api}
    run = [sys.executable, "-m", "flows.cli", "run", str(docs), "--db", str(docs / "news.duckdb")]
    first = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert first.returncode == 0, first.stderr
    # the Prefect flow's walk names what it passed over, as the stages' walk does
    assert "passed over 1 (format 1)" in first.stdout
    assert f"passed over: {docs / 'notes.md'} (.md: not a news format)" in first.stdout
    assert (docs / "report.html").exists()
    (docs / "other.txt").write_text(OTHER, encoding="utf-8")
    second = subprocess.run(run, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert second.returncode == 0, second.stderr
    assert "ingested 1, duplicates 0, rejected 0" in second.stdout
    assert rejects(docs / "news.duckdb") == []


def test_what_a_run_writes_is_its_database_log_lock_report_and_models() -> None:
    from flows.publish import own_files

    files = {p.name for p in own_files(load_settings(overrides={"db": str(ROOT / "data" / "x.duckdb")}))}
    assert {"x.duckdb", "x.duckdb.wal", "x.duckdb.lock", "report.html", "models"} <= files


def runs_counts(db: Path) -> dict:
    import json

    with Database(str(db)).connect(read_only=True) as con:
        return json.loads(con.execute("SELECT counts FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()[0])


def passed_over_line(out: str) -> str:
    lines = [line for line in out.splitlines() if line.startswith("passed over:")]
    assert len(lines) == 1, out
    return lines[0]


def test_dastan_run_data_reads_the_samples_not_the_projects_own_data(tmp_path: Path, fast_run, capsys) -> None:
    # A newcomer's `dastan run data`: the gazetteer's world.txt became an article («# Countries'
    # other spellings ...»), sample_labels.jsonl 52 'no_text' rejects, sources.toml, places.tsv
    # and SAMPLES.md 'unsupported' rejects: the project's own files were read as news.
    db = tmp_path / "d.duckdb"
    assert main(["run", str(ROOT / "data"), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    samples = ROOT / "data" / "samples"
    with Database(str(db)).connect(read_only=True) as con:
        refs = [r[0] for r in con.execute("SELECT input_ref FROM articles").fetchall()]
    assert refs and all(Path(r.split("#")[0].rsplit(":", 1)[0]).parent == samples for r in refs), refs
    project = ("sources.toml", "places.tsv", "gazetteer", "sample_labels.jsonl", "SAMPLES.md")
    assert not [r for r, _ in rejects(db) if any(name in r for name in project)]
    line = passed_over_line(out)  # named, with why, on the run's output
    for name, why in [("sources.toml", "the source registry"), ("places.tsv", "the place gazetteer"),
                      ("gazetteer", "the gazetteer's sources"), ("sample_labels.jsonl", "the sample corpus's labels"),
                      ("SAMPLES.md", ".md: not a news format")]:
        assert f"{ROOT / 'data' / name} ({why}" in line, (name, line)
    # and in the run's record (`dastan runs --json`)
    # (data/dastan.duckdb and its report, after a `make demo`, are another database's: passed over too)
    recorded = {Path(p["path"]).name: p["reason"] for p in runs_counts(db)["passed_over"]}
    assert {"sources.toml": "project_data", "places.tsv": "project_data", "gazetteer": "project_data",
            "sample_labels.jsonl": "project_data", "SAMPLES.md": "format"}.items() <= recorded.items()


def test_a_folder_walk_passes_over_what_is_not_a_news_format_and_says_so(tmp_path: Path, fast_run, capsys) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "page.txt").write_text(PAGE, encoding="utf-8")
    (docs / "notes.md").write_text("# my notes\n", encoding="utf-8")
    (docs / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 not news")
    db = tmp_path / "d.duckdb"
    for _ in range(2):  # said on every run, the rerun with nothing new included
        assert main(["run", str(docs), "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "passed over 2 (format 2)" in out.splitlines()[0]
        line = passed_over_line(out)
        assert f"{docs / 'notes.md'} (.md: not a news format" in line
        assert f"{docs / 'sub' / 'photo.jpg'} (.jpg: not a news format" in line
        assert rejects(db) == []
    # a file named directly is read whatever it is: an unsupported one is a reject with its reason
    assert main(["run", str(docs / "sub" / "photo.jpg"), "--db", str(db)]) == EXIT_ALL_REJECTED
    assert [(Path(i).name, r) for i, r in rejects(db)] == [("photo.jpg", "unsupported")]


def test_another_database_in_an_input_folder_is_passed_over_once_not_rejected(tmp_path: Path, fast_run,
                                                                                capsys) -> None:
    # Before: other.duckdb, its .wal and its .lock were three rejects (or three files passed
    # over) on every run, since the database changes; its report.html was read as a news page.
    from flows.publish import write_report

    src, docs = tmp_path / "src", tmp_path / "docs"
    src.mkdir()
    docs.mkdir()
    (src / "other.txt").write_text(OTHER, encoding="utf-8")
    (docs / "page.txt").write_text(PAGE, encoding="utf-8")
    other = docs / "other.duckdb"
    assert main(["run", str(src), "--db", str(other)]) == 0  # another dastan database in the folder
    write_report(Database(str(other)), docs / "report.html")  # and its report beside it
    (docs / "other.duckdb.wal").write_bytes(b"\0" * 64)
    db = tmp_path / "main.duckdb"
    for n in range(2):
        capsys.readouterr()
        assert main(["run", str(docs), "--db", str(db)]) == 0
        out = capsys.readouterr().out
        assert "passed over 1 (database 1)" in out.splitlines()[0], out
        line = passed_over_line(out)
        assert line.count(str(docs)) == 1 and f"passed over: {other} (a DuckDB database" in line, line
        assert rejects(db) == []
        with Database(str(db)).connect(read_only=True) as con:
            refs = [Path(r[0]).name for r in con.execute("SELECT input_ref FROM articles").fetchall()]
        assert refs == ["page.txt"]  # its report is not a news page
        (src / f"more{n}.txt").write_text(OTHER.replace("۵", "۶"), encoding="utf-8")
        assert main(["run", str(src), "--db", str(other)]) == 0  # the other database changes between runs


def test_a_report_dastan_wrote_under_any_name_is_passed_over_not_read(tmp_path: Path, fast_run, capsys) -> None:
    # the eighth newcomer's defect 1: `run rpt --db a.duckdb --report rpt/a.html`, then the
    # same folder into b.duckdb read a.html as an article («داستان: خبرها در قالب رویداد»)
    from flows.publish import write_report

    docs = tmp_path / "rpt"
    docs.mkdir()
    (docs / "page.txt").write_text(PAGE, encoding="utf-8")
    first = tmp_path / "a.duckdb"
    assert main(["run", str(docs), "--db", str(first), "--report", ""]) == 0
    write_report(Database(str(first)), docs / "a.html")  # what `--report rpt/a.html` writes
    write_report(Database(str(first)), docs / "weekly.htm")  # `dastan report --out` under another name
    db = tmp_path / "b.duckdb"
    for _rerun in range(2):  # the first run, then a rerun
        capsys.readouterr()
        assert main(["run", str(docs), "--db", str(db), "--report", ""]) == 0
        out = capsys.readouterr().out
        assert "passed over 2 (report 2)" in out and f"{docs / 'a.html'} (a report dastan wrote" in out, out
        assert rejects(db) == []
        with Database(str(db)).connect(read_only=True) as con:
            refs = [Path(r[0]).name for r in con.execute("SELECT input_ref FROM articles").fetchall()]
        assert refs == ["page.txt"]
    # named alone, it is no input: the run says so, and why
    assert main(["run", str(docs / "a.html"), "--db", str(tmp_path / "c.duckdb")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"passed over: {docs / 'a.html'} (a report dastan wrote: not news)" in err, err
    assert not (tmp_path / "c.duckdb").exists()


@pytest.mark.parametrize("name", ["other.duckdb", "other.duckdb.wal", "archive.db"])
def test_a_database_named_as_an_input_is_an_error_naming_it(tmp_path: Path, fast_run, capsys, name: str) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "page.txt").write_text(PAGE, encoding="utf-8")
    other = tmp_path / "other.duckdb"
    assert main(["run", str(src), "--db", str(other)]) == 0
    if name == "archive.db":  # a DuckDB file by its first bytes, whatever its name
        (tmp_path / name).write_bytes(other.read_bytes())
    elif name.endswith(".wal"):
        (tmp_path / name).write_bytes(b"\0" * 64)
    capsys.readouterr()
    db = tmp_path / "main.duckdb"
    assert main(["run", str(src), str(tmp_path / name), "--db", str(db)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert f"{tmp_path / name} is a DuckDB database, not a news input" in err and "--db" in err, err
    assert "Traceback" not in err and not db.exists()  # nothing read, nothing written
