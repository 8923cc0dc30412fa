"""Hostile text in every field of every input format never becomes markup, script or a link.

One site is built from articles (plain text, HTML, Markdown with front matter, JSON Lines,
RSS, Atom, JSON Feed) whose titles, outlets, urls, authors, bodies and front matter carry
script tags, event handlers, javascript: and data: URLs, template syntax and overlong lines.
Every page is then parsed (not searched as text) and checked: the only scripts are the search
page's own, no attribute is an event handler, every link is relative, http(s) or an anchor,
template syntax stays literal; the feeds, sitemap and JSON export are held to the same rules,
and ids made from hostile names never put a file outside the site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from digest.cli import main

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS_URL = "javascript:alert(1)"
DATA_URL = "data:text/html,<script>alert(1)</script>"
TEMPLATE = "{{ 7*7 }}"
RAW = "{% raw %}"
TEXTAREA = "</textarea>"
SVG = '"><svg onload=alert(1)>'
PAYLOAD = f"{SCRIPT} {IMG} {JS_URL} {DATA_URL} {TEMPLATE} {RAW} {TEXTAREA} {SVG}"
LONG = "Q" * 100_000  # one overlong "word"
BASE = "https://example.org/briefing/"


def prose(topic: str, payload: str = PAYLOAD) -> list[str]:
    """Four paragraphs of news prose about topic, each carrying the payload."""
    return [
        f"The {topic} council in Quillon met on Monday to discuss a message that read "
        f"{payload} and arrived in the town's inbox last week, officials said.",
        f"Members of the {topic} council said the message had been sent to every department "
        f"and that no one had opened the attachment {payload} before it was reported.",
        f"The {topic} office will review its email security rules next month, a spokesperson "
        "for the council told reporters after the meeting in the town hall.",
        f"Residents of Quillon can report suspicious messages about the {topic} to the town's "
        f"help desk by telephone or in person, the council added {payload} in a statement.",
    ]


def html_page(topic: str) -> str:
    paragraphs = "".join(
        f'<p>{p.replace("<", "&lt;").replace(">", "&gt;")} <a href="{JS_URL}">more</a> '
        f'<a href="{DATA_URL}">data</a> {IMG} {SCRIPT}</p>'
        for p in prose(topic)
    )
    return (
        "<html><head>"
        f"<title>&lt;script&gt;alert(1)&lt;/script&gt; {topic} council email {TEMPLATE}</title>"
        f'<meta property="og:site_name" content="&lt;script&gt;alert(1)&lt;/script&gt; Times">'
        f'<meta name="author" content="{SVG.replace(chr(34), "&quot;")} Ann">'
        f'<link rel="canonical" href="{JS_URL}">'
        f'<meta property="og:url" content="{DATA_URL}">'
        "<script>alert('head')</script></head><body>"
        f"<article><h1>{topic} council email</h1>{paragraphs}<p>{LONG}</p>"
        f"<textarea>{TEXTAREA}</textarea></article></body></html>"
    )


def markdown_note(topic: str, url: str) -> str:
    body = prose(topic)
    links = (
        f"See [click]({JS_URL}), [data]({DATA_URL}), [png](data:image/png;base64,iVBORw0KGgo=), "
        "![pixel](data:image/png;base64,iVBORw0KGgo=), <javascript:alert(1)>, "
        "[rel](../../etc/passwd), [proto](//evil.example/x), [mail](mailto:a@b.example), "
        "[vb](vbscript:msgbox), [ref][r] and [ok](https://ok.example/a) about the council."
    )
    return (
        "---\n"
        f"title: '{SCRIPT} {TEMPLATE} {topic}'\n"
        f"outlet: '{IMG}'\n"
        f"url: '{url}'\n"
        f"author: '{TEXTAREA}{SCRIPT}'\n"
        "published: 2024-03-04\n"
        f"summary: '{SCRIPT}'\n"
        "---\n\n"
        + "\n\n".join(body)
        + f"\n\n{links}\n\n<script>alert(1)</script>\n\n<div onclick=alert(1)>raw html block</div>"
        + f"\n\n{RAW} {TEMPLATE} {{% endraw %}}\n\n{LONG}\n\n[r]: {JS_URL}\n"
    )


def build_corpus(folder: Path) -> None:
    folder.mkdir()
    page = "\n".join(
        [
            f"{SCRIPT} Harbor Gazette",
            f"Home | News | {JS_URL}",
            "",
            f"Quillon council finds strange email {TEMPLATE} {IMG}",
            "",
            f"By {SCRIPT} Staff",
            "",
            *prose("harbor"),
            LONG,
        ]
    )
    (folder / "page.txt").write_text(page, encoding="utf-8")
    (folder / "page2.txt").write_text("\n\n".join(prose("ferry")), encoding="utf-8")
    (folder / "sources.toml").write_text(
        f'["page.txt"]\nurl = "{JS_URL}"\noutlet = "{SCRIPT} Times"\n'
        f'["page2.txt"]\nurl = "{DATA_URL}"\noutlet = "{{{{ 7*7 }}}}"\n',
        encoding="utf-8",
    )
    (folder / "page.html").write_text(html_page("bridge"), encoding="utf-8")
    (folder / "note.md").write_text(markdown_note("library", JS_URL), encoding="utf-8")
    (folder / "note2.md").write_text(markdown_note("market", DATA_URL), encoding="utf-8")
    # A URL that is http(s) but carries quotes and markup: kept, percent-encoded, never markup.
    quoted = f'https://news.example/a?b="{SVG}'
    (folder / "note3.md").write_text(markdown_note("stadium", quoted), encoding="utf-8")
    records = [
        {"id": "../../x", "title": PAYLOAD, "url": JS_URL, "outlet": SCRIPT, "author": IMG,
         "published": "2024-03-05", "text": "\n".join(prose("school"))},
        {"id": "../../../etc/passwd", "url": DATA_URL,
         "html": html_page("hospital")},
        {"id": SCRIPT, "title": TEMPLATE, "url": f" {JS_URL}", "text": "\n".join(prose("park"))},
        {"id": "/absolute/path", "title": RAW, "url": "JaVaScRiPt:alert(1)",
         "text": "\n".join(prose("zoo")) + "\n" + LONG},
        {"id": "..", "title": TEXTAREA, "url": "//evil.example/x",
         "text": "\n".join(prose("museum"))},
    ]  # fmt: skip
    (folder / "dump.jsonl").write_text(
        "\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8"
    )
    escaped = "".join(
        f"&lt;p&gt;{p.replace('<', '&amp;lt;').replace('>', '&amp;gt;')} "
        f"&lt;a href=&quot;{JS_URL}&quot;&gt;x&lt;/a&gt; &lt;img src=x onerror=alert(1)&gt;"
        f"{SCRIPT.replace('<', '&lt;').replace('>', '&gt;')}&lt;/p&gt;"
        for p in prose("tunnel")
    )
    (folder / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel>'
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; River Post</title>"
        f"<link>{JS_URL}</link><item>"
        f"<title>&lt;script&gt;alert(1)&lt;/script&gt; Tunnel {TEMPLATE}</title>"
        f'<link>{JS_URL}</link><guid isPermaLink="false">../../y</guid>'
        "<author>a@b.example (&lt;img src=x onerror=alert(1)&gt;)</author>"
        "<pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate>"
        f"<description>{escaped}</description></item></channel></rss>",
        encoding="utf-8",
    )
    xhtml = "".join(
        f'<p>{p.replace("<", "&lt;").replace(">", "&gt;")} <a href="{JS_URL}">x</a>'
        '<script>alert(1)</script><img src="x" onerror="alert(1)"/></p>'
        for p in prose("canal")
    )
    (folder / "feed.atom").write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        '<title type="html">&lt;script&gt;alert(1)&lt;/script&gt; Canal News</title>'
        "<id>urn:x</id><updated>2024-03-04T00:00:00Z</updated><entry>"
        '<title type="html">&lt;img src=x onerror=alert(1)&gt; Canal {{ 7*7 }}</title>'
        f'<link href="{DATA_URL.replace("<", "&lt;").replace(">", "&gt;")}"/>'
        "<id>../../../z</id><updated>2024-03-04T00:00:00Z</updated>"
        "<author><name>&lt;script&gt;alert(1)&lt;/script&gt;</name></author>"
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{xhtml}</div></content>'
        "</entry></feed>",
        encoding="utf-8",
    )
    (folder / "feed.json").write_text(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": SCRIPT,
                "home_page_url": JS_URL,
                "items": [
                    {
                        "id": "../../w",
                        "url": JS_URL,
                        "external_url": DATA_URL,
                        "title": PAYLOAD,
                        "content_html": "".join(
                            f"<p>{p.replace('<', '&lt;')}{SCRIPT}{IMG}</p>"
                            for p in prose("airport")
                        ),
                        "date_published": "2024-03-06T08:00:00Z",
                        "authors": [{"name": SCRIPT, "url": JS_URL}],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("injection")
    build_corpus(root / "in")
    out = root / "site"
    args = ["build", "--input", str(root / "in"), "--output", str(out), "--quiet", "--no-cache"]
    title = f"{SCRIPT} {TEMPLATE} Briefing"
    assert main([*args, "--base-url", BASE, "--title", title]) == 0
    # Nothing but the input and the site (and digest's own lock file beside the site): no
    # hostile id or file name wrote a file beside them.
    beside = sorted(p.name for p in root.iterdir() if not p.name.startswith(".site."))
    assert beside == ["in", "site"]
    return out


class Page(HTMLParser):
    """Everything on an HTML page that could run or lead somewhere: tags, attributes, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.text: list[str] = []
        self._in_script: dict[str, str | None] | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script, self._script_text = dict(attrs), []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._script_text)))
            self._in_script = None

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            self._script_text.append(data)
        else:
            self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def safe_link(link: str) -> bool:
    """Relative to the site, an http(s) URL, or an anchor; never javascript:, data: or //host."""
    link = link.strip()
    if link.startswith("#"):
        return True
    parts = urlsplit(link)
    if parts.scheme:
        return parts.scheme in ("http", "https") and bool(parts.netloc)
    return not link.startswith(("//", "\\", "/")) and ":" not in link.split("/")[0]


