"""Markdown files with YAML front matter."""

from __future__ import annotations

from pathlib import Path

from ..models import Document, Problem


def read_markdown(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """A Markdown article: front matter metadata and the body's paragraphs."""
    raise NotImplementedError
