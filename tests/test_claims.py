"""Claims on invented news paragraphs and on the seed article: spans, predicates, hedges, negation."""
from __future__ import annotations

from pathlib import Path

import pytest

from wirewatch.extract.claims import find_claims
from wirewatch.extract.quantities import find_quantities
from wirewatch.model import Entity, Mention

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds" / "000_8469186f6885d44f.txt"

BORDER = (
    "Velmaran Border Tensions\n\n"
    "Rebels in the Kessar hills are reportedly recruiting fighters for a spring offensive. "
    "The army denied that troops fired on protesters in Dunmore. "
    "Nordavia withholds military support from the rebels. "
    "The council decided not to back the ceasefire plan. "
    "Police arrested 14 activists and seized 3 trucks, officials said. "
    "Did the talks fail? "
    "The militia could attack the airport within days."
)


def claims_of(nlp, make_article, text, entities=()):
    article = make_article("Test report", text)
    doc = nlp(text)
    quantities = find_quantities(doc, article)
    claims = find_claims(doc, article, list(entities), quantities)
    for c in claims:
        assert c.text == article.text[c.start : c.end]
        assert c.text == c.text.strip()
    return article, quantities, claims


def claim_with(claims, words):
    found = [c for c in claims if words in c.text]
    assert found, f"no claim containing {words!r}: {[c.text for c in claims]}"
    return min(found, key=lambda c: c.end - c.start)


def test_headings_and_questions_make_no_claim(nlp, make_article):
    _, _, claims = claims_of(nlp, make_article, BORDER)
    assert not any("Velmaran Border Tensions" in c.text for c in claims)
    assert not any("Did the talks fail" in c.text for c in claims)


def test_hedged_reportedly_with_extension_predicate(nlp, make_article):
    _, _, claims = claims_of(nlp, make_article, BORDER)
    c = claim_with(claims, "reportedly recruiting")
    assert c.hedged and "reportedly" in c.hedges
    assert c.predicate == "RECRUIT"
    assert c.attribution.kind == "report"
    assert c.object == "fighters"


def test_denial_negates_the_reported_clause(nlp, make_article):
    _, _, claims = claims_of(nlp, make_article, BORDER)
    c = claim_with(claims, "troops fired")
    assert c.negated
    assert c.predicate == "FIGHT"
    assert c.attribution.kind == "official" and c.attribution.source == "The army"
    assert not any(cl.text.startswith("The army denied") and cl.predicate == "STATEMENT" and cl is not c for cl in claims)


def test_withholds_and_decided_not_to(nlp, make_article):
    _, _, claims = claims_of(nlp, make_article, BORDER)
    withholds = claim_with(claims, "withholds military support")
    assert withholds.negated and withholds.predicate == "SUPPORT"
    back = claim_with(claims, "decided not to back")
    assert back.negated and back.predicate == "SUPPORT"


def test_coordinated_clauses_split_with_quantities(nlp, make_article):
    _, quantities, claims = claims_of(nlp, make_article, BORDER)
    arrested = claim_with(claims, "arrested 14 activists")
    seized = claim_with(claims, "seized 3 trucks")
    assert arrested is not seized
    assert arrested.predicate == "COERCE" and seized.predicate == "COERCE"
    assert arrested.attribution.kind == "official" and seized.attribution.kind == "official"
    by_id = {q.id: q for q in quantities}
    assert [by_id[i].text for i in arrested.quantities] == ["14 activists"]
    assert [by_id[i].text for i in seized.quantities] == ["3 trucks"]


def test_modal_hedge_and_plain_claim(nlp, make_article):
    _, _, claims = claims_of(nlp, make_article, BORDER)
    c = claim_with(claims, "could attack")
    assert c.hedged and "could" in c.hedges and c.predicate == "FIGHT" and not c.negated
    assert c.attribution.kind == "none"


def test_subject_links_to_entity(nlp, make_article):
    text = "Nordavia withholds military support from the rebels."
    ent = Entity(id="e-nord", name="Nordavia", type="place", mentions=[])
    article = make_article("x", text)
    ent.mentions.append(Mention(article=article.id, start=0, end=8, text="Nordavia"))
    claims = find_claims(nlp(text), article, [ent], [])
    assert claims[0].subject == "e-nord"


@pytest.fixture(scope="module")
def seed(nlp):
    if not SEED.exists():
        pytest.skip("seed article not present")
    from wirewatch.ingest.ids import article_id
    from wirewatch.model import Article

    raw = SEED.read_text(encoding="utf-8")
    title, _, rest = raw.partition("\n")
    body = rest[: rest.rfind("\nSources:")].strip("\n") if "\nSources:" in rest else rest.strip("\n")
    article = Article(id=article_id(title, body), title=title, text=body)
    doc = nlp(body)
    quantities = find_quantities(doc, article)
    return article, quantities, find_claims(doc, article, [], quantities)


