"""build-report.json: every warning with its file and reason, right counts, a --report copy,
and the same bytes for the same input and settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest import __version__, search
from digest.build import BuildResult
from digest.cli import main
from digest.config import load_config
from digest.models import Problem
from digest.report import REPORT, exit_status, report, report_bytes

PAGE = (
    "Harbour strike ends in Marlow\n\n"
    "Dock workers in Marlow ended a two-week strike on Thursday after a pay deal was signed.\n\n"
    "The Marlow harbour authority said ships would be unloaded again from Friday morning.\n\n"
    "The union said its members accepted a raise of six percent over two years.\n"
)
RECORD = {
    "id": "fire",
    "title": "Warehouse fire in Dunmore",
    "published": "2024-05-02",
    "text": (
        "A fire destroyed a warehouse in the port of Dunmore on Tuesday night, the fire service"
        " said.\n\nNobody was hurt, and the cause of the fire is not yet known, officials said."
    ),
}


@pytest.fixture
def broken_input(tmp_path: Path) -> Path:
    """Two good files and three bad ones: an unknown type, an empty page, a bad JSON line."""
    source = tmp_path / "in"
    source.mkdir()
    (source / "strike.txt").write_text(PAGE, encoding="utf-8")
    (source / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    (source / "empty.txt").write_text("", encoding="utf-8")
    lines = [json.dumps(RECORD), "{not json"]
    (source / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return source


def build(source: Path, output: Path, *flags: str) -> int:
    return main(["build", "--input", str(source), "--output", str(output), "-q", *flags])


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_report_lists_every_warning_with_file_and_reason(broken_input, tmp_path):
    out = tmp_path / "site"
    assert build(broken_input, out, "--no-search") == 0
    data = load(out / REPORT)
    assert data["warnings"] == [
        {"file": "empty.txt", "reason": "empty file"},
        {"file": "feed.jsonl:2", "reason": data["warnings"][1]["reason"]},
        {"file": "notes.pdf", "reason": "skipped: unknown file type .pdf"},
    ]
    assert data["warnings"][1]["reason"].startswith("not JSON")
    # The same warnings, in the same order, as digest.json lists.
    problems = load(out / "digest.json")["problems"]
    assert [(w["file"], w["reason"]) for w in data["warnings"]] == [
        (p["file"], p["reason"]) for p in problems
    ]
    assert data["exit_status"] == 0
    assert data["digest"] == __version__


def test_report_counts(broken_input, tmp_path):
    out = tmp_path / "site"
    assert build(broken_input, out, "--no-search") == 0
    counts = load(out / REPORT)["counts"]
    export = load(out / "digest.json")
    written = [p for p in out.rglob("*") if p.is_file() and p.name != ".digest-site"]
    assert counts == {
        "files": 4,  # strike.txt, notes.pdf, empty.txt, feed.jsonl
        "files_skipped": 2,  # notes.pdf and empty.txt gave no article
        "documents": 2,  # the page and the one good JSON line
        "articles": len(export["articles"]),
        "stories": len(export["stories"]),
        "pages": len(written),  # build-report.json itself included
        "warnings": 3,
    }
    assert counts["articles"] == 2 and counts["stories"] == 2


def test_strict_build_reports_the_exit_status_it_has(broken_input, tmp_path):
    out = tmp_path / "site"
    assert build(broken_input, out, "--strict", "--no-search") == 1
    data = load(out / REPORT)
    assert data["exit_status"] == 1 and data["config"]["strict"] is True
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "strike.txt").write_text(PAGE, encoding="utf-8")
    assert build(clean, tmp_path / "clean-site", "--strict", "--no-search") == 0
    data = load(tmp_path / "clean-site" / REPORT)
    assert data["exit_status"] == 0 and data["warnings"] == []


def test_search_index_warning_is_in_the_report(broken_input, tmp_path, monkeypatch):
    # Pagefind runs after the pages are written: its warning must still reach the report.
    monkeypatch.setattr(search, "pagefind_binary", lambda: None)
    out = tmp_path / "site"
    assert build(broken_input, out, "--strict") == 1
    data = load(out / REPORT)
    assert data["warnings"][-1]["file"] == "search"
    assert "Pagefind binary was not found" in data["warnings"][-1]["reason"]
    assert data["counts"]["warnings"] == 4 and data["exit_status"] == 1


def test_report_option_writes_a_copy(broken_input, tmp_path):
    out = tmp_path / "site"
    copy = tmp_path / "ci" / "reports" / "build.json"  # its folders are made
    assert build(broken_input, out, "--no-search", "--report", str(copy)) == 0
    assert copy.read_bytes() == (out / REPORT).read_bytes()
    assert load(copy)["warnings"]


def test_report_config_key_writes_a_copy_relative_to_the_config(broken_input, tmp_path):
    config = tmp_path / "conf" / "digest.toml"
    config.parent.mkdir()
    config.write_text('report = "out/report.json"\n', encoding="utf-8")
    out = tmp_path / "site"
    assert build(broken_input, out, "--no-search", "--config", str(config)) == 0
    assert (tmp_path / "conf" / "out" / "report.json").read_bytes() == (out / REPORT).read_bytes()


def test_report_path_inside_the_input_or_a_folder_is_refused(broken_input, tmp_path, capsys):
    out = tmp_path / "site"
    assert build(broken_input, out, "--report", str(broken_input / "report.json")) == 2
    assert "inside the input folder" in capsys.readouterr().err
    assert build(broken_input, out, "--report", str(tmp_path)) == 2
    assert "it is a folder" in capsys.readouterr().err
    assert build(broken_input, out, "--report", str(out / "report.json")) == 2
    assert "inside the output folder" in capsys.readouterr().err
    assert not out.exists()  # refused before anything was built


def test_report_is_deterministic(broken_input, tmp_path, monkeypatch):
    # Two builds of the same input into different folders, in separate runs: the same bytes.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert build(broken_input, tmp_path / "one", "--no-search") == 0
    assert build(broken_input, tmp_path / "two", "--no-search") == 0
    first = (tmp_path / "one" / REPORT).read_bytes()
    assert first == (tmp_path / "two" / REPORT).read_bytes()
    data = json.loads(first)
    # No clock time: the only date is the edition (the newest article's, or SOURCE_DATE_EPOCH's).
    assert data["edition"] == "2024-05-02"
    assert "seconds" not in json.dumps(data)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build(broken_input, tmp_path / "three", "--no-search") == 0
    assert load(tmp_path / "three" / REPORT)["edition"] == "2023-11-14"


def test_report_config_has_the_settings_used(broken_input, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    args = ["--no-search", "--words", "40", "--summarizer", "lexrank", "--title", "Harbour news"]
    assert build(Path("in"), tmp_path / "site", *args) == 0
    config = load(tmp_path / "site" / REPORT)["config"]
    assert config["input"] == "in"  # inside the working folder: relative to it
    assert config["summary_words"] == 40 and config["summarizer"] == "lexrank"
    assert config["title"] == "Harbour news" and config["search"] is False
    assert config["story_threshold"] == 0.12 and config["templates"] is None
    assert "output" not in config and "quiet" not in config and "cache" not in config


def test_a_build_without_the_cache_writes_the_same_report(broken_input, tmp_path, monkeypatch):
    # The cache changes how fast a site is built, never the site: its setting is not reported.
    monkeypatch.chdir(tmp_path)
    assert build(broken_input, tmp_path / "cached", "--no-search") == 0
    assert build(broken_input, tmp_path / "warm", "--no-search") == 0
    assert build(broken_input, tmp_path / "uncached", "--no-search", "--no-cache") == 0
    assert (tmp_path / ".digest-cache").is_dir()
    reports = {(tmp_path / name / REPORT).read_bytes() for name in ("cached", "warm", "uncached")}
    assert len(reports) == 1
    assert "cache" not in json.loads(reports.pop())["config"]


def test_report_is_a_pure_function_of_result_and_config(tmp_path):
    config = load_config(cwd=tmp_path, overrides={"input": "in", "strict": True})
    result = BuildResult(
        documents=3,
        articles=4,
        stories=2,
        pages=9,
        problems=(Problem("a.pdf", "skipped: unknown file type .pdf"),),
        seconds=12.5,
        files=3,
        files_skipped=1,
        edition="2024-01-02",
    )
    data = report(result, config, cwd=tmp_path)
    assert data["counts"] == {
        "files": 3,
        "files_skipped": 1,
        "documents": 3,
        "articles": 4,
        "stories": 2,
        "pages": 9,
        "warnings": 1,
    }
    assert data["warnings"] == [{"file": "a.pdf", "reason": "skipped: unknown file type .pdf"}]
    assert data["config"]["input"] == "in" and data["exit_status"] == 1
    assert exit_status(result, config) == 1
    # Seconds are the one thing a rebuild changes: they are not in the report.
    slower = BuildResult(**{**result.__dict__, "seconds": 99.0})
    assert report_bytes(slower, config, tmp_path) == report_bytes(result, config, tmp_path)
    assert report_bytes(result, config, tmp_path).endswith(b"}\n")
    lenient = load_config(cwd=tmp_path, overrides={"input": "in"})
    assert report(result, lenient, cwd=tmp_path)["exit_status"] == 0
