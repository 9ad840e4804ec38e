"""A story's title: its most informative and least loud headline.

A headline is loud when the headline check flagged it (sensational, or a clickbait probability of
0.5 or more from the trained headline model) or when it shouts (an exclamation mark, a word in
capitals). Loud headlines are used only when the story has no other. Among the rest, a headline is
informative when its words are the story's words: each content word scores the share of the
story's reports that use it (title or lead), so specific names and figures every report carries
count, and vague teasers ("what happened next") count for nothing. Ties go to the earliest report.
"""
from __future__ import annotations

import re

from wirewatch.model import Article, ArticleAnalysis
from wirewatch.stories.features import content_words

__all__ = ["is_loud", "story_title"]

CLICKBAIT = 0.5
LEAD_CHARS = 1000  # the words a report leads with are enough to say what it is about, and cheap
_ACRONYM_MAX = 5  # all-capital words this short may be acronyms when the whole headline is not shouting


def is_loud(article: Article) -> bool:
    """Whether a headline is flagged sensational/clickbait or shouts."""
    check = article.headline
    if check is not None and (check.sensational or (check.clickbait or 0.0) >= CLICKBAIT):
        return True
    title = article.title or ""
    if "!" in title:
        return True
    caps = re.findall(r"\b[A-Z]{2,}\b", title)
    return any(len(w) > _ACRONYM_MAX for w in caps) or len(caps) >= 3


def story_title(analyses: list[ArticleAnalysis]) -> str:
    """The title of a story: its most informative headline among the least loud ones."""
    titled = [a for a in analyses if (a.article.title or "").strip()]
    if not titled:
        return (analyses[0].article.text.strip().split("\n")[0][:120]) if analyses else ""
    calm = [a for a in titled if not is_loud(a.article)] or titled
    vocab = [content_words(a.article.title) | content_words(a.article.text[:LEAD_CHARS]) for a in analyses]

    def informative(analysis: ArticleAnalysis) -> float:
        words = content_words(analysis.article.title)
        return sum(sum(w in v for v in vocab) for w in words) / len(vocab)

    order = {a.article.id: i for i, a in enumerate(sorted(titled, key=lambda a: a.article.published or "\uffff"))}
    best = max(calm, key=lambda a: (round(informative(a), 6), -order[a.article.id]))
    return best.article.title.strip()
