"""Names and numbers: the evidence that tells two events of one kind apart."""

from __future__ import annotations

from digest.entities import names_and_numbers


def test_names_are_found_whole_and_word_by_word() -> None:
    found = names_and_numbers("The quake hit Kim Jong Un's town, the New York Times said.")
    assert "new york times" in found and "new" in found and "times" in found
    assert "kim jong un's" in found


def test_numbers_are_found() -> None:
    assert names_and_numbers("A magnitude 6.1 quake killed 3,502 people and 7 dogs.") == [
        "6.1",
        "3,502",
        "7",
    ]


def test_a_common_word_opening_a_sentence_is_not_a_name() -> None:
    found = names_and_numbers("Rescue teams arrived. Officials said the Valparo harbour was shut.")
    assert found == ["valparo"]


def test_names_do_not_run_across_sentences_and_weekdays_are_dropped() -> None:
    found = names_and_numbers(
        "The talks ended on Tuesday. Officials at the Department of Energy left."
    )
    assert found == ["department energy", "department", "energy"]


def test_initials_stay_one_name() -> None:
    assert names_and_numbers("Troops from the U.S. arrived.") == ["u.s."]


def test_names_and_numbers_start_words_only():
    # A capital or digit inside a word starts nothing; numbers with separators stay whole.
    found = names_and_numbers("He met McDonald at 10:30 with iPhone x2 and 1,000 A1 units.")
    assert found == ["mcdonald", "10:30", "1,000", "a1"]


def test_a_name_of_common_words_and_one_other_is_that_word() -> None:
    # "The Hague" loses "the"; what is left is one word, kept unless it opens the sentence.
    assert names_and_numbers("Talks moved to The Hague on Monday.") == ["hague"]
    assert names_and_numbers("The Hague hosted the talks.") == []
    assert names_and_numbers("On Monday. Officials met.") == []  # only common or opening words
