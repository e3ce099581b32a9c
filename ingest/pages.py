"""Raw page text, as a person saves it from a Persian news site, into a :class:`Draft`.

A saved page is the report wrapped in the site's chrome: the site's name, the page's own
date and update time, codes and share links at the top; "most viewed" lists and unrelated
headlines at the bottom. The report is the title, an optional lead (the summary printed
under the title), and the body, which usually opens with the agency dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time

from ingest.article import Draft
from ingest.boilerplate import is_chrome_line, starts_trailer
from ingest.dates import TEHRAN, DateMatch, find_dates
from ingest.models import Role
from ingest.normalize import clean_invisible, normalize_line
from ingest.sources import Registry

# Labels that introduce the report's own publication time. Update times («به روز شده در»)
# are the page's, not the report's; a bare date above the body is the report's only when
# no label gives one (see _bare_date).
_PUBLISHED_LABEL = re.compile(r"^(تاریخ انتشار|زمان انتشار|تاریخ خبر|منتشر شده( در)?|انتشار)\s*:?")
_UPDATED_LABEL = re.compile(r"(به ?روز ?شده|به‌روز|بروزرسانی|به ?روزرسانی|ویرایش)")
# A title is one line; past this length a first line is the body itself (seed 001).
_MAX_TITLE_CHARS = 250
_MAX_LEAD_CHARS = 600
_DATE_ONLY_SHARE = 0.6  # a line that is mostly a date is page chrome
_MAX_OUTLET_CHARS = 60  # «خبرگزاری دانشجویان ایران» is 25; a longer line is not a site's name

# What an outlet the registry does not list looks like on a line of its own: a kind of outlet
# and its name («خبرگزاری آنا», «پایگاه خبری تحلیلی انتخاب», «روزنامه اعتماد»), a name ending
# in «نیوز» («فرارو نیوز»), a Latin name with «News»/«Agency»/«Press» («Fararu News Agency»),
# or a domain («entekhab.ir»). «روزنامه‌ها»/«خبرگزاری‌ها» (a plural, joined by ZWNJ) are words
# of a headline, not a kind of outlet.
_OUTLET_KIND = re.compile(
    r"^(?:خبرگزاری|پایگاه[\u200c ]+خبری(?:[\u200c ]+تحلیلی)?|پایگاه[\u200c ]+اطلاع[\u200c ]*رسانی|"
    r"پایگاه[\u200c ]+تحلیلی[\u200c ]+خبری|روزنامه|هفته[\u200c ]*نامه|ماهنامه|سایت[\u200c ]+خبری|"
    r"شبکه[\u200c ]+خبر) +(?P<name>.+)$")
_NEWS_SUFFIX = re.compile(r"^(?P<name>.+?)[\u200c ]*نیوز$")
_LATIN_NAME = re.compile(r"(?i)^[a-z][a-z0-9&' -]*\b(?:news|news agency|agency|press)$")
_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/?$")
_MAX_OUTLET_NAME_WORDS = 3  # «خبرگزاری جمهوری اسلامی ایران»; more words make a headline
# A name has no verb; a headline about an outlet has («روزنامه کیهان توقیف شد»).
_VERBS = frozenset({"شد", "شدند", "کرد", "کردند", "است", "هست", "نیست", "بود", "بودند", "گفت", "داد",
                    "دارد", "ندارد", "شود", "کند", "کنند", "خواهد", "باید", "رسید", "زد", "آمد", "رفت"})
_NOT_IN_A_NAME = re.compile(r"[:؛;،,!?؟«»\"()\[\]]")


def _looks_like_outlet(line: str) -> bool:
    """Whether a (normalized) line looks like an outlet's name and nothing else."""
    if not line or len(line) > _MAX_OUTLET_CHARS or _NOT_IN_A_NAME.search(line):
        return False
    if _DOMAIN.match(line) or _LATIN_NAME.match(line):
        return True
    match = _OUTLET_KIND.match(line) or _NEWS_SUFFIX.match(line)
    if match is None:
        return False
    words = match["name"].replace("\u200c", " ").split()
    return (0 < len(words) <= _MAX_OUTLET_NAME_WORDS and not any(w in _VERBS for w in words)
            and not any(w.startswith(("می", "نمی")) and "\u200c" in w for w in match["name"].split()))


