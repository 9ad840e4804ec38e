"""A story's timeline: each report at its publication date, and each claim the extractor dated."""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis, Claim, TimelineEntry

__all__ = ["build_timeline"]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def build_timeline(analyses: list[ArticleAnalysis], claims: list[Claim]) -> list[TimelineEntry]:
    """Reports (by publication date) and dated claims, in date order; undated reports are left out.

    A claim whose text and date repeat one already listed (syndicated copies carry the same wire text)
    appears once, citing the earliest report that carries it (by publication date, then arrival).
    """
    entries = []
    order = {a.article.id: (a.article.published or "\uffff", i) for i, a in enumerate(analyses)}
    for a in analyses:
        if a.article.published:
            entries.append(TimelineEntry(date=a.article.published, article=a.article.id, claim=None,
                                         text=a.article.title or a.article.text[:120]))
    first: dict[tuple[str, str], Claim] = {}
    for claim in claims:
        if not claim.date:
            continue
        key = (claim.date, _fold(claim.text))
        seen = first.get(key)
        if seen is None or order.get(claim.article, ("\uffff", 0)) < order.get(seen.article, ("\uffff", 0)):
            first[key] = claim
    for claim in first.values():
        entries.append(TimelineEntry(date=claim.date, article=claim.article, claim=claim.id, text=claim.text))
    # Reports before the claims they carry on the same date; then stable by article and claim id.
    entries.sort(key=lambda e: (e.date[:10], e.claim is not None, e.date, e.article, e.claim or ""))
    return entries
