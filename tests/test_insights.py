"""Story page extras: coverage timeline and the details only one outlet has."""

from __future__ import annotations

import pytest
from conftest import make_article

from digest.candidates import candidates
from digest.insights import _as_written, _mentions, _norm, only_in, story_extras, timeline
from digest.models import Summary, SummarySentence
from digest.text import words

SHARED = "The Keld dam burst on Monday, flooding farms across the Ostria valley below it."


def dam_story():
    gazette = make_article(
        "a",
        SHARED,
        "Rescuers pulled 14 people from the water near Kelby village on Tuesday night.",
        outlet="Gazette",
    )
    courier = make_article(
        "b",
        "The Keld dam burst on Monday, and water flooded farms across the Ostria valley.",
        "Farmers across the Ostria valley said the water reached their farms within an hour.",
        outlet="Courier",
    )
    return gazette, courier


def test_only_in_finds_the_detail_one_outlet_alone_reports():
    gazette, courier = dam_story()
    [detail] = only_in([gazette, courier], {}, Summary("s", ()))
    assert detail.article_id == "a" and detail.paragraph == 1
    assert detail.text.startswith("Rescuers pulled 14 people")
    assert set(detail.details) == {"14", "Kelby"}


def test_only_in_skips_summary_sentences_and_one_source_stories():
    gazette, courier = dam_story()
    summary = Summary("s", (SummarySentence(gazette.paragraphs[1], "a", 1, 1),))
    assert only_in([gazette, courier], {}, summary) == ()
    assert only_in([gazette], {}, Summary("s", ())) == ()
    # A copy on another site is the same source, not a second one.
    copy = make_article("c", *gazette.paragraphs, outlet="Courier")
    assert only_in([gazette, copy], {"c": "a"}, Summary("s", ())) == ()


def test_timeline_orders_by_date_with_undated_last_and_marks_copies():
    undated = make_article("a", "Text.", outlet="Gazette")
    later = make_article("b", "Text.", outlet="Courier", published="2024-03-05")
    first = make_article("c", "Text.", outlet="Wire", published="2024-03-04")
    entries = timeline([undated, later, first], {"b": "c"})
    assert [(e.article_id, e.published, e.copy) for e in entries] == [
        ("c", "2024-03-04", False),
        ("b", "2024-03-05", True),
        ("a", None, False),
    ]


def test_only_in_and_story_extras_take_the_candidates_the_caller_has():
    story, summary = list(dam_story()), Summary("s", ())
    found = candidates(story, {})
    assert only_in(story, {}, summary, found) == only_in(story, {}, summary)
    assert story_extras(story, {}, summary, found=found) == story_extras(story, {}, summary)
    assert only_in(story, {}, summary, found=[]) == ()  # they are what is used


@pytest.mark.parametrize(
    ("name", "sentence", "expected"),
    [
        ("bank england", "Rates at the Bank of England rose.", "Bank of England"),
        ("bank england", "Rates at the BANK  ENGLAND rose.", "BANK  ENGLAND"),
        ("bank england", "Bankers of England met.", "bank england"),
        ("kelby", "The Kelby-born mayor and Kelby itself.", "Kelby"),
        ("u.s.", "Troops of the U.S. left.", "U.S."),
        ("14", "Rescuers pulled 14 people out, not 140.", "14"),
        ("zürich", "Banks in ZÜRICH closed.", "ZÜRICH"),  # not ASCII: the regex itself
        ("of england", "Bank of of England", "of of England"),  # a gap word first, as re does
    ],
)
def test_as_written_finds_the_name_as_the_sentence_writes_it(name, sentence, expected):
    assert _as_written(name, sentence) == expected


def test_mentions_norms_every_distinct_word_and_number():
    text = "Kim Jong-un's U.S. visit cost $1,000,000; İstanbul and ΑΘΗΝΑΣ:Β, O'Brien's 3.5%."
    expected = set().union(*map(_norm, words(text)), *map(_norm, ["1,000,000", "3.5"]))
    assert _mentions(text) == expected
    assert {"kim", "jong", "un", "us", "1000000", "35", "o'brien"} <= expected
