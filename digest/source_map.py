"""The input folder's sources.toml: the url, outlet and date of files that do not give their
own, by file name or glob pattern.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import replace
from pathlib import Path

from .dates import find_date
from .models import Document, Problem
from .text import decode, safe_url

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
    except RecursionError:  # arrays nested deeper than Python's stack: not a TOMLDecodeError
        return [], [Problem(SOURCE_MAP, "ignored: nested too deeply to read")]
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
