"""Who made the statement a report is about: «استاندار لرستان: ...», «به گفته X», «X اعلام کرد».

A stream's template reports differ in their speaker: each governor says basic goods suffice,
each country condemns, each minister reacts (DESIGN.md, "What a real stream adds"). This module
reads the speaker from a headline, or from the first sentence when the headline names none,
and compares two speakers. It is built for precision: a wrong speaker splits one story, so
anything doubtful gives None («رسانه عربی», «منابع آگاه», a topic label before a colon).

A speaker comes back as a key: letters folded as in :mod:`clustering.places`, words split at
spaces and ZWNJ and joined by one space, honorifics («آیت‌الله», «سردار», «دکتر», «سید»)
dropped, common spellings of one office unified («وزیر خارجه» = «وزیر امور خارجه»,
«رئیس‌جمهوری» = «رئیس جمهور»). The agency that reports («به گزارش ایسنا»,
«به نقل از اسکای نیوز») is attribution (DESIGN.md, Words), never the speaker.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from clustering.places import PEOPLE, country, fold, gazetteer, local, name_key
from clustering.places import places as find_places

_WORD = re.compile(r"[^\s\u200c]+")
# Offices and roles: a speaker phrase that starts with one is a speaker, and two speakers with
# different roles are different people («استاندار لرستان» is not «معاون استاندار لرستان»).
ROLES = frozenset({
    "وزیر", "سخنگوی", "سخنگو", "رییس", "استاندار", "فرماندار", "معاون", "مدیرکل", "مدیر", "دبیرکل", "دبیر",
    "فرمانده", "نماینده", "سفیر", "دادستان", "شهردار", "مشاور", "امام", "رهبر", "نخست", "سرپرست", "قایم",
    "عضو", "مدیرعامل", "دستیار", "جانشین", "رییسجمهور", "نخستوزیر", "بخشدار", "کاردار", "سناتور", "قانونگذار",
    "کمیسر",
})
# Bodies that speak: a phrase that starts with one is a speaker too («سپاه پاسداران: ...»).
BODIES = frozenset({
    "وزارت", "سازمان", "ستاد", "شورای", "شورا", "کمیسیون", "سپاه", "ارتش", "پلیس", "قرارگاه", "دفتر", "مرکز",
    "اداره", "جمعیت", "انجمن", "حزب", "جنبش", "دولت", "مجلس", "دادستانی", "قوه", "بانک", "اتحادیه", "نیروی",
    "فرماندهی", "کاخ", "دبیرخانه", "هیئت", "هیات", "کانون", "اورژانس", "شرکت", "دانشگاه", "استانداری",
    "فرمانداری", "شهرداری", "پدافند", "بنیاد", "کمیته", "مقر", "نهاد", "دیوان", "پنتاگون", "کرملین", "ناتو",
    "حماس", "حزب‌الله", "حزبالله", "انصارالله", "جهاد", "آژانس", "صندوق", "گروه", "تروئیکای", "تروییکای",
    "کمیساریای",
})
# Words inside a speaker phrase that name neither role, body nor person: left out when two
# speakers' distinctive words are compared (a body's name stays: «سخنگوی دولت» is not
# «سخنگوی وزارت بهداشت»).
_GENERIC = ROLES | frozenset({
    "کل", "امور", "و", "کشور", "ملی", "عالی", "ارشد", "سابق", "پیشین", "ویژه", "جمهور", "جمهوری", "اسلامی",
    "مقام", "معظم", "انقلاب", "استان", "شهرستان", "مردم", "در", "ستادکل", "نیروهای", "مسلح", "روابط", "عمومی",
    "کشورمان",  # «our country»: Iran, which _nations reads
})
_HONORIFICS = (
    "حجت الاسلام و المسلمین", "حجت الاسلام والمسلمین", "حجت الاسلام", "آیت الله العظمی", "آیت الله", "سردار",
    "سرلشکر", "سرتیپ", "سرهنگ", "دریادار", "دریابان", "امیر", "دکتر", "مهندس", "آقای", "خانم", "جناب", "حضرت",
    "سید", "سیده", "شیخ",
)
# One office, several spellings (folded, space-separated words).
_SAME_OFFICE = (
    ("وزیر خارجه", "وزیر امور خارجه"),
    ("وزارت خارجه", "وزارت امور خارجه"),
    ("امورخارجه", "امور خارجه"),
    ("رییس جمهوری", "رییس جمهور"),
    ("رییسجمهوری", "رییس جمهور"),
    ("رییسجمهور", "رییس جمهور"),
    ("نخستوزیر", "نخست وزیر"),
    ("سخنگو ", "سخنگوی "),
    # the usual other names of two offices: «دستگاه دیپلماسی» is the foreign ministry,
    # «دستگاه قضا» / «قوه قضائیه» the judiciary
    ("دستگاه دیپلماسی", "وزارت امور خارجه"),
    ("دستگاه قضا", "قوه قضاییه"),
    ("دستگاه قضایی", "قوه قضاییه"),
    # the police by its acronyms (ناجا, فراجا) and its formal name
    ("نیروی انتظامی", "پلیس"),
    ("ناجا", "پلیس"),
    ("فراجا", "پلیس"),
)
# Speakers that are no one in particular, or a medium's guess: no evidence either way.
_VAGUE = frozenset({
    "منابع", "منبع", "برخی", "کارشناسان", "کارشناس", "شاهدان", "رسانه", "رسانه‌ها", "رسانه ها", "رسانههای",
    "رسانه های", "مردم", "مسئولان", "مسیولان", "مقامات", "مقام‌ها", "یک", "یکی", "این", "آن", "وی", "او",
    "ایشان", "همه", "هر", "هیچ", "چند", "گروهی", "شماری", "همزمان", "نتایج", "نتیجه",
    "کاربران", "فعالان", "تحلیلگران", "ناظران", "گزارش", "گزارش‌ها", "نظرسنجی",
    "قضایی", "حکومتی", "دولتی",  # «دستور قضایی برای ...»: a kind of order, no one who gave it
    "دلیل", "علت", "ماجرا",  # «... / دلیل: سخنان زائری»: a label, no one
})
# Headline labels before a colon or bar that are formats or sections, not speakers.
_LABELS = frozenset({
    "فیلم", "عکس", "ویدئو", "ویدیو", "تصاویر", "تصویر", "اینفوگرافیک", "موشن", "صوت", "پادکست", "گزارش",
    "یادداشت", "تحلیل", "گفتگو", "گفت‌وگو", "گفتوگو", "مصاحبه", "اختصاصی", "ویژه", "فوری", "خبر", "اخبار",
    "روایت", "نگاه", "سرمقاله", "کاریکاتور", "جدول", "نقشه", "آمار", "آخرین", "جدیدترین", "مرور", "پیشخوان",
    "چندرسانه‌ای", "مجله", "پرونده", "ببینید", "بخوانید", "بشنوید", "زنده", "لحظه", "کرونا", "شایعه", "تکذیب",
    "شایعات", "واکنش", "ادعای", "ماجرای", "جزئیات", "جزییات", "عکس‌نوشت", "ترجمه", "معرفی", "نقد", "بررسی", "سوال",
    # a noun about someone's words is a label too: «یاوه‌گویی ترامپ: ...», «ادعاهای پمپئو: ...»
    "یاوه", "یاوهگویی", "ادعا", "ادعاهای", "نتایج", "نتیجه", "اظهارات", "سخنان", "توییت", "پاسخ",
    "برنده", "متن", "هشدار", "انتقاد", "دیدار", "سفر", "نامه", "افشاگری", "اعتراف", "خاطرات",
})
# Words that end a speaker phrase inside a clause («عراقچی در تماس با ...», «استاندار امروز گفت»).
_CUT = frozenset({
    "امروز", "دیروز", "امشب", "روز", "صبح", "ظهر", "عصر", "شب", "بامداد", "در", "از", "با", "ضمن", "طی",
    "پس", "پیش", "که", "هم", "نیز", "همچنین", "به", "برای", "درباره", "بر", "تا", "ساعاتی", "لحظاتی",
    "هفته", "شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "سهشنبه", "چهارشنبه", "پنجشنبه", "جمعه", "اخیرا", "سرانجام",
    "بار", "را", "امسال", "چندی", "همزمان", "اکنون", "هماکنون", "حالا", "سپس", "البته", "اما", "ولی",
    "بنابراین", "پیشتر", "قبلا", "همچنان", "ابتدا",
})
# Nouns that open a clause's object («مرکز آمار ایران نرخ تورم را ... اعلام کرد»): a speaker
# phrase ends before them, unless they are among its first two words («مرکز آمار ایران»).
_OBJECT_NOUNS = frozenset({"تعداد", "شمار", "میزان", "نرخ", "قیمت", "آمار", "زمان", "علت", "دلیل", "جزییات"})
# A speaker phrase never holds these: verbs, question words, quotes, numbers («کرونا در ایران»).
_NOT_IN_SPEAKER = re.compile(r"[«»\"؟?!0-9۰-۹]|(?:^|\s)(?:است|بود|شد|شده|می|نمی|چرا|چگونه|چه|آیا|کدام)(?:\s|$)")
_SPEECH_VERBS = (
    "گفت", "گفته است", "افزود", "اعلام کرد", "اعلام کردند", "تاکید کرد", "تأکید کرد", "خبر داد", "خبر دادند",
    "اظهار کرد", "اظهار داشت", "تصریح کرد", "هشدار داد", "عنوان کرد", "بیان کرد", "اعلام داشت", "می‌گوید",
    "میگوید", "نوشت", "خاطرنشان کرد", "توضیح داد", "یادآور شد",
)
# Judgements a headline reports as the whole story: «روسیه، حمله به ایران را محکوم کرد».
_STANCE_VERBS = (
    "محکوم کرد", "محکوم کردند", "خواند", "خواندند", "خواستار شد", "خواستار شدند", "هشدار داد", "انتقاد کرد",
    "استقبال کرد", "ابراز نگرانی کرد", "تکذیب کرد", "رد کرد", "حمایت کرد", "اعلام کرد", "تاکید کرد",
    "تأکید کرد", "خبر داد", "خواستار توقف",
)
_VERB_RE = re.compile(r"(?:^|\s)(" + "|".join(re.escape(v) for v in _SPEECH_VERBS) + r")(?=$|[\s:،.؛])")
_STANCE_RE = re.compile(r"(?:" + "|".join(re.escape(v) for v in _STANCE_VERBS) + r")[\s.!؛]*$")
_ACCORDING = re.compile(r"(?:^|[\s،])به گفته\s+([^،,:؛.]{2,80}?)\s*[،,:]")
# Agency datelines and credits at the head of a sentence: «به گزارش ایرنا،», «به نقل از ...،»,
# «ایرنا - اصفهان -».
_DATELINE = re.compile(r"^(?:\s*(?:به گزارش|به نقل از|به نوشته)\s+[^،,:.؛«»]{1,80}?\s*[،,]\s*)+")
_CITY_AGENCY = re.compile(r"^[^\s\-–،:«]{2,20}(?:\s[^\s\-–،:«]{2,20})?\s*[-–]\s*[^\s\-–،:«]{2,20}\s*[-–]\s+")
# A format label and a bar or colon before the headline proper: «فیلم| ...», «ویدئو | ...».
_LABEL_HEAD = re.compile(r"^\s*([^|:/]{1,25})[|/]\s*")  # «فیلم | ...», «تصویر / ...»
_SENTENCE_END = re.compile(r"[.!؟?\n]")
_AGENCIES = frozenset({
    "خبرگزاری", "ایرنا", "ایسنا", "ایلنا", "تسنیم", "فارس", "مهر", "برنا", "شبنا", "باشگاه", "رویترز",
    "آسوشیتدپرس", "فرانسپرس", "اسپوتنیک", "یونیوز", "صداوسیما", "روزنامه", "خبرنگار",
})
# Media are attribution too («سی‌ان‌ان: ...» reports a claim, DESIGN.md, Words): a headline's
# outlet prefix is no speaker. Names (folded, without spaces) and the words media names end in.
_MEDIA = frozenset({
    "سیانان", "بیبیسی", "گاردین", "بلومبرگ", "المیادین", "العربیه", "الجزیره", "آناتولی", "اسکاینیوز",
    "فاکسنیوز", "آکسیوس", "هاآرتص", "یدیعوتآحارونوت", "پولیتیکو", "اکسیوس", "ایندیاتودی", "رویترز",
})
_MEDIA_TAILS = frozenset({"تایمز", "پست", "نیوز", "ژورنال", "تودی", "تلگراف", "هرالد", "اکونومیست"})
# An unnamed official of a country («سناتور آمریکایی», «تحلیلگر روس»): two of them may be two people.
_UNNAMED = ROLES | frozenset({"تحلیلگر", "دیپلمات", "کارشناس", "مقام", "منبع", "مسئول"})
_DEMONYMS = frozenset({"روس", "عرب", "ترک", "آمریکایی", "امریکایی", "اروپایی", "عربی", "غربی"})
# «واکنش X به ...», «هشدار X به ...», «تاکید X بر ...», «دستور X برای ...»: a headline about X's words
# or orders.
_REACTION_ADJECTIVE = (r"(?:\s+(?:تند|جدید|صریح|رسمی|شدید|فوری|مجدد|دوباره|قاطع|ضمنی|سریع|انتقادی|جنجالی|عجیب|"
                       r"شبانه|تازه|جدی|نهایی|متفاوت|کمک|مکتوب|تلفنی|عمیق|گسترده|اعتراضی))?")
_REACTION = re.compile(
    r"^(?:واکنش|هشدار|انتقاد|توصیه|درخواست|دستور|تاکید|تأکید|گلایه|اعتراض|ابراز\s+(?:تاسف|تأسف|نگرانی|همدردی))"
    + _REACTION_ADJECTIVE + r"\s+(\S.{0,60}?)\s+(?:به|از|درباره|بر|برای|علیه|نسبت)\s"
    # «مخالفت یک نماینده با کلیات لایحه ...»: X's stance against something, as «انتقاد X از ...»
    r"|^مخالفت" + _REACTION_ADJECTIVE + r"\s+(\S.{0,60}?)\s+با\s"
)
# «محکومیت حمله ... از سوی عمان»: a judgement named first, its author last.
_JUDGEMENT_NOUN = re.compile(r"^\s*(?:محکومیت|تقبیح|انتقاد|استقبال|حمایت|ابراز نگرانی|ابراز همدردی|تسلیت)\s")
_BY_AT_END = re.compile(r"(?:از سوی|از طرف|توسط)\s+([^،,:؛.«»|/]{2,40}?)\s*[.!]?\s*$")
_ASKS = re.compile(r"^(\S.{0,60}?)\s+خواستار\s")
_MAX_WORDS = 7
# The clause verb must come early: «X ... گفت» with the verb twelve words on is another clause's
# verb («رئیس جمهور شیوع ویروس کرونا را آزمونی ... دانست و ... گفت»).
_MAX_WORDS_TO_VERB = 12
_HONORIFIC_RE = re.compile(
    r"(?:^|(?<=\s))(?:" + "|".join(re.escape(" ".join(fold(h).split())) for h in _HONORIFICS) + r")(?=\s|$)"
)
_OFFICE_RES = tuple(
    (re.compile(r"(?:^|(?<=\s))" + re.escape(v.strip()) + r"(?=\s|$)"), c.strip()) for v, c in _SAME_OFFICE
)
_OFFICE_VARIANTS = tuple(v.strip() for v, _ in _SAME_OFFICE)
# The circumstance of speaking after a speaker's name: «در تماس با», «در گفت‌وگو با», «در دیدار»,
# «در واکنش به», «با اشاره به», «ضمن», «پس از دیدار».
_SPEAKING = re.compile(
    "(?:در\\s+(?:تماس|گفتگو|گفت\u200cوگو|گفت\\s*و\\s*گو|دیدار|نشست|جلسه|مصاحبه|پیامی|توییتی|توئیتی|نامه‌ای|"
    "نامه|واکنش|حاشیه|جمع|اجتماع|مراسم|سفر|پاسخ|مورد)|با\\s+(?:اشاره|بیان|تاکید|تأکید)|ضمن\\s|درباره\\s|"
    "پس\\s+از\\s+(?:دیدار|نشست))"
)
# Title segments: «... | ترامپ: ...», «... / سخنگو: ...».
_SEGMENTS = re.compile(r"\s*[|/]\s*")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


# Each report's headline and lead are read by a dozen readers, and each folds the phrases it
# looks at: cached, one fold serves them all (the 50,000-report window of `make bench` spent
# 43 s of its 106 s reading mentions before, most of it folding the same words again).
@lru_cache(maxsize=1 << 16)
def _plain(word: str) -> str:
    """A word folded and joined («رئیس‌جمهور» -> «رییسجمهور»), as ROLES and BODIES hold it."""
    return fold(word).replace("\u200c", "")


@lru_cache(maxsize=1 << 14)
def _folded(phrase: str) -> str:
    """A phrase's words folded as speaker keys are: letters, honorifics dropped, offices unified."""
    text = " ".join(_words(phrase.replace("(ره)", " ").replace("(ع)", " ").strip(" ،:؛.-–")))
    text = " ".join(_HONORIFIC_RE.sub(" ", text).split())
    for variant, (pattern, canonical) in zip(_OFFICE_VARIANTS, _OFFICE_RES, strict=True):
        if variant in text:  # the pattern's whole words: a plain substring test first
            text = pattern.sub(canonical, text)
    return text


