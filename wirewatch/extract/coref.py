"""In-article coreference of names: fold short forms into the full name they stand for.

Works on plain name mentions (no spaCy objects), so it is easy to test and to pickle.

Rules, in order:
1. Person mentions with two or more name words ("Rami Makhlouf") are full names; identical full
   names are one person, and a full name that is a proper part of exactly one longer full name
   with the same surname ("George Bush" / "George W. Bush") joins it.
2. A short person mention ("Makhlouf", "al-Shami", "Van der Berg") matches every full name that
   ends with it (name particles such as al-, bin, van, de may be dropped: "Shami" matches
   "Ahmed al-Shami").
   - one match: it joins that person;
   - several (people sharing a surname: "Amina Haddad", "Yusuf Haddad"): a title written before
     it that only one of them carries decides ("Colonel Haddad"); otherwise it joins the person
     whose full name was mentioned most recently before it, provided that full-name mention is in
     the same paragraph or at most `AMBIGUOUS_WINDOW` sentences back; otherwise it stays a separate,
     unlinked entity (better a loose "Haddad" than a wrong link);
   - none: short mentions with the same words form their own entity ("Assad").
3. A one-word place or organization mention that matches a person's surname ("Makhlouf" tagged
   GPE by the model) becomes that person, unless the word is a country or capital name.
4. Organizations, places and groups cluster by normalized name (or the `key` given); an all-caps
   organization mention that spells the initials of exactly one organization ("UN" /
   "United Nations") joins it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from wirewatch.extract.lexicon import NAME_LINKERS, PARTICLES

AMBIGUOUS_WINDOW = 3  # sentences: how far back a shared-surname full name may be and still win


@dataclass
class NameMention:
    """One mention to cluster: its type, its name words as written and where it sits."""

    kind: str
    words: tuple[str, ...]
    start: int = 0  # character offset, for "most recent" decisions
    sent: int = 0  # sentence index
    para: int = 0  # paragraph (line) index
    key: str | None = None  # precomputed cluster key (groups), overrides the words
    protected: bool = False  # a country/capital name: never re-read as a surname
    title: str | None = None  # title written right before the name ("Colonel")


@dataclass
class Cluster:
    """Indices of mentions that name the same entity, and the entity's type."""

    kind: str
    members: list[int] = field(default_factory=list)


@lru_cache(maxsize=65536)  # pure; coreference compares the same words many times per report
def norm_word(word: str) -> str:
    """Case- and accent-folded word with curly quotes unified, for comparisons only."""
    word = unicodedata.normalize("NFKD", word.replace("’", "'"))
    return "".join(c for c in word if not unicodedata.combining(c)).casefold()


def _strip_particle(word: str) -> str:
    """'al-shami' -> 'shami'; words without a particle prefix come back unchanged."""
    m = re.match(r"^(\w+)[-'](\w.*)$", word)
    return m.group(2) if m and m.group(1) in PARTICLES else word


def _core(words: tuple[str, ...]) -> tuple[str, ...]:
    """Name words that are not bare particles ("van", "der", "bin")."""
    return tuple(w for w in words if w not in PARTICLES)


