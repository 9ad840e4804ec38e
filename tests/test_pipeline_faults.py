"""Faults through the whole `wirewatch ingest` pipeline: every bad-input kind mixed with good articles, and
exceptions injected inside a batch's extraction.

The bad inputs are the bad-input corpus of test_bad_input.py (its `KINDS` generators), written
into one directory next to a generated corpus of good articles, with the file-size limit lowered
through WIREWATCH_MAX_FILE_BYTES. The CLI runs in process (click's CliRunner) with the session's
loaded models, so each run costs only its extraction.
"""
from __future__ import annotations

import json

import pytest

import wirewatch.extract
import wirewatch.pipeline
from tests.helpers_faults import check_sound, check_stories_complete, in_process_cli, make_corpus
from tests.test_bad_input import KINDS, MB
from wirewatch.errors import StoreBusyError
from wirewatch.store import open_store

FILE_LIMIT = 3 * MB  # lowered from 20 MiB: the 10 MB gzip bomb and the 5 MB-attribute page now exceed it
GOOD, BATCH = 16, 8


@pytest.fixture()
def cli(resources, monkeypatch):
    """Run `wirewatch` in process with small batches, the lowered file limit and the session's models."""
    return in_process_cli(resources, monkeypatch, WIREWATCH_BATCH_SIZE=str(BATCH), WIREWATCH_MAX_FILE_BYTES=str(FILE_LIMIT))


def write_bad_inputs(directory) -> tuple[dict[str, tuple[int, ...]], int]:
    """Write every bad-input kind; return {path: expected rejected lines (() = whole file)} and articles expected."""
    expected, articles = {}, 0
    for kind in KINDS:
        if kind.name == "missing file":
            continue
        path = directory / kind.filename
        if kind.name == "50 MB text file":
            with open(path, "wb") as handle:  # sparse: 50 MiB by size, never read
                handle.seek(50 * MB - 1)
                handle.write(b"\n")
        else:
            path.write_bytes(kind.make())
        too_big = path.stat().st_size > FILE_LIMIT
        if kind.reject or too_big:
            expected[str(path)] = () if too_big else kind.lines
        if kind.accepted and not too_big:
            articles += kind.accepted
    return expected, articles


def snapshot(db) -> dict:
    """Everything stored, as plain data: analyses (with text) and stories."""
    with open_store(str(db)) as store:
        return {"analyses": {a.article.id: a.to_dict() for a in store.iter_analyses()},
                "stories": sorted(json.dumps(s.to_dict(), sort_keys=True) for s in store.list_stories()),
                "counts": store.counts()}


def test_bad_inputs_are_reported_and_good_ones_stored(cli, tmp_path):
    inputs = tmp_path / "inputs"
    make_corpus(inputs, GOOD, seed=31)
    expected, accepted = write_bad_inputs(inputs)
    missing = str(tmp_path / "gone.txt")
    db = tmp_path / "store.db"

    first = cli("ingest", str(inputs), missing, "--db", str(db))
    assert first.exit_code == 1, first.output
    assert first.exception is None or isinstance(first.exception, SystemExit), first.exception
    rejected_lines = [line for line in first.stderr.splitlines() if line.startswith("wirewatch: rejected ")]
    for path, lines in {**expected, missing: ()}.items():
        named = [line for line in rejected_lines if line.startswith(f"wirewatch: rejected {path}:")]
        assert named, f"{path} not reported"
        for number in lines:  # JSON Lines: each bad line named with its number
            assert any(line.startswith(f"wirewatch: rejected {path}:{number}: ") for line in named), (path, number)
    # The lowered limit was in force: the 10 MB gzip bomb stopped at 3 MiB, not at the 20 MiB default.
    assert any(line.startswith(f"wirewatch: rejected {inputs / 'zeros.txt.gz'}: ") and f"{FILE_LIMIT:,}-byte limit" in line
               for line in rejected_lines), rejected_lines
    stored = snapshot(db)
    assert stored["counts"]["articles"] == GOOD + accepted
    assert f"{GOOD + accepted} added, 0 already stored, {len(rejected_lines)} rejected" in first.stderr
    check_sound(db)
    with open_store(str(db)) as store:
        check_stories_complete(store)

    second = cli("ingest", str(inputs), missing, "--db", str(db))
    assert second.exit_code == 1
    assert f"0 added, {GOOD + accepted} already stored, {len(rejected_lines)} rejected" in second.stderr
    assert snapshot(db) == stored  # nothing added, nothing of the first run changed
    print(f"{len(KINDS)} bad-input kinds with {GOOD} good articles: {sum(1 for v in expected.values() if not v) + 1} files "
          f"rejected whole, {sum(len(v) for v in expected.values())} JSON lines rejected, {len(rejected_lines)} rejections reported, "
          f"{GOOD + accepted} articles stored ({accepted} read from the hostile but usable kinds)")


