"""digest.json: the machine-readable export."""

from __future__ import annotations

import json

from conftest import make_article

from digest.export import export_data, export_page
from digest.models import Briefing, Problem, Story, Summary, SummarySentence


def test_export_holds_stories_articles_and_copies():
    a = make_article("a", "First paragraph here.", "Second paragraph here.", url="javascript:x")
    b = make_article("b", "First paragraph here.", "Second paragraph here.", url="https://x.org/b")
    story = Story("s1", "A story", ("a", "b"), duplicate_of=(("b", "a"),), terms=("first",))
    summary = Summary("s1", (SummarySentence("First paragraph here.", "a", 0, 0, 2),))
    problem = Problem("bad.pdf", "skipped: unknown file type .pdf")
    data = export_data(Briefing("T", (a, b), (story,), (summary,), problems=(problem,)))
    assert data["stories"][0]["article_ids"] == ["a", "b"]
    assert data["stories"][0]["summary"] == [
        {"text": "First paragraph here.", "article_id": "a", "paragraph": 0, "outlets": 2}
    ]
    by_id = {x["id"]: x for x in data["articles"]}
    assert by_id["a"]["body"] == "First paragraph here.\n\nSecond paragraph here."
    assert by_id["a"]["url"] is None  # unsafe scheme never exported
    assert by_id["b"]["url"] == "https://x.org/b"
    assert by_id["b"]["duplicate_of"] == "a" and by_id["a"]["duplicate_of"] is None
    assert data["problems"] == [{"file": "bad.pdf", "reason": "skipped: unknown file type .pdf"}]


def test_export_page_is_utf8_json():
    a = make_article("a", "Türkiye’s “talks” resumed.")
    story = Story("s", "Türkiye", ("a",))
    page = export_page(Briefing("T", (a,), (story,), (Summary("s", ()),)))
    assert page.path == "digest.json"
    assert "Türkiye’s" in page.content.decode("utf-8")
    assert json.loads(page.content)["articles"][0]["title"] == "Title of a"


def test_export_carries_quotes_and_timeline():
    a = make_article(
        "a",
        "“We will rebuild every school in the valley,” said Hun Sen.",
        outlet="Gazette",
        published="2024-03-05",
    )
    b = make_article(
        "b",
        "“We will rebuild every school in the valley,” said Hun Sen.",
        outlet="Courier",
        published="2024-03-04",
    )
    story = Story("s", "Schools", ("a", "b"), duplicate_of=(("a", "b"),))
    data = export_data(Briefing("T", (a, b), (story,), (Summary("s", ()),)))
    assert data["stories"][0]["timeline"] == ["b", "a"]
    assert data["stories"][0]["quotes"] == [
        {
            "text": "We will rebuild every school in the valley",
            "speaker": "Hun Sen",
            "article_id": "b",
            "paragraph": 0,
            "outlets": 2,
        }
    ]


def test_json_bytes_is_one_item_a_line_and_loads_back():
    from digest.export import json_bytes

    data = {"version": 1, "stories": [{"t": 'é \u2028 "q"'}, {"t": "b"}], "none": [], "x": None}
    text = json_bytes(data).decode("utf-8")
    assert json.loads(text) == data
    assert text.split("\n") == [
        "{",
        '  "version": 1,',
        '  "stories": [',
        '    {"t": "é \u2028 \\"q\\""},',
        '    {"t": "b"}',
        "  ],",
        '  "none": [],',
        '  "x": null',
        "}",
        "",
    ]
