"""Pair features of two claims for the learned "same event or fact" decision (see claim_groups.py).

Each claim is first turned into a `ClaimView`: its content words (crudely stemmed), its event words
(words the predicate lexicon knows as event verbs or nouns: "arrest", "quake", "fire"), the linked
entities named inside its span (people, places by gazetteer id, organizations), its counted figures
and its date. `pair_features` compares two views with a handful of named numbers; the model that
weighs them is trained on ECB+ event coreference by scripts/train_claim_groups.py.

Polarity is deliberately not a feature: a denial ("the army denied its troops fired") is about the
same event as the assertion it denies, and must land in the same group for the dispute to show.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache

from wirewatch.model import ArticleAnalysis, Claim, Quantity
from wirewatch.stories.conflicts import compatible, counted_key
from wirewatch.stories.features import BROAD_PLACES, parse_date, tokens

__all__ = ["FEATURES", "ClaimView", "claim_views", "pair_features", "pair_values", "RunningIdf", "LEAD_CHARS"]

LEAD_CHARS = 300  # claims starting this close to the top of a report are part of its lead

FEATURES = (
    "same_predicate", "either_statement", "word_jaccard", "word_overlap_min", "idf_cosine", "max_shared_idf",
    "shared_words", "shared_events", "event_jaccard", "entity_jaccard", "shared_entities", "shared_people",
    "shared_places", "shared_orgs", "role_match", "qty_agree", "qty_conflict", "date_same", "date_differ",
    "same_article", "both_lead", "position_gap", "len_min", "len_ratio", "both_first", "shared_event_idf",
)


@lru_cache(maxsize=1)
def _event_stems() -> frozenset[str]:
    """Stems of the lexicon's event verbs and nouns (not speech verbs: "said" is no event)."""
    from wirewatch.extract.predicates import lexicon

    lex = lexicon()
    words = set(lex["verbs"]) | set(lex["nouns"]) | {w.split()[0] for w in lex["phrasal"]}
    words -= set(lex["speech_verbs"])
    return frozenset(t for w in words for t in tokens(w))


@dataclass
class ClaimView:
    """What the pairing decision looks at for one claim."""

    claim: Claim
    words: list[str]
    events: set[str]
    entities: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    quantities: list[Quantity] = field(default_factory=list)
    day: date | None = None
    position: float = 0.0
    rank: int = 0  # the claim's place among its report's claims (0: the lead)

    _weighted: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @cached_property
    def word_set(self) -> set[str]:
        return set(self.words)

    @cached_property
    def counted(self) -> list[tuple[str, Quantity]]:
        """The claim's figures with what each counts (figures counting nothing named are left out)."""
        return [(key, q) for q in self.quantities if (key := counted_key(q))]

    @cached_property
    def roles(self) -> set[str]:
        """The claim's subject and object, where they are entities named inside it."""
        return {r for r in (self.claim.subject, self.claim.object) if r in self.entities}

    @cached_property
    def verbatim(self) -> str:
        """The clause's words, case and punctuation folded, to spot word-for-word repeats."""
        return " ".join(re.findall(r"\w+", self.claim.text.casefold()))

    def weighted(self, idf: "RunningIdf") -> tuple[dict[str, float], float]:
        """The claim's words weighted by `idf` as it stands, and the vector's norm.

        Kept until `idf` counts another report: a claim is compared with many others in between.
        """
        stamp = (id(idf), idf.n)
        if self._weighted is None or self._weighted[0] != stamp:
            vec: dict[str, float] = {}
            for w in self.words:
                vec[w] = vec.get(w, 0.0) + idf.get(w, 1.0)
            self._weighted = (stamp, vec, math.sqrt(sum(x * x for x in vec.values())))
        return self._weighted[1], self._weighted[2]


def claim_views(analysis: ArticleAnalysis) -> list[ClaimView]:
    """One view per claim of an (entity-linked) article analysis."""
    text_len = max(1, len(analysis.article.text))
    spans = [(m.start, m.end, e) for e in analysis.entities for m in e.mentions
             if m.article in (analysis.article.id, "", None)]
    quantities = {q.id: q for q in analysis.quantities}
    events = _event_stems()
    out = []
    for rank, claim in enumerate(analysis.claims):
        words = tokens(claim.text)
        view = ClaimView(claim=claim, words=words, events={w for w in words if w in events},
                         quantities=[quantities[q] for q in claim.quantities if q in quantities],
                         day=parse_date(claim.date), position=claim.start / text_len, rank=rank)
        for start, end, entity in spans:
            if start < claim.end and claim.start < end:
                view.entities.add(entity.id)
                if entity.type == "person":
                    view.people.add(entity.id)
                elif entity.type == "place":
                    if entity.geo is None or (entity.geo.feature or "") not in BROAD_PLACES:
                        view.places.add(entity.geo.gazetteer_id if entity.geo and entity.geo.gazetteer_id else entity.id)
                else:
                    view.orgs.add(entity.id)
        out.append(view)
    return out


