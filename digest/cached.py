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

What is not in the cache is worked out on the build's engine (engine.py, tasks.py): a story
summarized afresh has its extras found in the same task.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import fields
from itertools import chain
from typing import Any, TypeVar

from .articles import clean_documents
from .boilerplate import furniture, page_lines
from .cache import Cache
from .cache_keys import entry_key
from .engine import BATCHES_PER_WORKER, Engine, Serial
from .insights import OnlyIn, StoryExtras, TimelineEntry
from .models import Analysis, Article, Document, Problem, Story, Summary, SummarySentence
from .quotes import Quote
from .tasks import StoryWork, clean_batch, extras_batch, story_batch

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


def _content(article: Article) -> str:
    """A hash of everything an article holds."""
    text = json.dumps(_dump(article), sort_keys=True)
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def content_hashes(articles: Sequence[Article]) -> list[str]:
    """Each article's hash in its story's cache keys (a batch function for the engine)."""
    return [_content(a) for a in articles]


def _story_content(
    story: Story, hashes: Mapping[str, str], summary: Summary | None = None
) -> dict[str, Any]:
    """What a story's summary depends on besides the settings (with its summary: its extras);
    hashes holds each article's _content."""
    content: dict[str, Any] = {
        "articles": [[i, hashes[i]] for i in story.article_ids],
        "copies": story.duplicate_of,
    }
    if summary is not None:
        content["summary"] = [_dump(s) for s in summary.sentences]
    return content


def _restore_all(
    cache: Cache, stage: str, keys: Sequence[str], restore: Callable[[int, Any], T]
) -> list[T | None]:
    """Item i's value restored from its cache entry, or None where there is none (or it is
    unreadable); hits and misses counted."""
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
    missing = sum(1 for value in values if value is None)
    cache.stats.hits[stage] += len(keys) - missing
    cache.stats.misses[stage] += missing
    return values


# -- the stages --------------------------------------------------------------------------------


def clean(
    cache: Cache, documents: Sequence[Document], engine: Engine | None = None
) -> tuple[list[Article], list[Problem]]:
    """articles.clean_documents, each document's articles from the cache where valid and the
    rest cleaned on the engine's workers."""
    documents = list(documents)
    engine = engine or Serial()
    lines = engine.submit(page_lines, documents)  # on the workers while this looks up the cache
    results: list[tuple[list[Article], list[Problem]] | None] = [None] * len(documents)
    keys: list[str] = []
    found: dict[str, Any] = {}
    if cache.enabled:
        keys = [entry_key("clean", {}, _dump(doc)) for doc in documents]
        found = cache.get("clean", keys)
    shared = furniture(lines())
    for i, key in enumerate(keys):
        if key in found:
            try:
                results[i] = _restore_clean(found[key], documents[i], shared)
            except _SHAPE_ERRORS as err:
                cache.stats.unreadable["clean"] += 1
                log.debug("cache: clean entry %s unreadable (%s)", key[:12], err)
    todo = [i for i, result in enumerate(results) if result is None]
    if cache.enabled:
        cache.stats.hits["clean"] += len(documents) - len(todo)
        cache.stats.misses["clean"] += len(todo)
    entry = clean_entry if cache.enabled else None
    made = engine.map(clean_batch, [documents[i] for i in todo], shared, entry)
    fresh: dict[str, str] = {}
    for i, (articles, problems, text) in zip(todo, made, strict=True):
        results[i] = (articles, problems)
        if text is not None:
            fresh[keys[i]] = text
    cache.put_encoded("clean", fresh)
    done = iter([r for r in results if r is not None])
    return clean_documents(documents, lambda _document, _shared: next(done), shared=shared)


