"""Folding copies: near-identical texts found through MinHash bands, the earliest kept."""

from __future__ import annotations

from conftest import make_article
from test_stories import QUAKE_A, QUAKE_B

from digest.copies import body_words, copy_of, fold_copies, jaccard, shingles


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


def test_shingle_overlap_of_identical_and_unrelated_texts():
    a = make_article("a", *QUAKE_A)
    same, other = make_article("b", *QUAKE_A), make_article("c", *QUAKE_B)
    assert jaccard(shingles(body_words(a)), shingles(body_words(same))) == 1.0
    assert jaccard(shingles(body_words(a)), shingles(body_words(other))) < 0.1


def test_copy_with_boilerplate_added_is_still_a_copy():
    plus = make_article("plus", *QUAKE_A, "Copyright 2024 Example Wire. All rights reserved.")
    # Neither is dated, so the fuller text counts as the original.
    assert fold_copies([make_article("orig", *QUAKE_A), plus], 0.8) == {"orig": "plus"}


def test_a_wire_story_carried_by_many_outlets_folds_onto_one_original():
    # Many copies: each is checked against one bucket member, not against every other copy.
    copies = [make_article(f"outlet-{i:03d}", *QUAKE_A) for i in range(300)]
    others = [
        make_article(f"other-{i}", f"Story number {i} is about something else.") for i in range(5)
    ]
    mapping = copy_of([*copies, *others], 0.8)
    assert len(mapping) == 299
    assert set(mapping.values()) == {0}


def test_articles_without_words_are_never_copies():
    empty = [make_article("e1", "—"), make_article("e2", "—")]
    assert fold_copies(empty, 0.8) == {}


def test_bucket_pairs_pair_each_text_with_the_first_of_its_bucket() -> None:
    from digest.copies import BANDS, ROWS, _bucket_pairs

    width = BANDS * ROWS
    same = tuple(range(width))
    half = (*range(ROWS), *range(100, 100 + width - ROWS))  # agrees with `same` in band 0 only
    other = tuple(range(1000, 1000 + width))
    pairs = _bucket_pairs([other, same, (), same, half, same])
    # Texts 1, 3 and 5 agree everywhere, 4 with them in one band; 2 has no shingles.
    assert pairs.tolist() == [[1, 3], [1, 4], [1, 5]]
    assert _bucket_pairs([(), ()]).shape == (0, 2)
