"""Train the pairwise cross-report linking model on ECB+ train, tune its threshold on ECB+ dev, export JSON.

The ECB+ documents stream through the real linker (`wirewatch.resolve.linking.link_entities`) one
at a time, in a fresh store, exactly as `pipeline.process_batch` runs it. An oracle chooser sees
every (incoming entity, candidate) feature dict the linker builds, labels it 1 when both sides'
gold clusters (majority over the gold proper-name mentions their extracted mentions cover) agree,
and links as gold says (teacher forcing), so the candidates and profiles seen in training are
those the linker builds. Pairs whose gold is unknown (an entity in an unannotated sentence) are
not used.

Figures (CoNLL F1 over gold proper-name mentions, as benchmarks/ecb_entities.py measures):
- cross-validated on train: 5 folds by topic; each fold's model links only its held-out topics;
- dev: the final model (all train topics), with the decision threshold tuned on dev (so the dev
  figure is the tuned one; the CV figure uses the same threshold and no dev data).

    .venv/bin/python scripts/train_linker.py [--cache DIR] [--folds 5] [--no-write]
"""
from __future__ import annotations

import argparse
import copy
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ecb_entities import conll, gold_mentions, link_labels  # noqa: E402
from wirewatch.learned import export_model, model_from_dict  # noqa: E402
from wirewatch.resolve.link_features import FEATURES  # noqa: E402
from wirewatch.resolve.linking import ModelChooser, link_entities  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ecbplus"
MODEL_PATH = ROOT / "wirewatch" / "resolve" / "data" / "linker.json"
RESULTS = ROOT / "benchmarks" / "results" / "train_linker.json"
THRESHOLDS = (0.2, 0.3, 0.5)
SEED = 7


def load_split(split: str, cache: Path | None = None) -> tuple[list[dict], list[dict], list]:
    """Documents, gold proper-name mentions and wirewatch analyses of one ECB+ split (analyses cached when asked)."""
    from benchmarks.ecb_clustering import build_analyses, load_docs

    docs = load_docs(DATA / split / "docs.jsonl")
    mentions = gold_mentions(DATA / split / "entity_mentions.jsonl")
    path = cache / f"ecb_{split}_analyses.pkl" if cache else None
    if path is not None and path.exists():
        analyses = pickle.loads(path.read_bytes())
    else:
        analyses, _ = build_analyses(docs, "wirewatch")
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(analyses))
    return docs, mentions, analyses


def local_gold(mentions: list[dict], analyses) -> dict[tuple[str, str], str]:
    """(article id, local entity id) -> the gold cluster most of its covered gold mentions belong to."""
    spans = defaultdict(list)
    for analysis in analyses:
        for entity in analysis.entities:
            for m in entity.mentions:
                spans[analysis.article.id].append((m.start, m.end, entity.id))
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for m in mentions:
        best, best_overlap = None, 0
        for start, end, entity_id in spans.get(m["doc"], []):
            overlap = min(end, m["end"]) - max(start, m["start"])
            if overlap > best_overlap:
                best, best_overlap = entity_id, overlap
        if best is not None:
            votes[(m["doc"], best)][m["cluster"]] += 1
    return {key: counts.most_common(1)[0][0] for key, counts in votes.items()}


class OracleChooser:
    """Records labelled candidate pairs and links as the gold clusters say (teacher forcing)."""

    def __init__(self, gold: dict[int, str], topic: str):
        self.gold = gold  # id(local Entity object) -> gold cluster
        self.topic = topic
        self.of_global: dict[str, Counter] = defaultdict(Counter)
        self.rows: list[tuple[dict, int, str]] = []

    def _global_gold(self, entity_id: str) -> str | None:
        counts = self.of_global.get(entity_id)
        return counts.most_common(1)[0][0] if counts else None

    def observe(self, entity, candidates):
        """Record every scored pair whose two sides both have gold, before the linker's guards."""
        mine = self.gold.get(id(entity))
        for entity_id, features in candidates:
            theirs = self._global_gold(entity_id)
            if mine is not None and theirs is not None:
                self.rows.append((features, int(mine == theirs), self.topic))

    def choose(self, entity, candidates):
        mine = self.gold.get(id(entity))
        best = None
        for entity_id, features in candidates:
            if mine is not None and mine == self._global_gold(entity_id):
                best = entity_id
                break
        if best is None:
            # No gold says otherwise (this side or the candidate unannotated): link an identical name
            # whose gold does not conflict, so profiles stay close to what the model builds.
            best = next((i for i, f in candidates if f["exact"] and f["same_family"]
                         and self._global_gold(i) in (None, mine)), None)
        return best

    def assigned(self, entity, entity_id):
        mine = self.gold.get(id(entity))
        if mine is not None:
            self.of_global[entity_id][mine] += 1


