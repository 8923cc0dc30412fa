"""Put the finished pages on disk: into a fresh folder beside the output, then swapped in."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .errors import OutputError
from .models import Page

MARKER = ".digest-site"


def check_output(output: Path, input_dir: Path) -> None:
    """Refuse outputs whose replacement could destroy files digest did not write."""
    out = output.resolve()
    src = input_dir.resolve()
    if out == Path(out.anchor) or out == Path.home().resolve():
        raise OutputError(
            f"refusing to build into {output}: it is the filesystem root or home folder"
        )
    if out == src or src.is_relative_to(out) or out.is_relative_to(src):
        raise OutputError(
            f"refusing to build into {output}: it overlaps the input folder {input_dir}"
        )
    if out.exists() and not out.is_dir():
        raise OutputError(f"refusing to build into {output}: it is a file")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise OutputError(
            f"refusing to build into {output}: "
            "the folder is not empty and was not written by digest"
        )


def _target(root: Path, page: Page) -> Path:
    rel = PurePosixPath(page.path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise OutputError(f"page path {page.path!r} would write outside the site")
    return root.joinpath(*rel.parts)


def write_site(pages: Iterable[Page], output: Path) -> int:
    """Write pages into a temporary folder, then replace output with it; returns pages written."""
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    count = 0
    try:
        for page in pages:
            target = _target(fresh, page)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content)
            count += 1
        (fresh / MARKER).write_text("This folder is written by digest build and replaced whole.\n")
        os.chmod(fresh, 0o755)
        old = None
        if output.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
            output.rename(old / "site")
        fresh.rename(output)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return count
