"""RSS and Atom feeds into feed items, parsed safely.

Feeds are XML from strangers. defusedxml refuses entity declarations and external
references, so a "billion laughs" expansion or an XXE file read raises instead of running;
such a feed is reported as unsafe, never parsed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from ingest.dates import parse_datetime

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_TAG = re.compile(r"<[^>]{0,2000}>")
MAX_ITEMS = 500  # more items than any agency feed carries; bounds a hostile feed


class FeedError(Exception):
    """A feed that is not well-formed RSS/Atom, or that tries XML entity tricks."""


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: enough to fetch the page, or to stand in for it."""

    title: str
    link: str | None
    summary: str | None
    published_at: datetime | None
    published_text: str | None
    guid: str | None


def strip_tags(text: str | None) -> str | None:
    """Plain text from a feed's HTML snippet (tags dropped, entities decoded)."""
    if text is None:
        return None
    plain = html.unescape(_TAG.sub(" ", text))
    plain = re.sub(r"[ \t\r\f\v]+", " ", plain).strip()
    return plain or None


def _text(el: Element | None) -> str | None:
    if el is None or el.text is None:
        return None
    return el.text.strip() or None


def parse_feed(data: bytes) -> list[FeedItem]:
    """Items of an RSS 2.0 / RSS 1.0 / Atom document."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise FeedError(f"unsafe XML refused ({type(err).__name__})") from err
    except (ParseError, ValueError) as err:
        raise FeedError(f"not well-formed XML: {err}") from err
    items: list[FeedItem] = []
    if root.tag == f"{_ATOM}feed":
        for entry in root.iter(f"{_ATOM}entry"):
            link = next((el.get("href") for el in entry.findall(f"{_ATOM}link")
                         if el.get("rel", "alternate") == "alternate"), None)
            when = _text(entry.find(f"{_ATOM}published")) or _text(entry.find(f"{_ATOM}updated"))
            summary = _text(entry.find(f"{_ATOM}content")) or _text(entry.find(f"{_ATOM}summary"))
            items.append(_item(_text(entry.find(f"{_ATOM}title")), link, summary, when,
                               _text(entry.find(f"{_ATOM}id"))))
            if len(items) >= MAX_ITEMS:
                break
    else:
        entries = [el for el in root.iter() if el.tag.split("}")[-1] == "item"]
        if not entries and root.tag.split("}")[-1] not in ("rss", "RDF"):
            raise FeedError(f"not an RSS or Atom feed (root element <{root.tag}>)")
        for entry in entries[:MAX_ITEMS]:
            def child(name: str, entry: Element = entry) -> str | None:
                return next((_text(el) for el in entry if el.tag.split("}")[-1] == name), None)

            summary = _text(entry.find(_CONTENT)) or child("description")
            when = child("pubDate") or _text(entry.find(_DC_DATE))
            items.append(_item(child("title"), child("link"), summary, when, child("guid")))
    return [i for i in items if i.title or i.summary]


def _item(title: str | None, link: str | None, summary: str | None, when: str | None,
          guid: str | None) -> FeedItem:
    return FeedItem(
        title=strip_tags(title) or "",
        link=link.strip() if link else None,
        summary=strip_tags(summary),
        published_at=parse_datetime(when) if when else None,
        published_text=when,
        guid=guid,
    )
