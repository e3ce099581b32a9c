"""Ingestion into the database: wire copies, idempotence, rejects, `dastan articles`."""

from __future__ import annotations

import json

from flows import stages
from flows.cli import main
from flows.settings import Settings
from storage import Database
from tests.conftest import SAMPLES, SEED_FILES


def ingest(db: Database, paths) -> stages.IngestCounts:
    return stages.ingest_paths(db, [str(p) for p in paths], Settings(), "run")


def test_wire_copy_is_stored_pointing_at_the_agency_original(tmp_path) -> None:
    db = Database(str(tmp_path / "d.duckdb"))
    counts = ingest(db, [SAMPLES / "agencies.jsonl"])
    with db.connect(read_only=True) as con:
        rows = con.execute("""SELECT c.external_id, o.external_id FROM articles c
                              JOIN articles o ON c.duplicate_of = o.article_id""").fetchall()
    # khabaronline republished ISNA's report 35 minutes later, one paragraph dropped
    assert rows == [("khabaronline-0110", "isna-0109")]
    assert counts.near_duplicates == 1 and counts.ingested == 50


def test_copy_arriving_before_its_original_is_re_pointed(tmp_path) -> None:
    lines = (SAMPLES / "agencies.jsonl").read_text(encoding="utf-8").splitlines()
    by_id = {json.loads(line)["id"]: line for line in lines}
    first = tmp_path / "a.jsonl"
    first.write_text(by_id["khabaronline-0110"] + "\n", encoding="utf-8")
    second = tmp_path / "b.jsonl"
    second.write_text(by_id["isna-0109"] + "\n", encoding="utf-8")
    db = Database(str(tmp_path / "d.duckdb"))
    ingest(db, [first])
    ingest(db, [second])
    from storage.articles import load_articles

    with db.connect(read_only=True) as con:
        stored = dict(con.execute("SELECT external_id, duplicate_of IS NOT NULL FROM articles").fetchall())
        seen = {a.external_id: a.duplicate_of is not None for a in load_articles(con)}
    # what later stages see at once; the stored mark waits for the run's final transaction
    assert seen == {"khabaronline-0110": True, "isna-0109": False}
    assert stored == {"khabaronline-0110": False, "isna-0109": False}
    from storage.dedupe import apply_pending_copies

    with db.transaction() as con:  # as the run's final transaction does
        assert apply_pending_copies(con) == 1
        stored = dict(con.execute("SELECT external_id, duplicate_of IS NOT NULL FROM articles").fetchall())
    assert stored == {"khabaronline-0110": True, "isna-0109": False}


def test_same_inputs_twice_add_nothing(tmp_path) -> None:
    db = Database(str(tmp_path / "d.duckdb"))
    ingest(db, [SAMPLES])
    again = ingest(db, [SAMPLES])
    assert again.ingested == 0 and again.unchanged_files == 3 and again.read == 0  # not even read again
    copy = tmp_path / "copy.jsonl"
    copy.write_bytes((SAMPLES / "agencies.jsonl").read_bytes() + b"\n")  # same records, other bytes
    changed = ingest(db, [copy])
    assert changed.ingested == 0 and changed.existing == 50


def test_two_saved_pages_of_one_file_name_in_two_folders_are_two_reports(tmp_path) -> None:
    # a file's name is how a person named it: «news.txt» in two folders (found by a newcomer,
    # who lost the second page without a word)
    pages = {"a": "تورم آذرماه به ۳۲ درصد رسید\nبه گزارش فارس، مرکز آمار نرخ تورم آذرماه را ۳۲ درصد اعلام کرد.",
             "b": "بهمن در جاده چالوس دو خودرو را زیر برف برد\nبه گزارش ایلنا، ریزش بهمن دو خودرو را زیر برف برد."}
    for folder, text in pages.items():
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "news.txt").write_text(text, encoding="utf-8")
        (tmp_path / folder / "index.html").write_text(
            f"<html><head><title>{text.splitlines()[0]}</title></head><body><article><h1>{text.splitlines()[0]}"
            f"</h1><p>{text.splitlines()[1]}</p></article></body></html>", encoding="utf-8")
    db = Database(str(tmp_path / "d.duckdb"))
    counts = ingest(db, [tmp_path / "a", tmp_path / "b"])
    assert counts.ingested == 4 and counts.existing == 0  # the html twins of the txt pages are copies, kept
    assert ingest(db, [tmp_path / "a" / "news.txt"]).ingested == 0  # the same page again is the same report


