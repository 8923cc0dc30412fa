"""The plain-text paragraphs of a feed entry's content: an HTML fragment's blocks, or plain
text's blocks between blank lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ..text import normalize

# Tags that end one paragraph and start another; the text of SKIPPED tags is never article text.
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
    "nav", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
SKIPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg", "head"}
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


class _Paragraphs(HTMLParser):
    """Collects the text of an HTML fragment as paragraphs, one per block element or <br><br>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.saw_block = False
        self._parts: list[str] = []
        self._skipping = 0
        self._breaks = 0

    def _flush(self) -> None:
        text = "".join(self._parts)
        self._parts, self._breaks = [], 0
        if text.strip():
            self.paragraphs.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping += 1
        elif tag in BLOCK_TAGS:
            self.saw_block = True
            self._flush()
        elif tag == "br":
            self._breaks += 1
            if self._breaks >= 2:
                self.saw_block = True
                self._flush()
            else:
                self._parts.append("\n")
        elif tag in ("td", "th"):
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if data.strip():
            self._breaks = 0
        self._parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def one_line(text: str) -> str:
    """text on one line: normalized, runs of white space as one space."""
    return " ".join(normalize(text).split())


def html_paragraphs(html: str) -> list[str]:
    """The plain-text paragraphs of an HTML fragment, entities unescaped, scripts dropped."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    found = parser.paragraphs
    if not parser.saw_block:
        # Plain text labelled as HTML (common in RSS descriptions): blank lines part paragraphs.
        found = [part for text in found for part in _BLANK_LINE.split(text)]
    return [p for text in found if (p := one_line(text))]


def text_paragraphs(text: str) -> list[str]:
    """The paragraphs of plain text: blocks separated by blank lines."""
    return [p for part in _BLANK_LINE.split(normalize(text)) if (p := one_line(part))]
