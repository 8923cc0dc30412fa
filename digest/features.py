"""What grouping reads of each article (found on the engine's workers, a batch at a time) and
the unit TF-IDF vectors made of it in the main process."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import compress

import numpy as np
from scipy.sparse import csr_matrix, hstack

from .copies import body_words, shingles, signature
from .entities import names_and_numbers
from .models import Article
from .text import words

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
    # The terms each batch uses, in its numbering: a count per number, not a sort (np.unique).
    batches = [
        (vocab, np.flatnonzero(np.bincount(local[a:b], minlength=len(vocab))))
        for vocab, (a, b) in zip((vocabularies[k] for k in cuts), spans, strict=True)
    ]
    used_terms = [list(map(vocab.__getitem__, used.tolist())) for vocab, used in batches]
    names = sorted(set().union(*used_terms))
    number = {term: k for k, term in enumerate(names)}
    columns = np.empty(len(local), dtype=np.int32)
    for (a, b), (vocab, used), terms in zip(spans, batches, used_terms, strict=True):
        renumber = np.zeros(len(vocab), dtype=np.int32)
        # map() over the dict's lookup runs in C: a loop over every term of every batch.
        renumber[used] = np.fromiter(map(number.__getitem__, terms), np.int32, len(terms))
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


def vectors(features: Sequence[Features]) -> tuple[csr_matrix, list[str]]:
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
