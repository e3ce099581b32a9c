"""Where a report happened: the places a Persian headline names, from ``data/places.tsv``.

Reports that share a template but not an event (rallies in twenty cities, each governor saying
basic goods suffice, two earthquakes in two provinces on one day) differ in their place; so do
each country's reactions (DESIGN.md, "What a real stream adds"). This module finds the places
and says whether two reports' places can be the same: ``compatible``.

Place ids: a country is its ISO 3166-1 code (``IR``, ``US``); an Iranian province its ISO
3166-2 code (``IR-06`` Khuzestan); a county ``IR-06-abadan``; a city inside a county
``IR-06-bandarimam``; a world city or a country's region ``US-washington``, ``PS-gaza``; a sea
or strait ``R-persiangulf``; a supranational area (continent, "the Middle East", the EU)
``A-europe``. A province whose capital has its name (تهران, اصفهان, قم ...) has one row: the
bare name is the province, the broader reading, so a wrong reading joins rather than splits.

The matcher works on words, not characters: the text is folded (Arabic letter variants, hamza
seats, diacritics), split into words at spaces, ZWNJ and punctuation, and word runs are looked
up in one dict. A name written with a space or ZWNJ («تل‌آویو», «تل آویو») matches with either
or with none («تلآویو»); a name written solid matches only where its parts are known to split
(before «آباد» and «شهر», after «بندر»), so «بندر عباس» finds بندرعباس but no two ordinary
words glue into a place. Names that are also common words («نور», «میانه», «مهر») are *cued*:
they count only after a word that announces a place («شهرستان نور», «فرماندار مهر»). Pure
Python, one dict lookup per word: a 50,000-headline window takes 1.0-1.3 s on a shared 2-core
machine, the table loads and indexes in 20 ms (tests/test_places.py::test_fast).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent.parent / "data" / "places.tsv"

KINDS = ("country", "province", "county", "city", "world_city", "region", "area")

# Letter variants that spell one name several ways: Arabic yeh/kaf (ingest normalizes them, but
# a raw title may reach us), hamza seats («اسرائیل»/«اسراییل», «مأرب»/«مارب», «نائین»/«نایین»),
# teh marbuta and heh with hamza («منطقهٔ»), tatweel and the diacritics.
_FOLD = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "ئ": "ی", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و", "ة": "ه", "ۀ": "ه",
     "ە": "ه", "\u0640": None, "\u0654": None, "\u0655": None, "\u0670": None}
    | {chr(c): None for c in range(0x064B, 0x0653)}
)
# A word: letters only. ZWNJ, spaces, digits and punctuation all end a word.
_WORD = re.compile(r"[^\W\d_]+")
# What may stand between two words of one name: spaces and ZWNJ, nothing else («تل، آویو» is not
# a name).
_JOIN = re.compile("[ \u200c]*")
# Where a solid spelling may be split in running text: «خرم آباد», «مشگین شهر», «بندر عباس».
_SUFFIXES = ("آباد", "شهر")
_PREFIXES = ("بندر",)

# What may follow a name across a ZWNJ and still leave it the name: plural and possessive
# endings («تهران‌ها», «ایران‌مان»). Any other word after a ZWNJ makes a compound: «نجف‌آبادی»
# is a surname, not Najaf. A name right after a ZWNJ is a compound's tail («دری‌نجف‌آبادی»).
_ZWNJ_SUFFIXES = frozenset({"ها", "های", "هایی", "ای", "ی", "یی", "اش", "ام", "مان", "تان", "شان", "است"})

# Words that announce a place, after which a cued name counts: «شهرستان نور», «فرماندار مهر»,
# «امام جمعه بهار» (the last word of «امام جمعه»), «کشور مالی».
CUES = frozenset({
    "شهر", "شهرستان", "استان", "بندر", "مرز", "منطقه", "کشور", "جمهوری",
    "فرماندار", "فرمانداری", "شهردار", "شهرداری", "بخشدار", "بخشداری", "استاندار", "استانداری",
    "دادستان", "دادستانی", "جمعه", "اهالی",
})

# Neighbouring words that veto a reading (folded words; checked right before or right after the
# name). «به گزارش فارس» and «خبرگزاری مهر» name an agency (attribution, DESIGN.md), not the
# province or the county; «زیر و بم» is an idiom; «ایران خودرو» a company; «کوه البرز» the
# mountains that cross three provinces; «دبی آب» a flow rate; «مصر است» "insists".
_AGENCY_BEFORE = (("خبرگزاری",), ("گزارش",), ("نقل", "از"), ("خبرنگار",))
VETO_BEFORE: dict[str, tuple[tuple[str, ...], ...]] = {
    "فارس": _AGENCY_BEFORE,
    "مهر": _AGENCY_BEFORE,
    "ایران": (("روزنامه",),),
    "بم": (("زیر", "و"),),
    "البرز": (("کوه",), ("رشته",), ("بیمه",)),
    "گلستان": (("کاخ",),),
}
# A surname built on a place name and written apart: «قوچان نژاد» is a footballer, not Quchan.
SURNAME_ENDINGS = frozenset({"نژاد", "زاده", "پور", "نیا", "منش", "راد", "وند", "فر"})
VETO_AFTER: dict[str, tuple[tuple[str, ...], ...]] = {
    "ایران": (("خودرو",), ("ایر",), ("اینترنشنال",), ("خودروی",)),
    "دبی": (("آب",), ("رودخانه",), ("رود",), ("خروجی",), ("ورودی",), ("چشمه",), ("چاه",), ("سد",)),
    "مصر": (("است",), ("هستند",), ("هستیم",), ("بود",), ("بودند",), ("بوده",)),
}


@dataclass(frozen=True)
class Place:
    """One row of the gazetteer."""

    id: str
    kind: str
    parent: str | None
    names: tuple[str, ...]
    cued: tuple[str, ...] = ()
    capital: bool = False  # a county that holds its province's capital (marked «*» in data/gazetteer/iran.txt)


@dataclass(frozen=True)
class _Reading:
    place: str
    cued: bool
    splits: frozenset[int]  # offsets in the key where running text may break the name


def fold(text: str) -> str:
    """Fold letter variants and drop diacritics, as the matcher sees text."""
    return text.translate(_FOLD)


def name_key(name: str) -> tuple[str, frozenset[int]]:
    """A name's lookup key (its letters, no separators) and where running text may split it."""
    words = _WORD.findall(fold(name))
    key = "".join(words)
    splits: set[int] = set()
    at = 0
    for word in words:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                splits.add(at + len(word) - len(suffix))
        for prefix in _PREFIXES:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                splits.add(at + len(prefix))
        at += len(word)
        splits.add(at)
    splits.discard(len(key))
    return key, frozenset(splits)