def collect_pairs(docs: list[dict], mentions: list[dict], analyses) -> list[tuple[dict, int, str]]:
    """Stream a split through the linker with the oracle chooser; return (features, label, topic) rows."""
    from wirewatch.store import open_store
    from wirewatch.stories import update_stories

    analyses = copy.deepcopy(analyses)
    by_key = local_gold(mentions, analyses)
    gold = {id(e): by_key[(a.article.id, e.id)] for a in analyses for e in a.entities if (a.article.id, e.id) in by_key}
    topic_of = {d["id"]: d["topic"] for d in docs}
    rows: list = []
    with open_store(":memory:") as store:
        chooser = OracleChooser(gold, "")
        for analysis in analyses:
            chooser.topic = topic_of[analysis.article.id]
            with store.transaction():
                link_entities([analysis], store, chooser)
                store.add_analysis(analysis)
                update_stories([analysis], store)
        rows = chooser.rows
    return rows


def fit(rows: list[tuple[dict, int, str]]):
    """A gradient-boosted pair classifier over FEATURES."""
    import numpy as np
    from sklearn.ensemble import GradientBoostingClassifier

    x = np.array([[r[0].get(f, 0.0) for f in FEATURES] for r in rows])
    y = np.array([r[1] for r in rows])
    model = GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.1, subsample=0.8,
                                       random_state=SEED)
    return model.fit(x, y)


def score_split(docs, mentions, analyses, model_json: dict, threshold: float) -> list[str]:
    """Predicted entity label per gold mention when the linker runs with this model and threshold."""
    chooser = ModelChooser(model_from_dict(model_json), threshold)
    return link_labels(mentions, copy.deepcopy(analyses), chooser)


def cross_validate(docs, mentions, analyses, folds: int = 5, thresholds=THRESHOLDS) -> dict:
    """CoNLL F1 by threshold, each topic linked by a model trained on the other folds' topics only."""
    topics = sorted({d["topic"] for d in docs}, key=lambda t: (len(t), t))
    fold_of = {t: i % folds for i, t in enumerate(topics)}
    rows = collect_pairs(docs, mentions, analyses)
    pred: dict[float, list[str]] = {t: [""] * len(mentions) for t in thresholds}
    for k in range(folds):
        train = [r for r in rows if fold_of[r[2]] != k]
        model = export_model(fit(train), FEATURES)
        held = {d["id"] for d in docs if fold_of[d["topic"]] == k}
        idx = [i for i, m in enumerate(mentions) if m["doc"] in held]
        part_docs = [d for d in docs if d["id"] in held]
        part_mentions = [mentions[i] for i in idx]
        part_analyses = [a for a in analyses if a.article.id in held]
        for t in thresholds:
            labels = score_split(part_docs, part_mentions, part_analyses, model, t)
            for i, label in zip(idx, labels):
                pred[t][i] = f"{k}:{label}"
    gold = [m["cluster"] for m in mentions]
    return {str(t): conll(gold, pred[t]) for t in thresholds}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", type=Path, help="directory to cache extracted analyses in (speeds up reruns)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="measure only; do not overwrite the model")
    args = parser.parse_args(argv)
    if not (DATA / "train").exists():
        sys.exit(f"ECB+ training data not found at {DATA / 'train'}")
    started = time.time()
    train = load_split("train", args.cache)
    dev = load_split("dev", args.cache)
    rows = collect_pairs(*train)
    positives = sum(r[1] for r in rows)
    print(f"train pairs: {len(rows)} ({positives} positive)", flush=True)
    model = export_model(fit(rows), FEATURES)
    dev_gold = [m["cluster"] for m in dev[1]]
    dev_scores = {str(t): conll(dev_gold, score_split(*dev, model, t)) for t in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda t: dev_scores[str(t)]["conll_f1"])
    print("dev CoNLL F1 by threshold:", {t: s["conll_f1"] for t, s in dev_scores.items()}, "-> threshold", best)
    cv = cross_validate(*train, folds=args.folds)
    print("cross-validated (train, by topic) CoNLL F1 by threshold:", {t: s["conll_f1"] for t, s in cv.items()})
    meta = {"threshold": best, "trained_on": "ECB+ train (25 topics)", "pairs": len(rows), "positives": positives,
            "dev_conll_f1": dev_scores[str(best)]["conll_f1"], "cv_conll_f1": cv[str(best)]["conll_f1"],
            "script": "scripts/train_linker.py"}
    model["meta"] = meta
    out = {"threshold": best, "dev": dev_scores[str(best)], "cv_train_by_topic": cv[str(best)],
           "dev_by_threshold": {t: s["conll_f1"] for t, s in dev_scores.items()},
           "cv_by_threshold": {t: s["conll_f1"] for t, s in cv.items()}, "pairs": len(rows),
           "seconds": round(time.time() - started, 1)}
    print(json.dumps(out, indent=2))
    if not args.no_write:
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        MODEL_PATH.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL_PATH.relative_to(ROOT)}")
    return out


if __name__ == "__main__":
    main()
