"""Extractive summaries: verbatim sentences, provenance, no repeats, length, every summarizer."""

from __future__ import annotations

import pytest
from conftest import make_article

from digest.summaries import SUMMARIZERS, candidates, summarize
from digest.text import words

A = make_article(
    "a",
    "The city council of Brackton approved a new tram line on Monday after a year of debate.",
    "The tram line will connect the Brackton railway station with the university campus.",
    "Construction is expected to begin next spring and cost 300 million euros.",
    "He also said the plan was good.",
    "Will the tram be on time?",
    outlet="Brackton Herald",
    published="2024-03-04",
)
B = make_article(
    "b",
    "Brackton's council voted on Monday to build a tram line to the university campus.",
    "The new tram line will cost 300 million euros, with construction starting next spring.",
    "Opponents of the Brackton tram said buses would have been cheaper.",
    outlet="City Times",
    published="2024-03-05",
)
COPY = make_article("c", *A.paragraphs, outlet="Wire Daily", published="2024-03-04")


def body_of(article_id):
    return {"a": A, "b": B, "c": COPY}[article_id].body


@pytest.mark.parametrize("name", sorted(SUMMARIZERS))
def test_every_summarizer_quotes_sentences_verbatim(name):
    summary = summarize("s", [A, B, COPY], {"c": "a"}, 60, name)
    assert summary.sentences, name
    for sentence in summary.sentences:
        assert sentence.text in body_of(sentence.article_id)


def test_copies_count_once_and_raise_corroboration():
    pool = candidates([A, B, COPY], {"c": "a"})
    texts = [c.text for c in pool]
    assert len(texts) == len(set(texts))
    assert all(c.article_id != "c" for c in pool)
    first = next(c for c in pool if c.text.startswith("The city council"))
    assert first.outlets == 2  # stated by the Herald and by the wire copy


def test_questions_and_fragments_are_not_candidates():
    pool = [c.text for c in candidates([A], {})]
    assert "Will the tram be on time?" not in pool
    assert all(len(words(t)) >= 6 for t in pool)


def test_no_two_sentences_say_the_same_thing():
    summary = summarize("s", [A, B], {}, 200)
    texts = [s.text for s in summary.sentences]
    cost = [t for t in texts if "300 million euros" in t]
    assert len(cost) == 1, texts


def test_length_follows_word_budget():
    short = summarize("s", [A, B], {}, 10)
    long = summarize("s", [A, B], {}, 100)
    assert len(short.sentences) == 1
    assert len(long.sentences) > len(short.sentences)


def test_sentences_are_in_reading_order():
    summary = summarize("s", [B, A], {}, 100)
    order = [(("a", "b").index(s.article_id), s.position) for s in summary.sentences]
    assert order == sorted(order)  # A was published first


def test_lead_sentence_is_chosen_for_short_summary():
    summary = summarize("s", [A, B], {}, 20)
    assert summary.sentences[0].position == 0


def test_empty_and_one_sentence_articles():
    empty = make_article("e")
    one = make_article("o", "The museum of Lindow reopened on Friday after two years of repairs.")
    assert summarize("s", [empty], {}, 100).sentences == ()
    summary = summarize("s", [empty, one], {}, 100)
    assert [s.text for s in summary.sentences] == [one.paragraphs[0]]


def test_quote_heavy_article_keeps_quotes_intact():
    quoted = make_article(
        "q",
        "“We will rebuild every school in the valley,” the governor of Ostria said on Tuesday.",
        "“The floods took everything from us,” said a farmer in the Ostria valley.",
        "The governor said repairs to the Ostria valley schools would take two years.",
    )
    summary = summarize("s", [quoted], {}, 100)
    for s in summary.sentences:
        assert s.text.count("“") == s.text.count("”")
        assert s.text in quoted.body


def test_concepts_summarizer_covers_what_the_articles_share_without_repeating_it():
    summary = summarize("s", [A, B], {}, 30, "concepts")
    texts = [s.text for s in summary.sentences]
    # The tram line and its cost are stated by both articles; one sentence carries each once.
    assert any("tram line" in t for t in texts)
    assert sum("300 million euros" in t for t in texts) <= 1
    assert sum(len(words(t)) for t in texts[:-1]) < 30  # stops once the budget is reached
    assert not any(t.startswith("He also said") for t in texts)
