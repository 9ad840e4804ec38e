"""Count the cited edges of each story's actor graph on a corpus (default: the shipped samples).

An edge is one claim by which an actor acts on another (wirewatch.stories.graph); each carries its
claim's exact span as citation. The goal on the sample corpus: every story with three or more
reports has at least three cited edges. Prints per story its reports, edges (claims), distinct
actor pairs and how many edges have a generic agent ("the army", "protesters") at one end, then
the share of 3+-report stories that reach three edges; writes benchmarks/results/actor_graph.json.

    .venv/bin/python benchmarks/actor_graph.py [CORPUS]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "benchmarks" / "results" / "actor_graph.json"


def main() -> int:
    from wirewatch.extract.agents import is_generic_agent
    from wirewatch.pipeline import Wirewatch
    from wirewatch.stories.graph import story_edges

    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "samples" / "corpus"
    t0 = time.perf_counter()
    rows = []
    with Wirewatch(":memory:") as ww:
        ww.ingest([str(corpus)])
        for story in ww.store.list_stories():
            analyses = [ww.store.get_analysis(a) for a in story.articles]
            agents = {e.id for a in analyses for e in a.entities if is_generic_agent(e)}
            edges = story_edges(analyses)
            rows.append({
                "story": story.id, "title": story.title, "reports": len(story.articles),
                "edges": sum(e.count for e in edges), "pairs": len(edges),
                "agent_edges": sum(e.count for e in edges if e.source in agents or e.target in agents),
            })
    elapsed = time.perf_counter() - t0
    big = [r for r in rows if r["reports"] >= 3]
    reached = [r for r in big if r["edges"] >= 3]
    for r in sorted(rows, key=lambda r: -r["reports"]):
        print(f"{r['reports']:2} reports  {r['edges']:3} edges  {r['pairs']:3} pairs  {r['agent_edges']:3} with an agent  {r['title'][:60]}")
    print(f"stories with 3+ reports and 3+ cited edges: {len(reached)}/{len(big)} ({elapsed:.0f} s)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"corpus": str(corpus), "stories": rows, "big_stories": len(big),
                                   "big_with_3_edges": len(reached)}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
