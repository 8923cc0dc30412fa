"""Unit tests for digest.metadata: an article's title, outlet, date and dateline from its page."""

from __future__ import annotations

import pytest
from test_articles import BODY, SHORT_BODY, TITLE, one_article, page_document


@pytest.mark.parametrize("separator", [" - ", " | ", " — "])
def test_outlet_from_title_site_name_header_line(separator: str) -> None:
    article = one_article(
        page_document(
            f"{TITLE}{separator}Riverton Daily Post\nPublished 3 March 2021\n\n{SHORT_BODY}"
        )
    )
    assert article.title == TITLE
    assert article.outlet == "Riverton Daily Post"
    assert article.published == "2021-03-03"


def test_related_headline_in_header_is_not_the_title() -> None:
    text = (
        "Riverton Daily Post\n"
        "Date:2021-03-03 08:15:00\n"
        "Storm Knocks Out Power Across the Northern Suburbs\n"
        f"{TITLE}\n\n{SHORT_BODY}"
    )
    article = one_article(page_document(text))
    assert article.title == TITLE
    assert article.outlet == "Riverton Daily Post"
    assert article.published == "2021-03-03"


def test_date_under_the_headline_beats_the_masthead_date() -> None:
    # The masthead shows the day the page was scraped; the article's own date follows its title.
    text = f"Mon. Nov 20th, 2023\nRiverton Daily Post\n{TITLE}\nMarch 3, 2021\n\n{SHORT_BODY}"
    assert one_article(page_document(text)).published == "2021-03-03"


def test_masthead_date_is_used_when_the_article_gives_none() -> None:
    text = f"Mon. Nov 20th, 2023\nRiverton Daily Post\n{TITLE}\n\n{SHORT_BODY}"
    assert one_article(page_document(text)).published == "2023-11-20"


def test_ap_dateline_with_place_and_region() -> None:
    article = one_article(page_document(f"{TITLE}\n\nSEOUL, South Korea (AP) — {SHORT_BODY}"))
    assert article.origin == "AP"
    assert article.dateline is not None and article.dateline.startswith("SEOUL, South Korea")
    assert article.paragraphs[0] == BODY[0]


def test_dateline_without_agency() -> None:
    article = one_article(page_document(f"{TITLE}\n\nWASHINGTON — {SHORT_BODY}"))
    assert article.dateline is not None and article.dateline.startswith("WASHINGTON")
    assert article.origin is None
    assert article.paragraphs[0] == BODY[0]


def test_no_dateline_leaves_first_paragraph_alone() -> None:
    article = one_article(page_document(f"{TITLE}\n\n{SHORT_BODY}"))
    assert article.dateline is None and article.origin is None
    assert list(article.paragraphs) == BODY[:4]
