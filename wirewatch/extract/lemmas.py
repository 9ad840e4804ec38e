"""spaCy's rule lemmatizer, asked once per distinct (word, POS, morphology), with its word lists as sets.

A rule lemma depends on the token's text, coarse POS and morphology only, yet spaCy's lemmatizer
recomputes it for every token whose answer it does not cache (a base form, a proper noun: most of
them). Worse, it checks each candidate form against the POS's word index, a list of up to 57,000
words, by scanning it: about 0.2 ms a word. `LemmaMemo` keeps spaCy's lemmatizer and its tables,
runs the same rules (`rule_lemma`, spaCy 3.8's `Lemmatizer.rule_lemmatize` step by step) with the
index as a set, remembers each answer by those three values and writes a document's lemmas at
once: the same lemmas, exactly (tests compare them with spaCy's on every word of a news corpus).

`memoise_lemmatizer(nlp)` swaps it in for a rule-mode lemmatizer; any other kind stays as it is.
"""
from __future__ import annotations

import warnings

import numpy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Warnings
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

__all__ = ["LemmaMemo", "memoise_lemmatizer"]

FACTORY = "wirewatch_lemma_memo"
_COLUMNS = [ORTH, POS, MORPH, LEMMA]


class LemmaMemo:
    """A pipeline component wrapping a rule-mode spaCy lemmatizer (see the module docstring)."""

    def __init__(self) -> None:
        self.lemmatizer = None  # spaCy's, set by `memoise_lemmatizer`: its tables come with the model
        self._lemmas: dict[tuple[int, int, int], int] = {}  # (orth, pos, morph) -> lemma hash
        self._index: dict[str, frozenset[str]] = {}  # POS -> its word index, as a set

    def lemma(self, token) -> str:
        """The token's rule lemma, as spaCy's `rule_lemmatize(token)[0]` gives it."""
        lemmatizer = self.lemmatizer
        if type(lemmatizer).rule_lemmatize is not Lemmatizer.rule_lemmatize:
            return lemmatizer.lemmatize(token)[0]  # a language with rules of its own: ask it
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space"):
            if univ_pos == "":
                warnings.warn(Warnings.W108)
            return string.lower()
        if lemmatizer.is_base_form(token):
            return string.lower()
        tables = lemmatizer.lookups
        index_list = tables.get_table("lemma_index", {}).get(univ_pos)
        exceptions = tables.get_table("lemma_exc", {}).get(univ_pos)
        rules = tables.get_table("lemma_rules", {}).get(univ_pos)
        if not any((index_list, exceptions, rules)):
            return string if univ_pos == "propn" else string.lower()
        index = self._index.get(univ_pos)
        if index is None:
            index = self._index[univ_pos] = frozenset(index_list or ())
        orig = string
        string = string.lower()
        forms: list[str] = []
        oov_forms: list[str] = []
        for old, new in rules or {}:
            if string.endswith(old):
                form = string[: len(string) - len(old)] + new
                if not form:
                    pass
                elif form in index or not form.isalpha():
                    if form in index:
                        forms.insert(0, form)
                    else:
                        forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in (exceptions or {}).get(string, []):
            if form not in forms:
                forms.insert(0, form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(orig)
        return forms[0]

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
                found = memo[key] = strings.add(self.lemma(doc[i]))
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
