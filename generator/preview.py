"""Serve a built site on 127.0.0.1 the way GitHub Pages serves it.

The site lives under the path of its address (a project site is at /<repo>/), a folder
without index.html is not listed, and any missing address gets the site's 404.html with
status 404. `invoke serve` and the browser tests use it, so what they see is what readers
of the published site see, 404 page included.
"""

from __future__ import annotations

import functools
import io
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

NOT_FOUND_PAGE = "404.html"


class PagesHandler(SimpleHTTPRequestHandler):
    """Serve `directory` at `base_path`; `/` redirects there, the rest outside it is a 404."""

    def __init__(self, *args: Any, base_path: str = "/", quiet: bool = False,
                 **kwargs: Any) -> None:
        self.base_path = base_path
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def send_head(self) -> BinaryIO | None:
        path = urlsplit(self.path).path
        if path != self.base_path and path in ("/", self.base_path.rstrip("/")):
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", self.base_path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if not path.startswith(self.base_path):
            return self._not_found()
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            if path.endswith("/") and not (local / "index.html").is_file():
                return self._not_found()
        elif not local.is_file():
            return self._not_found()
        return super().send_head()

    def translate_path(self, path: str) -> str:
        """Map an address under base_path to a file of the site."""
        parts = urlsplit(path)
        inside = parts.path[len(self.base_path) - 1:] if parts.path.startswith(self.base_path) \
            else "/"
        return super().translate_path(inside)

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        return self._not_found()

    def _not_found(self) -> io.BytesIO:
        """Answer 404 with the site's own 404 page, as GitHub Pages does."""
        page = Path(str(self.directory), NOT_FOUND_PAGE)
        body = page.read_bytes() if page.is_file() else b"404 Not Found\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def base_path(site_url: str) -> str:
    """Return the path of a site address: 'https://x.github.io/briefs/' -> '/briefs/'."""
    path = urlsplit(site_url).path or "/"
    return path if path.endswith("/") else path + "/"


def preview_server(site_dir: Path, site_url: str, port: int = 0, *,
                   quiet: bool = False) -> ThreadingHTTPServer:
    """Return a server (not yet serving) for `site_dir` on 127.0.0.1 at the site's path."""
    handler = functools.partial(PagesHandler, directory=str(site_dir),
                                base_path=base_path(site_url), quiet=quiet)
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


@contextmanager
def serving(site_dir: Path, site_url: str) -> Iterator[str]:
    """Serve the site quietly from a thread on a free port; yield its base URL."""
    httpd = preview_server(site_dir, site_url, quiet=True)
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}{base_path(site_url)}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
