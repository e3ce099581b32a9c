"""Summaries on tiny hand-made vectors: central, diverse, two sources, reading order, per source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from summarize.params import SummaryParams
from summarize.per_source import distinct_terms, unique_sentences
from summarize.representative import summarize_story
from summarize.select import Candidate
from summarize.title import best_headline, class_tfidf_keywords

T0 = datetime(2025, 11, 21, 8, tzinfo=UTC)


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def cand(aid: str, pos: int, text: str, source: str, vec: np.ndarray, hours: float = 0,
         lemmas: tuple[str, ...] = ()) -> Candidate:
    return Candidate(aid, pos, text, source, T0 + timedelta(hours=hours), f"https://x.ir/{aid}", vec, lemmas)


def test_no_two_picks_say_the_same_thing_and_the_core_comes_first() -> None:
    core = [cand("a", 1, "core", "isna", unit(1, 0.05, 0)), cand("a", 2, "core again", "isna", unit(1, 0.06, 0)),
            cand("b", 1, "core by irna", "irna", unit(1, 0.04, 0.02), hours=1)]
    side = [cand("a", 3, "detail", "isna", unit(0.7, 0.7, 0)),
            cand("b", 2, "other detail", "irna", unit(0.7, 0, 0.7), 1)]
    picks = summarize_story(core + side, SummaryParams(sentences=3))
    vecs = np.stack([p.vector for p in picks])
    sims = vecs @ vecs.T - 2 * np.eye(len(picks))
    assert sims.max() < SummaryParams().max_similarity
    assert any(p.text.startswith("core") for p in picks)


def test_a_story_with_two_sources_quotes_both_in_time_order() -> None:
    cands = [cand("a", i, f"isna {i}", "isna", unit(1, 0.1 * i, 0)) for i in range(1, 6)]
    cands.append(cand("b", 1, "the only irna sentence", "irna", unit(0.2, 0.2, 1), hours=-2))
    picks = summarize_story(cands, SummaryParams(sentences=2))
    assert {p.source for p in picks} == {"isna", "irna"}
    assert picks[0].source == "irna"  # reported two hours earlier: read first


def test_second_source_is_kept_even_when_it_only_retells_the_top_pick() -> None:
    cands = [cand("a", 1, "fact", "isna", unit(1, 0, 0)), cand("b", 1, "fact retold", "irna", unit(1, 0.3, 0), 1)]
    assert float(cands[0].vector @ cands[1].vector) > SummaryParams().max_similarity
    assert {p.source for p in summarize_story(cands, SummaryParams())} == {"isna", "irna"}


def test_unique_sentences_per_source_skip_what_another_source_also_said() -> None:
    shared = ("زلزله", "کرمان", "مصدوم", "نفر")
    cands = [cand("a", 1, "shared isna", "isna", unit(1, 0, 0), lemmas=shared),
             cand("b", 1, "shared irna", "irna", unit(1, 0.1, 0), lemmas=(*shared, "امروز")),
             cand("b", 2, "only irna", "irna", unit(0, 1, 0), lemmas=("هلال", "احمر", "چادر", "توزیع"))]
    out = unique_sentences(cands)
    assert [c.text for c in out["irna"]] == ["only irna"] and out["isna"] == []


def test_distinct_terms_show_each_outlets_own_words() -> None:
    terms = distinct_terms({"tasnim": ["رژیم", "صهیونیستی", "شهادت", "لبنان"],
                            "isna": ["اسرائیل", "کشته", "لبنان", "۱۲"]})
    assert terms == {"tasnim": ["رژیم", "شهادت", "صهیونیستی"], "isna": ["اسرائیل", "کشته"]}


def test_keywords_skip_digits_and_favour_what_is_specific_to_the_story() -> None:
    stories = [["بنزین", "بنزین", "نرخ", "۵۰۰۰", "دولت"], ["زلزله", "کرمان", "زلزله", "دولت"]]
    kw = class_tfidf_keywords(stories, k=2)
    assert kw == [["بنزین", "نرخ"], ["زلزله", "کرمان"]]


def test_title_is_the_most_central_headline_not_the_first() -> None:
    heads = ["اولین و کم‌جزئیات", "یک سو", "سوی دیگر", "عنوان محوری"]
    vecs = np.stack([unit(0, 1, 0), unit(1, 0, 0.3), unit(1, 0, -0.3), unit(1, 0, 0)])
    assert best_headline(heads, vecs) == "عنوان محوری"  # between the two sides, away from the outlier


# --- issue 14: sentences that stand alone, one fact told twice, short titles -------------

SAME = object()  # shown as written
SPEAKER_TABLE = [
    # (report's sentences, what each reads as alone; None: not shown)
    (["رئیس پلیس‌راه استان اصفهان گفت این حادثه در کیلومتر ۴۰ رخ داد.", "وی افزود: دید کمتر از ۲۰ متر بود."],
     [SAME, "وی (رئیس پلیس‌راه استان اصفهان) افزود: دید کمتر از ۲۰ متر بود."]),
    # «از ... خبر داد»: the speaker ends where «از» begins; a bare quote gets the speaker before it
    (["رئیس مرکز اورژانس استان از مصدومیت ۱۱ نفر خبر داد.", "«مصدومان منتقل شدند.»"],
     [SAME, "رئیس مرکز اورژانس استان: «مصدومان منتقل شدند.»"]),
    # the time word ends the speaker; «به گفته او» takes the speaker after the pronoun
    (["مدیرکل هواشناسی استان امروز گفت مه ادامه دارد.", "به گفته او، هشدار زرد صادر شد."],
     [SAME, "به گفته او (مدیرکل هواشناسی استان)، هشدار زرد صادر شد."]),
    # «این مقام انتظامی» and «این مقام مسئول»: the adjective stays with the phrase
    (["فرمانده انتظامی شهر گفت دو نفر دستگیر شدند.", "این مقام انتظامی از مردم خواست آرام باشند.",
      "این مقام مسئول تأکید کرد: تحقیقات ادامه دارد."],
     [SAME, "این مقام انتظامی (فرمانده انتظامی شهر) از مردم خواست آرام باشند.",
      "این مقام مسئول (فرمانده انتظامی شهر) تأکید کرد: تحقیقات ادامه دارد."]),
    # a name in guillemets is a name, not a quote; «که» ends the speaker
    (["«لوید آستین» که به اسرائیل سفر کرده است امروز گفت که همکاری ضروری است.", "وی افزود: تعهد ما ادامه دارد."],
     [SAME, "وی (لوید آستین) افزود: تعهد ما ادامه دارد."]),
    # after «به گفته مسئولان» no one in particular spoke: the «وی» cannot be placed
    (["وزیر نیرو گفت سد پر است.", "به گفته مسئولان، آب کافی است.", "وی گفت: مصرف را کم کنید."],
     [SAME, SAME, None]),
    # a connector before the pronoun («در همین حال، وی ...») and a quote cut in two by the splitter
    (["استاندار کرمان گفت آب برقرار است.", "در همین حال، وی افزود: مدارس باز است.", "«همه چیز آرام است و",
      "مردم به خانه برگشتند.»"],
     [SAME, "در همین حال، وی (استاندار کرمان) افزود: مدارس باز است.", "استاندار کرمان: «همه چیز آرام است و …»",
      "استاندار کرمان: «… مردم به خانه برگشتند.»"]),
    # a pronoun or a quote with no one named before it at all
    (["او گفت: همه چیز آرام است.", "«هیچ خسارتی نداشتیم.»"], [None, None]),
    # «این حادثه» is no speaker: nothing to resolve, the sentence is shown as written
    (["این حادثه ۱۱ مصدوم داشت."], [SAME]),
]


@pytest.mark.parametrize(("sentences", "expected"), SPEAKER_TABLE)
def test_pronouns_and_bare_quotes_get_their_speaker_or_are_not_shown(sentences, expected) -> None:
    from summarize.speakers import standalone_texts

    want = [text if e is SAME else e for text, e in zip(sentences, expected, strict=True)]
    assert standalone_texts(sentences) == want


def test_a_city_agency_dateline_is_not_shown() -> None:
    from summarize.speakers import standalone_texts

    assert standalone_texts(["ایرنا - اصفهان - مه غلیظ موجب تصادف شد."]) == ["مه غلیظ موجب تصادف شد."]
    assert standalone_texts(["تهران- ایرنا- وزیر گفت سد پر است."]) == ["وزیر گفت سد پر است."]


FACT_TABLE = [
    # (sentence a, sentence b, one fact?)
    ("در این حادثه ۱۱ نفر مصدوم شدند.", "رئیس اورژانس از مصدومیت ۱۱ نفر خبر داد.", True),  # same figure
    ("ترافیک تا ساعت ۱۰ صبح برقرار شد.", "حال ۱۰ نفر از آنان مساعد است.", False),  # 10 o'clock is not 10 people
    ("او گفت هفت دستگاه آمبولانس اعزام شد.", "۷ دستگاه آمبولانس به محل رفت.", True),  # a number word
    ("دو کشور توافق کردند.", "دو طرف بیانیه دادند.", False),  # «دو» counts nothing here
    ("هشدار زرد هواشناسی از دو روز پیش صادر شده بود.",
     "اداره کل هواشناسی اصفهان پیش‌تر هشدار زرد صادر کرده بود.", True),  # the same content words
    ("این حادثه در سال ۱۴۰۵ رخ داد.", "قانون در سال ۱۴۰۵ تصویب شد.", False),  # a year places, it is no fact
]


@pytest.mark.parametrize(("a", "b", "same"), FACT_TABLE)
def test_one_fact_is_decided_on_figures_quotes_and_words(a: str, b: str, same: bool) -> None:
    from ingest.normalize import lemmas
    from summarize.facts import facts_of, same_fact

    assert same_fact(facts_of(a, lemmas(a)), facts_of(b, lemmas(b))) is same




SEED_001_FIRST = ("«لوید آستین» که به سرزمینهای اشغالی سفر کرده است امروز (یکشنبه) پس از دیدار با «بنی گانتس» وزیر "
                  "دفاع رژیم صهیونستی در کنفرانس خبری که بصورت مستقیم از برخی شبکههای منطقه پخش شد، گفت که همکاری "
                  "آمریکا با رژیم اسرائیل ضروری است و تعهد واشنگتن برای حمایت از این رژیم همچنان ادامه دارد.")
TITLE_TABLE = [
    # (text, max words, title)
    # seed 001 has no headline: its 53-word first sentence became the title; now «who: what»
    (SEED_001_FIRST, 14, "لوید آستین: همکاری آمریکا با رژیم اسرائیل ضروری است"),
    # the dateline goes, a short sentence stays whole
    ("به گزارش ایسنا، زلزله ۴٫۵ ریشتری کرمان را لرزاند.", 14, "زلزله ۴٫۵ ریشتری کرمان را لرزاند"),
    ("تهران- ایرنا- نرخ تورم آبان به ۳۲ درصد رسید.", 14, "نرخ تورم آبان به ۳۲ درصد رسید"),
    # several headlines in one (rss2020_dev): the first one
    ("آخرین آمار رسمی کرونا در ایران و جهان | افزایش بی‌سابقه موارد ابتلا در سنگاپور | جابه‌جایی رتبه ایران و ترکیه",
     20, "آخرین آمار رسمی کرونا در ایران و جهان"),
    # cut at a clause boundary after a verb, not inside «آمریکا و اسرائیل»
    ("روزه بر مکلفین دارای توانایی روزه گرفتن واجب است و استدلال نویسنده با اصول و موازین شرعی در تضاد کامل است!",
     14, "روزه بر مکلفین دارای توانایی روزه گرفتن واجب است"),
    # no boundary in reach: cut at the limit, never on a dangling «در»
    ("وزیر امور خارجه کشورمان در سفر به نیویورک و در حاشیه نشست مجمع عمومی سازمان ملل متحد با همتایان خود "
     "از کشورهای اروپایی دیدار و درباره برجام گفت‌وگو کرد.", 14,
     "وزیر امور خارجه کشورمان در سفر به نیویورک و در حاشیه نشست مجمع عمومی…"),
]


@pytest.mark.parametrize(("text", "limit", "title"), TITLE_TABLE)
def test_short_title_from_a_first_sentence_or_a_long_headline(text: str, limit: int, title: str) -> None:
    from summarize.title import short_title

    assert short_title(text, limit) == title
    assert len(short_title(text, limit).split()) <= limit


def test_no_story_title_on_a_dev_set_is_longer_than_twenty_words() -> None:
    """Every headline of every dev set, as a story title (read in place, never copied)."""
    import json

    from benchmarks.eval import EVAL_DIR
    from summarize.title import HEADLINE_WORDS, TITLE_WORDS, short_title

    sets = sorted(EVAL_DIR.glob("*.items.jsonl"))
    if not sets:
        pytest.skip(f"no dev sets in {EVAL_DIR}")
    longest = 0
    for path in sets:
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            title = row.get("title") or ""
            body = row.get("body") or row.get("text") or ""
            head = short_title(title, HEADLINE_WORDS) if title else short_title(body.split("\n")[0], TITLE_WORDS)
            longest = max(longest, len(head.split()))
    assert longest <= HEADLINE_WORDS


QUOTE_TABLE = [
    # (sentence, a bare quote?)
    ("«مصدومان منتقل شدند.»", True),
    ("“مصدومان منتقل شدند.”", True),
    ("«مصدومان منتقل شدند و", True),  # a quote the splitter cut: its first piece
    ("حال همه خوب است.»", True),  # ... and its last
    ("«لوید آستین» که به اسرائیل سفر کرده است گفت همکاری ضروری است.", False),  # a name, then its sentence
    ("رئیس پلیس گفت: «سرعت علت حادثه بود.»", False),  # the speaker is in the sentence
    ("در همین حال، «هیچ خسارتی نداشتیم.»", True),
]


@pytest.mark.parametrize(("text", "bare"), QUOTE_TABLE)
def test_a_bare_quote_is_a_quote_with_no_speaker_in_the_sentence(text: str, bare: bool) -> None:
    from summarize.speakers import is_bare_quote

    assert is_bare_quote(text) is bare
