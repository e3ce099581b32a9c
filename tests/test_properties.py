"""Properties of Persian text handling, checked by hypothesis over generated Persian text.

Normalization is idempotent, date parsing never raises and never returns an implausible
or naive time, sentence splitting loses no text, and ingestion through DuckDB gives back
exactly the texts it computed. The strategies here are reused by tests/test_fuzz.py.
"""

from __future__ import annotations

import json
import re
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest import Article, IngestParams, Role, read_inputs
from ingest.dates import find_dates, parse_datetime
from ingest.normalize import normalize, normalize_line, split_sentences

# Persian letters plus the Arabic forms Persian text still carries: yeh ي and kaf ك (which
# normalization maps to ی and ک), hamza forms, teh marbuta and heh with yeh above.
LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأإئؤءةۀيك"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
DIGITS = PERSIAN_DIGITS + "0123456789"
PUNCT = "«»؛،؟.!?:-()/٫٬"
ZWNJ = "\u200c"
SPACES = [" ", " ", " ", "  ", "\n", ZWNJ, "", " \n ", "\n\n", "\t"]

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2101, 1, 1, tzinfo=UTC)

word = st.text(alphabet=LETTERS + ZWNJ, min_size=1, max_size=9)
number = st.one_of(
    st.text(alphabet=DIGITS, min_size=1, max_size=5),
    st.from_regex(r"[0-9۰-۹]{1,4}[./:,٫٬\-][0-9۰-۹]{1,4}", fullmatch=True),  # decimals, times, dates
)
token = st.one_of(word, word, word, word, number, st.sampled_from(list(PUNCT)))


@st.composite
def persian_text(draw: st.DrawFn, max_tokens: int = 30) -> str:
    """Words, numbers and punctuation with every kind of spacing between them."""
    parts = draw(st.lists(st.tuples(token, st.sampled_from(SPACES)), max_size=max_tokens))
    return "".join(t + s for t, s in parts)


# Structured text, plus raw strings over the same alphabet (odd spacing, stray marks).
text = st.one_of(persian_text(), st.text(alphabet=LETTERS + DIGITS + PUNCT + ZWNJ + " \n", max_size=80))

_TO_PERSIAN = str.maketrans("0123456789", PERSIAN_DIGITS)
_TO_ARABIC = str.maketrans("0123456789", ARABIC_DIGITS)
JALALI_MONTHS = ["فروردین", "اردیبهشت", "ارديبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان",
                 "آذر", "دی", "دي", "بهمن", "اسفند"]
GREGORIAN_MONTHS = ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "می", "ژوئن", "ژوئیه", "اوت", "سپتامبر",
                    "اکتبر", "نوامبر", "دسامبر", "Jan", "May", "September", "dec"]


@st.composite
def date_text(draw: st.DrawFn) -> str:
    """A date as Persian pages, feeds and exports write it, valid or not, near the bounds too."""
    digits = draw(st.sampled_from([_TO_PERSIAN, _TO_ARABIC, str.maketrans("", "")]))

    def d(n: int, width: int = 1) -> str:
        return str(n).zfill(width).translate(digits)

    day = draw(st.integers(0, 40))
    month = draw(st.integers(0, 14))
    # years of both calendars, two-digit years, and the edges of the plausible range
    year = draw(st.one_of(st.integers(0, 99), st.integers(1270, 1480), st.integers(1890, 2110),
                          st.sampled_from([1278, 1279, 1479, 1480, 1899, 1900, 2100, 2101]),
                          st.integers(0, 9999)))
    sep = draw(st.sampled_from(["/", "-", ".", " / "]))
    core = draw(st.sampled_from([
        f"{d(day)} {draw(st.sampled_from(JALALI_MONTHS))}{draw(st.sampled_from(['', 'ماه', ' ماه']))} {d(year)}",
        f"{d(day)} {draw(st.sampled_from(GREGORIAN_MONTHS))} {d(year)}",
        f"{d(year)}{sep}{d(month, 2)}{sep}{d(day, 2)}",
        f"{d(day)}{sep}{d(month)}{sep}{d(year)}",
        f"{d(year % 100, 2)}/{d(month, 2)}/{d(day, 2)}",
        f"{d(year, 4)}-{d(month, 2)}-{d(day, 2)}T{d(draw(st.integers(0, 25)), 2)}:{d(draw(st.integers(0, 61)), 2)}",
    ]))
    hour, minute = draw(st.integers(0, 30)), draw(st.integers(0, 70))
    clock = draw(st.sampled_from(["", f"{d(hour)}:{d(minute, 2)}", f"ساعت {d(hour)}:{d(minute, 2)}",
                                  f"{d(hour)}:{d(minute, 2)}:{d(minute, 2)}", f"{d(hour)}:{d(minute, 2)} ب.ظ",
                                  f"{d(hour)}:{d(minute, 2)} AM"]))
    zone = draw(st.sampled_from(["", " +0330", " +04:30", " -1200", " +1400", " GMT", " IRST", "Z", " -2359"]))
    weekday = draw(st.sampled_from(["", "شنبه ", "یک‌شنبه ", "Mon, ", "جمعه، "]))
    label = draw(st.sampled_from(["", "تاریخ انتشار: ", "انتشار: ", "«", "به روز شده در: "]))
    if clock and draw(st.booleans()):
        return f"{label}{weekday}{clock} - {core}"
    return f"{label}{weekday}{core}{' - ' + clock if clock else ''}{zone}"


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


