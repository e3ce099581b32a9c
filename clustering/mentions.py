"""What a report says about when and how many: figures in its title, Jalali dates and weekdays.

Reports of one happening repeat its figures and its day; two days of official figures, or
two daily price posts, differ in exactly these (DESIGN.md: "two days' casualty figures are
two stories"). The text is read after ingestion's normalization (Persian digits, ZWNJ kept).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
           "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
_UNITS = {"یکم": 1, "اول": 1, "دوم": 2, "سوم": 3, "چهارم": 4, "پنجم": 5,
          "ششم": 6, "هفتم": 7, "هشتم": 8, "نهم": 9}
_ORDINALS = {**_UNITS, "دهم": 10, "یازدهم": 11, "دوازدهم": 12, "سیزدهم": 13, "چهاردهم": 14,
             "پانزدهم": 15, "شانزدهم": 16, "هفدهم": 17, "هجدهم": 18, "هیجدهم": 18, "نوزدهم": 19,
             "بیستم": 20, "سیام": 30, "سی ام": 30}
_ORDINALS.update({f"بیست و {w}": 20 + n for w, n in _UNITS.items() if w != "اول"})
_ORDINALS["سی و یکم"] = 31
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_ORDINAL_RE = "|".join(sorted(map(re.escape, _ORDINALS), key=len, reverse=True))
_WEEKDAY = re.compile(r"(?<![\u0600-\u06FF])((?:یک|دو|سه|چهار|پنج)\s?)?(شنبه|جمعه)(?![\u0600-\u06FF])")
# «جمعه» also names Friday prayers and their imams, which say nothing about the day
_NOT_A_DAY = re.compile(r"(?:نماز|امام|ائمه|امامان)\s*$")
_DATE = re.compile(r"(?<!\S)([0-9۰-۹]{1,2}|" + _ORDINAL_RE + r")\s+(" + "|".join(_MONTHS) + r")(?:ماه)?(?!\S)")


# Python's weekday numbers (Monday 0) of the Persian week, which starts on Saturday.
WEEKDAY_NUMBER = {"شنبه": 5, "یکشنبه": 6, "دوشنبه": 0, "سهشنبه": 1, "چهارشنبه": 2, "پنجشنبه": 3, "جمعه": 4}
# «امروز (یکشنبه)», «امروز یکشنبه»: the day a report was written, when it gives no date.
_TODAY = re.compile(r"(?<![\u0600-\u06FF])امروز\s*\(?\s*((?:یک|دو|سه|چهار|پنج)?\s?(?:شنبه|جمعه))(?![\u0600-\u06FF])")


def today(text: str) -> int | None:
    """The weekday a report calls today («امروز (یکشنبه)»), as Python's weekday number."""
    m = _TODAY.search(text.replace("\u200c", ""))
    return WEEKDAY_NUMBER.get(m.group(1).replace(" ", "")) if m else None


# A photo or video item: a format label as its own headline segment («فیلم | ...», «... + عکس»),
# or a headline that opens by naming new pictures («نخستین تصاویر ...») or pictures of
# something («تصاویر دیده‌نشده از ...»), not one about films («فیلم‌های جشنواره فجر ...»).
# Such items show a happening already reported; they rarely are a new one.
_MEDIA_WORD = r"(?:فیلم|عکس|تصاویر|تصویر|ویدئو|ویدیو|اینفوگرافیک|موشن\s*گرافیک|گزارش\s+تصویری|صوت)"
_MEDIA = re.compile(
    r"(?:^|[|+/:؛])\s*" + _MEDIA_WORD + r"\s*(?:[|+/:؛]|$)"
    r"|^\s*(?:نخستین|اولین|جدیدترین|تازه\s*ترین)\s+" + _MEDIA_WORD + r"(?:\s*های)?\s"
    r"|^\s*" + _MEDIA_WORD + r"(?:\s*های)?(?:\s+\S+){0,3}\s+از\s"
)


