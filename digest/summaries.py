"""Extractive multi-document summaries: every sentence quoted verbatim and traced to its article.

Summarizers are sumy summarizers chosen by name. digest's own default is a centroid method for
news clusters (terms weighted by how many articles share them, a lead bonus, a penalty for
sentences that lean on an antecedent), with redundancy removed while selecting.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers._summarizer import AbstractSummarizer
from sumy.summarizers.edmundson import EdmundsonSummarizer
from sumy.summarizers.kl import KLSummarizer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.lsa import LsaSummarizer
from sumy.summarizers.luhn import LuhnSummarizer
from sumy.summarizers.sum_basic import SumBasicSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from .models import Article, Story, Summary, SummarySentence
from .text import SumyTokenizer, cosine, iter_paragraph_sentences, words

LANGUAGE = "english"
STOP_WORDS = frozenset(get_stop_words(LANGUAGE))
MIN_WORDS, MAX_WORDS = 6, 70
REDUNDANCY = 0.5  # cosine of stemmed words above which a sentence repeats a chosen one
_LEANING = re.compile(
    r"^(?:he|she|it|they|this|that|these|those|but|and|also|however|meanwhile|still|yet|so)\b",
    re.I,
)


@dataclass(frozen=True)
class Candidate:
    """A sentence that may enter a summary, with where it comes from."""

    text: str
    article_id: str
    paragraph: int
    position: int  # sentence index within its article
    order: tuple[str, int, int]  # reading order: article date, article rank, position
    outlets: int


class CentroidSummarizer(AbstractSummarizer):  # type: ignore[misc]
    """digest's default: multi-document centroid scoring with lead and antecedent signals."""

    def __init__(self, stemmer: Callable[[str], str], stop_words: frozenset[str]) -> None:
        super().__init__(stemmer)
        self.stop_words = stop_words
        self._stems: dict[str, str] = {}  # news repeats its words: stem each one once

    def stem_word(self, word: str) -> str:
        """The word's stem, computed once per distinct word."""
        stem = self._stems.get(word)
        if stem is None:
            stem = self._stems[word] = super().stem_word(word)
        return stem

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """Rate every sentence of the document and return the best in document order."""
        ratings = self.rate(document)
        best: tuple[Any, ...] = self._get_best_sentences(
            document.sentences, sentences_count, ratings
        )
        return best

    def terms(self, sentence: Any) -> set[str]:
        """Stemmed content words of a sentence."""
        return {
            self.stem_word(w)
            for w in sentence.words
            if w.lower() not in self.stop_words and w.isalpha()
        }

    def rate(self, document: Any) -> dict[Any, float]:
        """Score each sentence: centroid weight of its terms, lead bonus, antecedent penalty."""
        # Each paragraph of the document model is one article.
        doc_freq: Counter[str] = Counter()
        for paragraph in document.paragraphs:
            doc_freq.update(set().union(*(self.terms(s) for s in paragraph.sentences)))
        articles = max(1, len(document.paragraphs))
        weight = {t: (n / articles) * math.log(1 + n) for t, n in doc_freq.items()}
        ratings: dict[Any, float] = {}
        for paragraph in document.paragraphs:
            for position, sentence in enumerate(paragraph.sentences):
                terms = self.terms(sentence)
                if not terms:
                    ratings[sentence] = 0.0
                    continue
                # fsum is exact, so the score does not depend on the set's order (which varies
                # from run to run with string hashing) and ties break the same way every time.
                score = math.fsum(weight[t] for t in terms) / math.sqrt(len(terms) + 5)
                score *= 1.0 + 0.6 / (1 + position)
                if _LEANING.match(str(sentence)):
                    score *= 0.6
                ratings[sentence] = max(ratings.get(sentence, 0.0), score)
        return ratings


class ConceptSummarizer(CentroidSummarizer):
    """Greedy coverage of concepts (stemmed word pairs several articles share), as in
    Gillick and Favre's ICSI summarizer: each pick adds the most uncovered weight per word."""

    def concepts(self, sentence: Any) -> set[tuple[str, str]]:
        """Stemmed adjacent word pairs of a sentence that are not both stop words."""
        tokens = [w.lower() for w in sentence.words if w.isalnum()]
        return {
            (self.stem_word(a), self.stem_word(b))
            for a, b in zip(tokens, tokens[1:], strict=False)
            if not (a in self.stop_words and b in self.stop_words)
        }

    def __call__(self, document: Any, sentences_count: Any) -> tuple[Any, ...]:
        """Pick sentences greedily by new concept weight per word until the word budget."""
        budget = getattr(sentences_count, "budget", 100)
        found: dict[Any, tuple[set[tuple[str, str]], int]] = {}
        doc_freq: Counter[tuple[str, str]] = Counter()
        for paragraph in document.paragraphs:
            seen: set[tuple[str, str]] = set()
            for position, sentence in enumerate(paragraph.sentences):
                concepts = self.concepts(sentence)
                found.setdefault(sentence, (concepts, position))
                seen |= concepts
            doc_freq.update(seen)
        articles = max(1, len(document.paragraphs))
        least = 2 if articles < 6 else 3
        weight = {c: n for c, n in doc_freq.items() if n >= min(least, articles)}
        covered: set[tuple[str, str]] = set()
        chosen: list[Any] = []
        total = 0
        while total < budget:
            best, best_gain = None, 0.0
            for sentence, (concepts, position) in found.items():
                if sentence in chosen:
                    continue
                gain = float(sum(weight.get(c, 0) for c in concepts - covered))
                gain *= 1.0 + LEAD_BONUS / (1 + position)
                gain /= max(1, len(sentence.words)) ** LENGTH_POWER
                if gain > best_gain:
                    best, best_gain = sentence, gain
            if best is None:
                break
            chosen.append(best)
            covered |= found[best][0]
            total += len(best.words)
        return tuple(chosen)