def _forms(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Ways a short form of these words may be written: with and without particles."""
    forms = {words, _core(words)}
    forms |= {tuple(_strip_particle(w) for w in f) for f in list(forms)}
    return {f for f in forms if f}


def _surnames(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Every short form a full name can be referred to by: its word suffixes, particle-folded."""
    out: set[tuple[str, ...]] = set()
    for i in range(1, len(words)):
        suffix = words[i:]
        if _core(suffix):
            out |= _forms(suffix)
    return out


def _initials(words: tuple[str, ...]) -> str:
    return "".join(w[0] for w in words if w not in NAME_LINKERS and w[:1].isalpha())


def cluster_mentions(mentions: list[NameMention]) -> list[Cluster]:
    """Group mentions that name the same entity; mention kinds may change (rule 3)."""
    normed = [tuple(norm_word(w) for w in m.words) for m in mentions]
    full_ids: dict[tuple[str, ...], int] = {}  # full person name -> cluster index
    clusters: list[Cluster] = []

    def new(kind: str) -> int:
        clusters.append(Cluster(kind))
        return len(clusters) - 1

    persons = [i for i, m in enumerate(mentions) if m.kind == "person"]
    full = [i for i in persons if len(_core(normed[i])) >= 2]
    # Rule 1: identical full names, then full names inside a longer one.
    for i in full:
        if normed[i] not in full_ids:
            full_ids[normed[i]] = new("person")
    for name in sorted(full_ids, key=len):
        longer = [o for o in full_ids if len(o) > len(name) and o[-1] == name[-1]
                  and (o[0] == name[0] or o[-len(name):] == name) and full_ids[o] != full_ids[name]]
        if len({full_ids[o] for o in longer}) == 1:
            full_ids[name] = full_ids[longer[0]]
    for i in full:
        clusters[full_ids[normed[i]]].members.append(i)

    surname_index: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for name in full_ids:
        for form in _surnames(name):
            surname_index.setdefault(form, set()).add(name)

    def candidates(i: int) -> set[tuple[str, ...]]:
        found: set[tuple[str, ...]] = set()
        for form in _forms(normed[i]):
            found |= surname_index.get(form, set())
        return {n for n in found if full_ids[n] is not None}

    # Rule 3: one-word places/organizations that are really surnames.
    for i, m in enumerate(mentions):
        if m.kind in ("place", "organization") and len(m.words) == 1 and not m.protected and candidates(i):
            m.kind = "person"
    short_ids: dict[tuple[str, ...], int] = {}
    for i, m in enumerate(mentions):
        if m.kind != "person" or i in full:
            continue
        names = candidates(i)
        target = None
        if len({full_ids[n] for n in names}) == 1:
            target = full_ids[next(iter(names))]
        elif names:
            target = _by_title(i, mentions, normed, names, full_ids)
            if target is None:
                target = _most_recent(i, mentions, normed, names, full_ids)
        if target is None:
            key = _core(normed[i]) or normed[i]
            if key not in short_ids:
                short_ids[key] = new("person")
            target = short_ids[key]
        clusters[target].members.append(i)

    # Rule 4: everything else by key, then acronyms into organizations.
    keyed: dict[tuple[str, tuple[str, ...]], int] = {}
    acronyms: list[int] = []
    for i, m in enumerate(mentions):
        if m.kind == "person":
            continue
        if m.kind == "organization" and len(m.words) == 1 and m.words[0].isupper() and len(m.words[0].replace(".", "")) >= 2:
            acronyms.append(i)
            continue
        key = (m.kind, (m.key,) if m.key else normed[i])
        if key not in keyed:
            keyed[key] = new(m.kind)
        clusters[keyed[key]].members.append(i)
    for i in acronyms:
        letters = mentions[i].words[0].replace(".", "").casefold()
        hits = {c for (kind, words), c in keyed.items() if kind == "organization" and len(words) > 1
                and _initials(words) == letters}
        if len(hits) == 1:
            clusters[hits.pop()].members.append(i)
            continue
        key = ("organization", normed[i])
        if key not in keyed:
            keyed[key] = new("organization")
        clusters[keyed[key]].members.append(i)
    return [c for c in clusters if c.members]


def _by_title(i, mentions, normed, names, full_ids) -> int | None:
    """The one candidate whose full name carries the same title ("Colonel Haddad"), if any."""
    title = mentions[i].title
    if not title:
        return None
    hits = {full_ids[normed[j]] for j, m in enumerate(mentions)
            if m.kind == "person" and normed[j] in names and m.title and norm_word(m.title) == norm_word(title)}
    return hits.pop() if len(hits) == 1 else None


def _most_recent(i, mentions, normed, names, full_ids) -> int | None:
    """Cluster of the closest preceding full-name mention among `names`, if near enough."""
    me = mentions[i]
    best = None
    for j, other in enumerate(mentions):
        if other.kind == "person" and normed[j] in names and other.start < me.start:
            if best is None or other.start > mentions[best].start:
                best = j
    if best is None:
        return None
    near = mentions[best].para == me.para or me.sent - mentions[best].sent <= AMBIGUOUS_WINDOW
    return full_ids[normed[best]] if near else None
