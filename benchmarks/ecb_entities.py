"""Cross-report entity linking on ECB+ dev: CoNLL F1 over gold proper-name entity mentions.

Usage: .venv/bin/python benchmarks/ecb_entities.py [--entities wirewatch|spacy] [--errors] [--cv] [--cache DIR]

Gold mentions kept: entity mentions (HUM, LOC, NON; not TIM) written as proper names, i.e. every
word except small function words is capitalised and the text is not a pronoun. Each gold mention is
labelled with the global entity wirewatch assigns to an overlapping extracted mention in the same
document (largest overlap); a gold mention no extracted mention covers is its own singleton. The
documents stream through wirewatch.resolve.linking one at a time into one store. The baseline in
the same run labels each mention by its exact (case-folded) string.

CoNLL F1 = mean of MUC, B-cubed and CEAF-e F1 (implemented here; checked in tests against a hand
example). Singletons are kept. Writes benchmarks/results/ecb_entities.json.

Two figures: "wirewatch" is ECB+ dev with the shipped model, whose decision threshold was tuned on
dev (a tuned figure, not held-out); "cv_train_by_topic" (with --cv) is ECB+ train, 5 folds by
topic, each topic linked by a model trained on the other folds only (held-out; the extraction runs
over the 574 training documents, a few minutes).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "dev"
RESULTS = ROOT / "benchmarks" / "results" / "ecb_entities.json"
_FUNCTION = {"of", "the", "and", "de", "for", "in", "on", "at", "a", "an", "'s", "du", "la", "le", "von", "van", "-"}
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them", "us", "his", "its", "their", "our",
             "who", "which", "that", "this", "these", "those", "my", "me", "your"}


# --- metrics --------------------------------------------------------------------------------

def _clusters(labels: list) -> list[set[int]]:
    groups: dict = defaultdict(set)
    for i, label in enumerate(labels):
        groups[label].add(i)
    return list(groups.values())


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def bcubed(gold: list, pred: list) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of `pred` against `gold` (labels per item, same items)."""
    g_of = {i: c for c in _clusters(gold) for i in c}
    p_of = {i: c for c in _clusters(pred) for i in c}
    n = len(gold)
    p = sum(len(g_of[i] & p_of[i]) / len(p_of[i]) for i in range(n)) / n
    r = sum(len(g_of[i] & p_of[i]) / len(g_of[i]) for i in range(n)) / n
    return p, r, _f(p, r)


