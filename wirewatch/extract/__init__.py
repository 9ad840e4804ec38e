"""Per-article extraction: entities with roles, quantities, claims, time expressions, headline.

`extract_batch` and `extract_article` (in `run`) are loaded on first use: they pull in spaCy, and
the package's light modules (`predicates`, `events`) are also read by code that never parses text,
such as watchlists and the read-only commands, which should not pay spaCy's import.
"""
from __future__ import annotations

__all__ = ["extract_batch", "extract_article"]


def __getattr__(name: str):
    if name in __all__:
        from wirewatch.extract import run

        value = getattr(run, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