# A digest: one headline over several happenings («اخبار کوتاه اردبیل / ...», «از شهادت ... در
# میناب تا آغاز به کار کارگروه‌های دولت»). It is its own event (stream2026_dev's rule 4: a feature
# stays with its happening only if it names no other), whatever it shares with each happening.
# «از X تا Y» counts when both ends are phrases of two words or more and X is no time («از امروز
# تا ...», «از ساعت ۸ تا ۱۲») nor a one-word figure of speech («از شایعه تا واقعیت»).
_DIGEST_HEAD = re.compile(
    r"^\s*(?:(?:اخبار|خبرهای?)\s+(?:کوتاه|مهم)|(?:خلاصه|گزیده|مهم\u200cترین|مهمترین|مرور)\s+(?:اخبار|خبرها|خبرهای))"
    r"(?![\u0600-\u06FF])"
)
_FROM_TO = re.compile(r"^\s*از\s+(\S+\s+\S.{0,80}?)\s+تا\s+(\S+\s+\S+)")
_TIMES = frozenset({"امروز", "فردا", "دیروز", "امشب", "ساعت", "روز", "هفته", "ماه", "سال", "ابتدای", "اول", "صبح",
                    "شب", "اکنون", "حالا", "زمان", "دهه", "قرن", "اوایل", "اواسط", "اواخر", "نیمه"})


# An opinion piece under its label («یادداشت | ...», «تحلیل | ...», «سرمقاله: ...») reports no
# happening: its own event, as a digest is, however much it shares with the news it discusses (a
# newcomer's full-body day of three sites: «تحلیل | اسنپ‌بک؛ ...» joined Pompeo's push for the arms
# embargo). No title of the four labelled sets carries such a label.
_OPINION_HEAD = re.compile(r"^\s*(?:یادداشت|تحلیل|سرمقاله|دیدگاه|یادداشت\s+روز|تحلیل\s+روز)\s*[|:/؛]")


def is_digest(title: str) -> bool:
    """Whether a headline rounds up several happenings (see _DIGEST_HEAD and _FROM_TO), or is an
    opinion piece (_OPINION_HEAD): either is its own event."""
    if _DIGEST_HEAD.search(title) or _OPINION_HEAD.search(title.replace("\u200c", " ")):
        return True
    m = _FROM_TO.search(title)
    return bool(m) and m.group(1).split()[0] not in _TIMES and not any(c.isdigit() for c in m.group(1).split()[0])


# A price post quotes one market: the day's coin and gold in Tehran, the dollar, the stock index,
# world gold, the central bank's official rates. Two posts on different goods, or one on the world
# market or the official rate and one not, are two events (stream2026_dev's rule 6: decisions and
# figures are split by issuer), however alike their templates («قیمت ... امروز ۷ آذر»). Words of
# goods by market, written as ingestion normalizes them; a currency after a figure is a unit
# («با قیمت ۴۰۰ دلار»), not the market quoted. Our own list: no Persian lexicon of markets exists.
_GOODS = {
    "currency": "دلار یورو ارز درهم پوند لیر یوان روبل",
    "gold": "طلا سکه",
    "stocks": "بورس سهام",
    "otc": "فرابورس",  # the OTC market's index is not the Tehran exchange's
    "oil": "نفت برنت",
    "fuel": "بنزین گازوئیل",
    "car": "خودرو خودروها پژو پراید سمند تیبا دنا",
    "housing": "مسکن آپارتمان اجاره اجاره‌بها",
    "food": "مرغ گوشت تخم‌مرغ برنج روغن شکر لبنیات میوه هندوانه انار سیب پرتقال",
    "crypto": "بیت‌کوین رمزارز",
    "metal": "مس آهن فولاد",
}
_GOODS_OF = {w.replace("\u200c", ""): g for g, words in _GOODS.items() for w in words.split()}
_PRICE_WORD = re.compile(r"(?<![\u0600-\u06FF])(?:قیمت|نرخ|بهای|شاخص\s+(?:کل|بورس|فرابورس))(?![\u0600-\u06FF])"
                         # or a figure in toman or rial, a channel or index points: «دلار ... به کانال ۱۴۲
                         # هزار تومان برگشت», «پراید ۷۰ میلیون تومانی شد», «شاخص ۱۸ هزار واحد بالا رفت»
                         r"|[0-9۰-۹]+(?:\s+(?:هزار|میلیون|میلیارد))*\s+(?:تومان|تومانی|ریال|ریالی|واحد|واحدی)"
                         r"(?![\u0600-\u06FF])|(?<![\u0600-\u06FF])کانال(?![\u0600-\u06FF])")
