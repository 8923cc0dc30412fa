"""Feeds (RSS, Atom, JSON Feed): one document per entry."""

from __future__ import annotations

import io
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.sax import SAXParseException

import feedparser

from ..dates import FIRST_YEAR, LAST_YEAR, find_date
from ..models import Document, Problem
from ..text import decode, safe_url
from .paragraphs import html_paragraphs, one_line, text_paragraphs

_XML_DECLARATION = re.compile(rb"(?:\xef\xbb\xbf)?<\?xml")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# feedparser's own name for warnings about a feed that parsed fine (encoding overrides and the
# like); a user can do nothing about them, so they are not reported.
_HARMLESS = feedparser.ThingsNobodyCaresAboutButMe


@dataclass(frozen=True)
class Entry:
    """One feed entry, reduced to what a document needs, whatever the feed format."""

    id: str | None
    title: str | None
    link: str | None
    paragraphs: tuple[str, ...]
    dates: tuple[str | time.struct_time | None, ...]  # published first, then updated
    author: str | None


def _date(values: tuple[str | time.struct_time | None, ...]) -> str | None:
    for value in values:
        if isinstance(value, time.struct_time):
            # feedparser reads "9999" or "0001" as a year too (strftime writes year 1 as "1").
            if FIRST_YEAR <= value.tm_year <= LAST_YEAR:
                return time.strftime("%Y-%m-%d", value)
            continue
        # The date as written, not feedparser's UTC conversion, which can move it a day.
        if value and (found := find_date(value)):
            return found[0]
    return None


def _content(body: Any) -> list[str]:
    """Paragraphs of a feedparser content or summary, parsed as its declared type says."""
    if not body or not body.get("value"):
        return []
    value = str(body["value"])
    kind = body.get("type") or "text/html"
    return html_paragraphs(value) if kind in _HTML_TYPES else text_paragraphs(value)


def _names(people: Any) -> str | None:
    if not isinstance(people, list):
        return None
    names = [n for p in people if isinstance(p, dict) and (n := _string(p.get("name")))]
    return ", ".join(names) or None


class NotAFeed(ValueError):
    """The file holds no RSS, Atom or JSON Feed; the message says why."""


def _xml_entries(data: bytes) -> tuple[str | None, list[Entry], str | None]:
    """Outlet, entries and a warning about the XML, from RSS or Atom bytes."""
    # A stream, never bytes or str: feedparser treats a string as a URL or a file name to open.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (ValueError, TypeError, LookupError, RecursionError) as err:
        # feedparser's lenient parser raises on some markup instead of flagging it as broken
        # (a character reference past U+10FFFF, "&#x110000;", is a ValueError from chr()).
        raise NotAFeed(f"cannot parse the XML ({type(err).__name__})") from err
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.entries:
        if error is not None:
            raise NotAFeed(_reason(error, data))
        if not parsed.get("version"):
            raise NotAFeed("no RSS or Atom channel found")
    entries = []
    for item in parsed.entries:
        # Full content first; the summary stands in when there is none (or it is empty).
        bodies = [*(item.get("content") or []), item.get("summary_detail")]
        paragraphs = next((found for body in bodies if (found := _content(body))), [])
        entries.append(
            Entry(
                id=item.get("id") or None,
                title=_title(item.get("title_detail")),
                link=_link(item, parsed.feed.get("link")),
                paragraphs=tuple(paragraphs),
                dates=(
                    item.get("published"),
                    item.get("published_parsed"),
                    # dict.get: feedparser's own get falls back to published, with a warning.
                    dict.get(item, "updated"),
                    dict.get(item, "updated_parsed"),
                ),
                author=_names(item.get("authors")),
            )
        )
    # The lenient parser reads broken XML, but may lose or garble text, so say it was broken.
    warning = None
    if error is not None and not isinstance(error, _HARMLESS):
        warning = f"malformed feed, read leniently ({_reason(error, data)})"
    return _title(parsed.feed.get("title_detail")), entries, warning


def _reason(error: BaseException, data: bytes) -> str:
    if isinstance(error, SAXParseException):
        # feedparser adds an XML declaration line to a feed without one before parsing it.
        added = 0 if _XML_DECLARATION.match(data) else 1
        return f"{error.getMessage()} at line {max(1, (error.getLineNumber() or 1) - added)}"
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _title(detail: Any) -> str | None:
    if not detail or not detail.get("value"):
        return None
    value = str(detail["value"])
    text = " ".join(html_paragraphs(value)) if detail.get("type") in _HTML_TYPES else value
    return one_line(text) or None


