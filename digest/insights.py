"""A story page's extras: who reported when, and what only one outlet reports (quotes.py: who
said what), gathered per story in a StoryExtras record.

Every function here is pure: articles (and the story's copy map or summary) in, frozen records out.
Records name articles by id; the site links them to the article pages and their `#pN` paragraphs.
The build works the extras out once (cached.py keeps them between builds) and carries them on the
Briefing, for the site and the export to share.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .candidates import Candidate, candidates
from .entities import names_and_numbers
from .models import Analysis, Article, Briefing, Story, Summary
from .quotes import Quote, quotes
from .text import first_word, phrase_key, words

MAX_ONLY_IN, MAX_DETAILS = 3, 4


@dataclass(frozen=True)
class TimelineEntry:
    """One article of a story, in the order the outlets reported it."""

    article_id: str
    published: str | None  # ISO date; None when the page gave none
    title: str
    copy: bool  # a copy of another article of the story (wire copy, page saved twice)


@dataclass(frozen=True)
class OnlyIn:
    """A sentence of one original carrying names or numbers no other outlet's article mentions."""

    text: str
    article_id: str
    paragraph: int
    details: tuple[str, ...]  # those names and numbers, as the sentence writes them


def timeline(articles: Sequence[Article], copies: dict[str, str]) -> tuple[TimelineEntry, ...]:
    """Every article of the story, originals and copies, by date (undated last)."""
    ordered = sorted(
        articles, key=lambda a: (a.published is None, a.published or "", a.id in copies, a.id)
    )
    return tuple(TimelineEntry(a.id, a.published, a.title, a.id in copies) for a in ordered)


# --- Only in one outlet -------------------------------------------------------------------------

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
_MID_CAPITAL = re.compile(r"(?<=[a-z0-9,;] )[A-Z][\w'’-]*")


def _norm(word: str) -> list[str]:
    """A word as compared across articles: lower-cased, possessive and dots cut (U.S. is US)."""
    word = word.lower()
    if word.isalnum():
        return [word]  # most words: nothing to cut
    word = word.removesuffix("'s").removesuffix("’s").replace(".", "").replace(",", "")
    return [w for w in word.split("-") if w]


def _norm_all(name: str, norms: dict[str, list[str]] | None = None) -> list[str]:
    """The compared words of a name or number ("kim jong-un" gives kim, jong, un); norms keeps
    each name's, for a caller that asks again."""
    found = None if norms is None else norms.get(name)
    if found is None:
        found = [n for part in name.split() for n in _norm(part)]
        if norms is not None:
            norms[name] = found
    return found


def _as_written(name: str, sentence: str) -> str:
    """A lower-cased name as the sentence writes it ("Bank of England" for "bank england")."""
    parts = name.lower().split()
    if parts and sentence.isascii() and name.isascii():
        # Compiling a regex per name was most of the time; on ASCII text this finds its match.
        low = sentence.lower()  # the same length: offsets in it are offsets in sentence
        at = low.find(parts[0])
        while at != -1:
            if not (at and _is_word(low[at - 1])):
                end = _end_of_match(low, at, parts)
                if end != -1:
                    return sentence[at:end]
            at = low.find(parts[0], at + 1)
        return name
    gap = r"(?:\s+[a-z]+)?\s+"  # names_and_numbers drops "of", "de" and such inside a name
    pattern = r"(?<!\w)" + gap.join(map(re.escape, name.split())) + r"(?!\w)"
    match = re.search(pattern, sentence, re.IGNORECASE)
    return match.group(0) if match else name


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _end_of_match(low: str, at: int, parts: list[str]) -> int:
    """Where _as_written's pattern, matched from at, ends in ASCII text low (-1: no match).

    Tried in the regex's order: each gap first with a lower-case word in it ("of"), then bare.
    """
    if not low.startswith(parts[0], at):
        return -1
    at += len(parts[0])
    if len(parts) == 1:
        return at if at == len(low) or not _is_word(low[at]) else -1
    space = _spaces_end(low, at)
    if space == at:
        return -1
    letters = space
    while letters < len(low) and "a" <= low[letters] <= "z":
        letters += 1
    if letters > space:
        after_gap = _spaces_end(low, letters)
        if after_gap > letters:
            end = _end_of_match(low, after_gap, parts[1:])
            if end != -1:
                return end
    return _end_of_match(low, space, parts[1:])


def _spaces_end(text: str, at: int) -> int:
    while at < len(text) and text[at].isspace():
        at += 1
    return at


def _mentions(text: str, norms: dict[str, list[str]] | None = None) -> set[str]:
    """Every word and number a text mentions, in any case ("Freedom" and "freedom" alike)."""
    norms = {} if norms is None else norms
    # Each distinct word once; "1,000" as one number as well as its words.
    distinct = set(words(text)).union(_NUMBER.findall(text))
    # Most are letters and digits only, which _norm just lower-cases: filter and map, in C.
    plain = set(filter(str.isalnum, distinct))
    rest = distinct - plain
    norms.update((w, _norm(w)) for w in rest.difference(norms))
    return set(map(str.lower, plain)).union(*map(norms.__getitem__, rest))


