"""Feeds, sitemap and page metadata: atom.xml, feed.json, sitemap.xml and the <head> tags."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from conftest import make_article

from digest.build import render
from digest.config import load_config
from digest.errors import ConfigError
from digest.models import Briefing, Story, Summary, SummarySentence
from digest.syndication import story_uid, xml_text

A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOSTILE = "<script>alert(1)</script> & ]]> \x01 done"
CLEAN_HOSTILE = "<script>alert(1)</script> & ]]>  done"
LONG = "The council met on Tuesday to discuss the budget for the coming year. " * 5


def briefing(edition: str | None = "2024-05-03") -> Briefing:
    """Two stories, ranked ferry first; the ferry story's title and text are hostile."""
    f1 = make_article(
        "f1",
        f"{HOSTILE} The ferry sank near the harbour.",
        outlet="Gazette",
        published="2024-05-01",
    )
    f2 = make_article(
        "f2",
        "Rescuers reached the ferry within an hour of the alarm.",
        outlet="Courier",
        published="2024-05-02",
    )
    c1 = make_article("c1", LONG.strip(), "Second paragraph.")
    ferry = Story("ferry-1", f"Ferry {HOSTILE}", ("f1", "f2"))
    council = Story("council-2", "Council budget", ("c1",))
    summaries = (
        Summary(
            "ferry-1",
            (
                SummarySentence(f1.paragraphs[0], "f1", 0, 0),
                SummarySentence(f2.paragraphs[0], "f2", 0, 0),
                SummarySentence("A third sentence left out of the lede here.", "f2", 0, 1),
            ),
        ),
        Summary("council-2", ()),
    )
    return Briefing("Brief", (c1, f1, f2), (ferry, council), summaries, edition=edition)


def site(tmp_path, base_url: str = "", b: Briefing | None = None, **settings) -> dict[str, bytes]:
    config = load_config(
        cwd=tmp_path, overrides={"title": "Brief", "base_url": base_url, **settings}
    )
    return {p.path: p.content for p in render(b or briefing(), config)}


def atom_entries(pages: dict[str, bytes]) -> tuple[ET.Element, list[ET.Element]]:
    feed = ET.fromstring(pages["atom.xml"])
    return feed, feed.findall(f"{A}entry")


def test_xml_text_strips_what_xml_forbids():
    assert xml_text("a\x00b\x01c\x0bd\x1fe\ud800f\ufffeg\tx\ny\rz😀") == "abcdefg\tx\ny\rz😀"


def test_atom_feed_without_base_url(tmp_path):
    pages = site(tmp_path)
    feed, entries = atom_entries(pages)
    assert feed.findtext(f"{A}title") == "Brief"
    assert feed.findtext(f"{A}updated") == "2024-05-03T00:00:00Z"
    assert feed.find(f"{A}link[@rel='self']").get("href") == "atom.xml"
    assert [e.findtext(f"{A}title") for e in entries] == [
        f"Ferry {CLEAN_HOSTILE}",
        "Council budget",
    ]
    ferry, council = entries
    assert ferry.find(f"{A}link").get("href") == "stories/ferry-1.html"
    assert ferry.findtext(f"{A}id") == story_uid("ferry-1") != story_uid("council-2")
    assert ferry.findtext(f"{A}id").startswith("urn:uuid:")
    assert ferry.findtext(f"{A}published") == "2024-05-01T00:00:00Z"
    assert ferry.findtext(f"{A}updated") == "2024-05-02T00:00:00Z"
    assert [a.findtext(f"{A}name") for a in ferry.findall(f"{A}author")] == ["Gazette", "Courier"]
    summary = ferry.find(f"{A}summary")
    assert summary.get("type") == "text"
    assert summary.text == (
        f"{CLEAN_HOSTILE} The ferry sank near the harbour. "
        "Rescuers reached the ferry within an hour of the alarm. "
        "A third sentence left out of the lede here."
    )
    # No dated article: the story falls back to the edition; no named outlet, no entry author.
    assert council.findtext(f"{A}updated") == "2024-05-03T00:00:00Z"
    assert council.findall(f"{A}author") == []
    assert "sitemap.xml" not in pages


