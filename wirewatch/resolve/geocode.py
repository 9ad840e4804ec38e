"""Geocode place entities in context, find places the NER missed, link demonyms to countries.

For a batch of articles (`geocode_analyses`): demonym groups get their country; organizations
that are unmistakably places, and names the NER cut or glued, are repaired (`place_repairs`);
places the NER missed are found (`place_scan`). Each place's gazetteer candidates
(`place_candidates`) get a first pick by the hand-set score alone, which gives every article its
countries, regions and likely readings: the context of the others. The trained ranker
(`place_features`, `place_ranker`) then scores each place's 10 best candidates in that context
and keeps the best when the candidates' summed probability reaches the model's threshold; a
village whose name many places share, or a region named only with generic words ("West
Coast"), also needs its country in the article. Streets, buildings and facilities are then put
at their town (`facilities`), and places used only as actors are marked (`metonymy`).
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from wirewatch.model import ArticleAnalysis, Entity, stable_id
from wirewatch.resolve.facilities import resolve_facilities
from wirewatch.resolve.gazetteer import Gazetteer, Place, fold
from wirewatch.resolve.metonymy import mark_metonymy
from wirewatch.resolve.place_candidates import (
    CHIEF_CITY, QUALIFIER_GAP, candidates, dateline, qualifier_places, region_hint, score_candidates,
)
from wirewatch.resolve.place_features import RankContext
from wirewatch.resolve.place_ranker import PRESELECT, accept_threshold, rank
from wirewatch.resolve.place_repairs import join_split_names, retype_locative, retype_near_places, split_glued_names
from wirewatch.resolve.place_scan import find_missed_places
from wirewatch.resolve.places_lexicon import COMMON_WORD_PLACES, GENERIC_REGION_WORDS

__all__ = ["geocode_analyses", "prepare_batch", "ranking_inputs", "preselect", "rank_context", "score_candidates"]

SMALL_TOWN = 5_000  # below this, a town sharing its name with 2+ places needs its country named
OTHER_READINGS = 5  # readings of each other place the ranker's proximity features look at
_LOCAL = ("city", "capital", "admin2", "admin1")


def geocode_analyses(analyses: Iterable[ArticleAnalysis], resources: Any, context: dict | None = None) -> None:
    """Set `geo` on place entities and `country` on demonym groups, adding places the NER missed.

    `resources.gazetteer` is the index; `context` may carry story-level country counts, either
    as `{"countries": {"SY": 4, ...}}` or as the counts dict itself. Works in place.
    """
    gaz: Gazetteer = resources.gazetteer
    prepared, batch = prepare_batch(analyses, gaz, context)
    for analysis, ev in prepared:
        _resolve_article(analysis, ev, gaz, batch)
        home = ev["dateline_place"]
        resolve_facilities(analysis, gaz, home.to_geo() if home and home.feature in ("city", "capital", "admin2") else None)
        mark_metonymy(analysis)


def prepare_batch(analyses: Iterable[ArticleAnalysis], gaz: Gazetteer, context: dict | None = None) -> tuple[list[tuple[ArticleAnalysis, dict]], Counter]:
    """Find and repair the batch's place entities, then gather each article's evidence.

    Returns (analysis, evidence) pairs and the batch's country counts: what `_resolve_article`
    and the ranker's training script (`ranking_inputs`) read.
    """
    analyses = list(analyses)
    scanned = set()
    for analysis in analyses:
        _link_demonyms(analysis, gaz)
        _retype_places(analysis, gaz)
        join_split_names(analysis, gaz)
        split_glued_names(analysis, gaz)
        scanned.update(retype_locative(analysis, gaz))  # held to the scan's stricter threshold
    for analysis in analyses:
        missed = find_missed_places(analysis, gaz)
        scanned.update(e.id for e in missed)
        analysis.entities.extend(missed)
    evidence = [_article_evidence(a, gaz) for a in analyses]
    for ev in evidence:
        ev["scanned"] = scanned
    batch = Counter(_context_counts(context))
    for ev in evidence:
        batch.update(set(ev["countries"]))
    return list(zip(analyses, evidence)), batch


def ranking_inputs(analysis: ArticleAnalysis, ev: dict, gaz: Gazetteer, batch: Counter):
    """(entity, preselected candidates, variant, RankContext) for each place entity with candidates.

    The rows the ranker scores at run time, for `scripts/train_geo_ranker.py`; every mention's
    qualifiers count (run time may split an entity whose mentions disagree).
    """
    for entity in analysis.entities:
        if entity.type != "place":
            continue
        found, qualifier, variant = ev["cands"].get(entity.id) or candidates(entity.name, gaz)
        if not found:
            continue
        quals = qualifier_places(qualifier, gaz) if qualifier else []
        quals += [q for qs in _adjacent_qualifiers(entity, analysis, ev["first"], gaz) for q in qs]
        ctx = rank_context(entity, quals, ev, batch)
        yield entity, preselect(found, variant, ctx), variant, ctx


def _context_counts(context: dict | None) -> dict[str, float]:
    if not context:
        return {}
    counts = context.get("countries", context)
    return {k: v for k, v in counts.items() if isinstance(k, str) and len(k) == 2 and isinstance(v, (int, float))}


def _link_demonyms(analysis: ArticleAnalysis, gaz: Gazetteer) -> None:
    """Groups named by a demonym ("Syrian", "Syrian Kurds") point to their country."""
    for entity in analysis.entities:
        if entity.type == "group" and not entity.country:
            words = [entity.name] + entity.name.split()
            entity.country = next((c for c in map(gaz.demonym_country, words) if c), None)


def _retype_places(analysis: ArticleAnalysis, gaz: Gazetteer) -> None:
    """Organizations the NER named that are unmistakably places become places.

    Only names of a country, first-level region, national capital, continent or macro region
    ("Cyprus", "Harare"), and the dateline's place ("RALEIGH, N.C. —"): a company named after
    its home town ("Toyota") stays an organization.
    """
    head, _ = dateline(analysis.article)
    dateline_end = len(head) + (len(analysis.article.text) - len(analysis.article.text.lstrip())) if head else -1
    for entity in analysis.entities:
        if entity.type != "organization" or fold(entity.name) in COMMON_WORD_PLACES:
            continue
        places = gaz.lookup(entity.name)
        strong = any(p.feature in ("country", "admin1", "capital", "continent", "region") and fold(entity.name) == fold(p.name) for p in places)
        at_dateline = bool(places) and any(m.start <= dateline_end and m.end == dateline_end for m in entity.mentions)
        if strong or at_dateline:
            entity.type = "place"


def _article_evidence(analysis: ArticleAnalysis, gaz: Gazetteer) -> dict:
    """Candidates per place entity, first-pass countries, dateline and outlet country."""
    article = analysis.article
    places = [e for e in analysis.entities if e.type == "place"]
    cands: dict[str, tuple[list[Place], str | None, str]] = {e.id: candidates(e.name, gaz) for e in places}
    first: dict[str, Place] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    for entity in places:
        found, _, variant = cands[entity.id]
        if found:
            scored = score_candidates(found, variant, region_hint=region_hint(entity.name))
            first[entity.id] = scored[0][1]
            # Where each place might be: its likeliest local readings, for the ranker's
            # "near another place of the article" features.
            points[entity.id] = [(p.lat, p.lon) for _, p in scored[:OTHER_READINGS] if p.feature in _LOCAL]
    countries: Counter = Counter()
    for eid, place in first.items():
        if place.country:
            countries[place.country] += 1
    for entity in analysis.entities:
        if entity.type == "group" and entity.country:
            countries[entity.country] += 1
    # First-level regions the article names ("NEW JERSEY", "Calif." in the dateline): a town in
    # one of them is likelier than its namesakes elsewhere.
    regions: set[tuple[str | None, str | None]] = set()
    dateline_country = dateline_place = None
    head, qualifier = dateline(article)
    if head:
        found = gaz.lookup(head)
        quals = qualifier_places(qualifier, gaz) if qualifier else []
        regions.update((q.country, q.admin1) for q in quals if q.feature == "admin1")
        if found:
            dateline_place = score_candidates(found, head, qualifiers=quals or None)[0][1]
            dateline_country = dateline_place.country
    outlet = (article.extra or {}).get("country")
    return {
        "cands": cands,
        "first": first,
        "points": points,
        "countries": countries,
        "dateline_regions": regions,
        "names": {e.id: fold(e.name) for e in places},
        "dateline": dateline_country,
        "dateline_place": dateline_place,
        "outlet": outlet.upper() if isinstance(outlet, str) else None,
    }


def _adjacent_qualifiers(entity: Entity, analysis: ArticleAnalysis, first: dict[str, Place], gaz: Gazetteer) -> list[list[Place]]:
    """Per mention, the countries/regions written right after it: "Paris, Texas", "Paris next to Texas"."""
    text = analysis.article.text
    spans = sorted(
        (m.start, m.end, e.id) for e in analysis.entities if e.type == "place" and e.id != entity.id for m in e.mentions
    )
    out: list[list[Place]] = []
    for mention in entity.mentions:
        quals: list[Place] = []
        for start, end, eid in spans:
            if start < mention.end or start - mention.end > 12:
                continue
            if QUALIFIER_GAP.match(text[mention.end:start]) and eid in first:
                place = first[eid]
                if place.feature in ("country", "admin1"):
                    quals.append(place)
            break
        tail = re.match(r",\s*([A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)", text[mention.end:mention.end + 40])
        if tail:
            quals.extend(qualifier_places(tail.group(1), gaz))
        out.append(quals)
    return out


def _resolve_article(analysis: ArticleAnalysis, ev: dict, gaz: Gazetteer, batch: Counter) -> None:
    """Choose every place entity's geo. Mentions a qualifier sends elsewhere than the rest
    ("Washington, D.C." in an article otherwise about "Washington" the state) split off as an
    entity of their own: one name, two places."""
    for entity in list(analysis.entities):
        if entity.type != "place":
            continue
        found, qualifier, variant = ev["cands"].get(entity.id) or candidates(entity.name, gaz)
        if not found:
            entity.geo = None
            continue
        named = qualifier_places(qualifier, gaz) if qualifier else []
        per_mention = _adjacent_qualifiers(entity, analysis, ev["first"], gaz)
        quals = named + [q for qs in per_mention for q in qs]
        choice = _choose(entity, found, variant, quals, ev, batch)
        plain = [m for m, qs in zip(entity.mentions, per_mention) if not qs]
        if not named and plain and len(plain) < len(entity.mentions):
            alone = _choose(entity, found, variant, [], ev, batch)
            if alone and choice and alone[1].geonameid != choice[1].geonameid:
                split = Entity(id=stable_id("e", analysis.article.id, "place", f"{entity.name}|{choice[1].gazetteer_id}"),
                               name=entity.name, type="place", mentions=[m for m in entity.mentions if m not in plain],
                               geo=choice[1].to_geo(choice[0]))
                analysis.entities.append(split)
                entity.mentions[:] = plain
                choice = alone
        entity.geo = choice[1].to_geo(choice[0]) if choice else None
    for entity, was in retype_near_places(analysis, gaz):
        ev["scanned"] = ev["scanned"] | {entity.id}  # no NER support: the stricter threshold
        found, _, variant = candidates(entity.name, gaz)
        choice = _choose(entity, found, variant, [], ev, batch) if found else None
        if choice:
            entity.geo = choice[1].to_geo(choice[0])
        else:
            entity.type = was


def rank_context(entity: Entity, quals: list[Place], ev: dict, batch: Counter) -> RankContext:
    """What the article, its dateline and the batch say around one place entity, for the ranker."""
    own = ev["first"].get(entity.id)
    article_countries = Counter(ev["countries"])
    if own and own.country:  # a place is no evidence for itself
        article_countries[own.country] -= 1
    batch_countries = Counter(batch)
    for code in ev["countries"]:
        batch_countries[code] -= 1  # the batch minus this article
    return RankContext(
        article_countries=+article_countries,
        batch_countries=+batch_countries,
        dateline_country=ev["dateline"],
        dateline_place=ev.get("dateline_place"),
        outlet_country=ev["outlet"],
        qualifiers=quals,
        region_hint=region_hint(entity.name),
        article_regions={r for eid, p in ev["first"].items() if eid != entity.id and p.admin1
                         and p.feature in ("admin1", "admin2", "city", "capital")
                         for r in [(p.country, p.admin1)]} | ev.get("dateline_regions", set()),
        named_elsewhere={p.geonameid for eid, p in ev["first"].items() if eid in ev["names"]
                         and ev["names"][eid] != fold(entity.name)},
        others=[p for eid, p in ev["first"].items() if eid != entity.id],
        other_points=[pts for eid, pts in ev.get("points", {}).items() if eid != entity.id and pts],
        scanned=entity.id in ev.get("scanned", ()),
    )


def preselect(found: list[Place], variant: str, ctx: RankContext) -> list[Place]:
    """The PRESELECT candidates the hand-set score ranks best: the ones the trained ranker sees.

    A first-level region named like a 100,000+ city inside it ("New York", "Aleppo") is dropped
    unless the name says it is a region: GeoNames-annotated news reads the bare name as the
    city, while LGL and GeoVirus, which the ranker learns from, often read it as the region.
    """
    if not ctx.region_hint:
        chief = {(p.country, p.admin1) for p in found if p.feature in ("city", "capital") and p.population >= CHIEF_CITY}
        found = [p for p in found if not (p.feature == "admin1" and (p.country, p.admin1) in chief)] or found
    scored = score_candidates(found, variant, article_countries=ctx.article_countries, batch_countries=ctx.batch_countries,
                              dateline_country=ctx.dateline_country, outlet_country=ctx.outlet_country,
                              qualifiers=ctx.qualifiers or None, region_hint=ctx.region_hint,
                              article_regions=ctx.article_regions, named_elsewhere=ctx.named_elsewhere)
    ctx.hand_scores = {p.geonameid: score for score, p in scored}  # the hand-set score is one of the ranker's features
    return [p for _, p in scored[:PRESELECT]]


def _choose(entity: Entity, found: list[Place], variant: str, quals: list[Place], ev: dict, batch: Counter) -> tuple[float, Place] | None:
    """The candidate the trained ranker rates best in its article's context, or None below threshold."""
    ctx = rank_context(entity, quals, ev, batch)
    scored = rank(preselect(found, variant, ctx), variant, ctx)
    best_p, best = scored[0]
    # The chance that one of the readings is right: a name shared by many towns ("Geneva")
    # spreads it over them, so no single one need be likely for the name to be a place.
    total = min(1.0, sum(p for p, _ in scored))
    if total < accept_threshold(ctx.scanned):
        return None
    # A village whose name many places share, or a region named only with generic words ("West
    # Coast"), is a guess unless the article names its country.
    supported = best.country and (ctx.article_countries.get(best.country, 0) > 0 or best.country == ctx.dateline_country)
    needs_support = (best.feature == "city" and best.population < SMALL_TOWN and len(found) >= 3) or (
        best.feature == "admin1" and all(w in GENERIC_REGION_WORDS for w in fold(best.name).split()))
    if needs_support and not supported:
        return None
    return round(best_p, 4), best
