"""Lines that recur across many pages of one site: its furniture, not any article's text.

A site repeats its disclaimers, promotions and sign-off lines on every page, and they can read
like prose. Copies of one wire story repeat lines across pages too, so a line counts as
furniture only where the pages sharing it also share a template (menus, labels) and the
shared lines are a small part of each page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from .clutter import is_prose, word_count
from .models import Document

# A line on at least this many pages may be furniture...
MIN_PAGES = 3
# ...unless the pages sharing it have more than this share of their words in common (copies).
MAX_COMMON_SHARE = 0.5
# ...and pages count as one site's only if they share this many template (non-prose) lines.
MIN_TEMPLATE_LINES = 2


def page_lines(documents: Sequence[Document]) -> list[dict[str, int] | None]:
    """Each page's distinct wordy lines and their word counts (None for a document that is not
    a page): shared_lines' per-page work, which an engine spreads over its workers."""
    counts: dict[str, int] = {}  # a line many pages of the batch hold is counted once
    found: list[dict[str, int] | None] = []
    for doc in documents:
        if doc.kind not in ("page", "extract"):
            found.append(None)
            continue
        page: dict[str, int] = {}
        for line in doc.text.split("\n"):
            n = counts.get(line)
            if n is None:
                n = counts[line] = word_count(line)
            if n:
                page[line] = n
        found.append(page)
    return found


def shared_lines(documents: Sequence[Document]) -> frozenset[str]:
    """Lines that at least MIN_PAGES pages carry and that are a minor part of each."""
    return furniture(page_lines(documents))


def furniture(found: Iterable[dict[str, int] | None]) -> frozenset[str]:
    """shared_lines, given page_lines of the documents."""
    pages = [page for page in found if page is not None]
    page_words = [sum(page.values()) for page in pages]
    holders: dict[str, list[int]] = defaultdict(list)
    for number, lines in enumerate(pages):
        for line in lines:
            holders[line].append(number)
    shared: set[str] = set()
    # Lines held by the same pages are judged once (a site's footer is many lines).
    by_holders: dict[tuple[int, ...], None] = {
        tuple(where): None for where in holders.values() if len(where) >= MIN_PAGES
    }
    for where in by_holders:
        first = pages[where[0]]
        common = set(first).intersection(*(pages[n] for n in where[1:]))
        # Pages of one site share its template: menus and labels, not only prose.
        if sum(1 for line in common if not is_prose(line)) < MIN_TEMPLATE_LINES:
            continue
        common_words = sum(first[line] for line in common)
        shares = sorted(common_words / page_words[n] for n in where)
        if shares[len(shares) // 2] <= MAX_COMMON_SHARE:
            shared |= {line for line in common if len(holders[line]) >= MIN_PAGES}
    return frozenset(shared)
