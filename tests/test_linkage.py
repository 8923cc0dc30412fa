"""Average-link clustering and related stories, against their plain definitions."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from digest.linkage import RELATED, RELATED_MIN, average_link, related_stories


def _eager_average_link(
    similar: dict[tuple[int, int], float], weight: list[int], threshold: float, cohesion: float
) -> list[int]:
    """Average link the plain way: after each merge, every link of the new cluster is weighed
    afresh (the reference average_link must agree with, merge for merge)."""
    parent = list(range(len(weight)))
    size, inner = list(weight), [w * (w - 1) / 2 for w in weight]
    links: dict[int, dict[int, float]] = {i: {} for i in range(len(weight))}
    for (a, b), value in similar.items():
        links[a][b] = links[b][a] = value * weight[a] * weight[b]
    alive = set(range(len(weight)))
    while True:
        best = None
        for a in sorted(alive):
            for b, total in links[a].items():
                average = total / (size[a] * size[b])
                inside = [inner[c] / (size[c] * (size[c] - 1) / 2) for c in (a, b) if size[c] > 1]
                loose = bool(inside) and average < cohesion * min(inside)
                candidate = (-average, a, b)
                if (
                    a < b
                    and average >= threshold
                    and not loose
                    and (best is None or candidate < best)
                ):
                    best = candidate
        if best is None:
            break
        _, keep, gone = best
        inner[keep] += inner[gone] + links[keep][gone]
        size[keep] += size[gone]
        for other, total in links.pop(gone).items():
            links[other].pop(gone)
            if other != keep:
                links[keep][other] = links[other][keep] = links[keep].get(other, 0.0) + total
        alive.discard(gone)
        parent = [keep if p == gone else p for p in parent]
    return parent


def test_average_link_merges_as_the_plain_way_does() -> None:
    rng = random.Random(3)
    for trial in range(200):
        n = rng.randint(2, 40)
        pairs = {
            (a, b): round(rng.random(), 2)
            for a in range(n)
            for b in range(a + 1, n)
            if rng.random() < 0.3
        }
        # Powers of two: a link's average is its similarity to the last bit, so ties between
        # equal similarities break the same way in both.
        weight = [rng.choice([1, 1, 1, 2, 4]) for _ in range(n)]
        clusters = average_link(pairs, weight, 0.3, 0.6)
        found = [clusters.find(i) for i in range(n)]
        assert found == _eager_average_link(pairs, weight, 0.3, 0.6), trial


def test_related_stories_are_the_nearest_by_average_link() -> None:
    rng = random.Random(5)
    for trial in range(200):
        n = rng.randint(1, 30)
        pairs = {
            (a, b): rng.choice([0.05, 0.1, 0.2, 0.25, 0.5, 0.9])
            for a in range(n)
            for b in range(a + 1, n)
            if rng.random() < 0.4
        }
        root = [rng.randrange(0, i + 1) for i in range(n)]
        root = [r if root[r] == r else i for i, r in enumerate(root)]  # each root its own root
        size = Counter(root)
        # The plain way: each pair of stories' similarities added up, over the sizes' product.
        between: dict[tuple[int, int], float] = defaultdict(float)
        for (a, b), value in pairs.items():
            if root[a] != root[b]:
                between[(min(root[a], root[b]), max(root[a], root[b]))] += value
        nearest: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for (ra, rb), total in between.items():
            average = total / (size[ra] * size[rb])
            if average >= RELATED_MIN:
                nearest[ra].append((-average, rb))
                nearest[rb].append((-average, ra))
        expected = {r: [o for _, o in sorted(found)[:RELATED]] for r, found in nearest.items()}
        assert related_stories(pairs, root) == expected, trial
