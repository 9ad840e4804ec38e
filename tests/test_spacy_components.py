"""wirewatch's faster attribute ruler and lemmatizer write exactly what spaCy's components write."""
from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.pipeline import AttributeRuler

from wirewatch.extract.attributes import TokenKindRuler, replace_attribute_ruler
from wirewatch.extract.lemmas import LemmaMemo, memoise_lemmatizer

TEXTS = [
    "I ain't gonna sign it, the minister said, and we gotta wait for the court.",
    "Gon na happen? Got ta see it: they don't, won't and can't agree on the 3.5% rise.",
    "  Flooding  hit the\n\nport of Sfax on Tuesday; 1,200 people were moved to schools.",
    "The U.N.-backed talks in Geneva were \"productive,\" a spokeswoman told Reuters.",
    "Prices rose by $4.2bn -- or about 12 per cent -- since 2019, its 2nd-quarter report shows.",
    "WHO: 'We're seeing cases in 14 countries' #outbreak @health_dept e.g. fever, cough etc.",
]
COLUMNS = [TAG, POS, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def shipped(resources):
    """The pipeline as spaCy ships it (its own attribute ruler) plus wirewatch's paragraph splitter."""
    from wirewatch.extract.paragraphs import add_to

    return add_to(spacy.load(resources.nlp_model))


def test_wirewatch_pipeline_uses_both_in_spacys_order(nlp, shipped):
    assert isinstance(nlp.get_pipe("attribute_ruler"), TokenKindRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), LemmaMemo)
    assert nlp.pipe_names == shipped.pipe_names


def test_lemmas_equal_spacys_also_on_repeats(nlp, shipped):
    text = " ".join(TEXTS * 2) + " PARIS Paris paris were WERE Was saw SAW leaves leaving"
    ours, theirs = nlp(text), shipped(text)
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
    assert any(t.lemma_ == "be" for t in ours)  # lemmatized, not just copied


def test_a_lookup_lemmatizer_is_left_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    memoise_lemmatizer(nlp)
    assert not isinstance(nlp.get_pipe("lemmatizer"), LemmaMemo)


def test_annotations_equal_spacys_ruler_on_varied_text(nlp, shipped):
    assert not isinstance(shipped.get_pipe("attribute_ruler"), TokenKindRuler)
    for ours, theirs in zip(nlp.pipe(TEXTS), shipped.pipe(TEXTS)):
        assert [t.text for t in ours] == [t.text for t in theirs]
        assert (ours.to_array(COLUMNS) == theirs.to_array(COLUMNS)).all(), ours.text


def test_two_token_rules_and_later_rules_win():
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add_patterns([
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}, "index": 0},
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
        {"patterns": [[{"LOWER": {"IN": ["harbour", "port"]}}]], "attrs": {"LEMMA": "dock", "POS": "NOUN"}},
        {"patterns": [[{"LOWER": "port"}]], "attrs": {"LEMMA": "haven"}},  # later: wins on LEMMA only
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
        {"patterns": [[{"LOWER": {"REGEX": "^n'?t$"}}]], "attrs": {"LEMMA": "not"}},
    ])
    fast = TokenKindRuler(ruler)
    for text in ("We gon na see the port .", "Gon na ? the harbour  don't do n't port gon"):
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        ruler(a)
        fast(b)
        assert [(t.lemma_, t.pos_) for t in a] == [(t.lemma_, t.pos_) for t in b]
    doc = fast(nlp.make_doc("the port gon na"))
    assert [t.lemma_ for t in doc] == ["", "haven", "go", "to"]
    assert doc[1].pos_ == "NOUN"


def test_a_rule_it_cannot_judge_keeps_spacys_ruler():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns([{"patterns": [[{"LOWER": "very", "OP": "+"}]], "attrs": {"LEMMA": "very"}}])
    with pytest.raises(ValueError):
        TokenKindRuler(ruler)
    replace_attribute_ruler(nlp)
    assert isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler)


def test_rule_lemma_is_spacys_rule_lemmatize(nlp):
    memo = nlp.get_pipe("lemmatizer")
    text = ("The mice were running faster than the geese; she'd written better essays, and they're "
            "studying the analyses of crises. Children ate; oxen fled; wolves howled; data was lost. "
            "He is being arrested, they flew, we've found the leaves, worst-hit towns, re-elected MPs.")
    for token in nlp(text):
        assert memo.lemma(token) == memo.lemmatizer.rule_lemmatize(token)[0], token.text
