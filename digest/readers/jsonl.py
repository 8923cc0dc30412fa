"""JSON Lines input: one article a line, `text` (or `html`) plus its metadata fields."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ..dates import find_date
from ..models import Document, Problem
from ..text import decode, normalize, safe_url
from .html import html_document

RECORD_FIELDS = ("id", "title", "url", "outlet", "published")


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
        except (RecursionError, ValueError) as err:
            # json's own failures on hostile lines (arrays nested deeper than Python's stack, an
            # integer over 4300 digits): not JSONDecodeErrors, they would end the whole build.
            problems.append(Problem(where, f"not JSON a reader can take ({type(err).__name__})"))
            continue
        if not isinstance(record, dict):
            kind = "a list" if isinstance(record, list) else "a single value"
            problems.append(Problem(where, f"not a record: JSON {kind}, not an object"))
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
    if not documents and not problems:  # else an empty file would vanish without a word
        problems.append(Problem(rel, "no records (the file is empty)"))
    return documents, problems
