"""Speakers of Persian headlines: (headline, first sentence, expected key), one comment per tricky case."""

from __future__ import annotations

import pytest

from clustering.speakers import (
    appositions,
    headline_words,
    judgement,
    named_in,
    same_speaker,
    speaker,
    speaker_key,
    title_words,
)

ZWNJ = "\u200c"

SPEAKERS = [
    # the headline's «X:» prefix
    ("مدودف: واشنگتن چهره واقعی خود را نشان داد", "", "مدودف"),
    ("استاندار لرستان: کالاهای اساسی به اندازه کافی موجود است", "", "استاندار لرستان"),
    # «وزارت خارجه» and «وزارت امور خارجه» are one office
    ("سخنگوی وزارت خارجه: سفیر سوئیس احضار شد", "", "سخنگوی وزارت امور خارجه"),
    # «رئیس‌جمهور» with ZWNJ, «رئیس جمهوری» with a space: one key, hamza folded to «ی»
    (f"رئیس{ZWNJ}جمهور: دولت کنار مردم است", "", "رییس جمهور"),
    ("رئیس جمهوری: دولت کنار مردم است", "", "رییس جمهور"),
    # honorifics go: «آیت‌الله», «سردار», «حجت‌الاسلام والمسلمین»
    (f"آیت{ZWNJ}الله مکارم شیرازی: وحدت ضروری است", "", "مکارم شیرازی"),
    ("سردار سلامی: پاسخ دشمن قاطع خواهد بود", "", "سلامی"),
    # a speech verb before the colon
    ("استاندار سمنان خبر داد: تامین کالا به میزان کافی", "", "استاندار سمنان"),
    # the speaker's circumstances before the colon are cut: an office keeps its head
    ("سفیر ایران در برلین: تجاوز نشانه بی‌اعتنایی به دیپلماسی است", "", "سفیر ایران"),
    # a name before the circumstance of speaking («در تماس با ...», «در گفت‌وگو با ...»)
    ("عراقچی در تماس با همتای ترکیه‌ای: از خود دفاع می‌کنیم", "", "عراقچی"),
    ("ظریف در گفت‌وگو با سی‌ان‌ان: ما جنگ نمی‌خواهیم", "", "ظریف"),
    # «امام جمعه» is a title, not Friday
    ("امام جمعه بجنورد: دشمن به هدف خود نمی‌رسد", "", "امام جمعه بجنورد"),
    # «استاندار» alone takes the one province its headline names
    ("استاندار: آرامش کامل در استان کرمانشاه برقرار است", "", "استاندار کرمانشاه"),
    # «X از ... خبر داد» in the headline
    ("سخنگوی جمعیت هلال احمر از امدادرسانی به ۲۰ شهر خبر داد", "", "سخنگوی جمعیت هلال احمر"),
    # a province named only by a cued name («مرکزی» alone is "central")
    ("استاندار: مدارس استان مرکزی فردا تعطیل است", "", "استاندار مرکزی"),
    # «به گفته X،»
    ("به گفته رئیس پلیس راهور، جاده چالوس یک‌طرفه شد", "", "رییس پلیس راهور"),
    # a headline about someone's words: «واکنش X به ...», «تاکید X بر ...», an adjective skipped
    ("واکنش تند ظریف به ترامپ: در امور کشور من دخالت نکن", "", "ظریف"),
    ("تاکید انگلیس بر راه‌حل مذاکره‌شده در مساله هسته‌ای", "", "انگلیس"),
    # an order is its giver's act («دستور X برای/به ...»); a judicial order names no one
    ("دستور وزیر صمت برای بررسی علت حادثه معدن طزره", "", "وزیر صمت"),
    ("دستور روحانی به وزیر اطلاعات درباره ماجرای جوجه‌کشی", "", "روحانی"),
    ("دستور قضایی برای مسدودسازی تلگرام صادر شد", "", None),
    ("هشدار شبانه سپاه به ناوهای آمریکایی", "", "سپاه"),
    # «X خواستار ... شد»: an office, a country or a short name
    ("رئیس سازمان صداوسیما خواستار برخورد با عوامل سریال شد", "", "رییس سازمان صداوسیما"),
    ("هند خواستار خویشتن‌داری دو طرف شد", "", "هند"),
    ("روسیه و قطر خواستار بازگشت به دیپلماسی شدند", "", "روسیه قطر"),
    # «X درباره Y:» is X speaking about Y
    ("موسوی درباره مذاکره با آمریکا: تا فشار هست مذاکره نمی‌کنیم", "", "موسوی"),
    # a country that opens a judgement headline, with or without a comma
    ("روسیه، حمله به ایران را محکوم کرد", "", "روسیه"),
    ("یمن حملات هوایی به ایران را محکوم کرد", "", "یمن"),
    # two countries together: the joint statement's actor is both
    ("قطر و عربستان خواستار توقف فوری تنش‌ها شدند", "", "عربستان قطر"),
    # a later segment after «|» holds the speaker
    ("نفت دوباره ارزان شد؟ | ترامپ: اوپک تولید را کم می‌کند", "", "ترامپ"),
    # a roundup of several items is about none of its speakers
    ("آمار کرونا در جهان | شمار تلفات در آمریکا | مرکل: تازه اول راهیم", "", None),
    # a topic before «؛», the speaker after it
    ("ماهواره نظامی سپاه؛ شمخانی: غافلگیری‌های جدید در راه است", "", "شمخانی"),
    # the headline names no one: the lead's «X گفت» is the source of the facts, not the event's
    # speaker (three outlets quoting three officials on one fire are one event)
    ("کالاهای اساسی به اندازه کافی موجود است", "به گزارش ایرنا، استاندار زنجان امروز گفت: نگرانی نیست.", None),
    ("آتش سوزی گسترده در بازار تبریز",
     "آتش سوزی گسترده در بازار تبریز رئیس آتش‌نشانی تبریز گفت: حریق مهار شد.", None),
    # the lead gives a bare office its province
    ("استاندار: کالاهای اساسی به اندازه کافی موجود است", "استاندار زنجان امروز گفت: نگرانی نیست.",
     "استاندار زنجان"),
    # a name in the headline is the office its lead gives it: other outlets name the office alone
    ("مهاجرانی: ۸ میلیون خانوار جدید مشمول کالابرگ می‌شوند",
     "سخنگوی دولت در نشست خبری هفتگی با اشاره به مرحله جدید کالابرگ گفت: دهک چهارم اضافه می‌شود.", "سخنگوی دولت"),
    ("مهاجرانی: مرحله ششم کالابرگ از ۲۵ آذر شارژ می‌شود",
     "فاطمه مهاجرانی سخنگوی دولت امروز گفت: اعتبار واریز می‌شود.", "سخنگوی دولت"),
    ("سردار محمدیان: با موبایل‌قاپ‌ها بدون اغماض برخورد می‌کنیم",
     "فرمانده انتظامی تهران بزرگ با اشاره به نتایج طرح ضربتی گفت: پلیس برخورد می‌کند.",
     "فرمانده انتظامی تهران بزرگ"),
    # the office ends at the verb of saying, not at the first word that cuts a phrase
    ("واکنش آیت‌الله رئیسی به حواشی گزارش دیوان محاسبات",
     "رییس قوه قضاییه گفت: هیچ گزارشی تا امروز از دیوان محاسبات واصل نشده است.", "رییس قوه قضاییه"),
    ("عراقچی: رهبر و رئیس‌جمهور در سلامت هستند", "عراقچی امروز گفت: ...", "عراقچی"),  # no office: the name
    ("عراقچی: رهبر و رئیس‌جمهور در سلامت هستند", "وزیر امور خارجه در خبری دیگر", "عراقچی"),  # no saying
    # a judgement named first, its author last
    ("محکومیت حمله تروریستی هرات از سوی عمان", "", "عمان"),
    # «به گزارش ایسنا» is attribution: the agency is never the speaker
    ("جلسه شورای شهر برگزار شد", "به گزارش ایسنا، جلسه شورای شهر امروز برگزار شد.", None),
    ("ریزش دیوار کاخ سعدآباد", "خبرگزاری ایلنا در گزارشی از ریزش دیوار خبر داد.", None),
    # a format label before a bar or colon is no speaker
    ("فیلم| تجمع مردم در محکومیت تجاوز", "", None),
    ("اینفوگرافیک: آمار کرونا در جهان", "", None),
    # a topic before a colon is no speaker («کرونا در ایران», «تورم در ایران»)
    ("کرونا در ایران: ۸۰ هزار مبتلا", "", None),
    ("تورم در ایران: رکوردی تازه", "", None),
    # a noun about someone's words labels the headline; the person is not cut out of it
    ("ادعاهای پمپئو: ایران دروغ می‌گوید", "", None),
    # an outlet is attribution, not a speaker, in a headline as in a dateline
    ("سی‌ان‌ان: هراس در واشنگتن از مخالفت کنگره", "", None),
    ("نیویورک‌تایمز: مذاکرات به بن‌بست رسید", "", None),
    # an unnamed official of a country, and many people, are no one in particular
    ("تحلیلگر روس: ایران حق دفاع دارد", "", None),
    ("دیپلمات‌ها به رویترز: تمدید تحریم‌ها دشوار است", "", None),
    # vague sources: no evidence either way
    ("منابع آگاه: مذاکرات ادامه دارد", "", None),
    ("مقام اوکراینی: توافق آسان نیست", "", None),
    ("یک مقام آمریکایی گفت که حمله ادامه دارد", "", None),
    # a pronoun is no speaker in a first sentence
    ("تمدید تعطیلی مدارس", "وی گفت: مدارس تا پایان هفته تعطیل است.", None),
    # the clause's object is not part of the speaker («تعداد مبتلایان»)
    ("سخنگوی وزارت بهداشت تعداد مبتلایان را ۷۶ هزار نفر اعلام کرد", "", "سخنگوی وزارت بهداشت"),
    # a speech verb far along a sentence belongs to another clause
    ("بازگشایی اماکن مذهبی",
     "رئیس جمهور شیوع ویروس کرونا را آزمونی برای کارآمدی همه کشورها و نظام‌های جهان دانست و با قدردانی گفت", None),
    # no speaker at all
    ("بارش برف در گردنه حیران", "", None),
    # a label before a colon names no one
    ("احضار «علی ضیاء» به مجلس / دلیل: سخنان زائری در فرمول یک", "", None),
    # a body in the headline is the office its lead quotes, as a name is
    ("تاکید پلیس پایتخت بر برخورد قاطع با سارقان خیابانی",
     "فرمانده انتظامی تهران بزرگ در نشست خبری امروز گفت: ۶۸۰ گوشی کشف شد.", "فرمانده انتظامی تهران بزرگ"),
]


