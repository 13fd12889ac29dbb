"""Stable theme IDs across rebuilds: new clusters take over old IDs one-to-one, by member overlap and
centroid similarity; splits and merges are recorded; an ID is never given out twice.

score(old, new) = overlap + 0.5 * max(0, cosine(centroids)), where overlap = |old ∩ new| / |old| over the
sentences both clusterings saw. Pairs are matched with the Hungarian method (scipy's linear_sum_assignment)
and kept when overlap >= MIN_OVERLAP or cosine >= MIN_COSINE. Then:
- an unmatched new cluster gets a fresh ID (created; "split" from an old theme that gave it >= SPLIT_SHARE
  of that theme's members);
- an unmatched old theme is retired ("merged" into the new cluster that took most of its members when that
  is >= SPLIT_SHARE of them, else "retired").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

MIN_OVERLAP = 0.3
MIN_COSINE = 0.9
SPLIT_SHARE = 0.25


@dataclass(frozen=True)
class ThemeEvent:
    event: str
    """created | split | merged | retired"""
    theme_id: str
    related: tuple[str, ...] = ()


@dataclass(frozen=True)
class IdMatch:
    ids: tuple[str, ...]
    """Theme ID for each new cluster, in cluster order."""
    retired: tuple[str, ...]
    events: tuple[ThemeEvent, ...] = field(default_factory=tuple)
    next_number: int = 1


def format_id(number: int) -> str:
    return f"T{number:04d}"


def match_ids(
    old_members: Mapping[str, set[str]],
    old_centroids: Mapping[str, np.ndarray],
    new_members: Sequence[set[str]],
    new_centroids: np.ndarray,
    next_number: int,
) -> IdMatch:
    """Give each new cluster an ID: an old one it continues, or the next unused number."""
    from scipy.optimize import linear_sum_assignment

    old_ids = sorted(old_members)
    seen = set().union(*new_members) if new_members else set()
    score = np.zeros((len(old_ids), len(new_members)))
    overlap = np.zeros_like(score)
    cosine = np.zeros_like(score)
    for i, tid in enumerate(old_ids):
        olds = old_members[tid] & seen
        for j, news in enumerate(new_members):
            overlap[i, j] = len(olds & news) / len(olds) if olds else 0.0
            if tid in old_centroids and len(new_centroids):
                cosine[i, j] = float(old_centroids[tid] @ new_centroids[j])
    score = overlap + 0.5 * np.clip(cosine, 0, None)
    ids: list[str | None] = [None] * len(new_members)
    if score.size:
        rows, cols = linear_sum_assignment(-score)
        for i, j in zip(rows, cols):
            if overlap[i, j] >= MIN_OVERLAP or cosine[i, j] >= MIN_COSINE:
                ids[j] = old_ids[i]
    events: list[ThemeEvent] = []
    number = next_number
    for j in range(len(new_members)):
        if ids[j] is None:
            ids[j] = format_id(number)
            number += 1
            sources = [old_ids[i] for i in range(len(old_ids)) if overlap[i, j] >= SPLIT_SHARE]
            events.append(ThemeEvent("split" if sources else "created", ids[j], tuple(sources)))
    kept = set(ids)
    retired = tuple(t for t in old_ids if t not in kept)
    for tid in retired:
        i = old_ids.index(tid)
        j = int(overlap[i].argmax()) if len(new_members) else -1
        if j >= 0 and overlap[i, j] >= SPLIT_SHARE:
            events.append(ThemeEvent("merged", tid, (ids[j],)))
        else:
            events.append(ThemeEvent("retired", tid))
    return IdMatch(tuple(ids), retired, tuple(events), number)  # type: ignore[arg-type]