def speaker_key(phrase: str) -> str | None:
    """The normalized key of a speaker phrase, or None if nothing specific is left."""
    text = _folded(phrase)
    words = text.split()
    if not words or words[0] in _VAGUE or text in _VAGUE or len(words) > _MAX_WORDS or "ها" in words:
        return None  # «دیپلمات‌ها»: many people
    if "".join(words) in _MEDIA or words[-1] in _MEDIA_TAILS:
        return None
    if len(words) == 2 and words[0] in _UNNAMED and (words[1] in _DEMONYMS or words[1].endswith("یی")):
        return None
    return text


def _speaker_like(phrase: str) -> bool:
    """A plain phrase before a colon: short, no verb, number or quote, not a format label."""
    words = _words(phrase)
    if not words or len(words) > _MAX_WORDS or _NOT_IN_SPEAKER.search(phrase) or "،" in phrase:
        return False
    if words[0] in _LABELS or words[0] in _AGENCIES:
        return False
    # «مقام اوکراینی», «یک مقام آمریکایی»: an unnamed official; «مقام معظم رهبری» is one person
    if words[0] == "مقام" and (len(words) < 2 or words[1] != "معظم"):
        return False
    return _cut(" ".join(words)) == " ".join(words)


def _starts_with_office(words: list[str]) -> bool:
    return bool(words) and (words[0] in ROLES or words[0] in BODIES)