def test_hostile_text_stays_text(tmp_path):
    pages = site(tmp_path)
    for name in ("atom.xml", "stories/ferry-1.html", "articles/f1.html"):
        assert b"<script>" not in pages[name], name
    assert b"\x01" not in pages["atom.xml"] and b"\x01" not in pages["feed.json"]
    assert b"]]>" not in pages["atom.xml"]  # '>' is escaped, so no CDATA end can appear
    items = json.loads(pages["feed.json"])["items"]
    assert items[0]["title"] == f"Ferry {CLEAN_HOSTILE}"
    assert items[0]["content_text"].startswith(CLEAN_HOSTILE)
    meta = head_meta(pages["stories/ferry-1.html"])
    assert meta["og:title"] == f"Ferry {HOSTILE}"  # HTML carries it escaped, not as markup


def test_json_feed(tmp_path):
    data = json.loads(site(tmp_path)["feed.json"])
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "Brief"
    assert data["home_page_url"] == "index.html"
    assert data["feed_url"] == "feed.json"
    ferry, council = data["items"]
    assert ferry["id"] == story_uid("ferry-1")
    assert ferry["url"] == "stories/ferry-1.html"
    assert ferry["date_published"] == "2024-05-01T00:00:00Z"
    assert ferry["date_modified"] == "2024-05-02T00:00:00Z"
    assert ferry["authors"] == [{"name": "Gazette"}, {"name": "Courier"}]
    assert council == {
        "id": story_uid("council-2"),
        "url": "stories/council-2.html",
        "title": "Council budget",
        "content_text": "",
        "date_published": "2024-05-03T00:00:00Z",
        "date_modified": "2024-05-03T00:00:00Z",
    }


def test_undated_briefing_still_gives_valid_feeds(tmp_path):
    undated = briefing(edition=None)
    undated = Briefing(
        "Brief",
        tuple(make_article(a.id, *a.paragraphs, outlet=a.outlet) for a in undated.articles),
        undated.stories,
        undated.summaries,
    )
    pages = site(tmp_path, b=undated)
    feed, entries = atom_entries(pages)
    assert feed.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"
    assert [e.findtext(f"{A}updated") for e in entries] == ["1970-01-01T00:00:00Z"] * 2
    assert entries[0].find(f"{A}published") is None
    assert "date_published" not in json.loads(pages["feed.json"])["items"][0]


def test_base_url_makes_links_absolute_and_adds_sitemap(tmp_path):
    pages = site(tmp_path, "https://ex.org/brief")  # no trailing slash: one is added
    feed, entries = atom_entries(pages)
    assert feed.find(f"{A}link[@rel='self']").get("href") == "https://ex.org/brief/atom.xml"
    assert feed.findtext(f"{A}id") == "https://ex.org/brief/"
    assert entries[0].find(f"{A}link").get("href") == "https://ex.org/brief/stories/ferry-1.html"
    data = json.loads(pages["feed.json"])
    assert data["home_page_url"] == "https://ex.org/brief/index.html"
    assert data["feed_url"] == "https://ex.org/brief/feed.json"
    assert data["items"][1]["url"] == "https://ex.org/brief/stories/council-2.html"
    # The sitemap lists exactly the HTML pages the build writes, but for the search page:
    # it has no content of its own, and search engines are asked not to index search pages.
    urls = ET.fromstring(pages["sitemap.xml"]).findall(f"{SM}url")
    locs = [u.findtext(f"{SM}loc") for u in urls]
    html = sorted(p for p in pages if p.endswith(".html") and p != "search.html")
    assert sorted(locs) == [f"https://ex.org/brief/{p}" for p in html]
    lastmod = {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urls}
    assert lastmod["https://ex.org/brief/index.html"] == "2024-05-03"
    assert lastmod["https://ex.org/brief/stories/ferry-1.html"] == "2024-05-02"
    assert lastmod["https://ex.org/brief/articles/f1.html"] == "2024-05-01"
    assert lastmod["https://ex.org/brief/articles/c1.html"] is None
    assert site(tmp_path, "https://ex.org/brief/")["sitemap.xml"] == pages["sitemap.xml"]


