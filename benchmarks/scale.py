"""Scale: ingest a synthetic stream of up to 100,000 reports into a store, batch by batch.

Usage: .venv/bin/python benchmarks/scale.py [--n 100000] [--batch 64] [--e2e 1000] [--db postgresql://...]

What is measured: linking + store writes + streaming story clustering and story rebuilds (the
part of the pipeline whose cost could grow with the corpus), on analyses the generator builds
(benchmarks/corpus_gen.py) — not spaCy extraction, which runs per article at a fixed ~10-20
articles/s on 2 cores whatever the corpus size. For each checkpoint (1k, 10k, 100k) it reports
the rate over the last 1,000 articles before it (the marginal per-article cost), the cumulative
rate, peak RSS, and the story ARI against the generator's story numbers. `--e2e N` also times the
full pipeline with spaCy extraction on the first N generated texts (a separate, smaller figure).
`--db postgresql://USER@HOST:PORT/DBNAME` runs into that (empty) PostgreSQL database instead of a
temporary SQLite file, and writes benchmarks/results/scale-postgres.json; default
benchmarks/results/scale.json. Each checkpoint also gives this process's CPU time per article
(`cpu_ms_per_article_window`; with PostgreSQL the server's own CPU is not in it), steadier than
wall time when other jobs share the machine.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus_gen import generate  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "scale.json"
RESULTS_PG = ROOT / "benchmarks" / "results" / "scale-postgres.json"
CHECKPOINTS = (1_000, 10_000, 100_000)
WINDOW = 1_000


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(n: int, batch_size: int, db: str) -> dict:
    """Ingest `n` generated reports in batches, one transaction per batch as the pipeline does."""
    from sklearn.metrics import adjusted_rand_score

    from wirewatch.resolve.linking import link_entities
    from wirewatch.store import open_store
    from wirewatch.stories import update_stories

    checkpoints = [c for c in CHECKPOINTS if c <= n] or [n]
    stamps: dict[int, float] = {}
    cpu: dict[int, float] = {}
    rows = []
    gold: list[int] = []
    ids: list[str] = []
    done = 0
    start = time.perf_counter()
    cpu_start = time.process_time()
    batch: list = []
    with open_store(db) as store:
        def flush():
            nonlocal done
            analyses = [a for a, _ in batch]
            with store.transaction():
                link_entities(analyses, store)
                for a in analyses:
                    store.add_analysis(a)
                update_stories(analyses, store)
            for a, story in batch:
                gold.append(story)
                ids.append(a.article.id)
            done += len(batch)
            batch.clear()
            stamps[done] = time.perf_counter()
            cpu[done] = time.process_time()

        for analysis, story in generate(n):
            batch.append((analysis, story))
            nxt = next((c for c in checkpoints if c > done), n)
            if len(batch) >= batch_size or done + len(batch) >= nxt:
                flush()
            if done in checkpoints and (not rows or rows[-1]["articles"] != done):
                before = max(k for k in stamps if k <= done - WINDOW) if done > WINDOW else 0
                t0 = stamps.get(before, start)
                window_rate = (done - before) / (stamps[done] - t0)
                window_cpu = (cpu[done] - cpu.get(before, cpu_start)) / (done - before)
                sample = slice(max(0, done - 5_000), done)  # ARI on the latest reports: bounded cost
                pred = [store.story_of_article(a) for a in ids[sample]]
                rows.append({
                    "articles": done,
                    "window_articles_per_s": round(window_rate, 1),
                    "cumulative_articles_per_s": round(done / (stamps[done] - start), 1),
                    "ms_per_article_window": round(1000 / window_rate, 2),
                    "cpu_ms_per_article_window": round(1000 * window_cpu, 2),
                    "peak_rss_mb": _rss_mb(),
                    "stories": store.counts()["stories"],
                    "ari_last_5000": round(adjusted_rand_score(gold[sample], pred), 4),
                    "elapsed_s": round(stamps[done] - start, 1),
                })
                print(json.dumps(rows[-1]), flush=True)
        if batch:
            flush()
    return {"checkpoints": rows}


def end_to_end(n: int) -> dict:
    """Full pipeline (spaCy extraction included) on the first `n` generated texts, in an in-memory store."""
    from wirewatch.pipeline import Wirewatch

    articles = [a.article for a, _ in generate(n)]
    for a in articles:
        a.id = "e" + a.id[1:]
    with Wirewatch(":memory:") as ww:
        ww.resources.nlp  # load outside the timed part
        start = time.perf_counter()
        ww.ingest_articles(articles)
        elapsed = time.perf_counter() - start
        stories = ww.store.counts()["stories"]
    return {"articles": n, "seconds": round(elapsed, 1), "articles_per_s": round(n / elapsed, 1), "stories": stories}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--e2e", type=int, default=0, help="also time the full pipeline on this many texts")
    parser.add_argument("--db", help="an empty PostgreSQL database URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    measured = "linking + store + stories on generated analyses (no spaCy extraction)"
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "scale.db")
        out = {"n": args.n, "batch": args.batch, "measured": measured, **run(args.n, args.batch, db)}
        out["db_mb"] = _db_mb(db)
    if args.db:
        out["backend"] = "postgresql"
    rows = out["checkpoints"]
    if len(rows) >= 2:
        out["cost_ratio_last_vs_first"] = round(rows[0]["window_articles_per_s"] / rows[-1]["window_articles_per_s"], 2)
        out["cpu_cost_ratio_last_vs_first"] = round(rows[-1]["cpu_ms_per_article_window"]
                                                    / rows[0]["cpu_ms_per_article_window"], 2)
    if args.e2e:
        out["end_to_end"] = end_to_end(args.e2e)
    print(json.dumps({k: v for k, v in out.items() if k != "checkpoints"}, indent=2))
    results = RESULTS_PG if args.db else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


def _db_mb(db: str) -> float:
    """Size of the store: the SQLite file, or the PostgreSQL database."""
    from wirewatch.store.postgres import is_server_url

    if not is_server_url(db):
        return round(Path(db).stat().st_size / 2**20, 1)
    import psycopg

    with psycopg.connect(db) as conn:
        return round(conn.execute("SELECT pg_database_size(current_database())").fetchone()[0] / 2**20, 1)


if __name__ == "__main__":
    main()