LINK_ATTRIBUTES = ("href", "src", "action", "formaction", "poster", "cite", "background")
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "textarea", "base", "form", "img", "math"}


def test_pages_have_no_foreign_script_handler_or_unsafe_link(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        page = parse(path)
        name = path.relative_to(site).as_posix()
        for tag, attrs in page.tags:
            assert tag not in FORBIDDEN_TAGS, (name, tag, attrs)
            for key, value in attrs.items():
                assert not key.startswith("on"), (name, tag, key, value)
                if key in LINK_ATTRIBUTES or key == "srcset":
                    assert value is not None and safe_link(value), (name, tag, key, value)
            if tag == "meta":
                assert (attrs.get("http-equiv") or "").lower() != "refresh", name
                if attrs.get("property") == "og:url" or attrs.get("name") == "twitter:url":
                    assert safe_link(attrs.get("content") or ""), (name, attrs)
        if name != "search.html":
            assert page.scripts == [], name


def test_the_search_page_runs_only_its_own_scripts(site: Path) -> None:
    html = (site / "search.html").read_text(encoding="utf-8")
    page = parse(site / "search.html")
    policy = next(
        a["content"]
        for t, a in page.tags
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert policy is not None
    allowed = set(re.findall(r"'sha256-([A-Za-z0-9+/=]+)'", policy))
    assert page.scripts, "the search page has its Pagefind scripts"
    for attrs, code in page.scripts:
        if attrs.get("src"):
            assert attrs["src"].endswith("pagefind/pagefind-ui.js"), attrs
            assert code == ""
        else:  # the inline script is the one the page's policy allows by hash
            digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
            assert digest in allowed, "an inline script the policy does not name"
    assert "alert(" not in "".join(code for _, code in page.scripts)
    assert html.count("<script") == len(page.scripts)


def test_template_syntax_stays_literal_text(site: Path) -> None:
    texts = []
    for path in sorted(site.rglob("*.html")):
        page = parse(path)
        text = " ".join(page.text)
        assert "49" not in text, path.name  # {{ 7*7 }} was never evaluated
        texts.append(text)
    everything = " ".join(texts)
    assert TEMPLATE in everything and RAW in everything
    # The markup was kept as text a reader can see, not dropped and not run.
    assert SCRIPT in everything and IMG in everything and TEXTAREA in everything


def test_hostile_markdown_links_are_not_links(site: Path) -> None:
    data = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    note = next(a for a in data["articles"] if a["source_file"] == "note.md")
    page = parse(site / note["path"])
    hrefs = [a.get("href") or "" for t, a in page.tags if t == "a"]
    assert "https://ok.example/a" in hrefs  # a real link in the Markdown still works
    assert not any(h.startswith(("data:", "mailto:", "//", "../../etc")) for h in hrefs), hrefs


def test_feeds_sitemap_and_export_link_only_to_http_or_the_site(site: Path) -> None:
    atom = ET.parse(site / "atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = [link.get("href") or "" for link in atom.iter("{http://www.w3.org/2005/Atom}link")]
    assert links and all(link.startswith(BASE) for link in links), links
    for element in atom.iter():
        # Text constructs are plain text: a feed reader never renders them as markup.
        if element.tag.split("}")[-1] in ("title", "summary", "content", "subtitle", "rights"):
            assert element.get("type", "text") == "text", element.tag
    for entry in atom.findall("a:entry", ns):
        assert (entry.findtext("a:id", namespaces=ns) or "").startswith("urn:uuid:")
    feed = json.loads((site / "feed.json").read_text(encoding="utf-8"))
    urls = [feed.get("home_page_url"), feed.get("feed_url")]
    for item in feed["items"]:
        assert "content_html" not in item  # summaries go out as plain text only
        urls += [item.get("url"), item.get("external_url")]
        urls += [a.get("url") for a in item.get("authors", [])]
    assert all(u is None or (u.startswith(BASE)) for u in urls), urls
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locations = [e.text or "" for e in sitemap.iter() if e.tag.endswith("loc")]
    assert locations and all(loc.startswith(BASE) for loc in locations), locations
    assert all(".." not in urlsplit(loc).path for loc in locations)
    data = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    for article in data["articles"]:
        url = article["url"]
        assert url is None or urlsplit(url).scheme in ("http", "https"), url
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", article["id"]), article["id"]
        assert article["path"] == f"articles/{article['id']}.html"
        assert (site / article["path"]).is_file()
    for story in data["stories"]:
        assert re.fullmatch(r"stories/[a-z0-9][a-z0-9-]*\.html", story["path"]), story["path"]


def test_no_hostile_url_survives_anywhere(site: Path) -> None:
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            name = path.relative_to(site).as_posix()
            for page_link in re.findall(r'(?:href|src)\s*=\s*"([^"]*)"', text):
                assert safe_link(page_link), (name, page_link)
            if path.suffix == ".json":
                for value in re.findall(r'"(?:url|external_url|home_page_url)":\s*"([^"]*)"', text):
                    assert urlsplit(value).scheme in ("http", "https"), (name, value)


def test_hostile_urls_are_reported(site: Path) -> None:
    data = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    reasons = [f"{p['file']}: {p['reason']}" for p in data["problems"]]
    for where in ("sources.toml [page.txt]", "note.md", "note2.md", "dump.jsonl:1", "feed.json:1"):
        found = [r for r in reasons if r.startswith(where)]
        assert any("url" in r.lower() or "link" in r for r in found), (where, reasons)


def test_every_file_stays_inside_the_site(site: Path) -> None:
    root = site.resolve()
    for path in site.rglob("*"):
        assert path.resolve().is_relative_to(root), path
        assert not path.is_symlink(), path
