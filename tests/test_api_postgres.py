"""The JSON API served from a PostgreSQL store: tests/test_api.py's tests that read a store, run again."""
from __future__ import annotations

import inspect

import pytest

from tests import test_api as sqlite_tests
from tests.webdata import build_store
from wirewatch.api.app import create_app

for _name, _test in vars(sqlite_tests).items():
    params = inspect.signature(_test).parameters if _name.startswith("test_") else {}
    if params and set(params) <= {"app", "db"}:
        globals()[_name] = _test


@pytest.fixture(scope="module")
def db(pg_server):
    return build_store(pg_server.create_schema())


@pytest.fixture(scope="module")
def app(db):
    return create_app(db)
