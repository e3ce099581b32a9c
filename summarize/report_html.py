"""Pieces of the HTML report: escaping, safe links, Tehran times and days, source colours, SVG timelines.

Every text that reaches the page goes through :func:`e` (``html.escape`` with quotes), and
only plain http(s) URLs become links, so nothing an article carries can become markup.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")
PALETTE = ["#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#2c3e50",
           "#b7950b", "#7f8c8d", "#e84393"]
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
_WEEKDAYS = ["دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"]  # datetime.weekday() order
UNKNOWN_DAY = "unknown"
UNKNOWN_SOURCE = "unknown"  # what the story_sources view names the source of a report that gave none
_ONE_DAY = timedelta(days=1)


def e(text: object) -> str:
    """Text made inert in HTML, quotes included (safe in element text and in attribute values)."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else None (no javascript:, data:, relative tricks)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def link(text: str, url: str | None) -> str:
    safe = safe_url(url)
    if safe is None:
        return e(text)
    return f'<a href="{e(safe)}" rel="noopener noreferrer nofollow">{e(text)}</a>'


def is_day_only(iso: str | None) -> bool:
    """Whether a stored time is a day without its time of day ("2026-02-28"; issue 13)."""
    return iso is not None and len(iso) == 10 and "T" not in iso


def parse_time(iso: str | None) -> datetime | None:
    """An aware datetime from an ISO UTC time, or a Tehran day's start from a day alone."""
    if not iso:
        return None
    try:
        when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when.replace(tzinfo=TEHRAN) if when.tzinfo is None else when


def tehran_time(iso: str | None) -> str | None:
    """An ISO UTC time as Tehran local time («2026-02-28 10:00»), for people in Iran; a day
    printed without its time stays a day («2026-02-28»), never «00:00». Plain text, not HTML;
    None for no time, the text itself when it cannot be read."""
    if not iso:
        return None
    when = parse_time(iso)
    if when is None:
        return iso
    return when.astimezone(TEHRAN).strftime("%Y-%m-%d" if is_day_only(iso) else "%Y-%m-%d %H:%M")


def local_time(iso: str | None) -> str:
    """:func:`tehran_time` as the report shows it, plain text (its callers escape it):
    «تاریخ نامعلوم» for no time."""
    return tehran_time(iso) or "تاریخ نامعلوم"


def day_key(iso: str | None) -> str:
    """The Tehran calendar day of a time, as YYYY-MM-DD (``UNKNOWN_DAY`` without a time)."""
    when = parse_time(iso)
    return when.astimezone(TEHRAN).date().isoformat() if when else UNKNOWN_DAY


def day_label(key: str) -> str:
    """A day as a Persian reader names it, as HTML: «یکشنبه ۲ آذر ۱۴۰۴» and the Gregorian
    date after it (isolated left-to-right, so that «2025-11-23» is not shown reversed)."""
    if key == UNKNOWN_DAY:
        return "تاریخ نامعلوم"
    from ingest.dates import gregorian_to_jalali

    day = datetime.fromisoformat(key).date()
    jy, jm, jd = gregorian_to_jalali(day)
    jalali = f"{jd} {_MONTHS[jm - 1]} {jy}".translate(_PERSIAN_DIGITS)
    return f'{e(_WEEKDAYS[day.weekday()])} {e(jalali)} (<span class="num">{e(key)}</span>)'



def time_of_day(iso: str | None) -> str:
    """A stored time's Tehran time of day («10:00»), or "" when it has none (no date, or a day
    alone): a day's index shows no «وم» cut from «تاریخ نامعلوم» (the eighth newcomer's t1.html)."""
    shown = tehran_time(iso)
    return shown[11:] if shown and not is_day_only(iso) and len(shown) > 11 else ""


def source_key(source: str | None) -> str:
    """One key for a report of no source: a timeline's None and the story_sources view's
    'unknown' were two badges, «?» and «unknown», and two entries of the source filter."""
    return source if source and source not in ("?", UNKNOWN_SOURCE) else UNKNOWN_SOURCE


def source_name(key: str, names: Mapping[str, str]) -> str:
    """A source as the page names it: the registry's name, «منبع نامعلوم» for none."""
    return "منبع نامعلوم" if key == UNKNOWN_SOURCE else names.get(key, key)


