"""Shared helpers for the CLI-level fault tests: a generated news corpus, CLI subprocesses, store checks.

The corpus is invented at test time (names, places, numbers drawn from a seeded generator), so
nothing is tuned to one document and no fixture files live in the repository. Checks read the
SQLite file with the stdlib `sqlite3` (read-only) for what only SQL can see (integrity, dangling
rows) and through the Store API for everything else.
"""
from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

GIVEN = ["Anika", "Tomas", "Leila", "Bruno", "Marisol", "Keanu", "Ilse", "Rafiq", "Odette", "Casimir",
         "Yuki", "Dario", "Fenna", "Hamid", "Greta", "Nnamdi", "Solveig", "Piotr"]
FAMILY = ["Varga", "Okafor", "Lindqvist", "Moreau", "Haddad", "Castell", "Brenner", "Ilunga", "Sato",
          "Petrakis", "Quenneville", "Rask", "Abernathy", "Duval", "Mwangi", "Korhonen"]
TOWNS = ["Lennmouth", "Arnsby", "Corrow", "Skelby", "Harwick", "Dunmere", "Vellon", "Tarrow", "Brisk Hollow",
         "Ostmark", "Kelby Bridge", "Pellam"]
ORGS = ["Lennmouth Port Authority", "Arnsby District Council", "the Northern Rail Union", "Corrow Water Board",
        "the Skelby Fire Service", "Harwick General Hospital", "the Coastal Grain Cooperative", "Vellon Police"]
