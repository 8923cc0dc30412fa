"""Render the briefing into site pages held in memory (HTML, CSS); nothing touches the disk.

The front pages come at once; story and article pages come a batch at a time, so a build of
100,000 articles need not hold every page before writing it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import chain

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .archive import archive_pages, editions, front_pages
from .config import Config
from .engine import BatchFunction, Engine, Serial
from .insights import extras_by_story
from .markup import markdown_filter
from .models import Briefing, Page
from .search import bundles
from .text import safe_url
from .views import StoryView, article_path, long_date, outlet_name, story_view, url_root

# Stories rendered in one batch: enough to keep a worker busy, few enough that a batch's
# pages are a few megabytes.
STORIES_PER_BATCH = 200


@lru_cache(maxsize=4)
def environment(config: Config) -> Environment:
    """Jinja2 with autoescaping and StrictUndefined; the user's templates come first. One per
    config and process: each compiles the templates again."""
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


@dataclass(frozen=True)
class Rendering:
    """A briefing's site ready to render: what every page shares, and each story's view."""

    config: Config
    site: dict[str, object]
    views: tuple[StoryView, ...]
    edition: str | None

    @classmethod
    def of(cls, briefing: Briefing, config: Config, search_bundles: int = 1) -> Rendering:
        """Gather what the pages show of the briefing; its search index is to be split into
        search_bundles bundles (search.bundles)."""
        site: dict[str, object] = {
            "title": config.title,
            "description": config.description,
            "edition": briefing.edition,
            "article_count": len(briefing.articles),
            "search": config.search,  # whether search.html and pagefind/ are built
            # The other bundles of the search index, which the search page merges into pagefind/.
            "search_merge": [f"{folder}/" for folder in bundles(search_bundles)[1:]],
            # Ends in '/' so templates can append a page path; '' keeps links relative.
            "base_url": url_root(config.base_url),
        }
        summaries = {s.story_id: s for s in briefing.summaries}
        extras = extras_by_story(briefing)
        views = tuple(
            story_view(s, summaries[s.id], briefing, extras[s.id]) for s in briefing.stories
        )
        return cls(config, site, views, briefing.edition)

    def front(self) -> list[Page]:
        """The front page, the archive, the search page and the static files."""
        env = environment(self.config)
        site = self.site

        def render(name: str, **context: object) -> bytes:
            return _render(env, name, site=site, **context)

        fronts = front_pages(list(self.views), self.edition, self.config.front_stories)
        days = archive_pages(list(self.views), render)
        pages = [
            Page(
                front.path,
                render(
                    "index.html",
                    root="",
                    stories=front.top,
                    more=front.more,
                    archive=bool(days),
                    page_path=front.path,
                    page_title="" if front.number == 1 else f"More stories, page {front.number}",
                    page=front.number,
                    pages=[f.path for f in fronts],
                ),
            )
            for front in fronts
        ]
        pages += [Page(path, html) for path, html in days]
        if self.config.search:  # Pagefind's UI; build.py indexes the site once it is on disk
            search = render("search.html", root="", page_path="search.html")
            pages.append(Page("search.html", search))
        return pages + static_files(self.config)

    def stories(self, engine: Engine | None = None) -> Iterator[Page]:
        """Each story's page, a batch at a time (rendered on the engine's workers)."""
        return self._pages(story_pages, engine)

    def articles(self, engine: Engine | None = None) -> Iterator[Page]:
        """Each article's page, story by story, a batch of stories at a time."""
        return self._pages(article_pages, engine)

    def _pages(self, batch: BatchFunction[Page], engine: Engine | None) -> Iterator[Page]:
        found = (engine or Serial()).stream(
            batch, self.views, self.site, self.config, size=STORIES_PER_BATCH
        )
        return chain.from_iterable(found)

    def html_paths(self) -> list[str]:
        """Every HTML page of the site, as front, stories and articles render them."""
        views = list(self.views)
        days = editions(views)
        paths = [f.path for f in front_pages(views, self.edition, self.config.front_stories)]
        paths += ["archive/index.html"] if days else []
        paths += [day.path for day in days]
        paths += ["search.html"] if self.config.search else []
        paths += [view.path for view in self.views]
        return paths + [path for view in self.views for path in _article_paths(view)]


def render_site(briefing: Briefing, config: Config, engine: Engine | None = None) -> list[Page]:
    """Every HTML page and static file of the site, in memory."""
    rendering = Rendering.of(briefing, config)
    return [*rendering.front(), *rendering.stories(engine), *rendering.articles(engine)]


def story_pages(views: Sequence[StoryView], site: dict[str, object], config: Config) -> list[Page]:
    """Each story's page (a batch function for the engine)."""
    env = environment(config)
    return [
        Page(
            view.path,
            _render(
                env,
                "story.html",
                site=site,
                root="../",
                item=view,
                page_path=view.path,
                page_title=view.story.title,
                page_description=" ".join(s.text for s in view.lede),
            ),
        )
        for view in views
    ]


def _article_paths(view: StoryView) -> list[str]:
    return [article_path(article_id) for article_id in view.source_of]


def article_pages(
    views: Sequence[StoryView], site: dict[str, object], config: Config
) -> list[Page]:
    """The page of each article of each story (a batch function for the engine)."""
    env = environment(config)
    pages = []
    for view in views:
        members = {v.article.id: v.article for v in view.source_of.values()}
        for article in members.values():
            original = view.story.copies.get(article.id)
            copy_of = None
            if original:
                copy_of = {"path": article_path(original), "title": members[original].title}
            path = article_path(article.id)
            html = _render(
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
                page_path=path,
                page_description=next(iter(article.paragraphs), ""),
                page_title=article.title,
            )
            pages.append(Page(path, html))
    return pages


def _render(env: Environment, name: str, **context: object) -> bytes:
    return env.get_template(name).render(**context).encode("utf-8")
