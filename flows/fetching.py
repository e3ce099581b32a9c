"""Poll a source's feeds and fetch its new article pages: items to ingest, and how it went.

A page that cannot be fetched is recorded as a reject (with the reason) and its report is
still kept from the feed's own title and summary: nothing the feed said is lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from flows.settings import Settings
from ingest.article import Draft, build_article
from ingest.feeds import FeedError, FeedItem, parse_feed
from ingest.fetch import Fetcher, FetchError
from ingest.models import Article, Reject, Role
from ingest.readers import DecodeError, decode_bytes
from ingest.sources import Registry, Source
from storage import Database
from storage.feeds import feed_validators, known_urls


@dataclass
class Poll:
    """One feed poll, to be recorded in ``feed_state``."""

    feed_url: str
    source: str
    status: str  # ok, not_modified, failed
    items: int = 0
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None


@dataclass
class SourceResult:
    """What fetching one source produced."""

    source: str
    items: list[Article | Reject] = field(default_factory=list)
    polls: list[Poll] = field(default_factory=list)
    pages: int = 0

    @property
    def failed(self) -> bool:
        """A source failed when none of its feeds could be read."""
        return bool(self.polls) and all(p.status == "failed" for p in self.polls)

    def summary(self) -> dict[str, Any]:
        return {"source": self.source, "feeds": len(self.polls),
                "not_modified": sum(p.status == "not_modified" for p in self.polls),
                "failed_feeds": [f"{p.feed_url}: {p.error}" for p in self.polls if p.status == "failed"],
                "items": len(self.items), "pages": self.pages}


def _feed_draft(item: FeedItem, source: str, feed_url: str) -> Draft:
    segments: list[tuple[Role, str]] = [(Role.TITLE, item.title)] if item.title else []
    if item.summary:
        segments.append((Role.BODY, item.summary))
    return Draft(tuple(segments), raw_text=f"{item.title}\n\n{item.summary or ''}", input_ref=item.link or feed_url,
                 external_id=item.guid, source=source, url=item.link, published_at=item.published_at,
                 published_text=item.published_text)


def _page_draft(fetcher: Fetcher, item: FeedItem, source: str) -> Draft:
    from ingest.html import parse_html

    assert item.link is not None
    fetched = fetcher.get(item.link)
    try:
        text = decode_bytes(fetched.content or b"")
    except DecodeError as err:
        raise FetchError(item.link, err.detail, err.reason) from err
    draft = parse_html(text, item.link, url=item.link, source=source, external_id=item.guid)
    if not any(role is Role.TITLE for role, _ in draft.segments) and item.title:
        draft = replace(draft, segments=((Role.TITLE, item.title), *draft.segments))
    if draft.published_at is None and item.published_at is not None:
        draft = replace(draft, published_at=item.published_at, published_text=item.published_text)
    if not any(role is Role.BODY for role, _ in draft.segments) and item.summary:
        draft = replace(draft, segments=(*draft.segments, (Role.BODY, item.summary)))
    return draft


def fetch_source(db: Database, source: Source, settings: Settings, registry: Registry,
                 fetcher: Fetcher) -> SourceResult:
    """Poll every feed of ``source``; fetch pages of items not stored yet."""
    result = SourceResult(source.key)
    for feed_url in source.feeds:
        with db.connect(read_only=not db.is_memory) as con:  # the run created the database
            etag, modified = feed_validators(con, feed_url)
        try:
            got = fetcher.get(feed_url, etag, modified)
            if got.not_modified:
                result.polls.append(Poll(feed_url, source.key, "not_modified"))
                continue
            items = parse_feed(got.content or b"")
        except (FetchError, FeedError) as err:
            result.polls.append(Poll(feed_url, source.key, "failed", error=str(err)))
            continue
        with db.connect(read_only=not db.is_memory) as con:
            stored = known_urls(con, [i.link for i in items if i.link])
        fresh = [i for i in items if not (i.link and i.link in stored)]
        for item in fresh:
            draft = _feed_draft(item, source.key, feed_url)
            if settings.flow.fetch_pages and item.link:
                try:
                    draft = _page_draft(fetcher, item, source.key)
                    result.pages += 1
                except FetchError as err:
                    result.items.append(Reject(item.link, err.reason, f"page not fetched: {err.detail}; "
                                               "kept the feed's title and summary instead"))
            result.items.append(build_article(draft, registry))
        result.polls.append(Poll(feed_url, source.key, "ok", len(items), got.etag, got.last_modified))
    return result


def selected_sources(registry: Registry, names: list[str] | None) -> list[Source]:
    """The registry's sources with feeds, or the named ones (unknown names are an error)."""
    if not names:
        return [s for s in registry.sources if s.feeds]
    out = []
    for name in names:
        key = registry.known(name)
        src = registry.get(key) if key else None
        if src is None:
            known = ", ".join(s.key for s in registry.sources)
            raise FeedSelectionError(f"unknown source {name!r}; the registry has: {known}")
        out.append(src)
    return out


class FeedSelectionError(Exception):
    """A source name that the registry does not know."""
