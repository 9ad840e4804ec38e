"""Type a clause's event from the open event-data lexicon, matched on the dependency parse.

The table (data/event_lexicon.json) is derived by scripts/build_event_lexicon.py from the
PETRARCH2 CAMEO verb dictionary and the PLOVER crosswalk: verb lemma -> CAMEO code, refined by
what follows the verb (a particle, the object's head noun, a preposition and its object), and
CAMEO code -> PLOVER type, mode and context. A match is looked for from the most specific key to
the verb alone; a verb the table does not know is *silent* (None), so hand rules may decide.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_OBJ_DEPS = ("dobj", "attr", "oprd", "dative")


@dataclass(frozen=True)
class EventMatch:
    """A lexicon hit: the CAMEO code, its PLOVER type ("" when the code is no PLOVER event),
    mode and context, the key that matched, and whether it was more than the bare verb."""

    code: str
    plover: str
    mode: str
    context: str
    key: str

    @property
    def specific(self) -> bool:
        return bool(self.key)


@lru_cache(maxsize=1)
def event_lexicon() -> dict:
    """The derived CAMEO/PLOVER table, loaded once per process."""
    path = Path(__file__).parent / "data" / "event_lexicon.json"
    return json.loads(path.read_text(encoding="utf-8"))


def verb_lemma(tok) -> str:
    """The verb's lemma, with the dictionary's irregular forms ("sped" -> "speed") and a repair
    for regular past forms the small model's lemmatizer garbles ("staged" -> "stag")."""
    lex = event_lexicon()
    low = tok.lower_
    if low in lex["forms"]:
        return lex["forms"][low]
    lemma = tok.lemma_.lower()
    if lemma not in lex["verbs"] and tok.tag_ in ("VBD", "VBN") and low.endswith("ed"):
        for guess in (low[:-1], low[:-2], low[:-3] if len(low) > 5 and low[-3] == low[-4] else None):
            if guess and guess in lex["verbs"]:
                return guess
    return lemma


def _words(tok) -> tuple[str, ...]:
    """The head noun's forms, then its compound modifiers ("border region" matches a pattern
    on "border", as PETRARCH matches a pattern's words from the start of the phrase)."""
    words = [tok.lower_, tok.lemma_.lower()]
    for mod in (c for c in tok.children if c.dep_ == "compound" and c.i < tok.i):
        words.extend((mod.lower_, mod.lemma_.lower()))
    return tuple(dict.fromkeys(words))


def _objects(verb):
    """Object heads a pattern can name: direct objects, and a passive's subject ("talks were held")."""
    objs = [c for c in verb.children if c.dep_ in _OBJ_DEPS and c.pos_ in ("NOUN", "PROPN", "PRON", "NUM", "ADJ")]
    if any(c.dep_ == "auxpass" for c in verb.children):
        objs.extend(c for c in verb.children if c.dep_ == "nsubjpass")
    return objs


def _preps(verb):
    """(preposition, object heads) pairs attached to the verb, including the agent's "by"."""
    out = []
    for prep in (c for c in verb.children if c.dep_ in ("prep", "agent")):
        out.append((prep.lower_, [c for c in prep.children if c.dep_ == "pobj"]))
    return out


def match(verb, lemma: str | None = None) -> EventMatch | None:
    """The most specific lexicon entry the clause headed by `verb` matches, or None (silent)."""
    lex = event_lexicon()
    lemma = lemma or verb_lemma(verb)
    entry = lex["verbs"].get(lemma)
    if not entry:
        return None
    prts = [c.lower_ for c in verb.children if c.dep_ == "prt"]
    objs = _objects(verb)
    preps = _preps(verb)
    keys: list[str] = []
    leads = [f"prt {prt} " for prt in prts] + [""]
    for lead in leads:
        for obj in objs:
            for w in _words(obj):
                for prep, pobjs in preps:
                    keys.extend(f"{lead}obj {w} prep {prep} {pw}" for pobj in pobjs for pw in _words(pobj))
                    keys.append(f"{lead}obj {w} prep {prep}")
                keys.append(f"{lead}obj {w}")
    for lead in leads:
        for prep, pobjs in preps:
            keys.extend(f"{lead}prep {prep} {w}" for pobj in pobjs for w in _words(pobj))
            keys.append(f"{lead}prep {prep}")
    keys.extend(f"prt {prt}" for prt in prts)
    keys.append("")
    for key in keys:
        code = entry.get(key)
        if code is not None:
            return _resolve(code, key, lex)
    return None


def _resolve(code: str, key: str, lex: dict) -> EventMatch:
    if code == "---":
        return EventMatch(code, "", "", "", key)
    plover, mode, context = lex["codes"].get(code, ["", "", ""])
    return EventMatch(code, plover, mode, context, key)
