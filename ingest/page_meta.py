"""What an article page says about itself: headline, lead, site and publication time.

The publication time, in order of trust (issue 13):
1. structured data: JSON-LD ``datePublished``, ``article:published_time`` and the other
   meta tags, ``itemprop="datePublished"``, a ``<time datetime>`` in the article;
2. the Persian date printed in the article's own meta line, beside the headline
   («۲۱ مهر ۱۴۰۳ - ۲۰:۵۶», «تاریخ انتشار: ...»); htmldate reads no Jalali date, so
   dastan reads these itself;
3. htmldate's reading of the page (the day only), for the Gregorian forms it knows.
Never the clock in the site's header (the time the page was saved) nor a sidebar's dates:
elements of the header, navigation, asides, footers and "most viewed" lists are not read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from ingest.dates import TEHRAN, find_dates, parse_date, parse_datetime, same_day
from ingest.page_chrome import OUTSIDE_TAGS, OUTSIDE_WORDS, classes, is_inside, text_upto

_TIME_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "date", "dc.date", "dc.date.issued", "sailthru.date", "parsely-pub-date")
_LEAD_META = ("description", "og:description", "twitter:description", "dc.description")
_TITLE_META = ("og:title", "twitter:title")
_SITE_META = ("og:site_name", "application-name", "publisher", "twitter:site")
# The same, without the header words: a headline sits inside the article's own header
# («<div class="item-header">», BBC's «<article><header><h1>»).
_NOT_HEADLINE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:logo|brand|navbar|menu|sidebar|side[-_]?bar|footer|most[-_]?viewed|most[-_]?visited|"
    r"popular|related|latest)(?:$|[\s_-])", re.IGNORECASE)
# A lead printed under the headline when the page has no description meta tag.
_LEAD_WORDS = re.compile(r"(?:^|[\s_-])(?:lead|summary|subtitle|introtext|teaser|abstract)(?:$|[\s_-])",
                         re.IGNORECASE)
_MIN_LEAD_CHARS, _MAX_LEAD_CHARS = 20, 600
_MAX_KICKER_CHARS = 120  # «روتیتر», the line above a headline
_MAX_DATE_LINE_CHARS = 200  # the meta line a date is printed in (service, date, code)
# A date line is mostly its date: «تاریخ انتشار: » or «کد خبر: ۱۲۳ | » around it, not a sentence.
_MAX_DATE_LINE_REST = 40
# How far around the headline the page's own date line is looked for, in text pieces of
# the document (the kicker, title, lead, date, codes and share links come first).
_NEAR_BEFORE, _NEAR_AFTER = 6, 14
_UPDATED = re.compile(r"به ?روز ?شده|به‌روز|بروزرسانی|به ?روزرسانی|ویرایش|آخرین ?تغییر|updated", re.IGNORECASE)
_MODIFIED = re.compile(r"updated|modified|edited", re.IGNORECASE)
_SITE_SEPARATORS = re.compile(r"\s+[|\-–—»:]\s+")


@dataclass(frozen=True)
class Published:
    """A publication time and the text it was read from."""

    when: datetime
    text: str
    time_known: bool = True  # False when the page gives the day only (``when`` is its start)


@dataclass(frozen=True)
class PageFacts:
    """What the page states about its report."""

    title: str | None = None
    lead: str | None = None
    url: str | None = None
    site_name: str | None = None
    published: Published | None = None
    headline: Any = None  # the headline element, kept through chrome removal
    page_lines: tuple[Any, ...] = ()  # elements that are the page's, not the report (kicker, date line, lead)


def _text(el: Any) -> str:
    return " ".join("".join(el.itertext()).split())


def _outside(el: Any, headline: Any = None) -> bool:
    """True when ``el`` lies in the site's header, navigation, sidebar or footer; an element
    that holds the headline is the article's («<div class="news-header">» with its date)."""
    node = el
    while node is not None:
        if headline is not None and (node is headline or is_inside(headline, node)):
            return False
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in OUTSIDE_TAGS or OUTSIDE_WORDS.search(classes(node)):
            return True
        node = node.getparent()
    return False


def _meta(tree: Any) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        value = (el.get("content") or "").strip()
        if key and value:
            found.setdefault(key, value)
    title = tree.find(".//title")
    if title is not None and title.text:
        found.setdefault("title", title.text.strip())
    canonical = tree.find(".//link[@rel='canonical']")
    if canonical is not None and canonical.get("href"):
        found.setdefault("canonical", canonical.get("href", ""))
    return found


