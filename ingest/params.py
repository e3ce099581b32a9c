"""Ingestion parameters: one frozen dataclass with its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The usual names of each field in JSON, JSONL and CSV exports of news sites and datasets,
# tried in this order. A user's config can replace any list (``[ingest.fields]``).
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "id": ("id", "guid", "article_id", "news_id", "uid"),
    "title": ("title", "headline", "subject"),
    "body": ("body", "text", "content", "article", "full_text", "fulltext"),
    "lead": ("lead", "summary", "description", "abstract", "teaser"),
    "published": ("published", "published_at", "pubDate", "pub_date", "date", "datetime", "time"),
    "url": ("url", "link", "href", "canonical_url"),
    "source": ("source", "agency", "publisher", "site", "outlet"),
}


@dataclass(frozen=True)
class IngestParams:
    """How inputs are read and what is refused."""

    max_file_bytes: int = 20_000_000  # a saved page or HTML file; larger is not one article
    max_record_bytes: int = 2_000_000  # one JSON line or CSV row
    registry: Path | None = None  # the source registry; None = the bundled data/sources.toml
    fields: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_FIELDS))
    # share of the shorter text's word 5-grams found in an earlier text above which it is a
    # wire copy (a copy that drops a paragraph keeps ~0.97; two agencies' reports stay < 0.1)
    near_duplicate_threshold: float = 0.8
