"""Every page of a built site is valid HTML and passes axe-core's accessibility rules.

- The Nu HTML checker (vnu.jar, from the npm package vnu-jar, run on Java 17+) reads, in one Java
  run, every page of four built sites (the bundled seeds, a folder of every input format, hostile
  text, hostile links) with the stylesheet (as CSS) and the icon (as SVG). No error and no
  warning may be reported.
- axe-core (axe.min.js, from the npm package axe-core) runs in headless chromium on every page of
  the seeds and formats sites, and on the search page showing results, in the light and dark
  colour schemes at desktop and phone widths. No violation of any impact may be reported.

`.ci/run` installs both packages into `.cache/npm` (git ignores it), which is where the tests
look; DIGEST_VNU_JAR and DIGEST_AXE_JS point to other copies, DIGEST_JAVA to another java.
Without the tools (or without playwright and Debian's chromium for axe) the tests skip, except
when the CI environment variable is set: then they fail, as the browser tests do.

Each checker is also shown files it must reject (broken HTML, CSS and SVG; a missing alt text,
text too faint in one colour scheme or at one width only), so a checker that reports nothing
(wrong arguments, output not read, axe not injected) cannot pass for a clean site.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import unquote, urlsplit

import pytest
from test_browser import (
    DESKTOP,
    HOSTILE,
    PHONE,
    SEEDS,
    chromium,
    serve,
)
from test_browser import unavailable as browser_unavailable
from test_formats_build import FILES as FORMAT_FILES

from digest.cli import main

ROOT = Path(__file__).resolve().parents[1]
NPM_MODULES = ROOT / ".cache" / "npm" / "node_modules"
VNU_JAR = NPM_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NPM_MODULES / "axe-core" / "axe.min.js"
INSTALL = (
    "apt-get install -y default-jre-headless nodejs npm; "
    "npm install --prefix .cache/npm --no-save --ignore-scripts vnu-jar axe-core"
)


def unavailable(what: str) -> NoReturn:
    """Fail under CI, skip elsewhere."""
    browser_unavailable(f"{what} ({INSTALL})", "validity tests")


def tool(variable: str, default: Path) -> Path:
    path = Path(os.environ.get(variable) or default)
    if not path.is_file():
        unavailable(f"{path} (or {variable} set to a copy)")
    return path


# The Nu HTML checker.

# vnu checks the Content-Security-Policy meta tag against file: URLs, where 'self' matches
# nothing, and does not hash inline scripts: its notes on the policy are about that, not the
# page (the browser tests check the policy in a real browser over http).
VNU_POLICY_NOTE = "violates Content Security Policy"


@dataclass(frozen=True)
class Finding:
    file: str
    line: int | None
    kind: str  # "error", "warning", or vnu's "non-document-error" (a file it could not read)
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.kind}: {self.message} [{self.extract.strip()}]"


@pytest.fixture(scope="module")
def vnu_command() -> list[str]:
    java = os.environ.get("DIGEST_JAVA") or shutil.which("java")
    if not java:
        unavailable("java 17 or later on PATH (or DIGEST_JAVA)")
    return [java, "-Xss8m", "-jar", str(tool("DIGEST_VNU_JAR", VNU_JAR))]


def vnu(command: list[str], files: list[Path]) -> list[Finding]:
    """Errors and warnings (not notes) the Nu HTML checker reports on files, in one Java run:
    .css files are checked as CSS, .svg files as SVG, the rest as HTML."""
    args = [*command, "--format", "json", "--stdout"]
    args += ["--also-check-css", "--also-check-svg", "--exit-zero-always", *map(str, files)]
    run = subprocess.run(args, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, f"vnu exited {run.returncode}: {run.stderr[-2000:]}"
    findings = []
    for m in json.loads(run.stdout)["messages"]:
        if m["type"] == "info" and m.get("subType") != "warning":
            continue  # a plain note
        if VNU_POLICY_NOTE in m.get("message", ""):
            continue
        kind = "warning" if m["type"] == "info" else m["type"]
        url = m.get("url", "")
        file = unquote(urlsplit(url).path) if url.startswith("file:") else url
        line = m.get("lastLine")
        findings.append(Finding(file, line, kind, m.get("message", ""), m.get("extract", "")))
    return findings


def found_in(findings: list[Finding], folder: Path) -> list[str]:
    inside = str(folder.resolve()) + os.sep
    return [str(f) for f in findings if f.file.startswith(inside) or not f.file]


BROKEN_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Broken</title></head>
<body><p>A paragraph <div>with a block inside</div></p>
<img src="x.png"><a href="http://exa mple.com/">bad host</a></body></html>
"""
BROKEN_CSS = "a { colr: red; }\nbody { margin: 0 }\n"
BROKEN_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><rect widht="3"/></svg>\n'