@pytest.mark.parametrize(("title", "text", "expected"), SPEAKERS)
def test_speaker(title: str, text: str, expected: str | None) -> None:
    assert speaker(title, text) == expected


SAME = [
    # the usual other names of an office
    (speaker_key("سخنگوی دستگاه دیپلماسی"), speaker_key("سخنگوی وزارت امور خارجه"), True),
    (speaker_key("رئیس دستگاه قضا"), speaker_key("رئیس قوه قضائیه"), True),
    # unknown on either side
    (None, "لاوروف", None),
    # one key
    ("عراقچی", "عراقچی", True),
    # a bare name inside a fuller key
    ("عراقچی", "وزیر امور خارجه عراقچی", True),
    ("ترامپ", "دونالد ترامپ", True),
    # one office for two provinces: the governors' template
    ("استاندار لرستان", "استاندار کرمانشاه", False),
    # a governor and his deputy are two people
    ("استاندار لرستان", "معاون استاندار لرستان", False),
    # two bare names
    ("لاوروف", "مدودف", False),
    # two countries' condemnations
    ("روسیه", "یمن", False),
    # two joint statements of different countries; one country and a joint statement it made
    ("عربستان قطر", "روسیه قطر", False),
    ("قطر", "عربستان قطر", True),
    # a country and a person: cannot be told («لاوروف» speaks for Russia); a person and a body too
    ("روسیه", "لاوروف", None),
    ("محمدیان", "پلیس پایتخت", None),
    # two bodies
    ("سپاه", "ارتش", False),
    # an office of one body and another body; an office of the body is the body
    (speaker_key("فرمانده قرارگاه خاتم"), speaker_key("وزارت دفاع"), False),
    (speaker_key("مدیرکل مدیریت بحران"), speaker_key("اورژانس"), False),
    (speaker_key("وزیر دفاع"), speaker_key("وزارت دفاع"), True),
    (speaker_key("فرمانده کل سپاه"), speaker_key("سپاه پاسداران"), True),
    # an office without a name and a name without an office: cannot be told
    ("سخنگوی وزارت امور خارجه", "بقایی", None),
    # a minister and a spokesman of one ministry are two people
    ("وزیر امور خارجه", "سخنگوی وزارت امور خارجه", False),
    # one office of two bodies
    ("سخنگوی دولت", "سخنگوی وزارت امور خارجه", False),
    ("سخنگوی وزارت بهداشت", "سخنگوی وزارت امور خارجه", False),
    # a body's spokesman and the same spokesman named more fully
    ("سخنگوی وزارت بهداشت", "سخنگوی وزارت بهداشت ایران", True),
    # one office of two countries («جمهوری اسلامی» is Iran), and an office abroad against a bare
    # office, which Persian outlets use for Iran's own: two speakers
    (speaker_key("وزیر امور خارجه جمهوری اسلامی"), speaker_key("وزیر امور خارجه آمریکا"), False),
    (speaker_key("وزیر خارجه کشورمان"), speaker_key("وزیر خارجه ایالات متحده"), False),
    (speaker_key("وزیر امور خارجه"), speaker_key("وزیر امور خارجه آمریکا"), False),  # a bare office is Iran's
    (speaker_key("سخنگوی وزارت خارجه"), speaker_key("وزارت خارجه عراق"), False),
    ("بقایی", speaker_key("وزیر امور خارجه آمریکا"), None),  # a bare name may be anyone's
    # a country speaks through its foreign ministry, Iran through the bare one; not through its minister
    ("عراق", speaker_key("وزارت خارجه عراق"), True),
    ("ایران", speaker_key("سخنگوی وزارت خارجه"), True),
    ("عراق", speaker_key("وزارت خارجه ایران"), False),
    ("شورای عالی امنیت ملی", "شورای امنیت داخلی رژیم صهیونیستی", False),
    # someone who works for the other: his office, his ambassador, the council's secretary
    ("روحانی", "رییس دفتر روحانی", None),
    ("ایران", "سفیر ایران", None),
    ("شورای عالی امنیت ملی", "دبیر شورای عالی امنیت ملی", None),
    # a spokesman speaks as his body does
    ("قوه قضاییه", "سخنگوی قوه قضاییه", True),
    # one office of one country by its two names; different offices abroad, though one is bare
    (speaker_key("وزیر خارجه آمریکا"), speaker_key("وزیر خارجه ایالات متحده"), True),
    (speaker_key("وزیر امور خارجه فرانسه"), speaker_key("سخنگوی وزارت امور خارجه"), False),
    # two offices of one organization; a commissioner and the commission's office
    ("دبیرکل سازمان ملل", "کمیسر عالی حقوق بشر سازمان ملل", False),
    ("کمیساریای عالی حقوق بشر سازمان ملل", "کمیسر عالی حقوق بشر سازمان ملل", True),
]


