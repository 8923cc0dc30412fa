"""The build cache's keys: a hash of all an entry's result depends on.

That is the stage, digest's code (its version, a hash of its own source files, the versions of
the libraries it calls), the settings the stage reads, and the content the stage works on (the
document as read; the story's articles, whole, and its copies; for the extras, the story's
summary too).
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from . import __version__

SCHEMA = 1  # the layout of keys and values; part of every key
# Libraries whose results the cached stages depend on: a new version may clean or split
# sentences differently, so their versions are part of every key.
LIBRARIES = ("nupunkt", "sumy", "PyStemmer", "numpy", "scipy")


@cache
def code_fingerprint() -> str:
    """A hash of digest's version, its source files and the versions of the libraries it uses."""
    digest = hashlib.sha256(f"digest {__version__} python {sys.version_info[:2]}".encode())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"\0{name} {version}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), package / "defaults.toml"]):
        try:
            digest.update(f"\0{path.relative_to(package).as_posix()}\0".encode())
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
    return digest.hexdigest()


def entry_key(stage: str, settings: dict[str, Any], content: Any) -> str:
    """The key of a stage's entry: a hash of all its result depends on (with digest's code)."""
    text = json.dumps(
        [SCHEMA, stage, code_fingerprint(), settings, content],
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(text.encode("ascii")).hexdigest()
