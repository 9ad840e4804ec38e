"""Cross-article entity linking: give each article-local entity a global id shared across reports.

Extraction names entities per article ("Rami Makhlouf", "Makhlouf", a place with a gazetteer id).
This stage decides which stored entity each one is, from keys kept in the store's key index:

- places link by gazetteer id when geocoded, else by normalized name;
- every entity links by normalized full name or alias (accents, case, "the", possessives and
  honorifics folded), within one type family (person / organization+group / place / other);
- a person named by surname only ("Makhlouf") links to a full-name person with that surname only
  when exactly one such person is known; with two or more ("Rami" and "Hafez Makhlouf") it stays
  apart, so different people sharing a surname are never merged by a guess;
- a full name whose given name is compatible (same, or an initial: "A. Smith" / "Adam Smith") with
  exactly one known full name of the same surname links to it;
- an entity named only by a description that one known person carries as a role ("the billionaire
  cousin") links to that person when exactly one person has that role.

Global ids are stable for the same input order: stable_id("E", family, key of the first name seen).
Small per-entity facts (name, family) live in store state "entity:<id>" so linking never loads
the mentions of a frequently mentioned entity.
"""
from __future__ import annotations

import re
import unicodedata

from wirewatch.extract.lexicon import TITLE_BEFORE_NAME, is_title_word
from wirewatch.extract.agents import is_generic_agent
from wirewatch.model import ArticleAnalysis, Entity, stable_id

__all__ = ["link_entities", "normalize_name", "name_keys", "family_of"]

