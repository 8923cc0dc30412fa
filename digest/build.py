"""The build, one stage a line: read, clean, group, rank, summarize, find each story's extras,
render, write."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from . import cached
from .cache import Cache
from .config import Config
from .engine import Engine, Serial, cores, open_engine
from .export import export_page
from .features import FeatureBatch, featurize_batch, unbatched
from .insights import StoryExtras
from .models import Analysis, Article, Briefing, Page, Problem, Story, Summary
from .output import check_output, previous_site, replacing, write_pages
from .report import check_report_path, report_page, write_report_copy
from .search import index_site, indexing, shard_count
from .site import Rendering
from .sources import Limits, Reading, read_input
from .stories import group_stories, rank_stories
from .syndication import syndication_pages
from .tasks import analysis_batch

log = logging.getLogger(__name__)
Writer = Callable[[Iterable[Page]], int]  # output.write_pages into the fresh site folder

# Pagefind holds about 110 kB per page it indexes (3.1 GB for 28,000 story pages). Up to this
# many pages it runs beside the rendering of the pages it does not read (10,000 articles: 2-3 s
# sooner); beyond, it runs once the briefing's memory is given back, not on top of it.
PAGEFIND_BESIDE = 8_000


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the one-line report and exit code."""

    documents: int
    articles: int
    stories: int
    pages: int
    problems: tuple[Problem, ...]
    seconds: float
    files: int = 0  # article files in the input folder (sources.toml and digest.toml aside)
    files_skipped: int = 0  # of them, files that gave no article
    edition: str | None = None


def done(message: str, *args: object) -> None:
    """A stage is done: a line of its own in plain logs, shown in place on a terminal."""
    log.info(message, *args, extra={"progress": "done"})


@contextmanager
def stage(message: str, *args: object) -> Iterator[Callable[..., None]]:
    """A stage of the build. Its start is shown in place on a terminal and left out of plain
    logs (-v shows it); it gives `done`, to log what the stage did."""
    log.info(message, *args, extra={"progress": "start"})
    yield done


