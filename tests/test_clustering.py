"""Clustering mechanics: sparse average link, pair evidence, stable ids, metrics, threads, time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import scipy.sparse as sp

from clustering.cluster import (
    ArticleView,
    ClusterParams,
    PairTable,
    cluster_articles,
    pair_table,
    same_story_probability,
)
from clustering.ids import assign_story_ids
from clustering.lexical import char_tfidf, tfidf_matrix
from clustering.linkage import average_link
from clustering.mentions import dates, weekdays, years
from clustering.metrics import score_partition
from clustering.pairs import FEATURES, nearest_neighbours
from clustering.same_story import SAME_STORY, PairModel, time_evidence


@pytest.fixture(scope="module")
def encode(real_encoder):
    """The default model as the pipeline calls it: the same-story weights are fitted on its
    cosines (a bag-of-words stand-in sits elsewhere on the scale and would test nothing)."""
    from clustering.embed import EmbedParams

    return lambda texts: real_encoder.encode(list(texts), kind=EmbedParams().prompt)


def partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), set()).add(i)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_average_link_equals_scipy_on_a_complete_graph(seed: int) -> None:
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    rng = np.random.default_rng(seed)
    points = np.concatenate([rng.normal(c, 0.3, (6, 2)) for c in ((0, 0), (3, 3), (0, 4))])
    sim = 1.0 / (1.0 + np.linalg.norm(points[:, None] - points[None], axis=2))
    threshold = 0.45
    ours = average_link(sp.coo_matrix(np.triu(sim, 1)), len(points), threshold)
    dist = 1.0 - sim
    np.fill_diagonal(dist, 0)
    theirs = fcluster(linkage(squareform(dist, checks=False), "average"), 1 - threshold, "distance")
    assert partition(ours) == partition(theirs)


def test_average_link_needs_the_whole_story_not_one_member() -> None:
    # a-b close, b-c close, a-c unrelated: single link would chain them, average link does not
    sim = sp.coo_matrix(([0.9, 0.6], ([0, 1], [1, 2])), shape=(3, 3))
    assert partition(average_link(sim, 3, 0.5)) == {frozenset({0, 1}), frozenset({2})}


@pytest.mark.slow
def test_every_article_ends_in_exactly_one_story_lone_reports_included(encode) -> None:
    texts = ["زلزله کرمان خسارت زد", "زلزله کرمان خسارت زد امروز", "قیمت بنزین تغییر کرد", "بارش برف در تهران"]
    views = [ArticleView(str(i), tuple(t.split())) for i, t in enumerate(texts)]
    labels = cluster_articles(views, encode(texts), ClusterParams())
    assert len(labels) == 4
    assert labels[0] == labels[1]
    assert len({labels[2], labels[3], labels[0]}) == 3


@pytest.mark.slow
def test_same_words_a_week_apart_are_two_stories(encode) -> None:
    text = "اعلام آمار روزانه مصدومان زلزله کرمان"
    t0 = datetime(2025, 11, 19, tzinfo=UTC)
    views = [ArticleView("a", tuple(text.split()), t0), ArticleView("b", tuple(text.split()), t0 + timedelta(days=8))]
    labels = cluster_articles(views, encode([text, text]), ClusterParams())
    assert labels[0] != labels[1]


def test_story_ids_survive_growth_and_the_larger_part_keeps_an_id_on_split() -> None:
    prev = {"a": "s1", "b": "s1", "c": "s1", "d": "s2"}
    # the window grows (e joins s1's cluster) and s1 splits into {a, b, e} and {c}
    ids = assign_story_ids(np.array([0, 0, 1, 2, 0]), ["a", "b", "c", "d", "e"], prev, set())
    assert ids[0] == "s1" and ids[2] == "s2"
    assert ids[1] not in ("s1", "s2")


def test_new_story_ids_are_deterministic_and_avoid_taken_ones() -> None:
    a = assign_story_ids(np.array([0, 1]), ["x", "y"], {}, set())
    b = assign_story_ids(np.array([0, 1]), ["x", "y"], {}, set())
    assert a == b
    c = assign_story_ids(np.array([0, 1]), ["x", "y"], {}, {a[0]})
    assert c[0] != a[0]


def test_bcubed_and_pairwise_scores_on_a_known_case() -> None:
    gold = {"1": "A", "2": "A", "3": "B", "4": "C"}
    pred = {"1": "x", "2": "x", "3": "x", "4": "y"}
    s = score_partition(pred, gold)
    # B-cubed precision: items 1,2 have 2/3 correct, 3 has 1/3, 4 has 1 -> (2/3+2/3+1/3+1)/4
    assert s.bcubed_precision == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert s.bcubed_recall == 1.0
    assert s.pair_precision == pytest.approx(1 / 3) and s.pair_recall == 1.0
    assert s.orphan_rate == 0.0
    alone = score_partition({"1": "a", "2": "b", "3": "c", "4": "d"}, gold)
    assert alone.pair_f1 == 0.0 and alone.orphan_rate == 1.0


# --- same-story pairs: candidates, features, the learned decision, time ---------------------

FILLER = [
    "افتتاح نمایشگاه کتاب تهران با حضور ناشران خارجی",
    "تیم ملی والیبال در لیگ ملت‌ها برزیل را شکست داد",
    "قیمت دلار در بازار آزاد کاهش یافت",
    "بارش برف راه ارتباطی روستاهای اردبیل را بست",
    "وزیر آموزش و پرورش از استخدام معلمان جدید خبر داد",
    "کنسرت ارکستر سمفونیک در تالار وحدت برگزار شد",
    "رشد صادرات غیرنفتی در شش ماه نخست سال",
    "آغاز ثبت‌نام وام ازدواج در بانک‌های عامل",
]


def spread_over_a_week(t0: datetime, count: int) -> list[datetime | None]:
    """Unrelated reports come at all hours of the window, not all at once."""
    return [t0 + timedelta(hours=17 * i + 5) for i in range(count)]


def views_of(texts: list[str], times: list[datetime | None] | None = None,
             sources: list[str | None] | None = None) -> list[ArticleView]:
    times = times or [None] * len(texts)
    sources = sources or [None] * len(texts)
    return [ArticleView(str(i), tuple(t.split()), when, src, title_lemmas=tuple(t.split()), text=t)
            for i, (t, when, src) in enumerate(zip(texts, times, sources, strict=True))]


def test_nearest_neighbours_equal_brute_force_beyond_the_sampled_columns() -> None:
    # 3,000 rows: more than the 2,048 sampled columns, so the cut-off shortcut is exercised
    rng = np.random.default_rng(7)
    n, k = 3000, 5
    vectors = rng.normal(size=(n, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    docs = [tuple(f"w{w}" for w in rng.choice(4000, size=6, replace=False)) for _ in range(n)]
    lexical = tfidf_matrix(docs)
    dense_nb, lex_nb = nearest_neighbours(vectors, lexical, k)
    full = vectors @ vectors.T
    np.fill_diagonal(full, -np.inf)
    assert np.array_equal(np.sort(dense_nb.index, axis=1), np.sort(np.argsort(-full, axis=1)[:, :k], axis=1))
    exact = (lexical @ lexical.T).toarray()
    np.fill_diagonal(exact, 0)
    for row in rng.choice(n, 50, replace=False):  # lexical: the found scores are the true best ones
        best = np.sort(exact[row])[::-1][:k]
        assert np.allclose(lex_nb.score[row][: (best > 0).sum()], best[best > 0], atol=1e-6)


def test_character_grams_see_one_name_through_zwnj_spellings() -> None:
    texts = ["نت‌فلیکس آثار کیارستمی را اکران می‌کند", "نتفلیکس آثار کیارستمی را اکران میکند", "بارش برف در اردبیل"]
    sims = (char_tfidf(texts) @ char_tfidf(texts).T).toarray()
    lemma_sims = (tfidf_matrix([t.split() for t in texts]) @ tfidf_matrix([t.split() for t in texts]).T).toarray()
    assert sims[0, 1] > 0.95 and sims[0, 2] < 0.1
    assert lemma_sims[0, 1] < 0.8  # word tokens miss what the grams see


@pytest.mark.parametrize(("text", "expected"), [
    ("روز دوشنبه اول اردیبهشت برای نخستین بار", {(2, 1)}),
    ("چهارشنبه ۳ اردیبهشت توسط سپاه", {(2, 3)}),
    ("امروز سه‌شنبه دوم اردیبهشت‌ماه", {(2, 2)}),  # «ماه» joined by ZWNJ
    ("سه شنبه بیست و هفتم فروردین", {(1, 27)}),  # a compound ordinal
    ("در مدار ۴۲۵ کیلومتری زمین", set()),  # a figure, not a date
])
def test_jalali_dates_are_read_from_digits_and_ordinals(text: str, expected: set) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("دیرکرد جرایم رانندگی تا پایان سال ۹۶ بخشوده شد", {1396}),  # two digits: this Jalali century
    ("در صورت پرداخت تا پایان آذر ۹۷", {1397}),  # after a month
    ("۷ آذر ۱۴۰۵", {1405}),
    ("این فیلم مربوط به مصر و سال 2014 است", {1392, 1393}),  # a Gregorian year spans two Jalali years
    ("امسال ۲۰ درصد بیشتر", set()),  # «امسال» names no year; ۲۰ is a figure
    ("۲۰ آذر", set()),  # a day, not a year
])
def test_years_are_read_after_a_month_or_sal(text: str, expected: set) -> None:
    assert years(text) == expected


def test_two_years_named_are_a_date_conflict() -> None:
    from clustering.cluster import pair_table

    texts = ["بخشودگی دیرکرد جرایم رانندگی تا پایان سال ۹۶", "بخشودگی دیرکرد جرایم رانندگی در صورت پرداخت تا آذر ۹۷",
             "بخشودگی دیرکرد جرایم رانندگی در سال ۱۳۹۷"]
    views = [ArticleView(str(k), tuple(t.split()), None, "irna", title_lemmas=tuple(t.split()), text=t, title=t)
             for k, t in enumerate(texts)]
    table = pair_table(views, np.tile(np.eye(1, 16, dtype=np.float32), (3, 1)), ClusterParams())
    conflict = {tuple(p) for p in table.pairs[table.features[:, FEATURES.index("date_conflict")] > 0].tolist()}
    assert conflict == {(0, 1), (0, 2)}


@pytest.mark.parametrize(("text", "expected"), [
    ("امروز سه‌شنبه", {"سهشنبه"}),
    ("امروز سه شنبه", {"سهشنبه"}),  # a space instead of ZWNJ is the same day
    ("امام جمعه ایرانشهر", set()),  # Friday prayers' imam, not a day
    ("روز جمعه و شنبه", {"جمعه", "شنبه"}),
])
def test_weekdays_join_their_compound_spellings(text: str, expected: set) -> None:
    assert weekdays(text) == expected


@pytest.mark.slow
def test_the_next_days_figures_are_a_new_story(encode) -> None:
    # DESIGN.md: two days' casualty figures are two stories, though most words agree
    # (the wording of each day's reports, as in data/samples: the day-2 reports lead with the death)
    day1 = ["شمار مصدومان زلزله کوهبنان به ۲۷ نفر رسید", "۲۷ مصدوم در زلزله کوهبنان کرمان"]
    day2 = ["یک زن ۷۸ ساله مصدوم زلزله کوهبنان جان باخت؛ ۴۱ مصدوم",
            "جان باختن نخستین قربانی زلزله؛ مصدومان ۴۱ نفر شدند"]
    t0 = datetime(2025, 11, 19, 6, tzinfo=UTC)
    texts = day1 + day2 + FILLER
    times = [t0, t0 + timedelta(hours=2), t0 + timedelta(hours=28), t0 + timedelta(hours=30)]  # as in the sample
    times += spread_over_a_week(t0, len(FILLER))
    labels = cluster_articles(views_of(texts, times), encode(texts), ClusterParams())
    assert labels[0] == labels[1] and labels[2] == labels[3]
    assert labels[0] != labels[2]


@pytest.mark.slow
def test_reports_hours_apart_join_and_days_apart_do_not(encode) -> None:
    texts = ["سخنگوی وزارت خارجه در نشست خبری به قطعنامه شورای حکام پاسخ داد",
             "پاسخ سخنگوی وزارت خارجه به قطعنامه شورای حکام در نشست خبری",
             "سخنگوی وزارت خارجه در نشست خبری هفتگی از قطعنامه شورای حکام گفت", *FILLER]
    t0 = datetime(2025, 11, 20, 8, tzinfo=UTC)
    for later, together in ((timedelta(hours=3), True), (timedelta(days=3), False)):
        times = [t0, t0 + timedelta(hours=1), t0 + later, *spread_over_a_week(t0, len(FILLER))]
        labels = cluster_articles(views_of(texts, times), encode(texts), ClusterParams())
        assert labels[0] == labels[1]
        assert bool(labels[2] == labels[0]) is together


def test_time_evidence_favours_hours_and_counts_against_days() -> None:
    llr = time_evidence(np.array([1.0, 20.0, 48.0]), scale_hours=6.0, window_hours=168.0)
    assert llr[0] > 2 and abs(llr[1]) < 0.5 and llr[2] < -4


@pytest.mark.slow
def test_one_outlet_twice_needs_more_evidence_than_two_outlets(encode) -> None:
    texts = ["دیدار وزیر خارجه با نخست‌وزیر عراق در بغداد", "دیدار وزیر خارجه با نخست‌وزیر عراق در بغداد امروز", *FILLER]
    vectors = encode(texts)
    params = ClusterParams()
    two = same_story_probability(pair_table(views_of(texts, sources=["irna", "isna"] + [None] * 8), vectors, params),
                                 params)
    one = same_story_probability(pair_table(views_of(texts, sources=["irna", "irna"] + [None] * 8), vectors, params),
                                 params)
    assert one[0] < two[0]


@pytest.mark.slow
def test_clustering_is_deterministic(encode) -> None:
    texts = FILLER * 3
    views, vectors = views_of(texts), encode(texts)
    first = cluster_articles(views, vectors, ClusterParams())
    assert np.array_equal(first, cluster_articles(views, vectors, ClusterParams()))
    assert partition(first) == {frozenset({i, i + 8, i + 16}) for i in range(8)}  # copies go together


def test_a_pair_model_needs_one_weight_per_feature() -> None:
    with pytest.raises(ValueError, match="weights"):
        PairModel(weights=(1.0,), bias=0.0)
    assert len(SAME_STORY.weights) == len(FEATURES)


def test_undated_report_gets_its_day_from_today_in_its_text() -> None:
    from clustering.mentions import today

    assert today("به گزارش برنا، «لوید آستین» امروز (یکشنبه) وارد شد") == 6  # Sunday
    assert today("امروز سه‌شنبه اعلام شد") == 1
    assert today("امروز اعلام شد") is None  # no weekday: nothing to go on


@pytest.mark.slow
def test_reports_written_days_apart_are_kept_apart_even_without_dates(encode) -> None:
    from clustering.cluster import pair_table

    text = "دیدار وزیر دفاع آمریکا با همتای اسرائیلی درباره همکاری دفاعی دو طرف"
    friday = datetime(2021, 6, 4, 5, 0, tzinfo=UTC)
    views = [ArticleView("a", tuple(text.split()), friday, "isna", text=text),
             ArticleView("b", tuple(text.split()), None, "borna", text=text + " امروز (یکشنبه)")]
    vectors = encode([text, text])
    table = pair_table(views, vectors, ClusterParams())
    assert table.gap_hours.tolist() == [48.0]  # Friday to Sunday
    same_day = [views[0], ArticleView("b", tuple(text.split()), None, "borna", text=text + " امروز (جمعه)")]
    same_table = pair_table(same_day, vectors, ClusterParams())
    assert np.isnan(same_table.gap_hours).all()  # same weekday: no evidence either way
    def log_odds(t: PairTable) -> float:
        p = float(same_story_probability(t, ClusterParams())[0])
        return float(np.log(p / max(1.0 - p, 1e-12)))

    # two days apart costs the pair the arrival model's -8.3 (same_story.time_evidence) against
    # no evidence for the same weekday; identical text may still join (overwhelming text)
    assert log_odds(table) < log_odds(same_table) - 5.0
    assert len(set(cluster_articles(same_day, vectors, ClusterParams()).tolist())) == 1

def test_a_cannot_link_pair_never_meets_through_a_third() -> None:
    # issue 12: rallies in two cities (0, 2) both resemble a report that names no city (1);
    # averaged, the veto between them was outvoted and all three became one story
    sim = sp.coo_matrix(([0.9, 0.9, 0.0], ([0, 1, 0], [1, 2, 2])), shape=(3, 3))
    assert partition(average_link(sim, 3, 0.4)) == {frozenset({0, 1, 2})}
    kept = average_link(sim, 3, 0.4, cannot=np.array([[0, 2]]))
    assert kept[0] != kept[2]
    assert partition(kept) in ({frozenset({0, 1}), frozenset({2})}, {frozenset({0}), frozenset({1, 2})})


def test_reference_weights_do_not_depend_on_the_window() -> None:
    # issue 12: in a window of six every shared word looked rare; against Persian at large
    # «است» stays common and a small port's name stays rare, whatever else arrived
    from clustering.reference import idf

    assert idf("است") < 2.5 < 5 < idf("گناوه")
    pair = [["زلزله", "گناوه", "خسارت"], ["زلزله", "گناوه", "لرزاند"]]
    crowd = pair + [["بورس", "تهران"], ["کنکور", "سراسری"], ["زلزله", "کرمان"]] * 20
    alone = tfidf_matrix(pair, reference=True)
    among = tfidf_matrix(crowd, reference=True)
    assert (alone[0] @ alone[1].T).toarray()[0, 0] == pytest.approx((among[0] @ among[1].T).toarray()[0, 0])


def test_the_next_days_different_figures_are_vetoed_and_the_same_days_are_not() -> None:
    from clustering.cluster import cannot_link

    t0 = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)  # 13:00 in Tehran
    texts = ["آخرین آمار آنفلوانزا؛ ۴۲ فوتی در ۲۴ ساعت گذشته", "آخرین آمار آنفلوانزا؛ ۳۸ فوتی در ۲۴ ساعت گذشته",
             "آمار آنفلوانزا؛ ۴۸ فوتی تا عصر امروز"]
    views = [ArticleView(str(i), tuple(t.split()), when, "irna", title_lemmas=tuple(t.split()), text=t, title=t)
             for i, (t, when) in enumerate(zip(texts, (t0, t0 + timedelta(hours=24), t0 + timedelta(hours=5)),
                                               strict=True))]
    rng = np.random.default_rng(0)
    vectors = np.tile(rng.normal(size=(1, 16)), (3, 1)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    table = pair_table(views, vectors, ClusterParams())
    flagged = {tuple(p) for p in table.pairs[table.features[:, FEATURES.index("figures_next_day")] > 0].tolist()}
    assert flagged == {(0, 1), (1, 2)}  # the same day's rising figure (0, 2) is not the next day's
    assert {tuple(p) for p in cannot_link(table).tolist()} >= flagged


@pytest.mark.parametrize(("road", "town", "together"), [
    # tests/cases/summaries/bus-crash: one bus, «محور شیراز - اصفهان» in one headline and
    # «آباده» (a county of Fars, on that road) in the other; the ends were a place conflict
    ("واژگونی اتوبوس مسافربری در محور شیراز - اصفهان", "هفده نفر در واژگونی اتوبوس در آباده مصدوم شدند", True),
    ("تصادف زنجیره‌ای در جاده مشهد - تربت‌حیدریه", "تصادف زنجیره‌ای در نیشابور", True),  # both in Khorasan Razavi
    ("واژگونی اتوبوس در محور شیراز - اصفهان", "واژگونی اتوبوس در تبریز", False),  # a town off the road's provinces
    # the ends joined by «به» or «تا», as in «جاده یاسوج به شیراز» (Yasuj in Kohgiluyeh, Shiraz in Fars)
    ("واژگونی اتوبوس در جاده یاسوج به شیراز", "واژگونی اتوبوس مسافربری در شیراز", True),
    ("تصادف در محور کرج تا چالوس", "تصادف زنجیره‌ای در چالوس", True),
    ("تصادف در محور کرج تا چالوس", "تصادف زنجیره‌ای در زاهدان", False),
])
def test_a_road_named_by_its_ends_is_where_its_towns_are(road: str, town: str, together: bool) -> None:
    from clustering.places import compatible, local, where

    assert compatible(local(where(road)), local(where(town))) is together


@pytest.mark.parametrize(("a", "b", "together"), [
    # a vehicle's route or its passengers' town is where it goes, not where it overturned
    # (tests/cases/stories/variants/probe-p2: Shiraz's passengers in Kohgiluyeh's Bijan pass)
    ("اتوبوس مسافران شیراز در گردنه بیژن واژگون شد", "واژگونی اتوبوس در جاده یاسوج", None),
    ("قطار مسافری تهران - مشهد در سمنان از ریل خارج شد", "خروج قطار از ریل در شاهرود", True),
    ("قطار مسافری تهران - مشهد در سمنان از ریل خارج شد", "خروج قطار از ریل در تبریز", False),
    ("هواپیمای مسافربری اصفهان در فرودگاه مشهد فرود اضطراری کرد", "فرود اضطراری هواپیما در مشهد", True),
    # a plant named after a town stands in its province, often outside the town (probe-p7:
    # the Arak refinery is in Shazand county)
    ("آتش‌سوزی در پالایشگاه اراک مهار شد", "آتش‌سوزی در پالایشگاه شازند", True),
    ("آتش‌سوزی در پالایشگاه اراک مهار شد", "آتش‌سوزی در پالایشگاه آبادان", False),
    ("حادثه در نیروگاه اتمی بوشهر", "حادثه در نیروگاه دیلم", True),  # both in Bushehr province
    # a town itself still says where: a bus that overturned «در شیراز» is in Shiraz
    ("اتوبوس در شیراز واژگون شد", "واژگونی اتوبوس در تبریز", False),
])
def test_a_route_or_a_plant_named_after_a_town_is_not_that_town(a: str, b: str, together: bool | None) -> None:
    from clustering.places import compatible, local, where

    assert compatible(local(where(a)), local(where(b))) is together


def test_a_headline_naming_only_a_sea_takes_its_place_from_the_lead() -> None:
    from clustering.mentions import mentions

    title = "فیلم | افتتاح فاز دوم پالایشگاه ستاره خلیج فارس"
    found = mentions((), f"{title} فاز دوم این پالایشگاه در بندرعباس افتتاح شد.", title).places
    assert "R-persiangulf" in found and any(p.endswith("bandarabbas") for p in found)
    # a headline with a place on land keeps it, and the lead's provinces stay out
    title = "آتش‌سوزی در بازار تبریز"
    assert mentions((), f"{title} هشدار هواشناسی برای استان‌های گیلان و مازندران", title).places == mentions(
        (), title, title).places


@pytest.mark.parametrize(("a", "b", "feature"), [
    # the counterpart's country is named by its adjective: two calls, two events
    ("عراقچی در تماس با همتای عراقی: به دفاع از خود ادامه خواهیم داد",
     "جزئیات تماس تلفنی عراقچی با همتای پاکستانی؛ درخواست اسلام‌آباد برای توقف فوری تجاوز", "country_conflict"),
    # a spokesman by name and a governor by title: nothing says they are one person
    ("بقائی: حمله به دانش‌آموزان مدرسه در میناب یک جنایت آشکار است",
     "استاندار هرمزگان: پاسخ جنایت حمله به مدرسه میناب داده می‌شود", "speaker_unmatched"),
    # a rally in a town of Iran and a condemnation abroad share a template, not an event
    ("یمن حملات هوایی به ایران را محکوم کرد", "مردم قرچک حملات هوایی دشمنان به ایران را محکوم کردند", "home_abroad"),
    # one incident's site: the same county, not only the same province
    ("شمار شهدای دبستان دخترانه میناب در حال افزایش؛ تاکنون ۲۴ نفر",
     "دادستان میناب: احراز هویت پیکر شهدای مدرسه در حال انجام است", "town_shared"),
    ("تجمع مردمی «تا پای جان برای ایران»", "تجمع مردمی «تا پای جان برای ایران» در گرگان", "place_one_sided"),
    # a crowd is where it gathers, not where what it mourns or condemns happened
    ("مادران گرگانی در سوگ دختران میناب: کفن دشمن را دوخته‌ایم", "در سوگ دخترکان میناب", "place_conflict"),
    ("تجمع مردم تهران در محکومیت حمله پهپادی به اصفهان", "حمله پهپادی به اصفهان", "place_conflict"),
    # one statement, its speaker named by the other headline without a speaker form
    ("واکنش ظریف به ترامپ: در امور کشور من دخالت نکن", "جدل سخت ظریف و ترامپ", "speaker_named"),
    # another actor's words against the happening itself
    ("روسیه انفجار مرگبار در هرات را محکوم کرد", "انفجار مرگبار در هرات ۱۲ کشته برجا گذاشت", "speaker_absent"),
])
def test_place_and_speaker_evidence_of_a_pair(a: str, b: str, feature: str) -> None:
    assert headline_pair_evidence(a, b, feature) == [1.0, 1.0]


def headline_pair_evidence(a: str, b: str, feature: str, leads: tuple[str, str] = ("", "")) -> list[float]:
    """One place-and-speaker feature of two headlines (with their leads, if given), read in both
    orders (it is symmetric)."""
    from clustering.mentions import mentions
    from clustering.pairs import _place_speaker_columns

    said = [mentions(tuple(t.split()), f"{t} {lead}".strip(), t) for t, lead in zip((a, b), leads, strict=True)]
    return [float(_place_speaker_columns(order, np.array([0]), np.array([1]))[feature][0])
            for order in (said, said[::-1])]


def test_a_name_is_the_office_the_windows_leads_give_it() -> None:
    """«واکنش ظریف ...» and «وزیر امور خارجه: ...» cannot be told apart or together alone; a third
    report whose lead calls Zarif the foreign minister tells it, as a reader of the stream would."""
    from clustering.mentions import mentions
    from clustering.pairs import _place_speaker_columns, office_holders

    name = "واکنش ظریف به ادعای پومپئو درباره تحریم تسلیحاتی"
    office = "وزیر امور خارجه: آمریکا عضو برجام نیست"
    teller = ("ظریف: به رویاپردازی خاتمه دهید", "وزیر امور خارجه کشورمان در توییتی نوشت: به رویاپردازی خاتمه دهید.")
    alone = [mentions(tuple(t.split()), t, t) for t in (name, office)]
    told = [*alone, mentions(tuple(teller[0].split()), " ".join(teller), teller[0])]
    assert office_holders(told) == {"ظریف": "وزیر امور خارجه کشورمان"}
    pair = (np.array([0]), np.array([1]))
    assert _place_speaker_columns(alone, *pair)["speaker_unmatched"][0] == 1.0
    assert _place_speaker_columns(told, *pair)["speaker_shared"][0] == 1.0
    # a name given two offices in one window is left as a name
    other = ("ظریف: سفر لغو شد", "وزیر نفت در جمع خبرنگاران گفت: سفر لغو شد.")
    both = [*told, mentions(tuple(other[0].split()), " ".join(other), other[0])]
    assert office_holders(both) == {}
    assert _place_speaker_columns(both, *pair)["speaker_unmatched"][0] == 1.0


@pytest.mark.parametrize(("a", "b", "reaction"), [
    # another actor's judgement of the happening the other report tells
    ("چین حمله به کنسولگری ایران در هرات را محکوم کرد", "حمله مسلحانه به کنسولگری ایران در هرات", True),
    ("محکومیت حمله به کنسولگری ایران در هرات از سوی عمان", "کنسولگری ایران در هرات هدف حمله قرار گرفت", True),
    ("واکنش وزیر بهداشت به تصویب طرح حذف ارز ترجیحی دارو", "مجلس طرح حذف ارز ترجیحی دارو را تصویب کرد", True),
    ("پیام تسلیت رئیس‌جمهور در پی زلزله خوی", "زلزله ۵.۹ ریشتری خوی را لرزاند", True),
    ("تجمع پایتخت‌نشینان در محکومیت حملات هوایی به کشورمان", "حملات هوایی علیه مناطقی در تهران", True),
    # «+ فیلم» after the verb is a format label, not the end of another kind of headline
    ("مردم قرچک حملات هوایی دشمنان به ایران را محکوم کردند + فیلم", "حملات هوایی علیه مناطقی در تهران", True),
    # a rally condemning a strike on a town is not that strike, though it names the town
    ("تجمع مردم میناب در محکومیت حمله به مدرسه", "حمله موشکی به مدرسه دخترانه میناب", True),
    # the same rally without its judgement: its people are its actor, named by both
    ("فیلم| تجمع مردم گرگان در محکومیت تجاوز آمریکا", "تجمع مردمی «تا پای جان برای ایران» در گرگان", False),
    # a denial with no one named is someone's statement, maybe the reaction's own: no happening
    ("واکنش پلیس به فیلم اسارت و شکنجه یک سرباز", "تکذیب ماجرای ویدئوی شکنجه سرباز ایرانی", False),
    ("واکنش تراکتور به قرارداد ۵ میلیون یورویی کنستانت", "قرارداد ۵ میلیون یورویی کنستانت صحت ندارد", False),
    # the actor's own comment on what it did: the other headline names it
    ("واکنش سپاه به روایت آمریکایی‌ها از ماجرای خلیج‌فارس", "جزئیات رویارویی نیروی دریایی سپاه با ناو آمریکایی", False),
    # two reactions, or a reaction and a statement: speakers decide those, not this
    ("چین حمله به کنسولگری ایران در هرات را محکوم کرد", "روسیه حمله به کنسولگری ایران در هرات را محکوم کرد", False),
    ("واکنش وزیر بهداشت به تصویب طرح", "رئیس سازمان غذا و دارو: حذف ارز ترجیحی باعث کمبود نمی‌شود", False),
    # no reaction at all
    ("حمله مسلحانه به کنسولگری ایران در هرات", "کنسولگری ایران در هرات هدف حمله قرار گرفت", False),
    # a message of sympathy is a reaction, as a condolence is (a newcomer's titles-only stream)
    ("پیام همدردی رئیس‌جمهور با مردم زلزله‌زده سرعین", "زلزله ۵.۱ ریشتری سرعین را لرزاند", True),
])
def test_a_reaction_to_a_happening_is_marked(a: str, b: str, reaction: bool) -> None:
    assert headline_pair_evidence(a, b, "reaction_to_happening") == [float(reaction)] * 2


@pytest.mark.parametrize(("a", "b", "digest"), [
    # a roundup names the incident among others: its own event (stream2026_dev's rule 4)
    ("از شهادت ۵۳ دانش‌آموز در میناب تا آغاز به کار کارگروه‌های دولت", "آمار دانش‌آموزان شهید مدرسه میناب به ۵۳ نفر رسید",
     True),
    ("اخبار کوتاه اردبیل / کالاهای اساسی تامین شد", "تامین کالاهای اساسی در اردبیل تداوم دارد", True),
    ("خبرهای کوتاه فارس؛ از آماده‌باش مراکز درمانی تا درگیری با شکارچیان", "آماده‌باش مراکز درمانی فارس", True),
    # the same roundup retyped by another outlet is a copy, not another happening
    ("اخبار کوتاه اردبیل / کالاهای اساسی تامین شد", "اخبار کوتاه اردبیل/ کالاهای اساسی تامین شد", False),
    # an opinion piece under its label reports no happening (a newcomer's full-body day of three sites)
    ("تحلیل | اسنپ‌بک؛ آخرین برگ ترامپ علیه برجام؟", "تلاش دوباره پمپئو برای تمدید تحریم تسلیحاتی ایران", True),
    ("یادداشت | بورس؛ حباب یا فرصت؟", "رکوردشکنی دوباره بورس؛ شاخص کل ۲۵ هزار واحد بالا رفت", True),
    # an analyst who speaks, or a report of someone's analysis, is no opinion piece of the outlet
    ("تحلیلگر روس: ایران حق دارد به پایگاه‌های آمریکا حمله کند", "حمله موشکی ایران به پایگاه‌های آمریکا", False),
    # a range of time, or a figure of speech, is no roundup
    ("از امروز تا پایان هفته هوای تهران سرد می‌شود", "هوای تهران تا پایان هفته سرد می‌شود", False),
    ("از شایعه تا واقعیت سوسیس با گوشت گربه", "تولید سوسیس با گوشت گربه شایعه است", False),
])
def test_a_digest_is_its_own_event(a: str, b: str, digest: bool) -> None:
    from clustering.cluster import pair_table

    views = [ArticleView(str(k), tuple(t.split()), None, "irna", title_lemmas=tuple(t.split()), text=t, title=t)
             for k, t in enumerate((a, b))]
    table = pair_table(views, np.tile(np.eye(1, 16, dtype=np.float32), (2, 1)), ClusterParams())
    assert table.pairs.tolist() == [[0, 1]]
    assert table.features[0, FEATURES.index("digest")] == float(digest)


@pytest.mark.parametrize(("a", "b", "apart"), [
    # two actors' reactions to one happening: two events
    ("سخنگوی وزارت امور خارجه حمله تروریستی راسک را محکوم کرد", "واکنش پاکستان به حمله تروریستی در راسک", True),
    ("پیام تسلیت رئیس‌جمهور در پی شهادت مأموران در راسک", "محکومیت حمله تروریستی راسک از سوی وزارت خارجه", True),
    # one actor's reaction, two outlets
    ("سخنگوی وزارت امور خارجه حمله تروریستی راسک را محکوم کرد", "محکومیت حمله تروریستی راسک از سوی وزارت خارجه",
     False),
    # a rally's people are its actor: a town's rally is not a government's condemnation, nor
    # another town's rally; one town's rally told twice is one actor
    ("تجمع مردم قم در محکومیت هتک حرمت قرآن", "عراق هتک حرمت قرآن در سوئد را محکوم کرد", True),
    ("مردم قرچک حملات هوایی به ایران را محکوم کردند + فیلم", "اجتماع مردمی شهرکرد در محکومیت حملات هوایی",
     True),
    ("فیلم| تجمع مردم گرگان در محکومیت تجاوز آمریکا", "اجتماع مردمی گرگان در محکومیت تجاوز آمریکا + عکس", False),
    # a message's author and a statement's speaker, two offices of one province
    ("پیام تسلیت نماینده ولی‌فقیه در هرمزگان در پی شهادت دانش‌آموزان میناب",
     "استاندار هرمزگان: پاسخ جنایت حمله به مدرسه میناب داده می‌شود", True),
    # a spokesman's name and his office cannot be told apart: left to the text
    ("بقائی: حمله به مدرسه میناب جنایت آشکار است", "سخنگوی وزارت امور خارجه حمله به مدرسه میناب را محکوم کرد",
     False),
    # an actor not read on one side: nothing says they differ
    ("تجمع در محکومیت هتک حرمت قرآن", "عراق هتک حرمت قرآن در سوئد را محکوم کرد", False),
])
def test_two_reactions_by_different_actors_are_apart(a: str, b: str, apart: bool) -> None:
    assert headline_pair_evidence(a, b, "reactions_apart") == [float(apart)] * 2


@pytest.mark.parametrize(("a", "b", "site"), [
    # one town's strike told as it unfolds: the toll, the rubble
    ("شمار شهدای دبستان دخترانه میناب در حال افزایش؛ تاکنون ۲۴ نفر",
     "پیکر تعداد زیادی از دانش‌آموزان مدرسه میناب هنوز زیر آوار است", True),
    # a statement or a reaction about the town is another actor's event, not the site's
    ("شمار شهدای دبستان دخترانه میناب در حال افزایش؛ تاکنون ۲۴ نفر",
     "استاندار هرمزگان: پاسخ جنایت حمله به مدرسه میناب داده می‌شود", False),
    ("شمار شهدای دبستان دخترانه میناب در حال افزایش؛ تاکنون ۲۴ نفر",
     "پیام تسلیت در پی شهادت دانش‌آموزان میناب", False),
    # a province capital holds many of a day's happenings
    ("شهرداری مشهد در آماده‌باش است", "سهمیه آرد نانوایی‌های مشهد افزایش یافت", False),
])
def test_a_happening_at_one_towns_site(a: str, b: str, site: bool) -> None:
    assert headline_pair_evidence(a, b, "site_shared") == [float(site)] * 2


@pytest.mark.parametrize(("a", "b", "apart"), [
    # two markets of one day, in one outlet's template or in two outlets' words
    ("قیمت طلا و سکه امروز شنبه ۷ آذر ۱۴۰۵", "قیمت دلار و یورو امروز شنبه ۷ آذر ۱۴۰۵", True),
    ("قیمت دلار امروز ۲۴ آذر ۱۴۰۵؛ عقب‌نشینی دلار به کانال ۱۱۲ هزار تومان", "شاخص بورس ۴۲ هزار واحد رشد کرد", True),
    # world gold and Tehran's coin; the central bank's official rates and the free market's dollar
    ("قیمت جهانی طلا امروز ۲۹ آذر | هر اونس ۴۳۵۰ دلار", "قیمت طلا، سکه و دلار امروز ۲۹ آذر ۱۴۰۵ + جدول", True),
    ("نرخ رسمی ۱۸ ارز افزایش یافت", "قیمت طلا، سکه و دلار امروز ۲۹ آذر ۱۴۰۵ + جدول", True),
    # one market in two outlets' words: one event
    ("قیمت سکه امروز چند؟؛ سکه امامی در بازار تهران ۱۳۰ میلیون تومان شد",
     "قیمت طلا، سکه و دلار امروز ۲۹ آذر ۱۴۰۵ + جدول", False),
    # a price in dollars is no dollar market: a phone's launch price quotes no market
    ("آیفون ۲۰۲۰ SE با قیمت ۴۰۰ دلار رونمایی شد", "سکه ۸۰ هزار تومان ارزان شد | جدیدترین قیمت طلا و سکه", False),
    # the Tehran exchange's index and the OTC market's («فرابورس») on one day
    ("شاخص کل بورس ۲۵ هزار واحد رشد کرد", "شاخص فرابورس ۳۱۰ واحد افزایش یافت", True),
    # a price post without the word «قیمت»: a figure in toman, a channel, index points
    ("دلار در بازار آزاد به کانال ۱۴۲ هزار تومان برگشت", "قیمت سکه و طلا امروز ۶ دی / سکه امامی ۱۳۸ میلیون تومان شد",
     True),
    ("بازار خودرو؛ پراید ۷۰ میلیون تومانی شد", "سکه ۸۰ هزار تومان ارزان شد", True),
    ("بورس سبز شد؛ شاخص ۱۸ هزار واحد بالا رفت", "یورو به کانال ۱۵۰ هزار تومان رسید", True),
    ("دلار در بازار آزاد به کانال ۱۴۲ هزار تومان برگشت", "دلار آزاد ۹۰۰ تومان ارزان شد", False),
])
def test_price_posts_of_two_markets_are_apart(a: str, b: str, apart: bool) -> None:
    assert headline_pair_evidence(a, b, "markets_apart") == [float(apart)] * 2


@pytest.mark.parametrize(("a", "b", "apart"), [
    # one visitor, two counterparts: his talks with the foreign minister and with the president
    ("دیدار وزیر خارجه عمان با رئیس‌جمهور", "تصاویر | دیدار وزیر خارجه عمان با وزیر خارجه ایران", True),
    ("عراقچی با وزیر خارجه قطر دیدار کرد", "دیدار عراقچی با وزیر خارجه عمان", True),
    ("دیدار استقلال با سپاهان در ورزشگاه آزادی", "دیدار استقلال با پرسپولیس", True),  # two matches
    # one meeting: the parties in either order, or a counterpart by office and by name
    ("دیدار رئیس‌جمهور با وزیر خارجه عمان", "دیدار وزیر خارجه عمان با رئیس‌جمهور", False),
    ("ولایتی با رئیس جمهوری سوریه دیدار کرد", "ولایتی با بشار اسد دیدار کرد", False),
    # a counterpart («همتای ایرانی») is not read: nothing says they differ
    ("وزیر خارجه عمان امروز با همتای ایرانی دیدار می‌کند", "دیدار وزیر خارجه عمان با رئیس‌جمهور", False),
    # one plural office of two countries is its two holders: the ministers' talks are not the
    # visitor's call on the president, and are the ministers' talks named by name
    ("دیدار وزیران خارجه ایران و عمان در تهران", "دیدار وزیر خارجه عمان با رئیس‌جمهور", True),
    ("دیدار وزیران نفت ایران و عراق در بغداد", "دیدار وزیر نفت ایران با وزیر نفت عراق", False),
    ("دیدار وزیران نفت و گاز", "دیدار وزیر نفت با نخست‌وزیر عراق", False),  # no countries: not read
    ("رؤسای جمهور ایران و تاجیکستان دیدار و گفت‌وگو کردند", "دیدار رئیس‌جمهور تاجیکستان با رئیس مجلس", True),
    ("وزیران خارجه ایران و عمان خواستار آتش‌بس شدند", "دیدار وزیر خارجه عمان با رئیس‌جمهور", False),  # no meeting
    # one party speaking at the meeting, and two parties joined by «و»
    ("عراقچی در دیدار فیدان: امنیت منطقه به دست کشورهای منطقه است", "پزشکیان در دیدار فیدان: روابط راهبردی شود",
     True),
    ("تصاویر | دیدار عراقچی و فیدان", "عراقچی در دیدار فیدان: امنیت منطقه به دست کشورهای منطقه است", False),
    # a phone call and a meeting are two events, whoever took part
    ("گفت‌وگوی تلفنی پزشکیان و السودانی", "دیدار وزیر نفت با نخست‌وزیر عراق", True),
    ("گفت‌وگوی تلفنی عراقچی با وزیر خارجه قطر", "تماس تلفنی عراقچی و وزیر خارجه قطر", False),
    # one who hosts others meets them (a newcomer's full-body stream)
    ("گفت‌وگوی تلفنی لاوروف با وزرای خارجه ارمنستان و آذربایجان",
     "پمپئو جمعه میزبان وزرای خارجه ارمنستان و آذربایجان می‌شود", True),
])
def test_one_partys_meetings_with_different_others_are_apart(a: str, b: str, apart: bool) -> None:
    assert headline_pair_evidence(a, b, "meetings_apart") == [float(apart)] * 2


def test_a_meeting_read_by_the_offices_the_window_gives_its_parties() -> None:
    """«دیدار عراقچی و فیدان» and «دیدار وزیر خارجه ترکیه با رئیس‌جمهور» share no name; a lead that
    gives both men their offices tells that the visitor met two different people."""
    from clustering.mentions import mentions
    from clustering.pairs import _place_speaker_columns

    reports = [("تصاویر | دیدار عراقچی و فیدان", ""),
               ("دیدار وزیر خارجه ترکیه با رئیس‌جمهور", ""),
               ("دیدار وزرای امور خارجه ایران و ترکیه",
                "سید عباس عراقچی وزیر امور خارجه کشورمان صبح امروز با هاکان فیدان وزیر امور خارجه ترکیه دیدار کرد.")]
    said = [mentions(tuple(t.split()), f"{t} {lead}".strip(), t) for t, lead in reports]
    pair = (np.array([0]), np.array([1]))
    assert _place_speaker_columns(said[:2], *pair)["meetings_apart"][0] == 0.0
    assert _place_speaker_columns(said, *pair)["meetings_apart"][0] == 1.0


def test_one_speaker_by_the_name_and_the_office_its_reports_give() -> None:
    """Pompeo spelt two ways is one speaker when each report's lead names his office; a visitor's
    two hosts named by two different names are two people, whatever office the window gives one."""
    pompeo = [("پمپئو: نمی‌گذاریم ایران سلاح خریداری کند", "وزیر امور خارجه آمریکا امروز گفت: ..."),
              ("مایک پومپئو: آمریکا اجازه خرید سلاح را به ایران نخواهد داد",
               "مایک پومپئو وزیر امور خارجه ایالات متحده گفت: ...")]
    assert headline_pair_evidence(*(t for t, _ in pompeo), "speaker_shared",
                                  tuple(lead for _, lead in pompeo)) == [1.0, 1.0]
    hosts = [("فیدان با لاریجانی دیدار کرد",
              "وزیر امور خارجه ترکیه با علی لاریجانی دبیر شورای عالی امنیت ملی دیدار کرد."),
             ("پزشکیان در دیدار فیدان: امنیت منطقه به دست کشورهای منطقه است", "")]
    assert headline_pair_evidence(*(t for t, _ in hosts), "meetings_apart",
                                  tuple(lead for _, lead in hosts)) == [1.0, 1.0]


@pytest.mark.parametrize(("a", "b", "apart"), [
    ("اختلال در حرکت قطارهای خط یک متروی تهران", "توقف حرکت قطارها در خط ۴ متروی تهران", True),
    ("آغاز تولید از فاز ۱۴ پارس جنوبی", "افزایش برداشت گاز از فازهای ۱۳ و ۲۲ پارس جنوبی", True),
    ("سرگردانی مسافران در ایستگاه‌های خط ۱ مترو", "اختلال در حرکت قطارهای خط یک متروی تهران", False),
    ("افزایش برداشت گاز از فازهای ۱۳ و ۱۴", "آغاز تولید از فاز ۱۴ پارس جنوبی", False),
    ("اختلال در خط یک مترو", "توقف قطارها در متروی تهران", False),  # one names no line: nothing says
])
def test_numbered_units_of_one_kind_are_two_places(a: str, b: str, apart: bool) -> None:
    assert headline_pair_evidence(a, b, "units_apart") == [float(apart)] * 2


@pytest.mark.parametrize(("b", "lead", "apart"), [
    # the minister's statement against a report whose lead quotes the water company's chief
    ("حجم ذخایر سدهای تهران به ۹ درصد رسید",
     "مدیرعامل شرکت آب منطقه‌ای تهران امروز در نشست خبری اعلام کرد: حجم آب سدها ۹ درصد است.", True),
    # the lead quotes the minister himself, or no one
    ("جیره‌بندی آب در تهران در دستور کار نیست", "وزیر نیرو امروز در بازدید از تصفیه‌خانه گفت: جیره‌بندی نداریم.",
     False),
    ("حجم ذخایر سدهای تهران به ۹ درصد رسید", "حجم آب پنج سد تهران به ۱۶۲ میلیون مترمکعب رسید.", False),
])
def test_a_statement_against_a_report_that_quotes_someone_else(b: str, lead: str, apart: bool) -> None:
    a = "وزیر نیرو: برای تهران جیره‌بندی آب نداریم"
    assert headline_pair_evidence(a, b, "source_apart", ("", lead)) == [float(apart)] * 2


def test_a_meetings_subject_is_no_place_of_it() -> None:
    # the ministers' talks in Tehran «درباره تحولات سوریه» are not in Syria; a strike is where it says
    assert headline_pair_evidence("دیدار عراقچی و فیدان در تهران",
                                  "رایزنی عراقچی و فیدان درباره تحولات سوریه و قفقاز", "place_conflict") == [0.0] * 2
    assert headline_pair_evidence("حمله پهپادی به حلب سوریه", "حمله پهپادی به موصل عراق", "place_conflict") == [1.0] * 2


def statements_apart(a: tuple[str, str], b: tuple[str, str]) -> list[float]:
    """subjects_apart of two (headline, lead) reports, read in both orders."""
    return headline_pair_evidence(a[0], b[0], "subjects_apart", (a[1], b[1]))


_HEATERS = ("وزیر آموزش و پرورش: تا پایان آذر هیچ کلاسی با بخاری نفتی نمی‌ماند",
            "وزیر آموزش و پرورش صبح امروز در آیین آغاز طرح زمستان ایمن در مدارس گفت: تا پایان آذر ماه ۱۲ هزار "
            "کلاس که با بخاری نفتی گرم می‌شوند به سامانه گرمایشی ایمن مجهز خواهند شد.")


@pytest.mark.parametrize(("b", "apart"), [
    # the same minister at the same ceremony on another subject: the occasion is no subject
    (("وزیر آموزش و پرورش: احکام مرحله دوم رتبه‌بندی معلمان از دی ماه اعمال می‌شود",
      "وزیر آموزش و پرورش در حاشیه آیین آغاز طرح زمستان ایمن در جمع خبرنگاران گفت: احکام مرحله دوم "
      "رتبه‌بندی معلمان از دی ماه صادر و در حقوق فرهنگیان اعمال می‌شود."), True),
    # his statement on the heaters in other words: the lead's words are the headline's subject
    (("تاکید وزیر آموزش و پرورش بر ایمن‌سازی گرمایش مدارس پیش از سرمای زمستان",
      "وزیر آموزش و پرورش با تاکید بر اینکه ایمنی دانش‌آموزان خط قرمز است، گفت: بخاری‌های نفتی ۱۲ هزار "
      "کلاس تا پایان آذر برچیده می‌شود."), False),
    # another speaker on another subject is another feature's business (speaker_conflict)
    (("استاندار تهران: احکام مرحله دوم رتبه‌بندی معلمان از دی ماه اعمال می‌شود", ""), False),
])
def test_one_speakers_statements_on_two_subjects_are_apart(b: tuple[str, str], apart: bool) -> None:
    assert statements_apart(_HEATERS, b) == [float(apart)] * 2


def test_a_wire_credit_and_the_speakers_name_are_no_shared_subject() -> None:
    # two agencies' leads of one press conference on two subjects (a newcomer's day of three
    # agencies): «به گزارش ...» and the spokesman's name in both leads are no subject in common
    water = ("بقائی: حقابه ایران از هیرمند باید به طور کامل تحویل شود",
             "به گزارش ایرنا، اسماعیل بقائی سخنگوی وزارت امور خارجه در نشست خبری امروز گفت: بر اساس معاهده "
             "۱۳۵۱ طرف افغان موظف به تحویل کامل حقابه ایران است.")
    agency = ("بقائی: همکاری با آژانس فقط در چارچوب قانون مجلس ادامه می‌یابد",
              "به گزارش خبرگزاری تسنیم، اسماعیل بقائی گفت: همکاری ایران با آژانس صرفا در چارچوب قانون "
              "مصوب مجلس ادامه می‌یابد.")
    retold = ("بقائی: افغانستان حقابه هیرمند را کامل تحویل دهد",
              "به گزارش خبرگزاری تسنیم، اسماعیل بقائی گفت: طرف افغان موظف به تحویل حقابه است.")
    assert statements_apart(water, agency) == [1.0, 1.0]
    assert statements_apart(water, retold) == [0.0, 0.0]


def test_words_of_time_are_no_shared_subject() -> None:
    dust = ("استاندار خوزستان: ۵۰ هزار هکتار از کانون‌های گرد و غبار امسال نهال‌کاری می‌شود", "")
    water = ("استاندار خوزستان: آبرسانی پایدار به روستاهای غیزانیه تا پایان امسال انجام می‌شود", "")
    assert statements_apart(dust, water) == [1.0, 1.0]


def test_an_update_two_named_days_on_is_its_own_event() -> None:
    # «امروز سه‌شنبه» and «امروز پنجشنبه» of one explosion, 47 hours apart, no figure in the later
    # headline (a newcomer's case); the next day's update with its own day stays joinable
    from clustering.cluster import pair_table

    tuesday = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
    texts = [("انفجار گاز در ساختمان مسکونی گوهردشت کرج؛ ۲ نفر جان باختند", "صبح امروز سه‌شنبه انفجار گاز رخ داد", 0),
             ("دو مصدوم انفجار گوهردشت کرج در بیمارستان درگذشتند", "امروز پنجشنبه دو مصدوم جان باختند", 47),
             ("یک مصدوم انفجار گوهردشت کرج درگذشت", "امروز چهارشنبه یک مصدوم جان باخت", 22)]
    views = [ArticleView(str(k), tuple(f"{t} {b}".split()), tuesday + timedelta(hours=h), "irna", text=f"{t} {b}",
                         title=t, title_lemmas=tuple(t.split())) for k, (t, b, h) in enumerate(texts)]
    vectors = np.tile(np.ones((1, 8), np.float32) / np.sqrt(8), (3, 1))
    table = pair_table(views, vectors, ClusterParams())
    flagged = {tuple(p) for p in table.pairs[table.features[:, FEATURES.index("figures_next_day")] > 0].tolist()}
    assert (0, 1) in flagged  # Tuesday and Thursday
    assert (0, 2) not in flagged  # Tuesday and the next day, within about a day


def next_day_pairs(start: datetime, headlines: list[tuple[str, float]]) -> set[tuple[int, int]]:
    """The pairs figures_next_day marks among one outlet's ``headlines`` (text, hours after ``start``)."""
    from clustering.cluster import pair_table

    views = [ArticleView(str(k), tuple(t.split()), start + timedelta(hours=h), "irna", text=t, title=t,
                         title_lemmas=tuple(t.split())) for k, (t, h) in enumerate(headlines)]
    table = pair_table(views, np.tile(np.eye(1, 16, dtype=np.float32), (len(views), 1)), ClusterParams())
    return {tuple(p) for p in table.pairs[table.features[:, FEATURES.index("figures_next_day")] > 0].tolist()}