def _json_entries(data: bytes) -> tuple[str | None, list[Entry], str | None]:
    """Outlet, entries and a warning (never: JSON is valid or not), from JSON Feed 1.x bytes."""
    # feedparser 6.0 does not read JSON Feed, so this follows https://jsonfeed.org/version/1.1.
    try:
        feed = json.loads(decode(data))
    except json.JSONDecodeError as err:
        raise NotAFeed(f"not JSON ({err.msg} at line {err.lineno})") from err
    except (RecursionError, ValueError) as err:
        # json's own failures on hostile input (arrays nested deeper than Python's stack, an
        # integer over 4300 digits), which are not JSONDecodeErrors and would end the build.
        raise NotAFeed(f"not JSON a reader can take ({type(err).__name__})") from err
    version = feed.get("version") if isinstance(feed, dict) else None
    if not isinstance(version, str) or not version.startswith("https://jsonfeed.org/version/"):
        raise NotAFeed("JSON without a jsonfeed.org 'version'")
    items = feed.get("items")
    if not isinstance(items, list):
        raise NotAFeed("JSON Feed without an 'items' list")
    entries = []
    for item in items:
        item = item if isinstance(item, dict) else {}
        html = item.get("content_html")
        paragraphs = html_paragraphs(html) if isinstance(html, str) else []
        for fallback in (item.get("content_text"), item.get("summary")):
            if not paragraphs and isinstance(fallback, str):
                paragraphs = text_paragraphs(fallback)
        entries.append(
            Entry(
                id=_string(item.get("id")),
                title=_string(item.get("title")),
                link=_absolute(
                    _string(item.get("url")) or _string(item.get("external_url")),
                    _string(feed.get("home_page_url")),
                ),
                paragraphs=tuple(paragraphs),
                dates=(_string(item.get("date_published")), _string(item.get("date_modified"))),
                # Version 1.1 lists authors, 1.0 has one; an item's own come before the feed's.
                author=_names(item.get("authors"))
                or _names([item.get("author")])
                or _names(feed.get("authors"))
                or _names([feed.get("author")]),
            )
        )
    return _string(feed.get("title")), entries, None


def _string(value: object) -> str | None:
    # JSON Feed allows numeric ids; anything else that is not text is ignored.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    return one_line(str(value)) or None


def _absolute(link: Any, home: Any) -> str | None:
    """The entry link, resolved against the feed's home page when relative."""
    if not isinstance(link, str) or not link.strip():
        return None
    # feedparser resolves against the feed's own URL, which a file does not have.
    if isinstance(home, str) and safe_url(home) and not urlsplit(link).scheme:
        return urljoin(home, link.strip())
    return link.strip()


def _link(item: Any, home: Any) -> str | None:
    """An RSS or Atom entry's link; one feedparser made from a non-URL id is no link at all."""
    link = _absolute(item.get("link"), home)
    if item.get("guidislink") and not safe_url(link):
        return None
    return link


def read_feed(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """A feed file: one document per entry."""
    data = path.read_bytes()
    if not data.strip():
        return [], [Problem(rel, "empty file")]
    # Sniff the content rather than trust the extension: .json may hold RSS, .xml a JSON Feed.
    is_json = data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"["))
    read = _json_entries if is_json else _xml_entries
    try:
        outlet, entries, warning = read(data)
    except NotAFeed as err:
        return [], [Problem(rel, f"not a feed: {err}")]
    problems = [Problem(rel, warning)] if warning else []
    if not entries:
        problems.append(Problem(rel, "feed has no entries"))
    documents = []
    for index, entry in enumerate(entries, start=1):
        where = f"{rel}:{index}"
        if not entry.paragraphs:
            problems.append(Problem(where, "no article text in the entry"))
            continue
        published = _date(entry.dates)
        if published is None and (given := next((d for d in entry.dates if d), None)):
            # Reported, as a date in front matter or a JSON Lines record is, not lost unseen.
            shown = given if isinstance(given, str) else time.strftime("%Y-%m-%d", given)
            problems.append(Problem(where, f"date ignored: no news date in {shown!r}"))
        url = entry.link
        if url and not safe_url(url):
            problems.append(Problem(where, f"link ignored: not an http(s) URL: {url!r}"))
            url = None
        documents.append(
            Document(
                source_file=rel,
                text="\n\n".join(entry.paragraphs),
                kind="text",
                index=index,
                id=entry.id,
                title=entry.title,
                url=url,
                outlet=outlet,
                published=published,
                author=entry.author,
            )
        )
    return documents, problems
