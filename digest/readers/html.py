"""HTML pages: main text and metadata extracted with trafilatura."""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path
from typing import Any

import trafilatura
from trafilatura.settings import Document as Extraction
from trafilatura.utils import fromstring_bytes

from ..clutter import word_count
from ..models import Document, Problem
from ..text import decode, normalize, safe_url

# trafilatura and htmldate log every page they give up on at WARNING or ERROR level; the reader
# reports those pages as Problems instead, so their own log lines would only repeat them.
for _name in ("trafilatura", "htmldate", "courlan"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.I)
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# <meta charset="x"> and <meta http-equiv="Content-Type" content="text/html; charset=x">.
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
# Browsers decode these labels as the wider Windows or GB encoding (WHATWG Encoding Standard);
# pages that declare them routinely contain the wider encoding's characters (curly quotes, €).
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
}
# A file this share of whose first bytes are control characters is not a text page at all.
_BINARY_SHARE = 0.1
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"

# Dates only from the page's own markup (meta tags, <time>, JSON-LD, the URL), not from a scan
# of every date-like string in the text, which picks up copyright years and "updated" stamps.
# A fixed upper bound keeps the result independent of the day the build runs.
DATE_PARAMS: dict[str, Any] = {
    "extensive_search": False,
    "original_date": True,
    "max_date": "2099-12-31",
}
# How the extracted text is cleaned (see Document.kind): "extract" runs the full line-shape
# cleaner over it, which scores better than trusting trafilatura's choice of lines ("text") on
# bench/bench_clean.py (BENCHMARKS.md, "Cleaning"): trafilatura keeps reader comments, footers
# and link lists on many pages. Where the cleaner finds no article, trafilatura's text stands.
KIND = "extract"
# The extraction settings chosen by bench/bench_clean.py (BENCHMARKS.md, "Cleaning").
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "favor_precision": False,
    "favor_recall": False,
}


def declared_codec(data: bytes) -> str | None:
    """The Python codec of the charset a page declares in a <meta> tag, if known and usable."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    name = _SUPERSETS.get(name, name)
    # A declaration read from ASCII bytes can only be true of an ASCII-compatible encoding
    # (browsers likewise ignore a <meta> that claims UTF-16).
    try:
        if "<meta charset=".encode(name) != b"<meta charset=":
            return None
    except (LookupError, UnicodeError):
        return None
    return name


def decode_html(data: bytes) -> str:
    """Decode a page: BOM or valid UTF-8 first, then its declared charset, then cp1252."""
    if data.startswith(_BOMS):
        return decode(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    codec = declared_codec(data)
    if codec and codec != "utf-8":
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            pass  # the declaration is wrong; fall back to the usual guess
    return decode(data)


def is_binary(data: bytes) -> bool:
    """True when the bytes are not text in any encoding a page uses (NULs, control bytes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NUL bytes by design
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, _CONTROL_BYTES))  # translate deletes them
    return control > _BINARY_SHARE * len(head)


def close_title(html: str) -> str:
    """Close a <title> the page never closes, which would swallow the whole page as its text."""
    match = _TITLE_OPEN.search(html)
    if not match or _TITLE_CLOSE.search(html, match.end()):
        return html
    # The title ends at the first tag or line break: a title is one line of plain text.
    ends = [i for i in (html.find("<", match.end()), html.find("\n", match.end())) if i >= 0]
    end = min(ends, default=len(html))
    return f"{html[:end]}</title>{html[end:]}"


def parse_html(html: str) -> Any:
    """The page's lxml tree, or None; parsed as trafilatura does, even when it rejects the page."""
    html = close_title(html)
    tree = trafilatura.load_html(html)
    if tree is None or len(tree) == 0:
        # trafilatura refuses a page whose start is broken (a doctype or <html> tag cut short)
        # as "not HTML"; its own parser settings still recover the body from most of them.
        tree = fromstring_bytes(html)
    return tree if tree is not None and len(tree) else None


def _clean(value: object) -> str | None:
    """A metadata string normalised to one line, or None when blank."""
    if not isinstance(value, str):
        return None
    return " ".join(normalize(value).split()) or None


# The separators of a page title's parts: "Headline - Site", "Site | Section | Headline".
_TITLE_PARTS = re.compile(r"\s+[-–—|:»]+\s+|\s*[|»]\s*")
# The headline repeats as one of the first few paragraphs, after a date or byline at most.
HEADLINE_WITHIN = 6

# trafilatura's XML: these mark up text within a paragraph; every other element is a block.
_INLINE = {"hi", "ref", "del", "span"}
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def _is_data_row(row: Any) -> bool:
    """A table row whose cells hold only text, not paragraphs of their own (a layout table)."""
    return all(
        not isinstance(c.tag, str) or c.tag in _INLINE
        for cell in row
        for c in cell.iterdescendants()
    )


