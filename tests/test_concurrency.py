"""Concurrent use: readers see whole committed batches while a writer runs; writers serialize or fail clearly."""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.store_writer import CLAIMS, MENTIONS, check_consistent
from wirewatch.errors import StoreBusyError
from wirewatch.model import Article, ArticleAnalysis
from wirewatch.store import open_store

WRITER = str(Path(__file__).with_name("store_writer.py"))
BATCH = 20


def writer(db: Path, start: int, count: int, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, WRITER, str(db), "--start", str(start), "--count", str(count), "--batch", str(BATCH), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return out


def test_reader_sees_consistent_snapshots_while_a_writer_runs(tmp_path):
    db = tmp_path / "rw.db"
    open_store(str(db)).close()  # created before the writer so the reader can open it at once
    proc = writer(db, 0, 240, "--delay", "0.005")
    seen, errors = set(), []
    with open_store(str(db)) as store:
        while proc.poll() is None:
            try:
                counts = store.counts()  # one snapshot: the ratios hold only if no batch is half-visible
                n = counts["articles"]
                assert counts["claims"] == CLAIMS * n and counts["mentions"] == MENTIONS * n
                assert n % BATCH == 0 and counts["stories"] == n // BATCH
                stories = store.list_stories()
                assert all(len(s.articles) == BATCH for s in stories)
                hits = store.search("kessra dam", limit=5)
                assert min(5, n) <= len(hits) <= 5  # a later call: the store may have grown since counts()
                seen.add(n)
            except Exception as exc:  # collect, so the writer is still reaped
                errors.append(exc)
                break
    finish(proc)
    assert not errors, errors
    assert len(seen) >= 3, seen  # the reads really interleaved with the writes
    assert check_consistent(str(db), batch=BATCH)["articles"] == 240


def test_reader_threads_share_one_store_while_a_writer_runs(tmp_path):
    db = tmp_path / "threads.db"
    open_store(str(db)).close()
    proc = writer(db, 0, 200, "--delay", "0.005")
    errors: list[Exception] = []
    with open_store(str(db)) as store:
        def read():
            try:
                while proc.poll() is None:
                    counts = store.counts()
                    assert counts["claims"] == CLAIMS * counts["articles"]
                    store.list_articles(limit=10)
            except Exception as exc:
                errors.append(exc)

        threads = [threading.Thread(target=read) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finish(proc)
    assert not errors, errors


def test_two_writers_serialize_and_store_each_article_once(tmp_path):
    db = tmp_path / "ww.db"
    first, second = writer(db, 0, 200), writer(db, 100, 200)  # overlapping ranges: 100..199 raced for
    outputs = [finish(first), finish(second)]
    added = sum(int(o.split("added=")[1].split()[0]) for o in outputs)
    assert added == 300  # every article added by exactly one writer
    counts = check_consistent(str(db))
    assert counts["articles"] == 300 and counts["claims"] == 300 * CLAIMS


def test_blocked_writer_gets_a_clear_busy_error(tmp_path):
    db = tmp_path / "busy.db"
    holder = writer(db, 0, 100, "--pause-in-batch", "1")
    assert holder.stdout.readline().strip() == "committed 1"
    assert holder.stdout.readline().strip() == "paused"  # now holding the write lock
    try:
        with open_store(str(db), busy_timeout=0.3) as store:
            assert store.counts()["articles"] == BATCH  # reading is not blocked by the writer
            began = time.monotonic()
            with pytest.raises(StoreBusyError) as caught:
                store.add_analysis(ArticleAnalysis(article=Article(id="x", title="t", text="t")))
            waited = time.monotonic() - began
            assert 0.25 <= waited < 5
            message = str(caught.value)
            assert str(db) in message and "busy" in message and "0.3 s" in message
            assert not store.has_article("x")
    finally:
        holder.kill()
        holder.communicate()
    check_consistent(str(db), batch=BATCH)


def test_busy_error_in_process_and_recovery(tmp_path):
    db = str(tmp_path / "two.db")
    with open_store(db) as a, open_store(db, busy_timeout=0.1) as b:
        with a.transaction():
            a.set_state("k", {"v": 1})
            with pytest.raises(StoreBusyError):
                b.set_state("k", {"v": 2})
            assert b.get_state("k") is None  # b reads the last committed state, not a's pending write
        b.set_state("k", {"v": 2})  # once a commits, b writes normally
        assert a.get_state("k") == {"v": 2}
