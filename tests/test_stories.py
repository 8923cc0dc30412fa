"""Grouping articles into stories and folding copies."""

from __future__ import annotations

import random

from conftest import make_article

from digest.stories import group_stories, rank_stories

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


def test_story_id_stays_when_later_coverage_joins():
    first = make_article("quake-a", *QUAKE_A, published="2024-05-07")
    second = make_article("quake-b", *QUAKE_B, published="2024-05-08")
    later = make_article(  # its id sorts first and its text is the most central
        "aa-later",
        *QUAKE_A[:2],
        *QUAKE_B[:2],
        title="Valparo earthquake: rescue goes on through the night",
        published="2024-05-09",
    )
    (before,) = group_stories([first, second], 0.3, 0.8)
    (after,) = group_stories([first, second, later], 0.3, 0.8)
    assert set(after.article_ids) == {"quake-a", "quake-b", "aa-later"}
    assert after.id == before.id


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


# --- same topic, other event; related stories; the candidate index ------------------------

QUAKE_OTHER = (
    "A magnitude 5.2 earthquake struck the mountain town of Tormel on Friday night.",
    "Rescue teams in Tormel searched two collapsed farm houses, the governor said.",
    "The Tormel quake cut power to three villages and cracked the old church tower.",
)


def test_a_tight_story_does_not_take_in_another_event_of_the_same_kind():
    wire = [make_article(f"wire-{i}", *QUAKE_A, outlet=f"Outlet {i}") for i in range(3)]
    other = make_article("tormel", *QUAKE_OTHER, outlet="Mountain News")
    articles = [*wire, other, make_article("vote", *ELECTION)]
    stories = group_stories(articles, story_threshold=0.12, copy_threshold=0.8)
    assert ["tormel"] in as_sets(stories)
    # Without the cohesion bar the topical article joins the wire story at this threshold.
    loose = group_stories(articles, story_threshold=0.12, copy_threshold=0.8, cohesion=0.0)
    assert ["tormel"] not in as_sets(loose)


def test_stories_on_one_topic_link_to_each_other_and_not_to_others():
    articles = [
        *corpus(),
        make_article("tormel", *QUAKE_OTHER, outlet="Mountain News"),
    ]
    stories = {s.article_ids[0]: s for s in group_stories(articles, 0.12, 0.8)}
    by_id = {s.id: s for s in stories.values()}
    quake = next(s for s in stories.values() if "quake-a" in s.article_ids)
    tormel = next(s for s in stories.values() if "tormel" in s.article_ids)
    vote = next(s for s in stories.values() if "vote" in s.article_ids)
    assert quake.related == (tormel.id,)
    assert tormel.related == (quake.id,)
    assert vote.related == ()
    assert all(r in by_id for s in stories.values() for r in s.related)


def test_a_term_heading_too_many_articles_makes_no_candidate_pairs(monkeypatch):
    import numpy as np
    from scipy.sparse import csr_matrix

    import digest.stories as stories

    # Columns: a term all three articles share, then one only the first two share.
    matrix = csr_matrix(np.array([[0.8, 0.6], [0.8, 0.6], [1.0, 0.0]]))
    monkeypatch.setattr(stories, "MAX_TERM_ARTICLES", 2)
    pairs = stories._candidate_pairs(matrix, 0.1)
    # 0-1 share the rare term; 0-2 and 1-2 share only the common one, which is not indexed.
    assert set(pairs) == {(0, 1)}
    assert abs(pairs[(0, 1)] - 1.0) < 1e-9
    monkeypatch.setattr(stories, "MAX_TERM_ARTICLES", 3)
    assert set(stories._candidate_pairs(matrix, 0.1)) == {(0, 1), (0, 2), (1, 2)}


def test_candidate_pairs_are_the_same_in_blocks_and_threads(monkeypatch):
    import numpy as np
    from scipy.sparse import csr_matrix

    import digest.stories as stories

    rng = np.random.default_rng(5)
    dense = rng.random((40, 12)) * (rng.random((40, 12)) < 0.3)
    dense /= np.maximum(np.linalg.norm(dense, axis=1, keepdims=True), 1e-12)
    matrix = csr_matrix(dense)
    whole = stories._candidate_pairs(matrix, 0.1)
    # Every pair of rows sharing a term, scored by its cosine, each once (a < b).
    expected = {
        (a, b): float(dense[a] @ dense[b])
        for a in range(40)
        for b in range(a + 1, 40)
        if float(dense[a] @ dense[b]) >= 0.1 and (dense[a] * dense[b]).any()
    }
    assert whole.keys() <= expected.keys() and len(whole) > 20
    assert all(abs(whole[k] - expected[k]) < 1e-9 for k in whole)
    monkeypatch.setattr(stories, "PAIR_ROWS", 7)  # six blocks of rows
    monkeypatch.setattr(stories, "PAIR_BATCH", 5)
    for threads in (1, 2, 4):
        pairs = stories._candidate_pairs(matrix, 0.1, threads)
        assert list(pairs.items()) == list(whole.items())  # same pairs, same order


def test_grouping_is_the_same_with_threads():
    articles = corpus() + [
        make_article(f"vote-{k}", *ELECTION[k:], outlet="Star") for k in range(2)
    ]
    one = group_stories(articles, story_threshold=0.3, copy_threshold=0.8)
    assert group_stories(articles, story_threshold=0.3, copy_threshold=0.8, threads=2) == one


def test_vectors_are_made_with_each_feature_batch_in_one_run(monkeypatch):
    # Records whose ids do not follow the input order (a JSON Lines dump): in id order the two
    # batches interleave, and the TF-IDF would renumber each row's terms on its own.
    from digest import stories
    from digest.features import featurize_batch, unbatched

    texts = [f"The council of town {n} voted on the harbour budget on Monday." for n in range(8)]
    articles = [make_article(f"id{(n * 5) % 8}", text) for n, text in enumerate(texts)]
    features = unbatched(featurize_batch(articles[:4]) + featurize_batch(articles[4:]))
    runs: list[int] = []
    real = stories.vectors

    def spy(found):
        vocabularies = [f.vocabulary for f in found]
        pairs = zip(vocabularies, vocabularies[1:], strict=False)
        runs.append(1 + sum(a is not b for a, b in pairs))
        return real(found)

    monkeypatch.setattr(stories, "vectors", spy)
    grouped = group_stories(articles, 0.12, 0.8, features=features)
    assert runs == [2]
    monkeypatch.setattr(stories, "vectors", real)
    assert grouped == group_stories(list(reversed(articles)), 0.12, 0.8)
