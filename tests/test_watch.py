"""`wirewatch watch` (issue 15) against a local news site on 127.0.0.1 (tests/newssite.py): fetching
limits, robots.txt and pacing, feed/OPML/list sources, and whole polls with the faults the
acceptance run injects (a page failing once with 500, a page slower than the timeout, a PDF, a
robots-disallowed page, an unchanged feed)."""
from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from tests.newssite import OUTLET, NewsSite, Server, article_html
from wirewatch import __version__
from wirewatch.watch.fetch import FetchError, Fetcher
from wirewatch.watch.polite import Politeness
from wirewatch.watch.sources import SourceProblem, feed_entries, feed_urls

GOOD = ["/news/dock-strike.html", "/news/ferry-fire.html", "/news/grain-deal.html"]


@pytest.fixture()
def server():
    with Server() as running:
        yield running


# --- fetching ---------------------------------------------------------------------------------
def test_every_request_names_wirewatch_and_its_version(server):
    with Fetcher(timeout=5) as fetcher:
        fetcher.get(server.base + "/robots.txt")
    [(_, _, headers)] = server.site.log
    assert headers["User-Agent"].startswith(f"wirewatch/{__version__} ")


def test_redirects_are_capped(server):
    with Fetcher(timeout=5) as fetcher, pytest.raises(FetchError, match="more than 5 redirects") as caught:
        fetcher.get(server.base + "/loop")
    assert not caught.value.retry
    assert server.site.requests("/loop") == 6  # the first request and five redirects, no more


def test_size_limit_stops_the_download(server):
    with Fetcher(timeout=5, max_bytes=100_000) as fetcher, pytest.raises(FetchError, match="over the 100,000-byte limit"):
        fetcher.get(server.base + "/big.html")


def test_timeout_covers_a_slow_page_and_is_retryable(server):
    server.site.slow_seconds = 3
    started = time.monotonic()
    with Fetcher(timeout=0.5) as fetcher, pytest.raises(FetchError, match=r"timed out after 0.5 s") as caught:
        fetcher.get(server.base + "/news/slow.html")
    assert caught.value.retry and time.monotonic() - started < 2


def test_server_errors_and_refused_connections_are_retryable(server):
    with Fetcher(timeout=5) as fetcher:
        with pytest.raises(FetchError, match="HTTP 500") as caught:
            fetcher.get(server.base + "/news/flaky.html")
        assert caught.value.retry
        assert fetcher.get(server.base + "/news/flaky.html").status == 200  # fails only once
        with pytest.raises(FetchError, match="HTTP 404") as caught:
            fetcher.get(server.base + "/missing.html")
        assert not caught.value.retry
    closed = Server()
    closed.httpd.server_close()  # bound once, now closed: nothing listens on that port
    with Fetcher(timeout=2) as fetcher, pytest.raises(FetchError, match="cannot connect") as caught:
        fetcher.get(closed.base + "/feed.xml")
    assert caught.value.retry


@pytest.mark.parametrize("url", ["http://[::1/x", "http://a..b/", "http://xn--/", "ftp://files.example/feed"])
def test_malformed_urls_are_fetch_errors_not_crashes(url):
    with Fetcher(timeout=2) as fetcher:
        with pytest.raises(FetchError, match="invalid URL|not an http") as caught:
            fetcher.get(url, allowed=Politeness(fetcher, delay=0).allowed)
    assert not caught.value.retry


def test_conditional_get_answers_304_for_an_unchanged_feed(server):
    with Fetcher(timeout=5) as fetcher:
        first = fetcher.get(server.base + "/feed.xml")
        assert first.status == 200 and first.validators["etag"]
        second = fetcher.get(server.base + "/feed.xml", validators=first.validators)
    assert second.status == 304 and second.body == b""
    assert server.site.log[-1][2]["If-None-Match"] == first.validators["etag"]


# --- politeness -------------------------------------------------------------------------------
def test_robots_disallowed_page_is_never_requested(server):
    with Fetcher(timeout=5) as fetcher:
        polite = Politeness(fetcher, delay=0)
        with pytest.raises(FetchError, match="robots.txt disallows it") as caught:
            fetcher.get(server.base + "/private/leak.html", allowed=polite.allowed)
        assert not caught.value.retry
        fetcher.get(server.base + "/news/dock-strike.html", allowed=polite.allowed)
    assert server.site.requests("/private/leak.html") == 0
    assert server.site.requests("/robots.txt") == 1  # read once per host


