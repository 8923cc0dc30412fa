"""Rendering: safe links, escaping, template overrides, page set."""

from __future__ import annotations

import pytest
from conftest import make_article

from digest.config import load_config
from digest.models import Article, Briefing, Story, Summary, SummarySentence
from digest.site import render_site
from digest.views import date_range, fragment_link, outlet_name, story_view


def test_fragment_link_encodes_text_directive():
    link = fragment_link(
        "https://ex.org/p#top", "Kim said the US-led drills, again, were a rehearsal."
    )
    assert link is not None
    # Nine words: a start,end directive of four words each; '-' and ',' percent-encoded.
    assert (
        link
        == "https://ex.org/p#:~:text=Kim%20said%20the%20US%2Dled,again%2C%20were%20a%20rehearsal."
    )
    short = fragment_link("https://ex.org/p", "The vote passed.")
    assert short == "https://ex.org/p#:~:text=The%20vote%20passed."
    assert fragment_link("javascript:x", "a b c") is None


def test_date_range():
    assert date_range([]) == ""
    assert date_range(["2024-03-05"]) == "5 March 2024"
    assert date_range(["2024-03-07", "2024-03-05"]) == "5 March 2024 – 7 March 2024"


def briefing():
    article = make_article(
        "a1",
        "The bridge over the Keld river reopened on Friday after repairs.",
        url="https://n.ws/x",
    )
    story = Story("bridge-1", "Bridge reopens", ("a1",))
    summary = Summary("bridge-1", (SummarySentence(article.paragraphs[0], "a1", 0, 0),))
    return Briefing("Brief", (article,), (story,), (summary,), edition="2024-05-01")


def test_page_set_and_links(tmp_path):
    pages = {p.path: p.content.decode() for p in render_site(briefing(), load_config(cwd=tmp_path))}
    assert set(pages) == {
        "index.html",
        "search.html",
        "stories/bridge-1.html",
        "articles/a1.html",
        "static/style.css",
        "static/favicon.svg",
    }
    story = pages["stories/bridge-1.html"]
    assert 'href="../articles/a1.html#p0"' in story
    assert "https://n.ws/x#:~:text=" in story
    assert "1 May 2024" in pages["index.html"]


def test_description_markdown_is_rendered_but_raw_html_escaped(tmp_path):
    desc = "Read **carefully**. <script>alert(1)</script> [bad](javascript:alert(2))"
    config = load_config(cwd=tmp_path, overrides={"description": desc})
    index = next(
        p for p in render_site(briefing(), config) if p.path == "index.html"
    ).content.decode()
    assert "<strong>carefully</strong>" in index
    assert "<script>" not in index and 'href="javascript:' not in index


def test_user_templates_and_static_override_bundled(tmp_path):
    tpl = tmp_path / "tpl"
    (tpl / "static").mkdir(parents=True)
    (tpl / "index.html").write_text(
        "{% extends 'base.html' %}{% block main %}MINE {{ stories|length }}{% endblock %}"
    )
    (tpl / "static" / "style.css").write_text("body{color:red}")
    config = load_config(cwd=tmp_path, overrides={"templates": str(tpl)})
    pages = {p.path: p.content for p in render_site(briefing(), config)}
    assert b"MINE 1" in pages["index.html"]
    assert pages["static/style.css"] == b"body{color:red}"
    assert b"Bridge reopens" in pages["stories/bridge-1.html"]  # not overridden: bundled


def test_undefined_variable_in_user_template_fails(tmp_path):
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "index.html").write_text("{{ no_such_thing }}")
    config = load_config(cwd=tmp_path, overrides={"templates": str(tpl)})
    with pytest.raises(Exception, match="no_such_thing"):
        render_site(briefing(), config)


def test_markdown_article_is_rendered_block_by_block_with_paragraph_anchors(tmp_path):
    article = Article(
        id="a1",
        source_file="a1.md",
        title="Bridge",
        paragraphs=("The bridge reopened on Friday.", "Drivers cheered."),
        markdown=(
            "The bridge **reopened** on [Friday](https://n.ws/f).",
            "<b>Drivers</b> cheered.",
        ),
        author="Ann Lee",
    )
    story = Story("bridge-1", "Bridge reopens", ("a1",))
    summary = Summary("bridge-1", (SummarySentence(article.paragraphs[0], "a1", 0, 0),))
    pages = render_site(
        Briefing("Brief", (article,), (story,), (summary,)), load_config(cwd=tmp_path)
    )
    html = next(p for p in pages if p.path == "articles/a1.html").content.decode()
    assert '<div id="p0" class="block"><p>The bridge <strong>reopened</strong> on ' in html
    assert '<a href="https://n.ws/f">Friday</a>' in html
    assert '<div id="p1" class="block">' in html
    assert "<b>Drivers</b>" not in html and "&lt;b&gt;Drivers&lt;/b&gt;" in html
    assert "<dt>Author</dt><dd>Ann Lee</dd>" in html


