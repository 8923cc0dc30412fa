"""End to end: build the bundled seeds as a user would and check the published site."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import SEED_CLUTTER

from digest.cli import main


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "site"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert main(["build", "--input", str(seeds), "--output", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def data(site: Path) -> dict:
    return json.loads((site / "digest.json").read_text(encoding="utf-8"))


def story_of(data: dict, article_prefix: str) -> dict:
    return next(
        s for s in data["stories"] if any(a.startswith(article_prefix) for a in s["article_ids"])
    )


def test_missile_pages_form_one_story_with_the_copy_marked(data):
    missile = story_of(data, "000")
    assert sorted(a[:3] for a in missile["article_ids"]) == ["000", "001", "003", "004"]
    first_parts = {a["id"]: a for a in data["articles"] if a["id"] in missile["article_ids"]}
    copies = {i: a["duplicate_of"] for i, a in first_parts.items() if a["duplicate_of"]}
    assert len(copies) == 1
    ((copy, original),) = copies.items()
    assert {copy[:3], original[:3]} == {"003", "004"}


def test_other_events_are_their_own_stories(data):
    assert len(data["stories"]) == 4
    for prefix in ("002", "003-475c621f089d556d-2", "004-c7bb811a94c82b36-2"):
        assert len(story_of(data, prefix)["article_ids"]) == 1


def test_every_article_once_and_in_exactly_one_story(data):
    ids = [a["id"] for a in data["articles"]]
    assert len(ids) == len(set(ids)) == 7
    in_stories = [a for s in data["stories"] for a in s["article_ids"]]
    assert sorted(in_stories) == sorted(ids)


def test_no_clutter_in_bodies_or_summaries(data):
    texts = [a["body"] for a in data["articles"]]
    texts += [s["text"] for story in data["stories"] for s in story["summary"]]
    for text in texts:
        for marker in SEED_CLUTTER:
            assert marker not in text, (marker, text[:80])


def test_summary_sentences_are_verbatim_from_their_article(data):
    bodies = {a["id"]: a["body"] for a in data["articles"]}
    for story in data["stories"]:
        assert story["summary"], story["title"]
        for sentence in story["summary"]:
            assert sentence["article_id"] in story["article_ids"]
            assert sentence["text"] in bodies[sentence["article_id"]]


def test_digest_json_fields(data):
    for story in data["stories"]:
        assert {"id", "title", "path", "article_ids", "summary"} <= set(story)
        for s in story["summary"]:
            assert {"text", "article_id"} <= set(s)
    for article in data["articles"]:
        assert {
            "id",
            "source_file",
            "title",
            "outlet",
            "url",
            "published",
            "body",
            "duplicate_of",
        } <= set(article)
        assert article["source_file"].endswith(".txt") and "/" not in article["source_file"]
        assert article["url"] is None  # plain-text seeds carry no link
        assert article["published"] is None or re.fullmatch(
            r"\d{4}-\d\d-\d\d", article["published"]
        )
        assert "\n\n" in article["body"] or len(article["body"]) < 400
    by_file = {a["source_file"] for a in data["articles"]}
    assert len(by_file) == 5


def test_metadata_of_seed_pages(data):
    art = {
        a["id"][:3] if not a["id"].endswith("-2") else a["id"][:3] + "b": a
        for a in data["articles"]
    }
    assert art["000"]["title"].startswith("Kim Jong-un ramps up missile production")
    assert art["000"]["published"] == "2023-09-28"
    assert art["001"]["title"].startswith("North Korea’s Kim orders sharp increase")
    assert art["001"]["origin"] == "AP"
    assert art["001"]["body"].startswith("North Korean leader Kim Jong Un made another")
    assert art["002"]["title"].startswith("Kim Jong Un Sets War Preparations")
    assert art["003b"]["title"].startswith("Türkiye Insists on Two States")
    assert art["004b"]["title"].startswith("Ukraine Realizes a Dream")


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def test_every_link_resolves(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 1 + 1 + 4 + 7  # index, search, stories, articles
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.scripts == (2 if page.name == "search.html" else 0)  # Pagefind UI
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), link
                continue
            target = (page.parent / parts.path).resolve()
            assert target.is_file(), f"{page.name} links to missing {link}"
            if parts.fragment and target.suffix == ".html":
                assert f'id="{parts.fragment}"' in target.read_text(encoding="utf-8"), link


def test_index_lists_stories_by_coverage(site, data):
    index = (site / "index.html").read_text(encoding="utf-8")
    first = data["stories"][0]
    assert first["article_ids"] == story_of(data, "000")["article_ids"]
    assert index.index(first["path"]) < index.index(data["stories"][1]["path"])


def test_building_twice_gives_identical_files(site, tmp_path):
    again = tmp_path / "again"
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    assert main(["build", "--input", str(seeds), "--output", str(again), "--quiet"]) == 0
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_a_rebuild_keeps_unchanged_pages_as_they_were_on_disk(tmp_path):
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    out = tmp_path / "site"
    build = ["build", "--input", str(seeds), "--output", str(out), "--quiet", "--no-search"]
    assert main(build) == 0
    before = {p.relative_to(out): p.stat() for p in out.rglob("*.html")}
    assert main(build) == 0
    after = {p.relative_to(out): p.stat() for p in out.rglob("*.html")}
    assert after.keys() == before.keys()
    kept = [rel for rel in after if after[rel].st_ino == before[rel].st_ino]
    # Every page is the same: each keeps its file and time (deploy tools skip it).
    assert sorted(kept) == sorted(after)
    assert all(after[rel].st_mtime_ns == before[rel].st_mtime_ns for rel in kept)


def test_hostile_article_text_is_escaped(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    body = (
        "The mayor of Quillon said <script>alert(1)</script> was found in a council email on Monday.\n"
        "Officials in Quillon said the message with <img src=x onerror=alert(2)> came from abroad.\n"
        "A template string {{ 7*7 }} and {% if %} also appeared in the Quillon council message today.\n"
        "The council of Quillon will review its email security rules next week, the mayor said.\n"
    )
    lines = [
        json.dumps(
            {
                "id": "evil",
                "title": "<b>Bold</b> title",
                "url": "javascript:alert(3)",
                "outlet": "<i>Outlet</i>",
                "text": body,
            }
        )
    ]
    (src / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", "--input", str(src), "--output", str(out), "--quiet"]) == 0
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html and "<img" not in html and "<b>Bold" not in html
        assert "javascript:" not in html
        assert "49" not in html
    article = (out / "articles" / "evil.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in article
    assert "{{ 7*7 }}" in article


def test_builds_in_processes_with_different_hash_seeds_are_identical(tmp_path):
    # String hashing (and so set order) changes from process to process; output must not.
    import os
    import subprocess
    import sys

    seeds = Path(__file__).resolve().parent.parent / "seeds"
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"site-{hash_seed}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        args = [
            sys.executable,
            "-m",
            "digest",
            "build",
            "--input",
            str(seeds),
            "--output",
            str(out),
            "-q",
        ]
        subprocess.run(args, check=True, env=env, cwd=tmp_path)
        outputs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    assert outputs[0] == outputs[1]


def test_edition_date_ignores_copies_republished_later(monkeypatch):
    from conftest import make_article

    from digest.build import edition_date
    from digest.models import Story

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    original = make_article("a", "x", published="2024-05-03")
    late_copy = make_article("c", "x", published="2025-04-08")
    story = Story("s", "S", ("a", "c"), duplicate_of=(("c", "a"),))
    assert edition_date([original, late_copy], [story]) == "2024-05-03"
    assert edition_date([original, late_copy], []) == "2025-04-08"
