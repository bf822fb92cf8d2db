"""One polite HTTP client for every exchange source: browser-like, patient, rate-limited.

Exchanges refuse clients that do not look like a browser, NSE's API wants the cookies its
home page sets, and daily files appear only in the evening: until then the archive answers
404 or serves an HTML page. Those answers become NotPublishedError, never empty data.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from generator.errors import FormatError, SourceError
from generator.sources.bounded import MAX_FILE_BYTES, check_members

BROWSER_HEADERS = {
    "User-Agent": (
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0 Safari/537.36"
    ),
    "Accept": "text/html,application/xhtml+xml,application/json,text/csv,*/*;q=0.8",
    "Accept-Language": "en-IN,en;q=0.9",
}


class NotPublishedError(SourceError):
    """The file is not (yet) on the server: a 404, or a web page where data was expected."""


@dataclass(frozen=True)
class HttpSettings:
    """Timeouts, retries and pacing of the client."""

    timeout_s: float = 30.0
    retries: int = 3
    backoff_s: float = 2.0
    min_interval_s: float = 1.0


class PoliteClient:
    """GET exchange files with retries on 5xx and timeouts, and a pause between requests."""

    def __init__(
        self,
        settings: HttpSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or HttpSettings()
        self._client = httpx.Client(
            headers=BROWSER_HEADERS, timeout=self.settings.timeout_s, follow_redirects=True,
            transport=transport,
        )
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self._warmed: set[str] = set()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, *, expect: str, warm_up: str | None = None,
            referer: str | None = None) -> bytes:
        """Return the body of `url`, checked to be `expect` ("csv", "zip" or "json")."""
        if warm_up and warm_up not in self._warmed:
            self._request(warm_up, None)
            self._warmed.add(warm_up)
        content_type, body = self._request(url, referer or warm_up)
        _check_body(url, body, expect, content_type)
        return body

    def _request(self, url: str, referer: str | None) -> tuple[str, bytes]:
        """Return the content type and body of a GET, read up to MAX_FILE_BYTES."""
        headers = {"Referer": referer} if referer else {}
        attempts = self.settings.retries + 1
        last_problem = ""
        for attempt in range(attempts):
            self._pace()
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    body = _read_capped(url, response) if response.status_code < 300 else b""
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                last_problem = f"{type(exc).__name__}"
            else:
                if response.status_code == 404:
                    raise NotPublishedError(f"{url}: not published yet (404); try again later")
                if response.status_code in (401, 403):
                    raise SourceError(f"{url}: the server refused the request "
                                      f"({response.status_code}); try again later, or "
                                      "download the file in a browser and use --from-dir")
                if response.status_code < 500:
                    if response.status_code >= 300:
                        raise SourceError(f"{url}: HTTP {response.status_code}")
                    return response.headers.get("content-type", ""), body
                last_problem = f"HTTP {response.status_code}"
            if attempt + 1 < attempts:
                self._sleep(self.settings.backoff_s * 2**attempt)
        raise SourceError(f"{url}: {last_problem} after {attempts} attempts; the server may be "
                          "down, try again later")

    def _pace(self) -> None:
        now = self._clock()
        if self._last is not None:
            wait = self.settings.min_interval_s - (now - self._last)
            if wait > 0:
                self._sleep(wait)
                now += wait
        self._last = now


def _read_capped(url: str, response: httpx.Response) -> bytes:
    """Read a response body in chunks, refusing one larger than MAX_FILE_BYTES."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise SourceError(f"{url}: the server sent more than {MAX_FILE_BYTES // 2**20} MB, "
                              "far more than any exchange file; check the source's address")
        chunks.append(chunk)
    return b"".join(chunks)


def _check_body(url: str, body: bytes, expect: str, content_type: str) -> None:
    """Raise NotPublishedError for a web page, SourceError for a broken zip."""
    head = body[:512].lstrip().lower()
    if "text/html" in content_type or head.startswith((b"<!doctype html", b"<html")):
        raise NotPublishedError(f"{url}: the server sent a web page instead of the file "
                              "(not published yet?); try again later")
    if not body.strip():
        raise NotPublishedError(f"{url}: the server sent an empty file; try again later")
    if expect == "zip":
        # Every member is unpacked in chunks (CRC checked) and refused past the size limit.
        try:
            check_members(body, url, damaged="the zip is broken (truncated download?)")
        except FormatError as exc:
            raise SourceError(f"{url}: {exc.problem}; try again") from None
