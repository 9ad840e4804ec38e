"""Figures as intervals of the values they allow, and figures that only add to a count.

An exact figure is a point, "about 40" spans +-10%, "at least 37" is [37, inf), "up to 40" is
[0, 40] but "nearly 40" [36, 40], and a vague amount with no value ("dozens") is its range. Two figures can both be right
when their intervals overlap.
"""
from __future__ import annotations

import math
import re

from wirewatch.model import Quantity

__all__ = ["APPROX_SPREAD", "interval", "compatible", "is_increment"]

APPROX_SPREAD = 0.1
# "nearly 1,000" is just under 1,000, not anything up to it as "up to 1,000" is
_NEAR = re.compile(r"\s*(?:nearly|almost|close to|just under|approaching)\b", re.I)


def is_increment(text: str) -> bool:
    """True for figures that add to a count ("two more bodies", "another 5"), not "more than 50"."""
    words = re.findall(r"[a-z]+|\d[\d,.]*", text.casefold())
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word == "another" or (i >= 1 and word in ("more", "additional", "further", "extra") and following != "than"):
            return True
    return False


def interval(q: Quantity) -> tuple[float, float] | None:
    """The range of values a quantity allows, or None when it has no number at all."""
    if q.value is None and q.low is None and q.high is None:
        return None
    if q.value is not None:
        if q.low is None and q.high is None:
            low = high = q.value
        else:  # a bound cue: "at least 37" sets only low, "up to 40" only high
            low = q.low if q.low is not None else (q.value * (1 - APPROX_SPREAD) if _NEAR.match(q.text) else 0.0)
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
