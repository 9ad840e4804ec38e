"""A drop-in for spaCy's attribute ruler that decides each distinct token kind once.

The English pipelines map fine-grained tags (and a few word forms) to coarse POS, morphology and
lemma exceptions with an `AttributeRuler`: ~180 Matcher rules run over every token of every
document, which costs about a sixth of the whole pipeline on news text, more than the tagger and
the parser together. Nearly every rule looks at one token only (its tag, lower-case form,
dependency label, whether it is a space), and a corpus has few distinct combinations of those, so
the outcome for a combination is worked out once and then looked up. A word form no rule names
counts as one blank form, so the combinations stay few (a few hundred on a news corpus). The few two-token rules
("gon na", "ai n't") are checked on the neighbouring kinds. The ruler's own normalised attributes
and spaCy's `set_token_attrs` do the writing, so the annotations are the ruler's, exactly: later
rules win, and every rule is judged on the tokens as they were before any rule wrote.

`replace_attribute_ruler(nlp)` swaps it in when every rule uses only what this module can judge
(token attributes TAG, LOWER, DEP, IS_SPACE; equality, IN, NOT_IN, REGEX; one or two tokens;
no operators); otherwise spaCy's ruler stays.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["TokenKindRuler", "replace_attribute_ruler"]

FACTORY = "wirewatch_token_kinds"

_COLUMNS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_ARRAY = [TAG, LOWER, DEP, IS_SPACE]

Kind = tuple[int, int, int, int]  # (tag hash, lower-case form hash, dependency hash, is_space)
Test = Callable[[tuple[str, str, str, bool]], bool]


def _value_test(column: int, spec) -> Test | None:
    """A test on one attribute of a token kind, as the Matcher reads `spec`; None when not supported."""
    if isinstance(spec, bool):
        return (lambda kind: kind[column] == spec) if column == 3 else None
    if column == 3:
        return None
    if isinstance(spec, str):
        return lambda kind: kind[column] == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            allowed = frozenset(arg)
            return lambda kind: kind[column] in allowed
        if op == "NOT_IN" and isinstance(arg, list):
            banned = frozenset(arg)
            return lambda kind: kind[column] not in banned
        if op == "REGEX" and isinstance(arg, str):
            search = re.compile(arg).search
            return lambda kind: bool(search(kind[column]))
    return None


def _tags_named(spec) -> tuple[str, ...]:
    """The tags a TAG test accepts when it names them (equality or IN); () when it could be any."""
    if isinstance(spec, str):
        return (spec,)
    if isinstance(spec, dict) and list(spec) == ["IN"] and isinstance(spec["IN"], list):
        return tuple(spec["IN"])
    return ()


def _token_test(spec: dict) -> Test | None:
    """A test of one token pattern (all its attributes must hold); None when not supported."""
    tests = []
    for key, value in spec.items():
        if key not in _COLUMNS:
            return None
        test = _value_test(_COLUMNS.index(key), value)
        if test is None:
            return None
        tests.append(test)
    return lambda kind: all(t(kind) for t in tests)


class TokenKindRuler:
    """The attribute ruler's rules, judged once per token kind (see the module docstring)."""

    def __init__(self, ruler) -> None:
        self.vocab = ruler.vocab
        self.attrs = ruler.attrs  # normalised {attribute id: value id}, as the ruler writes them
        self.single: list[tuple[int, Test]] = []  # (rule id, test)
        # Most rules name the tag they apply to: a kind is judged only by those of its tag and the rest.
        self._tagged: dict[str, list[tuple[int, Test]]] = {}
        self._untagged: list[tuple[int, Test]] = []
        self._by_tag: dict[str, list[tuple[int, Test]]] = {}
        self.pairs: list[tuple[int, int, Test, Test]] = []  # (rule id, index of the token written, tests)
        for rule, entry in enumerate(ruler.patterns):
            index = entry["index"]
            for pattern in entry["patterns"]:
                tests = [_token_test(spec) for spec in pattern]
                if any(t is None for t in tests) or len(tests) not in (1, 2) or index not in range(-len(tests), len(tests)):
                    raise ValueError(f"attribute rule {rule} is not a simple one- or two-token pattern")
                if len(tests) == 1:
                    item = (rule, tests[0])
                    self.single.append(item)
                    for tag in _tags_named(pattern[0].get("TAG")) or (None,):
                        (self._tagged.setdefault(tag, []) if tag is not None else self._untagged).append(item)
                else:
                    self.pairs.append((rule, index % 2, tests[0], tests[1]))
        # Word forms the rules name: any other form is judged as the blank form, which no rule names.
        # A NOT_IN on the form would make every form matter; then each is judged as itself.
        self._forms: set[str] = set()
        self._form_patterns: list = []
        self._every_form = False
        for entry in ruler.patterns:
            for pattern in entry["patterns"]:
                for spec in pattern:
                    self._note_form(spec.get("LOWER"))
        self._relevant: dict[int, bool] = {}
        self._rules: dict[Kind, list[int]] = {}  # the single-token rules a kind matches, in rule order
        self._merged: dict[tuple[int, ...], dict] = {}  # the attributes a list of rules writes, later rules winning
        self._pair_sides: dict[Kind, tuple[frozenset, frozenset]] = {}

    def _note_form(self, spec) -> None:
        if spec is None:
            return
        if isinstance(spec, str):
            self._forms.add(spec)
        elif "IN" in spec:
            self._forms.update(spec["IN"])
        elif "REGEX" in spec:
            self._form_patterns.append(re.compile(spec["REGEX"]))
        else:
            self._every_form = True

    def _form(self, lower: int) -> int:
        """The form hash to judge a token by: its own when some rule may name it, else 0 (blank)."""
        relevant = self._relevant.get(lower)
        if relevant is None:
            form = self.vocab.strings[lower] if lower else ""
            relevant = self._relevant[lower] = self._every_form or form in self._forms or any(
                p.search(form) for p in self._form_patterns)
        return lower if relevant else 0

    def _strings(self, kind: Kind) -> tuple[str, str, str, bool]:
        strings = self.vocab.strings
        return (strings[kind[0]] if kind[0] else "", strings[kind[1]] if kind[1] else "",
                strings[kind[2]] if kind[2] else "", bool(kind[3]))

    def _rules_of(self, kind: Kind) -> list[int]:
        rules = self._rules.get(kind)
        if rules is None:
            values = self._strings(kind)
            rules = self._rules[kind] = [rule for rule, test in self._rules_for_tag(values[0]) if test(values)]
            self._pair_sides[kind] = (frozenset(i for i, (_, _, first, _) in enumerate(self.pairs) if first(values)),
                                      frozenset(i for i, (_, _, _, second) in enumerate(self.pairs) if second(values)))
        return rules

    def _rules_for_tag(self, tag: str) -> list[tuple[int, Test]]:
        """The single-token rules that can match a token of this tag, in the ruler's order."""
        rules = self._by_tag.get(tag)
        if rules is None:
            order = {id(item): n for n, item in enumerate(self.single)}
            rules = self._by_tag[tag] = sorted(self._tagged.get(tag, []) + self._untagged, key=lambda r: order[id(r)])
        return rules

    def _attrs_of(self, rules: tuple[int, ...]) -> dict:
        merged = self._merged.get(rules)
        if merged is None:
            merged = {}
            for rule in sorted(rules):  # the ruler applies matches sorted by rule id: later rules win
                merged.update(self.attrs[rule])
            self._merged[rules] = merged
        return merged

    def __call__(self, doc: Doc) -> Doc:
        form = self._form
        kinds = [(tag, form(lower), dep, space) for tag, lower, dep, space in doc.to_array(_ARRAY).tolist()]
        rules = [self._rules_of(kind) for kind in kinds]
        extra: dict[int, list[int]] = {}
        if self.pairs:
            sides = self._pair_sides
            for i in range(len(kinds) - 1):
                firsts = sides[kinds[i]][0]
                if firsts:
                    for p in firsts & sides[kinds[i + 1]][1]:
                        rule, index = self.pairs[p][0], self.pairs[p][1]
                        extra.setdefault(i + index, []).append(rule)
        for i, found in enumerate(rules):  # every rule was judged above, before any writes
            if i in extra:
                found = found + extra[i]
            if found:
                set_token_attrs(doc[i], self._attrs_of(tuple(found)))
        return doc


def replace_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> Language:
    """Swap the pipeline's attribute ruler for a `TokenKindRuler` of the same rules, when it can judge them all."""
    if name not in nlp.pipe_names or nlp.get_pipe_meta(name).factory != "attribute_ruler":
        return nlp
    patterns = nlp.get_pipe(name).patterns
    try:
        TokenKindRuler(nlp.get_pipe(name))
    except ValueError:
        return nlp  # a rule this module cannot judge: spaCy's ruler stays
    nlp.replace_pipe(name, FACTORY, config={"patterns": patterns})
    return nlp


@Language.factory(FACTORY, default_config={"patterns": []})
def _make(nlp: Language, name: str, patterns: list):
    ruler = AttributeRuler(nlp.vocab, name)
    ruler.add_patterns(patterns)
    return TokenKindRuler(ruler)
