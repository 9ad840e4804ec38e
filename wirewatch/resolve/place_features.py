"""Features of one gazetteer candidate for a place name in its article, for the trained ranker.

Each candidate of a name gets a dict of named numbers (`FEATURES`): how big and what kind of
place it is, how well the name matches it, and what the article, the batch, the dateline, the
outlet, the qualifiers ("Paris, Texas") and the other places of the article say about it.
`wirewatch.resolve.place_ranker` scores these with the model `scripts/train_geo_ranker.py`
trained; the same function builds the training rows, so the two cannot drift apart.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from wirewatch.resolve.gazetteer import FEATURE_RANK, Place, distance_km, fold
from wirewatch.resolve.place_candidates import CHIEF_CITY, MACRO_POPULATION, contains

__all__ = ["FEATURES", "RankContext", "candidate_features"]

FAR_KM = 20_000.0
NEAR_KM = 200.0
BATCH_WEIGHT = 0.5
_CITY_SUFFIX = re.compile(r" city$")
_KINDS = ("country", "continent", "region", "capital", "admin1", "admin2", "city")

FEATURES = [
    "log_pop", *(f"is_{k}" for k in _KINDS), "small_admin1",
    "name_exact", "name_folded", "name_alternate", "name_abbreviation",
    "log_candidates", "single", "pop_gap", "pop_rank0",
    "article_country", "article_country_share", "batch_country", "dateline_country", "outlet_country",
    "region_named", "named_elsewhere", "qualifier_contains", "qualifier_conflict",
    "region_hint", "chief_city_region", "log_min_km", "near_share", "has_others", "dateline_km",
    "near_readings", "near_readings_share", "log_min_reading_km",
    "scanned", "hand_score", "hand_gap", "country_support_only", "country_support_best",
]


@dataclass
class RankContext:
    """What the article and batch say around one place name (every field optional)."""

    article_countries: Mapping[str, float] = field(default_factory=dict)  # this place's own pick excluded
    batch_countries: Mapping[str, float] = field(default_factory=dict)  # the batch/story minus this article
    dateline_country: str | None = None
    dateline_place: Place | None = None
    outlet_country: str | None = None
    qualifiers: list[Place] = field(default_factory=list)  # countries/regions written right after it
    region_hint: bool = False  # the name says it is a region: "Oaxaca State"
    article_regions: set = field(default_factory=set)  # (country, admin1) the article names
    named_elsewhere: set = field(default_factory=set)  # ids other names of the article resolve to
    others: list[Place] = field(default_factory=list)  # first-pass picks of the article's other places
    other_points: list = field(default_factory=list)  # per other place of the article, its likely (lat, lon)s
    scanned: bool = False  # found by the gazetteer scan or retyped from another entity type
    hand_scores: dict = field(default_factory=dict)  # geonameid -> the hand-set score (geocode.score_candidates)


def _population(place: Place) -> int:
    return place.population or (MACRO_POPULATION if place.feature == "region" else 0)


def _name_match(written: str, place: Place) -> str:
    """How `written` names the place: "exact", "folded", "abbreviation" or "alternate"."""
    own = place.name
    if written == own or written.lower() == own.lower():
        return "exact"
    key, own_key = fold(written), fold(own)
    if key in (own_key, _CITY_SUFFIX.sub("", own_key)):
        return "folded"
    letters = re.sub(r"[^A-Za-z]", "", written)
    if len(letters) <= 5 and (written.isupper() or "." in written):
        return "abbreviation"
    return "alternate"


def _country_support(place: Place, ctx: RankContext) -> float:
    """How much the article (and, at half weight, its batch or story) names the place's country."""
    if not place.country:
        return 0.0
    return ctx.article_countries.get(place.country, 0) + BATCH_WEIGHT * ctx.batch_countries.get(place.country, 0)


def _reading_proximity(place: Place, other_points: list) -> dict[str, float]:
    """How many other places of the article have a likely reading near this candidate.

    Robust to the first pass's mistakes: every likely reading of each other name counts, so
    "Decatur" near one reading of "Athens" and one of "Huntsville" is evidence for Alabama.
    """
    if not other_points:
        return {"log_min_reading_km": math.log1p(FAR_KM)}
    near = 0
    best = FAR_KM
    lat, lon = place.lat, place.lon
    for readings in other_points:
        closest = FAR_KM
        for olat, olon in readings:
            if abs(olat - lat) > 8 or abs(olon - lon) > 12:  # far for sure: skip the trigonometry
                continue
            closest = min(closest, distance_km(lat, lon, olat, olon))
        near += closest <= NEAR_KM
        best = min(best, closest)
    return {"near_readings": math.log1p(near), "near_readings_share": near / len(other_points),
            "log_min_reading_km": math.log1p(best)}


