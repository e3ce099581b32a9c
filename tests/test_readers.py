"""Input files: formats, field mapping, and a reject with its reason for everything else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import IngestParams, read_inputs
from ingest.models import Article, Reject, RejectReason

BODY = (
    "به گزارش ایسنا، وزیر نیرو امروز از آغاز طرح آبرسانی به روستاهای استان کرمان خبر داد "
    "و گفت این طرح تا پایان سال تمام می‌شود."
)


def run(paths, **params) -> list[Article | Reject]:
    return list(read_inputs(paths, IngestParams(**params)))


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_jsonl_keeps_input_id_and_source_and_reads_dates(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "x-1", "source": "ISNA", "title": "طرح آبرسانی کرمان", "body": BODY,
         "url": "https://www.isna.ir/news/1", "published": "2025-11-21T09:15:00+03:30"},
    ])
    (a,) = run([f])
    assert isinstance(a, Article)
    assert a.external_id == "x-1" and a.source == "isna" and a.attribution == "isna"
    assert a.published_at is not None and a.published_at.isoformat() == "2025-11-21T05:45:00+00:00"
    assert a.url == "https://www.isna.ir/news/1"


def test_record_without_source_is_kept_with_source_unknown(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [{"title": "طرح آبرسانی کرمان", "text": BODY}])
    (a,) = run([f])
    assert isinstance(a, Article) and a.source is None


def test_usual_field_names_are_mapped_and_summary_alone_is_text(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"headline": "طرح آبرسانی کرمان", "summary": BODY, "link": "https://x.ir/1",
         "pubDate": "Sat, 22 Nov 2025 10:15:00 +0330", "agency": "مهر"},
    ])
    (a,) = run([f])
    assert isinstance(a, Article)
    assert a.title == "طرح آبرسانی کرمان" and a.url == "https://x.ir/1" and a.source == "mehr"
    assert a.published_at is not None and a.published_at.hour == 6 and a.published_at.minute == 45


def test_field_mapping_can_be_overridden(tmp_path: Path) -> None:
    from ingest.params import DEFAULT_FIELDS

    fields = dict(DEFAULT_FIELDS, body=("matn",))
    f = write_jsonl(tmp_path / "a.jsonl", [{"title": "طرح آبرسانی کرمان", "matn": BODY}])
    (a,) = run([f], fields=fields)
    assert isinstance(a, Article) and "روستاهای استان کرمان" in a.body


def test_one_broken_line_is_rejected_and_the_good_lines_kept(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"id": "1", "title": "طرح آبرسانی کرمان", "body": BODY},
        '{"id": "2", "title": "broken',
        {"id": "3", "title": "خبر سوم درباره بارش باران در تهران", "body": BODY.replace("کرمان", "تهران")},
    ])
    out = run([f])
    assert [type(x).__name__ for x in out] == ["Article", "Reject", "Article"]
    assert out[1].reason is RejectReason.MALFORMED and out[1].input_ref.endswith(":2")


def test_csv_with_header(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("id,title,content,source\n7,طرح آبرسانی کرمان,\"" + BODY + "\",irna\n", encoding="utf-8")
    (a,) = run([f])
    assert isinstance(a, Article) and a.external_id == "7" and a.source == "irna"


def test_windows_1256_is_decoded_not_rejected(tmp_path: Path) -> None:
    f = tmp_path / "old.txt"
    # Windows-1256 has Arabic ي and ك but no Persian ی, and no ZWNJ in common use
    text = ("طرح آبرسانی کرمان\n\n" + BODY).replace("\u200c", " ").replace("ی", "ي").replace("ک", "ك")
    f.write_bytes(text.encode("cp1256"))
    (a,) = run([f])
    assert isinstance(a, Article) and a.title == "طرح آبرسانی کرمان"


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "u16.txt"
    f.write_bytes(("طرح آبرسانی کرمان\n\n" + BODY).encode("utf-16"))
    (a,) = run([f])
    assert isinstance(a, Article)


REJECTS = [
    # (file name, content bytes, reason)
    ("empty.txt", b"", RejectReason.EMPTY),
    ("spaces.txt", b"   \n\n  ", RejectReason.EMPTY),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", RejectReason.BINARY),
    ("latin1.txt", "Café crème brûlée, naïve façade".encode("latin-1"), RejectReason.UNDECODABLE),
    ("english.txt", b"The minister said on Sunday that the project will end this year.", RejectReason.NOT_PERSIAN),
    ("notes.docx", b"PK\x03\x04", RejectReason.UNSUPPORTED),
    ("bad.json", b'{"title": ', RejectReason.MALFORMED),
    ("no_text.jsonl", b'{"id": "1", "url": "https://x.ir"}\n', RejectReason.NO_TEXT),
]


@pytest.mark.parametrize(("name", "content", "reason"), REJECTS)
def test_each_reject_reason(tmp_path: Path, name: str, content: bytes, reason: RejectReason) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    (r,) = run([f])
    assert isinstance(r, Reject), r
    assert r.reason is reason
    assert r.input_ref.startswith(str(f)) and r.detail


def test_file_above_the_size_limit_is_rejected(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text("خبر " * 1000, encoding="utf-8")
    (r,) = run([f], max_file_bytes=1000)
    assert isinstance(r, Reject) and r.reason is RejectReason.TOO_LARGE


def test_oversized_jsonl_line_is_rejected_and_the_next_line_read(tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [
        {"title": "x" * 5000, "body": BODY},
        {"title": "طرح آبرسانی کرمان", "body": BODY},
    ])
    out = run([f], max_record_bytes=2000)
    assert isinstance(out[0], Reject) and out[0].reason is RejectReason.TOO_LARGE
    assert isinstance(out[1], Article)


def test_missing_path_is_a_reject_not_an_exception(tmp_path: Path) -> None:
    (r,) = run([tmp_path / "nope.jsonl"])
    assert isinstance(r, Reject)


def test_deeply_nested_json_is_rejected_not_a_crash(tmp_path: Path) -> None:
    f = tmp_path / "bomb.json"
    f.write_text("[" * 100_000 + "]" * 100_000)
    (r,) = run([f])
    assert isinstance(r, Reject) and r.reason is RejectReason.MALFORMED
