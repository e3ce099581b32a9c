"""What a sentence states, for telling one fact told twice from two facts.

Sentence vectors miss it both ways: «در این حادثه ۱۱ نفر مصدوم شدند» and «رئیس اورژانس از
مصدومیت ۱۱ نفر خبر داد» are one fact at a cosine below any redundancy bar, while two
agencies' different figures can sit above it. What a reader counts as a fact is its figures
(a number with what it counts), the names and places it is about, and what was quoted. So two
sentences state the same fact when they give the same figure, quote the same words, or say
the same content words; the cosine remains one more witness, not the judge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫", "01234567890123456789.")
_NUMBER = re.compile(r"^\d+(?:[.,/]\d+)*$")
# Number words that count things in news copy, taken only before a counting noun («هفت دستگاه
# آمبولانس», not «دو کشور»). «یک» (also "a"), «نه» (also "not") and «ده» (also "village") are
# left out: as words they are more often something else.
_NUMBER_WORDS = {
    "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "یازده": 11, "دوازده": 12,
    "سیزده": 13, "چهارده": 14, "پانزده": 15, "شانزده": 16, "هفده": 17, "هجده": 18, "هیجده": 18,
    "نوزده": 19, "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80,
    "نود": 90, "صد": 100,
}
_COUNTERS = {"نفر", "دستگاه", "تن", "فروند", "مورد", "باب", "واحد", "خودرو", "رأس", "راس", "قطعه",
             # durations: «پس از چهار ساعت مهار شد» in one agency, the same four hours in another
             "ساعت", "روز", "هفته", "دقیقه", "کیلومتر", "متر"}
_SCALES = {"هزار": "e3", "میلیون": "e6", "میلیارد": "e9", "هزارو": "e3"}
# What a figure measures, read from the word before or after it. One number can be two facts
# in one story (chain-crash: «ساعت ۱۰ صبح» and «حال ۱۰ نفر»), so the kind is part of the figure.
_TIME_BEFORE = {"ساعت"}
_TIME_AFTER = {"صبح", "بامداد", "ظهر", "عصر", "شب", "دقیقه", "ثانیه"}
_DISTANCE = {"کیلومتر", "کیلومتری", "متر", "متری", "سانتی‌متر", "مایل"}
_PERCENT = {"درصد", "درصدی", "%", "٪"}
_MONEY = {"ریال", "تومان", "دلار", "یورو", "میلیاردی", "میلیونی"}
_MONTHS = {"فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن",
           "اسفند", "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
           "نوامبر", "دسامبر", "محرم", "رمضان"}
_DATE_NEAR = {"سال", "سالِ", "ماه", "هجری", "میلادی", "شمسی", "قمری"}
_WORD = re.compile(r"\d+(?:[.,٫/]\d+)+|[^\s«»\"'()\[\]،؛:,.!?؟]+")
_QUOTE = re.compile(r"«([^«»]{12,})»")
# Words that say who spoke, not what happened: two sentences are not one fact for sharing them.
_SPEECH_LEMMAS = frozenset({"گفت", "افزود", "تأکید", "تاکید", "تصریح", "اظهار", "خاطرنشان", "ادامه", "بیان",
                            "عنوان", "یادآور", "توضیح", "اضافه", "گفته", "امروز", "دیروز"})


@dataclass(frozen=True)
class Facts:
    """What one sentence states: its figures, its content lemmas, and what it quotes."""

    figures: frozenset[tuple[str, str]]  # (value, kind): ("11", "count"), ("10", "time")
    lemmas: frozenset[str]
    quotes: tuple[str, ...] = ()


def _is_number(token: str) -> bool:
    """Whether a token is a number in any of the digits above («۱۲٫۵», «12,500»).

    Only a token that opens with a decimal digit can be one: the translation maps digits to
    digits and nothing else to a digit, and ``\\d`` is exactly what ``str.isdecimal`` is
    (Unicode Nd); the check skips translating every other word (1 M words of 15,000
    sentences in a 1,000-report window).
    """
    return token[:1].isdecimal() and _NUMBER.match(token.translate(_DIGITS)) is not None


def _value(token: str, after: str = "") -> str | None:
    if token[:1].isdecimal():
        plain = token.translate(_DIGITS)
        if _NUMBER.match(plain):
            return plain.replace(",", "")
    word = _NUMBER_WORDS.get(token)
    return str(word) if word is not None and after in _COUNTERS else None


def _kind(value: str, before: str, after: str) -> str:
    if before in _TIME_BEFORE or after in _TIME_AFTER:
        return "time"
    if before in _DISTANCE or after in _DISTANCE:
        return "distance"
    if after in _PERCENT:
        return "percent"
    if after in _MONEY:
        return "money"
    if after in _MONTHS or before in _DATE_NEAR or after in _DATE_NEAR:
        return "date"
    head = value.split(".")[0]
    if head.isdigit() and len(head) == 4 and (1300 <= int(head) <= 1500 or 1900 <= int(head) <= 2100):
        return "date"  # a year: «۱۴۰۵», «۲۰۲۶»
    return "count"


@lru_cache(maxsize=8192)
def figures_of(text: str) -> frozenset[tuple[str, str]]:
    """The figures a sentence gives, as (value, kind); dates are left out (see below).

    A date places a fact, it is not one: two sentences naming the same day say different
    things as often as not. Remembered per text (a story's sentences are read for its
    summary, its per-source notes and its title).
    """
    words = _WORD.findall(text)
    out = set()
    for i, word in enumerate(words):
        if not word[:1].isdecimal() and word not in _NUMBER_WORDS:
            continue  # neither a number nor a number word (see _is_number): most words
        after = words[i + 1] if i + 1 < len(words) else ""
        value = _value(word, after)
        if value is None:
            continue
        if after in _SCALES:
            value += _SCALES[after]
            after = words[i + 2] if i + 2 < len(words) else ""
        kind = _kind(value, words[i - 1] if i else "", after)
        if kind != "date":
            out.add((value, kind))
    return frozenset(out)


def quotes_of(text: str) -> tuple[str, ...]:
    """The quoted passages of a sentence (a short «name» in guillemets is not a quote)."""
    return tuple(m.strip() for m in _QUOTE.findall(text))


def facts_of(text: str, lemmas: Iterable[str]) -> Facts:
    """The facts of one sentence, from its text and its content lemmas.

    Remembered per sentence: a story's summary, its per-source notes and the statements
    they are checked against read each sentence's facts (three times for a candidate).
    """
    return _facts_of(text, tuple(lemmas))


@lru_cache(maxsize=8192)
def _facts_of(text: str, lemmas: tuple[str, ...]) -> Facts:
    content = frozenset(lem for lem in lemmas if lem not in _SPEECH_LEMMAS and not _is_number(lem))
    return Facts(figures_of(text), content, quotes_of(text))


def _coverage(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a) if a else 0.0


# Share of the smaller sentence's content lemmas found in the other above which the two say
# the same thing: paraphrases across agencies in the sample corpus share 0.2-0.45 of their
# lemmas, and chain-crash's two tellings of the yellow weather warning share 4 of 6 (0.67).
LEXICAL_SAME = 0.6
_MIN_LEMMAS = 3


def same_fact(a: Facts, b: Facts, lexical: float = LEXICAL_SAME) -> bool:
    """True when two sentences state one fact: a shared figure, a shared quote, or the same words."""
    if a.figures & b.figures:
        return True
    for qa in a.quotes:
        for qb in b.quotes:
            if qa in qb or qb in qa:
                return True
    small, large = (a.lemmas, b.lemmas) if len(a.lemmas) <= len(b.lemmas) else (b.lemmas, a.lemmas)
    return len(small) >= _MIN_LEMMAS and _coverage(small, large) >= lexical


class FactIndex:
    """Sentences' facts indexed by figure and word: only sentences that share one can state
    the same fact, so a story of hundreds of reports is not compared pair by pair."""

    def __init__(self, facts: Sequence[Facts]) -> None:
        self.facts = list(facts)
        self._by_key: dict[object, list[int]] = {}
        for i, f in enumerate(self.facts):
            for key in (*f.figures, *f.lemmas):
                self._by_key.setdefault(key, []).append(i)

    def same(self, fact: Facts, lexical: float = LEXICAL_SAME) -> list[int]:
        """Indexes of the indexed sentences that state this fact, in index order."""
        near: set[int] = set()
        for key in (*fact.figures, *fact.lemmas):
            near.update(self._by_key.get(key, ()))
        if fact.quotes:  # a quote may repeat one in other words of attribution: check them all
            near.update(i for i, f in enumerate(self.facts) if f.quotes)
        return sorted(j for j in near if same_fact(fact, self.facts[j], lexical))

