"""A real `wirewatch watch` process killed with SIGKILL mid-poll, then restarted, and one stopped
with Ctrl-C (issue 15): nothing stored is fetched again, duplicated or lost, and Ctrl-C finishes
the article in hand before stopping."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.newssite import NewsSite, Server, article_html

PLACES = ["Lennmouth", "Arnsby", "Corrow", "Velmora", "Tarrin", "Oskel", "Brantwick", "Halden", "Mirrow", "Quenby"]
WATCH = [sys.executable, "-m", "wirewatch.cli", "watch"]


def _site(count: int, delay: float) -> NewsSite:
    """A feed of `count` distinct invented reports, each page answering after `delay` seconds."""
    site = NewsSite(items=[], fail_once=set(), page_delay=delay)
    for i, place in enumerate(PLACES[:count]):
        path = f"/local/{place.lower()}.html"
        title = f"Council in {place} approves new flood barrier"
        paragraphs = [f"The council of {place} voted on Tuesday to build a flood barrier along the river, "
                      f"the mayor's office said, after {i + 3} streets flooded last winter.",
                      f"The barrier will cost about {12 + i} million euros and take two years to build, "
                      "according to the council's engineers.",
                      f"Residents of {place} said at a public meeting that work should start before next winter."]
        site.items.append(path)
        site.extra_entries[path] = (title, paragraphs[0])
        site.extra_pages[path] = article_html(title, "Desk Staff", f"2026-11-{10 + i}T09:00:00+00:00", paragraphs)
    return site


def _stored(db: Path) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0


def _wait_for(predicate, seconds: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"watch ended early ({proc.returncode}): {err.decode()[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("timed out waiting for the watch to store articles")
        time.sleep(0.05)


def _signalled(args: list[str], ready, sig: int, tmp_path: Path) -> tuple[subprocess.Popen, str]:
    """Start a watch, send `sig` once `ready()` holds, and return the process and its stderr."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path))
    _wait_for(ready, 240, proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    return proc, err.decode()


def _env(tmp_path: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}


def test_kill_9_then_restart_neither_refetches_nor_duplicates_nor_loses(tmp_path):
    site = _site(8, delay=0.4)
    db = tmp_path / "w.db"
    with Server(site) as server:
        feed = server.base + "/feed.xml"
        args = [*WATCH, feed, "--once", "--delay", "0", "--timeout", "5", "--db", str(db)]
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path))
        _wait_for(lambda: _stored(db) >= 3, 240, proc)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        before = _stored(db)
        with sqlite3.connect(db) as con:
            stored_before = {url for (url,) in con.execute("SELECT url FROM articles")}
        requested_before = {p: site.requests(p) for p in site.items}
        assert 3 <= before < 8

        again = subprocess.run(args, capture_output=True, env=_env(tmp_path), timeout=300)
        assert again.returncode == 0, again.stderr.decode()[-2000:]
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            urls = [url for (url,) in con.execute("SELECT url FROM articles")]
            in_stories = con.execute("SELECT count(*) FROM story_articles").fetchone()[0]
        # nothing lost or duplicated: every page stored exactly once, each in a story
        assert sorted(urls) == sorted(server.base + p for p in site.items)
        assert in_stories == len(urls)
        # nothing stored before the kill was fetched again; the feed (ETag) was not re-read in full
        for path in site.items:
            if server.base + path in stored_before:
                assert site.requests(path) == requested_before[path] == 1, path
            else:
                assert site.requests(path) == requested_before[path] + 1, path
        feed_gets = [h for m, p, h in site.log if p == "/feed.xml"]
        assert len(feed_gets) == 2 and feed_gets[1].get("If-None-Match")
        assert f"{8 - before} stored" in again.stderr.decode()


def test_ctrl_c_finishes_the_current_article_and_stops_cleanly(tmp_path):
    site = _site(8, delay=0.6)
    db = tmp_path / "w.db"
    with Server(site) as server:
        args = [*WATCH, server.base + "/feed.xml", "--every", "3600", "--delay", "0", "--db", str(db)]
        proc, err = _signalled(args, lambda: _stored(db) >= 2, signal.SIGINT, tmp_path)
        requested = sum(site.requests(p) for p in site.items)
    assert proc.returncode == 0, err[-2000:]
    assert "stopping after the current article" in err and "(interrupted)" in err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    stored = _stored(db)
    assert 2 <= stored < 8
    assert stored == requested  # the page in hand when Ctrl-C came was stored, and no other was started


def test_without_once_it_polls_every_interval_until_interrupted(tmp_path):
    site = _site(2, delay=0.0)
    db = tmp_path / "w.db"
    with Server(site) as server:
        args = [*WATCH, server.base + "/feed.xml", "--every", "1", "--delay", "0", "--db", str(db)]
        # SIGTERM, a service manager's stop, does what Ctrl-C does
        proc, err = _signalled(args, lambda: sum(1 for _, p, _ in list(site.log) if p == "/feed.xml") >= 3,
                               signal.SIGTERM, tmp_path)
        feed_gets = [h for m, p, h in site.log if p == "/feed.xml"]
    assert proc.returncode == 0, err[-2000:]
    assert "poll 1: 1 feed, 2 new items, 2 stored" in err and "poll 3: 1 feed (1 not modified)" in err
    assert all(h.get("If-None-Match") for h in feed_gets[1:])
    assert [site.requests(p) for p in site.items] == [1, 1] and _stored(db) == 2
