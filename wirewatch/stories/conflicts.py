"""Conflicts within a story: different numbers for the same counted thing, and assertions another report denies.

Numbers are compared as intervals: an exact figure is a point, "about 40" spans +-10%, "at least
37" is [37, inf), "dozens" or "hundreds" (no value, only a range) is that range. Two figures
conflict when their intervals do not overlap, so "at least 37" and "41" agree, "dozens" and 41
agree, and "37" and "41" conflict. Only figures from different source groups are compared (a report
never conflicts with itself or its own syndicated copy).
"""
from __future__ import annotations

import math
import re

from wirewatch.model import Claim, Conflict, ConflictValue, Quantity

__all__ = ["counted_key", "interval", "compatible", "number_conflicts", "denial_conflicts"]

APPROX_SPREAD = 0.1
# Heads that say only "how many of whom", not what happened to them: "two people" (who spoke) and
# "12,000 people" (who fled) are different counts. Such figures are compared only within the same
# kind of claim (see `number_conflicts`).
GENERIC_HEADS = {"people", "person", "individual", "resident", "civilian", "man", "men", "woman", "women",
                 "child", "children"}  # as counted_key gives them (singular where the plural ends in s)
GENERIC_PREDICATES = {"STATEMENT"}  # says nothing about what the people did or suffered

# Heads that name the same counted thing; the key is the label shown to users.
_SYNONYMS = {
    "people killed": {"dead", "killed", "deaths", "death", "died", "fatality", "fatalities", "death toll", "toll",
                      "lives", "life", "bodies", "body", "victims killed", "people dead", "people died",
                      "civilians killed", "casualties killed"},
    "people injured": {"injured", "wounded", "hurt", "injuries", "people wounded", "people hurt"},
    "people arrested": {"arrested", "arrests", "detained", "detentions", "people detained"},
    "people displaced": {"displaced", "refugees", "evacuated", "evacuees", "homeless"},
}
_LOOKUP = {syn: key for key, syns in _SYNONYMS.items() for syn in syns | {key}}
_DROP = {"the", "a", "an", "of", "some", "about", "around", "more", "than", "least", "at", "over", "nearly",
         "almost", "up", "to", "estimated", "roughly", "approximately", "other", "another", "further", "additional"}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _is_increment(text: str) -> bool:
    """True for figures that add to a count ("two more bodies", "another 5"), not "more than 50"."""
    words = re.findall(r"[a-z]+|\d[\d,.]*", text.casefold())
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == "another" or (i >= 1 and word in ("more", "additional", "further", "extra") and following != "than"):
            return True
    return False


def counted_key(quantity: Quantity) -> str | None:
    """Normalise what a quantity counts to a comparable head ("people killed", "fighter", "USD")."""
    counted = (quantity.counted or "").casefold().strip()
    if counted:
        words = [w for w in re.findall(r"[a-z]+", counted) if w not in _DROP]
        phrase = " ".join(words)
        if phrase in _LOOKUP:
            return _LOOKUP[phrase]
        for n in (2, 1):  # "people were killed" -> the last word(s) decide
            tail = " ".join(words[-n:])
            if tail in _LOOKUP:
                return _LOOKUP[tail]
        if words:
            return " ".join(_singular(w) for w in words[-2:])
    if quantity.unit:
        return quantity.unit.upper() if len(quantity.unit) <= 4 else quantity.unit.casefold()
    return None


def interval(q: Quantity) -> tuple[float, float] | None:
    """The range of values a quantity allows, or None when it has no number at all."""
    if q.value is None and q.low is None and q.high is None:
        return None
    if q.value is not None:
        if q.low is None and q.high is None:
            low = high = q.value
        else:  # a bound cue: "at least 37" sets only low, "up to 40" only high
            low = q.low if q.low is not None else 0.0
            high = q.high if q.high is not None else math.inf
        if q.approximate:
            low, high = min(low, q.value * (1 - APPROX_SPREAD)), max(high, q.value * (1 + APPROX_SPREAD))
        return low, high
    return (q.low if q.low is not None else -math.inf, q.high if q.high is not None else math.inf)


def compatible(a: Quantity, b: Quantity) -> bool:
    """True when two quantities can both be right (their intervals overlap)."""
    ia, ib = interval(a), interval(b)
    if ia is None or ib is None:
        return True
    return ia[0] <= ib[1] and ib[0] <= ia[1]


def _value(q: Quantity):
    if q.value is not None:
        return int(q.value) if float(q.value).is_integer() else q.value
    return q.text


def _claim_of(q: Quantity, claims_by_article: dict[str, list[Claim]]) -> Claim | None:
    """The narrowest claim whose span holds the quantity."""
    holding = [c for c in claims_by_article.get(q.article, []) if c.start <= q.start and q.end <= c.end]
    return min(holding, key=lambda c: c.end - c.start) if holding else None


def number_conflicts(quantities: list[Quantity], groups_of: dict[str, str],
                     claims: list[Claim] | None = None) -> list[Conflict]:
    """One conflict per counted thing whose figures from different sources cannot all be right.

    Increments ("two more bodies") are skipped. A bare generic head ("people", "residents": no verb or
    participle says what happened to them) is compared only with figures of the same head inside
    claims of the same specific predicate (both about displacement, both about killing); without a claim
    holding it, it is not compared at all.
    """
    claims_by_article: dict[str, list[Claim]] = {}
    for c in claims or []:
        claims_by_article.setdefault(c.article, []).append(c)
    by_key: dict[tuple[str, str | None], list[Quantity]] = {}
    for q in quantities:
        if _is_increment(q.text):
            continue  # "two more bodies" adds to a toll; it is not a rival figure for it
        key = counted_key(q)
        if not key or interval(q) is None:
            continue
        predicate = None
        if key in GENERIC_HEADS:
            claim = _claim_of(q, claims_by_article)
            if claim is None or claim.predicate in GENERIC_PREDICATES:
                continue
            predicate = claim.predicate
        by_key.setdefault((key, predicate), []).append(q)
    conflicts = []
    for (key, predicate), qs in by_key.items():
        clash = any(
            not compatible(a, b) and groups_of.get(a.article, a.article) != groups_of.get(b.article, b.article)
            for i, a in enumerate(qs) for b in qs[i + 1:]
        )
        if not clash:
            continue
        values, seen = [], set()
        for q in sorted(qs, key=lambda q: (interval(q)[0], q.article)):
            if (q.article, q.text) in seen:
                continue
            seen.add((q.article, q.text))
            values.append(ConflictValue(value=_value(q), article=q.article, text=q.text, quantity=q.id))
        about = f"{key} ({predicate.lower().replace('_', ' ')})" if predicate else key
        conflicts.append(Conflict(about=about, values=values, kind="number"))
    return conflicts


def denial_conflicts(groups: list[list[Claim]], groups_of: dict[str, str]) -> list[Conflict]:
    """Claims one report asserts and another (independent) report negates; `groups` from claim_groups."""
    conflicts = []
    for group in groups:
        asserted = [c for c in group if not c.negated]
        denied = [c for c in group if c.negated]
        sources_a = {groups_of.get(c.article, c.article) for c in asserted}
        sources_d = {groups_of.get(c.article, c.article) for c in denied}
        if not any(x != y for x in sources_a for y in sources_d):
            continue
        values = [ConflictValue(value="asserted", article=c.article, text=c.text, claim=c.id) for c in asserted]
        values += [ConflictValue(value="denied", article=c.article, text=c.text, claim=c.id) for c in denied]
        conflicts.append(Conflict(about=asserted[0].text, values=values, kind="denial"))
    return conflicts
