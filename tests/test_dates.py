"""Tests for ingest.dates: Persian news dates into aware UTC datetimes."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import dates
from ingest.dates import (
    DateMatch,
    JalaliDateError,
    find_dates,
    gregorian_to_jalali,
    jalali_to_gregorian,
    parse_datetime,
)

# Two-digit years depend on today; the table is read as if today were 11 Dey 1404.
PINNED_TODAY = date(2026, 1, 1)


@pytest.fixture
def pinned_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "_today", lambda: PINNED_TODAY)


# (input, expected UTC ISO string or None). Tehran was +04:30 in summer until 2022 and is
# +03:30 all year from 2023, so a date alone becomes 20:30Z or 19:30Z of the day before.
PARSE_TABLE: list[tuple[str, str | None]] = [
    ("۲۳ بهمن ۱۴۰۴", "2026-02-11T20:30:00+00:00"),  # date only: local midnight, +03:30
    ("۱۴ خرداد ۱۴۰۰ - ۰۹:۱۱", "2021-06-04T04:41:00+00:00"),  # DST +04:30 in 1400
    # The weekday is not cross-checked: 14 Khordad 1400 was a Friday, sites get it wrong.
    ("یکشنبه ۱۴ خرداد ۱۴۰۰ ساعت ۰۹:۱۱", "2021-06-04T04:41:00+00:00"),
    ("دوشنبه، ۳ آذر ۱۴۰۴ - ۱۰:۲۵", "2025-11-24T06:55:00+00:00"),  # Arabic comma after weekday
    ("یک‌شنبه ۱۴ خرداد ۱۴۰۰", "2021-06-03T19:30:00+00:00"),  # weekday with ZWNJ
    ("یک شنبه ۱۴ خرداد ۱۴۰۰", "2021-06-03T19:30:00+00:00"),  # ... or a plain space
    ("۱۴ ارديبهشت ۱۴۰۰", "2021-05-03T19:30:00+00:00"),  # Arabic yeh ي in the month
    ("۳ دي ۱۴۰۴", "2025-12-23T20:30:00+00:00"),  # «دي» with Arabic yeh
    ("۳ آذرماه ۱۴۰۴", "2025-11-23T20:30:00+00:00"),  # month name glued to «ماه»
    ("۱۰ مهر ۱۴۰۴", "2025-10-01T20:30:00+00:00"),  # «مهر» must not be read as Gregorian «مه»
    ("٢٣ بهمن ١٤٠٤", "2026-02-11T20:30:00+00:00"),  # Arabic-Indic digits
    ("۱۴۰۴/08/٣٠", "2025-11-20T20:30:00+00:00"),  # three digit systems in one date
    ("۰۹:۱۱ - ۱۴-۰۳-۱۴۰۰", "2021-06-04T04:41:00+00:00"),  # time first, DD-MM-YYYY
    ("۱۴۰۰/۰۳/۱۴", "2021-06-03T19:30:00+00:00"),
    ("1404/08/30 - 14:15", "2025-11-21T10:45:00+00:00"),
    ("۱۴۰۴-۰۸-۳۰", "2025-11-20T20:30:00+00:00"),
    ("۱۴۰۴.۰۸.۳۰", "2025-11-20T20:30:00+00:00"),
    ("1403/12/30", "2025-03-19T20:30:00+00:00"),  # 30 Esfand exists: 1403 is leap
    ("۱۰ آذر ۰۴ - ۱۴:۱۵", "2025-12-01T10:45:00+00:00"),  # two-digit year 04 -> 1404
    ("۰۴/۰۹/۱۰", "2025-11-30T20:30:00+00:00"),  # YY/MM/DD
    ("۲۲ بهمن ۵۷", "1979-02-10T20:30:00+00:00"),  # 1457 is the future: 57 -> 1357
    ("2021-06-04T09:11:00+04:30", "2021-06-04T04:41:00+00:00"),
    ("2025-11-21T06:00:00Z", "2025-11-21T06:00:00+00:00"),
    ("2025-11-21T06:00:00.250Z", "2025-11-21T06:00:00.250000+00:00"),  # fraction kept
    ("2021-06-04T09:11:00", "2021-06-04T04:41:00+00:00"),  # no offset: Tehran, with DST
    ("2021-06-04 09:11", "2021-06-04T04:41:00+00:00"),  # space instead of T
    ("2025-11-21", "2025-11-20T20:30:00+00:00"),  # ISO date only: Tehran midnight
    ("Fri, 04 Jun 2021 04:41:00 GMT", "2021-06-04T04:41:00+00:00"),
    ("Sat, 22 Nov 2025 10:15:00 +0330", "2025-11-22T06:45:00+00:00"),
    ("Fri, 04 Jun 2021", "2021-06-03T19:30:00+00:00"),  # RFC date without time or zone
    ("04-06-2021", "2021-06-03T19:30:00+00:00"),  # Gregorian DD-MM-YYYY: day first too
    ("۴ ژوئن ۲۰۲۱", "2021-06-03T19:30:00+00:00"),
    ("۲۱ نوامبر ۲۰۲۵", "2025-11-20T20:30:00+00:00"),
    ("۵ مه ۲۰۲۱", "2021-05-04T19:30:00+00:00"),
    ("۵ می ۲۰۲۴", "2024-05-04T20:30:00+00:00"),  # 2024: no DST any more
    ("۵ ژانویهٔ ۲۰۲۴", "2024-01-04T20:30:00+00:00"),  # ezafe hamza after the month
    ("۵ ژانویۀ ۲۰۲۴", "2024-01-04T20:30:00+00:00"),  # ... or written as one letter, ۀ
    ("Mon, 24 Nov 2025 06:55:00 +0000", "2025-11-24T06:55:00+00:00"),
    # an English month first, as US sites print it (the eighth newcomer's JSONL: unknown before)
    ("Nov 29, 2025 10:30 AM", "2025-11-29T07:00:00+00:00"),  # no zone: Tehran
    ("Nov. 29, 2025, 10:30 PM", "2025-11-29T19:00:00+00:00"),
    ("Saturday, November 29th, 2025 10:30 AM +0330", "2025-11-29T07:00:00+00:00"),
    ("November 29 2025", "2025-11-28T20:30:00+00:00"),  # a day only: Tehran midnight
    ("ساعت ۱۴:۳۰ - ۲۱ نوامبر ۲۰۲۵", "2025-11-21T11:00:00+00:00"),
    ("۱۴:۳۰:۰۵ | ۱۴۰۴/۰۸/۳۰", "2025-11-21T11:00:05+00:00"),  # seconds, pipe separator
    ("9:11 ۱۴۰۰/۰۳/۱۴", "2021-06-04T04:41:00+00:00"),  # one-digit ASCII hour
    ("۲۰ تیر ۱۴۰۴، ۰۸:۰۰ ب.ظ", "2025-07-11T16:30:00+00:00"),  # «ب.ظ» = PM
    ("۲ فروردین ۱۴۰۰", "2021-03-21T20:30:00+00:00"),  # local midnight skipped by DST
    # 23:30 happened twice that night (DST ended); the first one (+04:30) is taken.
    ("۳۰ شهریور ۱۴۰۰ ساعت ۲۳:۳۰", "2021-09-21T19:00:00+00:00"),
    ("تاریخ انتشار: ۱۴ خرداد ۱۴۰۰ - ۰۹:۱۱", "2021-06-04T04:41:00+00:00"),  # label
    ("  Published: 2025-11-21T06:00:00Z  ", "2025-11-21T06:00:00+00:00"),
    ("(۱۴۰۰/۰۳/۱۴)", "2021-06-03T19:30:00+00:00"),  # brackets around
    # Not dates.
    ("۳۲ بهمن ۱۴۰۴", None),  # no 32nd day
    ("۱۴۰۴/۱۳/۰۱", None),  # no 13th month
    ("۳۰ اسفند ۱۴۰۴", None),  # 1404 is not leap
    ("۲۵:۰۰", None),  # a time alone, and an impossible one
    ("۱۴۰۴/۰۸/۳۰ - ۲۵:۰۰", None),  # the impossible time is left over as junk
    ("", None),
    ("   ", None),
    ("لورم ایپسوم متن ساختگی", None),
    ("random text", None),
    ("۰۲۱-۸۸۸۸۸۸۸۸", None),  # phone number
    ("کد خبر ۷۸۷۴۰۲", None),  # news code
    ("امروز (یکشنبه)", None),  # relative: the caller records the date as unknown
    ("دیروز", None),
    ("۲۳ بهمن", None),  # no year
    ("۱۰ دی ۱۲۰۰", None),  # 1821: outside 1900..2100
    ("2101-01-01", None),
    ("1899-12-31T12:00:00Z", None),
    ("۲۳ بهمن ۲۰۲۵", None),  # Jalali month with a Gregorian year: year 2646
    ("۴ ژوئن ۱۴۰۰", None),  # Gregorian month with a Jalali year
    ("۱۴۰۰/۰۳/۱۴ ۱۴۰۰/۰۳/۱۵", None),  # two dates are not one date
    ("۱۴ خرداد ۱۴۰۰ ۰۹:۱۱ گزارش", None),  # trailing text
    ("news/1404/08/30/123", None),  # a path, not a date
]


@pytest.mark.usefixtures("pinned_today")
@pytest.mark.parametrize(("text", "expected"), PARSE_TABLE)
def test_parse_datetime_table(text: str, expected: str | None) -> None:
    result = parse_datetime(text)
    if expected is None:
        assert result is None
    else:
        assert result is not None
        assert result.utcoffset() == timedelta(0)
        assert result.isoformat() == expected


def test_table_is_large_enough() -> None:
    assert len(PARSE_TABLE) >= 40


def test_find_dates_spans_order_and_has_time() -> None:
    text = "گزارش ۲۳ بهمن ۱۴۰۴ منتشر شد؛ به‌روزرسانی: 2025-11-21T06:00:00Z و ۳ دی ۱۴۰۴."
    found = find_dates(text)
    assert [m.text for m in found] == ["۲۳ بهمن ۱۴۰۴", "2025-11-21T06:00:00Z", "۳ دی ۱۴۰۴"]
    assert [m.has_time for m in found] == [False, True, False]
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.when.tzinfo is UTC


def test_find_dates_includes_weekday_and_time_in_the_span() -> None:
    text = "منبع: یکشنبه ۱۴ خرداد ۱۴۰۰ ساعت ۰۹:۱۱ | کد خبر ۷۸۷۴۰۲"
    assert find_dates(text) == [
        DateMatch(
            start=6,
            end=37,
            when=datetime(2021, 6, 4, 4, 41, tzinfo=UTC),
            has_time=True,
            text="یکشنبه ۱۴ خرداد ۱۴۰۰ ساعت ۰۹:۱۱",
        )
    ]


def test_find_dates_skips_an_impossible_day_and_keeps_looking() -> None:
    found = find_dates("از ۳۲ بهمن ۱۴۰۴ تا ۲ بهمن ۱۴۰۴")
    assert [m.text for m in found] == ["۲ بهمن ۱۴۰۴"]


def test_find_dates_two_digit_number_after_month_is_not_a_year() -> None:
    # Regression: «۱۲ بهمن ۱۲ نفر» read as 12 Bahman 1312.
    assert find_dates("در ۱۲ بهمن ۱۲ نفر کشته شدند") == []


@pytest.mark.parametrize("text", ["امروز (یکشنبه)", "دیروز ساعت ۱۰:۳۰", "۲۵:۰۰", ""])
def test_find_dates_finds_nothing_in_non_dates(text: str) -> None:
    assert find_dates(text) == []


def test_never_raises_on_non_strings() -> None:
    assert parse_datetime(None) is None  # type: ignore[arg-type]
    assert find_dates(b"1404/08/30") == []  # type: ignore[arg-type]


_ALPHABET = "۰۱۲۳۴۵۶۷۸۹٠١٢٣0123456789 :/-.،|T+Zساعت بهمن اسفند ژوئن شنبه\u200c"


@settings(max_examples=300, deadline=None, database=None)  # no .hypothesis/ left behind
@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    result = parse_datetime(text)
    assert result is None or result.utcoffset() == timedelta(0)
    for m in find_dates(text):
        assert text[m.start : m.end] == m.text


# Inputs that make a careless pattern retry at every position: long runs of digits, of
# impossible dates, of times with no date, of weekdays, of separators, of spaces.
_BAD_CHUNKS = ["۱", "۳۲ بهمن ۱۴۰۴ ", "۰۹:۱۱ - ", "یکشنبه ", "1/", " "]


def test_one_megabyte_of_near_dates_does_not_hang() -> None:
    # Catastrophic backtracking takes many minutes here; the linear scan about a second alone,
    # 15 s with two test suites sharing two cores (2026-12-01). The bound tells a hang from a
    # slow machine; how fast dates are read is the benchmarks' business, not a unit test's.
    text = "".join(chunk * (170_000 // len(chunk)) for chunk in _BAD_CHUNKS)
    assert len(text) > 1_000_000
    started = time.perf_counter()
    assert find_dates(text) == []
    assert parse_datetime(text) is None
    assert time.perf_counter() - started < 120


@pytest.mark.parametrize(
    ("today", "yy", "expected_year"),
    [
        (date(2026, 1, 1), 5, 1405),  # 1405 is one year ahead of 1404: still 14yy
        (date(2026, 1, 1), 6, 1306),  # two years ahead: 13yy
        (date(2026, 3, 21), 6, 1406),  # from 1 Farvardin 1405, 06 is one year ahead
        (date(2026, 1, 1), 99, 1399),
    ],
)
def test_two_digit_year_pivot(
    monkeypatch: pytest.MonkeyPatch, today: date, yy: int, expected_year: int
) -> None:
    monkeypatch.setattr(dates, "_today", lambda: today)
    result = parse_datetime(f"{yy:02d}/01/01")
    assert result is not None
    local_day = result.astimezone(dates.TEHRAN).date()
    assert gregorian_to_jalali(local_day) == (expected_year, 1, 1)


KNOWN_PAIRS = [
    ((1400, 1, 1), date(2021, 3, 21)),
    ((1400, 3, 14), date(2021, 6, 4)),
    ((1404, 1, 1), date(2025, 3, 21)),
    ((1404, 8, 30), date(2025, 11, 21)),
    ((1403, 12, 30), date(2025, 3, 20)),  # 1403 is leap
    ((1402, 10, 11), date(2024, 1, 1)),
    ((1357, 11, 22), date(1979, 2, 11)),  # revolution day
    ((1399, 12, 30), date(2021, 3, 20)),  # 1399 is leap
    ((1300, 1, 1), date(1921, 3, 21)),
]


@pytest.mark.parametrize(("jalali", "gregorian"), KNOWN_PAIRS)
def test_known_pairs(jalali: tuple[int, int, int], gregorian: date) -> None:
    assert jalali_to_gregorian(*jalali) == gregorian
    assert gregorian_to_jalali(gregorian) == jalali


def test_round_trip_every_day_1300_to_1500() -> None:
    day = jalali_to_gregorian(1300, 1, 1)
    end = jalali_to_gregorian(1501, 1, 1)
    previous = (1299, 12, 29)
    leap_years = []
    while day < end:
        jy, jm, jd = gregorian_to_jalali(day)
        assert jalali_to_gregorian(jy, jm, jd) == day
        # Each day follows the previous one in the Jalali calendar too.
        py, pm, pd = previous
        assert (jy, jm, jd) in {(py, pm, pd + 1), (py, pm + 1, 1), (py + 1, 1, 1)}
        if (jm, jd) == (12, 30):
            leap_years.append(jy)
        previous = (jy, jm, jd)
        day += timedelta(days=1)
    assert previous[:2] == (1500, 12)
    # 8 leap years per 33, always 4 or 5 years apart: 49 of them in 1300..1500.
    assert {b - a for a, b in pairwise(leap_years)} == {4, 5}
    assert len(leap_years) == 49
    assert {1399, 1403, 1408} <= set(leap_years) and 1404 not in leap_years


@pytest.mark.parametrize(
    ("jy", "jm", "jd"), [(1404, 12, 30), (1404, 13, 1), (1404, 0, 1), (1404, 7, 31), (1404, 1, 0)]
)
def test_jalali_to_gregorian_rejects_impossible_days(jy: int, jm: int, jd: int) -> None:
    with pytest.raises(JalaliDateError):
        jalali_to_gregorian(jy, jm, jd)
    assert issubclass(JalaliDateError, ValueError)


# Every way a publication time is written, as Persian sites print it (issue 13): the 12-hour
# markers and the spoken parts of the day, the connectors between date and time, weekdays.
# (text, local Tehran time as HH:MM, or None when the day is read and the time is not).
# 21 Mehr 1403 is Saturday 12 October 2024; Tehran is +03:30 all year since 2023.
_D = "۲۱ مهر ۱۴۰۳"
TIME_FORMS: list[tuple[str, str | None]] = [
    # the pm case of cases/ingest: a spelled-out PM marker, twelve hours off before
    (f"{_D} ساعت ۰۸:۵۶ بعدازظهر", "20:56"),
    (f"{_D} ساعت ۰۸:۵۶ بعد از ظهر", "20:56"),
    (f"{_D} ساعت ۰۸:۵۶ بعد‌از‌ظهر", "20:56"),  # with ZWNJs
    (f"{_D} ساعت ۰۸:۵۶ ب.ظ", "20:56"),
    (f"{_D} ساعت ۰۸:۵۶ ب.ظ.", "20:56"),  # with the final dot
    (f"{_D} ساعت ۰۸:۵۶ ب ظ", "20:56"),  # without dots
    (f"{_D} ساعت ۰۸:۵۶ بظ", "20:56"),
    (f"{_D} ۰۸:۵۶ PM", "20:56"),
    (f"{_D} ۰۸:۵۶ p.m.", "20:56"),
    (f"{_D} ۰۸:۵۶ pm", "20:56"),
    (f"{_D} ساعت ۰۸:۵۶ ق.ظ", "08:56"),
    (f"{_D} ساعت ۰۸:۵۶ ق.ظ.", "08:56"),
    (f"{_D} ساعت ۰۸:۵۶ ق ظ", "08:56"),
    (f"{_D} ساعت ۰۸:۵۶ قبل از ظهر", "08:56"),
    (f"{_D} ساعت ۰۸:۵۶ قبل‌ازظهر", "08:56"),
    (f"{_D} ۰۸:۵۶ AM", "08:56"),
    (f"{_D} ۱۲:۱۰ ب.ظ", "12:10"),  # 12 PM is noon
    (f"{_D} ۱۲:۱۰ ق.ظ", "00:10"),  # 12 AM is midnight
    (f"{_D} ۲۰:۵۶ ب.ظ", "20:56"),  # a 24-hour time with its marker
    (f"{_D} ۲۰:۵۶ ق.ظ", None),  # a contradiction: the time is not read
    # the spoken parts of the day
    (f"{_D} ساعت ۱۰ صبح", "10:00"),
    (f"{_D} ساعت ۱۰:۳۰ صبح", "10:30"),
    (f"{_D} ساعت ۶ بامداد", "06:00"),
    (f"{_D} ساعت ۲ بامداد", "02:00"),
    (f"{_D} ساعت ۱۲ ظهر", "12:00"),
    (f"{_D} ساعت ۱ ظهر", "13:00"),
    (f"{_D} ساعت ۱۱:۴۵ ظهر", "11:45"),
    (f"{_D} ساعت ۵ عصر", "17:00"),
    (f"{_D} ساعت ۱۷ عصر", "17:00"),
    (f"{_D} ساعت ۸ شب", "20:00"),
    (f"{_D} ساعت ۲۲:۱۵ شب", "22:15"),
    (f"{_D} ساعت ۲ شب", "02:00"),
    (f"{_D} ساعت ۱۲ نیمه‌شب", "00:00"),
    (f"{_D} ساعت ۱۲ شب", None),  # midnight of which night: people read it either way
    (f"{_D} ساعت ۱۲ صبح", None),
    (f"{_D} ساعت ۹ عصر", None),  # not an afternoon hour
    (f"{_D} ساعت ۱۴ صبح", None),
    (f"{_D}، ۱۰ صبح", "10:00"),  # an hour and its part, without «ساعت»
    (f"{_D}، ۱۰ شب", None),  # «۱۰ شب» without «ساعت» may be ten nights
    # connectors between the date and the time
    (f"{_D} - ۲۰:۵۶", "20:56"),
    (f"{_D} – ۲۰:۵۶", "20:56"),  # en dash
    (f"{_D}، ۲۰:۵۶", "20:56"),
    (f"{_D}، ساعت ۲۰:۵۶", "20:56"),
    (f"{_D} ساعت ۲۰:۵۶", "20:56"),
    (f"{_D} در ساعت ۲۰:۵۶", "20:56"),
    (f"{_D} - ساعت ۲۰:۵۶", "20:56"),
    (f"{_D} (۲۰:۵۶)", "20:56"),
    (f"{_D} (ساعت ۲۰:۵۶)", "20:56"),
    (f"{_D} | ۲۰:۵۶", "20:56"),
    (f"{_D} ساعت: ۲۰:۵۶", None),  # a label colon is not a connector: the day alone
    ("۱۴۰۳/۰۷/۲۱ - ۲۰:۵۶", "20:56"),
    ("۱۴۰۳/۰۷/۲۱ ۲۰:۵۶:۱۲", "20:56"),
    ("۱۴۰۳-۰۷-۲۱ ۲۰:۵۶", "20:56"),
    ("۲۰:۵۶ - ۱۴۰۳/۰۷/۲۱", "20:56"),  # time first
    ("۲۰:۵۶ | ۱۴۰۳/۰۷/۲۱", "20:56"),
    (f"ساعت ۰۸:۵۶ بعدازظهر - {_D}", "20:56"),  # time first, with its marker
    # weekdays, with and without «روز» and a comma
    (f"شنبه {_D} - ۲۰:۵۶", "20:56"),
    (f"شنبه، {_D}، ساعت ۲۰:۵۶", "20:56"),
    (f"روز شنبه {_D} ساعت ۸ شب", "20:00"),
    (f"ساعت ۲۰:۵۶ روز شنبه {_D}", "20:56"),
    ("یکشنبه ۲۲ مهر ۱۴۰۳ ۰۹:۰۵ ق.ظ", "09:05+1"),
    ("سه‌شنبه ۲۴ مهر ۱۴۰۳ - ۱۰:۰۰", "10:00+3"),
    ("پنج شنبه ۲۶ مهر ۱۴۰۳ ساعت ۱۹:۴۰", "19:40+5"),
    # months spelled with «ماه», numeric and two-digit years, Gregorian
    ("۲۱ مهرماه ۱۴۰۳ ساعت ۲۰:۵۶", "20:56"),
    ("۲۱ مهر ۰۳ - ۲۰:۵۶", "20:56"),
    ("12 Oct 2024 08:56 PM", "20:56"),
    ("۱۲ اکتبر ۲۰۲۴ - ۲۰:۵۶", "20:56"),
    # a time that cannot be read leaves the day, never a wrong time
    (f"{_D} ساعت ۲۵:۱۰", None),
    (f"{_D} ساعت ۰۸:۵۶ ب . ظ", None),  # a marker spelled in an unknown way
    (f"{_D} ساعت ۰۸:۵۶ بعدِ ظهر", None),
    # no time at all
    (_D, None),
    (f"شنبه {_D}", None),
]


def _local(day_offset: int, clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2024, 10, 12 + day_offset, hour, minute, tzinfo=dates.TEHRAN).astimezone(UTC)


@pytest.mark.usefixtures("pinned_today")
@pytest.mark.parametrize(("text", "expected"), TIME_FORMS)
def test_every_way_a_time_is_written(text: str, expected: str | None) -> None:
    found = find_dates(f"تاریخ انتشار: {text}")
    assert len(found) == 1, found
    (match,) = found
    if expected is None:
        offset = {"یکشنبه": 1}.get(text.split()[0], 0)
        assert not match.has_time
        assert match.when == _local(offset, "00:00")
        return
    clock, _, offset = expected.partition("+")
    assert match.has_time
    assert match.when.replace(second=0) == _local(int(offset or 0), clock)  # to the minute


def test_time_forms_table_is_large_enough() -> None:
    assert len(TIME_FORMS) >= 60