@settings(deadline=None, max_examples=300)
@given(text)
@example(":\u200c0 :\u200c0 ")  # hazm joins «0 :0» into a new number the first pass left unshielded
@example("می0")  # hazm and clean_invisible cycled: «می‌۰» -> «می ۰» -> «می‌۰»
def test_normalize_line_is_idempotent(s: str) -> None:
    once = normalize_line(s)
    assert normalize_line(once) == once


@settings(deadline=None, max_examples=200)
@given(text)
def test_normalize_is_idempotent_and_keeps_its_lines(s: str) -> None:
    once = normalize(s)
    assert normalize(once) == once
    assert "" not in once.split("\n") or once == ""


@settings(deadline=None, max_examples=200)
@given(st.lists(st.one_of(word, number, st.from_regex(r"[a-z]{1,8}", fullmatch=True)), max_size=12))
@example(["qzqvaq", "1.2"])  # a Latin word shaped like the number placeholder became the number
@example(["۱.۲quiz"])  # a Latin word glued to a number swallowed the placeholder's end
def test_normalization_keeps_latin_words_and_numbers(tokens: list[str]) -> None:
    out = normalize_line(" ".join(tokens))
    for t in tokens:
        if re.fullmatch(r"[a-z]+", t):
            assert t in out
    assert "qzqv" not in out or any("qzqv" in t for t in tokens)  # no placeholder leaks out
    digits = squeeze(re.sub(r"[^0-9۰-۹٠-٩]", "", " ".join(tokens))).translate(_TO_PERSIAN)
    assert re.sub(r"[^۰-۹]", "", out) == digits.translate(str.maketrans(ARABIC_DIGITS, PERSIAN_DIGITS))


def _check_when(when: datetime | None) -> None:
    if when is None:
        return
    assert when.tzinfo is not None and when.utcoffset() == timedelta(0), when
    assert EARLIEST <= when < LATEST, when


@settings(deadline=None, max_examples=400)
@given(st.one_of(date_text(), text, st.text(max_size=60)))
@example("1900-01-01")  # Tehran local midnight is 1899-12-31T20:34Z: outside the bounds
@example("2100-12-31 23:59 -1200")  # and this one is 2101 in UTC
def test_date_parsing_never_raises_and_stays_in_bounds(s: str) -> None:
    _check_when(parse_datetime(s))
    for m in find_dates(s):
        _check_when(m.when)
        assert 0 <= m.start < m.end <= len(s) and s[m.start:m.end] == m.text


@settings(deadline=None, max_examples=200)
@given(text)
def test_sentence_splitting_loses_no_text(s: str) -> None:
    normalized = normalize(s)
    pieces = split_sentences(normalized)
    assert squeeze("".join(pieces)) == squeeze(normalized)
    assert all(p and p == p.strip() for p in pieces)


def _ingest(records: list[dict]) -> tuple[list[Article], dict, dict]:
    """Ingest records from a JSONL file into a fresh in-memory database; read them back."""
    from flows.settings import Settings
    from flows.stages import ingest_paths
    from storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        articles = [a for a in read_inputs([path], IngestParams()) if isinstance(a, Article)]
        db = Database(":memory:")
        ingest_paths(db, [path], Settings(db=":memory:"), "prop")
        with db.connect() as con:
            rows = {r[0]: r[1:] for r in con.execute(
                "SELECT article_id, title, body, lead, raw_text, published_at FROM articles").fetchall()}
            sentences: dict[str, list] = {}
            for aid, pos, txt, role, copy_of in con.execute(
                    "SELECT article_id, position, text, role, copy_of FROM sentences ORDER BY article_id, position"
            ).fetchall():
                sentences.setdefault(aid, []).append((pos, txt, role, copy_of))
    return articles, rows, sentences


record = st.fixed_dictionaries({
    "id": st.from_regex(r"[a-z]{2,6}-[0-9]{1,5}", fullmatch=True),
    "source": st.sampled_from(["isna", "irna", "mehr", "tasnim", "ایسنا", "خبرگزاری فارس"]),
    "title": persian_text(max_tokens=12),
    "body": persian_text(max_tokens=60),
}, optional={"published": date_text(), "lead": persian_text(max_tokens=15)})


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, min_size=1, max_size=4, unique_by=lambda r: r["id"]))
def test_ingestion_round_trip_through_duckdb_keeps_texts_exactly(records: list[dict]) -> None:
    articles, rows, sentences = _ingest(records)
    by_ext = {a.external_id: a for a in articles}
    for a in articles:
        assert a.article_id in rows
        title, body, lead, raw, published = rows[a.article_id]
        assert (title, body, lead) == (a.title, a.body, a.lead)
        assert raw == a.raw_text and json.loads(raw)["id"] == a.external_id
        assert published == a.published_at
        assert sentences[a.article_id] == [(s.position, s.text, s.role.value, s.copy_of) for s in a.sentences]
    for r in records:
        a = by_ext.get(r["id"])
        if a is None:
            continue  # rejected (no Persian text): tests/test_hostile.py checks the accounting
        # the stored title is the normalized input title (without one, the first sentence)
        title = normalize_line(normalize(r["title"].strip()))
        first = next(s.text for s in a.sentences if s.role is not Role.BOILERPLATE)
        assert a.title == (title[:300] if title else first[:300])
        # the body keeps the lead's and the body's normalized lines, in order
        body, lead = r["body"].strip(), r.get("lead", "").strip()
        if not body:
            body, lead = lead, ""
        parts = [normalize(t) for t in (lead if lead != body else "", body)]
        assert a.body == "\n".join(x for x in parts if x)