def test_a_decision_a_day_later_for_another_day_is_its_own_event() -> None:
    # Saturday evening's order closing Tehran's schools on Sunday, and Sunday evening's extending
    # it to Monday (a newcomer's case): decisions are split by day, as figures are
    saturday = datetime(2026, 11, 28, 16, 10, tzinfo=UTC)
    assert next_day_pairs(saturday, [("مدارس و دانشگاه‌های استان تهران فردا یکشنبه تعطیل شد", 0.0),
                                     ("آموزش مدارس تهران فردا یکشنبه غیرحضوری است", 0.5),
                                     ("تعطیلی مدارس تهران دوشنبه هم ادامه دارد", 24.2)]) == {(0, 2), (1, 2)}


def test_one_digit_figures_of_the_next_day_are_its_own_event() -> None:
    # one issuer's warnings on two days (a newcomer's two days of three agencies): «۹ استان», then
    # the next day «۴ استان»; a toll's one-digit rise within the day stays joinable
    sunday = datetime(2026, 12, 27, 4, 10, tzinfo=UTC)
    assert next_day_pairs(sunday, [("هواشناسی برای ۹ استان هشدار نارنجی برف و کولاک صادر کرد", 0.0),
                                   ("هواشناسی: موج دوم برف از سه‌شنبه؛ هشدار قرمز برای ۴ استان", 29.8),
                                   ("هشدار نارنجی برف برای ۸ استان صادر شد", 3.0)]) == {(0, 1), (1, 2)}


