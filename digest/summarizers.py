"""Summarizers chosen by name: sumy's, and digest's own multi-document methods for news clusters.

Every summarizer takes a sumy document whose paragraphs are the story's articles and whose
sentences are its candidates, and returns the sentences it picks.
"""

from __future__ import annotations

import heapq
import importlib
import math
import operator
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import chain, compress, count, repeat
from typing import Any, NamedTuple

import Stemmer as snowball  # type: ignore[import-not-found]
from sumy.models.dom import Sentence
from sumy.utils import ItemsCount, get_stop_words

from .candidates import has_quote

LANGUAGE = "english"
STOP_WORDS = frozenset(get_stop_words(LANGUAGE))
# Coverage: how much a lead sentence is preferred (news puts the event first), and how much a
# sentence of quoted speech is held back (summaries report, they rarely quote).
LEAD_BONUS = 1.0
QUOTE_FACTOR = 0.7
# A concept (two stem numbers) as one int: the first number shifted past the second.
_PAIR_SHIFT = 32
_LEANING = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|but|and|also|however|meanwhile|still|yet|so)\b",
    re.I,
)


class PlacedSentence(Sentence):  # type: ignore[misc]
    """A sumy sentence that knows its index in its article (candidates skip some sentences)."""

    __slots__ = ("lowered", "position")

    def __init__(
        self, text: str, tokenizer: Any, position: int, lowered: list[str] | None = None
    ) -> None:
        super().__init__(text, tokenizer)
        self.position = position
        self.lowered = lowered  # its words lower-cased, where the caller has them already


def word_count(sentence: Any) -> int:
    """Words as a reader (or a word processor, or ROUGE) counts them: runs between spaces."""
    return len(str(sentence).split())


def _lowered(sentence: Any) -> list[str]:
    """A sentence's words lower-cased: a PlacedSentence's own, where it was given them."""
    lowered: list[str] | None = getattr(sentence, "lowered", None)
    return lowered or [w.lower() for w in sentence.words]


def _position(sentence: Any, index: int) -> int:
    return int(getattr(sentence, "position", index))


class SentenceInfo(NamedTuple):
    """A rated sentence, as sumy hands them to a sentences_count callable."""

    sentence: Any
    order: int
    rating: float


class _Stemming:
    """A summarizer with sumy's interface that stems each distinct word once (news repeats its
    words). Not a sumy AbstractSummarizer: importing that imports NLTK, a second of start-up."""

    def __init__(self, stemmer: Callable[[str], str], stop_words: frozenset[str]) -> None:
        self._stemmer = stemmer
        self.stop_words = stop_words
        self._stems: dict[str, str] = {}

    def stem_word(self, word: str) -> str:
        """The stem of the lower-cased word, computed once per distinct word."""
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = self._stemmer(word.lower())
        return stem


