"""Browser tests: build the sample site, serve it on loopback and read it in headless chromium.

Needs the playwright Python package and Debian's chromium at /usr/bin/chromium (playwright's own
browser downloads are not used). Without them the tests skip, except when the CI environment
variable is set: then they fail, so CI can never pass by silently skipping them.

DIGEST_UPDATE_DOCS=1 also rewrites the README screenshots docs/index.png and docs/story.png.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pytest

from digest.cli import main

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS = ROOT / "docs"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1000, "height": 800}
PHONE = {"width": 390, "height": 844}
SEED_STORIES = 4

# Registered before any page script runs (CSP does not apply to it): records CSP violations.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI}`);
});
"""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def unavailable(reason: str, tests: str = "browser tests") -> NoReturn:
    """Fail under CI, skip elsewhere."""
    message = f"{tests} need {reason}"
    if in_ci():
        pytest.fail(f"{message} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(message)


def build_site(source: Path, output: Path) -> Path:
    assert main(["build", "--input", str(source), "--output", str(output), "--quiet"]) == 0
    assert (output / "index.html").is_file()
    return output


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve folder over http on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextlib.contextmanager
def chromium(tests: str = "browser tests") -> Iterator[Any]:
    """Debian's chromium driven by Playwright; skips (fails under CI) where either is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright Python package (pip install -e '.[test]')", tests)
    if not CHROMIUM.is_file() or not os.access(CHROMIUM, os.X_OK):
        unavailable(f"chromium at {CHROMIUM} (apt-get install chromium)", tests)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def site_url(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The seeds site, served; asks for the browser first so a missing one skips or fails early."""
    site = build_site(SEEDS, tmp_path_factory.mktemp("site"))
    with serve(site) as url:
        yield url


@dataclass
class Reader:
    """A browser tab plus everything that went wrong in it."""

    page: Any
    errors: list[str] = field(default_factory=list)

    def goto(self, url: str) -> None:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"

    def shot(self, name: str, *, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def csp_violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def assert_clean(self) -> None:
        assert self.errors == [], "console errors, page errors or failed requests"
        assert self.csp_violations() == [], "Content-Security-Policy violations"

    def no_horizontal_overflow(self) -> None:
        widths = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{self.page.url}: scrollWidth {widths[0]} > {widths[1]}"


@pytest.fixture
def reader(browser: Any) -> Iterator[Reader]:
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    tab = Reader(page)

    def on_console(msg: Any) -> None:
        where = msg.location.get("url", "")
        # Every page links static/favicon.svg, so no request (not even /favicon.ico) may fail.
        if msg.type == "error":
            tab.errors.append(f"console: {msg.text} ({where or page.url})")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            tab.errors.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda err: tab.errors.append(f"page error: {err} ({page.url})"))

    def on_failed(request: Any) -> None:
        # A request the browser itself abandons because the page navigated away is not an error.
        if request.failure != "net::ERR_ABORTED":
            tab.errors.append(f"request failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        yield tab
    finally:
        context.close()


def normalized(text: str) -> str:
    return " ".join(text.split())


def test_reader_journey(reader: Reader, site_url: str) -> None:
    page = reader.page
    reader.goto(site_url + "index.html")
    assert page.title() == "News briefing"
    assert page.locator("h1").inner_text() == "News briefing"
    cards = page.locator("ol.stories > li.story-card")
    assert cards.count() == SEED_STORIES
    for i in range(SEED_STORIES):
        assert cards.nth(i).locator("h2 a").inner_text().strip()
        assert cards.nth(i).locator(".meta").inner_text().strip()
    reader.shot("index-desktop")
    if os.environ.get("DIGEST_UPDATE_DOCS") == "1":
        DOCS.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS / "index.png"))

    story_title = cards.first.locator("h2 a").inner_text().strip()
    cards.first.locator("h2 a").click()
    page.wait_for_load_state()
    assert "/stories/" in page.url
    assert page.locator("h1").inner_text().strip() == story_title
    assert page.title().startswith(story_title)
    sentences = page.locator("ol.summary > li")
    assert sentences.count() >= 2
    for i in range(sentences.count()):
        assert sentences.nth(i).locator("q").inner_text().strip()
    assert page.locator("#sources-heading").inner_text() == "Sources"
    assert page.locator("ul.sources > li").count() >= 1
    reader.shot("story-desktop")
    if os.environ.get("DIGEST_UPDATE_DOCS") == "1":
        page.screenshot(path=str(DOCS / "story.png"))

    # The first summary sentence's source link leads to the paragraph it quotes.
    first = sentences.first
    quote = normalized(first.locator("q").inner_text())
    first.locator(".provenance a").first.click()
    page.wait_for_load_state()
    assert "/articles/" in page.url
    anchor = page.url.rsplit("#", 1)[1]
    paragraphs = page.locator(".body p")
    assert paragraphs.count() >= 1
    assert page.locator(".body p").first.inner_text().strip()
    assert quote in normalized(page.locator(f"#{anchor}").inner_text())
    reader.shot("article-desktop")
    reader.assert_clean()


