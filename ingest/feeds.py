"""RSS and Atom feeds into feed items: feedparser, behind dastan's own safety checks.

feedparser (the library real-world feeds are tested against: RSS 0.9x/1.0/2.0, Atom 0.3/1.0,
xml:base, relative links, HTML content) reads the document. Before it does, dastan
- caps the size, and refuses any entity declaration (a "billion laughs" expansion or an
  XXE file read) as unsafe: such a feed is reported, never parsed. Document type
  declarations are dropped, so nothing external is ever fetched;
- decodes the bytes itself: a feed that declares windows-1256 but is UTF-8 (or the other
  way round) is read as what it is, not as mojibake; text that is neither is refused;
- removes what comes before ``<?xml`` (blank lines, a BOM), which strict XML refuses and
  browsers and feed readers accept, and writes HTML entities (``&zwnj;``, ``&nbsp;``) and
  stray ampersands as XML can read them.
A feed cut short (its root element never closes) is refused: its last item is damaged.
"""

from __future__ import annotations

import codecs
import html
import html.entities
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from ingest.dates import parse_date
from ingest.markup import html_text
from ingest.models import Reject, RejectReason

_SPACES = re.compile(r"[ \t\r\f\v]+")
MAX_ITEMS = 500  # more items than any agency feed carries; bounds a hostile feed
MAX_FEED_BYTES = 5_000_000  # an agency feed is ~200 KB (the fetcher's own cap is the same)
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
# A DOCTYPE with or without an internal subset; entity declarations were refused before.
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[[^\]]*\])?\s*>", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^<\?xml[^>]{0,200}\?>")
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]{0,200}?encoding\s*=\s*[\"']([A-Za-z0-9._\-]{1,40})[\"']")
# «&zwnj;» and the like: HTML names XML does not know. The five XML ones stay as written.
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})
_STRAY_AMPERSAND = re.compile(r"&(?!#[0-9]{1,7};|#x[0-9A-Fa-f]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
_ROOT_CLOSED = re.compile(r"</(?:[A-Za-z_][\w.\-]*:)?(?:rss|feed|RDF|rdf)\s*>\s*$")
_MIN_ARABIC_SHARE = 0.5  # a feed decoded as Windows-1256 must read as Arabic-script text
_UTF8_GOOD_PER_BAD = 4  # the margin readers.decode_bytes uses for damaged UTF-8
_SINGLE_BYTE_WESTERN = frozenset({"latin-1", "iso8859-1", "cp1252", "iso8859-15", "ascii"})


class FeedError(Exception):
    """A feed that is not well-formed RSS/Atom, or that tries XML entity tricks."""

    def __init__(self, detail: str, reason: RejectReason = RejectReason.MALFORMED) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: enough to fetch the page, or to stand in for it."""

    title: str
    link: str | None
    summary: str | None
    published_at: datetime | None
    published_text: str | None
    guid: str | None
    published_time_known: bool = True  # False for a date without its time («Sat, 28 Feb 2026»)


@dataclass(frozen=True)
class Feed:
    """What a feed holds: its items in order, and what could not be read, with reasons."""

    items: tuple[FeedItem, ...]
    problems: tuple[str, ...] = ()  # one line per entry or part left out, said for a person
    link: str | None = None  # the site the feed belongs to


def strip_tags(text: str | None, paragraphs: bool = False) -> str | None:
    """Plain text from a feed's HTML snippet (tags dropped, entities decoded, block elements
    as paragraph breaks when ``paragraphs``), as :func:`ingest.markup.html_text` reads it."""
    if text is None:
        return None
    plain = _SPACES.sub(" ", html_text(text, paragraphs)).strip()
    return plain or None


def _arabic_share(text: str) -> float:
    """Share of Arabic-script letters among a feed's non-ASCII letters (its tags, links and
    dates are ASCII; a French feed in Windows-1256 keeps its «é», Persian becomes Arabic)."""
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff") / len(letters)


def decode_feed(data: bytes) -> str:
    """The feed's text, whatever its XML declaration claims.

    Valid UTF-8 with non-ASCII characters is UTF-8 (Windows-1256 Persian is almost never
    valid UTF-8), so a wrong ``encoding="windows-1256"`` is overruled. Otherwise the
    declared encoding is used, except a Western single-byte one (or UTF-8, or none) over
    bytes that read as Persian in Windows-1256, which old Persian sites send under any
    label. Raises :class:`FeedError` for bytes that are no text in any of these.
    """
    from ingest.readers import DecodeError, decode_bytes

    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return decode_bytes(data)
        except DecodeError as err:
            raise FeedError(err.detail, err.reason) from err
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        utf8_error = err
    declared = _DECLARED_ENCODING.match(data)
    encoding = None
    if declared:
        try:
            encoding = codecs.lookup(declared.group(1).decode("ascii")).name
        except LookupError:
            encoding = None
    text = None
    if encoding and encoding not in ("utf-8", "utf-16", "utf-32"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as err:
            raise FeedError(f"not {encoding} as declared: {err.reason} at byte {err.start}",
                            RejectReason.UNDECODABLE) from err
        if encoding not in _SINGLE_BYTE_WESTERN or _arabic_share(text) >= _MIN_ARABIC_SHARE:
            return text
    # UTF-8 with a few bad bytes is damaged UTF-8, not Windows-1256 (as in readers.decode_bytes)
    replaced = data.decode("utf-8", "replace")
    bad = replaced.count("\ufffd")
    if sum(1 for ch in replaced if ord(ch) > 0x7F) - bad > _UTF8_GOOD_PER_BAD * bad:
        raise FeedError(f"damaged UTF-8: {bad} invalid byte sequence(s), the first at byte {utf8_error.start}",
                        RejectReason.UNDECODABLE)
    try:
        persian = data.decode("cp1256")
    except UnicodeDecodeError:
        persian = ""
    if _arabic_share(persian) >= _MIN_ARABIC_SHARE:
        return persian
    if text is not None:
        return text  # a Western feed as declared; build_article refuses it if it is not Persian
    raise FeedError(f"not UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not Persian in Windows-1256",
                    RejectReason.UNDECODABLE)


def _entity_to_reference(m: re.Match[str]) -> str:
    name = m.group(1)
    if name in _XML_ENTITIES:
        return m.group(0)
    code = html.entities.name2codepoint.get(name)
    return f"&#{code};" if code is not None else f"&amp;{name};"


def _prepare(data: bytes) -> str:
    """The feed as well-formed-where-possible UTF-8 XML text, or FeedError."""
    text = decode_feed(data).lstrip("\ufeff \t\r\n")
    if _ENTITY_DECLARATION.search(text):
        raise FeedError("unsafe XML refused (an entity declaration: entity expansion or an external entity)")
    text = _DOCTYPE.sub("", text)
    text = _XML_DECLARATION.sub("", text, count=1).lstrip()
    text = _NAMED_ENTITY.sub(_entity_to_reference, text)
    text = _STRAY_AMPERSAND.sub("&amp;", text)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text


def read_feed(data: bytes, base_url: str | None = None, max_items: int = MAX_ITEMS,
              max_bytes: int = MAX_FEED_BYTES) -> Feed:
    """The items of an RSS or Atom document, links resolved against ``base_url``.

    Without ``base_url`` (a saved file), relative links resolve against the feed's own
    site address (its channel ``<link>``). Raises :class:`FeedError` for a feed that cannot
    be read at all; an entry without title and text is named in ``problems``.
    """
    import feedparser

    if len(data) > max_bytes:
        raise FeedError(f"{len(data)} bytes, above the feed limit of {max_bytes}", RejectReason.TOO_LARGE)
    text = _prepare(data)
    headers = {"content-type": "application/xml; charset=utf-8"}
    if base_url:
        headers["content-location"] = base_url
    # A stream, never a string: feedparser fetches a string that looks like a URL and
    # opens one that names a file.
    parsed: Any = feedparser.parse(io.BytesIO(text.encode("utf-8")), response_headers=headers,
                                   resolve_relative_uris=True, sanitize_html=True)
    if parsed.get("bozo") and not _ROOT_CLOSED.search(text):
        raise FeedError(f"not well-formed XML: {_short(parsed.get('bozo_exception'))}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedError(f"not an RSS or Atom feed: {_short(parsed.get('bozo_exception')) or 'no feed elements'}")
    site = parsed.feed.get("link") or None
    base = base_url or (site if site and urlsplit(site).scheme in ("http", "https") else None)
    items: list[FeedItem] = []
    problems: list[str] = []
    for n, entry in enumerate(parsed.entries, 1):
        if n > max_items:
            problems.append(f"{len(parsed.entries) - max_items} entries after the first {max_items} not read")
            break
        item = _item(entry, base)
        if item.title or item.summary:
            items.append(item)
        else:
            problems.append(f"entry {n} has no title and no text")
    return Feed(tuple(items), tuple(problems), site)


def parse_feed(data: bytes, base_url: str | None = None) -> list[FeedItem]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom document (entries without text left out)."""
    return list(read_feed(data, base_url).items)


def _short(err: object) -> str:
    return str(err)[:160] if err else ""


def _item(entry: Any, base: str | None) -> FeedItem:
    content = entry.get("content") or []
    summary = (content[0].get("value") if content else None) or entry.get("summary")
    when = entry.get("published") or entry.get("updated") or entry.get("created")
    link = (entry.get("link") or "").strip() or None
    if link and base and not urlsplit(link).scheme:
        link = urljoin(base, link)
    guid = (entry.get("id") or "").strip() or None
    # dastan reads the date as written, not feedparser's struct_time, which turns a date
    # without a time into midnight UTC and so into a time of day nobody printed.
    date = parse_date(when) if when else None
    return FeedItem(
        title=strip_tags(entry.get("title")) or "",
        link=link,
        summary=strip_tags(summary, paragraphs=True),
        published_at=date.when if date else None,
        published_text=when,
        guid=guid,
        published_time_known=date is not None and date.has_time,
    )


def feed_rejects(feed: Feed, ref: str) -> Iterator[Reject]:
    """One reject row per part of a feed that was not read."""
    for problem in feed.problems:
        reason = RejectReason.TOO_LARGE if "not read" in problem else RejectReason.NO_TEXT
        yield Reject(ref, reason, problem)