def _block_texts(element: Any, out: list[str]) -> None:
    """Append element's text to out, a newline around every block and at each <lb/>."""
    tag = element.tag if isinstance(element.tag, str) else None
    if tag is None:
        return  # an XML comment or processing instruction, never article text
    if tag == "lb":
        out.append("\n")
    elif tag == "row" and _is_data_row(element):
        # A data row reads as one line; a layout row's cells hold paragraphs of their own,
        # which trafilatura's text output would run together on one line.
        cells = (" ".join("".join(cell.itertext()).split()) for cell in element)
        out.append("\n" + " | ".join(c for c in cells if c) + "\n")
    else:
        block = tag not in _INLINE
        out.append("\n" * block + _spaces(element.text))
        for child in element:
            _block_texts(child, out)
            out.append(_spaces(child.tail))
        out.append("\n" * block)


def _spaces(text: str | None) -> str:
    """Text with line ends as spaces, as HTML renders it, but a blank line as a paragraph end.

    trafilatura turns <pre> into <quote> or <code> and keeps its line ends: there a blank line
    ends a paragraph and a single line end only wraps one (a wire story pasted at fixed width).
    """
    if not text:
        return ""
    return "\n".join(re.sub(r"\s+", " ", part) for part in _BLANK_LINE.split(text))


def paragraphs(body: Any) -> list[str]:
    """The paragraphs of trafilatura's XML body: one per block, list item, table cell or line."""
    out: list[str] = []
    _block_texts(body, out)
    return [line for line in normalize("".join(out)).split("\n") if line]


def without_headline(found: list[str], title: str | None) -> tuple[list[str], str | None]:
    """Drop the headline from the top of the text; a title "Headline - Site" becomes "Headline"."""
    if not title:
        return found, title
    parts = {title, *(p for p in _TITLE_PARTS.split(title) if word_count(p) >= 3)}
    for i, para in enumerate(found[:HEADLINE_WITHIN]):
        if para in parts:
            return found[:i] + found[i + 1 :], para
    return found, title


def truncated(html: str) -> bool:
    """True when the page stops early: inside a tag, or with neither </body> nor </html>."""
    tail = html.rstrip()
    if "<" in tail[tail.rfind(">") + 1 :]:
        return True
    low = html.lower()
    opened = "<body" in low or "<html" in low
    return opened and "</body" not in low and "</html" not in low


def html_document(
    html: str, source_file: str, index: int = 0
) -> tuple[Document | None, list[Problem]]:
    """Extract one document from an HTML string; Problems name `source_file:index` if index."""
    where = f"{source_file}:{index}" if index else source_file
    if not html.strip():
        return None, [Problem(where, "empty page")]
    if "<" not in html:
        return None, [Problem(where, "not an HTML page (no tags)")]
    cut = " (the HTML is truncated)" if truncated(html) else ""
    tree = parse_html(html)
    result = None
    if tree is not None:
        try:
            result = trafilatura.bare_extraction(
                tree,
                with_metadata=True,
                date_extraction_params=dict(DATE_PARAMS),
                **EXTRACT_OPTIONS,
            )
        except (ValueError, TypeError, LookupError, RecursionError) as err:
            # lxml and trafilatura raise these on markup they cannot make sense of at all.
            return None, [Problem(where, f"cannot parse HTML ({type(err).__name__}){cut}")]
    if not isinstance(result, Extraction) or result.body is None:
        return None, [Problem(where, f"no article text found in the HTML{cut}")]
    found, title = without_headline(paragraphs(result.body), _clean(result.title))
    if not any(word_count(para) for para in found):  # punctuation left of a broken page
        return None, [Problem(where, f"no article text found in the HTML{cut}")]
    document = Document(
        source_file=source_file,
        text="\n\n".join(found),
        kind=KIND,
        index=index,
        title=title,
        url=safe_url(result.url),
        outlet=_clean(result.sitename),
        published=_clean(result.date),
        author=_clean(result.author),
    )
    # A cut-off page still gives its text, but the reader should know it may be incomplete.
    problems = [Problem(where, "the HTML is truncated; the text may be incomplete")] if cut else []
    return document, problems


def read_html(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """An HTML page: one document of extracted article text with its metadata."""
    data = path.read_bytes()
    if not data.strip():
        return [], [Problem(rel, "empty file")]
    if is_binary(data):
        return [], [Problem(rel, "not an HTML page (binary data)")]
    document, problems = html_document(decode_html(data), rel)
    return ([document] if document else []), problems
