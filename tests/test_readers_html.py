"""Unit tests for digest.readers.html: HTML pages read into documents with their metadata."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digest.articles import clean_documents, document_articles
from digest.models import Document, Problem
from digest.readers.html import (
    close_title,
    declared_codec,
    decode_html,
    html_document,
    read_html,
)
from digest.sources import read_folder

PARAGRAPHS = [
    "The harbour bridge reopened to traffic on Tuesday morning after six weeks of repairs to "
    "its steel deck, the city council said.",
    "Engineers replaced more than two hundred corroded bolts and resurfaced the northern lanes, "
    "which had been closed since a routine inspection in January found cracks.",
    "Commuters who had faced detours of up to forty minutes welcomed the news, although "
    "cyclists will have to wait another week for their own lane to reopen.",
]
BODY = "".join(f"<p>{p}</p>\n" for p in PARAGRAPHS)

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour bridge reopens after repairs - The Coastal Courier</title>
<meta property="og:site_name" content="The Coastal Courier">
<meta name="author" content="Maria Lopez">
<meta property="article:published_time" content="2024-03-05T08:30:00Z">
<link rel="canonical" href="https://courier.example.com/news/harbour-bridge-reopens">
<style>.hidden-style-rule {{ display: none; }}</style>
<script>var trackingScriptSecret = "never shown";</script>
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News desk</a></li>
<li><a href="/sport">Sport pages</a></li></ul></nav>
<article>
<h1>Harbour bridge reopens after repairs</h1>
{BODY}</article>
<footer><p>Copyright 2024 The Coastal Courier, footer text only.</p></footer>
</body>
</html>
"""


def _page(head: str = "", body: str = BODY, charset: str = "utf-8") -> str:
    return (
        f'<html><head><meta charset="{charset}"><title>Harbour bridge reopens</title>{head}'
        f"</head><body><article>{body}</article></body></html>"
    )


def _read(
    tmp_path: Path, data: bytes | str, name: str = "page.html"
) -> tuple[list[Document], list[Problem]]:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_html(path, name)


def test_metadata_comes_from_the_page_markup(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, PAGE)
    assert problems == []
    [doc] = documents
    assert doc.source_file == "page.html"
    assert doc.title == "Harbour bridge reopens after repairs"
    assert doc.outlet == "The Coastal Courier"
    assert doc.url == "https://courier.example.com/news/harbour-bridge-reopens"
    assert doc.published == "2024-03-05"
    assert doc.author == "Maria Lopez"
    assert doc.index == 0


def test_paragraphs_are_separated_by_blank_lines_without_the_headline(tmp_path: Path) -> None:
    [doc], _ = _read(tmp_path, PAGE)
    assert doc.text.split("\n\n") == PARAGRAPHS


def test_scripts_styles_navigation_and_footer_are_not_text(tmp_path: Path) -> None:
    [doc], _ = _read(tmp_path, PAGE)
    for furniture in ("trackingScriptSecret", "hidden-style-rule", "Sport pages", "footer text"):
        assert furniture not in doc.text


def test_html_page_cleans_into_one_article(tmp_path: Path) -> None:
    [doc], _ = _read(tmp_path, PAGE)
    [article], problems = document_articles(doc)
    assert problems == []
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.paragraphs == tuple(PARAGRAPHS)
    assert article.outlet == "The Coastal Courier"
    assert article.published == "2024-03-05"


def test_no_date_in_the_markup_means_no_date(tmp_path: Path) -> None:
    # htmldate must not guess from the text or fall back to the day of the build.
    [doc], _ = _read(tmp_path, _page(body=BODY + "<p>Last revised on 3 May 2021.</p>"))
    assert doc.published is None


def test_cp1252_page_with_meta_charset(tmp_path: Path) -> None:
    body = (
        "<p>“The café will reopen,” said the owner — in time for the summer season, she added.</p>"
    )
    data = _page(body=body * 3, charset="windows-1252").encode("cp1252")
    [doc], problems = _read(tmp_path, data)
    assert problems == []
    assert "“The café will reopen,” said the owner — in time" in doc.text