_AMOUNT = re.compile(r"^(?:[0-9۰-۹٫.,]+|هزار|میلیون|میلیارد|صد)$")
_WORLD = frozenset({"جهانی", "جهان", "بینالمللی"})
_UNITS = frozenset({"دلار", "یورو", "درهم", "پوند", "لیر", "یوان", "روبل"})  # «۴۰۰ دلار»; «۱۸ ارز» is 18 currencies


def market(title: str) -> frozenset[str] | None:
    """The market a price headline quotes: its goods («gold», «currency», «stocks», ...) and
    «@world» or «@official» when it names the world market or the official rate; None for a
    headline that quotes no price of known goods. ``title`` as ingestion normalizes it."""
    flat = title.replace("\u200c", "")
    if not _PRICE_WORD.search(flat):
        return None
    words = re.findall(r"[\u0600-\u06FF0-9۰-۹٫.,]+", flat)
    goods = {_GOODS_OF[w] for k, w in enumerate(words)
             if w in _GOODS_OF and not (w in _UNITS and k and _AMOUNT.match(words[k - 1]))}
    if "شاخص" in words and ("کل" in words or "بورس" in words) and "otc" not in goods:
        goods.add("stocks")
    if not goods:
        return None
    marks = {"@world"} & {"@world" for w in words if w in _WORLD} | ({"@official"} if "رسمی" in words else set())
    return frozenset(goods | marks)


