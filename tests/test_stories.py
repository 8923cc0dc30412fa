"""Grouping articles into stories and folding copies."""

from __future__ import annotations

import random

from conftest import make_article

from digest.stories import fold_copies, group_stories, rank_stories

QUAKE_A = (
    "A magnitude 6.1 earthquake struck the coastal city of Valparo on Tuesday morning.",
    "Rescue teams in Valparo pulled twelve survivors from collapsed apartment blocks.",
    "The Valparo quake damaged the harbour and cut power to forty thousand homes.",
)
QUAKE_B = (
    "Survivors of Tuesday's Valparo earthquake spent the night outdoors as aftershocks continued.",
    "Officials said the magnitude 6.1 quake destroyed apartment blocks near the Valparo harbour.",
    "Power was restored to some homes in Valparo, rescue teams said.",
)
ELECTION = (
    "Voters in Norland elected a new parliament on Sunday after a bitter campaign about taxes.",
    "The Green Alliance won most seats in the Norland parliament, ballot counts showed.",
    "Turnout in the Norland parliamentary election reached seventy percent.",
)


def corpus():
    return [
        make_article("quake-a", *QUAKE_A, outlet="Daily Planet"),
        make_article("quake-b", *QUAKE_B, outlet="Morning Star"),
        make_article("quake-copy", *QUAKE_A, outlet="Evening Post"),
        make_article("vote", *ELECTION, outlet="Daily Planet"),
    ]


def as_sets(stories):
    return sorted(sorted(s.article_ids) for s in stories)


def test_rewrites_join_and_other_events_stay_apart():
    stories = group_stories(corpus(), story_threshold=0.3, copy_threshold=0.8)
    assert as_sets(stories) == [["quake-a", "quake-b", "quake-copy"], ["vote"]]


def test_exact_copy_is_folded_onto_one_original():
    stories = group_stories(corpus(), story_threshold=0.3, copy_threshold=0.8)
    quake = next(s for s in stories if "quake-a" in s.article_ids)
    assert len(quake.duplicate_of) == 1
    copy, original = quake.duplicate_of[0]
    assert {copy, original} == {"quake-a", "quake-copy"}
    assert "quake-b" in quake.original_ids and copy not in quake.original_ids


def test_earlier_article_is_the_original():
    early = make_article("z-early", *QUAKE_A, published="2024-01-01")
    late = make_article("a-late", *QUAKE_A, published="2024-01-03")
    assert fold_copies([late, early], 0.8) == {"a-late": "z-early"}


def test_light_edit_is_still_a_copy_but_a_rewrite_is_not():
    edited = make_article("edited", *QUAKE_A[:2], QUAKE_A[2].replace("forty", "40"))
    copies = fold_copies(
        [make_article("orig", *QUAKE_A), edited, make_article("re", *QUAKE_B)], 0.8
    )
    assert copies == {"orig": "edited"} or copies == {"edited": "orig"}


def test_grouping_ignores_input_order():
    articles = corpus()
    expected = group_stories(articles, 0.3, 0.8)
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert group_stories(shuffled, 0.3, 0.8) == expected


def test_story_records_terms_and_similarities():
    stories = group_stories(corpus(), 0.3, 0.8)
    quake = next(s for s in stories if "quake-a" in s.article_ids)
    assert "valparo" in quake.terms
    sims = dict(quake.similarity)
    assert set(sims) == set(quake.article_ids)
    assert all(0.0 < v <= 1.0 for v in sims.values())


def test_every_article_in_exactly_one_story():
    stories = group_stories(corpus(), 0.3, 0.8)
    ids = [a for s in stories for a in s.article_ids]
    assert sorted(ids) == sorted(a.id for a in corpus())


def test_story_ids_are_stable_and_unique():
    first = [s.id for s in group_stories(corpus(), 0.3, 0.8)]
    assert len(set(first)) == len(first)
    assert first == [s.id for s in group_stories(list(reversed(corpus())), 0.3, 0.8)]


def test_rank_puts_most_outlets_first():
    articles = corpus()
    stories = group_stories(articles, 0.3, 0.8)
    ranked = rank_stories(stories, {a.id: a for a in articles})
    assert "quake-a" in ranked[0].article_ids
    assert ranked[-1].article_ids == ("vote",)


def test_no_articles_gives_no_stories():
    assert group_stories([], 0.3, 0.8) == []


def test_articles_without_content_words_each_stand_alone():
    a = make_article("a", "It is what it is and so it was.", title="It is")
    b = make_article("b", "So it was and it is what it is.", title="So it")
    stories = group_stories([a, b], 0.3, 0.8)
    assert as_sets(stories) == [["a"], ["b"]] or as_sets(stories) == [["a", "b"]]
    assert sorted(x for s in stories for x in s.article_ids) == ["a", "b"]