def test_declared_charset_is_used_when_bytes_are_not_utf8(tmp_path: Path) -> None:
    # Cyrillic in windows-1251 reads as Latin gibberish under the cp1252 fallback.
    sentence = "Мост через гавань снова открыт для движения после ремонта, сообщили в мэрии."
    data = _page(body=f"<p>{sentence}</p>" * 3, charset="windows-1251").encode("cp1251")
    [doc], _ = _read(tmp_path, data)
    assert sentence in doc.text


def test_latin1_label_decodes_as_cp1252_and_utf8_wins_over_a_wrong_label() -> None:
    assert (
        declared_codec(b'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">')
        == "cp1252"
    )
    assert declared_codec(b'<meta charset="utf-16">') is None  # not ASCII-compatible: ignored
    assert declared_codec(b'<meta charset="no-such-charset">') is None
    assert (
        decode_html(b'<meta charset="iso-8859-1"><p>\x93Hi\x94</p>')
        == '<meta charset="iso-8859-1"><p>“Hi”</p>'
    )
    assert (
        decode_html('<meta charset="windows-1251"><p>café</p>'.encode())
        == '<meta charset="windows-1251"><p>café</p>'
    )


def test_javascript_and_relative_canonical_urls_are_dropped(tmp_path: Path) -> None:
    [doc], _ = _read(tmp_path, _page(head='<link rel="canonical" href="javascript:alert(1)">'))
    assert doc.url is None
    [doc], _ = _read(tmp_path, _page(head='<link rel="canonical" href="/news/bridge">'))
    assert doc.url is None
    [doc], _ = _read(tmp_path, _page(head='<meta property="og:url" content="ftp://example.com/a">'))
    assert doc.url is None


def test_truncated_html_keeps_its_text_and_says_so(tmp_path: Path) -> None:
    cut = PAGE[: PAGE.index("cyclists")]
    documents, problems = _read(tmp_path, cut)
    assert [p.reason for p in problems] == ["the HTML is truncated; the text may be incomplete"]
    assert documents[0].text.split("\n\n")[:2] == PARAGRAPHS[:2]


def test_html_truncated_before_its_body_is_aProblem(tmp_path: Path) -> None:
    documents, problems = _read(tmp_path, PAGE[: PAGE.index("<style>") + 10])
    assert documents == []
    assert [p.reason for p in problems] == [
        "no article text found in the HTML (the HTML is truncated)"
    ]


def test_empty_and_blank_files_are_problems(tmp_path: Path) -> None:
    assert _read(tmp_path, b"") == ([], [Problem("page.html", "empty file")])
    assert _read(tmp_path, b"  \n\t ") == ([], [Problem("page.html", "empty file")])


def test_binary_garbage_is_aProblem(tmp_path: Path) -> None:
    data = bytes(range(256)) * 20
    assert _read(tmp_path, data) == ([], [Problem("page.html", "not an HTML page (binary data)")])


