"""Scale-out with real components: a throw-away PostgreSQL server and a Dask LocalCluster.

On the shipped sample corpus, in batches of 8 so incremental linking and story clustering see
several batches: SQLite and PostgreSQL stores hold identical articles, entities, claims and story
partitions; `--workers 2` stores exactly what `--workers 1` stores; an ingest into PostgreSQL
killed with SIGKILL (from outside, and from inside a batch's open transaction) then re-run stores
every article once, with the stories of a clean run. Two writers sharing one database through
threads interleave batch by batch without losing or doubling anything.
"""
from __future__ import annotations

import copy
import os
import signal
import threading

import pytest

from tests.conftest import SAMPLES
from tests.helpers_faults import cli_env, run_cli, run_cli_killed_at, start_cli, wait_until
from tests.store_compare import fingerprint
from wirewatch.config import Limits
from wirewatch.extract_steps import extract_guarded
from wirewatch.pipeline import Wirewatch
from wirewatch.store import open_store

BATCH = 8


class Recorded:
    """An extractor that extracts each batch once and hands out copies, so each store costs only its own work."""

    def __init__(self, resources):
        self.resources = resources
        self.cache: dict[tuple, tuple] = {}
        self.lock = threading.Lock()

    def map(self, batches):
        for batch in batches:
            key = tuple(a.id for a in batch)
            with self.lock:
                if key not in self.cache:
                    self.cache[key] = extract_guarded(copy.deepcopy(batch), self.resources)
                result = copy.deepcopy(self.cache[key])
            yield batch, result


@pytest.fixture(scope="module")
def recorded(resources):
    return Recorded(resources)


def ingest(db: str, recorded: Recorded, paths=(str(SAMPLES),)):
    with Wirewatch(db, resources=recorded.resources, limits=Limits(batch_size=BATCH), extractor=recorded) as ww:
        report = ww.ingest(list(paths))
        return report, fingerprint(ww.store)


@pytest.fixture(scope="module")
def reference(recorded, tmp_path_factory):
    """A clean in-process ingest of the sample corpus into SQLite."""
    report, print_ = ingest(str(tmp_path_factory.mktemp("ref") / "clean.db"), recorded)
    assert report.added and not report.rejected
    return print_


def test_sqlite_and_postgres_store_identical_results(reference, recorded, pg_url):
    report, stored = ingest(pg_url, recorded)
    assert len(report.added) == len(reference["articles"])
    for part in ("articles", "entities", "mention_counts", "claims", "stories", "counts"):
        assert stored[part] == reference[part], part
    assert len(stored["stories"]) > 1 and any(len(s) > 1 for s in stored["stories"])


def test_search_finds_the_same_articles_in_both_backends(reference, recorded, pg_url, tmp_path):
    ingest(pg_url, recorded)
    ingest(str(tmp_path / "s.db"), recorded)
    with open_store(pg_url) as pg, open_store(str(tmp_path / "s.db")) as lite:
        for query in ("missile", "strike AND port", "Kenya", "copper OR jewels", '"apartment building"'):
            found = {h.article.id for h in pg.search(query, limit=100)}
            assert found and found == {h.article.id for h in lite.search(query, limit=100)}, query


def test_two_writers_share_one_postgres_database(reference, recorded, pg_url):
    """Two processes' worth of writers (own connections, threads) ingest overlapping inputs at once."""
    from wirewatch.ingest import expand_paths

    files = expand_paths([str(SAMPLES)])  # what a directory walk reads (no MANIFEST.json, STORIES.md)
    halves = [files[: len(files) * 2 // 3], files[len(files) // 3:]]
    errors = []

    def run(paths):
        try:
            with Wirewatch(pg_url, resources=recorded.resources, limits=Limits(batch_size=BATCH),
                           extractor=recorded) as ww:
                ww.ingest(paths)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(h,)) for h in halves]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    with open_store(pg_url) as store:
        got = fingerprint(store)
    assert got["counts"]["articles"] == len(reference["articles"])
    assert [a["id"] for a in got["articles"]] == [a["id"] for a in reference["articles"]]
    assert got["counts"]["mentions"] == reference["counts"]["mentions"]  # no article's mentions twice
    in_stories = [a for s in got["stories"] for a in s]
    assert sorted(in_stories) == sorted(a["id"] for a in reference["articles"])


def test_workers_2_store_what_workers_1_stores(reference, tmp_path):
    db = tmp_path / "w2.db"
    done = run_cli("ingest", str(SAMPLES), "--db", str(db), "--workers", "2",
                   env=cli_env(WIREWATCH_BATCH_SIZE=str(BATCH)), timeout=600)
    assert done.returncode == 0, done.stderr
    with open_store(str(db)) as store:
        assert fingerprint(store) == reference