class CoverageSummarizer(_Stemming):
    """digest's default: greedy coverage of concepts, the stemmed word pairs several articles
    share (Gillick and Favre's ICSI concepts), each pick adding the most uncovered weight per
    word, lead sentences preferred and quoted speech held back."""

    def __init__(self, stemmer: Callable[[str], str], stop_words: frozenset[str]) -> None:
        super().__init__(stemmer, stop_words)
        # stem -> its number: a missing stem gets the next number (the loop stays in C)
        self._numbers: defaultdict[str, int] = defaultdict(count().__next__)
        self._stem_numbers: dict[str, int] = {}  # lower-cased word -> its stem's number

    def concepts(self, sentence: Any) -> set[int]:
        """Stemmed adjacent word pairs of a sentence that are not both stop words, each as
        one number (the two stems' numbers in one int)."""
        tokens = _lowered(sentence)
        self._stem_all(set(tokens))
        return self._pairs(tokens)

    def _stem_all(self, words: set[str]) -> None:
        """Stem the words not stemmed yet (as stem_word would) and number the stems, in C."""
        new = words.difference(self._stem_numbers)
        stems = map(self._stemmer, map(str.lower, new))
        self._stem_numbers.update(zip(new, map(self._numbers.__getitem__, stems), strict=True))

    def _pairs(self, tokens: list[str]) -> set[int]:
        """concepts of a sentence of these lower-cased words, each numbered already."""
        # A pair of stems as one int (first << 32 | second): a set of ints hashes and compares
        # faster than one of string pairs. A pair is kept where either word is a content word;
        # map and compress do the loop in C.
        numbers = list(map(self._stem_numbers.__getitem__, tokens))
        firsts = map(operator.lshift, numbers, repeat(_PAIR_SHIFT))
        pairs = map(operator.or_, firsts, numbers[1:])
        content = list(map(operator.not_, map(self.stop_words.__contains__, tokens)))
        return set(compress(pairs, map(operator.or_, content, content[1:])))

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """Sentences picked by concept gain per word until the word budget (or count) is met."""
        budget = getattr(sentences_count, "budget", None)
        overshoot = getattr(sentences_count, "overshoot", 0)
        found: list[tuple[Any, set[int], int, float, int]] = []
        doc_freq: Counter[int] = Counter()
        tokens = [[_lowered(s) for s in paragraph.sentences] for paragraph in document.paragraphs]
        self._stem_all(set().union(*chain.from_iterable(tokens)))  # the story's words, at once
        for paragraph, words_of in zip(document.paragraphs, tokens, strict=True):
            seen: set[int] = set()
            for index, sentence in enumerate(paragraph.sentences):
                concepts = self._pairs(words_of[index])
                seen |= concepts
                length = max(1, word_count(sentence))
                position = _position(sentence, index)
                prior = 1.0 + LEAD_BONUS / (1 + position)
                if has_quote(str(sentence)):
                    prior *= QUOTE_FACTOR
                found.append((sentence, concepts, length, prior / length, position))
            doc_freq.update(seen)
        # ICSI's rule: a concept counts if 3 articles state it (2 in a small story, 1 in one).
        articles = len(document.paragraphs)
        least = min(2 if articles < 6 else 3, articles)
        weight = {c: n for c, n in doc_freq.items() if n >= least}
        # Only weighted concepts add to a gain: the rest are dropped once, not at every gain.
        weighted = set(weight)
        found = [(s, concepts & weighted, *rest) for s, concepts, *rest in found]
        limit = budget if budget is not None else int(sentences_count)
        covered: set[int] = set()
        chosen: list[Any] = []
        total = 0

        def gain(i: int) -> float:
            _, concepts, _, prior, _ = found[i]
            return prior * sum(map(weight.__getitem__, concepts - covered))

        # The summary opens with the lead that covers most: what happened, before the details.
        leads = [i for i, item in enumerate(found) if item[4] == 0]
        first = max(leads, key=lambda i: (gain(i), -i), default=None)
        if first is None or gain(first) <= 0:
            first = None
        else:
            chosen.append(found[first][0])
            covered |= found[first][1]
            total += found[first][2]
        # Lazy greedy: a gain only shrinks as coverage grows, so a stale gain is an upper bound.
        heap = [(-gain(i), i) for i in range(len(found)) if i != first]
        heapq.heapify(heap)
        while heap and (total if budget is not None else len(chosen)) < limit:
            _, i = heapq.heappop(heap)
            sentence, concepts, length, _, _ = found[i]
            if chosen and budget is not None and total + length > budget + overshoot:
                continue  # it will not fit later either
            fresh = gain(i)
            if fresh <= 0:
                continue
            if heap and fresh < -heap[0][0]:
                heapq.heappush(heap, (-fresh, i))
                continue
            chosen.append(sentence)
            covered |= concepts
            total += length
        return tuple(chosen)