def edition_date(articles: list[Article], stories: list[Story]) -> str | None:
    """The edition's date: SOURCE_DATE_EPOCH when set, else the newest original article's date
    (a copy republished later, as spam sites do, does not make the news newer)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    copies = {c for story in stories for c in story.copies}
    return max((a.published for a in articles if a.published and a.id not in copies), default=None)


def make_briefing(
    config: Config, cache: Cache | None = None, engine: Engine | None = None
) -> tuple[Briefing, BuildResult]:
    """Read, clean, group, rank, summarize and find each story's extras; returns the briefing
    and the counts so far. Per-article and per-story work runs on `engine` (by default in this
    process). Cleaning, summaries and extras are kept in `cache` (by default the one config
    names), then closed."""
    engine = engine or Serial()
    reading = _read(config, engine)
    with cache or Cache.open(config.cache, config.input, config.output) as cache:
        articles, clean_problems, skipped = _clean(cache, reading, engine)
        documents = len(reading.documents)
        reading = replace(reading, documents=[])  # their text lives on in the articles: free it
        by_id = {a.id: a for a in articles}
        features = engine.submit(featurize_batch, articles)
        # On the workers while this groups: the summaries' cache keys, and what they read.
        hashes = engine.submit(cached.content_hashes, articles if cache.enabled else [])
        analyses = engine.submit(analysis_batch, articles)
        stories = _group(articles, features, config, min(engine.workers, cores()))
        del features  # its results, held until now: 600 MB at 100,000 articles
        stories = rank_stories(stories, by_id)
        summaries, extras = _summarize(cache, stories, by_id, config, engine, (hashes, analyses))
    log.debug("cache %s: %s", config.cache, cache.stats)
    briefing = Briefing(
        title=config.title,
        articles=tuple(sorted(articles, key=lambda a: a.id)),
        stories=tuple(stories),
        summaries=tuple(summaries),
        edition=edition_date(articles, stories),
        problems=tuple(reading.problems + clean_problems),
        extras=tuple(extras),
    )
    counts = BuildResult(
        documents=documents,
        articles=len(briefing.articles),
        stories=len(briefing.stories),
        pages=0,
        problems=briefing.problems,
        seconds=0.0,
        files=len(reading.files),
        files_skipped=skipped,
        edition=briefing.edition,
    )
    return briefing, counts


def _read(config: Config, engine: Engine) -> Reading:
    with stage("reading %s", config.input) as done:
        reading = read_input(config.input, Limits.of(config), engine)
        done(
            "read %d files from %s: %d documents",
            len(reading.files),
            config.input,
            len(reading.documents),
        )
    return reading


def _clean(
    cache: Cache, reading: Reading, engine: Engine
) -> tuple[list[Article], list[Problem], int]:
    """The articles, the problems, and how many files gave no article."""
    with stage("cleaning %d documents", len(reading.documents)) as done:
        articles, problems = cached.clean(cache, reading.documents, engine)
        skipped = len(reading.files - {a.source_file for a in articles})
        done(
            "cleaned %d documents: %d articles, %d files skipped",
            len(reading.documents),
            len(articles),
            skipped,
        )
    return articles, problems, skipped


def _group(
    articles: list[Article],
    features: Callable[[], list[FeatureBatch]],
    config: Config,
    threads: int,
) -> list[Story]:
    """The stories of the articles, given what waits for their features."""
    with stage("grouping %d articles into stories", len(articles)) as done:
        found, thresholds = unbatched(features()), (config.story_threshold, config.copy_threshold)
        stories = group_stories(articles, *thresholds, features=found, threads=threads)
        done("grouped %d articles into %d stories", len(articles), len(stories))
    return stories


def _summarize(
    cache: Cache,
    stories: list[Story],
    articles: dict[str, Article],
    config: Config,
    engine: Engine,
    worked: tuple[Callable[[], list[str]], Callable[[], list[Analysis]]],
) -> tuple[list[Summary], list[StoryExtras]]:
    """Each story's summary and its extras: key quotes, "only in" details and timeline.
    worked waits for the articles' content hashes (if the cache is on) and analyses, in the
    order of articles."""
    with stage("summarizing %d stories", len(stories)) as done:
        settings = (config.summary_words, config.summarizer)
        hashes, analyses = worked

        def hashes_by_id() -> dict[str, str]:
            return dict(zip(articles, hashes(), strict=True))

        def by_id() -> dict[str, Analysis]:
            return dict(zip(articles, analyses(), strict=True))

        summaries, extras = cached.summarize(
            cache, stories, articles, settings, engine, by_id, hashes_by_id
        )
        done("summarized %d stories", len(stories))
    return summaries, extras


def render(briefing: Briefing, config: Config, engine: Engine | None = None) -> list[Page]:
    """Every file of the site, in memory (a build streams them to disk instead: see build)."""
    rendering = Rendering.of(briefing, config)
    here = engine or Serial()
    pages = [*rendering.front(), *rendering.stories(here), *rendering.articles(here)]
    return [*pages, *_machine_pages(briefing, config, rendering)]


def _machine_pages(briefing: Briefing, config: Config, rendering: Rendering) -> list[Page]:
    """digest.json, the feeds and the sitemap."""
    paths = rendering.html_paths()
    return [export_page(briefing), *syndication_pages(briefing, config, paths)]


def build(config: Config) -> BuildResult:
    """Build the briefing site from config.input into config.output."""
    started = time.perf_counter()
    check_output(config.output, config.input)
    check_report_path(config)
    with open_engine(config.engine, config.jobs, config.scheduler) as engine:
        briefing, counts = make_briefing(config, engine=engine)
        engine.release()  # free what the workers hold: pages are rendered in fresh ones
        previous = previous_site(config.output)  # its unchanged pages are linked, not written
        with replacing(config.output) as fresh:  # the new site goes live only once complete
            write = partial(write_pages, root=fresh, previous=previous)
            indexed = len(briefing.stories) + config.search_articles * len(briefing.articles)
            beside = config.search and indexed <= PAGEFIND_BESIDE
            # Alone, Pagefind can have every core: the index is split between processes.
            shards = 1 if beside else shard_count(indexed, config.jobs or cores())
            rendering = Rendering.of(briefing, config, shards)
            written = _write_indexed(rendering, config, engine, write)
            search: AbstractContextManager[list[Problem]] = (
                indexing(fresh, config.search_articles) if beside else nullcontext([])
            )
            with search as found:
                written += _write_rest(briefing, rendering, config, engine, write, beside)
            problems = briefing.problems + tuple(found)
            del briefing, rendering
            _give_back_memory()
            if config.search and not beside:
                problems += _index(fresh, config, shards)
            result = replace(counts, pages=written + 1, problems=problems)  # + build-report.json
            write([report_page(result, config)])  # last: every warning is known
            write_report_copy(result, config)  # --report: an error here keeps the previous site
    done("wrote %d files to %s", result.pages, config.output)  # the writing stage's end
    return replace(result, seconds=time.perf_counter() - started)


def _give_back_memory() -> None:
    """Return the memory of freed objects to the system: the C library keeps freed blocks for
    reuse unless told to trim (10,000 articles: 335 MB once the briefing is freed, 176 MB
    once trimmed)."""
    gc.collect()  # the articles' few reference cycles
    libc_name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(libc_name), "malloc_trim", None) if libc_name else None
    if trim is not None:  # glibc; other systems return memory their own way
        trim(0)


def _write_indexed(rendering: Rendering, config: Config, engine: Engine, write: Writer) -> int:
    """Render and write the front pages and the pages Pagefind indexes: story pages, and
    article pages with search_articles. Story and article pages come a batch at a time, so
    the pages are never all in memory. Returns how many were written."""
    with stage("rendering the site") as done:
        front = rendering.front()
        written = write(front)
        written += write(rendering.stories(engine))
        if config.search_articles:
            written += write(rendering.articles(engine))
        done("rendered and wrote %d pages", written)
    return written


def _write_rest(
    briefing: Briefing,
    rendering: Rendering,
    config: Config,
    engine: Engine,
    write: Writer,
    indexing: bool,
) -> int:
    """Render and write the pages left (article pages unless indexed, the JSON export, the
    feeds and the sitemap) while Pagefind runs if `indexing`; returns how many."""
    with stage("writing %s", config.output):
        written = 0
        if not config.search_articles:
            written += write(rendering.articles(engine))
        written += write(_machine_pages(briefing, config, rendering))
        if indexing:  # what is left of the build is the wait for Pagefind
            log.info("indexing %s for search", config.output, extra={"progress": "start"})
    return written


def _index(fresh: Path, config: Config, shards: int) -> tuple[Problem, ...]:
    """Index the written site for search, if search is on, with `shards` Pagefind processes;
    the problem, if that failed."""
    if not config.search:
        return ()
    with stage("indexing %s for search", config.output) as done:
        problems = index_site(fresh, config.search_articles, shards)
        done("search index %s", "not built" if problems else "built")
    return tuple(problems)
