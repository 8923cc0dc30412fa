"""Markdown rendering: raw HTML escaped, only http(s) links, images as links."""

from __future__ import annotations

import pytest

from digest.markup import markdown_filter

RENDER = markdown_filter()


def test_raw_html_is_escaped():
    html = str(RENDER("Hello <script>alert(1)</script> **bold**"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>bold</strong>" in html


@pytest.mark.parametrize(
    "href", ["javascript:alert(1)", "data:text/html,x", "../../etc/passwd", "//evil.example/x"]
)
def test_links_other_than_http_keep_their_text_and_lose_the_link(href):
    html = str(RENDER(f"Read [the report]({href}) now."))
    assert "href" not in html
    assert "the report" in html


def test_http_links_stay():
    html = str(RENDER("Read [the report](https://ex.org/r?a=1&b=2)."))
    assert '<a href="https://ex.org/r?a=1&amp;b=2">the report</a>' in html


def test_images_become_links_the_page_policy_allows():
    html = str(RENDER("See ![a <b> map](https://ex.org/m.png)."))
    assert "<img" not in html
    assert (
        '<a href="https://ex.org/m.png" rel="nofollow noopener">[image: a &lt;b&gt; map]</a>'
        in html
    )
