"""Train the gazetteer-candidate ranker on LGL + GeoVirus and export it as JSON for pure-Python scoring.

Each article of ../shared/data/geo-train (LGL, GeoVirus) and GeoWebNews dev goes through the real
pipeline: spaCy, `wirewatch.extract.entities`, the geocoder's place repairs and scan
(`geocode.prepare_batch`, one article at a time as in the benchmark). Every place entity whose
mention overlaps an annotated toponym with coordinates gives one row per preselected gazetteer
candidate (`place_features.candidate_features`), labelled 1 for the annotated place: the same
GeoNames id, else the candidate nearest the gold point within 161 km (GeoVirus has Wikipedia
points, no ids), else, for a country or first-level region, the nearest within 1,000 km (a
country's point differs between sources). Entities with no such candidate keep only negatives:
the ranker must learn to give up on them (`NEGATIVE_ENTITIES` would add place entities on no
annotated toponym at all; off, see there).

Printed, per corpus (entity-level accuracy within 161 km of the top candidate among the
entities the gazetteer has candidates for; "hand" is the hand-set score it replaces):
  - LGL, 5-fold cross-validation by document (trained on the other LGL folds + all GeoVirus);
  - GeoVirus, 5-fold cross-validation by document (trained on the other folds + all LGL);
  - GWN dev, trained on LGL + GeoVirus only (held out: GWN is never trained on);
The acceptance threshold is chosen on the out-of-fold LGL + GeoVirus predictions.

    .venv/bin/python scripts/train_geo_ranker.py [--model trees|logistic] [--cache DIR]

Writes wirewatch/resolve/data/geo_ranker.json and benchmarks/results/geo_ranker.json.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wirewatch.learned import export_model, model_from_dict  # noqa: E402
from wirewatch.resolve.gazetteer import distance_km  # noqa: E402
from wirewatch.resolve.place_features import FEATURES, candidate_features  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
CORPORA = {
    "lgl": DATA / "geo-train" / "lgl" / "docs.jsonl",
    "geovirus": DATA / "geo-train" / "geovirus" / "docs.jsonl",
    "gwn": DATA / "geowebnews" / "docs.dev.jsonl",
}
MODEL_PATH = ROOT / "wirewatch" / "resolve" / "data" / "geo_ranker.json"
RESULTS_PATH = ROOT / "benchmarks" / "results" / "geo_ranker.json"
SEED = 7
TREES = {"n_estimators": 150, "max_depth": 4, "learning_rate": 0.08, "subsample": 0.8, "min_samples_leaf": 20}
# Acceptance: the best candidate must reach this probability; names found only by the
# gazetteer scan (or retyped from another entity type) carry no NER support, so they need more.
SCAN_MARGIN = 0.1
# A wrong place costs half of what a right one gains: this round's bar (0.90 within 161 km, 0.85
# recall) leaves accuracy more room than recall, so the cut keeps a reading right one time in three.
WRONG_COST = 0.5
# Also train on place entities that overlap no annotated toponym (all candidates negative), so the
# summed probability would say whether the name is a place at all? Tried: LGL leaves "US" in
# "US Highway" and many country mentions unannotated, and the model learned to reject "US" and
# "Saipan" on GeoWebNews (recall in scope 0.866 -> 0.852), so it is off.
NEGATIVE_ENTITIES = False


def extracted(name: str, docs: list[dict], cache: Path):
    """Entities of every article (spaCy + wirewatch.extract.entities), cached as a pickle."""
    from wirewatch.extract.entities import find_entities
    from wirewatch.model import Article
    from wirewatch.resources import Resources

    path = cache / f"{name}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    resources = Resources()
    out = []
    for i, d in enumerate(docs):
        article = Article(id=f"{name}{d['id']}", title=d.get("title") or "", text=d["text"])
        out.append((article, find_entities(resources.nlp(article.text), article, resources)))
        if i % 100 == 0:
            print(f"  {name}: parsed {i}/{len(docs)}", flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def _positive(cands, gold) -> int | None:
    """Index of the annotated place among the candidates, or None."""
    gid = gold.get("geonames_id")
    for i, p in enumerate(cands):
        if gid and str(p.geonameid) == str(gid):
            return i
    lat, lon = float(gold["lat"]), float(gold["lon"])
    km = [distance_km(p.lat, p.lon, lat, lon) for p in cands]
    i = int(np.argmin(km))
    if km[i] <= 161 or (km[i] <= 1000 and cands[i].feature in ("country", "admin1")):
        return i
    return None


def entity_rows(name: str, docs: list[dict], cache: Path, gaz):
    """One record per place entity that overlaps a gold toponym with coordinates (plus the rest, unlabelled)."""
    from wirewatch.model import ArticleAnalysis
    from wirewatch.resolve.geocode import prepare_batch, ranking_inputs

    records = []
    for d, (article, entities) in zip(docs, extracted(name, docs, cache)):
        analysis = ArticleAnalysis(article=article, entities=entities)
        prepared, batch = prepare_batch([analysis], gaz)
        gold = [g for g in d["toponyms"] if g.get("lat") is not None]
        spans = [(g["start"], g["end"]) for g in d["toponyms"]]
        for entity, cands, variant, ctx in ranking_inputs(analysis, prepared[0][1], gaz, batch):
            hits = [g for m in entity.mentions for g in gold if g["start"] < m.end and m.start < g["end"]]
            rows = candidate_features(cands, variant, ctx)
            hand = _hand_order(cands, variant, ctx)
            rec = {"doc": f"{name}:{d['id']}", "corpus": name, "name": entity.name, "cands": cands, "rows": rows,
                   "hand_top": hand, "gold": hits[0] if hits else None, "scanned": ctx.scanned}
            rec["pos"] = _positive(cands, hits[0]) if hits else None
            # On no annotated toponym at all: not a place here ("Hamas" read as Hamm), every row negative.
            rec["not_toponym"] = not any(s < m.end and m.start < e for m in entity.mentions for s, e in spans)
            records.append(rec)
    return records


def _hand_order(cands, variant, ctx) -> int:
    """Index of the hand-set score's best candidate (the baseline the ranker replaces)."""
    from wirewatch.resolve.place_candidates import score_candidates

    best = score_candidates(cands, variant, article_countries=ctx.article_countries, batch_countries=ctx.batch_countries,
                            dateline_country=ctx.dateline_country, outlet_country=ctx.outlet_country,
                            qualifiers=ctx.qualifiers or None, region_hint=ctx.region_hint,
                            article_regions=ctx.article_regions, named_elsewhere=ctx.named_elsewhere)[0][1]
    return cands.index(best)


