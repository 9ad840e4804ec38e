"""spaCy's rule lemmatizer, asked once per distinct (word, POS, morphology) instead of once per token.

A rule lemma depends on the token's text, coarse POS and morphology only, yet spaCy's lemmatizer
recomputes it for every token whose answer it does not cache (a base form, a proper noun: most of
them), reading the morphology as a dict each time. That is about a tenth of the pipeline on news
text. `LemmaMemo` keeps spaCy's lemmatizer and its tables, remembers each answer by those three
values and writes the lemmas of a whole document at once: the same lemmas, exactly.

`memoise_lemmatizer(nlp)` swaps it in for a rule-mode lemmatizer; any other kind stays as it is.
"""
from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["LemmaMemo", "memoise_lemmatizer"]

FACTORY = "wirewatch_lemma_memo"
_COLUMNS = [ORTH, POS, MORPH, LEMMA]


class LemmaMemo:
    """A pipeline component wrapping a rule-mode spaCy lemmatizer (see the module docstring)."""

    def __init__(self) -> None:
        self.lemmatizer = None  # spaCy's, set by `memoise_lemmatizer`: its tables come with the model
        self._lemmas: dict[tuple[int, int, int], int] = {}  # (orth, pos, morph) -> lemma hash

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.lemmatizer
        if lemmatizer is None:
            return doc
        rows = doc.to_array(_COLUMNS).tolist()
        memo = self._lemmas
        strings = doc.vocab.strings
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(rows):
            if lemma and not lemmatizer.overwrite:  # set before (the attribute ruler's exceptions): kept
                lemmas.append(lemma)
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                found = memo[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
            lemmas.append(found)
        if lemmas:
            doc.from_array([LEMMA], numpy.asarray(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


@Language.factory(FACTORY)
def _make(nlp: Language, name: str) -> LemmaMemo:
    return LemmaMemo()


def memoise_lemmatizer(nlp: Language, name: str = "lemmatizer") -> Language:
    """Wrap the pipeline's rule-mode lemmatizer in a `LemmaMemo` (same lemmas, computed once per kind)."""
    if name not in nlp.pipe_names:
        return nlp
    inner = nlp.get_pipe(name)
    if isinstance(inner, LemmaMemo) or getattr(inner, "mode", None) != "rule":
        return nlp
    names = nlp.pipe_names
    following = names[names.index(name) + 1:]  # by name: indices also count disabled components
    nlp.remove_pipe(name)
    memo = nlp.add_pipe(FACTORY, name=name, before=following[0]) if following else nlp.add_pipe(FACTORY, name=name)
    memo.lemmatizer = inner
    return nlp