def test_dark_mode(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.emulate_media(color_scheme="dark")
    reader.goto(site_url + "index.html")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    color = page.evaluate("getComputedStyle(document.body).color")
    assert luminance(background) < 0.1, f"background {background} is not dark"
    assert luminance(color) > 0.6, f"text {color} is not light on the dark background"
    reader.shot("index-dark")
    reader.assert_clean()


def luminance(css_color: str) -> float:
    """Relative luminance (WCAG) of an rgb()/rgba() computed color."""
    inside = css_color[css_color.index("(") + 1 : css_color.index(")")]
    channels = [float(v) / 255 for v in inside.replace("/", " ").replace(",", " ").split()[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_phone_has_no_horizontal_overflow(reader: Reader, site_url: str) -> None:
    page = reader.page
    page.set_viewport_size(PHONE)
    reader.goto(site_url + "index.html")
    reader.no_horizontal_overflow()
    reader.shot("index-phone")
    story = page.locator("ol.stories h2 a").first.get_attribute("href")
    reader.goto(site_url + str(story))
    reader.no_horizontal_overflow()
    reader.shot("story-phone")
    article = page.locator("ul.sources > li > a").first.get_attribute("href")
    reader.goto(page.url.rsplit("/", 1)[0] + "/" + str(article))
    reader.no_horizontal_overflow()
    reader.shot("article-phone")
    reader.assert_clean()


HOSTILE = """Hostile markup in an article page

The council met on Tuesday to discuss the budget, and a member read out <script>alert(1)</script> during the long debate about the city website.

Another speaker pasted <img src=x onerror=alert(2)> into the public comment form, which the clerk read aloud to the room without comment.

A third resident wrote {{ 7*7 }} on the whiteboard and asked whether the template engine would evaluate it as forty nine.

The meeting ended late in the evening after the council voted to approve the budget for the coming year by a wide margin.
"""


def test_article_text_is_escaped(reader: Reader, tmp_path: Path) -> None:
    source = tmp_path / "input"
    source.mkdir()
    (source / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    site = build_site(source, tmp_path / "site")
    articles = sorted((site / "articles").glob("*.html"))
    assert len(articles) == 1
    dialogs: list[str] = []

    def on_dialog(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page = reader.page
    page.on("dialog", on_dialog)
    with serve(site) as url:
        reader.goto(f"{url}articles/{articles[0].name}")
        page.wait_for_load_state("load")
        page.wait_for_timeout(200)  # give a stray onerror handler time to fire
        body = page.locator(".body")
        assert page.get_by_text("<script>alert(1)</script>", exact=False).first.is_visible()
        text = body.inner_text()
        assert "<script>alert(1)</script>" in text
        assert "<img src=x onerror=alert(2)>" in text
        assert "{{ 7*7 }}" in text
        assert "49" not in text
        assert page.locator(".body script, .body img").count() == 0
        reader.goto(url + "index.html")
        page.wait_for_timeout(200)
        assert "<script>alert(1)</script>" in page.locator(".lede").inner_text()
    assert dialogs == []
    # The hostile <img src=x> must not have been fetched, so no failed request to report.
    reader.assert_clean()


# Search: Pagefind's index and default UI, which fetch files and so need http, not file://.


def preview(folder: Path) -> contextlib.AbstractContextManager[str]:
    """Serve folder with digest's own preview server (what `digest serve` runs), from a thread."""
    from digest.serve import in_background, make_server

    return in_background(make_server(folder, port=0))


def test_search_finds_a_story(reader: Reader, tmp_path: Path) -> None:
    import json

    site = build_site(SEEDS, tmp_path / "site")
    story = json.loads((site / "digest.json").read_text(encoding="utf-8"))["stories"][0]
    word = max((w.strip(",.:'’") for w in story["title"].split()), key=len)
    page = reader.page
    with preview(site) as url:
        reader.goto(url + "search.html")
        assert page.title().startswith("Search")
        page.locator(".pagefind-ui__search-input").press_sequentially(word)
        results = page.locator(".pagefind-ui__result-link")
        results.first.wait_for(timeout=15_000)
        hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
        assert f"/{story['path']}" in hrefs, f"{word!r}: {hrefs}"
        assert all(h and h.startswith(("/stories/", "/articles/")) for h in hrefs), hrefs
        reader.shot("search-desktop")
        page.emulate_media(color_scheme="dark")
        title = page.locator(".pagefind-ui__result-title").first
        assert luminance(title.evaluate("e => getComputedStyle(e).color")) > 0.6
        page.emulate_media(color_scheme="light")
        page.locator(f'.pagefind-ui__result-link[href="/{story["path"]}"]').click()
        page.wait_for_load_state()
        assert page.url == url + story["path"]
        assert page.locator("h1").inner_text().strip() == story["title"]
        reader.goto(f"{url}search.html?q={word}")  # a link can carry the query
        results.first.wait_for(timeout=15_000)
        assert page.locator(".pagefind-ui__search-input").input_value() == word
    reader.assert_clean()


def test_search_page_without_an_index_says_so(
    reader: Reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from digest import search

    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    site = build_site(SEEDS, tmp_path / "site")
    assert not (site / "pagefind").exists()
    page = reader.page
    with preview(site) as url:
        reader.goto(url + "search.html")
        page.wait_for_load_state("load")
        assert "built without its index" in page.locator("#search").inner_text()
        # Let every request finish before the server stops: one still in flight (the favicon)
        # would fail with a reset connection, an error of the test, not of the page.
        page.wait_for_load_state("networkidle")
    assert reader.csp_violations() == []
    # Only the missing Pagefind files fail to load; no script error, no policy violation.
    assert reader.errors, "pagefind-ui.js was not even requested"
    assert all("/pagefind/pagefind-ui." in e for e in reader.errors), reader.errors


def test_search_without_its_web_worker_runs_in_the_page(reader: Reader, tmp_path: Path) -> None:
    # Pagefind searches in a web worker, whose fetches and WebAssembly the page's policy does not
    # govern. When the worker cannot start it falls back to the page itself: this is what the
    # search page's connect-src 'self' and 'wasm-unsafe-eval' are for.
    site = build_site(SEEDS, tmp_path / "site")
    page = reader.page
    page.route("**/pagefind-worker.js", lambda route: route.abort())
    with preview(site) as url:
        reader.goto(url + "search.html")
        page.locator(".pagefind-ui__search-input").press_sequentially("missile")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
        assert page.locator(".pagefind-ui__result-link").count() >= 1
    assert reader.csp_violations() == []
    assert all("pagefind-worker.js" in e for e in reader.errors), reader.errors


def test_search_over_a_split_index_finds_stories_of_every_bundle(
    reader: Reader, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A large index is split between Pagefind bundles (search.py); the search page merges them,
    # so a reader finds a story whichever bundle holds it, with links into this site.
    import json

    from digest import search

    monkeypatch.setattr("digest.build.PAGEFIND_BESIDE", 0)
    monkeypatch.setattr(search, "SHARD_PAGES", 1)
    site = tmp_path / "site"
    command = ["build", "--input", str(SEEDS), "--output", str(site), "--quiet", "--jobs", "2"]
    assert main(command) == 0
    assert (site / "pagefind-2" / "pagefind.js").is_file()
    stories = json.loads((site / "digest.json").read_text(encoding="utf-8"))["stories"]
    in_second = {
        json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd") :])["url"]
        for f in (site / "pagefind-2" / "fragment").glob("*.pf_fragment")
    }
    page = reader.page
    with preview(site) as url:
        for story in stories:  # some in each bundle: their names end in digits and letters
            word = max((w.strip(",.:'’") for w in story["title"].split()), key=len)
            reader.goto(f"{url}search.html?q={word}")
            results = page.locator(".pagefind-ui__result-link")
            results.first.wait_for(timeout=15_000)
            page.wait_for_load_state("networkidle")  # every bundle has answered
            hrefs = [results.nth(i).get_attribute("href") for i in range(results.count())]
            assert f"/{story['path']}" in hrefs, (word, hrefs)
            assert all(h and h.startswith("/stories/") for h in hrefs), hrefs
        assert in_second and len(in_second) < len(stories)
        reader.shot("search-split-index")
    assert reader.csp_violations() == []
    reader.assert_clean()
