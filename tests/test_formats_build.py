"""End to end: a folder holding every input format builds into one briefing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.cli import main

BODY = [
    "The harbor ferry resumed service on Monday after a week of storms kept every boat tied up.",
    "Passengers lined up before dawn for the first crossing, the operator said in a statement.",
    "The company said its timetable would be back to normal by the end of the week.",
]
FILES = {
    "page.txt": "Harbor Gazette\nHome | News\n\nFerry Service Resumes After Storms\n\n"
    + "\n".join(BODY)
    + "\n",
    "page.html": "<html><head><title>Ferry back after storms</title>"
    '<meta property="og:site_name" content="Valley Times">'
    '<link rel="canonical" href="https://valley.example/ferry"></head><body>'
    "<nav><a href='/'>Home</a></nav><article><h1>Ferry back after storms</h1>"
    + "".join(f"<p>{s}</p>" for s in BODY)
    + "</article></body></html>",
    "note.md": "---\ntitle: Ferry returns\noutlet: Coast Notes\npublished: 2024-03-04\n"
    "author: Ann Lee\nurl: https://coast.example/ferry\n---\n\n"
    + "\n\n".join(f"**{s.split()[0]}** {' '.join(s.split()[1:])}" for s in BODY)
    + "\n",
    "feed.xml": '<?xml version="1.0"?><rss version="2.0"><channel><title>River Post</title>'
    "<link>https://river.example/</link><item><title>Ferry sails again</title>"
    "<link>https://river.example/ferry</link><pubDate>Mon, 04 Mar 2024 09:00:00 GMT</pubDate>"
    "<description>" + "".join(f"&lt;p&gt;{s}&lt;/p&gt;" for s in BODY) + "</description>"
    "</item></channel></rss>",
    "feed.json": json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Bay Daily",
            "items": [
                {
                    "id": "bay-1",
                    "url": "https://bay.example/ferry",
                    "title": "Ferry is back",
                    "content_text": "\n\n".join(BODY),
                    "date_published": "2024-03-05T08:00:00Z",
                }
            ],
        }
    ),
    "dump.jsonl": json.dumps({"id": "wire-1", "title": "Ferry resumes", "text": "\n".join(BODY)})
    + "\n",
    "sources.toml": '["page.txt"]\nurl = "https://gazette.example/ferry"\npublished = 2024-03-04\n',
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("formats")
    for name, text in FILES.items():
        (root / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "in" / name).write_text(text, encoding="utf-8")
    out = root / "site"
    assert main(["build", "--input", str(root / "in"), "--output", str(out), "--quiet"]) == 0
    return out, json.loads((out / "digest.json").read_text(encoding="utf-8"))


def test_every_format_gives_one_article(built: tuple[Path, dict]) -> None:
    _, data = built
    files = sorted(a["source_file"] for a in data["articles"])
    assert files == ["dump.jsonl", "feed.json", "feed.xml", "note.md", "page.html", "page.txt"]
    assert data["problems"] == []
    for article in data["articles"]:
        assert "The harbor ferry resumed service on Monday" in article["body"], article["id"]


def test_metadata_comes_from_each_format(built: tuple[Path, dict]) -> None:
    _, data = built
    by_file = {a["source_file"]: a for a in data["articles"]}
    assert by_file["page.txt"]["url"] == "https://gazette.example/ferry"  # from sources.toml
    assert by_file["page.txt"]["published"] == "2024-03-04"
    assert by_file["page.html"]["outlet"] == "Valley Times"
    assert by_file["page.html"]["url"] == "https://valley.example/ferry"
    assert (by_file["note.md"]["author"], by_file["note.md"]["outlet"]) == (
        "Ann Lee",
        "Coast Notes",
    )
    assert by_file["feed.xml"]["outlet"] == "River Post"
    assert by_file["feed.xml"]["published"] == "2024-03-04"
    assert by_file["feed.json"]["url"] == "https://bay.example/ferry"
    assert by_file["dump.jsonl"]["id"] == "wire-1"


def test_the_six_reports_are_one_story(built: tuple[Path, dict]) -> None:
    _, data = built
    assert len(data["stories"]) == 1
    assert len(data["stories"][0]["article_ids"]) == 6


def test_markdown_source_page_is_rendered(built: tuple[Path, dict]) -> None:
    site, data = built
    note = next(a for a in data["articles"] if a["source_file"] == "note.md")
    html = (site / note["path"]).read_text(encoding="utf-8")
    assert "<strong>The</strong> harbor ferry resumed" in html


def test_a_broken_file_is_reported_and_strict_fails(tmp_path: Path, capsys) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(FILES["page.txt"], encoding="utf-8")
    (tmp_path / "in" / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody text here.\n")
    (tmp_path / "in" / "nofeed.xml").write_text("<notes><note>hello</note></notes>")
    args = ["build", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "site")]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "broken.md" in err and "nofeed.xml" in err and "not a feed" in err
    assert main([*args, "--strict"]) == 1
