"""Agency datelines: who a report credits («به گزارش ایسنا») and whom it quotes («به نقل از»).

The dateline is kept in the raw text but stripped from the sentence that is embedded and
summarized: it names the agency, not the event, and would make two reports of one source
look alike and one event from two sources look different.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.sources import Registry

# «به گزارش ایسنا،» «به گزارش خبرنگار سیاسی خبرگزاری تسنیم،» «به گزارش ایرنا از تهران،»
# optionally followed by «به نقل از اسکای نیوز،» in the same clause or the next.
_REPORT = re.compile(r"^به گزارش\s+(?P<who>[^،,:.؛«»]{1,80}?)\s*[،,]\s*")
_REPORT_CITING = re.compile(
    r"^به گزارش\s+(?P<who>[^،,:.؛«»]{1,60}?)\s+(?:و\s+)?به نقل از\s+(?P<cited>[^،,:.؛«»]{1,60}?)\s*[،,]\s*"
)
_CITING = re.compile(r"^(?:و\s+)?به نقل از\s+(?P<cited>[^،,:.؛«»]{1,80}?)\s*[،,]\s*")
# IRNA/YJC style: «تهران- ایرنا-» at the head of the first paragraph.
_CITY_AGENCY = re.compile(
    r"^(?P<city>[^\s\-–،]{2,20}(?:\s[^\s\-–،]{2,20})?)\s*[-–]\s*(?P<who>[^\s\-–،]{2,20})\s*[-–]\s*"
)
_CITING_ANYWHERE = re.compile(r"به نقل از\s+(?P<cited>[^،,:.؛«»]{2,40}?)\s*[،,]")
_MAX_CLAUSES = 3


@dataclass(frozen=True)
class Dateline:
    """What a sentence's dateline says, and the sentence without it."""

    text: str  # the sentence with the dateline removed
    attribution: str | None
    cited: tuple[str, ...]
    stripped: str  # the dateline itself, as written ("" when none)


def _agency(who: str, registry: Registry) -> str:
    """The registry key of the agency named inside ``who``, else ``who`` as written."""
    words = who.split()
    # Longest alias first: «خبرگزاری جمهوری اسلامی» before «اسلامی».
    for size in range(min(len(words), 4), 0, -1):
        for start in range(len(words) - size + 1):
            key = registry.known(" ".join(words[start : start + size]))
            if key:
                return key
    return who.strip()


def strip_dateline(sentence: str, registry: Registry, *, first: bool = True) -> Dateline:
    """Remove a leading agency dateline from a normalized sentence.

    ``first`` allows the «تهران- ایرنا-» form, which only heads a report's first paragraph.
    """
    text = sentence
    attribution: str | None = None
    cited: list[str] = []
    for _ in range(_MAX_CLAUSES):
        m = _REPORT_CITING.match(text)
        if m:
            attribution = attribution or _agency(m["who"], registry)
            cited.append(_agency(m["cited"], registry))
            text = text[m.end() :]
            continue
        m = _REPORT.match(text)
        if m:
            attribution = attribution or _agency(m["who"], registry)
            text = text[m.end() :]
            continue
        m = _CITING.match(text)
        if m:
            cited.append(_agency(m["cited"], registry))
            text = text[m.end() :]
            continue
        if first and attribution is None:
            m = _CITY_AGENCY.match(text)
            if m and registry.known(m["who"]):
                attribution = registry.known(m["who"])
                text = text[m.end() :]
                continue
        break
    stripped = sentence[: len(sentence) - len(text)].strip()
    return Dateline(text.strip(), attribution, tuple(dict.fromkeys(cited)), stripped)


def cited_outlets(text: str, registry: Registry) -> list[str]:
    """Known outlets a text quotes anywhere («... به نقل از خبرگزاری فارس، ...»)."""
    found = []
    for m in _CITING_ANYWHERE.finditer(text):
        key = _agency(m["cited"], registry)
        if registry.get(key) is not None:
            found.append(key)
    return found
