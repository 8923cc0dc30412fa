"""The build cache: each document's cleaning, each story's summary and extras, kept between
builds. This module is the store; cached.py holds the stages that use it.

A rebuild after a few input files changed cleans only those files, and summarizes and works out
the quotes, "only in" details and timeline of only the stories whose articles changed; everything
else comes from the cache, and the site is the same, byte for byte, as a build without it.
Grouping, rendering and search indexing run every time: they depend on every article at once.

The cache is one SQLite database (`cache.sqlite3`) in the cache folder (setting `cache`, default
`.digest-cache`); deleting the folder clears it. An entry's key is a hash of all its result
depends on (cache_keys.py). A changed file, setting or digest never meets an old entry; it
leaves an unused one, and entries unused for PRUNE_DAYS days are deleted.

Values are JSON (not pickle: a cache folder from elsewhere cannot run code). Each stage's new
entries are written in one transaction, so two builds can share a cache. An entry that cannot be
read is recomputed (logged at debug level); a database file that is not one is replaced by a
new one; a cache that cannot be opened at all is left out of the build with a warning.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .cache_keys import SCHEMA

log = logging.getLogger(__name__)

DB_NAME = "cache.sqlite3"
TABLE = f"entries_v{SCHEMA}"
PRUNE_DAYS = 30  # entries no build used for this long are deleted
BUSY_SECONDS = 30.0  # how long to wait for another build's write to finish
_BATCH = 500  # keys per SELECT (SQLite allows 32766 parameters; small batches stay fast)
# Marks the folder as a cache for backup and archiving tools (https://bford.info/cachedir/).
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file marks a cache folder written by digest build; delete the folder to clear it.\n"
)


@dataclass
class CacheStats:
    """What a build took from the cache and what it computed, by stage ("clean", "summary",
    "extras")."""

    hits: Counter[str] = field(default_factory=Counter)
    misses: Counter[str] = field(default_factory=Counter)
    unreadable: Counter[str] = field(default_factory=Counter)  # entries found but recomputed
    written: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        stages = sorted(set(self.hits) | set(self.misses))
        return "; ".join(
            f"{stage} {self.hits[stage]} reused, {self.misses[stage]} computed"
            + (f" ({self.unreadable[stage]} unreadable)" if self.unreadable[stage] else "")
            for stage in stages
        )


# -- the database ------------------------------------------------------------------------------


def _today() -> int:
    return int(time.time() // 86400)


def _prepare(db: sqlite3.Connection) -> None:
    # Write-ahead logging lets builds read while another writes; where the file system cannot
    # do it, SQLite keeps its default journal, which is as safe, only less concurrent.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")  # a cache may lose its last write, never its head
    db.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} "
        "(key TEXT PRIMARY KEY, value TEXT NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID"
    )


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        _prepare(db)
    except BaseException:
        db.close()
        raise
    return db


def _new_database(path: Path) -> None:
    """Put an empty database at path in one step, with the old one's journal files removed."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(handle)
    try:
        _connect(Path(name)).close()
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(name, path)
    finally:
        Path(name).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def _open_database(folder: Path) -> sqlite3.Connection:
    folder.mkdir(parents=True, exist_ok=True)
    tag = folder / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(CACHEDIR_TAG, encoding="utf-8")
    path = folder / DB_NAME
    try:
        return _connect(path)
    except sqlite3.OperationalError:
        raise  # locked, read-only, out of disk: the file is fine, this build goes without it
    except sqlite3.DatabaseError as err:  # not a database, or a damaged one
        log.warning("cache %s is unreadable (%s): starting a new one", path, err)
        _new_database(path)
        return _connect(path)


def _unusable_location(folder: Path, input_dir: Path | None, output: Path | None) -> str | None:
    where = folder.resolve()
    if output is not None and where.is_relative_to(output.resolve()):
        return f"it is inside the output folder {output}, which every build replaces"
    if input_dir is not None and where.is_relative_to(input_dir.resolve()):
        inside = where.relative_to(input_dir.resolve()).parts
        if not any(part.startswith(".") for part in inside):  # hidden folders are not read
            return f"it is inside the input folder {input_dir}, and would be read as input"
    return None


