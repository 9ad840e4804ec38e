"""Matching new articles, claims and conflicts against watchlists, and storing the alerts they raise.

An alert cites what fired it: the article, and the span of its body (or title) that matched. With
an event type, claims are the unit (one alert per matching claim, citing the claim's span);
otherwise the article is (one alert, citing the first matching span). A conflict in a story that
a new article joined raises an alert when the conflict itself matches. Alert ids derive from the
watchlist and the cited thing, so matching the same article twice raises nothing new.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

from wirewatch.alerts.watchlists import Watchlist, list_watchlists
from wirewatch.errors import WirewatchError
from wirewatch.extract.predicates import PLOVER_FALLBACK
from wirewatch.model import ArticleAnalysis, Claim, Conflict, Entity, stable_id
from wirewatch.resolve.gazetteer import distance_km
from wirewatch.store import Store

MAX_SPAN_TEXT = 300


def now_iso() -> str:
    """The current UTC time as alerts store it (seconds, +00:00)."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def utc_iso(value: str) -> str:
    """An ISO 8601 date or time from a user (UTC unless it says otherwise), in the alerts' own format."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise WirewatchError(f"{value!r} is not an ISO 8601 date or time (e.g. 2026-12-02 or 2026-12-02T08:00)") from None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def raise_alerts(store: Store, article_ids: list[str], created: str | None = None, only: str | None = None) -> list[dict]:
    """Match the given (newly stored) articles against every watchlist (or the one named `only`); store and return the new alerts."""
    watchlists = [w for w in list_watchlists(store) if only is None or w.name == only]
    if not watchlists or not article_ids:
        return []
    created = created or now_iso()
    alerts: list[dict] = []
    new_ids = set(article_ids)
    stories: dict[str, None] = {}
    analyses: dict[str, ArticleAnalysis] = {}
    for article_id in article_ids:
        analysis = store.get_analysis(article_id)
        analyses[article_id] = analysis
        for watchlist in watchlists:
            alerts.extend(match_article(watchlist, analysis, created))
        story = store.story_of_article(article_id)
        if story:
            stories[story] = None
    for story_id in stories:
        story = store.get_story(story_id)
        for conflict in story.conflicts:
            if not new_ids.intersection(v.article for v in conflict.values):
                continue
            for article_id in {v.article for v in conflict.values} - set(analyses):
                analyses[article_id] = store.get_analysis(article_id)
            for watchlist in watchlists:
                alert = match_conflict(watchlist, conflict, story_id, analyses, new_ids, created)
                if alert:
                    alerts.append(alert)
    return store.add_alerts(alerts)


# --- criteria -------------------------------------------------------------------------------
def _name_pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in re.findall(r"\w+", name.casefold())]
    return re.compile(r"(?<!\w)" + r"\W+".join(words) + r"(?!\w)") if words else re.compile(r"(?!x)x")


def _entity_matches(watchlist: Watchlist, entity: Entity) -> bool:
    pattern = _name_pattern(watchlist.entity or "")
    return any(pattern.search(n.casefold()) for n in [entity.name, *entity.aliases])


def _words_span(words: list[str], text: str) -> tuple[int, int] | None:
    """Where `words` occur in `text`: the phrase when they are adjacent, else the first word; None if any is missing."""
    folded = text.casefold()
    if len(folded) != len(text):  # casefolding changed lengths ("ß"): offsets would drift
        folded = text.lower()
    found = []
    for word in words:
        match = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", folded)
        if not match:
            return None
        found.append(match)
    phrase = re.search(r"(?<!\w)" + r"\W+".join(re.escape(w) for w in words) + r"(?!\w)", folded)
    first = phrase or found[0]
    return first.start(), first.end()


def _near_places(watchlist: Watchlist, analysis: ArticleAnalysis) -> list[Entity]:
    near = watchlist.near or {}
    return [e for e in analysis.entities if e.geo is not None
            and distance_km(near["lat"], near["lon"], e.geo.lat, e.geo.lon) <= near["km"]]


def _in(span: tuple[int, int], mention) -> bool:
    return span[0] <= mention.start and mention.end <= span[1]


# --- articles and claims ----------------------------------------------------------------------
def match_article(watchlist: Watchlist, analysis: ArticleAnalysis, created: str) -> list[dict]:
    """The alerts one article raises for one watchlist (claims when the watchlist names an event)."""
    article = analysis.article
    watched = [e for e in analysis.entities if watchlist.entity and _entity_matches(watchlist, e)]
    places = _near_places(watchlist, analysis) if watchlist.near else []
    if watchlist.entity and not watched or watchlist.near and not places:
        return []
    if watchlist.event:
        return [_alert(watchlist, analysis, "claim", (c.start, c.end), created, claim=c)
                for c in analysis.claims if _claim_matches(watchlist, c, watched)]
    spans: list[tuple[str, tuple[int, int]]] = []
    if watchlist.words:
        body = _words_span(watchlist.words, article.text)
        title = None if body else _words_span(watchlist.words, article.title)
        if body is None and title is None:
            return []
        spans.append(("text", body) if body else ("title", title))
    for entity in watched + places:
        if entity.mentions:
            first = min(entity.mentions, key=lambda m: m.start)
            spans.append(("text", (first.start, first.end)))
    field, span = spans[0] if spans else ("text", (0, 0))
    return [_alert(watchlist, analysis, "article", span, created, field=field)]


def _claim_matches(watchlist: Watchlist, claim: Claim, watched: list[Entity]) -> bool:
    if watchlist.event not in (claim.predicate, PLOVER_FALLBACK.get(claim.predicate)):
        return False
    span = (claim.start, claim.end)
    if watchlist.entity:
        ids = {e.id for e in watched}
        named = {claim.subject, claim.object, claim.attribution.entity if claim.attribution else None}
        if not ids & named and not any(_in(span, m) for e in watched for m in e.mentions):
            return False
    return not watchlist.words or _words_span(watchlist.words, claim.text) is not None


def _alert(watchlist: Watchlist, analysis: ArticleAnalysis, kind: str, span: tuple[int, int], created: str,
           field: str = "text", claim: Claim | None = None) -> dict:
    article = analysis.article
    source = article.title if field == "title" else article.text
    cited = source[span[0]:span[1]]
    target = claim.id if claim else article.id
    alert = {
        "id": stable_id("al", watchlist.name, kind, target),
        "watchlist": watchlist.name,
        "created": created,
        "kind": kind,
        "article": _article_ref(analysis),
        "span": {"field": field, "start": span[0], "end": span[1], "text": cited[:MAX_SPAN_TEXT]},
        "summary": f"{watchlist.name}: {article.title}",
    }
    if claim:
        alert["claim"] = {"id": claim.id, "predicate": claim.predicate, "hedged": claim.hedged, "negated": claim.negated}
        alert["summary"] = f"{watchlist.name}: {claim.predicate} claim in {article.title!r}: {cited[:140]}"
    return alert


def _article_ref(analysis: ArticleAnalysis) -> dict:
    article = analysis.article
    return {"id": article.id, "title": article.title, "url": article.url, "outlet": article.outlet,
            "published": article.published}


# --- conflicts --------------------------------------------------------------------------------
def match_conflict(watchlist: Watchlist, conflict: Conflict, story_id: str, analyses: dict[str, ArticleAnalysis],
                   new_ids: set[str], created: str) -> dict | None:
    """The alert a story conflict raises for a watchlist, citing a new article's side of it, or None."""
    text = " ".join([conflict.about] + [v.text or "" for v in conflict.values])
    claims = {c.id: c for v in conflict.values for c in analyses[v.article].claims if c.id == v.claim}
    if watchlist.words and _words_span(watchlist.words, text) is None:
        return None
    if watchlist.event and not any(watchlist.event in (c.predicate, PLOVER_FALLBACK.get(c.predicate))
                                   for c in claims.values()):
        return None
    if watchlist.entity:
        named = _name_pattern(watchlist.entity).search(text.casefold())
        ids = {e.id for a in {v.article for v in conflict.values} for e in analyses[a].entities
               if _entity_matches(watchlist, e)}
        if not named and not any({c.subject, c.object} & ids for c in claims.values()):
            return None
    if watchlist.near and not any(_near_places(watchlist, analyses[v.article]) for v in conflict.values):
        return None
    side = next(v for v in conflict.values if v.article in new_ids)
    analysis = analyses[side.article]
    span = _value_span(analysis, side)
    sides = sorted(f"{v.article}={v.value}" for v in conflict.values)
    alert = _alert(watchlist, analysis, "conflict", span, created)
    alert["id"] = stable_id("al", watchlist.name, "conflict", story_id, conflict.about, *sides)
    alert["story"] = story_id
    alert["conflict"] = {"about": conflict.about, "kind": conflict.kind,
                         "values": [{"value": v.value, "article": v.article, "text": v.text} for v in conflict.values]}
    alert["summary"] = f"{watchlist.name}: sources disagree on {conflict.about!r} ({', '.join(str(v.value) for v in conflict.values)})"
    return alert


def _value_span(analysis: ArticleAnalysis, side) -> tuple[int, int]:
    for item in [*analysis.quantities, *analysis.claims]:
        if item.id in (side.quantity, side.claim):
            return item.start, item.end
    if side.text and (at := analysis.article.text.find(side.text)) >= 0:
        return at, at + len(side.text)
    return 0, 0
