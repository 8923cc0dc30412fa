"""Clean documents into articles: title, outlet, date, dateline and body, clutter removed."""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import PurePosixPath

from .body import body_indexes, filled_body, main_body
from .boilerplate import shared_lines
from .clutter import Facts, Line, clutter_reason, word_count
from .dates import find_date
from .metadata import clean_page, split_dateline
from .models import Article, Document, Problem
from .text import cosine, slug, word_bag

log = logging.getLogger(__name__)

_STUTTER = re.compile(r"\b([A-Z][\w]+) \1((?: [A-Z][\w]*)+)")
# A new article starts only if its text shares little with the article before it.
SPLIT_MAX_SIMILARITY = 0.3
MIN_ARTICLE_WORDS = 40


def page_lines(text: str, shared: frozenset[str] = frozenset()) -> list[Line]:
    """The non-blank lines of a page with the gap before each, repeat counts, site furniture."""
    raw = text.split("\n")
    counts = Counter(line for line in raw if line)
    lines: list[Line] = []
    gap = 0
    for line in raw:
        if not line:
            gap += 1
            continue
        lines.append(Line(line, len(lines), gap, counts[line], line in shared))
        gap = 0
    return lines


def injected_phrases(lines: list[Line]) -> list[str]:
    """Phrases a spam site injected into the title and sentences (a stuttered brand name)."""
    found = []
    for line in lines[:12]:
        for match in _STUTTER.finditer(line.text):
            tokens = match.group(0).split(" ")
            # Capitalised words may follow the brand (a title); keep the longest repeated prefix.
            for end in range(len(tokens), 2, -1):
                phrase = " ".join(tokens[:end])
                if sum(phrase in other.text for other in lines) >= 2:
                    found.append(phrase)
                    break
    return sorted(set(found), key=len, reverse=True)


def _strip_phrases(text: str, phrases: list[str]) -> str:
    for phrase in phrases:
        text = text.replace(phrase, " ")
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r",(?=\S)", ", ", text)
    return re.sub(r"\s{2,}", " ", text).strip(" |")


def split_points(lines: list[Line], body: list[int], facts: Facts) -> list[int]:
    """Line indexes where a second, unrelated article appended to the page begins."""
    if len(body) < 4:
        return []
    gaps = sorted(lines[i].gap for i in body[1:])
    usual_gap = gaps[len(gaps) // 2]
    points: list[int] = []
    start = 0
    for line in lines:
        # The tests are pure, so the cheap layout test goes first.
        repeated_title = line.repeats >= 2
        if not repeated_title and line.gap <= usual_gap:
            continue
        if not facts.headline(line.text):
            continue
        after_body = [i for i in body if i > line.index]
        before_body = [i for i in body if start <= i < line.index]
        if not before_body or not after_body:
            continue
        # The candidate's own text runs to the next candidate start or the page end.
        after = " ".join(lines[i].text for i in after_body)
        before = " ".join(lines[i].text for i in before_body)
        if word_count(after) < MIN_ARTICLE_WORDS or word_count(before) < MIN_ARTICLE_WORDS:
            continue
        if cosine(word_bag(before), word_bag(after)) > SPLIT_MAX_SIMILARITY:
            continue
        if lines[line.index - 1].text == line.text:
            continue  # the second copy of a repeated title starts nothing new
        points.append(line.index)
        start = line.index
    return points


def _iso_date(text: str | None) -> str | None:
    found = find_date(text) if text else None
    return found[0] if found else None


def _fallback_title(paragraphs: list[str]) -> str:
    first = paragraphs[0] if paragraphs else ""
    cut = " ".join(first.split()[:12])
    return cut + ("…" if len(first.split()) > 12 else "")


def _short_slug(text: str, limit: int = 80) -> str:
    # A long path or id cut to the limit would lose the part that tells files apart (deep
    # folders share their start), so a cut slug ends with a hash of the whole text.
    full = slug(text, 10_000)
    if len(full) <= limit:
        return full
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug(text, limit - 9)}-{digest}"


def article_id(document: Document, part: int) -> str:
    """A stable id: the record's own id, else the file's stem (plus part or line number)."""
    if document.id:
        base = _short_slug(document.id)
    else:
        base = _short_slug(PurePosixPath(document.source_file).with_suffix("").as_posix())
        if document.kind == "record":
            base += f"-l{document.index}"
        elif document.index:
            base += f"-{document.index}"
    return base if part == 0 else f"{base}-{part + 1}"


