"""Carry a quotation's speaker to every sentence of the quotation.

News names a speaker once for a quotation that runs over several sentences, usually after it
('"We have waited for months. Nobody has told us anything," said Anna Berg.'), sometimes
before it ('Berg said: "We have waited. Nobody told us."'), and a quotation that follows one
with its speaker named goes on in the same voice ('"We will rebuild," the mayor said. "But it
will take years."'). The parser attributes only the
sentence that holds the speech verb; this pass gives the other sentences inside the same
quotation marks the same attribution.
"""
from __future__ import annotations

import dataclasses

from wirewatch.model import Claim

_OPEN = {"“": "”", "«": "»", '"': '"'}
# a quotation never runs past a paragraph break without closing (the next paragraph's opening
# quote mark continues it, but then it is a new span here)
_MAX_CHARS = 2000


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each quotation, quote marks included; unclosed quotes are left out."""
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    while i < n:
        close = _OPEN.get(text[i])
        if close is None:
            i += 1
            continue
        end = text.find(close, i + 1)
        limit = text.find("\n\n", i + 1)
        if end == -1 or end - i > _MAX_CHARS or (limit != -1 and limit < end):
            i += 1
            continue
        spans.append((i, end + 1))
        i = end + 1
    return spans


def _continues(text: str, prev_end: int, start: int) -> bool:
    """Whether a quotation right after another one's attribution tail ('..., the mayor said.')
    continues the same speaker: same paragraph, and only that short tail in between."""
    gap = text[prev_end:start]
    return "\n\n" not in gap and len(gap) <= 120 and gap.rstrip().endswith((".", ":", ",")) and gap.count(".") <= 1


def attribute_quotes(text: str, claims: list[Claim]) -> list[Claim]:
    """Claims inside a quotation with no attribution get the quotation's speaker: the attribution
    of a claim that straddles the quotation's end (speaker named after), else its start, else
    the first attributed claim inside it ('Berg said: "We waited. Nobody came."')."""
    if not claims:
        return claims
    out = list(claims)
    previous = None  # (end of the last attributed quotation, its attribution)
    for qs, qe in quote_spans(text):
        inside = [i for i, c in enumerate(out) if qs <= c.start and c.end <= qe + 1]
        after = [c for c in out if c.start < qe <= c.end and c.end > qe + 1 and c.attribution.kind != "none"]
        before = [c for c in out if c.start < qs < c.end and c.attribution.kind != "none"]
        within = [out[i] for i in inside if out[i].attribution.kind != "none"]
        if after:
            source = after[-1]
        elif before or within:
            source = (before or within)[0]
        elif previous is not None and _continues(text, previous[0], qs):
            # '"We will rebuild," the mayor said. "But it will take years."': the same speaker
            source = previous[1]
        else:
            previous = None
            continue
        previous = (qe, source)
        quoted = text[qs:qe]
        for i in inside:
            claim = out[i]
            own = claim.attribution.source
            # a speaker named inside the quotation ("Nobody has told us") is part of what is quoted
            if claim.attribution.kind == "none" or (own and own in quoted and claim.attribution is not source.attribution):
                out[i] = dataclasses.replace(claim, attribution=source.attribution)
    return out
