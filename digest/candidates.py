"""Candidate sentences of a story: what a summary may quote, where each comes from, who says it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .models import Analysis, Article
from .text import sentences, words

# Shorter sentences are mostly fragments, captions and bylines; longer ones are run-ons. A story
# with nothing longer still gets its sentences of SHORTEST words or more.
MIN_WORDS, MAX_WORDS, SHORTEST = 10, 70, 5
# A wire dateline opening a sentence: "SEOUL, South Korea (AP) --". Cut off, the rest is quoted.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.'’ -]{1,40}?)?\s*"
    r"(?:\([A-Za-z][\w&/ -]{1,20}\)\s*)?[—–-]{1,2}\s+(?=[A-Z\"“‘'`])"
)
_QUOTE_MARKS = ("``", "''", '"', "“", "”")


@dataclass(frozen=True)
class Candidate:
    """A sentence that may enter a summary, with where it comes from."""

    text: str
    article_id: str
    paragraph: int
    position: int  # sentence index within its article
    order: tuple[str, int, int]  # reading order: article date, article rank, position
    outlets: int
    # The sentence's phrase_key, so later stages need not tokenize it again ("": not known).
    key: str = field(default="", repr=False)


def has_quote(sentence: str) -> bool:
    """Whether the sentence carries quoted speech."""
    return any(mark in sentence for mark in _QUOTE_MARKS)


def _balanced_quotes(sentence: str) -> bool:
    """False for a piece of a quotation split across sentences (a closing mark with no opening)."""
    return (
        sentence.count("``") == sentence.count("''")
        and sentence.count("“") == sentence.count("”")
        and sentence.count('"') % 2 == 0
    )


def is_candidate(sentence: str, min_words: int = MIN_WORDS) -> bool:
    """Whether a sentence can stand alone in a summary: no question, fragment or broken quote."""
    return _standalone(sentence, len(words(sentence)), min_words)


def _standalone(sentence: str, n: int, min_words: int) -> bool:
    return (
        min_words <= n <= MAX_WORDS
        and not sentence.rstrip("\"”’'` ").endswith("?")
        and (sentence[0].isupper() or sentence[0] in "\"“‘'`")
        and _balanced_quotes(sentence)
    )


def without_dateline(sentence: str) -> str:
    """The sentence with a leading wire dateline cut off (it is not part of what was said)."""
    match = _DATELINE.match(sentence)
    return sentence[match.end() :] if match else sentence


def lowered_words(candidate: Candidate) -> list[str]:
    """Each of words(candidate.text) lower-cased, from its key where it has one."""
    # words(text.lower()), which the key joins, is the same but where the text holds İ (two
    # characters once lower-cased) or Σ (lower-cased by what is around it): lower() keeps
    # whether every other character is \w.
    text = candidate.text
    if not candidate.key or "İ" in text or "Σ" in text:
        return [w.lower() for w in words(text)]
    return candidate.key.split(" ")


def candidates(
    articles: Sequence[Article],
    copies: dict[str, str],
    analyses: Mapping[str, Analysis] | None = None,
) -> list[Candidate]:
    """Candidate sentences of a story; a sentence several articles share counts once
    (analyses: the articles' own, by id, where the caller has them)."""
    originals = {a.id for a in articles if a.id not in copies} or {a.id for a in articles}
    ranked = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    rank = {a.id: r for r, a in enumerate(a for a in ranked if a.id in originals)}
    said_by: dict[str, set[str]] = {}
    split: list[tuple[Article, int, int, str, int, str]] = []
    # Copies repeat their original's paragraphs: each distinct one is split and keyed once.
    pieces_of: dict[str, list[tuple[str, int, str]]] = {}
    for article in ranked:
        position = 0
        outlet, original = article.outlet_key, article.id in originals
        spans = analyses[article.id].spans if analyses else None
        for p, paragraph in enumerate(article.paragraphs):
            pieces = pieces_of.get(paragraph)
            if pieces is None:
                said = sentences(paragraph, spans[p] if spans else None)
                pieces = pieces_of[paragraph] = [
                    (sentence, len(tokens), " ".join(tokens))
                    for sentence in map(without_dateline, said)
                    for tokens in (words(sentence.lower()),)
                ]
            for sentence, n, key in pieces:
                said_by.setdefault(key, set()).add(outlet)
                if original:
                    split.append((article, p, position, sentence, n, key))
                position += 1
    found: dict[str, Candidate] = {}
    full: list[Candidate] = []  # the candidates of MIN_WORDS or more
    for article, p, position, sentence, n, key in split:
        if key not in found and _standalone(sentence, n, SHORTEST):
            found[key] = Candidate(
                text=sentence,
                article_id=article.id,
                paragraph=p,
                position=position,
                order=(article.published or "9999", rank[article.id], position),
                outlets=len(said_by[key]),
                key=key,
            )
            if n >= MIN_WORDS:
                full.append(found[key])
    return full or list(found.values())
