"""The build's cached stages: cleaning each document, summarizing each story and working out each
story's extras, each result taken from the build cache (cache.py; the entries' JSON is
cache_entries.py's) while what it depends on is unchanged. Each gives what the stage gives
without a cache; with a disabled cache it is that stage.

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
from itertools import chain
from typing import Any, TypeVar

from .articles import clean_documents
from .boilerplate import furniture, page_lines
from .cache import Cache
from .cache_entries import (
    SHAPE_ERRORS,
    clean_entry,
    dump,
    extras_entry,
    field_names,
    json_list,
    load,
    restore_clean,
    restore_extras,
)
from .cache_keys import entry_key
from .engine import BATCHES_PER_WORKER, Engine, Serial
from .insights import StoryExtras
from .models import Analysis, Article, Document, Problem, Story, Summary, SummarySentence
from .tasks import StoryWork, clean_batch, extras_batch, story_batch

log = logging.getLogger(__name__)

T = TypeVar("T")

_SENTENCE = field_names(SummarySentence)


def _content(article: Article) -> str:
    """A hash of everything an article holds."""
    text = json.dumps(dump(article), sort_keys=True)
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
        content["summary"] = [dump(s) for s in summary.sentences]
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
            except SHAPE_ERRORS as err:
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
        keys = [entry_key("clean", {}, dump(doc)) for doc in documents]
        found = cache.get("clean", keys)
    shared = furniture(lines())
    for i, key in enumerate(keys):
        if key in found:
            try:
                results[i] = restore_clean(found[key], documents[i], shared)
            except SHAPE_ERRORS as err:
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
            sentences = tuple(load(SummarySentence, _SENTENCE, s) for s in json_list(entry))
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
            fresh[keys[i]] = json.dumps([dump(s) for s in summary.sentences])
            extra_keys[i] = _extras_key(stories[i], by_hash, summary)
            made[extra_keys[i]] = json.dumps(extras_entry(extra))
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
    restored = _restore_all(cache, "extras", keyed, lambda _, e: restore_extras(e))
    extras = [old if old is not None else new for old, new in zip(restored, extras, strict=True)]
    left = [i for i, extra in enumerate(extras) if extra is None]
    for i, extra in zip(
        left, engine.map(extras_batch, [(work(i), done[i]) for i in left]), strict=True
    ):
        extras[i] = extra
        made[keyed[i]] = json.dumps(extras_entry(extra))
    cache.put_encoded(
        "extras", {k: made[k] for k, r in zip(keyed, restored, strict=True) if r is None}
    )
    return done, [e for e in extras if e is not None]


def _extras_key(story: Story, hashes: Mapping[str, str], summary: Summary) -> str:
    return entry_key("extras", {}, _story_content(story, hashes, summary))
