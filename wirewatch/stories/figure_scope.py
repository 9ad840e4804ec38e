"""What a figure counts, where, over what period, when it held and who gave it.

A figure's *scope* decides which figures can be compared at all: "nine soldiers killed" is a
subset of "37 people killed", not a rival; "12 killed in Valencia" is not a rival for a
nationwide toll; "2,000 refugees arrived in 2023" is background, not today's count.

- *who / what*: the counted phrase split into the counted noun ("soldiers", "homes", people
  when generic) and the event that happened to it ("killed", "injured", "displaced", "arrested";
  synonyms such as dead / deaths / death toll / bodies fold to killed). A bare generic head
  ("people", "residents") takes its event from the claim around it (KILL -> killed) or is left
  out, since "two people familiar with the talks" counts nobody. Percentages need a counted noun
  ("40% of the vote"); money without one is keyed by its currency.
- *where*: a place named right after the figure ("... killed in Homs") or opening the
  sentence ("In Homs, ..."), unless it is one of the story's main places (named in at least half
  of its reports): those are where the whole story happens.
- *period*: a time expression in the figure's sentence resolving more than PERIOD_DAYS before
  the report marks a figure about another period ("in 2023").
- *date*: the day the figure held: the latest day its sentence names between the story's first
  report and this report ("died in Tuesday's quake, the agency said on Wednesday" is Wednesday's
  count; earlier dates name the event, not the count: "killed on Sunday" in Tuesday's report is
  Tuesday's count); else the report day.
"""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from wirewatch.extract.quantities import CASUALTY_PARTICIPLES, DEATH_VERBS
from wirewatch.model import ArticleAnalysis, Claim, Quantity
from wirewatch.stories.counted import singular
from wirewatch.stories.snapshot import sentence_around

__all__ = ["Scope", "scope_of", "object_state", "singular", "CUMULATIVE_EVENTS", "main_places", "place_of", "period_of", "figure_date",
           "figure_source", "figure_hedged", "holding_claims", "has_update_cue"]

PERIOD_DAYS = 45
PLACE_GAP = 60
LEAD_CHARS = 400  # a report's lead (dateline and first sentence, at most this long) says where the story happens
UPDATE_WINDOW = 40  # characters either side of a figure searched for "rose to", "revised", "up from"  # characters between a figure and the place it is scoped to
# Events whose counts only accumulate while a story runs: a different later figure is a revision.
CUMULATIVE_EVENTS = frozenset(CASUALTY_PARTICIPLES.values()) | frozenset(DEATH_VERBS.values())
_EVENT_WORDS = {w: "killed" for w in ("dead", "killed", "deaths", "death", "died", "fatalities", "fatality",
                                      "toll", "lives", "bodies", "body", "perished", "drowned")}
_EVENT_WORDS.update({"injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured",
                     "arrested": "arrested", "arrests": "arrested", "detained": "arrested", "detentions": "arrested",
                     "displaced": "displaced", "evacuated": "displaced", "evacuees": "displaced",
                     "homeless": "displaced", "fled": "displaced"})
_EVENT_WORDS.update({v: v for v in CUMULATIVE_EVENTS if v not in _EVENT_WORDS})  # kidnapped, missing, ...
_PREDICATE_EVENTS = {"KILL": "killed", "EVACUATE": "displaced"}
GENERIC_WHO = {"people", "person", "individual", "resident", "civilian", "man", "men", "woman", "women",
               "child", "children", "victim", "inhabitant"}
_PEOPLE = {"people", "person", "individual", "victim", "suspect"}  # who-words that mean "anyone"
_PRONOUNS = {"he", "she", "it", "they", "we", "i", "you", "him", "her", "them"}
_AMOUNT_WORDS = {"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion",
                 "billions", "score", "scores"}  # "tens of thousands" names no counted thing
_TALLY = {"toll", "tally", "number", "count", "total", "figure"}
_DROP = {"the", "a", "an", "of", "some", "about", "around", "more", "than", "least", "at", "over", "nearly",
         "almost", "up", "to", "estimated", "roughly", "approximately", "were", "was", "been", "have", "had"}
