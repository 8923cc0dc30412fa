"""The build benchmark's folders (bench/folders.py): one new folder per timed build."""

from __future__ import annotations

import array
import fcntl
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from folders import _GETFLAGS, _TOPDIR, file_microseconds, fresh, remove_except, spread  # noqa: E402


def _flags(folder: Path) -> int:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        flags = array.array("i", [0])
        fcntl.ioctl(fd, _GETFLAGS, flags, True)
        return flags[0]
    finally:
        os.close(fd)


def test_spread_marks_the_folder_top_of_a_hierarchy_where_the_filesystem_can(tmp_path):
    parent = tmp_path / "runs"
    marked = spread(parent)
    assert parent.is_dir()
    if marked:  # ext4 and others with inode flags
        assert _flags(parent) & _TOPDIR
    else:  # tmpfs and such: no flag, and the folder still made
        assert list(parent.iterdir()) == []


def test_each_build_gets_a_new_folder_named_after_it(tmp_path):
    first, second = fresh(tmp_path / "runs", "jobs0"), fresh(tmp_path / "runs", "jobs0")
    assert first != second
    assert first.parent == second.parent == tmp_path / "runs"
    assert first.name.startswith("jobs0-") and first.is_dir() and not any(first.iterdir())


def test_the_file_probe_leaves_its_files_and_reports_a_time(tmp_path):
    micro = file_microseconds(tmp_path, count=50)
    assert micro > 0
    assert len(list((tmp_path / "probe").iterdir())) == 50


def test_earlier_runs_are_removed_and_this_runs_kept(tmp_path):
    runs = tmp_path / "runs"
    old, new = fresh(runs, "jobs0"), fresh(runs, "jobs0")
    (old / "site").mkdir()
    (old / "site" / "index.html").write_text("old")
    remove_except(runs, {new})
    assert not old.exists() and new.is_dir()
    remove_except(tmp_path / "missing", set())  # nothing to remove: no error
