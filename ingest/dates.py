"""Dates written in Persian news pages, feeds and data files, parsed into aware UTC datetimes.

Handles Jalali dates (month names or numbers, 2- or 4-digit years), Gregorian ISO 8601,
RFC 2822 (RSS) and Gregorian dates with Persian month names, in Persian, Arabic-Indic or
ASCII digits, with an optional weekday and a time before or after. A date or time written
without an offset is Tehran local time. Relative words («امروز», «دیروز») are not dates:
the caller records the date as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

__all__ = [
    "DateMatch",
    "JalaliDateError",
    "find_dates",
    "gregorian_to_jalali",
    "jalali_to_gregorian",
    "parse_datetime",
]

# tzdata knows Iran's history: +04:30 daylight saving time until 2022, abolished from 2023.
TEHRAN = ZoneInfo("Asia/Tehran")


class JalaliDateError(ValueError):
    """A Jalali year, month and day that name no real day."""


@dataclass(frozen=True)
class DateMatch:
    """One date expression found in a text."""

    start: int  # span in the input text
    end: int
    when: datetime  # aware, UTC
    has_time: bool  # False when only a day was written (then when = local midnight)
    text: str  # the matched text


# ---------------------------------------------------------------------------------------
# Jalali <-> Gregorian arithmetic.
#
# The 33-year-cycle arithmetic of Roozbeh Pournader and Mohammad Toossi's jalali.c (2001),
# the algorithm jdatetime uses: years 979 + 33k + {0, 4, ..., 28} AP are leap, so a cycle is
# 33 * 365 + 8 = 12053 days. For every year from 1210 to 1633 AP (Gregorian 1831..2255, all
# plausible news dates) it gives the same leap years and Nowruz days as Borkowski's
# astronomical algorithm ("The Persian calendar for 3000 years", Earth, Moon and Planets 74,
# 1996; used by jalaali-js): a one-off check against a port of jalaali-js's jalCal.
_EPOCH = date(1600, 3, 20).toordinal()  # 1 Farvardin 979 AP, the day jalali.c counts from
_CYCLE_YEARS, _CYCLE_DAYS, _QUAD_DAYS = 33, 12053, 1461


def _is_leap(jy: int) -> bool:
    offset = (jy - 979) % _CYCLE_YEARS
    return offset % 4 == 0 and offset != 32


def _month_length(jy: int, jm: int) -> int:
    if jm <= 6:
        return 31
    if jm <= 11:
        return 30
    return 30 if _is_leap(jy) else 29


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """The Gregorian date of Jalali day ``jd`` of month ``jm`` (1 = Farvardin) of year ``jy``.

    Raises JalaliDateError when the day does not exist (e.g. 30 Esfand of a common year).
    """
    if not (1 <= jm <= 12 and 1 <= jd <= _month_length(jy, jm)):
        raise JalaliDateError(f"no such Jalali day: {jy}/{jm}/{jd}")
    years = jy - 979
    days = 365 * years + 8 * (years // _CYCLE_YEARS) + (years % _CYCLE_YEARS + 3) // 4
    # Months 1-6 have 31 days and 7-11 have 30: month m starts (m-1)*31 - max(0, m-7) days in.
    days += (jm - 1) * 31 - max(0, jm - 7) + jd - 1
    try:
        return date.fromordinal(_EPOCH + days)
    except (ValueError, OverflowError) as err:
        raise JalaliDateError(f"Jalali year out of range: {jy}") from err


def gregorian_to_jalali(d: date) -> tuple[int, int, int]:
    """The Jalali (year, month, day) of a Gregorian date."""
    days = d.toordinal() - _EPOCH
    jy = 979 + _CYCLE_YEARS * (days // _CYCLE_DAYS)
    days %= _CYCLE_DAYS
    jy += 4 * (days // _QUAD_DAYS)
    days %= _QUAD_DAYS
    if days >= 366:  # the first year of each four is the leap one
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


# ---------------------------------------------------------------------------------------
# Matching. Patterns run on a copy of the text normalized character for character, so
# spans in the copy are spans in the original.
_NORMALIZE = str.maketrans(
    {
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits ۰-۹
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits ٠-٩
        "ي": "ی",  # Arabic yeh, as in «ارديبهشت» and «دي»
        "ى": "ی",  # alef maksura, used for yeh by some Arabic keyboards
        "ك": "ک",
        "ۀ": "ه",  # heh with yeh above, the ezafe of «ژانویۀ»
        # ZWNJ («یک‌شنبه») and invisible bidi marks become spaces, which patterns allow.
        **dict.fromkeys("\u200c\u200d\u200e\u200f\u061c\u00a0\u202f\u2066\u2067\u2068\u2069", " "),
        **dict.fromkeys("\u202a\u202b\u202c\u202d\u202e\ufeff", " "),
    }
)

_JALALI_MONTHS = {
    "فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5,
    "شهریور": 6, "مهر": 7, "آبان": 8, "ابان": 8, "آذر": 9, "اذر": 9, "دی": 10,
    "بهمن": 11, "اسفند": 12,
}  # fmt: skip
_PERSIAN_GREGORIAN_MONTHS = {
    "ژانویه": 1, "فوریه": 2, "مارس": 3, "آوریل": 4, "اوریل": 4, "مه": 5, "می": 5,
    "ژوئن": 6, "ژوین": 6, "ژوئیه": 7, "ژوییه": 7, "جولای": 7, "اوت": 8, "آگوست": 8,
    "اگوست": 8, "سپتامبر": 9, "اکتبر": 10, "نوامبر": 11, "دسامبر": 12,
}  # fmt: skip
_ENGLISH_MONTHS = {
    name: number
    for number, full in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"),
        start=1,
    )
    for name in (full, full[:3])
} | {"sept": 9}  # fmt: skip
# RFC 822 section 5 zone names, plus Iran's own (some Iranian feeds write them).
_ZONE_NAMES = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "EST": -300, "EDT": -240, "CST": -360,
    "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "IRST": 210,
    "IRDT": 270,
}  # fmt: skip


def _alternatives(names: Iterable[str]) -> str:
    # Longest first, so «مهر» is tried before «مه» and «ژوئیه» before «ژوئن».
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


# Every quantifier is bounded or stops at a class the next token cannot start with, so a
# failed match costs a constant number of steps per start position (no catastrophic
# backtracking; tests time a 1 MB input).
_DIGIT_EDGE_BEFORE = r"(?<![0-9])(?<![0-9][-/.])"
_DIGIT_EDGE_AFTER = r"(?![0-9])(?![-/.][0-9])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"
_SEP = r"(?:T|\s{0,3}(?:[-–—،,|]\s{0,3})?)"


def _time(n: int) -> str:
    # 24-hour clock, validated by the pattern itself so «۲۵:۰۰» cannot match as «5:00».
    return (
        rf"(?:ساعت\s{{0,3}})?(?<![0-9:])(?P<h{n}>[01]?[0-9]|2[0-3]):(?P<mi{n}>[0-5][0-9])"
        rf"(?::(?P<s{n}>[0-5][0-9])(?:[.,](?P<f{n}>[0-9]{{1,6}})[0-9]*)?)?(?![0-9:])"
        rf"(?:\s{{0,2}}(?P<ap{n}>ق\.?\s?ظ|ب\.?\s?ظ|(?i:[ap]\.?m\b\.?)))?"
    )


_WEEKDAY = (
    r"(?<![^\W\d_])(?:(?:(?:یک|دو|سه|چهار|پنج)\s?)?شنبه|جمعه"
    r"|(?i:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]{0,6}))[\s،,|-]{0,4}"
)
_DATES = "|".join(
    (
        # «۱۴ خرداد ۱۴۰۰», «۳ آذرماه ۱۴۰۴», «۱۰ آذر ۰۴». A two-digit "year" followed by a word
        # is a count, not a year: «۱۲ بهمن ۱۲ نفر کشته شدند».
        rf"(?<![0-9])(?P<jd>[0-9]{{1,2}})\s{{0,3}}(?P<jmn>{_alternatives(_JALALI_MONTHS)})"
        rf"(?:\s?ماه)?{_NOT_LETTER_AFTER}[\s،,]{{0,3}}"
        r"(?P<jy>[0-9]{4}|[0-9]{2}(?!\s{0,3}(?!ساعت)[^\W\d_]))(?![0-9])",
        # «۴ ژوئن ۲۰۲۱», «ژانویهٔ» with its ezafe hamza
        rf"(?<![0-9])(?P<gd>[0-9]{{1,2}})\s{{0,3}}(?P<gmn>{_alternatives(_PERSIAN_GREGORIAN_MONTHS)})"
        rf"\u0654?{_NOT_LETTER_AFTER}[\s،,]{{0,3}}(?P<gy>[0-9]{{4}})(?![0-9])",
        # RFC 2822 «04 Jun 2021»
        rf"(?<![0-9])(?P<rd>[0-9]{{1,2}})\s{{1,3}}(?i:(?P<rmn>{_alternatives(_ENGLISH_MONTHS)}))"
        r"(?![a-zA-Z])\.?,?\s{1,3}(?P<ry>[0-9]{4})(?![0-9])",
        # «۱۴۰۰/۰۳/۱۴», «2025-11-21»: year first; the calendar follows from the year
        rf"{_DIGIT_EDGE_BEFORE}(?P<ny>[0-9]{{4}})(?P<nsep>[-/.])(?P<nm>[0-9]{{1,2}})(?P=nsep)"
        rf"(?P<nd>[0-9]{{1,2}}){_DIGIT_EDGE_AFTER}",
        # «۱۴-۰۳-۱۴۰۰»: day first
        rf"{_DIGIT_EDGE_BEFORE}(?P<rvd>[0-9]{{1,2}})(?P<rvsep>[-/.])(?P<rvm>[0-9]{{1,2}})"
        rf"(?P=rvsep)(?P<rvy>[0-9]{{4}}){_DIGIT_EDGE_AFTER}",
        # «۰۴/۰۹/۱۰»: Jalali YY/MM/DD; only with slashes, where it is not a version or a range
        rf"{_DIGIT_EDGE_BEFORE}(?P<sy>[0-9]{{2}})/(?P<sm>[0-9]{{2}})/(?P<sd>[0-9]{{2}})"
        rf"{_DIGIT_EDGE_AFTER}",
    )
)
_ZONE = (
    rf"(?:\s?(?P<zname>{_alternatives(_ZONE_NAMES)})(?![^\W_])"
    r"|\s?(?P<zsign>[+-])(?P<zh>[01][0-9]):?(?P<zm>[0-5][0-9])(?![0-9]))"
)
_DATE_EXPRESSION = re.compile(
    rf"(?:{_time(1)}{_SEP})?(?:{_WEEKDAY})?(?:{_DATES})(?:{_SEP}{_time(2)}(?:{_ZONE})?)?"
)
# What parse_datetime lets surround one date: a short label ending in a colon
# («تاریخ انتشار:»), brackets, guillemets and end punctuation.
_LABEL = re.compile(r"\s*(?:[^\W\d_][^\d:\n]{0,40}:\s*)?[(\[«]?\s*")
_TAIL = re.compile(r"[\s)\]».،,]*")
_MAX_LABEL = 64
_PLAUSIBLE_YEARS = range(1900, 2101)  # Gregorian years that can be dates of news


def _today() -> date:
    """Today in Tehran; a function so tests can pin it."""
    return datetime.now(TEHRAN).date()


def _two_digit_jalali_year(yy: int) -> int:
    # «۱۰ آذر ۰۴» means 1404: 14yy unless that is more than a year ahead, then 13yy.
    this_year = gregorian_to_jalali(_today())[0]
    return 1400 + yy if 1400 + yy <= this_year + 1 else 1300 + yy


def _day(year: int, month: int, day: int, jalali: bool) -> date | None:
    try:
        found = jalali_to_gregorian(year, month, day) if jalali else date(year, month, day)
    except ValueError:  # JalaliDateError is a ValueError too
        return None
    return found if found.year in _PLAUSIBLE_YEARS else None


def _matched_day(g: dict[str, str | None]) -> date | None:
    if g["jd"] and g["jmn"] and g["jy"]:
        year = int(g["jy"])
        year = _two_digit_jalali_year(year) if len(g["jy"]) == 2 else year
        return _day(year, _JALALI_MONTHS[g["jmn"]], int(g["jd"]), jalali=True)
    if g["gd"] and g["gmn"] and g["gy"]:
        month = _PERSIAN_GREGORIAN_MONTHS[g["gmn"]]
        return _day(int(g["gy"]), month, int(g["gd"]), jalali=False)
    if g["rd"] and g["rmn"] and g["ry"]:
        month = _ENGLISH_MONTHS[g["rmn"].lower()]
        return _day(int(g["ry"]), month, int(g["rd"]), jalali=False)
    if g["sy"] and g["sm"] and g["sd"]:
        year = _two_digit_jalali_year(int(g["sy"]))
        return _day(year, int(g["sm"]), int(g["sd"]), jalali=True)
    if g["ny"] and g["nm"] and g["nd"]:
        year, month, day = int(g["ny"]), int(g["nm"]), int(g["nd"])
    elif g["rvy"] and g["rvm"] and g["rvd"]:
        year, month, day = int(g["rvy"]), int(g["rvm"]), int(g["rvd"])
    else:
        return None
    # No Jalali year of a plausible date (1278..1479) is a plausible Gregorian year.
    return _day(year, month, day, jalali=year < 1700)


def _matched_time(g: dict[str, str | None]) -> time | None:
    n = 2 if g["h2"] is not None else 1  # a time after the date wins over one before it
    hour, minute = g[f"h{n}"], g[f"mi{n}"]
    if hour is None or minute is None:
        return None
    h, fraction, marker = int(hour), g[f"f{n}"], (g[f"ap{n}"] or "").lower()
    # «ب.ظ» / PM: 1 PM is 13:00 and 12 PM is noon; «ق.ظ» / AM: 12 AM is midnight.
    if 1 <= h <= 12 and marker:
        h = h % 12 + (12 if marker.startswith(("ب", "p")) else 0)
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return time(h, int(minute), int(g[f"s{n}"] or 0), micro)


def _matched_zone(g: dict[str, str | None]) -> tzinfo:
    if g["zname"]:
        return timezone(timedelta(minutes=_ZONE_NAMES[g["zname"]]))
    if g["zsign"] and g["zh"] and g["zm"]:
        minutes = int(g["zh"]) * 60 + int(g["zm"])
        return timezone(timedelta(minutes=-minutes if g["zsign"] == "-" else minutes))
    return TEHRAN


def _to_match(text: str, found: re.Match[str]) -> DateMatch | None:
    g = found.groupdict()
    day = _matched_day(g)
    if day is None:
        return None
    clock = _matched_time(g)
    # A local time Tehran skipped or repeated at a DST change resolves with fold=0 (PEP 495).
    local = datetime.combine(day, clock or time(0), tzinfo=_matched_zone(g))
    when = local.astimezone(UTC)
    if when.year not in _PLAUSIBLE_YEARS:
        # the bounds hold for the UTC time too: «1900-01-01» in Tehran is 1899 in UTC
        # (found by tests/test_properties.py)
        return None
    start, end = found.span()
    return DateMatch(start, end, when, clock is not None, text[start:end])


def _matches(text: str) -> Iterator[DateMatch]:
    normalized = text.translate(_NORMALIZE)
    pos = 0
    while (found := _DATE_EXPRESSION.search(normalized, pos)) is not None:
        match = _to_match(text, found)
        if match is None:
            # An impossible day («۳۲ بهمن ۱۴۰۴»): look again just after where it began, as a
            # real date could start inside the span. Spans are short, so this stays linear.
            pos = found.start() + 1
            continue
        yield match
        pos = max(found.end(), found.start() + 1)


def find_dates(text: str) -> list[DateMatch]:
    """Every date expression in a longer text, in order of appearance. Never raises."""
    if not isinstance(text, str):
        return []
    return list(_matches(text))


def parse_datetime(text: str) -> datetime | None:
    """Parse one date expression (the whole string, surrounding spaces and labels like
    «تاریخ انتشار:» allowed); None when it is not a date. Never raises."""
    if not isinstance(text, str):
        return None
    match = next(_matches(text), None)
    if match is None or match.start > _MAX_LABEL:
        return None
    normalized = text.translate(_NORMALIZE)
    if _LABEL.fullmatch(normalized, 0, match.start) and _TAIL.fullmatch(normalized, match.end):
        return match.when
    return None
