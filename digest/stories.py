"""Group articles into stories (one real-world event each) and fold copies onto originals."""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress

import numpy as np
from scipy.sparse import csr_matrix, hstack

from .copies import UnionFind, body_words, copy_of, shingles, signature
from .entities import names_and_numbers
from .models import Article, Story
from .text import slug, words

# An article's distinct terms, in order of first use, and how often each is used.
Counts = tuple[np.ndarray, np.ndarray]  # term numbers in a vocabulary, and uses of each
# News reports every event with the same reporting verbs; they bind nothing.
# scikit-learn's English stop words (BSD licence; from the Glasgow Information Retrieval
# Group's list), here so that a build need not import scikit-learn (most of a second), and
# words that every news report has.
_STOP_WORDS_TEXT = """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call
    can cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if
    in inc indeed interest into is it its itself keep last latter latterly least less ltd made
    many may me meanwhile might mill mine more moreover most mostly move much must my myself
    name namely neither never nevertheless next nine no nobody none noone nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out
    over own part per perhaps please put rather re same see seem seemed seeming seems serious
    several she should show side since sincere six sixty so some somehow someone something
    sometime sometimes somewhere still such system take ten than that the their them themselves
    then thence there thereafter thereby therefore therein thereupon these they thick thin
    third this those though three through throughout thru thus to together too top toward
    towards twelve twenty two un under until up upon us very via was we well were what whatever
    when whence whenever where whereafter whereas whereby wherein whereupon wherever whether
    which while whither who whoever whole whom whose why will with within without would yet you
    your yours yourself yourselves
    said says say told according reported
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# Share of the similarity that comes from words; the rest comes from names and numbers.
WORD_WEIGHT = 0.75
# The index of candidate pairs: each article's heaviest terms, those heading few articles.
INDEX_TERMS = 50
MAX_TERM_ARTICLES = 100
PAIR_BATCH = 50_000
PAIR_ROWS = 5_000  # articles whose candidate pairs are found at once
PREFILTER = 0.3
# Pairs below this share of the story threshold count as unrelated (0) in average links.
CANDIDATE_FLOOR = 0.5
# A story page links to at most RELATED others, each at least this similar on average.
RELATED = 3
RELATED_MIN = 0.1
# A merge must reach this share of the average similarity inside the clusters it joins.
COHESION = 0.35


def _tfidf(
    rows: Sequence[Counts], vocabularies: Sequence[tuple[str, ...]]
) -> tuple[csr_matrix, list[str]]:
    """L2-normalised TF-IDF rows of each article's term counts, and the terms in alphabetical
    order (none if no article has a term): scikit-learn's TfidfVectorizer (sublinear tf) given
    counts already made.

    A row's terms are numbers in its batch's vocabulary (featurize_batch), and the rows of one
    batch come together and share it: each batch's terms are numbered once here, not each
    article's, which at 100,000 articles was 20 million dictionary lookups.
    """
    count = len(rows)
    lengths = np.fromiter((len(ids) for ids, _ in rows), dtype=np.int64, count=count)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    if not indptr[-1]:
        return csr_matrix((count, 0)), []
    local = np.concatenate([ids for ids, _ in rows])
    values = np.concatenate([n for _, n in rows]).astype(np.float64)
    cuts = [k for k in range(count) if k == 0 or vocabularies[k] is not vocabularies[k - 1]]
    spans = [(indptr[a], indptr[b]) for a, b in zip(cuts, [*cuts[1:], count], strict=True)]
    batches = [
        (vocabularies[k], np.unique(local[a:b])) for k, (a, b) in zip(cuts, spans, strict=True)
    ]
    names = sorted(set().union(*(map(vocab.__getitem__, used.tolist()) for vocab, used in batches)))
    number = {term: k for k, term in enumerate(names)}
    columns = np.empty(len(local), dtype=np.int32)
    for (a, b), (vocab, used) in zip(spans, batches, strict=True):
        renumber = np.zeros(len(vocab), dtype=np.int32)
        renumber[used] = [number[vocab[i]] for i in used.tolist()]
        columns[a:b] = renumber[local[a:b]]
    counts = csr_matrix((values, columns, indptr), shape=(count, len(names)))
    counts.sort_indices()  # each row's terms in one order whatever the batches were
    return _unit_rows(_sublinear_tfidf(counts)), names


def _sublinear_tfidf(counts: csr_matrix) -> csr_matrix:
    """counts weighted as scikit-learn's TfidfTransformer(sublinear_tf=True) weighs them:
    1 + ln(tf), times the smoothed idf 1 + ln((1 + n) / (1 + df))."""
    rows = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = np.log((1 + rows) / (1 + df)) + 1.0
    weighted = counts.copy()
    np.log(weighted.data, out=weighted.data)
    weighted.data += 1.0
    weighted.data *= idf[weighted.indices]
    return weighted


def _unit_rows(matrix: csr_matrix) -> csr_matrix:
    """matrix with each row divided by its length (rows of zeros stay zero), summed in order
    as scikit-learn's normalize sums them."""
    rows = matrix.shape[0]
    row_of = np.repeat(np.arange(rows), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(row_of, weights=matrix.data**2, minlength=rows))
    norms[norms == 0] = 1.0
    unit = matrix.copy()
    unit.data /= norms[row_of]
    return unit


