"""A real HTTP server on 127.0.0.1 that answers like the exchange's archives and API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers for one path: a status, a body and its type."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/csv"
    delay_s: float = 0.0
    fail_first: int = 0  # answer 503 this many times first
    needs_cookie: bool = False
    sets_cookie: bool = False
    hits: list[dict[str, str]] = field(default_factory=list)


@contextmanager
def exchange_server(routes: dict[str, Route]) -> Iterator[str]:
    """Serve `routes` on a free port of 127.0.0.1; yield the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            route.hits.append(dict(self.headers.items()))
            if route.delay_s:
                time.sleep(route.delay_s)
            if route.fail_first > 0:
                route.fail_first -= 1
                self.send_error(503)
                return
            if route.needs_cookie and "nsit=ok" not in (self.headers.get("Cookie") or ""):
                self.send_error(401)
                return
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            if route.sets_cookie:
                self.send_header("Set-Cookie", "nsit=ok; Path=/")
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
