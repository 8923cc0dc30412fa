"""Lines recurring across pages of one site are furniture; lines of wire copies are not."""

from __future__ import annotations

from digest.articles import clean_documents
from digest.boilerplate import furniture, page_lines, shared_lines
from digest.models import Document

TEMPLATE = ["Home", "Local News", "Contact Us"]
FOOTER = "Our newsroom publishes local stories every day and thanks its loyal readers."
STORIES = [
    [
        "The city council voted on Tuesday to expand the riverside park by twelve acres.",
        "The expansion will add walking trails, a playground and a small boat launch.",
        "Construction is expected to start in the spring and to take eighteen months.",
    ],
    [
        "A fire destroyed an empty warehouse near the harbor early on Sunday morning.",
        "Firefighters from three towns fought the blaze for more than five hours.",
        "Investigators have not yet said what caused the fire, officials said.",
    ],
    [
        "The school board named a new superintendent after a search that lasted months.",
        "She previously led a district of twenty schools in a neighboring county.",
        "Her contract runs for four years and begins at the start of July.",
    ],
]


def _page(name: str, lines: list[str]) -> Document:
    return Document(source_file=name, text="\n".join(lines) + "\n", kind="page")


def test_a_prose_footer_on_three_pages_of_one_site_is_furniture() -> None:
    pages = [_page(f"p{i}.txt", [*TEMPLATE, *body, FOOTER]) for i, body in enumerate(STORIES)]
    assert FOOTER in shared_lines(pages)
    articles, _ = clean_documents(pages)
    assert all(FOOTER not in a.paragraphs for a in articles)
    assert [list(a.paragraphs) for a in articles] == STORIES


def test_the_same_footer_on_two_pages_is_not_enough() -> None:
    pages = [_page(f"p{i}.txt", [*TEMPLATE, *body, FOOTER]) for i, body in enumerate(STORIES[:2])]
    assert FOOTER not in shared_lines(pages)


def test_a_wire_story_on_three_sites_is_not_furniture() -> None:
    wire = STORIES[0]
    pages = [
        _page("a.txt", ["Valley Times", "Sport", *wire, *STORIES[1]]),
        _page("b.txt", ["Harbor Gazette", "Weather", *wire, *STORIES[2]]),
        _page("c.txt", ["River Post", "Opinion", *wire]),
    ]
    assert shared_lines(pages) == frozenset()


def test_copies_on_one_site_are_not_furniture() -> None:
    # One site running the same story three times: the shared lines are most of each page.
    pages = [_page(f"p{i}.txt", [*TEMPLATE, *STORIES[0]]) for i in range(3)]
    assert not set(STORIES[0]) & shared_lines(pages)


def test_records_are_never_counted() -> None:
    pages = [
        Document(
            source_file="r.jsonl",
            text="\n".join([*TEMPLATE, *body, FOOTER]),
            kind="record",
            index=i,
        )
        for i, body in enumerate(STORIES)
    ]
    assert shared_lines(pages) == frozenset()


def test_pages_counted_in_separate_batches_give_the_same_furniture() -> None:
    # The build counts each page's lines on the engine's workers, a batch at a time.
    pages = [_page(f"p{i}.txt", [*TEMPLATE, *body, FOOTER]) for i, body in enumerate(STORIES)]
    record = Document(source_file="r.jsonl", text=FOOTER, kind="record", index=0)
    documents = [pages[0], record, *pages[1:]]
    batched = page_lines(documents[:2]) + page_lines(documents[2:])
    assert batched[1] is None
    assert batched[0] == {line: len(line.split()) for line in [*TEMPLATE, *STORIES[0], FOOTER]}
    assert furniture(batched) == shared_lines(documents) == {*TEMPLATE, FOOTER}
