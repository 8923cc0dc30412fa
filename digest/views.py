"""What the pages show of each story and article: paths, outlet names, dates, and a view of
each story gathered from the briefing (rendering them is site.py's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, urlsplit

from .insights import OnlyIn, StoryExtras, TimelineEntry, story_extras
from .models import Article, Briefing, Story, Summary
from .quotes import Quote
from .text import safe_url


def fragment_link(url: str | None, sentence: str) -> str | None:
    """A text-fragment link (#:~:text=start,end) to a sentence on its original page."""
    base = safe_url(url)
    if base is None:
        return None
    tokens = sentence.split()
    # Text directives must percent-encode '-', ',' and '&', which quote() leaves alone.

    def enc(words: list[str]) -> str:
        return quote(" ".join(words), safe="").replace("-", "%2D")

    directive = enc(tokens) if len(tokens) <= 8 else f"{enc(tokens[:4])},{enc(tokens[-4:])}"
    return f"{base.split('#', 1)[0]}#:~:text={directive}"


def url_root(base_url: str) -> str:
    """The base URL ending in '/', or '' when the site has none (links stay relative)."""
    return base_url.rstrip("/") + "/" if base_url else ""


def article_path(article_id: str) -> str:
    """Where an article's page lives in the site."""
    return f"articles/{article_id}.html"


def story_path(story_id: str) -> str:
    """Where a story's page lives in the site."""
    return f"stories/{story_id}.html"


def outlet_name(article: Article) -> str:
    """The outlet to show for an article: its name, else its web site, else "Unnamed outlet"."""
    if article.outlet:
        return article.outlet
    url = safe_url(article.url)
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else "Unnamed outlet"


def long_date(iso: str) -> str:
    """'2023-09-28' as '28 September 2023'."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def date_range(dates: list[str]) -> str:
    """A story's span of publication dates."""
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    return long_date(first) if first == last else f"{long_date(first)} – {long_date(last)}"


@dataclass(frozen=True)
class SourceView:
    """An original source of a story, with the copies other outlets carried."""

    article: Article
    path: str
    outlet: str
    url: str | None
    copies: tuple[SourceView, ...] = ()


@dataclass(frozen=True)
class SentenceView:
    """A summary sentence with the links that prove it."""

    text: str
    article_path: str
    paragraph: int
    outlet: str
    original: str | None
    outlets: int


@dataclass(frozen=True)
class StoryView:
    """What the index and a story page show of one story."""

    story: Story
    path: str
    summary: tuple[SentenceView, ...]
    sources: tuple[SourceView, ...]
    outlets: int
    dates: str
    updated: str | None = None  # ISO date the story was last reported (originals only)
    related: tuple[tuple[str, str], ...] = ()  # (path, title) of the most similar other stories
    timeline: tuple[TimelineEntry, ...] = ()  # every article by date: who reported when
    quotes: tuple[Quote, ...] = ()  # key quotations with their speakers
    only_in: tuple[OnlyIn, ...] = ()  # details that only one outlet reports

    @property
    def lede(self) -> tuple[SentenceView, ...]:
        """The first two summary sentences."""
        return self.summary[:2]

    @property
    def coverage(self) -> str:
        """Who covered the story, in words: "3 reports, carried by 4 outlets"."""
        reports = len(self.sources)
        copies = sum(len(s.copies) for s in self.sources)
        said = f"{reports} report{'s' if reports != 1 else ''}"
        outlets = f"{self.outlets} outlet{'s' if self.outlets != 1 else ''}"
        return f"{said}, carried by {outlets}" if copies else f"{said} from {outlets}"

    @property
    def source_of(self) -> dict[str, SourceView]:
        """The page and outlet of each article of the story (copies too), by id."""
        return {v.article.id: v for s in self.sources for v in (s, *s.copies)}


def outlet_count(articles: list[Article]) -> int:
    """Distinct outlets among articles (an unnamed outlet counts once per input file)."""
    return len({a.outlet_key for a in articles})


def story_view(
    story: Story, summary: Summary, briefing: Briefing, extras: StoryExtras | None = None
) -> StoryView:
    """Gather what a story page shows (its extras worked out here if not given)."""
    articles = [briefing.article(i) for i in story.article_ids]
    copies = story.copies
    if extras is None:
        extras = story_extras(articles, copies, summary)

    def source(article: Article, extra: tuple[SourceView, ...] = ()) -> SourceView:
        return SourceView(
            article, article_path(article.id), outlet_name(article), safe_url(article.url), extra
        )

    sources = tuple(
        source(a, tuple(source(c) for c in articles if copies.get(c.id) == a.id))
        for a in sorted(articles, key=lambda a: (a.published or "9999", a.id))
        if a.id not in copies
    )
    sentences = tuple(
        SentenceView(
            s.text,
            article_path(s.article_id),
            s.paragraph,
            outlet_name(briefing.article(s.article_id)),
            fragment_link(briefing.article(s.article_id).url, s.text),
            s.outlets,
        )
        for s in summary.sentences
    )
    # A copy republished months later (spam sites do) says nothing of when the story happened.
    dates = [a.published for a in articles if a.published and a.id not in copies]
    related = tuple(
        (story_path(other), briefing.stories_by_id[other].title)
        for other in story.related
        if other in briefing.stories_by_id
    )
    return StoryView(
        story,
        story_path(story.id),
        sentences,
        sources,
        outlet_count(articles),
        date_range(dates),
        max(dates, default=None),
        related,
        extras.timeline,
        extras.quotes,
        extras.only_in,
    )