def matrix(records):
    X, y, groups = [], [], []
    for r in records:
        if r["gold"] is None and not (NEGATIVE_ENTITIES and r["not_toponym"]):
            continue
        for i, row in enumerate(r["rows"]):
            X.append([row.get(f, 0.0) for f in FEATURES])
            y.append(int(i == r["pos"]))
            groups.append(r["doc"])
    return np.array(X), np.array(y), np.array(groups)


def fit(records, kind: str):
    X, y, _ = matrix(records)
    if kind == "trees":
        return GradientBoostingClassifier(random_state=SEED, **TREES).fit(X, y)
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000)).fit(X, y)


def predict(model, records) -> list[tuple[int, float]]:
    """(best candidate index, summed probability of all candidates) per record."""
    out = []
    for r in records:
        X = np.array([[row.get(f, 0.0) for f in FEATURES] for row in r["rows"]])
        p = model.predict_proba(X)[:, 1]
        i = int(np.argmax(p))
        out.append((i, min(1.0, float(p.sum()))))  # run time accepts on the summed probability
    return out


def _ok(r, i: int) -> bool:
    g = r["gold"]
    return distance_km(r["cands"][i].lat, r["cands"][i].lon, float(g["lat"]), float(g["lon"])) <= 161


def accuracy(records, picks) -> dict:
    """Entity-level accuracy within 161 km of the top pick, ranker vs hand score, over gold entities."""
    pairs = [(r, p) for r, p in zip(records, picks) if r["gold"] is not None]
    n = len(pairs)
    ranker = sum(_ok(r, i) for r, (i, _) in pairs)
    hand = sum(_ok(r, r["hand_top"]) for r, _ in pairs)
    reachable = sum(r["pos"] is not None for r, _ in pairs)
    return {"entities": n, "ranker_acc161": round(ranker / n, 4), "hand_acc161": round(hand / n, 4),
            "oracle_acc161": round(reachable / n, 4)}


def cross_validate(records, others, kind: str, folds: int = 5) -> list[tuple[int, float]]:
    """Out-of-fold picks for `records`, each fold trained on the other folds plus all of `others`."""
    docs = np.array([r["doc"] for r in records])
    picks: list = [None] * len(records)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(docs, groups=docs):
        model = fit([records[i] for i in train_idx] + others, kind)
        for i, pick in zip(test_idx, predict(model, [records[i] for i in test_idx])):
            picks[i] = pick
    return picks


def choose_threshold(records, picks) -> float:
    """The probability cut maximising (right kept) - WRONG_COST * (wrong kept) over gold entities."""
    pairs = [(r, p) for r, p in zip(records, picks) if r["gold"] is not None]
    best = (-1e9, 0.0)
    for t in np.arange(0.02, 0.9, 0.02):
        gain = sum((1 if _ok(r, i) else -WRONG_COST) for r, (i, p) in pairs if p >= t)
        best = max(best, (gain, -round(float(t), 2)))  # ties: the lower cut, for recall
    return -best[1]


def kept(records, picks, t: float) -> dict:
    """Share of gold entities kept at cut `t`, and the accuracy of those kept."""
    pairs = [(r, i) for r, (i, p) in zip(records, picks) if r["gold"] is not None and p >= t]
    n = sum(r["gold"] is not None for r in records)
    right = sum(_ok(r, i) for r, i in pairs)
    return {"threshold": t, "kept": round(len(pairs) / n, 4), "kept_acc161": round(right / max(len(pairs), 1), 4)}


