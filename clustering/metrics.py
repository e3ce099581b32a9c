"""Scores of a partition against gold events (the definitions of ../shared/eval/README.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Scores:
    """B-cubed and pairwise precision/recall/F1, ARI, AMI and the orphan rate."""

    n_items: int
    n_clusters: int
    n_gold: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    pair_precision: float
    pair_recall: float
    pair_f1: float
    ari: float
    ami: float
    orphan_rate: float  # items with a gold partner left alone in a one-item cluster

    def as_dict(self) -> dict[str, float | int]:
        # + 0.0: a score of -0.0 (AMI of identical chance) prints as 0.0
        return {k: round(v, 4) + 0.0 if isinstance(v, float) else v for k, v in asdict(self).items()}


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(sizes: Sequence[int]) -> int:
    return sum(s * (s - 1) // 2 for s in sizes)


def score_partition(predicted: Mapping[str, str], gold: Mapping[str, str]) -> Scores:
    """Score ``predicted`` (item -> cluster) against ``gold`` (item -> event), on gold items."""
    from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

    items = [i for i in gold if i in predicted]
    if not items:
        raise ValueError("no item of the gold file was clustered")
    pred = [predicted[i] for i in items]
    true = [gold[i] for i in items]
    pred_size = Counter(pred)
    true_size = Counter(true)
    joint = Counter(zip(pred, true, strict=True))

    precision = sum(joint[(p, t)] / pred_size[p] for p, t in zip(pred, true, strict=True)) / len(items)
    recall = sum(joint[(p, t)] / true_size[t] for p, t in zip(pred, true, strict=True)) / len(items)

    same_both = _pairs(list(joint.values()))
    same_pred = _pairs(list(pred_size.values()))
    same_true = _pairs(list(true_size.values()))
    pair_p = same_both / same_pred if same_pred else 0.0
    pair_r = same_both / same_true if same_true else 0.0

    with_partner = [i for i, t in zip(items, true, strict=True) if true_size[t] > 1]
    orphans = sum(1 for i in with_partner if pred_size[predicted[i]] == 1)
    return Scores(
        n_items=len(items),
        n_clusters=len(pred_size),
        n_gold=len(true_size),
        bcubed_precision=precision,
        bcubed_recall=recall,
        bcubed_f1=_f1(precision, recall),
        pair_precision=pair_p,
        pair_recall=pair_r,
        pair_f1=_f1(pair_p, pair_r),
        ari=float(adjusted_rand_score(true, pred)),
        ami=float(adjusted_mutual_info_score(true, pred)),
        orphan_rate=orphans / len(with_partner) if with_partner else 0.0,
    )
