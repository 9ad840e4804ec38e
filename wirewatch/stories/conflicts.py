"""Conflicts within a story: incompatible figures for the same thing, and assertions another report denies.

*Numbers* come from the story's figure series (figures.py): only figures of the same scope (who
is counted, what happened, where, over what period) are compared, and only a disagreement is a
conflict: incompatible figures from different sources for the same day, or, for a figure that is
not a running count (jobs cut, barrels spilled), from different sources on any day. A rising death
toll is a revision, not a conflict. Figures are compared as intervals (intervals.py): "at least 37"
and 41 agree, "dozens" and 41 agree, 37 and 41 on the same day from two sources conflict.

*Denials* need a negated claim that contradicts an asserted one: the same predicate (claim
groups), and the negated verb itself among the asserted claim's words ("would not extend the
truce" does not contradict "the truce expired"), or, for a denied complement ("denied that his
forces had blocked the convoy"), the event words beyond its participants shared with the
assertion; when both claims name an object, the objects must match too.
"""
from __future__ import annotations

import re

from wirewatch.model import Claim, Conflict, ConflictValue, Quantity
from wirewatch.stories.counted import counted_key
from wirewatch.stories.features import content_words
from wirewatch.stories.figures import number_conflicts_of
from wirewatch.stories.intervals import APPROX_SPREAD, compatible, interval, is_increment

__all__ = ["counted_key", "interval", "compatible", "is_increment", "number_conflicts", "denial_conflicts", "denial_words",
           "contradicts", "APPROX_SPREAD"]

def number_conflicts(quantities: list[Quantity], groups_of: dict[str, str],
                     claims: list[Claim] | None = None) -> list[Conflict]:
    """Disagreements among undated figures (all taken as the same day); stories use figures.build_figures."""
    return number_conflicts_of(quantities, groups_of, claims or [])


_NEGATION = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.I)
_NOT_VERBS = {"be", "been", "being", "is", "are", "was", "were", "have", "has", "had", "do", "does", "did", "yet",
              "so", "far", "also", "ever", "to", "the", "a", "an", "any", "will", "would", "could", "should", "can",
              "may", "might", "immediately", "independently", "directly", "publicly", "officially"}


# Not saying, confirming or knowing something is silence, not a denial: "has not said whether any
# soldiers were detained" contradicts nothing, whatever else the sentence shares with a claim.
_SILENCE = {"say", "said", "says", "saying", "confirm", "confirmed", "confirms", "comment", "commented",
            "disclose", "disclosed", "specify", "specified", "know", "known", "knows", "clear", "whether",
            "identify", "identified", "elaborate", "respond", "responded", "answer", "answered", "reveal",
            "revealed", "release", "released", "explain", "explained", "verify", "verified"}


def _negated_verb(claim: Claim) -> str | None:
    """The word a written negation bears on ("would not extend" -> extend), stemmed as content words are.

    "" when the negation bears on saying or knowing (see _SILENCE); None when there is no negation
    or no content word right after it.
    """
    m = _NEGATION.search(claim.text)
    if m is None:
        return None
    for word in re.findall(r"[A-Za-z][\w'-]*", claim.text[m.end():])[:5]:
        folded = word.casefold()
        if folded in _SILENCE:
            return ""
        if folded not in _NOT_VERBS:
            stems = content_words(word)
            if stems:
                return next(iter(stems))
    return None


def _participant_words(value: str | None) -> set[str]:
    """Content words of a subject or object as written; none for a linked entity id."""
    if not value or re.fullmatch(r"E[0-9a-f]{8,}", value):
        return set()
    return content_words(value)


def contradicts(asserted: Claim, denied: Claim) -> bool:
    """True when the negated claim denies what the asserted one states (see the module docstring)."""
    said = content_words(asserted.text)
    if asserted.object and denied.object and asserted.object != denied.object:
        patient = _participant_words(denied.object)
        if not patient & (_participant_words(asserted.object) | _participant_words(asserted.subject)):
            return False  # "has not confirmed the figure" is not about "the pipeline is operated by ..."
    return bool(denial_words(denied) & said)


def denial_words(denied: Claim) -> set[str]:
    """Words an assertion must say for the negated claim to contradict it (see `contradicts`).

    The word its negation bears on ("had not fired" -> fire), else its event words (its content
    words less its subject's and object's); none when the negation is silence ("has not said").
    """
    verb = _negated_verb(denied)
    if verb == "":
        return set()
    if verb is not None:
        return {verb}
    return content_words(denied.text) - _participant_words(denied.subject) - _participant_words(denied.object)


def denial_conflicts(groups: list[list[Claim]], groups_of: dict[str, str]) -> list[Conflict]:
    """Claims one report asserts and another (independent) report negates; `groups` from claim_groups."""
    conflicts = []
    for group in groups:
        asserted = [c for c in group if not c.negated]
        denied = [c for c in group if c.negated and any(contradicts(a, c) for a in asserted)]
        asserted = [a for a in asserted if any(contradicts(a, d) for d in denied)]
        if not asserted or not denied:
            continue
        sources_a = {groups_of.get(c.article, c.article) for c in asserted}
        sources_d = {groups_of.get(c.article, c.article) for c in denied}
        if not any(x != y for x in sources_a for y in sources_d):
            continue
        values = [ConflictValue(value="asserted", article=c.article, text=c.text, claim=c.id) for c in asserted]
        values += [ConflictValue(value="denied", article=c.article, text=c.text, claim=c.id) for c in denied]
        conflicts.append(Conflict(about=asserted[0].text, values=values, kind="denial"))
    return conflicts