# A volume or mass measures a material (2,500 barrels of oil = 2,500 barrels of crude); a length or
# an area measures different things (25 km of riverbank vs a town 180 km away), so keep its noun.
_MATERIAL_UNITS = {"bbl", "t", "l", "kg"}
_UNIT_NAMES = {"bbl": "barrels", "t": "tonnes", "l": "litres", "kg": "kg", "km": "km", "mi": "miles", "m": "metres",
               "ha": "hectares", "acre": "acres", "km2": "sq km", "MW": "MW"}
_LOCATIVE = re.compile(r"\b(?:in|across|at|near|around|outside|inside|throughout)\s+(?:the\s+)?(?:\w+\s+)?$", re.I)
_PLACE_COUNT = re.compile(r"\s+(?:alone\s+)?(?:ha(?:ve|s)\s+)?(?:reported|recorded|counted|registered)\s+", re.I)
_ALONE = re.compile(r"\s+alone\b", re.I)  # "in Lucknow alone": a part of the story's area, even a main place
_OVERALL = re.compile(r"\b(?:nationwide|across the country|countrywide|in total|overall|in all)\b", re.I)
# A later figure announced as a change of an earlier one ("rose to", "revised", "up from").
_UPDATE = re.compile(r"\b(?:rose|risen|rises|rising|climbed|climbs|jumped|increased|raised|revised|updated|"
                     r"lowered|reduced|fell|dropped|now stands|new (?:toll|figure|estimate|count|tally))\b|\b(?:up|down) from (?:an? |the )?"
                     r"(?:about |some |around )?(?:earlier |previous )?\d",
                     re.I)
# Cue words that are attribution or approximation, not doubt about a figure.
_NOT_DOUBT = {"according to", "said", "estimated", "estimate", "quoted as saying", "reported", "expected"}
_UNVERIFIED = re.compile(r"\b(?:could|can)\s*not\s+be\s+(?:independently\s+)?(?:verified|confirmed)|\bunconfirmed\b|"
                         r"\bnot\s+(?:been\s+)?(?:independently\s+)?(?:verified|confirmed)\b", re.I)


class Scope(tuple):
    """(who, what, label): the counted noun (singular), the event (or None) and the label shown."""

    __slots__ = ()

    def __new__(cls, who: str, what: str | None, label: str):
        return super().__new__(cls, (who, what, label))

    @property
    def who(self) -> str:
        return self[0]

    @property
    def what(self) -> str | None:
        return self[1]

    @property
    def label(self) -> str:
        return self[2]


_STATE = re.compile(r"\s+(?:(?:that|which)\s+)?(?P<chain>(?:(?:had|have|has|were|was|are|is|now|still|been|being|be|"
                    r"left|declared|deemed|rendered)\s+)*)(?P<state>without(?:\s+[a-z]+){1,2}|[a-z]+(?:ed|en|able|ible))\b",
                    re.I)


def object_state(q: Quantity, text: str) -> str | None:
    """A state the counted things are said to be left in ("11 homes had been declared uninhabitable",
    "45,000 homes without hot water"): a narrower count than the things themselves."""
    m = _STATE.match(text, q.end)
    if m is None:
        return None
    state = m.group("state").casefold()
    chain = m.group("chain").casefold().split()
    if state.startswith("without") or any(w in ("been", "left", "declared", "deemed", "rendered") for w in chain):
        return " ".join(state.split())
    return None


_PEOPLE_STATE = re.compile(r"\s+(?:(?:are|were|is|was|have been|had been|been|now|later|since|all|confirmed|"
                           r"reported|presumed|found)\s+)*(?P<state>dead|missing|injured|wounded|hurt|homeless|displaced)\b",
                           re.I)


_LOST_LIVES = re.compile(r"\s+(?:have\s+|has\s+|had\s+)?(?:been\s+)?(?:lost\s+their\s+lives|perished|been\s+left\s+dead)\b", re.I)


