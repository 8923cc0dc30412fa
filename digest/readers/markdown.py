"""Markdown files with YAML front matter."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ..dates import find_date, plausible
from ..models import Document, Problem
from ..text import decode, normalize, safe_url

# Front matter keys and the aliases other tools (Hugo, Jekyll, Pandoc, exporters) write.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "canonical", "canonical_url", "permalink"),
    "outlet": ("outlet", "source", "site", "site_name", "publisher", "publication"),
    "published": ("published", "date", "pubdate", "published_at", "publish_date", "created"),
    "author": ("author", "authors", "byline"),
}
_FENCE_CLOSE = ("---", "...")
_INDENT = re.compile(r"^[ \t]*")
# A list is not one block: each of its items is.
_LIST_OPEN = {"bullet_list_open", "ordered_list_open"}
_LIST_EDGE = _LIST_OPEN | {"bullet_list_close", "ordered_list_close"}

_parser = MarkdownIt("commonmark", {"html": False})


class _Loader(yaml.SafeLoader):
    """safe_load, except that an impossible date (2024-02-30) stays a string to report later."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.ScalarNode)  # the timestamp resolver only matches scalars
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def _normalize_keeping_indent(text: str) -> str:
    """normalize() each line but keep its indentation, which Markdown and YAML depend on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for line in text.split("\n"):
        indent = _INDENT.match(line)
        lead = indent.group(0) if indent else ""
        rest = normalize(line)
        lines.append(lead + rest if rest else "")
    return "\n".join(lines)


def _one_line(value: str) -> str | None:
    return " ".join(normalize(value).split()) or None


def split_front_matter(text: str) -> tuple[str | None, str]:
    """The front matter block (without its fences) and the body; None when there is none."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in _FENCE_CLOSE:
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :])
    # No closing fence: the leading --- is a Markdown rule, not front matter.
    return None, text


def _text_value(key: str, value: object, problems: list[Problem], rel: str) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        problems.append(Problem(rel, f"front matter '{key}' ignored: not text"))
        return None
    return _one_line(str(value))


def _authors(value: object, problems: list[Problem], rel: str) -> str | None:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        # Hugo and CSL-style lists give authors as {name: ...} mappings.
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, str) and (name := _one_line(item)):
            names.append(name)
        elif item is not None:
            problems.append(Problem(rel, "front matter 'author' ignored: not a name"))
            return None
    return ", ".join(names) or None


def _published(value: object, problems: list[Problem], rel: str) -> str | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        # YAML reads 0001-01-01 or 9999-12-31 as a date; find_date would drop it later without
        # a word, so it is reported here like any other date that cannot be the article's.
        if not plausible(value):
            reason = f"front matter 'published' ignored: {value.isoformat()} is no news date"
            problems.append(Problem(rel, reason))
            return None
        return value.isoformat()
    text = _text_value("published", value, problems, rel)
    found = find_date(text) if text else None
    if text and found is None:
        problems.append(Problem(rel, f"front matter 'published' ignored: no date in {text!r}"))
    return found[0] if found else None


def _url(value: object, problems: list[Problem], rel: str) -> str | None:
    text = _text_value("url", value, problems, rel)
    if text is None:
        return None
    if safe_url(text) is None:
        # The site only ever writes http(s) links; anything else could be javascript: or local.
        problems.append(Problem(rel, f"front matter 'url' ignored: not an http(s) link: {text!r}"))
        return None
    return text


