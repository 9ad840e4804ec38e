"""Find the people, organizations, groups and places an article names, with roles and aliases.

spaCy's small English model finds most names but makes systematic mistakes on news text: group
words ("Alawite") tagged PERSON, demonyms tagged as if they were actors, title-case headings read
as names, titles left outside or put inside person spans, possessives and leading "the" inside
spans, and surnames tagged as places. This module takes the model's entities, repairs them with
general rules (word lists in `lexicon`), adds organizations and groups the model missed, attaches
roles (`roles`) and folds short forms into full names (`coref`). One `Entity` per distinct entity
of the article; every mention is an exact span of `article.text`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.attrs import POS
from spacy.symbols import PROPN

from wirewatch.extract.coref import NameMention, cluster_mentions, norm_word
from wirewatch.extract.lexicon import (
    GROUP_HEADS, INSTITUTION_HEADS, MONTHS, ORG_NOUN_PAIRS, ORG_NOUNS, PARTICLES, PEOPLE_HEADS, PLACE_NOUNS,
    WEEKDAYS, country_names, demonym_country, demonyms, group_key, is_org_head, is_title_word,
)
from wirewatch.extract.roles import add_role, find_roles
from wirewatch.model import Article, Entity, Mention, stable_id

__all__ = ["find_entities"]

_LABEL_KIND = {"PERSON": "person", "ORG": "organization", "NORP": "group", "GPE": "place", "LOC": "place", "FAC": "place"}
_LEADING_DROP = frozenset({"the", "a", "an", "this", "that", "these", "those"})
_HEADING_MAX_WORDS = 12
_ALNUM = re.compile(r"[A-Za-z0-9]")


@dataclass
class _Cand:
    """A candidate mention: token span [start, end) and what kind of entity it names."""

    start: int
    end: int
    kind: str
    source: str = "ner"
    key: str | None = None  # group lexicon key ("alawite")
    phrase: tuple[int, int] | None = None  # group word + head noun span ("Alawite minority")
    country: str | None = None
    roles: list[str] = field(default_factory=list)
    title: str | None = None


def find_entities(doc, article: Article, resources=None) -> list[Entity]:
    """Entities of one article from its parsed `doc` (spaCy Doc of `article.text`)."""
    ctx = _Context(doc)
    cands = [c for ent in doc.ents for c in _from_ner(ctx, ent)]
    cands += _rule_groups(ctx, cands)
    cands += _rule_orgs(ctx)
    cands += _rule_persons(ctx, cands)
    cands = _resolve_overlaps(cands)
    cands = _filter_headings(ctx, cands)
    cands = _drop_title_parts(ctx, cands)
    _relabel_by_context(ctx, cands)
    cands = _relabel_by_cues(ctx, cands)
    _vote_kinds(ctx, cands)
    places = []
    for cand in cands:
        if cand.kind == "person":
            found = find_roles(doc, cand.start, cand.end, ctx.sent_starts, ctx.text)
            cand.roles = found.roles
            cand.title = found.title
            places += [_Cand(s, e, "place", "role") for s, e in found.places]
    cands = _resolve_overlaps(cands + places)
    return _build(ctx, article, cands)


class _Context:
    """Per-document facts the repair rules consult: headings, word casing, sentences, lines."""

    def __init__(self, doc):
        self.doc = doc
        self.text = text = doc.text  # `Doc.text` rebuilds the string on every access
        self.heading_spans = []
        pos = 0
        for line in text.split("\n"):
            if _is_heading(line):
                self.heading_spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        # Sentence of every token, computed once: `Token.sent` walks the document each call.
        self.sent_index: list[int] = [0] * len(doc)
        self.sent_start: list[int] = [0] * len(doc)
        for n, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                self.sent_index[i] = n
                self.sent_start[i] = sent.start
        self.sent_starts = frozenset(self.sent_start)
        # One pass over the words (each `Token` is built anew on every access, so walk them once).
        self.texts: list[str] = []
        self.words: list[tuple[int, int, str]] = []  # (index, character offset, text) of each word token
        for t in doc:
            text = t.text
            self.texts.append(text)
            if t.is_alpha:
                self.words.append((t.i, t.idx, text))
        words = self.words
        self.pos = doc.to_array(POS).tolist()  # coarse tags as spaCy symbols (PROPN...)
        self.first_alpha: dict[int, int] = {}  # sentence start -> its first word token
        for i, _, _ in words:
            self.first_alpha.setdefault(self.sent_start[i], i)
        self.lower_words = {w for _, _, w in words if w.islower()}
        self.capital_mid = {w for i, idx, w in words if w[:1].isupper() and not self._cap_uninformative_at(i, idx)}

    def in_heading(self, char: int) -> bool:
        return any(a <= char < b for a, b in self.heading_spans)

    def cap_uninformative(self, tok) -> bool:
        """True where English capitalizes any word: sentence or bullet start, or a heading."""
        return self._cap_uninformative_at(tok.i, tok.idx)

    def _cap_uninformative_at(self, i: int, idx: int) -> bool:
        if self.in_heading(idx):
            return True
        if self.first_alpha.get(self.sent_start[i]) == i:
            return True
        # Line starts too: the parser often runs a list of titles into one sentence.
        line_start = self.text.rfind("\n", 0, idx) + 1
        return not _ALNUM.search(self.text, line_start, idx)

    def common_word(self, tok) -> bool:
        """A capitalized token whose capital says nothing (heading, sentence start) and that the
        article also uses as an ordinary lower-case word ("Exiled", "Loyalists")."""
        if not self.cap_uninformative(tok):
            return False
        return tok.text.lower() in self.lower_words and tok.text not in self.capital_mid

    def sentence_index(self, token_i: int) -> int:
        return self.sent_index[token_i]


def _is_heading(line: str) -> bool:
    """A short title-case line without closing punctuation: a headline or section title."""
    words = re.findall(r"[A-Za-z][\w'’\-]*", line)
    if not words or len(words) > _HEADING_MAX_WORDS or line.rstrip()[-1:] in ".,;\"”":
        return False
    capped = sum(1 for w in words if w[0].isupper())
    return capped / len(words) >= 0.6


def _clean(ctx: _Context, start: int, end: int, kind: str) -> tuple[int, int]:
    """Trim determiners, possessives, punctuation and (for persons) titles and common words."""
    doc = ctx.doc
    while start < end and (doc[start].lower_ in _LEADING_DROP or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct or doc[end - 1].is_space
                           or doc[end - 1].lower_ in ("'s", "’s")):
        end -= 1
    if kind == "person":
        while start < end and (is_title_word(doc[start].text) or doc[start].text == "."
                               or ctx.common_word(doc[start])):
            start += 1
        while end > start and (ctx.common_word(doc[end - 1]) or doc[end - 1].is_punct or doc[end - 1].tag_ == "POS"):
            end -= 1
        # Surname particles the model left outside: "Van der Berg" tagged only "Berg".
        while start > 0 and doc[start - 1].lower_ in PARTICLES and (start - 1 == 0 or not doc[start - 2].is_alpha
                                                                  or doc[start - 2].lower_ in PARTICLES
                                                                  or (start - 1) in ctx.sent_starts):
            start -= 1
    return start, end


def _from_ner(ctx: _Context, ent) -> list[_Cand]:
    """Turn one spaCy entity into repaired candidates (one per line it spans)."""
    kind = _LABEL_KIND.get(ent.label_)
    if kind is None:
        return []
    pieces, lo = [], ent.start
    for i in range(ent.start, ent.end):
        if "\n" in ctx.doc[i].text:  # the model sometimes runs a name across a line break
            pieces.append((lo, i))
            lo = i + 1
    pieces.append((lo, ent.end))
    out = []
    for start, end in pieces:
        cand = _repair(ctx, start, end, kind) if start < end else None
        if cand:
            out.append(cand)
    return out


def _repair(ctx: _Context, start: int, end: int, kind: str) -> _Cand | None:
    """Clean one model entity span and fix its type, or None when it is not an entity."""
    start, end = _clean(ctx, start, end, kind)
    if start >= end:
        return None
    doc = ctx.doc
    span = doc[start:end]
    if not any(c.isalpha() for c in span.text):
        return None
    first = span[0]
    if first.text.islower() and kind != "group":
        return None  # "hills east" of "the hills east of X": a description, not a name
    if end - start == 1 and any(c.isdigit() for c in first.text):
        return None  # "EF2", "G7": codes and ratings are not persons or places
    key = group_key(span[-1].text)
    if end - start == 1 and not key:
        shouted_common = first.text.isupper() and first.text.lower() in ctx.lower_words
        if ctx.common_word(first) or shouted_common or first.text.islower():
            return None  # "Hospital" in a heading, "MILLIONS!", a lower-case "jerrycans"
    if kind == "group" and not key and not _groupish(span.text):
        kind = "place"  # a place name the model read as a nationality ("Mombasa dockworkers")
    elif kind == "group" or (key and end - start == 1):
        return _group_or_org(ctx, start, end, key)
    if kind in ("person", "place") and end - start >= 2 and is_org_head(span[-1].text):
        kind = "organization"  # "Frontline Dispatch", "Amazonia Crudo S.A."
    if kind == "person" and end - start == 1:
        low = span.text.lower()
        if low in MONTHS or low in WEEKDAYS or first.is_stop or is_title_word(span.text):
            return None
    return _Cand(start, end, kind)


def _groupish(text: str) -> bool:
    """Whether an unknown word looks like a people's name: a plural or a demonym suffix."""
    low = text.lower()
    return low.endswith(("s", "an", "ese", "ish", "i", "ic", "ist")) or " " in low


