"""Unit tests for digest.readers.feeds: RSS, Atom and JSON Feed entries as documents."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.articles import clean_documents
from digest.models import Document, Problem
from digest.readers.feeds import read_feed
from digest.sources import read_folder

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Harbor Gazette</title>
  <link>https://gazette.example/</link>
  <item>
    <title>Ferry service resumes after storms</title>
    <link>https://gazette.example/ferry</link>
    <guid isPermaLink="false">gazette-ferry-1</guid>
    <pubDate>Mon, 04 Mar 2024 23:30:00 -0500</pubDate>
    <dc:creator>Ann Lee</dc:creator>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>The ferry resumed service on Monday after a week of storms.</p>
      <p>Passengers welcomed the return of the morning boat.</p>]]></content:encoded>
  </item>
  <item>
    <title>Harbor dredging starts</title>
    <link>/dredging</link>
    <description>Dredging of the harbor started on Tuesday.</description>
  </item>
</channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">Coast &lt;em&gt;Courier&lt;/em&gt;</title>
  <id>urn:courier</id>
  <entry>
    <title>Storm closes the harbor</title>
    <id>urn:courier:storm</id>
    <link rel="alternate" href="https://courier.example/storm"/>
    <published>2024-03-01T08:00:00+02:00</published>
    <updated>2024-03-02T09:00:00Z</updated>
    <author><name>Bo Chan</name></author>
    <author><name>Cy Diaz</name></author>
    <content type="html">&lt;h2&gt;Closed&lt;/h2&gt;&lt;p&gt;The harbor closed at noon.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Tide tables</title>
    <id>urn:courier:tides</id>
    <updated>2024-03-03T10:00:00Z</updated>
    <content type="text">High tide &lt; 2 m &amp;amp; falling.</content>
  </entry>
</feed>
"""

JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Bay News",
    "home_page_url": "https://bay.example/",
    "authors": [{"name": "Bay Desk"}],
    "items": [
        {
            "id": "bay-1",
            "url": "/news/bridge",
            "title": "Bridge reopens",
            "content_html": "<p>The bridge reopened on Friday.</p><p>Traffic was light.</p>",
            "date_published": "2024-03-08T18:00:00-08:00",
        },
        {
            "id": 2,
            "title": "Council meets",
            "content_text": "The council met on Monday.\n\nIt approved the budget.",
            "author": {"name": "Old Style"},
        },
    ],
}


