"""Crash safety of `wirewatch ingest` itself: SIGKILL the real CLI mid-run, then the store is sound and a re-run completes.

The store's own crash tests (test_crash_safety.py) kill a synthetic writer; these kill the real
pipeline (extraction, linking, stories) on a generated corpus of small articles in JSON Lines and
text files, with WIREWATCH_BATCH_SIZE=8 so a run commits many batches. One store goes through three
kills at different moments, checked after each:

1. from outside, a random 0-0.3 s after a reader (polling the file read-only) first sees a
   committed batch: usually while the next batch is being extracted or written;
2. from inside, on the 4th `add_analysis` of the run's 2nd batch: the batch's transaction is open
   with half its articles written;
3. from inside, on the run's first `save_story`: every article of the batch is written, its stories
   are not.

After each kill: `PRAGMA integrity_check` is ok, no foreign-key violation, no row of any
article-keyed table (read from the schema) points to a missing article, the full-text index
matches, only whole batches are stored, every stored article is in a story, and every stored
article's extraction equals that of a clean ingest of the same corpus. Finally a re-run exits 0
and stores each article exactly once.
"""
from __future__ import annotations

import os
import random
import signal
import time

import pytest

from tests.helpers_faults import (check_sound, check_stories_complete, committed_articles, extraction_fingerprint,
                                  make_corpus, run_cli, run_cli_killed_at, start_cli, wait_until)
from wirewatch.config import Limits
from wirewatch.store import open_store

TOTAL, BATCH = 64, 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    directory = tmp_path_factory.mktemp("crash") / "corpus"
    formats = make_corpus(directory, TOTAL, seed=23)
    assert formats["jsonl"] and formats["text"]
    return directory


@pytest.fixture(scope="module")
def reference(corpus, resources, tmp_path_factory):
    """From a clean, uninterrupted ingest of the corpus (in process): extraction fingerprints, story partition, counts."""
    from wirewatch.pipeline import Wirewatch

    db = tmp_path_factory.mktemp("reference") / "clean.db"
    with Wirewatch(str(db), resources=resources, limits=Limits(batch_size=BATCH)) as ww:
        report = ww.ingest([str(corpus)])
        assert len(report.added) == TOTAL and not report.rejected
        return {"extraction": extraction_fingerprint(ww.store), "stories": partition(ww.store),
                "counts": ww.store.counts()}


def partition(store) -> list[tuple[str, ...]]:
    """Which articles are grouped together, ignoring story ids and order."""
    return sorted(tuple(sorted(story.articles)) for story in store.list_stories())


def check_after_kill(db, reference) -> int:
    """Assert the killed store is sound and holds only whole, correctly extracted batches; return its size."""
    check_sound(db)
    with open_store(str(db)) as store:
        stored = extraction_fingerprint(store)
        assert stored == {aid: reference["extraction"][aid] for aid in stored}  # no half-written or different article
        check_stories_complete(store)
        assert store.counts()["articles"] == len(stored)
    assert len(stored) % BATCH == 0, f"{len(stored)} articles stored: a partial batch survived"
    return len(stored)


def kill(proc) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"the ingest ended (status {proc.returncode}) before the kill: {err}"


def test_sigkill_at_three_moments_then_rerun_completes(corpus, reference, tmp_path):
    db = tmp_path / "store.db"
    args = ("ingest", str(corpus), "--db", str(db))
    sizes = []

    # 1: outside kill at a random moment after a reader first sees a committed batch.
    proc = start_cli(*args)
    try:
        assert wait_until(lambda: committed_articles(db) >= BATCH or proc.poll() is not None, timeout=120)
        time.sleep(random.Random().uniform(0.0, 0.3))
    finally:
        kill(proc)
    sizes.append(check_after_kill(db, reference))
    assert 0 < sizes[-1] <= TOTAL - 3 * BATCH

    # 2: inside the 2nd batch's transaction, half its articles written: only the 1st batch survives.
    done = run_cli_killed_at("add_analysis", BATCH + BATCH // 2, *args)
    assert done.returncode == -signal.SIGKILL, done.stderr
    sizes.append(check_after_kill(db, reference))
    assert sizes[-1] == sizes[-2] + BATCH

    # 3: all of a batch's articles written, its stories not yet: the whole batch vanishes.
    done = run_cli_killed_at("save_story", 1, *args)
    assert done.returncode == -signal.SIGKILL, done.stderr
    sizes.append(check_after_kill(db, reference))
    assert sizes[-1] == sizes[-2]

    # The re-run skips what survived, adds the rest, and stores each article once.
    done = run_cli(*args)
    assert done.returncode == 0, done.stderr
    assert f"{TOTAL - sizes[-1]} added, {sizes[-1]} already stored, 0 rejected" in done.stderr
    check_sound(db)
    with open_store(str(db)) as store:
        assert store.counts()["articles"] == TOTAL
        assert extraction_fingerprint(store) == reference["extraction"]
        check_stories_complete(store)
        # Kills leave whole batches, so the re-runs' batches line up with the clean run's: the same
        # stories and the same counts of everything show that no killed batch left state behind.
        assert partition(store) == reference["stories"]
        assert store.counts() == reference["counts"]
    print(f"articles stored after each of 3 kills: {sizes}; after the re-run: {TOTAL}")