def _muc_recall(key: list[set[int]], response: list[set[int]]) -> float:
    owner = {i: j for j, c in enumerate(response) for i in c}
    num = den = 0
    for cluster in key:
        parts = {owner.get(i, ("single", i)) for i in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num / den if den else 0.0


def muc(gold: list, pred: list) -> tuple[float, float, float]:
    """MUC link-based precision, recall and F1 (Vilain et al. 1995)."""
    g, p = _clusters(gold), _clusters(pred)
    r, pr = _muc_recall(g, p), _muc_recall(p, g)
    return pr, r, _f(pr, r)


def ceafe(gold: list, pred: list) -> tuple[float, float, float]:
    """Entity-based CEAF (phi4 similarity, optimal one-to-one alignment; Luo 2005)."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    g, p = _clusters(gold), _clusters(pred)
    sim = np.zeros((len(g), len(p)))
    for i, gc in enumerate(g):
        for j, pc in enumerate(p):
            common = len(gc & pc)
            if common:
                sim[i, j] = 2 * common / (len(gc) + len(pc))
    rows, cols = linear_sum_assignment(-sim)
    total = sim[rows, cols].sum()
    pr, r = total / len(p), total / len(g)
    return pr, r, _f(pr, r)


def conll(gold: list, pred: list) -> dict:
    """MUC, B3, CEAF-e (P, R, F1 each) and CoNLL F1 = their mean F1, in percent."""
    out = {}
    for name, fn in (("muc", muc), ("b3", bcubed), ("ceafe", ceafe)):
        p, r, f = fn(gold, pred)
        out[name] = {"p": round(100 * p, 2), "r": round(100 * r, 2), "f1": round(100 * f, 2)}
    out["conll_f1"] = round(sum(out[k]["f1"] for k in ("muc", "b3", "ceafe")) / 3, 2)
    return out


# --- data -----------------------------------------------------------------------------------

def is_proper_name(text: str) -> bool:
    """True for a mention written as a proper name ("Vincent Jackson", "Bank of America"), not "he"/"the player"."""
    words = [w for w in text.replace("-", " ").split() if any(ch.isalpha() for ch in w)]
    if not words or text.casefold() in _PRONOUNS:
        return False
    content = [w for w in words if w.casefold() not in _FUNCTION]
    return bool(content) and all(w[0].isupper() for w in content)


def gold_mentions(path: Path = DATA / "entity_mentions.jsonl") -> list[dict]:
    """Gold proper-name entity mentions (no time expressions)."""
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [m for m in rows if m["mention_type"] != "TIM" and is_proper_name(m["text"])]


def link_labels(mentions: list[dict], analyses, chooser=None) -> list[str]:
    """Stream analyses through linking and stories into one store, as pipeline.process_batch does;
    label each gold mention by its overlapping entity. `chooser` overrides the shipped model."""
    from wirewatch.resolve.linking import link_entities
    from wirewatch.store import open_store
    from wirewatch.stories import update_stories

    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with open_store(":memory:") as store:
        for analysis in analyses:
            with store.transaction():
                link_entities([analysis], store, chooser)
                store.add_analysis(analysis)
                update_stories([analysis], store)
            for entity in analysis.entities:
                for m in entity.mentions:
                    spans[analysis.article.id].append((m.start, m.end, entity.id))
    labels = []
    for i, m in enumerate(mentions):
        best, best_overlap = f"single:{i}", 0
        for start, end, entity_id in spans.get(m["doc"], []):
            overlap = min(end, m["end"]) - max(start, m["start"])
            if overlap > best_overlap:
                best, best_overlap = entity_id, overlap
        labels.append(best)
    return labels


def print_errors(mentions: list[dict], pred: list[str], analyses) -> None:
    """Print, per gold cluster split over several predicted entities, (gold text, entity name) counts,
    then each predicted entity that spans several gold clusters; "single:N" is an uncovered mention."""
    from collections import Counter

    names = {e.id: e.name for a in analyses for e in a.entities}
    by_gold: dict = defaultdict(list)
    by_pred: dict = defaultdict(set)
    for m, label in zip(mentions, pred):
        by_gold[m["cluster"]].append((m["text"], names.get(label, label)))
        by_pred[label].add(m["cluster"])
    for cluster, items in by_gold.items():
        if len({p for _, p in items}) > 1:
            print("SPLIT", cluster, dict(Counter(items)))
    for label, clusters in by_pred.items():
        if len(clusters) > 1:
            print("MERGED", names.get(label, label), sorted(clusters))


def cross_validated(cache: Path | None = None) -> dict:
    """CoNLL scores on ECB+ train, 5 folds by topic, at the shipped model's threshold (see scripts/train_linker.py)."""
    from scripts.train_linker import cross_validate, load_split
    from wirewatch.resolve.linking import default_model

    threshold = float(default_model().meta.get("threshold", 0.5))
    train = load_split("train", cache)
    scores = cross_validate(*train, thresholds=(threshold,))[str(threshold)]
    train_gold = [m["cluster"] for m in train[1]]
    scores["exact_string_baseline"] = conll(train_gold, [m["text"].casefold() for m in train[1]])["conll_f1"]
    return scores


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", choices=["wirewatch", "spacy"], default="wirewatch")
    parser.add_argument("--errors", action="store_true",
                        help="print split gold clusters and predicted entities spanning several gold clusters")
    parser.add_argument("--cv", action="store_true", help="also cross-validate by topic on ECB+ train")
    parser.add_argument("--cache", type=Path, help="directory caching extracted analyses between runs")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return {}
    from benchmarks.ecb_clustering import build_analyses, load_docs

    docs = load_docs(DATA / "docs.jsonl")
    mentions = gold_mentions()
    gold = [m["cluster"] for m in mentions]
    if args.cache and args.entities == "wirewatch":
        from scripts.train_linker import load_split

        analyses, source = load_split("dev", args.cache)[2], "wirewatch"
    else:
        analyses, source = build_analyses(docs, args.entities)
    pred = link_labels(mentions, analyses)
    baseline = [m["text"].casefold() for m in mentions]
    covered = sum(1 for label in pred if not label.startswith("single:"))
    out = {
        "gold_mentions": len(mentions), "gold_clusters": len(set(gold)), "entity_source": source,
        "covered_by_extraction": covered,
        "wirewatch": conll(gold, pred),
        "exact_string_baseline": conll(gold, baseline),
        "anchor": "CDLM (Caciularu et al. 2021) 82.9 CoNLL F1 on ECB+ test, all gold entity mentions",
    }
    if args.cv:
        out["cv_train_by_topic"] = cross_validated(args.cache)
    print(json.dumps(out, indent=2))
    print(f"ECB+ dev CoNLL F1 (threshold tuned on dev): {out['wirewatch']['conll_f1']} "
          f"(exact-string baseline {out['exact_string_baseline']['conll_f1']})")
    if "cv_train_by_topic" in out:
        cv = out["cv_train_by_topic"]
        print(f"ECB+ train CoNLL F1, cross-validated by topic (held-out): {cv['conll_f1']} "
              f"(exact-string baseline {cv['exact_string_baseline']})")
    if args.errors:
        print_errors(mentions, pred, analyses)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
