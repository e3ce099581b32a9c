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