class InjectedFault(RuntimeError):
    """Stands for a bug in an extractor."""


FAULTS = [
    ("extract_batch", StoreBusyError("store x is busy (injected)")),
    ("update_stories", InjectedFault("story bug")),  # inside the write transaction: the batch's articles are written
]


@pytest.mark.parametrize("site, fault", FAULTS, ids=["extraction WirewatchError", "stories bug in transaction"])
def test_fault_in_second_batch_keeps_first_batch_whole(cli, tmp_path, monkeypatch, site, fault):
    """An exception in batch 2 (while extracting, or inside its write transaction) stops the run; batch 1 is
    committed whole, nothing of batch 2 is.

    A WirewatchError becomes a one-line message; a bug inside the write transaction propagates out of
    the CLI (the store, not one article, is in doubt); a re-run resumes.
    """
    inputs = tmp_path / "inputs"
    make_corpus(inputs, 3 * BATCH, seed=37)
    db = tmp_path / "store.db"
    module = wirewatch.extract if site == "extract_batch" else wirewatch.pipeline
    real, calls = getattr(module, site), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise fault
        return real(*args, **kwargs)

    monkeypatch.setattr(module, site, failing)
    result = cli("ingest", str(inputs), "--db", str(db))
    assert result.exit_code == 1
    if isinstance(fault, StoreBusyError):
        assert "busy (injected)" in result.stderr and isinstance(result.exception, SystemExit)
    else:
        assert result.exception is fault  # propagates: no silent swallowing of a bug
    assert len(calls) == 2
    check_sound(db)
    with open_store(str(db)) as store:
        assert store.counts()["articles"] == BATCH
        check_stories_complete(store)
        kept = {a.article.id: a.to_dict() for a in store.iter_analyses()}

    monkeypatch.setattr(module, site, real)
    again = cli("ingest", str(inputs), "--db", str(db))
    assert again.exit_code == 0, again.stderr
    assert f"{2 * BATCH} added, {BATCH} already stored, 0 rejected" in again.stderr
    with open_store(str(db)) as store:
        assert store.counts()["articles"] == 3 * BATCH
        check_stories_complete(store)
        for aid, before in kept.items():  # the first batch's claims and spans are what they were
            after = store.get_analysis(aid).to_dict()
            assert [(c["id"], c["start"], c["end"], c["predicate"]) for c in after["claims"]] == \
                   [(c["id"], c["start"], c["end"], c["predicate"]) for c in before["claims"]]
    check_sound(db)


def test_extractor_bug_on_one_article_rejects_only_that_article(cli, tmp_path, monkeypatch):
    """A bug that trips on one article costs that article (reported, exit 1), not the batch or the run."""
    inputs = tmp_path / "inputs"
    make_corpus(inputs, 2 * BATCH, seed=41)
    db = tmp_path / "store.db"
    real = wirewatch.extract.extract_batch
    poisoned: list[str] = []

    def failing(articles, resources, *args, **kwargs):
        articles = list(articles)
        if not poisoned:
            poisoned.append(articles[len(articles) // 2].id)
        if poisoned[0] in {a.id for a in articles}:
            raise InjectedFault("extractor bug")
        return real(articles, resources, *args, **kwargs)

    monkeypatch.setattr(wirewatch.extract, "extract_batch", failing)
    result = cli("ingest", str(inputs), "--db", str(db))
    assert result.exit_code == 1
    assert "internal error while extracting: InjectedFault: extractor bug" in result.stderr
    assert f"{2 * BATCH - 1} added, 0 already stored, 1 rejected" in result.stderr
    check_sound(db)
    with open_store(str(db)) as store:
        assert store.counts()["articles"] == 2 * BATCH - 1
        assert not store.has_article(poisoned[0])
        check_stories_complete(store)
