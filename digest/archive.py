"""The front pages and the dated archive: the stories in rank order, a page of them at a time,
and one page per day the input covers, listing the stories of that day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

# The front page leads with at most this many stories; the rest are listed briefly below.
TOP_STORIES = 10
LEAD_AT_LEAST = 5  # an edition with fewer stories of several outlets still leads with this many


class Dated(Protocol):
    """Anything with the date a story was last reported and its outlets (a StoryView)."""

    @property
    def updated(self) -> str | None: ...

    @property
    def outlets(self) -> int: ...


@dataclass(frozen=True)
class Edition:
    """The stories last reported on one day."""

    date: str  # ISO date
    path: str
    stories: tuple[Dated, ...]


def edition_path(day: str) -> str:
    """Where the archive page of one day lives in the site."""
    return f"archive/{day}.html"


def editions(stories: Sequence[Dated]) -> list[Edition]:
    """The days the stories were last reported on, newest first, each with its stories in rank
    order; none when they all fall on one day (the front page is then the whole archive)."""
    by_day: dict[str, list[Dated]] = {}
    for story in stories:
        if story.updated:
            by_day.setdefault(story.updated, []).append(story)
    if len(by_day) < 2:
        return []
    return [
        Edition(day, edition_path(day), tuple(by_day[day])) for day in sorted(by_day, reverse=True)
    ]


def front_page(stories: Sequence[Dated], edition: str | None) -> tuple[list[Dated], list[Dated]]:
    """The stories that lead the briefing (covered by several outlets, or new in this edition)
    and the older or smaller ones listed below them, each in rank order."""
    leading = {
        id(s) for s in stories if s.outlets > 1 or (edition is not None and s.updated == edition)
    }
    # A thin edition still leads with a few stories, in rank order.
    for story in stories:
        if len(leading) >= LEAD_AT_LEAST:
            break
        leading.add(id(story))
    top = [s for s in stories if id(s) in leading][:TOP_STORIES]
    shown = {id(s) for s in top}
    return top, [s for s in stories if id(s) not in shown]


@dataclass(frozen=True)
class FrontPage:
    """One page of the front: the first leads with story cards; each lists stories below."""

    number: int  # 1 for index.html
    path: str
    top: tuple[Dated, ...]  # shown as cards: the first page only
    more: tuple[Dated, ...]  # listed a line each


def front_path(number: int) -> str:
    """Where the front page of that number lives: index.html, then index2.html, index3.html."""
    return "index.html" if number == 1 else f"index{number}.html"


def front_pages(stories: Sequence[Dated], edition: str | None, per_page: int) -> list[FrontPage]:
    """The front, per_page stories a page (0: all on one), in rank order: a few thousand
    stories on one page would take megabytes to load, and readers go page by page anyway."""
    top, more = front_page(stories, edition)
    if not per_page or len(stories) <= per_page:
        return [FrontPage(1, front_path(1), tuple(top), tuple(more))]
    lead, rest = top[:per_page], top[per_page:] + more  # the leading stories come first
    first = per_page - len(lead)
    chunks = [rest[:first]] + [rest[k : k + per_page] for k in range(first, len(rest), per_page)]
    return [
        FrontPage(n, front_path(n), tuple(lead) if n == 1 else (), tuple(chunk))
        for n, chunk in enumerate(chunks, start=1)
    ]


def archive_pages(
    stories: Sequence[Dated], render: Callable[..., bytes]
) -> list[tuple[str, bytes]]:
    """The archive index and one page per day, as (path, HTML) pairs."""
    days = editions(stories)
    if not days:
        return []
    index = "archive/index.html"
    pages = [(index, render("archive.html", root="../", editions=days, page_path=index))]
    for day in days:
        html = render("edition.html", root="../", edition=day, page_path=day.path)
        pages.append((day.path, html))
    return pages
