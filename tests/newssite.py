"""A local news site on 127.0.0.1 for the watch tests: a feed with an ETag, article pages with
metadata, robots.txt, and the faults `wirewatch watch` must survive (a page failing once with 500,
a page slower than the timeout, a PDF, a robots-disallowed page). Every request is logged.

The articles are invented for these tests (places are real, so the offline gazetteer finds them).
"""
from __future__ import annotations

import hashlib
import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

OUTLET = "Harbour Ledger"

ARTICLES = {
    "/news/dock-strike.html": (
        "Dock workers strike in Rotterdam over pay",
        "Maren Vos",
        "2026-11-30T08:00:00+00:00",
        ["Dock workers in Rotterdam walked off the job on Monday in a dispute over pay, the FNV union said.",
         "About 1,200 workers joined the strike, according to union officials, and dozens of container ships "
         "waited outside the port.",
         "The port authority said it expected talks with the employers to resume on Wednesday, "
         "but warned that delays could last for days."],
    ),
    "/news/ferry-fire.html": (
        "Ferry fire forces evacuation near Calais",
        "Paul Girard",
        "2026-11-30T11:30:00+00:00",
        ["A fire broke out in the engine room of a passenger ferry near Calais on Monday, the coastguard said.",
         "All 340 passengers were evacuated to lifeboats and no one was hurt, officials said.",
         "Investigators from the French maritime agency boarded the ship on Monday evening to find the cause."],
    ),
    "/news/grain-deal.html": (
        "Grain shipments resume from Odesa after talks",
        "Olena Marchuk",
        "2026-11-29T16:00:00+00:00",
        ["Grain shipments resumed from Odesa on Sunday after talks between shipping firms and insurers, "
         "the port operator said.",
         "Three bulk carriers left the harbour carrying about 90,000 tonnes of wheat, the operator said.",
         "Insurers had raised premiums sharply last month, and traders said costs would stay high this winter."],
    ),
    "/news/flaky.html": (
        "Customs officers seize counterfeit goods in Antwerp",
        "Lieve Peeters",
        "2026-11-30T14:00:00+00:00",
        ["Customs officers in Antwerp seized 40 containers of counterfeit clothing on Monday, the Belgian "
         "finance ministry said.",
         "The goods were worth an estimated 12 million euros, officials said, and had arrived from Asia.",
         "Two shipping agents were questioned by police, according to a ministry spokesperson."],
    ),
    "/news/slow.html": (
        "Storm closes the port of Hamburg",
        "Jonas Berg",
        "2026-11-30T15:00:00+00:00",
        ["A winter storm closed the port of Hamburg on Monday, the harbour master said.",
         "Container terminals stopped work as winds reached 100 kilometres an hour, officials said.",
         "Shipping lines warned of delays of two days or more for vessels waiting in the North Sea."],
    ),
    "/private/leak.html": (
        "Internal memo on port security",
        "Staff",
        "2026-11-30T09:00:00+00:00",
        ["This page is disallowed by robots.txt and must never be requested by a polite crawler.",
         "It exists so that a test can see whether it was fetched, which it must not be, ever."],
    ),
}
FEED_ORDER = ["/news/dock-strike.html", "/news/ferry-fire.html", "/news/grain-deal.html", "/news/flaky.html",
              "/news/slow.html", "/docs/annual-report.pdf", "/private/leak.html"]
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ROBOTS = "User-agent: *\nDisallow: /private/\n"


def page_html(path: str) -> str:
    return article_html(*ARTICLES[path])


def article_html(title: str, author: str, published: str, paragraphs: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)} | {OUTLET}</title>"
            f"<meta property='og:site_name' content='{OUTLET}'><meta name='author' content='{html.escape(author)}'>"
            f"<meta property='article:published_time' content='{published}'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{html.escape(title)}</h1>"
            f"{body}</article><footer>Copyright {OUTLET}</footer></body></html>")


