"""Article pages as a reader sees them (issue 13).

tests/pages/ holds hand-made pages that reproduce the article-page structure of thirteen
Persian outlets: their meta tags and JSON-LD, where each prints its date (a meta tag, a
``<time>``, only a Persian date line beside the headline), the clock in the site header
and the dates in sidebars that must not be taken, and the chrome inside the article
container (hidden text, "read also" boxes, tags, share buttons). The texts are written
for the tests. Each row: the title, the publication time (UTC, to the minute), the agency,
the publisher, the first body sentence, and text that must not reach the article.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest import Article, IngestParams, Role, read_inputs

PAGES = Path(__file__).parent / "pages"

# (file, title, published UTC, attribution, source, first body sentence, chrome)
TABLE: list[tuple[str, str, str | None, str, str | None, str, tuple[str, ...]]] = [
    # JSON-LD datePublished; the header's «امروز» clock and a sidebar date are not it; tags
    # and a display:none block inside the article container go
    ("isna.html", "آغاز مرمت مسجد جامع یزد", "2024-10-12T17:26", "isna", "isna",
     "مرمت گنبد مسجد جامع یزد که از بناهای قرن هشتم هجری است از صبح امروز آغاز شد.",
     ("کلمات کلیدی پنهان", "برچسب", "پربازدیدترین", "بودجه")),
    # itemprop datePublished; «تهران- ایرنا-» dateline; an «اخبار مرتبط» box inside the text
    ("irna.html", "افزایش ظرفیت پذیرش دانشگاه‌ها در رشته‌های پزشکی", "2024-10-13T05:45", "irna", "irna",
     "وزیر بهداشت روز یکشنبه گفت ظرفیت پذیرش دانشجو در رشته‌های پزشکی در سال تحصیلی آینده ده درصد افزایش می‌یابد.",
     ("اخبار مرتبط", "برگزاری کنکور", "آموزش عالی", "وزیر بهداشت خبر داد", "سقوط قیمت دلار")),
    # only a Persian date line beside the headline; a <time> clock in the header and a
    # sidebar <time> are not read; «بیشتر بخوانید» and the tag box go
    ("mehr.html", "بارش باران در ۱۲ استان کشور", "2024-10-13T07:00", "mehr", "mehr",
     "سازمان هواشناسی اعلام کرد از فردا سامانه بارشی جدیدی وارد کشور می‌شود و در ۱۲ استان باران می‌بارد.",
     ("بیشتر بخوانید", "هشدار نارنجی", "برچسب", "گرانی مرغ", "کد خبر")),
    # the date in the meta list under the headline, not the top bar's; a hidden SEO span,
    # the kicker, the service name and «بیشتر بخوانید» go
    ("tasnim.html", "افتتاح ۳ نیروگاه خورشیدی در کرمان", "2024-10-14T05:15", "tasnim", "tasnim",
     "سه نیروگاه خورشیدی با ظرفیت مجموع ۳۰ مگاوات امروز با حضور وزیر نیرو افتتاح شد.",
     ("تسنیم نیوز خبر فوری", "بیشتر بخوانید", "رویداد هفته انرژی", "اقتصادی", "خبر آخر امشب")),
    # <time datetime> inside the article; the header's and the sidebar's <time> are not it;
    # the category links and share buttons go
    ("fars.html", "صادرات غیرنفتی ۱۲ درصد رشد کرد", "2024-10-14T06:10", "fars", "fars",
     "رئیس سازمان توسعه تجارت گفت ارزش صادرات غیرنفتی کشور در شش ماه نخست امسال به ۲۴ میلیارد دلار رسید.",
     ("بازرگانی", "اشتراک در", "افزایش قیمت خودرو")),
    # «تاریخ انتشار: ۱۵:۲۰ - ۲۴ مهر ۱۴۰۳» in the news nav; a «hidden» paragraph, the read-more
    # box and the most-visited list go
    ("yjc.html", "آغاز واکسیناسیون آنفلوآنزا در مدارس", "2024-10-15T11:50", "yjc", "yjc",
     "معاون بهداشت وزارت بهداشت گفت واکسن آنفلوآنزای H3N2 برای دانش‌آموزان دارای بیماری زمینه‌ای رایگان است.",
     ("متن پنهان", "علائم آنفلوآنزا", "خبر دیگر", "صفحه نخست")),
    # no «به گزارش»: the agency is the site (og:site_name); an inline display:none ad goes
    ("khabaronline.html", "نمایشگاه کتاب تهران در اردیبهشت برگزار می‌شود", "2024-10-15T07:35", "khabaronline",
     "khabaronline",
     "دبیر نمایشگاه کتاب تهران گفت سی و ششمین دوره این نمایشگاه از ۱۷ تا ۲۷ اردیبهشت در مصلی امام خمینی برگزار می‌شود.",
     ("تبلیغ پنهان", "کلیدواژه", "دبیر نمایشگاه خبر داد")),
    # a weekday and «ساعت» in the date line; the header clock is not it; a tag list inside
    # the body and the related box go
    ("hamshahri.html", "خط ۱۰ متروی تهران تا پایان سال افتتاح می‌شود", "2024-10-15T14:30", "hamshahri",
     "hamshahri",
     "مدیرعامل شرکت متروی تهران گفت بخش نخست خط ۱۰ با هفت ایستگاه تا پایان سال به بهره‌برداری می‌رسد.",
     ("شهرداری تهران", "مطالب مرتبط", "ایستگاه جدید خط ۶")),
    # a spelled-out PM marker: 20:56 Tehran, not 08:56; the top header's «صبح» clock is not it
    ("borna.html", "قهرمانی تیم ملی کشتی جوانان آسیا", "2024-10-16T17:26", "borna", "borna",
     "تیم ملی کشتی آزاد جوانان ایران با کسب پنج مدال طلا قهرمان رقابت‌های آسیایی شد.",
     ("برچسب", "جوانان کشتی")),
    # no «به گزارش» and no site name: the agency is the domain's; the most-viewed box's own
    # «تاریخ انتشار» is not the report's
    ("tabnak.html", "قیمت نان در تهران افزایش نمی‌یابد", "2024-10-17T05:42", "tabnak", "tabnak",
     "معاون اقتصادی استانداری تهران گفت هیچ مجوزی برای افزایش قیمت نان صادر نشده است.",
     ("افزایش قیمت بنزین", "کد خبر", "بازار")),
    # a republished ISNA report: ISNA is the agency, Asriran the publisher
    ("asriran.html", "زلزله ۴٫۶ ریشتری سمنان را لرزاند", "2024-10-18T11:00", "isna", "asriran",
     "زمین‌لرزه‌ای به بزرگی ۴٫۶ ریشتر ظهر امروز شهر سمنان را لرزاند.",
     ("زلزله ۳.۵", "زلزله ۳٫۵", "اخبار مرتبط")),
    # a sports site not a news agency: the site is the agency; aria-hidden view counts go
    ("varzesh3.html", "پیروزی پرسپولیس برابر استقلال خوزستان", "2024-10-19T18:00", "varzesh3", "varzesh3",
     "پرسپولیس در هفته هشتم لیگ برتر با دو گل استقلال خوزستان را شکست داد.",
     ("بازدید", "نتایج هفته هشتم", "فوتبال جهان")),
    # JSON-LD in an @graph, to the second; <time datetime> with a day only is weaker; the
    # site name in the title; related topics and related content go
    ("bbcpersian.html", "سازمان ملل: میلیون‌ها نفر در سودان با قحطی روبه‌رو هستند", "2024-10-20T07:45",
     "bbcpersian", "bbcpersian",
     "سازمان ملل متحد می‌گوید بیش از ۲۵ میلیون نفر در سودان به کمک غذایی فوری نیاز دارند.",
     ("موضوعات مرتبط", "خبرهای مرتبط", "جنگ در سودان")),
    # WordPress: <time class="entry-date published"> in the entry header, not the
    # «updated» one nor the modified meta; category, share, related and tag boxes go
    ("aryanews.html", "کاهش ساعت کاری ادارات تهران در زمستان", "2024-10-21T06:30", "aryanews", "aryanews",
     "استانداری تهران اعلام کرد ساعت کاری ادارات دولتی استان از اول آذر تا پایان بهمن یک ساعت کاهش می‌یابد.",
     ("اشتراک", "توییتر", "تعطیلی مدارس", "برچسب", "اجتماعی", "خبر دیگری")),
    # the only dates are the header clock and a sidebar's: the time is unknown, never those
    ("no-date.html", "گزارشی بدون تاریخ", None, "isna", "isna",
     "این گزارش هیچ تاریخی در متن یا برچسب‌های خود ندارد و فقط ساعت سربرگ سایت را دارد.",
     ("خبری دیگر", "امروز")),
]


def read(name: str) -> Article:
    (article,) = read_inputs([PAGES / name], IngestParams())
    assert isinstance(article, Article), article
    return article


@pytest.mark.parametrize(("name", "title", "published", "agency", "source", "first", "chrome"), TABLE)
def test_page_as_a_reader_sees_it(name: str, title: str, published: str | None, agency: str,
                                  source: str | None, first: str, chrome: tuple[str, ...]) -> None:
    article = read(name)
    assert article.title == title
    if published is None:
        assert article.published_at is None
    else:
        assert article.published_at is not None
        assert article.published_at.strftime("%Y-%m-%dT%H:%M") == published
    assert article.attribution == agency
    assert article.source == source
    body = [s.text for s in article.sentences if s.role is Role.BODY]
    assert body[0] == first
    content = "\n".join(s.text for s in article.content_sentences()) + "\n" + article.body
    for text in chrome:
        assert text not in content, text


def test_thirteen_outlets() -> None:
    assert len({row[0] for row in TABLE} - {"no-date.html"}) >= 13


def test_a_saved_xhtml_page_with_an_encoding_declaration_is_read(tmp_path: Path) -> None:
    """lxml refuses a decoded page that still declares its encoding; such a page lost its
    whole text before the fix."""
    page = tmp_path / "mehr.html"
    page.write_text('<?xml version="1.0" encoding="utf-8"?>\n' + (PAGES / "mehr.html").read_text(encoding="utf-8"),
                    encoding="utf-8")
    (article,) = read_inputs([page], IngestParams())
    assert isinstance(article, Article)
    assert article.title == "بارش باران در ۱۲ استان کشور" and article.published_at is not None


@pytest.mark.parametrize(("snippet", "expected"), [
    # variants of the same kinds: a date line above the headline, a labelled one, a 12-hour
    # one, a <time> with its day only plus the text's time, an update notice that is not it
    ('<div class="date">۱۲ آبان ۱۴۰۳ - ۱۸:۲۰</div><h1>عنوان خبر آزمایشی</h1>', "2024-11-02T14:50"),
    ('<h1>عنوان خبر آزمایشی</h1><span>زمان انتشار: ۱۲ آبان ۱۴۰۳ ساعت ۶:۲۰ ب.ظ</span>', "2024-11-02T14:50"),
    ('<h1>عنوان خبر آزمایشی</h1><time datetime="2024-11-02">۱۲ آبان ۱۴۰۳ - ۱۸:۲۰</time>', "2024-11-02T14:50"),
    ('<h1>عنوان خبر آزمایشی</h1><p>به‌روزرسانی: ۱۳ آبان ۱۴۰۳ - ۰۹:۰۰</p><p>۱۲ آبان ۱۴۰۳ - ۱۸:۲۰</p>',
     "2024-11-02T14:50"),
    ('<div class="header">۱۵ آبان ۱۴۰۳ - ۰۹:۰۰</div><h1>عنوان خبر آزمایشی</h1>', None),
    # the event's time in a sentence under the headline is not the publication time
    ('<h1>عنوان خبر آزمایشی</h1><p>این حادثه روز ۱۰ آبان ۱۴۰۳ ساعت ۱۰:۰۰ در جاده چالوس رخ داد و دو نفر زخمی شدند.</p>',
     None),
])
def test_date_line_variants(tmp_path: Path, snippet: str, expected: str | None) -> None:
    body = "<p>به گزارش ایسنا، این یک متن آزمایشی برای خواندن تاریخ انتشار خبر در صفحه است.</p>"
    page = tmp_path / "page.html"
    page.write_text(f'<html lang="fa"><body><article>{snippet}<div class="text">{body}</div></article></body></html>',
                    encoding="utf-8")
    (article,) = read_inputs([page], IngestParams())
    assert isinstance(article, Article)
    if expected is None:
        assert article.published_at is None
    else:
        assert article.published_at is not None
        assert article.published_at.strftime("%Y-%m-%dT%H:%M") == expected


def test_a_container_named_like_chrome_that_holds_the_report_is_kept(tmp_path: Path) -> None:
    """A class word is a hint, prose is evidence: a short report inside
    «<div class="category-body">» was removed whole with the first chrome rules."""
    body = ("<p>به گزارش ایرنا، جلسه شورای شهر امروز برگزار شد. اعضای شورا درباره بودجه گفت‌وگو کردند.</p>"
            "<p>رئیس شورا گفت بودجه هفته آینده تصویب می‌شود.</p>")
    page = tmp_path / "page.html"
    page.write_text(f'<html lang="fa"><body><article><h1>جلسه شورای شهر</h1><div class="category-body">{body}'
                    '</div><div class="category"><a>شهری</a></div></article></body></html>', encoding="utf-8")
    (article,) = read_inputs([page], IngestParams())
    assert isinstance(article, Article)
    texts = [s.text for s in article.sentences if s.role is Role.BODY]
    assert texts[0] == "جلسه شورای شهر امروز برگزار شد." and "شهری" not in article.body


def test_a_page_without_text_is_a_reject_without_library_log_noise(tmp_path: Path, caplog) -> None:
    # the eighth newcomer's edge/notext.html: «trafilatura.core - discarding data: None» on
    # the user's terminal beside the reject that says it
    import logging

    from ingest import Reject, RejectReason

    page = tmp_path / "notext.html"
    page.write_text("<html><body><div></div></body></html>", encoding="utf-8")
    caplog.set_level(logging.DEBUG, logger="trafilatura")
    (r,) = read_inputs([page], IngestParams())
    assert isinstance(r, Reject) and r.reason is RejectReason.NO_TEXT and r.detail
    assert [rec.getMessage() for rec in caplog.records if rec.levelno >= logging.WARNING] == []
