"""Say who a claim is attributed to, and what kind of source that is.

Kinds (model.ATTRIBUTION_KINDS), decided in this order because the first cue that applies is the
most telling about how checkable the source is:
- anonymous: "sources", "people familiar with", "a source close to", "who asked not to be
  named" (even for officials: "two officials, speaking on condition of anonymity"), and other
  unnamed speakers: described but unnamed people ("a former intelligence officer", "a jeweler"),
  groups of people ("witnesses", "analysts", "Alawite families") and organizations not
  identified ("a monitoring group", "aid groups");
- document: "documents show", "records seen by", "data from", "a report by" (a written record);
- report: "reportedly", "according to reports", "media reports", "it was reported";
- official: an office or institution of a state speaking without a personal name ("officials",
  "the ministry", "police", "a government spokesperson", "the governor"), also when the
  institution's name is given ("Russia's Defense Ministry", "the Interior Ministry");
- named: a person or organization given by name ("Al-Shami said", "Human Rights Watch said",
  "His lawyer, Philip Kamau, said"), a pronoun standing for one ("he said", "it said"), or a
  definite reference to one organization ("the company said", "the union alleges");
- none: the article asserts the clause itself.
"""
from __future__ import annotations

import re

from wirewatch.model import Attribution

# Sectors of state institutions: their spokespeople are "official" sources.
STATE_SECTORS = frozenset({"government", "military", "police", "judiciary", "legislature", "intelligence"})

ANONYMITY = re.compile(
    r"\bsources?\b|\bfamiliar with\b|\bcondition of anonymity\b|\basked not to be (?:named|identified)\b|"
    r"\bnot authori[sz]ed to\b|\bdeclined to be (?:named|identified)\b|\bunnamed\b|\banonymous\b|"
    r"\bclose to\b|\bwho did not want to be named\b|\bspeaking on background\b",
    re.I,
)
DOCUMENT_NOUNS = frozenset({
    "document", "record", "file", "filing", "memo", "memorandum", "data", "study", "survey", "letter",
    "email", "cable", "footage", "image", "imagery", "transcript", "audit", "analysis", "paper",
    "minutes", "contract", "invoice", "figure", "statistics", "database", "dossier", "leak", "log",
    "datum", "assessment", "update", "tally", "bulletin", "map", "photo", "photograph", "video",
})
# "industry figures", "opposition figures": people, not numbers
_PEOPLE_FIGURE_MODIFIERS = frozenset({
    "industry", "business", "political", "opposition", "senior", "community", "party", "public", "leading",
    "prominent", "key", "religious", "tribal", "military", "government", "sports", "media",
})
# State institutions: "official" even when named ("Russia's Defense Ministry", "the Interior Ministry").
STATE_INSTITUTION_NOUNS = frozenset({
    "ministry", "government", "police", "army", "military", "agency", "department", "office", "administration",
    "embassy", "court", "council", "parliament", "cabinet", "presidency", "junta", "legislature", "service",
    "directorate", "command", "commission", "authority", "senate", "congress", "navy", "prosecutor", "regime",
    "force", "guard", "municipality", "state",
})
# Organizations: named when referred to definitely ("the company said"), else anonymous ("a monitoring group").
ORG_NOUNS = frozenset({
    "company", "firm", "union", "group", "organization", "organisation", "charity", "operator", "association",
    "federation", "network", "forum", "party", "bank", "insurer", "corporation", "consortium", "coalition",
    "movement", "alliance", "foundation", "institute", "airline", "employer", "hospital", "university",
    "monitor", "observatory", "manufacturer", "owner", "developer", "club", "campaign", "church",
})
_NAME_ENTS = ("PERSON", "ORG")
REPORT_NOUNS = frozenset({"report", "media", "medium", "press", "reporting", "coverage", "outlet", "broadcast"})
OFFICIAL_NOUNS = frozenset({
    "official", "authority", "ministry", "minister", "government", "spokesperson", "spokesman",
    "spokeswoman", "police", "army", "military", "agency", "department", "office", "administration",
    "embassy", "prosecutor", "court", "council", "parliament", "cabinet", "governor", "mayor",
    "president", "commander", "general", "ambassador", "diplomat", "regime", "ministry", "force",
    "troop", "state", "secretary", "chief", "presidency", "junta", "legislature", "senator", "lawmaker",
    "judge", "officer", "investigator", "inspector", "service", "directorate", "command",
})
ANONYMOUS_NOUNS = frozenset({
    "witness", "resident", "analyst", "observer", "expert", "activist", "person", "people", "someone",
    "insider", "source", "diplomat", "villager", "survivor", "medic", "doctor", "worker",
})
_SOURCE_DROP_DEPS = ("appos", "relcl", "acl", "punct", "advmod", "cc", "conj", "prep")


