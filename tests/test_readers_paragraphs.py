"""Unit tests for digest.readers.paragraphs: a feed entry's HTML or text as plain paragraphs."""

from __future__ import annotations

from digest.readers.paragraphs import html_paragraphs


def test_html_content_is_split_into_plain_paragraphs() -> None:
    html = (
        "<h2>Storm &amp; surge</h2>"
        "<p>The <a href='https://x.example'>harbor</a> closed <em>early</em>.</p>"
        "<script>alert('x')</script><style>p { color: red }</style>"
        "<ul><li>Ferries stopped.</li><li>Buses ran.</li></ul>"
        "<p>Line one<br>continues<br/><br/>New paragraph &#8220;quoted&#8221;.</p>"
        "<div>Caf&eacute;\n   owners   waited.</div>"
    )
    assert html_paragraphs(html) == [
        "Storm & surge",
        "The harbor closed early.",
        "Ferries stopped.",
        "Buses ran.",
        "Line one continues",
        "New paragraph “quoted”.",
        "Café owners waited.",
    ]


def test_plain_text_labelled_html_splits_on_blank_lines() -> None:
    assert html_paragraphs("First &amp; one.\n\nSecond one.") == ["First & one.", "Second one."]