_HONORIFICS = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "lord", "lady", "gen", "general", "maj",
    "major", "col", "colonel", "lt", "capt", "captain", "sgt", "president", "prime", "minister",
    "governor", "gov", "sen", "senator", "rep", "sheikh", "king", "queen", "prince", "princess",
    "judge", "justice", "rev", "father", "pope", "chancellor", "mayor", "ambassador", "adm", "admiral",
}
_LEADING = {"the", "a", "an"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_ROLE_MIN_TOKENS = 2  # one-word roles ("president") are too common to identify anyone alone
# Abbreviations spelled both ways in names of places and organizations ("Mt Cook" / "Mount Cook").
# "St" is left alone: it is Saint or Street.
_ABBREVIATIONS = {"mt": "mount", "ft": "fort", "mtn": "mountain"}
_HEAD_BREAKS = {"of", "for"}
_SUFFIX_STARTS = _HEAD_BREAKS | _LEADING | {"at", "in", "on", "and", "de"}  # not a name on its own  # "Academy of Motion Picture Arts": the head ("academy") comes before these


def family_of(entity_type: str) -> str:
    """Map an entity type to the family linking compares within (extractors confuse org and group)."""
    if entity_type in ("organization", "group"):
        return "org"
    return entity_type if entity_type in ("person", "place") else "other"


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def normalize_name(name: str, family: str = "other") -> str:
    """Fold a name to its matching key: accents, case, punctuation, leading "the", possessive, honorifics."""
    if family == "person":
        name = _strip_title(name)
    text = _fold(name)
    text = re.sub(r"['\u2019]s\b", "", text)
    text = re.sub(r"[^\w\s-]", " ", text).replace("-", " ")
    tokens = text.split()
    while tokens and tokens[0] in _LEADING:
        tokens = tokens[1:]
    if family == "person":
        # Extractor spans sometimes swallow a title ("Interior Minister Ada Brel"): drop it.
        while len(tokens) > 1 and (tokens[0] in _HONORIFICS or is_title_word(tokens[0])):
            tokens = tokens[1:]
        while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
            tokens = tokens[:-1]
    else:
        tokens = _collapse_initials([_ABBREVIATIONS.get(t, t) for t in tokens])
    return " ".join(tokens)


def _strip_title(name: str) -> str:
    """Drop a title chain an extractor span swallowed ("Interior Minister Ada Brel" -> "Ada Brel")."""
    cuts = [m.end() for m in re.finditer(r"\s+", name)]
    for cut in reversed(cuts):  # longest title first, always leaving a name behind
        if TITLE_BEFORE_NAME.fullmatch(name[:cut]):
            return name[cut:]
    return name


def _collapse_initials(tokens: list[str]) -> list[str]:
    """Join runs of single letters ("u s navy" -> "us navy") so "U.S. Navy" and "US Navy" share a key.

    Not for people: "J. R. Smith" must keep its initials apart to compare given names.
    """
    out: list[str] = []
    run = ""
    for token in tokens + [""]:
        if len(token) == 1 and token.isalpha():
            run += token
            continue
        if run:
            out.append(run)
            run = ""
        if token:
            out.append(token)
    return out


def _org_suffixes(norm: str) -> list[str]:
    """Shorter names a multi-word organization goes by: proper suffixes of its head part.

    "san diego chargers" -> ["diego chargers", "chargers"]; "academy of motion picture arts" ->
    ["academy"]. Used only as weak keys: a short name links when exactly one organization has it.
    """
    tokens = norm.split()
    head = tokens
    for i, token in enumerate(tokens):
        if token in _HEAD_BREAKS and i > 0:
            head = tokens[:i]
            break
    out = [" ".join(head[i:]) for i in range(1, len(head))]
    if len(head) < len(tokens):
        out.append(" ".join(head))
    return [o for o in out if o and o.split()[0] not in _SUFFIX_STARTS]


def _acronym(norm: str) -> str | None:
    words = [w for w in norm.split() if w not in ("of", "and", "for", "the", "de")]
    return "".join(w[0] for w in words) if len(words) >= 2 else None


def name_keys(entity: Entity) -> tuple[list[str], list[str]]:
    """Return (exact keys, weak keys) an entity is indexed under.

    Exact keys identify it on their own (full names, aliases, gazetteer id); weak keys (surname,
    acronym, role) identify it only when exactly one entity carries them.
    """
    family = family_of(entity.type)
    exact: list[str] = []
    weak: list[str] = []
    if family == "place" and entity.geo is not None and entity.geo.gazetteer_id:
        exact.append(f"g:{entity.geo.gazetteer_id}")
    for name in [entity.name, *entity.aliases]:
        norm = normalize_name(name, family)
        if not norm:
            continue
        exact.append(f"n:{family}:{norm}")
        tokens = norm.split()
        if family == "person" and len(tokens) >= 2:
            weak.append(f"s:{tokens[-1]}")
        if family == "org":
            acro = _acronym(norm)
            if acro and len(acro) >= 2:
                weak.append(f"a:{acro}")
            weak.extend(f"x:{suffix}" for suffix in _org_suffixes(norm))
    if family == "person":
        for role in entity.roles:
            norm = normalize_name(role)
            if len(norm.split()) >= _ROLE_MIN_TOKENS:
                weak.append(f"r:{norm}")
    return list(dict.fromkeys(exact)), list(dict.fromkeys(weak))


def _given_compatible(a: list[str], b: list[str]) -> bool:
    """True when two given-name token lists can name the same person ("a" ~ "adam", "barack" ~ "barack hussein")."""
    if not a or not b:
        return True
    if a[0] == b[0]:
        return True
    return (len(a[0]) == 1 and b[0].startswith(a[0])) or (len(b[0]) == 1 and a[0].startswith(b[0]))


class _Linker:
    """Linking state for one batch: the store plus facts about entities seen in this batch."""

    def __init__(self, store):
        self.store = store
        self.info: dict[str, dict] = {}  # global id -> {"name", "family"}
        self.current: set[str] = set()  # global ids resolved so far in the article being linked

    def _info(self, entity_id: str) -> dict | None:
        if entity_id not in self.info:
            state = self.store.get_state(f"entity:{entity_id}")
            if state is not None:
                self.info[entity_id] = state
        return self.info.get(entity_id)

    def _unique(self, ids: list[str], family: str) -> str | None:
        ids = [i for i in dict.fromkeys(ids) if (self._info(i) or {}).get("family", family) == family]
        return ids[0] if len(ids) == 1 else None

    def resolve(self, entity: Entity) -> str:
        """Return the global id for `entity`, registering a new one when nothing known matches."""
        family = family_of(entity.type)
        exact, weak = name_keys(entity)
        norm = normalize_name(entity.name, family)
        tokens = norm.split()
        lookup = list(exact)
        if family == "person":
            if len(tokens) == 1:
                lookup.append(f"s:{tokens[0]}")
            elif tokens:
                lookup.append(f"s:{tokens[-1]}")
            lookup.append(f"r:{normalize_name(entity.name)}")
        acronym = family == "org" and len(tokens) == 1 and entity.name.isupper() and 2 <= len(norm) <= 6
        if acronym:
            lookup.append(f"a:{norm}")
        if family == "org" and tokens:
            lookup.append(f"x:{norm}")
        found = self.store.entities_by_keys(lookup) if lookup else {}
        match = None
        gaz = entity.geo.gazetteer_id if family == "place" and entity.geo is not None else None
        for key in exact:  # exact keys in priority order: gazetteer id first, then names
            ids = found.get(key, [])
            if gaz and not key.startswith("g:"):
                # A geocoded place matches a same-named place only if that one is not geocoded
                # elsewhere: Paris (France) and Paris (Texas) share a name, not a place.
                ids = [i for i in ids if (self._info(i) or {}).get("gaz") in (None, gaz)]
            if ids:
                match = ids[0]
                break
        if match is None and family == "person" and tokens:
            match = self._person_fallback(tokens, found, normalize_name(entity.name))
        if match is None and len(tokens) >= 2 and family != "place":
            # Extractors often disagree on person / organization / other for the same multi-word
            # name ("Ellen DeGeneres" as an ORG); a unique exact name in another family is the same.
            others = [f"n:{f}:{norm}" for f in ("person", "org", "other") if f != family]
            hits = self.store.entities_by_keys(others)
            ids = [i for k in others for i in hits.get(k, [])]
            match = ids[0] if len(set(ids)) == 1 else None
        if match is None and acronym:
            match = self._unique(found.get(f"a:{tokens[0]}", []), family)
        if match is None and family == "org" and tokens:
            # A short name ("the Chargers", "the Academy") for a longer organization name: the
            # one in this article if there is exactly one, else the only one known at all.
            ids = [i for i in dict.fromkeys(found.get(f"x:{norm}", [])) if (self._info(i) or {}).get("family") == "org"]
            here = [i for i in ids if i in self.current]
            match = here[0] if len(here) == 1 else (ids[0] if len(ids) == 1 else None)
        if match is None:
            parts = (family, norm or _fold(entity.name)) + ((gaz,) if gaz else ())
            match = stable_id("E", *parts)
            self.info[match] = {"name": entity.name, "family": family, "gaz": gaz}
            self.store.set_state(f"entity:{match}", self.info[match])
            # The key index refers to stored entities, so the entity exists before its keys do.
            self.store.upsert_entity(Entity(id=match, name=entity.name, type=entity.type, aliases=list(entity.aliases),
                                            roles=list(entity.roles), geo=entity.geo, country=entity.country))
        self.store.add_entity_keys(match, exact + weak)
        self.current.add(match)
        return match

    def _person_fallback(self, tokens: list[str], found: dict[str, list[str]], described: str) -> str | None:
        surname = tokens[-1]
        if len(tokens) == 1:
            # Surname only: link when exactly one full-name person carries it.
            match = self._unique(found.get(f"s:{surname}", []), "person")
            if match is None and not found.get(f"s:{surname}"):
                match = self._unique(found.get(f"r:{described}", []), "person")
            return match
        role = self._unique(found.get(f"r:{described}", []), "person")
        if role is not None:
            return role
        compatible = []
        for cand in dict.fromkeys(found.get(f"s:{surname}", [])):
            info = self._info(cand)
            if info is None or info.get("family") != "person":
                continue
            other = normalize_name(info["name"], "person").split()
            if len(other) == 1 or _given_compatible(tokens[:-1], other[:-1]):
                compatible.append(cand)
        if len(compatible) == 1:
            return compatible[0]
        # A bare-surname entity seen before any full name adopts the first full name that arrives.
        if not found.get(f"s:{surname}"):
            bare = found.get(f"n:person:{surname}", [])
            if len(bare) == 1:
                return bare[0]
        return None


def _merge_into(target: Entity, other: Entity) -> None:
    for alias in [other.name, *other.aliases]:
        if alias != target.name and alias not in target.aliases:
            target.aliases.append(alias)
    target.roles.extend(r for r in other.roles if r not in target.roles)
    seen = {(m.start, m.end) for m in target.mentions}
    target.mentions.extend(m for m in other.mentions if (m.start, m.end) not in seen)
    if len(other.name) > len(target.name):
        target.aliases = [a for a in target.aliases if a != other.name]
        if target.name not in target.aliases:
            target.aliases.append(target.name)
        target.name = other.name
    if target.geo is None and other.geo is not None:
        target.geo = other.geo
    if target.country is None:
        target.country = other.country


def link_entities(analyses: list[ArticleAnalysis], store) -> None:
    """Give every local entity a global id, in place, and rewrite claim references to it.

    Entities of one article that resolve to the same global id are merged into one (mentions,
    aliases and roles unioned). Each entity keeps only its own article's mentions; the store
    gathers mentions across articles.
    """
    linker = _Linker(store)
    for analysis in analyses:
        linker.current = set()
        mapping: dict[str, str] = {}
        merged: dict[str, Entity] = {}
        # Full names first, so a bare surname in the same article finds its full name.
        order = sorted(analysis.entities, key=lambda e: -len(normalize_name(e.name, family_of(e.type)).split()))
        for entity in order:
            # a generic agent ("the army") is scoped by its own id (kind, sector, country): no name match
            global_id = entity.id if is_generic_agent(entity) else linker.resolve(entity)
            mapping[entity.id] = global_id
            if global_id in merged:
                _merge_into(merged[global_id], entity)
            else:
                entity.id = global_id
                merged[global_id] = entity
        analysis.entities = [e for e in analysis.entities if merged.get(e.id) is e]
        for claim in analysis.claims:
            if claim.subject in mapping:
                claim.subject = mapping[claim.subject]
            if claim.object in mapping:
                claim.object = mapping[claim.object]
            if claim.attribution is not None and claim.attribution.entity in mapping:
                claim.attribution.entity = mapping[claim.attribution.entity]
