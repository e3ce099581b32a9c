"""JSON Lines and CSV records: HTML in their fields, their sources' names, where a bad line is.

The records are small copies of the eighth newcomer's inputs (htmlbody/h.jsonl, xss/x.jsonl,
srcnames/names.jsonl, in1/wire.jsonl), written here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest import Article, IngestParams, Reject, RejectReason, read_inputs

BODY = "به گزارش ایسنا، وزیر نیرو امروز از آغاز طرح آبرسانی به روستاهای استان کرمان خبر داد."


def read(tmp_path: Path, rows: list[object], name: str = "a.jsonl") -> list[Article | Reject]:
    f = tmp_path / name
    f.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                 encoding="utf-8")
    return list(read_inputs([f], IngestParams()))


def article(tmp_path: Path, record: dict[str, str]) -> Article:
    (a,) = read(tmp_path, [record])
    assert isinstance(a, Article), a
    return a


# --- HTML in a field (the eighth newcomer's defect 2) ---------------------------------------


def test_html_in_a_body_is_read_as_its_text_with_paragraphs(tmp_path: Path) -> None:
    a = article(tmp_path, {"id": "hb1", "source": "isna", "title": "افزایش ظرفیت پذیرش دانشگاه‌ها", "body": (
        "<p>به گزارش ایسنا، وزیر علوم امروز از افزایش <strong>۱۰ درصدی</strong> ظرفیت پذیرش "
        "دانشگاه‌های دولتی خبر داد.</p><p>وی افزود: این افزایش بیشتر در رشته‌های پزشکی و مهندسی است.</p>")})
    assert "<" not in a.body and "strong" not in a.body
    # each <p> a paragraph of its own: two body lines, the words of <strong> in their place
    assert a.body.split("\n") == [
        "به گزارش ایسنا، وزیر علوم امروز از افزایش ۱۰ درصدی ظرفیت پذیرش دانشگاه‌های دولتی خبر داد.",
        "وی افزود: این افزایش بیشتر در رشته‌های پزشکی و مهندسی است.",
    ]
    assert all("<" not in s.text for s in a.sentences)


def test_entities_in_a_body_are_their_characters(tmp_path: Path) -> None:
    a = article(tmp_path, {"id": "hb2", "source": "mehr", "title": "ظرفیت دانشگاه‌ها ۱۰ درصد بیشتر شد", "body": (
        "به گزارش مهر، وزیر علوم از افزایش ظرفیت پذیرش دانشگاه&zwnj;های دولتی خبر داد &amp; گفت "
        "رشته&#8204;های پزشکی بیشترین سهم را دارند.")})
    assert "&" not in a.body.replace(" & ", " ")  # «&amp;» is «&», no «&zwnj;» or «&#8204;» left
    assert "دانشگاه\u200cهای دولتی" in a.body and "رشته\u200cهای پزشکی" in a.body


def test_scripts_and_tags_in_title_body_and_source_leave_no_trace(tmp_path: Path) -> None:
    a = article(tmp_path, {
        "id": "x1", "source": "<b>isna</b>",
        "title": "<script>alert(1)</script> خبر آزمایشی درباره بارش باران در رشت",
        "body": "به گزارش ایسنا، بارش باران در رشت <img src=x onerror=alert(2)> امروز ادامه داشت.",
    })
    assert a.title == "خبر آزمایشی درباره بارش باران در رشت"
    assert "alert" not in a.body and "onerror" not in a.body and "<" not in a.body
    assert a.source == "isna"


def test_html_in_a_csv_field_is_read_as_text(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text('id,title,body,source\n7,طرح آبرسانی کرمان,"<p>' + BODY + '</p>",irna\n', encoding="utf-8")
    (a,) = read_inputs([f], IngestParams())
    assert isinstance(a, Article) and a.body == BODY


@pytest.mark.parametrize("body", [
    BODY.replace("امروز", "امروز با بودجه‌ای < ۱۰۰ میلیارد"),  # a literal «<», no tag
    BODY.replace("امروز", "امروز (x<y و y>z)"),  # «<y ...>» looks like a tag; y is no element of HTML
    BODY.replace("امروز", "امروز در AT&T"),  # an ampersand that starts no entity
])
def test_plain_text_with_a_literal_angle_bracket_stays_as_it_is(tmp_path: Path, body: str) -> None:
    assert article(tmp_path, {"title": "طرح آبرسانی کرمان", "body": body}).body == body


def test_a_literal_angle_bracket_beside_tags_is_kept(tmp_path: Path) -> None:
    body = BODY.replace("امروز", "امروز با بودجه‌ای < ۱۰۰ میلیارد (x<y و y>z)")
    # lxml alone read «<y و y>» as an element and lost «y و y>z»
    assert article(tmp_path, {"title": "طرح آبرسانی کرمان", "body": f"<p>{body}</p>"}).body == body


# --- a record's source by the registry (the eighth newcomer's defect 4) ------------------


@pytest.mark.parametrize(("given", "key"), [
    ("Mehr News", "mehr"),  # the words a site prints around its name
    ("Mehr News Agency", "mehr"),
    ("MEHR", "mehr"),
    ("ISNA News Agency", "isna"),
    ("Tasnim News", "tasnim"),  # as a .txt page's first line «Tasnim News» reads
    ("Fars News", "fars"),
    ("خبرگزاري مهر", "mehr"),  # Arabic yeh
    ("خبرگزاری‌مهر", "mehr"),  # ZWNJ in place of the space
    (" تسنیم ", "tasnim"),
    ("mehrnews.com", "mehr"),  # a domain of the outlet
    ("irna.ir", "irna"),
    ("https://www.isna.ir", "isna"),  # its site's address
    ("https://www.isna.ir/news/1", "isna"),
    ("Foo News Agency", "foo news agency"),  # unknown: kept as given, lowercased, not guessed
    ("example.org", "example.org"),  # a domain the registry does not list
])
def test_a_records_source_is_matched_to_the_registry(tmp_path: Path, given: str, key: str) -> None:
    a = article(tmp_path, {"source": given, "title": "طرح آبرسانی کرمان", "body": BODY})
    assert a.source == key


def test_a_record_and_a_saved_page_naming_one_outlet_have_one_source(tmp_path: Path) -> None:
    page = tmp_path / "tasnim_news.txt"
    page.write_text("Tasnim News\nافتتاح کتابخانه مرکزی اصفهان\n۱۰ آذر ۱۴۰۴\n"
                    "شهردار اصفهان امروز کتابخانه مرکزی این شهر را با ۲۰۰ هزار جلد کتاب افتتاح کرد.\n",
                    encoding="utf-8")
    (from_page,) = read_inputs([page], IngestParams())
    from_record = article(tmp_path, {"source": "Tasnim News", "title": "طرح آبرسانی کرمان", "body": BODY})
    assert isinstance(from_page, Article) and from_page.source == from_record.source == "tasnim"


# --- where a bad line is (the eighth newcomer's defect 19) -----------------------------------


def test_a_malformed_line_is_named_by_its_line_in_the_file(tmp_path: Path) -> None:
    good = json.dumps({"title": "طرح آبرسانی کرمان", "body": BODY}, ensure_ascii=False)
    out = read(tmp_path, [good, good.replace("کرمان", "یزد"), "", '{"id": "4", "title": "x" "body": "y"}'])
    (bad,) = [x for x in out if isinstance(x, Reject)]
    assert bad.reason is RejectReason.MALFORMED and bad.input_ref.endswith("a.jsonl:4")
    # json counted the line break as the record's second line: «line 2 column 1»
    assert bad.detail == "not valid JSON at line 4, column 26: Expecting ',' delimiter"


def test_a_malformed_last_line_with_windows_line_ends_is_named_by_its_line(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    good = json.dumps({"title": "طرح آبرسانی کرمان", "body": BODY}, ensure_ascii=False)
    f.write_bytes((good + "\r\n" + '{"id": "2", "title": "x"\r\n').encode("utf-8"))
    (_, bad) = read_inputs([f], IngestParams())
    assert isinstance(bad, Reject) and bad.detail.startswith("not valid JSON at line 2, column 25:")
