"""Geocode place entities in context, find places the NER missed, link demonyms to countries.

Every candidate place for a name gets a score (docs/geocoding.md has the table):

    score = 0.2 * log10(population + 10)                  # size prior
          + FEATURE_BONUS[feature]                         # country, continent > region > capital > admin1 > admin2 > city
          + 0.40  if the name is the place's own name, not only an alternate name
          + 0.30  if the name has this one candidate only
          + 1.20  if its country is named elsewhere in the article (other places, demonyms)
          + 0.60  if its country is named elsewhere in the batch / story (`context`)
          + 0.80  if its country is the dateline's ("PARIS, Texas —")
          + 0.30  if its country is the outlet's (`article.extra["country"]`)
          + 0.30  if it is a town or county in a first-level region the article (its places) or dateline names
          + 0.50  if another place of the article, by another name, is this very place ("Wash.")
          + 3.00  if an adjacent qualifier ("Paris, Texas", "Paris next to Texas") contains it
          - 2.00  if there is such a qualifier and it does not contain it
          - 1.20  for a region named like a 100,000+ city inside it ("New York"), unless
          + 1.50  the name says it is a region ("New York State")

(a qualifier is a country or first-level region written right after the name, and applies only
to places of lower rank, so "Austria, Slovakia" stays a list)

The best candidate wins when its score reaches MIN_SCORE (NER places) or the higher
MIN_SCORE_SCAN (places found only by the gazetteer scan, or retyped by `place_repairs`), and a
small place (< 5,000 people) for a name shared by three or more places, or a region named only
with generic words ("West Coast"), needs country support from the context. Article
countries come from a first pass that resolves every place by prior alone, so the context of one
place is the others'; the batch's countries are added up over all its articles.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from wirewatch.model import ArticleAnalysis, Entity, Mention, stable_id
from wirewatch.resolve.gazetteer import FEATURE_RANK, Gazetteer, Place, fold
from wirewatch.resolve.facilities import resolve_facilities
from wirewatch.resolve.metonymy import mark_metonymy
from wirewatch.resolve.place_features import RankContext
from wirewatch.resolve.place_ranker import PRESELECT, accept_threshold, rank
from wirewatch.resolve.place_repairs import _generic, join_split_names, retype_locative, split_glued_names
from wirewatch.resolve.places_lexicon import COMMON_WORD_PLACES, GENERIC_REGION_WORDS, LEADING_FUNCTION_WORDS, PERSON_TITLES

try:  # the dateline parser belongs to extraction; a tiny fallback keeps geocoding independent
    from wirewatch.extract.dateline import parse_dateline as _parse_dateline
except Exception:  # pragma: no cover - only while extraction is absent
    _parse_dateline = None

__all__ = ["geocode_analyses", "prepare_batch", "ranking_inputs", "score_candidates", "MIN_SCORE"]

FEATURE_BONUS = {"country": 1.5, "continent": 1.5, "region": 1.4, "capital": 0.9, "admin1": 0.6, "admin2": 0.3, "city": 0.0}
MIN_SCORE = 1.2
SMALL_TOWN = 5_000  # below this, a town sharing its name with 2+ places needs its country named
OTHER_READINGS = 5  # readings of each other place the ranker's proximity features look at
_LOCAL = ("city", "capital", "admin2", "admin1")
MIN_SCORE_SCAN = 1.6
CHIEF_CITY = 100_000  # a city this big names the region it lies in only with "state"/"province"
CHIEF_CITY_PENALTY = 1.2
REGION_HINT_BONUS = 1.5
ALIAS_CONTEXT = 0.5  # the same place named otherwise elsewhere in the article ("Wash." for "Washington")
REGION_CONTEXT = 0.3  # a town in a first-level region the article names (worth a 30x population gap)
SMALL_ADMIN1 = 200_000
REGION_TOWN_FLOOR = 1_000  # scan floor for a town in a first-level region the article names  # people in the region's towns of 500+; below it, no feature bonus
_QUALIFIER_GAP = re.compile(r"^(?:\s*,\s*|\s+(?:in|near|next to|outside|of)\s+|\s*\(\s*)$", re.IGNORECASE)
_SUFFIXES = re.compile(
    r"\s+(?:province|governorate|city|oblast|prefecture|municipality|state|region|territory)$",
    re.IGNORECASE,
)
# Words that say the name is a first-level region: "New York State", "the state of New York".
_REGION_WORDS = re.compile(r"\s+(?:province|governorate|oblast|prefecture|state|region|territory)$|^(?:the\s+)?(?:state|province)\s+of\s+", re.IGNORECASE)
# A run of capitalized words (letters, apostrophes, hyphens, inner dots as in "U.S."), on one line.
_CAP_RUN = re.compile(r"(?<![\w'’.-])[A-Z][\w'’-]*(?:\.[A-Z]\.?)*(?:[ ]+[A-Z][\w'’-]*(?:\.[A-Z]\.?)*)*")
_CITY_SUFFIX = re.compile(r" city$")
_CONTRACTION = re.compile(r"['’](?:d|ll|re|ve|m|t)$|n['’]t$", re.IGNORECASE)
_DATELINE_FALLBACK = re.compile(r"^\s*([A-Z][A-Z .'’-]{1,40}?)(?:,\s*([A-Z][\w .'’-]{1,40}?))?\s*[\u2014\u2013-]{1,2}\s")
# Dateline forms the extraction parser leaves alone: "PLEASANTON, Calif.--(Wire)--" and the
# "Muscat: ..." opening of many Gulf and South Asian outlets.
_DATELINE_LOOSE = re.compile(
    r"^\s*(?:(?P<upper>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?\s*--"
    r"|(?P<title>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}):\s)"
)


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
        found, qualifier, variant = ev["cands"].get(entity.id) or _candidates(entity.name, gaz)
        if not found:
            continue
        quals = _qualifier_places(qualifier, gaz) if qualifier else []
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
    head, _ = _dateline(analysis.article)
    dateline_end = len(head) + (len(analysis.article.text) - len(analysis.article.text.lstrip())) if head else -1
    for entity in analysis.entities:
        if entity.type != "organization" or fold(entity.name) in COMMON_WORD_PLACES:
            continue
        places = gaz.lookup(entity.name)
        strong = any(p.feature in ("country", "admin1", "capital", "continent", "region") and fold(entity.name) == fold(p.name) for p in places)
        at_dateline = bool(places) and any(m.start <= dateline_end and m.end == dateline_end for m in entity.mentions)
        if strong or at_dateline:
            entity.type = "place"


def _name_variants(name: str) -> list[tuple[str, str | None]]:
    """(name, qualifier) pairs to look up: as written, without "the"/"'s"/"province", split at a comma."""
    name = name.strip()
    out: list[tuple[str, str | None]] = []
    base = re.sub(r"^(?:the)\s+", "", name, flags=re.IGNORECASE)
    base = re.sub(r"['’]s$", "", base)
    # A possessive is tried without its "'s" first: folding drops apostrophes, so "Peru's"
    # as written is "Perus", a town in Brazil.
    first = (base, name) if re.search(r"['’]s$", name) else (name, base)
    for variant in (*first, _SUFFIXES.sub("", base), _REGION_WORDS.sub("", base)):
        if variant and (variant, None) not in out:
            out.append((variant, None))
    if "," in base:
        head, _, qualifier = base.partition(",")
        out.append((head.strip(), qualifier.strip()))
    return out


def _candidates(name: str, gaz: Gazetteer) -> tuple[list[Place], str | None, str]:
    """Candidates for the first variant of `name` the gazetteer knows, its qualifier and the variant.

    A short name not written in capitals ("Sen", "Ms", "IoT") matches only places of that very
    name, never a code or an alternate name ("SEN" is Senegal's ISO code, "MS" Mississippi's).
    """
    for variant, qualifier in _name_variants(name):
        found = gaz.lookup(variant)
        letters = re.sub(r"[^A-Za-z]", "", variant)
        if found and len(letters) <= 4 and not variant.isupper() and not variant.endswith("."):
            found = [p for p in found if gaz.primary_match(variant, p)]
        if found:
            return found, qualifier, variant
    return [], None, name


def _region_hint(name: str) -> bool:
    """True when the name itself says it is a region: "Oaxaca State", "the state of New York"."""
    return bool(_REGION_WORDS.search(name.strip()))


def _prior(place: Place, name: str) -> float:
    # Macro regions carry no population; an ocean or "the Middle East" is as prominent as a
    # large country, so it gets a nominal 100 million.
    population = place.population or (100_000_000 if place.feature == "region" else 0)
    score = 0.2 * math.log10(max(population, 0) + 10)
    # A first-level region is prominent only when it is populous: a Slovenian municipality or
    # New Zealand's Nelson region is no more likely than a town of the same name.
    if place.feature != "admin1" or population >= SMALL_ADMIN1:
        score += FEATURE_BONUS.get(place.feature, 0.0)
    # Macro regions' aliases are as good as their names ("Atlantic" for the Atlantic Ocean).
    own = fold(place.name)
    if fold(name) in (own, _CITY_SUFFIX.sub("", own)) or place.feature in ("continent", "region"):
        score += 0.4
    return score


def _qualifier_places(text: str, gaz: Gazetteer) -> list[Place]:
    """Countries and first-level regions a qualifier names ("Texas", "TX", "Syria")."""
    found, _, _ = _candidates(text, gaz)
    return [p for p in found if p.feature in ("country", "admin1")]


def _constrained(qualifier: Place, place: Place) -> bool:
    """Whether a qualifier applies: it must rank above the place ("Austria, Slovakia" is a list)."""
    return FEATURE_RANK.get(qualifier.feature, 0) > FEATURE_RANK.get(place.feature, 0)


def _contains(qualifier: Place, place: Place) -> bool:
    if qualifier.feature == "country":
        return place.country == qualifier.country and place.feature != "country"
    return place.country == qualifier.country and place.admin1 == qualifier.admin1 and place.feature != "admin1"


def score_candidates(
    candidates: list[Place],
    name: str,
    *,
    article_countries: Counter | dict | None = None,
    batch_countries: Counter | dict | None = None,
    dateline_country: str | None = None,
    outlet_country: str | None = None,
    qualifiers: list[Place] | None = None,
    region_hint: bool = False,
    article_regions: set[tuple[str | None, str | None]] | None = None,
    named_elsewhere: set[int] | None = None,
) -> list[tuple[float, Place]]:
    """Score every candidate for `name` in its context (see the module docstring), best first."""
    article_countries = article_countries or {}
    batch_countries = batch_countries or {}
    # A region named after its chief city ("New York", "Aleppo", "Tianjin"): the bare name is the
    # city, as in GeoNames-annotated news, unless the text says "state"/"province".
    chief = {(p.country, p.admin1) for p in candidates if p.feature in ("city", "capital") and p.population >= CHIEF_CITY}
    scored = []
    for place in candidates:
        score = _prior(place, name)
        if place.feature == "admin1":
            if region_hint:
                score += REGION_HINT_BONUS
            elif (place.country, place.admin1) in chief:
                score -= CHIEF_CITY_PENALTY
        if len(candidates) == 1:
            score += 0.3
        if place.country and article_countries.get(place.country):
            score += 1.2
        if place.country and batch_countries.get(place.country):
            score += 0.6
        if place.country and place.country == dateline_country:
            score += 0.8
        if place.country and place.country == outlet_country:
            score += 0.3
        if article_regions and place.feature in ("city", "capital", "admin2") and (place.country, place.admin1) in article_regions:
            score += REGION_CONTEXT
        if named_elsewhere and place.geonameid in named_elsewhere:
            score += ALIAS_CONTEXT
        applicable = [q for q in qualifiers or () if _constrained(q, place)]
        if applicable:
            score += 3.0 if any(_contains(q, place) for q in applicable) else -2.0
        scored.append((round(score, 3), place))
    scored.sort(key=lambda sp: (-sp[0], -sp[1].population, sp[1].geonameid))
    return scored


def _dateline(article) -> tuple[str | None, str | None]:
    """(place, qualifier) of the article's dateline, if any."""
    text = article.text[:200]
    place = None
    if _parse_dateline is not None:
        place, _, _ = _parse_dateline(text)
    else:
        match = _DATELINE_FALLBACK.match(text)
        if match:
            place = match.group(1) + (", " + match.group(2) if match.group(2) else "")
    if not place:
        loose = _DATELINE_LOOSE.match(text)
        if not loose:
            return None, None
        return (loose.group("upper") or loose.group("title")).strip(), loose.group("region")
    head, _, qualifier = place.partition(",")
    return head.strip(), (qualifier.strip() or None)