def source_phrase(head, floor: int = 0) -> tuple[str, int, int]:
    """The source noun phrase as written ("the governor", "two people familiar with the talks"),
    with the name in apposition ("His lawyer, Philip Kamau"); nothing before `floor` (a dateline)."""
    keep = [head]
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i and _names(child):
            keep.extend(t for t in child.subtree if not any(a.dep_ in ("relcl", "acl", "appos", "prep") for a in _ancestors_to(t, child)))
            continue
        if child.i < head.i and child.dep_ not in ("punct", "appos", "cc", "preconj"):
            keep.extend(child.subtree)
        elif child.i > head.i and child.dep_ in ("amod",):  # "people familiar with the talks"
            keep.extend(child.subtree)
        elif child.i > head.i and child.dep_ == "prep" and child.lower_ in ("of", "with", "at", "in", "from", "for"):
            if head.pos_ == "PROPN" or head.lemma_.lower() in OFFICIAL_NOUNS | DOCUMENT_NOUNS | REPORT_NOUNS or head.lemma_.lower() in ("source", "people", "person"):
                keep.extend(child.subtree)
    keep = [t for t in keep if t.idx >= floor] or [head]
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    span = head.doc[lo : hi + 1]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    while len(span) > 1 and span[0].is_punct:
        span = span[1:]
    return span.text, span.start_char, span.end_char


def _ancestors_to(tok, stop):
    """Ancestors of `tok` up to (not including) `stop`."""
    out = []
    while tok.i != stop.i and tok.head.i != tok.i:
        out.append(tok)
        tok = tok.head
    return out


def _names(tok) -> bool:
    """Whether `tok` heads a personal or organization name (not a place or a demonym)."""
    if tok.ent_type_ in _NAME_ENTS:
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in ("GPE", "LOC", "NORP", "DATE", "FAC", "TIME", "EVENT", "CARDINAL")


_SPOKES_NOUNS = frozenset({"spokesperson", "spokesman", "spokeswoman"})


def _unidentified_person(head) -> bool:
    """One unnamed person described by a state role ("a former intelligence officer", "a senior
    diplomat"): anonymous, because no office speaks through them; a spokesperson speaks for one."""
    if head.tag_ in ("NNS", "NNPS") or head.lemma_.lower() in _SPOKES_NOUNS:
        return False
    former = any(c.lower_ in ("former", "retired", "ex") for c in head.children if c.i < head.i)
    indefinite = any(c.dep_ in ("det", "nummod") and c.lower_ in ("a", "an", "one", "another") for c in head.children)
    return former or indefinite


def _anonymity_context(head) -> str:
    """Text next to the source that can say it is anonymous: its own phrase and the speech
    verb's adverbial clauses ("Two officials, speaking on condition of anonymity, said")."""
    parts = [head.doc[head.left_edge.i : head.right_edge.i + 1].text]
    verb = head.head
    if head.dep_ in ("nsubj", "nsubjpass") and verb.i != head.i:
        parts.extend(head.doc[c.left_edge.i : c.right_edge.i + 1].text for c in verb.children if c.dep_ in ("advcl", "npadvmod") and c.i < verb.i)
    return " ".join(parts)


