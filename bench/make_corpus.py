"""Generate a large, realistic corpus of articles for scale benchmarks of story grouping.

    python bench/make_corpus.py -n 10000 [--seed 0] [--evaldata PATH] [--write DIR]

Synthetic stories are recombined from the evaluation documents (ECB+ and DUC 2004, read by path
from ../shared/evaldata at run time, never copied into the repository):

- Story sizes follow a truncated power law (P(s) ~ s^-2, 1..50 articles): most stories have 1-3
  articles, a few have 10-50.
- Each story draws on one gold cluster only: up to 6 of its documents form the story's pool of
  sentences. Its proper names, acronyms and numbers are replaced by generated ones (mostly fresh
  names, now and then a recurring "famous" one), and 60% of its content words by other words of
  about the same corpus frequency, consistently within the story. Stories drawn from one gold
  cluster so tell different events in partly different words (their cosine is about that of
  different stories in the evaluation data) instead of repeating 760 texts, while word
  frequencies keep their shape. The text reads as word salad; grouping only sees the words.
- The articles of a story are originals (one source document each), rewrites (a reordered 10-40%
  of the pool's sentences with 35% of content words exchanged, an outlet's own wording) and wire
  copies of an earlier article with light edits (a few words dropped or swapped, boilerplate
  lines added, sometimes the ending trimmed). 30% of later articles are copies.
- Outlets come from a generated list of 400 with skewed popularity; dates spread over June to
  September 2026, a story's articles within days of its first.

Every article carries a gold story label, so B-cubed can be scored at scale. The corpus depends
only on the evaluation data, --seed and -n. `--write DIR` also writes it as JSON Lines input for
`digest build` (1,000 articles a file; the gold label is in each record's `story` key, which
digest ignores).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from evaldata import DEFAULT, missing, rows
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from digest.models import Article

# A source: gold cluster id -> documents -> sentences.
Source = Mapping[str, Sequence[Sequence[str]]]

DATASETS = (("ecbplus", "ecbplus/docs.jsonl"), ("duc2004", "duc2004/docs.jsonl"))
MAX_STORY = 50
SIZE_EXPONENT = 2.0
DRIFT = 0.6  # share of a story's content words exchanged for others, consistently in the story
PARAPHRASE = 0.35  # share of a rewrite's content words exchanged for others
MAX_SENTENCES = 60  # longer source documents are cut to this many sentences
FIRST_DAY = dt.date(2026, 6, 1)
DAYS = 122  # June to September
SHARE_COPY, SHARE_ORIGINAL = 0.3, 0.35  # of later articles; the rest (and all once the
# story's documents are used up) are rewrites

_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
_LOWER = re.compile(r"\b[a-z]+\b")


def _names(text: str) -> tuple[str, ...]:
    """The space-separated words of text."""
    return tuple(text.split())


_SYLLABLES = _names(
    "ka ri to ma len dor vi sa bel gan ur os tem na lo ve qui zar han mi "
    "ber tal co du fen gor ist jun kel lum mor nev pra ros sen tor val wen yar zel"
)
_NOUNS = _names("Herald Courier Times Post Gazette Tribune Ledger Chronicle Observer Journal")
_BOILERPLATE = (
    "Copyright 2026 {outlet}. All rights reserved.",
    "Reporting by {name}; editing by {other}.",
    "Follow {outlet} for the latest updates on this story.",
    "This article was written with reporting from {name} and {other}.",
    "{outlet} contributed to this report.",
    "Sign up for the {outlet} morning briefing.",
)
# Short function words that are never swapped for other vocabulary.
_KEEP = frozenset(
    _names(
        "about after also been before being could from have into more most much only other over "
        "said says same some such than that their them then there these they this those under "
        "very were what when where which while will with would year years"
    )
)


@dataclass
class Corpus:
    """Generated articles with their gold story labels and how each article was made."""

    articles: list[Article]
    gold: dict[str, str]  # article id -> synthetic story label
    kind: dict[str, str]  # article id -> "original", "rewrite" or "copy"
    copy_of: dict[str, str] = field(default_factory=dict)  # copy id -> id of the copied article


@dataclass
class _Lexicon:
    """What the generator knows about the source words."""

    lower: frozenset[str]  # words seen in lower case somewhere: not proper names
    content: list[str]  # content words, most frequent first
    rank: dict[str, int]  # content word -> its place in content


@dataclass
class _Story:
    """Per-story state: the sentence pool and the consistent word substitutions."""

    label: str
    docs: list[list[str]]
    substitute: dict[str, str] = field(default_factory=dict)
    mapped: dict[str, str] = field(default_factory=dict)  # cache: source sentence -> rewritten
    articles: list[Article] = field(default_factory=list)


def load_source(evaldata: Path = DEFAULT) -> dict[str, list[list[str]]] | None:
    """Sentences of every evaluation document by gold cluster, or None (SKIP printed) if absent."""
    source: dict[str, list[list[str]]] = {}
    for name, rel in DATASETS:
        if missing(evaldata / rel):
            return None
        for row in rows(evaldata / rel):
            found = row.get("sentences") or row.get("text_sentences")
            sentences = [s.strip() for s in found or row["text"].splitlines() if s.strip()]
            if sentences:
                source.setdefault(f"{name}:{row['cluster_id']}", []).append(sentences)
    return source


def _lexicon(source: Source) -> _Lexicon:
    counts: Counter[str] = Counter()
    for docs in source.values():
        for doc in docs:
            for sentence in doc:
                counts.update(_LOWER.findall(sentence))
    content = sorted(
        (w for w in counts if len(w) >= 4 and w not in ENGLISH_STOP_WORDS and w not in _KEEP),
        key=lambda w: (-counts[w], w),
    )
    return _Lexicon(frozenset(counts), content, {w: i for i, w in enumerate(content)})


def _story_sizes(n: int, rng: random.Random) -> list[int]:
    """Story sizes summing to n, from a power law truncated at MAX_STORY."""
    sizes_all = list(range(1, MAX_STORY + 1))
    weights = [s**-SIZE_EXPONENT for s in sizes_all]
    sizes: list[int] = []
    total = 0
    while total < n:
        size = min(rng.choices(sizes_all, weights)[0], n - total)
        sizes.append(size)
        total += size
    return sizes


def _fresh_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


class _Generator:
    """Makes the stories; all randomness comes from one seeded Random."""

    def __init__(self, source: Source, seed: int, drift: float) -> None:
        self.rng = random.Random(seed)
        self.clusters = sorted(source)
        self.source = source
        self.lexicon = _lexicon(source)
        self.drift = drift
        self.famous = [_fresh_name(self.rng) for _ in range(2000)]
        self.famous_weights = [1 / (rank + 1) for rank in range(len(self.famous))]
        self.outlets = [
            f"The {_fresh_name(self.rng)} {self.rng.choice(_NOUNS)}" for _ in range(400)
        ]
        self.outlet_weights = [1 / (rank + 1) ** 0.8 for rank in range(len(self.outlets))]
        self.ids: set[str] = set()

    # -- words ---------------------------------------------------------------------------------

    def _replace(self, story: _Story, token: str) -> str:
        rng = self.rng
        if token[0].isdigit():
            if token not in story.substitute:
                digits = "".join(c for c in token if c.isdigit())
                first = rng.randint(1, 9) if len(digits) > 1 else rng.randint(0, 9)
                new = str(first) + "".join(str(rng.randint(0, 9)) for _ in digits[1:])
                shape = iter(new)
                story.substitute[token] = "".join(next(shape) if c.isdigit() else c for c in token)
            return story.substitute[token]
        if token[0].isupper():
            if len(token) < 2 or token.lower() in self.lexicon.lower:
                return token  # a sentence-initial common word, or an initial
            if token not in story.substitute:
                if rng.random() < 0.2:
                    name = rng.choices(self.famous, self.famous_weights)[0]
                else:
                    name = _fresh_name(rng)
                story.substitute[token] = name.upper() if token.isupper() else name
            return story.substitute[token]
        rank = self.lexicon.rank.get(token)
        if rank is None:
            return token  # a function word
        if token not in story.substitute:
            story.substitute[token] = self._neighbour(rank) if rng.random() < self.drift else token
        return story.substitute[token]

    def _neighbour(self, rank: int) -> str:
        """A content word of about the same corpus frequency as the one at rank."""
        width = max(20, rank // 2)
        pick = rank + self.rng.randint(-width, width)
        return self.lexicon.content[min(max(pick, 0), len(self.lexicon.content) - 1)]

    def _paraphrase(self, sentence: str) -> str:
        """The sentence with some content words exchanged, as an outlet's own wording would."""
        rank = self.lexicon.rank

        def swap(match: re.Match[str]) -> str:
            word = match[0]
            if word in rank and self.rng.random() < PARAPHRASE:
                return self._neighbour(rank[word])
            return word

        return _LOWER.sub(swap, sentence)

    def _map(self, story: _Story, sentence: str) -> str:
        if sentence not in story.mapped:
            story.mapped[sentence] = _TOKEN.sub(lambda m: self._replace(story, m[0]), sentence)
        return story.mapped[sentence]

    # -- articles ------------------------------------------------------------------------------

    def _new_id(self) -> str:
        while True:
            candidate = f"{self.rng.getrandbits(48):012x}"
            if candidate not in self.ids:
                self.ids.add(candidate)
                return candidate

    def _paragraphs(self, sentences: list[str]) -> tuple[str, ...]:
        paragraphs, i = [], 0
        while i < len(sentences):
            take = self.rng.choice((1, 1, 2, 2, 3))
            paragraphs.append(" ".join(sentences[i : i + take]))
            i += take
        return tuple(paragraphs)

    def _article(
        self, paragraphs: Sequence[str], day: dt.date, title: str | None = None
    ) -> Article:
        article_id = self._new_id()
        outlet = self.rng.choices(self.outlets, self.outlet_weights)[0]
        if title is None:
            first = re.split(r"(?<=[.!?])\s", paragraphs[0], maxsplit=1)[0]
            title = " ".join(first.split()[:12]).rstrip(".,;:!?'\"` ")
        if self.rng.random() < 0.3:  # the outlet's signature line
            paragraphs = [*paragraphs, self._boilerplate(outlet)]
        site = re.sub(r"\W+", "", outlet.lower())
        return Article(
            id=article_id,
            source_file=f"{article_id}.txt",
            title=title,
            paragraphs=tuple(paragraphs),
            outlet=outlet,
            url=f"https://{site}.example/news/{article_id}",
            published=day.isoformat(),
        )

    def _boilerplate(self, outlet: str) -> str:
        name, other = f"{_fresh_name(self.rng)} {_fresh_name(self.rng)}", _fresh_name(self.rng)
        return self.rng.choice(_BOILERPLATE).format(outlet=outlet, name=name, other=other)

    def _original(self, story: _Story, doc: list[str], day: dt.date) -> Article:
        return self._article(self._paragraphs([self._map(story, s) for s in doc]), day)

    def _rewrite(self, story: _Story, day: dt.date) -> Article:
        rng = self.rng
        pool = [s for doc in story.docs for s in doc]
        keep = max(3, round(len(pool) * rng.uniform(0.1, 0.4)))
        keep = min(keep, MAX_SENTENCES, len(pool))
        picked = sorted(rng.sample(range(len(pool)), keep))
        for i in range(len(picked) - 1):  # local reordering
            if rng.random() < 0.25:
                picked[i], picked[i + 1] = picked[i + 1], picked[i]
        sentences = [self._paraphrase(self._map(story, pool[i])) for i in picked]
        return self._article(self._paragraphs(sentences), day)

    def _copy(self, original: Article, day: dt.date) -> Article:
        rng = self.rng
        paragraphs = [p.split() for p in original.paragraphs]
        if len(paragraphs) > 6 and rng.random() < 0.3:  # the ending trimmed
            del paragraphs[len(paragraphs) - rng.randint(1, len(paragraphs) // 6) :]
        words = sum(len(tokens) for tokens in paragraphs)
        for _ in range(rng.randint(0, max(1, words // 120))):  # a few words dropped or swapped
            tokens = rng.choice(paragraphs)
            if len(tokens) > 2:
                i = rng.randrange(len(tokens) - 1)
                if rng.random() < 0.5:
                    del tokens[i]
                else:
                    tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        edited = [" ".join(tokens) for tokens in paragraphs if tokens]
        if rng.random() < 0.5:
            edited.append(self._boilerplate("the wire service"))
        title = original.title if rng.random() < 0.7 else f"{original.title} - report"
        return self._article(edited, day, title)

    def story(self, index: int, size: int) -> tuple[_Story, dict[str, str], dict[str, str]]:
        """One synthetic story of size articles, with the kind of each and the copies."""
        rng = self.rng
        docs = self.source[rng.choice(self.clusters)]
        n_docs = min(len(docs), size, 6)
        chosen = [list(doc[:MAX_SENTENCES]) for doc in rng.sample(list(docs), n_docs)]
        story = _Story(label=f"story-{index:06d}", docs=chosen)
        start = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        kinds: dict[str, str] = {}
        copies: dict[str, str] = {}
        next_doc = 1
        for position in range(size):
            day = start + dt.timedelta(
                days=0 if position == 0 else min(10, int(rng.expovariate(0.7)))
            )
            roll = rng.random()
            if position == 0:
                article, kind = self._original(story, chosen[0], day), "original"
            elif roll < SHARE_COPY:
                source = rng.choice(story.articles)
                article, kind = self._copy(source, day), "copy"
                copies[article.id] = source.id
            elif roll < SHARE_COPY + SHARE_ORIGINAL and next_doc < len(chosen):
                article, kind = self._original(story, chosen[next_doc], day), "original"
                next_doc += 1
            else:
                article, kind = self._rewrite(story, day), "rewrite"
            story.articles.append(article)
            kinds[article.id] = kind
        return story, kinds, copies


def generate_from(source: Source, n: int, seed: int = 0, drift: float = DRIFT) -> Corpus:
    """A corpus of n articles recombined from source (gold cluster -> documents -> sentences)."""
    generator = _Generator(source, seed, drift)
    corpus = Corpus(articles=[], gold={}, kind={})
    for index, size in enumerate(_story_sizes(n, generator.rng)):
        story, kinds, copies = generator.story(index, size)
        corpus.articles += story.articles
        corpus.gold.update((a.id, story.label) for a in story.articles)
        corpus.kind.update(kinds)
        corpus.copy_of.update(copies)
    generator.rng.shuffle(corpus.articles)
    return corpus


def generate(n: int, seed: int = 0, evaldata: Path = DEFAULT) -> Corpus | None:
    """A corpus of n articles from the evaluation data, or None (SKIP printed) when it is absent."""
    source = load_source(evaldata)
    return None if source is None else generate_from(source, n, seed)


def write(corpus: Corpus, folder: Path, per_file: int = 1000) -> None:
    """Write the corpus as JSON Lines input files for digest build, gold label under `story`."""
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(corpus.articles), per_file):
        lines = [
            json.dumps(
                {
                    "id": a.id,
                    "title": a.title,
                    "url": a.url,
                    "outlet": a.outlet,
                    "published": a.published,
                    "text": a.body,
                    "story": corpus.gold[a.id],
                },
                ensure_ascii=False,
            )
            for a in corpus.articles[start : start + per_file]
        ]
        path = folder / f"articles-{start // per_file:04d}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def describe(corpus: Corpus) -> str:
    """A few lines of statistics about a corpus."""
    sizes = Counter(Counter(corpus.gold.values()).values())
    stories = sum(sizes.values())
    words = [len(a.body.split()) for a in corpus.articles]
    vocabulary = {w.lower() for a in corpus.articles for w in _TOKEN.findall(a.body)}
    kinds = Counter(corpus.kind.values())
    small = sum(count for size, count in sizes.items() if size <= 3)
    large = sum(count for size, count in sizes.items() if size >= 10)
    return "\n".join(
        [
            f"articles {len(corpus.articles)}  stories {stories} "
            f"(1-3 articles: {small}, 10+: {large}, largest {max(sizes)})",
            "kinds " + ", ".join(f"{k} {kinds[k]}" for k in ("original", "rewrite", "copy")),
            f"words per article {sum(words) / len(words):.0f}  vocabulary {len(vocabulary)}",
        ]
    )


def main() -> int:
    """Generate a corpus, print its statistics, and optionally write it as input files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="number of articles")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaldata", type=Path, default=DEFAULT)
    parser.add_argument("--write", type=Path, metavar="DIR", help="write JSON Lines input files")
    args = parser.parse_args()
    started = time.perf_counter()
    corpus = generate(args.n, args.seed, args.evaldata)
    if corpus is None:
        return 0
    print(describe(corpus))
    print(f"generated in {time.perf_counter() - started:.1f} s")
    if args.write:
        write(corpus, args.write)
        print(f"written to {args.write}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
