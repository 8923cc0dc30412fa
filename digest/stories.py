"""Group articles into stories (one real-world event each) and fold copies onto originals."""

from __future__ import annotations

import hashlib
import heapq
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer

from .models import Article, Story
from .text import slug, words

SHINGLE = 5


class _Clusters:
    """Union-find over article indexes."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        ra, rb = sorted((self.find(a), self.find(b)))
        self.parent[rb] = ra
        return ra


def _shingles(article: Article) -> set[int]:
    tokens = [w.lower() for w in words(article.body)]
    grams = (" ".join(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))
    return {int.from_bytes(hashlib.blake2b(g.encode(), digest_size=8).digest()) for g in grams}


def _vectors(articles: Sequence[Article]) -> tuple[object, list[str]]:
    """L2-normalised TF-IDF vectors of title plus body."""
    vectorizer = TfidfVectorizer(
        sublinear_tf=True, stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b"
    )
    texts = [f"{a.title}\n{a.body}" for a in articles]
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no content word in any article: nothing to group by
        return csr_matrix((len(texts), 1)), [""]
    return matrix, list(vectorizer.get_feature_names_out())


def _average_link(similar: dict[tuple[int, int], float], n: int, threshold: float) -> _Clusters:
    """Average-link agglomeration over candidate pairs; absent pairs count as 0 similarity."""
    clusters = _Clusters(n)
    size = [1] * n
    links: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), value in similar.items():
        links[a][b] = links[b][a] = value
    heap: list[tuple[float, int, int]] = [
        (-value, a, b) for (a, b), value in similar.items() if value >= threshold
    ]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if clusters.find(a) != a or clusters.find(b) != b:
            continue  # stale: one side was merged since
        if abs(-neg - links[a].get(b, 0.0) / (size[a] * size[b])) > 1e-12:
            continue  # stale: the link changed since this entry was pushed
        keep = clusters.union(a, b)
        gone = b if keep == a else a
        size[keep] += size[gone]
        for other, total in links.pop(gone).items():
            links[other].pop(gone, None)
            if other == keep:
                continue
            merged = links[keep].get(other, 0.0) + total
            links[keep][other] = links[other][keep] = merged
        for other, total in links[keep].items():
            average = total / (size[keep] * size[other])
            if average >= threshold:
                low, high = sorted((keep, other))
                heapq.heappush(heap, (-average, low, high))
        size[gone] = 0
    return clusters


def _candidate_pairs(matrix: object, floor: float) -> dict[tuple[int, int], float]:
    """Pairs of articles whose cosine similarity reaches floor (sum of similarities kept)."""
    product = (matrix @ matrix.T).tocoo()  # type: ignore[attr-defined]
    pairs: dict[tuple[int, int], float] = {}
    for a, b, value in zip(product.row, product.col, product.data, strict=True):
        if a < b and value >= floor:
            pairs[(int(a), int(b))] = float(value)
    return pairs


def _original_first(article: Article) -> tuple[str, int, str]:
    # Earliest dated first, then the fullest text: the likeliest original of a copy.
    return (article.published or "9999", -len(article.body), article.id)


def _fold_copies(
    members: list[int], articles: Sequence[Article], shingles: list[set[int]], threshold: float
) -> list[tuple[str, str]]:
    """(copy id, original id) pairs among the members of one story."""
    groups = _Clusters(len(articles))
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            union = len(shingles[a] | shingles[b])
            if union and len(shingles[a] & shingles[b]) / union >= threshold:
                groups.union(a, b)
    by_root: dict[int, list[int]] = defaultdict(list)
    for m in members:
        by_root[groups.find(m)].append(m)
    pairs = []
    for group in by_root.values():
        ordered = sorted(group, key=lambda i: _original_first(articles[i]))
        pairs += [(articles[c].id, articles[ordered[0]].id) for c in ordered[1:]]
    return sorted(pairs)


def fold_copies(articles: Sequence[Article], threshold: float) -> dict[str, str]:
    """Map each copy's id to its original's id among articles that all tell one story."""
    shingles = [_shingles(a) for a in articles]
    return dict(_fold_copies(list(range(len(articles))), articles, shingles, threshold))


def group_stories(
    articles: Sequence[Article], story_threshold: float, copy_threshold: float
) -> list[Story]:
    """Stories of the articles, most central article's title first; deterministic in input order."""
    if not articles:
        return []
    articles = sorted(articles, key=lambda a: a.id)
    matrix, vocabulary = _vectors(articles)
    clusters = _average_link(
        _candidate_pairs(matrix, story_threshold), len(articles), story_threshold
    )
    shingles = [_shingles(a) for a in articles]
    members_of: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        members_of[clusters.find(i)].append(i)
    stories = []
    for members in members_of.values():
        rows = matrix[members]  # type: ignore[index]
        centroid = np.asarray(rows.mean(axis=0)).ravel()
        norm = np.linalg.norm(centroid) or 1.0
        similarity = np.asarray(rows @ (centroid / norm)).ravel()
        copies = _fold_copies(members, articles, shingles, copy_threshold)
        copy_ids = {c for c, _ in copies}
        central = max(
            (i for i in members if articles[i].id not in copy_ids),
            key=lambda i: (round(float(similarity[members.index(i)]), 9), -i),
        )
        top_terms = [vocabulary[t] for t in np.argsort(-centroid, kind="stable")[:6] if centroid[t]]
        title = articles[central].title
        key = hashlib.sha1(min(articles[i].id for i in members).encode()).hexdigest()[:6]
        stories.append(
            Story(
                id=f"{slug(title, 50)}-{key}",
                title=title,
                article_ids=tuple(articles[i].id for i in members),
                duplicate_of=tuple(copies),
                terms=tuple(top_terms),
                similarity=tuple(
                    (articles[i].id, round(float(s), 4))
                    for i, s in zip(members, similarity, strict=True)
                ),
            )
        )
    return stories


def rank_stories(stories: Sequence[Story], articles: dict[str, Article]) -> list[Story]:
    """Stories ordered for the briefing: most outlets first, then most recent, then id."""

    def key(story: Story) -> tuple[int, str, str]:
        members = [articles[i] for i in story.article_ids]
        outlets = {a.outlet_key for a in members}
        newest = max((a.published or "" for a in members), default="")
        # Negate the date's characters so newer sorts first without reversing the id order.
        return (-len(outlets), "".join(chr(0x10FFFF - ord(c)) for c in newest), story.id)

    return sorted(stories, key=key)
