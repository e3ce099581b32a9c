"""Chrome of article pages: the site's parts around the article, and the chrome inside it.

The site's header, navigation, sidebars and footers are found by tag and by class/id words;
inside the article container, hidden elements, tag and category lists, share buttons and
"read also" boxes (trafilatura keeps these when they sit inside the article; issue 13).
A class word is a hint and prose is evidence: an element that holds sentences is kept.
"""

from __future__ import annotations

import re
from typing import Any

# Elements that are the site's, not the article's: nothing in them is read for a date, and
# they are removed before extraction. Matched on tag names and on class/id words.
OUTSIDE_TAGS = frozenset({"header", "nav", "aside", "footer"})
OUTSIDE_WORDS = re.compile(
    r"(?:^|[\s_-])(?:header|top[-_]?bar|navbar|menu|sidebar|side[-_]?bar|side[-_]?news|footer|clock|"
    r"today|date[-_]?today|date[-_]?time|header[-_]?time|most[-_]?viewed|most[-_]?visited|popular|"
    r"trending|related|related[-_]?news|more[-_]?news|other[-_]?news|latest|latest[-_]?news|ticker|"
    r"marquee|breaking)(?:$|[\s_-])", re.IGNORECASE)
# Chrome inside the article container: hidden text, tags and categories, share and print
# buttons, "read also" boxes. Matched on class/id words (ISNA, Mehr, Tasnim, Khabaronline,
# Tabnak, Hamshahri and BBC Persian pages use these).
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:hidden|d-none|sr-only|visually-hidden|invisible|tags?|tag-?list|keywords?|"
    r"categor(?:y|ies)|breadcrumbs?|share|sharing|social|print|rating|comments?|read-?also|"
    r"see-?also|read-?more|readmore|suggest(?:ed|ion)?|related|advert\w*|ads?|banner|promo)"
    r"(?:$|[\s_-])", re.IGNORECASE)
# Sentence ends followed by more text: two of them make an element prose, not a box of links.
_PROSE_END = re.compile(r"[.!?؟](?=\s+\S)")
_MIN_PROSE_SENTENCES = 2
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
# The label of a box of other reports inside an article («بیشتر بخوانید: ...»).
_READ_ALSO = re.compile(
    r"^\s*(?:بیشتر بخوانید|بخوانید|همچنین بخوانید|این را هم بخوانید|پیشنهاد (?:ما|سردبیر|ویژه)|"
    r"مطالب مرتبط|اخبار مرتبط|خبرهای مرتبط|مطلب مرتبط|برچسب[\u200c ]?ها|کلید[\u200c ]?واژه[\u200c ]?ها|"
    r"موضوعات مرتبط|تگ[\u200c ]?ها)\s*[:：]?")
_BLOCKS = frozenset({"p", "div", "section", "aside", "ul", "ol", "li", "span", "figure", "table", "blockquote"})
_MAX_CHROME_CHARS = 2000  # a box of tags or links; an element longer than this holds the report
_MAX_READ_ALSO_CHARS = 600


def classes(el: Any) -> str:
    """An element's class and id, for word matching."""
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def text_upto(el: Any, limit: int) -> str:
    """The start of an element's text, at most about ``limit`` characters (bounded work on
    a container that holds the whole page)."""
    parts: list[str] = []
    size = 0
    for piece in el.itertext():
        parts.append(piece)
        size += len(piece)
        if size > limit:
            break
    return " ".join(" ".join(parts).split())  # pieces of different elements stay apart


def is_inside(el: Any, ancestor: Any) -> bool:
    """Whether ``el`` lies strictly inside ``ancestor`` (False when either is None)."""
    if ancestor is None or el is None:
        return False
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def remove_chrome(tree: Any, headline: Any = None, page_lines: tuple[Any, ...] = ()) -> None:
    """Remove the site's chrome from a parsed page, inside the article container too."""
    doomed = [el for el in page_lines if el is not headline and not is_inside(headline, el)]
    for el in tree.iter():
        if not isinstance(el.tag, str) or el.tag in ("html", "body", "head"):
            continue
        if el is headline or is_inside(headline, el):
            continue  # never the headline, nor what holds it
        hidden = (el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true"
                  or _HIDDEN_STYLE.search(el.get("style") or ""))
        if hidden:
            doomed.append(el)
            continue
        if el.tag in OUTSIDE_TAGS:
            doomed.append(el)
            continue
        if OUTSIDE_WORDS.search(classes(el)) or _CHROME_WORDS.search(classes(el)):
            text = text_upto(el, _MAX_CHROME_CHARS)
            # a class word is a hint, prose is evidence: «<div class="category-body">» that
            # holds the report's sentences is kept
            if len(text) <= _MAX_CHROME_CHARS and len(_PROSE_END.findall(text)) < _MIN_PROSE_SENTENCES:
                doomed.append(el)
            continue
        if el.tag in _BLOCKS:
            start = text_upto(el, _MAX_READ_ALSO_CHARS)
            if len(start) <= _MAX_READ_ALSO_CHARS and _READ_ALSO.match(start):
                doomed.append(el)
    for el in doomed:
        _drop_keep_tail(el)


def _drop_keep_tail(el: Any) -> None:
    """Remove an element but keep the text that follows it (its tail) in the document."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    previous = el.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)