@dataclass(frozen=True)
class Gazetteer:
    """The rows by id, and the lookup tables built from them once."""

    places: dict[str, Place]
    readings: dict[str, tuple[_Reading, ...]]
    starts: dict[str, int]  # a first word of some name -> the most words a name from it spans

    @classmethod
    def from_rows(cls, rows: Iterable[Place]) -> Gazetteer:
        places = {p.id: p for p in rows}
        found: dict[tuple[str, str, bool], set[int]] = {}
        for p in places.values():
            for names, cued in ((p.names, False), (p.cued, True)):
                for name in names:
                    key, splits = name_key(name)
                    if not key:
                        continue
                    found.setdefault((key, p.id, cued), set()).update(splits)
                    # the ezafe of a name ending in a vowel: «آمریکای لاتین», «اروپای شرقی»
                    if key[-1] in "او":
                        found.setdefault((key + "ی", p.id, cued), set()).update(splits)
        readings: dict[str, list[_Reading]] = {}
        starts: dict[str, int] = {}
        for (key, pid, cued), splits in found.items():
            readings.setdefault(key, []).append(_Reading(pid, cued, frozenset(splits)))
            cuts = sorted(splits)
            for end in [*cuts, len(key)]:
                first = key[:end]
                starts[first] = max(starts.get(first, 0), len(cuts) + 1)
        return cls(places, {k: tuple(v) for k, v in readings.items()}, starts)

    def ancestors(self, pid: str) -> tuple[str, ...]:
        """The place's parent, its parent's parent, ... (nearest first)."""
        out: list[str] = []
        parent = self.places[pid].parent if pid in self.places else None
        while parent and parent not in out:
            out.append(parent)
            parent = self.places[parent].parent if parent in self.places else None
        return tuple(out)


