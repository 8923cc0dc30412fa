"""HTML pages: main text and metadata extracted with trafilatura."""

from __future__ import annotations

from pathlib import Path

from ..models import Document, Problem


def read_html(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """An HTML page: one document of extracted article text with its metadata."""
    raise NotImplementedError
