"""Reproducible builds: the same input gives the same bytes, whatever the machine's state.

Two builds run in separate processes that differ in everything that should not matter: the
string hash seed (set and dict order), the time zone (UTC against UTC+13), the locale (C.UTF-8
against Turkish, whose dotted and dotless i trip case mapping, when it can be made here), and
the input folder itself: the files are copied in another creation order, so the file system
lists them differently, with other modification times. Every file of the two sites must be
identical, byte for byte; nothing is left out of the comparison. The input is the bundled
seeds plus a folder of every format, with colliding ids and names that differ only in their
Unicode normalisation, so that which file is "first" is decided by digest, not by the disk.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
EPOCH = 1_700_000_000  # 2023-11-14 22:13:20 UTC: already 2023-11-15 in Auckland

BODY = [
    "The harbor ferry resumed service on Monday after a week of storms kept every boat in port.",
    "Passengers lined up before dawn for the first crossing, the operator said in a statement.",
    "The company said its timetable would be back to normal by the end of the week.",
]
LIBRARY = [
    "The city library opened a new reading room on Tuesday after two years of building work.",
    "Visitors can borrow books there from next week, the head librarian told reporters.",
    "The room has space for eighty readers and a corner for children, the library said.",
]
MIXED = {
    "page.txt": "Harbor Gazette\nHome | News\n\nFerry Service Resumes After Storms\n\n"
    + "\n".join(BODY),
    "page.html": "<html><head><title>Ferry back after storms</title>"
    '<meta property="og:site_name" content="Valley Times">'
    '<meta property="article:published_time" content="2024-03-05T23:30:00-08:00">'
    '<link rel="canonical" href="https://valley.example/ferry"></head><body><article>'
    + "".join(f"<p>{s}</p>" for s in BODY)
    + "</article></body></html>",
    "note.md": "---\ntitle: Library opens reading room\noutlet: Coast Notes\n"
    "published: 2024-03-02T23:59:59+14:00\n---\n\n" + "\n\n".join(LIBRARY),
    "feed.xml": '<?xml version="1.0"?><rss version="2.0"><channel><title>River Post</title>'
    "<item><title>Ferry sails again</title><link>https://river.example/ferry</link>"
    "<pubDate>Mon, 04 Mar 2024 23:30:00 -1100</pubDate><description>"
    + " ".join(BODY)
    + "</description></item></channel></rss>",
    "feed.json": json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Bay Daily",
            "items": [
                {"id": "dup", "title": "Reading room", "content_text": "\n\n".join(LIBRARY)},
                {
                    "id": "bay-2",
                    "title": "Ferry",
                    "content_text": "\n\n".join(BODY),
                    "date_published": "2024-03-05T00:30:00+13:00",
                },
            ],
        }  # fmt: skip
    ),
    "a.jsonl": json.dumps({"id": "dup", "title": "Ferry resumes", "text": "\n".join(BODY)})
    + "\nnot json\n",
    "b.jsonl": json.dumps({"id": "dup", "title": "Library", "text": "\n".join(LIBRARY)}) + "\n",
    "caf\u00e9.txt": "\n".join(LIBRARY),  # the same name in NFC ...
    "cafe\u0301.txt": "\n".join(BODY),  # ... and NFD: both have the id "cafe"
    "Zebra.txt": "\n".join(LIBRARY[::-1]),
    "zebra.txt": "\n".join(BODY[::-1]),
    "sub dir/émoji 🎉.md": "# Ferry again\n\n" + "\n\n".join(BODY),
    "notes.pdf": "%PDF-1.4",
    "sources.toml": '["page.txt"]\nurl = "https://gazette.example/ferry"\npublished = 2024-03-04\n'
    '["*.txt"]\noutlet = "Text Wire"\n',
}


def write_input(folder: Path, names: list[str], mtime: int) -> None:
    """The seeds and the mixed folder, created in the order of names, all with one mtime."""
    files = {f"seeds/{p.name}": p.read_bytes() for p in sorted(SEEDS.iterdir())}
    files.update({name: text.encode("utf-8") for name, text in MIXED.items()})
    assert sorted(names) == sorted(files)
    folder.mkdir(parents=True)
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        os.utime(path, (mtime, mtime))


def input_names() -> list[str]:
    return sorted([f"seeds/{p.name}" for p in SEEDS.iterdir()] + list(MIXED))


@pytest.fixture(scope="module")
def other_locale(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A second locale: Turkish (made with localedef) if possible, else plain C."""
    folder = tmp_path_factory.mktemp("locales")
    for name, source in (("tr_TR.UTF-8", "tr_TR"), ("de_DE.UTF-8", "de_DE")):
        if shutil.which("localedef") is None:
            break
        made = subprocess.run(
            ["localedef", "-i", source, "-f", "UTF-8", str(folder / name)],
            capture_output=True,
            check=False,
        )
        env = {"LOCPATH": str(folder), "LC_ALL": name}
        check = subprocess.run(
            [sys.executable, "-c", "import locale; locale.setlocale(locale.LC_ALL, '')"],
            env={**os.environ, **env},
            capture_output=True,
            check=False,
        )
        if made.returncode in (0, 1) and check.returncode == 0:  # 1: made, with warnings
            return env
    return {"LC_ALL": "C"}


