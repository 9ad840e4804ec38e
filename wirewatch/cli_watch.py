"""Command-line commands for live monitoring: `watch`, `watchlist add|list|remove`, `alerts`.

Registered on the main group by `wirewatch.cli`, which passes its shared options in (so this
module does not import `cli` back). Library errors become `click.ClickException` as elsewhere.
"""
from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from wirewatch.watch import DEFAULT_DELAY, DEFAULT_EVERY, DEFAULT_TIMEOUT


def _say(line: str) -> None:
    click.echo(line, err=True)


def _since(value: str | None) -> str | None:
    from wirewatch.alerts.match import utc_iso
    from wirewatch.errors import WirewatchError

    try:
        return utc_iso(value) if value is not None else None
    except WirewatchError as exc:
        raise click.BadParameter(str(exc), param_hint="--since") from None


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    """Ctrl-C (or SIGTERM) once: finish the current article, then stop. Twice: stop at once."""

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        _say("wirewatch: stopping after the current article (Ctrl-C again to stop at once)")

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def add_commands(main: click.Group, db_option, json_option, errors_to_click: Callable, open_ww: Callable) -> None:
    """Define the monitoring commands on `main` with the CLI's shared --db / --json options."""

    @main.command()
    @click.argument("sources", nargs=-1, required=True)
    @db_option
    @click.option("--every", default=DEFAULT_EVERY, show_default=True, type=click.FloatRange(min=1),
                  help="Seconds between polls (without --once).")
    @click.option("--once", is_flag=True, help="Poll once and exit (status 1 when any item failed).")
    @click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0.1),
                  help="Seconds allowed for each request, redirects included.")
    @click.option("--delay", default=DEFAULT_DELAY, show_default=True, type=click.FloatRange(min=0),
                  help="Seconds between two requests to the same host (a longer robots.txt Crawl-delay wins).")
    @click.option("--webhook", metavar="URL", help="POST each new alert to this URL as JSON (timeout and retries).")
    @errors_to_click
    def watch(sources: tuple[str, ...], db: str | None, every: float, once: bool, timeout: float, delay: float,
              webhook: str | None) -> None:
        """Watch feeds: poll SOURCES and store each new item's article.

        A SOURCE is an RSS/Atom feed URL, an OPML file of feeds, or a text file with one feed URL
        per line. Each poll reads the feeds (conditional GET) and fetches each new item's page,
        respecting robots.txt with a per-host delay. Failed pages are reported on stderr and retried
        on later polls; non-article content (PDF, images) is rejected. Ctrl-C finishes the current
        article and stops.
        """
        from wirewatch.alerts.webhook import deliver
        from wirewatch.watch import Fetcher, Politeness, SourceProblem, feed_urls
        from wirewatch.watch.poll import Watcher
        from wirewatch.watch.sources import is_url

        if webhook and not is_url(webhook):
            raise click.BadParameter(f"{webhook!r} is not an http(s) URL", param_hint="--webhook")
        feeds: list[str] = []
        bad_sources = 0
        for source in sources:
            try:
                feeds.extend(u for u in feed_urls(source) if u not in feeds)
            except SourceProblem as exc:
                _say(f"wirewatch: rejected {source}: {exc}")
                bad_sources += 1
        if not feeds:
            raise click.ClickException("no feed to watch")
        stop = threading.Event()
        with _stop_on_signals(stop), open_ww(db) as ww, Fetcher(timeout=timeout) as fetcher:
            watcher = Watcher(ww, fetcher, Politeness(fetcher, delay=delay), say=_say, stop=stop, webhook=bool(webhook))
            while True:
                report = watcher.poll(feeds)
                _say(f"wirewatch: {report.summary()}")
                if webhook:
                    sent = deliver(ww.store, webhook, timeout=min(timeout, 10.0), report=_say)
                    if sent:
                        _say(f"wirewatch: {sent} alert{'s' if sent != 1 else ''} posted to {webhook}")
                if once or stop.is_set() or stop.wait(every):
                    break
        if once and (report.problems or bad_sources):
            sys.exit(1)

    @main.group()
    def watchlist() -> None:
        """Watchlists: what new reporting should raise an alert for."""

    @watchlist.command("add")
    @click.argument("name")
    @click.option("--entity", help="An actor, organization, group or place, by name or alias.")
    @click.option("--text", help="Words that must all appear (a phrase is cited where they are adjacent).")
    @click.option("--event", metavar="PLOVER_TYPE", help="A claim of this event type (e.g. PROTEST, ASSAULT, AID).")
    @click.option("--near", metavar="PLACE", help="A place mentioned within --km of PLACE (offline gazetteer).")
    @click.option("--km", type=click.FloatRange(min=0, min_open=True), help="Radius for --near, in kilometres.")
    @click.option("--existing", is_flag=True, help="Also match the articles already stored (alerts for those too).")
    @db_option
    @errors_to_click
    def watchlist_add(name, entity, text, event, near, km, existing, db) -> None:
        """Add watchlist NAME; every criterion given must match.

        From then on, each ingest or poll matches its new articles, claims and conflicts against it.
        """
        from wirewatch.alerts.match import now_iso, raise_alerts
        from wirewatch.alerts.watchlists import Watchlist, add_watchlist, gazetteer_lookup

        if (near is None) != (km is None):
            raise click.UsageError("--near and --km go together")
        wanted = Watchlist(name=name, entity=entity, text=text, event=event,
                           near={"name": near, "km": km} if near else None, created=now_iso())
        with open_ww(db) as ww:
            added = add_watchlist(ww.store, wanted, place_lookup=gazetteer_lookup)
            raised: list[dict] = []
            offset = 0
            while existing:  # a page of stored articles at a time: memory stays flat on a large store
                page = [a.id for a in ww.store.list_articles(limit=500, offset=offset)]
                if not page:
                    break
                raised += raise_alerts(ww.store, page, only=added.name)
                offset += len(page)
        click.echo(f"watchlist {added.name}: {added.describe()}")
        if existing:
            click.echo(f"{len(raised)} alerts for stored articles (wirewatch alerts)", err=True)

    @watchlist.command("list")
    @db_option
    @json_option
    @errors_to_click
    def watchlist_list(db, as_json) -> None:
        """List watchlists."""
        import json

        from wirewatch.alerts.watchlists import list_watchlists

        with open_ww(db) as ww:
            found = list_watchlists(ww.store)
        if as_json:
            click.echo(json.dumps([w.to_dict() for w in found], ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo("no watchlists: add one with `wirewatch watchlist add NAME --text WORDS`")
        for item in found:
            click.echo(f"{item.name}: {item.describe()}")

    @watchlist.command("remove")
    @click.argument("name")
    @db_option
    @errors_to_click
    def watchlist_remove(name, db) -> None:
        """Remove watchlist NAME (the alerts it raised are kept)."""
        from wirewatch.alerts.watchlists import remove_watchlist

        with open_ww(db) as ww:
            remove_watchlist(ww.store, name)
        click.echo(f"removed watchlist {name}", err=True)

    @main.command()
    @db_option
    @click.option("--since", help="Only alerts raised at or after this ISO date or time (UTC unless it says).")
    @click.option("--limit", default=200, show_default=True, type=click.IntRange(min=1))
    @json_option
    @errors_to_click
    def alerts(db, since, limit, as_json) -> None:
        """Alerts raised by watchlists, newest first, each citing its article and span."""
        import json

        with open_ww(db) as ww:
            found = ww.store.list_alerts(since=_since(since), limit=limit)
        if as_json:
            click.echo(json.dumps(found, ensure_ascii=False, indent=2))
            return
        if not found:
            click.echo("no alerts")
        for alert in found:
            article = alert["article"]
            click.echo(f"{alert['created']}  [{alert['watchlist']}] {alert['kind']}: {article['title']}"
                       f"  ({article.get('outlet') or 'unknown outlet'}, {article['id']})")
            span = alert["span"]
            click.echo(f"    {span['field']} {span['start']}-{span['end']}: {span['text']}")
