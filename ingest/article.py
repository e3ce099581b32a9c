"""Turn what a reader extracted (a :class:`Draft`) into a normalized :class:`Article`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ingest import normalize as nz
from ingest.attribution import cited_outlets, strip_dateline
from ingest.boilerplate import is_chrome_line
from ingest.models import (
    Article,
    Reject,
    RejectReason,
    Role,
    Sentence,
    content_hash,
    make_article_id,
)
from ingest.sources import Registry

# A body sentence repeating the lead: the share of its words found in the lead, and the
# reverse. Seed 000's lead returns in the body with two extra words («لوید آستین،»), which
# gives 0.91 and 1.0; different sentences of one report stay below 0.6.
_COPY_CONTAINMENT = 0.8
# Persian text is mostly Arabic-script letters; quotes of English names stay well below
# this share. Measured on the dev sets: every Persian item is above 0.85.
_MIN_PERSIAN_SHARE = 0.5
_MAX_TITLE_CHARS = 300
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Draft:
    """An article as a reader found it: raw segments in document order, plus metadata."""

    segments: tuple[tuple[Role, str], ...]  # (role, raw text); the title first if known
    raw_text: str
    input_ref: str
    external_id: str | None = None
    source: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    published_text: str | None = None
    published_time_known: bool = True  # False when only the day was printed (see Article)
    site_name: str | None = None  # the name a page gives its site (og:site_name)
    # A page read from its site: when its text credits no agency, the site is the agency
    # (by og:site_name, else by the domain of its URL; issue 13).
    credits_site: bool = False
    # ``external_id`` is a file's name («index», «news»), which two folders can share: the
    # report is then known by its URL, else by that name and its text, not by the name alone.
    id_is_file_name: bool = False


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.replace("\u200c", "")))


def _is_copy(a: set[str], b: set[str]) -> bool:
    """Whether a sentence with words ``a`` repeats an earlier one with words ``b``."""
    if len(a) < 4 or len(b) < 4:
        return False
    common = len(a & b)
    return common / len(b) >= _COPY_CONTAINMENT and common / len(a) >= _COPY_CONTAINMENT - 0.15


def _site_key(site_name: str | None, registry: Registry) -> str | None:
    """The registry key of a page's site name: «خبرگزاری مهر | اخبار ایران و جهان | Mehr News
    Agency» names Mehr in its first part."""
    if not site_name:
        return None
    for part in (site_name, *re.split(r"\s+[|\-–—]\s+", site_name)):
        if part.strip() and (key := registry.outlet(part)):
            return key
    return None


def build_article(draft: Draft, registry: Registry) -> Article | Reject:
    """Normalize, split into sentences, strip datelines, mark chrome and near-copies."""
    sentences: list[Sentence] = []
    attribution: str | None = None
    cited: list[str] = []
    title: str | None = None
    lead_parts: list[str] = []
    body_lines: list[str] = []
    for role, raw in draft.segments:
        text = nz.normalize(raw)
        if not text:
            continue
        if role is Role.TITLE:
            title = nz.normalize_line(text)[:_MAX_TITLE_CHARS]
            sentences.append(Sentence(len(sentences), title, Role.TITLE))
            continue
        if role is not Role.BOILERPLATE:
            body_lines.extend(text.split("\n"))
        for piece in nz.split_sentences(text):
            if role is Role.BOILERPLATE or is_chrome_line(piece):
                sentences.append(Sentence(len(sentences), piece, Role.BOILERPLATE))
                continue
            # «تهران- ایرنا-» heads the first paragraph of the body (a lead may come before it)
            first = not any(s.role is Role.BODY for s in sentences) and (
                role is Role.BODY or not any(s.role is Role.LEAD for s in sentences))
            line = strip_dateline(piece, registry, first=first)
            attribution = attribution or line.attribution
            cited.extend(line.cited)
            if not line.text:
                continue
            if role is Role.LEAD:
                lead_parts.append(line.text)
            sentences.append(Sentence(len(sentences), line.text, role))

    content = [s for s in sentences if s.role is not Role.BOILERPLATE]
    if not content or (len(content) == 1 and content[0].role is Role.TITLE and not title):
        return Reject(draft.input_ref, RejectReason.NO_TEXT, "no title or body text", draft.raw_text[:200])
    all_text = " ".join(s.text for s in content)
    share = nz.persian_letter_share(all_text)
    if share < _MIN_PERSIAN_SHARE:
        return Reject(
            draft.input_ref,
            RejectReason.NOT_PERSIAN,
            f"only {share:.0%} of the letters are Persian/Arabic script",
            draft.raw_text[:200],
        )
    if title is None:
        # No headline line (seed 001 starts with its body): the first sentence stands in.
        title = content[0].text[:_MAX_TITLE_CHARS]

    final: list[Sentence] = []
    words: list[set[str]] = []  # each sentence's words, computed once (issue 15)
    for s in sentences:
        copy_of = None
        own = _words(s.text) if s.role is not Role.BOILERPLATE else set()
        if s.role is not Role.BOILERPLATE:
            for earlier, earlier_words in zip(final, words, strict=True):
                if earlier.is_content and _is_copy(own, earlier_words):
                    copy_of = earlier.position
                    break
        words.append(own)
        lem = nz.lemmas(s.text) if s.role is not Role.BOILERPLATE else ()
        final.append(Sentence(s.position, s.text, s.role, lem, copy_of))

    cited.extend(cited_outlets(" ".join(body_lines), registry))
    key_text = "\n".join(s.text for s in final if s.is_content)
    # A report without a named source is its site's (a saved feed item or page, by the
    # domain of its URL); the agency it credits is a different thing (attribution).
    source = registry.resolve(draft.source) if draft.source else registry.by_url(draft.url)
    if draft.credits_site:
        site = _site_key(draft.site_name, registry)
        source = source or site
        attribution = attribution or site or source
    return Article(
        article_id=(make_article_id(source, None, draft.url, f"{draft.external_id}\n{key_text}")
                    if draft.id_is_file_name else make_article_id(source, draft.external_id, draft.url, key_text)),
        title=title,
        body="\n".join(body_lines),
        sentences=tuple(final),
        raw_text=draft.raw_text,
        content_hash=content_hash(key_text),
        input_ref=draft.input_ref,
        external_id=draft.external_id,
        source=source,
        attribution=attribution,
        cited=tuple(c for c in dict.fromkeys(cited) if c != attribution),
        lead=" ".join(lead_parts) or None,
        url=draft.url,
        published_at=draft.published_at,
        published_text=draft.published_text,
        published_time_known=draft.published_at is not None and draft.published_time_known,
    )
