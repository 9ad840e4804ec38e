"""Corroboration within a story: syndicated copies, independent sources, and which claims agree.

A wire story reprinted under several mastheads is one source, not several: two reports whose
5-word shingles overlap with Jaccard >= 0.8 are copies, and the later one gets `duplicate_of`.
Copies and reports of the same outlet form one *source group*; a claim's corroboration is the
number of source groups in the story carrying a matching claim.
"""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis, Claim
from wirewatch.stories.features import content_words

__all__ = ["DUPLICATE_JACCARD", "shingles", "find_duplicates", "source_groups", "claims_match", "claim_groups"]

DUPLICATE_JACCARD = 0.8
SHINGLE = 5
_WORDS = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[int]:
    """Hashed word n-grams of a text (case folded), for near-duplicate detection."""
    words = _WORDS.findall(text.casefold())
    if len(words) < size:
        return {hash(tuple(words))} if words else set()
    return {hash(tuple(words[i:i + size])) for i in range(len(words) - size + 1)}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _when(published: str | None) -> tuple[str, bool, str]:
    """Sort key for "earliest": the day, then reports with a time of day before date-only ones.

    A wire original usually carries a precise timestamp while a reprint often gives only the day,
    so on the same day the timed report is taken as the original.
    """
    if not published:
        return ("\uffff", True, "")
    return (published[:10], len(published) <= 10, published)


def find_duplicates(analyses: list[ArticleAnalysis], threshold: float = DUPLICATE_JACCARD) -> dict[str, str]:
    """Map each copy's article id to the earliest article it copies (by date, then story order)."""
    order = sorted(range(len(analyses)), key=lambda i: (_when(analyses[i].article.published), i))
    sigs = {a.article.id: shingles(a.article.text) for a in analyses}
    originals: list[str] = []
    dup: dict[str, str] = {}
    for i in order:
        aid = analyses[i].article.id
        for orig in originals:
            if _jaccard(sigs[aid], sigs[orig]) >= threshold:
                dup[aid] = orig
                break
        else:
            originals.append(aid)
    return dup


def source_groups(analyses: list[ArticleAnalysis], duplicates: dict[str, str]) -> dict[str, str]:
    """Map every article id to a source-group id: copies join their original, one outlet is one source."""
    parent: dict[str, str] = {a.article.id: a.article.id for a in analyses}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for copy, orig in duplicates.items():
        if copy in parent and orig in parent:
            union(copy, orig)
    by_outlet: dict[str, str] = {}
    for a in analyses:
        outlet = (a.article.outlet or "").strip().casefold()
        if outlet:
            if outlet in by_outlet:
                union(a.article.id, by_outlet[outlet])
            else:
                by_outlet[outlet] = a.article.id
    return {aid: find(aid) for aid in parent}


def _entities(claim: Claim, entity_ids: set[str]) -> set[str]:
    refs = {claim.subject, claim.object}
    return {r for r in refs if r and r in entity_ids}


def claims_match(a: Claim, b: Claim, entity_ids: set[str], words: dict[str, set[str]] | None = None) -> bool:
    """True when two claims report the same thing, ignoring polarity (negation is compared by callers).

    Same predicate, and either shared linked entities with some content-word overlap (Jaccard >= 0.2)
    or strong content-word overlap on its own (>= 0.5).
    """
    if a.predicate != b.predicate:
        return False
    wa = words[a.id] if words else content_words(a.text)
    wb = words[b.id] if words else content_words(b.text)
    overlap = _jaccard(wa, wb)
    if overlap >= 0.5:
        return True
    return bool(_entities(a, entity_ids) & _entities(b, entity_ids)) and overlap >= 0.2


def claim_groups(claims: list[Claim], entity_ids: set[str]) -> list[list[Claim]]:
    """Group claims that report the same thing (single link over `claims_match`, polarity ignored)."""
    words = {c.id: content_words(c.text) for c in claims}
    parent = list(range(len(claims)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    by_predicate: dict[str, list[int]] = {}
    for i, claim in enumerate(claims):
        by_predicate.setdefault(claim.predicate, []).append(i)
    for members in by_predicate.values():
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                # Already in one group: the match test cannot change anything.
                if claims[i].article != claims[j].article and find(i) != find(j) \
                        and claims_match(claims[i], claims[j], entity_ids, words):
                    parent[find(j)] = find(i)
    groups: dict[int, list[Claim]] = {}
    for i, claim in enumerate(claims):
        groups.setdefault(find(i), []).append(claim)
    return list(groups.values())


def corroborate(claims: list[Claim], groups_of: dict[str, str], entity_ids: set[str]) -> list[list[Claim]]:
    """Set `corroboration` on every claim (independent sources carrying it, same polarity) and return the groups."""
    groups = claim_groups(claims, entity_ids)
    for group in groups:
        for polarity in (True, False):
            same = [c for c in group if c.negated == polarity]
            sources = {groups_of.get(c.article, c.article) for c in same}
            for claim in same:
                claim.corroboration = len(sources)
    return groups
