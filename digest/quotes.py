"""Key quotes of a story: quotations the articles report, verbatim, with who said them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .models import Analysis, Article
from .text import phrase_key, sentences, words

MAX_QUOTES = 5
# Shorter quotations are mostly scare quotes ("gird for war"); longer ones are whole speeches.
MIN_QUOTE_WORDS, MAX_QUOTE_WORDS = 5, 80


@dataclass(frozen=True)
class Quote:
    """A quotation an article reports, verbatim, with who said it and where it is."""

    text: str
    speaker: str
    article_id: str
    paragraph: int
    outlets: int  # distinct outlets carrying the same quotation


# Attribution verbs; "told" takes an object ("told reporters") before a colon.
_VERB = r"(?:said|says|added|adds|stated|states|told)"
_VERB_THEN_QUOTE = r"(?:said|says|added|stated|told(?:\s+[\w'’.-]+){1,4}?)"
# Name words: "Hun", "O'Brien", "Jong-un", and titles and initials that keep their period inside a
# name ("Col. Isaac L. Taylor", "K.S. Jomo"); any other period ends the sentence ("said Hun Sen.").
_TITLES = r"Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Col|Gen|Lt|Sgt|Capt|Maj|Adm|Prof|Rev|St"
_ABBREV = rf"(?:(?:{_TITLES})\.|(?:[A-Z]\.)+)(?=\s+[A-Z])"
_NAME_WORD = rf"(?:{_ABBREV}|[A-Z][\w'’-]*)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:(?:of|de|van|von|al|bin|da|del|la|le)\s+)?{_NAME_WORD}){{0,5}}"
# Words that end a speaker's phrase: what follows it ("said the governor on Tuesday").
_STOP = (
    r"(?:of|for|at|in|from|on|to|and|but|or|as|that|who|which|when|while|after|before|during|with|"
    r"by|is|was|were|has|had|said|says|told|added|stated|according|this|last|yesterday|today|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)
# "the governor of Ostria", "a spokesman for the Foreign Ministry", "the party".
_DESC = (
    rf"(?:[Tt]he|[Aa]n?)\s+(?!{_STOP})[\w'’-]+(?:\s+(?!{_STOP})[\w'’-]+){{0,3}}"
    rf"(?:\s+(?:of|for|at|from)\s+(?:the\s+)?{_NAME})?"
)
# A name with its title: "Israeli government spokesman Moshe Fogel", "former president Ann Lee".
_TITLED = rf"(?:{_NAME}\s+)?(?:(?!{_STOP})[a-z][\w-]*\s+){{1,3}}{_NAME}|{_NAME}"
_PRONOUN = r"(?:[Hh]e|[Ss]he)\b"
_SPEAKER = rf"(?<![\w'’-])(?P<speaker>{_DESC}|{_PRONOUN}|{_TITLED})"
# After "said": the speaker ends where the sentence goes on, not inside "Wang's wife".
_NAMED = rf"(?P<speaker>{_DESC}|{_TITLED})(?![\w'’-]|\s+[A-Z]|\s+(?!{_STOP})[a-z])"
# Quotation marks: curly, straight, and the ``...'' of DUC and AP wire text.
_MARKS = (("“", "”", r"[^“”]+"), ('"', '"', r'[^"]+'), ("``", "''", r"(?:(?!``|'').)+"))


def _patterns() -> list[tuple[re.Pattern[str], bool, str]]:
    """Each quotation pattern, whether the quotation comes before its attribution, and the
    opening mark every match holds (a paragraph without it is not scanned)."""
    found = []
    for opening, closing, body in _MARKS:
        quote = rf"{re.escape(opening)}(?P<quote>{body}){re.escape(closing)}"
        after = rf"{quote}\s*(?P<comma>,)?\s+"
        found += [
            (re.compile(rf"{after}{_VERB}\s+{_NAMED}"), True, opening),  # “...,” said Hun Sen.
            (re.compile(rf"{after}{_SPEAKER}\s+{_VERB}\b"), True, opening),  # “...,” he said.
            (re.compile(rf"{after}according\s+to\s+{_NAMED}"), True, opening),
            # Hun Sen said: “...” (the speaker is looked for before "said" only where it matches).
            (re.compile(rf"(?<![\w'’-]){_VERB_THEN_QUOTE}\s*[:,]\s*{quote}"), False, opening),
            (re.compile(rf"\b[Aa]ccording\s+to\s+{_NAMED},\s*{quote}"), False, opening),
        ]
    return found


_PATTERNS = _patterns()
_VERB_STEMS = ("said", "says", "add", "state", "told", "ccording")  # one is in every match
_SPEAKER_BEFORE = re.compile(rf"{_SPEAKER}\s+$")
_RUN = re.compile(rf"(?<![\w'’-]){_NAME}")
_QUOTED = re.compile(r"“[^“”]*”|``.*?''|\"[^\"]*\"")
_DATE_WORDS = """monday tuesday wednesday thursday friday saturday sunday january february march
april may june july august september october november december"""
_DATES = frozenset(_DATE_WORDS.split())
# Capitalised only because they open a sentence; never a name, nor the start of one.
_NOT_NAME_WORDS = """the a an in on at but and after when while before during earlier later last
this that there he she it they we i his her its their our according"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split()) | _DATES


