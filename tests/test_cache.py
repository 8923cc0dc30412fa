"""The build cache: a warm rebuild gives the cold build's site, and recomputes only what changed."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from conftest import SEEDS
from test_boilerplate import FOOTER, TEMPLATE
from test_boilerplate import STORIES as BODIES

from digest.build import make_briefing, render
from digest.cache import DB_NAME, TABLE, Cache, CacheStats
from digest.cli import main
from digest.config import load_config
from digest.insights import extras_by_story
from digest.models import Briefing


def site_page(folder: Path, number: int) -> None:
    """A page of one local site: its menu, a story, and a footer every page of it carries."""
    lines = [*TEMPLATE, *BODIES[number], FOOTER]
    (folder / f"local-{number}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    return folder


def briefing(
    tmp_path: Path, input_dir: Path, cache_dir: Path | None, **settings: object
) -> tuple[Briefing, CacheStats]:
    """The briefing of input_dir made with the cache in cache_dir, and what the cache did."""
    overrides = {"input": input_dir, "output": tmp_path / "site", **settings}
    config = load_config(cwd=tmp_path, overrides=overrides)
    cache = Cache.open(cache_dir)
    made, _ = make_briefing(config, cache)
    return made, cache.stats


def build_in(cwd: Path, input_dir: Path, output: Path, *flags: str) -> None:
    """`digest build` run from the working folder cwd (where its default cache lives); quiet
    unless flags has -v."""
    cwd.mkdir(parents=True, exist_ok=True)
    here = Path.cwd()
    try:
        os.chdir(cwd)
        argv = ["build", "--input", str(input_dir), "--output", str(output), *flags]
        argv += [] if "-v" in flags else ["--quiet"]
        assert main(argv) == 0
    finally:
        os.chdir(here)


def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_warm_rebuild_writes_the_same_bytes_as_a_cold_build(tmp_path, capsys):
    input_dir = seeds_copy(tmp_path)
    site_page(input_dir, 0)
    site_page(input_dir, 1)
    build_in(tmp_path / "warm", input_dir, tmp_path / "first")
    site_page(input_dir, 2)  # a third page of the site: its footer becomes furniture
    (input_dir / "002_b1dab2dc5f9d4520.txt").write_text(
        (SEEDS / "002_b1dab2dc5f9d4520.txt").read_text(encoding="utf-8").replace("the", "a", 3),
        encoding="utf-8",
    )
    capsys.readouterr()
    build_in(tmp_path / "warm", input_dir, tmp_path / "warm-site", "-v")
    # Three seed stories come from the cache, summaries and extras (quotes, "only in" details,
    # timeline) alike; 002's and the local site's three (the footer is furniture now) are new.
    cache = (tmp_path / "warm" / ".digest-cache").resolve()
    stats = "clean 4 reused, 4 computed; extras 3 reused, 4 computed; summary 3 reused, 4 computed"
    assert f"digest: cache {cache}: {stats}\n" in capsys.readouterr().err
    build_in(tmp_path / "cold", input_dir, tmp_path / "cold-site")  # its own, empty cache
    warm, cold = site_files(tmp_path / "warm-site"), site_files(tmp_path / "cold-site")
    assert (tmp_path / "warm" / ".digest-cache" / DB_NAME).is_file()
    assert sorted(warm) == sorted(cold)
    assert [name for name in warm if warm[name] != cold[name]] == []
    assert site_files(tmp_path / "first") != warm  # the input did change


def test_changing_one_file_recomputes_only_that_file(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    first, stats = briefing(tmp_path, input_dir, cache_dir)
    assert stats.hits["clean"] == 0 and stats.misses["clean"] == 5
    assert stats.misses["summary"] == stats.misses["extras"] == len(first.stories) == 4
    assert stats.written == {"clean": 5, "summary": 4, "extras": 4}

    again, stats = briefing(tmp_path, input_dir, cache_dir)
    assert again == first  # extras included
    assert (stats.hits["clean"], stats.misses["clean"]) == (5, 0)
    assert (stats.hits["summary"], stats.misses["summary"]) == (4, 0)
    assert (stats.hits["extras"], stats.misses["extras"]) == (4, 0)
    assert sum(stats.written.values()) == 0

    page = input_dir / "002_b1dab2dc5f9d4520.txt"  # a story of its own
    page.write_text(page.read_text(encoding="utf-8").replace("the", "a", 3), encoding="utf-8")
    changed, stats = briefing(tmp_path, input_dir, cache_dir)
    assert (stats.hits["clean"], stats.misses["clean"]) == (4, 1)
    assert (stats.hits["summary"], stats.misses["summary"]) == (3, 1)
    assert (stats.hits["extras"], stats.misses["extras"]) == (3, 1)
    assert changed == briefing(tmp_path, input_dir, tmp_path / "cold")[0]


def test_new_site_furniture_recomputes_the_pages_that_carry_it(tmp_path):
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    site_page(input_dir, 0)
    site_page(input_dir, 1)
    cache_dir = tmp_path / "cache"
    two, _ = briefing(tmp_path, input_dir, cache_dir)
    assert all(FOOTER in a.paragraphs for a in two.articles)  # two pages: not yet furniture
    site_page(input_dir, 2)
    three, stats = briefing(tmp_path, input_dir, cache_dir)
    assert stats.misses["clean"] == 3  # the new page, and the two whose footer is furniture now
    assert all(FOOTER not in a.paragraphs for a in three.articles)
    assert three == briefing(tmp_path, input_dir, tmp_path / "cold")[0]
    _, stats = briefing(tmp_path, input_dir, cache_dir)
    assert stats.hits["clean"] == 3


def test_furniture_seen_only_once_a_spam_brand_is_cut_out_is_tracked_too(tmp_path):
    # The brand a spam site stutters into its lines is cut out before furniture is looked up:
    # the page's last line becomes the local site's footer only then.
    brand = "Acme Acme Capital Group"
    lines = [
        f"{brand} reports record profits for the year",
        "",
        f"{brand} said on Monday that its profits rose by a third over the last year.",
        "The company credited strong demand for its loans and a cut in its running costs.",
        "Its chief executive said the firm would open four new branches in the region next spring.",
        f"{brand} {FOOTER}",
    ]
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / "brand.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    site_page(input_dir, 0)
    site_page(input_dir, 1)
    cache_dir = tmp_path / "cache"
    two, _ = briefing(tmp_path, input_dir, cache_dir)
    assert FOOTER in two.article("brand").paragraphs
    site_page(input_dir, 2)
    three, stats = briefing(tmp_path, input_dir, cache_dir)
    assert FOOTER not in three.article("brand").paragraphs
    assert three == briefing(tmp_path, input_dir, tmp_path / "cold")[0]
    assert stats.misses["clean"] == 4


def test_settings_that_change_summaries_miss_the_cache(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    briefing(tmp_path, input_dir, cache_dir)
    shorter, stats = briefing(tmp_path, input_dir, cache_dir, summary_words=40)
    assert stats.hits["clean"] == 5 and stats.hits["summary"] == 0
    assert shorter == briefing(tmp_path, input_dir, None, summary_words=40)[0]
    _, stats = briefing(tmp_path, input_dir, cache_dir, summarizer="lexrank")
    assert stats.hits["summary"] == 0 and stats.misses["summary"] == 4
    _, stats = briefing(tmp_path, input_dir, cache_dir, summary_words=40)
    assert stats.hits["summary"] == 4  # each setting keeps its own entries


def test_extras_depend_on_the_summary_not_its_settings(tmp_path):
    # "Only in" details leave out what the summary says: a story whose summary changed has its
    # extras worked out anew; one whose summary came out the same under another setting keeps
    # them (their key holds the summary's sentences, not the settings that chose them).
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    full, _ = briefing(tmp_path, input_dir, cache_dir, summary_words=100)
    longer, stats = briefing(tmp_path, input_dir, cache_dir, summary_words=104)
    same = sum(a == b for a, b in zip(full.summaries, longer.summaries, strict=True))
    assert same == 3 and stats.misses["summary"] == 4
    assert (stats.hits["extras"], stats.misses["extras"]) == (3, 1)
    assert longer == briefing(tmp_path, input_dir, None, summary_words=104)[0]


def test_cached_extras_render_the_same_site(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    config = load_config(cwd=tmp_path, overrides={"input": input_dir, "search": False})
    cold, _ = briefing(tmp_path, input_dir, None)
    briefing(tmp_path, input_dir, cache_dir)
    warm, stats = briefing(tmp_path, input_dir, cache_dir)
    assert (stats.hits["extras"], stats.misses["extras"]) == (4, 0)
    assert any(e.quotes for e in warm.extras) and any(e.only_in for e in warm.extras)
    assert any(t.copy for e in warm.extras for t in e.timeline)
    assert render(warm, config) == render(cold, config)
    # A briefing made without extras (as tests make them) has them worked out when rendered.
    assert render(replace(warm, extras=()), config) == render(cold, config)
    assert extras_by_story(replace(warm, extras=())) == extras_by_story(warm)


def test_metadata_from_sources_toml_misses_the_cache(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    briefing(tmp_path, input_dir, cache_dir)
    (input_dir / "sources.toml").write_text('["002_*.txt"]\noutlet = "Harbour Post"\n')
    made, stats = briefing(tmp_path, input_dir, cache_dir)
    assert (stats.hits["clean"], stats.misses["clean"]) == (4, 1)
    assert any(a.outlet == "Harbour Post" for a in made.articles)


def test_a_corrupt_entry_is_recomputed(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    cold, _ = briefing(tmp_path, input_dir, cache_dir)
    with sqlite3.connect(cache_dir / DB_NAME) as db:
        keys = [k for (k,) in db.execute(f"SELECT key FROM {TABLE} ORDER BY key")]
        db.execute(f"UPDATE {TABLE} SET value = '{{not json' WHERE key = ?", (keys[0],))
        db.execute(f"UPDATE {TABLE} SET value = '[1, 2]' WHERE key = ?", (keys[1],))
        db.execute(f"UPDATE {TABLE} SET value = '{{\"raw\": true}}' WHERE key = ?", (keys[2],))
    db.close()
    warm, stats = briefing(tmp_path, input_dir, cache_dir)
    assert warm == cold
    assert sum(stats.unreadable.values()) == 3
    assert sum(stats.misses.values()) == 3 and sum(stats.written.values()) == 3
    _, stats = briefing(tmp_path, input_dir, cache_dir)
    assert sum(stats.misses.values()) == 0  # rewritten


def test_a_damaged_database_file_is_replaced(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    cold, _ = briefing(tmp_path, input_dir, cache_dir)
    (cache_dir / DB_NAME).write_bytes(b"this is not a database" * 100)
    warm, stats = briefing(tmp_path, input_dir, cache_dir)
    assert warm == cold and stats.misses["clean"] == 5
    _, stats = briefing(tmp_path, input_dir, cache_dir)
    assert stats.hits["clean"] == 5


def test_no_cache_flag_and_empty_setting_write_nothing(tmp_path):
    input_dir = seeds_copy(tmp_path)
    build_in(tmp_path / "flag", input_dir, tmp_path / "one", "--no-search", "--no-cache")
    assert not (tmp_path / "flag" / ".digest-cache").exists()
    (tmp_path / "setting").mkdir()
    (tmp_path / "setting" / "digest.toml").write_text('cache = ""\n')
    build_in(tmp_path / "setting", input_dir, tmp_path / "two", "--no-search")
    assert not (tmp_path / "setting" / ".digest-cache").exists()
    assert list(tmp_path.rglob(DB_NAME)) == []
    build_in(tmp_path / "default", input_dir, tmp_path / "three", "--no-search")
    assert (tmp_path / "default" / ".digest-cache" / DB_NAME).is_file()  # the test can fail


def test_the_cache_setting_is_relative_to_the_config_file(tmp_path):
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "digest.toml").write_text('cache = "build/cache"\n')
    config = load_config(tmp_path / "project" / "digest.toml", cwd=tmp_path)
    assert config.cache == tmp_path / "project" / "build" / "cache"
    assert load_config(cwd=tmp_path).cache == tmp_path / ".digest-cache"
    assert load_config(cwd=tmp_path, overrides={"cache": ""}).cache is None


def test_deleting_the_cache_folder_is_harmless(tmp_path):
    input_dir = seeds_copy(tmp_path)
    cache_dir = tmp_path / "cache"
    cold, _ = briefing(tmp_path, input_dir, cache_dir)
    shutil.rmtree(cache_dir)
    again, stats = briefing(tmp_path, input_dir, cache_dir)
    assert again == cold and stats.misses["clean"] == 5
    assert (cache_dir / "CACHEDIR.TAG").is_file()


def test_a_cache_inside_the_output_or_input_folder_is_not_used(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="digest")
    input_dir = seeds_copy(tmp_path)
    inside = Cache.open(tmp_path / "site" / "cache", input_dir, tmp_path / "site")
    assert not inside.enabled and "inside the output folder" in caplog.text
    assert not Cache.open(input_dir / "cache", input_dir, tmp_path / "site").enabled
    hidden = Cache.open(input_dir / ".cache", input_dir, tmp_path / "site")
    assert hidden.enabled  # hidden folders are not read as input
    hidden.close()


def test_two_builds_at_once_share_the_cache(tmp_path):
    input_dir = seeds_copy(tmp_path)
    command = [sys.executable, "-m", "digest", "build", "--input", str(input_dir), "--quiet"]
    builds = [
        subprocess.Popen([*command, "--output", str(tmp_path / f"site{i}"), "--no-search"],
                         cwd=tmp_path, stderr=subprocess.PIPE, text=True)
        for i in range(2)
    ]  # fmt: skip
    for build in builds:
        _, errors = build.communicate(timeout=120)
        assert build.returncode == 0, errors
        assert errors == ""
    assert site_files(tmp_path / "site0") == site_files(tmp_path / "site1")
    _, stats = briefing(tmp_path, input_dir, tmp_path / ".digest-cache")
    assert sum(stats.misses.values()) == 0