def _is_content(token: str) -> bool:
    """A word TF-IDF weighs: not a stop word, starting with a letter, two letters or more."""
    return len(token) > 1 and token[0].isalpha() and token not in STOP_WORDS


@dataclass(frozen=True, eq=False)
class Features:
    """What grouping reads of one article, found article by article (on the engine's workers).

    Terms are numbers in the vocabulary of the article's batch, one tuple that all its
    articles share: 100,000 articles repeat a few hundred thousand words, and one string per
    use would cost gigabytes.
    """

    shingles: np.ndarray  # distinct hashes of the body's word 5-grams (copies.shingles)
    signature: tuple[int, ...]  # their MinHash signature (copies.signature)
    words: Counts  # title and body words TF-IDF weighs
    names: Counts  # names and numbers of title and body
    vocabulary: tuple[str, ...] = ()  # the batch's terms, which words and names number


@dataclass(frozen=True)
class Seen:
    """What featurize learnt of the words of earlier articles of its batch (articles repeat
    most of their words): shingle codes, which words are content words, and the number of
    each term in the batch's vocabulary."""

    codes: dict[str, int] = field(default_factory=dict)
    content: dict[str, bool] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)


def _counts(terms: list[str], seen: Seen, keep: Callable[[str], bool] | None = None) -> Counts:
    """Each distinct term's number in the batch's vocabulary, in order of first use, and how
    often it is used; only the terms `keep` accepts, if given (each distinct word of a batch
    is tested once)."""
    found = Counter(terms)
    kept: Iterable[str] = found
    uses: Iterable[int] = found.values()
    if keep is not None:
        # Not found.keys() - content.keys(): that walks all of content, the batch's words.
        for term in [t for t in found if t not in seen.content]:
            seen.content[term] = keep(term)
        # map and compress run in C: this is a loop over every distinct term of every article.
        flags = list(map(seen.content.__getitem__, found))
        kept, uses = compress(found, flags), compress(uses, flags)
    numbers = seen.numbers
    ids = [numbers.setdefault(term, len(numbers)) for term in kept]
    return np.array(ids, dtype=np.int32), np.fromiter(uses, dtype=np.int32, count=len(ids))


def featurize(article: Article, seen: Seen | None = None) -> Features:
    """One article's grouping features, from one pass over its words; its terms are numbered
    in seen.numbers, the vocabulary featurize_batch gives it."""
    seen = seen or Seen()
    tokens = body_words(article)
    hashes = shingles(tokens, seen.codes)
    content = _counts(words(article.title.lower()) + tokens, seen, _is_content)
    names = _counts(names_and_numbers(f"{article.title}\n{article.body}"), seen)
    return Features(hashes, signature(hashes), content, names)


