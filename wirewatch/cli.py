"""The `wirewatch` command line: a thin click layer that parses, calls the library and formats.

Library errors (`WirewatchError`) become `click.ClickException` here and nowhere else.
"""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable

import click

from wirewatch import __version__
from wirewatch.cli_watch import add_commands as add_watch_commands
from wirewatch.config import NLP_MODEL, Limits, default_db_path
from wirewatch.errors import WirewatchError

DB_OPTION = click.option(
    "--db",
    "db",
    envvar="WIREWATCH_DB",
    default=None,
    show_envvar=True,
    help="SQLite store file, or a PostgreSQL URL postgresql://USER@HOST:PORT/DBNAME. "
         "Default: $WIREWATCH_DB, else wirewatch.db in the per-user data directory.",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _errors_to_click(func: Callable) -> Callable:
    """Turn library errors into a one-line message and exit status 1."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except WirewatchError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _open(db: str | None, resources=None):
    from wirewatch.pipeline import Wirewatch

    return Wirewatch(db or default_db_path(), resources=resources)


def _progress(paths: tuple[str, ...], label: str):
    """A progress bar over input files on stderr, silent when stderr is not a terminal."""
    from wirewatch.ingest import expand_paths

    total = len(expand_paths(paths))
    return click.progressbar(length=total, label=label, file=sys.stderr,
                             hidden=not sys.stderr.isatty())


def _shown(db: str) -> str:
    """A --db value fit to print: a server URL loses its password."""
    from wirewatch.store.postgres import redacted

    return redacted(db)


def _report_rejections(rejected) -> None:
    for rejection in rejected:
        click.echo(f"wirewatch: rejected {rejection}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wirewatch")
def main() -> None:
    """Turn news reports into a sourced, cross-checked picture: who does what, where, who says so."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@DB_OPTION
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True, envvar="WIREWATCH_WORKERS",
              help="Extraction processes. Above 1, a local Dask cluster of that many workers; 1 runs in this process.")
@click.option("--scheduler", envvar="WIREWATCH_SCHEDULER", metavar="tcp://HOST:PORT",
              help="Extract on an existing Dask cluster (its workers need wirewatch installed) instead.")
@_errors_to_click
def ingest(paths: tuple[str, ...], db: str | None, workers: int, scheduler: str | None) -> None:
    """Read PATHS (files, directories, or - for stdin) into the store.

    Text, HTML, RSS/Atom feeds and JSON Lines are recognised. Articles already stored are skipped;
    stories update incrementally. Unusable inputs are reported on stderr and the exit status is 1.
    Linking, stories and storing run here, batch by batch, whatever the number of workers.
    """
    from wirewatch.resources import Resources
    from wirewatch.workers import start_extractor, StatusLine

    resources = Resources()
    # Workers first: they fork from this process with its models, before it opens the store.
    with start_extractor(workers, scheduler, resources) as extractor, _open(db, resources) as ww:
        ww.extractor = extractor
        ww.after_batch = status = StatusLine(extractor)
        report = ww.ingest(paths)
        status.done()
    _report_rejections(report.rejected)
    click.echo(f"{len(report.added)} added, {len(set(report.duplicates))} already stored, "
               f"{len(report.rejected)} rejected", err=True)
    if report.alerts:
        click.echo(f"{len(report.alerts)} new alerts (wirewatch alerts)", err=True)
    if report.rejected:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@JSON_OPTION
@click.option("--with-text", is_flag=True, help="Include each article's body text (the text offsets index).")
@_errors_to_click
def analyze(paths: tuple[str, ...], as_json: bool, with_text: bool) -> None:
    """Analyse PATHS without keeping anything; `--json` prints the contract document."""
    from wirewatch.pipeline import Wirewatch, analyze_with
    from wirewatch.stories.render import render_story

    with Wirewatch(":memory:") as ww:
        with _progress(paths, "analysing") as bar:
            result, report = analyze_with(ww, paths, progress=bar.update)
        _report_rejections(report.rejected)
        if as_json:
            _echo_json(result.to_dict(with_text=with_text))
        else:
            click.echo(f"{len(result.articles)} articles, {len(result.entities)} entities, "
                       f"{len(result.claims)} claims, {len(result.stories)} stories")
            for story in result.stories:
                click.echo()
                click.echo(render_story(story, ww.store, color=sys.stdout.isatty()))
    if report.rejected:
        sys.exit(1)


