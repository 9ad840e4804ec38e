"""Gazetteer candidates for a place name, and the hand-set score that preselects them for the ranker.

`candidates` looks a name up as written, then without "the", "'s", a "province/state/city"
suffix, and split at a comma ("Paris, Texas" gives Paris plus the qualifier Texas).
`score_candidates` gives every candidate a hand-set score (docs/geocoding.md has the table):

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
to places of lower rank, so "Austria, Slovakia" stays a list). The score picks the first pass
of every place (the context of the others), keeps the candidates the trained ranker sees, and
is one of its features (`place_features`).
"""
from __future__ import annotations

import math
import re
from collections import Counter

from wirewatch.resolve.gazetteer import FEATURE_RANK, Gazetteer, Place, fold

try:  # the dateline parser belongs to extraction; a tiny fallback keeps geocoding independent
    from wirewatch.extract.dateline import parse_dateline as _parse_dateline
except Exception:  # pragma: no cover - only while extraction is absent
    _parse_dateline = None

__all__ = ["candidates", "dateline", "qualifier_places", "region_hint", "score_candidates"]

FEATURE_BONUS = {"country": 1.5, "continent": 1.5, "region": 1.4, "capital": 0.9, "admin1": 0.6, "admin2": 0.3, "city": 0.0}
CHIEF_CITY = 100_000  # a city this big names the region it lies in only with "state"/"province"
CHIEF_CITY_PENALTY = 1.2
REGION_HINT_BONUS = 1.5
ALIAS_CONTEXT = 0.5  # the same place named otherwise elsewhere in the article ("Wash." for "Washington")
REGION_CONTEXT = 0.3  # a town in a first-level region the article names (worth a 30x population gap)
MACRO_POPULATION = 100_000_000  # macro regions carry no population; an ocean is as prominent as a big country
SMALL_ADMIN1 = 200_000  # people in the region's towns of 500+; below it, no feature bonus
QUALIFIER_GAP = re.compile(r"^(?:\s*,\s*|\s+(?:in|near|next to|outside|of)\s+|\s*\(\s*)$", re.IGNORECASE)
_SUFFIXES = re.compile(
    r"\s+(?:province|governorate|city|oblast|prefecture|municipality|state|region|territory)$",
    re.IGNORECASE,
)
# Words that say the name is a first-level region: "New York State", "the state of New York".
_REGION_WORDS = re.compile(r"\s+(?:province|governorate|oblast|prefecture|state|region|territory)$|^(?:the\s+)?(?:state|province)\s+of\s+", re.IGNORECASE)
CITY_SUFFIX = re.compile(r" city$")
_DATELINE_FALLBACK = re.compile(r"^\s*([A-Z][A-Z .'’-]{1,40}?)(?:,\s*([A-Z][\w .'’-]{1,40}?))?\s*[\u2014\u2013-]{1,2}\s")
# Dateline forms the extraction parser leaves alone: "PLEASANTON, Calif.--(Wire)--" and the
# "Muscat: ..." opening of many Gulf and South Asian outlets.
_DATELINE_LOOSE = re.compile(
    r"^\s*(?:(?P<upper>[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,3})(?:,\s*(?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?\s*--"
    r"|(?P<title>[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}):\s)"
)


def name_variants(name: str) -> list[tuple[str, str | None]]:
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


def candidates(name: str, gaz: Gazetteer) -> tuple[list[Place], str | None, str]:
    """Candidates for the first variant of `name` the gazetteer knows, its qualifier and the variant.

    A short name not written in capitals ("Sen", "Ms", "IoT") matches only places of that very
    name, never a code or an alternate name ("SEN" is Senegal's ISO code, "MS" Mississippi's).
    """
    for variant, qualifier in name_variants(name):
        found = gaz.lookup(variant)
        letters = re.sub(r"[^A-Za-z]", "", variant)
        if found and len(letters) <= 4 and not variant.isupper() and not variant.endswith("."):
            found = [p for p in found if gaz.primary_match(variant, p)]
        if found:
            return found, qualifier, variant
    return [], None, name


def region_hint(name: str) -> bool:
    """True when the name itself says it is a region: "Oaxaca State", "the state of New York"."""
    return bool(_REGION_WORDS.search(name.strip()))


def _prior(place: Place, name: str) -> float:
    # Macro regions carry no population; an ocean or "the Middle East" is as prominent as a
    # large country, so it gets a nominal 100 million.
    population = place.population or (MACRO_POPULATION if place.feature == "region" else 0)
    score = 0.2 * math.log10(max(population, 0) + 10)
    # A first-level region is prominent only when it is populous: a Slovenian municipality or
    # New Zealand's Nelson region is no more likely than a town of the same name.
    if place.feature != "admin1" or population >= SMALL_ADMIN1:
        score += FEATURE_BONUS.get(place.feature, 0.0)
    # Macro regions' aliases are as good as their names ("Atlantic" for the Atlantic Ocean).
    own = fold(place.name)
    if fold(name) in (own, CITY_SUFFIX.sub("", own)) or place.feature in ("continent", "region"):
        score += 0.4
    return score


def qualifier_places(text: str, gaz: Gazetteer) -> list[Place]:
    """Countries and first-level regions a qualifier names ("Texas", "TX", "Syria")."""
    found, _, _ = candidates(text, gaz)
    return [p for p in found if p.feature in ("country", "admin1")]


def _constrained(qualifier: Place, place: Place) -> bool:
    """Whether a qualifier applies: it must rank above the place ("Austria, Slovakia" is a list)."""
    return FEATURE_RANK.get(qualifier.feature, 0) > FEATURE_RANK.get(place.feature, 0)


def contains(qualifier: Place, place: Place) -> bool:
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
            score += 3.0 if any(contains(q, place) for q in applicable) else -2.0
        scored.append((round(score, 3), place))
    scored.sort(key=lambda sp: (-sp[0], -sp[1].population, sp[1].geonameid))
    return scored


def dateline(article) -> tuple[str | None, str | None]:
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
