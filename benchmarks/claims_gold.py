"""Score claim attribution, hedging and negation against a hand-labelled gold set.

benchmarks/data/claims_gold.jsonl holds clauses of the sample corpus (samples/corpus) and the
seed (../shared/seeds), each with the attribution kind, the source as written, hedged and
negated that a careful reader gives it (labelled by hand from docs/ontology.md; a source may list
alternatives separated by "|"). The whole articles are ingested and analysed as `wirewatch
analyze` would; each gold clause is matched to the claim whose span overlaps it most (at least
half of the shorter of the two), and a gold clause with no such claim counts as wrong on every
field. Prints accuracy per field and the errors; writes benchmarks/results/claims_gold.json.

    .venv/bin/python benchmarks/claims_gold.py [--check] [--errors]

`--check` fails (exit 1) when a field's accuracy drops more than 0.02 below the "after" figures
of benchmarks/baselines/claims_gold.json.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.gold_common import below_baseline, load_analyses, print_confusion, read_gold  # noqa: E402
GOLD = ROOT / "benchmarks" / "data" / "claims_gold.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "claims_gold.json"
BASELINE = ROOT / "benchmarks" / "baselines" / "claims_gold.json"
FIELDS = ("found", "kind", "source", "hedged", "negated")


def _norm(text: str | None) -> str:
    text = (text or "").lower().strip(" .,\"'“”")
    for article in ("the ", "a ", "an "):
        if text.startswith(article):
            text = text[len(article):]
    return text


def source_matches(gold: str | None, predicted: str | None) -> bool:
    """A source matches when both are absent or one contains the other (articles and case aside)."""
    if not gold:
        return not predicted
    if not predicted:
        return False
    got = _norm(predicted)
    return any(g and (g in got or got in g) for g in (_norm(alt) for alt in gold.split("|")))


def best_claim(claims, start: int, end: int):
    """The claim overlapping [start, end) most, if it covers half of the shorter span."""
    best, best_overlap = None, 0
    for claim in claims:
        overlap = min(end, claim.end) - max(start, claim.start)
        if overlap > best_overlap or (overlap == best_overlap and best is not None and claim.end - claim.start < best.end - best.start):
            best, best_overlap = claim, overlap
    if best is None or best_overlap < 0.5 * min(end - start, best.end - best.start):
        return None
    return best


def score(rows, by_file):
    """Per-field accuracy, the kind confusion and the list of errors."""
    correct: Counter = Counter()
    confusion: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for row in rows:
        analysis = next((a for a in by_file.get(row["file"], []) if row["text"] in a.article.text), None)
        if analysis is None:
            errors.append({"file": row["file"], "text": row["text"], "problem": "gold text not in any article"})
            continue
        start = analysis.article.text.index(row["text"])
        claim = best_claim(analysis.claims, start, start + len(row["text"]))
        got = {"found": claim is not None}
        if claim is not None:
            assert claim.text == analysis.article.text[claim.start : claim.end]
            got.update(kind=claim.attribution.kind == row["kind"], source=source_matches(row["source"], claim.attribution.source),
                       hedged=claim.hedged == row["hedged"], negated=claim.negated == row["negated"])
            confusion[row["kind"]][claim.attribution.kind] += 1
        else:
            confusion[row["kind"]]["(missed)"] += 1
        for name in FIELDS:
            correct[name] += bool(got.get(name))
        wrong = [name for name in FIELDS if not got.get(name)]
        if wrong:
            errors.append({
                "file": row["file"], "text": row["text"], "wrong": wrong,
                "expected": {k: row[k] for k in ("kind", "source", "hedged", "negated")},
                "got": None if claim is None else {"kind": claim.attribution.kind, "source": claim.attribution.source,
                                                   "hedged": claim.hedged, "negated": claim.negated, "text": claim.text},
            })
    n = len(rows)
    accuracy = {name: round(correct[name] / n, 3) for name in FIELDS}
    return accuracy, {k: dict(v) for k, v in confusion.items()}, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a field drops below the baseline")
    parser.add_argument("--errors", action="store_true", help="print every error")
    args = parser.parse_args()
    rows = read_gold(GOLD)
    t0 = time.perf_counter()
    by_file = load_analyses({r["file"] for r in rows})
    accuracy, confusion, errors = score(rows, by_file)
    seconds = round(time.perf_counter() - t0, 1)
    print(f"claims gold: {len(rows)} clauses from {len({r['file'] for r in rows})} articles files, {seconds}s")
    for name in FIELDS:
        print(f"  {name:8} {accuracy[name]:.3f}")
    print_confusion("kind confusion", confusion, 10)
    if args.errors:
        for err in errors:
            print(json.dumps(err, ensure_ascii=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"clauses": len(rows), "accuracy": accuracy, "kind_confusion": confusion,
                                   "seconds": seconds, "errors": errors}, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.check and BASELINE.exists():
        base = json.loads(BASELINE.read_text(encoding="utf-8"))["after"]["accuracy"]
        low = below_baseline(accuracy, base, FIELDS)
        if low:
            print(f"below baseline: {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
