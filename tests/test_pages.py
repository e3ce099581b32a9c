"""Saved page text: title, publication time, attribution, chrome, lead and its near-copy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ingest import IngestParams, read_inputs
from ingest.models import Article, Role
from tests.conftest import SEED_FILES

SEED_000, SEED_001 = SEED_FILES


def article(path) -> Article:
    items = list(read_inputs([path], IngestParams()))
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


@pytest.fixture(scope="module")
def seed0() -> Article:
    return article(SEED_000)


@pytest.fixture(scope="module")
def seed1() -> Article:
    return article(SEED_001)


def test_seed_title_is_the_headline_not_the_page_chrome(seed0: Article) -> None:
    assert seed0.title == "کاخ سفید: واشنگتن از «حق اسرائیل در دفاع از خود» حمایت می‌کند"


def test_publication_time_is_the_labelled_one_not_the_page_date(seed0: Article) -> None:
    # «تاریخ انتشار: ۰۹:۱۱ - ۱۴-۰۳-۱۴۰۰» is 14 Khordad 1400, 09:11 at +04:30 (Iran kept DST
    # until 2022); «۲۳ بهمن ۱۴۰۴» and «به روز شده در» at the top are the page's own dates.
    assert seed0.published_at == datetime(2021, 6, 4, 4, 41, tzinfo=UTC)
    assert "۱۴-۰۳-۱۴۰۰" in (seed0.published_text or "")


def test_no_date_in_the_text_means_unknown_not_now(seed1: Article) -> None:
    assert seed1.published_at is None
    assert seed1.published_text is None


def test_attribution_and_cited_outlets_are_kept_apart(seed0: Article, seed1: Article) -> None:
    assert seed0.attribution == "isna"
    assert seed0.cited == ("اسکای نیوز",)
    assert seed0.source is None  # a saved file does not say which site it came from
    assert seed1.attribution == "borna"


def test_chrome_and_the_trailing_headlines_are_boilerplate(seed0: Article) -> None:
    content = " ".join(s.text for s in seed0.content_sentences())
    for chrome in ("فیلم بیشتر", "کد خبر", "ارسال به دوستان", "پربیننده", "سوسک آسیایی", "۲۳ بهمن"):
        assert chrome not in content
    boiler = " ".join(s.text for s in seed0.sentences if s.role is Role.BOILERPLATE)
    assert "ارسال به دوستان" in boiler and "سوسک آسیایی" in boiler


def test_lead_is_stored_and_its_near_copy_in_the_body_counts_once(seed0: Article) -> None:
    assert seed0.lead is not None and seed0.lead.startswith("وزیر دفاع آمریکا نیز بار دیگر")
    lead = next(s for s in seed0.sentences if s.role is Role.LEAD)
    copies = [s for s in seed0.sentences if s.copy_of == lead.position]
    assert len(copies) == 1 and copies[0].text.startswith("لوید آستین، وزیر دفاع آمریکا")
    assert copies[0] not in seed0.content_sentences()


def test_dateline_is_stripped_from_content_but_kept_in_raw_text(seed0: Article) -> None:
    first_body = next(s for s in seed0.sentences if s.role is Role.BODY and "ائتلاف" in s.text)
    assert first_body.text.startswith("یک روز پس از تشکیل ائتلاف دولتی")
    assert "به گزارش ایسنا، به نقل از اسکای نیوز،" in seed0.raw_text


def test_page_without_headline_line_takes_its_first_sentence(seed1: Article) -> None:
    assert seed1.title.startswith("«لوید آستین» که به سرزمین")
    assert not seed1.title.startswith("به گزارش")


# A newcomer's own saved pages: a site's name on the first line, a bare date above the title,
# share buttons among the lines. Before, the site's name was the title, the date was lost
# (the report had no date) and «کپی شد» was a sentence of the body.
BODY = ("به گزارش ایسنا، مدیرعامل شرکت راه‌آهن گفت قیمت بلیت قطارهای مسافری از هفته آینده ده درصد "
        "افزایش می‌یابد.\nوی افزود این افزایش برای جبران هزینه‌های نگهداری ناوگان است.")
TITLE = "افزایش قیمت بلیت قطار از هفته آینده"


def saved(tmp_path, text: str) -> Article:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return article(path)


@pytest.mark.parametrize(("line", "when", "time_known"), [
    ("۹ آذر ۱۴۰۵", datetime(2026, 11, 29, 20, 30, tzinfo=UTC), False),  # 30 Nov 2026 00:00 in Tehran
    ("۱۴۰۵/۰۹/۰۹", datetime(2026, 11, 29, 20, 30, tzinfo=UTC), False),
    ("شنبه ۸ آذر ۱۴۰۵ - ۱۴:۳۰", datetime(2026, 11, 29, 11, 0, tzinfo=UTC), True),
])
def test_a_bare_date_line_at_the_top_is_the_reports_date(tmp_path, line: str, when: datetime,
                                                          time_known: bool) -> None:
    for text in (f"{line}\n{TITLE}\n{BODY}", f"{TITLE}\n{line}\n{BODY}"):  # above or under the title
        page = saved(tmp_path, text)
        assert page.title == TITLE
        assert page.published_at == when and page.published_time_known is time_known
        assert page.published_text == line


def test_a_bare_date_is_not_taken_when_it_cannot_be_the_reports(tmp_path) -> None:
    # two bare dates of two days: which one is the report's cannot be read, so it is unknown
    two_days = saved(tmp_path, f"۹ آذر ۱۴۰۵\n{TITLE}\n۱۰ آذر ۱۴۰۵\n{BODY}")
    assert two_days.published_at is None and not two_days.published_time_known
    # two times of one day: the day is known, its time is not
    two_times = saved(tmp_path, f"۹ آذر ۱۴۰۵ - ۱۰:۰۰\n{TITLE}\n۹ آذر ۱۴۰۵ - ۱۲:۰۰\n{BODY}")
    assert two_times.published_at == datetime(2026, 11, 29, 20, 30, tzinfo=UTC) and not two_times.published_time_known
    # a date inside the body is not the report's date
    in_body = saved(tmp_path, f"{TITLE}\n{BODY}\n۹ آذر ۱۴۰۵\nاین افزایش از ابتدای دی اجرا می‌شود.")
    assert in_body.published_at is None
    # the labelled time wins over the page's bare date
    labelled = saved(tmp_path, f"۹ آذر ۱۴۰۵\nتاریخ انتشار: ۱۴۰۵/۰۹/۰۷ - ۱۰:۰۰\n{TITLE}\n{BODY}")
    assert labelled.published_at == datetime(2026, 11, 28, 6, 30, tzinfo=UTC) and labelled.published_time_known


@pytest.mark.parametrize(("outlet", "key"), [
    ("ایسنا", "isna"), ("خبرگزاری مهر", "mehr"), ("Tasnim News", "tasnim"), ("Mehr News Agency", "mehr"),
])
def test_a_first_line_that_names_an_outlet_is_the_source_not_the_title(tmp_path, outlet: str, key: str) -> None:
    page = saved(tmp_path, f"{outlet}\n۹ آذر ۱۴۰۵\n{TITLE}\n{BODY.replace('به گزارش ایسنا، ', '')}")
    assert page.title == TITLE
    assert page.source == key and page.attribution == key  # the text credits no other agency
    assert outlet not in " ".join(s.text for s in page.content_sentences())


def test_the_site_is_the_source_and_the_credited_agency_stays_the_attribution(tmp_path) -> None:
    page = saved(tmp_path, f"خبرگزاری مهر\n{TITLE}\n{BODY}")
    assert (page.source, page.attribution, page.title) == ("mehr", "isna", TITLE)


@pytest.mark.parametrize("headline", ["روزنامه‌ها امروز چه نوشتند", "مهر ماه با باران آغاز شد",
                                      "فارس و خوزستان بارانی شد"])
def test_a_headline_that_mentions_an_outlet_stays_the_title(tmp_path, headline: str) -> None:
    page = saved(tmp_path, f"{headline}\n{BODY}")
    assert page.title == headline


SHARE_LINES = ["اشتراک گذاری", "اشتراک‌گذاری", "کپی شد", "لینک کوتاه", "لینک کوتاه: https://isna.ir/xAbC",
               "ارسال به دوستان", "چاپ", "نسخه چاپی", "🔗 کپی لینک", "چاپ | ارسال به دوستان | اشتراک‌گذاری"]


@pytest.mark.parametrize("where", ["under the title", "after the body"])
def test_share_and_print_buttons_are_not_the_body(tmp_path, where: str) -> None:
    buttons = "\n".join(SHARE_LINES)
    text = f"{TITLE}\n{buttons}\n{BODY}" if where == "under the title" else f"{TITLE}\n{BODY}\n{buttons}"
    page = saved(tmp_path, text)
    body = [s.text for s in page.content_sentences() if s.role is Role.BODY]
    # the body is whole («ارسال به دوستان» above it made all of it boilerplate) and holds no button
    assert len(body) == 2 and body[0].startswith("مدیرعامل شرکت راه‌آهن") and body[1].startswith("وی افزود")
    assert "کپی" not in page.body and "اشتراک" not in page.body and "چاپ" not in page.body


@pytest.mark.parametrize("sentence", [
    # «اشتراک ?گذاری.*» took any line that began with the word as chrome
    "اشتراک گذاری اطلاعات مالیاتی میان دو وزارتخانه از ماه آینده آغاز می‌شود.",
    "اشتراک‌گذاری اطلاعات مالیاتی میان دو وزارتخانه از ماه آینده آغاز می‌شود.",
    "لینک کوتاه شبکه برق ایران و ارمنستان امروز افتتاح شد.",
])
def test_a_sentence_that_starts_like_a_button_is_news(tmp_path, sentence: str) -> None:
    page = saved(tmp_path, f"{TITLE}\n{BODY}\n{sentence}")
    assert sentence in [s.text for s in page.content_sentences()]


# A newcomer's saved page from an outlet the registry does not list: its name on the first
# line, a blank line, then the headline. Before, «خبرگزاری آنا» was the article's title and
# the report had no source. A name that looks like an outlet's (a kind of outlet before it,
# «News»/«Agency» after a Latin name, a domain) is the site when a headline and a body follow;
# the registry's key when it knows the name or the domain, else the name as written.
@pytest.mark.parametrize(("outlet", "source"), [
    ("خبرگزاری آنا", "خبرگزاری آنا"),
    ("پایگاه خبری تحلیلی انتخاب", "پایگاه خبری تحلیلی انتخاب"),
    ("پایگاه اطلاع‌رسانی دولت", "پایگاه اطلاع‌رسانی دولت"),
    ("روزنامه اعتماد", "روزنامه اعتماد"),
    ("فرارو نیوز", "فرارو نیوز"),
    ("entekhab.ir", "entekhab.ir"),
    ("www.isna.ir", "isna"),  # a domain the registry knows is that outlet
    ("Fararu News Agency", "fararu news agency"),  # an unknown name, lowercased as every unknown source
])
def test_a_first_line_that_names_an_unlisted_outlet_is_the_source_not_the_title(
        tmp_path, outlet: str, source: str) -> None:
    for blank in ("\n", ""):
        page = saved(tmp_path, f"{outlet}\n{blank}{TITLE}\n{blank}{BODY}")
        assert page.title == TITLE
        assert page.source == source
        assert page.attribution == "isna"  # the agency the text credits
        assert outlet not in " ".join(s.text for s in page.content_sentences())
        assert outlet in page.raw_text


def test_an_unlisted_outlet_is_the_agency_when_the_text_credits_none(tmp_path) -> None:
    page = saved(tmp_path, f"خبرگزاری آنا\n\n{TITLE}\n\n{BODY.replace('به گزارش ایسنا، ', '')}")
    assert (page.title, page.source, page.attribution) == (TITLE, "خبرگزاری آنا", "خبرگزاری آنا")


@pytest.mark.parametrize("text", [
    # a headline about an outlet, with the body right under it
    f"روزنامه کیهان توقیف شد\n\n{BODY}",
    f"خبرگزاری آنا\n\n{BODY}",  # no headline follows: the short line is the report's title
    f"خبرگزاری رویترز: ایران آماده مذاکره است\n\n{TITLE}\n\n{BODY}",
    f"روزنامه‌ها امروز چه نوشتند\n\n{TITLE}\n\n{BODY}",
    f"روزنامه کیهان توقیف شد\n\n{TITLE}\n\n{BODY}",  # ends in a verb: a headline, not a name
    f"خبرگزاری‌ها\n\n{TITLE}\n\n{BODY}",
])
def test_a_first_line_that_only_mentions_an_outlet_stays_the_title(tmp_path, text: str) -> None:
    page = saved(tmp_path, text)
    assert page.title == text.split("\n", 1)[0]
    assert page.source is None
