"""Say who a claim is attributed to, and what kind of source that is.

Kinds (model.ATTRIBUTION_KINDS), decided in this order because the first cue that applies is the
most telling about how checkable the source is:
- anonymous: "sources", "people familiar with", "a source close to", "who asked not to be
  named", and other unnamed non-official speakers ("witnesses", "analysts");
- document: "documents show", "records seen by", "data from", "a report by" (a written record);
- report: "reportedly", "according to reports", "media reports", "it was reported";
- official: an office or institution of a state speaking without a personal name ("officials",
  "the ministry", "police", "a government spokesperson", "the governor");
- named: a person or organization given by name ("Al-Shami said", "Human Rights Watch said"),
  or a pronoun standing for one ("he said");
- none: the article asserts the clause itself.
"""
from __future__ import annotations

import re

from wirewatch.model import Attribution

_ANONYMOUS = re.compile(
    r"\bsources?\b|\bfamiliar with\b|\bcondition of anonymity\b|\basked not to be (?:named|identified)\b|"
    r"\bnot authori[sz]ed to\b|\bdeclined to be (?:named|identified)\b|\bunnamed\b|\banonymous\b|"
    r"\binsiders?\b|\bclose to\b|\bwho did not want to be named\b",
    re.I,
)
DOCUMENT_NOUNS = frozenset({
    "document", "record", "file", "filing", "memo", "memorandum", "data", "study", "survey", "letter",
    "email", "cable", "footage", "image", "imagery", "transcript", "audit", "analysis", "paper",
    "minutes", "contract", "invoice", "figure", "statistics", "database", "dossier", "leak", "log",
})
REPORT_NOUNS = frozenset({"report", "media", "press", "reporting", "coverage", "outlet", "broadcast"})
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


def source_phrase(head) -> tuple[str, int, int]:
    """The source noun phrase as written ("the governor", "two people familiar with the talks")."""
    keep = [head]
    for child in head.children:
        if child.i < head.i and child.dep_ not in ("punct", "appos", "cc", "preconj"):
            keep.extend(child.subtree)
        elif child.i > head.i and child.dep_ in ("amod",):  # "people familiar with the talks"
            keep.extend(child.subtree)
        elif child.i > head.i and child.dep_ == "prep" and child.lower_ in ("of", "with", "at", "in", "from", "for"):
            if head.pos_ == "PROPN" or head.lemma_.lower() in OFFICIAL_NOUNS | DOCUMENT_NOUNS | REPORT_NOUNS or head.lemma_.lower() in ("source", "people", "person"):
                keep.extend(child.subtree)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    span = head.doc[lo : hi + 1]
    while len(span) > 1 and span[-1].is_punct:
        span = span[:-1]
    while len(span) > 1 and span[0].is_punct:
        span = span[1:]
    return span.text, span.start_char, span.end_char


def classify(head, entity_at=None) -> Attribution:
    """Classify the source whose phrase is headed by token `head`; link it to an entity when known.

    `entity_at(start, end)` returns the id of an entity mention overlapping that character range.
    """
    text, start, end = source_phrase(head)
    full = head.doc[head.left_edge.i : head.right_edge.i + 1].text
    entity = entity_at(start, end) if entity_at else None
    lemma = head.lemma_.lower()
    has_name = any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in head.doc[head.left_edge.i : head.i + 1])
    if _ANONYMOUS.search(full) or lemma in ("source",):
        return Attribution(kind="anonymous", source=text, entity=None)
    if lemma in DOCUMENT_NOUNS and not (head.pos_ == "PROPN"):
        return Attribution(kind="document", source=text, entity=entity)
    if lemma in REPORT_NOUNS and head.pos_ != "PROPN":
        if re.search(r"\bby\b|\bfrom\b", full) and lemma == "report" and has_name:
            return Attribution(kind="document", source=text, entity=entity)
        return Attribution(kind="report", source=text, entity=entity)
    if head.pos_ == "PROPN" or head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or (entity and head.pos_ != "NOUN"):
        if lemma in OFFICIAL_NOUNS and head.ent_type_ not in ("PERSON",) and not entity:
            return Attribution(kind="official", source=text, entity=None)
        return Attribution(kind="named", source=text, entity=entity)
    if head.pos_ == "PRON":
        if lemma in ("it",):
            return Attribution(kind="none", source=None)
        return Attribution(kind="named", source=text, entity=entity)
    if lemma in OFFICIAL_NOUNS or lemma.rstrip("s") in OFFICIAL_NOUNS:
        return Attribution(kind="official", source=text, entity=entity)
    if lemma in ANONYMOUS_NOUNS:
        return Attribution(kind="anonymous", source=text, entity=None)
    if has_name:
        return Attribution(kind="named", source=text, entity=entity)
    return Attribution(kind="anonymous", source=text, entity=None)


def according_to(verb, entity_at=None) -> Attribution | None:
    """Attribution from an "according to X" phrase attached to the clause's verb."""
    for child in verb.children:
        if child.lower_ == "according":
            to = next((c for c in child.children if c.lower_ == "to"), None)
            obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
            if obj is not None:
                return classify(obj, entity_at)
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
