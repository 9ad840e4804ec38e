"""Put streets, buildings and facilities at the town they are in: "Port of Rotterdam", "Royal Street".

The gazetteer holds populated places, countries and regions, not "Trump Tower" or "Alder Hey
Children's Hospital". A name whose head word says it is a street, building or facility
(`places_lexicon.LOCATION_HEADS`, `INSTITUTION_PLACE_HEADS`; "Port of X", "University of X")
takes the coordinates of, in order:

1. a place named inside it ("Port of Rotterdam", "Dubai World Trade Centre", "Harare's Third
   Street"): a place the article already resolved, or a country, first-level region or city of
   100,000+ (its country named in the article, or ten times bigger than any namesake: "Rotterdam",
   not "Windsor"), never a head or common word ("Airport");
2. a resolved place written right after it ("Royal Street in New Orleans", "Anfield, Liverpool");
3. for a street only, the article's own town: the dateline's, else the city-level place it
   names most often (at least twice, more than any other).

The result has `feature="facility"` and `approximate=True`. An organization or person named so
becomes a place when its head names only locations (streets, towers, airports...); for heads
that are institutions as often as buildings (hospital, university, church), only when a mention
is written where a place goes ("at Altnagelvin Hospital", "in Cornell University").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from wirewatch.model import ArticleAnalysis, Entity, Geo
from wirewatch.resolve.gazetteer import Gazetteer, fold
from wirewatch.resolve.place_candidates import score_candidates
from wirewatch.resolve.place_repairs import _generic
from wirewatch.resolve.places_lexicon import INSTITUTION_PLACE_HEADS, LOCATION_HEADS, STREET_HEADS

__all__ = ["facility_head", "resolve_facilities"]

INNER_CITY_FLOOR = 100_000
INNER_TOWN_FLOOR = 15_000  # enough for a town whose country the article names ("Mosul Dam")
DOMINANT_RATIO = 10  # a city this many times bigger than any namesake needs no country in the article
_WORD = re.compile(r"[^\s,/]+")
_POSSESSIVE = re.compile(r"['’]s$")
_AT_PLACE = re.compile(r"(?:\b(?:in|at|near|outside|inside|into|to|from|behind|opposite|outside of)\s+(?:the\s+)?)$", re.IGNORECASE)
_AFTER_GAP = re.compile(r"^(?:\s*,\s*|\s+in\s+|\s+at\s+)$")
_CITY_LEVEL = ("city", "capital", "admin2")
_HEADS = LOCATION_HEADS | INSTITUTION_PLACE_HEADS
# Street words that are no surname or title: a "person" ending so is a street the NER misread
# ("N. Bedford Drive"); "Virginia L. Lane" is a person.
_PERSON_STREET_HEADS = frozenset({"street", "st", "avenue", "ave", "road", "rd", "drive", "boulevard", "blvd", "highway"})
# Facility words written after a name in lower case, which the NER leaves out of the name.
_LOWER_HEAD = re.compile(r"\s+(?:international\s+)?(?:airport|port|harbou?r|dam|refinery|(?:nuclear\s+)?power\s+(?:plant|station)"
                         r"|nuclear\s+plant)\b")


def facility_head(name: str) -> str | None:
    """The word that makes `name` a facility ("street", "airport"...), or None.

    The last word ("Royal Street", "KCOM Stadium"), or the first one before "of" ("Port of
    Rotterdam", "University of Bath"). A name of one word is never a facility.
    """
    words = [w.strip(".").lower() for w in _WORD.findall(name)]
    if len(words) < 2:
        return None
    heads = LOCATION_HEADS | INSTITUTION_PLACE_HEADS
    if words[-1] in heads:
        return words[-1]
    if words[1] == "of" and words[0] in heads and len(words) > 2:
        return words[0]
    return None


def _candidate(entity: Entity, text: str) -> bool:
    """Whether an entity named like a facility is a location here (see the module docstring)."""
    head = facility_head(entity.name)
    if head is None:
        return False
    if entity.type == "place":
        return entity.geo is None
    if entity.type not in ("organization", "person"):
        return False
    if head in LOCATION_HEADS:
        return entity.type == "organization" or head in _PERSON_STREET_HEADS
    return any(_AT_PLACE.search(text[max(0, m.start - 20):m.start]) for m in entity.mentions)


def _before_lower_head(entity: Entity, text: str) -> bool:
    """A name followed by a facility word in lower case: "Rotterdam port", "Zaporizhzhia power plant"."""
    return entity.type in ("place", "organization", "person") and any(
        _LOWER_HEAD.match(text[m.end:m.end + 30]) for m in entity.mentions)


def _inner_place(entity: Entity, resolved: dict[str, Entity], countries: Counter, gaz: Gazetteer,
                 whole: bool = False) -> Geo | None:
    """A place named inside the facility's name, longest first."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(entity.name)]
    name = entity.name
    spans = sorted(((i, j) for i in range(len(words)) for j in range(i + 1, len(words) + 1)),
                   key=lambda ij: (ij[0] - ij[1], ij[0]))
    street = facility_head(name) in STREET_HEADS
    for i, j in spans:
        raw = name[words[i][0]:words[j - 1][1]]
        if street and not _POSSESSIVE.search(raw):
            continue  # "Hampton Avenue" is named after Hampton, not in it; "Harare's Third Street" is
        part = _POSSESSIVE.sub("", raw)
        key = fold(part)
        if (not part[:1].isupper() or _generic(part) or ((i, j) == (0, len(words)) and not whole)
                or any(w in _HEADS or w == "of" for w in key.split())):
            continue
        if key in resolved:
            return resolved[key].geo
        found = gaz.lookup(part)
        if not found:
            continue
        score, place = score_candidates(found, part, article_countries=countries)[0]
        own = key == fold(place.name)
        strong = place.feature in ("country", "capital", "continent", "region") or (place.feature == "admin1" and own)
        others = [p.population for p in found if p is not place]
        dominant = not others or place.population >= DOMINANT_RATIO * max(others)  # "Rotterdam", not "Windsor"
        if (strong or (own and place.population >= INNER_TOWN_FLOOR and countries.get(place.country))
                or (place.population >= INNER_CITY_FLOOR and dominant)):
            return place.to_geo(score)
    return None


def _adjacent_place(entity: Entity, analysis: ArticleAnalysis) -> Geo | None:
    """A resolved place written right after a mention: "Royal Street in New Orleans"."""
    text = analysis.article.text
    after = [(m.start, e) for e in analysis.entities if e.type == "place" and e.geo and not e.geo.approximate for m in e.mentions]
    for mention in entity.mentions:
        for start, other in after:
            if mention.end <= start <= mention.end + 5 and _AFTER_GAP.match(text[mention.end:start]):
                return other.geo
    return None


def _home_town(analysis: ArticleAnalysis, dateline_geo: Geo | None) -> Geo | None:
    """The article's own town: the dateline's, else the city-level place it names most often,
    when that is named at least twice and more often than any other."""
    if dateline_geo is not None:
        return dateline_geo
    towns = sorted(((len(e.mentions), e.geo) for e in analysis.entities
                    if e.type == "place" and e.geo and not e.geo.approximate and e.geo.feature in _CITY_LEVEL),
                   key=lambda t: -t[0])
    if towns and towns[0][0] >= 2 and (len(towns) == 1 or towns[0][0] > towns[1][0]):
        return towns[0][1]
    return None


def resolve_facilities(analysis: ArticleAnalysis, gaz: Gazetteer, dateline_geo: Geo | None = None) -> None:
    """Give every street, building or facility entity the geo of the town it is in (in place)."""
    text = analysis.article.text
    named = [e for e in analysis.entities if _candidate(e, text)]
    before_head = [e for e in analysis.entities if e not in named and _before_lower_head(e, text)]
    if not named and not before_head:
        return
    resolved = {fold(e.name): e for e in analysis.entities if e.type == "place" and e.geo and not e.geo.approximate}
    countries = Counter(e.geo.country for e in resolved.values() if e.geo.country)
    for entity in before_head:
        # "Zaporizhzhia power plant": the name, whatever the NER called it, is the facility's town.
        others = {k: e for k, e in resolved.items() if e is not entity}
        geo = (entity.geo if entity.type == "place" and entity.geo else None) or _inner_place(entity, others, countries, gaz, whole=True)
        if geo is not None:
            entity.type = "place"
            entity.geo = replace(geo, feature="facility", approximate=True)
    home = _home_town(analysis, dateline_geo)
    for entity in named:
        geo = _inner_place(entity, resolved, countries, gaz) or _adjacent_place(entity, analysis)
        if geo is None and facility_head(entity.name) in STREET_HEADS:
            geo = home  # a street is in the article's town; a hospital or university may be anywhere
        if geo is None:
            continue
        entity.type = "place"
        entity.geo = replace(geo, feature="facility", approximate=True)
