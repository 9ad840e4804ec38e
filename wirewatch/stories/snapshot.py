"""Snapshot bullets and title of a story, built only from the reports' own sentences and claims.

Claims that report the same thing (see claim_groups.py) become one candidate bullet. A
bullet's text is the most central claim of its group (highest mean word overlap with the rest of
the story's claims), expanded to its whole sentence when the hedge cue sits outside the clause, so
a "reportedly" carried by every source stays visible. Bullets rank by centrality, the number of
outlets and, above all, the number of independent origins, and each lists every article and claim
of its group. Stories whose reports
yielded no claims fall back to their lead sentences, each citing its article.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import lru_cache

from wirewatch.model import ArticleAnalysis, Bullet, Claim
from wirewatch.stories.features import content_words
from wirewatch.stories.titles import story_title as neutral_title

__all__ = ["MAX_BULLETS", "MIN_BULLETS", "build_snapshot", "story_title", "sentence_around"]

MAX_BULLETS = 7
MIN_BULLETS = 3
MIN_WORDS = 6  # shorter bullet texts are fragments, not statements of fact
MAX_SENTENCE_WORDS = 60  # a fragment is widened to its sentence only when that stays readable
LEAD_CHARS = 300  # a claim starting this close to the top of its report is part of the lead
NEAR_DUPLICATE = 0.7  # word cosine at which two bullets say the same thing
_QUOTES = "\"'\u201c\u2018"
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|me|my|we|We|us|our|Our|My)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+|\n+")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence of `text` containing [start, end) (split on end punctuation and newlines)."""
    # The last break a scan of text[:start] finds: the last whole break before `start`, unless a
    # break runs across `start`, whose part before `start` the scan sees from where that break begins.
    starts, ends = _breaks(text)
    k = bisect_right(ends, start)
    left = ends[k - 1] if k else 0
    if k < len(starts) and starts[k] < start:
        for m in _SENTENCE_END.finditer(text, starts[k], start):
            left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = m.start() if m else len(text)
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, max(right, end)