def test_a_stored_id_that_comes_again_with_other_text_is_a_reject_not_a_silence(tmp_path) -> None:
    first = {"id": "1", "source": "irna", "title": "زلزله ۵ ریشتری کرمان را لرزاند",
             "body": "زلزله‌ای به بزرگی ۵ ریشتر صبح امروز راور در استان کرمان را لرزاند."}
    corrected = {**first, "title": "زلزله ۵٫۲ ریشتری کرمان را لرزاند"}
    db = Database(str(tmp_path / "d.duckdb"))
    for n, record in enumerate((first, first, corrected)):
        # other bytes each time, so that no file is skipped as already read
        (tmp_path / f"{n}.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n" * n, encoding="utf-8")
    assert ingest(db, [tmp_path / "0.jsonl"]).ingested == 1
    again = ingest(db, [tmp_path / "1.jsonl"])
    assert again.existing == 1 and not again.rejected  # the same report again: nothing to say
    changed = ingest(db, [tmp_path / "2.jsonl"])
    assert changed.ingested == 0 and changed.read == 1 and changed.rejected == {"id_taken": 1}
    with db.connect(read_only=True) as con:
        (detail,) = con.execute("SELECT detail FROM rejects WHERE reason = 'id_taken'").fetchone()
    assert "id 1 is stored already with other text" in detail


def test_articles_command_lists_fields_and_sentence_roles(tmp_path, capsys) -> None:
    db = tmp_path / "d.duckdb"
    ingest(Database(str(db)), SEED_FILES)
    assert main(["articles", "--json", "--sentences", "--db", str(db)]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    seed0, seed1 = rows["000_e23a21b58e659183"], rows["001_5e7334db1295ff68"]
    assert seed0["attribution"] == "isna" and seed0["published_at"] == "2021-06-04T04:41:00Z"
    assert seed1["attribution"] == "borna" and seed1["published_at"] is None
    for key in ("article_id", "id", "source", "attribution", "title", "lead", "published_at", "url",
                "n_sentences", "duplicate_of"):
        assert key in seed0
    roles = [s["role"] for s in seed0["sentences"]]
    assert roles[0] == "boilerplate" and "title" in roles and "lead" in roles and roles[-1] == "boilerplate"


def test_rejects_are_recorded_with_reason_and_counted(tmp_path, capsys) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "bin.txt").write_bytes(b"\x00\x01\x02")
    db = tmp_path / "d.duckdb"
    counts = ingest(Database(str(db)), [tmp_path / "in"])
    assert dict(counts.rejected) == {"empty": 1, "binary": 1}
    assert main(["rejects", "--json", "--db", str(db)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(r["reason"] for r in rows) == ["binary", "empty"]


def test_a_changed_file_read_again_records_its_rejects_once(tmp_path, capsys) -> None:
    # the eighth newcomer's defect 11: a line appended to a JSON Lines file, the run again,
    # and `dastan rejects` listed each reject twice with nothing to tell them apart
    body = "به گزارش ایسنا، وزیر نیرو امروز از آغاز طرح آبرسانی به روستاهای استان کرمان خبر داد."
    f = tmp_path / "wire.jsonl"
    lines = [json.dumps({"id": "1", "title": "طرح آبرسانی کرمان", "body": body}, ensure_ascii=False),
             '{"id": "2", "title": "broken',
             json.dumps({"id": "3", "url": "https://www.irna.ir/news/3"})]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = Database(str(tmp_path / "d.duckdb"))
    first = ingest(db, [f])
    assert dict(first.rejected) == {"malformed": 1, "no_text": 1}
    with f.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "4", "title": "طرح آبرسانی یزد", "body": body.replace("کرمان", "یزد")},
                            ensure_ascii=False) + "\n")
    again = ingest(db, [f])
    assert again.ingested == 1 and again.unchanged_files == 0  # the file was read again
    assert main(["rejects", "--json", "--db", str(db.path)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted((r["input"].rsplit(":", 1)[1], r["reason"]) for r in rows) == [("2", "malformed"), ("3", "no_text")]


def test_another_reject_of_the_same_line_is_recorded(tmp_path) -> None:
    # the same place refused for another reason, or with other bytes, is another reject
    from ingest.models import Reject, RejectReason
    from storage.articles import add_rejects

    db = Database(str(tmp_path / "d.duckdb"))
    first = Reject("a.jsonl:2", RejectReason.MALFORMED, "not valid JSON at line 2, column 9: Expecting value", "{x")
    with db.transaction() as con:
        assert add_rejects(con, [first, first], "r1") == 1
    with db.transaction() as con:
        assert add_rejects(con, [first], "r2") == 0
        other_bytes = Reject("a.jsonl:2", RejectReason.MALFORMED, first.detail, "{y")
        other_reason = Reject("a.jsonl:2", RejectReason.NO_TEXT, "the record has no title and no text field")
        assert add_rejects(con, [other_bytes, other_reason], "r2") == 2
        assert con.execute("SELECT count(*) FROM rejects").fetchone() == (3,)