def test_sigkill_of_a_postgres_ingest_then_rerun_stores_everything_once(reference, pg_url):
    args = ("ingest", str(SAMPLES), "--db", pg_url)
    env = cli_env(WIREWATCH_BATCH_SIZE=str(BATCH))

    def stored() -> int:
        with open_store(pg_url) as store:
            return store.counts()["articles"]

    # From outside, once a reader sees the first batch committed.
    proc = start_cli(*args, env=env)
    try:
        assert wait_until(lambda: stored() >= BATCH or proc.poll() is not None, timeout=300, interval=0.1)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    first = stored()
    assert first % BATCH == 0 and 0 < first < len(reference["articles"])

    # From inside the next batch's transaction, half its articles written: that batch vanishes.
    done = run_cli_killed_at("add_analysis", BATCH // 2, *args, env=env, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert stored() == first

    done = run_cli(*args, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    total = len(reference["articles"])
    assert f"{total - first} added, {first} already stored, 0 rejected" in done.stderr
    with open_store(pg_url) as store:
        assert fingerprint(store) == reference


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(reference, tmp_path):
    """SIGKILL one Dask worker process while batches are in flight: its tasks rerun elsewhere."""
    import psutil

    db = tmp_path / "killed-worker.db"
    proc = start_cli("ingest", str(SAMPLES), "--db", str(db), "--workers", "2",
                     env=cli_env(WIREWATCH_BATCH_SIZE=str(BATCH)))
    try:
        found = []

        def cpu(p) -> float:
            try:
                return p.cpu_times().user
            except psutil.Error:  # gone meanwhile
                return 0.0

        def busy_worker() -> bool:
            # Workers fork from the ingest process with the models loaded, at next to no CPU time;
            # one that has used a second is parsing its chunks.
            busy = [p for p in psutil.Process(proc.pid).children(recursive=True) if cpu(p) > 1.0]
            found[:] = busy[:1]
            return bool(busy)

        assert wait_until(lambda: busy_worker() or proc.poll() is not None, timeout=300, interval=0.1)
        assert proc.poll() is None, proc.communicate()[1]
        found[0].kill()
        _, err = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    with open_store(str(db)) as store:
        assert fingerprint(store) == reference


def test_a_model_missing_stops_a_local_cluster_before_any_worker_starts():
    """The coordinator loads the models its workers fork with: a missing one fails at once, by name."""
    from wirewatch.errors import WirewatchError
    from wirewatch.resources import Resources
    from wirewatch.workers import DaskExtractor

    extractor = DaskExtractor(2, resources=Resources("xx_no_such_model"))
    with pytest.raises(WirewatchError, match="xx_no_such_model"):
        extractor.start()
    assert extractor._cluster is None and extractor._client is None


def test_a_model_missing_on_an_existing_clusters_workers_stops_the_run_with_its_error():
    """Workers of a cluster given by --scheduler load their models in the background; a missing one
    still surfaces as the first task's error."""
    from dask.distributed import LocalCluster

    from wirewatch.errors import WirewatchError
    from wirewatch.model import Article
    from wirewatch.resources import Resources
    from wirewatch.workers import DaskExtractor

    article = Article(id="a1", title="Arrests", text="Police arrested two men in Leeds on Monday, officials said.")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster:
        with DaskExtractor(2, scheduler=cluster.scheduler_address, resources=Resources("xx_no_such_model")) as extractor:
            with pytest.raises(WirewatchError, match="xx_no_such_model"):
                list(extractor.map([[article]]))


def test_chunks_hand_out_a_batchs_longest_articles_first_and_each_once():
    from wirewatch.model import Article
    from wirewatch.workers import _chunks

    batch = [Article(id=f"a{i}", title="t", text="word " * n) for i, n in enumerate([3, 40, 7, 40, 1, 12, 25])]
    chunks = _chunks(batch, 3)
    assert [len(c) for c in chunks] == [3, 3, 1]
    flat = [a for c in chunks for a in c]
    assert sorted(a.id for a in flat) == sorted(a.id for a in batch)
    assert [len(a.text) for a in flat] == sorted((len(a.text) for a in batch), reverse=True)


def test_local_cluster_workers_are_forked_with_the_models_and_without_dasks_profiler(resources):
    """--workers N's processes start with the coordinator's models loaded and sample no stacks for a
    dashboard nobody serves (see workers._local_cluster)."""
    from dask.distributed import Client

    from wirewatch.workers import _local_cluster

    def probe(settings, dask_worker):
        from wirewatch.workers import _local  # the worker's own cache, not a pickled copy of this process's

        return {"loaded": "nlp" in vars(_local(settings)), "profiling": "profile-cycle" in dask_worker.periodic_callbacks}

    with _local_cluster(1, resources) as cluster, Client(cluster) as client:
        # `resources` travels pickled, models left behind, as it does with every task.
        answers = list(client.run(probe, resources).values())
    assert answers == [{"loaded": True, "profiling": False}]
