"""Group articles into stories (one real-world event each) and fold copies onto originals."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
from scipy.sparse import csr_matrix

from .copies import copy_of
from .features import Features, featurize_batch, unbatched, vectors
from .linkage import average_link, related_stories
from .models import Article, Story
from .text import slug

# The index of candidate pairs: each article's heaviest terms, those heading few articles.
INDEX_TERMS = 50
MAX_TERM_ARTICLES = 100
# Pairs scored, and articles whose pairs are found, at once: blocks that stay in the caches
# (10,000 articles: 1.25 s against 2.06 s for 50,000 and 5,000; 100,000: 15.8 s against 20.6 s).
PAIR_BATCH, PAIR_ROWS = 20_000, 2_000
PREFILTER = 0.3
# Pairs below this share of the story threshold count as unrelated (0) in average links.
CANDIDATE_FLOOR = 0.5
# A merge must reach this share of the average similarity inside the clusters it joins.
COHESION = 0.35


def _top_terms(matrix: csr_matrix, per_row: int) -> csr_matrix:
    """The matrix with only each row's `per_row` heaviest terms kept."""
    matrix = matrix.tocsr()
    keep = np.zeros(matrix.nnz, dtype=bool)
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        if end - start <= per_row:
            keep[start:end] = True
        else:
            top = np.argpartition(-matrix.data[start:end], per_row - 1)[:per_row]
            keep[start + top] = True
    pruned = matrix.copy()
    pruned.data = np.where(keep, pruned.data, 0.0)
    pruned.eliminate_zeros()
    return pruned