def classify(head, entity_at=None, floor: int = 0) -> Attribution:
    """Classify the source whose phrase is headed by token `head`; link it to an entity when known.

    `entity_at(start, end)` returns the id of an entity mention overlapping that character range;
    `floor` is where the article body starts after a dateline (nothing before it is a source).
    """
    text, start, end = source_phrase(head, floor)
    entity = entity_at(start, end) if entity_at else None
    lemma = head.lemma_.lower()
    appos_name = any(c.dep_ == "appos" and _names(c) for c in head.children)
    # a name modifying a common noun ("Alawite families", "Kremlin spokesman") names no source
    has_name = appos_name or _names(head)
    if head.pos_ == "PROPN" and not head.ent_type_ and head.lower_.endswith("s") and head.lemma_.lower().rstrip("s") in ORG_NOUNS | ANONYMOUS_NOUNS:
        # a capitalised plural common noun at the start of a sentence: "Insurers estimate"
        return Attribution(kind="anonymous", source=text, entity=None)
    if ANONYMITY.search(_anonymity_context(head)) or lemma in ("source",):
        return Attribution(kind="anonymous", source=text, entity=None)
    if lemma == "figure" and any(c.lower_ in _PEOPLE_FIGURE_MODIFIERS for c in head.children if c.i < head.i):
        return Attribution(kind="named" if has_name and head.pos_ == "PROPN" else "anonymous", source=text, entity=None)
    if head.ent_type_ == "PERSON" or appos_name and lemma not in DOCUMENT_NOUNS:
        return Attribution(kind="named", source=text, entity=entity)
    if lemma in STATE_INSTITUTION_NOUNS or lemma.rstrip("s") in STATE_INSTITUTION_NOUNS:
        sector = _agent_sector(head)
        if sector is None or sector in STATE_SECTORS:
            return Attribution(kind="official", source=text, entity=entity)
        # "aid agencies", "a news agency": an institution noun, but not of a state
        return Attribution(kind="named" if _definite(head) else "anonymous", source=text, entity=entity if _definite(head) else None)
    if lemma in OFFICIAL_NOUNS and _unidentified_person(head):
        return Attribution(kind="anonymous", source=text, entity=None)
    if lemma in DOCUMENT_NOUNS and not (head.pos_ == "PROPN"):
        return Attribution(kind="document", source=text, entity=entity)
    if lemma in REPORT_NOUNS and head.pos_ != "PROPN":
        if re.search(r"\bby\b|\bfrom\b", _anonymity_context(head)) and lemma == "report" and has_name:
            return Attribution(kind="document", source=text, entity=entity)
        return Attribution(kind="report", source=text, entity=entity)
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (entity and head.pos_ != "NOUN"):
        if head.ent_type_ == "NORP" and head.pos_ != "PROPN":
            return Attribution(kind="anonymous", source=text, entity=None)
        if lemma in OFFICIAL_NOUNS and head.ent_type_ not in ("PERSON",) and not entity:
            return Attribution(kind="official", source=text, entity=None)
        return Attribution(kind="named", source=text, entity=entity)
    if head.pos_ == "PRON":
        # a subject pronoun that speaks stands for someone ("it said" is the agency); only an
        # expletive "it" ("it was reported") says nothing, and reported_cue handles that
        if lemma in ("it",) and head.dep_ not in ("nsubj", "pobj"):
            return Attribution(kind="none", source=None)
        if lemma in ("one", "some", "several", "many", "others", "other", "few", "both", "all", "nobody", "none"):
            return Attribution(kind="anonymous", source=text, entity=None)
        return Attribution(kind="named", source=text, entity=entity)
    if lemma in OFFICIAL_NOUNS or lemma.rstrip("s") in OFFICIAL_NOUNS:
        return Attribution(kind="official", source=text, entity=entity)
    if lemma in ANONYMOUS_NOUNS:
        return Attribution(kind="anonymous", source=text, entity=None)
    if lemma in ORG_NOUNS and head.tag_ != "NNS" and any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "one", "another", "some") for c in head.children):
        return Attribution(kind="named", source=text, entity=entity)  # "the company": one identified organization
    if _definite(head) and head.tag_ == "NN" and _agent_sector(head) not in (None, *STATE_SECTORS):
        return Attribution(kind="named", source=text, entity=entity)  # "the opposition", "the union": one organization
    if has_name or (entity and head.text[:1].isupper() and not _common_noun(lemma)):
        # "Lund states ...": a short name the tagger took for a common noun, but coreference
        # linked to a named entity
        return Attribution(kind="named", source=text, entity=entity)
    return Attribution(kind="anonymous", source=text, entity=None)


def _definite(head) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an", "one", "another", "some", "any") for c in head.children)


def _agent_sector(head) -> str | None:
    """The generic-agent sector of a source phrase's head with its compounds ("aid agencies" ngo)."""
    from wirewatch.extract.agents import sector_of

    words = [c.lemma_.lower() for c in head.children if c.dep_ == "compound" and c.i < head.i] + [head.lemma_.lower()]
    hit = sector_of(words)
    return hit[1] if hit else None


def _common_noun(lemma: str) -> bool:
    """Whether `lemma` is one of the source nouns this module knows as common nouns."""
    bare = lemma.rstrip("s")
    return any(w in table for w in (lemma, bare) for table in (
        OFFICIAL_NOUNS, DOCUMENT_NOUNS, REPORT_NOUNS, ANONYMOUS_NOUNS, ORG_NOUNS, STATE_INSTITUTION_NOUNS))


def according_to(verb, entity_at=None, floor: int = 0) -> Attribution | None:
    """Attribution from an "according to X" phrase attached to the clause's verb."""
    for child in verb.children:
        if child.lower_ == "according":
            to = next((c for c in child.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return classify(obj, entity_at, floor)
    return None


def reported_cue(verb) -> Attribution | None:
    """Attribution kind "report" from "reportedly" or an impersonal "it was reported/is said"."""
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in ("reportedly", "allegedly"):
            return Attribution(kind="report", source=None)
    if verb.lemma_.lower() in ("report", "say") and any(c.dep_ == "nsubjpass" and c.lower_ == "it" for c in verb.children):
        return Attribution(kind="report", source=None)
    if verb.lemma_.lower() in ("report", "say") and any(c.dep_ == "auxpass" for c in verb.children):
        return Attribution(kind="report", source=None)
    return None


def speaker(verb):
    """The token heading who speaks: the verb's subject, a passive agent, or the governing verb's."""
    tok = verb
    for _ in range(4):
        subj = next((c for c in tok.children if c.dep_ in ("nsubj",)), None)
        if subj is not None:
            return subj
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        if tok.dep_ in ("conj", "advcl", "xcomp") and tok.head.i != tok.i:
            tok = tok.head
            continue
        return None
    return None
