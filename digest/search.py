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


# One Pagefind process spends most of its time on one core: building the index and writing
# it. Beyond this many pages, the pages are split between processes, one a core, each writing
# a bundle of its own that the search page merges (28,000 story pages: 18 s against 27 s, and
# the same memory in all).
SHARD_PAGES = 10_000
# Pages are split by the last character of their names: story names end in a hexadecimal hash.
_HEX = "0123456789abcdef"


def shard_count(pages: int, cores: int) -> int:
    """How many Pagefind processes index `pages` pages, given `cores` to run them on."""
    return max(1, min(cores, -(-pages // SHARD_PAGES), len(_HEX)))


def bundles(count: int) -> list[str]:
    """The folders, inside the site, of the bundles `count` Pagefind processes write: the
    first holds the search UI, the search page merges the others into it."""
    return [BUNDLE, *(f"{BUNDLE}-{k}" for k in range(2, count + 1))]


def shard_globs(glob: str, count: int) -> list[str]:
    """glob (ending in "*.html") split into count globs that together match each page once."""
    if count == 1:
        return [glob]
    base = glob.removesuffix("*.html")
    # Each glob its share of the hexadecimal endings (count is at most 16: none is empty)...
    groups = [_HEX[k * len(_HEX) // count : (k + 1) * len(_HEX) // count] for k in range(count)]
    others = "".join(groups[:-1])
    # ...and the last also every ending that is not hexadecimal: no page is left out.
    return [f"{base}*[{g}].html" for g in groups[:-1]] + [f"{base}*[!{others}].html"]


@contextmanager
def indexing(site: Path, articles: bool = False, count: int = 1) -> Iterator[list[Problem]]:
    """Run Pagefind on the indexed pages already in site while the body of the with-block
    writes the rest; on leaving, wait for it and fill the list given with its problem, if any.
    The pages are split between `count` processes, each writing one of bundles(). An error in
    the block stops Pagefind."""
    problems: list[Problem] = []
    binary = pagefind_binary()
    if binary is None:
        yield problems
        problems.append(_problem("the Pagefind binary was not found (pip install 'pagefind[bin]')"))
        return
    folders = bundles(count)
    globs = shard_globs(ALL_GLOB if articles else STORIES_GLOB, len(folders))
    processes: list[subprocess.Popen[str]] = []
    try:
        for folder, glob in zip(folders, globs, strict=True):
            command = [str(binary), "--site", str(site), "--glob", glob, "--output-subdir", folder]
            processes.append(_start([*command, "--quiet"]))
    except OSError as err:
        _stop(processes)
        yield problems
        problems.append(_problem(f"Pagefind could not run ({err})"))
        return
    try:
        yield problems
        outputs = [process.communicate(timeout=TIMEOUT)[0].strip() for process in processes]
    except subprocess.TimeoutExpired as err:
        _stop(processes)
        _remove(site, folders)
        problems.append(_problem(f"Pagefind could not run ({err})"))
        return
    finally:
        _stop(processes)  # the block failed: the site is not going live
    for output in outputs:
        if output:
            log.debug("pagefind: %s", output)
    for process, output, folder in zip(processes, outputs, folders, strict=True):
        if process.returncode != 0 or not (site / folder / "pagefind.js").is_file():
            _remove(site, folders)  # no half-built index for search.html to load
            last = output.splitlines()[-1] if output else "no output"
            problems.append(_problem(f"Pagefind failed (exit code {process.returncode}: {last})"))
            return
    log.debug("search index written to %s with %s", ", ".join(folders), binary)


def _start(command: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
    )


def _stop(processes: list[subprocess.Popen[str]]) -> None:
    """Kill the processes still running (and reap them)."""
    for process in processes:
        if process.returncode is None:
            process.kill()
            process.communicate()


def _remove(site: Path, folders: list[str]) -> None:
    for folder in folders:
        shutil.rmtree(site / folder, ignore_errors=True)


def index_site(site: Path, articles: bool = False, count: int = 1) -> list[Problem]:
    """Build site/pagefind/ (and with count > 1 the other bundles) from the story pages' HTML
    (and the articles' if `articles`), all on disk already; returns the problem if that
    failed."""
    with indexing(site, articles, count) as problems:
        pass
    return problems
