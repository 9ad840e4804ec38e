"""Extraction on Dask workers: a LocalCluster of N processes, or an existing cluster's scheduler.

Only the per-article work leaves the coordinating process: each batch is cut into small chunks
that workers extract in parallel (spaCy and the extractors, whose result for an article depends
on that article alone), then one task geocodes the whole batch (geocoding weighs the countries
named across the batch). The coordinator receives batches back in input order and links,
clusters and stores each in one transaction, exactly as `--workers 1` does; so the stored
result does not depend on the number of workers or on their timing.

A worker that dies mid-batch loses nothing: the scheduler reruns its tasks on another worker
(up to `distributed.scheduler.allowed-failures` times), and nothing is stored before a whole
batch is back. Each worker process holds spaCy, the gazetteer and the headline model once: a
LocalCluster's workers are forked from the coordinator after it loaded them (see
`_local_cluster`); an existing cluster's workers load them as their first task.
"""
from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from wirewatch.errors import WirewatchError
from wirewatch.model import Article, ArticleAnalysis, Rejection
from wirewatch.resources import Resources

CHUNK = 8  # articles per extraction task: small enough to keep every worker busy to the end

# One loaded `Resources` per worker process and model: tasks carry only the (picklable, unloaded)
# settings, and this cache is what makes spaCy load once per worker instead of once per task.
_LOADED: dict[tuple, Resources] = {}

Result = tuple[list[ArticleAnalysis], list[Rejection]]


def _local(resources: Resources) -> Resources:
    key = tuple(sorted(resources.__getstate__().items()))
    return _LOADED.setdefault(key, resources)


def warm(resources: Resources) -> bool:
    """Load every model on this worker ahead of the first task."""
    _local(resources).preload()
    return True


def extract_task(articles: list[Article], resources: Resources) -> Result:
    """Worker task: extract one chunk of articles."""
    # Imported here: the coordinator starts the cluster before it imports spaCy (see start()).
    from wirewatch.extract_steps import extract_chunk

    return extract_chunk(articles, _local(resources))


def geocode_task(resources: Resources, order: list[str], *parts: Result) -> Result:
    """Worker task: join a batch's extracted chunks in input order (`order`: its article ids) and geocode it."""
    from wirewatch.extract_steps import geocode_batch

    rank = {article_id: i for i, article_id in enumerate(order)}
    analyses = sorted((a for part in parts for a in part[0]), key=lambda a: rank[a.article.id])
    rejected = sorted((r for part in parts for r in part[1]), key=lambda r: rank.get(r.article, len(rank)))
    analyses, failed = geocode_batch(analyses, _local(resources))
    return analyses, rejected + failed


class DaskExtractor:
    """Runs extraction on a Dask cluster and hands each batch's result back in input order."""

    def __init__(self, workers: int = 2, scheduler: str | None = None, resources: Resources | None = None,
                 chunk: int = CHUNK, max_queued: int | None = None):
        if workers < 1:
            raise WirewatchError(f"--workers must be at least 1, not {workers}")
        self.workers = workers
        self.scheduler = scheduler
        self.resources = resources or Resources()
        self.chunk = max(1, chunk)
        self.max_queued = max_queued
        self.queued = 0  # articles sent to workers and not yet handed back
        self._client = None
        self._cluster = None
        self._warming: list = []

    def start(self) -> "DaskExtractor":
        """Start the LocalCluster with the models loaded, or connect to the scheduler, whose workers start loading them."""
        try:
            from dask.distributed import Client
        except ImportError as exc:  # pragma: no cover - a dependency of wirewatch
            raise WirewatchError(f"--workers needs dask.distributed: {exc}") from exc
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="30s")
                self._warm()
            else:
                self._cluster = _local_cluster(self.workers, self.resources)
                self._client = Client(self._cluster)
            n = len(self._client.scheduler_info().get("workers", {})) or self.workers
        except WirewatchError:
            self.close()
            raise
        except (OSError, TimeoutError) as exc:
            self.close()
            where = f"scheduler {self.scheduler}" if self.scheduler else "a local Dask cluster"
            raise WirewatchError(f"cannot start extraction workers on {where}: {exc}") from exc
        if self.max_queued is None:
            self.max_queued = max(4 * n * self.chunk, 128)
        return self

    def _warm(self) -> None:
        """Start loading the models on every worker of an existing cluster, without waiting for it.

        The coordinator meanwhile imports and opens what it needs. Tasks load the models themselves
        anyway, so a worker lost meanwhile is the scheduler's business, and a model missing on a
        worker (`WirewatchError`) stops the run when the first task that needs it fails.
        """
        try:
            workers = list(self._client.scheduler_info().get("workers", {}))
        except (OSError, TimeoutError):
            return
        # Tasks, not `Client.run` (which waits): each worker's single thread loads before its first
        # chunk. Held here, since Dask forgets a task nobody holds.
        self._warming = [self._client.submit(warm, self.resources, workers=[w], allow_other_workers=True, pure=False)
                         for w in workers]

    def close(self) -> None:
        """Shut down the LocalCluster (an external cluster keeps running)."""
        self._warming = []
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> "DaskExtractor":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()

    def map(self, batches: Iterable[list[Article]]) -> Iterator[tuple[list[Article], Result]]:
        """Yield (batch, (analyses, rejections)) for each batch, in order, keeping workers fed."""
        if self._client is None:
            self.start()
        client = self._client
        pending: deque = deque()
        for batch in batches:
            parts = [client.submit(extract_task, c, self.resources, pure=False) for c in _chunks(batch, self.chunk)]
            order = [a.id for a in batch]
            pending.append((batch, client.submit(geocode_task, self.resources, order, *parts, pure=False), parts))
            self.queued += len(batch)
            while pending and self.queued > self.max_queued:
                yield self._take(pending)
        while pending:
            yield self._take(pending)

    def _take(self, pending: deque) -> tuple[list[Article], Result]:
        batch, future, parts = pending.popleft()
        try:
            result = future.result()
        except WirewatchError:
            raise
        except Exception as exc:  # a worker that died too often, a lost scheduler
            raise WirewatchError(f"extraction workers failed on a batch of {len(batch)} articles "
                                 f"(nothing of it was stored; run the ingest again): {type(exc).__name__}: {exc}") from exc
        finally:
            self.queued -= len(batch)
        for f in (future, *parts):
            f.release()
        return batch, result