def people_state(q: Quantity, text: str) -> str | None:
    """What the counted people are said to be right after the figure ("34 people are now confirmed dead",
    "14 people have lost their lives")."""
    if _LOST_LIVES.match(text, q.end):
        return "killed"
    m = _PEOPLE_STATE.match(text, q.end)
    return _EVENT_WORDS.get(m.group("state").casefold()) if m else None


# Words between a number and its noun that do not narrow what is counted.
_NOT_NARROWING = {"new", "other", "total", "reported", "confirmed", "registered", "known", "recorded", "official",
                  "additional", "further", "extra", "more", "less", "fewer", "of", "and", "or", "the", "a", "an",
                  "million", "billion", "thousand", "thousands", "hundred", "hundreds", "dozen", "dozens", "some",
                  "roughly", "about", "around", "nearly", "almost", "least", "than", "estimated", "approximately"}


def _modifiers(q: Quantity, head: str) -> list[str]:
    """Words of the figure's own text between its number and its counted noun that narrow the count
    ("casual", "refrigerated"); the extractor drops adjectives, so they are read back from the text."""
    text = q.text.casefold()
    at = text.rfind(head)
    digits = [m.end() for m in re.finditer(r"\d[\d,.]*", text[:at])] if at > 0 else []
    if not digits:
        return []
    between = re.findall(r"[a-z][a-z'-]*", text[digits[-1]:at])
    return [w for w in between if w not in _NOT_NARROWING and w not in _EVENT_WORDS and w not in _DROP]


def scope_of(q: Quantity, claim: Claim | None, text: str = "") -> Scope | None:
    """What `q` counts as (who, what, label), or None when the text does not say what is counted."""
    unit = q.unit
    counted = (q.counted or "").casefold()
    words = [w for w in re.findall(r"[a-z][a-z'-]*", counted) if w not in _DROP]
    if unit == "%":
        if not words:
            return None  # a vote share and a pay rise are both "%": without a noun nothing is comparable
        return Scope("% " + " ".join(words), None, "% " + " ".join(words))
    if unit and unit.casefold() in _MATERIAL_UNITS:
        name = _UNIT_NAMES.get(unit.casefold(), unit)
        return Scope(name, None, name)
    if unit and unit in _UNIT_NAMES:
        name = _UNIT_NAMES[unit]
        label = f"{name} of {' '.join(words)}" if words else name
        return Scope(label, None, label)
    if unit and not words:
        return Scope(unit.upper(), None, f"amount in {unit.upper()}")  # money: by currency
    if not words or words[-1] in _AMOUNT_WORDS:
        return None
    events = [_EVENT_WORDS[w] for w in words if w in _EVENT_WORDS]
    nouns = [w for w in words if w not in _EVENT_WORDS and w not in _TALLY]
    narrow = _modifiers(q, nouns[0]) if nouns and not unit else []  # "1,800 casual workers": part of the workers
    what = events[-1] if events else None
    who_word = nouns[-1] if nouns else "people"
    who = singular(who_word)
    if what is None and who in GENERIC_WHO:
        what = people_state(q, text) if text else None
        what = what or (_PREDICATE_EVENTS.get(claim.predicate) if claim is not None else None)
        if what is None:
            if claim is None or claim.predicate == "STATEMENT":
                return None  # "two people familiar with the talks": nothing happened to them
            what = "(" + claim.predicate.lower().replace("_", " ") + ")"
    if what is None and text and not unit:
        what = object_state(q, text)
    if who in _PEOPLE:
        who, who_word = "people", "people"
    if narrow:
        who = " ".join(narrow + [who])
        who_word = " ".join(narrow + [who_word])
        nouns = narrow + nouns
    if unit:
        who = f"{unit.upper()} {who}"
        who_word = f"{unit.upper()} {who_word}"
    base = who_word if who_word == "people" or unit else " ".join(nouns[-2 - len(narrow):]) or who_word
    label = f"{base} {what}" if what else base
    return Scope(who, what, label)


@lru_cache(maxsize=512)
def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """sentence_around, remembered: each figure's sentence is asked for by several scope tests."""
    return sentence_around(text, start, end)


