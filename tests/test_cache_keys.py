"""Unit tests for digest.cache_keys: what an entry's key depends on."""

from __future__ import annotations

from test_cache import briefing, seeds_copy

import digest.cache_keys


def test_another_digest_version_misses_the_cache(tmp_path, monkeypatch):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    briefing(tmp_path, input_dir, cache_dir)
    monkeypatch.setattr(digest.cache_keys, "code_fingerprint", lambda: "another digest")
    _, stats = briefing(tmp_path, input_dir, cache_dir)
    assert stats.hits["clean"] == stats.hits["summary"] == stats.hits["extras"] == 0
