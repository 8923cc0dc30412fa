"""Feeds (RSS, Atom, JSON Feed): one document per entry."""

from __future__ import annotations

from pathlib import Path

from ..models import Document, Problem


def read_feed(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """A feed file: one document per entry."""
    raise NotImplementedError
