"""Places in Persian headlines: (headline, expected place ids), one comment per tricky case."""

from __future__ import annotations

import subprocess
import sys

import pytest

from clustering.build_gazetteer import write
from clustering.places import (
    Gazetteer,
    Place,
    abroad,
    compatible,
    countries,
    gazetteer,
    local,
    places,
    province_capital,
    read_tsv,
    specific,
)
from tests.conftest import ROOT

ZWNJ = "\u200c"

PLACES = [
    # a town's adjective after a noun of people is that town; alone it is a surname
    ("مادران گرگانی در سوگ دختران میناب", {"IR-27-gorgan", "IR-22-minab"}),
    ("دانش‌آموزان تهرانی به اردو رفتند", {"IR-23"}),
    ("مردم قمی به خیابان آمدند", {"IR-25"}),
    ("آیت‌الله مکارم شیرازی: وحدت ضروری است", set()),
    ("علی گرگانی قهرمان کشتی شد", set()),
    ("مردم ایرانی در انتخابات شرکت کردند", set()),
    # a province by its full two-word name
    ("مدارس خراسان رضوی فردا غیرحضوری است", {"IR-09"}),
    ("زلزله ۴٫۵ ریشتری آذربایجان شرقی را لرزاند", {"IR-03"}),
    # names with «و» inside, and the solid «وبلوچستان» some sites write
    ("بارش برف در کهگیلویه و بویراحمد", {"IR-17"}),
    ("سیل در سیستان وبلوچستان", {"IR-11"}),
    ("آتش‌سوزی جنگل‌های چهارمحال و بختیاری", {"IR-14"}),
    # longest name first: the province, not the county «کهگیلویه» inside it
    ("استاندار کهگیلویه و بویراحمد منصوب شد", {"IR-17"}),
    # a county seat named for its county («یاسوج» is Boyer-Ahmad's seat)
    ("تصادف در جاده یاسوج", {"IR-17-boyerahmad"}),
    # the places the brief names
    ("شناورهای صیادی گناوه به اسکله بازگشتند", {"IR-18-genaveh"}),
    ("زلزله سرپل ذهاب را لرزاند", {"IR-05-sarpolezahab"}),
    ("دبستان میناب هدف حمله قرار گرفت", {"IR-22-minab"}),
    ("شهادت ۱۷ نفر در لامرد", {"IR-07-lamerd"}),
    ("نمایشگاه کتاب شیراز و تبریز", {"IR-07-shiraz", "IR-03-tabriz"}),
    # a ZWNJ, a space or nothing between the parts of a name
    (f"اصابت موشک به تل{ZWNJ}آویو", {"IL-telaviv"}),
    ("اصابت موشک به تل آویو", {"IL-telaviv"}),
    ("اصابت موشک به تلآویو", {"IL-telaviv"}),
    # a solid name split where its parts are known to split: «بندر» + «عباس»
    ("کشتی در بندر عباس پهلو گرفت", {"IR-22-bandarabbas"}),
    (f"بارش شدید در خرم{ZWNJ}آباد", {"IR-15-khorramabad"}),
    # Arabic yeh and kaf (a raw title), and a hamza seat written as yeh («اسراییل»)
    ("زلزله در كرمانشاه", {"IR-05"}),
    ("تجاوز اسراییل محکوم شد", {"IL"}),
    # headline spellings of countries next to CLDR's «ایالات متحده»
    ("امریکا و انگلیس بیانیه دادند", {"US", "GB"}),
    ("ایالات متحده آمریکا تحریم‌ها را تمدید کرد", {"US"}),
    ("حمله رژیم صهیونیستی به غزه", {"IL", "PS-gaza"}),
    ("آژیر خطر در شمال فلسطین اشغالی", {"IL"}),
    # «کشورمان» is Iran in an Iranian agency's mouth
    ("تجاوز به خاک کشورمان محکوم شد", {"IR"}),
    # «ایران» is the country; «ایرانی» (an adjective) is no place
    ("موشک‌های ایرانی به هدف خوردند", set()),
    ("حمله به ایران", {"IR"}),
    # the month «مهر» and the agency «مهر» are no place; the county needs a cue word
    ("یکم مهر مدارس باز می‌شوند", set()),
    ("به گزارش خبرگزاری مهر، جلسه برگزار شد", set()),
    ("فرماندار مهر: خسارت سیل جبران می‌شود", {"IR-07-mohr"}),
    # «فارس» after «به گزارش» is the agency; «خلیج فارس» is the gulf, not the province
    ("به گزارش فارس، نشست لغو شد", set()),
    ("رزمایش در خلیج فارس", {"R-persiangulf"}),
    ("خبرهای کوتاه استان فارس", {"IR-07"}),
    # «بم» the city, but not in the idiom «زیر و بم»
    ("پنجمین سالگرد زلزله بم", {"IR-08-bam"}),
    ("زیر و بم ماجرای واگذاری", set()),
    # «نور» is light unless a place word announces it
    ("نور امید در دل مردم", set()),
    ("امام جمعه نور: سیل خسارت زد", {"IR-02-nur"}),
    # «امام» is a title, «امام رضا» a shrine's name: neither is a place
    ("مدرسه امام رضا (ع) بازسازی شد", set()),
    # «خوی», «سقز», «کرج» are taken as the cities (their other senses are rare in news)
    ("زلزله ۵ ریشتری خوی", {"IR-04-khoy"}),
    ("زندانیان فراری زندان سقز", {"IR-12-saqqez"}),
    ("ترافیک سنگین در کرج", {"IR-30-karaj"}),
    # «میانه» is the middle («در میانه مذاکرات»), the county only after a cue
    ("در میانه مذاکرات حمله شد", set()),
    ("شهرستان میانه برف‌گیر شد", {"IR-03-mianeh"}),
    # a surname built on a place name is not the place («نجف‌آبادی» is not Najaf)
    (f"سخنان آیت‌الله دری{ZWNJ}نجف{ZWNJ}آبادی", set()),
    # a surname written apart from its ending («قوچان نژاد» is a footballer)
    ("پیشنهاد مالی قوچان نژاد به پرسپولیس", set()),
    # «جولان» is a rampage unless a cue or «بلندی‌های» makes it the Golan
    ("جولان موش‌ها در انبار", set()),
    ("شلیک راکت به بلندی‌های جولان", {"SY-golan"}),
    # «فرودگاه امام» is Tehran's airport: «امام» alone is no place
    ("پروازهای فرودگاه امام لغو شد", {"R-ikia"}),
    # a plural ending after ZWNJ leaves the name
    (f"مدارس تهران{ZWNJ}ها تعطیل است", {"IR-23"}),
    # «ایران خودرو» is a carmaker, «کوه البرز» the mountains, «کاخ گلستان» a palace
    ("افزایش قیمت محصولات ایران خودرو", set()),
    ("سقوط کوهنورد در کوه البرز", set()),
    ("بازدید از کاخ گلستان", set()),
    # «مصر است» is "insists"; «مصر» alone is Egypt
    ("آمریکا بر ادامه تحریم‌ها مصر است", {"US"}),
    ("سفر وزیر خارجه مصر به تهران", {"EG", "IR-23"}),
    # «میامی» alone is the American city; after «شهرستان» the county in Semnan
    ("طوفان در میامی", {"US-miami"}),
    ("فرماندار میامی منصوب شد", {"IR-20-meyami"}),
    # CLDR names that are common words count only after a cue: «چک» a cheque, «مالی» financial
    ("چک‌های برگشتی و کسری مالی", set()),
    ("کودتا در کشور مالی", {"ML"}),
    # the ezafe of a name ending in a vowel, and a supranational area
    ("تورم در آمریکای لاتین", {"A-latinamerica"}),
    ("نشست سران اتحادیه اروپا", {"A-eu"}),
    # a world city and its own country
    ("انفجار در بیروت؛ لبنان عزای عمومی اعلام کرد", {"LB-beirut", "LB"}),
    # a name across punctuation is no name («تل، آویو»)
    ("تل، آویو", set()),
]


