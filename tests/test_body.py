"""Finding the article body among a page's lines: main run, comments, teasers, repeats."""

from __future__ import annotations

from conftest import TEASERS

from digest.articles import page_lines
from digest.body import (
    body_indexes,
    filled_body,
    first_copies,
    main_body,
    prose_indexes,
    prose_runs,
)
from digest.clutter import Facts

ARTICLE = [
    "The city council voted on Tuesday to expand the riverside park by twelve acres.",
    "The expansion will add walking trails, a playground and a small boat launch for kayaks.",
    "Council members said the land was bought from a rail company that no longer needed it.",
    "Construction is expected to start in the spring and to take about eighteen months.",
    "Residents who spoke at the meeting mostly welcomed the plan but asked for more parking.",
]
COMMENTS = [
    "I think this is a great idea and I hope they finish it before my kids grow up.",
    "Another waste of taxpayer money while the roads in my street are full of holes.",
]


def _body(lines_text: list[str]) -> list[str]:
    lines = page_lines("\n".join(lines_text))
    return [lines[i].text for i in body_indexes(lines)]


def test_the_article_run_is_kept_whole() -> None:
    assert _body(["Home", "News", "Park Plan Approved", *ARTICLE, "Contact us"]) == ARTICLE


def test_a_short_run_of_sidebar_prose_far_from_the_article_is_dropped() -> None:
    sidebar = "Our newsroom has been serving the valley for more than one hundred years now."
    page = [sidebar, "Sport", "Weather", "Traffic", "Jobs", *ARTICLE]
    assert _body(page) == ARTICLE


def test_reader_comments_under_a_heading_are_cut() -> None:
    page = [*ARTICLE, "Comments (2)", "Posted by Sam", *COMMENTS]
    assert _body(page) == ARTICLE
    page = [*ARTICLE, "Have your say", *COMMENTS]
    assert _body(page) == ARTICLE


def test_a_comment_count_in_the_header_does_not_cut_the_article() -> None:
    page = ["Park Plan Approved", "12 Comments", *ARTICLE]
    assert _body(page) == ARTICLE


def test_short_lines_inside_the_article_are_kept() -> None:
    # A subheading, and a sentence the scraper split at a link.
    page = [*ARTICLE[:2], "What Comes Next", ARTICLE[2], "according to", ARTICLE[3]]
    assert _body(page) == page


def test_clutter_inside_the_article_is_still_removed() -> None:
    page = [*ARTICLE[:2], "Advertisement", *ARTICLE[2:]]
    assert _body(page) == ARTICLE


def test_a_list_of_teasers_is_not_article_text() -> None:
    assert _body([*ARTICLE, "More Local News", *TEASERS]) == ARTICLE


def test_a_page_showing_its_article_twice_keeps_one_copy() -> None:
    page = ["Park Plan Approved", *ARTICLE, "Share", *ARTICLE, "Contact us"]
    assert _body(page) == ARTICLE


def test_a_lone_repeated_line_is_not_a_passage() -> None:
    caption = "Children play in the riverside park on a sunny afternoon in June."
    lines = page_lines("\n".join([caption, *ARTICLE, caption]))
    assert first_copies(lines) == set()
    assert 0 not in prose_indexes(lines)


def test_prose_runs_split_where_many_other_lines_intervene() -> None:
    page = [*ARTICLE[:2], "Sport", "Weather", "Traffic", *ARTICLE[2:]]
    lines = page_lines("\n".join(page))
    assert prose_runs(lines, prose_indexes(lines)) == [[0, 1], [5, 6, 7]]


def test_a_page_without_prose_has_no_body() -> None:
    assert _body(["Home", "News", "Sport", "Weather"]) == []


def test_a_page_of_punctuation_only_has_no_body() -> None:
    assert _body(["-->", "|", "»"]) == []


def test_extracted_text_keeps_every_non_furniture_line_inside_the_article() -> None:
    # Three short lines between two halves of the article: too far apart for a scraped page,
    # but text an extractor cut from the page keeps them (it removed the page's furniture).
    page = [*ARTICLE[:3], "The Vote", "In Detail", "What Next", *ARTICLE[3:], "Advertisement"]
    lines = page_lines("\n".join(page))
    scraped = [lines[i].text for i in body_indexes(lines)]
    extracted = [lines[i].text for i in body_indexes(lines, extracted=True)]
    assert "In Detail" not in scraped and ARTICLE[3] in scraped
    assert extracted == page[:-1]


def test_main_body_then_filling_in_is_body_indexes() -> None:
    page = [*ARTICLE[:3], "The Vote", "In Detail", "What Next", *ARTICLE[3:], "Advertisement"]
    lines = page_lines("\n".join(page))
    facts = Facts()
    main = main_body(lines, facts)
    for extracted in (False, True):
        assert filled_body(lines, main, extracted, facts) == body_indexes(lines, extracted)
        assert body_indexes(lines, extracted, facts) == body_indexes(lines, extracted)