def front_matter_fields(raw: str, rel: str) -> tuple[dict[str, str | None], list[Problem]]:
    """The metadata fields found in a front matter block, and what was wrong with it."""
    problems: list[Problem] = []
    try:
        data = yaml.load(raw, Loader=_Loader)  # safe: _Loader is a SafeLoader
    except yaml.YAMLError as err:
        reason = str(getattr(err, "problem", None) or err).splitlines()[0]
        mark = getattr(err, "problem_mark", None)
        # The mark counts lines from 0 within the block; the block starts on file line 2.
        where = f" at line {mark.line + 2}" if mark is not None else ""
        return {}, [Problem(rel, f"front matter ignored: not valid YAML{where} ({reason})")]
    except (RecursionError, ValueError) as err:
        # PyYAML's own failures on hostile input: nesting deeper than Python's stack, or an
        # integer over Python's 4300-digit limit; either would otherwise end the whole build.
        return {}, [Problem(rel, f"front matter ignored: not valid YAML ({type(err).__name__})")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        return {}, [Problem(rel, f"front matter ignored: {found}, not keys and values")]
    keys = {str(k).strip().casefold(): v for k, v in data.items() if isinstance(k, str)}
    fields: dict[str, str | None] = {}
    for field, aliases in ALIASES.items():
        key = next((a for a in aliases if keys.get(a) is not None), None)
        if key is None:
            continue
        value = keys[key]
        if field == "author":
            fields[field] = _authors(value, problems, rel)
        elif field == "published":
            fields[field] = _published(value, problems, rel)
        elif field == "url":
            fields[field] = _url(value, problems, rel)
        else:
            fields[field] = _text_value(field, value, problems, rel)
    return fields, problems


def _inline_text(token: Token) -> str:
    """Plain text of an inline token: link text kept, emphasis and images dropped."""
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _source(lines: list[str], start: int, end: int) -> str:
    block = lines[start:end]
    while block and not block[-1].strip():
        block.pop()
    return "\n".join(block)


def markdown_blocks(body: str) -> list[tuple[str, str, str]]:
    """(plain text, Markdown source, tag) of each top-level block; list items count one each."""
    env: dict[str, Any] = {}
    tokens = _parser.parse(body, env)
    lines = body.split("\n")
    references = list(env.get("references", {}).items())
    blocks: list[tuple[str, str, str]] = []
    opener: Token | None = None
    texts: list[str] = []

    def finish() -> None:
        if opener is None or opener.map is None:
            return
        text = " ".join(" ".join(texts).split())
        source = _source(lines, opener.map[0], opener.map[1])
        # A reference-style link needs its definition to render on its own.
        for label, ref in references:
            used = f"[{label.casefold()}]" in " ".join(source.split()).casefold()
            if used and (where := ref.get("map")):
                source += "\n\n" + _source(lines, where[0], where[1])
        if text:
            blocks.append((text, source, opener.tag))

    for token in tokens:
        # Blocks are contiguous runs of tokens: each starts where the one before it ends.
        starts_item = token.type == "list_item_open" and token.level == 1
        starts_block = token.level == 0 and token.nesting >= 0 and token.type not in _LIST_OPEN
        if starts_item or starts_block or (token.level == 0 and token.type in _LIST_EDGE):
            finish()
            opener, texts = (token if starts_item or starts_block else None), []
        if token.type == "inline":
            texts.append(_inline_text(token))
        elif token.type in ("code_block", "fence"):
            texts.append(token.content)
    finish()
    return blocks


def read_markdown(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """A Markdown article: front matter metadata and the body's paragraphs."""
    text = _normalize_keeping_indent(decode(path.read_bytes()))
    raw, body = split_front_matter(text)
    fields, problems = front_matter_fields(raw, rel) if raw is not None else ({}, [])
    blocks = markdown_blocks(body)
    # A leading level-1 heading is the title: taken when front matter has none, dropped when
    # it repeats the front matter's title, so the title never shows twice.
    if blocks and blocks[0][2] == "h1":
        title = fields.get("title")
        if title is None:
            fields["title"] = blocks.pop(0)[0]
        elif title.casefold() == blocks[0][0].casefold():
            blocks.pop(0)
    if not blocks:
        return [], [*problems, Problem(rel, "no article text")]
    document = Document(
        source_file=rel,
        text="\n\n".join(b[0] for b in blocks),
        kind="text",
        markdown=tuple(b[1] for b in blocks),
        title=fields.get("title"),
        url=fields.get("url"),
        outlet=fields.get("outlet"),
        published=fields.get("published"),
        author=fields.get("author"),
    )
    return [document], problems