def _article_evidence(analysis: ArticleAnalysis, gaz: Gazetteer) -> dict:
    """Candidates per place entity, first-pass countries, dateline and outlet country."""
    article = analysis.article
    places = [e for e in analysis.entities if e.type == "place"]
    cands: dict[str, tuple[list[Place], str | None, str]] = {e.id: _candidates(e.name, gaz) for e in places}
    first: dict[str, Place] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    for entity in places:
        found, _, variant = cands[entity.id]
        if found:
            scored = score_candidates(found, variant, region_hint=_region_hint(entity.name))
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
    head, qualifier = _dateline(article)
    if head:
        found = gaz.lookup(head)
        quals = _qualifier_places(qualifier, gaz) if qualifier else []
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
            if _QUALIFIER_GAP.match(text[mention.end:start]) and eid in first:
                place = first[eid]
                if place.feature in ("country", "admin1"):
                    quals.append(place)
            break
        tail = re.match(r",\s*([A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)", text[mention.end:mention.end + 40])
        if tail:
            quals.extend(_qualifier_places(tail.group(1), gaz))
        out.append(quals)
    return out


def _resolve_article(analysis: ArticleAnalysis, ev: dict, gaz: Gazetteer, batch: Counter) -> None:
    """Choose every place entity's geo. Mentions a qualifier sends elsewhere than the rest
    ("Washington, D.C." in an article otherwise about "Washington" the state) split off as an
    entity of their own: one name, two places."""
    for entity in list(analysis.entities):
        if entity.type != "place":
            continue
        found, qualifier, variant = ev["cands"].get(entity.id) or _candidates(entity.name, gaz)
        if not found:
            entity.geo = None
            continue
        named = _qualifier_places(qualifier, gaz) if qualifier else []
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
        region_hint=_region_hint(entity.name),
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