def build(
    root: Path, names: list[str], mtime: int, env: dict[str, str], *args: str
) -> subprocess.Popen[bytes]:
    """Start a build of a fresh copy of the input in root, by relative paths from root (so the
    build report, which names the input folder, has no reason to differ)."""
    write_input(root / "in", names, mtime)
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "LANG")}
    environment.update(env)
    command = [sys.executable, "-m", "digest", "build", "--input", "in", "--output", "site"]
    return subprocess.Popen(
        [*command, "-q", *args],
        cwd=root,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def site_files(site: Path) -> dict[str, bytes]:
    """Every file of the site, hidden ones included, by path inside it."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    for number, (line_a, line_b) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False), 1):
        if line_a != line_b:
            return f"line {number}: {line_a[:200]!r} != {line_b[:200]!r}"
    return f"lengths {len(a)} != {len(b)}"


def assert_identical(first: Path, second: Path) -> dict[str, bytes]:
    one, two = site_files(first), site_files(second)
    assert sorted(one) == sorted(two)
    differ = {
        name: first_difference(one[name], two[name]) for name in one if one[name] != two[name]
    }
    assert not differ, differ
    return one


def build_pair(
    tmp_path: Path, other_locale: dict[str, str], env: dict[str, str], *args: str
) -> tuple[Path, Path]:
    """Two builds of the same input that differ in hash seed, time zone, locale, file order."""
    names = input_names()
    shuffled = names[::-1]
    random.Random(7).shuffle(shuffled)
    assert shuffled != names
    runs = [
        build(
            tmp_path / "a",
            names,
            1_000_000_000,
            {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", **env},
            *args,
        ),
        build(
            tmp_path / "b",
            shuffled,
            1_900_000_000,
            {"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland", **other_locale, **env},
            *args,
        ),
    ]  # the two run at once
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err.decode("utf-8", "replace")
        assert b"Traceback" not in err
    return tmp_path / "a" / "site", tmp_path / "b" / "site"


def test_builds_differing_in_seed_zone_locale_and_file_order_are_identical(
    tmp_path: Path, other_locale: dict[str, str]
) -> None:
    first, second = build_pair(tmp_path, other_locale, {}, "--no-search")
    files = assert_identical(first, second)
    # Built again beside the first, with the build cache that build left: the same bytes.
    again = subprocess.run(
        [sys.executable, "-m", "digest", "build", "--input", "in", "--output", "again", "-q"]
        + ["--no-search"],
        cwd=tmp_path / "a",
        env={k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"},
        capture_output=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr.decode("utf-8", "replace")
    assert_identical(first, tmp_path / "a" / "again")
    data = json.loads(files["digest.json"])
    # The input really was read whole, and its colliding ids settled the same way both times.
    sources = {a["source_file"] for a in data["articles"]}
    assert {"caf\u00e9.txt", "cafe\u0301.txt", "Zebra.txt", "zebra.txt", "b.jsonl"} <= sources
    assert len({a["id"] for a in data["articles"]}) == len(data["articles"])
    assert data["edition"] == "2025-04-08"  # the newest seed's date, not the day of the build
    assert [p["file"] for p in data["problems"]][:2] == ["a.jsonl:2", "notes.pdf"]


def test_with_source_date_epoch_and_search_the_sites_are_identical(
    tmp_path: Path, other_locale: dict[str, str]
) -> None:
    first, second = build_pair(tmp_path, other_locale, {"SOURCE_DATE_EPOCH": str(EPOCH)})
    files = assert_identical(first, second)
    # The edition is SOURCE_DATE_EPOCH's day in UTC, whatever the machine's time zone.
    data = json.loads(files["digest.json"])
    assert data["edition"] == "2023-11-14"
    assert b'datetime="2023-11-14"' in files["index.html"]
    report = json.loads(files["build-report.json"])
    assert report["edition"] == "2023-11-14"
    # The Pagefind index is part of the site, and as reproducible as the rest.
    index = [name for name in files if name.startswith("pagefind/")]
    assert any(name.endswith(".pf_meta") for name in index), sorted(files)
    assert "search.html" in files
