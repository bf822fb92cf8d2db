"""One polite HTTP client for every exchange source: browser-like, patient, rate-limited.

Exchanges refuse clients that do not look like a browser, NSE's API wants the cookies its
home page sets, and daily files appear only in the evening: until then the archive answers
404 or serves an HTML page. Those answers become NotPublishedError, never empty data.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from generator.errors import SourceError

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
        response = self._request(url, referer or warm_up)
        body = response.content
        _check_body(url, body, expect, response.headers.get("content-type", ""))
        return body

    def _request(self, url: str, referer: str | None) -> httpx.Response:
        headers = {"Referer": referer} if referer else {}
        attempts = self.settings.retries + 1
        last_problem = ""
        for attempt in range(attempts):
            self._pace()
            try:
                response = self._client.get(url, headers=headers)
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
                    if response.status_code >= 400:
                        raise SourceError(f"{url}: HTTP {response.status_code}")
                    return response
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


def _check_body(url: str, body: bytes, expect: str, content_type: str) -> None:
    """Raise NotPublishedError for a web page, SourceError for a broken zip."""
    head = body[:512].lstrip().lower()
    if "text/html" in content_type or head.startswith((b"<!doctype html", b"<html")):
        raise NotPublishedError(f"{url}: the server sent a web page instead of the file "
                              "(not published yet?); try again later")
    if not body.strip():
        raise NotPublishedError(f"{url}: the server sent an empty file; try again later")
    if expect == "zip":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                bad = archive.testzip()
        except zipfile.BadZipFile:
            raise SourceError(f"{url}: the zip is broken (truncated download?); try again"
                              ) from None
        if bad is not None:
            raise SourceError(f"{url}: {bad} inside the zip is corrupt; try again")
