"""The command line as a user runs it: messages and exit codes, never tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from digest.cli import main

PAGE = (
    "Harbour strike ends in Marlow\n\n"
    "Dock workers in Marlow ended a two-week strike on Thursday after a pay deal was signed.\n\n"
    "The Marlow harbour authority said ships would be unloaded again from Friday morning.\n\n"
    "The union said its members accepted a raise of six percent over two years.\n"
)


def test_help_for_every_command(capsys):
    for argv in (["--help"], ["build", "--help"], ["summarize", "--help"]):
        with pytest.raises(SystemExit) as exit:
            main(argv)
        assert exit.value.code == 0
    assert "--words" in capsys.readouterr().out


def test_missing_input_folder_is_one_clear_line(tmp_path, capsys):
    code = main(["build", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2
    assert "does not exist" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_unreadable_config_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("title = = 1")
    assert main(["build", "--config", str(bad)]) == 2
    assert "not valid TOML" in capsys.readouterr().err


def test_unknown_file_type_warns_and_strict_fails(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(PAGE)
    (src / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert main(["build", "--input", str(src), "--output", str(tmp_path / "o1")]) == 0
    assert "notes.pdf" in capsys.readouterr().err
    code = main(["build", "--input", str(src), "--output", str(tmp_path / "o2"), "--strict"])
    assert code == 1
    assert "--strict" in capsys.readouterr().err


def test_summarize_prints_sentences(tmp_path, capsys):
    page = tmp_path / "a.txt"
    page.write_text(PAGE)
    assert main(["summarize", "--words", "20", str(page)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines and all(line in PAGE for line in lines)


def test_summarize_json_names_sources(tmp_path, capsys):
    page = tmp_path / "a.txt"
    page.write_text(PAGE)
    assert main(["summarize", "--json", str(page)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["source_file"] for r in rows} == {page.as_posix()}
    assert all(r["text"] in PAGE for r in rows)


def test_summarize_missing_file(tmp_path, capsys):
    assert main(["summarize", str(tmp_path / "none.txt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_python_dash_m_runs(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "digest", "build", "--input", str(tmp_path / "x")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr
