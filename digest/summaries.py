"""Extractive multi-document summaries: every sentence quoted verbatim and traced to its article.

The story's candidate sentences become a sumy document (one paragraph per article); the chosen
summarizer picks sentences until the word budget, and they are put back in reading order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from sumy.models.dom import ObjectDocumentModel, Paragraph

from .candidates import Candidate, candidates, lowered_words
from .models import Article, Story, Summary, SummarySentence
from .summarizers import STOP_WORDS, SUMMARIZERS, PlacedSentence, word_count
from .text import SumyTokenizer, cosine

REDUNDANCY = 0.5  # cosine of stemmed words above which a sentence repeats a chosen one


class WordBudget:
    """sumy's sentences_count as a callable: best-rated first, skip repeats, stop at N words.

    Summarizers that choose by themselves read `budget` and `overshoot` from it instead.
    """

    def __init__(self, budget: int, stem: Callable[[str], str]) -> None:
        self.budget = budget
        # Once a sentence is in, another may pass the budget by this much: "about N words".
        self.overshoot = max(1, budget // 20)
        self.stem = stem  # the summarizer's own, so each word is stemmed once per story

    def _vector(self, sentence: Any) -> Counter[str]:
        return Counter(self.stem(w.lower()) for w in sentence.words if w.lower() not in STOP_WORDS)

    def __call__(self, infos: Sequence[Any]) -> list[Any]:
        """The best-rated sentences that fit the budget and repeat no chosen one."""
        chosen: list[Any] = []
        vectors: list[Counter[str]] = []
        total = 0
        for info in infos:
            if total >= self.budget:
                break
            length = word_count(info.sentence)
            if chosen and total + length > self.budget + self.overshoot:
                continue
            vector = self._vector(info.sentence)
            if any(cosine(vector, other) > REDUNDANCY for other in vectors):
                continue
            chosen.append(info)
            vectors.append(vector)
            total += length
        return chosen


def summarize(
    story_id: str,
    articles: Sequence[Article],
    copies: dict[str, str],
    words_budget: int,
    summarizer: str = "default",
    found: list[Candidate] | None = None,
) -> Summary:
    """An extractive summary of about words_budget words, each sentence traced to its article
    (found: the story's candidates.candidates, where the caller has them already)."""
    pool = candidates(articles, copies) if found is None else found
    if not pool:
        return Summary(story_id, ())
    tokenizer = SumyTokenizer()
    by_article: dict[str, list[Candidate]] = {}
    for candidate in pool:
        by_article.setdefault(candidate.article_id, []).append(candidate)
    document = ObjectDocumentModel(
        [
            Paragraph(
                [PlacedSentence(c.text, tokenizer, c.position, lowered_words(c)) for c in group]
            )
            for group in by_article.values()
        ]
    )
    chosen_summarizer = SUMMARIZERS[summarizer]()
    picked = chosen_summarizer(document, WordBudget(words_budget, chosen_summarizer.stem_word))
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
