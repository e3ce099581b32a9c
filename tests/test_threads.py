"""Threads: stories of one situation on different days link, unrelated ones do not; the seeds stay one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import scipy.sparse as sp

from clustering.threads import StoryView, ThreadParams, centroid_link, link_threads, place_terms, thread_labels

DAY0 = datetime(2025, 11, 17, 8, tzinfo=UTC)

# Lemma bags of a small window. Two stories follow one situation (Zayandeh Rud's water, a
# week apart); the others are unrelated, and every story shares the window's common words.
COMMON = ("گزارش", "استان", "مسئول")
BAGS = {
    "water-1": ("زاینده‌رود", "آب", "کشاورز", "سد", "رهاسازی"),
    "water-2": ("زاینده‌رود", "آب", "سد", "کشاورز", "اصفهان", "حقابه"),
    "quake": ("زلزله", "کرمان", "مصدوم", "هلال‌احمر"),
    "metro": ("مترو", "ایستگاه", "تهران", "افتتاح"),
    "football": ("استقلال", "سپاهان", "مساوی", "آزادی"),
    "flu": ("آنفلوانزا", "واکسن", "بهداشت", "سخنگو"),
}


def window(seed: int = 7) -> tuple[list[StoryView], np.ndarray]:
    """Story views and unit vectors: a large shared direction (e5's anisotropy), a topic, noise."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=64)
    topics = {name: rng.normal(size=64) for name in ("water", "quake", "metro", "football", "flu")}
    views, rows = [], []
    for k, (name, bag) in enumerate(BAGS.items()):
        views.append(StoryView(name, bag + COMMON, DAY0 + timedelta(days=k if name != "water-2" else 6)))
        v = 3.0 * common / np.linalg.norm(common) + topics[name.split("-")[0]] / 8 + rng.normal(size=64) / 16
        rows.append(v / np.linalg.norm(v))
    return views, np.asarray(rows, dtype=np.float32)


def test_two_stories_of_one_situation_on_different_days_link_and_unrelated_ones_do_not() -> None:
    views, vectors = window()
    threads = link_threads(views, vectors, ThreadParams(), {}, set())
    assert threads["water-1"] is not None and threads["water-1"] == threads["water-2"]
    assert all(threads[name] is None for name in ("quake", "metro", "football", "flu"))


def test_the_common_direction_does_not_link_unrelated_stories() -> None:
    # raw cosines of these vectors are all above 0.8 (where e5's unrelated Persian news sit),
    # far above the bar: only after the window's centre is taken out do they fall apart
    views, vectors = window()
    assert (vectors @ vectors.T).min() > 0.8 > ThreadParams().threshold
    unrelated = [v for v in views if not v.story_id.startswith("water")]
    labels = thread_labels(unrelated, vectors[[i for i, v in enumerate(views) if v in unrelated]], ThreadParams())
    assert len(set(labels.tolist())) == len(unrelated)


# A war's window: every headline names the attack and the aggressors. Two situations share
# only those words: the strike on the Minab school (its toll, then the prosecutor) and the
# provinces saying basic goods suffice (two governors).
WAR = ("حمله", "تجاوز", "آمریکا", "صهیونیستی", "ایران")
WAR_BAGS = {
    "minab-1": ("مدرسه", "میناب", "دانش‌آموز", "شهادت"),
    "minab-2": ("دادستان", "میناب", "مدرسه", "پیکر", "شهید"),
    "goods-1": ("استاندار", "لرستان", "کالا", "اساسی", "تامین"),
    "goods-2": ("استاندار", "سمنان", "کالا", "اساسی", "کافی"),
}


def test_two_situations_that_share_only_the_wars_words_are_two_threads() -> None:
    rng = np.random.default_rng(11)
    war = rng.normal(size=64)  # what e5 gives every story of the window: the war
    topics = {name: rng.normal(size=64) for name in ("minab", "goods")}
    views, rows = [], []
    for k, (name, bag) in enumerate(WAR_BAGS.items()):
        views.append(StoryView(name, bag + WAR, DAY0 + timedelta(hours=k)))
        v = 3.0 * war / np.linalg.norm(war) + topics[name.split("-")[0]] / 8 + rng.normal(size=64) / 16
        rows.append(v / np.linalg.norm(v))
    threads = link_threads(views, np.asarray(rows, dtype=np.float32), ThreadParams(), {}, set())
    assert threads["minab-1"] is not None and threads["minab-1"] == threads["minab-2"]
    assert threads["goods-1"] is not None and threads["goods-1"] == threads["goods-2"]
    assert threads["minab-1"] != threads["goods-1"]


def test_stories_further_apart_than_the_window_are_not_compared() -> None:
    views, vectors = window()
    far = [v if v.story_id != "water-2" else StoryView(v.story_id, v.lemmas, DAY0 + timedelta(days=400))
           for v in views]
    threads = link_threads(far, vectors, ThreadParams(window_days=120), {}, set())
    assert threads["water-1"] is None and threads["water-2"] is None


def test_a_window_of_two_alike_stories_still_links() -> None:
    # With the full window mean taken out, two stories would always be opposite (cosine -1);
    # the shrunk centre keeps what they share (the seeds are such a window: test_seeds below).
    views, vectors = window()
    pair = [0, 1]
    threads = link_threads([views[i] for i in pair], vectors[pair], ThreadParams(), {}, set())
    assert threads["water-1"] is not None and threads["water-1"] == threads["water-2"]


def test_thread_ids_are_stable_and_new_ones_avoid_taken() -> None:
    views, vectors = window()
    first = link_threads(views, vectors, ThreadParams(), {}, set())
    tid = first["water-1"]
    assert tid is not None and tid.startswith("t")
    again = link_threads(views, vectors, ThreadParams(), {"water-1": "t-old", "water-2": "t-old"}, set())
    assert again["water-1"] == again["water-2"] == "t-old"
    assert link_threads(views, vectors, ThreadParams(), {}, {tid})["water-1"] not in (None, tid)


def test_centroid_link_merges_groups_by_the_cosine_of_their_centres() -> None:
    rng = np.random.default_rng(3)
    points = rng.normal(size=(9, 5))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    lexical = sp.csr_matrix((9, 1), dtype=np.float32)
    pairs = np.array([(i, j) for i in range(9) for j in range(i + 1, 9)])
    labels = centroid_link(points, lexical, pairs, np.einsum("ij,ij->i", points[pairs[:, 0]], points[pairs[:, 1]]),
                           0.0, 0.5)
    # reference: the same greedy rule over full centre sums, written directly
    groups = [[i] for i in range(9)]
    while True:
        sums = [points[g].sum(axis=0) for g in groups]
        best = max(((float(sums[a] @ sums[b] / np.linalg.norm(sums[a]) / np.linalg.norm(sums[b])), a, b)
                    for a in range(len(groups)) for b in range(a + 1, len(groups))), default=None)
        if best is None or best[0] < 0.5:
            break
        _c, a, b = best
        groups[a] += groups.pop(b)
    want = {frozenset(g) for g in groups}
    got = {frozenset(np.flatnonzero(labels == k).tolist()) for k in set(labels.tolist())}
    assert got == want and len(want) < 9


def test_place_terms_name_the_places_of_the_headlines() -> None:
    terms = place_terms(["تجمع مردم مشهد در محکومیت حمله", "سیل در خوزستان"])
    assert terms and all(t.startswith("P:") for t in terms)
    assert place_terms(["بدون نام جا"]) == ()


@pytest.mark.slow
def test_seeds_stay_one_thread_with_the_real_model(tmp_path) -> None:
    """Austin in Israel (April 2021) and Gantz in Washington (June 2021): two stories, one thread."""
    from flows.settings import load_settings
    from flows.stages import run_stages
    from storage import Database
    from storage.queries import list_stories
    from tests.conftest import SEED_FILES

    db = Database(str(tmp_path / "seeds.duckdb"))
    run_stages(db, SEED_FILES, load_settings(overrides={"db": db.path}))
    with db.connect(read_only=True) as con:
        stories = list_stories(con)
    assert len(stories) == 2
    assert stories[0]["thread_id"] is not None and stories[0]["thread_id"] == stories[1]["thread_id"]


def test_the_harness_scores_an_article_by_its_storys_thread_and_a_loner_as_its_own() -> None:
    """benchmarks.eval_threads on the tiny window: pipeline threads, the baseline, every story alone."""
    from benchmarks.eval_threads import ThreadSet, _score, alone_threads, baseline_threads, dastan_threads, story_groups
    from ingest.models import Role, Sentence
    from storage.articles import StoredArticle

    views, vectors = window()
    articles, article_vectors = [], {}
    for v, row in zip(views, vectors, strict=True):
        for copy in range(2):  # two reports of each story
            aid = f"{v.story_id}#{copy}"
            title = Sentence(0, " ".join(v.lemmas), Role.TITLE, v.lemmas)
            articles.append(StoredArticle(aid, aid, "isna", title.text, None, v.first_published + timedelta(hours=copy),
                                          None, (title,)))
            article_vectors[aid] = row
    events = {a.article_id: a.article_id.split("#")[0] for a in articles}
    storylines = {a: e.split("-")[0] for a, e in events.items()}
    data = ThreadSet("tiny", articles, article_vectors, events, storylines, events)
    stories = story_groups(data, data.events)
    assert len(stories) == len(views)
    alone = alone_threads(data, stories)
    assert alone["water-1#0"] == alone["water-1#1"] != alone["water-2#0"]
    threads = dastan_threads(data, stories, ThreadParams())
    assert threads["water-1#0"] == threads["water-2#1"] and threads["quake#0"] != threads["metro#0"]
    assert _score(threads, storylines)["bcubed_f1"] == 1.0
    assert _score(alone, storylines)["bcubed_f1"] < 1.0
    assert len(set(baseline_threads(data, stories, 1.01).values())) == len(views)  # nothing clears 1.01


def test_a_small_window_links_only_stories_that_share_a_place_or_rare_words() -> None:
    from clustering.threads import ThreadParams, thread_labels

    def story(sid: str, title: str) -> StoryView:
        return StoryView(sid, tuple(title.split()), datetime(2026, 11, 28, tzinfo=UTC), (title,))

    views = [story("bus", "واژگونی اتوبوس در محور اصفهان شیراز هشت مصدوم داشت"),
             story("fuel", "سخنگوی دولت افزایش قیمت بنزین را تکذیب کرد"),
             story("quake", "زلزله راور کرمان یک مصدوم داشت"),
             story("quake2", "پس‌لرزه دوم راور کرمان را لرزاند")]
    # the same dense point for all: only what they say can keep them apart
    vectors = np.tile(np.eye(1, 8, dtype=np.float32), (4, 1))
    labels = thread_labels(views, vectors, ThreadParams())
    assert labels[2] == labels[3]  # one quake's aftershock: the same place
    assert len({labels[0], labels[1], labels[2]}) == 3  # a word like «مصدوم» alone is no situation
