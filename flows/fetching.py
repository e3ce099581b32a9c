"""Poll a source's feeds and fetch its new article pages.

Two steps, both free of the database so they can run on any worker: :func:`poll_source`
reads the feeds (conditional GET with the validators the flow looked up), and
:func:`fetch_pages` turns the new items into articles. A page that cannot be fetched is
recorded as a reject (with the reason) and its report is still kept from the feed's own
title and summary: nothing the feed said is lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ingest.article import Draft, build_article
from ingest.dates import same_day
from ingest.feeds import FeedError, FeedItem, parse_feed
from ingest.fetch import Fetcher, FetchError, FetchParams
from ingest.models import Article, Reject, Role
from ingest.readers import DecodeError, decode_bytes
from ingest.sources import Registry, Source


class SourceFailed(Exception):
    """Every feed of a source failed."""


class FeedSelectionError(Exception):
    """A source name that the registry does not know."""


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
class SourcePoll:
    """What polling one source's feeds found."""

    source: str
    items: list[tuple[str, FeedItem]] = field(default_factory=list)  # (feed URL, item)
    polls: list[Poll] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """A source failed when none of its feeds could be read."""
        return bool(self.polls) and all(p.status == "failed" for p in self.polls)


@dataclass
class SourceResult:
    """What fetching one source produced: articles and rejects, and its polls."""

    source: str
    items: list[Article | Reject] = field(default_factory=list)
    polls: list[Poll] = field(default_factory=list)
    pages: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.polls) and all(p.status == "failed" for p in self.polls)

    def summary(self) -> dict[str, Any]:
        return {"source": self.source, "feeds": len(self.polls),
                "not_modified": sum(p.status == "not_modified" for p in self.polls),
                "failed_feeds": [f"{p.feed_url}: {p.error}" for p in self.polls if p.status == "failed"],
                "items": len(self.items), "pages": self.pages}


def poll_source(source: Source, validators: Mapping[str, tuple[str | None, str | None]],
                params: FetchParams, fetcher: Fetcher | None = None) -> SourcePoll:
    """Read every feed of ``source`` (a 304 means nothing new) into feed items."""
    result = SourcePoll(source.key)
    own = fetcher is None
    fetcher = fetcher or Fetcher(params)
    try:
        for feed_url in source.feeds:
            etag, modified = validators.get(feed_url, (None, None))
            try:
                got = fetcher.get(feed_url, etag, modified)
                if got.not_modified:
                    result.polls.append(Poll(feed_url, source.key, "not_modified"))
                    continue
                items = parse_feed(got.content or b"", got.url)  # relative links against the feed
            except (FetchError, FeedError) as err:
                result.polls.append(Poll(feed_url, source.key, "failed", error=str(err)))
                continue
            result.items.extend((feed_url, item) for item in items)
            result.polls.append(Poll(feed_url, source.key, "ok", len(items), got.etag, got.last_modified))
    finally:
        if own:
            fetcher.close()
    return result


def _feed_draft(item: FeedItem, source: str, feed_url: str) -> Draft:
    segments: list[tuple[Role, str]] = [(Role.TITLE, item.title)] if item.title else []
    if item.summary:
        segments.append((Role.BODY, item.summary))
    return Draft(tuple(segments), raw_text=f"{item.title}\n\n{item.summary or ''}", input_ref=item.link or feed_url,
                 external_id=item.guid, source=source, url=item.link, published_at=item.published_at,
                 published_text=item.published_text, published_time_known=item.published_time_known)


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
    if item.published_at is not None and (draft.published_at is None or (
            not draft.published_time_known and item.published_time_known
            and same_day(draft.published_at, item.published_at))):
        # the feed's date when the page states none, or its time of the day the page states
        draft = replace(draft, published_at=item.published_at, published_text=item.published_text,
                        published_time_known=item.published_time_known)
    if not any(role is Role.BODY for role, _ in draft.segments) and item.summary:
        draft = replace(draft, segments=(*draft.segments, (Role.BODY, item.summary)))
    return draft


def fetch_pages(items: Sequence[tuple[str, FeedItem]], source: str, registry: Registry, params: FetchParams,
                fetch: bool = True, fetcher: Fetcher | None = None) -> tuple[list[Article | Reject], int]:
    """Articles from feed items: each page fetched and parsed, or the feed's text if that fails."""
    out: list[Article | Reject] = []
    pages = 0
    own = fetcher is None
    fetcher = fetcher or Fetcher(params)
    try:
        for feed_url, item in items:
            draft = _feed_draft(item, source, feed_url)
            if fetch and item.link:
                try:
                    draft = _page_draft(fetcher, item, source)
                    pages += 1
                except FetchError as err:
                    out.append(Reject(item.link, err.reason, f"page not fetched: {err.detail}; "
                                      "kept the feed's title and summary instead"))
            out.append(build_article(draft, registry))
    finally:
        if own:
            fetcher.close()
    return out, pages


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


def validators_for(db: Any, source: Source) -> dict[str, tuple[str | None, str | None]]:
    """The stored ETag/Last-Modified of each of a source's feeds."""
    from storage.feeds import feed_validators

    with db.connect(read_only=not db.is_memory) as con:
        return {url: feed_validators(con, url) for url in source.feeds}


def new_items(db: Any, items: Sequence[tuple[str, FeedItem]]) -> list[tuple[str, FeedItem]]:
    """Items whose page URL no stored article has yet."""
    from storage.feeds import known_urls

    with db.connect(read_only=not db.is_memory) as con:
        stored = known_urls(con, [i.link for _, i in items if i.link])
    return [(f, i) for f, i in items if not (i.link and i.link in stored)]


def fetch_source(db: Any, source: Source, settings: Any, registry: Registry, fetcher: Fetcher) -> SourceResult:
    """Poll ``source`` and fetch its new pages, in this process (the flow splits the two)."""
    polled = poll_source(source, validators_for(db, source), settings.fetch, fetcher)
    articles, pages = fetch_pages(new_items(db, polled.items), source.key, registry, settings.fetch,
                                  settings.flow.fetch_pages, fetcher)
    return SourceResult(source.key, articles, polled.polls, pages)