@pytest.mark.parametrize(("a", "b", "expected"), SAME)
def test_same_speaker(a: str | None, b: str | None, expected: bool | None) -> None:
    assert same_speaker(a, b) is expected
    assert same_speaker(b, a) is expected


@pytest.mark.parametrize(("title", "key"), [
    ("قطر و عربستان خواستار «توقف فوری» تنش‌ها شدند", "عربستان قطر"),
    ("عربستان و قطر خواستار توقف فوری تنش‌ها شدند", "عربستان قطر"),  # the order does not matter
    ("روسیه و چین حمله به ایران را محکوم کردند", "روسیه چین"),
    ("مردم و دولت خواستار آرامش شدند", None),  # not countries
])
def test_a_joint_statement_of_countries_has_them_all_as_speaker(title: str, key: str | None) -> None:
    assert speaker(title) == key


def test_keys_fold_spellings() -> None:
    # ZWNJ, space and Arabic letters give one key; so do the two spellings of one office
    assert speaker_key("رئيس‌جمهوری") == speaker_key("رئیس جمهور") == "رییس جمهور"
    assert speaker_key("وزیر خارجه آمریکا") == "وزیر امور خارجه آمریکا"
    assert speaker_key("حجت‌الاسلام والمسلمین محسنی اژه‌ای") == "محسنی اژه ای"
    assert speaker_key("منابع") is None
    # the police by its acronyms and its formal name: one body
    assert speaker_key("سخنگوی ناجا") == speaker_key("سخنگوی فراجا") == speaker_key("سخنگوی نیروی انتظامی") \
        == "سخنگوی پلیس"