def test_a_shared_stock_phrase_is_marked_and_a_different_one_is_not() -> None:
    from clustering.cluster import pair_table

    texts = ["لیگ برتر فوتبال تا اطلاع ثانوی تعطیل شد", "مدارس اراک تا اطلاع ثانوی تعطیل است",
             "تجمع مردم در محکومیت حملات"]
    views = [ArticleView(str(k), tuple(t.split()), None, "irna", title_lemmas=tuple(t.split()), text=t, title=t)
             for k, t in enumerate(texts)]
    vectors = np.tile(np.eye(1, 16, dtype=np.float32), (3, 1))
    table = pair_table(views, vectors, ClusterParams())
    marked = {tuple(p) for p in table.pairs[table.features[:, FEATURES.index("stock_shared")] > 0].tolist()}
    assert marked == {(0, 1)}


def test_a_date_both_reports_give_for_their_own_day_is_not_a_shared_date() -> None:
    from clustering.cluster import pair_table

    saturday = datetime(2026, 11, 28, 6, 30, tzinfo=UTC)  # 7 Azar 1405 in Tehran
    texts = ["قیمت طلا و سکه امروز ۷ آذر", "قیمت دلار و یورو امروز ۷ آذر", "مراسم سالگرد زلزله ۷ آذر برگزار می‌شود"]
    whens = (saturday, saturday + timedelta(minutes=5), saturday - timedelta(days=3))
    views = [ArticleView(str(k), tuple(t.split()), w, "yjc", title_lemmas=tuple(t.split()), text=t, title=t)
             for k, (t, w) in enumerate(zip(texts, whens, strict=True))]
    table = pair_table(views, np.tile(np.eye(1, 16, dtype=np.float32), (3, 1)), ClusterParams())
    shared = {tuple(p) for p in table.pairs[table.features[:, FEATURES.index("date_shared")] > 0].tolist()}
    # "today" for both says no more than their times; named three days ahead, it is a date
    assert (0, 1) not in shared and {(0, 2), (1, 2)} <= shared