def holding_claims(q: Quantity, claims: list[Claim]) -> list[Claim]:
    """Claims whose span holds the quantity, narrowest first."""
    return sorted((c for c in claims if c.start <= q.start and q.end <= c.end), key=lambda c: c.end - c.start)


_AGENT = re.compile(r"\s+(?:\w+\s+)?(?:cited|estimated|given|reported|announced|released|published|confirmed|"
                    r"recorded|counted)\s+by\s+(?P<who>(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+(?!on\b|in\b|at\b|and\b|"
                    r"last\b|earlier\b|which\b|who\b)[\w.'\u2019-]+){0,6})")


_SPEAKER = re.compile(r"(?:^|[,\u2014\u2013-]\s*)(?P<who>(?:[Tt]he\s+)?[A-Z][\w.'&\u2019-]*(?:\s+[A-Za-z][\w.'&\u2019-]*){0,5}?)"
                      r"\s+(?:said|says|told|announced|reported|estimated|revised|raised|lowered|updated|put|"
                      r"confirmed|counted|recorded)\b")


_NOT_SPEAKER = {"had", "has", "have", "was", "were", "is", "are", "earlier", "also", "later", "previously", "first",
                "initially", "then", "now", "still", "had earlier"}


def figure_source(q: Quantity, holding: list[Claim], text: str = "") -> str | None:
    """Who gave the figure: a passive agent right after it ("the 4,000 barrels estimated by the
    agency"), else the attribution of the narrowest claim around it that has one."""
    m = _AGENT.match(text, q.end) if text else None
    if m is not None:
        return m.group("who").rstrip(".,")
    for claim in holding:
        source = claim.attribution.source
        if source and q.text not in source:
            return None if source.casefold() in _PRONOUNS else source
    if text:  # no claim carries it: the sentence's own speaker ("Brightwell Motors said on Monday it would cut ...")
        s, e = _sentence(text, q.start, q.end)
        m = _SPEAKER.search(text[s:e])
        if m is not None and q.text not in m.group("who"):
            words = m.group("who").split()
            while words and words[-1].casefold() in _NOT_SPEAKER:
                words.pop()  # "A monitoring group had earlier put the toll at 37"
            return " ".join(words) or None
    return None


def figure_hedged(q: Quantity, holding: list[Claim], text: str) -> bool:
    """True when the figure is doubted: a hedge of its claim other than attribution or estimate
    ("may have been killed", "reportedly"), or its sentence or the next says it is unverified."""
    for claim in holding[:1]:
        if claim.hedged and (not claim.hedges or any(h.casefold() not in _NOT_DOUBT for h in claim.hedges)):
            return True
    s, e = _sentence(text, q.start, q.end)
    if _UNVERIFIED.search(text[s:e]):
        return True
    nxt = re.split(r"(?<=[.!?])\s", text[e + 1:e + 400].lstrip(), maxsplit=1)[0]
    return bool(_UNVERIFIED.search(nxt) and re.search(r"\b(?:figures?|toll|numbers?|count|estimates?|claims?|accounts?|reports?)\b", nxt, re.I))


def has_update_cue(q: Quantity, text: str) -> bool:
    """True when the words around the figure announce it as a change ("the toll rose to 41", "up from 37");
    only its own clause's neighbourhood counts ("crews climbed onto roofs" elsewhere in the sentence does not)."""
    s, e = _sentence(text, q.start, q.end)
    return bool(_UPDATE.search(text[max(s, q.start - UPDATE_WINDOW):min(e, q.end + UPDATE_WINDOW)]))


def _day(value: str | None) -> dt.date | None:
    if not value or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _sentence_times(analysis: ArticleAnalysis, q: Quantity) -> list:
    text = analysis.article.text
    s, e = _sentence(text, q.start, q.end)
    return [t for t in analysis.times if t.date and s <= t.start and t.end <= e]