def text_article(document: Document) -> tuple[list[Article], list[Problem]]:
    """An article from extracted text: every block a paragraph, only obvious clutter removed."""
    blocks = [" ".join(b.split()) for b in document.text.split("\n\n")]
    sources = document.markdown or tuple(blocks)
    if len(sources) != len(blocks):
        raise ValueError(f"{document.source_file}: markdown blocks do not match the paragraphs")
    kept = [(b, m) for b, m in zip(blocks, sources, strict=True) if b and clutter_reason(b) is None]
    removed = tuple(b for b in blocks if b and clutter_reason(b) is not None)
    paragraphs = [b for b, _ in kept]
    if not paragraphs:
        return [], [Problem(document.source_file, "no article text found")]
    dateline, origin = split_dateline(paragraphs)
    article = Article(
        id=article_id(document, 0),
        source_file=document.source_file,
        title=document.title or _fallback_title(paragraphs),
        paragraphs=tuple(paragraphs),
        outlet=document.outlet,
        url=document.url,
        published=_iso_date(document.published),
        dateline=dateline,
        origin=origin,
        author=document.author,
        removed=removed,
        markdown=tuple(m for _, m in kept) if document.markdown else (),
    )
    return [article], []


def document_articles(
    document: Document, shared: frozenset[str] = frozenset()
) -> tuple[list[Article], list[Problem]]:
    """The articles in one document (a page may hold a second, appended article).

    `shared` holds the lines many pages of the input carry (site furniture).
    """
    if document.kind == "text":
        return text_article(document)
    lines = page_lines(document.text, shared)
    phrases = injected_phrases(lines)
    if phrases:
        lines = page_lines("\n".join(_strip_phrases(ln.text, phrases) for ln in lines), shared)
    extracted = document.kind == "extract"
    facts = Facts()  # line texts are the same in every chunk, so one Facts serves them all
    main = main_body(lines, facts)
    points = split_points(lines, filled_body(lines, main, False, facts), facts)
    bounds = [0, *points, len(lines)]
    articles: list[Article] = []
    for part, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        chunk = lines[:end]  # the first chunk's indexes are the page's already
        if start:
            chunk = [replace(ln, index=ln.index - start) for ln in lines[start:end]]
        # An unsplit page is its one chunk, whose main body was found above.
        if points:
            body = body_indexes(chunk, extracted, facts)
        else:
            body = filled_body(lines, main, extracted, facts)
        meta, paragraphs, removed = clean_page(chunk, body, facts)
        if not paragraphs:
            continue
        articles.append(
            Article(
                id=article_id(document, part),
                source_file=document.source_file,
                title=(document.title if part == 0 else None)
                or meta["title"]
                or _fallback_title(paragraphs),
                paragraphs=tuple(paragraphs),
                outlet=document.outlet or meta["outlet"],
                url=document.url if part == 0 else None,
                published=_iso_date(document.published) or meta["published"],
                dateline=meta["dateline"],
                origin=meta["origin"],
                author=document.author,
                removed=tuple(phrases) + tuple(removed),
            )
        )
    if not articles and document.kind == "extract":
        # The extractor already chose the article's lines; its choice beats nothing.
        return text_article(replace(document, text=document.text.replace("\n", "\n\n")))
    if not articles:
        return [], [Problem(document.source_file, "no article text found")]
    return articles, []


def clean_documents(
    documents: Iterable[Document],
    articles_of: Callable[
        [Document, frozenset[str]], tuple[list[Article], list[Problem]]
    ] = document_articles,
    shared: frozenset[str] | None = None,
) -> tuple[list[Article], list[Problem]]:
    """Clean every document; ids are made unique so each article appears once.

    `articles_of` cleans one document given the input's site furniture, `shared` (found here
    unless given; the build passes the documents' articles, cleaned on its engine's workers).
    """
    documents = list(documents)
    shared = shared_lines(documents) if shared is None else shared
    articles: list[Article] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}  # article id -> its input file
    for document in documents:
        found, issues = articles_of(document, shared)
        problems.extend(issues)
        for article in found:
            path = PurePosixPath(article.source_file)
            other = PurePosixPath(seen.get(article.id, ""))
            if other.stem == path.stem and other.suffix != path.suffix:
                # page.txt and page.html: one name in two formats, not a conflict.
                article = replace(article, id=f"{article.id}-{path.suffix.lstrip('.').lower()}")
            if article.id in seen:
                digest = hashlib.sha1(
                    f"{article.source_file}\0{article.body}".encode()
                ).hexdigest()[:8]
                problems.append(Problem(article.source_file, f"duplicate id {article.id!r}"))
                article = replace(article, id=f"{article.id}-{digest}")
            seen[article.id] = article.source_file
            articles.append(article)
    for problem in problems:
        log.warning("%s", problem)
    return articles, problems