def _write(tmp_path: Path, name: str, content: bytes | str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def _read(tmp_path: Path, name: str, content: bytes | str) -> tuple[list[Document], list[str]]:
    documents, problems = read_feed(_write(tmp_path, name, content), name)
    return documents, [str(p) for p in problems]


def test_rss_items_become_documents(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, "gazette.rss", RSS)
    assert problems == []
    assert [d.index for d in documents] == [1, 2]
    first, second = documents
    assert first.kind == "text"
    assert first.source_file == "gazette.rss"
    assert first.id == "gazette-ferry-1"
    assert first.title == "Ferry service resumes after storms"
    assert first.url == "https://gazette.example/ferry"
    assert first.outlet == "Harbor Gazette"
    # The date as the outlet wrote it; in UTC it is already the 5th.
    assert first.published == "2024-03-04"
    assert first.author == "Ann Lee"
    # Full content wins over the teaser in <description>.
    assert first.text == (
        "The ferry resumed service on Monday after a week of storms.\n\n"
        "Passengers welcomed the return of the morning boat."
    )
    assert second.id is None
    assert second.title == "Harbor dredging starts"
    # A relative link is resolved against the channel's home page.
    assert second.url == "https://gazette.example/dredging"
    assert second.text == "Dredging of the harbor started on Tuesday."


def test_missing_date_is_none_and_not_a_problem(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, "gazette.xml", RSS)
    assert documents[1].published is None
    assert problems == []


def test_atom_entries(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, "courier.atom", ATOM)
    assert problems == []
    storm, tides = documents
    assert storm.outlet == "Coast Courier"
    assert storm.id == "urn:courier:storm"
    assert storm.url == "https://courier.example/storm"
    assert storm.published == "2024-03-01"  # published, not updated
    assert storm.author == "Bo Chan, Cy Diaz"
    assert storm.text == "Closed\n\nThe harbor closed at noon."
    # Only updated: that is the date. Plain-text content is not parsed as HTML.
    assert tides.published == "2024-03-03"
    assert tides.text == "High tide < 2 m &amp; falling."
    assert tides.url is None


def test_json_feed(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, "bay.json", json.dumps(JSON_FEED))
    assert problems == []
    bridge, council = documents
    assert bridge.outlet == "Bay News"
    assert bridge.id == "bay-1"
    assert bridge.title == "Bridge reopens"
    assert bridge.url == "https://bay.example/news/bridge"
    assert bridge.published == "2024-03-08"
    assert bridge.author == "Bay Desk"  # the feed's authors stand in for the item's
    assert bridge.text == "The bridge reopened on Friday.\n\nTraffic was light."
    assert council.id == "2"
    assert council.published is None
    assert council.author == "Old Style"  # JSON Feed 1.0's single author
    assert council.text == "The council met on Monday.\n\nIt approved the budget."


def test_entry_without_text_is_reported_and_skipped(tmp_path: Path) -> None:
    rss = RSS.replace(
        b"<description>Dredging of the harbor started on Tuesday.</description>",
        b"<description>   </description>",
    )
    documents, problems = _read(tmp_path, "gazette.rss", rss)
    assert [d.index for d in documents] == [1]
    assert problems == ["gazette.rss:2: no article text in the entry"]


def test_non_http_link_is_dropped(tmp_path: Path) -> None:
    rss = RSS.replace(b"https://gazette.example/ferry", b"javascript:alert(1)")
    documents, problems = _read(tmp_path, "gazette.rss", rss)
    assert documents[0].url is None
    assert problems == ["gazette.rss:1: link ignored: not an http(s) URL: 'javascript:alert(1)'"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("page.xml", "<html><body><p>Hello</p></body></html>", "no RSS or Atom channel found"),
        ("sitemap.xml", "<?xml version='1.0'?><urlset><url><loc>x</loc></url></urlset>", "no RSS"),
        ("junk.xml", "this is not xml at all", "syntax error at line 1"),
        ("data.json", '{"name": "not a feed"}', "JSON without a jsonfeed.org 'version'"),
        ("list.json", "[1, 2]", "JSON without a jsonfeed.org 'version'"),
        ("broken.json", '{"version": ', "not JSON"),
        ("noitems.json", '{"version": "https://jsonfeed.org/version/1"}', "without an 'items'"),
    ],
)
def test_not_a_feed_is_a_problem(tmp_path: Path, name: str, content: str, reason: str) -> None:
    documents, problems = _read(tmp_path, name, content)
    assert documents == []
    assert len(problems) == 1
    assert problems[0].startswith(f"{name}: not a feed: ")
    assert reason in problems[0]


def test_empty_file_and_empty_feed(tmp_path: Path) -> None:
    assert _read(tmp_path, "empty.xml", b"  \n") == ([], ["empty.xml: empty file"])
    empty = "<rss version='2.0'><channel><title>Quiet</title></channel></rss>"
    assert _read(tmp_path, "quiet.rss", empty) == ([], ["quiet.rss: feed has no entries"])


def test_malformed_xml_entries_are_read_with_a_warning(tmp_path: Path) -> None:
    broken = (
        "<rss version='2.0'><channel><title>Gazette</title>"
        "<item><title>Ferry resumes</title><description>The ferry is back.</description></item>"
        "<item><title>Unclosed</title><description>Text</item>"
        "</channel></rss>"
    )
    documents, problems = _read(tmp_path, "broken.xml", broken)
    assert documents[0].title == "Ferry resumes"
    assert documents[0].text == "The ferry is back."
    assert problems[0] == "broken.xml: malformed feed, read leniently (mismatched tag at line 1)"