@dataclass(frozen=True, eq=False)
class FeatureBatch:
    """The features of a batch of articles and the vocabulary their terms number."""

    vocabulary: tuple[str, ...]
    features: tuple[Features, ...]


def featurize_batch(articles: Sequence[Article]) -> list[FeatureBatch]:
    """featurize over a batch of articles (the engine's unit of work): one FeatureBatch.

    The vocabulary travels once, beside the features, not in each: Dask sends a list of
    objects holding numpy arrays item by item, and every article would arrive with a copy of
    it (at 10,000 articles: 24 GB and 200 s).
    """
    seen = Seen()
    found = tuple(featurize(article, seen) for article in articles)
    return [FeatureBatch(tuple(seen.numbers), found)]


def unbatched(batches: Sequence[FeatureBatch]) -> list[Features]:
    """Each article's features, in order, each holding its batch's one vocabulary."""
    return [replace(f, vocabulary=b.vocabulary) for b in batches for f in b.features]


def _vectors(features: Sequence[Features]) -> tuple[csr_matrix, list[str]]:
    """Unit vectors of each article: its words, and apart from them its names and numbers.

    The cosine of two such vectors is WORD_WEIGHT x the words' cosine plus the rest x the
    names' cosine: same-kind events share words but not names.
    """
    vocabularies = [f.vocabulary for f in features]
    by_word, word_terms = _tfidf([f.words for f in features], vocabularies)
    by_name, name_terms = _tfidf([f.names for f in features], vocabularies)
    weighted = [by_word * np.sqrt(WORD_WEIGHT), by_name * np.sqrt(1 - WORD_WEIGHT)]
    matrix = hstack(weighted).tocsr()
    if matrix.shape[1] == 0:  # no word, name or number anywhere: nothing to group by
        return csr_matrix((len(features), 1)), [""]
    unit = _unit_rows(matrix)
    unit.sort_indices()  # canonical: scipy's elementwise products take their fast path
    return unit, word_terms + name_terms