def _group_or_org(ctx: _Context, start: int, end: int, key: str | None) -> _Cand | None:
    """A demonym or group word: a group ("Alawite minority"), an institution ("Syrian government")
    or, as a bare adjective of a country ("Russian backing"), nothing."""
    doc = ctx.doc
    span = doc[start:end]
    root = span.root
    head = root.head
    country = demonym_country(span[-1].text) if key else None
    if root.dep_ in ("amod", "compound", "nmod") and head.i >= end and head.i - end <= 2 and head.pos_ in ("NOUN", "PROPN"):
        if all(t.pos_ in ("ADJ", "NOUN", "PROPN") for t in doc[end:head.i]):
            if head.lower_ in INSTITUTION_HEADS and key in demonyms():
                return _Cand(start, head.i + 1, "organization", "demonym", country=country)
            if head.lower_ in GROUP_HEADS:
                return _Cand(start, end, "group", key=key or norm_word(span.text), phrase=(start, head.i + 1),
                             country=country)
            if key and key in demonyms() and span[-1].text.lower() == key:
                return None  # "Russian backing": an adjective about a country, not an actor
            if not key and end - start == 1 and span[0].pos_ == "ADJ" and root.dep_ == "amod":
                return None  # "European governments": a regional adjective, not a people
    return _Cand(start, end, "group", key=key or norm_word(span.text).rstrip("s"), country=country)