def test_content_is_data_never_a_url_or_file_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("feedparser tried to fetch a URL")

    monkeypatch.setattr(feedparser.api.http, "get", no_network)
    feed = _write(tmp_path, "real.rss", RSS)
    documents, problems = _read(tmp_path, "pointer.xml", str(feed))
    assert documents == []
    assert problems[0].startswith("pointer.xml: not a feed")
    documents, problems = _read(tmp_path, "url.xml", "https://gazette.example/feed.xml")
    assert documents == []
    assert problems[0].startswith("url.xml: not a feed")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.text(alphabet="<>/&;\"'= {}[]:,rsitemchanlxp\n", max_size=200).map(str.encode),
    )
)
def test_any_bytes_give_documents_or_problems_never_an_exception(
    tmp_path: Path, data: bytes
) -> None:
    documents, problems = read_feed(_write(tmp_path, "any.xml", data), "any.xml")
    for doc in documents:
        assert all(block.strip() for block in doc.text.split("\n\n"))
    assert all(isinstance(p, Problem) for p in problems)


def test_end_to_end_feeds_and_markdown_become_articles(tmp_path: Path) -> None:
    _write(tmp_path, "gazette.rss", RSS)
    _write(tmp_path, "bay.json", json.dumps(JSON_FEED))
    _write(
        tmp_path,
        "notes/harbor.md",
        "---\ntitle: Harbor reopens\ndate: 2024-03-09\nurl: https://notes.example/harbor\n"
        "authors: [Dee Fox]\noutlet: Harbor Notes\n---\n"
        "The harbor reopened on Saturday morning.\n\n- Ferries run hourly.\n",
    )
    _write(tmp_path, "sitemap.xml", "<urlset><url><loc>x</loc></url></urlset>")

    documents, read_problems = read_folder(tmp_path)
    articles, clean_problems = clean_documents(documents)

    assert [str(p) for p in read_problems] == [
        "sitemap.xml: not a feed: no RSS or Atom channel found"
    ]
    assert clean_problems == []
    by_title = {a.title: a for a in articles}
    assert sorted(by_title) == [
        "Bridge reopens",
        "Council meets",
        "Ferry service resumes after storms",
        "Harbor dredging starts",
        "Harbor reopens",
    ]
    ferry = by_title["Ferry service resumes after storms"]
    assert ferry.paragraphs == (
        "The ferry resumed service on Monday after a week of storms.",
        "Passengers welcomed the return of the morning boat.",
    )
    assert (ferry.published, ferry.url, ferry.author, ferry.outlet) == (
        "2024-03-04",
        "https://gazette.example/ferry",
        "Ann Lee",
        "Harbor Gazette",
    )
    assert ferry.id == "gazette-ferry-1"
    # Without a guid the id is the file's stem plus the entry number.
    assert by_title["Harbor dredging starts"].id == "gazette-2"
    bridge = by_title["Bridge reopens"]
    assert (bridge.published, bridge.url, bridge.author) == (
        "2024-03-08",
        "https://bay.example/news/bridge",
        "Bay Desk",
    )
    harbor = by_title["Harbor reopens"]
    assert harbor.paragraphs == ("The harbor reopened on Saturday morning.", "Ferries run hourly.")
    assert harbor.markdown == ("The harbor reopened on Saturday morning.", "- Ferries run hourly.")
    assert (harbor.published, harbor.url, harbor.author, harbor.outlet) == (
        "2024-03-09",
        "https://notes.example/harbor",
        "Dee Fox",
        "Harbor Notes",
    )
    assert harbor.source_file == "notes/harbor.md"
