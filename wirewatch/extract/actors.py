"""Link the actors of claims (subject, object, attribution source) to the article's entities.

`find_claims` keeps a subject or object as the words written when the head of the phrase is not
itself a name ("The governor, Ada Lorn, said", "his forces", "she"). The actor graph and entity
pages need entity ids, so this post-pass re-reads each claim's sentence with the spaCy parse and
links what the grammar makes unambiguous. It never overwrites an entity id already set, and it
only links to a mention inside the claim's sentence, except for pronoun antecedents.

Subject (phrase headed by the nsubj/nsubjpass token, or the agent of "by X"), in this order:
1. a mention covering the head word ("Nordavian troops" -> the mention under "troops");
2. a name in apposition ("The governor, Ada Lorn, said" -> Ada Lorn);
3. the possessor of an event or force noun ("Velmar's decision not to back", "its forces");
4. the object of "of"/"from" right under the head, when it names a person, organization or
   group ("members of the Kessar Union"), or a place after "of" under the heads of rule 3
   ("the government of Nordavia"); never another place ("rebels from Kessar" are not Kessar).
Object: the same rules, the possessor or "of" place of any head ("shelled Velmar's embassy" ->
Velmar, "fled the city of Kessar" -> Kessar), then
the targets of the verb or object noun: "against", "on", "at", "with", "to", "from", "toward"
(places only after "against", "on", "at", "toward": "to"/"from" a place is a destination or an
origin, not a target). A claim with no object keeps none.
Attribution: the source phrase as written is kept; its entity is the person or organization
mention covering the phrase's head or in apposition to it, or a resolved pronoun. Anonymous
sources stay unlinked, as the attribution classifier decided.

Pronouns, resolved once per document in text order (so a resolved pronoun is an antecedent for
the next one) and only within the pronoun's sentence and the two before it:
- he/she (him, his, her): the most recent person mention (or resolved pronoun) of a compatible
  gender. Gender is known from an honorific ("Mrs."), a gendered role ("spokeswoman") or an
  earlier unambiguous he/she. When the antecedent's sentence names other people of compatible
  gender before the pronoun, only the one person whose gender is known to match is taken
  ("Anselm met Mrs. Peltz. She said" -> Peltz); otherwise no link ("Anselm met Peltz. He said"
  stays unlinked). No link either when a person noun without a name ("a nurse said she") is a
  subject in between.
- it/its and they/them/their: only subjects are antecedents (subject continuity), because news
  text refers back with "it" to many things that are not entities ("the strike", "the pipeline").
  The nearest earlier subject decides: an organization or place (for "it") or an organization or
  group (for "they") links; a subject of matching number that is not an entity blocks the link.
  An "it" that is the subject of be/seem/take/... or of a passive ("it is said", "the truce ...
  the ministry said it would not be extended") is not resolved.
- I/we/you are not resolved (quoted speakers).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from wirewatch.extract.attribution import ANONYMOUS_NOUNS, OFFICIAL_NOUNS
from wirewatch.model import Article, Claim, Entity

__all__ = ["link_claim_actors"]

WINDOW = 2  # sentences before the pronoun's own that may hold its antecedent
ACTOR_TYPES = ("person", "organization", "group")

_MALE = frozenset({"he", "him", "his", "himself"})
_FEMALE = frozenset({"she", "her", "hers", "herself"})
_IT = frozenset({"it", "its", "itself"})
_THEY = frozenset({"they", "them", "their", "theirs", "themselves"})
_PRONOUNS = _MALE | _FEMALE | _IT | _THEY
_SUBJ_DEPS = ("nsubj", "nsubjpass")
# "it" as the subject of these verbs is mostly a dummy ("it is not clear", "it took days").
_DUMMY_IT_VERBS = frozenset({"be", "seem", "appear", "take", "remain", "become", "happen", "look", "matter", "rain", "mean"})
_MALE_WORDS = frozenset({
    "mr", "mr.", "sir", "lord", "king", "prince", "father", "brother", "son", "husband", "uncle", "nephew",
    "spokesman", "chairman", "congressman", "councilman", "businessman", "sheikh", "sultan", "emir", "man",
})
_FEMALE_WORDS = frozenset({
    "mrs", "mrs.", "ms", "ms.", "miss", "dame", "lady", "queen", "princess", "mother", "sister", "daughter",
    "wife", "aunt", "niece", "widow", "spokeswoman", "chairwoman", "congresswoman", "councilwoman",
    "businesswoman", "actress", "woman",
})
# Nouns that stand for one unnamed person: as a subject between a name and "he"/"she" they may be
# the antecedent instead, so the link is dropped.
_PERSON_NOUNS = (OFFICIAL_NOUNS | ANONYMOUS_NOUNS | _MALE_WORDS | _FEMALE_WORDS | frozenset({
    "lawyer", "nurse", "teacher", "leader", "director", "chairman", "pensioner", "physician", "farmer",
    "owner", "boss", "victim", "suspect", "journalist", "reporter", "mother", "father", "child", "boy", "girl",
})) - frozenset({"people", "police", "government", "ministry", "army", "military", "agency", "department",
                 "office", "administration", "embassy", "court", "council", "parliament", "cabinet",
                 "regime", "force", "troop", "state", "presidency", "junta", "legislature", "service",
                 "directorate", "command", "authority"})
# Heads whose possessor is the actor: "Velmar's decision not to ...", "its forces struck ...".
_POSSESSOR_HEADS = frozenset({
    "decision", "refusal", "plan", "pledge", "promise", "failure", "vow", "threat", "bid", "attempt",
    "offer", "agreement", "move", "order", "call", "demand", "determination", "reluctance", "readiness",
    "force", "troop", "army", "military", "navy", "soldier", "fighter", "militia", "police", "government",
    "administration", "regime", "jet", "drone", "missile", "warplane", "artillery", "unit", "ministry",
    "campaign", "offensive", "attack", "strike", "raid",
})
_TARGET_PREPS = frozenset({"against", "on", "at", "with", "to", "from", "toward", "towards", "upon"})
_PLACE_TARGET_PREPS = frozenset({"against", "on", "at", "toward", "towards", "upon"})
_NP_DEPS = frozenset({"compound", "amod", "poss", "nmod", "flat", "case"})


@dataclass(frozen=True)
class _Ref:
    """An entity mention, or a resolved pronoun standing for one: where it is and what it names."""

    start: int
    end: int
    entity: str
    type: str


def link_claim_actors(doc, article: Article, claims: list[Claim], entities: list[Entity]) -> None:
    """Set entity ids on `claims` (in place) for subjects, objects and attribution sources."""
    if not claims or not entities:
        return
    ctx = _Context(doc, article, entities)
    for claim in claims:
        sent = ctx.sentence_at(claim.start)
        if sent is None:
            continue
        if claim.subject and claim.subject not in ctx.types:
            head = ctx.locate(sent, claim.subject, claim)
            if head is not None:
                claim.subject = ctx.actor(head, subject=True) or claim.subject
        obj_head = None
        if claim.object and claim.object not in ctx.types:
            obj_head = ctx.locate(sent, claim.object, claim)
            if obj_head is not None:
                found = ctx.actor(obj_head, subject=False) or ctx.target(obj_head, claim)
                if found and found != claim.subject:
                    claim.object = found
        att = claim.attribution
        if att is not None and att.source and not att.entity and att.kind not in ("anonymous", "none"):
            head = ctx.locate(sent, att.source, claim)
            if head is not None:
                found = ctx.actor(head, subject=True, types=("person", "organization"))
                if found:
                    att.entity = found
        claim.place = claim_place(doc, claim, entities)


_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "along", "on", "into", "off", "throughout"})


def claim_place(doc, claim: Claim, entities: list[Entity]) -> str | None:
    """Where the claimed event happens: a place named after a locative preposition in the claim
    ("clashed in Jableh", "outside the Dunmore courthouse"), else a place it acts on ("shelled
    Dunmore"), else the first place the claim names that is not its subject."""
    places = sorted(((m.start, m.end, e.id) for e in entities if e.type == "place" for m in e.mentions
                     if claim.start <= m.start and m.end <= claim.end), key=lambda p: p[0])
    if not places:
        return None
    for start, end, eid in places:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        head = span.root
        while head.dep_ in ("compound", "amod", "poss", "pobj", "appos", "conj") and head.head.i != head.i and head.head.pos_ != "VERB":
            if head.dep_ == "pobj" and head.head.lower_ in _LOCATIVE:
                return eid
            head = head.head
    if claim.object in {eid for _, _, eid in places}:
        return claim.object
    return next((eid for _, _, eid in places if eid != claim.subject), None)


class _Context:
    """Per-document index: mentions by position, sentences, and every pronoun's antecedent."""

    def __init__(self, doc, article: Article, entities: list[Entity]):
        self.doc = doc
        self.text = article.text  # `doc` was parsed from it; `Doc.text` rebuilds the string
        self.types = {e.id: e.type for e in entities}
        refs = [_Ref(m.start, m.end, e.id, e.type) for e in entities for m in e.mentions
                if m.article in (article.id, "", None)]
        refs.sort(key=lambda r: (r.start, r.end))
        self.refs = refs
        self.ref_starts = [r.start for r in refs]
        self.sents = list(doc.sents)
        self.sent_starts = [s.start_char for s in self.sents]
        self.gender = {e.id: g for e in entities if e.type == "person" and (g := _role_gender(e.roles))}
        for r in refs:  # an honorific right before the name: "Mrs. Lorn"
            if r.type == "person" and r.entity not in self.gender:
                before = self.text[max(0, r.start - 6) : r.start].split()
                g = _word_gender(before[-1]) if before else None
                if g:
                    self.gender[r.entity] = g
        self.pronouns: dict[int, _Ref] = {}
        self._resolve_pronouns()

    # --- positions ---------------------------------------------------------------------
    def sentence_at(self, char: int):
        i = bisect.bisect_right(self.sent_starts, char) - 1
        return self.sents[i] if 0 <= i < len(self.sents) else None

    def sentence_index(self, char: int) -> int:
        return bisect.bisect_right(self.sent_starts, char) - 1

    def refs_in(self, start: int, end: int) -> list[_Ref]:
        """Mentions overlapping [start, end)."""
        out = []
        i = max(0, bisect.bisect_left(self.ref_starts, start) - 8)  # a mention starting earlier may overlap
        for r in self.refs[i:]:
            if r.start >= end:
                break
            if r.end > start:
                out.append(r)
        return out

    def ref_of(self, tok) -> _Ref | None:
        """The mention covering token `tok`, or the entity of a resolved pronoun."""
        if tok.i in self.pronouns:
            return self.pronouns[tok.i]
        hits = self.refs_in(tok.idx, tok.idx + len(tok.text))
        return max(hits, key=lambda r: r.end - r.start) if hits else None

    def locate(self, sent, phrase: str, claim: Claim):
        """Head token of `phrase` as written in the claim's sentence (the occurrence nearest the claim)."""
        hits = []
        pos = self.text.find(phrase, sent.start_char, sent.end_char)
        while pos >= 0:
            if _word_bounded(self.text, pos, pos + len(phrase)):
                hits.append(pos)
            pos = self.text.find(phrase, pos + 1, sent.end_char)
        if not hits:
            return None
        inside = [h for h in hits if claim.start <= h < claim.end]
        start = inside[0] if inside else min(hits, key=lambda h: abs(h - claim.start))
        toks = self.doc.char_span(start, start + len(phrase), alignment_mode="expand")
        return toks.root if toks is not None and len(toks) else None

    # --- linking -----------------------------------------------------------------------
    def actor(self, head, subject: bool, types: tuple[str, ...] | None = None) -> str | None:
        """Entity the phrase headed by `head` stands for, by the rules in the module docstring."""
        sent = head.sent
        allowed = types or ("person", "organization", "group", "place")
        if head.lower_ in _PRONOUNS:
            ref = self.pronouns.get(head.i)
            return ref.entity if ref and ref.type in allowed else None
        own = self.ref_of(head)
        if own is not None and own.type in allowed:
            return own.entity
        for child in head.children:
            if child.dep_ == "appos" and sent.start <= child.i < sent.end:
                ref = self.ref_of(child)
                if ref is not None and ref.type in allowed and ref.type in ACTOR_TYPES:
                    return ref.entity
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        if poss is not None and (not subject or head.lemma_.lower() in _POSSESSOR_HEADS):
            ref = self.ref_of(poss)
            if ref is not None and ref.type in allowed:
                return ref.entity
        # "of X" stands for "X's" under the same heads ("the government of Nordavia"); other
        # heads take only actors there ("members of the Kessar Union", not "rebels from Kessar")
        of_places = not subject or head.lemma_.lower() in _POSSESSOR_HEADS
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                ref = self.ref_of(pobj) if pobj is not None else None
                if ref is None or ref.type not in allowed:
                    continue
                if ref.type in ACTOR_TYPES or (ref.type == "place" and prep.lower_ == "of" and of_places):
                    return ref.entity
        return None

    def target(self, obj_head, claim: Claim) -> str | None:
        """Entity named as the target of the action: "sanctions on X", "fired at X", "talks with X"."""
        verb = obj_head.head.head if obj_head.dep_ == "pobj" else obj_head.head
        if verb.lemma_.lower() == "be":  # "the most serious at X": a copula has no target
            return None
        # a direct object's own phrase may name the target ("sanctions on X"); a prepositional
        # object's phrase is a place or a time more often than a target ("at a church on X Street")
        candidates = [c for c in obj_head.children if c.dep_ == "prep"] if obj_head.dep_ == "dobj" else []
        if verb.pos_ in ("VERB", "AUX"):
            candidates += [c for c in verb.children if c.dep_ in ("prep", "dative")]
        best = None
        for prep in candidates:
            word = prep.lower_
            if word not in _TARGET_PREPS or not (claim.start <= prep.idx < claim.end):
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            ref = self.named(pobj) if pobj is not None else None
            if ref is None or (ref.type == "place" and word not in _PLACE_TARGET_PREPS):
                continue
            rank = 0 if ref.type in ACTOR_TYPES else 1
            if best is None or rank < best[0]:
                best = (rank, ref.entity)
        return best[1] if best else None

    def named(self, tok) -> _Ref | None:
        """The entity a noun names itself or through a name in apposition, never a modifier's."""
        if tok.lower_ in _PRONOUNS:
            return self.pronouns.get(tok.i)
        ref = self.ref_of(tok)
        if ref is not None:
            return ref
        return next((r for c in tok.children if c.dep_ == "appos" and (r := self.ref_of(c)) is not None), None)

    # --- pronouns ------------------------------------------------------------------------
    def _resolve_pronouns(self) -> None:
        quoted = _quoted_spans(self.text)
        quote_starts = [a for a, _ in quoted]
        for tok in self.doc:
            word = tok.lower_
            if word not in _PRONOUNS or tok.pos_ != "PRON" or _inside(quoted, quote_starts, tok.idx):
                continue  # inside a quotation "he" is seldom the speaker's last-named person
            if word in _MALE or word in _FEMALE:
                ref = self._person_antecedent(tok, "m" if word in _MALE else "f")
            else:
                ref = self._subject_antecedent(tok, word in _IT)
            if ref is not None:
                self.pronouns[tok.i] = _Ref(tok.idx, tok.idx + len(tok.text), ref.entity, ref.type)

    def _window_start(self, tok) -> int:
        i = self.sentence_index(tok.idx)
        return self.sent_starts[max(0, i - WINDOW)]

    def _earlier_refs(self, tok) -> list[_Ref]:
        """Mentions and resolved pronouns in the window before `tok`, nearest first."""
        lo = self._window_start(tok)
        refs = [r for r in self.refs_in(lo, tok.idx) if r.start >= lo]
        refs += [r for i, r in self.pronouns.items() if lo <= r.start < tok.idx]
        return sorted(refs, key=lambda r: r.start, reverse=True)

    def _person_antecedent(self, tok, gender: str) -> _Ref | None:
        persons = [r for r in self._earlier_refs(tok) if r.type == "person" and self.gender.get(r.entity, gender) == gender]
        if not persons:
            return None
        cand = persons[0]
        cand_sent = self.sentence_index(cand.start)
        same = [r for r in persons if self.sentence_index(r.start) == cand_sent]
        if len({r.entity for r in same}) > 1:
            # two people of compatible gender in one sentence: only a known gender settles it
            known = {r.entity for r in same if self.gender.get(r.entity) == gender}
            if len(known) != 1:
                return None
            cand = next(r for r in same if r.entity in known)
        # an unnamed person noun as a subject between the name and the pronoun may be the antecedent
        cand_span = self.doc.char_span(cand.start, cand.end, alignment_mode="expand")
        for t in self.doc[cand_span.end if cand_span is not None else tok.i : tok.i]:
            if (t.dep_ in _SUBJ_DEPS and t.pos_ == "NOUN" and t.tag_ == "NN" and t.lemma_.lower() in _PERSON_NOUNS
                    and self.ref_of(t) is None and not any(c.dep_ == "appos" for c in t.children)):
                return None
        self.gender.setdefault(cand.entity, gender)
        return cand

    def _subject_antecedent(self, tok, singular: bool) -> _Ref | None:
        if singular and tok.dep_ in _SUBJ_DEPS:
            verb = tok.head
            if verb.lemma_.lower() in _DUMMY_IT_VERBS:
                return None
            if tok.dep_ == "nsubjpass":  # "it is said"; and a passive "it" is mostly a thing acted upon
                return None
        lo = self.doc.char_span(self._window_start(tok), tok.idx, alignment_mode="expand")
        first = lo.start if lo is not None else tok.i
        for t in reversed(self.doc[first : tok.i]):
            if t.pos_ == "NOUN" and t.dep_ in ("dobj", "attr") and self.ref_of(t) is None and (t.tag_ == "NN") == singular:
                return None  # "rated the tornado an EF2. It formed ...": a nearer object fits as well
            if t.dep_ not in _SUBJ_DEPS:
                continue
            if t.lower_ in _PRONOUNS:
                ref = self.pronouns.get(t.i)
                if ref is not None and _fits(ref.type, singular):
                    return ref
                if (t.lower_ in _IT) == singular:
                    return None  # an unresolved pronoun of the same kind: its antecedent is unknown
                continue
            if t.pos_ not in ("NOUN", "PROPN"):
                continue
            ref = self.ref_of(t)
            if ref is None and not singular:  # "Kessar fighters": the group named inside the subject
                mods = [self.ref_of(c) for c in t.children if c.dep_ in _NP_DEPS]
                ref = next((r for r in mods if r is not None and r.type in ("group", "organization")), None)
            if ref is not None and _fits(ref.type, singular):
                return ref
            if ref is None and (t.tag_ == "NN" or not singular):
                # a subject that names no entity is likely the antecedent: "it" needs a singular
                # one, "they" takes plurals and collectives ("the operator said they ...")
                return None
        return None


def _fits(kind: str, singular: bool) -> bool:
    return kind in (("organization", "place") if singular else ("organization", "group"))


def _word_gender(word: str) -> str | None:
    w = word.lower()
    return "m" if w in _MALE_WORDS else "f" if w in _FEMALE_WORDS else None


def _role_gender(roles: list[str]) -> str | None:
    found = {g for role in roles for w in role.replace("'", " ").split() if (g := _word_gender(w))}
    return found.pop() if len(found) == 1 else None


_QUOTE_MARKS = re.compile('["\u201c\u201d\n]')


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges inside quotation marks; a paragraph break closes an open quote."""
    spans: list[tuple[int, int]] = []
    opened: int | None = None
    depth = 0
    for m in _QUOTE_MARKS.finditer(text):
        ch, pos = m.group(0), m.start()
        if ch == "\n" or (opened is not None and (ch == '"' or ch == "\u201d") and depth <= 1):
            if opened is not None:
                spans.append((opened, pos))
            opened, depth = None, 0
        elif ch == "\u201d":
            depth = max(0, depth - 1)
        elif opened is None:
            opened, depth = pos + 1, 1
        elif ch == "\u201c":
            depth += 1
    if opened is not None:
        spans.append((opened, len(text)))
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _word_bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end >= len(text) or not text[end].isalnum())
