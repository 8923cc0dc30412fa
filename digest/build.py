"""The build, one stage a line: read, clean, group, summarize, render, write."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from .cache import Cache
from .config import Config
from .export import export_page
from .models import Article, Briefing, Page, Problem, Story
from .output import check_output, replacing, write_pages
from .report import check_report_path, report_page, write_report_copy
from .search import index_site
from .site import render_site
from .sources import IGNORED_NAMES, Limits, input_files, read_folder
from .stories import group_stories, rank_stories
from .syndication import syndication_pages

log = logging.getLogger(__name__)


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


def _starting(message: str, *args: object) -> None:
    """A stage begins: shown in place on a terminal, left out of plain logs."""
    log.info(message, *args, extra={"progress": "start"})


def _done(message: str, *args: object) -> None:
    """A stage is done: a line of its own in plain logs, shown in place on a terminal."""
    log.info(message, *args, extra={"progress": "done"})


def _input_files(folder: Path) -> set[str]:
    """The files read_folder reads or skips, as paths inside the input folder."""
    return {
        p.relative_to(folder).as_posix() for p in input_files(folder) if p.name not in IGNORED_NAMES
    }


def edition_date(articles: list[Article], stories: list[Story]) -> str | None:
    """The edition's date: SOURCE_DATE_EPOCH when set, else the newest original article's date
    (a copy republished later, as spam sites do, does not make the news newer)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    copies = {c for story in stories for c in story.copies}
    return max((a.published for a in articles if a.published and a.id not in copies), default=None)


def make_briefing(config: Config, cache: Cache | None = None) -> tuple[Briefing, BuildResult]:
    """Read, clean, group and summarize the input; returns the briefing and the counts so far.

    Cleaning and summaries are kept in `cache` (by default the one config names), then closed.
    """
    _starting("reading %s", config.input)
    documents, read_problems = read_folder(config.input, Limits.of(config))
    files = _input_files(config.input)
    _done("read %d files from %s: %d documents", len(files), config.input, len(documents))
    _starting("cleaning %d documents", len(documents))
    if cache is None:
        cache = Cache.open(config.cache, config.input, config.output)
    articles, clean_problems = cache.clean_documents(documents)
    skipped = len(files - {a.source_file for a in articles})
    _done(
        "cleaned %d documents: %d articles, %d files skipped",
        len(documents),
        len(articles),
        skipped,
    )
    by_id = {a.id: a for a in articles}
    _starting("grouping %d articles into stories", len(articles))
    stories = group_stories(articles, config.story_threshold, config.copy_threshold)
    stories = rank_stories(stories, by_id)
    _done("grouped %d articles into %d stories", len(articles), len(stories))
    _starting("summarizing %d stories", len(stories))
    summaries = cache.summarize_stories(stories, by_id, config.summary_words, config.summarizer)
    cache.close()
    log.debug("cache %s: %s", config.cache, cache.stats)
    _done("summarized %d stories", len(stories))
    briefing = Briefing(
        title=config.title,
        articles=tuple(sorted(articles, key=lambda a: a.id)),
        stories=tuple(stories),
        summaries=tuple(summaries),
        edition=edition_date(articles, stories),
        problems=tuple(read_problems + clean_problems),
    )
    counts = BuildResult(
        documents=len(documents),
        articles=len(briefing.articles),
        stories=len(briefing.stories),
        pages=0,
        problems=briefing.problems,
        seconds=0.0,
        files=len(files),
        files_skipped=skipped,
        edition=briefing.edition,
    )
    return briefing, counts


def render(briefing: Briefing, config: Config) -> list[Page]:
    """Every file of the site, in memory."""
    site = render_site(briefing, config)
    return [*site, export_page(briefing), *syndication_pages(briefing, config, site)]


def build(config: Config) -> BuildResult:
    """Build the briefing site from config.input into config.output."""
    started = time.perf_counter()
    check_output(config.output, config.input)
    check_report_path(config)
    briefing, counts = make_briefing(config)
    _starting("rendering the site")
    pages = render(briefing, config)
    _done("rendered %d pages", len(pages))
    with replacing(config.output) as fresh:  # the new site goes live only once complete
        _starting("writing %s", config.output)
        written = write_pages(pages, fresh)
        # Pagefind indexes files on disk: it runs on the new site before that is swapped in.
        problems = briefing.problems
        if config.search:
            _starting("indexing %s for search", config.output)
            found = index_site(fresh)
            problems += tuple(found)
            _done("search index %s", "not built" if found else "built")
        result = replace(counts, pages=written + 1, problems=problems)  # + build-report.json
        write_pages([report_page(result, config)], fresh)  # last: every warning is known
        write_report_copy(result, config)  # --report: an error here keeps the previous site
    _done("wrote %d files to %s", result.pages, config.output)
    return replace(result, seconds=time.perf_counter() - started)
