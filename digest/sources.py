"""Read the input folder into documents: one per text page, one per JSON Lines record."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .engine import Engine, Serial
from .errors import InputError
from .models import Document, Problem
from .readers.feeds import read_feed
from .readers.html import is_binary, read_html
from .readers.jsonl import read_jsonl
from .readers.markdown import read_markdown
from .source_map import apply_source_map, read_source_map
from .text import decode, normalize

log = logging.getLogger(__name__)

# Files that configure a build rather than carry articles.
IGNORED_NAMES = {"digest.toml", "sources.toml"}

Reader = Callable[[Path, str], tuple[list[Document], list[Problem]]]
# How much of a file is sniffed for binary data before a reader gets it.
SNIFF_BYTES = 8192
# Problems listed for one file; the rest are counted in one more. A million-line file of lines
# that are not JSON would otherwise put a million warnings (~100 MB) into digest.json.
MAX_PROBLEMS_PER_FILE = 50


@dataclass(frozen=True)
class Limits:
    """How big an input may be (settings max_file_mb, max_article_kb, max_article_lines).

    Cleaning time grows faster than the length of a page, so one runaway file (a 100 MB dump, a
    million-line log saved as .txt) would stall the whole build for minutes; such input is
    skipped with a warning instead. The defaults are far above any real article. 0: no limit.
    """

    file_mb: float = 20
    article_kb: float = 500
    article_lines: int = 5000

    @classmethod
    def of(cls, config: Config) -> Limits:
        """The limits a config sets."""
        return cls(config.max_file_mb, config.max_article_kb, config.max_article_lines)

    def file_problem(self, size: int) -> str | None:
        """Why a file of this many bytes is skipped unread, or None."""
        if self.file_mb and size > self.file_mb * 1024 * 1024:
            mb = size / 1024 / 1024
            return f"skipped: {mb:.1f} MB, over the max_file_mb limit ({self.file_mb:g})"
        return None

    def article_file_problem(self, size: int) -> str | None:
        """Why a file that is one article's text (plain text, Markdown) is skipped unread: its
        parse can cost far more than its cleaning (markdown-it takes minutes over 20 MB of "[")."""
        return self._kb_problem(size, "KB")

    def _kb_problem(self, size: int, what: str) -> str | None:
        kb = size / 1024
        if self.article_kb and kb > self.article_kb:
            limit = f"the max_article_kb limit ({self.article_kb:g})"
            return f"skipped: {kb:.0f} {what}, over {limit}"
        return None

    def document_problem(self, text: str) -> str | None:
        """Why a document of this text is skipped uncleaned, or None."""
        if self.article_lines:
            lines = sum(1 for line in text.split("\n") if line.strip())
            if lines > self.article_lines:
                return (
                    f"skipped: {lines} lines of text, over the max_article_lines limit "
                    f"({self.article_lines})"
                )
        return self._kb_problem(len(text.encode("utf-8", "replace")), "KB of text")


def read_text_page(path: Path, rel: str) -> tuple[list[Document], list[Problem]]:
    """A scraped plain-text page, to be cleaned."""
    text = normalize(decode(path.read_bytes()))
    if not text.strip():
        return [], [Problem(rel, "empty file")]
    return [Document(source_file=rel, text=text, kind="page")], []


READERS: dict[str, Reader] = {
    ".txt": read_text_page,
    ".jsonl": read_jsonl,
    ".html": read_html,
    ".htm": read_html,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
    ".json": read_feed,
}


def input_files(folder: Path) -> list[str]:
    """Every visible file under folder as a path inside it ("world/a.txt"), in a stable order
    (names starting with "." are hidden, and so is all that a hidden folder holds).

    Symbolic links, broken ones and other entries that are not folders (a named pipe) are
    listed too: read_folder reports them rather than passing over them in silence.
    """
    # os.scandir and strings, not Path.rglob: at 100,000 files pathlib's parsing took 9 s.
    found: list[str] = []
    folders = [""]
    while folders:
        prefix = folders.pop()
        try:
            with os.scandir(folder / prefix if prefix else folder) as entries:
                listed = [(entry.name, _is_folder(entry)) for entry in entries]
        except OSError:  # an unreadable folder is passed over, as rglob does
            continue
        for name, is_folder in listed:
            if name.startswith("."):
                continue
            if is_folder:
                folders.append(f"{prefix}{name}/")
            else:
                found.append(prefix + name)
    return sorted(found)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """A folder to look into: not a link to one (read_file reports those)."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _printable(name: str) -> str:
    """A file name as UTF-8 text: bytes that are not UTF-8 reach Python as lone surrogates,
    which no page or JSON file can hold (writing them would crash the build), so they become
    U+FFFD."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return name.encode("utf-8", "replace").decode("utf-8")


def _link_reason(path: Path, root: Path) -> str | None:
    """Why an entry is not read as a file: a link out of the input folder or to a folder, or
    not a regular file at all. None for a file (or a link to one inside the folder)."""
    if path.is_symlink():
        if not path.exists():
            return "skipped: a broken symbolic link (or a loop of links)"
        # Following it would publish a file from elsewhere on the machine (a link to /etc/passwd
        # or to a secret): only links that stay inside the input folder are read.
        if not path.resolve().is_relative_to(root):
            return "skipped: a symbolic link to outside the input folder"
        if path.is_dir():
            return "skipped: a symbolic link to a folder (not followed)"
    if not path.is_file():  # a named pipe (reading it could block forever), a socket, ...
        return "skipped: not a regular file"
    return None


def _content_reason(path: Path, reader: Reader, limits: Limits) -> str | None:
    """Why a file is not handed to its reader: too big, or binary. None when it is to be read."""
    size = path.stat().st_size
    if reason := limits.file_problem(size):
        return reason
    if reader in (read_text_page, read_markdown) and (reason := limits.article_file_problem(size)):
        return reason
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if is_binary(head):  # an image or archive with a text name: nothing to clean
        return "skipped: binary data, not text"
    return None


@dataclass(frozen=True)
class Reading:
    """What reading the input folder gave: documents, problems, and the article files found."""

    documents: list[Document]
    problems: list[Problem]
    files: set[str]  # every file read or skipped, as a path inside the folder


def read_file(
    raw_rel: str, folder: Path, limits: Limits, root: Path | None = None
) -> tuple[list[Document], list[Problem]]:
    """One input file's documents (before sources.toml applies) and problems, given its path
    inside folder (as input_files lists it); root is the folder resolved."""
    path = folder / raw_rel
    rel = _printable(raw_rel)
    problems = []
    if rel != raw_rel:
        problems.append(Problem(rel, "the file name is not valid UTF-8 (shown with �)"))
    reader = READERS.get(path.suffix.lower())
    try:
        if skip := _link_reason(path, root or folder.resolve()):
            return [], [*problems, Problem(rel, skip)]
        if reader is None:
            unknown = path.suffix or "(none)"
            return [], [*problems, Problem(rel, f"skipped: unknown file type {unknown}")]
        if skip := _content_reason(path, reader, limits):
            return [], [*problems, Problem(rel, skip)]
        docs, issues = reader(path, rel)
    except OSError as err:
        return [], [*problems, Problem(rel, f"cannot read ({err.strerror or err})")]
    except Exception as err:
        # A reader failing on input nobody foresaw costs that file, never the whole build.
        log.debug("reading %s failed", rel, exc_info=True)
        first = (str(err).splitlines() or [""])[0][:200]
        return [], [*problems, Problem(rel, f"cannot read: {type(err).__name__} ({first})")]
    documents = []
    for doc in docs:
        if reason := limits.document_problem(doc.text):
            issues.append(Problem(f"{rel}:{doc.index}" if doc.index else rel, reason))
        else:
            documents.append(doc)
    if len(issues) > MAX_PROBLEMS_PER_FILE:
        kept = MAX_PROBLEMS_PER_FILE - 1
        more = Problem(rel, f"{len(issues) - kept} more problems (not listed)")
        issues = [*issues[:kept], more]
    return documents, problems + issues


def read_files(
    names: Sequence[str], folder: Path, limits: Limits
) -> list[tuple[list[Document], list[Problem]]]:
    """read_file over a batch of files, named by their paths inside folder (the engine's unit
    of work)."""
    root = folder.resolve()
    return [read_file(name, folder, limits, root) for name in names]


def read_input(folder: Path, limits: Limits | None = None, engine: Engine | None = None) -> Reading:
    """Read every article file under folder (the files spread over the engine's workers);
    unknown or unreadable files become problems."""
    if not folder.exists():
        raise InputError(f"input folder {folder} does not exist")
    if not folder.is_dir():
        raise InputError(f"input {folder} is not a folder")
    source_map, problems = read_source_map(folder)
    names = [n for n in input_files(folder) if n.rpartition("/")[2] not in IGNORED_NAMES]
    read = (engine or Serial()).map(read_files, names, folder, limits or Limits())
    documents: list[Document] = []
    for docs, issues in read:
        documents.extend(apply_source_map(doc, source_map) for doc in docs)
        problems.extend(issues)
    for problem in problems:
        log.warning("%s", problem)
    files = set(map(_printable, names))
    return Reading(documents, problems, files)


def read_folder(folder: Path, limits: Limits | None = None) -> tuple[list[Document], list[Problem]]:
    """Read every article file under folder, in this process: documents and problems."""
    reading = read_input(folder, limits)
    return reading.documents, reading.problems
