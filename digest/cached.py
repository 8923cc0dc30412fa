"""The build's cached stages: cleaning each document, summarizing each story and working out each
story's extras, each result taken from the build cache (cache.py) while what it depends on is
unchanged. Each gives what the stage gives without a cache; with a disabled cache it is that
stage.

Cleaning a page also depends on the site furniture found across all pages
(boilerplate.shared_lines), which one new page can change. That is worked out afresh every
build; a page's entry records which lines its cleaning asked about and which of them were
furniture, and is used only if exactly those lines are furniture now.

A summary depends on the story's articles (whole, ids included, in the story's order), its
copies and the summary settings; a story's extras (quotes, "only in" details, timeline) on its
articles, its copies and its summary's sentences.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from .articles import clean_documents, document_articles
from .cache import Cache, entry_key
from .insights import OnlyIn, StoryExtras, TimelineEntry, insights_for
from .models import Article, Document, Problem, Story, Summary, SummarySentence
from .quotes import Quote
from .summaries import summarize_stories

log = logging.getLogger(__name__)

T = TypeVar("T")


class Unreadable(ValueError):
    """A cache entry that does not have the shape its stage writes."""


# What reading an entry of another shape raises (Unreadable is a ValueError).
_SHAPE_ERRORS = (TypeError, ValueError, KeyError, AttributeError)


# -- values: frozen dataclasses as JSON objects ------------------------------------------------


def _dump(item: Any) -> dict[str, Any]:
    return {f.name: getattr(item, f.name) for f in fields(item)}


def _load(cls: Callable[..., T], names: frozenset[str], data: Any) -> T:
    """A dataclass from its JSON object, lists back to tuples; Unreadable if it does not fit."""
    if not isinstance(data, dict) or set(data) != names:
        raise Unreadable(f"expected the fields {sorted(names)}")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise Unreadable(f"{name}: expected a list of strings")
            value = tuple(value)
        elif value is not None and not isinstance(value, str | int | float):
            raise Unreadable(f"{name}: unexpected {type(value).__name__}")
        values[name] = value
    return cls(**values)


def _names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in fields(cls))


_ARTICLE, _PROBLEM, _SENTENCE = _names(Article), _names(Problem), _names(SummarySentence)
_QUOTE, _ONLY_IN, _TIMELINE = _names(Quote), _names(OnlyIn), _names(TimelineEntry)
_EXTRAS = _names(StoryExtras)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Unreadable("expected a list")
    return value


# An article's content hash, kept while the article lives: summaries and extras both ask.
_HASHES: WeakKeyDictionary[Article, str] = WeakKeyDictionary()


def _content(article: Article) -> str:
    """A hash of everything an article holds."""
    found = _HASHES.get(article)
    if found is None:
        text = json.dumps(_dump(article), sort_keys=True)
        found = _HASHES[article] = hashlib.sha256(text.encode("ascii")).hexdigest()
    return found


def _story_content(
    story: Story, articles: Mapping[str, Article], summary: Summary | None = None
) -> dict[str, Any]:
    """What a story's summary depends on besides the settings (with its summary: its extras)."""
    content: dict[str, Any] = {
        "articles": [[i, _content(articles[i])] for i in story.article_ids],
        "copies": story.duplicate_of,
    }
    if summary is not None:
        content["summary"] = [_dump(s) for s in summary.sentences]
    return content


def _per_item(
    cache: Cache,
    stage: str,
    keys: Sequence[str],
    restore: Callable[[int, Any], T],
    compute: Callable[[list[int]], Sequence[T]],
    dump: Callable[[T], Any],
) -> list[T]:
    """Item i's value: restore(i, entry) from the cache, else made by compute (all missing
    items' indexes at once) and stored."""
    found = cache.get(stage, keys)
    values: list[T | None] = []
    for i, key in enumerate(keys):
        value = None
        if key in found:
            try:
                value = restore(i, found[key])
            except _SHAPE_ERRORS as err:
                cache.stats.unreadable[stage] += 1
                log.debug("cache: %s entry %s unreadable (%s)", stage, key[:12], err)
        values.append(value)
    todo = [i for i, value in enumerate(values) if value is None]
    cache.stats.hits[stage] += len(keys) - len(todo)
    cache.stats.misses[stage] += len(todo)
    fresh: dict[str, Any] = {}
    for i, made in zip(todo, compute(todo), strict=True):
        values[i] = made
        fresh[keys[i]] = dump(made)
    cache.put(stage, fresh)
    return [value for value in values if value is not None]


# -- the stages --------------------------------------------------------------------------------


