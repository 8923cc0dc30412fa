"""The command line as a user runs it: messages and exit codes, never tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import end_session, start_interruptible

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


# --- Progress, log lines and exit codes -------------------------------------------------------


def _input_with_a_warning(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(PAGE)
    (src / "notes.pdf").write_bytes(b"%PDF-1.4")
    return src


def test_plain_log_lines_per_stage_when_not_a_terminal(tmp_path, capsys):
    src = _input_with_a_warning(tmp_path)
    out = tmp_path / "out"
    assert main(["build", "--input", str(src), "--output", str(out), "--no-search"]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err  # nothing updated in place in a log
    lines = err.splitlines()
    assert all(line.startswith("digest: ") for line in lines)
    expected = [
        "digest: notes.pdf: skipped: unknown file type .pdf",
        f"digest: read 2 files from {src}: 1 documents",
        "digest: cleaned 1 documents: 1 articles, 1 files skipped",
        "digest: grouped 1 articles into 1 stories",
        "digest: summarized 1 stories",
    ]
    assert lines[: len(expected)] == expected
    assert lines[len(expected)].startswith("digest: rendered ")
    assert lines[len(expected) + 1].startswith("digest: wrote ")
    summary = lines[-1]
    assert len(lines) == len(expected) + 3
    pages = sum(1 for p in out.rglob("*") if p.is_file() and p.name != ".digest-site")
    assert summary.startswith(f"digest: built {out} from 2 files (1 skipped): 1 articles, ")
    assert f"1 stories, {pages} pages, 1 warning in " in summary and summary.endswith(" s")
    # The stages' starts ("reading ...") are not logged: only what each stage did.
    assert "reading" not in err and "summarizing" not in err


def test_verbose_logs_each_stage_start(tmp_path, capsys):
    src = _input_with_a_warning(tmp_path)
    args = ["build", "--input", str(src), "--output", str(tmp_path / "out"), "--no-search", "-v"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert f"digest: reading {src}\n" in err and "digest: summarizing 1 stories\n" in err


def test_quiet_prints_errors_only(tmp_path, capsys):
    src = _input_with_a_warning(tmp_path)
    args = ["build", "--input", str(src), "--no-search", "--quiet"]
    assert main([*args, "--output", str(tmp_path / "o1")]) == 0
    assert capsys.readouterr().err == ""
    assert main([*args, "--output", str(tmp_path / "o2"), "--strict"]) == 1
    assert capsys.readouterr().err == "digest: error: 1 warning with --strict\n"
    assert main([*args, "--output", str(src)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digest: error: refusing to build into") and err.count("\n") == 1


class _Terminal:
    """A stderr that says it is a terminal, recording what is written to it."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True