def only_in(
    articles: Sequence[Article],
    copies: dict[str, str],
    summary: Summary,
    found: list[Candidate] | None = None,
) -> tuple[OnlyIn, ...]:
    """Up to MAX_ONLY_IN sentences whose names or numbers only one outlet's originals mention
    (found: the story's candidates.candidates, where the caller has them already)."""
    originals = [a for a in articles if a.id not in copies]
    if len({a.outlet_key for a in originals}) < 2:
        return ()  # one source: everything in it is "only in" it, which says nothing
    outlet_of = {a.id: a.outlet_key for a in originals}
    norms: dict[str, list[str]] = {}  # word -> _norm of it
    texts = [f"{a.title}\n{a.body}" for a in originals]
    mentioned: dict[str, set[str]] = {}  # outlet -> what its originals mention
    for a, text in zip(originals, texts, strict=True):
        mentioned.setdefault(a.outlet_key, set()).update(_mentions(text, norms))
    # What two or more outlets mention, and what any does: set operations, not a loop per word.
    everything: set[str] = set()
    shared: set[str] = set()
    for mentions in mentioned.values():
        shared |= everything & mentions
        everything |= mentions
    # An outlet naming itself ("the Associated Press said") is no detail of the event.
    masthead = set().union(*(_mentions(a.outlet or "", norms) for a in articles))
    in_summary = {phrase_key(s.text) for s in summary.sentences}
    # Words capitalised inside a sentence somewhere: names even where they open one.
    named = set().union(*map(_MID_CAPITAL.findall, texts))
    scored = []
    name_norms: dict[str, list[str]] = {}  # name or number -> _norm_all of it
    for candidate in candidates(articles, copies) if found is None else found:
        text, outlet = candidate.text, outlet_of.get(candidate.article_id, "")
        # A line with no full stop is often page furniture the cleaner left ("go to Daily ...").
        key = candidate.key or phrase_key(text)
        if key in in_summary or not text.rstrip("\"”’')").endswith((".", "!")):
            continue
        names = names_and_numbers(text)
        opening = first_word(text)
        if opening and opening not in named:  # "Besides Ewing,": "Besides" is no name
            first = opening.lower()
            names = [n.removeprefix(f"{first} ") for n in names if n != first]
        parts = {n for name in names for n in _norm_all(name, name_norms) if len(n) > 1} - masthead
        own = mentioned.get(outlet, set())  # mentioned by no outlet but this one, if any
        new = {n for n in parts if n not in shared and (n in own or n not in everything)}
        if new:
            shown = [n for n in dict.fromkeys(names) if new & set(_norm_all(n, name_norms))]
            # Each name whole and word by word from names_and_numbers: "lee sung joon", not "lee".
            shown = [n for n in shown if not any(n != o and f" {n} " in f" {o} " for o in shown)]
            scored.append((-len(new), candidate.order, candidate, new, shown))
    scored.sort(key=lambda item: item[:2])
    chosen: list[tuple[tuple[str, int, int], OnlyIn]] = []
    seen: set[str] = set()
    outlets: set[str] = set()  # outlets with a sentence chosen
    # Best sentence of each outlet first, then the rest; a sentence must add a detail not shown.
    for one_each in (True, False):
        for _, order, c, new, details in scored:
            if len(chosen) == MAX_ONLY_IN or new <= seen:
                continue
            if one_each and outlet_of[c.article_id] in outlets:
                continue
            seen |= new
            outlets.add(outlet_of[c.article_id])
            cased = tuple(_as_written(d, c.text) for d in details[:MAX_DETAILS])
            chosen.append((order, OnlyIn(c.text, c.article_id, c.paragraph, cased)))
    return tuple(item for _, item in sorted(chosen, key=lambda pair: pair[0]))


# --- A story's extras, worked out once a build ------------------------------------------------


@dataclass(frozen=True)
class StoryExtras:
    """What a story shows beside its summary: key quotes, details only one outlet reports, and
    every article by date. They depend only on the story's articles, copies and summary."""

    quotes: tuple[Quote, ...] = ()
    only_in: tuple[OnlyIn, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


def story_extras(
    articles: Sequence[Article],
    copies: dict[str, str],
    summary: Summary,
    found: list[Candidate] | None = None,
    analyses: Mapping[str, Analysis] | None = None,
) -> StoryExtras:
    """The extras of the story of these articles (in the story's order); found: its candidates,
    and analyses: its articles', where the caller has them already."""
    return StoryExtras(
        quotes(articles, copies, analyses),
        only_in(articles, copies, summary, found),
        timeline(articles, copies),
    )


def insights_for(
    stories: Sequence[Story], articles: Mapping[str, Article], summaries: Sequence[Summary]
) -> list[StoryExtras]:
    """Each story's extras, in the order of stories (summaries are in the same order)."""
    return [
        story_extras([articles[i] for i in story.article_ids], story.copies, summary)
        for story, summary in zip(stories, summaries, strict=True)
    ]


def extras_by_story(briefing: Briefing) -> dict[str, StoryExtras]:
    """Each story's extras by story id: those the build worked out, else (a briefing made by
    hand, with none) worked out now."""
    extras = briefing.extras
    if not extras:
        summaries = {s.story_id: s for s in briefing.summaries}
        ordered = [summaries[story.id] for story in briefing.stories]
        extras = tuple(insights_for(briefing.stories, briefing.articles_by_id, ordered))
    return {story.id: e for story, e in zip(briefing.stories, extras, strict=True)}
