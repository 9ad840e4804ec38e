"""Find places the NER missed: capitalized runs of words that exactly name a well-known place.

See `find_missed_places` for the guards (whole-run match, titles, persons' names, common words,
size floors) and docs/geocoding.md, step 3.
"""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis, Entity, Mention, stable_id
from wirewatch.resolve.covered import Covered
from wirewatch.resolve.gazetteer import Gazetteer, Place, fold
from wirewatch.resolve.place_candidates import CITY_SUFFIX, candidates, dateline, region_hint, score_candidates
from wirewatch.resolve.place_repairs import _generic
from wirewatch.resolve.places_lexicon import COMMON_WORD_PLACES, LEADING_FUNCTION_WORDS, PERSON_TITLES

__all__ = ["find_missed_places", "is_country"]

REGION_TOWN_FLOOR = 1_000  # scan floor for a town in a first-level region the article names
# A run of capitalized words (letters, apostrophes, hyphens, inner dots as in "U.S."), on one line.
_CAP_RUN = re.compile(r"(?<![\w'’.-])[A-Z][\w'’-]*(?:\.[A-Z]\.?)*(?:[ ]+[A-Z][\w'’-]*(?:\.[A-Z]\.?)*)*")
_CONTRACTION = re.compile(r"['’](?:d|ll|re|ve|m|t)$|n['’]t$", re.IGNORECASE)


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
    taken = Covered((m.start, m.end) for e in analysis.entities for m in e.mentions)
    existing = {fold(e.name): e for e in analysis.entities if e.type == "place"}
    person_words = {
        fold(w) for e in analysis.entities if e.type == "person" for m in [e.name, *(x.text for x in e.mentions)] for w in m.split()
    }
    lower_words = set(re.findall(r"\b[a-z][a-z'-]+\b", text))
    dateline_head, _ = dateline(article)
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
        if not surface or taken.overlaps(start, end):
            continue
        prev = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, start - 20):start])
        if prev and prev.group(1).lower() in PERSON_TITLES:
            continue
        key = fold(surface)
        acronym = surface.isupper() and len(surface) > 1 and is_country(surface, gaz)  # "US", not "us"
        # A word of a person's name is no place, unless the NER calls that very name a place too.
        if not key or (key in COMMON_WORD_PLACES and not acronym) or (key not in existing and any(w in person_words for w in key.split())):
            continue
        if _CONTRACTION.search(surface) or surface.lower() in PERSON_TITLES:
            continue  # "I'd" is not Idaho, "Ms" not Mississippi
        single = len(words) == 1
        # A capitalized word also written in lower case is a common word ("Reading"); an acronym
        # ("US") is not made common by the pronoun "us".
        if single and ((surface.lower() in lower_words and not surface.isupper())
                       or (surface.isupper() and len(surface) <= 3 and not is_country(surface, gaz))):
            continue
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in ".!?\"“\n:"
        places, _, _ = candidates(surface, gaz) if len(re.sub(r"[^A-Za-z]", "", surface)) <= 4 else (gaz.lookup(surface), None, None)
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


def is_country(word: str, gaz: Gazetteer) -> bool:
    return any(p.feature == "country" for p in gaz.lookup(word))


def _named_regions(analysis: ArticleAnalysis, gaz: Gazetteer) -> set[tuple[str | None, str | None]]:
    """First-level regions the NER's places name, as (country, admin1) by prior alone."""
    regions = set()
    for entity in analysis.entities:
        if entity.type == "place":
            found, _, variant = candidates(entity.name, gaz)
            if found:
                best = score_candidates(found, variant, region_hint=region_hint(entity.name))[0][1]
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
        named = own in (fold(place.name), CITY_SUFFIX.sub("", fold(place.name)))  # "Paranaque" = "Paranaque City"
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
