"""The dated archive: one page per day the input covers, listing the stories of that day."""

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
