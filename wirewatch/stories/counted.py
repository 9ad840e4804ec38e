"""What a figure counts, as a comparable key: "41 people died" and "a toll of 41" both count "people killed".

Kept apart from conflicts.py and figure_scope.py, which use it, so that story features can key a
report's figures without importing the conflict machinery (which imports the features).
"""
from __future__ import annotations

import re

from wirewatch.model import ArticleAnalysis, Quantity

__all__ = ["counted_key", "counted_figures", "singular"]

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
            return " ".join(singular(w) for w in words[-2:])
    if quantity.unit:
        return quantity.unit.upper() if len(quantity.unit) <= 4 else quantity.unit.casefold()
    return None


def singular(word: str) -> str:
    """The singular of a counted noun ("homes" -> "home", "casualties" -> "casualty"; "people" stays)."""
    if word in ("people", "men", "women", "children"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def counted_figures(analysis: ArticleAnalysis) -> frozenset[str]:
    """The report's counted figures as "thing=value" keys (casualties, arrests, money), for agreement tests."""
    out = set()
    for q in analysis.quantities:
        key = counted_key(q) if q.value is not None else None
        if key:
            out.add(f"{key}={q.value:g}")
    return frozenset(out)