# Hostile text everywhere a build takes text: a scraped page, a JSON Lines record with markup in
# its title and outlet and a javascript: link, Markdown with raw HTML, a table, code and an
# image, and a site title and description (config) full of markup.
HOSTILE_JSONL = {
    "id": "evil",
    "title": "<b>Bold</b> title </title><!-- & “quotes”",
    "url": "javascript:alert(3)",
    "outlet": '"><svg onload=alert(1)>',
    "text": "The mayor of Quillon said <script>alert(1)</script> was found in a council email on Monday.\n"
    "Officials in Quillon said the message with <img src=x onerror=alert(2)> came from abroad.\n"
    "A template string {{ 7*7 }} and {% if %} also appeared in the Quillon council message today.\n"
    "The council of Quillon will review its email security rules next week, the mayor said.\n",
}
HOSTILE_MARKDOWN = """---
title: "</title><script>alert(1)</script> & \\"quotes\\" <!-- comment"
outlet: "Ann's <i>Gazette</i> & Co"
author: "Ann <b>Lee</b>"
published: 2024-03-04
url: "https://evil.example/a?b=1&c=2#frag"
---

# A heading inside the article body <script>

The harbor council of Quillon met on Monday and heard <div onclick="x">raw html</div> from a resident about the ferry.

| col <b> | col2 |
| --- | --- |
| a & b | ]]> --> |

Officials of Quillon said that [a link](javascript:alert(1)) and ![an image](https://evil.example/x.png "title") were posted on the forum.

```html
<script>alert("code")</script>
```

The council of Quillon will review its forum security rules next week, the mayor of Quillon said.
"""
HOSTILE_CONFIG = """title = "Briefing </title><script>alert(1)</script> & co"
description = "Hello <script>alert(1)</script> **bold** [x](javascript:alert(1))\\n\\n# Heading"
"""
# Links an input states that are http(s) but not valid URLs as they stand.
HOSTILE_URLS = {
    "quotes.md": "---\ntitle: Quotes in a link\nurl: 'https://evil.example/a?b=<x>\"y'\n---\n\n",
    "space.jsonl": json.dumps(
        {"id": "space", "title": "A space in a host", "url": "http://exa mple.com/a b"}
    ),
}
HOSTILE_URL_TEXT = (
    "The harbor council of Quillon met on Monday and heard a complaint about the ferry.\n\n"
    "Officials of Quillon said the ferry would run again next week after the storm repairs.\n"
)


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(source: Path, output: Path, *extra: str) -> Path:
    args = ["build", "--input", str(source), "--output", str(output), "--quiet", *extra]
    assert main(args) == 0
    return output


@dataclass
class Sites:
    seeds: Path
    formats: Path
    hostile: Path
    hostile_urls: Path
    controls: Path  # deliberately broken files each checker must reject

    def pages(self) -> list[Path]:
        folders = (self.seeds, self.formats, self.hostile, self.hostile_urls)
        return [page for folder in folders for page in sorted(folder.rglob("*.html"))]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    root = tmp_path_factory.mktemp("validity")
    hostile_in = write(
        root / "hostile-in",
        {
            "hostile.txt": HOSTILE,
            "feed.jsonl": json.dumps(HOSTILE_JSONL) + "\n",
            "evil.md": HOSTILE_MARKDOWN,
        },
    )
    config = root / "hostile.toml"
    config.write_text(HOSTILE_CONFIG, encoding="utf-8")
    urls = dict(HOSTILE_URLS)
    urls["quotes.md"] += HOSTILE_URL_TEXT
    record = json.loads(urls["space.jsonl"])
    urls["space.jsonl"] = json.dumps({**record, "text": HOSTILE_URL_TEXT}) + "\n"
    paged = root / "paged.toml"  # the seeds' four stories on two front pages: both checked
    paged.write_text("front_stories = 2\n", encoding="utf-8")
    return Sites(
        seeds=build(SEEDS, root / "seeds", "--config", str(paged)),
        formats=build(write(root / "formats-in", FORMAT_FILES), root / "formats"),
        hostile=build(hostile_in, root / "hostile", "--config", str(config)),
        hostile_urls=build(write(root / "urls-in", urls), root / "hostile-urls"),
        controls=write(
            root / "controls",
            {"broken.html": BROKEN_HTML, "broken.css": BROKEN_CSS, "broken.svg": BROKEN_SVG},
        ),
    )


@pytest.fixture(scope="module")
def findings(vnu_command: list[str], sites: Sites) -> list[Finding]:
    """One vnu run over the broken controls, every page of every site, the stylesheet and icon."""
    static = sorted((sites.seeds / "static").iterdir())
    return vnu(vnu_command, [*sorted(sites.controls.iterdir()), *sites.pages(), *static])


def test_vnu_reports_broken_files(findings: list[Finding], sites: Sites) -> None:
    broken = found_in(findings, sites.controls)

    def reported(file: str, message: str) -> bool:
        return any(f"/{file}:" in f and f"error: {message}" in f for f in broken)

    assert reported("broken.html", "No “p” element in scope but a “p” end tag seen"), broken
    assert reported("broken.html", "An “img” element must have an “alt” attribute"), broken
    assert reported("broken.html", "Bad value “http://exa mple.com/” for attribute “href”"), broken
    assert reported("broken.css", "CSS: “colr”: Property “colr” doesn't exist"), broken
    assert reported("broken.svg", "Attribute “widht” not allowed on element “rect”"), broken


