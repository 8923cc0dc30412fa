"""Tell a scraped page's article prose from its clutter, one line at a time, by line shape.

Rules here describe kinds of page furniture that recur across outlets (captions with photo
credits, "read more" links, consent blurbs addressed to "you", author bios, headline lists),
never the wording of particular pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import cosine, word_bag, words

_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
BULLET = re.compile(r"^(?:[-*•·▪►]|\d{1,2}[.)])\s+")

# Photo captions and credits: a trailing credit in parentheses or after a slash, or a label.
_CAPTION = re.compile(
    r"(?:^(?:credit|credits|photo|photos|image|images|picture|caption|file photo|photograph|"
    r"illustration|video)\s*[:|]"
    r"|\((?:[^()]*\b(?:photo|photos|pictures|images|file|credit)\b[^()]*|(?-i:[A-Z]{2,6})(?:/[^()]+)?)\)$"
    r"|\b(?:via|/|by)\s+(?:(?-i:[A-Z]{2,})|Getty Images|Shutterstock|Reuters|AFP)\s*$"
    r"|\bGetty Images\s*$|©"
    r"|(?-i:(?:^|\s)[A-Z]{2,}(?:\s[A-Z]{2,})?/[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}\s*$))",
    re.I,
)
# Links to other stories and calls to go elsewhere.
_LINK_OUT = re.compile(
    r"^(?:read more|read next|continue reading|keep reading|read also|also read|see also|more from|"
    r"related(?: articles?| stories)?|"
    r"recommended|watch|listen|click here|source|follow (?:us|our)|share (?:this|on)|"
    r"sign up|subscribe|advertisement|sponsored|trending|most read|popular)\b\s*[:\-–—|]?",
    re.I,
)
_READING_TIME = re.compile(r"^\d+\s*(?:min|mins|minute|minutes)\b(?:\s+(?:read|reading))?\b", re.I)
_NAV = re.compile(r"(?:\s[>»›]\s?|[>»›]\s)|^(?:home|menu|search|skip to content)\b", re.I)
_BYLINE = re.compile(r"^(?:by|written by|reporting by|edited by)\s+[A-Z]", re.I)
_BIO = re.compile(
    r"^[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}\s+(?:is|was)\s+an?\s+(?:[\w-]+\s+){0,4}"
    r"(?:writer|journalist|reporter|editor|correspondent|author|contributor|columnist|blogger)\b"
)
_HANDLE = re.compile(r"(?:^|\s)@\w{3,}")
# Words of sign-up, consent and advertising blurbs; such blurbs also address the reader as "you".
_PROMO_WORDS = re.compile(
    r"\b(?:sign[- ]?up|subscribe|subscription|unsubscribe|newsletter|consent(?:ed)?|cookies?|"
    r"advert(?:s|isers?|ising|isement)?|ads|commission|affiliate|privacy|sponsored|"
    r"products|inbox|email address|notifications|terms of (?:use|service)|reader[- ]supported|"
    r"links on our site|our partners)\b",
    re.I,
)
# Headings over the reader comments below an article ("5 Comments", "Have your say").
_COMMENTS = re.compile(
    r"\b(?:comments?|commenting|have your say|your views|discuss this|talkback|"
    r"reader reactions?|post to the mailbox)\b",
    re.I,
)
# Teasers for different stories share almost no words; an article's sections share many.
TEASER_MAX_SIMILARITY = 0.1
_YOU = re.compile(r"\b(?:you|your|you['’](?:ve|re|ll))\b", re.I)


@dataclass(frozen=True)
class Line:
    """A non-blank line of a page with the layout around it."""

    text: str
    index: int  # position among the page's non-blank lines
    gap: int  # blank lines just before it
    repeats: int  # how many times the exact line occurs on the page
    shared: bool = False  # the line recurs across many pages of the input (site furniture)


def word_count(text: str) -> int:
    """Number of words in text."""
    return len(words(text))


def lowercase_ratio(text: str) -> float:
    """Share of words after the first that start in lower case (title case scores low)."""
    tokens = [w for w in words(text)[1:] if w[0].isalpha()]
    if not tokens:
        return 0.0
    return sum(1 for w in tokens if w[0].islower()) / len(tokens)


def is_prose(text: str) -> bool:
    """A line of running text: sentence-like, not a headline or a label."""
    if BULLET.match(text):
        return False
    n = word_count(text)
    if lowercase_ratio(text) < 0.45:
        return False
    if _TERMINAL.search(text):
        return n >= 6
    # A long paragraph whose final period the scraper lost.
    return n >= 25


_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")


def is_headline(text: str) -> bool:
    """A line shaped like a headline: a few words, no final period, not running text."""
    n = word_count(text)
    end = text.rstrip("\"”’'")
    if end.endswith(".") and not _ABBREVIATION_END.search(end):
        return False
    return 3 <= n <= 30 and not is_prose(text)


# The credit line blog software appends to every feed entry.
_FEED_CREDIT = re.compile(r"^The post .+ appeared first on .+$")


def clutter_reason(text: str) -> str | None:
    """Why a line is page furniture rather than article text, or None if it may be text."""
    if not words(text):
        return "no words"
    if _FEED_CREDIT.match(text):
        return "feed credit line"
    if _READING_TIME.match(text):
        return "reading time"
    if _CAPTION.search(text):
        return "photo caption or credit"
    link = _LINK_OUT.match(text)
    if link and (link.group(0).rstrip()[-1:] in ":-–—|" or not is_prose(text)):
        return "link to elsewhere"
    if _NAV.search(BULLET.sub("", text)) and not is_prose(text):
        return "navigation"
    if _BYLINE.match(text) and word_count(text) <= 8:
        return "byline"
    if _BIO.match(text):
        return "author bio"
    if _HANDLE.search(text) and not _TERMINAL.search(text):
        return "social media"
    # Blurbs are short; a long paragraph may mention cookies and "you" in passing.
    if _PROMO_WORDS.search(text) and len(_YOU.findall(text)) >= 2 and word_count(text) <= 80:
        return "sign-up or advertising blurb"
    return None


def is_comment_heading(text: str) -> bool:
    """A short line that opens the reader comments ("Comments (3)", "Post a comment")."""
    # A trailing ellipsis ("5 comments so far...") still reads as a heading; a full stop does not.
    trailing_ellipsis = text.rstrip().endswith(("...", "…"))
    if word_count(text) > 8 or (_TERMINAL.search(text) and not trailing_ellipsis):
        return False
    return bool(_COMMENTS.search(text))


def headline_runs(lines: list[Line]) -> set[int]:
    """Indexes of lines inside lists of other stories' headlines (related, most read...)."""
    flagged: set[int] = set()
    run: list[Line] = []

    def close() -> None:
        headlinish = [ln for ln in run if is_headline(ln.text) or BULLET.match(ln.text)]
        if len(run) >= 3 and len(headlinish) >= 0.7 * len(run):
            flagged.update(ln.index for ln in run)
        run.clear()

    for line in lines:
        listish = bool(BULLET.match(line.text)) or is_headline(line.text)
        if listish and (not run or line.gap <= 1):
            run.append(line)
        elif listish:
            close()
            run.append(line)
        else:
            # Running text a list item may wrap onto stays in the run only if it is bulleted.
            close()
    close()
    return flagged


def _unrelated(texts: list[str]) -> bool:
    """True if the texts share few words: items of a list, not sections of one article."""
    bags = [word_bag(t) for t in texts]
    pairs = [(a, b) for i, a in enumerate(bags) for b in bags[i + 1 :]]
    return bool(pairs) and sum(cosine(a, b) for a, b in pairs) / len(pairs) < TEASER_MAX_SIMILARITY


def teaser_runs(lines: list[Line]) -> set[int]:
    """Indexes of lines in lists of teasers: other stories' headlines, each over a summary line."""
    wordy = [ln for ln in lines if word_count(ln.text)]
    flagged: set[int] = set()
    run: list[Line] = []

    def close() -> None:
        items = [
            f"{head.text} {teaser.text}" for head, teaser in zip(run[::2], run[1::2], strict=True)
        ]
        if len(items) >= 3 and _unrelated(items):
            flagged.update(ln.index for ln in run)
        run.clear()

    position = 0
    while position < len(wordy) - 1:
        head, teaser = wordy[position], wordy[position + 1]
        if is_headline(head.text) and is_prose(teaser.text) and word_count(teaser.text) <= 60:
            run.extend((head, teaser))
            position += 2
            continue
        close()
        position += 1
    close()
    return flagged