def _cut(phrase: str) -> str:
    """The speaker part of a clause head: up to the first time, place or preposition word."""
    out: list[str] = []
    words = re.split("[،؛]", phrase)[0].split()
    for k, w in enumerate(words):
        folded = _plain(w)
        before = fold(out[-1]) if out else ""
        after = fold(words[k + 1]) if k + 1 < len(words) else ""
        # «امام جمعه» is a title, not a weekday; «ستاد مقابله با کرونا», «مدیر نظارت بر ...» are
        # one office's name; «نماینده ولی فقیه» is the guardian jurist's, not «but»
        kept = (
            (folded == "جمعه" and before in {"امام", "نماز", "ایمه"})
            or (folded == "با" and before in {"مقابله", "مبارزه"})
            or (folded == "بر" and before == "نظارت")
            or (folded == "ولی" and after in {"فقیه", "امر"})
        )
        if (folded in _CUT and not kept) or (folded in _OBJECT_NOUNS and len(out) >= 2):
            break
        out.append(w)
    return " ".join(out)


def _with_place(key: str, text: str) -> str:
    """«استاندار» alone gets the one Iranian province or county its text names."""
    words = key.split()
    if len(words) != 1 or words[0] not in {"استاندار", "فرماندار", "شهردار", "دادستان", "بخشدار"}:
        return key
    found = local(find_places(text))
    if len(found) != 1:
        return key
    return f"{key} {_place_words(next(iter(found)))}"


def _place_words(pid: str) -> str:
    """A place's first name as a key's words («خراسان جنوبی»)."""
    place = gazetteer().places[pid]
    return " ".join(_words((place.names or place.cued)[0]))


def _from_colon(title: str) -> str | None:
    head, colon, rest = title.partition(":")
    if not colon or not rest.strip():
        return None
    head = head.split("؛")[-1].strip()  # «ماهواره نظامی سپاه؛ شمخانی: ...»
    verb = _VERB_RE.search(head)
    if verb:  # «استاندار سمنان خبر داد: ...»
        head = head[: verb.start()]
        cut = _cut(head)
        return speaker_key(cut) if cut and _speaker_like(cut) else None
    if _speaker_like(head):
        return speaker_key(head)
    # «سفیر ایران در برلین: ...»: an office or a country keeps its cut head; any other head only
    # when what follows is the circumstance of speaking («عراقچی در تماس با همتای عراقی: ...»),
    # not a topic («تورم در ایران: ...»)
    cut = _cut(head)
    if not cut or not _speaker_like(cut):
        return None
    if _starts_with_office(_words(cut)) or _is_country(cut) or _SPEAKING.match(head[len(cut):].strip()):
        return speaker_key(cut)
    return None


def _is_country(phrase: str) -> bool:
    """Whether the whole phrase is a country's name («روسیه», «ایالات متحده آمریکا»)."""
    g = gazetteer()
    readings = g.readings.get(name_key(phrase)[0], ())
    return any(not r.cued and g.places[r.place].kind == "country" for r in readings)


def _from_clause(sentence: str) -> str | None:
    """«X گفت ...», «X از ... خبر داد», «به گفته X، ...»."""
    m = _ACCORDING.search(sentence)
    if m:
        phrase = m.group(1).strip()
        return speaker_key(phrase) if _speaker_like(phrase) else None
    verb = _VERB_RE.search(sentence)
    if verb is None or len(sentence[: verb.start()].split()) > _MAX_WORDS_TO_VERB:
        return None
    head = _cut(sentence[: verb.start()].strip(" ،"))
    words = _words(head)
    if not words or words[0] in _AGENCIES or not _speaker_like(head):
        return None
    if len(words) > 1 and not (_starts_with_office(words) or _is_country(head)) and len(words) > 3:
        return None
    return speaker_key(head)


def _from_reaction(title: str) -> str | None:
    """«واکنش ظریف به ترامپ: ...», «تاکید انگلیس بر راه‌حل ...», «X خواستار ... شد»."""
    m = _REACTION.match(title)
    actor = m and (m.group(1) or m.group(2))
    if actor and _speaker_like(actor):
        return speaker_key(actor)
    m = _ASKS.match(title)
    if m and _speaker_like(m.group(1)):
        words = _words(m.group(1))
        if _starts_with_office(words) or _is_country(m.group(1)) or (len(words) <= 3 and "و" not in words):
            return speaker_key(m.group(1))
    if m:
        return _countries_together(m.group(1))
    return None


