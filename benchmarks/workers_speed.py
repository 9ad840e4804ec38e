"""Ingest speed with Dask workers: `wirewatch ingest --workers N` for several N on the same corpus.

Usage: .venv/bin/python benchmarks/workers_speed.py [CORPUS] [--workers 1 2] [--rounds 1]

CORPUS defaults to ../shared/data/ecbplus/dev/docs.jsonl. Each run is the real CLI in a fresh
process into a fresh SQLite file, timed from start to exit (start-up, model loading and Dask
start-up included), with the load average around it and the CPU time of the whole process tree
(coordinator and Dask workers); the stores of every run must hold identical
articles, entities, claims and story partitions (checked, printed). The speed-up is the best
`--workers 1` time over the best time of each other N, and the median of each round's ratio (the
runs of a round are back to back). On a virtual machine, `cpu_seconds_stolen_by_host` says how
much CPU the host took meanwhile (from /proc/stat): a run with much of it is slow for reasons of
its own. Writes benchmarks/results/workers_speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "ecbplus" / "dev" / "docs.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "workers_speed.json"


def _stolen() -> float | None:
    """CPU seconds the hypervisor took from this virtual machine so far (Linux), else None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = f.readline().split()
        return int(fields[8]) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def run_once(corpus: Path, workers: int, tmp: str) -> tuple[dict, dict]:
    db = os.path.join(tmp, f"w{workers}-{time.monotonic_ns()}.db")
    cmd = [sys.executable, "-m", "wirewatch.cli", "ingest", str(corpus), "--db", db, "--workers", str(workers)]
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    stolen = _stolen()
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=str(ROOT))
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stolen = None if stolen is None else round(_stolen() - stolen, 2)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"--workers {workers} failed ({done.returncode}): {done.stderr[-2000:]}")
    from tests.store_compare import fingerprint_of

    print_ = fingerprint_of(db)
    return {"workers": workers, "seconds": round(seconds, 2), "cpu_seconds_all_processes": round(cpu, 2),
            "load_before": round(load, 2), "load_after": round(os.getloadavg()[0], 2),
            "cpu_seconds_stolen_by_host": stolen, "articles": print_["counts"]["articles"], "stories": print_["counts"]["stories"]}, print_


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1, help="runs per worker count (interleaved); best is kept")
    args = parser.parse_args(argv)
    corpus = Path(args.corpus)
    if not corpus.exists():
        raise SystemExit(f"corpus not found: {corpus}")
    runs, prints = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for n in args.workers:
                row, print_ = run_once(corpus, n, tmp)
                runs.append(row)
                prints.setdefault(n, print_)
                print(json.dumps(row), flush=True)
    first = prints[args.workers[0]]
    identical = all(p == first for p in prints.values())
    best = {n: min(r["seconds"] for r in runs if r["workers"] == n) for n in args.workers}
    base = best[args.workers[0]]
    # Each round runs every worker count back to back: a round's ratio compares runs made under
    # the same load on the host, which best-of-all does not.
    seconds = {n: [r["seconds"] for r in runs if r["workers"] == n] for n in args.workers}
    per_round = {n: sorted(round(a / b, 2) for a, b in zip(seconds[args.workers[0]], seconds[n])) for n in args.workers}
    out = {"corpus": str(corpus), "runs": runs, "best_seconds": best,
           "speedup_vs_first": {n: round(base / s, 2) for n, s in best.items()},
           "speedup_per_round": per_round,
           "speedup_median_of_rounds": {n: r[len(r) // 2] for n, r in per_round.items()},
           "identical_results": identical, "cpus": os.cpu_count(),
           "command": "benchmarks/workers_speed.py " + " ".join(argv if argv is not None else sys.argv[1:])}
    print(json.dumps({k: v for k, v in out.items() if k != "runs"}, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    if not identical:
        raise SystemExit("the stores differ between worker counts")
    return out


if __name__ == "__main__":
    main()
