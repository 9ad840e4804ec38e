"""Repair place entities the NER cut, glued or mistyped, before they are geocoded.

Three repairs, each checked against the gazetteer so a name is only changed into a real place:

- `join_split_names`: "ST. LOUIS" split at the abbreviation's dot into "ST" and "LOUIS" becomes
  one place again.
- `split_glued_names`: a place name the gazetteer does not know, glued from known places or
  padded with words ("Greece Italy", "Asia-Pacific", "north west London", "Politics Ukraine"),
  becomes one place per known part, with exact spans.
- `retype_locative`: an organization or person the NER named after a town, written where only a
  place fits ("a cottage in Dewsbury", "the cities of Suwon and Incheon"), becomes a place. The
  geocoder holds these to the stricter threshold of places found by the scan.
"""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis, Entity, Mention, stable_id
from wirewatch.resolve.gazetteer import Gazetteer, distance_km, fold
from wirewatch.resolve.metonymy import is_metonymic
from wirewatch.resolve.places_lexicon import COMMON_WORD_PLACES, GENERIC_REGION_WORDS

__all__ = ["join_split_names", "split_glued_names", "retype_locative", "retype_near_places"]

STRONG = ("country", "continent", "region", "admin1", "capital")
# An abbreviation the NER may cut at its dot: "ST. LOUIS", "FT. WORTH", "MT. VERNON".
_CUT_GAP = re.compile(r"^\.\s?$")
_PART = re.compile(r"[^\s/\-–]+")
# Text right before a mention that only a place can follow.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|outside|into)|\b(?:cities|towns|villages|city|town|village|port)\s+of"
    r"(?:\s+[A-Z][\w'’-]+\s+(?:and|or))?)\s+$"
)
RETYPE_MIN_POPULATION = 5_000
NEAR_TOWN_POPULATION = 10_000  # a town retyped for lying near the article's places
NEAR_KM = 100.0


def _generic(name: str) -> bool:
    """True for a name made only of generic or common words ("Centre", "North", "Delta")."""
    words = fold(name).split()
    return bool(words) and all(w in GENERIC_REGION_WORDS or w in COMMON_WORD_PLACES for w in words)


def _mention_spans(analysis: ArticleAnalysis) -> list[tuple[int, int, Entity, Mention]]:
    return sorted(
        ((m.start, m.end, e, m) for e in analysis.entities if e.type == "place" for m in e.mentions),
        key=lambda t: t[0],
    )


def _drop_empty(analysis: ArticleAnalysis) -> None:
    analysis.entities[:] = [e for e in analysis.entities if e.mentions]


def _add_place(analysis: ArticleAnalysis, name: str, mention: Mention) -> None:
    """Add a mention to the place entity of that name, creating it when needed."""
    for entity in analysis.entities:
        if entity.type == "place" and fold(entity.name) == fold(name):
            entity.mentions.append(mention)
            return
    eid = stable_id("e", analysis.article.id, "place", name)
    analysis.entities.append(Entity(id=eid, name=name, type="place", mentions=[mention]))


def join_split_names(analysis: ArticleAnalysis, gaz: Gazetteer) -> None:
    """Join two place mentions cut at an abbreviation's dot ("ST" + "LOUIS") into one place."""
    text = analysis.article.text
    spans = _mention_spans(analysis)
    for (s1, e1, ent1, m1), (s2, e2, ent2, m2) in zip(spans, spans[1:]):
        if ent1 is ent2 or not _CUT_GAP.match(text[e1:s2]) or len(m1.text) > 3:
            continue
        joined = text[s1:e2]
        if not gaz.lookup(joined) or gaz.lookup(m1.text) and not gaz.lookup(m2.text):
            continue
        ent1.mentions.remove(m1)
        ent2.mentions.remove(m2)
        _add_place(analysis, joined, Mention(analysis.article.id, s1, e2, joined))
    _drop_empty(analysis)