def _json_ld(tree: Any) -> Iterator[dict[str, Any]]:
    """Objects of the page's JSON-LD blocks (``@graph`` lists unpacked); bad JSON is skipped."""
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def _headline(tree: Any) -> Any:
    for el in tree.iter():
        if isinstance(el.tag, str) and el.get("itemprop") == "headline" and el.tag != "meta" and _text(el):
            return el
    for el in tree.iter("h1"):
        if _text(el) and not _in_site_parts(el):
            return el
    return None


def _in_site_parts(el: Any) -> bool:
    node = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in ("nav", "aside", "footer") or _NOT_HEADLINE_WORDS.search(classes(node)):
            return True
        node = node.getparent()
    return False


def _lead_after(tree: Any, headline: Any) -> Any:
    """The element printing the lead under the headline («<p class="lead">»), if any."""
    seen = False
    for el in tree.iter():
        if el is headline:
            seen = True
            continue
        if not seen or not isinstance(el.tag, str) or is_inside(el, headline):
            continue
        if _LEAD_WORDS.search(classes(el)) and not _outside(el, headline):
            text = text_upto(el, _MAX_LEAD_CHARS)
            if _MIN_LEAD_CHARS <= len(text) <= _MAX_LEAD_CHARS:
                return el
    return None


def _kicker(headline: Any) -> Any:
    """The short line right above the headline (روتیتر), which is the page's, not the report's."""
    previous = headline.getprevious() if headline is not None else None
    if previous is None and headline is not None and headline.getparent() is not None:
        previous = headline.getparent().getprevious()  # «<div class="title"><h1>»
    if previous is not None and isinstance(previous.tag, str) and previous.tag not in ("script", "style"):
        text = text_upto(previous, _MAX_KICKER_CHARS)
        if 0 < len(text) <= _MAX_KICKER_CHARS and not find_dates(text):
            return previous
    return None


