"""Candidate sentences: copies counted once, fragments, questions and broken quotes left out."""

from __future__ import annotations

from dataclasses import replace

from conftest import make_article

from digest.candidates import (
    MIN_WORDS,
    candidates,
    has_quote,
    is_candidate,
    lowered_words,
    without_dateline,
)
from digest.text import words

A = make_article(
    "a",
    "The city council of Brackton approved a new tram line on Monday after a year of debate.",
    "The tram line will connect the Brackton railway station with the university campus.",
    "Will the tram be on time for the students of Brackton next year?",
    "He also said the plan was good.",
    outlet="Brackton Herald",
    published="2024-03-04",
)
COPY = make_article("c", *A.paragraphs, outlet="Wire Daily", published="2024-03-04")


def test_copies_count_once_and_raise_corroboration():
    pool = candidates([A, COPY], {"c": "a"})
    texts = [c.text for c in pool]
    assert len(texts) == len(set(texts))
    assert all(c.article_id == "a" for c in pool)
    first = next(c for c in pool if c.text.startswith("The city council"))
    assert first.outlets == 2  # stated by the Herald and by the wire copy


def test_questions_and_fragments_are_not_candidates():
    pool = [c.text for c in candidates([A], {})]
    assert not any(t.startswith("Will the tram") for t in pool)
    assert "He also said the plan was good." not in pool  # 7 words: too short to stand alone
    assert pool and all(len(words(t)) >= MIN_WORDS for t in pool)


def test_short_sentences_stand_in_when_a_story_has_nothing_longer():
    short = make_article("s", "The bridge over the Lune reopened on Friday.", "Traffic is light.")
    assert [c.text for c in candidates([short], {})] == [short.paragraphs[0]]


def test_pieces_of_a_quotation_split_across_sentences_are_left_out():
    assert not is_candidate("I don't think that they're ready to make a deal at all,'' he said.")
    assert not is_candidate("“We will rebuild every school in the valley before the winter.")
    assert is_candidate("“We will rebuild every school in the valley,” the governor said.")
    assert is_candidate("``We will rebuild every school in the valley,'' the governor said.")


def test_sentences_must_open_like_a_sentence():
    assert not is_candidate("and then the council of Brackton voted for the tram line again.")
    assert is_candidate("The council of Brackton voted for the new tram line on Monday night.")


def test_wire_dateline_is_cut_off_a_sentence():
    assert (
        without_dateline("SEOUL, South Korea (AP) — North Korea fired a missile on Sunday.")
        == "North Korea fired a missile on Sunday."
    )
    assert without_dateline("LONDON -- Prices rose in May.") == "Prices rose in May."
    plain = "U.N. officials - and aid workers - arrived on Monday."
    assert without_dateline(plain) == plain


def test_position_counts_every_sentence_of_the_article():
    pool = candidates([A], {})
    positions = {c.text: c.position for c in pool}
    assert positions[A.paragraphs[1]] == 1
    assert all(c.paragraph == c.position for c in pool)  # one sentence per paragraph here


def test_quoted_speech_is_recognised():
    assert has_quote("“We will rebuild,” the governor said.")
    assert has_quote("``We will rebuild,'' the governor said.")
    assert not has_quote("The governor said the schools would be rebuilt.")


def test_lowered_words_are_the_words_lower_cased():
    turkish = make_article(
        "t",
        "İstanbul and ΑΘΗΝΑΣ:Β signed the new tram agreement on Monday after a long debate.",
    )
    pool = candidates([A, turkish], {})
    assert any("İ" in c.text for c in pool)
    for c in pool:
        assert c.key and lowered_words(c) == [w.lower() for w in words(c.text)]
    made = replace(pool[0], key="")  # a candidate made by hand knows no key
    assert lowered_words(made) == [w.lower() for w in words(made.text)]
