"""Shared fixtures: the bundled seeds and small article factories."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from typing import Any

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


def start_interruptible(command: list[str], **options: Any) -> subprocess.Popen[str]:
    """Start command in a session of its own (end_session kills all of it) with Ctrl-C
    handled as usual: a shell's background job (`pytest &`) starts with it ignored."""
    return subprocess.Popen(
        command,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        **options,
    )


def end_session(process: subprocess.Popen[str]) -> str:
    """Kill every process still running in process's session (a worker left behind); the
    ids of those found, "" where none was left."""
    left = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True)
    if left.stdout:
        os.killpg(process.pid, signal.SIGKILL)
    return left.stdout