LEAD_BONUS = 0.3
LENGTH_POWER = 1.0


def _sumy(cls: type) -> Callable[[], Any]:
    def make() -> Any:
        summarizer = cls(Stemmer(LANGUAGE))
        summarizer.stop_words = STOP_WORDS
        return summarizer

    return make


def _edmundson() -> Any:
    summarizer = EdmundsonSummarizer(Stemmer(LANGUAGE))
    summarizer.null_words = STOP_WORDS
    summarizer.bonus_words = ("said", "announced", "killed", "officials")
    summarizer.stigma_words = ("photo", "click", "subscribe")
    return summarizer


SUMMARIZERS: dict[str, Callable[[], Any]] = {
    "default": lambda: CentroidSummarizer(Stemmer(LANGUAGE), STOP_WORDS),
    "concepts": lambda: ConceptSummarizer(Stemmer(LANGUAGE), STOP_WORDS),
    "lexrank": _sumy(LexRankSummarizer),
    "textrank": _sumy(TextRankSummarizer),
    "lsa": _sumy(LsaSummarizer),
    "luhn": _sumy(LuhnSummarizer),
    "sumbasic": _sumy(SumBasicSummarizer),
    "kl": _sumy(KLSummarizer),
    "edmundson": _edmundson,
}


def _is_candidate(sentence: str) -> bool:
    n = len(words(sentence))
    return (
        MIN_WORDS <= n <= MAX_WORDS
        and not sentence.rstrip("\"”’' ").endswith("?")
        and (sentence[0].isupper() or sentence[0] in "\"“‘'")
    )


def candidates(articles: Sequence[Article], copies: dict[str, str]) -> list[Candidate]:
    """Candidate sentences of a story; a sentence several articles share counts once."""
    originals = [a for a in articles if a.id not in copies] or list(articles)
    ranked = sorted(originals, key=lambda a: (a.published or "9999", a.id))
    rank = {a.id: r for r, a in enumerate(ranked)}
    said_by: dict[str, set[str]] = {}
    for article in articles:
        for _, _, sentence in iter_paragraph_sentences(article.paragraphs):
            said_by.setdefault(" ".join(words(sentence.lower())), set()).add(article.outlet_key)
    found: dict[str, Candidate] = {}
    for article in ranked:
        for position, (p, _, sentence) in enumerate(iter_paragraph_sentences(article.paragraphs)):
            key = " ".join(words(sentence.lower()))
            if _is_candidate(sentence) and key not in found:
                found[key] = Candidate(
                    text=sentence,
                    article_id=article.id,
                    paragraph=p,
                    position=position,
                    order=(article.published or "9999", rank[article.id], position),
                    outlets=len(said_by[key]),
                )
    return list(found.values())


class _WordBudget:
    """sumy's sentences_count as a callable: best-rated first, skip repeats, stop at N words."""

    def __init__(self, budget: int, stem: Callable[[str], str]) -> None:
        self.budget = budget
        self.stem = stem  # the summarizer's own, so each word is stemmed once per story

    def _vector(self, sentence: Any) -> Counter[str]:
        return Counter(self.stem(w.lower()) for w in sentence.words if w.lower() not in STOP_WORDS)

    def __call__(self, infos: Sequence[Any]) -> list[Any]:
        chosen: list[Any] = []
        vectors: list[Counter[str]] = []
        total = 0
        for info in infos:
            if total >= self.budget:
                break
            vector = self._vector(info.sentence)
            if any(cosine(vector, other) > REDUNDANCY for other in vectors):
                continue
            chosen.append(info)
            vectors.append(vector)
            total += len(info.sentence.words)
        return chosen


def summarize(
    story_id: str,
    articles: Sequence[Article],
    copies: dict[str, str],
    words_budget: int,
    summarizer: str = "default",
) -> Summary:
    """An extractive summary of about words_budget words, each sentence traced to its article."""
    pool = candidates(articles, copies)
    if not pool:
        return Summary(story_id, ())
    tokenizer = SumyTokenizer()
    by_article: dict[str, list[Candidate]] = {}
    for candidate in pool:
        by_article.setdefault(candidate.article_id, []).append(candidate)
    document = ObjectDocumentModel(
        [Paragraph([Sentence(c.text, tokenizer) for c in group]) for group in by_article.values()]
    )
    chosen_summarizer = SUMMARIZERS[summarizer]()
    picked = chosen_summarizer(document, _WordBudget(words_budget, chosen_summarizer.stem_word))
    by_text = {c.text: c for c in pool}
    chosen = sorted((by_text[str(s)] for s in picked), key=lambda c: c.order)
    return Summary(
        story_id,
        tuple(
            SummarySentence(c.text, c.article_id, c.paragraph, c.position, c.outlets)
            for c in chosen
        ),
    )


def summarize_stories(
    stories: Sequence[Story], articles: dict[str, Article], words_budget: int, summarizer: str
) -> list[Summary]:
    """A summary for every story."""
    return [
        summarize(
            story.id,
            [articles[i] for i in story.article_ids],
            story.copies,
            words_budget,
            summarizer,
        )
        for story in stories
    ]