def _is_whole(quote: str, first: bool, comma: bool) -> bool:
    """A whole quoted sentence (not a fragment) that ends the way its attribution needs."""
    end = quote.rstrip()[-1:]
    joined = (comma or end in ",!?") if first else end in ".!?…"
    n = len(words(quote))
    return joined and quote.lstrip()[:1].isupper() and MIN_QUOTE_WORDS <= n <= MAX_QUOTE_WORDS


def _tidy(name: str) -> str:
    """A name without sentence words caught around it ("On Tuesday Hun Sen") or a possessive."""
    parts = name.removesuffix("'s").removesuffix("’s").split()
    while len(parts) > 1 and parts[0].lower() in _NOT_NAMES - {"the", "a", "an"}:
        parts = parts[1:]
    while len(parts) > 1 and parts[-1].lower() in _DATES:
        parts = parts[:-1]
    return " ".join(parts)


def _names(sentence: str, known: set[str]) -> list[str]:
    """Names in a sentence outside its quotations; a lone opening word only if known as a name."""
    found = []
    for match in _RUN.finditer(sentence):
        name = _tidy(re.sub(r"^(?:The|A|An)\s+", "", match.group(0)))
        if name.split()[0].lower() in _NOT_NAMES:
            continue
        # A lone word opening the sentence is as likely "Officials" as "Kim".
        opening = not sentence[: match.start()].strip() and name == match.group(0)
        if not opening or " " in name or name in known:
            found.append(name)
    return found


def _resolve(previous: str, last_speaker: str | None, known: set[str]) -> str | None:
    """Who "he"/"she" is: the one name in the sentence before, else the last named speaker."""
    previous = _QUOTED.sub(" ", previous)  # names inside a quotation are not who is talking
    if re.search(rf"(?<![\w'’-]){_PRONOUN}", previous):
        return last_speaker  # that sentence already says "he": the same person as before
    names = {n.casefold(): n for n in _names(previous, known)}
    # Drop a name another one contains ("Lee" beside "Mayor Ann Lee"): they are one person.
    people = [n for k, n in names.items() if not any(k != o and k in o for o in names)]
    if not people:
        return last_speaker  # "“...,” Hun Sen said. “...,” he added." continues the speaker
    return people[0] if len(people) == 1 else None


def _attributions(text: str) -> list[tuple[int, int, str, str, bool, bool]]:
    """(start, quote start, quote, speaker, quote first, comma) of each attribution, in order."""
    found: dict[int, tuple[int, int, str, str, bool, bool]] = {}
    if not any(verb in text for verb in _VERB_STEMS):
        return []
    for pattern, first, opening in _PATTERNS:
        if opening not in text:
            continue  # most paragraphs quote nobody: 15 scans of them would find nothing
        for match in pattern.finditer(text):
            start, speaker = match.start(), match.groupdict().get("speaker")
            if speaker is None:
                head = _SPEAKER_BEFORE.search(text, max(0, start - 120), start)
                if head is None:
                    continue
                start, speaker = head.start(), head.group("speaker")
            comma = bool(match.groupdict().get("comma"))
            at = match.start("quote")
            found.setdefault(at, (start, at, match.group("quote"), speaker, first, comma))
    return [found[at] for at in sorted(found)]


