"""Score per-article entity types, canonical names and person roles against a hand-labelled gold set.

benchmarks/data/entities_gold.jsonl holds entities of the sample corpus (samples/corpus) and the
seed (../shared/seeds), one per line: the file, the index of the article inside it (JSON Lines
and feeds hold several), a `mention` (its first occurrence in that article's text is the place
looked at, as a whole word), the expected `type` ("none" for words that are not an entity, such as a style or a
picture caption), the canonical `name` and, for persons, the `roles` the text gives. Labelled by
hand from the texts and samples/corpus/STORIES.md.

Only extraction runs (`extract_batch`, as `wirewatch analyze` does before resolution), so the
figures are about wirewatch/extract alone; geocoding repairs made later are not counted.
A gold row is matched to the entity with a mention overlapping the gold mention:
- type: the entity's type equals the gold type ("none": no entity there, or one typed "other");
- name: the entity's name equals the gold name (case and curly quotes aside);
- role recall: a gold role counts as found when one of the entity's roles contains it.
Prints the figures and the errors; writes benchmarks/results/entities_gold.json.

    .venv/bin/python benchmarks/entities_gold.py [--check] [--errors]

`--check` fails (exit 1) when a figure drops more than 0.02 below the "after" figures of
benchmarks/baselines/entities_gold.json.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.gold_common import below_baseline, load_analyses, print_confusion, read_gold  # noqa: E402
GOLD = ROOT / "benchmarks" / "data" / "entities_gold.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "entities_gold.json"
BASELINE = ROOT / "benchmarks" / "baselines" / "entities_gold.json"
FIGURES = ("type_accuracy", "name_accuracy", "role_recall")


def _norm(text: str | None) -> str:
    return " ".join((text or "").replace("’", "'").casefold().split())


def entity_at(analysis, start: int, end: int):
    """The entity with a mention overlapping [start, end), the longest overlap first."""
    best, overlap = None, 0
    for entity in analysis.entities:
        for m in entity.mentions:
            assert analysis.article.text[m.start:m.end] == m.text, "mention span is not exact"
            o = min(end, m.end) - max(start, m.start)
            if o > overlap:
                best, overlap = entity, o
    return best


def score(rows, by_file):
    """Type accuracy, name accuracy, role recall, the type confusion and the errors."""
    counts: Counter = Counter()
    confusion: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for row in rows:
        analyses = by_file.get(row["file"], [])
        analysis = analyses[row["article"]] if row["article"] < len(analyses) else None
        found = re.search(r"(?<!\w)" + re.escape(row["mention"]) + r"(?!\w)", analysis.article.text) if analysis else None
        start = found.start() if found else -1
        if start < 0:
            errors.append({**row, "problem": "mention not in the article"})
            counts["type_total"] += 1
            continue
        entity = entity_at(analysis, start, start + len(row["mention"]))
        got_type = entity.type if entity else "none"
        type_ok = got_type == row["type"] or (row["type"] == "none" and got_type == "other")
        confusion[row["type"]][got_type] += 1
        counts["type_total"] += 1
        counts["type_ok"] += type_ok
        problems = [] if type_ok else ["type"]
        if row.get("name"):
            counts["name_total"] += 1
            name_ok = entity is not None and _norm(entity.name) == _norm(row["name"])
            counts["name_ok"] += name_ok
            if not name_ok:
                problems.append("name")
        missed = []
        for role in row.get("roles", []):
            counts["role_total"] += 1
            found = entity is not None and any(_norm(role) in _norm(r) for r in entity.roles)
            counts["role_ok"] += found
            if not found:
                missed.append(role)
        if missed:
            problems.append("roles")
        if problems:
            errors.append({"file": row["file"], "article": row["article"], "mention": row["mention"], "wrong": problems,
                           "expected": {"type": row["type"], "name": row.get("name"), "roles": row.get("roles", [])},
                           "got": None if entity is None else {"type": entity.type, "name": entity.name, "roles": entity.roles}})
    figures = {
        "type_accuracy": round(counts["type_ok"] / max(1, counts["type_total"]), 3),
        "name_accuracy": round(counts["name_ok"] / max(1, counts["name_total"]), 3),
        "role_recall": round(counts["role_ok"] / max(1, counts["role_total"]), 3),
    }
    sizes = {"entities": counts["type_total"], "names": counts["name_total"], "roles": counts["role_total"]}
    return figures, sizes, {k: dict(v) for k, v in confusion.items()}, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when a figure drops below the baseline")
    parser.add_argument("--errors", action="store_true", help="print every error")
    args = parser.parse_args()
    rows = read_gold(GOLD)
    t0 = time.perf_counter()
    by_file = load_analyses({r["file"] for r in rows})
    figures, sizes, confusion, errors = score(rows, by_file)
    seconds = round(time.perf_counter() - t0, 1)
    print(f"entities gold: {sizes['entities']} entities, {sizes['names']} names, {sizes['roles']} roles "
          f"from {len({r['file'] for r in rows})} files, {seconds}s")
    for name in FIGURES:
        print(f"  {name:14} {figures[name]:.3f}")
    print_confusion("type confusion", confusion, 13)
    if args.errors:
        for err in errors:
            print(json.dumps(err, ensure_ascii=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**sizes, **figures, "type_confusion": confusion, "seconds": seconds, "errors": errors},
                                  indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.check and BASELINE.exists():
        base = json.loads(BASELINE.read_text(encoding="utf-8"))["after"]
        low = below_baseline(figures, base, FIGURES)
        if low:
            print(f"below baseline: {', '.join(low)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
