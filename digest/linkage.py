"""Average-link clustering of articles over their candidate pairs, and the stories most like
each story."""

from __future__ import annotations

import heapq
from collections import defaultdict
from itertools import chain

import numpy as np

from .copies import UnionFind

# A story page links to at most RELATED others, each at least this similar on average.
RELATED = 3
RELATED_MIN = 0.1


def average_link(
    similar: dict[tuple[int, int], float],
    weight: list[int],
    threshold: float,
    cohesion: float,
) -> UnionFind:
    """Average-link agglomeration over candidate pairs; absent pairs count as 0 similarity.

    Each point stands for `weight` identical articles (an original and its copies). A merge
    must also reach `cohesion` times the average similarity inside the clusters it joins (the
    looser of the two): a tight cluster of copies does not take in an article that is merely
    on its topic, while a loose cluster of rewrites still grows.
    """
    n = len(weight)
    clusters = UnionFind(n)
    size = list(weight)  # 0 once a cluster is merged into another: a live one holds one or more
    # Sum of similarities between members of each cluster; copies count as identical.
    inner = [w * (w - 1) / 2 for w in weight]
    links: list[dict[int, float]] = [{} for _ in range(n)]
    for (a, b), value in similar.items():
        links[a][b] = links[b][a] = value * weight[a] * weight[b]

    def too_loose(a: int, b: int, average: float) -> bool:
        # Singletons have no cohesion yet; the looser of two clusters sets the bar.
        inside = [inner[c] / (size[c] * (size[c] - 1) / 2) for c in (a, b) if size[c] > 1]
        return bool(inside) and average < cohesion * min(inside)

    heap: list[tuple[float, int, int]] = [
        (-value, a, b) for (a, b), value in similar.items() if value >= threshold
    ]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush  # a million calls at 100,000 articles
    refused: dict[int, set[int]] = defaultdict(set)  # pairs too_loose turned down, both ways
    while heap:
        neg, a, b = pop(heap)
        if not size[a] or not size[b]:
            continue  # stale: one side was merged since
        average = links[a].get(b, 0.0) / (size[a] * size[b])
        if abs(-neg - average) > 1e-12:
            # Stale. A link that grew was pushed anew when it grew; one that only fell (its
            # cluster grew by members unlinked to the other) is pushed again only now, when
            # it comes up: an entry holds at most its link's current value, so nothing is
            # taken out of turn, and a merge need not re-push every link of a big cluster.
            if average < -neg and average >= threshold:
                push(heap, (-average, a, b))
            continue
        if too_loose(a, b, -neg):
            refused[a].add(b)
            refused[b].add(a)
            continue
        keep = clusters.union(a, b)
        gone = b if keep == a else a
        kept, dropped = links[keep], links[gone]
        links[gone] = {}
        inner[keep] += inner[gone] + kept.pop(gone, 0.0)
        size[keep] += size[gone]
        grown = size[keep]
        for other, total in dropped.items():
            if other == keep:
                continue
            theirs = links[other]
            del theirs[gone]
            merged = kept.get(other, 0.0) + total
            kept[other] = theirs[keep] = merged
            average = merged / (grown * size[other])
            if average >= threshold:
                push(heap, (-average, keep, other) if keep < other else (-average, other, keep))
        # A pair refused as too loose is weighed again once either cluster has changed.
        for other in refused.pop(keep, set()) | refused.pop(gone, set()):
            if other != keep and other != gone and size[other]:
                average = kept.get(other, 0.0) / (grown * size[other])
                if average >= threshold:
                    push(heap, (-average, keep, other) if keep < other else (-average, other, keep))
        size[gone] = 0
    return clusters


def related_stories(pairs: dict[tuple[int, int], float], root: list[int]) -> dict[int, list[int]]:
    """For each story (by root), the few others most like it: average link over the index."""
    # In numpy: at 100,000 articles, a loop over the 1.4 million pairs took 1.4 s.
    ends = np.fromiter(chain.from_iterable(pairs), np.int64, 2 * len(pairs)).reshape(-1, 2)
    values = np.fromiter(pairs.values(), np.float64, len(pairs))
    roots = np.asarray(root, dtype=np.int64)[ends]
    apart = roots[:, 0] != roots[:, 1]
    low, high = roots[apart].min(axis=1), roots[apart].max(axis=1)
    # Each pair of stories once; bincount adds each one's pairs in the order given, as a loop.
    joined, which = np.unique(low * len(root) + high, return_inverse=True)
    totals = np.bincount(which, weights=values[apart])
    low, high = joined // len(root), joined % len(root)
    sizes = np.bincount(root, minlength=len(root))  # each story's articles, by its root
    average = totals / (sizes[low] * sizes[high])
    near = average >= RELATED_MIN
    story = np.concatenate([low[near], high[near]])
    other = np.concatenate([high[near], low[near]])
    closeness = -np.concatenate([average[near], average[near]])
    ranked: dict[int, list[int]] = defaultdict(list)
    # Each story's others, nearest first (ties: the lower root), up to RELATED of them.
    order = np.lexsort((other, closeness, story))
    for s, o in zip(story[order].tolist(), other[order].tolist(), strict=True):
        if len(ranked[s]) < RELATED:
            ranked[s].append(o)
    return dict(ranked)
