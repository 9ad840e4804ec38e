"""Score claim predicates against the PLOVER gold-standard sentences (../shared/data/plover).

For each gold sentence, wirewatch's claims are extracted and the sentence's predicted type is
the PLOVER type (`Claim.plover`, from the derived CAMEO/PLOVER event lexicon, else the hand
lexicon's nearest PLOVER type) of the longest claim that has one (the main or reported clause
spans more of the sentence than a coordinated side clause); a negated act counts as REJECT, as
PLOVER codes refusals. Prints accuracy and a per-type confusion table; writes
benchmarks/results/plover_predicates.json.

    .venv/bin/python benchmarks/plover_predicates.py [--check]

`--check` fails (exit 1) when accuracy drops below benchmarks/baselines/plover_predicates.json
by more than 0.02 (one or two sentences of 161 move accuracy by ~0.006 each: don't fail on noise).
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
DATA = ROOT.parent / "shared" / "data" / "plover" / "gsr.dev.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "plover_predicates.json"
BASELINE = ROOT / "benchmarks" / "baselines" / "plover_predicates.json"


def sentence_type(claims) -> str:
    """PLOVER type of a sentence: its longest claim with a PLOVER event (a negated one is REJECT)."""
    for claim in sorted(claims, key=lambda c: c.start - c.end):
        if claim.plover:
            return "REJECT" if claim.negated else claim.plover
    return "STATEMENT"


def confusion_table(confusion: dict) -> str:
    """Rows gold, columns predicted, as aligned text."""
    cols = sorted({p for c in confusion.values() for p in c} | set(confusion))
    short = {c: c[:5] for c in cols}
    lines = ["gold \\ pred  " + " ".join(f"{short[c]:>5}" for c in cols)]
    for gold in sorted(confusion):
        lines.append(f"{gold:12} " + " ".join(f"{confusion[gold].get(c, 0) or '.':>5}" for c in cols))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when accuracy falls below the baseline")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"missing {DATA}", file=sys.stderr)
        return 2
    from wirewatch.extract.claims import find_claims
    from wirewatch.model import Article
    from wirewatch.resources import Resources

    nlp = Resources().nlp
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"].strip().lstrip("{").strip() for r in rows]
    t0 = time.perf_counter()
    confusion: dict[str, Counter] = defaultdict(Counter)
    correct = 0
    for row, text, doc in zip(rows, texts, nlp.pipe(texts)):
        article = Article(id=row["id"], title="", text=text)
        predicted = sentence_type(find_claims(doc, article, [], []))
        confusion[row["event"]][predicted] += 1
        correct += predicted == row["event"]
    elapsed = time.perf_counter() - t0
    accuracy = correct / len(rows)
    per_type = {
        gold: {"n": sum(c.values()), "correct": c[gold], "recall": round(c[gold] / sum(c.values()), 3), "predicted": dict(c.most_common())}
        for gold, c in sorted(confusion.items())
    }
    print(f"PLOVER predicate accuracy: {accuracy:.3f} ({correct}/{len(rows)}) in {elapsed:.1f}s")
    for gold, info in per_type.items():
        wrong = ", ".join(f"{k}:{v}" for k, v in info["predicted"].items() if k != gold)
        print(f"  {gold:12} {info['correct']:3}/{info['n']:<3} recall {info['recall']:.2f}   wrong -> {wrong}")
    print(confusion_table(confusion))
    result = {"sentences": len(rows), "correct": correct, "accuracy": round(accuracy, 4), "per_type": per_type}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.check and BASELINE.exists():
        base = json.loads(BASELINE.read_text(encoding="utf-8"))["accuracy"]
        if accuracy < base - 0.02:
            print(f"FAIL: accuracy {accuracy:.3f} < baseline {base:.3f} - 0.02", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