def summarize(
    cache: Cache,
    stories: Sequence[Story],
    articles: Mapping[str, Article],
    settings: tuple[int, str],
    engine: Engine | None = None,
    analyses: Callable[[], Mapping[str, Analysis]] | None = None,
    hashes: Callable[[], Mapping[str, str]] | None = None,
) -> tuple[list[Summary], list[StoryExtras]]:
    """Each story's summary (summaries.summarize, with settings (words, summarizer)) and extras
    (insights.story_extras): from the cache where what they depend on is unchanged, the rest
    worked out on the engine's workers. analyses gives the articles' analyses by id, if the
    caller has them worked out; it is called only if a story is to be worked on. hashes gives
    content_hashes by article id, where the caller has them."""
    engine = engine or Serial()
    words, summarizer = settings
    known: Mapping[str, Analysis] | None = None

    def work(i: int) -> StoryWork:
        nonlocal known
        if known is None:
            known = analyses() if analyses else {}
        ids = stories[i].article_ids
        found = tuple(known[a] for a in ids) if known else ()
        return stories[i], tuple(articles[a] for a in ids), found

    summaries: list[Summary | None] = [None] * len(stories)
    extras: list[StoryExtras | None] = [None] * len(stories)
    by_hash: Mapping[str, str] = {}
    if cache.enabled:
        by_hash = hashes() if hashes else {i: _content(a) for i, a in articles.items()}
        keys = [
            entry_key(
                "summary", {"words": words, "summarizer": summarizer}, _story_content(s, by_hash)
            )
            for s in stories
        ]

        def restore(i: int, entry: Any) -> Summary:
            sentences = tuple(_load(SummarySentence, _SENTENCE, s) for s in _list(entry))
            return Summary(stories[i].id, sentences)

        summaries = _restore_all(cache, "summary", keys, restore)
    # A story summarized afresh has its extras worked out with it, from the same sentences.
    # They come a batch at a time, and each batch's cache entries are made while the workers
    # go on with the next (in forked processes, which need not be sent the stories).
    todo = [i for i, summary in enumerate(summaries) if summary is None]
    size = max(1, -(-len(todo) // (engine.workers * BATCHES_PER_WORKER)))
    worked = engine.stream(story_batch, [work(i) for i in todo], words, summarizer, size=size)
    extra_keys: dict[int, str] = {}
    made: dict[str, str] = {}  # extras entries of the stories summarized afresh, by key
    fresh: dict[str, str] = {}  # their summary entries
    for i, (summary, extra) in zip(todo, chain.from_iterable(worked), strict=True):
        summaries[i], extras[i] = summary, extra
        if cache.enabled:
            fresh[keys[i]] = json.dumps([_dump(s) for s in summary.sentences])
            extra_keys[i] = _extras_key(stories[i], by_hash, summary)
            made[extra_keys[i]] = json.dumps(_extras_entry(extra))
    done = [s for s in summaries if s is not None]
    if not cache.enabled:
        return done, [e for e in extras if e is not None]
    cache.put_encoded("summary", fresh)
    keyed = [
        extra_keys[i] if i in extra_keys else _extras_key(story, by_hash, summary)
        for i, (story, summary) in enumerate(zip(stories, done, strict=True))
    ]
    # An entry found is used even for a story whose extras its new summary's task found: the
    # same sentences give the same extras, and the count of reused entries stays true.
    restored = _restore_all(cache, "extras", keyed, lambda _, e: _restore_extras(e))
    extras = [old if old is not None else new for old, new in zip(restored, extras, strict=True)]
    left = [i for i, extra in enumerate(extras) if extra is None]
    for i, extra in zip(
        left, engine.map(extras_batch, [(work(i), done[i]) for i in left]), strict=True
    ):
        extras[i] = extra
        made[keyed[i]] = json.dumps(_extras_entry(extra))
    cache.put_encoded(
        "extras", {k: made[k] for k, r in zip(keyed, restored, strict=True) if r is None}
    )
    return done, [e for e in extras if e is not None]


def _extras_key(story: Story, hashes: Mapping[str, str], summary: Summary) -> str:
    return entry_key("extras", {}, _story_content(story, hashes, summary))


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


def _page_lines(text: str) -> set[str]:
    return {line for line in text.split("\n") if line}


def clean_entry(
    document: Document,
    asked: set[str],
    shared: frozenset[str],
    articles: list[Article],
    problems: list[Problem],
) -> str:
    """A document's cache entry, as JSON: its articles and problems, with the furniture lines
    its cleaning depended on (made on the worker that cleaned it)."""
    lines = _page_lines(document.text)
    raw = lines <= asked  # the usual case: every line of the page was asked about
    extra = asked - lines if raw else asked
    entry = {
        "raw": raw,
        "extra": sorted(extra),
        "furniture": sorted(line for line in asked if line in shared),
        "articles": [_dump(a) for a in articles],
        "problems": [_dump(p) for p in problems],
    }
    return json.dumps(entry)


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
