"""Stories: number conflicts skip increments and compare bare generic heads ("people") only within one kind of claim."""
from __future__ import annotations

from wirewatch.model import Claim, Quantity
from wirewatch.stories.conflicts import counted_key, number_conflicts


def _q(qid, article, text, value, counted, start=0, **kw):
    return Quantity(id=qid, article=article, text=text, start=start, end=start + len(text), value=value,
                    counted=counted, **kw)


def _claim(cid, article, start, end, predicate):
    return Claim(id=cid, article=article, text="x" * (end - start), start=start, end=end, predicate=predicate)


GROUPS = {"a": "a", "b": "b", "c": "c"}


def test_increment_is_not_a_rival_toll():
    qs = [_q("q1", "a", "at least nine people", 9, "people killed", low=9),
          _q("q2", "b", "two more bodies", 2, "bodies"),
          _q("q3", "c", "11", 11, "people killed")]
    assert number_conflicts(qs, GROUPS) == []


def test_bare_people_count_as_killed_only_inside_a_killing_claim():
    qs = [_q("q1", "a", "2 people", 2, "people"), _q("q2", "b", "9 people killed", 9, "people killed")]
    assert counted_key(qs[0]) != counted_key(qs[1])
    # "two people said ...": a statement says nothing happened to them, so no rival for the toll
    assert number_conflicts(qs, GROUPS, [_claim("c1", "a", 0, 40, "STATEMENT"), _claim("c2", "b", 0, 40, "KILL")]) == []
    # "gunmen killed 2 people" the same day as "9 people killed" elsewhere: two tolls that disagree
    (conflict,) = number_conflicts(qs, GROUPS, [_claim("c1", "a", 0, 40, "KILL"), _claim("c2", "b", 0, 40, "KILL")])
    assert conflict.about == "people killed"


def test_tally_and_died_figures_conflict_as_people_killed():
    qs = [_q("q1", "a", "9 people", 9, "people killed"),
          _q("q2", "b", "14 people died", 14, "people killed"),
          _q("q3", "c", "17", 17, "death toll")]
    (conflict,) = number_conflicts(qs, GROUPS)
    assert conflict.about == "people killed"
    assert [v.value for v in conflict.values] == [9, 14, 17]


def test_generic_people_compare_only_within_the_same_specific_predicate():
    spoke = _q("q1", "a", "two people", 2, "people", start=10)  # "two people familiar with the talks said"
    fled = _q("q2", "b", "12,000 people", 12000, "people", start=10)
    fled_too = _q("q3", "c", "15,000 people", 15000, "people", start=10)
    claims = [_claim("c1", "a", 0, 60, "STATEMENT"), _claim("c2", "b", 0, 60, "EVACUATE"),
              _claim("c3", "c", 0, 60, "EVACUATE")]
    (conflict,) = number_conflicts([spoke, fled, fled_too], GROUPS, claims)
    assert [v.value for v in conflict.values] == [12000, 15000]
    assert conflict.about == "people displaced"  # EVACUATE says what happened to them
    # Without claims saying what happened to them, bare "people" figures are never compared.
    assert number_conflicts([spoke, fled, fled_too], GROUPS) == []
    # Two catch-all statements do not make two counts of the same thing either.
    statements = [_claim("c2", "b", 0, 60, "STATEMENT"), _claim("c3", "c", 0, 60, "STATEMENT")]
    assert number_conflicts([fled, fled_too], GROUPS, statements) == []


def test_timeline_lists_a_syndicated_claim_once_citing_the_earliest_report():
    from wirewatch.model import Article, ArticleAnalysis
    from wirewatch.stories.timeline import build_timeline

    text = "Rescuers in Halvik pulled four survivors from the ferry on Tuesday."
    analyses, claims = [], []
    for aid, published in (("copy2", "2026-05-06T12:00:00"), ("wire", "2026-05-06T08:00:00"), ("copy1", "2026-05-07")):
        analyses.append(ArticleAnalysis(article=Article(id=aid, title=f"Ferry {aid}", text=text, published=published)))
        claims.append(Claim(id=f"{aid}-c0", article=aid, text=text, start=0, end=len(text), predicate="RESCUE",
                            date="2026-05-05"))
    claims.append(Claim(id="wire-c1", article="wire", text="Two crew members are missing.", start=0, end=10,
                        predicate="STATEMENT", date="2026-05-05"))
    timeline = build_timeline(analyses, claims)
    claim_entries = [e for e in timeline if e.claim]
    assert [(e.article, e.text) for e in claim_entries if e.text == text] == [("wire", text)]
    assert len(claim_entries) == 2
    assert len([e for e in timeline if e.claim is None]) == 3  # every report still has its own entry


def test_not_saying_something_is_no_denial():
    from wirewatch.model import Claim
    from wirewatch.stories.conflicts import contradicts

    asserted = Claim(id="c1", article="a1", text="The region is home to many members of the Alawite minority",
                     start=0, end=58, predicate="STATEMENT", subject="The region", object="home")
    silent = Claim(id="c2", article="a2", text="has not said whether any members of the security forces are among "
                   "the more than 60 people detained", start=0, end=97, predicate="STATEMENT", negated=True)
    assert not contradicts(asserted, silent)
    fired = Claim(id="c3", article="a1", text="soldiers fired on protesters outside the police station",
                  start=0, end=55, predicate="ASSAULT")
    denial = Claim(id="c4", article="a2", text="the army said troops had not fired on protesters", start=0, end=48,
                   predicate="ASSAULT", negated=True)
    assert contradicts(fired, denial)
    were_not = Claim(id="c5", article="a2", text="soldiers were not among the dead", start=0, end=32,
                     predicate="STATEMENT", negated=True)
    among = Claim(id="c6", article="a1", text="nine soldiers were among the dead", start=0, end=33, predicate="STATEMENT")
    assert contradicts(among, were_not)
