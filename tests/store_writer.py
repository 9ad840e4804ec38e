"""A store writer run as a subprocess by the crash-safety and concurrency tests.

Writes articles `start .. start+count-1` in batches, each batch in one transaction together with
a story holding exactly that batch. Every article gets a fixed number of children (below), so a
test can tell a whole article from a half-written one. Prints "committed N" after each commit.

    python tests/store_writer.py DB --start 0 --count 200 --batch 20 [--pause-in-batch K] [--spill]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from a checkout, not installed

from wirewatch.model import (  # noqa: E402
    Article, ArticleAnalysis, Attribution, Claim, Entity, Mention, Quantity, Story, TimeExpression,
)
from wirewatch.store import open_store  # noqa: E402

CLAIMS, MENTIONS, QUANTITIES, TIMES = 3, 4, 2, 1  # children per article
PEOPLE = ["Oren Dask", "Lia Ferrow", "Tamsin Okoro", "Bek Valen", "Ruth Amsel", "Joss Kettle", "Nadia Prill"]


def article_id(i: int) -> str:
    return f"w{i:05d}"


def make_analysis(i: int) -> ArticleAnalysis:
    """Article i: two entities mentioned twice each, three claims, two quantities, one date."""
    aid = article_id(i)
    person = PEOPLE[i % len(PEOPLE)]
    text = (f"{person} said {i} workers left the Kessra dam site. Engineers at Kessra counted {i + 7} cracks. "
            f"{person} blamed the contractor on Friday, report {i}.")
    first, second = text.index(person), text.rindex(person)
    k1, k2 = text.index("Kessra"), text.rindex("Kessra")
    entities = [
        Entity(id=f"E-p{i % len(PEOPLE)}", name=person, type="person",
               mentions=[Mention(aid, first, first + len(person), person), Mention(aid, second, second + len(person), person)]),
        Entity(id="E-kessra", name="Kessra", type="place",
               mentions=[Mention(aid, k1, k1 + 6, "Kessra"), Mention(aid, k2, k2 + 6, "Kessra")]),
    ]
    n1, n2 = text.index(f" {i} ") + 1, text.index(f"{i + 7} cracks")
    quantities = [
        Quantity(id=f"{aid}-q0", article=aid, text=str(i), start=n1, end=n1 + len(str(i)), value=float(i), counted="workers"),
        Quantity(id=f"{aid}-q1", article=aid, text=str(i + 7), start=n2, end=n2 + len(str(i + 7)), value=float(i + 7), counted="cracks"),
    ]
    claims = [
        Claim(id=f"{aid}-c{k}", article=aid, text=text[:30], start=0, end=30, predicate=f"p{k}", subject=entities[0].id,
              object="E-kessra", attribution=Attribution(kind="named", source=person, entity=entities[0].id))
        for k in range(CLAIMS)
    ]
    friday = text.index("Friday")
    times = [TimeExpression(aid, friday, friday + 6, "Friday", date="2024-05-03")]
    article = Article(id=aid, title=f"Kessra dam report {i}", text=text, outlet=f"Outlet {i % 3}",
                      published=f"2024-05-{1 + i % 28:02d}", raw=text.encode())
    return ArticleAnalysis(article=article, entities=entities, quantities=quantities, claims=claims, times=times)


def check_consistent(db: str, batch: int | None = None) -> dict[str, int]:
    """Assert the store at `db` is sound and holds only whole articles; return its counts.

    Sound: SQLite integrity and foreign-key checks pass and the full-text index matches its
    table. Whole: every article has all its children and a story, entity mention counters
    equal the stored mentions, and (when `batch` is given) only complete batches are visible.
    """
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if out of sync
    finally:
        conn.close()
    with open_store(db) as store:
        counts = store.counts()
        n = counts["articles"]
        assert (counts["claims"], counts["mentions"], counts["quantities"], counts["times"]) == (
            CLAIMS * n, MENTIONS * n, QUANTITIES * n, TIMES * n)
        for analysis in store.iter_analyses():
            aid = analysis.article.id
            assert analysis == _without_raw(make_analysis(int(aid[1:]))), aid
            assert store.story_of_article(aid) is not None, aid
        stories = store.list_stories()
        assert sum(len(s.articles) for s in stories) == n
        if batch is not None:
            assert n % batch == 0 and all(len(s.articles) == batch for s in stories)
        entity_ids = [e.id for e in store.list_entities()]
        assert store.entity_mention_counts(entity_ids) == {e: len(store.get_entity(e).mentions) for e in entity_ids}
    return counts


def _without_raw(analysis: ArticleAnalysis) -> ArticleAnalysis:
    analysis.article.raw = None
    return analysis


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--pause-in-batch", type=int, default=-1, help="sleep mid-way through this batch, lock held")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to sleep between batches")
    parser.add_argument("--busy-timeout", type=float, default=30.0)
    parser.add_argument("--spill", action="store_true", help="tiny page cache, so uncommitted pages reach the WAL")
    args = parser.parse_args(argv)

    added = skipped = 0
    with open_store(args.db, busy_timeout=args.busy_timeout) as store:
        if args.spill:
            store._conn.execute("PRAGMA cache_size = 8")  # test-only knob: force writes before COMMIT
        ids = range(args.start, args.start + args.count)
        for number, first in enumerate(range(ids.start, ids.stop, args.batch)):
            batch = list(range(first, min(first + args.batch, ids.stop)))
            with store.transaction():
                stored = []
                for position, i in enumerate(batch):
                    if number == args.pause_in_batch and position == len(batch) // 2:
                        print("paused", flush=True)
                        time.sleep(60)
                    if store.add_analysis(make_analysis(i)):
                        stored.append(article_id(i))
                if stored:
                    story_id = f"s-{stored[0]}"
                    store.save_story(Story(id=story_id, title=f"Batch from {stored[0]}", articles=stored,
                                           last_published="2024-05-28"))
                    store.set_story_features(story_id, {"place:kessra": 1.0, f"batch:{first}": 1.0}, "2024-05-28")
            added += len(stored)
            skipped += len(batch) - len(stored)
            print(f"committed {number + 1}", flush=True)
            if args.delay:
                time.sleep(args.delay)
    print(f"done added={added} skipped={skipped}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
