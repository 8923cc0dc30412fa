"""build-report.json: what a build read, made and warned about, for CI to keep and check.

The report is written inside the site, last, once the search index has run (so it lists every
warning), and is swapped in with the rest of the site; with `--report PATH` or the `report`
setting a copy is written there too, just before the site is swapped in.
It is a pure function of the input and the settings, so a rebuild gives the same bytes: it
holds no clock time (the build's seconds are only in the printed summary), no date but the
edition's (which SOURCE_DATE_EPOCH sets), and not the output folder (the site is where the
report is; leaving it out keeps the site byte-identical wherever it is built). Paths inside
the working folder are written relative to it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import Config
from .errors import OutputError
from .models import Page

if TYPE_CHECKING:  # build imports this module
    from .build import BuildResult

REPORT = "build-report.json"
FORMAT = 1  # the report's own format version
# Settings left out: where the site goes (the report is in it), how chatty the command is, and
# where the build cache is (a build with it, without it or with another gives the same site), and
# where the work ran (every engine and number of jobs gives the same site).
UNREPORTED = {"output", "quiet", "cache", "jobs", "engine", "scheduler"}


def exit_status(result: BuildResult, config: Config) -> int:
    """The exit code a finished build has: 1 with warnings under strict, else 0."""
    return 1 if config.strict and result.problems else 0


def _setting(value: Any, cwd: Path) -> Any:
    if isinstance(value, Path):
        path = Path(os.path.abspath(value))
        return path.relative_to(cwd).as_posix() if path.is_relative_to(cwd) else path.as_posix()
    return value


def report(result: BuildResult, config: Config, cwd: Path | None = None) -> dict[str, Any]:
    """The report as plain data."""
    cwd = Path(os.path.abspath(cwd or Path.cwd()))
    settings = {
        f.name: _setting(getattr(config, f.name), cwd)
        for f in fields(Config)
        if f.name not in UNREPORTED
    }
    return {
        "report": FORMAT,
        "digest": __version__,
        "edition": result.edition,
        "config": settings,
        "counts": {
            "files": result.files,
            "files_skipped": result.files_skipped,
            "documents": result.documents,
            "articles": result.articles,
            "stories": result.stories,
            "pages": result.pages,
            "warnings": len(result.problems),
        },
        "warnings": [{"file": p.source_file, "reason": p.reason} for p in result.problems],
        "exit_status": exit_status(result, config),
    }


def report_bytes(result: BuildResult, config: Config, cwd: Path | None = None) -> bytes:
    """The report as the JSON file's bytes."""
    text = json.dumps(report(result, config, cwd), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def report_page(result: BuildResult, config: Config) -> Page:
    """The report as a page of the site."""
    return Page(REPORT, report_bytes(result, config))


def check_report_path(config: Config) -> None:
    """Refuse a report path that cannot be written or would be read as input by the next build."""
    if config.report is None:
        return
    target = config.report.resolve()
    if target.is_dir():
        raise OutputError(f"cannot write the build report to {config.report}: it is a folder")
    if target.is_relative_to(config.input.resolve()):
        raise OutputError(
            f"cannot write the build report to {config.report}: "
            f"it is inside the input folder {config.input}"
        )
    if target.is_relative_to(config.output.resolve()):  # the site is replaced whole
        raise OutputError(
            f"cannot write the build report to {config.report}: it is inside the output "
            f"folder {config.output}, where the report is already written as {REPORT}"
        )


def _write(target: Path, content: bytes) -> None:
    """Replace target with content in one step (a reader never sees half a report)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(content)
            os.chmod(name, 0o644)
            os.replace(name, target)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise
    except OSError as err:
        raise OutputError(
            f"cannot write the build report to {target}: {err.strerror or err}"
        ) from err


def write_report_copy(result: BuildResult, config: Config) -> None:
    """Write the copy of the report that the `report` setting asks for, if any."""
    if config.report is not None:
        _write(config.report, report_bytes(result, config))
