"""Shared helpers of the benchmarks: where the evaluation data is, and writing docs as input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared" / "evaldata"


def rows(path: Path) -> Iterator[dict]:
    """The records of a JSON Lines file."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def missing(path: Path) -> bool:
    """Print a clear SKIP line and return True when the evaluation data is absent."""
    if path.exists():
        return False
    print(f"SKIP: {path} not found (the evaluation data is not on this machine)")
    return True