def candidate_features(candidates: list[Place], name: str, ctx: RankContext) -> list[dict[str, float]]:
    """One feature dict per candidate, in the candidates' order."""
    pops = [math.log10(_population(p) + 10) for p in candidates]
    top = max(pops) if pops else 0.0
    ranked = sorted(range(len(candidates)), key=lambda i: -pops[i])
    rank = {i: r for r, i in enumerate(ranked)}
    chief = {(p.country, p.admin1) for p in candidates if p.feature in ("city", "capital") and p.population >= CHIEF_CITY}
    total_countries = sum(ctx.article_countries.values()) or 1.0
    points = [o for o in ctx.others if o.feature not in ("country", "continent", "region")]
    support = [_country_support(p, ctx) for p in candidates]
    best_support = max(support) if support else 0.0
    supported = sum(v > 0 for v in support)
    hands = [ctx.hand_scores.get(p.geonameid, 0.0) for p in candidates]
    top_hand = max(hands) if hands else 0.0
    rows = []
    for i, place in enumerate(candidates):
        row = {"log_pop": pops[i], f"is_{place.feature}": 1.0}
        row["small_admin1"] = float(place.feature == "admin1" and place.population < 200_000)
        row[f"name_{_name_match(name, place)}"] = 1.0
        if place.feature in ("continent", "region"):
            row["name_folded"] = max(row.get("name_folded", 0.0), float("name_alternate" in row))
        row["log_candidates"] = math.log(len(candidates))
        row["single"] = float(len(candidates) == 1)
        row["pop_gap"] = top - pops[i]
        row["pop_rank0"] = float(rank[i] == 0)
        # Story or batch context is weaker evidence of the same kind (the training articles come one at a time).
        count = support[i]
        row["article_country"] = math.log1p(count)
        row["article_country_share"] = count / total_countries
        row["batch_country"] = math.log1p(ctx.batch_countries.get(place.country, 0)) if place.country else 0.0
        row["dateline_country"] = float(bool(place.country) and place.country == ctx.dateline_country)
        row["outlet_country"] = float(bool(place.country) and place.country == ctx.outlet_country)
        row["region_named"] = float(place.feature in ("city", "capital", "admin2")
                                    and (place.country, place.admin1) in ctx.article_regions)
        row["named_elsewhere"] = float(place.geonameid in ctx.named_elsewhere)
        applicable = [q for q in ctx.qualifiers if FEATURE_RANK.get(q.feature, 0) > FEATURE_RANK.get(place.feature, 0)]
        contained = any(contains(q, place) for q in applicable)
        row["qualifier_contains"] = float(contained)
        row["qualifier_conflict"] = float(bool(applicable) and not contained)
        row["region_hint"] = float(place.feature == "admin1" and ctx.region_hint)
        row["chief_city_region"] = float(place.feature == "admin1" and (place.country, place.admin1) in chief)
        if points:
            kms = [distance_km(place.lat, place.lon, o.lat, o.lon) for o in points if o.geonameid != place.geonameid]
            kms = kms or [0.0]
            row["log_min_km"] = math.log1p(min(kms))
            row["near_share"] = sum(k <= 300 for k in kms) / len(kms)
            row["has_others"] = 1.0
        else:
            row["log_min_km"] = math.log1p(FAR_KM)
        row.update(_reading_proximity(place, ctx.other_points))
        dl = ctx.dateline_place
        row["dateline_km"] = math.log1p(distance_km(place.lat, place.lon, dl.lat, dl.lon) if dl else FAR_KM)
        row["scanned"] = float(ctx.scanned)
        # Relative context: the only candidate in a country the article names ("Tripoli" with
        # Lebanon), or the one in its most named country.
        row["country_support_only"] = float(support[i] > 0 and supported == 1)
        row["country_support_best"] = float(support[i] > 0 and support[i] == best_support)
        row["hand_score"] = hands[i]
        row["hand_gap"] = top_hand - hands[i]
        rows.append(row)
    return rows
