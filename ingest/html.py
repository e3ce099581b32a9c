"""HTML pages into drafts, read as a reader sees them.

trafilatura (maintained, the best scorer on news extraction benchmarks) returns the main
text. Before it runs, the page's chrome is removed inside the article container too:
hidden elements, "read also" boxes, tag and category lists (trafilatura keeps them when
they sit inside the article; issue 13). The facts come from the page itself, in order of
trust (:mod:`ingest.page_meta`): the headline, the publication time from structured data,
then from the Persian date printed beside the headline, never from a header clock or a
sidebar. Scripts are never executed: the HTML is parsed as data.
"""

from __future__ import annotations

import logging
from typing import Any

from ingest.article import Draft
from ingest.dates import same_day
from ingest.models import Role
from ingest.normalize import normalize_line
from ingest.page_chrome import remove_chrome
from ingest.page_meta import Published, page_facts
from ingest.pages import publication_time

# trafilatura drops characters it deems unprintable, ZWNJ among them, which would store
# «زلزلهای» for «زلزله‌ای» (found by tests/test_hostile.py). It is carried through as a
# Latin marker that no extractor touches, and put back afterwards.
_ZWNJ_FORMS = ("\u200c", "&zwnj;", "&#8204;", "&#x200c;", "&#x200C;")


def _protect_zwnj(html: str) -> tuple[str, str]:
    marker = "zwnjq"
    while marker in html:
        marker += "q"
    for form in _ZWNJ_FORMS:
        html = html.replace(form, marker)
    return html, marker


def _tree(html: str) -> Any:
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(html)
    except ValueError:
        # lxml refuses a str that carries an XML encoding declaration (saved XHTML pages);
        # the text is already decoded, so it is given as UTF-8 bytes with that encoding
        try:
            parser = lxml.html.HTMLParser(encoding="utf-8")
            return lxml.html.document_fromstring(html.encode("utf-8", "replace"), parser=parser)
        except (etree.ParserError, ValueError):
            return None
    except etree.ParserError:
        return None


class _Discarded(logging.Filter):
    """Drops trafilatura's «discarding data: None» warning: it says the page had no main
    text, which the caller records as a reject with its reason (a page without text printed
    it on the user's terminal; the eighth newcomer's edge/notext.html)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("discarding data")


_DISCARDED = _Discarded()


def parse_html(html: str, input_ref: str, url: str | None = None, source: str | None = None,
               external_id: str | None = None) -> Draft:
    """A draft from an HTML page: main text by trafilatura, title/lead/time/site from the page."""
    import trafilatura

    core = logging.getLogger("trafilatura.core")
    if _DISCARDED not in core.filters:  # once, when a page is first read: no import-time side effect
        core.addFilter(_DISCARDED)
    protected, marker = _protect_zwnj(html)
    tree = _tree(protected)
    facts = page_facts(tree, marker)
    text = ""
    if tree is not None:
        remove_chrome(tree, facts.headline, facts.page_lines)
        text = trafilatura.extract(tree, include_comments=False, include_tables=False,
                                   include_images=False, favor_precision=True) or ""
    text = text.replace(marker, "\u200c")
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    norm = [normalize_line(ln) for ln in lines]
    # trafilatura often repeats the headline and the lead as the first lines of the text.
    drop = {normalize_line(t) for t in (facts.title, facts.lead) if t}
    segments: list[tuple[Role, str]] = []
    if facts.title:
        segments.append((Role.TITLE, facts.title))
    if facts.lead:
        segments.append((Role.LEAD, facts.lead))
    segments.extend((Role.BODY, ln) for ln, n in zip(lines, norm, strict=True) if n not in drop)
    published = facts.published
    if published is None or not published.time_known:
        # a labelled date line in the extracted text («تاریخ انتشار: ...») beats htmldate's
        # day, and gives the time of a day the page stated alone
        found = publication_time(lines, norm)
        if found is not None and (published is None or published.text.startswith("htmldate")
                                  or (found.time_known and same_day(found.when, published.when))):
            published = Published(found.when, found.text, found.time_known)
    return Draft(
        segments=tuple(segments),
        raw_text=html,
        input_ref=input_ref,
        external_id=external_id,
        url=url or facts.url,
        source=source,
        published_at=published.when if published else None,
        published_text=published.text if published else None,
        published_time_known=published.time_known if published else False,
        site_name=facts.site_name,
        credits_site=True,
    )