@dataclass
class NewsSite:
    """The server's content and behaviour; tests may change fields between polls."""

    items: list[str] = field(default_factory=lambda: list(FEED_ORDER))
    slow_seconds: float = 3.0
    page_delay: float = 0.0
    fail_once: set[str] = field(default_factory=lambda: {"/news/flaky.html"})
    slow: set[str] = field(default_factory=lambda: {"/news/slow.html"})
    log: list[tuple[str, str, dict]] = field(default_factory=list)  # (method, path, headers)
    posts: list[bytes] = field(default_factory=list)
    post_status: list[int] = field(default_factory=list)  # statuses to answer webhook POSTs with, in turn
    failed: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    extra_pages: dict[str, str] = field(default_factory=dict)  # path -> HTML
    extra_entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (title, summary) in the feed
    extra_types: dict[str, str] = field(default_factory=dict)  # path -> Content-Type ("" sends none)
    robots: str = ROBOTS
    robots_status: int = 200

    def feed(self, base: str) -> bytes:
        entries = []
        for path in self.items:
            if path in ARTICLES:
                title, author, published, paragraphs = ARTICLES[path]
                summary = paragraphs[0]
            elif path in self.extra_entries:
                (title, summary), published = self.extra_entries[path], "2026-11-30T12:00:00+00:00"
            else:
                title, summary, published = "Annual report of the port authority", "The full report as a PDF.", \
                    "2026-11-28T10:00:00+00:00"
            date = format_datetime(datetime.fromisoformat(published))
            entries.append(f"<item><title>{html.escape(title)}</title><link>{base}{path}</link>"
                           f"<guid>{base}{path}</guid><pubDate>{date}</pubDate>"
                           f"<description>{html.escape(summary)}</description></item>")
        return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{OUTLET}</title>'
                f"<link>{base}/</link><description>Port news</description>{''.join(entries)}</channel></rss>").encode()

    def requests(self, path: str) -> int:
        return sum(1 for method, p, _ in self.log if p == path and method == "GET")


def _handler(site: NewsSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            with site.lock:
                site.log.append(("POST", self.path, dict(self.headers)))
                status = site.post_status.pop(0) if site.post_status else 200
                if status == 200:
                    site.posts.append(body)
            self._send(status, b"{}", "application/json")

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            with site.lock:
                site.log.append(("GET", path, dict(self.headers)))
            base = f"http://{self.headers.get('Host')}"
            if path == "/robots.txt":
                return self._send(site.robots_status, site.robots.encode(), "text/plain")
            if path == "/feed.xml":
                body = site.feed(base)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", "application/rss+xml", {"ETag": etag})
                return self._send(200, body, "application/rss+xml; charset=utf-8", {"ETag": etag})
            if path == "/docs/annual-report.pdf":
                return self._send(200, PDF, "application/pdf")
            if path == "/loop":
                return self._send(302, b"", "text/plain", {"Location": "/loop"})
            if path == "/big.html":
                return self._send(200, b"<html><body><p>" + b"word " * 400_000 + b"</p></body></html>", "text/html")
            if path in site.extra_pages:
                if site.page_delay:
                    time.sleep(site.page_delay)
                return self._send(200, site.extra_pages[path].encode(),
                                  site.extra_types.get(path, "text/html; charset=utf-8"))
            if path not in ARTICLES:
                return self._send(404, b"not found", "text/plain")
            with site.lock:
                first_failure = path in site.fail_once and path not in site.failed
                site.failed.add(path)
            if first_failure:
                return self._send(500, b"internal error", "text/plain")
            if path in site.slow:
                time.sleep(site.slow_seconds)
            elif site.page_delay:
                time.sleep(site.page_delay)
            return self._send(200, page_html(path).encode(), "text/html; charset=utf-8")

    return Handler


class Server:
    """Run a NewsSite on 127.0.0.1 on a free port, in a thread."""

    def __init__(self, site: NewsSite | None = None):
        self.site = site or NewsSite()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.site))
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "Server":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