def threshold_cv(records, picks, folds: int = 5) -> dict:
    """Choose the cut on all but one fold of documents, measure it on that fold: held-out style."""
    docs = np.array([r["doc"] for r in records])
    n = right = total = 0
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(docs, groups=docs):
        t = choose_threshold([records[i] for i in train_idx], [picks[i] for i in train_idx])
        got = kept([records[i] for i in test_idx], [picks[i] for i in test_idx], t)
        fold_gold = sum(records[i]["gold"] is not None for i in test_idx)
        total += fold_gold
        n += round(got["kept"] * fold_gold)
        right += round(got["kept_acc161"] * got["kept"] * fold_gold)
    return {"kept": round(n / total, 4), "kept_acc161": round(right / max(n, 1), 4)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=["trees", "logistic"], default="trees")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/wirewatch-geo-train"),
                        help="where the spaCy entities of each corpus are cached")
    args = parser.parse_args()
    missing = [str(p) for p in CORPORA.values() if not p.exists()]
    if missing:
        print(f"error: data not found: {', '.join(missing)}")
        return 1
    from wirewatch.resources import Resources

    gaz = Resources().gazetteer
    t0 = time.perf_counter()
    recs = {}
    for name, path in CORPORA.items():
        docs = [json.loads(line) for line in path.open(encoding="utf-8")]
        recs[name] = entity_rows(name, docs, args.cache, gaz)
        gold = [r for r in recs[name] if r["gold"] is not None]
        print(f"{name}: {len(docs)} docs, {len(recs[name])} place entities with candidates, {len(gold)} on a gold toponym")
    results = {"model": args.model, "features": FEATURES}
    oof = {}
    for name, other in (("lgl", "geovirus"), ("geovirus", "lgl")):
        oof[name] = cross_validate(recs[name], recs[other], args.model)
        results[f"{name}_cv5_by_document"] = accuracy(recs[name], oof[name])
        print(f"{name} 5-fold CV by document (+ all {other} in training): {results[f'{name}_cv5_by_document']}")
    train = recs["lgl"] + recs["geovirus"]
    model = fit(train, args.model)
    gwn_picks = predict(model, recs["gwn"])
    results["gwn_dev_trained_on_lgl_geovirus"] = accuracy(recs["gwn"], gwn_picks)
    print(f"gwn dev, trained on LGL+GeoVirus (held out): {results['gwn_dev_trained_on_lgl_geovirus']}")
    gwn_cv = cross_validate(recs["gwn"], train, args.model)
    results["gwn_dev_cv5_with_lgl_geovirus"] = accuracy(recs["gwn"], gwn_cv)
    print(f"gwn dev 5-fold CV by document (+ LGL+GeoVirus in training): {results['gwn_dev_cv5_with_lgl_geovirus']}")
    train_cut = choose_threshold(train, oof["lgl"] + oof["geovirus"])
    results["threshold_lgl_geovirus"] = kept(recs["gwn"], gwn_picks, train_cut)
    print(f"acceptance cut chosen out of fold on LGL+GeoVirus, applied to GWN dev: {results['threshold_lgl_geovirus']}")
    # LGL's many small, ambiguous US towns make it stricter than general news wants; the cut is
    # tuned on GWN dev (in-sample), and checked by choosing it on 4 folds and scoring the 5th.
    threshold = choose_threshold(recs["gwn"], gwn_picks)
    results["threshold"] = kept(recs["gwn"], gwn_picks, threshold)
    results["threshold_gwn_cv5"] = threshold_cv(recs["gwn"], gwn_picks)
    print(f"acceptance cut tuned on GWN dev (in-sample): {results['threshold']}")
    print(f"  the same, cut chosen on 4 GWN folds and scored on the 5th: {results['threshold_gwn_cv5']}")
    meta = {"trained_on": "LGL + GeoVirus (../shared/data/geo-train)", "threshold": threshold,
            "threshold_scan": round(threshold + SCAN_MARGIN, 2), "script": "scripts/train_geo_ranker.py",
            "figures": {k: v for k, v in results.items() if k != "features"}}
    doc = export_model(model, FEATURES, meta)
    # The pure-Python scorer must agree with scikit-learn on GWN rows it never saw. scikit-learn's
    # trees compare in float32, the scorer in float64, so a value on a split can fall either way.
    pure = model_from_dict(json.loads(json.dumps(doc)))
    X, _, _ = matrix(recs["gwn"])
    ref = model.predict_proba(X)[:, 1]
    gaps = [abs(pure.probability(dict(zip(FEATURES, x))) - r) for x, r in zip(X, ref)]
    worst = max(gaps)
    results["export_max_gap"] = round(float(worst), 6)
    results["export_rows_over_1e-4"] = int(sum(g > 1e-4 for g in gaps))
    if worst > 0.01:
        print(f"error: exported model disagrees with scikit-learn by {worst}")
        return 1
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    MODEL_PATH.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size // 1000} kB) in {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