def test_story_page_links_related_stories(tmp_path):
    one = make_article("a1", "The bridge over the Keld river reopened on Friday after repairs.")
    two = make_article("a2", "A second bridge over the Keld river will close for repairs in May.")
    first = Story("bridge-1", "Bridge reopens", ("a1",), related=("bridge-2",))
    second = Story("bridge-2", "Second bridge to close", ("a2",))
    summaries = (
        Summary("bridge-1", (SummarySentence(one.paragraphs[0], "a1", 0, 0),)),
        Summary("bridge-2", (SummarySentence(two.paragraphs[0], "a2", 0, 0),)),
    )
    pages = render_site(
        Briefing("Brief", (one, two), (first, second), summaries), load_config(cwd=tmp_path)
    )
    html = {p.path: p.content.decode() for p in pages}
    assert (
        '<a href="../stories/bridge-2.html">Second bridge to close</a>'
        in html["stories/bridge-1.html"]
    )
    assert "Related stories" not in html["stories/bridge-2.html"]


def test_story_page_shows_quotes_only_in_details_and_timeline_escaped(tmp_path):
    quote = "“Tell them <script>alert(1)</script> is not our policy, now or ever,” said Hun Sen."
    gazette = make_article(
        "a1",
        "The Keld dam burst on Monday, flooding farms across the Ostria valley below it.",
        quote,
        "Rescuers pulled 14 people from the water near Kelby village on Tuesday night.",
        outlet="Gazette",
        published="2024-03-05",
    )
    courier = make_article(
        "a2",
        "The Keld dam burst on Monday, and water flooded farms across the Ostria valley.",
        outlet="Courier",
    )
    copy = make_article("a3", *gazette.paragraphs, outlet="Wire Daily", published="2024-03-06")
    story = Story("dam-1", "Dam bursts", ("a1", "a2", "a3"), duplicate_of=(("a3", "a1"),))
    summary = Summary("dam-1", (SummarySentence(gazette.paragraphs[0], "a1", 0, 0),))
    lone = make_article("b1", "A second bridge over the Keld river will close for repairs in May.")
    pages = render_site(
        Briefing(
            "Brief",
            (gazette, courier, copy, lone),
            (story, Story("bridge-1", "Bridge closes", ("b1",))),
            (summary, Summary("bridge-1", (SummarySentence(lone.paragraphs[0], "b1", 0, 0),))),
        ),
        load_config(cwd=tmp_path),
    )
    html = {p.path: p.content.decode() for p in pages}
    page = html["stories/dam-1.html"]
    for heading in ("quotes-heading", "only-in-heading", "timeline-heading"):
        assert f'<section aria-labelledby="{heading}">' in page and f'id="{heading}"' in page
    # The quote, its speaker and the paragraph it is quoted from; hostile text stays text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; is not our policy, now or ever" in page
    assert "<script>" not in page
    assert 'Hun Sen</span>, quoted by <a href="../articles/a1.html#p1">Gazette</a>' in page
    assert "carried by 2 outlets" in page
    # Only the Gazette (and its copy) report the rescue at Kelby.
    assert 'only in <a href="../articles/a1.html#p2">Gazette</a>' in page
    # Timeline: by date, undated last, copies marked.
    timeline = page[page.index("timeline-heading") :]
    outlets = ("Gazette", "Wire Daily", "Courier")
    first, second, last = (timeline.index(f'"outlet">{o}</span>') for o in outlets)
    assert first < second < last
    assert '<time datetime="2024-03-05">5 March 2024</time>' in page
    assert "(copy)" in page and "undated" in page
    # A one-article story has none of these sections.
    lone_page = html["stories/bridge-1.html"]
    assert "quotes-heading" not in lone_page and "timeline-heading" not in lone_page
    assert "only-in-heading" not in lone_page


def test_outlet_name_falls_back_to_the_web_site_never_the_file_name():
    assert outlet_name(make_article("a", outlet="Keld Courier")) == "Keld Courier"
    named_by_url = make_article("b", url="https://www.keld-news.example/2024/bridge")
    assert outlet_name(named_by_url) == "keld-news.example"
    unnamed = make_article("c", url="javascript:alert(1)")
    assert outlet_name(unnamed) == "Unnamed outlet"
    assert "c.txt" not in outlet_name(unnamed)


def test_story_card_says_reports_and_outlets_and_dates_ignore_late_copies():
    text = "The bridge over the Keld river reopened on Friday after repairs."
    original = make_article("a1", text, outlet="Keld Courier", published="2024-05-03")
    other = make_article("a2", text + " More later.", outlet="Dale Post", published="2024-05-04")
    late_copy = make_article("c1", text, outlet="Spam Site", published="2025-04-08")
    story = Story("bridge", "Bridge reopens", ("a1", "a2", "c1"), duplicate_of=(("c1", "a1"),))
    summary = Summary("bridge", (SummarySentence(text, "a1", 0, 0, 2),))
    brief = Briefing("Brief", (original, other, late_copy), (story,), (summary,))
    view = story_view(story, summary, brief)
    assert view.coverage == "2 reports, carried by 3 outlets"
    assert view.dates == "3 May 2024 – 4 May 2024"
    alone = Story("solo", "Bridge reopens", ("a1",))
    solo_summary = Summary("solo", ())
    solo = story_view(alone, solo_summary, Briefing("B", (original,), (alone,), (solo_summary,)))
    assert solo.coverage == "1 report from 1 outlet"


def test_markdown_images_become_links_the_page_policy_allows(tmp_path):
    from digest.site import environment

    render = environment(load_config(cwd=tmp_path)).filters["markdown"]
    html = str(render("See ![a <b> map](https://ex.org/m.png?x=1&y=2)."))
    assert "<img" not in html
    assert '<a href="https://ex.org/m.png?x=1&amp;y=2" rel="nofollow noopener">' in html
    assert "[image: a &lt;b&gt; map]" in html