def test_seeds_site_is_valid_html(findings: list[Finding], sites: Sites) -> None:
    assert len(list(sites.seeds.rglob("*.html"))) == 14  # index2.html too
    found = found_in(findings, sites.seeds)
    assert found == [], "\n".join(found)


def test_every_format_site_is_valid_html(findings: list[Finding], sites: Sites) -> None:
    found = found_in(findings, sites.formats)
    assert found == [], "\n".join(found)


def test_hostile_text_pages_are_valid_html(findings: list[Finding], sites: Sites) -> None:
    pages = [p.read_text(encoding="utf-8") for p in sites.hostile.rglob("*.html")]
    assert len(pages) >= 5 and any("&lt;script&gt;alert(1)" in p for p in pages)
    found = found_in(findings, sites.hostile)
    assert found == [], "\n".join(found)


def test_links_with_invalid_characters_are_valid_html(
    findings: list[Finding], sites: Sites
) -> None:
    found = found_in(findings, sites.hostile_urls)
    assert found == [], "\n".join(found)


def test_stylesheet_and_icon_are_valid(findings: list[Finding], sites: Sites) -> None:
    static = sites.seeds / "static"
    assert sorted(p.name for p in static.iterdir()) == ["favicon.svg", "style.css"]
    assert (static / "style.css").read_bytes() == (ROOT / "templates/static/style.css").read_bytes()
    found = found_in(findings, static)
    assert found == [], "\n".join(found)


# axe-core in headless chromium.

browser_test = pytest.mark.browser
SCHEMES = ("light", "dark")
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
# Collapsed <details> (the lines a cleaner removed) are opened, so their text is checked too.
RUN_AXE = """async () => {
  for (const d of document.querySelectorAll("details")) d.open = true;
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\\s+/g, " ")}`),
  }));
}"""


@pytest.fixture(scope="module")
def axe_page() -> Iterator[Any]:
    axe = tool("DIGEST_AXE_JS", AXE_JS)
    with chromium("validity tests") as browser:
        # The pages' Content-Security-Policy forbids scripts; bypass_csp lets axe be injected.
        # Only in this context: every other browser test runs under the real policy.
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
        context.add_init_script(path=str(axe))  # on every page, before the page's own scripts
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()


def axe_violations(page: Any, url: str, wait_for: str | None = None) -> list[str]:
    """Open url once and run axe in each colour scheme at each width."""
    page.emulate_media(color_scheme="light")
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response is not None and response.ok, url
    if wait_for:
        page.locator(wait_for).first.wait_for()
    assert page.evaluate("typeof axe") == "object", "axe-core was not injected"
    found = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            for v in page.evaluate(RUN_AXE):
                nodes = "\n      ".join(v["nodes"][:5])
                found.append(
                    f"{url} [{scheme}, {width}] {v['id']} ({v['impact']}): {v['help']}\n      {nodes}"
                )
    return found


def site_violations(page: Any, site: Path, word: str) -> list[str]:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert "search.html" in pages
    found = []
    with serve(site) as base:
        for path in pages:
            wait = ".pagefind-ui__search-input" if path == "search.html" else None
            found += axe_violations(page, base + path, wait)
        # The search page showing results, sub-results and highlighted words.
        found += axe_violations(page, f"{base}search.html?q={word}", ".pagefind-ui__result")
    return found


@browser_test
def test_axe_reports_known_violations(axe_page: Any, tmp_path: Path) -> None:
    write(
        tmp_path / "control",
        {
            "index.html": """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Control</title>
<style>
  body { background: #fff; color: #000; }
  @media (prefers-color-scheme: dark) { body { background: #000; } #dark { color: #222; } }
  @media (max-width: 30rem) { #narrow { color: #ddd; } }
</style></head><body><main><h1>Control</h1>
<p id="dark">Readable in the light scheme only.</p>
<p id="narrow">Readable on wide screens only.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>""",
        },
    )
    with serve(tmp_path / "control") as base:
        found = axe_violations(axe_page, base + "index.html")

    def reported(combo: str, rule: str) -> str:
        return "\n".join(v for v in found if f"[{combo}] {rule} " in v)

    for combo in ("light, desktop", "light, phone", "dark, desktop", "dark, phone"):
        assert "img" in reported(combo, "image-alt"), found
    assert reported("light, desktop", "color-contrast") == "", found
    assert "#dark" in reported("dark, desktop", "color-contrast"), found
    assert "#narrow" not in reported("dark, desktop", "color-contrast"), found
    assert "#narrow" in reported("light, phone", "color-contrast"), found
    assert "#dark" not in reported("light, phone", "color-contrast"), found


@browser_test
def test_seeds_site_has_no_accessibility_violations(axe_page: Any, sites: Sites) -> None:
    found = site_violations(axe_page, sites.seeds, "missile")
    assert found == [], "\n".join(found)


@browser_test
def test_every_format_site_has_no_accessibility_violations(axe_page: Any, sites: Sites) -> None:
    found = site_violations(axe_page, sites.formats, "ferry")
    assert found == [], "\n".join(found)
