"""Unit tests for digest.readers.markdown: front matter metadata and the body's paragraphs."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from digest.articles import text_article
from digest.models import Document, Problem
from digest.readers.markdown import read_markdown

BODY = "The ferry resumed service on Monday after a week of storms.\n"


def _read(
    tmp_path: Path, content: str | bytes, name: str = "story.md"
) -> tuple[list[Document], list[Problem]]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return read_markdown(path, name)


def _one(tmp_path: Path, content: str | bytes) -> tuple[Document, list[str]]:
    documents, problems = _read(tmp_path, content)
    assert len(documents) == 1
    return documents[0], [str(p) for p in problems]


def test_front_matter_fields_become_metadata(tmp_path: Path) -> None:
    doc, problems = _one(
        tmp_path,
        "---\n"
        'title: "Ferry: service resumes"\n'
        "url: https://example.org/ferry\n"
        "outlet: Harbor Gazette\n"
        'published: "2024-03-04"\n'
        "author: Ann Lee\n"
        "---\n" + BODY,
    )
    assert problems == []
    assert doc.kind == "text"
    assert doc.source_file == "story.md"
    assert doc.title == "Ferry: service resumes"
    assert doc.url == "https://example.org/ferry"
    assert doc.outlet == "Harbor Gazette"
    assert doc.published == "2024-03-04"
    assert doc.author == "Ann Lee"
    assert doc.text == BODY.strip()
    assert doc.markdown == (BODY.strip(),)


def test_front_matter_aliases_are_accepted(tmp_path: Path) -> None:
    doc, problems = _one(
        tmp_path,
        "---\n"
        "Headline: Storm closes the harbor\n"
        "canonical: http://example.org/storm\n"
        "source: Coast Courier\n"
        "date: March 5, 2024\n"
        "authors:\n  - Ann Lee\n  - name: Bo Chan\n"
        "---\n" + BODY,
    )
    assert problems == []
    assert doc.title == "Storm closes the harbor"
    assert doc.url == "http://example.org/storm"
    assert doc.outlet == "Coast Courier"
    assert doc.published == "2024-03-05"
    assert doc.author == "Ann Lee, Bo Chan"


def test_link_and_site_aliases(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, "---\nlink: https://example.org/a\nsite: Bay News\n---\n" + BODY)
    assert (doc.url, doc.outlet) == ("https://example.org/a", "Bay News")


def test_yaml_dates_and_datetimes_become_iso_dates(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, "---\ndate: 2024-03-04\n---\n" + BODY)
    assert (doc.published, problems) == ("2024-03-04", [])
    # The date as written, not converted to UTC (which would be the 5th).
    doc, problems = _one(tmp_path, "---\ndate: 2024-03-04T23:30:00-05:00\n---\n" + BODY)
    assert (doc.published, problems) == ("2024-03-04", [])


def test_impossible_date_is_reported_and_other_fields_kept(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, "---\ntitle: Leap day\ndate: 2023-02-29\n---\n" + BODY)
    assert doc.title == "Leap day"
    assert doc.published is None
    assert problems == ["story.md: front matter 'published' ignored: no date in '2023-02-29'"]


def test_invalid_yaml_is_reported_and_the_body_still_read(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, '---\ntitle: "unclosed\nurl: x: y\n---\n' + BODY)
    assert len(problems) == 1
    assert problems[0].startswith("story.md: front matter ignored: not valid YAML")
    assert doc.title is None and doc.url is None
    # The broken front matter is neither metadata nor article text.
    assert doc.text == BODY.strip()


def test_front_matter_that_is_a_list_is_reported(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, "---\n- title\n- Ferry\n---\n" + BODY)
    assert problems == ["story.md: front matter ignored: a list, not keys and values"]
    assert doc.title is None
    assert doc.text == BODY.strip()


def test_no_front_matter_reads_the_body_only(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, BODY + "\nA second paragraph.\n")
    assert problems == []
    assert (doc.title, doc.url, doc.outlet, doc.published, doc.author) == (None,) * 5
    assert doc.text == BODY.strip() + "\n\nA second paragraph."


def test_unclosed_leading_rule_is_markdown_not_front_matter(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, "---\n\n" + BODY)
    assert problems == []
    assert doc.text == BODY.strip()


def test_first_level_one_heading_is_the_title(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, "# Ferry *service* resumes\n\n" + BODY)
    assert doc.title == "Ferry service resumes"
    assert doc.text == BODY.strip()
    assert doc.markdown == (BODY.strip(),)


def test_setext_heading_is_a_title_too(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, "Ferry service resumes\n=====================\n\n" + BODY)
    assert doc.title == "Ferry service resumes"
    assert doc.text == BODY.strip()


def test_heading_repeating_the_front_matter_title_is_dropped(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, "---\ntitle: Ferry Resumes\n---\n# ferry resumes\n\n" + BODY)
    assert doc.title == "Ferry Resumes"
    assert doc.text == BODY.strip()


def test_heading_differing_from_the_front_matter_title_is_kept(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, "---\ntitle: Ferry Resumes\n---\n# Timeline\n\n" + BODY)
    assert doc.title == "Ferry Resumes"
    assert doc.text.split("\n\n") == ["Timeline", BODY.strip()]
    assert doc.markdown == ("# Timeline", BODY.strip())


def test_leading_subheading_is_not_a_title(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, "## Update\n\n" + BODY)
    assert doc.title is None
    assert doc.text.split("\n\n") == ["Update", BODY.strip()]


MIXED = """\
# Harbor reopens