def figure_date(analysis: ArticleAnalysis, q: Quantity, story_start: str | None) -> str | None:
    """The day the figure held (ISO), see the module docstring; None when nothing is dated."""
    report = _day(analysis.article.published)
    first = _day(story_start) or report
    days = [_day(t.date) for t in _sentence_times(analysis, q)]
    held = [d for d in days if d is not None and report is not None and first is not None and first <= d <= report]
    # A count holds as of the latest day its sentence names: "died in Tuesday's quake, the agency said
    # on Wednesday" is Wednesday's count.
    return max(held).isoformat() if held else (report.isoformat() if report else None)


def period_of(analysis: ArticleAnalysis, q: Quantity) -> str | None:
    """A period other than the story's own that the figure covers ("in 2023" -> "2023"), else None.

    Only a time expression close after the figure counts ("10 million displaced since April
    2023"), or one before it that starts what is counted ("the war, which began in April 2023, has
    displaced ..."); a date elsewhere in the sentence ("the worst since early 2025") dates something else.
    """
    report = _day(analysis.article.published)
    if report is None:
        return None
    near = [t for t in _sentence_times(analysis, q) if q.end <= t.start <= q.end + PLACE_GAP
            or (t.end <= q.start and re.search(r"\b(?:since|began|begun|started)\b", analysis.article.text[t.end - 40 - len(t.text):t.start]))]
    for t in near:
        date = t.date or ""
        try:
            start = dt.date.fromisoformat(date if len(date) == 10 else (date + "-01" if len(date) == 7 else date + "-12-31"))
        except ValueError:
            continue
        if (report - start).days > PERIOD_DAYS:
            return date[:4] if len(date) == 4 else date[:7]
    return None


def main_places(analyses: list[ArticleAnalysis]) -> set[str]:
    """Names (case-folded) of the places where the story happens: named in the lead (first sentence,
    at most LEAD_CHARS characters) of at least half of its reports; failing that, the places named by most reports.
    A town every report mentions further down ("in Lucknow alone, 12 died") is not one of them."""
    in_lead: dict[str, int] = {}
    anywhere: dict[str, int] = {}
    for a in analyses:
        places = [e for e in a.entities if e.type == "place"]
        for name in {e.name.casefold() for e in places}:
            anywhere[name] = anywhere.get(name, 0) + 1
        body = a.article.text
        first = len(body) - len(body.lstrip())
        lead_end = min(sentence_around(body, first, first + 1)[1], first + LEAD_CHARS) if body.strip() else 0
        lead = {e.name.casefold() for e in places
                if any(m.article == a.article.id and m.start < lead_end for m in e.mentions)}
        for name in lead:
            in_lead[name] = in_lead.get(name, 0) + 1
    main = {n for n, k in in_lead.items() if k * 2 >= len(analyses)}
    if main or not anywhere:
        return main
    top = max(anywhere.values())
    return {n for n, k in anywhere.items() if k == top}


def place_of(analysis: ArticleAnalysis, q: Quantity, main: set[str]) -> str | None:
    """The place a figure is limited to (see the module docstring), or None for the story's whole area."""
    text = analysis.article.text
    s, e = _sentence(text, q.start, q.end)
    if _OVERALL.search(text[q.end:min(e, q.end + PLACE_GAP)]):
        return None
    for entity in analysis.entities:
        if entity.type != "place":
            continue
        if entity.name.casefold() in main and \
                not any(_ALONE.match(text, m.end) for m in entity.mentions if m.article == analysis.article.id):
            continue
        for m in entity.mentions:
            if m.article != analysis.article.id or not (s <= m.start and m.end <= e):
                continue
            after = q.end <= m.start <= q.end + PLACE_GAP and _LOCATIVE.search(text[q.end:m.start])
            opening = m.end <= q.start and re.fullmatch(r"\s*In\s+(?:the\s+)?(?:\w+\s+of\s+)?", text[s:m.start]) is not None
            # "Hospitals in Lucknow reported 19 deaths": a count kept for one place
            opening = opening or (m.end <= q.start and _LOCATIVE.search(text[s:m.start]) is not None
                                  and _PLACE_COUNT.fullmatch(text[m.end:q.start]) is not None)
            if after and not re.search(r"[;:]", text[q.end:m.start]) or opening:
                return entity.name
    return None
