"""An article's metadata read off its page: title, outlet and date from the lines above its
body, and the dateline ("SEOUL (AP) -") cut off its first paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain

from .clutter import BULLET, Facts, Line, word_count

_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z.'’ -]{2,}(?:,\s*[A-Z][\w.'’ -]{1,40}?)?)\s*"
    r"(?:\((?P<agency>[A-Za-z][\w&/ -]{1,20})\)\s*)?[—–-]{1,2}\s+(?=\S)"
)
_TITLE_SPLIT = re.compile(r"\s*(?:\||\s[-–—:]\s?|::)\s*")
_MORE_FROM = re.compile(r"^More from\s+((?:The\s+)?[A-Z][\w&.'’]*(?:\s+[A-Z][\w&.'’]*){0,4})", re.I)


def _choose_title(header: list[Line], body: list[str], facts: Facts) -> str | None:
    """The header line (or part of one) most like a headline for the body's paragraphs."""
    body_words: set[str] | None = None  # made only once a header line could be the title
    best: tuple[float, str] | None = None
    for position, line in enumerate(header):
        if facts.clutter(line.text) or facts.date(line.text):
            continue
        for part in [line.text, *_TITLE_SPLIT.split(line.text)]:
            if facts.words(part) < 4 or not facts.headline(part):
                continue
            # word_bag's keys: only which words occur matters here, not how often.
            title_words = {w.lower() for w in facts.tokens(part) if len(w) > 3}
            if not title_words:
                continue
            if body_words is None:
                # Every word, not only those over 3 letters: only title_words are looked up,
                # and set() and map() do the loop over the body's words in C.
                body_words = set(map(str.lower, chain.from_iterable(map(facts.tokens, body))))
            covered = sum(1 for w in title_words if w in body_words) / len(title_words)
            score = covered + 0.1 * (line.repeats > 1) - 0.01 * position
            if best is None or score > best[0]:
                best = (score, part)
    return best[1] if best else None


def _choose_outlet(
    header: list[Line], title: str | None, lines: list[Line], facts: Facts
) -> str | None:
    """The publication's name: a site-name line, a title suffix, or a "More from X" link."""
    for line in header:
        if title and title in line.text and line.text != title:
            tail = line.text.split(title, 1)[1].strip(" -–—|:")
            if 1 <= word_count(tail) <= 5 and tail[0].isupper():
                return tail
    names = Counter(m.group(1) for ln in lines if (m := _MORE_FROM.match(ln.text)))
    if names and names.most_common(1)[0][1] >= 2:
        return names.most_common(1)[0][0]
    for line in header:
        text = line.text
        if BULLET.match(text) or text == title or facts.date(text) or facts.clutter(text):
            continue
        if 2 <= facts.words(text) <= 5 and all(
            w[0].isupper() for w in facts.tokens(text) if w[0].isalpha()
        ):
            return text
    return None


def _choose_date(header: list[Line], title: str | None, facts: Facts) -> str | None:
    """The article's date: one given after its title, else the first on the page.

    A date above the headline is often the site's own (today's date in its masthead, or the
    time the page was scraped); a date between headline and body belongs to the article.
    """
    dates = [(ln.index, d) for ln in header if (d := facts.date(ln.text))]
    if not dates:
        return None
    title_at = next((ln.index for ln in header if title and title in ln.text), -1)
    after_title = [d for index, d in dates if index > title_at]
    return after_title[0] if after_title else dates[0][1]


def clean_page(
    lines: list[Line], body: list[int], facts: Facts
) -> tuple[dict[str, str | None], list[str], list[str]]:
    """One article's metadata, body paragraphs and removed lines, from its lines and body."""
    body_index = set(body)
    first = min(body_index) if body_index else len(lines)
    header = lines[:first]
    paragraphs = [ln.text for ln in lines if ln.index in body_index]
    removed = [ln.text for ln in lines if ln.index not in body_index]
    title = _choose_title(header, paragraphs[:6], facts)
    meta: dict[str, str | None] = {
        "title": title,
        "outlet": _choose_outlet(header, title, lines, facts),
        "published": _choose_date(header, title, facts),
        "dateline": None,
        "origin": None,
    }
    meta["dateline"], meta["origin"] = split_dateline(paragraphs)
    return meta, paragraphs, removed


def split_dateline(paragraphs: list[str]) -> tuple[str | None, str | None]:
    """Cut a dateline ("SEOUL (AP) -") off the first paragraph; return it and its agency."""
    if not paragraphs or not (match := _DATELINE.match(paragraphs[0])):
        return None, None
    paragraphs[0] = paragraphs[0][match.end() :]
    return match.group(0).strip(), match.group("agency")
