"""Read the input folder into documents: one per text page, one per JSON Lines record."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path

from .dates import find_date
from .errors import InputError
from .models import Document, Problem
from .readers.feeds import read_feed
from .readers.html import read_html
from .readers.markdown import read_markdown
from .text import decode, normalize

log = logging.getLogger(__name__)

# Files that configure a build rather than carry articles.
IGNORED_NAMES = {"digest.toml", "sources.toml"}
RECORD_FIELDS = ("id", "title", "url", "outlet", "published")

Reader = Callable[[Path, str], tuple[list[Document], list[Problem]]]


def read_text_page(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """A scraped plain-text page, to be cleaned."""
    text = normalize(decode(path.read_bytes()))
    if not text.strip():
        return [], [Problem(rel, "empty file")]
    return [Document(source_file=rel, text=text, kind="page")], []


def read_jsonl(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """JSON Lines: one object a line, `text` plus optional id, title, url, outlet, published."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for number, line in enumerate(decode(path.read_bytes()).splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{rel}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(Problem(where, f"not JSON ({err.msg})"))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            problems.append(Problem(where, "no 'text' string in the record"))
            continue
        if not record["text"].strip():
            problems.append(Problem(where, "empty 'text'"))
            continue
        meta = {}
        for key in RECORD_FIELDS:
            value = record.get(key)
            if value is not None and not isinstance(value, (str, int)):
                problems.append(Problem(where, f"'{key}' ignored: not a string"))
                continue
            meta[key] = normalize(str(value)).strip() or None if value is not None else None
        if published := meta.get("published"):
            found = find_date(published)
            if found is None:
                problems.append(Problem(where, f"'published' ignored: no date in {published!r}"))
            meta["published"] = found[0] if found else None
        documents.append(
            Document(
                source_file=rel,
                text=normalize(record["text"]),
                kind="record",
                index=number,
                id=meta.get("id"),
                title=meta.get("title"),
                url=meta.get("url"),
                outlet=meta.get("outlet"),
                published=meta.get("published"),
            )
        )
    return documents, problems


READERS: dict[str, Reader] = {
    ".txt": read_text_page,
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
    ".json": read_feed,
}


def input_files(folder: Path) -> list[Path]:
    """Every visible file under folder, in a stable order."""
    found = []
    for path in folder.rglob("*"):
        rel_parts = path.relative_to(folder).parts
        if any(part.startswith(".") for part in rel_parts) or not path.is_file():
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def read_folder(folder: Path) -> tuple[list[Document], list[Problem]]:
    """Read every article file under folder; unknown or unreadable files become problems."""
    if not folder.exists():
        raise InputError(f"input folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"input {folder} is not a folder")
    documents: list[Document] = []
    problems: list[Problem] = []
    for path in input_files(folder):
        rel = path.relative_to(folder).as_posix()
        if path.name in IGNORED_NAMES:
            continue
        reader = READERS.get(path.suffix.lower())
        if reader is None:
            problems.append(Problem(rel, f"skipped: unknown file type {path.suffix or '(none)'}"))
            continue
        try:
            docs, issues = reader(path, rel)
        except OSError as err:
            problems.append(Problem(rel, f"cannot read ({err.strerror or err})"))
            continue
        documents.extend(docs)
        problems.extend(issues)
    for problem in problems:
        log.warning("%s", problem)
    return documents, problems