def _story_line(story) -> str:
    """One line per story: id, size, outlets, conflicts, title."""
    conflicts = f", {len(story.conflicts)} conflicts" if story.conflicts else ""
    return (f"{story.id}  {len(story.articles)} reports, {len(story.outlets)} outlets{conflicts}  "
            f"{story.title}")


@main.command()
@click.argument("query")
@DB_OPTION
@click.option("--limit", default=20, show_default=True, help="Most results shown.")
@JSON_OPTION
@_errors_to_click
def search(query: str, db: str | None, limit: int, as_json: bool) -> None:
    """Full-text search over stored titles and bodies (SQLite FTS5 syntax)."""
    with _open(db) as ww:
        hits = ww.store.search(query, limit=limit)
    if as_json:
        _echo_json([{"article": h.article.to_dict(), "snippet": h.snippet, "score": h.score} for h in hits])
        return
    if not hits:
        click.echo("no matches")
    for hit in hits:
        click.echo(f"{hit.article.id}  {hit.article.title}  [{hit.article.outlet or 'unknown outlet'}]")
        click.echo(f"    {hit.snippet}")


@main.command()
@DB_OPTION
@JSON_OPTION
@_errors_to_click
def info(db: str | None, as_json: bool) -> None:
    """Version, NLP model, store location and counts, and the input limits in force."""
    path = db or default_db_path()
    with _open(path) as ww:
        counts = ww.store.counts()
    data = {"wirewatch_version": __version__, "nlp_model": NLP_MODEL, "db": _shown(path), **counts,
            "limits": {name: getattr(Limits(), name) for name, _ in Limits.describe()}}
    if as_json:
        _echo_json(data)
        return
    for key, value in data.items():
        click.echo(f"{key}: {value}")


@main.command()
@DB_OPTION
@click.option("--limit", default=50, show_default=True, help="Most stories listed.")
@click.option("--snapshots", is_flag=True, help="Print each story's snapshot, conflicts and timeline.")
@JSON_OPTION
@_errors_to_click
def stories(db: str | None, limit: int, snapshots: bool, as_json: bool) -> None:
    """Stories in the store, most recent first."""
    from wirewatch.stories.render import render_story

    with _open(db) as ww:
        found = ww.store.list_stories(limit=limit)
        if as_json:
            _echo_json([s.to_dict() for s in found])
            return
        if not found:
            click.echo("no stories yet: run `wirewatch ingest PATH`")
        for story in found:
            click.echo(render_story(story, ww.store, color=sys.stdout.isatty()) + "\n" if snapshots else _story_line(story))


@main.command()
@click.argument("story_id")
@DB_OPTION
@JSON_OPTION
@_errors_to_click
def story(story_id: str, db: str | None, as_json: bool) -> None:
    """One story: snapshot with citations, conflicts and timeline."""
    from wirewatch.stories.merge import surviving_story
    from wirewatch.stories.render import render_story

    with _open(db) as ww:
        found = surviving_story(ww.store, story_id)  # a merged-away id shows the story it joined
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2) if as_json else render_story(found, ww.store))


@main.command()
@DB_OPTION
@click.option("--type", "type_", type=click.Choice(["person", "organization", "group", "place", "other"]),
              help="Only entities of this type.")