def _countries_together(phrase: str) -> str | None:
    """«قطر و عربستان», «روسیه، چین و ایران»: a joint statement's countries, as one key.

    Two joint statements of different countries are different actors' («قطر و عربستان» and
    «روسیه و قطر» calling for calm: stream2026_dev's two events); None unless every part is a country.
    """
    parts = [p.strip() for p in re.split(r"\s+و\s+|،", phrase) if p.strip()]
    if len(parts) < 2 or len(parts) > 4 or not all(_is_country(p) for p in parts):
        return None
    return " ".join(sorted(" ".join(_words(p)) for p in parts))


def _from_stance(title: str) -> str | None:
    """«روسیه، حمله به ایران را محکوم کرد», «یمن حملات هوایی ... را محکوم کرد», «محکومیت ... از سوی عمان»."""
    m = _BY_AT_END.search(title)
    if m and _JUDGEMENT_NOUN.match(title) and _speaker_like(m.group(1)) and len(_words(m.group(1))) <= 4:
        return speaker_key(m.group(1))
    if not _STANCE_RE.search(title.strip()):
        return None
    head, comma, _rest = title.partition("،")
    if comma and _speaker_like(head) and len(_words(head)) <= 4:
        return speaker_key(head)
    # a country named first («یمن حملات ... را محکوم کرد»); a pair («روسیه و قطر ...») as one actor
    words = title.split()
    for k in (5, 4, 3):
        if len(words) > k + 1 and "و" in words[:k] and (together := _countries_together(" ".join(words[:k]))):
            return together
    for k in (3, 2, 1):
        lead = " ".join(words[:k])
        if len(words) > k + 1 and _is_country(lead) and words[k] != "و" and not _is_country(" ".join(words[: k + 1])):
            return speaker_key(lead)
    return None


# A headline that judges something else: «واکنش X به ...», «محکومیت ... از سوی X»,
# «X ... را محکوم کرد», «پیام تسلیت X», «X ابراز همدردی کرد». Both real news sets label such a
# reaction another actor's event (../shared/eval/*.NOTES.md: "a reaction by another actor is a
# different event"), however many of the happening's words it repeats.
_JUDGEMENT = re.compile(
    r"^(?:واکنش|انتقاد|مخالفت|استقبال|محکومیت|تقبیح|پیام\s+(?:تسلیت|همدردی)|تسلیت|ابراز\s+(?:تاسف|تأسف|نگرانی|همدردی))\s"
    r"|(?:محکوم|تقبیح)\s+(?:کرد|کردند)\s*[.!]?\s*$"
    r"|تسلیت\s+(?:گفت|گفتند)|ابراز\s+(?:همدردی|تاسف|تأسف|نگرانی)\s+(?:کرد|کردند)"
    # «پیام رئیس قوه قضاییه در پی شهادت ...», «تجمع مردم مشهد در محکومیت حملات ...»
    r"|^پیام\s.*\sدر\s+پی\s|\sدر\s+(?:محکومیت|اعتراض\s+به)\s"
)


# «واکنش X به شایعه ...»: X answers a rumour, mostly about X («... به شایعه بستری شدنش»): a
# denial is X's statement, the same event as a report that the rumour was denied, not another
# actor's judgement of a happening
_ON_A_RUMOUR = re.compile(r"^واکنش\s.{1,60}?\sبه\s+(?:شایعه|شایعات)(?:[\s\u200c]|$)")
# «پیام تسلیت رئیس‌جمهور در پی ...», «پیام رئیس قوه قضاییه در پی ...»: the message's author
# «پیام همدردی رئیس‌جمهور با مردم زلزله‌زده ...» too (a newcomer's titles-only stream)
_MESSAGE_BY = re.compile(r"^پیام(?:\s+(?:تسلیت|تبریک|همدردی))?\s+(\S.{1,60}?)\s+(?:در\s+پی|به\s+مناسبت|درباره|به|با)\s")
# «سخنگوی وزارت امور خارجه حمله تروریستی راسک را محکوم کرد»: the judged act opens with one of
# these nouns; the words before it are who judges, when they name an office or a country
_JUDGED_ACT = frozenset(fold(w).replace("\u200c", "") for w in (
    "حمله", "حملات", "اقدام", "هتک", "اهانت", "قتل", "ترور", "انفجار", "تجاوز", "جنایت", "جنایات", "کشتار",
    "بمباران", "توقیف", "تحریم", "تصمیم", "سخنان", "اظهارات", "آتش", "قرآن‌سوزی", "اعدام", "حکم",
    # what a condolence is for: «رئیس مجلس حادثه زلزله ... را تسلیت گفت»
    "حادثه", "زلزله", "سیل", "شهادت", "درگذشت", "فوت", "فاجعه",
))


def _judge_before_act(head: str) -> str | None:
    """The office, country or one-word name before the judged act («سخنگوی وزارت ... حمله ... را
    محکوم کرد», «بقائی حمله ... را محکوم کرد»)."""
    words = head.split()
    for k, word in enumerate(words[1:8], start=1):
        if _plain(word) in _JUDGED_ACT:
            subject = " ".join(words[:k])
            if _speaker_like(subject) and (_starts_with_office(_words(subject)) or _is_country(subject)):
                return speaker_key(subject)
            # one name alone before the act: «بقائی حمله ... به بیروت را محکوم کرد»
            key = speaker_key(subject) if k == 1 and _speaker_like(subject) else None
            return key if key and is_bare_name(key) and not find_places(subject) else None
    return None


# A format label at a headline's end: «... را محکوم کردند + فیلم», «... (عکس)»
_MEDIA_TAIL = re.compile(r"\s*(?:\+|\()\s*(?:فیلم|عکس|تصاویر|ویدئو|ویدیو|صوت)\s*\)?\s*$")
# A crowd that reacts: a rally («تجمع مردم گرگان در محکومیت ...») or people named by their town
# («مردم قرچک ... را محکوم کردند», «دانشجویان مشهدی ...»). Its actor is the people of that place:
# the rallies of two towns are two actors, as two governments are (stream2026_dev's rule 5).
_RALLY = frozenset(fold(w).replace("\u200c", "") for w in (
    "تجمع", "اجتماع", "راهپیمایی", "تظاهرات", "گردهمایی", "خروش",
))
_CROWD_JUDGES = re.compile(r"\sدر\s+(?:محکومیت|اعتراض\s+به|حمایت\s+از)\s|\sرا\s+(?:محکوم|تقبیح)\s+(?:کرد|کردند)"
                           r"|\sعلیه\s")


@lru_cache(maxsize=4096)  # each headline's readers ask for it several times in a row
def _first_segment(title: str) -> str:
    """A headline's first segment, without a format label before or after it («فیلم | ...», «... + فیلم»)."""
    head = _clean(title, first=False)
    return _MEDIA_TAIL.sub("", next((s for s in _SEGMENTS.split(head) if s.strip()), head).strip())


def crowd(title: str) -> str | None:
    """The crowd a headline is about, «مردم <place id>», when it opens with a rally or a town's
    people («تجمع مردمی ... در گرگان», «مردم قرچک ...»); else None (see :func:`judgement`)."""
    return _crowd_actor(_first_segment(title))