def _unlisted_source(name: str, registry: Registry | None) -> str:
    """The source of a page whose site names itself with a name the registry does not know:
    the outlet of its domain when the registry knows the domain, else the name as written."""
    domain = _DOMAIN.match(name)
    if domain and registry is not None and (key := registry.by_url(f"http://{domain['host']}")):
        return key
    return name


@dataclass(frozen=True)
class PublishedTime:
    """The publication time a page states, and the line it was read from."""

    when: datetime
    text: str
    time_known: bool = True  # False when the line gives the day only (``when`` is its start)


def _date_only(line: str) -> bool:
    matches = find_dates(line)
    covered = sum(m.end - m.start for m in matches)
    letters = len(line.replace(" ", ""))
    return bool(matches) and covered >= _DATE_ONLY_SHARE * max(letters, 1)


def publication_time(lines: list[str], normalized: list[str] | None = None) -> PublishedTime | None:
    """The labelled publication time of a page; None when the page states none.

    Never guesses: no label, no date (an unknown date is recorded as unknown, never
    replaced by the time of ingestion or by the page's own header date). Labels are
    matched on the normalized line, dates read from the line as written: hazm's spacing
    rules turn «۱۴-۰۳-۱۴۰۰» into «۱۴ - ۰۳ - ۱۴۰۰».
    """
    best: PublishedTime | None = None
    for line, norm in zip(lines, normalized or lines, strict=True):
        if not _PUBLISHED_LABEL.match(norm) or _UPDATED_LABEL.search(norm):
            continue
        matches = find_dates(line)
        if not matches:
            continue
        match = max(matches, key=lambda m: m.has_time)  # a stamp with its time beats a day
        if best is None or (match.has_time and ":" not in best.text):
            best = PublishedTime(match.when, line, match.has_time)
    return best


def _bare_date(lines: list[str], top: list[int], norm: list[str]) -> PublishedTime | None:
    """The date of the bare date lines above a page's body («۹ آذر ۱۴۰۵», «شنبه ۸ آذر ۱۴۰۵ -
    ۱۴:۳۰»), when they agree on one day; None when there is none or they disagree.

    A saved page with no labelled date prints the report's date on a line of its own at
    the top. Two lines that give two days cannot say which is the report's: unknown. Two
    times of one day give the day alone.
    """
    found: list[tuple[DateMatch, str]] = []
    for k in top:
        if not _date_only(norm[k]) or _UPDATED_LABEL.search(norm[k]):
            continue
        found += [(m, lines[k]) for m in find_dates(lines[k])]
    if not found or len({m.when.astimezone(TEHRAN).date() for m, _ in found}) > 1:
        return None
    timed = [(m, line) for m, line in found if m.has_time]
    if len({m.when for m, _ in timed}) == 1:
        return PublishedTime(timed[0][0].when, timed[0][1], True)
    match, line = found[0]
    if not timed:
        return PublishedTime(match.when, line, False)
    # two times of the day: the day is known, its time is not (when = the day's start, as
    # ingest.dates gives for a day printed alone)
    day = datetime.combine(match.when.astimezone(TEHRAN).date(), time(), TEHRAN)
    return PublishedTime(day.astimezone(UTC), line, False)


