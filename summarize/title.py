"""A story's title (its most representative headline) and its keywords.

The title is the headline that carries the most of the hard facts the story's other
reports confirm (codes and names in Latin script such as «H3N2» or «F-35», and figures),
then, among those, the one closest to the centre of all the story's headlines; never simply
the first one: the first report is often the thinnest. A report with no headline offers its
first sentence instead, shortened the way an editor would (:func:`short_title`). Keywords are class-based TF-IDF
(c-TF-IDF, as in BERTopic): a lemma frequent in this story and rare in the other stories
of the window describes this story.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from summarize.facts import figures_of
from summarize.speakers import Said, attribution, strip_dateline

# A title a reader takes in at a glance: headline-less reports get at most this many words
# (Persian agency headlines in stream2026_dev run 5-18 words, median 11), and no story title
# is longer than HEADLINE_WORDS (rss2020_dev and stance_dev carry 21-48-word headlines made of
# several «|»- or «/»-separated headlines; the first of them is the title).
TITLE_WORDS = 14
HEADLINE_WORDS = 20
_SEGMENTS = re.compile(r"\s*(?:\||/|؛|\+|\s-\s)\s*")
# Words that end a clause: «... ضروری است | و تعهد ...». A bare « و » joins nouns as often
# as clauses, so it is a boundary only after one of these.
_VERB_ENDS = {"است", "نیست", "شد", "شدند", "کرد", "کردند", "دارد", "دارند", "داد", "دادند", "بود", "بودند",
              "شود", "شوند", "کند", "کنند", "گرفت", "گرفتند", "رسید", "رسیدند", "یافت", "باشد", "هستند",
              "گفت", "افزود", "داشت", "یافتند", "کرده", "شده", "است،"}
_STRONG = re.compile(r"[،؛:]")
_ELLIPSIS = "…"


# A token in Latin script with at least one letter: a code or a name a paraphrase keeps as
# it is («H3N2», «F-35», «COVID-19», «WHO»), unlike Persian words, which outlets vary.
_LATIN_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")


def hard_facts(text: str) -> frozenset[str]:
    """What a text states in a form no retelling changes: its Latin-script codes and names
    (case-folded: ``"h3n2"``, ``"f-35"``) and its figures (``"30 percent"``, from
    :func:`summarize.facts.figures_of`)."""
    codes = {t.casefold() for t in _LATIN_TOKEN.findall(text) if any("a" <= c <= "z" for c in t.casefold())}
    return frozenset(codes | {f"{value} {kind}" for value, kind in figures_of(text)})


def confirmed_facts(headlines: Sequence[str], reports: Sequence[str]) -> list[int]:
    """For each headline, how many of its hard facts another report of the story also gives.

    ``headlines[i]`` is the headline of ``reports[i]`` (that report's whole text); a fact
    only its own report states is not counted, so an outlet's own figure does not win.
    """
    facts = [hard_facts(r) for r in reports]
    out = []
    for i, headline in enumerate(headlines):
        others = frozenset().union(*(f for j, f in enumerate(facts) if j != i))
        out.append(len(hard_facts(headline) & others))
    return out


def best_headline(headlines: Sequence[str], vectors: np.ndarray, reports: Sequence[str] | None = None) -> str:
    """The story's title among its reports' headlines.

    With ``reports`` (each headline's report text, same order), the headlines carrying the
    most hard facts other reports confirm (:func:`confirmed_facts`) are the candidates:
    the sample corpus's flu story is ISNA's «... آنفلوآنزای H3N2 ...», which IRNA's report
    confirms, not Borna's headline without the strain (issue 13). Among the candidates, the
    one most similar to the mean of all headline ``vectors`` (shape ``(n, d)``); with two
    headlines or fewer, or on ties, the earlier one.
    """
    if not headlines:
        return ""
    candidates = list(range(len(headlines)))
    if reports is not None:
        if len(reports) != len(headlines):
            raise ValueError(f"{len(headlines)} headlines but {len(reports)} reports")
        confirmed = confirmed_facts(headlines, reports)
        candidates = [i for i in candidates if confirmed[i] == max(confirmed)]
    if len(candidates) == 1 or len(headlines) <= 2:
        return headlines[candidates[0]]
    closeness = vectors @ vectors.mean(axis=0)
    return headlines[max(candidates, key=lambda i: (float(closeness[i]), -i))]


def _words(text: str) -> list[str]:
    return text.split()


def _clause(text: str, max_words: int) -> str | None:
    """The longest start of ``text`` that ends at a clause boundary within ``max_words``."""
    words = _words(text)
    best = None
    for i, word in enumerate(words[:max_words + 1]):
        n = i + 1
        if n > max_words:
            break
        if _STRONG.search(word[-1:]) and n >= 3:
            best = " ".join(words[:n])[:-1]
        elif (i + 1 < len(words) and words[i + 1] in ("و", "که", "اما", "ولی", "تا") and n >= 3
              and (word in _VERB_ENDS or word.startswith("می‌") or words[i + 1] != "و")):
            best = " ".join(words[:n])
    return best


def _tidy(text: str) -> str:
    return text.strip().rstrip(" .،؛:")


def short_title(text: str, max_words: int = TITLE_WORDS) -> str:
    """A title of at most ``max_words`` words from a headline or a report's first sentence.

    Without the agency dateline; then the first of several «|»/«/»-separated headlines; a
    speaker's sentence becomes «X: what X said» («لوید آستین: همکاری آمریکا با رژیم اسرائیل
    ضروری است», seed 001); else the sentence is cut at its last clause boundary that fits;
    only when there is none, at the word limit, with an ellipsis.
    """
    text = _tidy(strip_dateline(text, first=True))
    if len(_words(text)) <= max_words:
        return text
    segments = [s for s in _SEGMENTS.split(text) if s.strip()]
    if len(segments) > 1 and len(_words(segments[0])) <= max_words:
        return _tidy(segments[0])
    head = segments[0] if segments else text
    said = attribution(head)
    quoted = None
    if said.said is Said.NAMED:
        m = re.search(r"\s(?:گفت|اظهار کرد|تصریح کرد|تأکید کرد|تاکید کرد|اعلام کرد|افزود)(?:\s+که)?[\s:]+", head)
        if m:
            quoted = (said.speaker, head[m.end():].strip(" «»\""), max_words - len(_words(said.speaker)))
    if quoted:
        speaker, rest, room = quoted
        what = rest if len(_words(rest)) <= room else _clause(rest, room)
        if what and len(_words(what)) >= 3:
            return f"{speaker}: {_tidy(what)}"
    cut = _clause(head, max_words)
    if cut and len(_words(cut)) >= max(4, max_words // 3):
        return _tidy(cut)
    if quoted and quoted[2] >= 5:
        return f"{quoted[0]}: {_truncate(quoted[1], quoted[2])}"
    return _truncate(head, max_words)


# Words a cut title must not end on: it would read as broken off mid-phrase.
_DANGLING = {"و", "در", "از", "به", "با", "که", "برای", "تا", "را", "این", "آن", "یک", "بر", "های", "هایی",
             "خبر"}  # «... از X خبر داد» cut before «داد»


def _truncate(text: str, max_words: int) -> str:
    words = _words(text)[:max_words]
    while len(words) > 1 and words[-1] in _DANGLING:
        words.pop()
    return _tidy(" ".join(words)) + _ELLIPSIS


def _is_keyword(lemma: str) -> bool:
    if len(lemma) < 2:
        return False
    # digits-only tokens (in any script) describe nothing on their own
    return not all(ch.isdigit() or ch in "٫٬.,/:-" for ch in lemma)


def _keyword_counts(lemmas: Sequence[str]) -> Counter[str]:
    """How often each lemma that may be a keyword occurs (each distinct lemma checked once)."""
    counts = Counter(lemmas)
    for t in [t for t in counts if not _is_keyword(t)]:
        del counts[t]
    return counts


def class_tfidf_keywords(
    stories: Sequence[Sequence[str]], k: int = 8, min_count: int = 2
) -> list[list[str]]:
    """Top-k keywords per story from each story's lemmas against the other stories.

    Weight of lemma t in story c: ``tf(t, c) * log(1 + A / f(t))`` where A is the average
    number of lemmas per story and f(t) the frequency of t over all stories (Grootendorst
    2022, c-TF-IDF). Lemmas seen fewer than ``min_count`` times in a story of more than one
    report are skipped: one mention is not what the story is about.
    """
    counts = [_keyword_counts(lemmas) for lemmas in stories]
    total = Counter()
    for c in counts:
        total.update(c)
    avg = (sum(total.values()) / len(counts)) if counts else 0.0
    out: list[list[str]] = []
    for c in counts:
        size = sum(c.values()) or 1
        floor = min_count if size > 40 else 1
        scored = [
            (tf / size * math.log(1 + avg / total[t]), t) for t, tf in c.items() if tf >= floor
        ]
        scored.sort(key=lambda x: (-x[0], x[1]))
        out.append([t for _, t in scored[:k]])
    return out
