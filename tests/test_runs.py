"""Unit tests for digest.runs: lists of other stories' headlines and teasers on a page."""

from __future__ import annotations

from conftest import TEASERS
from test_clutter import BODY_SENTENCES

from digest.clutter import Line
from digest.runs import headline_runs, teaser_runs


def _lines(texts: list[str], gaps: list[int] | None = None) -> list[Line]:
    gaps = gaps or [0] * len(texts)
    return [
        Line(text, i, gap, texts.count(text))
        for i, (text, gap) in enumerate(zip(texts, gaps, strict=True))
    ]


# --- headline_runs --------------------------------------------------------------


def test_related_headline_list_is_flagged_but_body_is_not() -> None:
    texts = [
        BODY_SENTENCES[0],
        BODY_SENTENCES[1],
        "Related",
        "Storm Knocks Out Power Across the Northern Suburbs",
        "School Board Names New Superintendent After Long Search",
        "Local Bakery Wins National Bread Award for Sourdough",
        BODY_SENTENCES[2],
    ]
    flagged = headline_runs(_lines(texts, [0, 1, 1, 0, 0, 0, 1]))
    assert {3, 4, 5} <= flagged
    assert not flagged & {0, 1, 6}


def test_bulleted_headline_list_is_flagged() -> None:
    texts = [
        BODY_SENTENCES[0],
        "- Trump Meets Governors to Discuss the Border",
        "- Ferry Service Resumes After Storms. What to know.",
        "- Bakery wins national bread award for sourdough, judges say",
        "- Harbor Festival Draws Record Crowds",
    ]
    flagged = headline_runs(_lines(texts, [0, 1, 0, 0, 0]))
    assert flagged == {1, 2, 3, 4}


def test_two_headlines_are_not_a_list() -> None:
    texts = [
        "City Council Approves New Budget After Marathon Session",
        "Storm Knocks Out Power Across the Northern Suburbs",
        BODY_SENTENCES[0],
    ]
    assert headline_runs(_lines(texts)) == set()


def test_subheadings_separated_by_prose_are_not_a_list() -> None:
    texts = [
        "Drought Forces Farmers to Sell Cattle Early",
        BODY_SENTENCES[0],
        "Feed Prices Climb Across the Valley",
        BODY_SENTENCES[1],
        "Ranchers Seek Emergency Relief",
        BODY_SENTENCES[2],
    ]
    assert headline_runs(_lines(texts, [0, 1, 1, 1, 1, 1])) == set()


def test_prose_only_page_has_no_headline_runs() -> None:
    assert headline_runs(_lines(BODY_SENTENCES)) == set()


# --- teaser_runs ----------------------------------------------------------------


def test_headlines_each_over_a_summary_of_another_story_are_teasers() -> None:
    assert teaser_runs(_lines(TEASERS)) == set(range(6))


def test_two_teasers_are_not_a_list() -> None:
    assert teaser_runs(_lines(TEASERS[:4])) == set()


def test_article_sections_on_one_topic_are_not_teasers() -> None:
    texts = [
        "Drought Forces Farmers to Sell Cattle Early",
        "Farmers across the valley are selling cattle early because the drought has burned pastures.",
        "Feed Prices Climb Across the Valley",
        "The price of feed has doubled since spring as the drought spreads across the valley.",
        "Ranchers Seek Emergency Relief",
        "Ranchers asked the state for emergency drought relief to buy feed for their cattle.",
    ]
    assert teaser_runs(_lines(texts)) == set()
