"""Names and numbers in a text: the evidence that tells one event from another of its kind.

Two earthquakes share "magnitude", "rescue" and "collapsed"; they differ in places, people,
dates and figures. Capitalised runs of words and numbers approximate those without a tagger:
a sentence's first word counts only when it is part of a longer name or not a common word.
"""

from __future__ import annotations

import re

_WORD = r"[A-Z][\w'’-]*(?:\.[A-Z][\w'’-]*)*\.?(?<![a-z]\.)"  # Kim, O'Brien, U.S. but not "Day."
_AFTER_CAPITAL = r"[\w'’-]*(?:\.[A-Z][\w'’-]*)*\.?(?<![a-z]\.)"  # _WORD past its first letter
# A name (a run of _WORDs) or a number, each starting a word. Written as one capital or digit
# first, not \b then alternatives: a pattern that opens with one character class lets the
# regex engine skip to the next capital or digit (names_and_numbers is 30% faster).
_NAME_OR_NUMBER = re.compile(
    rf"[A-Z\d](?<!\w[A-Z\d])"  # a capital or digit that starts a word
    rf"(?:(?<=[A-Z]){_AFTER_CAPITAL}(?:\s+(?:of\s+|de\s+|al\s+|van\s+|von\s+)?{_WORD})*"
    r"|(?<=\d)[\d,.:]*\d\b|(?<=\d)\b)"
)
_SENTENCE_END = re.compile(r"(?:[.!?…][\"”’')\]]*\s+|\n\s*)$")
# Capitalised only because they open a sentence or a quote; never names on their own.
_COMMON_WORDS = """a an the in on at to of for by from with as and or but if when while after
before he she it they we i you his her its their our this that these those there here what who
which where why how mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday january
february march april may june july august september october november december"""
_COMMON = frozenset(_COMMON_WORDS.split())


def names_and_numbers(text: str) -> list[str]:
    """Each name (capitalised run) and number in text, lower-cased; names also word by word."""
    found: list[str] = []
    for match in _NAME_OR_NUMBER.finditer(text):
        parts = match.group().lower().split()
        if len(parts) > 1:  # a name of several words ("Bank of England"): the common ones out
            parts = [p for p in parts if p not in _COMMON]  # (one word, most: no list made)
        if len(parts) > 1:
            found.append(" ".join(parts))
            found.extend(parts)
        elif (
            parts
            and parts[0] not in _COMMON
            # a lone capitalised word opening a sentence is no name
            and (parts[0][0].isdigit() or not _opens_sentence(text, match.start()))
        ):
            found.append(parts[0])
    return found


def _opens_sentence(text: str, start: int) -> bool:
    # Only the few characters before the match can end a sentence; don't rescan the text.
    return start == 0 or _SENTENCE_END.search(text, max(0, start - 8), start) is not None