def markets_apart(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two price posts quote different markets: no goods in common, or one quotes the
    world market or the official rate and the other not."""
    goods_a = {x for x in a if not x.startswith("@")}
    goods_b = {x for x in b if not x.startswith("@")}
    return not goods_a & goods_b or (a - goods_a) != (b - goods_b)


# A numbered unit of one kind: a metro or rail line, a gas field's phase, a city district, a
# plant's unit, a terminal («خط یک مترو», «فاز ۱۴ پارس جنوبی», «منطقه ۲۲», «واحد ۲ نیروگاه»).
_UNIT_KINDS = {"خط": "line", "خطوط": "line", "فاز": "phase", "فازهای": "phase", "منطقه": "district",
               "مناطق": "district", "واحد": "unit", "واحدهای": "unit", "ترمینال": "terminal", "پایانه": "terminal"}
_NUMBER_WORDS = {"یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
                 "یازده": 11, "دوازده": 12}
_UNIT = re.compile(r"(?<![\u0600-\u06FF])(" + "|".join(_UNIT_KINDS) + r")\s+((?:[0-9۰-۹]+|" + "|".join(_NUMBER_WORDS)
                   + r")(?:\s*(?:و|،|,)\s*(?:[0-9۰-۹]+|" + "|".join(_NUMBER_WORDS) + r"))*)(?![\u0600-\u06FF0-9۰-۹])")


def units(text: str) -> frozenset[tuple[str, int]]:
    """The numbered units ``text`` names, as (kind, number): «خط یک» and «خط ۱» are («line», 1),
    «فازهای ۱۳ و ۱۴» two phases. Where a thing happened, finer than a city."""
    out = set()
    for m in _UNIT.finditer(text.replace("\u200c", "")):
        for n in re.split(r"\s*(?:و|،|,)\s*", m.group(2)):
            out.add((_UNIT_KINDS[m.group(1)], _NUMBER_WORDS.get(n) or int(n.translate(_DIGITS))))
    return frozenset(out)


def units_apart(a: frozenset[tuple[str, int]], b: frozenset[tuple[str, int]]) -> bool:
    """Whether two reports name units of one kind and none in common: metro line 1 and line 4."""
    kinds = {k for k, _ in a} & {k for k, _ in b}
    return any(not {n for k, n in a if k == kind} & {n for k, n in b if k == kind} for kind in kinds)


def is_media_item(title: str) -> bool:
    """Whether a headline presents pictures, video or sound of something («عکس | ...»)."""
    return bool(_MEDIA.search(title.replace("\u200c", "")))


@dataclass(frozen=True)
class Mentions:
    """The figures and days one report names."""

    numbers: frozenset[str] = frozenset()  # figures of two or more digits in the title
    dates: frozenset[tuple[int, int]] = frozenset()  # (Jalali month 1-12, day)
    years: frozenset[int] = frozenset()  # Jalali years named (see years)
    weekdays: frozenset[str] = frozenset()
    media: bool = False  # a photo or video item (see is_media_item)
    places: frozenset[str] = frozenset()  # gazetteer ids of the places named (clustering.places)
    speaker: str | None = None  # who made the statement reported (clustering.speakers)
    headline_words: frozenset[str] = frozenset()  # the title's words, folded as speaker keys are
    judge: str | None = None  # who reacts, if the headline is a reaction ("" unread; speakers.judgement)
    title_words: frozenset[str] = frozenset()  # every word of the title, folded as speaker keys are
    digest: bool = False  # a headline over several happenings, or an opinion piece (see is_digest)
    crowd: str | None = None  # the rally or town's people a headline is about (speakers.crowd)
    meeting: tuple[str, str] | None = None  # the two parties of a meeting or call (speakers.meeting)
    meeting_kind: str | None = None  # "call" or "meeting" (speakers.meeting_kind)
    subject: frozenset[str] = frozenset()  # what the speaker's statement is about (speakers.subject)
    market: frozenset[str] | None = None  # the market a price post quotes (see market)
    offices: tuple[tuple[str, str], ...] = ()  # (name, office) the report gives (speakers.appositions)
    units: frozenset[tuple[str, int]] = frozenset()  # numbered units: metro line 1 (see units)
    denial: bool = False  # the headline denies a claim (speakers.is_denial)
    source: str | None = None  # whom the lead's first sentence quotes (speakers.lead_source)


_GREGORIAN_MONTHS = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "می", "ژوئن", "ژوئیه", "جولای", "اوت", "اگوست",
                     "سپتامبر", "اکتبر", "نوامبر", "دسامبر")
_BEFORE_A_YEAR = frozenset(_MONTHS + _GREGORIAN_MONTHS + ("سال", "سالهای", "سال‌های"))


def numbers(tokens: tuple[str, ...] | list[str], digits: int = 2) -> frozenset[str]:
    """Figures of at least ``digits`` digits among tokens; one-digit ones (۵ ٫ ۶, «۲ میلیون») are
    too common to tell one day's events apart.

    A year after a month or «سال» («۷ آذر ۱۴۰۵», «سال ۲۰۲۶») is a date, not a figure.
    """
    out = set()
    for k, t in enumerate(tokens):
        if not (t.isdigit() and len(t) >= digits):
            continue
        value = t.translate(_DIGITS)
        if len(value) == 4 and k > 0 and tokens[k - 1] in _BEFORE_A_YEAR:
            continue
        out.add(value)
    return frozenset(out)


def dates(text: str) -> frozenset[tuple[int, int]]:
    """Jalali day-and-month mentions: «۳ اردیبهشت», «سوم اردیبهشت‌ماه»."""
    out = set()
    for m in _DATE.finditer(text.replace("\u200c", "")):
        day = _ORDINALS.get(m.group(1)) or int(m.group(1).translate(_DIGITS))
        if 1 <= day <= 31:
            out.add((_MONTHS.index(m.group(2)) + 1, day))
    return frozenset(out)


_YEAR = re.compile(r"(?<![\u0600-\u06FF])(?:سال(?:\s*های)?|" + "|".join(_MONTHS) + r")(?:ماه)?"
                   r"\s+([0-9۰-۹]{2}|[0-9۰-۹]{4})(?![0-9۰-۹])")


def years(text: str) -> frozenset[int]:
    """The Jalali years a text names after «سال» or a month («سال ۹۶», «آذر ۱۴۰۵», «سال 2014»).

    Two digits are the Jalali century's («۹۶» is 1396); a Gregorian year gives both Jalali
    years it overlaps (2014 is 1392 and 1393), so one year written in the two calendars agrees.
    """
    out: set[int] = set()
    for m in _YEAR.finditer(text.replace("\u200c", "")):
        value = int(m.group(1).translate(_DIGITS))
        if value < 100:
            out.add(1300 + value)
        elif 1300 <= value <= 1500:
            out.add(value)
        elif 1800 <= value <= 2200:
            out |= {value - 622, value - 621}
    return frozenset(out)


def weekdays(text: str) -> frozenset[str]:
    """Weekday names, compounds joined: «سه‌شنبه», «سه شنبه» and «سهشنبه» are one day."""
    flat = text.replace("\u200c", "")
    out = set()
    for m in _WEEKDAY.finditer(flat):
        if m.group(2) == "جمعه" and _NOT_A_DAY.search(flat[max(0, m.start() - 12) : m.start()]):
            continue
        out.add((m.group(1) or "").strip() + m.group(2))
    return frozenset(out)


def mentions(title_tokens: tuple[str, ...], text: str, title: str = "") -> Mentions:
    """Figures of the title (the lead repeats background figures); dates and weekdays of the text."""
    from clustering.places import on_land, where, without_topic
    from clustering.speakers import (
        crowd,
        headline_words,
        is_denial,
        judgement,
        lead_sentence,
        lead_source,
        meeting,
        meeting_kind,
        offices_told,
        speaker_and_name,
        subject,
        title_words,
    )

    # Where it happened is the headline's place; a lead often lists the provinces a national
    # story touches (a weather warning for fourteen provinces), which is not its place. A
    # headline that names only a sea or a region of the world («پالایشگاه ستاره خلیج فارس»,
    # «تنش در خاورمیانه») has not said where: the lead's places are added.
    met, kind = (meeting(title), meeting_kind(title)) if title else (None, None)
    # a meeting's or call's subject is no place of it (places.without_topic)
    place = where(without_topic(title) if met or kind else title) if title else frozenset()
    if not on_land(place):
        place = place | where(text)
    # a crowd is where it gathers: «مادران گرگانی در سوگ دختران میناب» happens in Gorgan, a rally
    # in Tehran condemning a strike on Isfahan in Tehran
    gathered = crowd(title) if title else None
    if gathered:
        place = frozenset({gathered.split()[-1]})
    said, name = speaker_and_name(title, text) if title else (None, None)
    told = offices_told(title, text)
    return Mentions(numbers(title_tokens), dates(text), years(text), weekdays(text), is_media_item(title), place,
                    said, headline_words(title), judgement(title) if title else None, title_words(title),
                    is_digest(title), gathered, meeting=met,
                    subject=subject(title, text, said, told) if said else frozenset(),
                    meeting_kind=kind,
                    market=market(title) if title else None,
                    offices=told + (((name, said),) if name and said else ()),
                    units=units(f"{title} {lead_sentence(title, text)}"),
                    denial=is_denial(title) if title else False,
                    source=lead_source(title, text) if title else None)