def _chunks(batch: list[Article], size: int) -> list[list[Article]]:
    """The batch cut into chunks of `size` articles, longest texts first.

    Workers take chunks in the order they were sent, so a batch's last chunks are its quickest and
    the workers finish it together (ECB+ dev, `--workers 2`: the two workers' last tasks ended
    0.8 s apart when cut in input order, 0.03-0.3 s longest first). An article's extraction depends
    on that article alone, and `geocode_task` puts the batch back in input order.
    """
    longest_first = sorted(batch, key=lambda a: len(a.text), reverse=True)
    return [longest_first[i:i + size] for i in range(0, len(longest_first), size)]


def _local_cluster(workers: int, resources: Resources):
    """A LocalCluster of one-thread worker processes forked from this one, models loaded.

    Forked, not spawned (Dask's default): this process loads the models once (a missing model
    stops here, before any worker starts) and every worker, including one the nanny restarts
    after a crash, starts with them and with the imports done. Spawned workers each paid a Python
    start-up, the imports and a model load (about 4 s of CPU each) on the cores the extraction
    needs: on two cores, ECB+ dev with `--workers 2` took 25.8 s spawned (see docs/deploy.md for the
    figures forked). A forked worker uses nothing it inherits beyond the models and the imports:
    the `wirewatch ingest` coordinator opens its store after the workers start, and a worker
    restarted later, which inherits the open store, never touches it (multiprocessing ends a
    forked process with `os._exit`, which closes nothing; psycopg never closes a connection
    from another process).

    Workers also go without Dask's MALLOC_TRIM_THRESHOLD_: with it, extraction in a worker (spaCy
    makes many small allocations) cost about 25% more CPU on the ECB+ dev documents (one worker,
    three A/B pairs: 22-28 s against 18-21 s). A forked worker keeps this process's malloc
    settings whatever its environment says; the variable is left out for the processes a worker
    may start. And without Dask's statistical profiler, which samples the running task's stack
    every 10 ms for a dashboard this cluster does not serve (ECB+ dev, `--workers 2`, five A/B
    pairs: the workers' CPU 2-10% lower without it).
    """
    import dask
    from dask.distributed import LocalCluster

    _local(resources).preload()
    environ = {k: v for k, v in dask.config.get("distributed.nanny.pre-spawn-environ", {}).items()
               if k != "MALLOC_TRIM_THRESHOLD_"}
    settings = {"distributed.nanny.pre-spawn-environ": environ, "distributed.worker.multiprocessing-method": "fork",
                "distributed.worker.profile.enabled": False}
    with dask.config.set(settings):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                            dashboard_address=None, silence_logs=40)


@contextmanager
def start_extractor(workers: int, scheduler: str | None, resources: Resources) -> Iterator[DaskExtractor | None]:
    """A started DaskExtractor for `--workers N` (N > 1) or `--scheduler`, else None (in-process)."""
    if workers <= 1 and not scheduler:
        yield None
        return
    with DaskExtractor(workers, scheduler, resources) as extractor:
        yield extractor


class StatusLine:
    """One self-rewriting line on a terminal: articles stored, articles/s, queued, rejected."""

    def __init__(self, extractor: DaskExtractor | None = None, stream=None, interval: float = 0.5):
        self.extractor = extractor
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.interval = interval
        self.start = time.monotonic()
        self._last = 0.0

    def __call__(self, report) -> None:
        now = time.monotonic()
        if not self.enabled or now - self._last < self.interval:
            return
        self._last = now
        stored = len(report.added)
        rate = stored / max(now - self.start, 1e-9)
        queued = self.extractor.queued if self.extractor is not None else 0
        self.stream.write(f"\ringesting: {stored} stored, {rate:.1f} articles/s, {queued} queued, "
                          f"{len(report.rejected)} rejected ")
        self.stream.flush()

    def done(self) -> None:
        if self.enabled and self._last:
            self.stream.write("\n")
            self.stream.flush()
