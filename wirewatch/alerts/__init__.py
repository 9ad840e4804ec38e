"""Watchlists and the alerts they raise: what an analyst wants to hear about in new reporting.

A watchlist names an entity, words, an event type and/or a place with a radius; every criterion
given must hold. After each ingest or poll, `raise_alerts` matches the new articles (their claims,
and the conflicts of the stories they joined) and stores one alert per match, citing the article
and the exact span. Alerts can be listed, served as JSON and Atom, and POSTed to a webhook.
"""
from __future__ import annotations

from wirewatch.alerts.match import raise_alerts
from wirewatch.alerts.watchlists import Watchlist, add_watchlist, list_watchlists, remove_watchlist

__all__ = ["Watchlist", "add_watchlist", "list_watchlists", "remove_watchlist", "raise_alerts"]
