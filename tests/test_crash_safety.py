"""Crash safety: SIGKILL a writer mid-batch, then the store is sound, holds only whole batches, and a re-run completes.

The writer (tests/store_writer.py) stores batches of articles, each batch with its claims,
mentions, quantities, dates and story in one transaction. Kills land at different moments: right
after a commit (as the next batch starts), while a transaction is open with its uncommitted pages
already spilled into the WAL file, and at a fixed time into the run.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.store_writer import check_consistent

WRITER = str(Path(__file__).with_name("store_writer.py"))
TOTAL, BATCH = 240, 20


def start_writer(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, WRITER, str(db), "--count", str(TOTAL), "--batch", str(BATCH), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(proc: subprocess.Popen, wanted: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError(f"writer ended before {wanted!r}: {proc.stderr.read()}")
        if line.strip() == wanted:
            return
    raise AssertionError(f"no {wanted!r} within {timeout} s")


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL  # it really died by the kill, not by finishing
    proc.stdout.close()
    proc.stderr.close()


def rerun_completes(db: Path) -> None:
    done = subprocess.run([sys.executable, WRITER, str(db), "--count", str(TOTAL), "--batch", str(BATCH)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    stored_before = int(done.stdout.strip().splitlines()[-1].split("skipped=")[1])
    counts = check_consistent(str(db), batch=BATCH)
    assert counts["articles"] == TOTAL  # each article stored once: the re-run skipped what survived
    assert stored_before % BATCH == 0


@pytest.mark.parametrize("moment", ["after_commit", "inside_transaction", "timed"])
def test_sigkill_leaves_whole_batches_and_rerun_completes(tmp_path, moment):
    db = tmp_path / "crash.db"
    if moment == "after_commit":
        proc = start_writer(db)
        wait_for_line(proc, "committed 3")
    elif moment == "inside_transaction":
        proc = start_writer(db, "--pause-in-batch", "4", "--spill")
        wait_for_line(proc, "paused")
        assert Path(f"{db}-wal").stat().st_size > 0  # uncommitted pages are on disk when we kill
    else:
        proc = start_writer(db, "--delay", "0.03")
        wait_for_line(proc, "committed 1")
        time.sleep(0.1)
    kill(proc)

    counts = check_consistent(str(db), batch=BATCH)
    assert 0 < counts["articles"] < TOTAL
    if moment == "inside_transaction":
        assert counts["articles"] == 4 * BATCH  # the open batch vanished entirely
    rerun_completes(db)


def test_repeated_kills_on_one_store(tmp_path):
    """Four kill-and-restart cycles on the same file, each at a later point, then a clean finish."""
    db = tmp_path / "repeat.db"
    stored = []
    for cycle in range(1, 5):
        proc = start_writer(db, "--spill")
        wait_for_line(proc, f"committed {2 * cycle}")
        kill(proc)
        stored.append(check_consistent(str(db), batch=BATCH)["articles"])
    assert stored == sorted(stored) and stored[-1] < TOTAL  # progress kept, nothing lost, not yet done
    rerun_completes(db)