OUTLETS = ["Harbour Gazette", "Valley Courier", "North Wire", "Tarrow Daily", "Coastline Post", "The Ostmark Ledger"]
EVENTS = [
    ("flood", "Floodwater forced {n} families from their homes in {town} on {day}, {org} said.",
     "Rivers near {town} rose by {m} metres overnight, according to {person}, a spokesperson for {org}."),
    ("strike", "About {n} rail workers walked out in {town} on {day}, {org} said.",
     "{person} of {org} said the strike would last {m} days unless pay talks resumed."),
    ("fire", "A warehouse fire in {town} destroyed {n} tonnes of grain on {day}, {org} said.",
     "{person}, who leads {org}, told reporters that {m} firefighters fought the blaze for hours."),
    ("vote", "Councillors in {town} voted {n} to {m} on {day} to close the old bridge, {org} said.",
     "\"We had no choice,\" said {person}, adding that repairs would cost {n} million euros."),
    ("outbreak", "Health officials in {town} reported {n} new cases of measles on {day}.",
     "{person} of {org} said {m} clinics had extended their opening hours, but denied that schools would close."),
    ("crane", "A crane collapsed at the port of {town} on {day}, injuring {m} workers, {org} said.",
     "Around {n} containers were stranded, {person} told the {outlet}."),
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
FILLER = [
    "Residents gathered outside the town hall to ask for updates.",
    "The regional government has promised an inquiry.",
    "Officials could not confirm the figures independently.",
    "Local shops stayed closed for most of the afternoon.",
    "Traffic was diverted around the centre of {town}.",
    "It was the second such incident this year, records show.",
    "{person} said more information would be released later in the week.",
    "Opposition members called the response too slow.",
]


def make_corpus(directory: Path, count: int = 96, seed: int = 11) -> dict[str, int]:
    """Write `count` invented articles as a mix of .jsonl and .txt files; return {format: articles}.

    Articles come in groups reporting the same invented event from different outlets with varying
    figures, so the store forms multi-article stories (and number conflicts) as real feeds would.
    """
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    records: list[dict] = []
    event_no = 0
    while len(records) < count:
        kind, lead, second = EVENTS[event_no % len(EVENTS)]
        town = TOWNS[(event_no * 5 + rng.randrange(len(TOWNS))) % len(TOWNS)]
        person = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        org = rng.choice(ORGS)
        base_n, base_m = rng.randint(12, 900), rng.randint(2, 40)
        day = rng.choice(DAYS)
        month_day = 1 + event_no % 27
        for version in range(rng.randint(2, 5)):
            if len(records) >= count:
                break
            outlet = OUTLETS[(event_no + version) % len(OUTLETS)]
            n = base_n + rng.choice([0, 0, rng.randint(1, 30)])
            fill = dict(town=town, person=person, org=org, n=n, m=base_m, day=day, outlet=outlet)
            sentences = [lead.format(**fill), second.format(**fill)]
            sentences += [rng.choice(FILLER).format(**fill) for _ in range(rng.randint(1, 4))]
            rng.shuffle(sentences[1:])
            title = f"{kind.capitalize()} in {town}: {rng.choice(['latest', 'update', 'what we know', 'officials respond'])}"
            records.append({"title": f"{title} ({outlet}, report {len(records) + 1})", "text": " ".join(sentences),
                            "outlet": outlet, "published": f"2024-03-{month_day:02d}T{8 + version:02d}:00:00Z"})
        event_no += 1
    counts = {"jsonl": 0, "text": 0}
    for start in range(0, len(records), 12):
        chunk = records[start:start + 12]
        if (start // 12) % 2 == 0:  # even chunks as one JSON Lines file
            (directory / f"feed-{start:03d}.jsonl").write_text(
                "\n".join(json.dumps(r, ensure_ascii=False) for r in chunk) + "\n", encoding="utf-8")
            counts["jsonl"] += len(chunk)
        else:  # odd chunks as one text file per article
            for offset, record in enumerate(chunk):
                (directory / f"story-{start + offset:03d}.txt").write_text(
                    f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")
            counts["text"] += len(chunk)
    return counts


def cli_env(**extra: str) -> dict[str, str]:
    """The environment for a `wirewatch` subprocess: this checkout first on the path, small batches."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("WIREWATCH_DB", None)
    env.setdefault("WIREWATCH_BATCH_SIZE", "8")
    env.update(extra)
    return env


def wirewatch_cmd(*args: str) -> list[str]:
    """argv running the wirewatch CLI of this checkout with the test's interpreter."""
    return [sys.executable, "-m", "wirewatch.cli", *args]


def start_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start the CLI in a subprocess with captured text output."""
    return subprocess.Popen(wirewatch_cmd(*args), env=env or cli_env(), cwd=str(ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the CLI to completion in a subprocess."""
    return subprocess.run(wirewatch_cmd(*args), env=env or cli_env(), cwd=str(ROOT),
                          capture_output=True, text=True, timeout=timeout)


def read_only(db: Path) -> sqlite3.Connection:
    """A read-only stdlib connection to the store file (never creates it, never writes)."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)


def committed_articles(db: Path) -> int:
    """Articles visible to a reader right now; 0 while the file or its schema does not exist yet."""
    if not db.exists():
        return 0
    try:
        conn = read_only(db)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:  # file being created, schema not yet migrated
        return 0


def keyed_tables(db: Path, column: str) -> list[str]:
    """Tables with a `column` column (article_id, story_id), read from the file's schema rather than guessed."""
    conn = read_only(db)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return [n for n in names if not n.startswith("articles_fts")
                and any(col[1] == column for col in conn.execute(f'PRAGMA table_info("{n}")'))]
    finally:
        conn.close()


def check_sound(db: Path) -> None:
    """Assert the file passes SQLite's integrity and foreign-key checks and no row dangles."""
    conn = read_only(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Foreign keys cover only the links the schema declares; check every article and story link.
        links = [(t, "article_id", "articles") for t in keyed_tables(db, "article_id")]
        links += [(t, "story_id", "stories") for t in keyed_tables(db, "story_id")]
        assert len(links) >= 5, links  # the check must not pass by finding no tables
        for table, column, parent in links:
            dangling = conn.execute(
                f'SELECT count(*) FROM "{table}" t WHERE NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = t.{column})'
            ).fetchone()[0]
            assert dangling == 0, f"{dangling} rows of {table} point to no row of {parent}"
    finally:
        conn.close()
    conn = sqlite3.connect(str(db))  # the FTS5 check is spelled as an INSERT, so not on a read-only handle
    try:
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises when out of sync
    finally:
        conn.close()


def extraction_fingerprint(store) -> dict[str, tuple]:
    """Per article id: what extraction alone decides (claim, quantity, time and mention spans).

    Linking (global entity ids) and story-level fields (corroboration, duplicate_of) legitimately
    depend on what else is stored and in what order, so they are left out.
    """
    result = {}
    for analysis in store.iter_analyses():
        result[analysis.article.id] = (
            tuple((c.id, c.start, c.end, c.predicate, c.hedged, c.negated) for c in analysis.claims),
            tuple((q.id, q.start, q.end, q.value) for q in analysis.quantities),
            tuple((t.start, t.end, t.date) for t in analysis.times),
            tuple(sorted((m.start, m.end, m.text) for e in analysis.entities for m in e.mentions)),
        )
    return result


def check_stories_complete(store) -> None:
    """Every stored article is in exactly one story and every story's articles exist."""
    stored = {a.article.id for a in store.iter_analyses()}
    in_stories: list[str] = []
    for story in store.list_stories():
        assert story.articles, story.id
        for aid in story.articles:
            assert aid in stored, f"story {story.id} names missing article {aid}"
        in_stories.extend(story.articles)
    assert len(in_stories) == len(set(in_stories)), "an article is in two stories"
    assert set(in_stories) == stored, f"{len(stored - set(in_stories))} articles in no story"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, interval: float = 0.02) -> bool:
    """Poll `predicate` until true or `timeout` seconds pass; return whether it became true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


# Runs the CLI with one store method patched to SIGKILL the process on its Nth call, so a kill lands
# at an exact point inside a batch's write transaction (which a timer can only hit by luck).
_SELF_KILL = """
import os, signal, sys
from wirewatch.store.sql import SQLStore  # both backends' methods
method, nth = sys.argv[1], int(sys.argv[2])
original, calls = getattr(SQLStore, method), [0]
def dying(self, *args, **kwargs):
    calls[0] += 1
    if calls[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, *args, **kwargs)
setattr(SQLStore, method, dying)
from wirewatch.cli import main
sys.argv = ["wirewatch", *sys.argv[3:]]
main()
"""


def run_cli_killed_at(method: str, nth: int, *args: str, env: dict[str, str] | None = None,
                      timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the CLI until its `nth` call of the store's `<method>` (either backend), where it SIGKILLs itself."""
    return subprocess.run([sys.executable, "-c", _SELF_KILL, method, str(nth), *args], env=env or cli_env(),
                          cwd=str(ROOT), capture_output=True, text=True, timeout=timeout)


def in_process_cli(resources, monkeypatch, **env: str):
    """Return `run(*args)` invoking the `wirewatch` CLI in process (click's CliRunner).

    Batches of 8 unless `env` says otherwise, and the session's already loaded models instead of a
    fresh `Resources()` per command, so a run costs only its own work.
    """
    import wirewatch.pipeline
    from click.testing import CliRunner

    from wirewatch.cli import main

    monkeypatch.delenv("WIREWATCH_DB", raising=False)
    for name, value in {"WIREWATCH_BATCH_SIZE": "8", **env}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(wirewatch.pipeline, "Resources", lambda *args, **kwargs: resources)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, list(args))
