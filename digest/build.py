"""The build, one stage a line: read, clean, group, summarize, render, write."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from .articles import clean_documents
from .config import Config
from .export import export_page
from .models import Article, Briefing, Page, Problem, Story
from .output import check_output, replacing, write_pages
from .search import index_site
from .site import render_site
from .sources import read_folder
from .stories import group_stories, rank_stories
from .summaries import summarize_stories
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


def edition_date(articles: list[Article], stories: list[Story]) -> str | None:
    """The edition's date: SOURCE_DATE_EPOCH when set, else the newest original article's date
    (a copy republished later, as spam sites do, does not make the news newer)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    copies = {c for story in stories for c in story.copies}
    return max((a.published for a in articles if a.published and a.id not in copies), default=None)


def make_briefing(config: Config) -> tuple[Briefing, int]:
    """Read, clean, group and summarize the input; returns the briefing and documents read."""
    documents, read_problems = read_folder(config.input)
    articles, clean_problems = clean_documents(documents)
    by_id = {a.id: a for a in articles}
    stories = group_stories(articles, config.story_threshold, config.copy_threshold)
    stories = rank_stories(stories, by_id)
    summaries = summarize_stories(stories, by_id, config.summary_words, config.summarizer)
    briefing = Briefing(
        title=config.title,
        articles=tuple(sorted(articles, key=lambda a: a.id)),
        stories=tuple(stories),
        summaries=tuple(summaries),
        edition=edition_date(articles, stories),
        problems=tuple(read_problems + clean_problems),
    )
    return briefing, len(documents)


def render(briefing: Briefing, config: Config) -> list[Page]:
    """Every file of the site, in memory."""
    site = render_site(briefing, config)
    return [*site, export_page(briefing), *syndication_pages(briefing, config, site)]


def build(config: Config) -> BuildResult:
    """Build the briefing site from config.input into config.output."""
    started = time.perf_counter()
    check_output(config.output, config.input)
    briefing, documents = make_briefing(config)
    pages = render(briefing, config)
    with replacing(config.output) as fresh:  # the new site goes live only once complete
        written = write_pages(pages, fresh)
        # Pagefind indexes files on disk: it runs on the new site before that is swapped in.
        problems = briefing.problems + (tuple(index_site(fresh)) if config.search else ())
    return BuildResult(
        documents=documents,
        articles=len(briefing.articles),
        stories=len(briefing.stories),
        pages=written,
        problems=problems,
        seconds=time.perf_counter() - started,
    )