def parse_page_text(raw: str, input_ref: str, registry: Registry | None = None, **meta: object) -> Draft:
    """Split saved page text into title, lead, body and chrome; find its publication time.

    With a ``registry``, a line above the body that is only an outlet's name («ایسنا»,
    «خبرگزاری مهر», «Tasnim News») is the page's site, not its title. A first line that
    looks like the name of an outlet the registry does not list («خبرگزاری آنا»,
    «entekhab.ir»), with a headline and a body after it, is the site too, and its source.
    """
    lines = [line.strip() for line in clean_invisible(raw).split("\n")]
    norm = [normalize_line(line) for line in lines]
    segments: list[tuple[Role, str]] = []
    site: str | None = None
    top: list[int] = []  # the lines above the body: where a bare date is the report's

    def is_header(i: int) -> bool:
        return not norm[i] or is_chrome_line(norm[i]) or _date_only(norm[i])

    def is_outlet(i: int) -> bool:
        return (registry is not None and 0 < len(norm[i]) <= _MAX_OUTLET_CHARS
                and registry.outlet(norm[i]) is not None)

    def names_unlisted_site(i: int) -> bool:
        """A first line that looks like an outlet's name the registry does not list, when a
        longer line that can be the headline follows it, and a body after that: the site's
        name, not the title. Without a headline after it, the short line is the title."""
        if site is not None or not _looks_like_outlet(norm[i]):
            return False
        after = [j for j in range(i + 1, len(lines)) if norm[j] and not is_header(j)]
        return (len(after) >= 2 and len(norm[i]) < len(norm[after[0]]) <= _MAX_TITLE_CHARS
                and not norm[after[0]].startswith("به گزارش"))

    def chrome_above_body(i: int, unlisted: bool = False) -> None:
        nonlocal site, unlisted_site
        top.append(i)
        if norm[i]:
            segments.append((Role.BOILERPLATE, lines[i]))
        if site is None and (unlisted or is_outlet(i)):
            site, unlisted_site = norm[i], unlisted

    unlisted_site = False
    i = 0
    while i < len(lines) and (is_header(i) or is_outlet(i) or names_unlisted_site(i)):
        chrome_above_body(i, unlisted=not is_header(i) and not is_outlet(i))
        i += 1

    if i < len(lines) and len(norm[i]) <= _MAX_TITLE_CHARS and not norm[i].startswith("به گزارش"):
        segments.append((Role.TITLE, lines[i]))
        i += 1
        under_title = i
        while i < len(lines) and (is_header(i) or is_outlet(i)):
            chrome_above_body(i)  # the date or the site's name printed under the title
            i += 1
        rest = [j for j in range(i + 1, len(lines)) if norm[j] and not is_header(j)]
        if (
            i < len(lines)
            and not any(norm[k] for k in range(under_title, i))  # a lead comes right under its title
            and rest
            and len(norm[i]) <= _MAX_LEAD_CHARS
            and not norm[i].startswith("به گزارش")
            and not starts_trailer(norm[i])
        ):
            segments.append((Role.LEAD, lines[i]))
            i += 1

    in_trailer = False
    in_body = False
    for j in range(i, len(lines)):
        if not norm[j]:
            continue
        # The lists that follow a report («پربیننده‌ترین») start only after its body: share
        # buttons above the body («ارسال به دوستان») are chrome, not the end of the report
        # (they made the whole body boilerplate).
        in_trailer = in_trailer or (in_body and starts_trailer(norm[j]))
        if not in_body and (is_header(j) or is_outlet(j)):
            chrome_above_body(j)
            continue
        role = Role.BOILERPLATE if in_trailer or is_header(j) else Role.BODY
        in_body = in_body or role is Role.BODY
        segments.append((role, lines[j]))

    published = publication_time(lines, norm) or _bare_date(lines, top, norm)
    if site is not None:
        # the site names itself: it is the source, and the agency when the text credits none
        meta = {"site_name": site, "credits_site": True, **meta}
        if unlisted_site:
            # an outlet the registry does not list is recorded by its name, not dropped
            meta = {"source": _unlisted_source(site, registry), **meta}
    return Draft(
        segments=tuple(segments),
        raw_text=raw,
        input_ref=input_ref,
        published_at=published.when if published else None,
        published_text=published.text if published else None,
        published_time_known=published.time_known if published else False,
        **meta,  # type: ignore[arg-type]
    )
