"""Unit tests for digest.source_map: sources.toml filling in the url, outlet and date of files."""

from __future__ import annotations

import json
from pathlib import Path

from test_sources import GOOD_RECORD, PAGE, SECOND_RECORD

from digest.sources import read_folder


def _write(folder: Path, name: str, text: str) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_sources_toml_gives_plain_pages_their_url_outlet_and_date(tmp_path: Path) -> None:
    _write(tmp_path, "ferry.txt", PAGE)
    _write(tmp_path, "world/quake.txt", PAGE)
    _write(
        tmp_path,
        "sources.toml",
        '["ferry.txt"]\nurl = "https://gazette.example/ferry"\noutlet = "Harbor Gazette"\n'
        "published = 2024-03-04\n"
        '["world/*.txt"]\noutlet = "World Wire"\npublished = "5 March 2024"\n',
    )
    documents, problems = read_folder(tmp_path)
    assert problems == []
    by_file = {d.source_file: d for d in documents}
    ferry, quake = by_file["ferry.txt"], by_file["world/quake.txt"]
    assert (ferry.url, ferry.outlet, ferry.published) == (
        "https://gazette.example/ferry",
        "Harbor Gazette",
        "2024-03-04",
    )
    assert (quake.url, quake.outlet, quake.published) == (None, "World Wire", "2024-03-05")


def test_later_sources_toml_entries_override_earlier_ones(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", PAGE)
    _write(tmp_path, "sources.toml", '["*.txt"]\noutlet = "Any"\n["a.txt"]\noutlet = "Exact"\n')
    documents, _ = read_folder(tmp_path)
    assert documents[0].outlet == "Exact"


def test_sources_toml_does_not_override_a_records_own_metadata(tmp_path: Path) -> None:
    _write(tmp_path, "feed.jsonl", json.dumps(GOOD_RECORD) + "\n" + json.dumps(SECOND_RECORD))
    _write(tmp_path, "sources.toml", '["feed.jsonl"]\noutlet = "Fallback Outlet"\n')
    documents, _ = read_folder(tmp_path)
    assert [d.outlet for d in documents] == ["Harbor Gazette", "Fallback Outlet"]


def test_bad_sources_toml_values_are_problems_and_the_rest_applies(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", PAGE)
    _write(
        tmp_path,
        "sources.toml",
        '["a.txt"]\nurl = "javascript:alert(1)"\npublished = "soon"\ncolour = "red"\n'
        'outlet = "Kept Outlet"\n',
    )
    documents, problems = read_folder(tmp_path)
    assert documents[0].url is None and documents[0].published is None
    assert documents[0].outlet == "Kept Outlet"
    reasons = " | ".join(p.reason for p in problems)
    assert "'url' ignored" in reasons and "'published' ignored" in reasons
    assert "unknown key 'colour'" in reasons
    assert all(p.source_file.startswith("sources.toml") for p in problems)


def test_sources_toml_that_is_not_toml_is_one_problem_and_the_build_goes_on(tmp_path: Path) -> None:
    _write(tmp_path, "a.txt", PAGE)
    _write(tmp_path, "sources.toml", "[a.txt\nurl = \n")
    documents, problems = read_folder(tmp_path)
    assert len(documents) == 1
    assert [p.source_file for p in problems] == ["sources.toml"]
    assert problems[0].reason.startswith("ignored:")
