"""The dated archive and the front page's split into leading and further stories."""

from __future__ import annotations

from dataclasses import dataclass

from conftest import make_article

from digest.archive import editions, front_page, front_pages
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


def test_front_pages_split_the_stories_in_rank_order():
    stories = [S(f"s{i}", "2024-05-02", 2 if i < 3 else 1) for i in range(25)]
    fronts = front_pages(stories, None, 10)
    assert [f.path for f in fronts] == ["index.html", "index2.html", "index3.html"]
    assert [len(f.top) + len(f.more) for f in fronts] == [10, 10, 5]
    assert [s.name for s in fronts[0].top] == ["s0", "s1", "s2", "s3", "s4"]  # padded to 5
    assert fronts[1].top == () and fronts[2].top == ()
    listed = [s.name for f in fronts for s in (*f.top, *f.more)]
    assert listed == [f"s{i}" for i in range(25)]  # every story once, in rank order


def test_front_pages_keep_one_page_when_all_fit_or_no_limit():
    stories = [S(f"s{i}", "2024-05-02") for i in range(12)]
    assert len(front_pages(stories, None, 12)) == 1
    assert len(front_pages(stories, None, 0)) == 1
    assert len(front_pages([], None, 10)) == 1  # an empty briefing still has its front page


def test_front_pages_smaller_than_the_leading_stories_move_the_rest_down():
    stories = [S(f"s{i}", "2024-05-02", 2) for i in range(7)]
    fronts = front_pages(stories, None, 3)
    assert [[s.name for s in (*f.top, *f.more)] for f in fronts] == [
        ["s0", "s1", "s2"],
        ["s3", "s4", "s5"],
        ["s6"],
    ]


def test_site_front_pages_link_in_order_and_list_every_story(tmp_path):
    articles = tuple(
        make_article(f"a{i}", f"Event number {i} happened in the town of Keld.") for i in range(5)
    )
    stories = tuple(Story(f"st{i}", f"Story {i}", (f"a{i}",)) for i in range(5))
    summaries = tuple(Summary(f"st{i}", ()) for i in range(5))
    brief = Briefing("Brief", articles, stories, summaries)
    config = load_config(cwd=tmp_path, overrides={"front_stories": 2})
    pages = {p.path: p.content.decode() for p in render_site(brief, config)}
    fronts = ["index.html", "index2.html", "index3.html"]
    assert [p for p in pages if p.startswith("index")] == fronts
    assert 'rel="next" href="index2.html"' in pages["index.html"]
    assert 'rel="prev"' not in pages["index.html"]
    assert 'rel="prev" href="index.html"' in pages["index2.html"]
    assert 'rel="next" href="index3.html"' in pages["index2.html"]
    assert 'rel="next"' not in pages["index3.html"] and "Page 3 of 3" in pages["index3.html"]
    assert "<title>More stories, page 2 · News briefing</title>" in pages["index2.html"]
    linked = [f"stories/st{i}.html" for i in range(5)]
    for path in linked:  # each story on exactly one front page
        assert sum(f'href="{path}"' in pages[f] for f in fronts) == 1
    assert sorted(Rendering.of(brief, config).html_paths()) == sorted(
        p for p in pages if p.endswith(".html")
    )
    one = {p.path for p in render_site(brief, load_config(cwd=tmp_path))}
    assert "index2.html" not in one  # the default of 100 a page: one front page


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