def test_page_without_body_text_is_aProblem(tmp_path: Path) -> None:
    empty_body = "<html><head><title>Nothing here</title></head><body></body></html>"
    assert _read(tmp_path, empty_body) == (
        [],
        [Problem("page.html", "no article text found in the HTML")],
    )
    # A page of links only reaches the cleaner, which finds no article in it.
    links = (
        "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    documents, problems = _read(tmp_path, links)
    articles, problems = clean_documents(documents)
    assert articles == []
    assert [p.reason for p in problems] == ["no article text found"]


def test_page_of_punctuation_only_is_a_problem() -> None:
    # What a broken page can leave behind: no words, so nothing for the cleaner to work on.
    html = "<html><body><p>--&gt;</p><p>| * |</p></body></html>"
    assert html_document(html, "p.html") == (
        None,
        [Problem("p.html", "no article text found in the HTML")],
    )


def test_text_without_tags_is_not_html(tmp_path: Path) -> None:
    assert _read(tmp_path, "just a line of words") == (
        [],
        [Problem("page.html", "not an HTML page (no tags)")],
    )


def test_html_document_names_the_record_line_in_problems() -> None:
    doc, problems = html_document(BODY, "dump.jsonl", index=7)
    assert problems == []
    assert doc is not None
    assert (doc.source_file, doc.index) == ("dump.jsonl", 7)
    assert doc.text.split("\n\n") == PARAGRAPHS
    assert html_document("   ", "dump.jsonl", index=3) == (
        None,
        [Problem("dump.jsonl:3", "empty page")],
    )


def test_unclosed_title_does_not_swallow_the_page(tmp_path: Path) -> None:
    assert (
        close_title("<title>Bridge reopens\n<script>") == "<title>Bridge reopens</title>\n<script>"
    )
    assert close_title("<title>Fine</title><p>x</p>") == "<title>Fine</title><p>x</p>"
    page = f"<html><head><title>Harbour bridge reopens\n<script>x()</script></head><body>{BODY}</body></html>"
    [doc], _ = _read(tmp_path, page)
    assert doc.title == "Harbour bridge reopens"
    assert doc.text.split("\n\n") == PARAGRAPHS


def test_layout_table_cells_keep_their_paragraphs_and_data_rows_stay_one_line() -> None:
    cells = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    table = "<table><tr><td>Team</td><td>Points</td></tr><tr><td>Harbour FC</td><td>42</td></tr></table>"
    html = f"<html><body><table><tr><td>{cells}</td></tr></table>{table}</body></html>"
    doc, _ = html_document(html, "t.html")
    assert doc is not None
    blocks = doc.text.split("\n\n")
    assert blocks[:3] == PARAGRAPHS
    assert "Harbour FC | 42" in blocks


def test_preformatted_text_is_unwrapped_into_paragraphs() -> None:
    wrapped = (
        "The harbour bridge reopened to traffic on Tuesday morning after\n"
        "six weeks of repairs to its steel deck, the city council said.\n"
        "\n"
        "Engineers replaced more than two hundred corroded bolts and\n"
        "resurfaced the northern lanes, which had been closed since January.\n"
    )
    doc, _ = html_document(
        f"<html><body><pre>{wrapped}</pre><p>{PARAGRAPHS[2]}</p></body></html>", "p.html"
    )
    assert doc is not None
    blocks = doc.text.split("\n\n")
    assert blocks[0] == PARAGRAPHS[0]
    assert blocks[1].startswith(
        "Engineers replaced more than two hundred corroded bolts and resurfaced"
    )


def test_trafilatura_warnings_do_not_reach_the_console(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    for broken in ("<html><head><title>x", "<p>", "<html><body></body></html>"):
        _read(tmp_path, broken)
    noisy = [
        r for r in caplog.records if r.name.split(".")[0] in ("trafilatura", "htmldate", "courlan")
    ]
    assert noisy == []


def test_read_folder_reads_an_html_file_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "bridge.html").write_text(PAGE, encoding="utf-8")
    documents, problems = read_folder(tmp_path)
    assert problems == []
    [doc] = documents
    assert (doc.source_file, doc.title, doc.published) == (
        "bridge.html",
        "Harbour bridge reopens after repairs",
        "2024-03-05",
    )
    [article], problems = clean_documents(documents)
    assert problems == []
    assert article.id == "bridge"
    assert article.body == "\n\n".join(PARAGRAPHS)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=400)
    | st.text(alphabet="<>/=\"' abpdivhtmlbody\n", max_size=300).map(str.encode)
)
def test_any_bytes_give_documents_or_problems_never_an_exception(
    tmp_path: Path, data: bytes
) -> None:
    documents, problems = _read(tmp_path, data)
    assert documents or problems