def test_a_year_after_a_month_is_a_date_not_a_figure() -> None:
    from clustering.mentions import numbers

    assert numbers(tuple(["قیمت", "طلا", "امروز", "شنبه", "۷", "آذر", "۱۴۰۵"])) == frozenset()
    assert numbers(tuple(["۲۵", "کشته", "در", "سال", "۲۰۲۶"])) == {"25"}
    assert numbers(tuple(["۱۴۰۵", "نفر", "مصدوم", "شدند"])) == {"1405"}  # a count stays a figure


def test_two_lone_reports_form_a_story_only_at_the_pair_threshold() -> None:
    # a 0.4 pair is a coin flip: alone, two reports stay apart at pair_threshold 0.5 ...
    lone = sp.coo_matrix(([0.4], ([0], [1])), shape=(2, 2))
    assert partition(average_link(lone, 2, 0.3, pair_threshold=0.5)) == {frozenset({0}), frozenset({1})}
    assert partition(average_link(lone, 2, 0.3)) == {frozenset({0, 1})}  # without it, the average decides
    # ... but a third report 0.4 close to both reports of a story joins it at the story's average
    story = sp.coo_matrix(([0.9, 0.4, 0.4], ([0, 0, 1], [1, 2, 2])), shape=(3, 3))
    assert partition(average_link(story, 3, 0.3, pair_threshold=0.5)) == {frozenset({0, 1, 2})}