class CentroidSummarizer(_Stemming):
    """Centroid scoring: terms weighted by how many articles share them, a lead bonus and a
    penalty for sentences that lean on an antecedent; redundancy is removed while selecting."""

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """Rate every sentence of the document and return the best in document order."""
        ratings = self.rate(document)
        # sumy's rule: the best rated (a stable sort keeps document order among ties), then
        # put back in document order.
        infos = [SentenceInfo(s, i, ratings[s]) for i, s in enumerate(document.sentences)]
        infos.sort(key=operator.attrgetter("rating"), reverse=True)
        count = sentences_count if callable(sentences_count) else ItemsCount(sentences_count)
        return tuple(info.sentence for info in sorted(count(infos), key=operator.itemgetter(1)))

    def terms(self, sentence: Any) -> set[str]:
        """Stemmed content words of a sentence."""
        return {
            self.stem_word(w)
            for w in sentence.words
            if w.lower() not in self.stop_words and w.isalpha()
        }

    def rate(self, document: Any) -> dict[Any, float]:
        """Score each sentence: centroid weight of its terms, lead bonus, antecedent penalty."""
        doc_freq: Counter[str] = Counter()
        for paragraph in document.paragraphs:
            doc_freq.update(set().union(*(self.terms(s) for s in paragraph.sentences)))
        articles = max(1, len(document.paragraphs))
        weight = {t: (n / articles) * math.log(1 + n) for t, n in doc_freq.items()}
        ratings: dict[Any, float] = {}
        for paragraph in document.paragraphs:
            for index, sentence in enumerate(paragraph.sentences):
                terms = self.terms(sentence)
                if not terms:
                    ratings[sentence] = 0.0
                    continue
                # fsum is exact, so the score does not depend on the set's order (which varies
                # from run to run with string hashing) and ties break the same way every time.
                score = math.fsum(weight[t] for t in terms) / math.sqrt(len(terms) + 5)
                score *= 1.0 + 0.6 / (1 + _position(sentence, index))
                if _LEANING.match(str(sentence)):
                    score *= 0.6
                ratings[sentence] = max(ratings.get(sentence, 0.0), score)
        return ratings


def _sumy_class(module: str, name: str) -> Any:
    """One of sumy's summarizer classes, imported when first asked for: sumy's summarizers
    import NLTK, which costs every build a second and a half of start-up."""
    return getattr(importlib.import_module(f"sumy.summarizers.{module}"), name)


def _sumy_stemmer() -> Any:
    return importlib.import_module("sumy.nlp.stemmers").Stemmer(LANGUAGE)


def _sumy(module: str, name: str) -> Callable[[], Any]:
    def make() -> Any:
        summarizer = _sumy_class(module, name)(_sumy_stemmer())
        summarizer.stop_words = STOP_WORDS
        return summarizer

    return make


def _edmundson() -> Any:
    summarizer = _sumy_class("edmundson", "EdmundsonSummarizer")(_sumy_stemmer())
    summarizer.null_words = STOP_WORDS
    summarizer.bonus_words = ("said", "announced", "killed", "officials")
    summarizer.stigma_words = ("photo", "click", "subscribe")
    return summarizer


def fast_stemmer() -> Callable[[str], str]:
    """Snowball's English stemmer (sumy's), compiled: stemming was most of a summary's time."""
    # No cache of its own: _Stemming keeps each word's stem, and the cache cost half the time.
    stem: Callable[[str], str] = snowball.Stemmer(LANGUAGE, 0).stemWord
    return stem


def _coverage() -> CoverageSummarizer:
    return CoverageSummarizer(fast_stemmer(), STOP_WORDS)


SUMMARIZERS: dict[str, Callable[[], Any]] = {
    "default": _coverage,
    "coverage": _coverage,
    "centroid": lambda: CentroidSummarizer(fast_stemmer(), STOP_WORDS),
    "lexrank": _sumy("lex_rank", "LexRankSummarizer"),
    "textrank": _sumy("text_rank", "TextRankSummarizer"),
    "lsa": _sumy("lsa", "LsaSummarizer"),
    "luhn": _sumy("luhn", "LuhnSummarizer"),
    "sumbasic": _sumy("sum_basic", "SumBasicSummarizer"),
    "kl": _sumy("kl", "KLSummarizer"),
    "edmundson": _edmundson,
}
