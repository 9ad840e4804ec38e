"""What two stores must agree on: articles, entities (with mention counts), claims, story partitions."""
from __future__ import annotations


def fingerprint(store) -> dict:
    """Everything stored that must not depend on the backend or the number of workers.

    Stories are compared as a partition of article ids (story ids and derived text are checked
    by the tests that want them); entities with their mention counts.
    """
    articles = sorted((a.to_dict() for a in _all_articles(store)), key=lambda d: d["id"])
    entities = sorted((e.to_dict() for e in store.list_entities()), key=lambda d: d["id"])
    counts = store.entity_mention_counts([e["id"] for e in entities])
    claims = sorted((c.to_dict() for c in store.list_claims()), key=lambda d: d["id"])
    partition = sorted(sorted(s.articles) for s in store.list_stories())
    return {"articles": articles, "entities": entities, "mention_counts": counts, "claims": claims,
            "stories": partition, "counts": store.counts()}


def fingerprint_of(db: str) -> dict:
    """`fingerprint` of the store at `db` (a path or URL), opened and closed here."""
    from wirewatch.store import open_store

    with open_store(db) as store:
        return fingerprint(store)


def _all_articles(store):
    return store.list_articles()