# A meeting or a call between two parties, each named in the headline: «دیدار A با B», «A با B
# دیدار کرد», «گفت‌وگوی تلفنی A با B», «تماس تلفنی A با B». («دیدار» is also a match: «دیدار
# استقلال با سپاهان» has two parties the same way.)
_MEETING_NOUN = r"(?:دیدار|ملاقات|دیدار و گفت\s?و\s?گوی|گفت\s?و\s?گوی|تماس|رایزنی)(?:\s+تلفنی)?"
_MEETING_HEAD = re.compile(r"^" + _MEETING_NOUN + r"\s+(\S.{1,60}?)\s+با\s+(\S.{1,60})$")
_MEETING_VERB = re.compile(r"^(\S.{1,60}?)\s+با\s+(\S.{1,60}?)\s+(?:دیدار|ملاقات|گفت\s?و\s?گو|رایزنی)"
                           r"(?:\s+و\s+\S+)?\s+(?:کرد|کردند|میکند|می کند|میکنند|می کنند|خواهد کرد)$")
# «عراقچی در دیدار فیدان: ...», «السودانی در دیدار وزیر نفت ایران: ...»: one party speaks at it
_IN_MEETING = re.compile(r"^(\S.{1,40}?)\s+در\s+(?:دیدار|ملاقات|تماس تلفنی|گفت\s?و\s?گوی تلفنی)"
                         r"(?:\s+با)?\s+(\S.{1,40}?)\s*:")
# «دیدار عراقچی و فیدان», «گفت‌وگوی تلفنی پزشکیان و السودانی»: two parties of a word or two each
# («دیدار وزیران خارجه ایران و عمان» names two people by one plural office: not read)
_JOINT = re.compile(r"^" + _MEETING_NOUN + r"\s+(\S+(?:\s\S+)?)\s+و\s+(\S.{1,40})$")
_PLURAL_PARTIES = frozenset({"وزیران", "وزرای", "سران", "روسای", "رؤسای", "رییسان", "نمایندگان", "مقامات",
                             "هیئت", "هیات", "هییت"})
# a counterpart is named by the other party («همتای عمانی خود»): it cannot be told from a name
_COUNTERPART = frozenset({"همتای", "همتا", "همتایان"})
_CALL = re.compile(r"(?:تماس|گفت\s?و\s?گوی?|رایزنی)\s+تلفنی")
# «پمپئو جمعه میزبان وزرای خارجه ارمنستان و آذربایجان می‌شود» is a meeting (a newcomer's case)
_MET = re.compile(r"(?<![\u0600-\u06FF])(?:دیدار|ملاقات|میزبان)(?![\u0600-\u06FF])")


def _flat_first_segment(title: str) -> str:
    """The headline's first segment with ZWNJ as a space and single spaces: one spelling for the
    meeting patterns («گفت‌وگوی», «گفت و گوی»)."""
    return " ".join(_first_segment(title).replace("\u200c", " ").split())


def meeting_kind(title: str) -> str | None:
    """"call" for a headline about a phone call, "meeting" for one about a meeting (or a match:
    «دیدار»), None for neither or both: a call and a meeting are two events whoever took part."""
    first = _flat_first_segment(title)
    call, met = bool(_CALL.search(first)), bool(_MET.search(first))
    return "call" if call and not met else "meeting" if met and not call else None


def meeting(title: str) -> tuple[str, str] | None:
    """The two parties of a meeting or call the headline opens with, as speaker keys; else None.

    «دیدار وزیر خارجه عمان با رئیس‌جمهور» -> («وزیر خارجه عمان», «رییس جمهور»), folded as
    :func:`speaker_key` folds them; also «A با B دیدار کرد», «A در دیدار B: ...» and «دیدار A و
    B». A party that is no speaker phrase, or a counterpart
    («با همتای ایرانی»), gives None: one side alone says nothing about who else was there.
    """
    first = _flat_first_segment(title)
    m = _MEETING_HEAD.match(first) or _MEETING_VERB.match(first) or _IN_MEETING.match(first)
    if not m:
        m = _JOINT.match(first)
        if not m or _words(m.group(1))[0] in _PLURAL_PARTIES:
            return _one_office_of_two(first)
    keys = []
    for phrase in m.groups():
        cut = _cut(phrase)
        if not cut or not _speaker_like(cut) or _COUNTERPART & set(_words(cut)):
            return None
        key = speaker_key(cut)
        if key is None:
            return None
        keys.append(key)
    return keys[0], keys[1]


# «وزیران نفت ایران و عراق»: one plural office of two countries, two people
_PLURAL_OFFICE = re.compile(r"^(?:" + _MEETING_NOUN + r"\s+)?(وزیران|وزرای|روسای|رؤسای|رییسان|رئیسان|سفرای)"
                            r"\s+(.{1,40}?)\s+و\s+(\S.{0,60})$")
_TALKS = re.compile(r"(?<![\u0600-\u06FF])(?:دیدار|ملاقات|گفت\s?و\s?گو|رایزنی)(?![\u0600-\u06FF])")
_SINGULAR = {"وزیران": "وزیر", "وزرای": "وزیر", "روسای": "رییس", "رؤسای": "رییس", "رییسان": "رییس", "رئیسان": "رییس",
             "سفرای": "سفیر"}


def _one_office_of_two(first: str) -> tuple[str, str] | None:
    """«دیدار وزیران نفت ایران و عراق در بغداد» -> («وزیر نفت ایران», «وزیر نفت عراق»): the two
    countries' holders of one office; None unless both are countries."""
    m = _PLURAL_OFFICE.match(first)
    if not m:
        return None
    words = m.group(2).split()
    for n in (2, 1):  # the first country: the office's last one or two words («عربستان سعودی»)
        if len(words) > n and _is_country(" ".join(words[-n:])):
            office, home = " ".join(words[:-n]), " ".join(words[-n:])
            break
    else:
        return None
    # the second country: the next one or two words («... و تاجیکستان دیدار و گفت‌وگو کردند»)
    rest = m.group(3).split()
    other = next((" ".join(rest[:n]) for n in (2, 1) if len(rest) >= n and _is_country(" ".join(rest[:n]))), None)
    if other is None:
        return None
    # the plural opens the headline: a meeting only if it says one («... دیدار و گفت‌وگو کردند»),
    # not «وزیران خارجه ایران و عمان خواستار ... شدند»
    if first.startswith(m.group(1)) and not _TALKS.search(m.group(3)):
        return None
    a, b = (speaker_key(f"{_SINGULAR[m.group(1)]} {office} {c}") for c in (home, other))
    return (a, b) if a and b else None


def meetings_apart(a: tuple[Any, Any], b: tuple[Any, Any],
                   same: Callable[[Any, Any], bool | None] | None = None) -> bool:
    """Whether two meetings share one party and are known to differ in the other.

    A visitor's meeting with the foreign minister and his meeting with the president are two
    events; two meetings whose parties cannot all be told apart (a counterpart by office and
    by name: «رئیس جمهوری سوریه», «بشار اسد») are not said to differ.
    """
    orders = ((a[0], b[0], a[1], b[1]), (a[0], b[1], a[1], b[0]))
    same = same or same_speaker  # parties as keys, or as identities (same_identity)
    found = [(same(x, y), same(u, v)) for x, y, u, v in orders]
    if any(s == (True, True) for s in found):
        return False
    return any(set(s) == {True, False} for s in found)


def _below_country(text: str) -> list[str]:
    g = gazetteer()
    return [p for p in find_places(text) if g.places[p].kind != "country"]


def _crowd_actor(first: str) -> str | None:
    """«مردم <place id>» for a rally or a town's people, else None.

    The place is the one named before any judgement, not a country («مردم قرچک حملات ... به
    ایران را محکوم کردند» is Qarchak's people); none or several: None.
    """
    m = _CROWD_JUDGES.search(first)
    words = first[: m.start()].split() if m else first.split()
    # the crowd opens the headline: «تجمع (مردم) X», «مردم X», «دانشجویان X-ی»
    people = bool(words) and fold(words[0]) in PEOPLE
    if not words or not (people or _plain(words[0]) in _RALLY):
        return None
    # people are of the town that follows them («مادران گرگانی در سوگ دختران میناب»); a rally
    # is where its headline puts it before any judgement («تجمع مردمی ... در گرگان»)
    found = _below_country(" ".join(words[:2] if people else words))
    # «تجمع یزدی‌ها»: a town's people by their plural adjective
    if not found and len(words) > 1 and (plural := _plain(words[1])).endswith("یها"):
        found = _below_country(f"مردم {plural[:-2]}")
    # keyed by the place's id, which no headline's words name: a rally in Minab is not the
    # strike on Minab that it condemns (named_in), and the rallies of two towns differ (same_speaker)
    return f"مردم {found[0]}" if len(found) == 1 else None


