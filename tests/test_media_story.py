"""Photo and video items join the happening they show; reactions stay their own stories."""

from __future__ import annotations

import numpy as np
import pytest

from clustering.cluster import ArticleView, ClusterParams, cluster_articles
from clustering.mentions import is_media_item

# One launch told by five outlets, two of them in pictures, among reactions to it (each its
# own event: DESIGN.md, "a reaction by another actor is a different event") and other space
# news of the same weeks. No dates, as in an RSS feed: the text decides alone.
LAUNCH = [
    ("irna", "ماهواره‌بر سیمرغ سه ماهواره را به مدار زمین برد",
     "وزارت دفاع صبح امروز از پرتاب موفق ماهواره‌بر سیمرغ با سه محموله از پایگاه فضایی امام خمینی خبر داد."),
    ("isna", "پرتاب موفق سیمرغ با سه محموله ماهواره‌ای",
     "ماهواره‌بر سیمرغ امروز سه ماهواره تحقیقاتی را در مدار ۴۵۰ کیلومتری زمین قرار داد."),
    ("tasnim", "فیلم | لحظه پرتاب ماهواره‌بر سیمرغ از پایگاه فضایی امام خمینی",
     "فیلم پرتاب ماهواره‌بر سیمرغ را در این ویدئو ببینید."),
    ("mehr", "نخستین تصاویر از پرتاب سیمرغ و قرار گرفتن ماهواره‌ها در مدار",
     "تصاویر پرتاب امروز ماهواره‌بر سیمرغ منتشر شد."),
    ("fars", "تصاویر | جزئیات سه ماهواره‌ای که سیمرغ به فضا برد",
     "سه ماهواره پرتاب‌شده با سیمرغ امروز در مدار قرار گرفتند و نخستین سیگنال‌ها دریافت شد."),
    ("irna", "فیلم | نخستین سیگنال ماهواره‌های سیمرغ در ایستگاه زمینی",
     "ایستگاه زمینی ماهدشت نخستین سیگنال ماهواره‌های پرتاب‌شده را دریافت کرد."),
]
REACTIONS = [
    ("isna", "واکنش فرانسه به پرتاب ماهواره‌بر سیمرغ: مغایر قطعنامه ۲۲۳۱ است",
     "وزارت خارجه فرانسه پرتاب ماهواره‌بر سیمرغ را مغایر قطعنامه ۲۲۳۱ شورای امنیت خواند."),
    ("tasnim", "سخنگوی وزارت خارجه آمریکا: پرتاب سیمرغ تهدیدی برای منطقه است",
     "سخنگوی وزارت خارجه آمریکا در واکنش به پرتاب ماهواره‌بر سیمرغ آن را تهدیدی برای منطقه خواند."),
    ("irna", "پاسخ وزارت خارجه ایران به بیانیه اروپا درباره برنامه فضایی",
     "سخنگوی وزارت خارجه گفت برنامه فضایی ایران صلح‌آمیز است و به قطعنامه ۲۲۳۱ ربطی ندارد."),
    ("mehr", "واکنش رژیم صهیونیستی به پرتاب ماهواره‌بر سیمرغ",
     "رژیم صهیونیستی پرتاب ماهواره‌بر سیمرغ را اقدامی خطرناک خواند و محکوم کرد."),
]
SPACE = [
    ("mehr", "ساخت ماهواره ناهید ۳ به پایان رسید",
     "رئیس سازمان فضایی ایران از پایان ساخت ماهواره مخابراتی ناهید ۳ خبر داد."),
    ("irna", "ماهواره خیام پس از دو سال همچنان تصویر می‌فرستد",
     "سازمان فضایی ایران اعلام کرد ماهواره سنجشی خیام همچنان تصاویر زمین را ارسال می‌کند."),
    ("isna", "عکس | بازدید دانش‌آموزان از نمایشگاه دستاوردهای فضایی",
     "نمایشگاه دستاوردهای صنعت فضایی کشور امروز پذیرای دانش‌آموزان بود."),
    ("fars", "رونمایی از موتور سوخت جامد جدید برای ماهواره‌برها",
     "وزیر دفاع از موتور سوخت جامد جدیدی برای نسل بعدی ماهواره‌برها رونمایی کرد."),
]


@pytest.mark.parametrize(("title", "media"), [
    ("فیلم | لحظه پرتاب ماهواره‌بر سیمرغ", True),
    ("تصاویر| زلزله کوهبنان", True),  # no space before the bar
    ("بارش برف در اردبیل + عکس", True),
    ("شایعه نصب پرچم در کرمانشاه! /عکس", True),
    ("نخستین تصاویر از پرتاب سیمرغ", True),
    ("تازه‌ترین فیلم از محل حادثه", True),
    ("فیلم‌های جشنواره فجر اعلام شد", False),  # films as the subject, not a format label
    ("عکاس ایرانی برنده جایزه شد", False),
    ("سخنگوی دولت: تصاویر منتشرشده جعلی است", False),  # pictures as the subject
])
def test_media_items_are_told_from_their_format_label(title: str, media: bool) -> None:
    assert is_media_item(title) is media


def test_photo_items_join_the_launch_and_reactions_stay_apart(real_encoder) -> None:
    rows = LAUNCH + REACTIONS + SPACE
    views = [ArticleView(str(i), tuple(f"{t} {t} {lead}".split()), None, src, title_lemmas=tuple(t.split()),
                         text=f"{t} {lead}", title=t) for i, (src, t, lead) in enumerate(rows)]
    # as the pipeline does (flows/window.article_vector): the mean of title and lead vectors
    title_vec = real_encoder.encode([t for _, t, _ in rows], kind="query")
    lead_vec = real_encoder.encode([lead for _, _, lead in rows], kind="query")
    vectors = title_vec + lead_vec
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = cluster_articles(views, vectors, ClusterParams())
    launch = {int(labels[i]) for i in range(len(LAUNCH))}
    assert len(launch) == 1, labels  # the picture items are in the launch's story
    assert all(labels[len(LAUNCH) + i] not in launch for i in range(len(REACTIONS) + len(SPACE))), labels
