"""How rare a Persian word is in language at large, not in the window at hand.

A window's own document frequencies make the same pair of reports look alike or not
depending on what else arrived: in a window of six reports every shared word is "rare",
so a shared «تهران» or «سال» looks like a shared name (../shared/cases/stories:
small-window, background). Rarity read from a fixed reference instead gives one answer at
any window size and in any order of arrival. The reference is wordfreq's Persian word
frequencies (Speer et al., wordfreq 3: Wikipedia, subtitles, news and web text, served
as Zipf values: log10 of occurrences per billion words), loaded once, lazily.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

# Zipf 9 is one occurrence in every word; a word wordfreq has never seen gets the weight
# of Zipf 1.5 (about once in 30 million words: a rare name or a spelling variant),
# not more, so that a typo does not outweigh a real shared name.
_TOP_ZIPF = 9.0
_UNSEEN_ZIPF = 1.5


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    """wordfreq's Persian list as ``{word: zipf}`` (31,389 words; read once, about 0.4 s).

    One dict lookup per word instead of ``wordfreq.zipf_frequency``, which tokenizes its
    argument every call: a 50,000-report window looks up a million words.
    """
    import math

    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9.0 for w, f in get_frequency_dict("fa", wordlist="best").items() if f > 0}


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of ``word`` in Persian (0 when unseen); ZWNJ-joined forms as written."""
    # hazm marks verb lemmas «past#present»: the past stem is the written word.
    return _table().get(word.split("#", 1)[0], 0.0)


def idf(word: str) -> float:
    """Reference inverse document frequency of ``word``: ``9 - zipf``, in log10 units (0.5-7.5)."""
    z = zipf(word)
    return _TOP_ZIPF - (z if z > 0 else _UNSEEN_ZIPF)


def idf_vector(vocabulary: Sequence[str]) -> np.ndarray:
    """(len(vocabulary),) float32 reference idf of each word."""
    return np.fromiter((idf(w) for w in vocabulary), np.float32, count=len(vocabulary))


def content_words(words: Iterable[str], max_zipf: float = 5.5) -> list[str]:
    """Words rarer than ``max_zipf`` (function words and the commonest verbs removed).

    Zipf 5.5 is about one in 300,000 words: «است» (7.0), «کرد» (6.4), «تهران» (6.0) and
    «حمله» (5.5) are out; «زلزله» (4.7), «شیراز» (5.2) and names are in.
    """
    return [w for w in words if zipf(w) < max_zipf]


# Headline formulae that name no happening: any closure or suspension is «تا اطلاع ثانوی»
# (until further notice), any rally or statement «در محکومیت ...» (condemning ...). Shared,
# they made the airspace closure, the football league's suspension and three provinces'
# school closures one story (issue 12). They are left out of the lexical views, as written
# (the character view) and as lemmas (hazm drops «تا» and «در»); the dense view still reads
# them in context. Formulae of common words need no entry: reference idf already discounts them.
STOCK_PHRASES: tuple[str, ...] = ("تا اطلاع ثانوی", "در محکومیت")
_STOCK_LEMMAS: tuple[tuple[str, ...], ...] = (("اطلاع", "ثانوی"),)
_STOCK_TEXT = re.compile("|".join(r"(?<!\S)" + re.escape(p) + r"(?!\S)" for p in STOCK_PHRASES))


def stock_phrases(text: str) -> frozenset[str]:
    """The :data:`STOCK_PHRASES` that ``text`` holds."""
    return frozenset(m.group(0) for m in _STOCK_TEXT.finditer(text))


def without_stock_phrases(text: str) -> str:
    """``text`` with the :data:`STOCK_PHRASES` taken out."""
    return _STOCK_TEXT.sub(" ", text)


def lemmas_without_stock_phrases(lemmas: Sequence[str]) -> list[str]:
    """``lemmas`` with every run of a stock phrase's lemmas taken out."""
    out = list(lemmas)
    for phrase in _STOCK_LEMMAS:
        if phrase[-1] not in out:
            continue
        n, k = len(phrase), 0
        while k + n <= len(out):
            if tuple(out[k : k + n]) == phrase:
                del out[k : k + n]
            else:
                k += 1
    return out