def test_same_speaker_over_headlines() -> None:
    # the brief's template: each governor's statement about basic goods
    a = speaker("استاندار لرستان: کالاهای اساسی کافی است")
    b = speaker("استاندار کرمانشاه: کالاهای اساسی کافی است")
    c = speaker("استاندار لرستان در جمع خبرنگاران: کالای اساسی کم نداریم")
    assert same_speaker(a, b) is False
    assert same_speaker(a, c) is True


@pytest.mark.parametrize(("title", "actor"), [
    ("واکنش پاکستان به حمله به کنسولگری ایران در هرات", "پاکستان"),
    ("چین حمله به کنسولگری ایران در هرات را محکوم کرد", "چین"),
    ("بقائی حمله رژیم صهیونیستی به ضاحیه بیروت را محکوم کرد", "بقایی"),  # one name before the act
    ("محکومیت حمله به کنسولگری ایران در هرات از سوی عمان", "عمان"),
    ("فیلم | واکنش صریح روحانی به تهدیدات اخیر ترامپ", "روحانی"),
    ("تصاویر / واکنش صریح روحانی به تهدیدات اخیر ترامپ", "روحانی"),  # a label before «/» too
    ("پیام تسلیت در پی شهادت دانش‌آموزان میناب", ""),  # a reaction whose author is not read
    ("پیام رئیس قوه قضاییه در پی شهادت دانش‌آموزان مینابی", "رییس قوه قضاییه"),  # a message after a happening
    ("پیام تسلیت رئیس‌جمهور در پی شهادت مأموران انتظامی در راسک", "رییس جمهور"),
    # the office before the judged act
    ("سخنگوی وزارت امور خارجه حمله تروریستی راسک را محکوم کرد", "سخنگوی وزارت امور خارجه"),
    ("عراق هتک حرمت قرآن در سوئد را محکوم کرد", "عراق"),
    # a town's people and a rally: the people of its one place (keyed by its id)
    ("مردم قرچک حملات هوایی دشمنان به ایران را محکوم کردند + فیلم", "مردم IR-23-qarchak"),
    ("تجمع مردم مشهد در محکومیت حملات آمریکایی-صهیونی", "مردم IR-09-mashhad"),
    ("دانشجویان مشهدی تجاوز آمریکا و اسراییل را محکوم کردند", "مردم IR-09-mashhad"),
    ("تجمع در محکومیت حملات آمریکایی-صهیونی", ""),  # a rally nowhere: not read
    ("تجمع مردم مشهد و تبریز در محکومیت حملات", ""),  # two towns: not one actor
    # a crowd against something, and a town's people by their plural adjective
    ("خروش مردم تبریز علیه جنایت تروریست‌ها در خاش + فیلم", "مردم IR-03-tabriz"),
    ("تجمع یزدی‌ها در محکومیت حمله به بیمارستان غزه", "مردم IR-21"),
    ("حملات هوایی علیه مناطقی در تهران", None),  # «علیه» without a crowd: the happening
    ("حضور وزیر کشور در مشهد علیه قاچاق کالا", None),  # one official's visit is no crowd
    # regret and concern voiced, the actor after them
    ("ابراز نگرانی عمیق چین از حمله تجاوزگرانه رژیم اسرائیل", "چین"),
    ("ابراز تاسف مدیرکل سازمان جهانی بهداشت از تعلیق کمک‌های مالی آمریکا", "مدیرکل سازمان جهانی بهداشت"),
    ("ابراز آمادگی صندوق بین‌المللی پول برای پرداخت وام", None),  # readiness judges nothing
    # condolences: a message to the people, a condolence said for a disaster
    ("پیام تسلیت رئیس قوه قضاییه به مردم زلزله‌زده سی‌سخت", "رییس قوه قضاییه"),
    ("رئیس مجلس حادثه زلزله سی‌سخت را تسلیت گفت", "رییس مجلس"),
    # a message's author and the province of the office
    ("پیام تسلیت نماینده ولی‌فقیه در هرمزگان در پی شهادت دانش‌آموزان", "نماینده ولی فقیه هرمزگان"),
    ("پیام نوروزی رئیس‌جمهور", None),  # a message about nothing that happened
    ("حمله مسلحانه به کنسولگری ایران در هرات", None),  # the happening itself
    ("استاندار لرستان: کالاهای اساسی کافی است", None),  # a statement, not a reaction
    # an answer to a rumour is a denial: the speaker's statement, not a judgement of a happening
    ("واکنش سیاوش طهمورث به شایعه بستری شدنش در بیمارستان", None),
    ("واکنش آیت‌الله مکارم شیرازی به شایعه‌ها درباره حساب بانکی", None),
    # a stance against something, as a criticism is: its actor, or "" when it names none
    ("مخالفت گسترده اعضای کنگره آمریکا با تجاوز نظامی به ایران", "اعضای کنگره آمریکا"),
    ("مخالفت یک نماینده با کلیات لایحه مالیات‌های مستقیم", ""),
    ("موافقت مجلس با کلیات لایحه مالیات‌های مستقیم", None),  # a decision is the happening
])
def test_judgement_names_who_reacts(title: str, actor: str | None) -> None:
    assert judgement(title) == actor