def _office_at(phrase: str) -> str | None:
    """«نماینده ولی‌فقیه در هرمزگان» -> its key with the place: an office and where it is held."""
    cut = _cut(phrase)
    rest = phrase[len(cut):].strip().split()
    if not cut or not _speaker_like(cut) or not _starts_with_office(_words(cut)) or rest[:1] != ["در"]:
        return None
    where_held = local(find_places(" ".join(rest[1:])))
    key = speaker_key(cut)
    if key is None or len(where_held) != 1:
        return key
    return f"{key} {_place_words(next(iter(where_held)))}"


# A denial: «تکذیب ...», «... تکذیب شد», «... صحت ندارد», «... کذب است», «شایعه ... دروغ است».
_DENIAL = re.compile(r"^تکذیب\s|تکذیب\s+(?:شد|کرد|کردند)|صحت\s+ندارد|کذب\s+(?:است|محض)|دروغ\s+(?:است|محض)"
                     r"|واقعیت\s+ندارد|شایعه\s+است")


def is_denial(title: str) -> bool:
    """Whether a headline denies a claim: a statement, whoever made it, never the happening itself."""
    return bool(_DENIAL.search(_first_segment(title).replace("\u200c", " ")))


def judgement(title: str) -> str | None:
    """The actor of a headline that reacts to something else, "" if that actor cannot be read.

    None when the headline is no reaction. Read on the headline's first segment, after a
    format label («فیلم | واکنش ...», «... + فیلم»): «واکنش پاکستان به حمله ...» -> «پاکستان»,
    «چین حمله به ... را محکوم کرد» -> «چین», «پیام تسلیت ... در پی ...» -> "",
    «تجمع مردم گرگان در محکومیت ...» -> «مردم گرگان».
    """
    first = _first_segment(title)
    if _ON_A_RUMOUR.search(first):
        return None
    if not _JUDGEMENT.search(first):
        # a crowd against something («خروش مردم تبریز علیه جنایت ... در خاش») reacts to it
        return _crowd_actor(first) if re.search(r"\sعلیه\s", first) else None
    message = _MESSAGE_BY.match(first)
    if message and message.group(1) not in {"تسلیت", "تبریک", "همدردی"}:
        author = message.group(1)
        if _speaker_like(author):
            return speaker_key(author) or ""
        return _office_at(author) or ""
    return (_from_reaction(first) or _from_stance(first) or _judge_before_act(first) or _crowd_actor(first)
            or "")


def _clean(text: str, first: bool) -> str:
    text = text.strip()
    m = _LABEL_HEAD.match(text)
    if m and (words := _words(m.group(1))) and words[0] in _LABELS and len(words) <= 3:
        text = text[m.end():]
    text = _DATELINE.sub("", text)
    if first:
        text = _CITY_AGENCY.sub("", text, count=1)
    return text.strip()


def speaker(title: str, text: str = "") -> str | None:
    """The key of who made the statement the report is about, or None when unsure.

    Read from the headline only, in order: its «X:» prefix, «به گفته X» or «X گفت/اعلام
    کرد/خبر داد», a reaction («واکنش X به ...»), a headline that opens with a country and ends
    in a judgement («... را محکوم کرد») or names its author last («محکومیت ... از سوی عمان»).
    ``text`` (the lead) only gives an office its place («استاندار» -> «استاندار زنجان»). A
    headline's speaker makes the statement the event; a lead's «X گفت» attributes the facts of
    a happening to a source (the fire chief on a fire), and two sources of one fire are one
    event: read as speakers, they split the sample corpus's stories (B-cubed F1 0.967 -> 0.946)
    and rss2020_dev's (0.897 -> 0.892).
    """
    return speaker_and_name(title, text)[0]


def speaker_and_name(title: str, text: str = "") -> tuple[str | None, str | None]:
    """:func:`speaker`, and the headline's name for it when the lead gave its office instead
    («مهاجرانی: ...» over «سخنگوی دولت ... گفت»: ``("سخنگوی دولت", "مهاجرانی")``), else None.

    The pair tells who holds the office today, from the stream itself: another report that names
    only «مهاجرانی» is the spokesman's too (clustering.pairs.office_holders)."""
    head = _clean(title, first=False)
    segments = [s for s in _SEGMENTS.split(head) if s.strip()] or [head]
    # a roundup of several items («آمار کرونا | ... | مرکل: ...») is about none of its speakers;
    # a question and its answer («ساعت کاری تغییر می‌کند؟ | معاون استاندار: ...») is about the second
    key = next((k for k in map(_from_colon, segments[:2] if len(segments) <= 2 else segments[:1]) if k), None)
    key = key or _from_clause(segments[0]) or _from_reaction(segments[0]) or _from_stance(segments[0])
    name = None
    # a name or a body in the headline («سردار محمدیان», «پلیس پایتخت»), whom the lead quotes by office
    if key and not _split(key)[1] and not _is_country(key):
        office = _office_in_lead(title, text)
        if office:
            key, name = office, key
    return (_with_place(key, f"{title} {text[:300]}") if key else None), name


def is_bare_name(key: str) -> bool:
    """Whether a speaker key is a name alone: no office, title or body («پنتاگون»), and no country."""
    return not _split(key)[1] and not set(key.split()) & BODIES and not _is_country(key)


def _office_in_lead(title: str, text: str) -> str | None:
    """The office a lead gives the headline's named speaker: «مهاجرانی: ...» over «سخنگوی دولت در
    نشست خبری گفت: ...» is the government spokesman, whom other outlets name by office alone.

    Read only when the lead's first sentence says something (a verb of saying) and its opening
    phrase has an office among its first four words; names before the office are dropped
    («فاطمه مهاجرانی سخنگوی دولت ...» -> «سخنگوی دولت»). None otherwise."""
    first = _clean(lead_sentence(title, text), first=True)
    verb = _VERB_RE.search(first)
    if not verb:
        return None
    # the phrase ends at the verb: «رییس قوه قضاییه گفت: هیچ گزارشی تا امروز ...» is the chief
    words = _cut(first[:verb.start()]).split()
    at = next((k for k, w in enumerate(words[:4]) if _plain(w) in ROLES or _plain(w) in BODIES), None)
    office = " ".join(words[at:]) if at is not None else ""
    return speaker_key(office) if office and _speaker_like(office) else None


# Where an office in running text ends: a word of time or a preposition (_CUT), «و», or the
# meeting or saying it is the subject of («... رئیس‌جمهور کشورمان دیدار و گفت‌وگو کرد»).
_OFFICE_END = _CUT | frozenset({"و", "دیدار", "ملاقات", "گفتوگو", "گفتگو", "رایزنی", "تماس", "کرد", "کردند",
                                "گفت", "گفته", "میگوید", "نوشت", "افزود", "اعلام", "خواستار", "است", "بود", "شد",
                                "کرده", "داد", "دانست", "خواند"})
# Words before an office that are no part of a name: «... که وزیر», «این وزیر», ordinals of an office.
_NOT_A_NAME = _OFFICE_END | ROLES | BODIES | _GENERIC | frozenset({"این", "آن", "یک", "اول", "دوم", "سوم", "وی", "او",
                                                                    "همین", "خود", "دو", "کشورمان"})
