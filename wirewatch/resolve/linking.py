"""Cross-article entity linking: give each article-local entity a global id shared across reports.

Extraction names entities per article ("Rami Makhlouf", "Makhlouf", a place with a gazetteer id).
This stage, run per batch as articles arrive:

1. adds the repeat mentions extraction missed (`mention_completion`);
2. looks up candidate known entities in the store's key index (normalized names, surnames, name
   words, acronyms, head names, roles, gazetteer ids), at most `MAX_CANDIDATES` per entity, so the
   cost follows the batch, not the corpus;
3. scores each (entity, candidate) pair with a trained model (`link_features`, shipped as
   `data/linker.json`, rebuilt by scripts/train_linker.py) and links to the best candidate above
   the model's threshold, else registers a new entity.

Hard guards whatever the model says: places geocoded to different gazetteer entries never link
(Paris, France / Paris, Texas), full person names with clashing given names never link, and a
near tie between two passing candidates is not guessed (that entity stays out of the key index, so
it never becomes a rival of the real ones). Global ids are stable for the same input
order: stable_id("E", family, key of the first name seen). Each entity's bounded profile (name
variants, types, roles, context terms, co-occurring names) lives in store state "entity:<id>", so
linking never loads the mentions of a frequently mentioned entity.
"""
from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache

from wirewatch.extract.agents import is_generic_agent
from wirewatch.extract.lexicon import TITLE_BEFORE_NAME, is_title_word
from wirewatch.learned import LearnedModel, load_model
from wirewatch.model import ArticleAnalysis, Entity, stable_id
from wirewatch.resolve.link_features import Mention, Profile, pair_features, update_profile
from wirewatch.resolve.mention_completion import complete_mentions, known_name_spans
from wirewatch.stories.features import DocFreq, raw_terms

__all__ = ["ModelChooser", "link_entities", "normalize_name", "name_keys", "family_of"]

MODEL_RESOURCE = "data/linker.json"
# What a chooser returns for a near tie it will not guess: the entity then stays apart and out of
# the key index (see `_Linker.resolve`).
AMBIGUOUS = "?ambiguous"

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


@lru_cache(maxsize=65536)  # a pure function of its two strings, asked for the same names over and over
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


_FAMILIES = ("person", "org", "place", "other")
_WORD_STOP = _SUFFIX_STARTS | _HONORIFICS | _SUFFIXES
MAX_CANDIDATES = 15  # profiles scored per incoming entity; posting lists of common words are cut here
CONTEXT_TERMS = 30  # report terms kept for the context feature
AMBIGUITY_MARGIN = 0.15
MIN_CONTEXT_ONE_WORD = 0.2


@lru_cache(maxsize=1)
def default_model() -> LearnedModel:
    """The shipped pairwise linking model (rebuilt by scripts/train_linker.py)."""
    return load_model("wirewatch.resolve", MODEL_RESOURCE)


def _word_keys(norm: str, family: str) -> list[str]:
    """Looser keys: each word of a non-person name ("Blazers" meets "Portland Blazers"); for a person,
    the given name with the surname's initial ("Duncan Raite" meets "Duncan Rait") — a bare given name
    would gather every John in the corpus."""
    tokens = norm.split()
    if family == "person":
        return [f"p:{tokens[0]}:{tokens[-1][0]}"] if len(tokens) >= 2 else []
    return [f"w:{family}:{t}" for t in tokens if len(t) >= 3 and t not in _WORD_STOP]


def neighbour_key(entity: Entity) -> str:
    """A name key for co-occurrence: a geocoded place's gazetteer id, else family and last name word."""
    family = family_of(entity.type)
    if family == "place" and entity.geo is not None and entity.geo.gazetteer_id:
        return f"g:{entity.geo.gazetteer_id}"
    tokens = normalize_name(entity.name, family).split()
    return f"{family}:{tokens[-1]}" if tokens else ""


def report_terms(analysis: ArticleAnalysis, df: DocFreq) -> dict[str, float]:
    """The report's top TF-IDF terms, L2-normalised (the context an entity is mentioned in)."""
    weighted = {t: (1.0 + math.log(c)) * df.idf(t) for t, c in raw_terms(analysis).items()}
    top = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:CONTEXT_TERMS]
    norm = math.sqrt(sum(v * v for _, v in top)) or 1.0
    return {t: round(v / norm, 4) for t, v in top}


