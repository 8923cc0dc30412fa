"""Text primitives shared by every stage: normalising, sentence splitting, words."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from itertools import chain
from urllib.parse import quote, urlsplit, urlunsplit

import nupunkt

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")
# Half of a UTF-16 pair on its own: JSON's "\ud800" escape decodes to one, and UTF-8 cannot
# hold it, so writing any page or the cache with it would fail.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Spaces other than " ": tab, no-break, the typographic widths, ideographic.
_ODD_SPACES = r"\t\u00a0\u2000-\u200a\u202f\u205f\u3000"
_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
# A run of spaces, or one odd space, each to become one " ". A lone " " (most of them) is left
# out: the pattern matched every space, 1.5 s per 10,000 pages.
_SPACES = re.compile(f"[ {_ODD_SPACES}]{{2,}}|[{_ODD_SPACES}]")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)
_END_MARKS = ".!?\u2026"  # what can end a sentence for Punkt (nupunkt's _SENT_END_CHARS)


def decode(data: bytes) -> str:
    """Decode bytes from UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252/latin-1."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def normalize(text: str) -> str:
    """NFC-normalise, unify line ends, drop control characters, replace lone surrogates with
    U+FFFD and collapse runs of spaces."""
    plain = text.isascii()
    if not plain:  # an ASCII text holds no surrogate
        text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    # Most pages hold neither a run of spaces nor an odd one; substring tests (in C) say so
    # without a regex scan. No run of spaces spans a line end.
    if "  " in text or ("\t" in text if plain else _ODD_SPACE.search(text)):
        text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def words(text: str) -> list[str]:
    """The words of text, keeping inner hyphens, apostrophes and dots (U.S., Jong-un)."""
    return _WORD.findall(text)


def first_word(text: str) -> str | None:
    """The first of text's words, if any (words(text)[0] without finding the rest)."""
    match = _WORD.search(text)
    return match.group(0) if match else None


def phrase_key(text: str) -> str:
    """A text's words, lower-cased: the same sentence or quotation whatever its marks."""
    return " ".join(words(text.lower()))


def sentence_spans(text: str) -> tuple[int, ...]:
    """Where Punkt splits a paragraph: each sentence's start and end offset, one after the
    other; () for a paragraph it need not scan (one sentence, which sentences() keeps whole)."""
    # Most news paragraphs are one sentence: with no end mark before the last character, Punkt
    # has no boundary to weigh (one at the very end splits nothing off), so skip its scan.
    if not any(mark in text.strip()[:-1] for mark in _END_MARKS):
        return ()
    # sent_tokenize's own path, minus its per-call option handling; load() is nupunkt's cache.
    return tuple(chain.from_iterable(nupunkt.load("default").span_tokenize(text)))


def sentences(text: str, spans: tuple[int, ...] | None = None) -> list[str]:
    """Split a paragraph into sentences; handles abbreviations, initials and quotes. spans:
    sentence_spans(text), where the caller has them already."""
    spans = sentence_spans(text) if spans is None else spans
    if not spans:
        whole = text.strip()
        return [whole] if whole else []
    found = (text[spans[k] : spans[k + 1]].strip() for k in range(0, len(spans), 2))
    return [s for s in found if s]


def iter_paragraph_sentences(paragraphs: tuple[str, ...]) -> Iterator[tuple[int, int, str]]:
    """Yield (paragraph index, sentence index, sentence) over a body."""
    for p, paragraph in enumerate(paragraphs):
        for s, sentence in enumerate(sentences(paragraph)):
            yield p, s, sentence


def word_bag(text: str) -> Counter[str]:
    """Counts of the text's longer words (over three letters), lower-cased: what it is about."""
    return Counter(w.lower() for w in words(text) if len(w) > 3)


def cosine(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two word-count vectors."""
    dot = sum(count * b[w] for w, count in a.items() if w in b)
    norm = (sum(v * v for v in a.values()) * sum(v * v for v in b.values())) ** 0.5
    return dot / norm if norm else 0.0


def slug(text: str, limit: int = 60) -> str:
    """A lowercase ASCII slug safe for a file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cut = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return cut or "x"


class SumyTokenizer:
    """The object sumy needs (to_sentences, to_words) without NLTK's downloadable data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        """Sentences of a paragraph."""
        return sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        """Words of a sentence."""
        return words(sentence)


_BAD_HOST = re.compile(r"[\s\"'<>\\^`{|}]")
_URL_SAFE = "!$%&'()*+,-./:;=?@_~"  # what may stay as it is in a path, query or fragment


def safe_url(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None: no javascript:, data: or relative.

    Characters a URL may not hold (spaces, quotes, angle brackets) are percent-encoded, so the
    link is valid wherever it is written; a host that holds them is no host.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if _BAD_HOST.search(parts.netloc) or (port is not None and not 0 < port < 65536):
        return None

    def enc(piece: str) -> str:
        # A % that starts no escape is a literal percent sign.
        return quote(re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", piece), safe=_URL_SAFE)

    return urlunsplit(
        (parts.scheme.lower(), parts.netloc, enc(parts.path), enc(parts.query), enc(parts.fragment))
    )
