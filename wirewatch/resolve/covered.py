"""Character spans of one text, asked whether a new span overlaps any of them, in one slice.

Mention completion and the place scan test every candidate name against every mention already
found (`any(s < end and start < e ...)`): quadratic in a long report. A byte per character answers
the same question with one C-level search.
"""
from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Covered"]


class Covered:
    """A set of [start, end) spans; `overlaps(start, end)` is `any(s < end and start < e)` over them."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._mask = bytearray()
        self._points: list[int] = []  # empty spans: they cover no character, but one strictly inside overlaps
        self._spans: list[tuple[int, int]] = []  # as given, for the rare empty query
        for start, end in spans:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        """Cover [start, end)."""
        self._spans.append((start, end))
        if end <= start:
            self._points.append(start)
            return
        if end > len(self._mask):
            self._mask.extend(bytes(end - len(self._mask)))
        self._mask[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) shares a character with a covered span (or holds an empty one)."""
        if end <= start:  # an empty query: the pairwise test itself
            return any(s < end and start < e for s, e in self._spans)
        return self._mask.find(1, max(0, start), end) >= 0 or any(start < p < end for p in self._points)
