"""Persian normalization: (input, expected) pairs, one comment per tricky case."""

from __future__ import annotations

import pytest

from ingest.normalize import clean_invisible, lemmas, normalize, normalize_line, split_sentences

ZWNJ = "\u200c"

PAIRS = [
    # Arabic yeh and kaf become Persian ی and ک
    ("وزير دفاع آمريكا", "وزیر دفاع آمریکا"),
    # ASCII and Arabic-Indic digits become Persian digits
    ("12 سال و ٣ ماه", "۱۲ سال و ۳ ماه"),
    # «می» joined to its verb with ZWNJ, written with a space
    ("می شود", f"می{ZWNJ}شود"),
    # a plural suffix written with a space gets its ZWNJ
    ("کتاب ها", f"کتاب{ZWNJ}ها"),
    # an existing ZWNJ is kept: it is Persian spelling, not noise
    (f"گزارش{ZWNJ}ها", f"گزارش{ZWNJ}ها"),
    # doubled ZWNJ collapses to one
    (f"می{ZWNJ}{ZWNJ}شود", f"می{ZWNJ}شود"),
    # zero-width space, word joiner, BOM and bidi marks vanish
    ("سلام\u200b\u2060\ufeff\u200f\u202bدنیا", "سلامدنیا"),
    # a ZWNJ next to a space joins nothing
    (f"سلام {ZWNJ}دنیا", "سلام دنیا"),
    # runs of spaces, tabs and no-break spaces become one space
    ("خبر\t \u00a0 فوری", "خبر فوری"),
    # guillemets are kept around quotations
    ("گفت: «ادامه دارد»", "گفت: «ادامه دارد»"),
    # diacritics are removed (agencies rarely write them, and never consistently)
    ("مُحَمَّد", "محمد"),
    # presentation forms (copied from PDFs) become plain letters
    ("\ufefb", "لا"),
    # control characters become spaces
    ("الف\x07ب", "الف ب"),
    # a decimal stays one number (hazm alone gives «۵ ٫ ۱»); the Persian decimal mark is used
    ("زلزله 5.1 ریشتری", "زلزله ۵٫۱ ریشتری"),
    ("زلزله ۵٫۱ ریشتری", "زلزله ۵٫۱ ریشتری"),
    # thousands separators and slashed dates stay whole too
    ("۱۲,۵۰۰ تومان", "۱۲٬۵۰۰ تومان"),
    ("مورخ ۱۴۰۰/۰۳/۱۴ ساعت 10:30", "مورخ ۱۴۰۰/۰۳/۱۴ ساعت ۱۰:۳۰"),
    ("۱۴-۰۳-۱۴۰۰", "۱۴-۰۳-۱۴۰۰"),
]


@pytest.mark.parametrize(("raw", "expected"), PAIRS)
def test_normalize_line(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


@pytest.mark.parametrize(("raw", "_expected"), PAIRS)
def test_normalizing_twice_equals_once(raw: str, _expected: str) -> None:
    once = normalize_line(raw)
    assert normalize_line(once) == once


def test_normalize_keeps_paragraphs_and_drops_empty_lines() -> None:
    text = "بند اول\r\n\r\nبند دوم\n   \nبند سوم"
    assert normalize(text) == "بند اول\nبند دوم\nبند سوم"


def test_clean_invisible_unifies_line_ends() -> None:
    assert clean_invisible("الف\r\nب\rپ\u2028ت") == "الف\nب\nپ\nت"


def test_sentences_split_at_persian_and_latin_marks_without_losing_text() -> None:
    text = normalize("خبر اول است. آیا دوم است؟ بله! «نقل قول.» ادامه")
    parts = split_sentences(text)
    assert parts[0] == "خبر اول است."
    assert parts[1] == "آیا دوم است؟"
    assert parts[2] == "بله!"
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_decimal_points_do_not_split_sentences() -> None:
    assert len(split_sentences(normalize("نرخ تورم ۳.۵ درصد شد و ادامه دارد."))) == 1


def test_lemmas_drop_stopwords_and_punctuation_keep_numbers() -> None:
    out = lemmas(normalize("وزیر دفاع آمریکا گفت ۱۲ نفر در این حادثه کشته شدند."))
    assert "وزیر" in out and "آمریکا" in out and "۱۲" in out
    assert "در" not in out and "این" not in out and "." not in out
    # plurals and verbs come back as lemmas, so one event's reports match word for word
    assert lemmas(normalize("دانشجویان کتاب‌ها را خواندند")) == ("دانشجو", "کتاب", "خواند")