def find_missed_places(analysis: ArticleAnalysis, gaz: Gazetteer) -> list[Entity]:
    """Place entities for capitalized runs that exactly name a well-known place, NER-missed.

    Guards: the whole run must match (so "New York Times" is not "New York"); no overlap with an
    entity the NER found; not right after a title ("Gen. Paris"); not a word of a person's name in
    the article; single words not in COMMON_WORD_PLACES and not also written in lower case in the
    text ("reading"); and a size/feature floor (see `_credible`). A further mention of a place
    the NER already found is added to that entity instead; only new places are returned.
    """
    article = analysis.article
    text = article.text
    _extend_inner_places(analysis, gaz)
    taken = [(m.start, m.end) for e in analysis.entities for m in e.mentions]
    existing = {fold(e.name): e for e in analysis.entities if e.type == "place"}
    person_words = {
        fold(w) for e in analysis.entities if e.type == "person" for m in [e.name, *(x.text for x in e.mentions)] for w in m.split()
    }
    lower_words = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    dateline_head, _ = _dateline(article)
    named = _named_regions(analysis, gaz)
    found: dict[str, list[Mention]] = {}
    names: dict[str, str] = {}
    for match in _CAP_RUN.finditer(text):
        words = [(m.start() + match.start(), m.end() + match.start()) for m in re.finditer(r"\S+", match.group())]
        # Function words capitalized at a sentence start are not part of the name.
        while len(words) > 1 and text[words[0][0]:words[0][1]].lower() in LEADING_FUNCTION_WORDS:
            words = words[1:]
        start, end = words[0][0], words[-1][1]
        surface = text[start:end]
        if re.search(r"['’]s$", surface):
            surface = surface[:-2]
        elif surface.endswith(".") and not re.search(r"\.[A-Za-z]\.$", surface):
            surface = surface[:-1]  # sentence end, but keep "U.S."
        end = start + len(surface)
        if not surface or any(s < end and start < e for s, e in taken):
            continue
        prev = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, start - 20):start])
        if prev and prev.group(1).lower() in PERSON_TITLES:
            continue
        key = fold(surface)
        acronym = surface.isupper() and len(surface) > 1 and _is_country(surface, gaz)  # "US", not "us"
        # A word of a person's name is no place, unless the NER calls that very name a place too.
        if not key or (key in COMMON_WORD_PLACES and not acronym) or (key not in existing and any(w in person_words for w in key.split())):
            continue
        if _CONTRACTION.search(surface) or surface.lower() in PERSON_TITLES:
            continue  # "I'd" is not Idaho, "Ms" not Mississippi
        single = len(words) == 1
        # A capitalized word also written in lower case is a common word ("Reading"); an acronym
        # ("US") is not made common by the pronoun "us".
        if single and ((surface.lower() in lower_words and not surface.isupper())
                       or (surface.isupper() and len(surface) <= 3 and not _is_country(surface, gaz))):
            continue
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in ".!?\"“\n:"
        places, _, _ = _candidates(surface, gaz) if len(re.sub(r"[^A-Za-z]", "", surface)) <= 4 else (gaz.lookup(surface), None, None)
        at_dateline = dateline_head is not None and start < 5 + len(text) - len(text.lstrip()) and fold(surface) == fold(dateline_head)
        dotted = surface + "." if text[end:end + 1] == "." else surface  # "Calif." lost its dot above
        if not places or not _credible(places, dotted, single, sentence_start and not at_dateline, at_dateline, named):
            continue
        mention = Mention(article=article.id, start=start, end=end, text=surface)
        if key in existing:
            existing[key].mentions.append(mention)
            continue
        names.setdefault(key, surface)
        found.setdefault(key, []).append(mention)
    return [
        Entity(id=stable_id("e", article.id, "place", names[key]), name=names[key], type="place", mentions=mentions)
        for key, mentions in found.items()
    ]


