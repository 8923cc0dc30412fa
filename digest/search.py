"""Client-side search: run Pagefind on the written site to add pagefind/ (index and search UI).

Pagefind indexes HTML files, so this runs after the site is on disk. Story pages (and, with
the search_articles setting, source article pages) mark their main content with
data-pagefind-body; only those pages are read. Search is an
extra: when the binary is missing or fails, the site still works and the build reports a
warning (fatal under --strict, like every other warning).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .models import Problem

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the folder Pagefind writes inside the site; search.html links into it
TIMEOUT = 600  # seconds; Pagefind indexes thousands of pages a second


def pagefind_binary() -> Path | None:
    """The Pagefind executable: $PAGEFIND_BINARY_PATH, the pagefind-bin package, else PATH."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        return None
    # The lookup logs every place it tries at debug level; -v should show only where it found it.
    chatty = [logging.getLogger(name) for name in ("pagefind", "pagefind_bin")]
    levels = [logger.level for logger in chatty]
    for logger in chatty:
        logger.setLevel(logging.INFO)
    try:
        return get_executable()
    except OSError:  # pagefind_bin is installed but its binary is not there
        return None
    finally:
        for logger, level in zip(chatty, levels, strict=True):
            logger.setLevel(level)


def _problem(reason: str) -> Problem:
    problem = Problem("search", f"{reason}; the site was built without search")
    log.warning("%s", problem)
    return problem


# The pages indexed: story pages, and with search_articles each source article's page too.
# Pagefind reads every file its glob matches, so the glob, not data-pagefind-body alone,
# keeps the article pages out of its time and memory (2.2 GB for 10,000 articles).
STORIES_GLOB = "stories/*.html"
ALL_GLOB = "{stories,articles}/*.html"


@contextmanager
def indexing(site: Path, articles: bool = False) -> Iterator[list[Problem]]:
    """Run Pagefind on the indexed pages already in site while the body of the with-block
    writes the rest; on leaving, wait for it and fill the list given with its problem, if any.
    An error in the block stops Pagefind."""
    problems: list[Problem] = []
    binary = pagefind_binary()
    if binary is None:
        yield problems
        problems.append(_problem("the Pagefind binary was not found (pip install 'pagefind[bin]')"))
        return
    bundle = site / BUNDLE
    glob = ALL_GLOB if articles else STORIES_GLOB
    command = [str(binary), "--site", str(site), "--glob", glob, "--output-subdir", BUNDLE]
    command.append("--quiet")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
        )
    except OSError as err:
        yield problems
        shutil.rmtree(bundle, ignore_errors=True)
        problems.append(_problem(f"Pagefind could not run ({err})"))
        return
    try:
        yield problems
        output, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired as err:
        process.kill()
        process.communicate()
        shutil.rmtree(bundle, ignore_errors=True)
        problems.append(_problem(f"Pagefind could not run ({err})"))
        return
    finally:
        if process.returncode is None:  # the block failed: the site is not going live
            process.kill()
            process.communicate()
    output = output.strip()
    if output:
        log.debug("pagefind: %s", output)
    if process.returncode != 0 or not (bundle / "pagefind.js").is_file():
        shutil.rmtree(bundle, ignore_errors=True)  # no half-built index for search.html to load
        last = output.splitlines()[-1] if output else "no output"
        problems.append(_problem(f"Pagefind failed (exit code {process.returncode}: {last})"))
        return
    log.debug("search index written to %s with %s", bundle, binary)


def index_site(site: Path, articles: bool = False) -> list[Problem]:
    """Build site/pagefind/ from the story pages' HTML (and the articles' if `articles`), all
    on disk already; returns the problem if that failed."""
    with indexing(site, articles) as problems:
        pass
    return problems
