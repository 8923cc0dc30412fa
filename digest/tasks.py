"""The build's units of work that an engine (engine.py) runs on its workers: cleaning documents,
finding grouping features, summarizing stories and finding their extras, rendering story pages.

Each is a module-level function over a batch of items, so a worker process or a Dask worker
imports it by name; it reads only its arguments and returns plain frozen data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

from .articles import document_articles
from .candidates import candidates
from .insights import StoryExtras, story_extras
from .models import Analysis, Article, Document, Problem, Story, Summary
from .quotes import article_quotes
from .summaries import summarize
from .text import sentence_spans

# A story to work on, with its articles in the story's order (a worker has no other copy) and
# their analyses (none: to be worked out with the story).
StoryWork = tuple[Story, tuple[Article, ...], tuple[Analysis, ...]]


class FurnitureRecorder(frozenset[str]):
    """The site's furniture lines, noting every line cleaning asks about (the build cache
    keeps a page's cleaning only while exactly those lines are furniture)."""

    asked: set[str]
    opaque: bool  # the set was used other than by `in`: what was asked is not known

    def __new__(cls, lines: Iterable[str]) -> FurnitureRecorder:
        recorder = super().__new__(cls, lines)
        recorder.asked = set()
        recorder.opaque = False
        return recorder

    def __contains__(self, line: object) -> bool:
        if isinstance(line, str):
            self.asked.add(line)
        else:
            self.opaque = True
        return frozenset.__contains__(self, line)

    def __iter__(self) -> Iterator[str]:
        self.opaque = True
        return frozenset.__iter__(self)

    def __len__(self) -> int:
        self.opaque = True
        return frozenset.__len__(self)


# What cleaning a document gives: its articles, its problems, and its cache entry (as JSON).
Cleaned = tuple[list[Article], list[Problem], str | None]
# Makes a document's cache entry from what its cleaning asked about (cache_entries.clean_entry).
EntryMaker = Callable[[Document, set[str], frozenset[str], list[Article], list[Problem]], str]


def clean_batch(
    documents: Sequence[Document], shared: frozenset[str], entry: EntryMaker | None = None
) -> list[Cleaned]:
    """Each document's articles and problems, and (given `entry`) its cache entry, made here
    on the worker: it records which furniture lines the cleaning asked about (None if that is
    not known)."""
    results: list[Cleaned] = []
    for document in documents:
        if entry is None:
            results.append((*document_articles(document, shared), None))
            continue
        recorder = FurnitureRecorder(shared)
        articles, problems = document_articles(document, recorder)
        made = (
            None if recorder.opaque else entry(document, recorder.asked, shared, articles, problems)
        )
        results.append((articles, problems, made))
    return results


def analysis_batch(articles: Sequence[Article]) -> list[Analysis]:
    """Each article's analysis: where its paragraphs split into sentences, and its quotations."""
    return [
        Analysis(tuple(map(sentence_spans, a.paragraphs)), tuple(article_quotes(a)))
        for a in articles
    ]


def story_batch(
    work: Sequence[StoryWork], words: int, summarizer: str
) -> list[tuple[Summary, StoryExtras]]:
    """Each story's summary and extras, its candidate sentences found once for both."""
    results = []
    for story, members, analyses in work:
        copies, known = story.copies, _by_id(members, analyses)
        found = candidates(members, copies, known)
        summary = summarize(story.id, members, copies, words, summarizer, found=found)
        results.append((summary, story_extras(members, copies, summary, found, known)))
    return results


def extras_batch(work: Sequence[tuple[StoryWork, Summary]]) -> list[StoryExtras]:
    """Each story's extras, given its summary."""
    return [
        story_extras(members, story.copies, summary, analyses=_by_id(members, analyses))
        for (story, members, analyses), summary in work
    ]


def _by_id(members: Sequence[Article], analyses: Sequence[Analysis]) -> dict[str, Analysis] | None:
    return dict(zip((a.id for a in members), analyses, strict=True)) if analyses else None
