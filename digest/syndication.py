"""Feeds and sitemap of the briefing (atom.xml, feed.json, sitemap.xml), as pages in memory."""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from .config import Config
from .export import json_bytes
from .models import Briefing, Page, Story, Summary
from .views import article_path, story_path, url_root

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Atom requires an updated date; when no article is dated and SOURCE_DATE_EPOCH is unset, the
# Unix epoch stands in, because the build time would make two builds of one input differ.
UNKNOWN_DATE = "1970-01-01"
# Everything XML 1.0 cannot carry: C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF.
# ElementTree escapes markup characters but writes these as they are, which breaks the file.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text with the characters XML 1.0 forbids removed."""
    return _NOT_XML.sub("", text)


def site_base(config: Config) -> str:
    """The base URL ending in '/', or '' when the site has none (links stay relative)."""
    return url_root(xml_text(config.base_url)) if config.base_url else ""


def site_link(base: str, path: str) -> str:
    """A site path as a link: absolute under base, relative when there is no base."""
    return base + quote(path, safe="/")


def rfc3339(iso_date: str) -> str:
    """An ISO date as an RFC 3339 timestamp at midnight UTC."""
    return f"{iso_date}T00:00:00Z"


def _iso(value: str | None) -> str | None:
    # Dates are ISO already after cleaning; one that is not must not reach a feed as a timestamp.
    try:
        return date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class FeedItem:
    """One story as a feed entry."""

    id: str
    url: str
    title: str
    text: str
    published: str | None  # ISO date of the oldest article, else the edition
    updated: str | None  # ISO date of the newest article, else the edition
    authors: tuple[str, ...]  # outlets the summary quotes


def story_uid(story_id: str) -> str:
    """A stable entry id from the story id, the same wherever the site is published."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'digest:story:' + story_id)}"


def feed_item(story: Story, summary: Summary, briefing: Briefing, base: str) -> FeedItem:
    """What the feeds say of one story."""
    dates = sorted(d for d in (_iso(briefing.article(a).published) for a in story.article_ids) if d)
    edition = _iso(briefing.edition)
    outlets: dict[str, None] = {}  # insertion-ordered set
    for sentence in summary.sentences:
        outlet = briefing.article(sentence.article_id).outlet
        if outlet:
            outlets[xml_text(outlet)] = None
    return FeedItem(
        id=story_uid(story.id),
        url=site_link(base, story_path(story.id)),
        title=xml_text(story.title),
        text=xml_text(" ".join(s.text for s in summary.sentences)),
        published=dates[0] if dates else edition,
        updated=dates[-1] if dates else edition,
        authors=tuple(outlets),
    )


def feed_items(briefing: Briefing, config: Config) -> list[FeedItem]:
    """The stories as feed entries, in the briefing's ranked order."""
    summaries = {s.story_id: s for s in briefing.summaries}
    base = site_base(config)
    return [feed_item(s, summaries[s.id], briefing, base) for s in briefing.stories]


def _feed_updated(briefing: Briefing, items: list[FeedItem]) -> str:
    newest = max((i.updated for i in items if i.updated), default=None)
    return _iso(briefing.edition) or newest or UNKNOWN_DATE


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _xml_page(path: str, root: ET.Element) -> Page:
    ET.indent(root)
    return Page(path, ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")


def atom_page(briefing: Briefing, config: Config, items: list[FeedItem]) -> Page:
    """atom.xml: an Atom 1.0 feed of the stories."""
    base = site_base(config)
    title = xml_text(config.title)
    # The namespace as a plain attribute: ElementTree would otherwise write ns0: prefixes.
    feed = ET.Element("feed", xmlns=ATOM_NS)
    _sub(feed, "title", title)
    _sub(feed, "link", rel="self", type="application/atom+xml", href=site_link(base, "atom.xml"))
    _sub(feed, "link", rel="alternate", type="text/html", href=site_link(base, "index.html"))
    feed_id = base or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'digest:feed:' + title)}"
    _sub(feed, "id", feed_id)
    _sub(feed, "updated", rfc3339(_feed_updated(briefing, items)))
    # A feed-level author makes entries that quote no named outlet valid Atom too.
    _sub(_sub(feed, "author"), "name", title)
    _sub(feed, "generator", "digest")
    for item in items:
        entry = _sub(feed, "entry")
        _sub(entry, "title", item.title, type="text")
        _sub(entry, "link", rel="alternate", type="text/html", href=item.url)
        _sub(entry, "id", item.id)
        if item.published:
            _sub(entry, "published", rfc3339(item.published))
        _sub(entry, "updated", rfc3339(item.updated or UNKNOWN_DATE))
        for outlet in item.authors:
            _sub(_sub(entry, "author"), "name", outlet)
        _sub(entry, "summary", item.text, type="text")
    return _xml_page("atom.xml", feed)


def json_feed_page(briefing: Briefing, config: Config, items: list[FeedItem]) -> Page:
    """feed.json: a JSON Feed 1.1 of the stories."""
    base = site_base(config)
    entries = []
    for item in items:
        entry: dict[str, object] = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "content_text": item.text,
        }
        if item.published:
            entry["date_published"] = rfc3339(item.published)
        if item.updated:
            entry["date_modified"] = rfc3339(item.updated)
        if item.authors:
            entry["authors"] = [{"name": name} for name in item.authors]
        entries.append(entry)
    data = {
        "version": JSON_FEED_VERSION,
        "title": xml_text(config.title),
        "home_page_url": site_link(base, "index.html"),
        "feed_url": site_link(base, "feed.json"),
        "authors": [{"name": xml_text(config.title)}],
        "items": entries,
    }
    return Page("feed.json", json_bytes(data))


def sitemap_page(
    briefing: Briefing, config: Config, items: list[FeedItem], html: Sequence[str]
) -> Page | None:
    """sitemap.xml of the site's HTML pages (but the search page); None without a base_url, as
    sitemaps need absolute URLs."""
    base = site_base(config)
    if not base:
        return None
    modified: dict[str, str | None] = {"index.html": _iso(briefing.edition)}
    modified |= {story_path(s.id): i.updated for s, i in zip(briefing.stories, items, strict=True)}
    modified |= {article_path(a.id): _iso(a.published) for a in briefing.articles}
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for path in html:
        if path == "search.html":  # a search box is not content a search engine should list
            continue
        day = _iso(path.removeprefix("archive/").removesuffix(".html"))
        url = _sub(urlset, "url")
        _sub(url, "loc", site_link(base, path))
        if lastmod := modified.get(path, day):
            _sub(url, "lastmod", lastmod)
    return _xml_page("sitemap.xml", urlset)


def syndication_pages(briefing: Briefing, config: Config, html: Sequence[str]) -> list[Page]:
    """atom.xml, feed.json and (with a base_url) sitemap.xml of the site's HTML pages, given
    by path."""
    items = feed_items(briefing, config)
    sitemap = sitemap_page(briefing, config, items, html)
    # A feed reader wants the top stories, not all: 28,000 stories made a 30 MB atom.xml.
    shown = items[: config.feed_stories] if config.feed_stories else items
    pages = [atom_page(briefing, config, shown), json_feed_page(briefing, config, shown)]
    return pages + ([sitemap] if sitemap else [])