The harbor *reopened* on **Monday**, officials [said](https://example.org/said).
It had been closed ![a photo](boat.jpg) for a week.

- Ferries run hourly.
- Buses resume
  - on Tuesday

1. First stage.

2. Second stage.

> "We are relieved," a captain said.
> Another line.

    tide table 06:00

![only an image](x.jpg)

---

## What next

See the [schedule][sched] for times.

[sched]: https://example.org/schedule "Schedule"
"""


def test_paragraphs_and_markdown_sources_align(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, MIXED)
    assert problems == []
    assert doc.title == "Harbor reopens"
    assert doc.text.split("\n\n") == [
        "The harbor reopened on Monday, officials said. It had been closed for a week.",
        "Ferries run hourly.",
        "Buses resume on Tuesday",
        "First stage.",
        "Second stage.",
        '"We are relieved," a captain said. Another line.',
        "tide table 06:00",
        "What next",
        "See the schedule for times.",
    ]
    assert doc.markdown == (
        "The harbor *reopened* on **Monday**, officials [said](https://example.org/said).\n"
        "It had been closed ![a photo](boat.jpg) for a week.",
        "- Ferries run hourly.",
        "- Buses resume\n  - on Tuesday",
        "1. First stage.",
        "2. Second stage.",
        '> "We are relieved," a captain said.\n> Another line.',
        "    tide table 06:00",
        "## What next",
        # A reference link carries its definition so the block renders on its own.
        'See the [schedule][sched] for times.\n\n[sched]: https://example.org/schedule "Schedule"',
    )


def test_markdown_document_becomes_an_article(tmp_path: Path) -> None:
    doc, _ = _one(tmp_path, MIXED)
    articles, problems = text_article(doc)
    assert problems == []
    assert len(articles) == 1
    article = articles[0]
    assert article.title == "Harbor reopens"
    assert len(article.paragraphs) == len(article.markdown)
    assert article.paragraphs[1] == "Ferries run hourly."
    assert article.markdown[1] == "- Ferries run hourly."


def test_non_http_url_is_dropped_with_a_problem(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, "---\ntitle: Ferry\nurl: javascript:alert(1)\n---\n" + BODY)
    assert doc.url is None
    assert doc.title == "Ferry"
    assert problems == [
        "story.md: front matter 'url' ignored: not an http(s) link: 'javascript:alert(1)'"
    ]
    doc, problems = _one(tmp_path, "---\nurl: /relative/page\n---\n" + BODY)
    assert doc.url is None and len(problems) == 1


def test_non_text_title_is_reported(tmp_path: Path) -> None:
    doc, problems = _one(tmp_path, "---\ntitle: [a, b]\n---\n# Real title\n\n" + BODY)
    assert problems == ["story.md: front matter 'title' ignored: not text"]
    assert doc.title == "Real title"


def test_cp1252_bytes_are_decoded(tmp_path: Path) -> None:
    raw = "---\ntitle: Café “reopens”\n---\nThe café’s owner — smiling — opened at 7.\n"
    doc, problems = _one(tmp_path, raw.encode("cp1252"))
    assert problems == []
    assert doc.title == "Café “reopens”"
    assert doc.text == "The café’s owner — smiling — opened at 7."


def test_crlf_line_ends_and_bom(tmp_path: Path) -> None:
    raw = "\ufeff---\r\ntitle: Ferry\r\n---\r\nOne.\r\n\r\nTwo.\r\n"
    doc, problems = _one(tmp_path, raw.encode("utf-8"))
    assert problems == []
    assert doc.title == "Ferry"
    assert doc.text == "One.\n\nTwo."


def test_empty_body_is_a_problem(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, "---\ntitle: Only a title\n---\n\n")
    assert documents == []
    assert problems == [Problem("story.md", "no article text")]
    documents, problems = _read(tmp_path, "# Just a heading\n")
    assert documents == []
    assert problems == [Problem("story.md", "no article text")]


_LINE = st.sampled_from(
    ["", "# Head", "## Sub", "- item", "  - nested", "1. one", "> quote", "    code", "```",
     "---", "text *em*", "[ref]: http://x.org", "see [ref]", "![img](a.png)", "title: x", "==="]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=14))
def test_any_markdown_gives_aligned_blocks(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        documents, problems = _read(Path(folder), "\n".join(lines))
    for doc in documents:
        blocks = doc.text.split("\n\n")
        assert len(blocks) == len(doc.markdown)
        assert all(block.strip() and "\n" not in block for block in blocks)
        text_article(doc)  # raises if the blocks and sources disagree
    assert documents or problems
