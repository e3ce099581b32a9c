"""Raw page text, as a person saves it from a Persian news site, into a :class:`Draft`.

A saved page is the report wrapped in the site's chrome: the page's own date and update
time, codes and share links at the top; "most viewed" lists and unrelated headlines at
the bottom. The report is the title, an optional lead (the summary printed under the
title), and the body, which usually opens with the agency dateline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ingest.article import Draft
from ingest.boilerplate import is_chrome_line, starts_trailer
from ingest.dates import find_dates
from ingest.models import Role
from ingest.normalize import clean_invisible, normalize_line

# Labels that introduce the report's own publication time. Update times («به روز شده در»)
# and the bare date at the top of a page are the page's, not the report's.
_PUBLISHED_LABEL = re.compile(r"^(تاریخ انتشار|زمان انتشار|تاریخ خبر|منتشر شده( در)?|انتشار)\s*:?")
_UPDATED_LABEL = re.compile(r"(به ?روز ?شده|به‌روز|بروزرسانی|به ?روزرسانی|ویرایش)")
# A title is one line; past this length a first line is the body itself (seed 001).
_MAX_TITLE_CHARS = 250
_MAX_LEAD_CHARS = 600
_DATE_ONLY_SHARE = 0.6  # a line that is mostly a date is page chrome


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


def parse_page_text(raw: str, input_ref: str, **meta: object) -> Draft:
    """Split saved page text into title, lead, body and chrome; find its publication time."""
    lines = [line.strip() for line in clean_invisible(raw).split("\n")]
    norm = [normalize_line(line) for line in lines]
    segments: list[tuple[Role, str]] = []

    def is_header(i: int) -> bool:
        return not norm[i] or is_chrome_line(norm[i]) or _date_only(norm[i])

    i = 0
    while i < len(lines) and is_header(i):
        if norm[i]:
            segments.append((Role.BOILERPLATE, lines[i]))
        i += 1

    if i < len(lines) and len(norm[i]) <= _MAX_TITLE_CHARS and not norm[i].startswith("به گزارش"):
        segments.append((Role.TITLE, lines[i]))
        i += 1
        while i < len(lines) and not norm[i]:
            i += 1
        rest = [j for j in range(i + 1, len(lines)) if norm[j] and not is_header(j)]
        if (
            i < len(lines)
            and rest
            and len(norm[i]) <= _MAX_LEAD_CHARS
            and not norm[i].startswith("به گزارش")
            and not is_header(i)
            and not starts_trailer(norm[i])
        ):
            segments.append((Role.LEAD, lines[i]))
            i += 1

    in_trailer = False
    for j in range(i, len(lines)):
        if not norm[j]:
            continue
        in_trailer = in_trailer or starts_trailer(norm[j])
        role = Role.BOILERPLATE if in_trailer or is_header(j) else Role.BODY
        segments.append((role, lines[j]))

    published = publication_time(lines, norm)
    return Draft(
        segments=tuple(segments),
        raw_text=raw,
        input_ref=input_ref,
        published_at=published.when if published else None,
        published_text=published.text if published else None,
        published_time_known=published.time_known if published else False,
        **meta,  # type: ignore[arg-type]
    )
