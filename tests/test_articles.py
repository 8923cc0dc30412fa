"""Unit tests for digest.articles: cleaning scraped pages and records into articles."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SEED_CLUTTER

from digest.articles import article_id, clean_documents, document_articles, page_lines
from digest.models import Article, Document
from digest.sources import read_folder
from digest.text import slug

SEEDS = Path(__file__).parent.parent / "seeds"

# Body of the main fixture, as a human would want it kept (the first line carries a dateline).
BODY = [
    "The city council approved a new budget on Tuesday after a debate that lasted well past "
    "midnight.",
    "The plan raises spending on parks and libraries by four percent, according to the finance "
    "office.",
    "Members who opposed the measure said the city could not afford the new hires.",
    "The mayor said she would sign the budget by the end of the week.",
    # A long paragraph whose final period the scraper lost.
    "A public hearing on the new property tax rate is scheduled for next month, and officials "
    "expect hundreds of residents to attend because the rate affects nearly every homeowner in "
    "the city",
]
TITLE = "City Council Approves New Budget After Marathon Session"
CAPTION = "Council members listen during the budget hearing at City Hall. (AP Photo/Jane Doe)"
CLUTTER = [
    "Home > World",
    "The Harbor Gazette",
    "Thu. Mar 4th, 2021",
    TITLE,
    "3 min read",
    CAPTION,
    "READ MORE: Mayor unveils plan for riverside bike lanes",
    "Sign up for our newsletter to get the stories you care about delivered to your inbox, "
    "and you can unsubscribe at any time.",
    "Related",
    "Storm Knocks Out Power Across the Northern Suburbs",
    "School Board Names New Superintendent After Long Search",
    "Local Bakery Wins National Bread Award for Sourdough",
    "Jane is a veteran reporter who has covered city hall for the Gazette since 2009.",
]
PAGE = f"""Home > World
The Harbor Gazette
Thu. Mar 4th, 2021

{TITLE}

3 min read

{CAPTION}
{CAPTION}

RIVERTON (Reuters) — {BODY[0]}

{BODY[1]}

READ MORE: Mayor unveils plan for riverside bike lanes

{BODY[2]}

{CLUTTER[7]}

{BODY[3]}

{BODY[4]}

Related
Storm Knocks Out Power Across the Northern Suburbs
School Board Names New Superintendent After Long Search
Local Bakery Wins National Bread Award for Sourdough

