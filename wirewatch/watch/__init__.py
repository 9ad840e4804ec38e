"""Live monitoring: `wirewatch watch` polls RSS/Atom feeds and fetches each new item's page.

`fetch` is the bounded HTTP client, `polite` the robots.txt rules and per-host delay, `sources`
reads SOURCE arguments (feed URLs, OPML, text files) and feed documents, and `poll` runs one poll
into the store. Nothing here runs unless asked: wirewatch is offline-first. Submodules are
imported on first use, so the command line starts without loading the HTTP client.
"""
from __future__ import annotations

import importlib

DEFAULT_TIMEOUT = 20.0  # seconds for a whole request, redirects included (`--timeout`)
DEFAULT_DELAY = 1.0  # seconds between two requests to one host (`--delay`)
DEFAULT_EVERY = 900.0  # seconds between polls (`--every`)

_EXPORTS = {
    "USER_AGENT": "fetch", "FetchError": "fetch", "Fetcher": "fetch", "Politeness": "polite",
    "SourceProblem": "sources", "feed_urls": "sources", "Watcher": "poll", "PollReport": "poll",
}
__all__ = ["DEFAULT_TIMEOUT", "DEFAULT_DELAY", "DEFAULT_EVERY", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(f"wirewatch.watch.{_EXPORTS[name]}"), name)
    raise AttributeError(name)
