"""Stable story ids: a story keeps its id across runs unless it is really split or merged.

After each run the window's new partition is matched to the stories it had before. The
pairs (new cluster, old story) are taken largest overlap first, each side at most once:
when a story splits, its larger part keeps the id; when two merge, the merged story keeps
the id of the one that brought more reports. Unmatched clusters get a new id derived
from their earliest report, so two runs over the same input name stories the same way.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np


def new_story_id(seed: str, taken: set[str], prefix: str = "s") -> str:
    """A short id derived from ``seed``, not in ``taken`` ("s…" for stories, "t…" for threads)."""
    for salt in range(1000):
        digest = hashlib.blake2b(f"{seed}:{salt}".encode(), digest_size=5).hexdigest()
        candidate = f"{prefix}{digest}"
        if candidate not in taken:
            return candidate
    raise RuntimeError("could not find a free story id")  # 1000 collisions of 40-bit ids


def assign_story_ids(
    labels: np.ndarray,
    article_ids: Sequence[str],
    previous: Mapping[str, str],
    taken: set[str],
    prefix: str = "s",
) -> dict[int, str]:
    """A story id for each cluster label.

    ``previous`` maps article ids to the story they were in; ``taken`` holds every story id
    in use outside the window (frozen stories), which new ids must avoid. Articles are
    given earliest first, so a cluster's first member is its earliest report.
    """
    overlap: Counter[tuple[int, str]] = Counter()
    for label, aid in zip(labels.tolist(), article_ids, strict=True):
        if aid in previous:
            overlap[(label, previous[aid])] += 1
    assigned: dict[int, str] = {}
    used: set[str] = set()
    for (label, story), _count in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if label in assigned or story in used:
            continue
        assigned[label] = story
        used.add(story)
    unavailable = set(taken) | set(previous.values()) | used
    first_member: dict[int, str] = {}
    for label, aid in zip(labels.tolist(), article_ids, strict=True):
        first_member.setdefault(label, aid)
    for label in sorted(first_member):
        if label not in assigned:
            sid = new_story_id(first_member[label], unavailable, prefix)
            assigned[label] = sid
            unavailable.add(sid)
    return assigned
