"""Fresh folders for timed builds, placed where writing a site is not slowed by earlier runs.

On ext4 without a journal (this machine's disk), creating a file skips every free inode of its
block group that was deleted in the last few minutes, reading the inode table for each. In a
group where a benchmark has just removed an earlier run's 12,000 pages, an empty file took
430-770 us to create, against 25-45 us in a group nothing was removed from; the 10k build's
wall time moved by about 10 s with it. Removing files right before a timed build, in the same
place, measured the removal more than the build. So each build gets a new folder under a
parent marked as the top of a hierarchy (`chattr +T`), which ext4 places in a block group of
its own, and earlier runs' folders are removed after the timings, not before them. ext4 may
still place the new folder in a group a removal has just freed (907 us a file, once): then
another folder is made, up to five in all.
"""

from __future__ import annotations

import array
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

# linux/fs.h: read and set an inode's flags; "top of directory hierarchy" (chattr +T).
_GETFLAGS, _SETFLAGS, _TOPDIR = 0x80086601, 0x40086602, 0x00020000


def spread(folder: Path) -> bool:
    """Make folder (made if missing) a top of a hierarchy: ext4 puts each new folder made in
    it in a block group with more free inodes than average and few folders, not beside its
    siblings. False where the filesystem has no such flag (the folder still works)."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(fd, _GETFLAGS, flags, True)
        flags[0] |= _TOPDIR
        fcntl.ioctl(fd, _SETFLAGS, flags, True)
        return True
    except OSError:
        return False
    finally:
        os.close(fd)


def fresh(parent: Path, name: str) -> Path:
    """A new folder for one build under parent (spread), named after the build."""
    spread(parent)
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=parent))


def file_microseconds(folder: Path, count: int = 500) -> float:
    """Microseconds to create an empty file in a new folder `probe` inside folder, mean of
    `count`. The files are left: removing them is what slows the next files made there."""
    probe = folder / "probe"
    probe.mkdir()
    started = time.perf_counter()
    for k in range(count):
        (probe / f"{k}.html").touch()
    return (time.perf_counter() - started) / count * 1e6


def unslowed(parent: Path, name: str, tries: int = 5, slow: float = 100.0) -> tuple[Path, float]:
    """A fresh folder for a build (fresh), and how long a new file took in it: another is made,
    up to `tries` in all, while a file takes `slow` us or more (ext4 can place a new folder in
    the block group an earlier run's removal has just freed)."""
    for _ in range(tries):
        place = fresh(parent, name)
        micro = file_microseconds(place)
        if micro < slow:
            break
    return place, micro


def remove_except(parent: Path, kept: set[Path]) -> None:
    """Remove the folders under parent but those in kept: earlier runs', once this run's
    builds are timed."""
    if parent.is_dir():
        for folder in parent.iterdir():
            if folder not in kept:
                shutil.rmtree(folder, ignore_errors=True)
