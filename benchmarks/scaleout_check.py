"""Issue 14's end-to-end check with the real CLI: workers, PostgreSQL, and a kill -9 then a re-run.

Usage: .venv/bin/python benchmarks/scaleout_check.py [CORPUS] [--kill-after 12 10]

CORPUS defaults to ../shared/data/ecbplus/dev/docs.jsonl. Runs `wirewatch ingest CORPUS` into
SQLite with `--workers 1` (the reference) and `--workers 2`; into a PostgreSQL database with
`--workers 1`; and into a second PostgreSQL database with `--workers 2`, killed with SIGKILL
(the whole process group, workers included) the given seconds after each start, then run to the
end. Every store must hold what the reference holds: the same articles, entities with their
mention counts, claims and story partitions (`tests/store_compare.py`). PostgreSQL is a
throw-away server started and stopped here (`tests/pgserver.py`; `make test` installs it).
Prints each step and writes benchmarks/results/scaleout_check.json; exits 1 when a store differs.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "ecbplus" / "dev" / "docs.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "scaleout_check.json"


def _command(corpus: str, db: str, workers: int) -> list[str]:
    return [sys.executable, "-m", "wirewatch.cli", "ingest", corpus, "--db", db, "--workers", str(workers)]


def _stored(db: str) -> tuple[dict, dict]:
    from tests.store_compare import fingerprint_of

    print_ = fingerprint_of(db)
    return print_, print_["counts"]


def _ingest(corpus: str, db: str, workers: int) -> float:
    start = time.perf_counter()
    done = subprocess.run(_command(corpus, db, workers), capture_output=True, text=True, cwd=str(ROOT))
    if done.returncode != 0:
        raise SystemExit(f"ingest --workers {workers} into {db} failed ({done.returncode}): {done.stderr[-2000:]}")
    return round(time.perf_counter() - start, 2)


def _killed(corpus: str, db: str, workers: int, after: float) -> dict:
    """Start an ingest, SIGKILL its process group `after` seconds later; what was stored by then."""
    proc = subprocess.Popen(_command(corpus, db, workers), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            cwd=str(ROOT), start_new_session=True)
    try:
        proc.wait(timeout=after)
        finished = True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        finished = False
    return {"killed_after_seconds": after, "finished_before_the_kill": finished, "stored": _stored(db)[1]}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--kill-after", type=float, nargs="+", default=[12.0, 10.0],
                        help="seconds after each start of the killed ingest (one kill per value)")
    args = parser.parse_args(argv)
    if not Path(args.corpus).exists():
        raise SystemExit(f"corpus not found: {args.corpus}")
    from tests.pgserver import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL binaries (initdb, pg_ctl): run `make system-deps`")
    steps: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        reference_db = os.path.join(tmp, "w1.db")
        seconds = _ingest(args.corpus, reference_db, 1)
        reference, counts = _stored(reference_db)
        steps.append({"step": "sqlite --workers 1 (reference)", "seconds": seconds, "counts": counts})
        print(json.dumps(steps[-1]), flush=True)

        def check(name: str, db: str, **extra) -> None:
            print_, counts = _stored(db)
            steps.append({"step": name, **extra, "counts": counts, "identical": print_ == reference})
            print(json.dumps(steps[-1]), flush=True)

        workers_db = os.path.join(tmp, "w2.db")
        check("sqlite --workers 2", workers_db, seconds=_ingest(args.corpus, workers_db, 2))
        server = PostgresServer(bindir).start()
        try:
            url = server.create_database()
            check("postgresql --workers 1", url, seconds=_ingest(args.corpus, url, 1))
            url = server.create_database()
            kills = [_killed(args.corpus, url, 2, after) for after in args.kill_after]
            for kill in kills:
                print(json.dumps(kill), flush=True)
            check("postgresql --workers 2, killed with SIGKILL, then run again", url, kills=kills,
                  seconds=_ingest(args.corpus, url, 2))
        finally:
            server.stop()
    out = {"corpus": args.corpus, "steps": steps, "all_identical": all(s.get("identical", True) for s in steps),
           "command": "benchmarks/scaleout_check.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print("all stores identical to the reference" if out["all_identical"] else "STORES DIFFER", flush=True)
    if not out["all_identical"]:
        raise SystemExit(1)
    return out


if __name__ == "__main__":
    main()