def _rule_groups(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Group words and "the X minority" phrases the model did not tag at all."""
    covered = {i for c in cands for i in range(c.start, c.end)}
    out = []
    for i, _, text in ctx.words:
        if i in covered or not text[:1].isupper():
            continue
        tok = ctx.doc[i]
        key = group_key(tok.text)
        nxt = ctx.doc[tok.i + 1] if tok.i + 1 < len(ctx.doc) else None
        if not key and not (nxt is not None and nxt.lower_ in GROUP_HEADS and tok.pos_ == "PROPN"
                            and tok.i > 0 and ctx.doc[tok.i - 1].lower_ == "the"):
            continue
        cand = _group_or_org(ctx, tok.i, tok.i + 1, key)
        if cand:
            out.append(cand)
    return out


def _rule_orgs(ctx: _Context) -> list[_Cand]:
    """Capitalized phrases that end in an organization word ("National Water Agency") or that
    start with one ("Ministry of Defence"), which the model often misses."""
    doc = ctx.doc
    out = []
    for i, text in enumerate(ctx.texts):
        if not is_org_head(text) and not (text.islower() and text in ("ministry", "department")):
            continue
        tok = doc[i]
        lo = tok.i
        while lo > 0 and _name_word(doc[lo - 1]) and (lo - 1) not in ctx.sent_starts:
            lo -= 1
        if lo > 0 and (lo - 1) in ctx.sent_starts and _name_word(doc[lo - 1]) and not ctx.common_word(doc[lo - 1]) \
                and doc[lo - 1].lower_ not in _LEADING_DROP:
            lo -= 1
        hi = tok.i + 1
        if hi + 1 < len(doc) and doc[hi].lower_ in ("of", "for") and doc[hi + 1].text[:1].isupper():
            hi += 1
            while hi < len(doc) and (_name_word(doc[hi]) or doc[hi].lower_ in ("and", "the") and hi + 1 < len(doc)
                                     and doc[hi + 1].text[:1].isupper()):
                hi += 1
        lo, hi = _clean(ctx, lo, hi, "organization")
        if hi - lo >= 2:
            out.append(_Cand(lo, hi, "organization", "rule"))
    return out


def _rule_persons(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Two or three proper nouns the model left untagged, introduced by a title or followed by a
    role appositive: "Minister Óscar Paredes", "Lucía Valdivia, president of the ...". """
    doc = ctx.doc
    # One-word places or organizations may be a name the model split ("Lucía" / "Valdivia").
    covered = {i for c in cands if c.kind == "person" or c.end - c.start > 1 for i in range(c.start, c.end)}
    out = []
    i = 0
    pos = ctx.pos
    while i < len(doc):
        j = i
        while j < len(doc) and j not in covered and pos[j] == PROPN and doc[j].is_alpha \
                and doc[j].text[:1].isupper() and not is_title_word(doc[j].text):
            j += 1
        if 2 <= j - i <= 3 and not ctx.common_word(doc[i]):
            titled = i > 0 and doc[i - 1].text[:1].isupper() and is_title_word(doc[i - 1].text)
            k = j + 1
            if k < len(doc) and doc[k].lower_ in ("a", "an", "the"):
                k += 1
            role_after = j < len(doc) and doc[j].text == "," and k < len(doc) and doc[k].text.islower() \
                and is_title_word(doc[k].text)
            if titled or role_after:
                out.append(_Cand(i, j, "person", "rule"))
        i = max(j, i + 1)
    return out


def _name_word(tok) -> bool:
    return (tok.is_alpha and tok.text[:1].isupper() and tok.tag_ != "POS" or tok.text in ("&",)) \
        and "\n" not in tok.text


def _resolve_overlaps(cands: list[_Cand]) -> list[_Cand]:
    """Keep non-overlapping candidates, longer first (a rule organization swallows a place
    inside its name); on equal length the model's reading wins over a rule's."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), c.source != "ner", c.start))
    taken: set[int] = set()
    kept = []
    for c in order:
        span = set(range(c.start, c.end))
        if span & taken:
            continue
        taken |= span
        kept.append(c)
    return sorted(kept, key=lambda c: c.start)


def _filter_headings(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Keep a person or organization found in a heading only if the body names it too (title
    case makes the model see names everywhere in headings); trim it to the part that matches."""
    doc = ctx.doc
    body = [c for c in cands if not ctx.in_heading(doc[c.start].idx)]
    body_texts = {norm_word(doc[c.start:c.end].text) for c in body}
    body_words = {norm_word(doc[i].text) for c in body if c.kind == "person" for i in range(c.start, c.end)}
    kept = []
    for c in cands:
        if c in body or c.kind in ("place", "group"):
            kept.append(c)
            continue
        match = None
        for length in range(c.end - c.start, 0, -1):
            for lo in range(c.start, c.end - length + 1):
                text = norm_word(doc[lo:lo + length].text)
                if text in body_texts or (length == 1 and c.kind == "person" and text in body_words):
                    match = (lo, lo + length)
                    break
            if match:
                break
        if match:
            c.start, c.end = match
            kept.append(c)
    return kept


def _drop_title_parts(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Drop names the model cut out of a title ("Interior" of "Interior Minister X")."""
    doc = ctx.doc
    person_starts = {c.start for c in cands if c.kind == "person"}
    kept = []
    for c in cands:
        nxt = c.end
        if c.kind == "organization" and nxt + 1 < len(doc) and doc[nxt].text[:1].isupper() \
                and is_title_word(doc[nxt].text) and not _org_like(doc[c.start:c.end]):
            j = nxt
            while j < len(doc) and is_title_word(doc[j].text):
                j += 1
            if j in person_starts:
                continue
        kept.append(c)
    return kept


def _org_like(span) -> bool:
    """Names that are clearly organizations: an acronym or a name ending in an org word."""
    text = span.text.replace(".", "")
    return (text.isupper() and len(text) >= 2) or is_org_head(span[-1].text)


_LOCATIVE = frozenset({"in", "near", "outside", "around", "across", "inside", "along"})


def _relabel_by_context(ctx: _Context, cands: list[_Cand]) -> None:
    """Fix types the model gets wrong but the sentence makes plain: a "person" or organization
    always found after "in"/"near" is a place, and a two- or three-word organization whose last
    word is a person's surname in the same article is that person ("Philip Kamau")."""
    doc = ctx.doc
    surnames = {doc[c.end - 1].text for c in cands if c.kind == "person"}
    by_text: dict[str, list[_Cand]] = {}
    for c in cands:
        if c.kind in ("person", "organization"):
            by_text.setdefault(norm_word(doc[c.start:c.end].text), []).append(c)
    for group in by_text.values():
        span = doc[group[0].start:group[0].end]
        if all(_dateline(ctx, c) for c in group):
            for c in group:
                c.kind = "place"
            continue
        if group[0].kind == "organization" and 2 <= len(span) <= 3 and not _org_like(span) \
                and all(t.text[:1].isupper() and t.is_alpha for t in span) \
                and (span[-1].text in surnames or any(_titled(doc, c) for c in group)):
            for c in group:
                c.kind = "person"
            continue
        if _org_like(span) or any(is_title_word(t.text) for t in span):
            continue
        locative = sum(1 for c in group if _is_locative(doc, c))
        if locative and locative * 2 >= len(group):
            for c in group:
                c.kind = "place"


def _relabel_by_cues(ctx: _Context, cands: list[_Cand]) -> list[_Cand]:
    """Fix types from words around the name that say what it names, with no gazetteer: a kind
    noun after it ("the X river", "the X district", "the X auction house") or governing it
    ("the village of X", "the port of X"); a company noun describing it ("the operator, X",
    "terminal operator X"); a people noun after it ("the X communities"); a dateline; a
    coordination with places ("Homs and X"). Names used only as a modifier of a common noun
    with no role ("a pair of X Y brooches") and caption words ("Map showing ...") are dropped."""
    doc = ctx.doc
    by_text: dict[str, list[_Cand]] = {}
    for c in cands:
        if c.kind in ("person", "organization", "place"):
            by_text.setdefault(norm_word(doc[c.start:c.end].text), []).append(c)
    drop: set[int] = set()
    # Two passes: a place found in the first (a dateline's town) lets the second read "X and Y".
    for group in [g for _ in range(2) for g in by_text.values()]:
        place_tokens = {i for c in cands if c.kind == "place" for i in range(c.start, c.end)}
        span = doc[group[0].start:group[0].end]
        cues = Counter(cue for c in group for cue in [_kind_cue(ctx, c, place_tokens)] if cue)
        if cues.get("group") and len(span) == 1 and span.text.lower() not in country_names():
            for c in group:
                c.kind, c.key = "group", norm_word(span.text)
            continue
        if any(_dateline(ctx, c) for c in group) and not is_org_head(span[-1].text):
            cues["place"] += len(group)
        if cues:
            best = max(cues, key=lambda k: (cues[k], k == "organization"))
            if best != "group" and not (best == "place" and is_org_head(span[-1].text)):
                for c in group:
                    c.kind = best
                continue
        if group[0].kind == "person" and len(group) == 1 and _modifier_only(ctx, group[0]):
            drop.add(id(group[0]))
    return [c for c in cands if id(c) not in drop]


def _kind_cue(ctx: _Context, c: _Cand, place_tokens: set[int]) -> str | None:
    """What the words around one mention say it names: "place", "organization", "group" or None."""
    doc = ctx.doc
    nxt = doc[c.end] if c.end < len(doc) else None
    nxt2 = doc[c.end + 1] if c.end + 1 < len(doc) else None
    k = c.start - 1
    while k >= 0 and doc[k].pos_ == "ADJ":
        k -= 1
    indefinite = k >= 0 and doc[k].lower_ in ("a", "an")  # "a posh Paris auction house": a location
    if nxt is not None and nxt.text.islower() and nxt.tag_ != "POS" and not indefinite:
        if nxt2 is not None and (nxt.lower_, nxt2.lower_) in ORG_NOUN_PAIRS:
            return "organization"
        if nxt.lower_ in PEOPLE_HEADS:
            return "group"
        if nxt.pos_ == "NOUN" and (nxt2 is None or not (nxt2.pos_ == "NOUN" and nxt2.text.islower())):
            if nxt.lower_ in PLACE_NOUNS:
                return "place"
            if nxt.lower_ in ORG_NOUNS:
                return "organization"
    if c.start >= 2 and doc[c.start - 1].text == "," and _dateline(ctx, _Cand(c.start - 2, c.start - 1, "place")):
        return "place"  # the country or state of a dateline: "VARNOSK, Belmaria —"
    if c.start >= 2 and doc[c.start - 1].lower_ == "of" and doc[c.start - 2].lower_ in PLACE_NOUNS:
        return "place"  # "the village of X", "the Sudanese city of X", "the port of X"
    if c.start >= 2 and (doc[c.start - 2].lower_, doc[c.start - 1].lower_) in ORG_NOUN_PAIRS:
        return "organization"  # "auction house X"
    before = doc[c.start - 1] if c.start else None
    if before is not None and before.lower_ in ORG_NOUNS and before.text.islower():
        return "organization"  # "terminal operator X"
    if before is not None and before.text == "," and c.start >= 2 and doc[c.start - 2].lower_ in ORG_NOUNS:
        return "organization"  # "the operator, X,"
    if nxt is not None and nxt.text == ",":
        appos = _appositive_kind(doc, c.end + 1)
        if appos:
            return appos  # "X, a family-run auction house", "X, a town in ..."
        if c.kind == "person" and nxt2 is not None and nxt2.lower_ == "which":
            return "organization"  # "X, which plans to ...": persons take "who"
    root = doc[c.start:c.end].root
    if c.kind != "place" and root.dep_ == "conj" and root.head.i in place_tokens and _coordinated(doc, c.start):
        return "place"  # "from Homs and X"
    if c.kind != "place" and any(t.dep_ == "conj" and t.i in place_tokens and _coordinated(doc, t.left_edge.i)
                                 for t in root.children):
        return "place"
    return None


def _coordinated(doc, start: int) -> bool:
    """Token `start` follows "and"/"or": a real coordination, not a dash or comma the parser joined."""
    return start > 0 and doc[start - 1].lower_ in ("and", "or")


def _appositive_kind(doc, lo: int) -> str | None:
    """Kind named by a short noun phrase starting at token `lo` ("a family-run auction house,")."""
    if lo >= len(doc) or doc[lo].lower_ not in ("a", "an", "the"):
        return None
    k = lo + 1
    while k < len(doc) and k - lo <= 6 and (doc[k].tag_ == "HYPH" or doc[k].text.islower() and doc[k].pos_ in ("ADJ", "NOUN", "VERB")):
        k += 1
    head = doc[k - 1]
    if k - 1 <= lo or head.pos_ != "NOUN" or (k < len(doc) and doc[k].tag_ == "POS"):  # "the auction house's director"
        return None
    if (doc[k - 2].lower_, head.lower_) in ORG_NOUN_PAIRS or head.lower_ in ORG_NOUNS:
        return "organization"
    if head.lower_ in PLACE_NOUNS:
        return "place"
    return None


def _modifier_only(ctx: _Context, c: _Cand) -> bool:
    """A one-off "person" that only modifies a common noun and has no title ("Art Deco brooches"),
    or a caption word opening a line before a participle ("Map showing ...")."""
    doc = ctx.doc
    span = doc[c.start:c.end]
    if c.start > 0 and is_title_word(doc[c.start - 1].text):
        return False
    nxt = doc[c.end] if c.end < len(doc) else None
    if nxt is None:
        return False
    if len(span) >= 2 and span.root.dep_ in ("compound", "amod", "nmod") and span.root.head.i >= c.end \
            and span.root.head.pos_ == "NOUN" and nxt.text.islower() and nxt.tag_ != "POS":
        return True
    return len(span) == 1 and ctx.cap_uninformative(span[0]) and nxt.tag_ in ("VBG", "VBN")


def _titled(doc, c: _Cand) -> bool:
    """A title right before the name ("Minister X") or as its appositive ("X, president of")."""
    before = c.start > 0 and doc[c.start - 1].text[:1].isupper() and is_title_word(doc[c.start - 1].text)
    after = c.end + 1 < len(doc) and doc[c.end].text == "," and is_title_word(doc[c.end + 1].text) \
        and doc[c.end + 1].text.islower()
    return before or after


def _dateline(ctx: _Context, c: _Cand) -> bool:
    """An upper-case name opening a line and followed by a comma or dash: a dateline place."""
    doc = ctx.doc
    span = doc[c.start:c.end]
    line_start = ctx.text.rfind("\n", 0, span.start_char) + 1
    return span.text.isupper() and not ctx.text[line_start:span.start_char].strip() \
        and c.end < len(doc) and doc[c.end].text in (",", "—", "–", "-")


def _is_locative(doc, c: _Cand) -> bool:
    """The mention sits where a place does: right after "in", "near", "outside"..."""
    if c.start == 0 or (c.end < len(doc) and doc[c.end].tag_ == "POS"):
        return False
    prev = doc[c.start - 1]
    if prev.lower_ == "the" and c.start >= 2 and doc[c.start - 2].lower_ in _LOCATIVE - {"in"}:
        prev = doc[c.start - 2]  # "near the Seine", "along the X"; "in the X" is too often not a place
    if prev.lower_ not in _LOCATIVE:
        return False
    if c.kind == "organization" and prev.lower_ == "in":
        return prev.head.pos_ in ("VERB", "AUX")  # "displaced in X", not "a stake in X"
    return True


# When one text is tagged two ways equally often, the first kind listed wins.
_TIE_ORDER = ("place", "person", "organization", "group", "other")


def _vote_kinds(ctx: _Context, cands: list[_Cand]) -> None:
    """The same words tagged differently in one article get the type most of their mentions have."""
    by_text: dict[str, list[_Cand]] = {}
    for c in cands:
        if c.kind != "group":
            by_text.setdefault(norm_word(ctx.doc[c.start:c.end].text), []).append(c)
    for group in by_text.values():
        counts = Counter(c.kind for c in group)
        if len(counts) > 1:
            best = max(counts, key=lambda k: (counts[k], -_TIE_ORDER.index(k)))
            for c in group:
                c.kind = best


def _build(ctx: _Context, article: Article, cands: list[_Cand]) -> list[Entity]:
    """Cluster candidates with coreference and turn each cluster into an `Entity`."""
    doc = ctx.doc
    text = article.text
    protected = country_names()
    mentions = []
    for c in cands:
        span = doc[c.start:c.end]
        mentions.append(NameMention(
            kind=c.kind, words=tuple(span.text.split()), start=span.start_char,
            sent=ctx.sentence_index(c.start), para=text.count("\n", 0, span.start_char),
            key=c.key if c.kind == "group" else None, protected=span.text.lower() in protected,
            title=c.title,
        ))
    entities = []
    for cluster in cluster_mentions(mentions):
        members = sorted(cluster.members, key=lambda i: mentions[i].start)
        spans = [doc[cands[i].start:cands[i].end] for i in members]
        name = _canonical(cluster.kind, spans)
        aliases: list[str] = []
        roles: list[str] = []
        seen = {norm_word(name)}
        for i, span in zip(members, spans):
            phrase = cands[i].phrase
            for form in (span.text, doc[phrase[0]:phrase[1]].text if phrase else None):
                if form and norm_word(form) not in seen:
                    seen.add(norm_word(form))
                    aliases.append(form)
            for role in cands[i].roles:
                add_role(roles, role)
        country = next((cands[i].country for i in members if cands[i].country), None)
        entities.append(Entity(
            id=stable_id("e", article.id, cluster.kind, name),
            name=name,
            type=cluster.kind,
            aliases=aliases,
            roles=roles,
            mentions=[Mention(article=article.id, start=s.start_char, end=s.end_char, text=text[s.start_char:s.end_char])
                      for s in spans],
            country=country,
        ))
    entities.sort(key=lambda e: e.mentions[0].start)
    return entities


def _canonical(kind: str, spans) -> str:
    """Most complete name: most words, then not shouted, then most frequent, then first seen."""
    counts = Counter(s.text for s in spans)
    first = {}
    for n, s in enumerate(spans):
        first.setdefault(s.text, n)
    if kind == "group":
        return max(counts, key=lambda t: (counts[t], -first[t]))

    # A dateline's capitals ("TAWILA") are typography: the body's spelling names the entity.
    return max(counts, key=lambda t: (len(t.split()), not t.isupper() or len(t) <= 5, counts[t], -first[t]))