_CLAUSES = re.compile(r"[،؛:.!؟?\n«»()\[\]\-–|/]")


def _name_word(word: str) -> bool:
    return _plain(word) not in _NOT_A_NAME and not _NOT_IN_SPEAKER.search(word)


def appositions(text: str) -> tuple[tuple[str, str], ...]:
    """The names ``text`` gives an office, as (name key, office key): «سید عباس عراقچی وزیر امور
    خارجه کشورمان صبح امروز با هاکان فیدان وزیر امور خارجه ترکیه دیدار کرد» -> («عباس عراقچی»,
    «وزیر امور خارجه کشورمان»), («هاکان فیدان», «وزیر امور خارجه ترکیه»).

    A name is two to four words right before an office word (ROLES), in its clause or as the whole
    clause before it («ابراهیم رئیسی، رئیس قوه قضائیه»); the office runs to a word of time, a
    preposition or «و» (_OFFICE_END), at most seven words. A name that is a place or holds an
    office word is none; one word alone («تجمع سخنگوی ...») is too often no name."""
    out: list[tuple[str, str]] = []
    before: list[str] = []
    for clause in _CLAUSES.split(text):
        words = clause.split()
        # «ابراهیم رئیسی، رئیس قوه قضائیه ...»: a clause that is only a name, then its office
        if words and _plain(words[0]) in ROLES and 2 <= len(before) <= 4 \
                and all(map(_name_word, before)):
            words, before = [*before, *words], words
        else:
            before = words
        k = 1
        while k < len(words):
            if _plain(words[k]) not in ROLES:
                k += 1
                continue
            start = k
            while start > 0 and k - start < 4 and _name_word(words[start - 1]):
                start -= 1
            end = k + 1
            while end < len(words) and end - k < _MAX_WORDS and _plain(words[end]) not in _OFFICE_END:
                end += 1
            if k - start >= 2:
                name, office = speaker_key(" ".join(words[start:k])), " ".join(words[k:end])
                if name and is_bare_name(name) and not find_places(name) and _speaker_like(office):
                    held = speaker_key(office)
                    if held:
                        out.append((name, held))
            k = end
    return tuple(out)


# The circumstance of a statement in its lead, between the speaker and the verb of saying: «در
# حاشیه آیین آغاز طرح زمستان ایمن در جمع خبرنگاران گفت: ...». It names the occasion, which one
# speaker's statements on several subjects share; «با اشاره به X» after it is the subject again.
_CIRCUMSTANCE = re.compile(
    r"\sدر\s+(?:حاشیه|نشست|جلسه|آیین|مراسم|جمع|سفر|بازدید|دیدار|همایش|گفت\s?و\s?گو|گفتگو|مصاحبه|کنفرانس|اجلاس"
    r"|سخنرانی)(?![\u0600-\u06FF]).*?(?=\s(?:گفت|اعلام کرد|افزود|خبر داد|تاکید کرد|تصریح کرد|با)\s|[،:]|$)"
)
_LEAD_END = re.compile(r"[.!؟?\n]")


def lead_text(title: str, text: str) -> str:
    """The lead: ``text`` is the title and lead (ArticleView.text), or the lead alone."""
    return text[len(title):] if title and text.startswith(title) else text


def lead_sentence(title: str, text: str) -> str:
    """The lead's first sentence (``text`` as :func:`lead_text` reads it)."""
    return _LEAD_END.split(lead_text(title, text).strip(), maxsplit=1)[0]


def offices_told(title: str, text: str) -> tuple[tuple[str, str], ...]:
    """The names a report gives an office (:func:`appositions`), its headline and its lead read
    apart: a headline's last words would run into the lead's first («... تامین شود وزیر امور
    خارجه کشورمان ...»). ``text`` as :func:`lead_text` reads it."""
    return (appositions(title) if title else ()) + appositions(lead_text(title, text))
# Words of time name no subject: one governor's dust plan «امسال» and his water plan «تا پایان امسال».
_TIME_WORDS = frozenset({
    "امروز", "دیروز", "فردا", "امشب", "امسال", "پارسال", "روز", "هفته", "ماه", "سال", "ساعت", "صبح", "ظهر",
    "عصر", "شب", "بامداد", "گذشته", "آینده", "جاری", "اکنون", "تاکنون", "فروردین", "اردیبهشت", "خرداد", "تیر",
    "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند", "شنبه", "یکشنبه", "دوشنبه", "سهشنبه",
    "چهارشنبه", "پنجشنبه", "جمعه", "ماهه", "ساعته", "روزه",
})
_SUBJECT_WORD = re.compile(r"[^\W\d_]+|\d{2,}")
# Rarer than this Zipf frequency a word can name a subject: reference.content_words' cut
# (function words and the commonest verbs removed).
_SUBJECT_ZIPF = 5.5


def lead_source(title: str, text: str) -> str | None:
    """Who the lead's first sentence quotes («مدیرعامل شرکت آب منطقه‌ای تهران امروز در نشست خبری
    گفت: ...»), as a speaker key; None if it quotes no one. The source of a report's facts, not
    the speaker of its headline (see :func:`speaker`). ``text`` is the title and lead."""
    first = _clean(lead_sentence(title, text), first=True)
    return _from_clause(first) if first else None


def subject(title: str, text: str, key: str, told: tuple[tuple[str, str], ...]) -> frozenset[str]:
    """What a statement is about: the content words of its headline and its lead's first
    sentence, without the speaker's words (``key``), the occasion (see _CIRCUMSTANCE), words of
    time and words commoner than Zipf 5.5; figures of two digits or more kept. ``text`` is the
    title and lead as the window holds them (ArticleView.text); ``told`` the report's
    :func:`offices_told`, whose names are the speaker's too.

    Two statements of one speaker with no such word in common are on two subjects: rss2020_dev
    splits a press appearance by topic when its items cover different topics (its NOTES).
    """
    from clustering.reference import zipf

    head = _first_segment(title)
    lead = _clean(lead_sentence(title, text), first=True)  # without «به گزارش ایرنا،»
    drop = set(key.split()) | _TIME_WORDS | _AGENCIES
    # who speaks is not what is said: the headline's «X:» and the lead's «X ... گفت:»
    for phrase in (_from_colon(title), _from_clause(lead)):
        drop |= set(phrase.split()) if phrase else set()
    drop |= {w for name, _office in told for w in name.split()}
    said = f"{head} {_CIRCUMSTANCE.sub(' ', ' ' + lead)}"
    words = _SUBJECT_WORD.findall(fold(said).replace("\u200c", " "))
    return frozenset(w for w in words
                     if w not in drop and (w[0].isdigit() or (len(w) > 2 and zipf(w) <= _SUBJECT_ZIPF)))


def title_words(title: str) -> frozenset[str]:
    """Every word of a headline, folded as speaker keys fold them (to look an actor up in it)."""
    return frozenset(_folded(title).split())


def opening_words(title: str, text: str) -> frozenset[str]:
    """Every word of a headline and its lead's first sentence, folded as speaker keys are: where a
    retelling of a statement names its speaker («زمان واریز کالابرگ اعلام شد» over «بنا بر اعلام
    سخنگوی دولت، ...»). ``text`` is the title and lead (ArticleView.text)."""
    return title_words(f"{title} {lead_sentence(title, text)}")