@lru_cache(maxsize=256)  # a story rebuild asks for many sentences of the same few reports
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """Where each sentence break of `text` starts and ends, in order (breaks never overlap)."""
    starts: list[int] = []
    ends: list[int] = []
    for m in _SENTENCE_END.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _cos(a: set[str], b: set[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def _centrality(claims: list[Claim]) -> dict[str, float]:
    """Each claim's mean word cosine with the claims of the story's other reports.

    The sum over other reports' claims is the claim's dot product with the sum of every claim's unit
    vector minus the sum of its own report's, so the cost is linear in the story's words, not
    quadratic in its claims (a 200-report story holds thousands of claims).
    """
    vectors: list[dict[str, float]] = []
    total: dict[str, float] = {}
    per_article: dict[str, dict[str, float]] = {}
    sizes: dict[str, int] = {}
    for claim in claims:
        words = content_words(claim.text)
        weight = 1.0 / math.sqrt(len(words)) if words else 0.0
        vec = dict.fromkeys(words, weight)
        vectors.append(vec)
        own = per_article.setdefault(claim.article, {})
        for w in words:
            total[w] = total.get(w, 0.0) + weight
            own[w] = own.get(w, 0.0) + weight
        sizes[claim.article] = sizes.get(claim.article, 0) + 1
    n = len(claims)
    out: dict[str, float] = {}
    for claim, vec in zip(claims, vectors):
        others = n - sizes[claim.article]
        own = per_article[claim.article]
        dot = sum(x * (total[w] - own[w]) for w, x in vec.items())
        out[claim.id] = max(dot, 0.0) / others if others else 0.0
    return out


def _shows_hedge(claim: Claim, text: str) -> bool:
    return any(h.casefold() in text.casefold() for h in claim.hedges) if claim.hedges else True


def _is_fragment(text: str) -> bool:
    """Not a full declarative sentence: under MIN_WORDS words, or not opening with a capital or quote."""
    stripped = text.strip()
    return len(stripped.split()) < MIN_WORDS or not (stripped[:1].isupper() or stripped[:1] in _QUOTES)


def _bullet_text(claim: Claim, texts: dict[str, str]) -> str:
    """The claim's own words; its whole sentence when a hedge cue of the claim lies outside the clause,
    or when the clause alone is a fragment ("denied targeting civilian buildings") and the sentence is
    not overly long."""
    text = claim.text
    body = texts.get(claim.article, "")
    if body[claim.start:claim.end] != claim.text:
        return text
    hedge_outside = claim.hedged and claim.hedges and not any(h.casefold() in text.casefold() for h in claim.hedges)
    if hedge_outside or _is_fragment(text):
        s, e = sentence_around(body, claim.start, claim.end)
        sentence = body[s:e].strip()
        if hedge_outside or len(sentence.split()) <= MAX_SENTENCE_WORDS:
            text = sentence
    return text


def quality(text: str, claim: Claim, entity_ids: set[str], figures: set[str] = frozenset()) -> float:
    """How well a bullet text states a key fact: full declarative sentences carrying names and figures
    rank up; fragments and first-person quotes ("I heard the whistle") rank down."""
    q = 1.0
    if _is_fragment(text):
        q *= 0.3
    if _FIRST_PERSON.search(text):
        q *= 0.5  # an eyewitness's own words colour a story; they rarely state its facts
    if not text.rstrip().endswith((".", "!", "?", '"', "\u201d", "'", "\u2019")):
        q *= 0.8
    if figures & set(claim.quantities):
        q *= 1.3  # carries a figure of something counted (people killed, homes, barrels), not an age

    if (claim.subject in entity_ids) or (claim.object in entity_ids):
        q *= 1.1
    if claim.start < LEAD_CHARS:
        q *= 1.5  # news leads with its key facts (who, what, where, how many)
    return q


def build_snapshot(analyses: list[ArticleAnalysis], groups: list[list[Claim]], source_of: dict[str, str],
                   duplicates: dict[str, str], origin_names: dict[str, list[str]] | None = None,
                   disputed: set[str] = frozenset()) -> list[Bullet]:
    """Rank claim groups into 3-7 cited bullets (fewer when the story has fewer distinct claims).

    Rank = (centrality + half the share of outlets + share of independent origins) x quality of the
    bullet text (see `quality`): seven outlets repeating one wire story rank below three outlets
    that each know it separately. `origin_names` (group id -> origin names) and `disputed` (group
    ids) come from origins.independence and corroborate.mark_disputed.
    """
    origin_names = origin_names or {}
    texts = {a.article.id: a.article.text for a in analyses}
    entity_ids = {e.id for a in analyses for e in a.entities}
    figures = {q.id for a in analyses for q in a.quantities if q.counted or q.unit}
    claims = [c for g in groups for c in g if c.article not in duplicates]
    central = _centrality(claims) if claims else {}
    n_sources = max(1, len(set(source_of.values())))
    n_origins = max([c.independent or 1 for g in groups for c in g] or [1])
    candidates = []
    for group in groups:
        pool = [c for c in group if c.article not in duplicates] or group
        # Prefer asserted claims as the face of a bullet; denials show as conflicts.
        pool = [c for c in pool if not c.negated] or pool
        all_hedged = all(c.hedged for c in pool)
        shown = {c.id: _bullet_text(c, texts) for c in pool}
        # When every source hedges, the face must show a hedge: prefer a claim whose text carries its cue.
        face = max(pool, key=lambda c: (not all_hedged or _shows_hedge(c, shown[c.id]),
                                        (central.get(c.id, 0.0) + 0.01) * quality(shown[c.id], c, entity_ids, figures),
                                        -len(c.text)))
        sources = {source_of.get(c.article, c.article) for c in group if c.negated == face.negated}
        text = shown[face.id]
        independent = face.independent or len(sources)
        score = ((central.get(face.id, 0.0) + 0.5 * len(sources) / n_sources + independent / n_origins)
                 * quality(text, face, entity_ids, figures))
        if all_hedged and not _shows_hedge(face, text):
            # The cue was found but lies outside any sentence we can quote: mark it, never drop it.
            text = f"[{face.hedges[0] if face.hedges else 'hedged'}] {text}"
        if not text.strip():
            continue
        bullet = Bullet(
            text=text,
            articles=list(dict.fromkeys(c.article for c in group)),
            claims=[c.id for c in group],
            hedged=all_hedged,
            corroboration=len(sources),
            independent=independent,
            origins=list(origin_names.get(face.group or "", [])),
            group=face.group,
            disputed=(face.group or "") in disputed,
        )
        candidates.append((score, content_words(text), bullet))
    if not candidates:
        return _lead_bullets(analyses, duplicates)
    candidates.sort(key=lambda t: -t[0])
    chosen: list[tuple[float, set[str], Bullet]] = []
    for cand in candidates:
        # Two bullets saying nearly the same words waste a line; keep the better-ranked one.
        if any(_cos(cand[1], other[1]) >= NEAR_DUPLICATE for other in chosen):
            continue
        chosen.append(cand)
        if len(chosen) == MAX_BULLETS:
            break
    return [b for _, _, b in chosen]


def _lead_bullets(analyses: list[ArticleAnalysis], duplicates: dict[str, str]) -> list[Bullet]:
    """First sentences of the (non-copy) reports, merged when two say the same, each citing its reports."""
    bullets: list[tuple[set[str], Bullet]] = []
    for a in analyses:
        text = a.article.text.strip()
        if not text:
            continue
        offset = a.article.text.index(text[0])
        s, e = sentence_around(a.article.text, offset, offset + 1)
        sentence = a.article.text[s:e].strip()
        words = content_words(sentence)
        for other_words, bullet in bullets:
            if _cos(words, other_words) >= 0.6:
                bullet.articles.append(a.article.id)
                break
        else:
            if a.article.id not in duplicates:
                bullets.append((words, Bullet(text=sentence, articles=[a.article.id])))
    for _, bullet in bullets:
        bullet.corroboration = len(bullet.articles)
    ranked = sorted((b for _, b in bullets), key=lambda b: -len(b.articles))
    return ranked[:MAX_BULLETS]


def story_title(analyses: list[ArticleAnalysis]) -> str:
    """The story's most informative, least loud headline (see titles.py)."""
    return neutral_title(analyses)
