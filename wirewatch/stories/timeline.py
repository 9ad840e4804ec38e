"""A story's timeline: each report at its publication date, and each claim the extractor dated."""
from __future__ import annotations

from wirewatch.model import ArticleAnalysis, Claim, TimelineEntry

__all__ = ["build_timeline"]


def build_timeline(analyses: list[ArticleAnalysis], claims: list[Claim]) -> list[TimelineEntry]:
    """Reports (by publication date) and dated claims, in date order; undated reports are left out."""
    entries = []
    for a in analyses:
        if a.article.published:
            entries.append(TimelineEntry(date=a.article.published, article=a.article.id, claim=None,
                                         text=a.article.title or a.article.text[:120]))
    for claim in claims:
        if claim.date:
            entries.append(TimelineEntry(date=claim.date, article=claim.article, claim=claim.id, text=claim.text))
    # Reports before the claims they carry on the same date; then stable by article and claim id.
    entries.sort(key=lambda e: (e.date[:10], e.claim is not None, e.date, e.article, e.claim or ""))
    return entries
