"""The records ingestion produces: articles with their sentences, and rejects."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What a sentence is to its article; only title, lead and body sentences are content."""

    TITLE = "title"
    LEAD = "lead"
    BODY = "body"
    BOILERPLATE = "boilerplate"


class RejectReason(StrEnum):
    """Why an input could not become an article (one row in ``rejects`` each)."""

    EMPTY = "empty"
    BINARY = "binary"
    UNDECODABLE = "undecodable"
    NOT_PERSIAN = "not_persian"
    TOO_LARGE = "too_large"
    MALFORMED = "malformed"
    NO_TEXT = "no_text"
    UNSUPPORTED = "unsupported"
    FETCH_FAILED = "fetch_failed"
    ID_TAKEN = "id_taken"  # a report's own id is stored already, with other text: the stored one is kept


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, normalized; ``copy_of`` marks a near-copy of another."""

    position: int
    text: str
    role: Role
    lemmas: tuple[str, ...] = ()
    copy_of: int | None = None  # position of the sentence this one repeats (lead echoed in body)

    @property
    def is_content(self) -> bool:
        """True for sentences later stages may count, embed and quote."""
        return self.role is not Role.BOILERPLATE and self.copy_of is None


@dataclass(frozen=True)
class Article:
    """One report from one source, normalized, with the raw text it came from."""

    article_id: str
    title: str
    body: str
    sentences: tuple[Sentence, ...]
    raw_text: str
    content_hash: str
    input_ref: str  # where it came from: file path (and line), or feed URL
    external_id: str | None = None
    source: str | None = None  # the publisher: where it came from
    attribution: str | None = None  # the agency the text credits («به گزارش ایسنا»)
    cited: tuple[str, ...] = ()  # outlets the text quotes («به نقل از اسکای نیوز»)
    lead: str | None = None
    url: str | None = None
    published_at: datetime | None = None  # aware, UTC; None when the input gave no date
    published_text: str | None = None  # the text the date was read from
    # False when the input printed the day only («۹ اسفند ۱۴۰۴», "2026-02-28"): published_at
    # is then the day's start in Tehran and says nothing about the time of day (issue 13).
    published_time_known: bool = True
    duplicate_of: str | None = None  # article_id of the original when this is a wire copy

    def content_sentences(self) -> list[Sentence]:
        """Title, lead and body sentences, without boilerplate and near-copies."""
        return [s for s in self.sentences if s.is_content]


@dataclass(frozen=True)
class Reject:
    """An input that did not become an article, with the reason and a human detail."""

    input_ref: str
    reason: RejectReason
    detail: str
    sample: str = field(default="", repr=False)  # the first bytes, for a person to look at


def content_hash(text: str) -> str:
    """Stable hash of a text, the key of the embedding cache and of exact duplicates."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def make_article_id(source: str | None, external_id: str | None, url: str | None, text: str) -> str:
    """Identity of an article: its source's own id, else its URL, else its text.

    The same report ingested twice gets the same id, which makes the upsert idempotent.
    """
    if external_id:
        key = f"id:{source or ''}:{external_id}"
    elif url:
        key = f"url:{url}"
    else:
        key = f"text:{content_hash(text)}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()