class ModelChooser:
    """Pick the candidate the model scores highest, if it reaches the model's threshold.

    A best candidate that another scores within `AMBIGUITY_MARGIN` of is a guess, not a link
    ("Herons" when two teams of that name are known): `choose` then returns `AMBIGUOUS` and the
    entity stays apart, unless the best one carries the very same name or is the only one of the two
    already named in this report.
    """

    def __init__(self, model: LearnedModel, threshold: float | None = None):
        self.model = model
        self.threshold = threshold if threshold is not None else float(model.meta.get("threshold", 0.5))

    def choose(self, entity: Entity, candidates: list[tuple[str, dict[str, float]]]) -> str | None:
        scored = sorted(((self.model.probability(f), i, f) for i, f in candidates), key=lambda x: -x[0])
        if not scored or scored[0][0] < self.threshold:
            return None
        p, best, features = scored[0]
        if len(scored) > 1 and p - scored[1][0] < AMBIGUITY_MARGIN:
            runner_up = scored[1][2]
            sure = features.get("exact") or (features.get("in_article") and not runner_up.get("in_article"))
            if not sure:
                return AMBIGUOUS
        return best


class _Linker:
    """Linking state for one batch: the store plus the profiles of entities touched in this batch."""

    def __init__(self, store, chooser):
        self.store = store
        self.chooser = chooser
        self.profiles: dict[str, Profile] = {}
        self.current: set[str] = set()  # global ids resolved so far in the article being linked
        self.dirty: set[str] = set()  # global ids whose profile changed

    def _profile(self, entity_id: str) -> Profile | None:
        if entity_id not in self.profiles:
            state = self.store.get_state(f"entity:{entity_id}")
            if state is None:
                return None
            profile = Profile.from_state(entity_id, state)
            if not profile.names and profile.name:  # a store written before profiles kept names
                profile.names = [normalize_name(profile.name, profile.family)]
            self.profiles[entity_id] = profile
        return self.profiles[entity_id]

    def _lookup_keys(self, entity: Entity, family: str, norm: str, exact: list[str], geocoded: bool) -> list[str]:
        tokens = norm.split()
        keys = list(exact)
        if family == "person" and tokens:
            keys.append(f"s:{tokens[-1]}")
            keys.append(f"r:{normalize_name(entity.name)}")
        if family == "org" and len(tokens) == 1 and 2 <= len(norm) <= 6:
            keys.append(f"a:{norm}")
        if family == "org" and tokens:
            keys.append(f"x:{norm}")
        if norm and not geocoded:
            # Extractors type one name differently from report to report (a boxer or a federation
            # tagged as a place, a company as a person): the same name in another family is a
            # candidate, and the model weighs the type clash. A geocoded place is a place.
            keys.extend(f"n:{f}:{norm}" for f in _FAMILIES if f != family)
        keys.extend(_word_keys(norm, family))
        return list(dict.fromkeys(keys))

    def resolve(self, entity: Entity, mention: Mention) -> str:
        """Return the global id for `entity`, registering a new one when no candidate is chosen."""
        family = mention.family
        exact, weak = name_keys(entity)
        norm = mention.names[0] if mention.names else ""
        match, ambiguous = None, False
        if mention.gaz:
            # A place geocoded to the same gazetteer entry is the same place (Tartus / Tartous).
            ids = self.store.entities_by_keys([f"g:{mention.gaz}"]).get(f"g:{mention.gaz}", [])
            match = ids[0] if ids else None
        if match is None:
            lookup = self._lookup_keys(entity, family, norm, exact, bool(mention.gaz))
            found = self.store.entities_by_keys(lookup)
            # Keys are taken in lookup order (exact names first, loose word keys last), so the cap
            # keeps the strongest candidates when a common word gathers many entities.
            ids: list[str] = []
            for key in lookup:
                ids.extend(found.get(key, [])[:MAX_CANDIDATES])
            ids = list(dict.fromkeys(ids))[:MAX_CANDIDATES]
            profiles = [p for p in (self._profile(i) for i in ids) if p is not None]
            # Paris (France) and Paris (Texas) share a name, not a place: never scored.
            profiles = [p for p in profiles if not (mention.gaz and p.gaz and p.gaz != mention.gaz)]
            # Nor is a geocoded place the person or organization of the same name.
            profiles = [p for p in profiles if p.family == family or not p.gaz]
            candidates = [(p.id, pair_features(mention, p, len(profiles), p.id in self.current)) for p in profiles]
            observe = getattr(self.chooser, "observe", None)
            if observe is not None:  # training sees every scored pair, the guards below included
                observe(entity, candidates)
            # Rami and Hafez Makhlouf are two people: full names whose given names clash never link.
            candidates = [(i, f) for i, f in candidates if f["given"] >= 0]
            # A one-word name ("Ahmed") from another report links only with some shared context or a
            # shared co-occurring name: on ECB+ train no such pair without either was the same entity
            # (0 of 8), and the model alone, seeing few of them, trusts the bare name too much.
            candidates = [(i, f) for i, f in candidates
                          if f["in_article"] or min(f["tokens_new"], f["tokens_known"]) > 1
                          or f["context"] >= MIN_CONTEXT_ONE_WORD or f["cooccur"] > 0]
            # Two names extraction kept apart in one report ("Port Vale Herons", "Lakeside Herons")
            # are two entities unless one is a short form of the other.
            candidates = [(i, f) for i, f in candidates
                          if not f["in_article"] or f["token_subset"] or f["acronym"] or f["jaro_winkler"] >= 0.9]
            match = self.chooser.choose(entity, candidates) if candidates else None
            ambiguous = match == AMBIGUOUS
            match = None if ambiguous else match
            if match is None and family == "person" and len(norm.split()) >= _ROLE_MIN_TOKENS:
                # A person named only by a description ("the governor's billionaire cousin") that
                # exactly one known person carries as a role is that person.
                role_key = f"r:{normalize_name(entity.name)}"
                carriers = set(found.get(role_key, []))
                match = next(iter(carriers)) if len(carriers) == 1 else None
        if match is None:
            parts = (family, norm or _fold(entity.name)) + ((mention.gaz,) if mention.gaz else ())
            match = stable_id("E", *parts)
            article = entity.mentions[0].article if entity.mentions else ""
            if ambiguous:
                # "Gray" when two known people are called Gray: an entity of this report only. Left out
                # of the key index, or every later "Kimani Gray" (whose report also says "Gray") would
                # find it as an exact-name rival to the real one, splitting that person in two.
                match = stable_id("E", *parts, "ambiguous", article)
            elif family == "person" and len(norm.split()) == 1 and match not in self.current and self._profile(match):
                # The model turned down the known bare "Ahmed": this one is a namesake, with an id of
                # its own (still stable for the same input order).
                match = stable_id("E", *parts, article)
        if self._profile(match) is None:
            self.profiles[match] = Profile(id=match, family=family, gaz=mention.gaz, name=entity.name)
            # The key index refers to stored entities, so the entity exists before its keys do.
            self.store.upsert_entity(Entity(id=match, name=entity.name, type=entity.type, aliases=list(entity.aliases),
                                            roles=list(entity.roles), geo=entity.geo, country=entity.country))
        profile = self.profiles[match]
        update_profile(profile, mention)
        self.dirty.add(match)
        if not ambiguous:
            self.store.add_entity_keys(match, exact + weak + _word_keys(norm, family))
        self.current.add(match)
        assigned = getattr(self.chooser, "assigned", None)
        if assigned is not None:
            assigned(entity, match)
        return match

    def save(self) -> None:
        """Write the profiles this batch changed back to store state."""
        for entity_id in sorted(self.dirty):
            self.store.set_state(f"entity:{entity_id}", self.profiles[entity_id].to_state())
        self.dirty = set()


