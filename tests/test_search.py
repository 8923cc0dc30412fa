"""Search: Pagefind indexes the written site; without it the site is still built, with a warning."""

from __future__ import annotations

import base64
import fnmatch
import gzip
import hashlib
import json
import re
import stat
from pathlib import Path

import pytest

from digest import search
from digest.cli import main
from digest.config import load_config
from digest.errors import ConfigError

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
PAGE = (
    "Harbour strike ends in Marlow\n\n"
    "Dock workers in Marlow ended a two-week strike on Thursday after a pay deal was signed.\n\n"
    "The Marlow harbour authority said ships would be unloaded again from Friday morning.\n\n"
    "The union said its members accepted a raise of six percent over two years.\n"
)


def build(source: Path, output: Path, *flags: str) -> int:
    return main(["build", "--input", str(source), "--output", str(output), *flags])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("search") / "site"
    assert build(SEEDS, out, "--quiet") == 0
    return out


@pytest.fixture
def small_input(tmp_path: Path) -> Path:
    source = tmp_path / "in"
    source.mkdir()
    (source / "strike.txt").write_text(PAGE, encoding="utf-8")
    return source


def indexed_urls(site: Path, bundle: str = "pagefind") -> set[str]:
    """The page URLs in Pagefind's index: each fragment is gzip of 'pagefind_dcd' + JSON."""
    urls = set()
    for fragment in (site / bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        urls.add(json.loads(data[len(b"pagefind_dcd") :])["url"])
    return urls


def csp(html: str) -> str:
    match = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert match, "no Content-Security-Policy meta tag"
    return match.group(1)


def test_the_pagefind_binary_is_installed_with_digest():
    binary = search.pagefind_binary()
    assert binary is not None and binary.is_file()


def test_build_writes_the_pagefind_bundle(site):
    bundle = site / "pagefind"
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"):
        assert (bundle / name).is_file(), name
    assert list((bundle / "index").glob("*.pf_index"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    data = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    # Only story pages are indexed: not the index page, not the search page, not the sources.
    assert entry["languages"]["en"]["page_count"] == len(data["stories"])


def test_story_pages_are_indexed_and_nothing_else(site):
    data = json.loads((site / "digest.json").read_text(encoding="utf-8"))
    assert indexed_urls(site) == {"/" + s["path"] for s in data["stories"]}


def test_a_large_index_is_built_after_the_pages_with_the_same_result(site, tmp_path, monkeypatch):
    # Over PAGEFIND_BESIDE indexed pages, Pagefind runs once the pages are all written and
    # the briefing freed, instead of beside the article pages: the index is the same.
    monkeypatch.setattr("digest.build.PAGEFIND_BESIDE", 0)
    out = tmp_path / "site"
    assert build(SEEDS, out, "--quiet") == 0
    assert indexed_urls(out) == indexed_urls(site)
    assert (out / "pagefind" / "pagefind.js").is_file()


def test_shard_globs_match_every_name_once():
    names = [f"stories/{stem}.html" for stem in ("a-3ca185", "b-4160d9", "c", "d-_", "é", "x-0")]
    names += [f"stories/n{char}.html" for char in "0123456789abcdefxyzABC-_"]
    for count in range(1, 17):
        globs = search.shard_globs(search.STORIES_GLOB, count)
        assert len(globs) == count
        for name in names:
            assert sum(fnmatch.fnmatchcase(name, g) for g in globs) == 1, (count, name, globs)
        # Every process gets story pages (their names end in a hexadecimal hash).
        stories = [f"stories/s-{char}.html" for char in "0123456789abcdef"]
        for glob in globs:
            assert any(fnmatch.fnmatchcase(name, glob) for name in stories), (count, globs)
    assert search.shard_globs(search.ALL_GLOB, 2)[0] == "{stories,articles}/*[01234567].html"


def test_shard_count_grows_with_the_pages_up_to_the_cores():
    assert search.shard_count(0, 2) == 1
    assert search.shard_count(search.SHARD_PAGES, 2) == 1
    assert search.shard_count(search.SHARD_PAGES + 1, 2) == 2
    assert search.shard_count(10 * search.SHARD_PAGES, 2) == 2
    assert search.shard_count(10 * search.SHARD_PAGES, 1) == 1
    assert search.shard_count(100 * search.SHARD_PAGES, 64) == 16  # one per ending
    assert search.bundles(3) == ["pagefind", "pagefind-2", "pagefind-3"]


def test_a_large_index_is_split_between_bundles_the_search_page_merges(site, tmp_path, monkeypatch):
    # Indexed alone, the pages are split between Pagefind processes, one per core (--jobs):
    # every story page is in exactly one bundle, and the search page names the others.
    monkeypatch.setattr("digest.build.PAGEFIND_BESIDE", 0)
    monkeypatch.setattr(search, "SHARD_PAGES", 1)
    out = tmp_path / "site"
    # Two processes: the seeds' four story names end in 5, 9, a and e, which three even shares
    # of the sixteen endings would not all reach (shard_globs is tested for every count).
    assert build(SEEDS, out, "--quiet", "--jobs", "2") == 0
    folders = ["pagefind", "pagefind-2"]
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("pagefind")) == folders
    found = [indexed_urls(out, folder) for folder in folders]
    assert all(found), found  # the seeds' story names end in digits and letters alike
    assert set().union(*found) == indexed_urls(site)
    assert sum(map(len, found)) == len(indexed_urls(site))
    html = (out / "search.html").read_text(encoding="utf-8")
    assert """data-merge='["pagefind-2/"]'""" in html
    assert "data-merge='[]'" in (site / "search.html").read_text(encoding="utf-8")


def test_a_failing_bundle_leaves_none(tmp_path, monkeypatch):
    real = search.pagefind_binary()
    fake = tmp_path / "pagefind"
    # The second bundle's process fails; the first one's index is removed with it.
    fake.write_text(
        f'#!/bin/sh\ncase "$6" in pagefind-2) echo "Error: no room" >&2; exit 4;; esac\n'
        f'exec {real} "$@"\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(search, "pagefind_binary", lambda: fake)
    out = tmp_path / "site"
    (out / "stories").mkdir(parents=True)
    for stem in ("a-0", "b-f"):
        (out / "stories" / f"{stem}.html").write_text(
            "<html><body><article data-pagefind-body><p>Dock strike</p></article></body></html>"
        )
    problems = search.index_site(out, count=2)
    assert len(problems) == 1 and "exit code 4: Error: no room" in problems[0].reason
    assert not (out / "pagefind").exists() and not (out / "pagefind-2").exists()


def test_search_articles_indexes_the_source_pages_too(tmp_path):
    out = tmp_path / "site"
    assert build(SEEDS, out, "--quiet", "--search-articles") == 0
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    pages = {"/" + s["path"] for s in data["stories"]} | {"/" + a["path"] for a in data["articles"]}
    assert indexed_urls(out) == pages
    assert len(pages) > len(data["stories"])


def test_story_and_source_pages_mark_their_content_for_pagefind(site):
    for folder in ("stories", "articles"):
        for page in (site / folder).glob("*.html"):
            html = page.read_text(encoding="utf-8")
            assert html.count("data-pagefind-body") == 1, page
            assert re.search(r"<article [^>]*data-pagefind-body", html), page
    for name in ("index.html", "search.html"):
        assert "data-pagefind-body" not in (site / name).read_text(encoding="utf-8")


def test_search_page_loads_the_default_ui_under_a_tight_policy(site):
    html = (site / "search.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="pagefind/pagefind-ui.css">' in html
    assert '<script src="pagefind/pagefind-ui.js"></script>' in html
    assert "<noscript>" in html and 'href="index.html"' in html
    policy = csp(html)
    base = csp((site / "index.html").read_text(encoding="utf-8"))
    assert policy.startswith(base + "; ")
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert "script-src" not in base and "connect-src" not in base
    scripts = re.findall(r"<script type=\"module\">(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode("utf-8")).digest()).decode()
    # The inline script runs only while its hash in the policy matches it.
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'", f"'sha256-{digest}'"]
    assert directives["worker-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    assert directives["default-src"] == ["'none'"]
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy


def test_missing_binary_warns_and_still_writes_the_site(small_input, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    out = tmp_path / "site"
    assert build(small_input, out) == 0
    err = capsys.readouterr().err
    assert "Pagefind binary was not found" in err and "without search" in err
    assert "Traceback" not in err and "1 warning" in err
    assert (out / "index.html").is_file() and (out / "search.html").is_file()
    assert list((out / "stories").glob("*.html")) and list((out / "articles").glob("*.html"))
    assert not (out / "pagefind").exists()
    # --strict makes the missing search index fatal, as it does every other warning.
    assert build(small_input, tmp_path / "strict", "--strict") == 1
    assert "--strict" in capsys.readouterr().err


def test_failing_binary_is_a_warning_and_leaves_no_half_index(
    small_input, tmp_path, monkeypatch, capsys
):
    fake = tmp_path / "pagefind"
    fake.write_text(
        '#!/bin/sh\nmkdir -p "$2/pagefind" && touch "$2/pagefind/pagefind.js"\n'
        'echo "Error: the index exploded" >&2\nexit 3\n'
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(search, "pagefind_binary", lambda: fake)
    out = tmp_path / "site"
    assert build(small_input, out) == 0
    err = capsys.readouterr().err
    assert "Pagefind failed (exit code 3: Error: the index exploded)" in err
    assert (out / "index.html").is_file()
    assert not (out / "pagefind").exists()


def test_binary_that_cannot_run_is_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr(search, "pagefind_binary", lambda: tmp_path / "no-such-binary")
    (tmp_path / "site").mkdir()
    problems = search.index_site(tmp_path / "site")
    assert len(problems) == 1 and "could not run" in problems[0].reason


def test_no_search_flag_and_config_key(small_input, tmp_path):
    out = tmp_path / "flag"
    assert build(small_input, out, "--no-search", "--quiet") == 0
    assert (out / "index.html").is_file()
    assert not (out / "search.html").exists() and not (out / "pagefind").exists()
    (tmp_path / "digest.toml").write_text("search = false\n")
    out = tmp_path / "key"
    assert build(small_input, out, "--config", str(tmp_path / "digest.toml"), "-q") == 0
    assert not (out / "search.html").exists() and not (out / "pagefind").exists()


def test_search_setting_must_be_a_boolean(tmp_path):
    assert load_config(cwd=tmp_path).search is True
    (tmp_path / "digest.toml").write_text('search = "yes"\n')
    with pytest.raises(ConfigError, match="search must be bool"):
        load_config(cwd=tmp_path)


def test_an_error_while_writing_stops_pagefind(tmp_path, monkeypatch):
    started = []
    real_popen = search.subprocess.Popen

    def popen(*args, **kwargs):
        started.append(real_popen(["sleep", "30"], **kwargs))
        return started[-1]

    monkeypatch.setattr(search.subprocess, "Popen", popen)
    with pytest.raises(OSError, match="disk full"), search.indexing(tmp_path):
        raise OSError("disk full")
    assert started and started[0].returncode is not None  # killed, not left running
