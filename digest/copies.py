"""Fold copies: near-identical texts (wire copy, a page saved twice, light edits) found through
MinHash banding, so the work grows with the number of articles, not with its square.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from .models import Article
from .text import words

SHINGLE = 5  # words per shingle
# 8 bands of 2 hashes: texts with 80% of their shingles in common meet in some band with
# probability 1 - (1 - 0.8^2)^8 > 0.999; texts with 20% in common rarely do.
BANDS = 8
ROWS = 2
_BASE = np.uint64(0x100000001B3)  # FNV prime: mixes the word codes of a shingle
_SEEDS = np.random.default_rng(20261121).integers(1, 2**63, size=(2, BANDS * ROWS), dtype=np.uint64)


class UnionFind:
    """Union-find over the integers 0..n-1; the smaller root wins, so results are stable."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        """The root of i's set."""
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        """Join the sets of a and b; return the root kept."""
        ra, rb = sorted((self.find(a), self.find(b)))
        self.parent[rb] = ra
        return ra


def shingles(tokens: Sequence[str], known: dict[str, int] | None = None) -> np.ndarray:
    """The distinct 64-bit hashes of the word 5-grams of a text's lower-cased words; `known`
    keeps each word's code for the next text (articles repeat most of their words)."""
    if not tokens:
        return np.array([], dtype=np.uint64)
    # A stable 32-bit code per word (crc32), then one multiply-add hash per 5-gram, in numpy.
    known = {} if known is None else known
    for word in set(tokens).difference(known):
        known[word] = zlib.crc32(word.encode())
    codes = np.fromiter(map(known.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    if len(codes) < SHINGLE:
        codes = np.concatenate([codes, np.zeros(SHINGLE - len(codes), dtype=np.uint64)])
    grams = np.zeros(len(codes) - SHINGLE + 1, dtype=np.uint64)
    for offset in range(SHINGLE):
        grams = grams * _BASE + codes[offset : offset + len(grams)]
    return np.unique(grams)


def body_words(article: Article) -> list[str]:
    """The lower-cased words of an article's body."""
    return words(article.body.lower())


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of shingles two texts have in common."""
    common = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - common
    return common / union if union else 0.0


def signature(hashes: np.ndarray) -> tuple[int, ...]:
    """The MinHash signature of a text's shingles."""
    if not len(hashes):
        return ()
    mixed = hashes[:, None] * _SEEDS[0] + _SEEDS[1]  # uint64 arithmetic wraps: a hash family
    return tuple(int(v) for v in mixed.min(axis=0))


def _bucket_pairs(signatures: Sequence[tuple[int, ...]]) -> np.ndarray:
    """The pairs of articles to compare, (first, other) by row, each once: the texts whose
    signatures agree in some band, each against the first (lowest index) of its bucket, so
    the work is linear in a bucket's size. Texts without shingles are in no bucket."""
    signed = np.flatnonzero([bool(s) for s in signatures])
    if not len(signed):
        return np.empty((0, 2), dtype=np.int64)
    table = np.array([signatures[i] for i in signed.tolist()], dtype=np.uint64)
    found = []
    for band in range(BANDS):
        keys = np.ascontiguousarray(table[:, band * ROWS : (band + 1) * ROWS])
        # One row per bucket: rows of equal values get one number, in one sort (numpy).
        _, bucket = np.unique(keys.view(f"V{keys.itemsize * ROWS}").ravel(), return_inverse=True)
        first = np.full(bucket.max() + 1, len(signed), dtype=np.int64)
        np.minimum.at(first, bucket, np.arange(len(signed)))
        lead = first[bucket]
        others = np.flatnonzero(lead != np.arange(len(signed)))
        found.append(np.stack([signed[lead[others]], signed[others]], axis=1))
    return np.unique(np.concatenate(found), axis=0)


def original_first(article: Article) -> tuple[str, int, str]:
    """Sort key putting the likeliest original of a copy first: earliest, then fullest."""
    return (article.published or "9999", -len(article.body), article.id)


def copy_of(
    articles: Sequence[Article],
    threshold: float,
    hashes: Sequence[np.ndarray] | None = None,
    signatures: Sequence[tuple[int, ...]] | None = None,
) -> dict[int, int]:
    """Map each copy's index to its original's index (copies overlap >= threshold).

    `hashes` are the articles' shingles and `signatures` their MinHash signatures if the
    caller has them already.
    """
    if hashes is None:
        hashes = [shingles(body_words(a)) for a in articles]
    if signatures is None:
        signatures = [signature(h) for h in hashes]
    groups = UnionFind(len(articles))
    for first, other in _bucket_pairs(signatures).tolist():
        if jaccard(hashes[first], hashes[other]) >= threshold:
            groups.union(first, other)
    by_root: dict[int, list[int]] = defaultdict(list)
    for i in range(len(articles)):
        by_root[groups.find(i)].append(i)
    mapping: dict[int, int] = {}
    for group in by_root.values():
        ordered = sorted(group, key=lambda i: original_first(articles[i]))
        mapping.update({c: ordered[0] for c in ordered[1:]})
    return mapping


def fold_copies(articles: Sequence[Article], threshold: float) -> dict[str, str]:
    """Map each copy's id to its original's id."""
    return {articles[c].id: articles[o].id for c, o in copy_of(articles, threshold).items()}