def _extend_inner_places(analysis: ArticleAnalysis, gaz: Gazetteer) -> None:
    """Widen a place mention to the longer place name around it: "U.S." in "U.S. Virgin Islands".

    Within a run of capitalized words holding a place mention, the longest word-aligned span
    that holds the mention, touches no other entity and names a country, region or a city of
    15,000+ under its own name replaces the mention (joining or creating that place's entity).
    """
    text = analysis.article.text
    spans = [(m.start, m.end, e, m) for e in analysis.entities for m in e.mentions]
    for match in _CAP_RUN.finditer(text):
        inner = [t for t in spans if t[2].type == "place" and match.start() <= t[0] and t[1] <= match.end()]
        if len(inner) != 1:
            continue
        start0, end0, entity, mention = inner[0]
        words = [(w.start() + match.start(), w.end() + match.start()) for w in re.finditer(r"\S+", match.group())]
        best = None
        for i, (ws, _) in enumerate(words):
            for we in (w[1] for w in words[i:]):
                if ws > start0 or we < end0 or (ws, we) == (start0, end0) or (best and we - ws <= best[1] - best[0]):
                    continue
                if any(s < we and ws < e for s, e, other, _ in spans if other is not entity):
                    continue
                surface = text[ws:we].rstrip(".") if not re.search(r"\.[A-Za-z]\.$", text[ws:we]) else text[ws:we]
                surface = re.sub(r"['’]s$", "", surface)  # "Peru's" is Peru, not a longer name
                if (ws, ws + len(surface)) == (start0, end0):
                    continue
                if _credible(gaz.lookup(surface), surface, False, False):
                    best = (ws, ws + len(surface))
        if best:
            entity.mentions.remove(mention)
            surface = text[best[0]:best[1]]
            target = next((e for e in analysis.entities if e.type == "place" and fold(e.name) == fold(surface)), None)
            new = Mention(analysis.article.id, best[0], best[1], surface)
            if target is None:
                target = Entity(id=stable_id("e", analysis.article.id, "place", surface), name=surface, type="place")
                analysis.entities.append(target)
            target.mentions.append(new)
    analysis.entities[:] = [e for e in analysis.entities if e.mentions]


