"""Features of one (article entity, known entity) pair for the learned cross-report linking decision.

A known entity is summarised by a small, bounded profile kept in store state (`entity:<id>`):
its name variants, types, roles, the terms of the reports that mention it and the names it
co-occurs with. An incoming entity is compared with each candidate profile on name similarity
(exact, token overlap, Jaro-Winkler, initials, acronym, surname, given-name compatibility), type
agreement, gazetteer agreement, context (cosine of the report's terms with the entity's terms),
co-occurring names and role agreement. `scripts/train_linker.py` trains the model on these
features; `linking.py` scores them. Every feature is a plain float so the JSON model reads them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from wirewatch.stories.features import cosine

__all__ = ["FEATURES", "Mention", "Profile", "jaro_winkler", "pair_features", "update_profile"]

MAX_NAMES = 12  # name variants kept per profile
MAX_TERMS = 40  # context terms kept per profile
MAX_NEIGHBOURS = 40  # co-occurring name keys kept per profile
MAX_ROLES = 8

FEATURES = [
    "exact", "jaro_winkler", "token_jaccard", "token_subset", "last_equal", "first_equal", "given",
    "acronym", "tokens_new", "tokens_known", "same_type", "same_family", "gaz_same", "gaz_diff",
    "context", "cooccur", "cooccur_frac", "role", "candidates", "known_docs", "in_article",
    "surname_only", "single_known",
]


@lru_cache(maxsize=65536)  # pure; the same name pairs come back for every mention of an entity
def jaro_winkler(a: str, b: str, prefix_weight: float = 0.1) -> float:
    """Jaro-Winkler similarity in [0, 1] ("rait" / "raite" 0.96); 1.0 for equal strings."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(0, max(len(a), len(b)) // 2 - 1)
    used = [False] * len(b)
    matched_a = []
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not used[j] and b[j] == ch:
                used[j] = True
                matched_a.append(ch)
                break
    m = len(matched_a)
    if not m:
        return 0.0
    matched_b = [b[j] for j in range(len(b)) if used[j]]
    transpositions = sum(x != y for x, y in zip(matched_a, matched_b)) / 2
    jaro = (m / len(a) + m / len(b) + (m - transpositions) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * prefix_weight * (1 - jaro)


@dataclass
class Mention:
    """What linking knows about one incoming article entity and its report."""

    names: list[str]  # normalized names, main name first
    family: str
    type: str
    gaz: str | None
    roles: list[str]
    terms: dict[str, float]  # the report's normalised term vector
    neighbours: set[str]  # name keys of the other entities in the report
    raw_upper: bool = False  # written all in capitals (an acronym when short)


@dataclass
class Profile:
    """A known entity's bounded summary, as kept in store state."""

    id: str
    family: str
    gaz: str | None = None
    name: str = ""  # display name: the first name seen
    names: list[str] = field(default_factory=list)
    types: dict[str, int] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)
    neighbours: dict[str, float] = field(default_factory=dict)
    docs: int = 0

    @classmethod
    def from_state(cls, entity_id: str, state: dict) -> "Profile":
        names = state.get("names") or ([state["norm"]] if state.get("norm") else [])
        return cls(id=entity_id, family=state.get("family", "other"), gaz=state.get("gaz"), name=state.get("name", ""),
                   names=list(names),
                   types=dict(state.get("types", {})), roles=list(state.get("roles", [])),
                   terms=dict(state.get("terms", {})), neighbours=dict(state.get("nbr", {})),
                   docs=int(state.get("docs", 0)))

    def to_state(self) -> dict:
        """The JSON-ready dict kept in store state."""
        return {"name": self.name, "family": self.family, "gaz": self.gaz, "names": self.names, "types": self.types,
                "roles": self.roles, "terms": self.terms, "nbr": self.neighbours, "docs": self.docs}


def _top(weights: dict[str, float], n: int, changed=None) -> dict[str, float]:
    """The `n` heaviest entries, heaviest first (ties by key), weights rounded to 4 places.

    Only the `changed` keys need rounding (default: all): the others were rounded when stored, and
    rounding is idempotent. Two C sorts (by key, then stably by weight) instead of a Python key function.
    """
    top = sorted(sorted(weights.items()), key=itemgetter(1), reverse=True)[:n]
    if changed is None:
        return {k: round(v, 4) for k, v in top}
    return {k: round(v, 4) if k in changed else v for k, v in top}