def test_per_host_delay_and_crawl_delay():
    class Clock:
        now = 100.0
        slept: list[float] = []

        def sleep(self, seconds):
            self.slept.append(round(seconds, 3))
            self.now += seconds

    clock = Clock()
    site = NewsSite(robots="User-agent: *\nCrawl-delay: 5\nDisallow: /private/\n")
    with Server(site) as server, Fetcher(timeout=5) as fetcher:
        polite = Politeness(fetcher, delay=2, sleep=clock.sleep, clock=lambda: clock.now)
        polite.allowed(server.base + "/news/a.html")  # reads robots.txt (first request), then waits 5 s
        polite.allowed(server.base + "/news/b.html")
    assert clock.slept == [5.0, 5.0]  # the site's Crawl-delay, longer than our 2 s


def test_unreachable_robots_txt_means_retry_later(server):
    server.site.robots_status = 503
    with Fetcher(timeout=5) as fetcher:
        polite = Politeness(fetcher, delay=0)
        with pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 503") as caught:
            polite.allowed(server.base + "/news/dock-strike.html")
    assert caught.value.retry and server.site.requests("/news/dock-strike.html") == 0


# --- sources ----------------------------------------------------------------------------------
def test_sources_from_url_opml_and_list_files(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
                    '<outline text="Ports"><outline text="Ledger" type="rss" xmlUrl="https://ledger.example/rss"/>'
                    '<outline text="Wire" type="rss" xmlUrl="http://wire.example/atom.xml"/></outline></body></opml>')
    listing = tmp_path / "feeds.txt"
    listing.write_text("# my feeds\nhttps://a.example/feed\n\nhttps://b.example/rss.xml\nhttps://a.example/feed\n")
    assert feed_urls("https://x.example/feed") == ["https://x.example/feed"]
    assert feed_urls(str(opml)) == ["https://ledger.example/rss", "http://wire.example/atom.xml"]
    assert feed_urls(str(listing)) == ["https://a.example/feed", "https://b.example/rss.xml"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://a.example/feed\n# fine\nftp://files.example/feed\n")
    with pytest.raises(SourceProblem, match=r"line 3: 'ftp://files.example/feed' is not an http\(s\) URL"):
        feed_urls(str(bad))
    with pytest.raises(SourceProblem, match="no such file"):
        feed_urls(str(tmp_path / "gone.opml"))
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 40)
    with pytest.raises(SourceProblem, match="binary file"):
        feed_urls(str(tmp_path / "noise.txt"))
    xxe = tmp_path / "xxe.opml"
    xxe.write_text('<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]><opml><body>'
                   '<outline xmlUrl="https://a.example/&x;"/></body></opml>')
    with pytest.raises(SourceProblem, match="external XML entities"):
        feed_urls(str(xxe))


