"""Shared fixtures: one spaCy pipeline per test session, paths to the shipped sample corpus."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def resources():
    """A `Resources` whose models load once for the whole session."""
    from wirewatch.resources import Resources

    return Resources()


@pytest.fixture(scope="session")
def nlp(resources):
    """The spaCy pipeline wirewatch uses."""
    return resources.nlp


@pytest.fixture()
def make_article():
    """Build an `Article` from a headline and body, with the id ingest would give it."""
    from wirewatch.ingest.ids import article_id
    from wirewatch.model import Article

    def build(title: str, text: str, **meta) -> Article:
        return Article(id=article_id(title, text), title=title, text=text, **meta)

    return build
