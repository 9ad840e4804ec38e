"""Watchlists: named criteria kept in the store (one JSON document under the state key "watchlists").

Watchlists are few and small, so they live in the store's key-value state rather than in a table
of their own; every change is a read-modify-write inside one store transaction, so two commands
adding watchlists at once cannot lose one.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from wirewatch.errors import WirewatchError
from wirewatch.extract.predicates import EXTENSION_TYPES, PLOVER_TYPES
from wirewatch.store import Store

STATE_KEY = "watchlists"
EVENT_TYPES = PLOVER_TYPES + EXTENSION_TYPES
_NAME = re.compile(r"^[\w .:@()-]{1,80}$")


class WatchlistError(WirewatchError):
    """A watchlist cannot be created or removed as asked."""


@dataclass
class Watchlist:
    """What to watch for; every criterion given must match. `near` is {name, lat, lon, km}."""

    name: str
    entity: str | None = None
    text: str | None = None
    event: str | None = None
    near: dict | None = None
    created: str | None = None
    words: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.words = _words(self.text) if self.text else []

    def to_dict(self) -> dict:
        data = asdict(self)
        del data["words"]
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict) -> "Watchlist":
        return cls(**{k: data.get(k) for k in ("name", "entity", "text", "event", "near", "created")})

    def describe(self) -> str:
        """One line saying what the watchlist fires on."""
        parts = []
        if self.entity:
            parts.append(f"entity {self.entity!r}")
        if self.text:
            parts.append(f"words {self.text!r}")
        if self.event:
            parts.append(f"event {self.event}")
        if self.near:
            parts.append(f"within {self.near['km']:g} km of {self.near['name']}")
        return " and ".join(parts)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+(?:['’.-]\w+)*", text)]


def list_watchlists(store: Store) -> list[Watchlist]:
    """Every watchlist, by name."""
    data = store.get_state(STATE_KEY) or {}
    return [Watchlist.from_dict(data[name]) for name in sorted(data)]


def add_watchlist(store: Store, watchlist: Watchlist, place_lookup=None) -> Watchlist:
    """Validate and store a new watchlist; `place_lookup(name) -> (lat, lon, label)` resolves `near`."""
    name = watchlist.name.strip()
    if not _NAME.match(name):
        raise WatchlistError(f"watchlist name {watchlist.name!r}: use 1-80 letters, digits, spaces or . : @ ( ) - _")
    watchlist.name = name
    if watchlist.event:
        watchlist.event = watchlist.event.strip().upper()
        if watchlist.event not in EVENT_TYPES:
            raise WatchlistError(f"unknown event type {watchlist.event!r}; expected one of {', '.join(EVENT_TYPES)}")
    if watchlist.text is not None and not watchlist.words:
        raise WatchlistError("--text needs at least one word")
    if watchlist.entity is not None and not watchlist.entity.strip():
        raise WatchlistError("--entity needs a name")
    if watchlist.near:
        km = watchlist.near.get("km")
        if km is None or not (0 < float(km) <= 20_000):
            raise WatchlistError("--near needs --km with a distance between 0 and 20,000 km")
        if "lat" not in watchlist.near:
            if place_lookup is None:
                raise WatchlistError("no gazetteer to find --near place")
            found = place_lookup(watchlist.near["name"])
            if found is None:
                raise WatchlistError(f"place {watchlist.near['name']!r} is not in the gazetteer")
            lat, lon, label = found
            watchlist.near = {"name": label, "lat": lat, "lon": lon, "km": float(km)}
    if not (watchlist.entity or watchlist.text or watchlist.event or watchlist.near):
        raise WatchlistError("a watchlist needs at least one of --entity, --text, --event, --near")
    with store.transaction():
        data = store.get_state(STATE_KEY) or {}
        if name in data:
            raise WatchlistError(f"a watchlist named {name!r} exists; remove it first")
        data[name] = watchlist.to_dict()
        store.set_state(STATE_KEY, data)
    return watchlist


def remove_watchlist(store: Store, name: str) -> None:
    """Delete a watchlist (its alerts stay); raise WatchlistError when there is none by that name."""
    with store.transaction():
        data = store.get_state(STATE_KEY) or {}
        if name not in data:
            raise WatchlistError(f"no watchlist named {name!r}")
        del data[name]
        store.set_state(STATE_KEY, data)


def gazetteer_lookup(name: str) -> tuple[float, float, str] | None:
    """The most prominent gazetteer place called `name`: (lat, lon, "Name, CC")."""
    from wirewatch.resolve.gazetteer import Gazetteer

    places = Gazetteer.load().lookup(name)
    if not places:
        return None
    best = max(places, key=lambda p: p.population)
    return best.lat, best.lon, f"{best.name}, {best.country}" if best.country else best.name