@click.option("--name", help="Only entities whose name contains this text.")
@click.option("--limit", default=100, show_default=True)
@JSON_OPTION
@_errors_to_click
def entities(db: str | None, type_: str | None, name: str | None, limit: int, as_json: bool) -> None:
    """Actors, organizations, groups and places linked across reports."""
    with _open(db) as ww:
        found = ww.store.list_entities(type=type_, name=name, limit=limit)
        counts = ww.store.entity_mention_counts([e.id for e in found])
    if as_json:
        _echo_json([{**e.to_dict(), "mention_count": counts.get(e.id, 0)} for e in found])
        return
    for entity in found:
        roles = f" — {'; '.join(entity.roles)}" if entity.roles else ""
        sector = f" [{entity.sector}{', ' + entity.country if entity.country else ''}]" if entity.sector else ""
        click.echo(f"{entity.id}  {entity.type:<12} {entity.name}{sector} ({counts.get(entity.id, 0)} mentions){roles}")


@main.command()
@DB_OPTION
@click.option("--entity", "entity_name", help="Only claims by or about entities with this name.")
@click.option("--story", "story_id", help="Only claims of this story.")
@JSON_OPTION
@_errors_to_click
def claims(db: str | None, entity_name: str | None, story_id: str | None, as_json: bool) -> None:
    """Claims with their attribution, hedging and negation."""
    with _open(db) as ww:
        if entity_name:
            matches = ww.store.list_entities(name=entity_name)
            if not matches:
                raise click.ClickException(f"no entity named like {entity_name!r}")
            found, seen = [], set()
            for entity in matches:
                for claim in ww.store.list_claims(entity=entity.id, story=story_id):
                    if claim.id not in seen:
                        seen.add(claim.id)
                        found.append(claim)
        else:
            found = ww.store.list_claims(story=story_id)
    if as_json:
        _echo_json([c.to_dict() for c in found])
        return
    for claim in found:
        flags = [claim.predicate, f"attribution={claim.attribution.kind}"]
        if claim.attribution.source:
            flags[-1] += f" ({claim.attribution.source})"
        if claim.hedged:
            flags.append("hedged")
        if claim.negated:
            flags.append("negated")
        click.echo(f"{claim.id}  [{', '.join(flags)}]\n    {claim.text}")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "graphml", "ftm"]), required=True,
              help="ftm: FollowTheMoney entities for Aleph (needs the followthemoney package).")
@click.option("--story", "story_id", help="Only this story.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Output file (default stdout).")
@DB_OPTION
@_errors_to_click
def export(fmt: str, story_id: str | None, output: str | None, db: str | None) -> None:
    """Export the store (or one story) as JSON Lines, CSV, GeoJSON, GraphML or FollowTheMoney."""
    from wirewatch.export.formats import export_store

    with _open(db) as ww:
        data = export_store(ww.store, fmt, story_id=story_id)
    if output:
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(data, nl=False)


@main.command()
@click.argument("story_id", required=False)
@click.option("--all", "all_stories", is_flag=True, help="Every story in the store, in one file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@DB_OPTION
@_errors_to_click
def report(story_id: str | None, all_stories: bool, output: str, db: str | None) -> None:
    """Write a self-contained HTML report of one story (or --all) that can be mailed as a file."""
    from wirewatch.export.report import write_report

    if not story_id and not all_stories:
        raise click.UsageError("give a STORY_ID or --all")
    with _open(db) as ww:
        write_report(ww.store, output, story_id=None if all_stories else story_id)
    click.echo(f"wrote {output}", err=True)


@main.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; the default is local only.")
@click.option("--port", default=8080, show_default=True)
@click.option("--allow-ingest", is_flag=True, help="Accept new articles over HTTP (POST /api/articles), with size limits.")
@_errors_to_click
def serve(db: str | None, host: str, port: int, allow_ingest: bool) -> None:
    """Serve the web UI and the JSON API (read-only unless --allow-ingest)."""
    import uvicorn

    from wirewatch.api.app import create_app

    app = create_app(db or default_db_path(), allow_ingest=allow_ingest)
    click.echo(f"wirewatch serving {_shown(db or default_db_path())} on http://{host}:{port}", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


add_watch_commands(main, DB_OPTION, JSON_OPTION, _errors_to_click, _open)


if __name__ == "__main__":
    main()
