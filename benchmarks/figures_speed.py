"""Time the figure series of every story of the shipped sample corpus, against the rest of build_story.

Usage: .venv/bin/python benchmarks/figures_speed.py [--runs N]

Ingests samples/corpus into an in-memory store, then builds every story N times with and without
figure series (stories/figures.py) and prints the median cost per report. Writes
benchmarks/results/figures_speed.json. In-sample corpus (the figures were developed on it); the
figure is a speed, not a quality score.
"""
from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "figures_speed.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    import wirewatch.stories as stories
    from wirewatch.pipeline import Wirewatch

    ww = Wirewatch(":memory:")
    ww.ingest([str(ROOT / "samples" / "corpus")])
    sets = [[ww.store.get_analysis(a) for a in s.articles] for s in ww.store.list_stories()]
    reports = sum(len(s) for s in sets)

    def timed() -> float:
        started = time.perf_counter()
        for analyses in sets:
            stories.build_story("bench", analyses)
        return time.perf_counter() - started

    with_figures = statistics.median(timed() for _ in range(args.runs))
    real = stories.build_figures
    stories.build_figures = lambda *a: ([], [])
    try:
        without = statistics.median(timed() for _ in range(args.runs))
    finally:
        stories.build_figures = real
    result = {
        "stories": len(sets), "reports": reports, "runs": args.runs,
        "build_story_ms_without_figures": round(without * 1000, 1),
        "build_story_ms_with_figures": round(with_figures * 1000, 1),
        "figures_ms_per_report": round((with_figures - without) / reports * 1000, 2),
        "python": platform.python_version(),
    }
    print(f"{len(sets)} stories, {reports} reports: build_story {result['build_story_ms_without_figures']} ms without "
          f"figure series, {result['build_story_ms_with_figures']} ms with ({result['figures_ms_per_report']} ms per report)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    ww.close()


if __name__ == "__main__":
    main()
