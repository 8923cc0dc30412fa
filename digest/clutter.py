"""Tell a scraped page's article prose from its clutter, one line at a time, by line shape.

Rules here describe kinds of page furniture that recur across outlets (captions with photo
credits, "read more" links, consent blurbs addressed to "you", author bios), never the wording
of particular pages. Lists of other stories take several lines to tell: runs.py finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import date_line
from .text import words

_TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
BULLET = re.compile(r"^(?:[-*•·▪►]|\d{1,2}[.)])\s+")

# Photo captions and credits: a label, a trailing credit in parentheses, after "via", "by" or a
# slash, or an agency/photographer pair. Kept as separate patterns so each is tried only where
# it can match (a single alternation is tried at every position of a long paragraph).
_CAPTION_LABEL = re.compile(
    r"^(?:credit|credits|photo|photos|image|images|picture|caption|file photo|photograph|"
    r"illustration|video)\s*[:|]",
    re.I,
)
_CAPTION_PARENS = re.compile(
    r"\((?:[^()]*\b(?:photo|photos|pictures|images|file|credit)\b[^()]*|(?-i:[A-Z]{2,6})(?:/[^()]+)?)\)$",
    re.I,
)
# Both end in a name, so a line whose last character is no letter cannot match.
_CAPTION_CREDIT = re.compile(
    r"\b(?:via|/|by)\s+(?:(?-i:[A-Z]{2,})|Getty Images|Shutterstock|Reuters|AFP)\s*$"
    r"|\bGetty Images\s*$",
    re.I,
)
# Always holds a slash.
_CAPTION_AGENCY = re.compile(
    r"(?:^|\s)[A-Z]{2,}(?:\s[A-Z]{2,})?/[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}\s*$"
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


def _lowercase_ratio(tokens: list[str]) -> float:
    letters = list(filter(str.isalpha, [token[0] for token in tokens[1:]]))
    return sum(map(str.islower, letters)) / len(letters) if letters else 0.0


def lowercase_ratio(text: str) -> float:
    """Share of words after the first that start in lower case (title case scores low)."""
    return _lowercase_ratio(words(text))


def _prose(text: str, tokens: list[str]) -> bool:
    n = len(tokens)
    if n < 6 or BULLET.match(text):
        return False
    # A long paragraph may have lost its final period to the scraper; a short line needs one.
    if n < 25 and not _TERMINAL.search(text):
        return False
    return _lowercase_ratio(tokens) >= 0.45


def is_prose(text: str) -> bool:
    """A line of running text: sentence-like, not a headline or a label."""
    return _prose(text, words(text))


_ABBREVIATION_END = re.compile(r"(?:\b[A-Z]\.){2,}$")


def _headline_shape(text: str, n: int) -> bool:
    # A headline's length and ending; is_headline adds that it is not prose.
    if not 3 <= n <= 30:
        return False
    end = text.rstrip("\"”’'")
    # Two letter-dot pairs at the very end are an abbreviation wherever a longer one starts,
    # so the search need not scan the whole line (\b still sees the character before).
    return not end.endswith(".") or bool(_ABBREVIATION_END.search(end, max(0, len(end) - 4)))


def is_headline(text: str) -> bool:
    """A line shaped like a headline: a few words, no final period, not running text."""
    tokens = words(text)
    return _headline_shape(text, len(tokens)) and not _prose(text, tokens)


# The credit line blog software appends to every feed entry.
_FEED_CREDIT = re.compile(r"^The post .+ appeared first on .+$")


def _caption(text: str) -> bool:
    if "©" in text or _CAPTION_LABEL.match(text) or _CAPTION_PARENS.search(text):
        return True
    # rstrip() strips exactly what the patterns' trailing \s* matches.
    if text.rstrip()[-1:].isalpha() and _CAPTION_CREDIT.search(text):
        return True
    return "/" in text and _CAPTION_AGENCY.search(text) is not None


class Facts:
    """The line tests' answers for one page's lines, each worked out once per distinct text.

    Cleaning a page asks about the same line many times (its words, is it prose, a headline,
    clutter, a date?). A Facts lives for one document, so nothing is kept from page to page.
    """

    __slots__ = ("_tokens", "_prose", "_headline", "_clutter", "_date")

    def __init__(self) -> None:
        self._tokens: dict[str, list[str]] = {}
        self._prose: dict[str, bool] = {}
        self._headline: dict[str, bool] = {}
        self._clutter: dict[str, str | None] = {}
        self._date: dict[str, str | None] = {}

    def tokens(self, text: str) -> list[str]:
        """The words of text (the list is shared: do not change it)."""
        if text not in self._tokens:
            self._tokens[text] = words(text)
        return self._tokens[text]

    def words(self, text: str) -> int:
        """Number of words in text."""
        return len(self.tokens(text))

    def prose(self, text: str) -> bool:
        """is_prose(text)."""
        if text not in self._prose:
            self._prose[text] = _prose(text, self.tokens(text))
        return self._prose[text]

    def headline(self, text: str) -> bool:
        """is_headline(text)."""
        if text not in self._headline:
            shaped = _headline_shape(text, self.words(text))
            self._headline[text] = shaped and not self.prose(text)
        return self._headline[text]

    def clutter(self, text: str) -> str | None:
        """clutter_reason(text)."""
        if text not in self._clutter:
            self._clutter[text] = _clutter_reason(text, self)
        return self._clutter[text]

    def date(self, text: str) -> str | None:
        """dates.date_line(text)."""
        if text not in self._date:
            self._date[text] = date_line(text)
        return self._date[text]


def _clutter_reason(text: str, facts: Facts) -> str | None:
    # Within each test the cheap conditions come first; every test is pure, so only the order
    # of the tests (which decides the reason given) matters.
    n = facts.words(text)
    if not n:
        return "no words"
    if _FEED_CREDIT.match(text):
        return "feed credit line"
    if _READING_TIME.match(text):
        return "reading time"
    if _caption(text):
        return "photo caption or credit"
    link = _LINK_OUT.match(text)
    if link and (link.group(0).rstrip()[-1:] in ":-–—|" or not facts.prose(text)):
        return "link to elsewhere"
    if not facts.prose(text) and _NAV.search(BULLET.sub("", text)):
        return "navigation"
    if n <= 8 and _BYLINE.match(text):
        return "byline"
    if _BIO.match(text):
        return "author bio"
    if "@" in text and _HANDLE.search(text) and not _TERMINAL.search(text):
        return "social media"
    # Blurbs are short; a long paragraph may mention cookies and "you" in passing.
    if n <= 80 and len(_YOU.findall(text)) >= 2 and _PROMO_WORDS.search(text):
        return "sign-up or advertising blurb"
    return None


def clutter_reason(text: str) -> str | None:
    """Why a line is page furniture rather than article text, or None if it may be text."""
    return _clutter_reason(text, Facts())


def is_comment_heading(text: str) -> bool:
    """A short line that opens the reader comments ("Comments (3)", "Post a comment")."""
    # A trailing ellipsis ("5 comments so far...") still reads as a heading; a full stop does not.
    trailing_ellipsis = text.rstrip().endswith(("...", "…"))
    if word_count(text) > 8 or (_TERMINAL.search(text) and not trailing_ellipsis):
        return False
    return bool(_COMMENTS.search(text))