def clean(cache: Cache, documents: Sequence[Document]) -> tuple[list[Article], list[Problem]]:
    """articles.clean_documents, each document's articles from the cache where valid."""
    if not cache.enabled:
        return clean_documents(documents)
    keys = {doc: entry_key("clean", {}, _dump(doc)) for doc in documents}
    found = cache.get("clean", keys.values())
    fresh: dict[str, Any] = {}

    def articles_of(
        document: Document, shared: frozenset[str]
    ) -> tuple[list[Article], list[Problem]]:
        key = keys.get(document) or entry_key("clean", {}, _dump(document))
        if key in found:
            try:
                reused = _restore_clean(found[key], document, shared)
            except _SHAPE_ERRORS as err:
                cache.stats.unreadable["clean"] += 1
                log.debug("cache: clean entry %s unreadable (%s)", key[:12], err)
                reused = None
            if reused is not None:
                cache.stats.hits["clean"] += 1
                return reused
        cache.stats.misses["clean"] += 1
        recorder = _Recorder(shared)
        articles, problems = document_articles(document, recorder)
        if not recorder.opaque:
            fresh[key] = _clean_entry(document, recorder.asked, shared, articles, problems)
        return articles, problems

    result = clean_documents(documents, articles_of)
    cache.put("clean", fresh)
    return result


def summarize(
    cache: Cache,
    stories: Sequence[Story],
    articles: dict[str, Article],
    words: int,
    summarizer: str,
) -> list[Summary]:
    """summaries.summarize_stories, unchanged stories' summaries from the cache."""
    if not cache.enabled:
        return summarize_stories(stories, articles, words, summarizer)
    settings = {"words": words, "summarizer": summarizer}
    keys = [entry_key("summary", settings, _story_content(s, articles)) for s in stories]

    def restore(i: int, entry: Any) -> Summary:
        sentences = tuple(_load(SummarySentence, _SENTENCE, s) for s in _list(entry))
        return Summary(stories[i].id, sentences)

    def compute(todo: list[int]) -> list[Summary]:
        return summarize_stories([stories[i] for i in todo], articles, words, summarizer)

    def dump(summary: Summary) -> Any:
        return [_dump(s) for s in summary.sentences]

    return _per_item(cache, "summary", keys, restore, compute, dump)


def extras(
    cache: Cache,
    stories: Sequence[Story],
    articles: dict[str, Article],
    summaries: Sequence[Summary],
) -> list[StoryExtras]:
    """insights.insights_for, unchanged stories' extras from the cache."""
    if not cache.enabled:
        return insights_for(stories, articles, summaries)
    keys = [
        entry_key("extras", {}, _story_content(story, articles, summary))
        for story, summary in zip(stories, summaries, strict=True)
    ]

    def compute(todo: list[int]) -> list[StoryExtras]:
        return insights_for([stories[i] for i in todo], articles, [summaries[i] for i in todo])

    return _per_item(
        cache, "extras", keys, lambda _, entry: _restore_extras(entry), compute, _extras_entry
    )


def _extras_entry(extras: StoryExtras) -> dict[str, Any]:
    return {
        "quotes": [_dump(q) for q in extras.quotes],
        "only_in": [_dump(o) for o in extras.only_in],
        "timeline": [_dump(t) for t in extras.timeline],
    }


def _restore_extras(entry: Any) -> StoryExtras:
    if not isinstance(entry, dict) or set(entry) != _EXTRAS:
        raise Unreadable("not an extras entry")
    return StoryExtras(
        tuple(_load(Quote, _QUOTE, q) for q in _list(entry["quotes"])),
        tuple(_load(OnlyIn, _ONLY_IN, o) for o in _list(entry["only_in"])),
        tuple(_load(TimelineEntry, _TIMELINE, t) for t in _list(entry["timeline"])),
    )


# -- cleaning and the site's furniture ---------------------------------------------------------


class _Recorder(frozenset[str]):
    """The site's furniture lines, noting every line cleaning asks about."""

    asked: set[str]
    opaque: bool  # the set was used other than by `in`: what was asked is not known

    def __new__(cls, lines: Iterable[str]) -> _Recorder:
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


def _page_lines(text: str) -> set[str]:
    return {line for line in text.split("\n") if line}


def _clean_entry(
    document: Document,
    asked: set[str],
    shared: frozenset[str],
    articles: list[Article],
    problems: list[Problem],
) -> dict[str, Any]:
    """A document's articles and problems, with the furniture lines its cleaning depended on."""
    lines = _page_lines(document.text)
    raw = lines <= asked  # the usual case: every line of the page was asked about
    extra = asked - lines if raw else asked
    return {
        "raw": raw,
        "extra": sorted(extra),
        "furniture": sorted(line for line in asked if line in shared),
        "articles": [_dump(a) for a in articles],
        "problems": [_dump(p) for p in problems],
    }


def _restore_clean(
    entry: Any, document: Document, shared: frozenset[str]
) -> tuple[list[Article], list[Problem]] | None:
    """The cached articles and problems, or None if the furniture they depended on changed."""
    if not isinstance(entry, dict) or not isinstance(entry.get("raw"), bool):
        raise Unreadable("not a clean entry")
    asked = set(_list(entry["extra"]))
    if entry["raw"]:
        asked |= _page_lines(document.text)
    if sorted(line for line in asked if line in shared) != _list(entry["furniture"]):
        return None
    articles = [_load(Article, _ARTICLE, a) for a in _list(entry["articles"])]
    problems = [_load(Problem, _PROBLEM, p) for p in _list(entry["problems"])]
    return articles, problems
