"""Preview a built site over HTTP on this machine (search needs http://, not file://)."""

from __future__ import annotations

import contextlib
import functools
import logging
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .errors import DigestError

log = logging.getLogger(__name__)


class ServeError(DigestError):
    """The site cannot be served: no such folder, or the address cannot be listened on."""

    exit_code = 2


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files from the site folder; never cached, so a rebuild shows on reload."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


class ServerV6(ThreadingHTTPServer):
    """ThreadingHTTPServer on an IPv6 address (its request threads are daemons too)."""

    address_family = socket.AF_INET6


def make_server(site: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server for the files under site, listening on host:port (0 picks a free port).

    The caller runs serve_forever() (in a thread, in tests) and then shutdown() and
    server_close().
    """
    if not site.is_dir():
        raise ServeError(f"{site}: no such folder (build the site first)")
    handler = functools.partial(PreviewHandler, directory=str(site.resolve()))
    server_class = ServerV6 if ":" in host else ThreadingHTTPServer
    try:
        return server_class((host, port), handler)
    except OSError as err:
        raise ServeError(f"cannot listen on {host}:{port}: {err.strerror or err}") from err


def server_url(server: ThreadingHTTPServer) -> str:
    """The http:// address a browser opens for server."""
    host, port = server.server_address[:2]
    name = host.decode() if isinstance(host, bytes) else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}:{port}/"


def serve(server: ThreadingHTTPServer) -> None:
    """Serve until interrupted (Ctrl-C raises KeyboardInterrupt here), then close the socket."""
    try:
        server.serve_forever()
    finally:
        server.server_close()


@contextlib.contextmanager
def in_background(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve from a thread while the block runs (yields the URL), then shut the server down."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server_url(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