@pytest.mark.parametrize(("text", "told"), [
    # a name right before its office, two in one sentence; an honorific is no part of the key
    ("سید عباس عراقچی وزیر امور خارجه کشورمان صبح امروز با هاکان فیدان وزیر امور خارجه ترکیه دیدار کرد.",
     (("عباس عراقچی", "وزیر امور خارجه کشورمان"), ("هاکان فیدان", "وزیر امور خارجه ترکیه"))),
    # the office ends at the meeting, the saying or a word of time
    ("هاکان فیدان وزیر امور خارجه ترکیه عصر امروز با مسعود پزشکیان رئیس‌جمهور کشورمان دیدار و گفت‌وگو کرد.",
     (("هاکان فیدان", "وزیر امور خارجه ترکیه"), ("مسعود پزشکیان", "رییس جمهور کشورمان"))),
    ("به گزارش ایرنا، محمدرضا عارف معاون اول رئیس جمهور امروز گفت: مردم نگران نباشند.",
     (("محمدرضا عارف", "معاون اول رییس جمهور"),)),
    # a name set off by a comma before its office
    ("ابراهیم رئیسی، رئیس قوه قضائیه ایران گفته است دیوان محاسبات گزارش داده است",
     (("ابراهیم رییسی", "رییس قوه قضاییه ایران"),)),
    # an office with no name before it, one word before an office, a crowd: no one told
    ("به گزارش ایرنا، سخنگوی دولت گفت: جلسه برگزار شد.", ()),
    ("مردم تهران امروز در تجمع سخنگوی دولت شرکت کردند", ()),
    ("بیش از ۲۰ نماینده مجلس خواستار استیضاح شدند", ()),
])
def test_appositions_tell_who_holds_an_office(text: str, told: tuple[tuple[str, str], ...]) -> None:
    assert appositions(text) == told