def _known_parts(name: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Character spans of the longest runs of words in `name` that name a major place."""
    words = [(m.start(), m.end()) for m in _PART.finditer(name)]
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            part = name[words[i][0]:words[j - 1][1]]
            if part[:1].isupper() and not _generic(part) and any(p.feature in STRONG and fold(p.name) == fold(part) or p.feature in ("country", "continent", "region")
                                          for p in gaz.lookup(part)):
                found.append((words[i][0], words[j - 1][1]))
                i = j
                break
        else:
            i += 1
    return found


def split_glued_names(analysis: ArticleAnalysis, gaz: Gazetteer) -> None:
    """Replace an unknown place name made of known places and other words by those places."""
    for entity in list(analysis.entities):
        if entity.type != "place" or _resolvable(entity.name, gaz):
            continue
        parts = _known_parts(entity.name, gaz)
        if not parts or parts == [(0, len(entity.name))]:
            continue
        # What is left must be glue or lower-case words ("north west London", "Pacific
        # equatorial"): "Mississippi River" or "Illinois Capitol Complex" are other places.
        rest = entity.name
        for start, end in reversed(parts):
            rest = rest[:start] + " " + rest[end:]
        if any(w[:1].isupper() or w[:1].isdigit() for w in _PART.findall(rest)):
            continue
        for mention in list(entity.mentions):
            if mention.text != entity.name:
                continue
            entity.mentions.remove(mention)
            for start, end in parts:
                piece = mention.text[start:end]
                _add_place(analysis, piece, Mention(mention.article, mention.start + start, mention.start + end, piece))
    _drop_empty(analysis)


def _resolvable(name: str, gaz: Gazetteer) -> bool:
    """Whether the geocoder can look the name up as it is (its own variants included)."""
    from wirewatch.resolve.place_candidates import candidates  # the one definition of name variants

    return bool(candidates(name, gaz)[0])


def retype_locative(analysis: ArticleAnalysis, gaz: Gazetteer) -> set[str]:
    """Organizations and one-word persons named after a town, written as places, become places.

    Returns the ids of the retyped entities. A person must be one word in every mention and not
    a word of another person's name; the name must be a town of its own name with at least
    RETYPE_MIN_POPULATION people, or a first-level region.
    """
    text = analysis.article.text
    person_words = {w for e in analysis.entities if e.type == "person" and " " in e.name for w in fold(e.name).split()}
    retyped: set[str] = set()
    for entity in analysis.entities:
        if entity.type not in ("organization", "person") or "," in entity.name:
            continue
        if entity.type == "person" and (any(" " in m.text.strip() for m in entity.mentions) or fold(entity.name) in person_words):
            continue
        locative = [m for m in entity.mentions
                    if _LOCATIVE.search(text[max(0, m.start - 40):m.start]) and not re.match(r"['’]s\b", text[m.end:m.end + 2])]
        if not locative:
            continue
        places = [p for p in gaz.lookup(entity.name) if fold(p.name) == fold(entity.name)]
        if any(p.feature in STRONG or p.population >= RETYPE_MIN_POPULATION for p in places):
            entity.type = "place"
            retyped.add(entity.id)
    return retyped


def retype_near_places(analysis: ArticleAnalysis, gaz: Gazetteer) -> list[tuple[Entity, str]]:
    """Organizations and one-word persons named exactly like a town next to the article's places.

    "Centreville" in an article about Manassas, "Owerri" in one about Imo State: a town of
    NEAR_TOWN_POPULATION+ people under its own name, within NEAR_KM of a place the article
    resolved (or in the same first-level region), is what the name means there. Not common words
    or surnames (`COMMON_WORD_PLACES`), nor a word of another person's name, nor a name that acts
    or owns ("Toyota said", "Toyota's plant", near Nagoya: `metonymy.is_metonymic`). Returns the
    retyped entities with their former type (still without geo: the geocoder resolves them,
    held to the scan's stricter threshold, and gives back the old type when it cannot).
    """
    resolved = [e.geo for e in analysis.entities if e.type == "place" and e.geo and not e.geo.approximate
                and e.geo.feature in ("city", "capital", "admin2")]
    if not resolved:
        return []
    person_words = {w for e in analysis.entities if e.type == "person" and " " in e.name for w in fold(e.name).split()}
    text = analysis.article.text
    out = []
    for entity in analysis.entities:
        if entity.type not in ("organization", "person") or fold(entity.name) in COMMON_WORD_PLACES:
            continue
        if entity.type == "person" and (" " in entity.name.strip() or fold(entity.name) in person_words):
            continue
        if any(is_metonymic(text, m.end) for m in entity.mentions):
            continue  # "Toyota said", "Toyota's plant": the company, whatever town lies nearby
        towns = [p for p in gaz.lookup(entity.name) if fold(p.name) == fold(entity.name)
                 and p.feature in ("city", "capital") and p.population >= NEAR_TOWN_POPULATION]
        if any(distance_km(t.lat, t.lon, g.lat, g.lon) <= NEAR_KM for t in towns for g in resolved):
            out.append((entity, entity.type))
            entity.type = "place"
    return out
