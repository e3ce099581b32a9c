"""Sentences that stand alone: a quoted «وی افزود» gets its speaker back, or is not quoted.

A summary and a per-source list take sentences out of their reports. «وی افزود: دید افقی
کمتر از ۲۰ متر بود» then names no one, and «"مصدومان منتقل شدند"» is a quote without a
speaker. Agency copy names the speaker once («رئیس پلیس‌راه استان اصفهان گفت ...») and
refers back with a pronoun or «این مقام ...» after; reading the report in order and keeping
the last named speaker resolves these the way a reader does. When the last attribution was
to no one in particular («به گفته مسئولان»), the chain is broken and the sentence is shown
nowhere rather than with a guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

# Pronouns and pronoun-like phrases («این مقام انتظامی») that refer back to a speaker.
_PRONOUNS = ("وی", "او", "ایشان")
_PERSON_NOUNS = {"مقام", "مسئول", "نماینده", "کارشناس", "مدیر", "فرمانده", "سخنگو", "عضو", "وزیر", "استاندار",
                 "فرماندار", "رئیس", "معاون", "دیپلمات", "سیاستمدار", "بازیکن", "مربی", "سرمربی", "استاد",
                 "پژوهشگر", "نویسنده", "فعال", "چهره", "مقام‌", "مدیرکل", "دبیر", "قاضی", "دادستان", "پزشک",
                 "متخصص", "شاهد", "مسئولان", "مقامات", "نامزد", "کاندیدا", "سفیر", "فرد"}
# Adjectives that may follow «این مقام»: kept inside the phrase the speaker is attached to
# (most end in «ی»: «انتظامی», «قضایی»; these do not).
_ADJECTIVES = {"مسئول", "ارشد", "عالی‌رتبه", "بلندپایه", "محلی", "سابق", "پیشین"}
_NOT_ADJECTIVES = {"برای", "ولی", "وقتی", "یعنی", "کسی", "چیزی", "همچنین", "سپس", "نیز", "هم"}
# Words that open a sentence without changing who speaks in it.
_CONNECTORS = ("همچنین", "سپس", "در ادامه", "در پایان", "علاوه بر این", "افزون بر این", "بنابراین", "اما",
               "ولی", "در همین حال", "در عین حال", "از سوی دیگر", "از طرفی", "با این حال", "و")
_SPEECH_VERBS = (
    "گفت", "افزود", "ادامه داد", "اظهار کرد", "اظهار داشت", "تصریح کرد", "تأکید کرد", "تاکید کرد",
    "خاطرنشان کرد", "خاطر نشان کرد", "عنوان کرد", "اعلام کرد", "بیان کرد", "بیان داشت", "خبر داد",
    "یادآور شد", "یادآوری کرد", "توضیح داد", "اضافه کرد", "هشدار داد", "خواستار شد", "اذعان کرد",
    "تشریح کرد", "می‌گوید", "گفته است", "نوشت", "خواست", "گزارش داد", "ابراز کرد", "اعلام داشت",
)
_VERB = re.compile(r"(?:^|\s)(?:" + "|".join(re.escape(v) for v in _SPEECH_VERBS) + r")(?=$|[\s:،.؛])")
# Where a speaker's name ends and the rest of the clause begins («مدیرکل هواشناسی استان اصفهان
# | امروز گفت», «رئیس مرکز اورژانس استان اصفهان | از مصدومیت ۱۱ نفر ... خبر داد»).
_SUBJECT_END = re.compile(
    r"\s(?:امروز|دیروز|امشب|روز|صبح|ظهر|عصر|شب|بامداد|در|از|با|ضمن|طی|پس|پیش|که|هم|نیز|همچنین|روز|"
    r"به|برای|درباره|دربارهٔ|طی|بر|تا|ساعاتی|لحظاتی|هفته|سه‌شنبه|شنبه|یکشنبه|دوشنبه|چهارشنبه|پنجشنبه|"
    r"جمعه|اخیرا|اخیراً|سرانجام|بار)(?=\s|$)|[،:؛(]"
)
_ACCORDING = re.compile(r"^به گفته\s+([^،,:]{2,80}?)\s*[،,]")
_CITING_WHOM = re.compile(r"^به نقل از\s+([^،,:]{2,80}?)\s*[،,]")
# «به نقل از X،» stays: it says whose words follow.
_DATELINE = re.compile(r"^(?:به گزارش\s+[^،,:.؛«»]{1,80}?\s*[،,]\s*)+")
# A city–agency head of the first paragraph, either order: «ایرنا - اصفهان -», «تهران- ایرنا-».
_PLACE = r"[^\s\-–،:«]{2,20}(?:\s[^\s\-–،:«]{2,20})?"
_CITY_AGENCY = re.compile(rf"^{_PLACE}\s*[-–]\s*{_PLACE}\s*[-–]\s+")
# Speakers that are no one in particular: a sentence after them cannot be placed.
_VAGUE = {"مسئولان", "مقامات", "منابع", "برخی", "کارشناسان", "شاهدان", "گزارش‌ها", "مردم", "منابع آگاه",
          "منابع محلی", "مقام‌ها", "مسئولین", "ناظران", "برخی منابع", "یک منبع", "یکی", "شاهدان عینی",
          "اهالی", "ساکنان", "رسانه‌ها", "کاربران", "مسافران", "حاضران"}
_MAX_SPEAKER_WORDS = 9


def strip_dateline(text: str, first: bool = False) -> str:
    """A sentence without its agency dateline («به گزارش ایسنا،»; in a first sentence also
    «ایرنا - اصفهان -», which ingest leaves when the agency comes before the city)."""
    out = _DATELINE.sub("", text)
    if first:
        out = _CITY_AGENCY.sub("", out, count=1)
    return out.strip() or text


# What a sentence opening with a connector starts with: most sentences open with none, and
# are given back after one check (five per sentence: a 1,000-report window asked 66,000 times).
_CONNECTOR_OPENINGS = tuple(c + end for c in _CONNECTORS for end in (" ", "،"))


def _without_connectors(text: str) -> str:
    if not text.startswith(_CONNECTOR_OPENINGS):
        return text
    changed = True
    while changed:
        changed = False
        for c in _CONNECTORS:
            if text.startswith(c + " ") or text.startswith(c + "،"):
                text = text[len(c):].lstrip(" ،")
                changed = True
    return text


def pronoun_opening(text: str) -> str | None:
    """The pronoun phrase a sentence opens with («وی», «به گفته او», «این مقام انتظامی»), or None."""
    body = _without_connectors(strip_dateline(text))
    lead = text[: len(text) - len(body)]
    m = re.match(r"^به گفته\s+", body)
    prefix = m.group(0) if m else ""
    words = body[len(prefix):].split()
    if not words:
        return None
    first = words[0].rstrip("،:")
    if first in _PRONOUNS:
        phrase = [words[0].rstrip("،:")]
    elif first in ("این", "همین") and len(words) > 1 and words[1].rstrip("،:") in _PERSON_NOUNS:
        phrase = [first, words[1].rstrip("،:")]
        third = words[2].rstrip("،:") if len(words) > 2 else ""
        if (third and not words[1].endswith(("،", ":"))
                and (third in _ADJECTIVES or (third.endswith("ی") and third not in _NOT_ADJECTIVES))):
            phrase.append(third)
    else:
        return None
    return lead + prefix + " ".join(phrase)


_OPEN_QUOTES = "«“\""
_CLOSE_QUOTES = "»”\""


def is_bare_quote(text: str) -> bool:
    """True when the sentence is quotation with no speaker in it: one whole quote, or the
    first or last piece of a quote the sentence splitter cut in two («... . ...»)."""
    body = _without_connectors(strip_dateline(text)).rstrip(" .!؟?")
    if not body:
        return False
    opens = sum(body.count(q) for q in "«“")
    closes = sum(body.count(q) for q in "»”")
    if body[0] in _OPEN_QUOTES and body[-1] in _CLOSE_QUOTES:
        if '"' in (body[0], body[-1]):
            return body.count('"') == 2
        return opens == 1 and closes == 1
    if body[0] in "«“" and closes == 0:
        return True  # a quote's first sentence, its end in the next
    return body[-1] in "»”" and opens == 0  # a quote's last sentence


class Said(Enum):
    """What a sentence says about who is speaking."""

    NOTHING = "nothing"  # no attribution: narration, or a quote
    PRONOUN = "pronoun"  # the same speaker as before («وی افزود»)
    NAMED = "named"  # a new speaker, named
    VAGUE = "vague"  # someone unnamed («به گفته مسئولان»): the chain breaks


@dataclass(frozen=True)
class Attribution:
    """Who a sentence says is speaking."""

    said: Said
    speaker: str = ""


def _judge(subject: str) -> Attribution:
    subject = subject.strip(" ،:«»\"")
    subject = re.sub(r"[«»]", "", subject).strip()
    words = subject.split()
    if not words or len(words) > _MAX_SPEAKER_WORDS:
        return Attribution(Said.NOTHING)
    if words[0] in _PRONOUNS or (words[0] in ("این", "همین") and len(words) > 1 and words[1] in _PERSON_NOUNS):
        return Attribution(Said.PRONOUN)
    if subject in _VAGUE or words[0] in _VAGUE:
        return Attribution(Said.VAGUE)
    if words[0] in ("این", "آن", "همین", "چنین", "هر", "هیچ", "یک") or any(ch.isdigit() for ch in subject):
        return Attribution(Said.NOTHING)  # «این حادثه خبر داد» is no speaker
    return Attribution(Said.NAMED, subject)


def attribution(text: str) -> Attribution:
    """Who the sentence names as speaking: «X گفت ...», «X از ... خبر داد», «به گفته X، ...»."""
    cited = _CITING_WHOM.match(_without_connectors(text))
    if cited and _judge(cited.group(1)).said is Said.VAGUE:
        return Attribution(Said.VAGUE)  # «به نقل از شاهدان عینی، ...»: no one in particular
    body = _without_connectors(strip_dateline(text, first=True))
    m = _ACCORDING.match(body)
    if m:
        return _judge(m.group(1))
    if is_bare_quote(body):
        return Attribution(Said.NOTHING)
    verb = _VERB.search(body)
    if verb is None:
        return Attribution(Said.NOTHING)
    head = body[: verb.start()]
    end = _SUBJECT_END.search(" " + head)
    subject = head[: max(end.start() - 1, 0)] if end else head
    return _judge(subject)


def _with_speaker(text: str, speaker: str) -> str:
    opening = pronoun_opening(text)
    if opening is not None:
        return f"{opening} ({speaker}){text[len(opening):]}"
    body = strip_dateline(text)
    # a piece of a quote the splitter cut is shown as a piece: «… what was said …»
    if body[0] in "«“" and not any(q in body for q in "»”"):
        body += " …»"
    elif body.rstrip(" .!؟?")[-1:] in ("»", "”") and not any(q in body for q in "«“"):
        body = "«… " + body
    return f"{speaker}: {body}"


def standalone_texts(sentences: Sequence[str]) -> list[str | None]:
    """Each sentence of one report as a reader can take it alone, or None where it cannot be.

    ``sentences`` are the report's content sentences in order (no title). A sentence that
    opens with a pronoun or is a bare quote gets the last named speaker inserted
    («وی (رئیس پلیس‌راه استان اصفهان) افزود: ...»); with no such speaker it is None.
    Every other sentence comes back as written, without its dateline.
    """
    out: list[str | None] = []
    speaker: str | None = None
    for i, text in enumerate(sentences):
        said = attribution(text)
        if said.said is Said.NAMED:
            speaker = said.speaker
        elif said.said is Said.VAGUE:
            speaker = None
        if pronoun_opening(text) is not None or is_bare_quote(text):
            out.append(_with_speaker(text, speaker) if speaker else None)
        else:
            out.append(strip_dateline(text, first=i == 0))
    return out
