"""The build cache's entries as JSON (cached.py makes and reads them): frozen dataclasses as
JSON objects, read back only where they have the shape written, and the entries of the clean
and extras stages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

from .insights import OnlyIn, StoryExtras, TimelineEntry
from .models import Article, Document, Problem
from .quotes import Quote

T = TypeVar("T")


class Unreadable(ValueError):
    """A cache entry that does not have the shape its stage writes."""


# What reading an entry of another shape raises (Unreadable is a ValueError).
SHAPE_ERRORS = (TypeError, ValueError, KeyError, AttributeError)


# -- values: frozen dataclasses as JSON objects ------------------------------------------------


def dump(item: Any) -> dict[str, Any]:
    """A frozen dataclass as a JSON object: its fields by name."""
    return {f.name: getattr(item, f.name) for f in fields(item)}


def load(cls: Callable[..., T], names: frozenset[str], data: Any) -> T:
    """A dataclass from its JSON object, lists back to tuples; Unreadable if it does not fit."""
    if not isinstance(data, dict) or set(data) != names:
        raise Unreadable(f"expected the fields {sorted(names)}")
    values: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, list):
            if not all(isinstance(v, str) for v in value):
                raise Unreadable(f"{name}: expected a list of strings")
            value = tuple(value)
        elif value is not None and not isinstance(value, str | int | float):
            raise Unreadable(f"{name}: unexpected {type(value).__name__}")
        values[name] = value
    return cls(**values)


def field_names(cls: type) -> frozenset[str]:
    """The names of a dataclass's fields: the keys load expects."""
    return frozenset(f.name for f in fields(cls))


_ARTICLE, _PROBLEM = field_names(Article), field_names(Problem)
_QUOTE, _ONLY_IN, _TIMELINE = field_names(Quote), field_names(OnlyIn), field_names(TimelineEntry)
_EXTRAS = field_names(StoryExtras)


def json_list(value: Any) -> list[Any]:
    """value, if it is a list; Unreadable if not."""
    if not isinstance(value, list):
        raise Unreadable("expected a list")
    return value


# -- cleaning and the site's furniture ---------------------------------------------------------


def _page_lines(text: str) -> set[str]:
    return {line for line in text.split("\n") if line}


def clean_entry(
    document: Document,
    asked: set[str],
    shared: frozenset[str],
    articles: list[Article],
    problems: list[Problem],
) -> str:
    """A document's cache entry, as JSON: its articles and problems, with the furniture lines
    its cleaning depended on (made on the worker that cleaned it)."""
    lines = _page_lines(document.text)
    raw = lines <= asked  # the usual case: every line of the page was asked about
    extra = asked - lines if raw else asked
    entry = {
        "raw": raw,
        "extra": sorted(extra),
        "furniture": sorted(line for line in asked if line in shared),
        "articles": [dump(a) for a in articles],
        "problems": [dump(p) for p in problems],
    }
    return json.dumps(entry)


def restore_clean(
    entry: Any, document: Document, shared: frozenset[str]
) -> tuple[list[Article], list[Problem]] | None:
    """The cached articles and problems, or None if the furniture they depended on changed."""
    if not isinstance(entry, dict) or not isinstance(entry.get("raw"), bool):
        raise Unreadable("not a clean entry")
    asked = set(json_list(entry["extra"]))
    if entry["raw"]:
        asked |= _page_lines(document.text)
    if sorted(line for line in asked if line in shared) != json_list(entry["furniture"]):
        return None
    articles = [load(Article, _ARTICLE, a) for a in json_list(entry["articles"])]
    problems = [load(Problem, _PROBLEM, p) for p in json_list(entry["problems"])]
    return articles, problems


# -- a story's extras ---------------------------------------------------------------------------


def extras_entry(extras: StoryExtras) -> dict[str, Any]:
    """A story's extras as a cache entry (a JSON object)."""
    return {
        "quotes": [dump(q) for q in extras.quotes],
        "only_in": [dump(o) for o in extras.only_in],
        "timeline": [dump(t) for t in extras.timeline],
    }


def restore_extras(entry: Any) -> StoryExtras:
    """A story's extras from their cache entry; Unreadable if it has another shape."""
    if not isinstance(entry, dict) or set(entry) != _EXTRAS:
        raise Unreadable("not an extras entry")
    return StoryExtras(
        tuple(load(Quote, _QUOTE, q) for q in json_list(entry["quotes"])),
        tuple(load(OnlyIn, _ONLY_IN, o) for o in json_list(entry["only_in"])),
        tuple(load(TimelineEntry, _TIMELINE, t) for t in json_list(entry["timeline"])),
    )
