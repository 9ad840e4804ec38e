"""Time `analyze` end to end on a corpus and compare it with bare spaCy on the same texts.

Usage: .venv/bin/python benchmarks/analyze_speed.py [CORPUS] [--limit N]

CORPUS defaults to ../shared/data/ecbplus/dev/docs.jsonl when present, else the shipped sample
corpus. Prints articles/s, words/s and peak RSS for wirewatch's whole pipeline (ingest, extract,
geocode, link, stories, in-memory store) and for bare spaCy (`nlp.pipe` with the model exactly as
shipped), each in a fresh subprocess so the peak RSS figures do not mix. wirewatch's own spaCy
pipeline differs from the shipped one (a paragraph splitter; a faster attribute ruler writing the
same annotations, see wirewatch/resources.py), so it is timed alone too ("pipeline"): wirewatch vs
spacy is the headline ratio, wirewatch vs pipeline what extraction, linking and stories add.
Each side also reports its process CPU time (all threads), which other jobs on a shared machine
disturb far less than wall time, and the load average before it ran; `--rounds N` alternates the
three sides N times and keeps each side's best. Writes benchmarks/results/analyze_speed.json.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = [ROOT.parent / "shared" / "data" / "ecbplus" / "dev" / "docs.jsonl", ROOT / "samples" / "corpus"]
RESULTS = ROOT / "benchmarks" / "results" / "analyze_speed.json"


def _limited_copy(corpus: Path, limit: int | None) -> Path:
    """A JSON Lines corpus cut to `limit` records, so a quick run stays quick."""
    if limit is None or corpus.is_dir():
        return corpus
    out = Path(tempfile.mkdtemp()) / corpus.name
    with corpus.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for i, line in enumerate(src):
            if i >= limit:
                break
            dst.write(line)
    return out


def _child_wirewatch(corpus: str) -> dict:
    from wirewatch.pipeline import analyze
    from wirewatch.resources import Resources

    resources = Resources().preload()  # models and data load outside the timed part, as spaCy's does
    start, cpu = time.perf_counter(), time.process_time()
    result, report = analyze([corpus], resources=resources)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    words = sum(len(a.text.split()) for a in result.articles)
    return {"articles": len(result.articles), "words": words, "seconds": elapsed, "cpu_seconds": cpu,
            "stories": len(result.stories), "claims": len(result.claims), "rejected": len(report.rejected)}


def _child_spacy(corpus: str, shipped: bool = True) -> dict:
    import spacy

    from wirewatch.config import Limits
    from wirewatch.ingest import expand_paths, read_path
    from wirewatch.model import Article
    from wirewatch.resources import Resources

    texts = [a.text for p in expand_paths([corpus]) for a in read_path(p, Limits()) if isinstance(a, Article)]
    # The pipeline as spaCy ships it, or wirewatch's variant of it (to show what extraction adds on top).
    nlp = spacy.load(Resources().nlp_model) if shipped else Resources().nlp
    start, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"articles": len(texts), "words": sum(len(t.split()) for t in texts), "seconds": elapsed, "cpu_seconds": cpu}


def _child_pipeline(corpus: str) -> dict:
    return _child_spacy(corpus, shipped=False)


def _run_child(kind: str, corpus: Path) -> dict:
    code = (f"import json, resource, sys; sys.path.insert(0, {str(ROOT)!r});"
            f"from benchmarks.analyze_speed import _child_{kind} as run;"
            f"r = run({str(corpus)!r});"
            "r['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024;"
            "print(json.dumps(r))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="file or directory (default: ECB+ dev, else samples)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N JSON Lines records")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the two sides N times; keep each side's best")
    args = parser.parse_args()
    corpus = Path(args.corpus) if args.corpus else next(p for p in DEFAULT_CORPORA if p.exists())
    used = _limited_copy(corpus, args.limit)

    figures: dict[str, dict] = {}
    for _ in range(args.rounds):
        for kind in ("wirewatch", "spacy", "pipeline"):
            load = os.getloadavg()[0]
            r = _run_child(kind, used)
            r["load_before"] = load
            best = figures.get(kind)
            figures[kind] = r if best is None else {**min(best, r, key=lambda x: x["seconds"]),
                                                    "cpu_seconds": min(best["cpu_seconds"], r["cpu_seconds"])}
    for kind, r in figures.items():
        r["articles_per_s"] = r["articles"] / r["seconds"]
        r["words_per_s"] = r["words"] / r["seconds"]
        figures[kind] = r
        print(f"{kind:>9}: {r['articles']} articles, {r['words']} words in {r['seconds']:.1f} s "
              f"({r['cpu_seconds']:.1f} s CPU, load {r['load_before']:.1f} before) -> "
              f"{r['articles_per_s']:.1f} articles/s, {r['words_per_s']:.0f} words/s, peak RSS {r['peak_rss_mb']:.0f} MB")
    own = figures["wirewatch"]["seconds"] / figures["pipeline"]["seconds"]
    print(f"(pipeline = wirewatch's spaCy pipeline alone; everything wirewatch does beyond it costs "
          f"{own - 1:.2f}x its time)")
    ratio = figures["wirewatch"]["seconds"] / figures["spacy"]["seconds"]
    cpu_ratio = figures["wirewatch"]["cpu_seconds"] / figures["spacy"]["cpu_seconds"]
    print(f"wirewatch takes {ratio:.2f}x the time of bare spaCy on the same texts ({cpu_ratio:.2f}x its CPU time): "
          f"{1 / ratio:.2f} of bare spaCy's speed ({1 / cpu_ratio:.2f} by CPU time)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "corpus": str(corpus), "limit": args.limit, "machine": platform.platform(),
        "python": platform.python_version(), "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        **figures, "time_ratio_vs_spacy": ratio, "cpu_time_ratio_vs_spacy": cpu_ratio,
        "speed_vs_spacy": 1 / ratio, "time_ratio_vs_own_pipeline": own, "cpu_speed_vs_spacy": 1 / cpu_ratio, "rounds": args.rounds}, indent=2))
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
