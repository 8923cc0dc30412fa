"""Writing the site: swapped in whole, never into folders digest did not write."""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.errors import OutputError
from digest.models import Page
from digest.output import (
    MARKER,
    _exchange,
    check_output,
    previous_site,
    replacing,
    write_pages,
    write_site,
)


def test_writes_pages_and_marker(tmp_path):
    out = tmp_path / "site"
    assert write_site([Page("index.html", b"hi"), Page("a/b.html", b"x")], out) == 2
    assert (out / "index.html").read_bytes() == b"hi"
    assert (out / "a" / "b.html").read_bytes() == b"x"
    assert (out / MARKER).exists()


def test_rebuild_replaces_old_files(tmp_path):
    out = tmp_path / "site"
    write_site([Page("old.html", b"old")], out)
    write_site([Page("new.html", b"new")], out)
    assert not (out / "old.html").exists() and (out / "new.html").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]  # no temp folders


def test_a_rebuild_keeps_the_files_of_unchanged_pages_and_writes_the_changed(tmp_path):
    out = tmp_path / "site"
    write_site([Page("same.html", b"same"), Page("a/b.html", b"v1"), Page("gone.html", b"x")], out)
    before = {name: (out / name).stat() for name in ("same.html", "a/b.html")}
    write_site([Page("same.html", b"same"), Page("a/b.html", b"v2"), Page("new.html", b"n")], out)
    assert (out / "same.html").read_bytes() == b"same"
    assert (out / "a" / "b.html").read_bytes() == b"v2"
    assert not (out / "gone.html").exists() and (out / "new.html").read_bytes() == b"n"
    # The unchanged page is the same file, with its time (rsync and the like skip it) ...
    kept = (out / "same.html").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (
        before["same.html"].st_ino,
        before["same.html"].st_mtime_ns,
    )
    assert kept.st_nlink == 1  # the previous site is gone: no second name left
    # ... the changed one a new file.
    assert (out / "a" / "b.html").stat().st_ino != before["a/b.html"].st_ino


def test_only_a_plain_file_with_the_same_bytes_is_kept(tmp_path):
    previous, fresh = tmp_path / "old", tmp_path / "new"
    previous.mkdir()
    (tmp_path / "elsewhere.html").write_bytes(b"same")
    (previous / "link.html").symlink_to(tmp_path / "elsewhere.html")
    (previous / "longer.html").write_bytes(b"same!")
    (previous / "other.html").write_bytes(b"diff")
    pages = [Page(name, b"same") for name in ("link.html", "longer.html", "other.html")]
    assert write_pages(pages, fresh, previous) == 3
    for name in ("link.html", "longer.html", "other.html"):
        written = fresh / name
        assert not written.is_symlink() and written.read_bytes() == b"same"
        assert written.stat().st_ino != (previous / name).stat().st_ino


@pytest.mark.parametrize("error", [PermissionError, NotImplementedError])
def test_a_page_is_written_where_the_filesystem_refuses_links(tmp_path, monkeypatch, error):
    previous, fresh = tmp_path / "old", tmp_path / "new"
    previous.mkdir()
    (previous / "index.html").write_bytes(b"same")

    def refuse(*args, **kwargs):
        raise error("links not supported")

    monkeypatch.setattr("digest.output.os.link", refuse)
    assert write_pages([Page("index.html", b"same")], fresh, previous) == 1
    assert (fresh / "index.html").read_bytes() == b"same"


def test_only_a_site_digest_wrote_is_a_previous_site(tmp_path):
    assert previous_site(tmp_path / "missing") is None
    (tmp_path / "theirs").mkdir()
    assert previous_site(tmp_path / "theirs") is None
    write_site([Page("index.html", b"x")], tmp_path / "ours")
    assert previous_site(tmp_path / "ours") == (tmp_path / "ours").resolve()


def test_failed_write_keeps_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site([Page("index.html", b"v1")], out)

    def pages():
        yield Page("index.html", b"v2")
        raise RuntimeError("crash half-way")

    with pytest.raises(RuntimeError):
        write_site(pages(), out)
    assert (out / "index.html").read_bytes() == b"v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


