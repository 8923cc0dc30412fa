"""A folder of bad input beside one good article: the build finishes, builds the good article and
names every bad file with its reason; quickly, because size limits skip runaway files unread.

The big files (100 MB, a million lines) are made in a temporary folder at test time.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest

from digest.cli import main
from digest.config import load_config
from digest.readers.html import html_document
from digest.source_map import read_source_map
from digest.sources import Limits, read_folder

GOOD = [
    "The harbor ferry resumed service on Monday after a week of storms kept every boat in port.",
    "Passengers lined up before dawn for the first crossing, the operator said in a statement.",
    "The company said its timetable would be back to normal by the end of the week, weather "
    "permitting, and that no crossings had been cancelled since the storm passed.",
]
GOOD_MD = "---\ntitle: Ferry back after storms\npublished: 2024-03-04\n---\n\n" + "\n\n".join(GOOD)
OTHER = [
    "The city library opened a new reading room on Tuesday after two years of building work.",
    "Visitors can borrow books there from next week, the head librarian told reporters.",
    "The room has space for eighty readers and a corner for children, the library said.",
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)) * 4
SECRET = "SECRET-MARKER-3f9a outside the input folder"
NFC = "caf\u00e9 nfc.txt"
NFD = "cafe\u0301 nfd.txt"


def good_text(topic: str) -> str:
    return "\n\n".join(line.replace("library", topic) for line in OTHER)


def jsonl(*records: object) -> str:
    return "".join(r if isinstance(r, str) else json.dumps(r) + "\n" for r in records)


# file name -> (content, what its Problem's reason says); None: it must give an article.
CORPUS: dict[str, tuple[bytes | str, str | None]] = {
    "good.md": (GOOD_MD, None),
    "empty.txt": (b"", "empty"),
    "empty.html": (b"", "empty"),
    "empty.md": (b"", "no article text"),
    "empty.jsonl": (b"\n\n", "no records"),
    "blank.txt": (b" \n\t\n", "empty"),
    "image.txt": (PNG + bytes(range(256)), "binary"),
    "image.html": (PNG + bytes(range(256)), "binary"),
    "archive.md": (ZIP, "binary"),
    "archive.jsonl": (ZIP, "binary"),
    "undecodable.txt": (bytes(range(128, 256)) * 8, "no article text"),
    "nested.html": (
        "<html><body>" + "<div>" * 50_000 + "<p>Deep.</p>" + "</div>" * 50_000 + "</body></html>",
        "no article text",
    ),
    "truncated.html": (
        "<!DOCTYPE html><html><head><title>Cut</title></head><body><div cl",
        "truncated",
    ),
    "truncated-text.html": (
        "<html><body><article><p>" + " ".join(OTHER) + "</p><p>The council met on",
        "truncated",
    ),
    "not-yaml.md": ("---\ntitle: [unclosed\nauthor: : :\n---\n\n" + good_text("museum"), "YAML"),
    "deep-yaml.md": ("---\ntitle: " + "[" * 100_000 + "\n---\n\n" + good_text("zoo"), "YAML"),
    "huge-int.md": ("---\ntitle: 1" + "0" * 5000 + "\n---\n\n" + good_text("park"), "YAML"),
    "lines.jsonl": (
        jsonl(
            "this line is not JSON\n",
            "[1, 2, 3]\n",
            "[" * 100_000 + "\n",
            '{"id": 1' + "0" * 5000 + "}\n",
            {"id": "dup", "text": good_text("bridge")},
            {"id": "dup", "text": good_text("tunnel")},
        ),
        "not JSON",
    ),
    "deep.json": ("[" * 100_000, "not a feed"),
    "not-a-feed.xml": ("<notes><note>hello</note></notes>", "not a feed"),
    "year-one.md": ("---\npublished: 0001-01-01\n---\n\n" + good_text("school"), "no news date"),
    "year-9999.md": ("---\ndate: 9999-12-31\n---\n\n" + good_text("garden"), "no news date"),
    "feb-31.md": ("---\ndate: 2024-02-31\n---\n\n" + good_text("stadium"), "no date in"),
    "future.jsonl": (jsonl({"published": "3024-05-01", "text": good_text("harbor")}), "no date"),
    "future.rss": (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Far Post</title><item>'
        "<title>Far away</title><pubDate>Fri, 31 Dec 9999 09:00:00 GMT</pubDate>"
        f"<description>{good_text('market')}</description></item></channel></rss>",
        "no news date",
    ),
    "notes.pdf": (b"%PDF-1.4\n", "unknown file type"),
    "with spaces.txt": (good_text("station"), None),
    NFC: (good_text("airport"), None),
    NFD: (good_text("hospital"), None),
    "emoji \U0001f389 party.txt": (good_text("festival"), None),
    "a..b.md": (good_text("canal"), None),
}
# Made at test time, never committed: the limits skip them before they are cleaned.
BIG = {
    "big.txt": "over the max_file_mb limit",
    "million.txt": "over the max_article_kb limit",  # 2 MB: a page's file is its text
    "many-lines.txt": "over the max_article_lines limit",
    "brackets.md": "over the max_article_kb limit",  # markdown-it takes 18 µs a "["
    "long-record.jsonl": "over the max_article_kb limit",
    "million-lines.jsonl": "999951 more problems (not listed)",
}


def write_corpus(folder: Path, outside: Path) -> None:
    folder.mkdir()
    for name, (content, _) in CORPUS.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    line = b"The ferry crossed the harbor again today and the passengers cheered loudly.\n"
    (folder / "big.txt").write_bytes(line * (100 * 1024 * 1024 // len(line) + 1))
    (folder / "million.txt").write_bytes(b"x\n" * 1_000_000)
    (folder / "million-lines.jsonl").write_bytes(b"x\n" * 1_000_000)  # a million broken lines
    (folder / "many-lines.txt").write_bytes(b"x\n" * 100_000)  # 200 KB
    (folder / "brackets.md").write_bytes(b"[" * 10_000_000)
    record = {"id": "long", "text": "word " * 200_000}
    (folder / "long-record.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    # Hidden by its leading dot, like .git or .DS_Store: not read, not reported.
    (folder / "..hidden.txt").write_text(good_text("hidden"), encoding="utf-8")
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET + "\n" + good_text("secret"), encoding="utf-8")
    os.symlink(outside / "secret.txt", folder / "outside.txt")
    os.symlink(outside, folder / "outside-folder")
    os.symlink(folder / "missing.txt", folder / "broken.txt")
    os.symlink("good.md", folder / "inside-link.md")  # stays inside: read like any file
    os.mkfifo(folder / "pipe.txt")  # reading it would wait forever


EXPECTED_PROBLEMS = {
    **{name: reason for name, (_, reason) in CORPUS.items() if reason},
    **BIG,
    "outside.txt": "symbolic link to outside the input folder",
    "outside-folder": "symbolic link to outside the input folder",
    "broken.txt": "broken symbolic link",
    "pipe.txt": "not a regular file",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, float]:
    if sys.platform == "win32":  # symbolic links and named pipes
        pytest.skip("POSIX file system features")
    root = tmp_path_factory.mktemp("bad")
    write_corpus(root / "in", root / "elsewhere")
    out = root / "site"
    started = time.perf_counter()
    # No build cache: every run cleans the corpus with the code under test.
    args = ["--no-search", "--no-cache", "-q"]
    code = main(["build", "--input", str(root / "in"), "--output", str(out), *args])
    seconds = time.perf_counter() - started
    (root / "in" / "big.txt").unlink()  # 100 MB: not left in the temporary folder
    assert code == 0
    return out, json.loads((out / "digest.json").read_text(encoding="utf-8")), seconds


def _problem_files(data: dict) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in data["problems"]:
        name = problem["file"]
        # A JSON Lines line or feed entry is named file:N.
        head, colon, tail = name.rpartition(":")
        found.setdefault(head if colon and tail.isdigit() else name, []).append(problem["reason"])
    return found


def test_the_build_finishes_quickly_and_builds_the_good_article(built) -> None:
    site, data, seconds = built
    good = [a for a in data["articles"] if a["source_file"] == "good.md"]
    assert len(good) == 1 and good[0]["body"].startswith(GOOD[0])
    assert (site / good[0]["path"]).is_file()
    # Without the limits this folder took minutes; the margin is for a slow shared CI machine.
    assert seconds < 60, seconds


def test_every_bad_file_is_reported_with_its_reason(built) -> None:
    _, data, _ = built
    problems = _problem_files(data)
    for name, reason in EXPECTED_PROBLEMS.items():
        assert name in problems, (name, sorted(problems))
        assert any(reason.lower() in r.lower() for r in problems[name]), (name, problems[name])


def test_every_input_file_is_an_article_or_a_problem(built) -> None:
    _, data, _ = built
    articles = {a["source_file"] for a in data["articles"]}
    problems = set(_problem_files(data))
    names = {*CORPUS, *BIG, "outside.txt", "outside-folder", "broken.txt", "pipe.txt"}
    for name in names:
        assert name in articles or name in problems, name
    for name, (_, reason) in CORPUS.items():
        if reason is None:
            assert name in articles, name
    # The one hidden file is neither; files with bad front matter or dates still give articles.
    assert "..hidden.txt" not in articles | problems
    assert {"not-yaml.md", "year-one.md", "feb-31.md", "inside-link.md"} <= articles


def test_absurd_dates_never_become_the_edition(built) -> None:
    _, data, _ = built
    assert data["edition"] == "2024-03-04"  # the good article's, not 9999-12-31
    dated = {a["source_file"]: a["published"] for a in data["articles"]}
    assert dated["year-one.md"] is None and dated["year-9999.md"] is None


def test_duplicate_ids_are_reported_and_both_kept(built) -> None:
    _, data, _ = built
    ids = [a["id"] for a in data["articles"] if a["source_file"] == "lines.jsonl"]
    assert len(ids) == len(set(ids)) == 2 and "dup" in ids
    assert any("duplicate id 'dup'" in p["reason"] for p in data["problems"])


def test_unicode_and_odd_names_give_ascii_ids_and_pages(built) -> None:
    site, data, _ = built
    by_file = {a["source_file"]: a for a in data["articles"]}
    for name in ("with spaces.txt", NFC, NFD, "emoji \U0001f389 party.txt", "a..b.md"):
        article = by_file[name]
        assert article["id"].isascii() and " " not in article["id"], article["id"]
        assert (site / article["path"]).is_file()
    assert by_file[NFC]["id"] != by_file[NFD]["id"]


def test_nothing_from_outside_the_input_folder_is_published(built) -> None:
    site, _, _ = built
    for path in site.rglob("*"):
        if path.is_file():
            assert b"SECRET-MARKER" not in path.read_bytes(), path


def test_a_file_lists_at_most_50_problems(built) -> None:
    _, data, _ = built
    listed = [p for p in data["problems"] if p["file"].startswith("million-lines.jsonl")]
    assert len(listed) == 50 and listed[0]["file"] == "million-lines.jsonl:1"


def test_problems_are_in_the_report_too(built) -> None:
    site, data, _ = built
    report = json.loads((site / "build-report.json").read_text(encoding="utf-8"))
    assert report["warnings"] == data["problems"]


def test_strict_exits_1_and_one_line_per_problem(built, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD_MD, encoding="utf-8")
    (folder / "image.txt").write_bytes(PNG)
    (folder / "lines.jsonl").write_text("not json\n", encoding="utf-8")
    args = ["build", "--input", str(folder), "--output", str(tmp_path / "site"), "--no-search"]
    args.append("--no-cache")
    assert main(args) == 0
    assert main([*args, "--strict"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "image.txt: skipped: binary data" in err and "lines.jsonl:1: not JSON" in err


def test_a_file_name_that_is_not_utf8_is_read_and_reported(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9.txt"  # latin-1 bytes, as an old zip file has
    try:
        with open(name, "wb") as file:
            file.write(good_text("port").encode("utf-8"))
    except (OSError, UnicodeError):
        pytest.skip("the file system takes only valid UTF-8 names")
    documents, problems = read_folder(tmp_path)
    assert [d.source_file for d in documents] == ["caf\ufffd.txt"]
    assert [p.source_file for p in problems] == ["caf\ufffd.txt"]
    args = ["--output", str(tmp_path.parent / "o"), "-q", "--no-search", "--no-cache"]
    assert main(["build", "--input", str(tmp_path), *args]) == 0
    data = json.loads((tmp_path.parent / "o" / "digest.json").read_text(encoding="utf-8"))
    assert [a["source_file"] for a in data["articles"]] == ["caf\ufffd.txt"]


def test_a_record_with_lone_surrogates_is_built(tmp_path: Path) -> None:
    # JSON's "\\ud800" escape decodes to half a UTF-16 pair, which no UTF-8 file can hold: the
    # build used to stop with an internal error writing digest.json.
    source = tmp_path / "in"
    source.mkdir()
    record = {
        "id": "a\ud800",
        "title": "Harbour \udc00 strike ends",
        "outlet": "Dock \ud800 News",
        "text": "Dock workers in Marlow ended a strike \ud800 on Thursday after a deal.\n\n"
        "The harbour authority said ships would be unloaded again from Friday morning.",
    }
    (source / "dump.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", "--input", str(source), "--output", str(out), "-q"]) == 0
    data = json.loads((out / "digest.json").read_text(encoding="utf-8"))
    [article] = data["articles"]
    assert article["title"] == "Harbour \ufffd strike ends"
    assert "strike \ufffd on Thursday" in article["body"]
    assert (out / article["path"]).is_file()


def test_limits_default_to_the_config_defaults() -> None:
    config = load_config(cwd=Path("/nonexistent-digest-cwd"))
    assert Limits.of(config) == Limits()


def test_limits_come_from_the_config_and_zero_turns_them_off(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(GOOD_MD, encoding="utf-8")
    (folder / "long.txt").write_text("\n".join(f"Line {i} of the page." for i in range(50)))
    config = tmp_path / "digest.toml"
    config.write_text("max_article_lines = 10\nmax_article_kb = 0\nmax_file_mb = 0\n")
    args = ["build", "--input", str(folder), "--output", str(tmp_path / "site"), "-q"]
    assert main([*args, "--no-search", "--no-cache", "--config", str(config)]) == 0
    data = json.loads((tmp_path / "site" / "digest.json").read_text(encoding="utf-8"))
    assert [p["file"] for p in data["problems"]] == ["long.txt"]
    assert "50 lines" in data["problems"][0]["reason"]
    _, problems = read_folder(folder, Limits(file_mb=0, article_kb=0, article_lines=0))
    assert problems == []
    _, problems = read_folder(folder, Limits(file_mb=0.0001))
    assert {p.source_file for p in problems} == {"good.md", "long.txt"}


@pytest.mark.parametrize("value", ["-1", "nan", '"big"', "true"])
def test_a_bad_limit_is_a_config_error(tmp_path: Path, value: str, capsys) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(f"max_file_mb = {value}\n")
    assert main(["build", "--config", str(config), "--output", str(tmp_path / "s")]) == 2
    assert "max_file_mb" in capsys.readouterr().err


def test_a_source_map_nested_too_deeply_is_reported(tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text('["a.txt"]\nurl = ' + "[" * 100_000)
    entries, problems = read_source_map(tmp_path)
    assert entries == [] and [p.source_file for p in problems] == ["sources.toml"]


def test_deeply_nested_html_is_reported_not_a_recursion_error() -> None:
    for html in (
        "<div>" * 50_000 + "text" + "</div>" * 50_000,
        "<ul><li>" * 20_000 + "text",
        "<b><i>" * 30_000 + "<p>Some words in a paragraph here.</p>",
        "<table><tr><td>" * 10_000 + "cell",
    ):
        document, problems = html_document("<html><body>" + html, "deep.html")
        assert document is not None or problems, html[:20]