def _average_link(
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
    size = list(weight)
    # Sum of similarities between members of each cluster; copies count as identical.
    inner = [w * (w - 1) / 2 for w in weight]
    links: dict[int, dict[int, float]] = defaultdict(dict)
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
    while heap:
        neg, a, b = heapq.heappop(heap)
        if clusters.find(a) != a or clusters.find(b) != b:
            continue  # stale: one side was merged since
        if abs(-neg - links[a].get(b, 0.0) / (size[a] * size[b])) > 1e-12:
            continue  # stale: the link changed since this entry was pushed
        if too_loose(a, b, -neg):
            continue
        keep = clusters.union(a, b)
        gone = b if keep == a else a
        inner[keep] += inner[gone] + links[a][b]
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


def _candidate_pairs(matrix: csr_matrix, floor: float) -> dict[tuple[int, int], float]:
    """Pairs of articles whose cosine similarity reaches floor, found through an index.

    Two articles of one story share some of their heaviest terms, and a term that heads
    thousands of articles says little about which event they report; so candidates are the
    pairs sharing a heavy term that heads at most MAX_TERM_ARTICLES articles. Work grows with
    articles x MAX_TERM_ARTICLES rather than with all pairs. Candidates are then scored by
    their exact cosine.
    """
    pruned = _top_terms(matrix, INDEX_TERMS)
    heads = np.bincount(pruned.indices, minlength=pruned.shape[1])
    pruned = pruned[:, np.flatnonzero((heads >= 2) & (heads <= MAX_TERM_ARTICLES))]
    transposed = pruned.T.tocsr()
    pairs: dict[tuple[int, int], float] = {}
    # A block of rows at a time: the whole product would hold every pair sharing an indexed
    # term at once (gigabytes at 100,000 articles); each row's pairs come out the same.
    for first in range(0, pruned.shape[0], PAIR_ROWS):
        shared = (pruned[first : first + PAIR_ROWS] @ transposed).tocoo()
        # Each pair once (a < b); pairs whose indexed terms add up to little are unlikely to
        # reach floor in full.
        strong = (shared.col > shared.row + first) & (shared.data >= floor * PREFILTER)
        rows, cols = shared.row[strong] + first, shared.col[strong]
        for start in range(0, len(rows), PAIR_BATCH):
            a, b = rows[start : start + PAIR_BATCH], cols[start : start + PAIR_BATCH]
            cosines = np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()
            keep = cosines >= floor
            found = zip(a[keep].tolist(), b[keep].tolist(), strict=True)
            pairs.update(zip(found, cosines[keep].tolist(), strict=True))
    return pairs


def _row_slice(matrix: csr_matrix, start: int, end: int) -> csr_matrix:
    """Rows start to end of a CSR matrix, sharing its arrays (no copy, unlike slicing)."""
    low, high = matrix.indptr[start], matrix.indptr[end]
    return csr_matrix(
        (matrix.data[low:high], matrix.indices[low:high], matrix.indptr[start : end + 1] - low),
        shape=(end - start, matrix.shape[1]),
    )


def _story(
    members: list[int],
    articles: Sequence[Article],
    rows: csr_matrix,
    vocabulary: list[str],
    copies: list[tuple[str, str]],
) -> Story:
    """One story from its member articles (rows: their vectors, in the same order): central
    title, binding terms, similarities."""
    # The centroid and each member's cosine to it, from the rows' entries alone: the cost
    # follows the story's terms, not the whole vocabulary.
    heavy, inverse = np.unique(rows.indices, return_inverse=True)
    weights = np.bincount(inverse, weights=rows.data) / len(members)
    if len(members) == 1:
        similarity = np.ones(1)  # itself, even with no term to compare by
    else:
        member = np.repeat(np.arange(len(members)), np.diff(rows.indptr))
        dots = np.bincount(member, weights=rows.data * weights[inverse], minlength=len(members))
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


def _related(
    pairs: dict[tuple[int, int], float], root: list[int], size: Counter[int]
) -> dict[int, list[int]]:
    """For each story (by root), the few others most like it: average link over the index."""
    between: dict[tuple[int, int], float] = defaultdict(float)
    for (a, b), value in pairs.items():
        ra, rb = root[a], root[b]
        if ra != rb:
            between[(min(ra, rb), max(ra, rb))] += value
    ranked: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for (ra, rb), total in between.items():
        average = total / (size[ra] * size[rb])
        if average >= RELATED_MIN:
            ranked[ra].append((-average, rb))
            ranked[rb].append((-average, ra))
    return {r: [other for _, other in sorted(found)[:RELATED]] for r, found in ranked.items()}


def group_stories(
    articles: Sequence[Article],
    story_threshold: float,
    copy_threshold: float,
    cohesion: float = COHESION,
    features: Sequence[Features] | None = None,
) -> list[Story]:
    """Stories of the articles, copies folded first; independent of input order. features are
    the articles' own (featurize), in the same order, if the caller has them."""
    if not articles:
        return []
    found = features or unbatched(featurize_batch(articles))
    order = sorted(range(len(articles)), key=lambda i: articles[i].id)
    articles = [articles[i] for i in order]
    found = [found[i] for i in order]
    copies = copy_of(
        articles, copy_threshold, [f.shingles for f in found], [f.signature for f in found]
    )
    # Copies say nothing new about which event is which: stories are formed from originals.
    originals = [i for i in range(len(articles)) if i not in copies]
    matrix, vocabulary = _vectors(found)
    pairs = _candidate_pairs(matrix[originals], story_threshold * CANDIDATE_FLOOR)
    weight = Counter(copies.values())
    clusters = _average_link(pairs, [1 + weight[i] for i in originals], story_threshold, cohesion)
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
    stories = {}
    start = 0
    for r, members in members_of.items():
        folded = sorted((articles[i].id, articles[copies[i]].id) for i in members if i in copies)
        rows = _row_slice(grouped, start, start + len(members))
        stories[r] = _story(members, articles, rows, vocabulary, folded)
        start += len(members)
    related = _related(pairs, root, Counter(root))  # among originals: copies add nothing
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
