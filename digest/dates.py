"""Find publication dates written the many ways pages write them."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# The years a news date can have, as _YEAR reads them: dates from structured metadata (YAML
# front matter, feed dates) are held to the same range, so "0001-01-01" or "9999-12-31" (a
# placeholder) is reported and ignored rather than made the edition's date.
FIRST_YEAR, LAST_YEAR = 1900, 2099
PATTERNS = [
    re.compile(r"\b" + _YEAR + r"-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)"),
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I),
    re.compile(r"\b" + _YEAR + r"/(?P<mnum>\d{1,2})/(?P<day>\d{1,2})\b"),
]
# A line that is a date and little else: "Thu. Sep 28th, 2023", "Date:2025-04-08 13:28:47".
_DATE_WORDS = re.compile(
    r"^(?:date|published|updated|posted|last updated|first published)?\s*(?:on)?\s*:?\s*$", re.I
)


def plausible(day: date) -> bool:
    """True for a date a news report can carry (years FIRST_YEAR to LAST_YEAR)."""
    return FIRST_YEAR <= day.year <= LAST_YEAR


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first valid date in text as (ISO date, start, end), or None."""
    # Every pattern holds a year, 19xx or 20xx: most lines have none and need no search.
    if "19" not in text and "20" not in text:
        return None
    best: tuple[str, int, int] | None = None
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[groups["month"].lower()]
            try:
                found = date(int(groups["year"]), month, int(groups["day"]))
            except ValueError:
                continue
            if best is None or match.start() < best[1]:
                best = (found.isoformat(), match.start(), match.end())
            break
    return best


def date_line(line: str) -> str | None:
    """The ISO date if line is a dateline of a page header (a date with few other words)."""
    found = find_date(line)
    if found is None:
        return None
    iso, start, end = found
    rest = line[:start] + " " + line[end:]
    rest = re.sub(
        r"T?\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
        r"(?:\s*(?:am|pm|a\.m\.|p\.m\.))?(?:\s*\(?[A-Z]{2,5}\)?)?",
        " ",
        rest,
        flags=re.I,
    )
    rest = re.sub(
        r"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?|[|,.\-–—]|\bat\b|\bby\b",
        " ",
        rest,
        flags=re.I,
    )
    return iso if _DATE_WORDS.match(rest.strip()) else None
