"""Persian normalization, sentence splitting and lemmas: the only module that imports hazm.

hazm is imported lazily (it pulls in nltk and takes seconds), so ``import ingest`` and the
command line stay fast. Text is normalized once, here, at ingestion; every later stage works
on the normalized text and the lemmas stored with each sentence.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

# Invisible characters that change nothing a reader sees but break matching: zero-width
# space/joiner, word joiner, BOM, soft hyphen and the bidi controls (LRM, RLM, embeddings,
# overrides, isolates). ZWNJ (U+200C) is kept: it is part of Persian spelling (می‌شود).
_INVISIBLE = re.compile("[\u200b\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile("[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZWNJ_RUN = re.compile("\u200c{2,}")
# A ZWNJ next to a space or at a word's edge joins nothing.
_ZWNJ_EDGE = re.compile("\u200c(?=[\\s\u200c]|$)|(?<=\\s)\u200c|^\u200c", re.MULTILINE)
# hazm splits sentences at these marks followed by whitespace (its SentenceTokenizer).
# (plus closing quotes and brackets after the mark: «...شد.» سپس).
_SENTENCE_END = re.compile("([!.?⸮؟…]+)([»)\\]\"\u201d]*)(?=[ \n]|$)")
_ABBREVIATION_END = re.compile(
    r"(?<![^\W\d_])[^\W\d_]{1,2}(?:\.[^\W\d_]{1,2})+\.$|(?<![^\W\d_])[A-Z]\.$"
)
_OPENERS = "«("
_CLOSERS = {"»": "«", ")": "("}
_BRACKETS = re.compile("[«()»]")  # _OPENERS and _CLOSERS
# A quotation longer than this is a speech of many sentences, split like any text.
_MAX_QUOTE_CHARS = 400
# Tokens that carry no lexical evidence: punctuation and symbols, checked by Unicode
# category rather than str.isalnum() or string.punctuation, which mishandle ZWNJ and «».
_MAX_NORMALIZE_PASSES = 3
_MAX_CYCLE = 6  # whole normalizations before giving up on a fixed point (cycles seen: length 2)
# Numbers with inner separators: decimals «۵.۱», thousands «۱۲,۵۰۰», dates «۱۴۰۰/۰۳/۱۴»,
# times «۱۰:۳۰». hazm 0.10's spacing rules split them («۵ ٫ ۱», «۱۴۰۰ / ۰۳ / ۱۴»), which
# breaks every number that should match across reports, so they are shielded from it.
_NUMBER = re.compile(r"[0-9۰-۹٠-٩]+(?:[.,٫٬/:\-][0-9۰-۹٠-٩]+)+")
# Foreign tokens are kept exactly as written: URLs, emails, @handles, Latin hashtags and
# Latin-script words with their digits and hyphens (H3N2, F-35, MQ-9, COVID-19, 5G). hazm
# converts every digit to Persian and spaces letters from digits, which gave «H ۳ N ۲» in
# the sample corpus's flu story and cut URLs into pieces (issue 13). A URL's trailing
# sentence mark is not part of it.
_URL = r"(?:https?://|www\.)[^\s«»\"<>]*[^\s«»\"<>.,;:!?)\]،؛؟]"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
_HANDLE = r"(?<![A-Za-z0-9_])[@#][A-Za-z0-9_]+"
# A Latin-script token: ASCII letters and digits joined by hyphens, dots or slashes; one
# without a Latin letter is a number and left to the number rule below.
_LATIN = r"(?<![A-Za-z0-9_\-])[A-Za-z0-9]+(?:[\-./][A-Za-z0-9]+)*"
_HAS_LATIN_LETTER = re.compile("[A-Za-z]")
# Dotted Persian abbreviations: «ه.ش.» (solar hijri), «ق.ظ.» / «ب.ظ.» (a.m. / p.m.), «ج.ا.ا.»
# (the Islamic Republic), «ق.م.», «ص.» with a page number is not one. hazm spaces them
# («ه. ش.»), and a sentence splitter then cuts them (issue 13, cases/ingest/abbreviations).
_ABBREVIATION = r"(?<![^\W\d_])[\u0621-\u064a\u067e-\u06cc]{1,2}(?:\.[\u0621-\u064a\u067e-\u06cc]{1,2})+\.?(?![^\W\d_])"
_ADDRESS = re.compile(f"{_URL}|{_EMAIL}|{_HANDLE}")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\ufb50-\ufeff]")
_FOREIGN = re.compile(f"{_URL}|{_EMAIL}|{_HANDLE}|{_ABBREVIATION}|{_LATIN}")
# A shielded number is a Latin placeholder hazm leaves alone: marker, its index in letters
# a-p (base 16), then "q", which no index contains, so the end is found even when a Latin
# word follows the number («۱.۲quiz» once came out as «qzqvaqquiz»).
_MARKER = "qzqv"
# hazm 0.10's joint «می»/«نمی» (Normalizer.seperate_mi), as a whole word: see _normalizer
_JOINT_MI = re.compile(r"(?<![\w\u200c])ن?می[آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی]+(?![\w\u200c])")
_MI = re.compile("^(ن?می)")
_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")
_SEPARATORS = str.maketrans({".": "٫", ",": "٬"})  # Persian decimal and thousands marks


@cache
def _hazm() -> Any:
    import hazm

    _read_tables_once(hazm)
    return hazm


def _read_tables_once(hazm: Any) -> None:
    """hazm's word list read, and each verb conjugated, once per process instead of per object.

    The normalizer, the word tokenizer and the lemmatizer dastan uses build four
    WordTokenizers (each parsing hazm's 80,000-line word list) and two Lemmatizers (each
    conjugating all 693 verbs): 3.8 of 5.4 s of building them (issue 15). Both are pure
    functions of their argument; each caller gets its own copy of the list, as before.
    """
    import hazm.lemmatizer
    import hazm.word_tokenizer

    read = hazm.word_tokenizer.words_list
    if getattr(read, "dastan_once", False):
        return
    words = cache(read)
    conjugate = hazm.lemmatizer.Conjugation.get_all
    conjugated: dict[str, list[str]] = {}

    def words_list(words_file: str = hazm.utils.default_words) -> list[Any]:
        return list(words(words_file))

    def get_all(self: Any, verb: str) -> list[str]:
        if verb not in conjugated:
            conjugated[verb] = conjugate(self, verb)
        return list(conjugated[verb])

    words_list.dastan_once = True  # type: ignore[attr-defined]
    hazm.word_tokenizer.words_list = words_list
    hazm.lemmatizer.Conjugation.get_all = get_all


@cache
def _normalizer() -> Any:
    hazm = _hazm()

    class Normalizer(hazm.Normalizer):  # type: ignore[misc, name-defined]
        """hazm's Normalizer, the same steps and output, with its tables built once.

        hazm 0.10 rebuilds two translation dicts on every call and passes its patterns to
        ``re.sub`` as strings: 2.0 s and ~1 s of 15 s in a cProfile of a 300-article
        ingestion (issue 15). Here the dicts are built once and the patterns compiled once.
        """

        def __init__(self) -> None:
            super().__init__()
            self._table = hazm.maketrans(self.translation_src, self.translation_dst)
            self._number_table = hazm.maketrans(self.number_translation_src, self.number_translation_dst)
            for name in ("extra_space_patterns", "punctuation_spacing_patterns", "affix_spacing_patterns",
                         "persian_style_patterns", "diacritics_patterns", "specials_chars_patterns",
                         "replacements"):
                if hasattr(self, name):
                    setattr(self, name, [(re.compile(p), r) for p, r in getattr(self, name)])

        def normalize(self, text: str) -> str:  # hazm 0.10's Normalizer.normalize, step by step
            text = text.translate(self._table)
            steps = (("_persian_style", self.persian_style), ("_persian_number", self.persian_number),
                     ("_remove_diacritics", self.remove_diacritics), ("_correct_spacing", self.correct_spacing),
                     ("_unicodes_replacement", self.unicodes_replacement),
                     ("_remove_specials_chars", self.remove_specials_chars),
                     ("_decrease_repeated_chars", self.decrease_repeated_chars),
                     ("_seperate_mi", self.seperate_mi))
            for flag, step in steps:
                if getattr(self, flag):
                    text = step(text)
            return text

        def persian_number(self, text: str) -> str:
            return text.translate(self._number_table)

        # hazm 0.10 separates «می» from any word whose separated form is in its list of verb
        # forms, nouns included: «میانجی» (mediator) became «می‌انجی» (of archaic «انجیدن»). A
        # word its lexicon knows as a noun or adjective (a count above 0; verb forms have 0) is
        # left whole. hazm also rewrites each match with str.replace, inside longer words too;
        # here each match is rewritten where it stands.
        def seperate_mi(self, text: str) -> str:
            def separated(m: re.Match[str]) -> str:
                word = m.group(0)
                known = self.words.get(word)
                if known is not None and known[0] > 0:
                    return word
                parted = _MI.sub("\\1\u200c", word, count=1)
                return parted if parted in self.verbs else word

            return _JOINT_MI.sub(separated, text)

        # hazm 0.10's steps that apply pattern lists, each pattern applied directly: hazm's
        # regex_replace passes them through re.sub, whose cache lookup misses on a compiled
        # pattern and raises inside (0.3 s of the 400,000 calls of ingesting 1,000 reports)
        def correct_spacing(self, text: str) -> str:
            text = _replace(self.extra_space_patterns, text)
            text = "\n".join(" ".join(self.token_spacing(self.tokenizer.tokenize(line)))
                             for line in text.split("\n"))
            text = _replace(self.affix_spacing_patterns, text)
            return _replace(self.punctuation_spacing_patterns, text)

        def remove_diacritics(self, text: str) -> str:
            return _replace(self.diacritics_patterns, text)

        def remove_specials_chars(self, text: str) -> str:
            return _replace(self.specials_chars_patterns, text)

        def persian_style(self, text: str) -> str:
            return _replace(self.persian_style_patterns, text)

    return Normalizer()


def _replace(patterns: list[tuple[re.Pattern[str], str]], text: str) -> str:
    """hazm.utils.regex_replace with compiled patterns: each applied in turn."""
    for pattern, repl in patterns:
        text = pattern.sub(repl, text)
    return text


@cache
def _word_tokenizer() -> Any:
    return _hazm().WordTokenizer(replace_numbers=False, replace_ids=False)


@cache
def _lemmatizer() -> Any:
    return _hazm().Lemmatizer()


@cache
def stopwords() -> frozenset[str]:
    """hazm's Persian stopwords, normalized like the text they are compared with."""
    return frozenset(normalize_line(w) for w in _hazm().stopwords_list())


