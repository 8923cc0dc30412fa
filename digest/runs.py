"""Runs of lines that list other stories: headline lists ("Related", "Most read") and teaser
lists (each headline over a summary line), found by the shape of consecutive lines.
"""

from __future__ import annotations

from .clutter import BULLET, Facts, Line
from .text import cosine, word_bag

# Teasers for different stories share almost no words; an article's sections share many.
TEASER_MAX_SIMILARITY = 0.1


def headline_runs(lines: list[Line], facts: Facts | None = None) -> set[int]:
    """Indexes of lines inside lists of other stories' headlines (related, most read...)."""
    facts = facts or Facts()
    flagged: set[int] = set()
    run: list[Line] = []

    def close() -> None:
        if len(run) >= 3 and sum(
            1 for ln in run if BULLET.match(ln.text) or facts.headline(ln.text)
        ) >= 0.7 * len(run):
            flagged.update(ln.index for ln in run)
        run.clear()

    for line in lines:
        listish = bool(BULLET.match(line.text)) or facts.headline(line.text)
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


def teaser_runs(lines: list[Line], facts: Facts | None = None) -> set[int]:
    """Indexes of lines in lists of teasers: other stories' headlines, each over a summary line."""
    facts = facts or Facts()
    wordy = [ln for ln in lines if facts.words(ln.text)]
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
        if (
            facts.headline(head.text)
            and facts.words(teaser.text) <= 60
            and facts.prose(teaser.text)
        ):
            run.extend((head, teaser))
            position += 2
            continue
        close()
        position += 1
    close()
    return flagged
