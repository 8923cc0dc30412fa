"""Key quotes: quotation and speaker for each attribution pattern, deduped across outlets."""

from __future__ import annotations

import pytest
from conftest import make_article

from digest.quotes import quotes

SAID = "We will rebuild every school in the valley"


def quote_of(*paragraphs: str) -> list[tuple[str, str]]:
    """(quote, speaker) pairs found in one article with these paragraphs."""
    return [(q.text, q.speaker) for q in quotes([make_article("a", *paragraphs)], {})]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (f"“{SAID},” said Hun Sen.", (SAID, "Hun Sen")),
        (f"“{SAID},” Hun Sen said on Tuesday.", (SAID, "Hun Sen")),
        (f"Hun Sen said: “{SAID}.”", (f"{SAID}.", "Hun Sen")),
        (f"“{SAID},” the governor of Ostria said.", (SAID, "the governor of Ostria")),
        (f'"{SAID}," the governor of Ostria said.', (SAID, "the governor of Ostria")),
        (f"``{SAID},'' the party said in a statement.", (SAID, "the party")),
        (f"“{SAID},” Hun Sen told reporters.", (SAID, "Hun Sen")),
        (f"Hun Sen told reporters in Phnom Penh: “{SAID}!”", (f"{SAID}!", "Hun Sen")),
        (f"“{SAID},” according to Prime Minister Hun Sen.", (SAID, "Prime Minister Hun Sen")),
        (f"“{SAID},” added Col. Isaac L. Taylor, a spokesman.", (SAID, "Col. Isaac L. Taylor")),
        (f"The talks ended. “{SAID},” said Hun Sen.", (SAID, "Hun Sen")),
    ],
)
def test_quote_and_speaker_for_each_attribution_pattern(paragraph, expected):
    assert quote_of(paragraph) == [expected]


def test_quote_is_kept_verbatim_and_linked_to_its_paragraph():
    text = (
        "“Floods don’t wait — we (the council) can’t either, not for one more day,” said Ann Lee."
    )
    [quote] = quotes([make_article("a", "The river rose overnight.", text)], {})
    assert quote.text == "Floods don’t wait — we (the council) can’t either, not for one more day"
    assert quote.text in text and quote.paragraph == 1 and quote.article_id == "a"


def test_pronoun_speaker_is_the_one_name_of_the_sentence_before():
    found = quote_of(
        "Mayor Ann Lee toured the flooded district on Monday.",
        "“Every family here will have a roof over its head by winter,” she said.",
    )
    assert found == [
        ("Every family here will have a roof over its head by winter", "Mayor Ann Lee")
    ]


def test_pronoun_continues_the_last_named_speaker():
    found = quote_of(
        f"“{SAID},” Hun Sen said. “Nobody will be left behind in the rebuilding,” he added."
    )
    assert found == [(SAID, "Hun Sen"), ("Nobody will be left behind in the rebuilding", "Hun Sen")]


def test_pronoun_with_no_clear_antecedent_gives_no_quote():
    ambiguous = "Hun Sen met Prince Norodom Ranariddh in Phnom Penh on Monday."
    assert quote_of(ambiguous, "“We agreed on nothing at all today,” he said.") == []
    assert quote_of("“We agreed on nothing at all today,” he said.") == []  # nobody before it


def test_no_speaker_fragment_or_short_quote_gives_no_quote():
    assert quote_of(f"“{SAID}.”") == []  # nobody said it
    assert quote_of(f"The valley heard “{SAID}” all week.") == []
    # A phrase quoted inside a sentence is not a quotation of its own.
    assert (
        quote_of(
            "The report had Kim calling for “Maximum output of shells at every factory,” KCNA said."
        )
        == []
    )
    assert quote_of("“Never again,” Hun Sen said.") == []  # too short to be a key quote


def test_same_quote_across_outlets_counts_once_and_ranks_first():
    a = make_article("a", f"“{SAID},” Hun Sen said.", outlet="Gazette")
    b = make_article("b", f'Speaking on Monday, Hun Sen said: "{SAID}."', outlet="Courier")
    c = make_article("c", f"“{SAID},” Hun Sen said.", outlet="Wire Daily")  # a copy of a
    d = make_article(  # a second Courier article: the same outlet again
        "d",
        "“The border crossings will stay closed until further notice,” the governor said.",
        f"“{SAID},” Hun Sen said.",
        outlet="Courier",
        published="2024-01-01",
    )
    found = quotes([d, c, b, a], {"c": "a"})
    assert [(q.text, q.outlets) for q in found] == [
        (SAID, 3),
        ("The border crossings will stay closed until further notice", 1),
    ]
    assert found[0].article_id == "d"  # shown from the earliest original, never the copy


def test_at_most_five_quotes():
    paragraphs = [
        f"“Bridge number {n} will be rebuilt by the army,” said Ann Lee." for n in range(8)
    ]
    assert len(quotes([make_article("a", *paragraphs)], {})) == 5


def test_a_paragraph_without_quotation_marks_or_attribution_verbs_gives_no_quote():
    assert quote_of("Nobody said anything at all on Tuesday, officials noted.") == []
    assert quote_of(f"{SAID}, Hun Sen said.") == []
    assert quote_of(f"“{SAID},” Hun Sen declared.") == []