def update_profile(profile: Profile, mention: Mention) -> None:
    """Fold one more report's mention into a profile, keeping every part bounded."""
    for name in mention.names:
        tokens = set(name.split())
        # A shorter form of a known name ("ahmed" of "ahmed idris osman") is not kept as a name of its
        # own: the surname / first-word features already cover it, and as an exact name it would let
        # any later bare "Ahmed" in any story match exactly.
        shorter = any(tokens < set(known.split()) for known in profile.names)
        if name and not shorter and name not in profile.names and len(profile.names) < MAX_NAMES:
            profile.names.append(name)
    profile.types[mention.type] = profile.types.get(mention.type, 0) + 1
    for role in mention.roles:
        if role not in profile.roles and len(profile.roles) < MAX_ROLES:
            profile.roles.append(role)
    terms = dict(profile.terms)
    for term, weight in mention.terms.items():
        terms[term] = terms.get(term, 0.0) + weight
    profile.terms = _top(terms, MAX_TERMS, mention.terms)
    neighbours = dict(profile.neighbours)
    for key in mention.neighbours:
        neighbours[key] = neighbours.get(key, 0.0) + 1.0
    profile.neighbours = _top(neighbours, MAX_NEIGHBOURS, mention.neighbours)
    if profile.gaz is None and mention.gaz:
        profile.gaz = mention.gaz
    profile.docs += 1


def _acronym_of(short: str, long: str) -> bool:
    words = [w for w in long.split() if w not in ("of", "and", "for", "the", "de")]
    return len(words) >= 2 and " " not in short and short == "".join(w[0] for w in words)


def _given(a: list[str], b: list[str]) -> float:
    """+1 when two full person names share a compatible given name, -1 when the given names clash, else 0."""
    if len(a) < 2 or len(b) < 2:
        return 0.0
    x, y = a[0], b[0]
    if x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y)):
        return 1.0
    return -1.0


def pair_features(mention: Mention, profile: Profile, candidates: int, in_article: bool) -> dict[str, float]:
    """The feature dict of one (incoming entity, known entity) pair, names in `FEATURES`."""
    exact = jw = jaccard = subset = last = first = acronym = 0.0
    given = -2.0  # no full-name pair seen
    surname_only = 0.0
    for a in mention.names:
        ta = a.split()
        for b in profile.names:
            tb = b.split()
            if not ta or not tb:
                continue
            exact = max(exact, float(a == b))
            jw = max(jw, jaro_winkler(a, b))
            sa, sb = set(ta), set(tb)
            jaccard = max(jaccard, len(sa & sb) / len(sa | sb))
            subset = max(subset, float(sa <= sb or sb <= sa))
            last = max(last, float(ta[-1] == tb[-1]))
            first = max(first, float(ta[0] == tb[0]))
            if _acronym_of(a, b) or _acronym_of(b, a):
                acronym = 1.0
            if len(ta) == 1 and len(tb) >= 2 and ta[0] == tb[-1]:
                surname_only = 1.0
            if mention.family == "person":
                given = max(given, _given(ta, tb))
    shared = [k for k in mention.neighbours if k in profile.neighbours]
    role_tokens = {t for r in mention.roles for t in r.split()}
    known_roles = {t for r in profile.roles for t in r.split()}
    role = len(role_tokens & known_roles) / len(role_tokens | known_roles) if role_tokens and known_roles else 0.0
    total_types = sum(profile.types.values()) or 1
    return {
        "exact": exact, "jaro_winkler": jw, "token_jaccard": jaccard, "token_subset": subset,
        "last_equal": last, "first_equal": first, "given": given if given > -2.0 else 0.0, "acronym": acronym,
        "tokens_new": float(min((len(n.split()) for n in mention.names[:1]), default=0)),
        "tokens_known": float(max((len(n.split()) for n in profile.names), default=0)),
        "same_type": profile.types.get(mention.type, 0) / total_types,
        "same_family": float(profile.family == mention.family),
        "gaz_same": float(bool(mention.gaz) and mention.gaz == profile.gaz),
        "gaz_diff": float(bool(mention.gaz) and bool(profile.gaz) and mention.gaz != profile.gaz),
        "context": cosine(mention.terms, profile.terms),
        "cooccur": math.log1p(len(shared)),
        "cooccur_frac": len(shared) / len(mention.neighbours) if mention.neighbours else 0.0,
        "role": role,
        "candidates": math.log1p(candidates),
        "known_docs": math.log1p(profile.docs),
        "in_article": float(in_article),
        "surname_only": surname_only,
        "single_known": float(len(profile.names) == 1),
    }
