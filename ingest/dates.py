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
    "parse_date",
    "parse_datetime",
    "same_day",
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
# What stands between a date and its time, as sites print it: «T», a dash, a comma «،», a
# pipe or slash, the words «در» / «و» («۲۱ مهر ۱۴۰۳ در ساعت ۲۰:۵۶»), an opening parenthesis
# («۱۴۰۳/۰۷/۲۱ (۲۰:۵۶)»); «ساعت» belongs to the time itself.
_SEP = r"(?:T|\s{0,3}(?:[-–—،,|/]\s{0,3})?(?:(?:در|و)\s{1,3})?(?:\(\s{0,2})?)"

# The 12-hour markers and the parts of the day, each with the hours it can name. Longest
# first, so «بعد از ظهر» is not read as «ظهر». ZWNJ is a space here (see _NORMALIZE).
_DAY_PARTS: dict[str, str] = {
    r"ق\.?\s?ظ\.?": "am", r"قبل\s?از\s?ظهر": "am", r"(?i:a\.?\s?m\b\.?)": "am",
    r"ب\.?\s?ظ\.?": "pm", r"بعد\s?از\s?ظهر": "pm", r"(?i:p\.?\s?m\b\.?)": "pm",
    r"صبح": "morning", r"بامداد": "dawn", r"ظهر": "noon", r"عصر": "afternoon",
    r"نیمه\s?شب": "midnight", r"شب": "night",
}  # fmt: skip
_DAY_PART_KIND = {name: kind for name, kind in
                  zip(("am1", "am2", "am3", "pm1", "pm2", "pm3", "morning", "dawn", "noon",
                       "afternoon", "midnight", "night"), _DAY_PARTS.values(), strict=True)}
# Something that looks like a day-part word right after a time that took none: the time
# is then not read at all (a marker misread is a time twelve hours off; issue 13).
_LOOSE_DAY_PART = re.compile(
    r"\s{0,3}\.?\s{0,2}(?:[قب]\s?\.|قبل|بعد|صبح|ظهر|عصر|شب|بامداد|نیمه|(?i:[ap]\.?\s?m(?![a-z])))"
)


def _day_part(n: int) -> str:
    names = list(_DAY_PART_KIND)
    alts = "|".join(f"(?P<{name}_{n}>{pattern})" for name, pattern in zip(names, _DAY_PARTS, strict=True))
    return rf"(?:\s{{0,2}}(?:{alts}){_NOT_LETTER_AFTER})"


def _time(n: int) -> str:
    # 24-hour clock, validated by the pattern itself so «۲۵:۰۰» cannot match as «5:00»; an
    # hour alone only after «ساعت» or before a part of the day («ساعت ۱۰ صبح»).
    return (
        rf"(?:(?:ساعت\s{{0,3}})?(?<![0-9:])(?P<h{n}>[01]?[0-9]|2[0-3]):(?P<mi{n}>[0-5][0-9])"
        rf"(?::(?P<s{n}>[0-5][0-9])(?:[.,](?P<f{n}>[0-9]{{1,6}})[0-9]*)?)?(?![0-9:]){_day_part(n)}?"
        rf"|ساعت\s{{0,3}}(?P<hh{n}>[01]?[0-9]|2[0-3])(?![0-9:]){_day_part(n + 10)}?"
        rf"|(?<![0-9:])(?P<hp{n}>[01]?[0-9]|2[0-3])(?![0-9:]){_day_part(n + 20)})"
    )