def test_seed_quantities(seed):
    article, quantities, _ = seed
    for q in quantities:
        assert q.text == article.text[q.start : q.end]
    fighters = [q for q in quantities if "50,000" in q.text][0]
    assert fighters.text == "an estimated 50,000 potential fighters"
    assert (fighters.value, fighters.approximate) == (50000, True)
    assert fighters.counted in ("fighters", "potential fighters")
    rooms = [q for q in quantities if q.text.startswith("14")][0]
    assert rooms.value == 14 and "command rooms" in rooms.counted
    millions = [q for q in quantities if q.text == "millions"]
    assert millions and all(q.value is None and q.approximate for q in millions)


def test_seed_claims(seed):
    article, _, claims = seed
    for c in claims:
        assert c.text == article.text[c.start : c.end]
    plotting = claim_with(claims, "reportedly plotting")
    assert plotting.hedged and plotting.predicate == "PLOT"
    assessed = claim_with(claims, "assessed as low")
    assert assessed.hedged and assessed.attribution.kind == "anonymous" and assessed.attribution.source == "sources"
    for words in ("acknowledged awareness", "downplays", "ready to combat"):
        c = claim_with(claims, words)
        assert c.attribution.kind == "named", words
    assert claim_with(claims, "decision not to back the exiled loyalists").negated
    assert not any(c.text.startswith("Sources") for c in claims)


def test_seed_timing(seed, nlp):
    import time

    article, _, _ = seed
    doc = nlp(article.text)
    t0 = time.perf_counter()
    for _ in range(5):
        find_claims(doc, article, [], find_quantities(doc, article))
    per_article = (time.perf_counter() - t0) / 5
    assert per_article < 0.5  # rules over one parse: tens of milliseconds, not seconds


def test_indirect_question_is_not_a_claim(nlp, make_article):
    text = "The operator has not said how much fuel escaped."
    _, _, claims = claims_of(nlp, make_article, text)
    assert [c.text for c in claims] == [text]
    (claim,) = claims
    assert claim.negated and claim.attribution.source == "The operator"


def test_denied_claims_that_negates_the_clause(nlp, make_article):
    text = "The army has denied claims that soldiers shot at protesters near the bridge."
    (claim,) = claims_of(nlp, make_article, text)[2]
    assert claim.negated and claim.predicate in ("FIGHT", "ASSAULT")
    assert (claim.attribution.kind, claim.attribution.source) == ("official", "The army")


def test_denied_gerund_negates_its_event(nlp, make_article):
    text = "The militia denied shelling the camp."
    (claim,) = claims_of(nlp, make_article, text)[2]
    assert claim.negated and claim.predicate == "FIGHT"
    assert claim.attribution.source == "The militia"


def test_ordered_not_to_is_not_negated(nlp, make_article):
    text = "Corin Vale said he had been ordered not to keep records of the calls."
    (claim,) = claims_of(nlp, make_article, text)[2]
    assert not claim.negated


def test_coordinated_span_stops_before_the_next_conjunct(nlp, make_article):
    text = "The fire reportedly began on Sunday and is said to have spread to six villages."
    _, _, claims = claims_of(nlp, make_article, text)
    texts = [c.text for c in claims]
    assert texts[0] == "The fire reportedly began on Sunday", texts
    assert all(c.hedged for c in claims)


def test_leading_adverb_and_according_to_cover_the_coordination(nlp, make_article):
    text = "The robbers allegedly broke a window, smashed two cases and escaped on bicycles."
    _, _, claims = claims_of(nlp, make_article, text)
    assert len(claims) == 3 and all(c.hedged and c.attribution.kind == "report" for c in claims)
    text = "The strike could cost traders millions and may push up prices, according to two exporters."
    _, _, claims = claims_of(nlp, make_article, text)
    assert all(c.attribution.source == "two exporters" for c in claims), [(c.text, c.attribution) for c in claims]


def test_a_new_subject_in_a_conjunct_keeps_its_own_attribution(nlp, make_article):
    text = "Police have reportedly questioned the guard, and no arrests have been made."
    claims = claims_of(nlp, make_article, text)[2]
    last = claim_with(claims, "no arrests")
    assert last.attribution.kind == "none" and last.negated


def test_belief_frames_are_hedged(nlp, make_article):
    text = "Some economists believe the losses will reach billions."
    (claim,) = claims_of(nlp, make_article, text)[2]
    assert claim.hedged and claim.attribution.kind == "anonymous"


def test_one_word_conjunct_is_not_a_claim(nlp, make_article):
    text = "In the blast, dozens of people may have been killed or injured."
    _, _, claims = claims_of(nlp, make_article, text)
    assert [c.text for c in claims] == [text]