def _mention(entity: Entity, terms: dict[str, float], neighbours: set[str]) -> Mention:
    family = family_of(entity.type)
    names = [normalize_name(n, family) for n in [entity.name, *entity.aliases]]
    roles = [r for r in (normalize_name(x) for x in entity.roles) if r][:4]
    gaz = entity.geo.gazetteer_id if family == "place" and entity.geo is not None and entity.geo.gazetteer_id else None
    return Mention(names=[n for n in dict.fromkeys(names) if n], family=family, type=entity.type, gaz=gaz,
                   roles=roles, terms=terms, neighbours=neighbours, raw_upper=entity.name.isupper())

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


def link_entities(analyses: list[ArticleAnalysis], store, chooser=None) -> None:
    """Give every local entity a global id, in place, and rewrite claim references to it.

    Entities of one article that resolve to the same global id are merged into one (mentions,
    aliases and roles unioned). Each entity keeps only its own article's mentions; the store
    gathers mentions across articles. Repeat mentions extraction missed are added first
    (`mention_completion`). `chooser` (default: the shipped model) picks among scored
    candidates; training passes one that knows the gold answer.
    """
    linker = _Linker(store, chooser if chooser is not None else ModelChooser(default_model()))
    df = DocFreq.load(store)
    for analysis in analyses:
        complete_mentions(analysis)
        known_name_spans(analysis, store, normalize_name)
        linker.current = set()
        mapping: dict[str, str] = {}
        merged: dict[str, Entity] = {}
        terms = report_terms(analysis, df)
        keys = {e.id: neighbour_key(e) for e in analysis.entities}
        # Full names first, so a bare surname in the same article finds its full name.
        order = sorted(analysis.entities, key=lambda e: -len(normalize_name(e.name, family_of(e.type)).split()))
        for entity in order:
            if is_generic_agent(entity):
                # a generic agent ("the army") is scoped by its own id (kind, sector, country): no name match
                global_id = entity.id
            else:
                neighbours = {k for i, k in keys.items() if i != entity.id and k and k != keys[entity.id]}
                global_id = linker.resolve(entity, _mention(entity, terms, neighbours))
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
    linker.save()
