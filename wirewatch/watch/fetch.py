"""HTTP fetching for `wirewatch watch`: one polite, bounded GET at a time.

Every request names wirewatch and its version in the User-Agent, follows at most
`MAX_REDIRECTS` redirects (http and https only), stops reading at a size cap and gives up after
`timeout` seconds, counted for the whole request and not only between bytes, so a server that
drips one byte a second cannot hold a poll. Problems become `FetchError`s that say whether a
later poll should try again (a 5xx, a timeout, a refused connection) or not (a 404, a PDF).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from wirewatch import __version__
from wirewatch.watch import DEFAULT_TIMEOUT

USER_AGENT = f"wirewatch/{__version__} (news monitoring; +https://pypi.org/project/wirewatch/)"
ROBOTS_AGENT = "wirewatch"  # the token robots.txt groups are matched against
MAX_REDIRECTS = 5
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A URL could not be fetched: `reason` in plain English, `retry` when a later poll may succeed."""

    def __init__(self, url: str, reason: str, retry: bool, content_type: str | None = None):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.retry, self.content_type = url, reason, retry, content_type


@dataclass
class Response:
    """What a GET brought back: status 200 with a body, or 304 (not modified) without one."""

    url: str  # after redirects
    status: int
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def validators(self) -> dict[str, str]:
        """The ETag / Last-Modified the server gave, for the next conditional GET."""
        found = {"etag": self.headers.get("etag"), "last_modified": self.headers.get("last-modified")}
        return {k: v for k, v in found.items() if v}


def media_type(content_type: str) -> str:
    """The bare media type of a Content-Type header ("text/html; charset=utf-8" -> "text/html")."""
    return content_type.split(";", 1)[0].strip().lower()


class Fetcher:
    """A GET client with wirewatch's User-Agent, redirect cap, size cap and whole-request timeout."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES,
                 transport: httpx.BaseTransport | None = None):
        self.timeout = timeout
        self.max_bytes = max_bytes
        self._client = httpx.Client(headers={"User-Agent": USER_AGENT}, timeout=httpx.Timeout(timeout),
                                    follow_redirects=False, transport=transport, trust_env=False)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, validators: dict[str, str] | None = None, allowed=None, accept=None) -> Response:
        """GET `url`, following redirects; send If-None-Match / If-Modified-Since from `validators`.

        `allowed(url)` is asked before each hop (robots.txt); a refusal raises a FetchError.
        `accept(content_type)` is asked before the body is read, so a refused document (a PDF where
        an article was expected) is never downloaded.
        """
        headers = {}
        if validators and validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators and validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        deadline = time.monotonic() + self.timeout
        current = url
        try:
            for _hop in range(MAX_REDIRECTS + 1):
                _check_scheme(url, current)
                if allowed is not None and not allowed(current):
                    raise FetchError(url, f"robots.txt disallows {current}" if current != url else "robots.txt disallows it",
                                     retry=False)
                response = self._one(url, current, headers, deadline, accept)
                if response.status not in _REDIRECTS:
                    return response
                location = response.headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {response.status} redirect without a Location", retry=False)
                current = urljoin(current, location)
        except (httpx.InvalidURL, ValueError) as exc:  # UnicodeError (IDNA) is a ValueError too
            where = "" if current == url else f" (redirected to {current[:200]})"
            raise FetchError(url, f"invalid URL{where}: {_why(exc)}", retry=False) from None
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects", retry=False)

    def _one(self, url: str, current: str, headers: dict[str, str], deadline: float, accept) -> Response:
        try:
            with self._client.stream("GET", current, headers=headers) as reply:
                status = reply.status_code
                got = {k.lower(): v for k, v in reply.headers.items()}
                content_type = got.get("content-type", "")
                if status in _REDIRECTS or status == 304:
                    return Response(current, status, b"", content_type, got)
                if status >= 500 or status in (408, 425, 429):
                    raise FetchError(url, f"HTTP {status} {reply.reason_phrase}".rstrip(), retry=True)
                if status >= 400:
                    raise FetchError(url, f"HTTP {status} {reply.reason_phrase}".rstrip(), retry=False)
                if accept is not None and not accept(content_type):
                    raise FetchError(url, f"not an article (content type {content_type or 'not given'})", retry=False,
                                     content_type=content_type)
                declared = got.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError(url, f"{int(declared):,} bytes, over the {self.max_bytes:,}-byte limit",
                                     retry=False, content_type=content_type)
                body = self._read(url, reply, deadline, content_type)
                return Response(current, status, body, content_type, got)
        except httpx.TimeoutException:
            raise FetchError(url, f"timed out after {self.timeout:g} s", retry=True) from None
        except httpx.ConnectError as exc:
            raise FetchError(url, f"cannot connect ({_why(exc)})", retry=True) from None
        except httpx.TransportError as exc:  # reset, protocol error, decoding error
            raise FetchError(url, f"transfer failed ({_why(exc)})", retry=True) from None

    def _read(self, url: str, reply: httpx.Response, deadline: float, content_type: str) -> bytes:
        chunks, total = [], 0
        for chunk in reply.iter_bytes():
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(url, f"over the {self.max_bytes:,}-byte limit", retry=False, content_type=content_type)
            if time.monotonic() > deadline:
                raise FetchError(url, f"timed out after {self.timeout:g} s", retry=True)
            chunks.append(chunk)
        return b"".join(chunks)


def _check_scheme(url: str, current: str) -> None:
    scheme = urlsplit(current).scheme.lower()
    if scheme not in ("http", "https"):
        where = "" if current == url else f" (redirected to {current})"
        raise FetchError(url, f"not an http(s) URL{where}", retry=False)


def _why(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__