def test_feeds_carry_the_top_feed_stories_and_the_sitemap_every_page(tmp_path):
    pages = site(tmp_path, "https://ex.org/", feed_stories=1)
    _, entries = atom_entries(pages)
    assert [e.find(f"{A}link").get("href") for e in entries] == [
        "https://ex.org/stories/ferry-1.html"  # the top story; the council story is left out
    ]
    assert [i["id"] for i in json.loads(pages["feed.json"])["items"]] == [story_uid("ferry-1")]
    locs = [u.findtext(f"{SM}loc") for u in ET.fromstring(pages["sitemap.xml"])]
    assert "https://ex.org/stories/council-2.html" in locs
    every = site(tmp_path, "https://ex.org/", feed_stories=0)
    assert len(json.loads(every["feed.json"])["items"]) == 2


def test_feed_stories_must_not_be_negative(tmp_path):
    with pytest.raises(ConfigError, match="feed_stories must be 0"):
        load_config(cwd=tmp_path, overrides={"feed_stories": -1})


def test_feedparser_reads_the_atom_feed(tmp_path):
    parsed = feedparser.parse(site(tmp_path, "https://ex.org/")["atom.xml"])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == 2
    assert parsed.entries[0].title == f"Ferry {CLEAN_HOSTILE}"
    assert parsed.entries[0].link == "https://ex.org/stories/ferry-1.html"
    assert parsed.entries[1].id == story_uid("council-2")


class Head(HTMLParser):
    """The <link> and <meta> tags of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("property") or attrs.get("name")):
            self.meta[attrs.get("property") or attrs["name"]] = attrs["content"]
        if tag == "link" and attrs.get("rel") in ("canonical", "alternate"):
            self.meta[f"{attrs['rel']} {attrs.get('type', '')}".strip()] = attrs["href"]


def head_meta(page: bytes) -> dict[str, str]:
    parser = Head()
    parser.feed(page.decode("utf-8"))
    return parser.meta


def test_meta_tags_of_a_story_page(tmp_path):
    meta = head_meta(site(tmp_path, "https://ex.org/brief/")["stories/ferry-1.html"])
    lede = f"{HOSTILE} The ferry sank near the harbour. Rescuers reached the ferry within an hour of the alarm."
    assert meta["canonical"] == "https://ex.org/brief/stories/ferry-1.html"
    assert meta["og:url"] == "https://ex.org/brief/stories/ferry-1.html"
    assert meta["og:type"] == "article"
    assert meta["og:site_name"] == "Brief"
    assert meta["og:description"] == meta["twitter:description"] == meta["description"] == lede
    assert meta["twitter:card"] == "summary"
    assert meta["twitter:title"] == meta["og:title"] == f"Ferry {HOSTILE}"
    assert meta["alternate application/atom+xml"] == "../atom.xml"
    assert meta["alternate application/feed+json"] == "../feed.json"


def test_meta_tags_of_source_and_index_pages_without_base_url(tmp_path):
    pages = site(tmp_path, description="The **week** in brief.")
    source = head_meta(pages["articles/c1.html"])
    assert "canonical" not in source and "og:url" not in source
    assert source["og:title"] == "Title of c1"
    # The first paragraph, cut at a word before 200 characters.
    assert source["og:description"].endswith("…")
    assert LONG.startswith(source["og:description"][:-1])
    assert 150 < len(source["og:description"]) <= 201
    index = head_meta(pages["index.html"])
    assert index["og:type"] == "website"
    assert index["og:title"] == "Brief"
    assert index["og:description"] == "The week in brief."  # the Markdown as plain text
    assert index["alternate application/atom+xml"] == "atom.xml"
    # A story with no summary falls back to the site's description.
    assert head_meta(pages["stories/council-2.html"])["description"] == "The week in brief."


def test_a_page_can_override_the_csp(tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "index.html").write_text(
        "{% extends 'base.html' %}{% block csp %}default-src 'none'; script-src 'self'"
        "{% endblock %}{% block main %}x{% endblock %}"
    )
    pages = site(tmp_path, templates=str(tpl))
    assert (
        b"""<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'">"""
        in pages["index.html"]
    )
    assert b"style-src 'self'; img-src 'self' data:;" in pages["stories/ferry-1.html"]
