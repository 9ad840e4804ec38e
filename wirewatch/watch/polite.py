"""Politeness: robots.txt per host, and a delay between two requests to the same host.

robots.txt is read once per host per run (RFC 9309): a 4xx means no rules, a 5xx or a network
failure means "disallow everything for now" (the pages are retried on a later poll), and a
Crawl-delay longer than our own per-host delay is honoured.
"""
from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from wirewatch.watch import DEFAULT_DELAY
from wirewatch.watch.fetch import ROBOTS_AGENT, FetchError, Fetcher

MAX_CRAWL_DELAY = 60.0  # a robots.txt asking for more would stall a poll for hours
ROBOTS_MAX_AGE = 3600.0  # a long-running watch reads each robots.txt again after this many seconds


class Politeness:
    """Robots rules and per-host pacing for one watch run (not shared between processes)."""

    def __init__(self, fetcher: Fetcher, delay: float = DEFAULT_DELAY, sleep=time.sleep, clock=time.monotonic):
        self.fetcher = fetcher
        self.delay = delay
        self._sleep, self._clock = sleep, clock
        self._robots: dict[str, RobotFileParser | str] = {}
        self._read_at: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def _host(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))

    def _rules(self, host: str) -> RobotFileParser | str:
        """The parsed robots.txt of `host`, or a string saying why every page is refused for now."""
        if host not in self._robots or self._clock() - self._read_at[host] > ROBOTS_MAX_AGE:
            self._read_at[host] = self._clock()
            self.wait(host)
            parser = RobotFileParser()
            try:
                response = self.fetcher.get(host + "/robots.txt")
                parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
            except FetchError as exc:
                if exc.retry:
                    self._robots[host] = f"robots.txt unreachable ({exc.reason})"
                    return self._robots[host]
                parser.parse([])  # 4xx (or a redirect loop): no rules
            self._robots[host] = parser
        return self._robots[host]

    def check(self, url: str) -> None:
        """Raise FetchError when robots.txt forbids `url` (or could not be read: retry later)."""
        rules = self._rules(self._host(url))
        if isinstance(rules, str):
            raise FetchError(url, rules, retry=True)
        if not rules.can_fetch(ROBOTS_AGENT, url):
            raise FetchError(url, "robots.txt disallows it", retry=False)

    def allowed(self, url: str) -> bool:
        """True when `url` may be requested now; waits out the host's delay first."""
        self.check(url)
        self.wait(self._host(url))
        return True

    def host_delay(self, host: str) -> float:
        """Seconds between two requests to `host`: ours, or the site's Crawl-delay when longer."""
        rules = self._robots.get(host)
        asked = rules.crawl_delay(ROBOTS_AGENT) if isinstance(rules, RobotFileParser) else None
        return max(self.delay, min(float(asked or 0), MAX_CRAWL_DELAY))

    def wait(self, host: str) -> None:
        """Sleep until `host` may be asked again, then note the request."""
        with self._lock:
            last = self._last.get(host)
            if last is not None:
                pause = last + self.host_delay(host) - self._clock()
                if pause > 0:
                    self._sleep(pause)
            self._last[host] = self._clock()
