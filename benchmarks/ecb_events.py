"""Cross-document event coreference on ECB+ through claim groups: CoNLL F1 with claims standing in for events.

Usage: .venv/bin/python benchmarks/ecb_events.py [--data DIR] [--cv] [--sweep]

Each gold event mention is mapped to the narrowest claim whose span contains it; its predicted
cluster is that claim's `group`. A mention no claim contains is its own singleton. The documents run
through the real pipeline in id order (extraction, cross-report linking, streaming stories), so claim
groups are formed within the predicted stories, incrementally, as in production.

Figures:
- `shipped`: the model in wirewatch/stories/data/claim_groups.json on DIR (default ECB+ dev, held out:
  the model is trained on ECB+ train and its threshold chosen by cross-validation on train);
- `no_grouping`: every claim its own group (mentions in one claim still share it) - the floor;
- `--cv`: 5-fold cross-validation by topic on ECB+ train (train on four folds, group the fifth).

Extraction is cached in build/ecb_events/ (git-ignored). Writes benchmarks/results/ecb_events.json.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ecb_entities import conll  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "ecbplus"
CACHE = ROOT / "build" / "ecb_events"
RESULTS = ROOT / "benchmarks" / "results" / "ecb_events.json"


def prepared(split_dir: Path) -> tuple[list, dict[str, str]]:
    """Linked analyses of the split's documents (id order) and each article's story; cached on disk."""
    from benchmarks.ecb_clustering import load_docs, wirewatch_analyses
    from wirewatch.model import ArticleAnalysis

    key = str(split_dir.resolve()).replace("/", "_")
    cache = CACHE / f"{key}.json.gz"
    if cache.exists():
        data = json.loads(gzip.decompress(cache.read_bytes()))
        return [ArticleAnalysis.from_dict(a) for a in data["analyses"]], data["stories"]
    docs = load_docs(split_dir / "docs.jsonl")
    start = time.perf_counter()
    analyses = wirewatch_analyses(docs)
    print(f"extracted {len(docs)} documents in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    stories = run_pipeline(analyses)
    CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(gzip.compress(json.dumps({"analyses": [a.to_dict() for a in analyses],
                                                "stories": stories}).encode("utf-8")))
    return analyses, stories


def run_pipeline(analyses: list) -> dict[str, str]:
    """Stream analyses one by one through linking + stories (in place); story id per article."""
    from wirewatch.resolve.linking import link_entities
    from wirewatch.store import open_store
    from wirewatch.stories import update_stories

    with open_store(":memory:") as store:
        for analysis in analyses:
            with store.transaction():
                link_entities([analysis], store)
                store.add_analysis(analysis)
                update_stories([analysis], store)
        return {a.article.id: store.story_of_article(a.article.id) for a in analyses}


def gold_events(split_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (split_dir / "event_mentions.jsonl").open(encoding="utf-8")]


def mention_claims(mentions: list[dict], analyses: list) -> list:
    """The narrowest claim holding each gold mention, or None."""
    by_doc: dict[str, list] = {}
    for a in analyses:
        by_doc[a.article.id] = a.claims
    out = []
    for m in mentions:
        holding = [c for c in by_doc.get(m["doc"], []) if c.start <= m["start"] and m["end"] <= c.end]
        out.append(min(holding, key=lambda c: c.end - c.start) if holding else None)
    return out


def stories_of(analyses: list, story_of: dict[str, str]) -> list[list]:
    """The analyses of each predicted story, in stream order."""
    out: dict[str, list] = {}
    for a in analyses:
        out.setdefault(story_of.get(a.article.id) or a.article.id, []).append(a)
    return list(out.values())


def mention_labels(holders: list, mapping: dict[str, str]) -> list[str]:
    """Each gold mention's predicted cluster: its claim's group; a singleton when no claim holds it."""
    return [mapping.get(c.id, c.id) if c is not None else f"single:{i}" for i, c in enumerate(holders)]


def score_groups(mentions: list[dict], holders: list, mapping: dict[str, str]) -> dict:
    """CoNLL F1 (with MUC, B3, CEAF-e) of event mentions labelled through claim groups."""
    return conll([m["cluster"] for m in mentions], mention_labels(holders, mapping))


def group_split(analyses: list, story_of: dict[str, str], model=None, params=None) -> dict[str, str]:
    """Claim id -> group id, grouping each predicted story with the given (default: shipped) model."""
    from wirewatch.stories.claim_groups import GroupParams, group_claims

    mapping: dict[str, str] = {}
    for story in stories_of(analyses, story_of):
        for analysis in story:  # the pipeline run that predicted the stories grouped them already:
            for claim in analysis.claims:  # a claim with a group keeps it, so each setting starts afresh
                claim.group = None
        mapping.update(group_claims(story, model, params or GroupParams()))
    return mapping


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA / "dev", help="an ECB+ split folder (docs.jsonl, event_mentions.jsonl)")
    parser.add_argument("--sweep", action="store_true", help="also print thresholds on this split (in-sample if tuned on)")
    args = parser.parse_args(argv)
    if not (args.data / "event_mentions.jsonl").exists():
        print(f"skipped: {args.data} has no event_mentions.jsonl")
        return {}
    from wirewatch.stories.claim_groups import GroupParams, default_model

    start = time.perf_counter()
    analyses, story_of = prepared(args.data)
    prepare_s = time.perf_counter() - start
    mentions = gold_events(args.data)
    holders = mention_claims(mentions, analyses)
    start = time.perf_counter()
    mapping = group_split(analyses, story_of)
    group_s = time.perf_counter() - start
    model = default_model()
    out = {
        "split": str(args.data), "documents": len(analyses), "stories": len(set(story_of.values())),
        "gold_mentions": len(mentions), "gold_clusters": len({m["cluster"] for m in mentions}),
        "mentions_in_a_claim": sum(1 for c in holders if c is not None),
        "claims": sum(len(a.claims) for a in analyses), "groups": len(set(mapping.values())),
        "shipped": score_groups(mentions, holders, mapping),
        "no_grouping": score_groups(mentions, holders, {}),
        "model": {k: model.meta.get(k) for k in ("threshold", "linkage", "cv_by_topic")},
        "prepare_seconds": round(prepare_s, 1), "group_seconds": round(group_s, 2),
        "note": "shipped model trained on ECB+ train; threshold chosen by 5-fold CV by topic on train; "
                "this split was not used for training or tuning unless it is train itself",
    }
    if args.sweep:
        out["sweep_in_sample"] = [
            {"threshold": t, "linkage": k,
             "conll_f1": score_groups(mentions, holders, group_split(analyses, story_of, None,
                                                                     GroupParams(threshold=t, linkage=k)))["conll_f1"]}
            for t in (0.3, 0.4, 0.5, 0.6, 0.7) for k in ("max", "mean")]
    print(json.dumps(out, indent=2))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
