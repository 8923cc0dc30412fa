"""Shared fixtures: the bundled seeds and small article factories."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.models import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seeds() -> Path:
    """The bundled sample input folder."""
    return SEEDS


def make_article(id: str, *paragraphs: str, **meta: str | None) -> Article:
    """An already-cleaned article with the given body paragraphs."""
    fields = {"title": f"Title of {id}", "source_file": f"{id}.txt"}
    fields.update({k: v for k, v in meta.items() if v is not None})
    return Article(id=id, paragraphs=tuple(paragraphs), **fields)  # type: ignore[arg-type]
