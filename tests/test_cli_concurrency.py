"""Concurrent use through the real entry points: the web server reads while `wirewatch ingest` writes,
two `wirewatch ingest` runs share one store, and an ingest blocked by another writer fails clearly.

The store-level tests (test_concurrency.py) use a synthetic writer; these run the real pipeline in
subprocesses (WIREWATCH_BATCH_SIZE=8, so there are many commits to interleave with) and the real
FastAPI app under uvicorn in a thread, polled over HTTP on 127.0.0.1 only.
"""
from __future__ import annotations

import re
import sqlite3
import threading
import time

import httpx
import uvicorn

from tests.helpers_faults import (TOWNS, check_sound, check_stories_complete, free_port, in_process_cli, make_corpus,
                                  start_cli, wait_until)
from wirewatch.store import open_store

POLL_LIMIT, POLL_SECONDS, POLL_PAUSE = 1200, 120, 0.1  # bounds on the reader loop, whatever the machine's speed
SUMMARY = re.compile(r"(\d+) added, (\d+) already stored, (\d+) rejected")


class ServerThread:
    """The wirewatch app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, db: str):
        from wirewatch.api.app import create_app

        self.port = free_port()
        config = uvicorn.Config(create_app(db), host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        assert wait_until(lambda: self.server.started, timeout=30), "server did not start"
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def finish(proc) -> tuple[int, str]:
    _, err = proc.communicate(timeout=180)
    return proc.returncode, err


def test_server_reads_while_ingest_writes(tmp_path):
    corpus = tmp_path / "corpus"
    total = sum(make_corpus(corpus, 48, seed=5).values())
    db = str(tmp_path / "live.db")
    with ServerThread(db) as base, httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/api/info").status_code == 200  # the server creates the store first
        proc = start_cli("ingest", str(corpus), "--db", db)
        last = {"articles": 0, "claims": 0, "stories": 0, "listed": 0}
        seen_sizes, polls, began = set(), 0, time.monotonic()
        try:
            while proc.poll() is None and polls < POLL_LIMIT and time.monotonic() - began < POLL_SECONDS:
                polls += 1
                info = client.get("/api/info")
                assert info.status_code == 200, info.text
                counts = info.json()["counts"]
                listed = client.get("/api/stories", params={"limit": 1000})
                assert listed.status_code == 200, listed.text
                now = {"articles": counts["articles"], "claims": counts["claims"], "stories": counts["stories"],
                       "listed": len(listed.json()["stories"])}
                for key, value in now.items():
                    assert value >= last[key], f"{key} went down from {last[key]} to {value}"
                last = now
                seen_sizes.add(now["articles"])
                if listed.json()["stories"]:  # a story a reader sees never names an article it cannot read
                    story = client.get(f"/api/stories/{listed.json()['stories'][0]['id']}")
                    assert story.status_code == 200, story.text
                    for article_id in story.json()["articles"][-2:]:
                        article = client.get(f"/api/articles/{article_id}")
                        assert article.status_code == 200 and article.json()["article"]["id"] == article_id
                found = client.get("/api/search", params={"q": TOWNS[polls % len(TOWNS)]})
                assert found.status_code == 200 and isinstance(found.json()["results"], list), found.text
                page = client.get("/")
                assert page.status_code == 200 and "<html" in page.text.lower()
                time.sleep(POLL_PAUSE)  # pace the reader: the writer needs seconds just to start
        finally:
            code, err = finish(proc)
        assert code == 0, err
        # The reads really interleaved with the writes: more than the empty and the final state were seen.
        assert len(seen_sizes - {0, total}) >= 1, seen_sizes
        final = client.get("/api/info").json()["counts"]
        assert final["articles"] == total
    check_sound(tmp_path / "live.db")
    print(f"{polls} polls of 4-7 requests each, article counts seen: {sorted(seen_sizes)}")


def test_two_ingests_on_one_store_serialize(tmp_path):
    corpus = tmp_path / "corpus"
    total = sum(make_corpus(corpus, 48, seed=9).values())
    files = sorted(str(p) for p in corpus.iterdir())
    third = len(files) // 3
    shared = files[third: 2 * third]
    # Both start with the shared files, so they extract the same batches at the same time and race
    # to store them; then each goes on with inputs of its own.
    first_inputs, second_inputs = shared + files[:third], shared + files[2 * third:]
    db = str(tmp_path / "shared.db")
    procs = [start_cli("ingest", *first_inputs, "--db", db), start_cli("ingest", *second_inputs, "--db", db)]
    results = [finish(p) for p in procs]
    added = 0
    for code, err in results:
        assert "Traceback" not in err, err
        if code == 0:
            added += int(SUMMARY.search(err).group(1))
        else:  # the one allowed failure: a clear busy message, exit status 1
            assert code == 1 and "busy" in err, err
    check_sound(tmp_path / "shared.db")
    with open_store(db) as store:
        stored = store.counts()["articles"]
        check_stories_complete(store)
    if all(code == 0 for code, _ in results):
        assert stored == total and added == total  # each article added by exactly one of the two
    else:
        assert stored == added <= total
    summaries = [m.group(0) for m in (SUMMARY.search(err) for _, err in results) if m]
    print(f"two ingests: exit codes {[c for c, _ in results]} ({'; '.join(summaries)}), {stored} stored of {total}")


def test_ingest_blocked_by_another_writer_fails_clearly(tmp_path, resources, monkeypatch):
    """A writer that holds the lock longer than WIREWATCH_BUSY_TIMEOUT: a one-line busy error, exit 1, store intact."""
    cli = in_process_cli(resources, monkeypatch, WIREWATCH_BUSY_TIMEOUT="0.5")
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 24, seed=3)  # one JSON Lines file of 12, then 12 text files
    db = tmp_path / "locked.db"
    assert cli("ingest", str(corpus / "feed-000.jsonl"), "--db", str(db)).exit_code == 0
    before = open_store(str(db))
    stored = before.counts()["articles"]
    assert stored == 12
    before.close()
    holder = sqlite3.connect(str(db), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer in the middle of a long transaction
    try:
        began = time.monotonic()
        result = cli("ingest", str(corpus), "--db", str(db))
        waited = time.monotonic() - began
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "busy" in result.stderr and "Traceback" not in result.output, result.output
    print(result.stderr.strip().splitlines()[-1])
    assert waited >= 0.5
    check_sound(db)
    with open_store(str(db)) as store:
        assert store.counts()["articles"] == stored  # nothing half-written by the refused run
    assert cli("ingest", str(corpus), "--db", str(db)).exit_code == 0  # and once the lock is free, it goes through