def _candidate_pairs(
    matrix: csr_matrix, floor: float, threads: int = 1
) -> dict[tuple[int, int], float]:
    """Pairs of articles whose cosine similarity reaches floor, found through an index.

    Two articles of one story share some of their heaviest terms, and a term that heads
    thousands of articles says little about which event they report; so candidates are the
    pairs sharing a heavy term that heads at most MAX_TERM_ARTICLES articles. Work grows with
    articles x MAX_TERM_ARTICLES rather than with all pairs. Candidates are then scored by
    their exact cosine, blocks of rows in `threads` threads (scipy's products release the GIL:
    100,000 articles' pairs took 8.6 s on two, 15.8 s on one)."""
    pruned = _top_terms(matrix, INDEX_TERMS)
    heads = np.bincount(pruned.indices, minlength=pruned.shape[1])
    pruned = pruned[:, np.flatnonzero((heads >= 2) & (heads <= MAX_TERM_ARTICLES))]
    transposed = pruned.T.tocsr()
    threads = max(1, min(threads, -(-pruned.shape[0] // PAIR_ROWS)))
    # Each thread's blocks a threads-th the size: together they hold what one did.
    rows_at_once, pairs_at_once = max(1, PAIR_ROWS // threads), max(1, PAIR_BATCH // threads)

    def block(first: int) -> list[tuple[list[int], list[int], list[float]]]:
        # A block of rows at a time: the whole product would hold every pair sharing an indexed
        # term at once (gigabytes at 100,000 articles); each row's pairs come out the same.
        shared = (pruned[first : first + rows_at_once] @ transposed).tocoo()
        # Each pair once (a < b); pairs whose indexed terms add up to little seldom reach floor.
        strong = (shared.col > shared.row + first) & (shared.data >= floor * PREFILTER)
        rows, cols = shared.row[strong] + first, shared.col[strong]
        found = []
        for start in range(0, len(rows), pairs_at_once):
            a, b = rows[start : start + pairs_at_once], cols[start : start + pairs_at_once]
            cosines = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
            keep = cosines >= floor
            found.append((a[keep].tolist(), b[keep].tolist(), cosines[keep].tolist()))
        return found

    pairs: dict[tuple[int, int], float] = {}
    # Blocks merged in order whatever the threads: the pairs, and so the clusters, are the same.
    with ThreadPoolExecutor(threads) as pool:
        firsts = range(0, pruned.shape[0], rows_at_once)
        for found in pool.map(block, firsts):
            for a, b, cosines in found:
                pairs.update(zip(zip(a, b, strict=True), cosines, strict=True))
    return pairs


def _story(
    members: list[int],
    articles: Sequence[Article],
    rows: tuple[np.ndarray, np.ndarray, np.ndarray],
    vocabulary: list[str],
    copies: list[tuple[str, str]],
) -> Story:
    """One story from its member articles (rows: the indices, data and lengths of their
    vectors' entries, in the same order): central title, binding terms, similarities."""
    indices, data, lengths = rows
    # The centroid and each member's cosine to it, from the rows' entries alone: the cost
    # follows the story's terms, not the whole vocabulary.
    if len(members) == 1:  # one row: its terms are distinct and sorted already
        heavy, weights = indices, data
        similarity = np.ones(1)  # itself, even with no term to compare by
    else:
        heavy, inverse = np.unique(indices, return_inverse=True)
        weights = np.bincount(inverse, weights=data) / len(members)
        member = np.repeat(np.arange(len(members)), lengths)
        dots = np.bincount(member, weights=data * weights[inverse], minlength=len(members))
        similarity = dots / (np.sqrt(np.dot(weights, weights)) or 1.0)
    heavy = heavy[np.lexsort((heavy, -weights))]
    terms = list(dict.fromkeys(vocabulary[t] for t in heavy[:12]))[:6]
    copy_ids = {c for c, _ in copies}
    central = max(
        (k for k, i in enumerate(members) if articles[i].id not in copy_ids),
        key=lambda k: (round(float(similarity[k]), 9), -members[k]),
    )
    title = articles[members[central]].title
    # The permalink follows the first report, which later coverage joining the story leaves alone
    # (the central article, whose title the page shows, can change as articles arrive).
    first = min(
        (articles[i] for i in members if articles[i].id not in copy_ids),
        key=lambda a: (a.published or "9999", a.id),
    )
    key = hashlib.sha1(first.id.encode()).hexdigest()[:6]
    return Story(
        id=f"{slug(first.title, 50)}-{key}",
        title=title,
        article_ids=tuple(articles[i].id for i in members),
        duplicate_of=tuple(copies),
        terms=tuple(terms),
        similarity=tuple(
            (articles[i].id, round(float(v), 4)) for i, v in zip(members, similarity, strict=True)
        ),
    )


def group_stories(
    articles: Sequence[Article],
    story_threshold: float,
    copy_threshold: float,
    cohesion: float = COHESION,
    features: Sequence[Features] | None = None,
    threads: int = 1,
) -> list[Story]:
    """Stories of the articles, copies folded first; independent of input order. features are
    the articles' own (featurize), in the same order, if the caller has them; threads score
    candidate pairs (the stories are the same for any number)."""
    if not articles:
        return []
    given = features or unbatched(featurize_batch(articles))
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    articles = [articles[i] for i in order]
    found = [given[i] for i in order]
    copies = copy_of(
        articles, copy_threshold, [f.shingles for f in found], [f.signature for f in found]
    )
    # Copies say nothing new about which event is which: stories are formed from originals.
    originals = [i for i in range(len(articles)) if i not in copies]
    # Vectors in the features' own order, then rows in id order: there each batch's rows come
    # together (featurize_batch), and _tfidf renumbers a batch's terms at once. In id order an
    # input whose ids do not follow its files (JSON Lines) had them renumbered row by row.
    matrix, vocabulary = vectors(given)
    matrix = matrix[order]
    pairs = _candidate_pairs(matrix[originals], story_threshold * CANDIDATE_FLOOR, threads)
    weight = Counter(copies.values())
    clusters = average_link(pairs, [1 + weight[i] for i in originals], story_threshold, cohesion)
    root = [clusters.find(k) for k in range(len(originals))]
    members_of: dict[int, list[int]] = defaultdict(list)
    for k, r in enumerate(root):
        members_of[r].append(originals[k])
    position = {original: k for k, original in enumerate(originals)}
    for copy, original in copies.items():
        members_of[root[position[original]]].append(copy)
    for members in members_of.values():
        members.sort()
    # The rows of each story's members, side by side: each story reads a slice of one matrix.
    grouped = matrix[[i for members in members_of.values() for i in members]]
    lengths = np.diff(grouped.indptr)
    stories = {}
    start = 0
    for r, members in members_of.items():
        folded = sorted((articles[i].id, articles[copies[i]].id) for i in members if i in copies)
        end = start + len(members)
        low, high = grouped.indptr[start], grouped.indptr[end]
        rows = (grouped.indices[low:high], grouped.data[low:high], lengths[start:end])
        stories[r] = _story(members, articles, rows, vocabulary, folded)
        start = end
    related = related_stories(pairs, root)  # among originals: copies add nothing
    return [
        replace(story, related=tuple(stories[other].id for other in related.get(r, [])))
        for r, story in stories.items()
    ]


def rank_stories(stories: Sequence[Story], articles: dict[str, Article]) -> list[Story]:
    """Stories ordered for the briefing: most outlets first, then most recent, then id."""

    def key(story: Story) -> tuple[int, str, str]:
        members = [articles[i] for i in story.article_ids]
        outlets = {a.outlet_key for a in members}
        newest = max((a.published or "" for a in members), default="")
        # Negate the date's characters so newer sorts first without reversing the id order.
        return (-len(outlets), "".join(chr(0x10FFFF - ord(c)) for c in newest), story.id)

    return sorted(stories, key=key)
