"""Map a clause's main verb to an event type (PLOVER plus wirewatch's documented extensions).

The first source is the event-data community's lexicon (events.py: the PETRARCH2 CAMEO verb
dictionary through the PLOVER crosswalk), matched on the verb, its particle, its object head
and its prepositions. The hand lexicon in data/predicates.json, keyed by lemma meaning, decides
only where that lexicon is silent, and names the documented extensions (KILL, FUND...) the
product shows. The rules here decide *which* word of the clause carries the event: a phrasal
verb ("beat up"), the object of a light verb ("held talks"), a control verb over its
complement ("threatened to ban"), or the complement of an aspect verb ("decided to allow").
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wirewatch.extract import events

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "RETREAT", "CONCEDE", "DEMAND", "DISAPPROVE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT", "FIGHT", "INVESTIGATE",
)
EXTENSION_TYPES = ("FUND", "RECRUIT", "PLOT", "INVEST", "STRIKE", "EVACUATE", "KILL", "ASSESS", "STATEMENT")
# Extension -> nearest PLOVER type, used only to score against PLOVER gold data.
PLOVER_FALLBACK = {
    "KILL": "ASSAULT", "STRIKE": "PROTEST", "EVACUATE": "RETREAT", "FUND": "AID", "RECRUIT": "MOBILIZE",
    "PLOT": "THREATEN", "INVEST": "COOPERATE", "ASSESS": "STATEMENT", "STATEMENT": "STATEMENT",
}
# Statements of intent: what a promised/announced future act is coded as (PLOVER codes a
# promise to make peace as AGREE and an announced hostile act as THREATEN).
_PROMISE_TYPES = {"RETREAT", "CONCEDE", "AID", "COOPERATE", "CONSULT", "SUPPORT", "AGREE", "EVACUATE"}
_THREAT_TYPES = {"ASSAULT", "FIGHT", "COERCE", "SANCTION", "KILL", "MOBILIZE", "STRIKE", "PROTEST"}
_THREAT_PLOVER = {"ASSAULT", "FIGHT", "COERCE", "SANCTION", "MOBILIZE", "PROTEST"}
_OBJ_DEPS = ("dobj", "attr", "oprd")


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The event lexicon (data/predicates.json), loaded once per process."""
    text = (Path(__file__).parent / "data" / "predicates.json").read_text(encoding="utf-8")
    data = json.loads(text)
    for key in ("light_verbs", "aspect_verbs", "speech_verbs", "denial_verbs", "negating_verbs", "natural_hazards"):
        data[key] = frozenset(data[key])
    return data


def _lemma(tok) -> str:
    """The lemma, repaired when the model's lemmatizer garbles a regular past form ("staged" -> "stag")."""
    lemma = tok.lemma_.lower()
    lex = lexicon()
    if tok.tag_ in ("VBD", "VBN") and tok.lower_.endswith("ed") and not _known(lemma, lex):
        for guess in (tok.lower_[:-1], tok.lower_[:-2]):
            if _known(guess, lex):
                return guess
    return lemma


def _known(lemma: str, lex: dict) -> bool:
    return lemma in lex["verbs"] or lemma in lex["light_verbs"] or lemma in lex["control_verbs"] or lemma in lex["aspect_verbs"]


def _objects(verb):
    objs = [c for c in verb.children if c.dep_ in _OBJ_DEPS]
    for prep in (c for c in verb.children if c.dep_ == "prep"):
        objs.extend(c for c in prep.children if c.dep_ == "pobj")
    return objs


def noun_event(noun) -> str | None:
    """Event type of an event noun, trying its compound first ("hunger strike" -> hunger)."""
    nouns = lexicon()["nouns"]
    for comp in (c for c in noun.children if c.dep_ in ("compound", "amod") and c.i < noun.i):
        if _lemma(comp) in nouns and _lemma(comp) == "hunger":
            return nouns["hunger"]
    return nouns.get(noun.lower_) or nouns.get(_lemma(noun))


def complement(verb):
    """The to-infinitive or gerund complement a control/aspect verb governs, if any."""
    return next((c for c in verb.children if c.dep_ in ("xcomp",) and c.pos_ in ("VERB", "AUX")), None)


@dataclass(frozen=True)
class Event:
    """A clause's event: the product's predicate (a PLOVER type or a documented extension) and
    the PLOVER type, mode and context event data codes it as (plover None: no PLOVER event)."""

    predicate: str
    plover: str | None = None
    mode: str = ""
    context: str = ""


_NONE = Event("STATEMENT")


def _hand(kind: str) -> Event:
    """An event typed by the hand lexicon (where the derived event lexicon is silent)."""
    if kind in ("STATEMENT", "ASSESS"):
        return Event(kind)
    return Event(kind, PLOVER_FALLBACK.get(kind, kind))


