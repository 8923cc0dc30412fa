"""The data that flows through a build: documents, articles, stories, summaries, pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # insights.py imports this module
    from .insights import StoryExtras


@dataclass(frozen=True)
class Problem:
    """Something wrong with one input, reported and skipped rather than fatal."""

    source_file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source_file}: {self.reason}"


@dataclass(frozen=True)
class Document:
    """One unit of input as read from disk: a text page, or one record of a JSON Lines file."""

    source_file: str
    text: str
    # "page": scraped page text, cleaned line by line; "record": a JSON Lines text field, cleaned
    # the same way; "extract": text a library extracted from HTML, cleaned like a page but kept
    # whole where that finds no article; "text": article text as given (Markdown, feed entry),
    # one paragraph per blank-line-separated block, only obvious clutter removed.
    kind: str
    index: int = 0  # position of the record or entry within its file (1-based; 0 for a page)
    id: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    author: str | None = None
    # Markdown source of each paragraph of `text` (same order and count), for Markdown input.
    markdown: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """A cleaned news article: metadata plus body paragraphs, and what cleaning removed."""

    id: str
    source_file: str
    title: str
    paragraphs: tuple[str, ...]
    outlet: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date, YYYY-MM-DD
    dateline: str | None = None
    origin: str | None = None  # wire agency named in the dateline, e.g. "AP"
    author: str | None = None
    removed: tuple[str, ...] = ()
    markdown: tuple[str, ...] = ()  # Markdown source of each paragraph, when the input was Markdown

    @property
    def outlet_key(self) -> str:
        """Who published it, for counting outlets: the outlet, else the input file."""
        return (self.outlet or self.source_file).casefold()

    @property
    def body(self) -> str:
        """The cleaned text, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Analysis:
    """What summarizing reads of one article whatever its story: worked out on the workers
    while the build groups the articles, when a core would otherwise wait."""

    spans: tuple[tuple[int, ...], ...]  # each paragraph's text.sentence_spans
    quotes: tuple[tuple[str, str, int, int], ...]  # quotes.article_quotes


@dataclass(frozen=True)
class Story:
    """One real-world event: the articles that report it, copies folded onto their originals."""

    id: str
    title: str
    article_ids: tuple[str, ...]
    duplicate_of: tuple[tuple[str, str], ...] = ()  # (copy id, original id) pairs
    terms: tuple[str, ...] = ()
    similarity: tuple[tuple[str, float], ...] = ()  # (article id, similarity to the story)
    related: tuple[str, ...] = ()  # ids of the most similar other stories (same topic, other event)

    @property
    def copies(self) -> dict[str, str]:
        """Map of copy article id to the id of the original it copies."""
        return dict(self.duplicate_of)

    @property
    def original_ids(self) -> tuple[str, ...]:
        """Articles of the story that are not copies of another."""
        copies = self.copies
        return tuple(a for a in self.article_ids if a not in copies)


@dataclass(frozen=True)
class SummarySentence:
    """A sentence quoted verbatim from a source article."""

    text: str
    article_id: str
    paragraph: int
    position: int  # sentence index within the article
    outlets: int = 1  # how many distinct outlets state this sentence (corroboration)


@dataclass(frozen=True)
class Summary:
    """An extractive summary of one story."""

    story_id: str
    sentences: tuple[SummarySentence, ...]


@dataclass(frozen=True)
class Page:
    """A file of the finished site, held in memory until the writer puts it on disk."""

    path: str  # relative, POSIX separators
    content: bytes


@dataclass(frozen=True)
class Briefing:
    """Everything the site is rendered from."""

    title: str
    articles: tuple[Article, ...]
    stories: tuple[Story, ...]
    summaries: tuple[Summary, ...]
    edition: str | None = None  # ISO date of the newest article
    problems: tuple[Problem, ...] = field(default=())
    # Each story's quotes, "only in" details and timeline, in the order of stories; () when not
    # worked out (a briefing made by hand): the site and export then work them out themselves.
    extras: tuple[StoryExtras, ...] = ()

    def article(self, article_id: str) -> Article:
        """The article with this id."""
        return self.articles_by_id[article_id]

    @cached_property
    def articles_by_id(self) -> dict[str, Article]:
        """Articles keyed by id."""
        return {a.id: a for a in self.articles}

    @cached_property
    def stories_by_id(self) -> dict[str, Story]:
        """Stories keyed by id."""
        return {s.id: s for s in self.stories}