def _strip_site(title: str, site: str | None) -> str:
    """«عنوان - خبرگزاری مهر | Mehr News Agency» -> «عنوان»: the longest part of a title
    whose other parts name the site."""
    parts = [p.strip() for p in _SITE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip()
    if site:
        kept = [p for p in parts if site not in p and p not in site]
        if len(kept) == 1:
            return kept[0]
    return max(parts, key=len)


def _structured_time(tree: Any, meta: dict[str, str], headline: Any) -> Published | None:
    for obj in _json_ld(tree):
        value = obj.get("datePublished")
        if isinstance(value, str) and (found := parse_date(value)) is not None:
            return Published(found.when, f"JSON-LD datePublished: {value}", found.has_time)
    for key in _TIME_META:
        if key in meta and (found := parse_date(meta[key])) is not None:
            return Published(found.when, f"{key}: {meta[key]}", found.has_time)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("itemprop") == "datePublished" or (el.tag == "time" and el.get("datetime")):
            if _outside(el, headline) or _MODIFIED.search(classes(el)):
                continue  # «<time class="updated">» is the last edit, not the publication
            value = el.get("datetime") or el.get("content") or _text(el)
            if value and (found := parse_date(value)) is not None:
                # a bare day in datetime="2024-10-12" is still a day; the text may add the time
                if not found.has_time:
                    shown = _text(el)
                    near = find_dates(shown)
                    if near and near[0].has_time and same_day(near[0].when, found.when):
                        return Published(near[0].when, shown)
                    continue  # a day alone is weaker than a Persian date line with its time
                return Published(found.when, f"<{el.tag}> {value}")
    return None


def _text_pieces(tree: Any) -> list[tuple[Any, str]]:
    """Each element's own text (and tail) in document order, with the element."""
    pieces: list[tuple[Any, str]] = []
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript", "template"):
            continue
        own = " ".join((el.text or "").split())
        if own:
            pieces.append((el, own))
        tail = " ".join((el.tail or "").split())
        if tail and el.getparent() is not None:
            pieces.append((el.getparent(), tail))
    return pieces


def _date_near_headline(tree: Any, headline: Any, marker: str) -> tuple[Published | None, Any]:
    """The Persian date line beside the headline: the first date with its time among the
    text pieces around it (not in the header, a sidebar, or an update notice)."""
    pieces = _text_pieces(tree)
    index = next((i for i, (el, _) in enumerate(pieces) if el is headline or is_inside(el, headline)), None)
    # without a headline, the top of the page (outside its chrome)
    window = pieces[:40] if index is None else pieces[max(0, index - _NEAR_BEFORE): index + _NEAR_AFTER]
    best: tuple[Published, Any] | None = None
    for el, raw in window:
        text = raw.replace(marker, "\u200c")
        if _outside(el, headline) or _UPDATED.search(text):
            continue
        found = find_dates(text)
        if not found:
            continue
        match = max(found, key=lambda m: m.has_time)
        if len(text) - len(match.text) > _MAX_DATE_LINE_REST:
            continue  # a sentence that mentions a day («... ۲۱ مهر ساعت ۱۰ رخ داد.») is no date line
        if match.has_time:
            return Published(match.when, text), el
        if best is None:
            best = (Published(match.when, text, time_known=False), el)
    return best if best else (None, None)


def _htmldate_day(tree: Any, headline: Any) -> Published | None:
    """htmldate's date for the page (the day only: it gives no reliable time of day), read
    from a copy without the header, navigation and sidebars (their clocks and lists)."""
    import copy

    page = copy.deepcopy(tree)
    for el in [el for el in page.iter() if isinstance(el.tag, str) and el.tag not in ("html", "body")
               and (el.tag in OUTSIDE_TAGS or OUTSIDE_WORDS.search(classes(el)))]:
        if el.getparent() is not None:
            el.getparent().remove(el)
    try:
        from htmldate import find_date

        found = find_date(page, extensive_search=False, original_date=True)
    except Exception:  # htmldate raises assorted errors on odd pages; the date is then unknown
        return None
    if not found:
        return None
    when = parse_datetime(found)
    if when is None:
        return None
    day = when.astimezone(TEHRAN).date()
    return Published(datetime.combine(day, time(0), tzinfo=TEHRAN).astimezone(when.tzinfo), f"htmldate: {found}",
                     time_known=False)



def page_facts(tree: Any, marker: str = "\u200c") -> PageFacts:
    """Title, lead, canonical URL, site name and publication time of a parsed page."""
    if tree is None:
        return PageFacts()

    def clean(value: str | None) -> str | None:
        return value.replace(marker, "\u200c").strip() or None if value else None

    meta = _meta(tree)
    site = clean(next((meta[k] for k in _SITE_META if k in meta), None))
    headline = _headline(tree)
    if headline is not None:
        title = clean(_text(headline))
    else:
        og = next((meta[k] for k in _TITLE_META if k in meta), None) or meta.get("title")
        title = clean(_strip_site(og, site)) if og else None
    lead = clean(next((meta[k] for k in _LEAD_META if k in meta), None))
    page_lines: list[Any] = []  # elements of the page's own lines, removed before extraction
    lead_el = _lead_after(tree, headline) if headline is not None else None
    if lead_el is not None:
        lead = lead or clean(_text(lead_el))
        page_lines.append(lead_el)
    kicker = _kicker(headline)
    if kicker is not None:
        page_lines.append(kicker)
    published = _structured_time(tree, meta, headline)
    near, date_el = _date_near_headline(tree, headline, marker)
    if date_el is not None:
        page_lines.append(_date_line(date_el, headline))
    if published is None or (not published.time_known and near is not None and near.time_known
                             and same_day(near.when, published.when)):
        published = near  # a structured day alone, and the date line gives that day with its time
    if published is None:
        published = _htmldate_day(tree, headline)
    return PageFacts(title=title, lead=lead, url=meta.get("canonical") or meta.get("og:url"),
                     site_name=site, published=published, headline=headline,
                     page_lines=tuple(page_lines))


def _date_line(el: Any, headline: Any) -> Any:
    """The meta line a date is printed in («<ul class="details">» with service, date, code)."""
    line = el
    parent = el.getparent()
    while (parent is not None and parent.tag not in ("body", "article", "main") and parent is not headline
           and not is_inside(headline, parent)
           and len(text_upto(parent, _MAX_DATE_LINE_CHARS)) <= _MAX_DATE_LINE_CHARS):
        line, parent = parent, parent.getparent()
    return line