def _is_country(word: str, gaz: Gazetteer) -> bool:
    return any(p.feature == "country" for p in gaz.lookup(word))


def _named_regions(analysis: ArticleAnalysis, gaz: Gazetteer) -> set[tuple[str | None, str | None]]:
    """First-level regions the NER's places name, as (country, admin1) by prior alone."""
    regions = set()
    for entity in analysis.entities:
        if entity.type == "place":
            found, _, variant = _candidates(entity.name, gaz)
            if found:
                best = score_candidates(found, variant, region_hint=_region_hint(entity.name))[0][1]
                if best.feature == "admin1":
                    regions.add((best.country, best.admin1))
    return regions


def _credible(places: list[Place], surface: str, single: bool, sentence_start: bool, at_dateline: bool = False,
              regions: set[tuple[str | None, str | None]] | None = None) -> bool:
    """Whether a gazetteer-only match is known enough to stand without the NER's support.

    Countries, continents and named regions always are; a first-level region when its own name
    or an abbreviation written as one ("B.C.", "TX") matches and the name is not generic words
    ("Centre", "West Coast"); a city by size (any size at the dateline: "PLEASANTON, Calif. --";
    from REGION_TOWN_FLOOR people in one of the first-level `regions` the article names).
    """
    own = fold(surface)
    for place in places:
        if place.feature in ("country", "continent", "region"):
            return True
        if place.feature == "admin1":
            abbreviation = surface.isupper() or "." in surface
            if (own == fold(place.name) or abbreviation) and not _generic(place.name):
                return True
            continue
        named = own in (fold(place.name), _CITY_SUFFIX.sub("", fold(place.name)))  # "Paranaque" = "Paranaque City"
        if at_dateline and named:
            return True
        floor = 200_000 if sentence_start else (100_000 if single else 15_000)
        if place.feature == "capital" and not sentence_start:
            floor = 0
        if regions and (place.country, place.admin1) in regions and not sentence_start:
            floor = REGION_TOWN_FLOOR  # "Bellmore" in an article about New York State
        if named and place.population >= floor:
            return True
    return False