def coverage(n_articles: int, n_sources: int, unknown: bool) -> str:
    """«۳ گزارش از ۲ منبع», plain text, counting a report of no source as no source (it read
    «۱ گزارش از ۰ منبع»)."""
    if not n_sources:
        return f"{n_articles} گزارش از منبعی نامعلوم"
    return f"{n_articles} گزارش از {n_sources} منبع" + (" و منبعی نامعلوم" if unknown else "")


def colors(sources: Sequence[str | None]) -> dict[str, str]:
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sorted({source_key(x) for x in sources}))}


def badge(source: str | None, palette: Mapping[str, str], names: Mapping[str, str]) -> str:
    key = source_key(source)
    return (f'<span class="badge" style="background:{e(palette.get(key, "#7f8c8d"))}">'
            f"{e(source_name(key, names))}</span>")


def _axis(width: int, height: int, pad: int) -> str:
    return f'<line x1="{pad}" y1="{height / 2}" x2="{width - pad}" y2="{height / 2}" stroke="#ccd" />'


def timeline_svg(timeline: Sequence[Mapping[str, Any]], palette: Mapping[str, str],
                 width: int = 640, height: int = 28) -> str:
    """Reports over time as dots on one axis, coloured by source (inline SVG)."""
    points = [(when, source_key(item.get("source")), local_time(item.get("published_at"))) for item in timeline
              if (when := parse_time(item.get("published_at"))) is not None]
    if not points:
        return ""
    start = min(p[0] for p in points)
    span = max((max(p[0] for p in points) - start).total_seconds(), 3600.0)
    pad = 10
    dots = []
    for when, source, shown in points:
        # left to right is earlier to later even in an RTL page: a time axis, like numbers
        x = pad + (width - 2 * pad) * (when - start).total_seconds() / span
        dots.append(f'<circle cx="{x:.1f}" cy="{height / 2:.1f}" r="5" fill="{e(palette.get(source, "#7f8c8d"))}">'
                    f"<title>{e(source_name(source, {}))} {e(shown)}</title></circle>")
    return (f'<svg role="img" aria-label="زمان‌نمای گزارش‌ها" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" direction="ltr">{_axis(width, height, pad)}{"".join(dots)}</svg>')


def thread_svg(stories: Sequence[Mapping[str, Any]], width: int = 640, height: int = 44) -> str:
    """A thread's stories on one time axis: a dot per story, sized by its reports, linked to it.

    Day boundaries (Tehran) are ticks, so a reader sees how the stories spread over days.
    """
    points = [(when, s) for s in stories if (when := parse_time(s.get("first_published"))) is not None]
    if not points:
        return ""
    start = min(p[0] for p in points)
    end = max(p[0] for p in points)
    span = max((end - start).total_seconds(), 3600.0)
    pad = 14
    scale = (width - 2 * pad) / span
    ticks = []
    day = start.astimezone(TEHRAN).replace(hour=0, minute=0, second=0, microsecond=0)
    for _ in range(60):  # at most two months of day ticks; a longer thread shows none
        day = (day + _ONE_DAY).replace(hour=0, minute=0, second=0, microsecond=0)
        if day > end:
            break
        x = pad + scale * (day - start).total_seconds()
        ticks.append(f'<line x1="{x:.1f}" y1="{height / 2 - 7}" x2="{x:.1f}" y2="{height / 2 + 7}" stroke="#aab" />')
    dots = []
    for i, (when, story) in enumerate(sorted(points, key=lambda p: p[0])):
        x = pad + scale * (when - start).total_seconds()
        r = 4 + min(6.0, 2 * math.sqrt(max(int(story.get("n_articles") or 1), 1) - 1))
        label = f"{local_time(story.get('first_published'))} · {story.get('title') or ''}"
        dots.append(f'<a href="#{e(story["story_id"])}"><circle cx="{x:.1f}" cy="{height / 2:.1f}" r="{r:.1f}" '
                    f'fill="{PALETTE[i % len(PALETTE)]}" fill-opacity="0.85"><title>{e(label)}</title></circle></a>')
    return (f'<svg class="thread-line" role="img" aria-label="زمان‌نمای داستان‌های رشته" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" direction="ltr">'
            f'{_axis(width, height, pad)}{"".join(ticks)}{"".join(dots)}</svg>')
