"""Render the briefing into site pages held in memory (HTML, CSS); nothing touches the disk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from urllib.parse import quote, urlsplit

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .archive import archive_pages, front_page
from .config import Config
from .engine import Engine, Serial
from .insights import OnlyIn, StoryExtras, TimelineEntry, extras_by_story, story_extras
from .markup import markdown_filter
from .models import Article, Briefing, Page, Story, Summary
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


def environment(config: Config) -> Environment:
    """Jinja2 with autoescaping and StrictUndefined; the user's templates come first."""
    bundled = str(resources.files("digest.templates"))
    loaders = [FileSystemLoader(str(config.templates))] if config.templates else []
    env = Environment(
        loader=ChoiceLoader([*loaders, FileSystemLoader(bundled)]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["markdown"] = markdown_filter()
    env.filters["longdate"] = long_date
    return env


def static_files(config: Config) -> list[Page]:
    """The bundled static files, each replaced by the user's file of the same name if any."""
    files = {}
    bundled = resources.files("digest.templates").joinpath("static")
    for entry in bundled.iterdir():
        if entry.is_file() and not entry.name.endswith((".py", ".pyc")):
            files[entry.name] = entry.read_bytes()
    if config.templates and (config.templates / "static").is_dir():
        for path in sorted((config.templates / "static").iterdir()):
            if path.is_file():
                files[path.name] = path.read_bytes()
    return [Page(f"static/{name}", content) for name, content in sorted(files.items())]


def render_site(briefing: Briefing, config: Config, engine: Engine | None = None) -> list[Page]:
    """Every HTML page and static file of the site; story and article pages are rendered on
    the engine's workers."""
    env = environment(config)
    site = {
        "title": config.title,
        "description": config.description,
        "edition": briefing.edition,
        "article_count": len(briefing.articles),
        "search": config.search,  # whether search.html and pagefind/ are built
        # Ends in '/' so templates can append a page path; '' keeps links relative.
        "base_url": url_root(config.base_url),
    }
    summaries = {s.story_id: s for s in briefing.summaries}
    extras = extras_by_story(briefing)
    views = [story_view(s, summaries[s.id], briefing, extras[s.id]) for s in briefing.stories]
    top, more = front_page(views, briefing.edition)
    days = archive_pages(views, lambda name, **ctx: _render(env, name, site=site, **ctx))
    index = _render(
        env,
        "index.html",
        site=site,
        root="",
        stories=top,
        more=more,
        archive=bool(days),
        page_path="index.html",
    )
    pages = [Page("index.html", index), *(Page(path, html) for path, html in days)]
    if config.search:  # Pagefind's UI; build.py indexes the site once it is on disk
        search = _render(env, "search.html", site=site, root="", page_path="search.html")
        pages.append(Page("search.html", search))
    # One batch per worker: each batch compiles the templates, and pages take similar time.
    rendered = (engine or Serial()).map(render_stories, views, site, config, spread=1)
    pages.extend(page for page, _ in rendered)
    article_pages = {path: page for _, found in rendered for path, page in found}
    pages.extend(article_pages[article_path(a.id)] for a in briefing.articles)
    return pages + static_files(config)


def render_stories(
    views: Sequence[StoryView], site: dict[str, object], config: Config
) -> list[tuple[Page, list[tuple[str, Page]]]]:
    """Each story's page and its articles' pages (the engine's unit of work)."""
    env = environment(config)
    rendered = []
    for view in views:
        html = _render(
            env,
            "story.html",
            site=site,
            root="../",
            item=view,
            page_path=view.path,
            page_title=view.story.title,
            page_description=" ".join(s.text for s in view.lede),
        )
        members = {v.article.id: v.article for v in view.source_of.values()}
        articles = []
        for article in members.values():
            original = view.story.copies.get(article.id)
            copy_of = None
            if original:
                copy_of = {"path": article_path(original), "title": members[original].title}
            page = _render(
                env,
                "article.html",
                site=site,
                root="../",
                article=article,
                outlet=outlet_name(article),
                url=safe_url(article.url),
                copy_of=copy_of,
                story_path=view.path,
                story_title=view.story.title,
                page_path=article_path(article.id),
                page_title=article.title,
                page_description=next(iter(article.paragraphs), ""),
            )
            path = article_path(article.id)
            articles.append((path, Page(path, page)))
        rendered.append((Page(view.path, html), articles))
    return rendered


def _render(env: Environment, name: str, **context: object) -> bytes:
    return env.get_template(name).render(**context).encode("utf-8")
