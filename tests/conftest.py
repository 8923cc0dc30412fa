"""Shared fixtures: the bundled seeds and small article factories."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.models import Article

# Clutter the seed pages carry; none of it may survive into a body or a summary.
SEED_CLUTTER = [
    "READ MORE",
    "Read More",
    "min read",
    "Credit:",
    "(AP Photo",
    "REUTERS",
    "sign-up",
    "Related",
    "Ranking",
    "Recommendation",
    "skilled writer",
    "veryGood",
    "Read Full Article",
    "FinLogic",
    "Ethermac",
    "Home >",
    "Also Read",
    "reader supported",
    "@expressusnews",
    "[INSIGHT]",
    "More From",
    "1. Home",
    "DepositPhotos",
    "Follow our social",
]
# Other stories' headlines, each over a one-line summary: a teaser list, not an article.
TEASERS = [
    "Mayor Opens New Library Branch",
    "The mayor cut the ribbon on the new library branch in the north end on Monday.",
    "School Board Delays Vote",
    "The school board put off a vote on the new budget until next month's meeting.",
    "Bridge Repairs Begin",
    "Crews began repairing the old bridge on Main Street, closing one lane for weeks.",
]
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
