"""Writing the site: swapped in whole, never into folders digest did not write."""

from __future__ import annotations

import pytest

from digest.errors import OutputError
from digest.models import Page
from digest.output import MARKER, check_output, write_site


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
    assert [p.name for p in tmp_path.iterdir()] == ["site"]  # no temporary folders left


def test_failed_write_keeps_previous_site(tmp_path):
    out = tmp_path / "site"
    write_site([Page("index.html", b"v1")], out)

    def pages():
        yield Page("index.html", b"v2")
        raise RuntimeError("crash half-way")

    with pytest.raises(RuntimeError):
        write_site(pages(), out)
    assert (out / "index.html").read_bytes() == b"v1"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


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
