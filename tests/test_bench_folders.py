"""The build benchmark's folders (bench/folders.py): one new folder per timed build."""

from __future__ import annotations

import array
import fcntl
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from folders import (  # noqa: E402
    _GETFLAGS,
    _TOPDIR,
    file_microseconds,
    fresh,
    remove_except,
    spread,
    unslowed,
)


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


def test_a_folder_where_files_are_slow_to_make_is_passed_over(tmp_path, monkeypatch):
    import folders

    times = iter([900.0, 450.0, 30.0])
    monkeypatch.setattr(folders, "file_microseconds", lambda place: next(times))
    place, micro = unslowed(tmp_path / "runs", "jobs0")
    assert micro == 30.0 and place.is_dir()
    assert len(list((tmp_path / "runs").iterdir())) == 3  # the two slow ones are left, unused
    monkeypatch.setattr(folders, "file_microseconds", lambda place: 900.0)
    assert unslowed(tmp_path / "more", "jobs0", tries=2)[1] == 900.0  # gives up after tries