class Cache:
    """The on-disk cache of one build; a disabled one stores nothing (its stages compute all).

    `stats` counts what the build took from the cache and what it computed.
    """

    def __init__(self, db: sqlite3.Connection | None = None, folder: Path | None = None) -> None:
        self.db = db
        self.folder = folder
        self.stats = CacheStats()

    @classmethod
    def open(
        cls, folder: Path | None, input_dir: Path | None = None, output: Path | None = None
    ) -> Cache:
        """The cache in folder (made if missing); a disabled one if folder is None or unusable."""
        if folder is None:
            return cls()
        reason = _unusable_location(folder, input_dir, output)
        if reason is None:
            try:
                return cls(_open_database(folder), folder)
            except (OSError, sqlite3.Error) as err:
                reason = str(err)
        log.warning("cache %s cannot be used (%s): building without it", folder, reason)
        return cls()

    @property
    def enabled(self) -> bool:
        """Whether the cache is read and written."""
        return self.db is not None

    def close(self) -> None:
        """Delete entries unused for PRUNE_DAYS days and close the database."""
        if self.db is None:
            return
        try:
            self.db.execute(f"DELETE FROM {TABLE} WHERE used < ?", (_today() - PRUNE_DAYS,))
        except sqlite3.Error as err:
            log.debug("cache: could not prune old entries (%s)", err)
        self.db.close()
        self.db = None

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- raw entries ---------------------------------------------------------------------------

    def get(self, stage: str, keys: Iterable[str]) -> dict[str, Any]:
        """The decoded values stored under keys (absent or undecodable ones left out)."""
        found: dict[str, Any] = {}
        if self.db is None:
            return found
        wanted = sorted(set(keys))
        try:
            for start in range(0, len(wanted), _BATCH):
                batch = wanted[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows = self.db.execute(
                    f"SELECT key, value FROM {TABLE} WHERE key IN ({marks})", batch
                ).fetchall()
                for key, value in rows:
                    try:
                        found[key] = json.loads(value)
                    except (TypeError, ValueError) as err:
                        self.stats.unreadable[stage] += 1
                        log.debug("cache: %s entry %s unreadable (%s)", stage, key[:12], err)
        except sqlite3.Error as err:
            log.debug("cache: reading %s entries failed (%s); computing them", stage, err)
            return {}
        self._touch(list(found))
        return found

    def _touch(self, keys: list[str]) -> None:
        """Mark entries as used today, so they are not pruned."""
        assert self.db is not None
        today = _today()
        try:
            self.db.execute("BEGIN IMMEDIATE")
            for start in range(0, len(keys), _BATCH):
                batch = keys[start : start + _BATCH]
                self.db.execute(
                    f"UPDATE {TABLE} SET used = ? WHERE used < ? "
                    f"AND key IN ({','.join('?' * len(batch))})",
                    [today, today, *batch],
                )
            self.db.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            log.debug("cache: could not mark %d entries as used (%s)", len(keys), err)

    def put(self, stage: str, values: dict[str, Any]) -> None:
        """Store values under their keys, all in one transaction (or none, on an error)."""
        if self.db is not None:
            self.put_encoded(stage, {key: json.dumps(value) for key, value in values.items()})

    def put_encoded(self, stage: str, values: dict[str, str]) -> None:
        """Store values already encoded as JSON (put does the encoding)."""
        if self.db is None or not values:
            return
        today = _today()
        # In key order: the table is a B-tree on the key, and inserting 100,000 entries at
        # random places in it took 2.5 times as long (7.8 s against 3.1 s).
        rows = [(key, values[key], today) for key in sorted(values)]
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.executemany(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?)", rows)
            self.db.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            log.debug("cache: writing %d %s entries failed (%s)", len(rows), stage, err)
            return
        self.stats.written[stage] += len(rows)

    def _rollback(self) -> None:
        assert self.db is not None
        if self.db.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
