"""Time `wirewatch watch --once` on a local site serving the sample corpus as a live feed.

Usage: .venv/bin/python benchmarks/watch_poll.py [--delay SECONDS]

The sample corpus's pages (HTML as served, text files wrapped in <p> paragraphs) are served on
127.0.0.1 by the test news site (tests/newssite.py), listed in one RSS feed with an ETag. Two
polls run, each in a fresh `wirewatch watch --once` process: the first fetches and stores every
page, the second gets a 304 and fetches nothing. Prints wall time, pages per second and peak RSS
of each; writes benchmarks/results/watch_poll.json. Nothing leaves the loopback interface.
"""
from __future__ import annotations

import argparse
import html
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.newssite import NewsSite, Server  # noqa: E402

CORPUS = ROOT / "samples" / "corpus"
RESULTS = ROOT / "benchmarks" / "results" / "watch_poll.json"


def corpus_site() -> NewsSite:
    """Every sample article as a page of one feed."""
    site = NewsSite(items=[], fail_once=set())
    for path in sorted(CORPUS.iterdir()):
        if path.suffix == ".html":
            page = path.read_text(encoding="utf-8")
        elif path.suffix == ".txt":
            title, _, body = path.read_text(encoding="utf-8").partition("\n")
            paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
            page = f"<html><head><title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{paragraphs}</body></html>"
        else:
            continue
        url_path = f"/corpus/{path.stem}"
        site.items.append(url_path)
        site.extra_pages[url_path] = page
        site.extra_entries[url_path] = (path.stem.replace("-", " "), "")
    return site


def poll(feed: str, db: str, delay: float) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "wirewatch.cli", "watch", feed, "--once", "--delay", str(delay),
                           "--db", db], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    return {"seconds": round(seconds, 2), "exit": done.returncode, "summary": summary,
            "peak_rss_mb": round(max(peak, before) / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--delay", type=float, default=0.0, help="per-host delay passed to watch (default 0)")
    args = parser.parse_args()
    site = corpus_site()
    with tempfile.TemporaryDirectory() as tmp, Server(site) as server:
        db = str(Path(tmp) / "watch.db")
        first = poll(server.base + "/feed.xml", db, args.delay)
        second = poll(server.base + "/feed.xml", db, args.delay)
    pages = len(site.items)
    result = {"pages": pages, "delay": args.delay, "first_poll": first, "second_poll": second,
              "pages_per_second": round(pages / first["seconds"], 2), "machine": platform.machine(),
              "python": platform.python_version()}
    print(f"{pages} pages: first poll {first['seconds']} s ({result['pages_per_second']} pages/s, "
          f"peak RSS {first['peak_rss_mb']} MB) - {first['summary']}")
    print(f"second poll (unchanged feed): {second['seconds']} s - {second['summary']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if first["exit"] == 0 and second["exit"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