_WEEKDAY = (
    r"(?<![^\W\d_])(?:روز\s{1,3})?(?:(?:(?:یک|دو|سه|چهار|پنج)\s?)?شنبه|جمعه"
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
        # «Nov 29, 2025», «November 29th 2025»: an English month first, as US sites and
        # English-language Iranian outlets print it
        rf"(?<![a-zA-Z])(?i:(?P<umn>{_alternatives(_ENGLISH_MONTHS)}))\.?\s{{1,3}}(?P<ud>[0-9]{{1,2}})"
        r"(?i:st|nd|rd|th)?(?![0-9a-zA-Z]),?\s{1,3}(?P<uy>[0-9]{4})(?![0-9])",
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
    if g["ud"] and g["umn"] and g["uy"]:
        return _day(int(g["uy"]), _ENGLISH_MONTHS[g["umn"].lower()], int(g["ud"]), jalali=False)
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


def _hour_of_day(hour: int, kind: str | None) -> int | None:
    """The 24-hour hour of ``hour`` said with a part of the day; None when they disagree.

    «ب.ظ» / PM: 1 PM is 13:00 and 12 PM is noon; «ق.ظ» / AM: 12 AM is midnight. The spoken
    parts name a span of the day: «۸ شب» is 20:00, «۲ بامداد» 02:00, «۱ ظهر» 13:00. An hour
    already on the 24-hour clock may carry its part («۲۰:۵۶ بعدازظهر»). «۱۲ شب» and «۱۲
    صبح» are read either way by people and are left unread.
    """
    if kind is None:
        return hour
    if kind == "am":
        return hour % 12 if 1 <= hour <= 12 else (0 if hour == 0 else None)
    if kind == "pm":
        return hour % 12 + 12 if 1 <= hour <= 12 else (hour if 13 <= hour <= 23 else None)
    if kind == "morning":
        return hour if 0 <= hour <= 11 else None
    if kind == "dawn":
        return hour if 0 <= hour <= 6 else None
    if kind == "noon":
        return hour if hour in (11, 12) or 13 <= hour <= 15 else (hour + 12 if 1 <= hour <= 3 else None)
    if kind == "afternoon":
        return hour + 12 if 1 <= hour <= 8 else (hour if 13 <= hour <= 20 else None)
    if kind == "midnight":
        return 0 if hour in (0, 12) else (hour if 1 <= hour <= 3 else None)
    # night
    if 6 <= hour <= 11:
        return hour + 12
    return hour if 0 <= hour <= 4 or 18 <= hour <= 23 else None


def _time_of(g: dict[str, str | None], n: int) -> time | None:
    """The time read from copy ``n`` of the time pattern, None if absent or unreadable."""
    part = next((kind for name, kind in _DAY_PART_KIND.items()
                 for m in (n, n + 10, n + 20) if g.get(f"{name}_{m}")), None)
    if g[f"h{n}"] is not None and g[f"mi{n}"] is not None:
        hour, minute = int(g[f"h{n}"] or 0), int(g[f"mi{n}"] or 0)
        second, fraction = int(g[f"s{n}"] or 0), g[f"f{n}"]
    elif g[f"hh{n}"] is not None or g[f"hp{n}"] is not None:
        if g[f"hp{n}"] is not None and part in ("night", "midnight"):
            return None  # «۱۰ شب» without «ساعت» may be ten nights: not read as a time
        hour, minute, second, fraction = int(g[f"hh{n}"] or g[f"hp{n}"] or 0), 0, 0, None
    else:
        return None
    h = _hour_of_day(hour, part)
    if h is None:
        return None
    micro = int(fraction.ljust(6, "0")) if fraction else 0
    return time(h, minute, second, micro)


def _has_time(g: dict[str, str | None], n: int) -> bool:
    return any(g[f"{k}{n}"] is not None for k in ("h", "hh", "hp"))


def _unread_day_part(found: re.Match[str]) -> bool:
    """True when a day-part-like word follows a time that took no day part («۰۸:۵۶ ب. ظ.»
    in a spelling not listed): the clock may be twelve hours off, so it is not read."""
    g = found.groupdict()
    n = 2 if _has_time(g, 2) else 1
    if any(g.get(f"{name}_{m}") for name in _DAY_PART_KIND for m in (n, n + 10, n + 20)):
        return False
    end = max(found.end(f"{k}{n}") for k in ("h", "mi", "s", "f", "hh", "hp"))
    return _LOOSE_DAY_PART.match(found.string, end) is not None


def _matched_time(g: dict[str, str | None]) -> time | None:
    n = 2 if _has_time(g, 2) else 1  # a time after the date wins over one before it
    return _time_of(g, n)


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
    if clock is not None and _unread_day_part(found):
        clock = None
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


def parse_date(text: str) -> DateMatch | None:
    """Parse one date expression (the whole string, surrounding spaces and labels like
    «تاریخ انتشار:» allowed) with whether it gave a time of day; None when it is not a
    date. ``2026-02-28`` and «۹ اسفند ۱۴۰۴» have ``has_time`` False (``when`` is then the
    day's start in Tehran, or in the zone written). Never raises."""
    if not isinstance(text, str):
        return None
    match = next(_matches(text), None)
    if match is None or match.start > _MAX_LABEL:
        return None
    normalized = text.translate(_NORMALIZE)
    if _LABEL.fullmatch(normalized, 0, match.start) and _TAIL.fullmatch(normalized, match.end):
        return match
    return None


def parse_datetime(text: str) -> datetime | None:
    """The aware UTC time of one date expression (see :func:`parse_date`); None when it is
    not a date. A date without a time gives the day's start. Never raises."""
    match = parse_date(text)
    return match.when if match is not None else None


def same_day(a: datetime, b: datetime) -> bool:
    """Whether two aware times fall on one calendar day in Tehran."""
    return a.astimezone(TEHRAN).date() == b.astimezone(TEHRAN).date()
