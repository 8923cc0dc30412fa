"""Property-based tests: whatever bytes, text or markup a file holds, reading and cleaning it
raise nothing, and a whole build accounts for every input file (an article or a problem).

Hypothesis runs derandomized and without its example database, so CI sees the same examples
on every run; example counts are kept modest so the file runs in seconds. To hunt for new
failures, set DIGEST_PROPERTY_EXAMPLES (e.g. 2000): that many random examples per test.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from digest.articles import clean_documents
from digest.cli import main
from digest.sources import READERS

HUNT = int(os.environ.get("DIGEST_PROPERTY_EXAMPLES", "0"))
COMMON = {
    "deadline": None,
    "derandomize": not HUNT,
    "database": None,
    "suppress_health_check": [
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
}
READER_SETTINGS = settings(max_examples=HUNT or 60, **COMMON)  # type: ignore[arg-type]
BUILD_SETTINGS = settings(max_examples=HUNT // 10 or 25, **COMMON)  # type: ignore[arg-type]

SENTENCES = [
    "The harbor ferry resumed service on Monday after a week of storms kept every boat in port.",
    "Passengers lined up before dawn for the first crossing, the operator said in a statement.",
    "SEOUL, South Korea (AP) — North Korea fired a missile into the sea on Tuesday, officials said.",
    "The city council voted 7-2 to approve the new budget, which raises spending on schools.",
    "“We are very pleased with the result,” said Mayor Ann Lee after the vote on Thursday.",
    "Read more: Ferry Service Resumes After Storms",
    "Sign up for our newsletter to get the latest news delivered to your inbox every morning.",
    "Photo: Reuters",
    "By John Smith | March 4, 2024",
    "Home > News > World",
    "12 Comments",
    "Copyright 2024 The Coastal Courier. All rights reserved.",
]
# One distinct reader per format (.htm, .markdown, .rss and .atom share theirs).
EXTENSIONS = [".txt", ".jsonl", ".html", ".md", ".xml", ".json"]
assert {READERS[e] for e in EXTENSIONS} == set(READERS.values())

FRAGMENTS = [
    "<p>", "</p>", "<div>", "</div>", "<br>", "<br/>", "<script>", "</script>", "<style>",
    "<title>", "</title>", "<html>", "</html>", "<head>", "</head>", "<body>", "</body>",
    "<article>", "</article>", "<h1>", "</h1>", "<li>", "<ul>", "<pre>", "<table><tr><td>",
    "<meta charset='utf-16'>", '<meta charset="x-unknown">', '<meta charset="cp1252">',
    '<meta property="og:site_name" content="', '<link rel="canonical" href="',
    '<meta name="date" content="', '">', "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>",
    "&amp;", "&#0;", "&#x110000;", "&nbsp;", "&lt;", "<", ">", "\x00", "\r", "\r\n", "\ufeff",
    "<?xml version='1.0'?>", "<rss version='2.0'><channel>", "<item>", "</item>",
    "</channel></rss>", "<feed xmlns='http://www.w3.org/2005/Atom'>", "<entry>", "</entry>",
    "</feed>", "<content type='html'>", "</content>", "<description>", "</description>",
    "<link>", "</link>", "<pubDate>", "</pubDate>", "<guid>", "</guid>", "---\n", "...\n",
    "title: ", "date: ", "url: ", "author: ", "outlet: ", "- ", "> ", "# ", "[x](", ")", "\n",
    "\n\n", "{", "}", "[", "]", '"', ":", ",", "javascript:alert(1)", "https://a.example/x",
    "2024-02-31", "9999-12-31", "0001-01-01", "Mon, 04 Mar 2024 09:00:00 GMT",
]  # fmt: skip

any_text = st.text(max_size=300)
words = st.sampled_from(SENTENCES) | st.text(string.ascii_letters + " .,\n", max_size=60)
markup = st.lists(st.sampled_from(FRAGMENTS) | words | any_text, max_size=40).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text | st.sampled_from(SENTENCES),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(any_text, inner, max_size=4),
    max_leaves=12,
)
record_keys = st.sampled_from(["id", "title", "url", "outlet", "published", "text", "html"])
records = st.dictionaries(record_keys | any_text, json_values | markup, max_size=6)
json_lines = st.lists(
    records.map(json.dumps) | json_values.map(json.dumps) | any_text, max_size=6
).map("\n".join)
json_feed = st.fixed_dictionaries(
    {"version": st.just("https://jsonfeed.org/version/1.1") | any_text},
    optional={"title": json_values, "items": st.lists(records | json_values, max_size=4)},
).map(json.dumps)
front_matter = st.builds(
    lambda meta, body: f"---\n{meta}\n---\n\n{body}",
    st.lists(st.sampled_from(FRAGMENTS) | any_text, max_size=12).map("".join),
    markup,
)
article = st.lists(words, min_size=1, max_size=25).map("\n".join)


def encoded(text: str) -> bytes:
    return text.encode("utf-8")


contents = st.one_of(
    st.binary(max_size=3000),
    any_text.map(encoded),
    markup.map(encoded),
    json_lines.map(encoded),
    json_feed.map(encoded),
    front_matter.map(encoded),
    article.map(encoded),
    article.map(lambda text: text.encode("utf-16")),
    article.map(lambda text: text.encode("cp1252", "replace")),
)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties")


def read_and_clean(folder: Path, extension: str, data: bytes) -> None:
    """Run one file through its reader and the cleaner; every outcome must name the file."""
    rel = f"input{extension}"
    path = folder / rel
    path.write_bytes(data)
    documents, problems = READERS[extension](path, rel)
    assert all(d.source_file == rel for d in documents)
    assert all(p.source_file == rel or p.source_file.startswith(rel + ":") for p in problems)
    articles, cleaning = clean_documents(documents)
    assert all(p.source_file == rel for p in cleaning)
    for found in articles:
        assert found.source_file == rel and found.paragraphs and found.title
        assert all(paragraph.strip() for paragraph in found.paragraphs)
    # Accounted for: the file gave an article or says why not.
    assert articles or problems or cleaning


@pytest.mark.parametrize("extension", EXTENSIONS)
@READER_SETTINGS
@given(data=st.binary(max_size=4000))
def test_readers_take_any_bytes(scratch: Path, extension: str, data: bytes) -> None:
    read_and_clean(scratch, extension, data)


@pytest.mark.parametrize("extension", EXTENSIONS)
@READER_SETTINGS
@given(text=any_text | article)
def test_readers_take_any_text(scratch: Path, extension: str, text: str) -> None:
    read_and_clean(scratch, extension, encoded(text))


@pytest.mark.parametrize("extension", EXTENSIONS)
@READER_SETTINGS
@given(text=markup | json_lines | json_feed | front_matter)
@example(text="<p>&#x110000;")  # feedparser raised ValueError (chr() of it)
@example(text="[" * 100_000)  # json raised RecursionError
@example(text='{"id": 1' + "0" * 5000 + "}")  # json raised ValueError (over 4300 digits)
@example(text="---\ntitle: " + "[" * 100_000 + "\n---\nText.")  # PyYAML: RecursionError
@example(text="---\ntitle: 1" + "0" * 5000 + "\n---\nText.")  # PyYAML: ValueError
@example(text="\n \n")  # a JSON Lines file of blank lines vanished without a word
def test_readers_take_any_markup(scratch: Path, extension: str, text: str) -> None:
    read_and_clean(scratch, extension, encoded(text))


BUILDS = itertools.count()
names = st.builds(
    lambda folder, stem, extension: f"{folder}{stem}{extension}",
    st.sampled_from(["", "sub/", "a b/", "日本/"]),
    st.text("abcXYZ09 -_.éü\u0301🎉日", min_size=1, max_size=10).filter(
        lambda s: not s.startswith(".") and s.strip()
    ),
    st.sampled_from([*READERS, ".pdf", ""]),
)


@BUILD_SETTINGS
@given(files=st.lists(st.tuples(names, contents), min_size=1, max_size=6, unique_by=lambda f: f[0]))
def test_a_build_accounts_for_every_file(scratch: Path, files: list[tuple[str, bytes]]) -> None:
    root = scratch / f"build-{next(BUILDS)}"
    folder = root / "in"
    written = set()
    for name, data in files:
        if name.rsplit("/", 1)[-1] in ("sources.toml", "digest.toml"):
            continue
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
        written.add(name)
    folder.mkdir(parents=True, exist_ok=True)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        # No build cache: every example is cleaned by the code under test.
        args = ["--output", str(root / "site"), "--no-search", "--no-cache"]
        code = main(["build", "--input", str(folder), *args])
    assert code == 0, err.getvalue()
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()
    data = json.loads((root / "site" / "digest.json").read_text(encoding="utf-8"))
    accounted = {a["source_file"] for a in data["articles"]}
    for problem in data["problems"]:
        # The last-resort guard around readers must never be what reports a file.
        assert not problem["reason"].startswith("cannot read:"), problem
        head, colon, tail = problem["file"].rpartition(":")
        accounted.add(head if colon and tail.isdigit() else problem["file"])
    assert written <= accounted, (written - accounted, data["problems"])
    for page in (root / "site").rglob("*.html"):
        page.read_text(encoding="utf-8")  # every page is valid UTF-8
