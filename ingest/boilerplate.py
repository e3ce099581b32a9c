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
            # share and print buttons, as saved with the page's text; hazm keeps a ZWNJ where
            # the site wrote one («اشتراک‌گذاری»), so each joint takes either
            r"ارسال( به دوستان| خبر| مطلب)?",
            r"(نسخه[\u200c ])?(قابل[\u200c ])?چاپ(ی)?([\u200c ](خبر|مطلب))?",
            # a label and its network or link, not a sentence that starts with the word
            # («اشتراک‌گذاری اطلاعات میان دو کشور آغاز شد» is news)
            r"(به[\u200c ]?)?اشتراک[\u200c ]?گذاری(\s*(در|با)\s+\S+(\s+\S+)?)?\s*:?",
            r"(لینک|پیوند|نشانی)[\u200c ]?(کوتاه|خبر|مطلب)(\s*:?\s*(https?://\S+|[\w./-]+|کپی شد))?\s*:?",
            r"((لینک|پیوند|نشانی|متن) )?کپی( (لینک|شد))?",
            r"(?i:share|print|copy link|link copied|copied|short link.*|send to (a )?friends?)",
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


# Icons and marks around a button's label («🔗 اشتراک‌گذاری», «چاپ 🖨», «کپی شد!»).
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# Buttons saved on one line: «چاپ | ارسال به دوستان | کپی لینک».
_BUTTON_SEP = re.compile(r"\s*[|•·]\s*")


def is_chrome_line(line: str) -> bool:
    """True when a whole line is page chrome (codes, share links, labels, bare dates)."""
    line = line.strip()
    if _CHROME_LINE.fullmatch(line) or _CHROME_LINE.fullmatch(_EDGES.sub("", line)):
        return True
    parts = [p for p in _BUTTON_SEP.split(line) if _EDGES.sub("", p)]
    return len(parts) > 1 and all(
        _CHROME_LINE.fullmatch(p) or _CHROME_LINE.fullmatch(_EDGES.sub("", p)) for p in parts)


def starts_trailer(line: str) -> bool:
    """True when this line opens the site's trailing lists (most viewed, related news)."""
    return bool(_TRAILER_START.match(line.strip()))
