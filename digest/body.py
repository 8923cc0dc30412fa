"""Find the article body among a page's lines: the main run of prose, its neighbours filled in.

Scraped pages interleave the article with sidebars, teasers and reader comments that are also
prose. What sets the article apart is where it sits: one long run of prose lines with little
between them. Runs far smaller than the main one are dropped, the reader comments that follow
it are cut, and the short lines inside it (subheadings, list items, text split at a link) are
kept.
"""

from __future__ import annotations

from .clutter import Facts, Line, is_comment_heading
from .runs import headline_runs, teaser_runs

# At most this many wordy lines may separate two lines of one run of prose.
MAX_GAP_LINES = 2
# A run of prose is kept if it has at least this share of the main run's words.
MIN_RUN_SHARE = 0.25
MIN_WORDS_BEFORE_COMMENTS = 40


def first_copies(lines: list[Line], facts: Facts | None = None) -> set[int]:
    """First occurrences of lines repeated as a passage (a page that shows its article twice).

    A lone repeated line is furniture (a caption, a teaser); a line whose neighbour repeats
    too belongs to a repeated passage, and its first copy is kept.
    """
    facts = facts or Facts()
    wordy = [ln for ln in lines if facts.words(ln.text)]
    if not wordy:
        return set()
    seen: set[str] = set()
    found: set[int] = set()
    for before, line, after in zip([None, *wordy[:-1]], wordy, [*wordy[1:], None], strict=True):
        if line.repeats < 2 or line.text in seen:
            continue
        seen.add(line.text)
        if any(other is not None and other.repeats >= 2 for other in (before, after)):
            found.add(line.index)
    return found


def in_lists(lines: list[Line], facts: Facts | None = None) -> set[int]:
    """Indexes of lines in lists of other stories: headline lists and teaser lists."""
    facts = facts or Facts()
    return headline_runs(lines, facts) | teaser_runs(lines, facts)


def prose_indexes(
    lines: list[Line], listed: set[int] | None = None, facts: Facts | None = None
) -> list[int]:
    """Indexes of the lines that read as article prose on their own."""
    facts = facts or Facts()
    listed = in_lists(lines, facts) if listed is None else listed
    # Only a repeated line needs first_copies, and most pages repeat none.
    firsts = first_copies(lines, facts) if any(ln.repeats > 1 for ln in lines) else set()
    return [
        ln.index
        for ln in lines
        if ln.index not in listed
        and not ln.shared
        and (ln.repeats == 1 or ln.index in firsts)
        and facts.prose(ln.text)
        and facts.clutter(ln.text) is None
    ]


def _wordy_between(lines: list[Line], first: int, last: int, facts: Facts) -> int:
    """How many lines with words lie strictly between two line indexes."""
    return sum(1 for ln in lines[first + 1 : last] if facts.words(ln.text))


def prose_runs(lines: list[Line], prose: list[int], facts: Facts | None = None) -> list[list[int]]:
    """Prose line indexes grouped into runs separated by more than a few other lines."""
    facts = facts or Facts()
    runs: list[list[int]] = []
    for index in prose:
        if runs and _wordy_between(lines, runs[-1][-1], index, facts) <= MAX_GAP_LINES:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def main_body(lines: list[Line], facts: Facts) -> tuple[list[int], set[int]]:
    """body_indexes before its filling in, with the lines in lists of other stories."""
    listed = in_lists(lines, facts)  # worked out once for the prose test and the filling
    runs = prose_runs(lines, prose_indexes(lines, listed, facts), facts)
    if not runs:
        return [], listed
    sizes = [sum(facts.words(lines[i].text) for i in run) for run in runs]
    main = runs[sizes.index(max(sizes))]
    kept = {
        i
        for run, size in zip(runs, sizes, strict=True)
        if size >= MIN_RUN_SHARE * max(sizes)
        for i in run
    }
    # Reader comments follow the article under a heading of their own; a comment count in
    # the article's header is not that heading, so some article text must come first.
    before = 0
    for line in lines[main[0] :]:
        if line.index in kept:
            before += facts.words(line.text)
        elif before >= MIN_WORDS_BEFORE_COMMENTS and is_comment_heading(line.text):
            kept = {i for i in kept if i < line.index}
            break
    return sorted(kept), listed


def filled_body(
    lines: list[Line], main: tuple[list[int], set[int]], extracted: bool, facts: Facts
) -> list[int]:
    """body_indexes' result from main_body's: the main lines with the short lines between."""
    kept, listed = main
    if not kept:
        return []
    max_gap = len(lines) if extracted else MAX_GAP_LINES
    return sorted(set(kept) | _filled(lines, kept, max_gap, listed, facts))


def body_indexes(
    lines: list[Line], extracted: bool = False, facts: Facts | None = None
) -> list[int]:
    """Indexes of the article's body lines, in page order.

    For text an extractor already cut from a page (`extracted`), every line between the first
    and last body line that is not furniture is kept, however far apart the prose lines are:
    the extractor has removed most of what lies between articles' paragraphs elsewhere.
    """
    facts = facts or Facts()
    return filled_body(lines, main_body(lines, facts), extracted, facts)


def _filled(
    lines: list[Line], kept: list[int], max_gap: int, listed: set[int], facts: Facts
) -> set[int]:
    """Short lines sitting between body lines that are not page furniture."""
    filled: set[int] = set()
    for first, last in zip(kept, kept[1:], strict=False):
        if last == first + 1 or _wordy_between(lines, first, last, facts) > max_gap:
            continue
        filled.update(
            ln.index
            for ln in lines[first + 1 : last]
            if ln.repeats == 1
            and not ln.shared
            and ln.index not in listed
            and facts.clutter(ln.text) is None
        )
    return filled