def test_progress_in_place_on_a_terminal(tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", "300")
    src = _input_with_a_warning(tmp_path)
    assert main(["build", "--input", str(src), "--output", str(tmp_path / "o"), "--no-search"]) == 0
    text = terminal.text
    # Each stage is drawn over the last on one line...
    assert f"\rdigest: reading {src}" in text and "\rdigest: summarizing 1 stories" in text
    # ...a warning is printed on a clean line of its own, as is the summary, which ends the output.
    assert "\rdigest: notes.pdf: skipped: unknown file type .pdf\n" in text
    *_, last = text.split("\r")
    assert last.startswith("digest: built ") and last.endswith(" s\n") and last.count("\n") == 1
    assert text.count("\n") == 2  # the warning and the summary: everything else was in place


def test_progress_line_never_wraps(tmp_path, monkeypatch):
    # A line longer than the terminal wraps, and \r then redraws only its last row.
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", "40")
    src = _input_with_a_warning(tmp_path)
    assert main(["build", "--input", str(src), "--output", str(tmp_path / "o"), "--no-search"]) == 0
    drawn = [part for part in terminal.text.split("\r") if part and "\n" not in part]
    assert len(drawn) >= 10 and all(len(part.rstrip()) <= 39 for part in drawn)


def test_error_after_progress_starts_on_a_clean_line(tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    out = tmp_path / "out"
    assert main(["build", "--input", str(tmp_path / "missing"), "--output", str(out)]) == 2
    shown, error = terminal.text.rsplit("\r", 1)
    assert shown.startswith("\rdigest: reading ") and error.startswith("digest: error: input")


def test_exit_code_0_built_and_1_strict_with_warnings(tmp_path):
    src = _input_with_a_warning(tmp_path)
    args = ["build", "--input", str(src), "--no-search", "-q"]
    assert main([*args, "--output", str(tmp_path / "a")]) == 0
    assert main([*args, "--output", str(tmp_path / "b"), "--strict"]) == 1


def test_exit_code_2_usage_config_input_output(tmp_path, capsys):
    with pytest.raises(SystemExit) as usage:
        main(["build", "--no-such-option"])
    assert usage.value.code == 2
    assert main(["build", "--words", "0", "--output", str(tmp_path / "o")]) == 2  # config
    assert main(["build", "--input", str(tmp_path / "none"), "--output", str(tmp_path / "o")]) == 2
    src = _input_with_a_warning(tmp_path)
    taken = tmp_path / "taken"
    taken.mkdir()
    (taken / "mine.txt").write_text("not digest's")
    assert main(["build", "--input", str(src), "--output", str(taken)]) == 2  # output
    assert (taken / "mine.txt").read_text() == "not digest's"
    assert "Traceback" not in capsys.readouterr().err


def test_exit_code_70_internal_error(tmp_path, monkeypatch, capsys):
    import digest.cli

    def broken(config):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(digest.cli, "build", broken)
    assert main(["build", "--input", str(tmp_path), "--output", str(tmp_path / "o")]) == 70
    err = capsys.readouterr().err
    assert err == "digest: internal error: ZeroDivisionError: a bug (rerun with --debug)\n"
    with pytest.raises(ZeroDivisionError):
        main(["build", "--debug", "--output", str(tmp_path / "o")])


def test_exit_code_130_interrupted(tmp_path, monkeypatch, capsys):
    import digest.cli

    def interrupted(config):
        raise KeyboardInterrupt

    monkeypatch.setattr(digest.cli, "build", interrupted)
    assert main(["build", "--input", str(tmp_path), "--output", str(tmp_path / "o")]) == 130
    assert capsys.readouterr().err == "digest: interrupted\n"


def test_interrupted_process_exits_130(tmp_path):
    # The real thing: SIGINT to a running `python -m digest` while it builds.
    import os
    import signal

    src = tmp_path / "in"
    src.mkdir()
    for n in range(400):
        (src / f"a{n}.txt").write_text(PAGE.replace("Marlow", f"Marlow{n}"))
    command = [sys.executable, "-m", "digest", "build", "--input", str(src), "--output", "site"]
    process = start_interruptible([*command, "-v"], cwd=tmp_path)
    assert process.stderr is not None
    try:
        for line in process.stderr:  # wait until the build is under way (it takes seconds)
            if "reading" in line:
                break
        os.kill(process.pid, signal.SIGINT)
        # stderr ends once every process holding it has ended: the workers too.
        _, rest = process.communicate(timeout=60)
    finally:
        left = end_session(process)
    assert left == "", "processes left running after the interrupt"
    assert process.returncode == 130
    assert "digest: interrupted" in rest and "Traceback" not in rest
    assert not (tmp_path / "site").exists()


# --- The GitHub Actions example -----------------------------------------------------------------


def test_github_pages_example_workflow():
    import re
    import shlex
    from pathlib import Path

    import yaml

    from digest.cli import _parser
    from digest.config import load_config

    path = Path(__file__).resolve().parent.parent / "examples" / "github-pages.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert True in workflow or "on" in workflow  # YAML 1.1 reads the key `on` as true
    assert workflow["concurrency"]["group"]
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    steps = build["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert str(steps[1]["with"]["python-version"]) == "3.11"
    runs = [s["run"] for s in steps if "run" in s]
    assert any(re.match(r"pip install \S+", r) for r in runs)

    (command,) = [r for r in runs if r.startswith("digest build")]
    # GitHub fills in ${{ ... }} before the shell runs: stand in a Pages URL for it.
    command = re.sub(r"\$\{\{[^}]*\}\}", "https://owner.github.io/briefing", command)
    argv = shlex.split(command)[1:]
    args = _parser().parse_args(argv)  # exits 2 on anything digest does not accept
    assert args.command == "build" and args.strict is True
    assert args.base_url == "https://owner.github.io/briefing/"
    load_config(overrides={"base_url": args.base_url})  # a base URL digest takes

    report = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert report["if"].replace(" ", "") in ("always()", "${{always()}}")
    assert report["with"]["path"] == str(args.report)
    assert uses.index("actions/upload-artifact") > uses.index("actions/configure-pages")
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert Path(pages["with"]["path"]) == args.output
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert ".github" not in path.parts  # an example: it must not run on digest's own repository