@pytest.mark.parametrize(("title", "expected"), PLACES)
def test_places(title: str, expected: set[str]) -> None:
    assert places(title) == frozenset(expected)


COMPATIBLE = [
    # a town inside its region abroad: Jabalia is in Gaza, Tyre in southern Lebanon; two of its
    # towns are two places
    ("لحظه بمباران بیمارستان العوده در جبالیا", "حمله به بیمارستان العوده در شمال غزه", True),
    ("حمله پهپادی به صور", "حملات اسرائیل به جنوب لبنان", True),
    ("حمله به رفح", "حمله به نابلس", False),
    # none named on one side: nothing to say
    ("زلزله در خوی", "زلزله شدید دیشب", None),
    # same county; county inside its province; province inside Iran
    ("زلزله در خوی", "خسارت زلزله خوی", True),
    ("زلزله در خوی", "زلزله آذربایجان غربی را لرزاند", True),
    ("حمله به ایران", "حمله به میناب", True),
    # two earthquakes in two provinces on one day
    ("زلزله ۵ ریشتری خوی", "زلزله ۴ ریشتری در کرمان", False),
    # each governor's statement about his own province
    ("استاندار لرستان: کالاهای اساسی کافی است", "استاندار کرمانشاه: کالاهای اساسی کافی است", False),
    # each country's condemnation
    ("روسیه حمله را محکوم کرد", "یمن حمله را محکوم کرد", False),
    # a world city inside its country
    ("انفجار در بیروت", "لبنان عزای عمومی اعلام کرد", True),
    # a supranational area says nothing either way
    ("نشست اتحادیه اروپا", "بیانیه فرانسه", None),
    # an open sea borders several countries: against land it says nothing, against a sea it does
    ("توقیف نفتکش در خلیج فارس", "ایران نفتکش خارجی را توقیف کرد", None),
    ("توقیف نفتکش در خلیج فارس", "حمله به کشتی در دریای سرخ", False),
    # a strait lies off its province
    ("توقیف نفتکش در تنگه هرمز", "توقیف نفتکش در آب‌های هرمزگان", True),
]