@pytest.mark.parametrize("path", ["../evil.html", "/etc/passwd", "a/../../x"])
def test_page_paths_cannot_escape(tmp_path, path):
    with pytest.raises(OutputError):
        write_site([Page(path, b"x")], tmp_path / "site")
    assert not (tmp_path / "evil.html").exists()


def test_refuses_foreign_non_empty_folder(tmp_path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(OutputError, match="not written by digest"):
        check_output(out, tmp_path / "in")


def test_refuses_input_folder_and_root(tmp_path):
    with pytest.raises(OutputError, match="overlaps the input"):
        check_output(tmp_path, tmp_path)
    with pytest.raises(OutputError, match="overlaps the input"):
        check_output(tmp_path / "in" / "site", tmp_path / "in")
    with pytest.raises(OutputError, match="root"):
        check_output(tmp_path.anchor and type(tmp_path)(tmp_path.anchor), tmp_path / "in")


def test_swap_keeps_no_moment_without_a_site(tmp_path, monkeypatch):
    # The two folders are exchanged in one step: the output path never stops being a site.
    probe_a, probe_b = tmp_path / "a", tmp_path / "b"
    probe_a.mkdir(), probe_b.mkdir()
    if not _exchange(probe_a, probe_b):
        pytest.skip("this filesystem cannot exchange two folders; digest falls back to renames")
    out = tmp_path / "site"
    write_site([Page("index.html", b"v1")], out)
    renames = []
    real_rename = Path.rename
    monkeypatch.setattr(
        Path, "rename", lambda self, target: renames.append(self) or real_rename(self, target)
    )
    write_site([Page("index.html", b"v2")], out)
    assert (out / "index.html").read_bytes() == b"v2"
    assert renames == []  # exchanged by renameat2, not removed and renamed


def test_a_second_build_at_once_is_refused_with_a_clear_message(tmp_path):
    out = tmp_path / "site"
    with replacing(out) as fresh:
        (fresh / "index.html").write_bytes(b"first")
        with pytest.raises(OutputError, match="another digest build is writing"):
            write_site([Page("index.html", b"second")], out)
    assert (out / "index.html").read_bytes() == b"first"


def test_leftovers_of_a_killed_build_are_cleared_next_time(tmp_path):
    out = tmp_path / "site"
    write_site([Page("index.html", b"v1")], out)
    killed = tmp_path / ".site.new-abc123"
    killed.mkdir()
    (killed / MARKER).write_text("x")
    foreign = tmp_path / ".site.new-notours"
    foreign.mkdir()
    write_site([Page("index.html", b"v2")], out)
    assert not killed.exists()
    assert foreign.exists()  # no marker: not digest's, left alone


def test_killed_build_leaves_the_previous_site_intact(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "site"
    write_site([Page("index.html", b"v1"), Page("a.html", b"a")], out)
    # A child that writes a big site slowly, then is killed with SIGKILL half-way.
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from digest.models import Page\n"
            "from digest.output import write_site\n"
            "def pages():\n"
            "    for i in range(100000):\n"
            "        time.sleep(0.001)\n"
            "        yield Page(f'p{i}.html', b'new')\n"
            "write_site(pages(), Path(sys.argv[1]))\n",
            str(out),
        ]
    )
    deadline = time.monotonic() + 30
    while not list(tmp_path.glob(".site.new-*/p5.html")) and time.monotonic() < deadline:
        time.sleep(0.05)
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert (out / "index.html").read_bytes() == b"v1"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.html", "index.html"]
    write_site([Page("index.html", b"v2")], out)  # the next build works and tidies up
    assert (out / "index.html").read_bytes() == b"v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]


def test_a_disk_error_is_an_output_error_and_keeps_the_old_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site([Page("index.html", b"v1")], out)

    def full(self, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match="No space left on device"):
        write_site([Page("index.html", b"v2")], out)
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "site"]
