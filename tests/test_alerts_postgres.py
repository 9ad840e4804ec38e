"""Watchlists and alerts over a PostgreSQL store: tests/test_alerts.py's store-level tests, run again."""
from __future__ import annotations

import inspect

import pytest

from tests import test_alerts as sqlite_tests
from wirewatch.pipeline import Wirewatch

for _name, _test in vars(sqlite_tests).items():
    params = inspect.signature(_test).parameters if _name.startswith("test_") else {}
    if params and "ww" in params and set(params) <= {"ww", "make_article"}:
        globals()[_name] = _test


@pytest.fixture()
def ww(pg_empty_url, resources):
    with Wirewatch(pg_empty_url, resources=resources) as opened:
        yield opened