def headline_words(title: str) -> frozenset[str]:
    """The words of a headline that could itself be a speaker phrase, folded as keys are.

    Only a headline of seven words or fewer, not vague, gives its words: the speaker features
    were fitted so («جدل سخت ظریف و ترامپ» names Zarif), and every headline's words
    (:func:`title_words`) cost stream2026_dev 0.421/0.934 -> 0.410/0.930 pair/B-cubed F1
    refitted (a long headline names people it is not about). A long headline's first segment
    is a short headline of its own («توییت خصمانه ترامپ علیه ایران | گفته‌ام قایق‌های ایرانی را
    بزنند» names Trump): rss2020_dev 0.599/0.908 -> 0.605/0.910 pair/B-cubed F1, the other sets
    unchanged (python -m benchmarks.fit_clustering, 2026-12-01).
    """
    key = speaker_key(title) if title.strip() else None
    if key is None and title.strip() and (first := _first_segment(title)) != title:
        key = speaker_key(first)
    return frozenset(key.split()) if key else frozenset()


_SPOKESMEN = frozenset({"سخنگوی", "سخنگو"})  # who speaks for a body, which names him by its name


def named_in(key: str, words: frozenset[str]) -> bool:
    """Whether a headline's ``words`` name the speaker ``key``: its distinctive words, else its roles.

    An office is named by its role and its place or body together: «هوای تهران پاک است» names
    Tehran, not «استاندار تهران» nor «شهردار تهران» (a made-up day of three sites of 2020 joined
    the mayor's fares to the city's air so), and «پیروزی استقلال مقابل تراکتور» names the team,
    not «سرمربی تراکتور». A spokesman speaks for his body: «وزارت امور خارجه» names
    «سخنگوی وزارت امور خارجه». On the four labelled sets, the place rule alone and this one score
    the same (python -m benchmarks.fit_clustering, 2026-12-01).
    """
    _, roles, distinct = _split(key)
    wanted = distinct or roles
    if roles and distinct and not roles & _SPOKESMEN:
        wanted = roles | distinct
    return bool(wanted) and wanted <= words


def _split(key: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    words = key.split()
    roles = frozenset(w for w in words if w in ROLES)
    distinct = frozenset(w for w in words if w not in _GENERIC)
    return frozenset(words), roles, distinct


def _government(key: str) -> str:
    """A country or a city abroad that speaks is that country's government («واکنش اسلام‌آباد
    به ...» is Pakistan's, «مسکو» Russia's, «آمریکا» and «واشنگتن» one): the key of the country's
    first name; any other key as it is."""
    g = gazetteer()
    for r in g.readings.get(name_key(key)[0], ()):
        if not r.cued and g.places[r.place].kind in ("country", "world_city"):
            home = country(r.place, g)
            if home and home != "IR" and g.places[home].names:
                return _place_words(home)
    return key


# Words that make the name after them someone else's: «رییس دفتر روحانی» is not Rouhani.
_OF_ANOTHER = frozenset({"دفتر", "مشاور", "معاون", "سفیر", "نماینده", "دستیار", "جانشین", "کاردار", "همسر",
                         "وکیل", "دبیر", "عضو"})


def _without_countries(key: str) -> str:
    """A key without its countries' names, one or two words each («ایالات متحده», «جمهوری اسلامی»);
    a province or city stays («استاندار لرستان»)."""
    words = key.split()
    drop: set[int] = set()
    for k in range(len(words)):
        for n in (2, 1):
            if k + n <= len(words) and not drop & set(range(k, k + n)) and _is_country(" ".join(words[k:k + n])):
                drop |= set(range(k, k + n))
    return " ".join(w for k, w in enumerate(words) if k not in drop)


def _kind(key: str) -> str:
    """What a key without an office names: a country, a body or a person."""
    return "country" if _is_country(key) else "person" if is_bare_name(key) else "body"


def _nations(key: str) -> frozenset[str]:
    """The countries a speaker key names (Iran for its provinces and «جمهوری اسلامی»)."""
    from clustering.places import countries, places

    return countries(places(key))


def same_identity(a: tuple[str, ...], b: tuple[str, ...]) -> bool | None:
    """same_speaker over the keys one speaker goes by (a name and the office the window gives it,
    clustering.pairs.office_holders): one if any two keys are one, else two if any two are two
    («لاریجانی» and «پزشکیان», whatever their offices), else None."""
    found = {same_speaker(x, y) for x in a for y in b}
    return True if True in found else False if False in found else None


def same_speaker(a: str | None, b: str | None) -> bool | None:
    """Whether two speaker keys name one speaker: None if either is unknown or it cannot be told.

    True when equal, or when one's distinctive words (not offices and titles) all occur in the
    other with no clash of roles («عراقچی» and «وزیر امور خارجه عراقچی»). False when both hold
    the same role for different places or bodies («استاندار لرستان», «استاندار کرمانشاه»), when
    they hold different roles («استاندار لرستان», «معاون استاندار لرستان»), when two bare
    names, countries or bodies differ («لاوروف», «مدودف»), or when they name different countries
    («وزیر امور خارجه آمریکا», «وزیر امور خارجه جمهوری اسلامی»; one country's two names are
    one), a bare office or body being Iran's as Persian outlets write it («سخنگوی وزارت امور
    خارجه» is not «وزارت امور خارجه عراق»). A country and a person («روسیه», «لاوروف»), a person
    and a body, a bare name and an office abroad, and someone's office or envoy and him
    («رییس دفتر روحانی», «روحانی») cannot be told.
    """
    if a is None or b is None:
        return None
    a, b = _government(a), _government(b)
    if a == b:
        return True
    na, nb = _nations(a), _nations(b)
    # a country speaks through its foreign ministry: «عراق ... را محکوم کرد», «وزارت خارجه عراق»
    for x, y, nx, ny in ((a, b, na, nb), (b, a, nb, na)):
        if _is_country(x) and {"وزارت", "خارجه"} <= set(y.split()) and (ny or frozenset({"IR"})) == nx:
            return True
    # one country by two names: «وزیر امور خارجه آمریکا», «وزیر امور خارجه ایالات متحده»
    same = _same_words(*map(_without_countries, (a, b))) if na == nb and na else _same_words(a, b)
    if same is False:
        return False
    # whose country: «وزیر امور خارجه آمریکا» is not «وزیر امور خارجه جمهوری اسلامی», and an
    # office abroad is not told from a bare office, which Persian outlets use for Iran's own
    if na != nb:
        if na and nb and not (na <= nb or nb <= na):  # «عربستان و قطر» is not «روسیه و قطر»
            return False
        if not (na and nb) and (na | nb) - {"IR"}:
            # a bare office or body is Iran's, as Persian outlets write it: «سخنگوی وزارت امور خارجه»
            # is not «وزارت امور خارجه عراق»; a bare name may be anyone's
            bare = b if na else a
            return False if not is_bare_name(bare) and not _is_country(bare) and "IR" not in (na | nb) else None
    return same


def _same_words(a: str, b: str) -> bool | None:
    """same_speaker's reading of two keys' roles and distinctive words, countries aside."""
    ta, ra, da = _split(a)
    tb, rb, db = _split(b)
    if ra and rb and ra != rb:
        return False
    if da and db and (da <= tb or db <= ta):
        # «رییس دفتر روحانی», «سفیر ایران», «دبیر شورای عالی امنیت ملی» work for the other
        # («روحانی», «ایران», the council): not the same speaker, not another either; a
        # spokesman speaks as his ministry does
        if (ta ^ tb) & _OF_ANOTHER:
            return None
        return True
    if ra and ra == rb and da and db:
        return False
    if ra and ra == rb and not da and not db:  # «رییس جمهور کشورمان», «رییس جمهوری»: one office
        return True
    # two names («لاوروف», «مدودف»), two countries or two bodies; a name and a body («محمدیان»,
    # «پلیس پایتخت») cannot be told
    if not ra and not rb and da and db and _kind(a) == _kind(b):
        return False
    # an office of one body against another body: «فرمانده قرارگاه خاتم» is not «وزارت دفاع»
    # (an office of that body shares its words and is one with it above)
    if bool(ra) != bool(rb) and da and db and not da & db and _kind(b if ra else a) == "body":
        return False
    return None