{CLUTTER[12]}
"""


def page_document(text: str, source_file: str = "world/council.txt") -> Document:
    return Document(source_file=source_file, text=text, kind="page")


def one_article(document: Document) -> Article:
    articles, problems = document_articles(document)
    assert problems == []
    assert len(articles) == 1
    return articles[0]


# --- the main inline page -------------------------------------------------------


@pytest.fixture(scope="module")
def council() -> Article:
    return one_article(page_document(PAGE))


def test_title_is_the_headline_not_site_name_or_related_headline(council: Article) -> None:
    assert council.title == TITLE


def test_outlet_from_short_site_name_line(council: Article) -> None:
    assert council.outlet == "The Harbor Gazette"


def test_published_date_from_header(council: Article) -> None:
    assert council.published == "2021-03-04"


def test_dateline_stripped_and_origin_recorded(council: Article) -> None:
    assert council.dateline is not None
    assert council.dateline.startswith("RIVERTON (Reuters)")
    assert council.origin == "Reuters"
    assert council.paragraphs[0] == BODY[0]
    assert "RIVERTON" not in council.body


def test_every_body_sentence_kept_verbatim_and_in_order(council: Article) -> None:
    assert list(council.paragraphs) == BODY


def test_every_clutter_line_removed_and_listed(council: Article) -> None:
    for line in CLUTTER:
        assert line not in council.paragraphs
        assert line in council.removed, line
    for marker in ["Home >", "min read", "AP Photo", "READ MORE", "Sign up", "Related", "veteran"]:
        assert marker not in council.body


def test_nothing_is_both_kept_and_removed(council: Article) -> None:
    assert not set(council.paragraphs) & set(council.removed)


def test_article_id_and_source(council: Article) -> None:
    assert council.id == "world-council"
    assert council.source_file == "world/council.txt"
    assert council.url is None


# --- header variants --------------------------------------------------------------

SHORT_BODY = "\n".join(BODY[:4]) + "\n"


def test_page_without_headline_gets_a_fallback_title_from_the_body() -> None:
    article = one_article(page_document(SHORT_BODY))
    assert article.title
    assert article.title.split()[:4] == BODY[0].split()[:4]
    assert article.published is None and article.outlet is None


# --- splitting appended articles ---------------------------------------------------

FIRST = [
    "The coast guard has sent two keepers back to the old lighthouse on Gull Island for the "
    "first time in decades.",
    "The keepers will maintain the lamp and record weather readings for the fishing fleet every "
    "morning.",
    "Officials said automated systems had failed repeatedly during last winter's storms, "
    "stranding boats offshore.",
    "The keepers will live at the station for three months at a time before rotating with a "
    "second crew.",
    "Local fishermen welcomed the decision and said the light had been unreliable for years.",
]
SECOND = [
    "A twelve-year-old player from a small mountain town won the national chess championship on "
    "Sunday.",
    "She defeated the defending champion in a tense final game that lasted more than five hours.",
    "Her coach said she practices openings every evening after finishing her homework.",
    "The tournament drew more than three hundred competitors from across the country this year.",
    "Organizers said she is the youngest champion in the event's eighty-year history.",
]
FIRST_TITLE = "Lighthouse Keepers Return to Remote Island Station"
SECOND_TITLE = "Chess Prodigy Wins National Title at Age Twelve"
TWO_ARTICLES = (
    f"{FIRST_TITLE}\n\n"
    + "\n".join(FIRST)
    + f"\n\n\n\n{SECOND_TITLE}\n{SECOND_TITLE}\n\n"
    + "\n".join(SECOND)
    + "\n"
)


def test_appended_unrelated_article_is_split_off() -> None:
    articles, problems = document_articles(page_document(TWO_ARTICLES, "pages/lighthouse.txt"))
    assert problems == []
    assert [a.id for a in articles] == ["pages-lighthouse", "pages-lighthouse-2"]
    first, second = articles
    assert first.title == FIRST_TITLE
    assert second.title == SECOND_TITLE
    assert list(first.paragraphs) == FIRST
    assert list(second.paragraphs) == SECOND
    assert SECOND_TITLE not in first.removed  # the second title belongs to the second article


def test_record_title_and_url_apply_only_to_the_first_part() -> None:
    doc = Document(
        source_file="feed.jsonl",
        text=TWO_ARTICLES,
        kind="record",
        index=1,
        id="lights",
        title="Keepers Back on Gull Island",
        url="https://example.org/lights",
    )
    articles, _ = document_articles(doc)
    assert [a.id for a in articles] == ["lights", "lights-2"]
    assert articles[0].title == "Keepers Back on Gull Island"
    assert articles[0].url == "https://example.org/lights"
    assert articles[1].title == SECOND_TITLE
    assert articles[1].url is None


DROUGHT = [
    "Farmers across the valley are selling cattle months early because the drought has dried up "
    "their pastures.",
    "Feed prices have doubled since spring, and many ranchers say they cannot afford to keep "
    "their herds.",
    "The drought is the worst the valley has seen in forty years, according to the state "
    "climate office.",
    "The price of hay has risen sharply as the drought spreads to neighboring counties and "
    "farmers compete for supplies.",
    "Some ranchers are trucking feed from hundreds of miles away to keep their cattle alive.",
    "Ranchers asked state officials for emergency drought relief to help cover the rising cost "
    "of feed.",
    "The state agriculture department said it would review the drought relief request next week.",
]


@pytest.mark.parametrize("gap", ["\n\n", "\n\n\n\n"])
def test_page_with_subheadings_on_the_same_topic_is_not_split(gap: str) -> None:
    text = (
        "Drought Forces Farmers to Sell Cattle Early\n\n"
        + "\n".join(DROUGHT[:3])
        + f"\n{gap}Feed Prices Climb\n\n"
        + "\n".join(DROUGHT[3:5])
        + f"\n{gap}Ranchers Seek Relief\n\n"
        + "\n".join(DROUGHT[5:])
        + "\n"
    )
    article = one_article(page_document(text, "drought.txt"))
    assert article.id == "drought"
    assert article.title == "Drought Forces Farmers to Sell Cattle Early"
    # Subheadings inside the body are part of the article, in place.
    assert list(article.paragraphs) == [
        *DROUGHT[:3],
        "Feed Prices Climb",
        *DROUGHT[3:5],
        "Ranchers Seek Relief",
        *DROUGHT[5:],
    ]


# --- injected spam phrases ----------------------------------------------------------

SPAM = "Zorblax Zorblax Capital Group"
BRIDGE = [
    "The old river bridge reopened to traffic on Monday after two years of repairs.",
    "Engineers replaced the steel deck and strengthened the stone piers that had cracked.",
    "Commuters had been forced to take a detour of more than twenty minutes each way.",
    "The state transportation department said the project finished a month early.",
]
BRIDGE_TITLE = "Bridge Reopens After Two Years of Repairs"


def test_stuttered_brand_removed_from_title_and_first_sentence() -> None:
    text = (
        f"{SPAM}|{BRIDGE_TITLE}\n\n"
        f"The old river bridge {SPAM} reopened to traffic on Monday after two years of repairs.\n"
        + "\n".join(BRIDGE[1:])
        + "\n"
    )
    article = one_article(page_document(text))
    assert article.title == BRIDGE_TITLE
    assert list(article.paragraphs) == BRIDGE
    assert "Zorblax" not in article.title + article.body
    assert SPAM in article.removed


def test_stuttered_brand_inside_dateline_is_removed() -> None:
    text = (
        f"{SPAM}|{BRIDGE_TITLE}\n\n"
        f"RIVERTON,{SPAM} Ohio (AP) — {BRIDGE[0]}\n" + "\n".join(BRIDGE[1:]) + "\n"
    )
    article = one_article(page_document(text))
    assert article.title == BRIDGE_TITLE
    assert "Zorblax" not in article.body
    assert article.origin == "AP"
    assert article.paragraphs[0] == BRIDGE[0]


def test_stuttered_brand_at_start_of_title_case_title_is_removed() -> None:
    text = f"{SPAM} {BRIDGE_TITLE}\n\n{SPAM} {BRIDGE[0]}\n" + "\n".join(BRIDGE[1:]) + "\n"
    article = one_article(page_document(text))
    assert "Zorblax" not in article.title + article.body


def test_a_real_repeated_name_is_not_stripped() -> None:
    # A stutter that occurs only once is not an injected phrase.
    body = [
        "Walla Walla Regional Airport added two daily flights to Seattle this spring.",
        *BRIDGE[1:],
    ]
    article = one_article(page_document(f"{BRIDGE_TITLE}\n\n" + "\n".join(body) + "\n"))
    assert list(article.paragraphs) == body


# --- JSON Lines records --------------------------------------------------------------


def test_record_metadata_overrides_what_the_text_says() -> None:
    doc = Document(
        source_file="feeds/city.jsonl",
        text=f"{TITLE} - Riverton Daily Post\nMarch 3, 2021\n\n{SHORT_BODY}",
        kind="record",
        index=4,
        id="Council Budget 2021",
        title="Council Passes Budget",
        url="https://example.org/budget",
        outlet="Harbor Gazette",
        published="2021-03-05",
    )
    article = one_article(doc)
    assert article.id == "council-budget-2021"
    assert article.title == "Council Passes Budget"
    assert article.outlet == "Harbor Gazette"
    assert article.url == "https://example.org/budget"
    assert article.published == "2021-03-05"
    assert list(article.paragraphs) == BODY[:4]


def test_record_without_metadata_gets_id_from_file_and_line() -> None:
    doc = Document(source_file="feeds/city.jsonl", text=SHORT_BODY, kind="record", index=7)
    article = one_article(doc)
    assert article.id == "feeds-city-l7"
    assert article.outlet is None and article.published is None
    assert list(article.paragraphs) == BODY[:4]


def test_record_published_date_is_iso_or_dropped() -> None:
    doc = Document(
        source_file="f.jsonl", text=SHORT_BODY, kind="record", index=1, published="March 5, 2021"
    )
    article = one_article(doc)
    assert article.published is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", article.published)


# --- problems and ids ---------------------------------------------------------------


def test_page_without_prose_is_a_problem() -> None:
    text = "Home > World\nMenu\nCity Council Approves Budget\n3 min read\nRelated\n"
    articles, problems = document_articles(page_document(text, "nav.txt"))
    assert articles == []
    assert len(problems) == 1
    assert problems[0].source_file == "nav.txt"
    assert problems[0].reason == "no article text found"


def test_clean_documents_makes_duplicate_ids_unique() -> None:
    page = f"{TITLE}\n\n{SHORT_BODY}"
    docs = [
        page_document(page, "a.txt"),
        page_document(page.replace("four percent", "five percent"), "a.txt"),
        Document(source_file="f.jsonl", text=SHORT_BODY, kind="record", index=1, id="a"),
    ]
    articles, problems = clean_documents(docs)
    ids = [a.id for a in articles]
    assert len(articles) == 3
    assert len(set(ids)) == 3
    assert ids[0] == "a"  # the first keeps its id
    assert all(i.startswith("a-") for i in ids[1:])
    assert sum("duplicate id" in p.reason for p in problems) == 2


def test_clean_documents_collects_problems_and_keeps_going() -> None:
    docs = [
        page_document("Menu\nHome > World\n", "empty.txt"),
        page_document(f"{TITLE}\n\n{SHORT_BODY}", "ok.txt"),
    ]
    articles, problems = clean_documents(docs)
    assert [a.id for a in articles] == ["ok"]
    assert [(p.source_file, p.reason) for p in problems] == [("empty.txt", "no article text found")]


def test_body_sentence_starting_with_popular_is_kept() -> None:
    extra = "Popular support for the spending plan has grown since the winter, a poll found."
    article = one_article(page_document(f"{TITLE}\n\n{SHORT_BODY}{extra}\n"))
    assert list(article.paragraphs) == [*BODY[:4], extra]


def test_long_caption_with_reuters_credit_is_not_kept() -> None:
    caption = (
        "Council members listen during a budget hearing at City Hall in Riverton on Tuesday, "
        "March 2, 2021, as residents wait to speak about the plan for parks and libraries. "
        "REUTERS/Jane Doe"
    )
    article = one_article(page_document(f"{TITLE}\n\n{caption}\n\n{SHORT_BODY}"))
    assert list(article.paragraphs) == BODY[:4]


# --- page_lines ----------------------------------------------------------------------


def test_page_lines_records_gaps_and_repeats() -> None:
    lines = page_lines("A\n\n\nB\nA\n\nC")
    assert [(ln.text, ln.index, ln.gap, ln.repeats) for ln in lines] == [
        ("A", 0, 0, 2),
        ("B", 1, 2, 1),
        ("A", 2, 0, 2),
        ("C", 3, 1, 1),
    ]


# --- seed pages -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_articles() -> list[Article]:
    documents, problems = read_folder(SEEDS)
    assert problems == []
    articles, problems = clean_documents(documents)
    assert problems == []
    return articles


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_seed_article_bodies_contain_no_clutter_markers(
    seed: str, seed_articles: list[Article]
) -> None:
    mine = [a for a in seed_articles if a.source_file == seed]
    assert mine, f"{seed} produced no article"
    for article in mine:
        found = [m for m in SEED_CLUTTER if m in article.body]
        assert found == [], f"{article.id}: {found}"


def test_seeds_produce_exactly_seven_articles(seed_articles: list[Article]) -> None:
    assert len(seed_articles) == 7
    ids = [a.id for a in seed_articles]
    assert len(set(ids)) == 7
    by_file: dict[str, int] = {}
    for article in seed_articles:
        by_file[article.source_file] = by_file.get(article.source_file, 0) + 1
    two = sorted(name for name, count in by_file.items() if count == 2)
    assert [name[:3] for name in two] == ["003", "004"]
    assert all(count == 1 for name, count in by_file.items() if name not in two)
    for name in two:
        stem = slug(Path(name).stem, 80)
        assert stem in ids and f"{stem}-2" in ids


def test_seed_appended_articles_are_about_their_own_topic(seed_articles: list[Article]) -> None:
    seconds = [a for a in seed_articles if a.id.endswith("-2")]
    assert len(seconds) == 2
    for article in seconds:
        assert "Kim" not in article.title
        assert "missile" not in article.body.lower()


def test_extracted_html_text_the_cleaner_rejects_is_kept_as_extracted() -> None:
    # Short lines only: no prose for the page cleaner, but the extractor chose them as the text.
    text = "Brain training for the PlayStation 3\n\nShould be here for the PAL launch\n"
    doc = Document(source_file="store.html", text=text, kind="extract", title="Store updated")
    [article] = document_articles(doc)[0]
    assert article.paragraphs == (
        "Brain training for the PlayStation 3",
        "Should be here for the PAL launch",
    )


def test_scraped_page_the_cleaner_rejects_is_still_a_problem() -> None:
    text = "Brain training for the PlayStation 3\n\nShould be here for the PAL launch\n"
    articles, problems = document_articles(Document(source_file="s.txt", text=text, kind="page"))
    assert articles == [] and problems[0].reason == "no article text found"


def test_long_paths_keep_distinct_ids():
    deep = "/tmp/" + "very-long-folder-name/" * 4
    docs = [
        Document(source_file=f"{deep}wire-2024-05-01-0001.txt", text="x", kind="page"),
        Document(source_file=f"{deep}wire-2024-05-01-0002.txt", text="x", kind="page"),
    ]
    ids = [article_id(d, 0) for d in docs]
    assert ids[0] != ids[1]
    assert all(len(i) <= 80 for i in ids)
    assert ids[0] == article_id(docs[0], 0)  # stable
