"""Article text with entities, quantities, claims and a highlighted span marked up by character offsets.

Marks are built in Python from the offsets wirewatch stores, and every text segment between
them is escaped on its own, so hostile article text can never open a tag. Spans come in layers,
outermost first; a span that would cross a span of an outer layer (or an earlier one of its own
layer) is dropped, so the result always nests properly.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup


@dataclass(frozen=True)
class Span:
    """One mark: offsets into the text and the already-escaped opening and closing tags."""

    start: int
    end: int
    open: str
    close: str
    key: str = ""  # lets a caller learn which spans survived nesting


def _crosses(a: Span, b: Span) -> bool:
    """True when the two spans overlap without one containing the other."""
    return a.start < b.end and b.start < a.end and not (
        (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end))


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def nest(layers: list[list[Span]], length: int) -> list[tuple[Span, int]]:
    """Keep the spans that nest: within a layer no overlaps (earlier, then longer, wins), across layers no crossing."""
    kept: list[tuple[Span, int]] = []
    for rank, layer in enumerate(layers):
        mine: list[Span] = []
        for span in sorted(layer, key=lambda s: (s.start, -(s.end - s.start))):
            if not (0 <= span.start < span.end <= length):
                continue
            if any(_overlaps(span, other) for other in mine):
                continue
            if any(_crosses(span, outer) for outer, _ in kept):
                continue
            mine.append(span)
        kept.extend((s, rank) for s in mine)
    return kept


def render(text: str, layers: list[list[Span]], points: list[tuple[int, str]] | None = None) -> Markup:
    """Return `text` escaped, with the spans of `layers` (outermost first) wrapped in their tags.

    `points` are (offset, empty element) pairs, e.g. anchors, inserted before the character at offset.
    """
    spans = sorted(nest(layers, len(text)), key=lambda sr: (sr[0].start, -sr[0].end, sr[1]))
    pending = sorted((p for p in points or () if 0 <= p[0] <= len(text)), key=lambda p: p[0], reverse=True)
    out: list[str] = []
    stack: list[Span] = []
    pos = 0

    def emit(upto: int) -> None:
        nonlocal pos
        while pending and pending[-1][0] <= upto:
            at, element = pending.pop()
            out.append(escape(text[pos:at], quote=False))
            out.append(element)
            pos = at
        out.append(escape(text[pos:upto], quote=False))
        pos = upto

    for span, _ in spans:
        while stack and stack[-1].end <= span.start:
            top = stack.pop()
            emit(top.end)
            out.append(top.close)
        emit(span.start)
        out.append(span.open)
        stack.append(span)
    while stack:
        top = stack.pop()
        emit(top.end)
        out.append(top.close)
    emit(len(text))
    return Markup("".join(out))


def parse_range(value: str | None, length: int) -> tuple[int, int] | None:
    """Read an `hl=START-END` query value; None when malformed, empty or outside the text."""
    if not value or "-" not in value:
        return None
    left, _, right = value.partition("-")
    if not (left.isdigit() and right.isdigit()) or len(left) > 9 or len(right) > 9:
        return None
    start, end = int(left), int(right)
    if not 0 <= start < end <= length:
        return None
    return start, end


def attr(value: object) -> str:
    """Escape a value for use inside a double-quoted attribute."""
    return escape(str(value), quote=True)
