"""Turn written numbers ("50,000", "3.5 million", "1.2bn", "fourteen", "a dozen") into values.

Kept apart from quantities.py so that the word tables and the arithmetic of number words can be
tested and reused (e.g. by conflict detection) without spaCy. Nothing here looks at context.
"""
from __future__ import annotations

import re

UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALE_WORDS = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Abbreviated scales as written after a figure in news copy ("€300m", "1.2bn", "5k").
SCALE_SUFFIXES = {
    "k": 1_000, "thousand": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000,
    "million": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000, "bln": 1_000_000_000,
    "billion": 1_000_000_000, "tn": 1_000_000_000_000, "trillion": 1_000_000_000_000,
    "hundred": 100,
}
FRACTION_WORDS = {
    "half": 0.5, "a half": 0.5, "one half": 0.5, "a third": 1 / 3, "one third": 1 / 3,
    "two thirds": 2 / 3, "two-thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25,
    "three quarters": 0.75, "three-quarters": 0.75,
}
# Collective counts with an exact value.
EXACT_COLLECTIVES = {"a dozen": 12, "one dozen": 12, "a couple of": 2, "a pair of": 2, "a score of": 20}

# Vague amounts: value unknown, bounded by what the word can mean. The bounds are the plain
# reading of the plural ("millions" = at least two million, fewer than a billion); they let
# conflict detection tell "dozens" from "thousands" without pretending to a value.
VAGUE_AMOUNTS: dict[str, tuple[float, float]] = {
    "a few": (2, 9),
    "several": (3, 9),
    "scores": (40, 199),
    "dozens": (24, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 999_999_999),
    "tens of millions": (20_000_000, 99_999_999),
    "hundreds of millions": (200_000_000, 999_999_999),
    "billions": (2_000_000_000, 999_999_999_999),
}

_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def parse_figure(text: str) -> float | None:
    """Parse digits with thousands commas and decimals ("50,000", "3.5"); None if not a figure."""
    text = text.strip()
    if not _DIGITS.match(text):
        return None
    return float(text.replace(",", ""))


def parse_words(text: str) -> float | None:
    """Parse number words ("fourteen", "twenty-one", "three hundred and five", "two million").

    Returns None when any word is not part of a number, so callers can try other readings.
    """
    words = [w for w in re.split(r"[\s\-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    if words[0] == "a" and len(words) > 1 and words[1] in SCALE_WORDS:
        words[0] = "one"  # "a hundred", "a million"
    total, current, seen = 0.0, 0.0, False
    for word in words:
        if word in UNITS_WORDS:
            current += UNITS_WORDS[word]
        elif word in TENS_WORDS:
            current += TENS_WORDS[word]
        elif word in SCALE_WORDS:
            scale = SCALE_WORDS[word]
            if scale == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * scale
                current = 0
        else:
            fig = parse_figure(word)
            if fig is None:
                return None
            current += fig
        seen = True
    return total + current if seen else None


def parse_number(text: str) -> float | None:
    """Parse a figure optionally followed by a scale ("3.5 million", "1.2bn", "300m") or words."""
    text = text.strip()
    m = re.match(r"^(\d[\d,]*(?:\.\d+)?)\s*([A-Za-z]+)?$", text)
    if m:
        value = parse_figure(m.group(1))
        if value is None:
            return None
        if m.group(2):
            scale = SCALE_SUFFIXES.get(m.group(2).lower())
            if scale is None:
                return None
            value *= scale
        return value
    low = text.lower()
    if low in FRACTION_WORDS:
        return FRACTION_WORDS[low]
    if low in EXACT_COLLECTIVES:
        return float(EXACT_COLLECTIVES[low])
    return parse_words(text)


NUMBER_WORD_PATTERN = (
    r"(?:"
    + "|".join(sorted(list(UNITS_WORDS) + list(TENS_WORDS), key=len, reverse=True))
    + r")(?:[\s\-]+(?:and\s+)?(?:"
    + "|".join(sorted(list(UNITS_WORDS) + list(TENS_WORDS) + list(SCALE_WORDS), key=len, reverse=True))
    + r"))*"
)