def prepare() -> None:
    """Build hazm's normalizer, tokenizer, lemmatizer and stopwords now rather than on the
    first text: seconds, once per process, that a run can spend while it waits for
    something else (its Prefect server booting)."""
    _normalizer()
    _word_tokenizer()
    _lemmatizer()
    stopwords()


def clean_invisible(text: str) -> str:
    """Drop control and zero-width characters (not ZWNJ) and unify line ends and spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    text = _SPACES.sub(" ", text)
    text = _ZWNJ_RUN.sub("\u200c", text)
    return _ZWNJ_EDGE.sub("", text)


# Lines normalized lately, and their results (a result normalizes to itself): a saved page's
# lines are normalized by its reader and again by build_article, a title twice, and a site's
# chrome lines recur on every page. Normalization is then done once per text (issue 15).
# Bounded: cleared when full (4,096 lines of ~1 KB, and as many results).
_MEMO: dict[str, str] = {}
_MEMO_LINES = 4096
# Shielded texts hazm has returned unchanged. Confirming the fixed point of a line costs a
# second whole hazm call; the check after it sees the same shielded text again, and is
# answered here (3 hazm calls per line became 2).
_HAZM_FIXED: set[str] = set()


def normalize_line(line: str) -> str:
    """Normalize one line of Persian text: letters (ي→ی, ك→ک), digits, ZWNJ, spacing.

    Remembers recent lines, so normalizing a text again costs a lookup.
    """
    found = _MEMO.get(line)
    if found is not None:
        return found
    result = _normalize_line(line)
    if len(_MEMO) >= 2 * _MEMO_LINES:
        _MEMO.clear()
    _MEMO[line] = result
    _MEMO[result] = result
    return result


def _normalize_line(line: str) -> str:
    """Normalize one line, to a fixed point.

    Idempotent: normalizing the result again changes nothing. hazm alone is not (a space
    it inserts can enable another rule), and with :func:`clean_invisible` it can even
    cycle: «می۵» becomes «می‌۵», then «می ۵», then «می‌۵» again (found by
    tests/test_properties.py). So the line is normalized until it stops changing; on a
    cycle the smallest of its states is the answer, which is the same from every state.
    """
    seen: list[str] = []
    text = _normalize_passes(line)
    while text not in seen and len(seen) < _MAX_CYCLE:
        seen.append(text)
        text = _normalize_passes(text)
    if text in seen:
        return min(seen[seen.index(text):])
    return text


def _normalize_passes(line: str) -> str:
    text = clean_invisible(line).replace("\n", " ").strip()
    if not text:
        return ""
    numbers: list[str] = []
    # A marker the line does not contain, so its own Latin words are never taken for
    # placeholders («۱.۲ qzqvaq» kept «qzqvaq»; found by tests/test_properties.py).
    marker = _MARKER
    while marker in text:
        marker += "x"
    placeholder = re.compile(re.escape(marker) + "([a-p]+)q")

    def shield(m: re.Match[str]) -> str:
        numbers.append(m.group(0).translate(_DIGITS).translate(_SEPARATORS))
        return f"{marker}{_letters(len(numbers) - 1)}q"

    def keep(m: re.Match[str]) -> str:
        if m.group(0)[0].isdigit() and not _HAS_LATIN_LETTER.search(m.group(0)):
            return m.group(0)  # a number: the number rule converts its digits
        numbers.append(m.group(0))
        return f"{marker}{_letters(len(numbers) - 1)}q"

    text = _NUMBER.sub(shield, _FOREIGN.sub(keep, text))
    normalizer = _normalizer()
    for _ in range(_MAX_NORMALIZE_PASSES):
        if text in _HAZM_FIXED:
            break  # hazm was seen to leave this very text unchanged: no need to ask again
        # hazm can make a new number by removing a space («:‌0 :‌0» becomes «:۰:۰»); shield
        # it too, or the next normalization would split it (found by tests/test_properties.py).
        out = _NUMBER.sub(shield, clean_invisible(normalizer.normalize(text)).strip())
        if out == text:
            if len(_HAZM_FIXED) >= _MEMO_LINES:
                _HAZM_FIXED.clear()
            _HAZM_FIXED.add(text)
            break
        text = out
    return placeholder.sub(lambda m: numbers[_index(m.group(1))] if _index(m.group(1)) < len(numbers)
                       else m.group(0), text)


def _letters(n: int) -> str:
    out = ""
    while True:
        out = chr(ord("a") + n % 16) + out
        n //= 16
        if n == 0:
            return out


def _index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 16 + ord(ch) - ord("a")
    return n


def normalize(text: str) -> str:
    """Normalize a text line by line, keeping its line structure (paragraphs)."""
    lines = (normalize_line(line) for line in clean_invisible(text).split("\n"))
    return "\n".join(line for line in lines if line)


def split_sentences(text: str) -> list[str]:
    """Split normalized text into sentences: each line is a paragraph, then at end marks.

    An end mark («.», «!», «؟», «?») followed by a space ends a sentence, except after a
    dotted abbreviation («ه.ش.», «ق.ظ.», «ج.ا.ا.», «U.S.») and inside a quotation or a
    parenthesis («او گفت: «کار تمام شد.» سپس رفت.» is one sentence about what he said; the
    sentence ends after the closing «»»). Decimals («۲٫۵», «۲.۵») have no space after the mark.
    """
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(s.strip() for s in _split_line(line) if s.strip())
    return out


def _split_line(line: str) -> list[str]:
    inside = _bracketed(line)
    pieces: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        end = m.end(1) + len(m.group(2))  # the marks and any closing brackets after them
        if m.group(1) == "." and _ABBREVIATION_END.search(line, 0, m.end(1)):
            continue
        if inside[m.start(1)] and not m.group(2):
            continue  # a mark inside «...» or (...) ends the quoted sentence, not this one
        if m.group(2) and inside[end - 1]:
            continue  # «.)» closing an inner bracket that is itself inside another
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return pieces


def _bracketed(line: str) -> list[bool]:
    """For each character, whether it lies inside a matched «» or () pair of the line.

    Unmatched openers are ignored (a quotation left open would otherwise swallow the whole
    paragraph), and so are pairs longer than :data:`_MAX_QUOTE_CHARS`.
    """
    inside = [False] * (len(line) + 1)
    stack: list[tuple[str, int]] = []
    for m in _BRACKETS.finditer(line):  # the other characters change nothing here
        i, ch = m.start(), m.group()
        if ch in _OPENERS:
            stack.append((ch, i))
        else:
            # pop to the matching opener; openers left open inside the pair are dropped
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == _CLOSERS[ch]:
                    opened = stack[depth][1]
                    del stack[depth:]
                    if i - opened <= _MAX_QUOTE_CHARS:
                        inside[opened + 1:i] = [True] * (i - opened - 1)
                    break
    return inside


# Per token, remembered: whether it is a word, and its lemma as lemmas() keeps it (None for a
# stopword or a lemma that is no word). News copy repeats its words: 600,000 checks and
# 226,000 lemmatizations of ingesting 1,000 reports were of a few tens of thousands of
# tokens. Bounded: cleared when full.
_IS_WORD: dict[str, bool] = {}
_LEMMA: dict[str, str | None] = {}
_MEMO_TOKENS = 1 << 17


def _is_word(token: str) -> bool:
    known = _IS_WORD.get(token)
    if known is None:
        known = any(unicodedata.category(ch)[0] in "LN" for ch in token)
        if len(_IS_WORD) >= _MEMO_TOKENS:
            _IS_WORD.clear()
        _IS_WORD[token] = known
    return known


def tokens(text: str) -> list[str]:
    """Word tokens of a normalized text, punctuation dropped (ZWNJ kept inside words)."""
    return [t for t in _word_tokenizer().tokenize(text) if _is_word(t)]


def lemmas(text: str) -> tuple[str, ...]:
    """Content lemmas of a normalized sentence: no stopwords, no punctuation.

    hazm gives verbs as ``past#present`` stems; the past stem stands for the verb.
    Numbers are kept: two days' casualty figures differ in them.
    """
    out: list[str] = []
    for token in tokens(text):
        if token in _LEMMA:
            lemma = _LEMMA[token]
        else:
            lemma = _lemma(token)
            if len(_LEMMA) >= _MEMO_TOKENS:
                _LEMMA.clear()
            _LEMMA[token] = lemma
        if lemma is not None:
            out.append(lemma)
    return tuple(out)


def _lemma(token: str) -> str | None:
    """A word token's lemma, or None when the token or its lemma is a stopword or no word."""
    stop = stopwords()
    if token in stop:
        return None
    lemma = _lemmatizer().lemmatize(token).split("#", 1)[0] or token
    return lemma if lemma not in stop and _is_word(lemma) else None


def persian_letter_share(text: str) -> float:
    """Share of letters that are Arabic-script, to tell Persian text from other languages.

    URLs, emails and handles are addresses, not language: a Persian report that gives two
    long addresses is still Persian (issue 13).
    """
    letters = "".join(filter(str.isalpha, _ADDRESS.sub(" ", text)))
    if not letters:
        return 0.0
    return len(_ARABIC_SCRIPT.findall(letters)) / len(letters)