@pytest.mark.parametrize(("key", "title", "named"), [
    # an office of a place: the place alone does not name it (the mayor's fares, the city's air)
    ("شهردار تهران", "هوای تهران پاک است", False),
    ("استاندار تهران", "ساعت کاری ادارات تهران تغییر کرد", False),
    ("دادستان زنجان", "قیمت کپسول گاز مایع در زنجان سه برابر شد", False),
    ("استاندار خراسان جنوبی", "بارش برف در خراسان جنوبی", False),
    ("استاندار تهران", "دستور استاندار تهران برای تعطیلی ادارات", True),
    # an office of a body: the team is not its coach, the ministry not its minister
    ("سرمربی تراکتور", "پیروزی استقلال مقابل تراکتور در ورزشگاه آزادی", False),
    ("وزیر امور خارجه", "بیانیه وزارت امور خارجه درباره حمله", False),
    # a person by name, a body by its own words
    ("حناچی", "انتقاد حناچی از وزارت راه", True),
    ("سخنگوی وزارت امور خارجه", "بیانیه وزارت امور خارجه درباره حمله", True),
])
def test_a_headline_names_a_speaker(key: str, title: str, named: bool) -> None:
    assert named_in(key, title_words(title)) is named


def test_a_long_headline_names_the_speaker_of_its_first_segment() -> None:
    words = headline_words("توییت خصمانه ترامپ علیه ایران | گفته‌ام قایق‌های ایرانی را بزنند و منهدم کنند")
    assert named_in("ترامپ", words)
    assert not named_in("پمپئو", words)
