"""Clustering mechanics: sparse average link, stable ids, metrics, threads, time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import scipy.sparse as sp

from clustering.cluster import ArticleView, ClusterParams, cluster_articles, time_factor
from clustering.ids import assign_story_ids
from clustering.linkage import average_link
from clustering.metrics import score_partition


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


def test_time_far_apart_needs_stronger_evidence() -> None:
    params = ClusterParams(time_grace_hours=36, time_scale_hours=48)
    f = time_factor(np.array([0.0, 36.0, 84.0, 240.0]), params)
    assert f[0] == f[1] == 1.0 and f[2] == pytest.approx(np.exp(-1)) and f[3] < 0.02


def test_every_article_ends_in_exactly_one_story_lone_reports_included(fake_encoder) -> None:
    texts = ["زلزله کرمان خسارت زد", "زلزله کرمان خسارت زد امروز", "قیمت بنزین تغییر کرد", "بارش برف در تهران"]
    views = [ArticleView(str(i), tuple(t.split())) for i, t in enumerate(texts)]
    labels = cluster_articles(views, fake_encoder.encode(texts), ClusterParams())
    assert len(labels) == 4
    assert labels[0] == labels[1]
    assert len({labels[2], labels[3], labels[0]}) == 3


def test_same_words_a_week_apart_are_two_stories(fake_encoder) -> None:
    text = "اعلام آمار روزانه مصدومان زلزله کرمان"
    t0 = datetime(2025, 11, 19, tzinfo=UTC)
    views = [ArticleView("a", tuple(text.split()), t0), ArticleView("b", tuple(text.split()), t0 + timedelta(days=8))]
    labels = cluster_articles(views, fake_encoder.encode([text, text]), ClusterParams())
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
