"""Unit tests for digest.cache_entries: the cache's values as JSON, read back whole or not at
all."""

from __future__ import annotations

import sqlite3

import pytest
from test_cache import briefing, seeds_copy

from digest.cache import DB_NAME, TABLE


def test_entries_of_another_shape_are_recomputed(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    cold, _ = briefing(tmp_path, input_dir, cache_dir)
    wrong = '{"quotes": [], "only_in": [], "timeline": [{"article_id": ["a", 1]}]}'
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        db.execute(f"UPDATE {TABLE} SET value = ?", (wrong,))  # every stage's entries
    db.close()
    warm, stats = briefing(tmp_path, input_dir, cache_dir)
    assert warm == cold
    assert stats.unreadable == {"clean": 5, "summary": 4, "extras": 4} == stats.misses


@pytest.mark.parametrize(
    ("stage", "field"), [("clean", "articles"), ("summary", "summaries"), ("extras", "extras")]
)
def test_values_round_trip(tmp_path, stage, field):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    cold, _ = briefing(tmp_path, input_dir, cache_dir)
    warm, stats = briefing(tmp_path, input_dir, cache_dir)
    assert stats.hits[stage] > 0 and stats.misses[stage] == 0
    for made, reused in zip(getattr(cold, field), getattr(warm, field), strict=True):
        assert made == reused and repr(made) == repr(reused)  # tuples stay tuples
