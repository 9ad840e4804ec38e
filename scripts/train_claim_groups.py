"""Train the claim-pairing model (wirewatch/stories/data/claim_groups.json) on ECB+ event coreference.

Usage: .venv/bin/python scripts/train_claim_groups.py [--data ../shared/data/ecbplus] [--folds 5]

The ECB+ training documents run through the real pipeline (extraction, linking, streaming stories;
cached by benchmarks/ecb_events.py). Every gold event mention is mapped to the narrowest claim whose
span holds it. Training pairs are claims of the same predicted story that both hold a gold mention;
a pair is positive when the two claims hold mentions of the same gold event cluster.

The grouping threshold and linkage are chosen by cross-validation by topic on the training split:
each fold's stories are grouped with a model trained on the other folds' topics, and the setting
with the best CoNLL F1 over all out-of-fold mentions is kept. ECB+ dev is never looked at here, so
the dev figure printed by benchmarks/ecb_events.py is held out. The final model is trained on all of
the training split.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ecb_events import DATA, gold_events, mention_claims, prepared, score_groups, stories_of  # noqa: E402
from wirewatch.learned import export_model, model_from_dict  # noqa: E402
from wirewatch.stories.claim_features import FEATURES, RunningIdf, claim_views, pair_features  # noqa: E402
from wirewatch.stories.claim_groups import GroupParams, group_claims, index_keys  # noqa: E402

OUT = ROOT / "wirewatch" / "stories" / "data" / "claim_groups.json"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
LINKAGES = ("max",)  # average link scored 2-4 points lower at every threshold (measured in the first grid)
# A group is one statement across reports: at most one claim of each report (2.0 = never join a group
# holding a claim of the same report). Letting a report's claims chain within a group scored 1-2 CoNLL
# points higher on ECB+ (within-document coreference) but made 10-30-claim groups on news of normal length.
SAME_REPORT = (2.0, 0.9)


def story_pairs(story: list, clusters_of: dict[str, set[str]]) -> tuple[list[list[float]], list[int]]:
    """Feature rows and labels for the pairs of annotated claims of one story, each new claim against
    the claims before it sharing an index key, with word rarity as known at that point: the pairs
    grouping scores at run time."""
    idf = RunningIdf()
    seen: list = []
    rows, labels = [], []
    for analysis in story:
        views = claim_views(analysis)
        idf.add({w for v in views for w in v.words})
        for view in views:
            if not clusters_of.get(view.claim.id):
                continue
            keys = index_keys(view, idf)
            for earlier, earlier_keys in seen:
                if not keys & earlier_keys or earlier.claim.article == view.claim.article:
                    continue  # never joined at run time: no shared rare word or entity, or the same report
                feats = pair_features(view, earlier, idf)
                rows.append([feats[name] for name in FEATURES])
                labels.append(int(bool(clusters_of[view.claim.id] & clusters_of[earlier.claim.id])))
            seen.append((view, keys))
    return rows, labels


def fit(rows: list[list[float]], labels: list[int]):
    from sklearn.ensemble import GradientBoostingClassifier

    model = GradientBoostingClassifier(n_estimators=150, max_depth=3, learning_rate=0.1, subsample=0.8,
                                       random_state=0)
    model.fit(rows, labels)
    return model


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    split = args.data / "train"
    if not split.exists():
        print(f"skipped: {split} not found")
        return {}
    analyses, story_of = prepared(split)
    for claim in (c for a in analyses for c in a.claims):
        claim.group = None  # groups from a previous model's pipeline run would be kept by group_claims
    mentions = gold_events(split)
    holders = mention_claims(mentions, analyses)
    clusters_of: dict[str, set[str]] = {}
    for m, claim in zip(mentions, holders):
        if claim is not None:
            clusters_of.setdefault(claim.id, set()).add(m["cluster"])
    stories = stories_of(analyses, story_of)
    topic = {a.article.id: a.article.id.split("_")[0] for a in analyses}
    topics = sorted({topic[s[0].article.id] for s in stories}, key=lambda t: int(t) if t.isdigit() else t)
    fold_of_topic = {t: i % args.folds for i, t in enumerate(topics)}
    fold = [fold_of_topic[topic[s[0].article.id]] for s in stories]
    pairs = [story_pairs(s, clusters_of) for s in stories]
    print(f"{len(stories)} stories, {sum(len(p[1]) for p in pairs)} pairs, "
          f"{sum(sum(p[1]) for p in pairs)} positive", file=sys.stderr)

    # Out-of-fold grouping for every (threshold, linkage): pick the best by CoNLL F1.
    grid: dict[tuple[float, str, bool], dict[str, str]] = {
        (t, k, o): {} for t in THRESHOLDS for k in LINKAGES for o in SAME_REPORT}
    for k in range(args.folds):
        rows = [r for p, f in zip(pairs, fold) if f != k for r in p[0]]
        labels = [y for p, f in zip(pairs, fold) if f != k for y in p[1]]
        model = model_from_dict(export_model(fit(rows, labels), FEATURES))
        for s, f in zip(stories, fold):
            if f == k:
                cache: dict = {}  # pair probabilities do not depend on the threshold or linkage
                for (t, link, one), mapping in grid.items():
                    mapping.update(group_claims(s, model, GroupParams(threshold=t, linkage=link, same_report=one or t),
                                                cache))
        print(f"fold {k} done", file=sys.stderr)
    results = []
    for (t, link, one), mapping in grid.items():
        row = {"threshold": t, "linkage": link, "same_report": one or t, **score_groups(mentions, holders, mapping)}
        results.append(row)
        print(json.dumps({k: row[k] for k in ("threshold", "linkage", "same_report", "conll_f1")}), file=sys.stderr)
    best = max((r for r in results if r["same_report"] > 1.0), key=lambda r: r["conll_f1"])
    rows = [r for p in pairs for r in p[0]]
    labels = [y for p in pairs for y in p[1]]
    meta = {
        "trained_on": "ECB+ train event mentions (574 documents, 25 topics), pairs within predicted stories",
        "threshold": best["threshold"], "linkage": best["linkage"], "same_report": best["same_report"],
        "cv_by_topic": {"folds": args.folds, "conll_f1": best["conll_f1"], "muc": best["muc"]["f1"],
                        "b3": best["b3"]["f1"], "ceafe": best["ceafe"]["f1"]},
        "pairs": len(labels), "positives": sum(labels),
        "script": "scripts/train_claim_groups.py",
    }
    doc = export_model(fit(rows, labels), FEATURES, meta)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(json.dumps({"meta": meta, "no_grouping_train": score_groups(mentions, holders, {})["conll_f1"],
                      "grid": [{k: r[k] for k in ("threshold", "linkage", "same_report", "conll_f1")} for r in results]},
                     indent=1))
    return meta


if __name__ == "__main__":
    main()