def article_quotes(article: Article) -> list[tuple[str, str, int, int]]:
    """(quote, speaker, paragraph, offset) of each attributed quotation, in reading order."""
    found: list[tuple[str, str, int, int]] = []
    last: tuple[str, int] | None = None  # last named speaker and the paragraph they spoke in
    attributed = [(p, text, _attributions(text)) for p, text in enumerate(article.paragraphs)]
    if not any(attributions for _, _, attributions in attributed):
        return []  # no one quoted: no need for the article's names
    # Each word of the article's longer names -> the first such name ("Shmyhal" -> "Ukrainian
    # Prime Minister Denys Shmyhal"): lone opening words are names if in it, surnames are expanded.
    runs = [_tidy(r) for par in article.paragraphs for r in _RUN.findall(par)]
    full = {w: r for r in reversed(runs) if " " in r for w in r.split()}
    for p, text, attributions in attributed:
        for start, at, quote, speaker, first, comma in attributions:
            before = text[:start].rstrip().rstrip("\"”’'")
            if first and before and before[-1] not in ".!?:":
                continue  # “at an exponential rate,” the report said: a phrase, not a quote
            if text[at - 1] == '"' and text[: at - 1].count('"') % 2:
                continue  # a straight mark that closes an earlier quotation
            if not _is_whole(quote, first, comma):
                continue
            if re.fullmatch(_PRONOUN, speaker):
                # The last whole sentence before the attribution (not the start of its own).
                head = sentences(text[:start])
                if head and head[-1][-1] not in ".!?\"”'":
                    head.pop()
                previous = head[-1] if head else ""
                if not head and p:
                    previous = (sentences(article.paragraphs[p - 1]) or [""])[-1]
                recent = last[0] if last and p - last[1] <= 2 else None
                resolved = _resolve(previous, recent, set(full))
                if resolved is None:
                    continue  # nobody to pin it on: better no quote than a wrong speaker
                speaker = resolved
            speaker = _tidy(speaker)
            if full.get(speaker, "").split()[-1:] == [speaker]:
                speaker = full[speaker]
            last = (speaker, p)
            found.append((quote.rstrip().removesuffix(",").rstrip(), speaker, p, at))
    return found


def quotes(
    articles: Sequence[Article],
    copies: dict[str, str],
    analyses: Mapping[str, Analysis] | None = None,
) -> tuple[Quote, ...]:
    """Up to MAX_QUOTES quotations with speakers, the same one across outlets counted once
    (analyses: the articles' own, by id, where the caller has them)."""
    first: dict[str, tuple[tuple[bool, str, str, int, int], Quote]] = {}
    outlets: dict[str, set[str]] = {}
    for article in articles:
        said = analyses[article.id].quotes if analyses else article_quotes(article)
        for text, speaker, p, offset in said:
            key = phrase_key(text)
            outlets.setdefault(key, set()).add(article.outlet_key)
            # Where the quotation is read first: originals before copies, then date and place.
            order = (article.id in copies, article.published or "9999", article.id, p, offset)
            if key not in first or order < first[key][0]:
                first[key] = (order, Quote(text, speaker, article.id, p, 0))
    ranked = sorted(first.items(), key=lambda item: (-len(outlets[item[0]]), item[1][0]))
    chosen: list[Quote] = []
    taken: list[str] = []  # keys of the chosen quotations
    for key, (_, quote) in ranked:
        # One outlet's shortened quotation is the same quote as another's full one.
        same = any(f" {key} " in f" {k} " or f" {k} " in f" {key} " for k in taken)
        if len(chosen) < MAX_QUOTES and not same:
            chosen.append(replace(quote, outlets=len(outlets[key])))
            taken.append(key)
    return tuple(chosen)
