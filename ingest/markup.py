"""HTML in a text field (a feed item's description, a JSON or CSV record's body) as plain text.

lxml's HTML parser reads the markup and decodes the entities («&zwnj;», «&#8204;», «&amp;»);
what is shown to nobody (scripts, styles) is dropped, and each block element («<p>»,
«<div>», «<li>», «<br>») ends a paragraph. A field with no tag and no entity is plain text
and is returned as it is, a literal «<» included.
"""

from __future__ import annotations

import html.entities
import re
from functools import cache

# Elements whose content is no text for a reader.
_DROPPED = ("script", "style", "template", "head", "title")
_BR = "br"
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|([A-Za-z][A-Za-z0-9]{1,31}));")
_TAG_START = re.compile(r"<(?:!--|/?([A-Za-z][A-Za-z0-9]*)(?=[\s/>]))")
_LT = re.compile(r"<")
_SPACES = re.compile(r"[ \t\r\f\v]+")


@cache
def _tags() -> frozenset[str]:
    from lxml.html import defs

    return frozenset(defs.tags)


@cache
def _blocks() -> frozenset[str]:
    from lxml.html import defs

    return frozenset(defs.block_tags | defs.html5_tags | {"html", "body", _BR})


def _is_tag_start(m: re.Match[str]) -> bool:
    name = m.group(1)
    return name is None or name.lower() in _tags()  # None: «<!--», a comment


def holds_html(text: str) -> bool:
    """Whether ``text`` has an HTML tag (of an element HTML knows) or a character reference."""
    if any(_is_tag_start(m) for m in _TAG_START.finditer(text)):
        return True
    return any(m.group(1) is None or f"{m.group(1)};" in html.entities.html5 for m in _ENTITY.finditer(text))


def _escape_stray_lt(text: str) -> str:
    """«<» that starts no tag is text («قیمت < ۱۰۰», «x<y»): written as «&lt;», or the
    parser would read «<y and ...>» as an element and lose the words in it."""
    starts = {m.start() for m in _TAG_START.finditer(text) if _is_tag_start(m)}
    return _LT.sub(lambda m: "<" if m.start() in starts else "&lt;", text)


def html_text(text: str, paragraphs: bool = True) -> str:
    """The text a reader sees in ``text``: tags dropped, entities decoded, each block element
    a line of its own (one line when ``paragraphs`` is False, as for a title).

    Text that :func:`holds_html` says is no HTML comes back unchanged.
    """
    if not holds_html(text):
        return text
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(_escape_stray_lt(text), create_parent="div")
    except (etree.ParserError, ValueError):
        return text
    blocks = _blocks()
    for el in list(root.iter()):
        if not isinstance(el.tag, str):  # comments and processing instructions: no text
            continue
        name = el.tag.lower()
        if name in _DROPPED:
            el.drop_tree()
        elif name in blocks and el is not root:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    lines = (_SPACES.sub(" ", line).strip() for line in root.text_content().split("\n"))
    return ("\n" if paragraphs else " ").join(line for line in lines if line)
