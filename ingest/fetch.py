"""HTTP for feeds and article pages: polite, bounded, and closed to tricks.

- timeouts on connect and read; retries with exponential backoff on 5xx answers and
  timeouts only (a 404 or a refused connection will not get better by asking again);
- conditional GET (ETag, Last-Modified): an unchanged feed costs a 304;
- a delay between two requests to one host;
- a size cap, enforced while streaming, so an endless body costs at most the cap;
- http and https only, redirects followed by hand and checked at every hop: no other
  scheme, and no hop into a private, loopback or link-local address (the cloud metadata
  endpoint 169.254.169.254 is the classic target) unless that host is explicitly allowed.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ingest.models import RejectReason

USER_AGENT = "dastan/0.1 (Persian news clustering; +https://example.invalid/dastan)"


@dataclass(frozen=True)
class FetchParams:
    """How dastan talks to news sites."""

    timeout: float = 15.0  # seconds, per connect and per read
    retries: int = 3  # extra attempts after a 5xx or a timeout
    backoff: float = 1.0  # seconds before the first retry, doubled each time
    host_delay: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 5_000_000  # a news page is ~100 KB; a feed ~200 KB
    max_redirects: int = 5
    allow_hosts: tuple[str, ...] = ()  # private hosts allowed anyway (a local mirror, tests)
    user_agent: str = USER_AGENT


class FetchError(Exception):
    """A URL could not be fetched; ``reason`` is the reject reason to record."""

    def __init__(self, url: str, detail: str, reason: RejectReason = RejectReason.FETCH_FAILED) -> None:
        super().__init__(f"{url}: {detail}")
        self.url = url
        self.detail = detail
        self.reason = reason


@dataclass(frozen=True)
class Fetched:
    """A response body (None when the server said 304 Not Modified) and its validators."""

    url: str  # the final URL, after redirects
    status: int
    content: bytes | None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _is_private(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False  # unresolvable: the request itself will fail with a clear error
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast \
                or addr.is_unspecified:
            return True
    return False


class Fetcher:
    """An HTTP client with dastan's rules; one per fetch run (it remembers host timing)."""

    def __init__(self, params: FetchParams, transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.params = params
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._client = httpx.Client(
            timeout=httpx.Timeout(params.timeout),
            follow_redirects=False,
            headers={"User-Agent": params.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _check(self, url: str, original: str, hop: int) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            what = "redirect" if hop else "URL"
            raise FetchError(original, f"{what} to a {parts.scheme or 'relative'}: URL refused (http and https only)")
        host = parts.hostname or ""
        if not host:
            raise FetchError(original, "URL without a host")
        if host not in self.params.allow_hosts and _is_private(host):
            what = "redirect to" if hop else "URL of"
            raise FetchError(original, f"{what} a private or local address refused ({host})")

    def _wait_for_host(self, host: str) -> None:
        last = self._last.get(host)
        if last is not None:
            wait = self.params.host_delay - (time.monotonic() - last)
            if wait > 0:
                self._sleep(wait)
        self._last[host] = time.monotonic()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET with the rules above; raises :class:`FetchError` with the reason to record."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for hop in range(self.params.max_redirects + 1):
            self._check(current, url, hop)
            response = self._attempts(current, url, headers)
            if response.status in (301, 302, 303, 307, 308) and response.location:
                current = urljoin(current, response.location)
                continue
            if response.status == 304:
                return Fetched(current, 304, None, etag, last_modified)
            if response.status >= 400:
                raise FetchError(url, f"HTTP {response.status}")
            return Fetched(current, response.status, response.body, response.etag, response.last_modified,
                           response.content_type)
        raise FetchError(url, f"more than {self.params.max_redirects} redirects")

    def _attempts(self, current: str, original: str, headers: dict[str, str]) -> _Raw:
        delay = self.params.backoff
        for attempt in range(self.params.retries + 1):
            self._wait_for_host(urlsplit(current).hostname or "")
            try:
                raw = self._once(current, original, headers)
            except httpx.TimeoutException as err:
                if attempt == self.params.retries:
                    raise FetchError(original, f"timed out after {attempt + 1} attempts") from err
            except httpx.HTTPError as err:
                raise FetchError(original, f"{type(err).__name__}: {err}") from err
            else:
                if raw.status < 500 or attempt == self.params.retries:
                    return raw
            self._sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # the loop returns or raises

    def _once(self, url: str, original: str, headers: dict[str, str]) -> _Raw:
        with self._client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.params.max_bytes:
                raise FetchError(original, f"{declared} bytes, above the limit of {self.params.max_bytes}",
                                 RejectReason.TOO_LARGE)
            body = bytearray()
            if response.status_code < 300:
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.params.max_bytes:
                        raise FetchError(original, f"more than {self.params.max_bytes} bytes",
                                         RejectReason.TOO_LARGE)
            return _Raw(response.status_code, bytes(body), response.headers.get("location"),
                        response.headers.get("etag"), response.headers.get("last-modified"),
                        response.headers.get("content-type"))


@dataclass(frozen=True)
class _Raw:
    status: int
    body: bytes
    location: str | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
