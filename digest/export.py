"""The machine-readable export of a briefing: site/digest.json."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from .insights import extras_by_story
from .models import Briefing, Page
from .text import safe_url
from .views import article_path, story_path

FORMAT_VERSION = 1


def export_data(briefing: Briefing) -> dict[str, Any]:
    """The briefing as plain data, in a stable order."""
    summaries = {s.story_id: s for s in briefing.summaries}
    extras = extras_by_story(briefing)
    copy_of: dict[str, str] = {}
    story_of: dict[str, str] = {}
    for story in briefing.stories:
        copy_of.update(story.copies)
        story_of.update({a: story.id for a in story.article_ids})
    stories = [
        {
            "id": story.id,
            "title": story.title,
            "path": story_path(story.id),
            "article_ids": list(story.article_ids),
            "terms": list(story.terms),
            "related": list(story.related),
            "similarity": dict(story.similarity),
            "summary": [
                {
                    "text": s.text,
                    "article_id": s.article_id,
                    "paragraph": s.paragraph,
                    "outlets": s.outlets,
                }
                for s in summaries[story.id].sentences
            ],
            "quotes": [asdict(q) for q in extras[story.id].quotes],
            "timeline": [t.article_id for t in extras[story.id].timeline],
        }
        for story in briefing.stories
    ]
    articles = [
        {
            "id": a.id,
            "source_file": a.source_file,
            "title": a.title,
            "outlet": a.outlet,
            "url": safe_url(a.url),
            "published": a.published,
            "dateline": a.dateline,
            "origin": a.origin,
            "author": a.author,
            "body": a.body,
            "duplicate_of": copy_of.get(a.id),
            "story_id": story_of[a.id],
            "path": article_path(a.id),
        }
        for a in briefing.articles
    ]
    return {
        "version": FORMAT_VERSION,
        "title": briefing.title,
        "edition": briefing.edition,
        "stories": stories,
        "articles": articles,
        "problems": [{"file": p.source_file, "reason": p.reason} for p in briefing.problems],
    }


def json_bytes(data: dict[str, Any]) -> bytes:
    """UTF-8 JSON of an object whose values are lists: one key a line, one list item a line.

    Still easy to read and to diff, and written by the json module's C encoder: indenting every
    level runs its Python encoder, over a second per 10,000 articles. Each item is encoded on
    its own and the bytes joined once: digest.json of 100,000 articles is 370 MB, and the whole
    text held as str, then joined, then encoded would be several copies of it at once.
    """
    parts = [b"{\n"]
    for number, (key, item) in enumerate(data.items()):
        parts.append(b"%s  %s: " % (b",\n" if number else b"", _dumps(key)))
        if isinstance(item, list) and item:
            parts.append(b"[\n")
            parts.extend(
                b"%s    %s" % (b",\n" if k else b"", _dumps(v)) for k, v in enumerate(item)
            )
            parts.append(b"\n  ]")
        else:
            parts.append(_dumps(item))
    parts.append(b"\n}\n")
    return b"".join(parts)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def export_page(briefing: Briefing) -> Page:
    """digest.json as a page of the site."""
    return Page("digest.json", json_bytes(export_data(briefing)))
