"""The command line's messages on stderr: each build stage in place on one line on a terminal,
plain lines elsewhere (CI logs, files)."""

from __future__ import annotations

import logging
import shutil
from typing import TextIO


class Progress(logging.Handler):
    """Messages on stderr. On a terminal, each build stage is shown in place on one line (the
    next stage overwrites it) and every other message on a line of its own. Elsewhere (CI
    logs, files) a stage's end is a plain line and its start is left out (shown with -v)."""

    def __init__(self, stream: TextIO, show_starts: bool = False) -> None:
        super().__init__()
        self.stream = stream
        self.live = getattr(stream, "isatty", lambda: False)()
        self.show_starts = show_starts
        self.shown = 0  # length of the progress line on screen now

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
            progress = getattr(record, "progress", None)
            if self.live and progress:
                width = shutil.get_terminal_size().columns - 1  # a wrapped line cannot be redrawn
                text = text.splitlines()[0][: max(width, 20)]
                self.stream.write("\r" + text.ljust(self.shown))
                self.shown = len(text)
            elif progress != "start" or self.show_starts:
                self._clear()
                self.stream.write(text + "\n")
            self.stream.flush()
        except Exception:
            self.handleError(record)

    def _clear(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.shown = 0

    def clear(self) -> None:
        """Remove the progress line, so what is printed next starts on a clean line."""
        self.acquire()
        try:
            self._clear()
            self.stream.flush()
        finally:
            self.release()
