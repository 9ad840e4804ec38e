"""One poll of the watched feeds: read each feed (conditional GET), fetch each new item's page, store it.

Crash safety: what a poll knows lives in the store's state, written in the same transaction as
what it concerns. New feed items are recorded as pending, with the feed's new validators, before
any page is fetched, so a kill after that loses no item even though the next GET of the feed
answers 304; each page's article, its alerts and the item's "stored" mark commit together, so a
restart neither fetches a stored page again nor stores it twice.

A failed page (5xx, timeout, refused connection) is retried on later polls with backoff counted in
polls: the next poll, then two polls later, then four... until `MAX_ATTEMPTS`. A page that is not
an article (PDF, image, binary) is rejected with its content type and never fetched again. A page
that cannot be used (robots.txt forbids it, a 404, no text found) falls back to the feed entry's
own text when there is some, and says so.
"""
from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from wirewatch.alerts.match import raise_alerts
from wirewatch.alerts.webhook import queue as queue_for_webhook
from wirewatch.ingest import read_bytes
from wirewatch.ingest.sources import binary_kind
from wirewatch.ingest.text import build_article
from wirewatch.model import Article, Rejection
from wirewatch.pipeline import Wirewatch, extract_guarded, store_analyses
from wirewatch.watch.fetch import FetchError, Fetcher, media_type
from wirewatch.watch.polite import Politeness
from wirewatch.watch.sources import Entry, SourceProblem, feed_entries

MAX_ATTEMPTS = 8
MAX_BACKOFF_POLLS = 64
MIN_PAGE_WORDS = 30  # a page with fewer words than this (and than its feed entry) lost its article
# Content types a page may have, with the reader for each. Unlabelled and octet-stream bodies are
# common from simple servers (extensionless paths): they are downloaded and sniffed, never trusted.
TEXT_TYPES = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text", "": None,
              "application/octet-stream": None}
FEED_TYPES = ("xml", "rss", "atom", "text/html", "text/plain", "application/octet-stream")  # labelled loosely

FEED_KEY, ITEM_KEY, POLLS_KEY = "watch.feed:", "watch.item:", "watch.polls"
DONE = ("stored", "rejected", "gave_up")