def test_feed_entries_resolve_relative_links_and_collapse_repeats():
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Wire</title>
    <entry><title>One</title><link href="/a/one.html"/><id>1</id><summary type="html">First &lt;b&gt;bold&lt;/b&gt; text.</summary></entry>
    <entry><title>One again</title><link href="/a/one.html"/><id>2</id></entry>
    <entry><title>Mail</title><link href="mailto:desk@wire.example"/><id>3</id></entry>
    <entry><title>Broken</title><link href="http://[::1/x"/><id>4</id></entry></feed>"""
    entries = feed_entries(atom, "https://wire.example/feeds/atom.xml")
    assert [e.url for e in entries] == ["https://wire.example/a/one.html"]
    assert entries[0].title == "One" and entries[0].outlet == "Wire" and entries[0].text == "First bold text."
    with pytest.raises(SourceProblem, match="not an RSS/Atom feed"):
        feed_entries(b"<html><body><p>A web page</p></body></html>", "https://wire.example/")


# --- whole polls ------------------------------------------------------------------------------
def _run(db, *args):
    result = CliRunner().invoke(__import__("wirewatch.cli", fromlist=["main"]).main, [*args, "--db", str(db)])
    return result


def test_three_once_runs_against_a_faulty_site(server, tmp_path):
    """The acceptance run: `watch --once` three times with a 500-once page, a slow page, a PDF and robots.txt."""
    server.site.slow_seconds = 2.5
    db = tmp_path / "w.db"
    feed = server.base + "/feed.xml"
    assert _run(db, "watchlist", "add", "customs", "--text", "counterfeit clothing").exit_code == 0
    runs = [_run(db, "watch", feed, "--once", "--timeout", "1", "--delay", "0") for _ in range(3)]
    site = server.site

    first, second, third = runs
    assert first.exit_code == 1, first.output
    assert f"rejected {server.base}/docs/annual-report.pdf: not an article (content type application/pdf)" in first.stderr
    assert f"failed {server.base}/news/flaky.html: HTTP 500" in first.stderr
    assert f"failed {server.base}/news/slow.html: timed out after 1 s (attempt 1; retrying on the next poll)" in first.stderr
    # the flaky page is retried and stored on the second run; the slow one fails again and backs off
    assert second.exit_code == 1 and "1 stored" in second.stderr and "not modified" in second.stderr
    assert f"{server.base}/news/slow.html: timed out after 1 s (attempt 2; retrying in 2 polls)" in second.stderr
    assert third.exit_code == 0 and "1 waiting to retry" in third.stderr, third.stderr
    for path in GOOD:
        assert site.requests(path) == 1, path  # each good page fetched once
    assert site.requests("/news/flaky.html") == 2 and site.requests("/news/slow.html") == 2
    assert site.requests("/docs/annual-report.pdf") == 1
    assert site.requests("/private/leak.html") == 0
    feed_gets = [headers for method, path, headers in site.log if path == "/feed.xml"]
    assert len(feed_gets) == 3 and "If-None-Match" not in feed_gets[0]
    assert all(h.get("If-None-Match") for h in feed_gets[1:])  # conditional GETs of the unchanged feed

    from wirewatch.store import open_store

    with open_store(str(db)) as store:
        articles = {a.url: a for a in store.list_articles()}
    stored_paths = {url.replace(server.base, "") for url in articles}
    assert set(GOOD) | {"/news/flaky.html"} <= stored_paths
    assert "/news/slow.html" not in stored_paths and "/docs/annual-report.pdf" not in stored_paths
    dock = articles[server.base + "/news/dock-strike.html"]
    assert (dock.outlet, dock.author, dock.published) == (OUTLET, "Maren Vos", "2026-11-30T08:00:00+00:00")
    assert dock.title == "Dock workers strike in Rotterdam over pay" and "FNV union" in dock.text
    assert "Copyright" not in dock.text and "Home" not in dock.text  # boilerplate left out

    listed = _run(db, "alerts", "--json")
    alerts = json.loads(listed.stdout)
    [alert] = [a for a in alerts if a["watchlist"] == "customs"]
    flaky = articles[server.base + "/news/flaky.html"]
    assert alert["article"]["id"] == flaky.id
    span = alert["span"]
    assert flaky.text[span["start"]:span["end"]] == span["text"] == "counterfeit clothing"


def test_robots_disallowed_item_falls_back_to_feed_text_and_says_so(server, tmp_path):
    server.site.items = ["/private/leak.html", "/news/thin.html"]
    server.site.extra_entries["/news/thin.html"] = (
        "Pilots end strike at Lennmouth airport",
        "Pilots at Lennmouth airport ended a two-day strike on Tuesday after the airline agreed to a pay rise "
        "of six percent, the pilots' union said in a statement, and flights resumed in the afternoon.")
    server.site.extra_pages["/news/thin.html"] = ("<html><head><title>Loading</title></head><body>"
                                                  "<div id='app'>Please enable JavaScript.</div></body></html>")
    db = tmp_path / "w.db"
    result = _run(db, "watch", server.base + "/feed.xml", "--once", "--timeout", "5", "--delay", "0")
    assert result.exit_code == 0, result.stderr
    assert f"{server.base}/private/leak.html: page unusable (robots.txt disallows it); stored the feed entry's own text" \
        in result.stderr
    assert f"{server.base}/news/thin.html: page unusable (only" in result.stderr
    assert server.site.requests("/private/leak.html") == 0 and server.site.requests("/news/thin.html") == 1
    from wirewatch.store import open_store

    with open_store(str(db)) as store:
        thin = next(a for a in store.list_articles() if a.url.endswith("/news/thin.html"))
    assert thin.text.startswith("Pilots at Lennmouth airport ended") and thin.outlet == OUTLET
    assert thin.extra["extraction"].startswith("feed entry text (page unusable: only")


def test_binary_content_served_as_html_is_rejected_by_its_bytes(server, tmp_path):
    server.site.items = ["/news/scan.html", "/news/noise.html"]
    server.site.extra_entries["/news/scan.html"] = ("Scanned statement", "A scan.")
    server.site.extra_entries["/news/noise.html"] = ("Noise", "Noise.")
    server.site.extra_pages["/news/scan.html"] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    server.site.extra_pages["/news/noise.html"] = "".join(chr(0x20 + (i * 7919) % 0xDF) for i in range(20_000))
    # simple servers label extensionless paths application/octet-stream, or nothing: sniffed, not trusted
    server.site.items += ["/news/2026/11/30/quay", "/news/2026/11/30/scan", "/news/2026/11/30/unlabelled"]
    quay = article_html("Quay wall repaired in Lennmouth", "Desk", "2026-11-30T10:00:00+00:00",
                        ["Engineers in Lennmouth finished repairing the collapsed quay wall on Monday, the harbour "
                         "board said, three months after a storm tore a gap in it.",
                         "The work cost about four million euros, the board said, and ferries can dock there again."])
    for path, body, kind in [("/news/2026/11/30/quay", quay, "application/octet-stream"),
                             ("/news/2026/11/30/scan", "%PDF-1.4\n%%EOF\n" + "x" * 100, "application/octet-stream"),
                             ("/news/2026/11/30/unlabelled", quay.replace("Quay wall", "Quay"), "")]:
        server.site.extra_entries[path] = (path, "An item.")
        server.site.extra_pages[path], server.site.extra_types[path] = body, kind
    result = _run(tmp_path / "w.db", "watch", server.base + "/feed.xml", "--once", "--delay", "0")
    assert result.exit_code == 1
    assert "2 stored" in result.stderr and "3 rejected" in result.stderr, result.stderr
    assert (f"rejected {server.base}/news/2026/11/30/scan: not an article (PDF document, served as "
            "application/octet-stream)") in result.stderr
    assert (f"rejected {server.base}/news/scan.html: not an article (PDF document, served as text/html; charset=utf-8)"
            in result.stderr)
    assert f"rejected {server.base}/news/noise.html: not an article (random or encoded data" in result.stderr


def test_a_changed_feed_brings_only_its_new_item(server, tmp_path, resources):
    from wirewatch.pipeline import Wirewatch
    from wirewatch.watch.poll import Watcher

    server.site.items = GOOD[:2]
    with Wirewatch(str(tmp_path / "w.db"), resources=resources) as ww, Fetcher(timeout=5) as fetcher:
        watcher = Watcher(ww, fetcher, Politeness(fetcher, delay=0), say=lambda line: None)
        first = watcher.poll([server.base + "/feed.xml"])
        server.site.items = GOOD  # a new item on top of the two known ones: the ETag changes
        second = watcher.poll([server.base + "/feed.xml"])
        third = watcher.poll([server.base + "/feed.xml"])
    assert (first.new_items, len(first.stored), first.problems) == (2, 2, 0)
    assert (second.new_items, len(second.stored), second.not_modified) == (1, 1, [])
    assert (third.new_items, len(third.stored), third.not_modified) == (0, 0, [server.base + "/feed.xml"])
    assert [server.site.requests(p) for p in GOOD] == [1, 1, 1]


def test_bad_sources_are_reported_and_the_rest_watched(server, tmp_path):
    (tmp_path / "feeds.txt").write_text(server.base + "/feed.xml\n")
    server.site.items = GOOD[:1]
    result = _run(tmp_path / "w.db", "watch", str(tmp_path / "feeds.txt"), str(tmp_path / "nope.opml"),
                  server.base + "/missing.xml", "--once", "--delay", "0")
    assert result.exit_code == 1
    assert f"rejected {tmp_path / 'nope.opml'}: not an http(s) URL and no such file" in result.stderr
    assert f"failed {server.base}/missing.xml: feed: HTTP 404" in result.stderr
    assert "1 stored" in result.stderr
    assert "Traceback" not in result.output


def test_watch_help():
    result = CliRunner().invoke(__import__("wirewatch.cli", fromlist=["main"]).main, ["watch", "--help"])
    assert result.exit_code == 0 and "--timeout" in result.output and "OPML" in result.output


def test_webhook_receives_each_new_alert_once(server, tmp_path):
    server.site.items = GOOD
    db = tmp_path / "w.db"
    assert _run(db, "watchlist", "add", "ships", "--text", "ships").exit_code == 0
    server.site.post_status = [503]  # the receiver hiccups once: retried within the run
    args = ["watch", server.base + "/feed.xml", "--once", "--delay", "0", "--webhook", server.base + "/hook"]
    first = _run(db, *args)
    second = _run(db, *args)
    assert first.exit_code == 0 and second.exit_code == 0, first.stderr
    posted = [json.loads(p) for p in server.site.posts]
    titles = sorted(p["article"]["title"] for p in posted)
    assert titles == ["Dock workers strike in Rotterdam over pay"]  # "container ships": one article says ships
    assert posted[0]["watchlist"] == "ships" and posted[0]["span"]["text"] == "ships"
    assert "1 alert posted to" in first.stderr and "posted" not in second.stderr
    bad = _run(db, "watch", server.base + "/feed.xml", "--once", "--webhook", "file:///etc/passwd")
    assert bad.exit_code == 2 and "is not an http(s) URL" in bad.output