def read_tsv(path: Path) -> list[Place]:
    """Read a gazetteer file: a header line, then id, kind, parent, names, cued (``|``-separated)
    and capital ("1" for a province's capital; the column may be missing)."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Place(
                id=row["id"],
                kind=row["kind"],
                parent=row["parent"] or None,
                names=tuple(n for n in row["names"].split("|") if n),
                cued=tuple(n for n in (row.get("cued") or "").split("|") if n),
                capital=row.get("capital") == "1",
            )
            for row in reader
        ]


@cache
def gazetteer() -> Gazetteer:
    """The bundled gazetteer, read and indexed on first use."""
    return Gazetteer.from_rows(read_tsv(GAZETTEER))


def _vetoed(table: dict[str, tuple[tuple[str, ...], ...]], key: str, words: list[str], at: int, before: bool) -> bool:
    for phrase in table.get(key, ()):
        n = len(phrase)
        if before and at >= n and tuple(words[at - n:at]) == phrase:
            return True
        if not before and tuple(words[at:at + n]) == phrase:
            return True
    return False


# Nouns of people before a town's adjective: «مادران گرگانی», «دانشجویان مشهدی», «مردم قمی»
# are of that town. Alone, the adjective is more often a surname («شیرازی», «گرگانی»), so it
# counts only here (words as the matcher splits them: «دانش‌آموزان» ends in «آموزان»).
PEOPLE = frozenset(fold(w) for w in (
    "مردم", "اهالی", "مادران", "پدران", "زنان", "مردان", "بانوان", "جوانان", "کودکان", "دانشجویان", "آموزان",
    "کشاورزان", "کارگران", "هنرمندان", "ورزشکاران", "طلاب", "عشایر", "همشهریان", "خانواده‌های", "خانواده‌ها",
    # the crowds of rallies and prayers: «راهپیمایی نمازگزاران تبریزی» (a newcomer's case)
    "نمازگزاران", "راهپیمایان", "عزاداران", "شهروندان", "بسیجیان", "فرهنگیان", "معلمان", "پرستاران", "بازاریان",
))


def _town_adjective(word: str, before: str, g: Gazetteer) -> str | None:
    """The Iranian place whose adjective ``word`` is, after a noun of people, else None."""
    if before not in PEOPLE or len(word) < 3 or not word.endswith("ی"):
        return None
    stem = word[:-2] if word.endswith("یی") else word[:-1]
    places_of = [r.place for r in g.readings.get(stem, ())
                 if r.place.startswith("IR-") and not r.cued and not r.splits]
    return places_of[0] if len(places_of) == 1 else None


def places(text: str, gaz: Gazetteer | None = None) -> frozenset[str]:
    """The ids of the places a text names (longest name first, whole words only)."""
    g = gaz or gazetteer()
    folded = fold(text)
    spans = [(m.start(), m.end()) for m in _WORD.finditer(folded)]
    words = [folded[s:e] for s, e in spans]
    found: set[str] = set()
    i, n = 0, len(words)
    while i < n:
        most = g.starts.get(words[i], 0)
        if not most or (spans[i][0] and folded[spans[i][0] - 1] == "\u200c"):
            if not most and i > 0 and (town := _town_adjective(words[i], words[i - 1], g)):
                found.add(town)
            i += 1
            continue
        # how many words from i are joined by nothing but spaces and ZWNJ
        run = 1
        while run < most and i + run < n and _JOIN.fullmatch(folded, spans[i + run - 1][1], spans[i + run][0]):
            run += 1
        taken = 0
        for k in range(run, 0, -1):
            key = "".join(words[i:i + k])
            options = g.readings.get(key)
            if not options:
                continue
            cuts, at = set(), 0
            for w in words[i:i + k - 1]:
                at += len(w)
                cuts.add(at)
            cued = i > 0 and words[i - 1] in CUES
            fits = [r for r in options if cuts <= r.splits and (cued or not r.cued)]
            if not fits:
                continue
            end = spans[i + k - 1][1]
            glued = i + k < n and spans[i + k][0] == end + 1 and folded[end] == "\u200c"
            if glued and words[i + k] not in _ZWNJ_SUFFIXES:
                continue
            if i + k < n and words[i + k] in SURNAME_ENDINGS:
                continue
            if _vetoed(VETO_BEFORE, key, words, i, True) or _vetoed(VETO_AFTER, key, words, i + k, False):
                continue
            # after a cue the cued reading wins («شهرستان میامی» is in Semnan, «میامی» in Florida)
            fits.sort(key=lambda r: r.cued != cued)
            found.add(fits[0].place)
            taken = k
            break
        i += taken or 1
    return frozenset(found)


def country(pid: str, gaz: Gazetteer | None = None) -> str | None:
    """The country a place lies in (itself for a country); None for seas and areas."""
    g = gaz or gazetteer()
    for p in (pid, *g.ancestors(pid)):
        if p in g.places and g.places[p].kind == "country":
            return p
    return None


def countries(ids: Iterable[str], gaz: Gazetteer | None = None) -> frozenset[str]:
    """The countries of the places (Iran for its provinces, counties and cities)."""
    g = gaz or gazetteer()
    return frozenset(c for c in (country(p, g) for p in ids) if c)


def province_capital(pid: str, gaz: Gazetteer | None = None) -> bool:
    """Whether a place is a county that holds its province's capital (Mashhad, Tabriz, ...).

    The capitals named like their province (Tehran, Isfahan, Kerman, ...) read as the province
    and are no county. A capital holds its province's offices and many of a day's happenings:
    sharing it says what sharing the province says, not that two reports are at one incident's
    site (clustering.pairs: site_shared)."""
    g = gaz or gazetteer()
    return pid in g.places and g.places[pid].capital


def local(ids: Iterable[str], gaz: Gazetteer | None = None) -> frozenset[str]:
    """The places inside Iran below the country: provinces, counties, cities, Iranian waters."""
    g = gaz or gazetteer()
    return frozenset(p for p in ids if p != "IR" and country(p, g) == "IR")


def abroad(ids: Iterable[str], gaz: Gazetteer | None = None) -> frozenset[str]:
    """The places outside Iran: other countries and their cities and regions («each country's
    reaction» differ here when every report also names Iran)."""
    g = gaz or gazetteer()
    return frozenset(p for p in ids if (c := country(p, g)) is not None and c != "IR")


def specific(ids: Iterable[str], gaz: Gazetteer | None = None) -> frozenset[str]:
    """The most specific places: those that contain no other place of the set."""
    g = gaz or gazetteer()
    given = frozenset(ids)
    covered = {a for p in given for a in g.ancestors(p)}
    return frozenset(given - covered)


def sites(ids: Iterable[str], gaz: Gazetteer | None = None) -> frozenset[str]:
    """The places where a thing abroad happened: a country named beside a city or region of
    another country is an actor, not a site («حمله رژیم صهیونیستی به خودرویی در صور» is in
    Lebanon, not in Israel; a strike on Tyre and one on Khan Younis are two places)."""
    g = gaz or gazetteer()
    given = frozenset(ids)
    below = {p for p in given if p in g.places and g.places[p].kind in ("world_city", "region")
             and not _is_sea(g.places[p])}
    if not below:
        return given
    theirs = {a for p in below for a in g.ancestors(p)}
    return frozenset(p for p in given if not (p in g.places and g.places[p].kind == "country" and p not in theirs))


def compatible(a: Iterable[str], b: Iterable[str], gaz: Gazetteer | None = None) -> bool | None:
    """Whether two reports' places can be one event's: None if either names none.

    True when a place of one equals or contains (is an ancestor of) a place of the other,
    False otherwise. Supranational areas («اروپا», «خاورمیانه») are too vague to tell and are
    left out; a report that names only such areas counts as naming none. An open sea
    («خلیج فارس», «دریای عمان») borders several countries: it tells apart only from another
    sea («دریای سرخ»), so a sea against land alone gives None (a tanker seized «در خلیج فارس»
    and «ایران نفتکش را توقیف کرد» may be one event).
    """
    g = gaz or gazetteer()

    def concrete(ids: Iterable[str]) -> frozenset[str]:
        return frozenset(p for p in ids if p in g.places and g.places[p].kind != "area")

    def sea(p: str) -> bool:
        return _is_sea(g.places[p])

    a2, b2 = concrete(a), concrete(b)
    if not a2 or not b2:
        return None
    up_a = {p: {p, *g.ancestors(p)} for p in a2}
    up_b = {p: {p, *g.ancestors(p)} for p in b2}
    if any(x in up_b[y] or y in up_a[x] for x in a2 for y in b2):
        return True
    if any(sea(x) == sea(y) for x in a2 for y in b2):
        return False
    return None


# «محور شیراز - اصفهان», «جاده مشهد - تربت‌حیدریه», «جاده یاسوج به شیراز», «محور کرج تا
# چالوس»: a road named by its two ends. What happens on it happens somewhere between, often in
# neither city: a bus overturned «در محور شیراز - اصفهان» is the bus «در آباده» of another
# report. The ends count as their provinces; so does the one end of «جاده یاسوج» (the road to
# Yasuj runs through the province, not the town).
_WORD_END = r"(?!(?:در|به|از|با|تا|و|که|را)\s)[^\s،؛:|/\-–]+"
_END = _WORD_END + r"(?:\s(?!به\s|تا\s)[^\s،؛:|/\-–]+)?"
_ROUTE = re.compile(
    r"(?:محور|جاده|آزادراه|بزرگراه|اتوبان|راه\s*آهن|مسیر)(?:\s+(?:ارتباطی|مواصلاتی))?\s+"
    r"(" + _END + r"(?:\s*(?:[-–]|\sبه\s|\sتا\s)\s*" + _END + r")?)"
)
# «اتوبوس تهران - شیراز», «مسافران شیراز», «قطار مشهد»: a vehicle's route or its passengers'
# town says where it goes, not where it overturned (a newcomer's case: a bus of Shiraz's
# passengers overturned in Kohgiluyeh and Boyer-Ahmad). Those places are left out; the
# report's other places, or its lead's, say where.
_CARRIER = r"(?:اتوبوس|قطار|پرواز|هواپیمای|هواپیما|کامیون|مینی\s*بوس|مینی‌بوس|مسافران|زائران|مسافربری|مسافری)"
_VEHICLE = re.compile(
    _CARRIER + r"(?:\s+" + _CARRIER + r")*\s+(" + _WORD_END + r"(?:\s*[-–]\s*" + _WORD_END + r")?)"
)

# «پالایشگاه اراک», «نیروگاه بوشهر», «سد کرج»: a plant, dam or mine named after a town often
# stands outside it (the Arak refinery is in Shazand county, a newcomer's case), so its town
# counts as its province, as a road's ends do.
_FACILITY = re.compile(
    r"(?:پالایشگاه|پتروشیمی|نیروگاه|فرودگاه|کارخانه|سد|معدن|ذوب\s*آهن|فولاد|منطقه\s+ویژه)"
    r"(?:\s+(?:نفت|گاز|زغال\s*سنگ|زغال‌سنگ|اتمی|هسته‌ای|حرارتی|سیکل\s+ترکیبی|بین\s*المللی|بین‌المللی|اقتصادی))?"
    r"\s+(" + _END + r")"
)


def province_of(pid: str, gaz: Gazetteer | None = None) -> str:
    """The Iranian province a place lies in (itself for a province); other places as they are."""
    g = gaz or gazetteer()
    if pid in g.places and g.places[pid].kind == "province":
        return pid
    return next((a for a in g.ancestors(pid) if a in g.places and g.places[a].kind == "province"), pid)


def _is_sea(place: Place) -> bool:
    """An open sea or strait: a region of no country."""
    return place.kind == "region" and place.parent is None


def on_land(ids: Iterable[str], gaz: Gazetteer | None = None) -> frozenset[str]:
    """The places that are not open seas or supranational areas: where a thing can be located."""
    g = gaz or gazetteer()
    return frozenset(p for p in ids if p in g.places and g.places[p].kind != "area" and not _is_sea(g.places[p]))


# What a meeting is about is no place of it: «رایزنی عراقچی و فیدان درباره تحولات سوریه و قفقاز»
# happened in Tehran, wherever its subject is (to the end of the clause). Read on meeting headlines
# only (clustering.mentions): on every headline it cost rss2020_dev's left-out pair F1 0.493 -> 0.466
# (python -m benchmarks.fit_clustering, 2026-12-01).
_TOPIC = re.compile(r"(?:درباره|در\s*باره|در\s+مورد|پیرامون|در\s+خصوص)\s+[^،:؛|/«»]+")


def without_topic(text: str) -> str:
    """``text`` without what it says it is about (_TOPIC)."""
    return _TOPIC.sub(" ", text)


def where(text: str, gaz: Gazetteer | None = None) -> frozenset[str]:
    """The places of ``text`` as where something happened (ids, as :func:`places`).

    A road's ends and a plant's town become their provinces; a vehicle's route and its
    passengers' town («اتوبوس تهران - شیراز», «مسافران شیراز») are left out.
    """
    found = places(text, gaz)
    if not found:
        return found
    routes: set[str] = set()
    for m in _VEHICLE.finditer(text):
        routes |= places(m.group(1), gaz)
    ends: set[str] = set()
    for m in (*_ROUTE.finditer(text), *_FACILITY.finditer(text)):
        ends |= places(m.group(1), gaz)
    return frozenset((found - routes - ends) | {province_of(p, gaz) for p in ends - routes})