class RunningIdf:
    """Smoothed inverse document frequency of words over the reports seen so far (grows report by report)."""

    def __init__(self) -> None:
        self.df: dict[str, int] = {}
        self.n = 0
        self._values: dict[str, float] = {}  # weights as they stand: a word is looked up many times per report

    def add(self, words: set[str]) -> None:
        """Count one more report holding `words`."""
        self.n += 1
        self._values = {}
        for w in words:
            self.df[w] = self.df.get(w, 0) + 1

    def get(self, word: str, default: float = 1.0) -> float:
        value = self._values.get(word)
        if value is None:
            d = self.df.get(word)
            if d is None:
                return default
            value = self._values[word] = math.log((self.n + 1) / (d + 1)) + 1.0
        return value


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _idf_cosine(a: ClaimView, b: ClaimView, idf: RunningIdf) -> float:
    va, na = a.weighted(idf)
    vb, nb = b.weighted(idf)
    if len(va) > len(vb):
        va, vb = vb, va
    dot = sum(x * vb[w] for w, x in va.items() if w in vb)
    return dot / (na * nb) if dot else 0.0


def _quantity_relation(a: ClaimView, b: ClaimView) -> tuple[float, float]:
    """(figures of the same counted thing that agree, that cannot both be right)."""
    agree = conflict = 0.0
    if a.counted and b.counted:
        for ka, qa in a.counted:
            for kb, qb in b.counted:
                if ka == kb:
                    if compatible(qa, qb):
                        agree = 1.0
                    else:
                        conflict = 1.0
    return agree, conflict


def pair_features(a: ClaimView, b: ClaimView, idf: RunningIdf) -> dict[str, float]:
    """Named numbers comparing two claims; the learned model weighs them (names in FEATURES)."""
    return dict(zip(FEATURES, pair_values(a, b, idf)))


def pair_values(a: ClaimView, b: ClaimView, idf: RunningIdf) -> tuple[float, ...]:
    """The numbers of `pair_features` in FEATURES order, without the names (grouping scores many pairs)."""
    wa, wb = a.word_set, b.word_set
    shared = wa & wb
    n_shared, n_a, n_b = len(shared), len(wa), len(wb)
    events = a.events & b.events
    ea, eb = a.entities, b.entities
    n_entities = len(ea & eb) if ea and eb else 0
    agree, conflict = _quantity_relation(a, b)
    ca, cb = a.claim, b.claim
    len_a, len_b = len(a.words), len(b.words)
    shortest = min(len_a, len_b)
    get = idf.get
    return (
        float(ca.predicate == cb.predicate),
        float(ca.predicate == "STATEMENT" or cb.predicate == "STATEMENT"),
        n_shared / (n_a + n_b - n_shared) if n_a and n_b else 0.0,
        n_shared / min(n_a, n_b) if n_a and n_b else 0.0,
        _idf_cosine(a, b, idf),
        max([get(w, 1.0) for w in shared]) if shared else 0.0,
        float(n_shared),
        float(len(events)),
        _jaccard(a.events, b.events),
        n_entities / (len(ea) + len(eb) - n_entities) if ea and eb else 0.0,
        float(n_entities),
        float(bool(a.people and b.people and not a.people.isdisjoint(b.people))),
        float(bool(a.places and b.places and not a.places.isdisjoint(b.places))),
        float(bool(a.orgs and b.orgs and not a.orgs.isdisjoint(b.orgs))),
        float(bool(a.roles and b.roles and not a.roles.isdisjoint(b.roles))),
        agree,
        conflict,
        float(a.day is not None and a.day == b.day),
        float(a.day is not None and b.day is not None and a.day != b.day),
        float(ca.article == cb.article),
        float(ca.start < LEAD_CHARS and cb.start < LEAD_CHARS),
        abs(a.position - b.position),
        float(shortest),
        shortest / max(1, len_a, len_b),
        float(a.rank == 0 and b.rank == 0),
        max([get(w, 1.0) for w in events]) if events else 0.0,
    )
