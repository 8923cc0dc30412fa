"""The command line's message handler: stages in place on a terminal, plain lines elsewhere."""

from __future__ import annotations

import io
import logging

from digest.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _log(handler: Progress, message: str, progress: str | None = None) -> None:
    record = logging.LogRecord("digest", logging.INFO, __file__, 1, message, None, None)
    if progress:
        record.progress = progress
    handler.handle(record)


def test_stages_overwrite_each_other_on_a_terminal_and_other_lines_start_clean():
    screen = Terminal()
    handler = Progress(screen)
    _log(handler, "reading a long folder name", "start")
    _log(handler, "cleaning", "start")
    _log(handler, "a.txt: skipped")
    # The shorter stage is padded over the longer one; the warning first wipes the line.
    assert screen.getvalue() == (
        "\rreading a long folder name"
        + "\r" + "cleaning".ljust(len("reading a long folder name"))
        + "\r" + " " * len("cleaning") + "\r"
        + "a.txt: skipped\n"
    )  # fmt: skip


def test_elsewhere_stage_starts_are_left_out_unless_asked_for():
    log = io.StringIO()
    handler = Progress(log)
    _log(handler, "reading", "start")
    _log(handler, "read 3 files", "end")
    _log(handler, "a.txt: skipped")
    assert log.getvalue() == "read 3 files\na.txt: skipped\n"
    verbose = io.StringIO()
    _log(Progress(verbose, show_starts=True), "reading", "start")
    assert verbose.getvalue() == "reading\n"


def test_clear_removes_the_progress_line():
    screen = Terminal()
    handler = Progress(screen)
    _log(handler, "summarizing", "start")
    handler.clear()
    assert screen.getvalue().endswith("\r" + " " * len("summarizing") + "\r")
    handler.clear()  # nothing shown: nothing written
    assert screen.getvalue().count("\r") == 3
