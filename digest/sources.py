"""Read the input folder into documents: one per text page, one per JSON Lines record."""

from __future__ import annotations

import fnmatch
import json
import logging
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from .dates import find_date
from .errors import InputError
from .models import Document, Problem
from .readers.feeds import read_feed
from .readers.html import html_document, read_html
from .readers.markdown import read_markdown
from .text import decode, normalize, safe_url

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


def _record_fields(
    record: dict[str, object], where: str, problems: list[Problem]
) -> dict[str, str]:
    """A record's metadata fields that are usable; the others are reported."""
    meta: dict[str, str] = {}
    for key in RECORD_FIELDS:
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, (str, int)):
            problems.append(Problem(where, f"'{key}' ignored: not a string"))
            continue
        if text := normalize(str(value)).strip():
            meta[key] = text
    if published := meta.pop("published", None):
        found = find_date(published)
        if found is None:
            problems.append(Problem(where, f"'published' ignored: no date in {published!r}"))
        else:
            meta["published"] = found[0]
    if "url" in meta and safe_url(meta["url"]) is None:
        problems.append(
            Problem(where, f"'url' ignored: not an http(s) address: {meta.pop('url')!r}")
        )
    return meta


def _with_record_fields(
    page: Document, record: dict[str, object], where: str, problems: list[Problem]
) -> Document:
    """An HTML record's extracted page, with the record's own fields taking precedence."""
    meta = _record_fields(record, where, problems)
    return replace(
        page,
        id=meta.get("id"),
        title=meta.get("title") or page.title,
        url=meta.get("url") or page.url,
        outlet=meta.get("outlet") or page.outlet,
        published=meta.get("published") or page.published,
    )


def read_jsonl(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """JSON Lines: one object a line, `text` (or `html`) plus id, title, url, outlet, published."""
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
        if not isinstance(record, dict):
            problems.append(Problem(where, "no 'text' string in the record"))
            continue
        body = record.get("text")
        if body is None and isinstance(record.get("html"), str):
            page, issues = html_document(record["html"], rel, number)
            problems.extend(issues)
            if page is not None:
                documents.append(_with_record_fields(page, record, where, problems))
            continue
        if not isinstance(body, str):
            problems.append(Problem(where, "no 'text' or 'html' string in the record"))
            continue
        if not body.strip():
            problems.append(Problem(where, "empty 'text'"))
            continue
        meta = _record_fields(record, where, problems)
        documents.append(
            Document(
                source_file=rel,
                text=normalize(body),
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


SOURCE_MAP = "sources.toml"
SOURCE_FIELDS = ("url", "outlet", "published")
SourceMap = list[tuple[str, dict[str, str]]]


def read_source_map(folder: Path) -> tuple[SourceMap, list[Problem]]:
    """The input folder's sources.toml: file name or glob pattern -> url, outlet, published."""
    path = folder / SOURCE_MAP
    if not path.is_file():
        return [], []
    try:
        table = tomllib.loads(decode(path.read_bytes()))
    except (tomllib.TOMLDecodeError, OSError) as err:
        return [], [Problem(SOURCE_MAP, f"ignored: {err}")]
    entries: SourceMap = []
    problems: list[Problem] = []
    for pattern, fields in table.items():
        where = f"{SOURCE_MAP} [{pattern}]"
        if not isinstance(fields, dict):
            problems.append(Problem(where, "ignored: expected a table of url, outlet, published"))
            continue
        entry: dict[str, str] = {}
        for key, value in fields.items():
            text = value.isoformat() if hasattr(value, "isoformat") else value
            if key not in SOURCE_FIELDS:
                problems.append(Problem(where, f"unknown key {key!r} ignored"))
            elif not isinstance(text, str) or not text.strip():
                problems.append(Problem(where, f"{key!r} ignored: not a string"))
            elif key == "url" and safe_url(text) is None:
                problems.append(Problem(where, f"'url' ignored: not an http(s) address: {text!r}"))
            elif key == "published":
                # Kept as an ISO date, read once here rather than for every file it matches.
                if found := find_date(text):
                    entry[key] = found[0]
                else:
                    problems.append(Problem(where, f"'published' ignored: no date in {text!r}"))
            else:
                entry[key] = text.strip()
        entries.append((pattern, entry))
    return entries, problems


def apply_source_map(document: Document, entries: SourceMap) -> Document:
    """Fill in what a file does not say itself from every sources.toml entry matching it.

    Later entries override earlier ones, as in .gitattributes; a plain-text page's own
    metadata is only guessed during cleaning, so the map takes precedence over those guesses.
    """
    values: dict[str, str] = {}
    name = document.source_file.rsplit("/", 1)[-1]
    for pattern, entry in entries:
        if fnmatch.fnmatchcase(document.source_file, pattern) or fnmatch.fnmatchcase(name, pattern):
            values.update(entry)
    if not values:
        return document
    return replace(
        document,
        url=document.url or values.get("url"),
        outlet=document.outlet or values.get("outlet"),
        published=document.published or values.get("published"),
    )


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
    source_map, problems = read_source_map(folder)
    documents: list[Document] = []
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
        documents.extend(apply_source_map(doc, source_map) for doc in docs)
        problems.extend(issues)
    for problem in problems:
        log.warning("%s", problem)
    return documents, problems
