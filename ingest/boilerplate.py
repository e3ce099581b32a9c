"""Page chrome of Persian news sites: lines that are not the report.

Patterns run on normalized text (hazm: Persian digits, ZWNJ, ی/ک). Each names what it
catches; the examples come from saved pages of ISNA, Tasnim, Mehr, Khabaronline, Asriran.
"""

from __future__ import annotations

import re

_D = "[0-9۰-۹]"

# A whole line that is chrome.
_CHROME_LINE = re.compile(
    "|".join(
        [
            r"فیلم بیشتر\s*»*",  # «فیلم بیشتر »»» link
            r"(عکس|تصاویر|ویدئو|ویدیو|اینفوگرافیک) بیشتر\s*»*",
            rf"کد(\s*خبر)?\s*:?\s*{_D}+",  # «کد خبر ۷۸۷۴۰۲», «کد ۷۸۷۴۰۲»
            r"ارسال به دوستان",
            r"(نسخه )?(قابل )?چاپ",
            r"اشتراک ?گذاری.*",
            r"(لینک|پیوند) کوتاه.*",
            r"(تعداد )?(نظرات|دیدگاه ها|دیدگاه‌ها)\s*:?\s*[0-9۰-۹]*",
            r"انتهای پیام\s*[/.]?",
            r"(برچسب ها|برچسب‌ها|کلیدواژه ها|کلیدواژه‌ها)\s*:?.*",
            r"(منبع|عکس|خبرنگار|نویسنده|مترجم|ویرایش)\s*:\s*\S.{0,40}",
            r"(بازگشت|صفحه اصلی|خانه|آرشیو)",
            r"(به روز شده در|به‌روز شده در|به روزرسانی|به‌روزرسانی|آخرین بروزرسانی).*",
            r"(تاریخ انتشار|زمان انتشار|انتشار|تاریخ)\s*:.*",
            r"[0-9۰-۹:\-/ ]+",  # a bare number, time or code
            r"(ذخیره|کپی لینک|گزارش خطا|ارسال نظر|نظر شما|پاسخ)",
        ]
    )
)

# A line from which everything after is the site's, not the report's: lists of other
# headlines ("most viewed", "related news") that follow the article on the page.
_TRAILER_START = re.compile(
    r"^(پربیننده ?ترین|پربیننده‌ترین|پربازدید ?ترین|پربازدیدترین|پربحث ?ترین|"
    r"اخبار مرتبط|خبرهای مرتبط|مطالب مرتبط|آخرین اخبار|سایر اخبار|اخبار پیشنهادی|"
    r"ارسال به دوستان|نظرات کاربران|ارسال نظر|داغ ترین|داغ‌ترین|پیشنهاد سردبیر)"
)


def is_chrome_line(line: str) -> bool:
    """True when a whole line is page chrome (codes, share links, labels, bare dates)."""
    return bool(_CHROME_LINE.fullmatch(line.strip()))


def starts_trailer(line: str) -> bool:
    """True when this line opens the site's trailing lists (most viewed, related news)."""
    return bool(_TRAILER_START.match(line.strip()))