@pytest.mark.parametrize(("a", "b", "expected"), COMPATIBLE)
def test_compatible(a: str, b: str, expected: bool | None) -> None:
    assert compatible(places(a), places(b)) is expected
    assert compatible(places(b), places(a)) is expected


def test_levels() -> None:
    found = places("حمله آمریکا به میناب و بندرعباس در هرمزگان")
    assert found == {"US", "IR-22-minab", "IR-22-bandarabbas", "IR-22"}
    # the province is an ancestor of both counties: only the counties are most specific
    assert specific(found) == {"US", "IR-22-minab", "IR-22-bandarabbas"}
    assert local(found) == {"IR-22-minab", "IR-22-bandarabbas", "IR-22"}
    assert countries(found) == {"US", "IR"}
    # a world city's country; a sea has none
    assert countries({"IL-telaviv", "R-persiangulf"}) == {"IL"}
    # every country's condemnation names Iran too: what lies abroad tells them apart
    russia, yemen = places("روسیه حمله به ایران را محکوم کرد"), places("یمن حمله به ایران را محکوم کرد")
    assert compatible(russia, yemen) is True
    assert compatible(abroad(russia), abroad(yemen)) is False


def test_table_is_whole() -> None:
    g = gazetteer()
    kinds: dict[str, int] = {}
    for p in g.places.values():
        kinds[p.kind] = kinds.get(p.kind, 0) + 1
        assert p.parent is None or p.parent in g.places, p.id
    # all 31 provinces, most of the ~450 counties, CLDR's countries
    assert kinds["province"] == 31
    assert kinds["county"] >= 400
    assert kinds["country"] >= 240
    assert all(g.places[p].parent and g.ancestors(p)[-1] == "IR" for p in g.places if p.startswith("IR-"))


def test_gazetteer_from_rows() -> None:
    # a tiny hand-made table: the matcher needs nothing but rows
    g = Gazetteer.from_rows([
        Place("X", "country", None, ("ایکس",)),
        Place("X-a", "world_city", "X", ("شهر نو",), ("نو",)),
    ])
    assert places("سفر به شهر نو", g) == {"X-a"}
    assert places("سال نو", g) == set()
    assert compatible({"X-a"}, {"X"}, g) is True


def test_tsv_round_trip(tmp_path) -> None:
    path = tmp_path / "p.tsv"
    path.write_text("id\tkind\tparent\tnames\tcued\nX\tcountry\t\tایکس|اکس\t\n", encoding="utf-8")
    assert read_tsv(path) == [Place("X", "country", None, ("ایکس", "اکس"))]
    # the builder's table, capitals marked, reads back as it was written
    rows = [Place("X", "province", None, ("ایکس",)), Place("X-a", "county", "X", ("آ",), (), True)]
    write(rows, path)
    assert read_tsv(path) == rows


def test_province_capitals_are_marked_in_the_data() -> None:
    # every province's capital that the gazetteer holds as a county of its own name (Tehran,
    # Isfahan, ... read as their province), and no other county
    g = gazetteer()
    capitals = {p for p in g.places if province_capital(p)}
    assert {"IR-09-mashhad", "IR-03-tabriz", "IR-07-shiraz", "IR-22-bandarabbas", "IR-30-karaj"} <= capitals
    assert len(capitals) == 18
    assert all(g.places[p].kind == "county" for p in capitals)
    assert len({g.places[p].parent for p in capitals}) == 18  # one per province at most
    assert not province_capital("IR-22-minab") and not province_capital("IR-09") and not province_capital("nowhere")


def test_import_light() -> None:
    # plain functions over text: finding places loads neither torch nor hazm nor Babel
    code = (
        "import sys; from clustering.places import places; places('زلزله در خوی'); "
        "print(sorted(m for m in ('torch', 'hazm', 'babel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_committed_table_is_built_from_the_lists(tmp_path) -> None:
    # an edit of data/gazetteer/*.txt without `python -m clustering.build_gazetteer` would leave
    # the matcher reading the old table
    from babel import Locale

    from clustering.build_gazetteer import build
    from clustering.places import GAZETTEER

    path = tmp_path / "places.tsv"
    write(build(dict(Locale("fa").territories)), path)
    assert path.read_text(encoding="utf-8") == GAZETTEER.read_text(encoding="utf-8")
