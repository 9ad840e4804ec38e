"""Corroboration within a story: syndicated copies, independent sources, and which claims agree.

A wire story reprinted under several mastheads is one source, not several: two reports whose
5-word shingles overlap with Jaccard >= 0.8 are copies, and the later one gets `duplicate_of`.
Copies and reports of the same outlet form one *source group*; a claim's corroboration is the
number of source groups in the story carrying a claim of its group (claim_groups.py). How many
*independent origins* those outlets rely on is origins.py's business; a group whose claims are
denied, or whose figures clash, across origins is marked disputed here.
"""
from __future__ import annotations

import re

from collections.abc import Callable

from wirewatch.model import ArticleAnalysis, Claim, Conflict, Quantity
from wirewatch.stories.conflicts import compatible, contradicts, counted_key

__all__ = ["DUPLICATE_JACCARD", "shingles", "find_duplicates", "source_groups", "corroborate", "mark_disputed"]

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


def corroborate(groups: list[list[Claim]], groups_of: dict[str, str]) -> None:
    """Set `corroboration` on every claim: the source groups (outlets, copies folded) carrying its group
    with the same polarity. Groups come from claim_groups.assign_groups."""
    for group in groups:
        for polarity in (True, False):
            same = [c for c in group if c.negated == polarity]
            sources = {groups_of.get(c.article, c.article) for c in same}
            for claim in same:
                claim.corroboration = len(sources)


def mark_disputed(groups: list[list[Claim]], conflicts: list[Conflict], quantities: list[Quantity],
                  roots: Callable[[Claim], set[str]]) -> set[str]:
    """Link each conflict to the claim groups it disputes and return the disputed group ids.

    A group is disputed when it holds an asserted and a negated claim of the same event type from
    different origins where the negation denies the assertion (conflicts.contradicts: a denial), or two claims from different origins carrying incompatible figures of the same counted
    thing. `roots(claim)` gives the origins a claim relies on (origins.OriginIndex.roots).
    """
    by_id = {q.id: q for q in quantities}
    disputed: set[str] = set()
    for group in groups:
        gid = group[0].group or group[0].id
        claim_ids = {c.id for c in group}
        asserted = [c for c in group if not c.negated]
        denied = [c for c in group if c.negated]
        denial = any(roots(a) != roots(d) and a.predicate == d.predicate and contradicts(a, d)
                     for a in asserted for d in denied)
        figures = [(by_id[q], c) for c in group for q in c.quantities if q in by_id]
        clashing: set[str] = set()
        for i, (qa, ca) in enumerate(figures):
            key = counted_key(qa)
            for qb, cb in figures[i + 1:]:
                if key and counted_key(qb) == key and not compatible(qa, qb) and roots(ca) != roots(cb):
                    clashing |= {qa.id, qb.id}
        for conflict in conflicts:
            held = {v.claim for v in conflict.values} & claim_ids if conflict.kind == "denial" and denial else set()
            figured = {v.quantity for v in conflict.values} & clashing
            if held or figured:
                disputed.add(gid)
                if gid not in conflict.groups:
                    conflict.groups.append(gid)
    return disputed
