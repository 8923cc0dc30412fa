"""The dated archive and the front page's split into leading and further stories."""

from __future__ import annotations

from dataclasses import dataclass

from conftest import make_article

from digest.archive import editions, front_page
from digest.build import render
from digest.config import load_config
from digest.models import Briefing, Story, Summary
from digest.site import Rendering, render_site


@dataclass(frozen=True)
class S:
    name: str
    updated: str | None
    outlets: int = 1


def test_editions_group_stories_by_the_day_they_were_last_reported():
    stories = [S("a", "2024-05-02"), S("b", "2024-05-01"), S("c", None), S("d", "2024-05-02")]
    days = editions(stories)
    assert [e.date for e in days] == ["2024-05-02", "2024-05-01"]
    assert [s.name for s in days[0].stories] == ["a", "d"]  # rank order kept
    assert days[1].path == "archive/2024-05-01.html"


def test_no_archive_when_everything_is_from_one_day():
    assert editions([S("a", "2024-05-02"), S("b", "2024-05-02"), S("c", None)]) == []


def test_front_page_leads_with_shared_or_new_stories_and_lists_the_rest():
    stories = [S("wide", "2024-04-01", 3)] + [S(f"old{i}", "2024-04-01") for i in range(8)]
    stories.append(S("new", "2024-05-02"))
    top, more = front_page(stories, "2024-05-02")
    names = [s.name for s in top]
    assert names[:1] == ["wide"] and "new" in names
    assert len(top) == 5  # padded with the best ranked of the rest
    assert [s.name for s in more] == [f"old{i}" for i in range(3, 8)]


def test_front_page_caps_its_leading_stories():
    stories = [S(f"s{i}", "2024-05-02", 2) for i in range(14)]
    top, more = front_page(stories, "2024-05-02")
    assert len(top) == 10 and len(more) == 4


def test_site_has_dated_archive_pages_when_input_spans_days(tmp_path):
    one = make_article("a1", "The bridge over the Keld river reopened.", published="2024-05-01")
    two = make_article("a2", "The Dale ferry stopped for the winter.", published="2024-05-02")
    stories = (Story("bridge", "Bridge reopens", ("a1",)), Story("ferry", "Ferry stops", ("a2",)))
    summaries = (Summary("bridge", ()), Summary("ferry", ()))
    brief = Briefing("Brief", (one, two), stories, summaries, edition="2024-05-02")
    pages = {p.path: p.content.decode() for p in render_site(brief, load_config(cwd=tmp_path))}
    assert 'href="archive/index.html"' in pages["index.html"]
    archive = pages["archive/index.html"]
    assert archive.index("2024-05-02.html") < archive.index("2024-05-01.html")  # newest first
    day = pages["archive/2024-05-01.html"]
    assert 'href="../stories/bridge.html"' in day and "ferry.html" not in day
    # The sitemap lists pages by path without rendering them again: the same pages.
    rendering = Rendering.of(brief, load_config(cwd=tmp_path))
    assert sorted(rendering.html_paths()) == sorted(p for p in pages if p.endswith(".html"))
    config = load_config(cwd=tmp_path, overrides={"base_url": "https://brief.example"})
    sitemap = {p.path: p.content.decode() for p in render(brief, config)}["sitemap.xml"]
    assert "<loc>https://brief.example/archive/2024-05-01.html</loc>" in sitemap
    assert "<lastmod>2024-05-01</lastmod>" in sitemap
    single = Briefing("Brief", (one,), stories[:1], summaries[:1], edition="2024-05-01")
    assert not any(
        p.path.startswith("archive/") for p in render_site(single, load_config(cwd=tmp_path))
    )
