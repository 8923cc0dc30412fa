"""digest serve: the built site over HTTP on loopback, stopped cleanly."""

from __future__ import annotations

import contextlib
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from digest import cli
from digest.cli import main
from digest.serve import ServeError, in_background, make_server

INDEX = "<!DOCTYPE html><title>Preview</title><h1>The briefing</h1>\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "stories").mkdir(parents=True)
    (site / "index.html").write_text(INDEX, encoding="utf-8")
    (site / "stories" / "a.html").write_text("<p>story a</p>", encoding="utf-8")
    return site


@contextlib.contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[str]:
    with in_background(server) as url:
        yield url
    assert server.socket.fileno() == -1  # shut down and closed


def fetch(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get("Cache-Control", ""), response.read().decode()


def test_serves_the_site_folder_on_loopback(folder):
    server = make_server(folder, port=0)
    with running(server) as url:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url) and not url.endswith(":0/")
        status, cache, body = fetch(url + "index.html")
        assert status == 200 and body == INDEX
        assert cache == "no-cache"  # a rebuilt page shows on reload
        assert fetch(url + "stories/a.html")[2] == "<p>story a</p>"
        assert fetch(url)[2] == INDEX  # the folder's index.html
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(url + "nope.html")
        assert missing.value.code == 404
        with pytest.raises(urllib.error.HTTPError) as outside:
            fetch(url + "../" * 4 + "etc/passwd")
        assert outside.value.code == 404
    with pytest.raises(OSError):  # the socket is closed after shutdown
        socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=1).close()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ServeError, match="no such folder") as err:
        make_server(tmp_path / "none", port=0)
    assert err.value.exit_code == 2


def test_port_in_use_is_a_clear_error(folder):
    first = make_server(folder, port=0)
    try:
        with pytest.raises(ServeError, match="cannot listen on 127.0.0.1"):
            make_server(folder, port=first.server_address[1])
    finally:
        first.server_close()


def test_cli_builds_then_serves_and_ctrl_c_exits_0(tmp_path, monkeypatch, capsys):
    source = Path(__file__).resolve().parent.parent / "seeds"
    out = tmp_path / "site"
    fetched = {}

    def serve_then_interrupt(server: ThreadingHTTPServer) -> None:
        with running(server) as url:
            fetched["index"] = fetch(url + "index.html")[2]
            fetched["search"] = fetch(url + "pagefind/pagefind.js")[0]
        raise KeyboardInterrupt  # what Ctrl-C raises inside serve_forever

    monkeypatch.setattr(cli, "serve", serve_then_interrupt)
    argv = ["serve", "--input", str(source), "--output", str(out), "--port", "0"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert re.search(rf"Serving {re.escape(str(out))} at http://127\.0\.0\.1:\d+/", captured.out)
    assert "built" in captured.err and "stopped serving" in captured.err
    assert "<h1>News briefing</h1>" in fetched["index"]
    assert fetched["search"] == 200


def test_cli_no_build_and_bad_arguments(tmp_path, capsys):
    with pytest.raises(SystemExit) as help:
        main(["serve", "--help"])
    assert help.value.code == 0
    usage = capsys.readouterr().out
    assert all(flag in usage for flag in ("--port", "--host", "--no-build", "--no-search"))
    assert main(["serve", "--no-build", "--output", str(tmp_path / "none"), "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "no such folder" in err and "Traceback" not in err
    for port in ("70000", "-1", "http"):
        with pytest.raises(SystemExit) as exit:
            main(["serve", "--port", port])
        assert exit.value.code == 2
    assert "not a port number" in capsys.readouterr().err


def test_sigint_stops_the_server_process_with_exit_0(folder):
    process = subprocess.Popen(
        [sys.executable, "-m", "digest", "serve", "--no-build", "--output", str(folder)]
        + ["--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A shell's background job ignores SIGINT; the server must see it as a terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"http://\S+", line)
        assert match, line
        assert fetch(match.group(0) + "index.html")[2] == INDEX
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "stopped serving" in err and "Traceback" not in err