def _from_match(m, lemma: str, lex: dict, verb) -> Event:
    """An event the derived lexicon typed; a documented extension of the hand lexicon refines the
    product's predicate of a bare verb ("killed" KILL, coded FIGHT by CAMEO), never its PLOVER type."""
    transitive = any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children)
    hand = lex["transitive_verbs"].get(lemma) if transitive and lemma in lex["transitive_verbs"] else lex["verbs"].get(lemma)
    if not m.plover:
        return Event("ASSESS") if hand == "ASSESS" and not m.specific else _NONE
    if hand in EXTENSION_TYPES and hand not in ("STATEMENT", "ASSESS") and not m.specific:
        return Event(hand, m.plover, m.mode, m.context)
    return Event(m.plover, m.plover, m.mode, m.context)


def predicate_for(verb, reported: bool = False) -> str:
    """Event type of the clause headed by `verb`; `reported` marks content framed by a speech verb."""
    return event_for(verb, reported).predicate


def event_for(verb, reported: bool = False) -> Event:
    """The event of the clause headed by `verb` (see docs/ontology.md for the order of evidence)."""
    lex = lexicon()
    lemma = _lemma(verb)
    event = _core_event(verb, lex, lemma, 0)
    kind = event.predicate
    if event.plover in _THREAT_PLOVER and _hazard_subject(verb, lex):
        return _NONE  # "a tornado struck the town", "the storm damaged homes": no actor's event
    if reported:
        modals = {_lemma(c) for c in verb.children if c.dep_ == "aux" and c.tag_ == "MD"}
        if modals & {"must", "should"}:
            return Event("DEMAND", "DEMAND", event.mode, event.context)
        if modals & {"will", "would", "shall"} or (lemma == "be" and any(_lemma(c) in ("prepared", "ready", "willing") for c in verb.children)):
            if kind in _PROMISE_TYPES or event.plover in _PROMISE_TYPES:
                return Event("AGREE", "AGREE", event.mode, event.context)
            if kind in _THREAT_TYPES or kind == "REJECT" or event.plover in _THREAT_PLOVER:
                return Event("THREATEN", "THREATEN", event.mode, event.context)
    return event


def _hazard_subject(verb, lex) -> bool:
    """Whether the clause's subject is a natural hazard (directly or as the head a relative clause modifies)."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is not None and subj.tag_ == "WDT" and verb.dep_ == "relcl":
        subj = verb.head
    if subj is None and verb.dep_ == "conj":
        return _hazard_subject(verb.head, lex)
    return subj is not None and subj.lemma_.lower() in lex["natural_hazards"]


def _core_event(verb, lex, lemma, depth) -> Event:
    """Evidence from most to least specific: a lexicon pattern (verb + particle/object/preposition),
    a hand idiom, a control or aspect verb over its complement, the lexicon's verb, then hand rules."""
    found = events.match(verb, events.verb_lemma(verb))
    if found is not None and found.specific:
        return _from_match(found, lemma, lex, verb)
    prt = next((c for c in verb.children if c.dep_ == "prt"), None)
    if prt is not None and f"{lemma} {prt.lower_}" in lex["phrasal"]:
        return _hand(lex["phrasal"][f"{lemma} {prt.lower_}"])
    objs = _objects(verb)
    for obj in objs:
        key = f"{lemma} {obj.lower_}"
        if key in lex["phrasal"]:
            return _hand(lex["phrasal"][key])
    comp = complement(verb)
    if comp is not None and depth < 4:
        if lemma in lex["control_verbs"]:
            return _hand(lex["control_verbs"][lemma])
        if lemma in lex["aspect_verbs"]:
            inner = _core_event(comp, lex, _lemma(comp), depth + 1)
            if inner.predicate != "STATEMENT":
                return inner
    if found is not None:
        return _from_match(found, lemma, lex, verb)
    if lemma in lex["light_verbs"]:
        for obj in objs:
            kind = noun_event(obj)
            if kind:
                return _hand(kind)
    if comp is not None and depth < 4 and lemma not in lex["verbs"]:
        inner = _core_event(comp, lex, _lemma(comp), depth + 1)
        if inner.predicate != "STATEMENT":
            return inner
    if lemma in lex["transitive_verbs"] and any(c.dep_ in ("dobj", "nsubjpass") for c in verb.children):
        return _hand(lex["transitive_verbs"][lemma])
    if lemma in lex["verbs"]:
        return _hand(lex["verbs"][lemma])
    if lemma == "be" or lemma in lex["aspect_verbs"]:
        # "X is ready to combat" / "X is working to pre-empt": the event sits in a complement
        for child in verb.children:
            if child.dep_ in ("acomp", "attr"):
                comp = complement(child) or next((c for c in child.children if c.dep_ in ("xcomp", "acl") and c.pos_ == "VERB"), None)
                if comp is not None and depth < 4:
                    inner = _core_event(comp, lex, _lemma(comp), depth + 1)
                    if inner.predicate != "STATEMENT":
                        return inner
    return _NONE


def plover_type(predicate: str, negated: bool = False) -> str:
    """The PLOVER type a claim maps to for scoring: extensions fall back, a negated act is REJECT."""
    if negated and predicate != "REJECT":
        return "REJECT"
    return PLOVER_FALLBACK.get(predicate, predicate)