@dataclass
class PollReport:
    """What one poll did; `problems` is what makes a --once run exit with status 1."""

    poll: int = 0
    feeds: int = 0
    not_modified: list[str] = field(default_factory=list)
    new_items: int = 0
    stored: list[str] = field(default_factory=list)  # page URLs whose article is now in the store
    already: list[str] = field(default_factory=list)  # fetched, but the same article was stored before
    fallbacks: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)  # failed earlier, not due again yet
    alerts: list[dict] = field(default_factory=list)
    interrupted: bool = False

    @property
    def problems(self) -> int:
        return len(self.failed) + len(self.rejected)

    def summary(self) -> str:
        unchanged = f" ({len(self.not_modified)} not modified)" if self.not_modified else ""
        parts = [f"poll {self.poll}: {self.feeds} feed{'s' if self.feeds != 1 else ''}{unchanged}",
                 f"{self.new_items} new items", f"{len(self.stored)} stored", f"{len(self.failed)} failed",
                 f"{len(self.rejected)} rejected", f"{len(self.alerts)} alerts"]
        if self.already:
            parts.append(f"{len(self.already)} already stored")
        if self.fallbacks:
            parts.append(f"{len(self.fallbacks)} from feed text")
        if self.waiting:
            parts.append(f"{len(self.waiting)} waiting to retry")
        return ", ".join(parts) + (" (interrupted)" if self.interrupted else "")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Watcher:
    """Polls feeds into a Wirewatch store; one per `wirewatch watch` run."""

    def __init__(self, ww: Wirewatch, fetcher: Fetcher, polite: Politeness, say: Callable[[str], None] = print,
                 stop: threading.Event | None = None, webhook: bool = False):
        self.ww, self.fetcher, self.polite, self.say = ww, fetcher, polite, say
        self.stop = stop or threading.Event()
        self.webhook = webhook

    @property
    def store(self):
        return self.ww.store

    def poll(self, feeds: list[str]) -> PollReport:
        """Poll every feed once; returns what happened (messages go to `say` as they happen)."""
        with self.store.transaction():
            count = (self.store.get_state(POLLS_KEY) or {}).get("count", 0) + 1
            self.store.set_state(POLLS_KEY, {"count": count})
        report = PollReport(poll=count)
        for feed in feeds:
            if self.stop.is_set():
                report.interrupted = True
                break
            report.feeds += 1
            self._poll_feed(feed, report)
        return report

    # --- feeds -----------------------------------------------------------------------------
    def _poll_feed(self, feed: str, report: PollReport) -> None:
        state = self.store.get_state(FEED_KEY + feed) or {}
        try:
            response = self.fetcher.get(feed, validators=state.get("validators"), allowed=self.polite.allowed,
                                        accept=_feed_type)
            if response.status == 304:
                report.not_modified.append(feed)
            else:
                self._record_entries(feed, feed_entries(response.body, feed), response.validators, report)
        except FetchError as exc:
            reason = exc.reason.replace("not an article", "not a feed")
            self._problem(report.failed, feed, f"feed: {reason}")
        except SourceProblem as exc:
            self._problem(report.failed, feed, f"feed: {exc}")
        self._fetch_pending(feed, report)

    def _record_entries(self, feed: str, entries: list[Entry], validators: dict, report: PollReport) -> None:
        """Note new items as pending together with the feed's validators, in one transaction."""
        with self.store.transaction():
            state = self.store.get_state(FEED_KEY + feed) or {}
            pending = list(state.get("pending", []))
            for entry in entries:
                if self.store.get_state(ITEM_KEY + entry.url) is None:
                    self.store.set_state(ITEM_KEY + entry.url, {"status": "pending", "entry": entry.to_dict(),
                                                                "attempts": 0, "first_seen": _now()})
                    pending.append(entry.url)
                    report.new_items += 1
            self.store.set_state(FEED_KEY + feed, {"validators": validators, "pending": list(dict.fromkeys(pending)),
                                                   "checked": _now()})

    def _fetch_pending(self, feed: str, report: PollReport) -> None:
        state = self.store.get_state(FEED_KEY + feed) or {}
        still: list[str] = []
        items = [(url, self.store.get_state(ITEM_KEY + url)) for url in state.get("pending", [])]
        items = [(url, item) for url, item in items if item is not None and item["status"] not in DONE]
        # Items that failed before go last: a page that hangs a single-threaded server then delays
        # only itself, not the fresh items behind it.
        items.sort(key=lambda pair: pair[1].get("attempts", 0))
        for url, item in items:
            if self.stop.is_set():
                report.interrupted = True
                still.append(url)
                continue
            if item["status"] == "failed" and item.get("retry_poll", 0) > report.poll:
                report.waiting.append(url)
                still.append(url)
                continue
            if self._fetch_item(url, item, report) not in DONE:
                still.append(url)
        with self.store.transaction():
            current = self.store.get_state(FEED_KEY + feed) or {}
            current["pending"] = [u for u in current.get("pending", []) if u in still or u not in state.get("pending", [])]
            self.store.set_state(FEED_KEY + feed, current)

    # --- pages -----------------------------------------------------------------------------
    def _fetch_item(self, url: str, item: dict, report: PollReport) -> str:
        """Fetch, extract and store one page; return the item's new status."""
        entry = Entry.from_dict(item["entry"])
        try:
            response = self.fetcher.get(url, allowed=self.polite.allowed, accept=_textual)
            article, unusable = self._page_article(url, entry, response)
        except FetchError as exc:
            if exc.retry:
                return self._failed(url, item, exc.reason, report)
            if exc.content_type is not None and not _textual(exc.content_type):
                return self._reject(url, item, exc.reason, report)
            article, unusable = None, exc.reason
        except _NotArticle as exc:
            return self._reject(url, item, str(exc), report)
        if article is None:
            return self._fallback(url, item, entry, unusable, report)
        return self._store(url, item, article, report)

    def _page_article(self, url: str, entry: Entry, response) -> tuple[Article | None, str | None]:
        kind = media_type(response.content_type)  # a textual type: `accept` refused the others unread
        binary = binary_kind(response.body)
        if binary:
            raise _NotArticle(f"not an article ({binary}, served as {response.content_type or 'no content type'})")
        found = list(read_bytes(response.body, url, self.ww.limits, TEXT_TYPES[kind]))
        article = next((a for a in found if isinstance(a, Article)), None)
        if article is None:
            why = next((r.reason for r in found if isinstance(r, Rejection)), "no text found")
            return None, why
        words = len(article.text.split())
        if words < MIN_PAGE_WORDS and len(entry.text.split()) > words:
            return None, f"only {words} words of text found on the page"
        article.url = article.url or response.url
        article.outlet = article.outlet or entry.outlet
        article.published = article.published or entry.published
        article.author = article.author or entry.author
        article.title = article.title or entry.title
        article.extra = {**article.extra, "feed": entry.feed, "fetched": url}
        return article, None

    def _fallback(self, url: str, item: dict, entry: Entry, why: str, report: PollReport) -> str:
        if not entry.text.strip():
            return self._reject(url, item, f"page unusable ({why}) and the feed entry has no text", report)
        built = build_article(url, entry.title, entry.text, self.ww.limits, fmt="feed",
                              raw=json.dumps(entry.to_dict(), ensure_ascii=False).encode("utf-8"),
                              outlet=entry.outlet, author=entry.author, url=url, published=entry.published,
                              extra={"feed": entry.feed, "extraction": f"feed entry text (page unusable: {why})"})
        if isinstance(built, Rejection):
            return self._reject(url, item, f"page unusable ({why}); feed entry: {built.reason}", report)
        self.say(f"wirewatch: {url}: page unusable ({why}); stored the feed entry's own text instead")
        report.fallbacks.append(url)
        return self._store(url, item, built, report)

    def _store(self, url: str, item: dict, article: Article, report: PollReport) -> str:
        """Extract (outside the write lock), then store the article, its alerts and the item mark together."""
        analyses, rejected = extract_guarded([article], self.ww.resources)
        if rejected:
            return self._reject(url, item, rejected[0].reason, report)
        with self.store.transaction():
            added = store_analyses(analyses, self.store)
            alerts = raise_alerts(self.store, added)
            if self.webhook:
                queue_for_webhook(self.store, alerts)
            self.store.set_state(ITEM_KEY + url, _kept({**item, "status": "stored", "article": article.id,
                                                        "attempts": item.get("attempts", 0) + 1}))
        (report.stored if added else report.already).append(url)
        report.alerts.extend(alerts)
        for alert in alerts:
            self.say(f"wirewatch: alert {alert['summary']}")
        return "stored"

    def _failed(self, url: str, item: dict, reason: str, report: PollReport) -> str:
        attempts = item.get("attempts", 0) + 1
        if attempts >= MAX_ATTEMPTS:
            entry = Entry.from_dict(item["entry"])
            self._problem(report.failed, url, f"{reason} (attempt {attempts}; giving up)")
            if entry.text.strip():
                return self._fallback(url, {**item, "attempts": attempts}, entry, f"{reason}, {attempts} attempts", report)
            self._mark(url, {**item, "status": "gave_up", "attempts": attempts, "reason": reason})
            return "gave_up"
        wait = min(2 ** (attempts - 1), MAX_BACKOFF_POLLS)
        self._mark(url, {**item, "status": "failed", "attempts": attempts, "reason": reason,
                         "retry_poll": report.poll + wait})
        later = "on the next poll" if wait == 1 else f"in {wait} polls"
        self._problem(report.failed, url, f"{reason} (attempt {attempts}; retrying {later})")
        return "failed"

    def _reject(self, url: str, item: dict, reason: str, report: PollReport) -> str:
        self._mark(url, {**item, "status": "rejected", "reason": reason})
        self._problem(report.rejected, url, reason, verb="rejected")
        return "rejected"

    def _mark(self, url: str, item: dict) -> None:
        self.store.set_state(ITEM_KEY + url, _kept(item))

    def _problem(self, bucket: list, url: str, reason: str, verb: str = "failed") -> None:
        bucket.append((url, reason))
        self.say(f"wirewatch: {verb} {url}: {reason}")


def _kept(item: dict) -> dict:
    """The item record to store: a finished item drops the entry's text (the article, if any, has it)."""
    item = {**item, "updated": _now()}
    if item.get("status") in DONE and isinstance(item.get("entry"), dict):
        item["entry"] = {k: v for k, v in item["entry"].items() if k != "text"}
    return item


class _NotArticle(Exception):
    """The page is a document, image or other binary content, not an article."""


def _textual(content_type: str) -> bool:
    return media_type(content_type) in TEXT_TYPES


def _feed_type(content_type: str) -> bool:
    kind = media_type(content_type)
    return not kind or any(t in kind for t in FEED_TYPES if t)
